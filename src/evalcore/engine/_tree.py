"""The result tree of an evaluation (groups with their sums, leaves with their traces), built
from its leaf records when first read."""

from __future__ import annotations

import decimal
import functools
from collections.abc import Sequence
from decimal import Decimal

from ..model import CONTEXT, EMPTY_ENTRY, Framework, Group, GroupResult, Indicator, LeafRecord, LeafResult, Result, UnitData
from ._leaf import full_trace

__all__ = ["result_tree"]

ZERO = Decimal(0)


def result_tree(framework: Framework, data: UnitData, records: Sequence[LeafRecord]) -> tuple[Result, ...]:
    """The groups and leaves of an evaluation from its leaf records (see Evaluation.leaf_records)."""
    # Group sums in evalcore's context, whatever the context of the caller who first reads the tree.
    with decimal.localcontext(CONTEXT):
        return _tree(framework, data, records)


def _tree(framework: Framework, data: UnitData, records: Sequence[LeafRecord]) -> tuple[Result, ...]:
    remaining = iter(records)

    def node(item: Group | Indicator) -> Result:
        if isinstance(item, Indicator):
            record = next(remaining)
            if isinstance(record, LeafResult):
                return record
            entry = data.entries.get(item.id, EMPTY_ENTRY)
            status, score, value = record
            trace = functools.partial(full_trace, item, entry, framework, data)
            return LeafResult(item, status, score, value, trace, entry.self_score, entry.review_score, entry.note)
        children = tuple(node(child) for child in item.children)
        score = sum((child.score for child in children if child.score is not None), ZERO)
        selfs = [child.self_score for child in children if child.self_score is not None]
        maximum = item.weight if item.weight is not None else item.leaf_weight
        return GroupResult(item, children, score, maximum, sum(selfs, ZERO) if selfs else None)

    return tuple(node(child) for child in framework.children)


