"""The result tree of an evaluation: every leaf with its status, score and Chinese trace; flags."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import repeat
from typing import Any

import attrs
from attrs import field
from attrs.validators import in_

from ._framework import Framework, Group, Indicator
from ._records import frozen
from ._unit_data import UnitData

__all__ = ["FLAG_KINDS", "STATUSES", "DeferredRecords", "Evaluation", "Flag", "GroupResult", "LeafRecord", "LeafResult", "Result", "evaluations", "grade_text", "weights_add_up"]

STATUSES: dict[str, str] = {
    "scored": "计算",
    "judgment": "评定",
    "missing": "缺数据",
    "questioned": "待核实",
    "not-applicable": "不适用",
    "error": "无法计分",
}

FLAG_KINDS: dict[str, str] = {
    "self_score_mismatch": "自评分与计算不符",
    "stated_mismatch": "填报数与计算不符",
    "division_by_zero": "除数为零",
    "unit_converted": "单位换算",
    "file_encoding": "文件编码",
    "missing_input": "缺少数据",
    "assessed": "未依据数据计分",
    "score_ignored": "认定分未采用",
    "rule_defect": "评分规则缺陷",
    "rule_error": "无法计分",
    "self_total_mismatch": "自评总分不符",
    "stated_grade_mismatch": "评价等级不符",
    "year_mismatch": "年度不符",
    "not_applicable": "不适用",
    "exemption": "申请豁免",
    "actual_bound": "完成值写成了范围",
    "actual_not_numeric": "完成值不是数值",
    "over_target": "大幅超出目标",
    "over_budget": "执行数超过预算",
    "reason_missing": "缺少说明",
    "weight_mismatch": "分值合计不符",
    "questioned": "待核实",
}


@frozen
class Flag:
    """Something a reviewer must look at: kind, the indicator path (empty for the whole unit), message."""

    kind: str = field(validator=in_(FLAG_KINDS))
    path: tuple[str, ...]
    message: str

    @property
    def title(self) -> str:
        return FLAG_KINDS[self.kind]


def _score_within_weight(instance: LeafResult, _attr: object, value: Decimal | None) -> None:
    if value is not None and not Decimal(0) <= value <= instance.indicator.weight:
        raise ValueError(f"score {value} outside 0..{instance.indicator.weight} for {instance.indicator.label}")


@frozen
class LeafResult:
    """One scored indicator. Invariant: 0 ≤ score ≤ weight; score is None unless it was scored."""

    indicator: Indicator
    status: str = field(validator=in_(STATUSES))
    score: Decimal | None = field(validator=_score_within_weight)
    value: Decimal | None
    # Trace lines; a line may be given as a function that writes it, or the whole trace as one
    # function, so that a batch which never shows a trace does not pay for formatting it.
    steps: tuple[str | Callable[[], str], ...] | Callable[[], tuple[str, ...]] = field(eq=False)
    self_score: Decimal | None = None
    review_score: Decimal | None = None
    note: str | None = None  # the unit's own remark on this indicator
    # Questioned (待核实): the score under each reading of the ambiguous figure, as typed first.
    readings: tuple[tuple[str, Decimal | None], ...] = ()
    # The unit's reason for the exemption its framework allows, when it was claimed and granted.
    exemption: str | None = None
    _written: list[tuple[str, ...]] = field(factory=list, init=False, eq=False, repr=False)

    @property
    def trace(self) -> tuple[str, ...]:
        """The Chinese trace: formula with its values, measured value, the rule step and points."""
        if not self._written:
            steps = self.steps
            lines = steps() if callable(steps) else tuple(step if isinstance(step, str) else step() for step in steps)
            self._written.append(lines)
        return self._written[0]

    @property
    def weight(self) -> Decimal:
        return self.indicator.weight

    @property
    def path(self) -> tuple[str, ...]:
        return self.indicator.path

    @property
    def reason(self) -> str:
        """The step that decided the points: the last trace line."""
        return self.trace[-1] if self.trace else ""


@frozen
class GroupResult:
    """A group's results: the sum of its children's scores against its declared weight."""

    group: Group
    children: tuple[Result, ...]
    score: Decimal
    max: Decimal
    self_score: Decimal | None

    @property
    def path(self) -> tuple[str, ...]:
        return self.group.path

    def leaves(self) -> Iterator[LeafResult]:
        return _leaves(self.children)


Result = GroupResult | LeafResult
# A leaf as evaluate() leaves it: its full result, or, for a leaf its rule scored quickly with
# nothing to report, only (status, score, measured value). Evaluation.children builds the rest
# (indicator, trace, the unit's own figures) when read.
LeafRecord = LeafResult | tuple[str, Decimal, Decimal | None]


class DeferredRecords(Sequence[LeafRecord]):
    """An evaluation's leaf records written when first read: a batch scored in columns keeps each
    unit's figures as integers and makes their Decimals only for the units someone looks at.
    Reads like the tuple it stands for, compares equal to it, and pickles as it."""

    __slots__ = ("_args", "_build", "_length", "_records")

    def __init__(self, length: int, build: Callable[..., tuple[LeafRecord, ...]], *args: Any) -> None:
        self._length = length
        self._build: Callable[..., tuple[LeafRecord, ...]] | None = build
        self._args = args
        self._records: tuple[LeafRecord, ...] = ()

    def records(self) -> tuple[LeafRecord, ...]:
        if self._build is not None:
            self._records, self._build = self._build(*self._args), None
            self._args = ()
        return self._records

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: Any) -> Any:
        return self.records()[index]

    def __iter__(self) -> Iterator[LeafRecord]:
        return iter(self.records())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DeferredRecords):
            other = other.records()
        return self.records() == other

    def __hash__(self) -> int:
        return hash(self.records())

    def __reduce__(self) -> tuple[Any, ...]:
        return tuple, (self.records(),)

    def __repr__(self) -> str:
        return repr(self.records())


def _outcomes(records: Sequence[LeafRecord]) -> tuple[tuple[str, Decimal | None, Decimal | None], ...]:
    # What two evaluations of one framework and one unit's data can differ in, however each leaf
    # was scored: the rest of a leaf's result follows from the framework and the data.
    return tuple((r.status, r.score, r.value) if isinstance(r, LeafResult) else r for r in records)


def _leaves(children: tuple[Result, ...]) -> Iterator[LeafResult]:
    for child in children:
        if isinstance(child, LeafResult):
            yield child
        else:
            yield from _leaves(child.children)


def weights_add_up(ungraded: str | None) -> bool:
    """Whether a total with this reason for no grade is a score out of the maximum: not where the
    indicators' weights do not make it (分值合计不符). Read by Evaluation and by a batch's rows."""
    return ungraded != FLAG_KINDS["weight_mismatch"]


def grade_text(grade: str | None, ungraded: str | None) -> str:
    """A grade as reports print it: the word, or 不评定（原因）, never empty."""
    return grade if grade is not None else f"不评定（{ungraded or '原因不明'}）"


@frozen
class Evaluation:
    """The evaluation of one unit against one framework."""

    framework: Framework
    data: UnitData
    total: Decimal
    max: Decimal
    grade: str | None  # None when no grade can be given: `ungraded` says why
    complete: bool
    flags: tuple[Flag, ...]
    self_total: Decimal | None  # sum of the self-scores given
    stated_self_total: Decimal | None  # the self-score total the document states
    raw_total: Decimal  # sum of leaf scores before any redistribution of not-applicable weight
    # One per leaf in the framework's order; the result tree is built from them when first read.
    # (A DeferredRecords for a unit of a batch scored in columns: see evaluate_many.)
    leaf_records: Sequence[LeafRecord] = field(repr=False, eq=_outcomes)
    # Builds the result tree from the records: given by the engine, which alone knows how a quickly
    # scored leaf's trace is written.
    build_tree: Callable[[], tuple[Result, ...]] = field(repr=False, eq=False, kw_only=True)
    # Why there is no grade (待核实, 缺数据, 分值合计不符, 不计分); None when graded.
    ungraded: str | None = field(default=None, kw_only=True)
    # With questioned indicators: the total under each reading, as typed first, then as percentages.
    readings: tuple[tuple[str, Decimal], ...] = field(default=(), kw_only=True)
    # The result tree once built (set once, by `children`).
    _tree: tuple[Result, ...] | None = field(default=None, init=False, eq=False, repr=False)

    @property
    def weights_add_up(self) -> bool:
        """Whether the indicators' weights make the table's maximum: otherwise (分值合计不符) the sum of
        the points is no score out of that maximum, to be shown, compared or ranked as one."""
        return weights_add_up(self.ungraded)

    @property
    def grade_text(self) -> str:
        """The grade as reports print it: a word, or 不评定（原因）, never empty."""
        return grade_text(self.grade, self.ungraded)

    @property
    def children(self) -> tuple[Result, ...]:
        """The result tree: groups with their sums, leaves with their traces."""
        tree = self._tree
        if tree is None:
            tree = self.build_tree()
            object.__setattr__(self, "_tree", tree)  # a cache of what build_tree gives: frozen all the same
        return tree

    def leaves(self) -> Iterator[LeafResult]:
        """Every leaf (scored indicator) in the framework's order."""
        return _leaves(self.children)

    def leaf(self, key: str) -> LeafResult:
        """A leaf by indicator id, name or path suffix."""
        indicator = self.framework.resolve_leaf(key)
        for leaf in self.leaves():
            if leaf.indicator is indicator:
                return leaf
        raise KeyError(key)

    @property
    def claimed_total(self) -> Decimal | None:
        """The self-score total the unit claims: as its document states it, else the sum of its items."""
        return self.stated_self_total if self.stated_self_total is not None else self.self_total

    @property
    def reviews(self) -> tuple[Decimal, ...]:
        """The review scores (审核得分) entered, in the framework's order."""
        entries = self.data.entries
        return tuple(entry.review_score for leaf in self.framework.leaves() if (entry := entries.get(leaf.id)) is not None and entry.review_score is not None)

    @property
    def review_total(self) -> Decimal | None:
        """The sum of the review scores entered (审核得分合计); None when none is."""
        reviews = self.reviews
        return sum(reviews, Decimal(0)) if reviews else None

    @property
    def missing(self) -> tuple[LeafResult, ...]:
        """The leaves without a score for want of data or a figure in question, or that could not be scored."""
        return tuple(leaf for leaf in self.leaves() if leaf.status in ("missing", "questioned", "error"))


# Evaluation's slots' own setters, by field name: what the __init__ attrs writes for it assigns
# through (it has no converters, validators or on_setattr hooks; checked here).
_SETTERS: dict[str, Callable[[Any, Any], None]] = {}
for _field in attrs.fields(Evaluation):
    assert _field.converter is None and _field.validator is None and _field.on_setattr is None
    _SETTERS[_field.name] = getattr(Evaluation, _field.name).__set__


def evaluations(count: int, columns: dict[str, Iterable[Any]]) -> list[Evaluation]:
    """`count` Evaluations made field by field rather than one by one, for a batch (evaluate_many):
    `columns` gives every field but `_tree` an iterable of `count` values (itertools.repeat for
    one shared by all). Each is the object Evaluation(...) makes from those values: the same slots
    set through the same setters (attrs' frozen __init__ bypasses its own __setattr__ alike), the
    tree not yet built; equal to it and behaving alike. The loops run in C, without the call of a
    Python __init__ per evaluation."""
    if columns.keys() != _SETTERS.keys() - {"_tree"}:
        raise TypeError(f"evaluations() needs exactly the fields {sorted(_SETTERS.keys() - {'_tree'})}")
    made: list[Evaluation] = list(map(object.__new__, repeat(Evaluation, count)))
    for name, values in columns.items():
        deque(map(_SETTERS[name], made, values), maxlen=0)
    deque(map(_SETTERS["_tree"], made, repeat(None, count)), maxlen=0)
    return made
