"""A unit's data as evalcore scores it: inputs in their declared units, per-indicator entries
(self-scores, answers, evaluator's scores), figures the unit's documents state, report text."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from attrs import field, fields

from ._expression import Expression
from ._records import frozen

if TYPE_CHECKING:
    from ._target_form import FormData

__all__ = ["EMPTY_ENTRY", "Check", "Conversion", "Fact", "IndicatorEntry", "UnitData"]


@frozen
class IndicatorEntry:
    """What the data say about one indicator besides its inputs."""

    self_score: Decimal | None = None  # 自评得分
    review_score: Decimal | None = None  # 审核得分
    stated: Decimal | None = None  # the figure the unit's own table states (e.g. 控制率 100%)
    stated_bare: bool = False  # `stated` written as a plain number, without a unit (1 may mean 100%)
    checkpoints: tuple[bool | Decimal, ...] | None = None
    cases: Decimal | None = None
    score: Decimal | None = None  # evaluator's score: judgment, or assessed where data are missing
    reason: str | None = None
    tier: str | None = None
    not_applicable: bool = False
    note: str | None = None
    exemption: str | None = None  # the unit's reason for claiming the exemption its framework allows


EMPTY_ENTRY = IndicatorEntry()


@frozen
class Conversion:
    """A value given in another unit than the input's, converted exactly."""

    input: str
    given: str
    value: Decimal
    unit: str


@frozen
class Fact:
    """A figure of the unit's documents outside the framework's inputs, in the unit it was given in
    (None for a plain number); a check converts it to the unit it computes in."""

    value: Decimal
    unit: str | None = None


@frozen
class Check:
    """A figure the unit's own documents state, to be checked against the facts it derives from.
    `unit` is the unit of the stated figure and of the comparison: the check's own, or the one the
    stated figure was written with; money, people and other quantities in the formula are brought
    to it (or, for other families, to the unit of the inputs the formula reads)."""

    name: str
    formula: Expression
    stated: Decimal
    unit: str | None = None
    note: str | None = None
    stated_bare: bool = False  # `stated` written as a plain number, without a unit


def _floats(inputs: Mapping[str, Any]) -> dict[str, float]:
    """The Decimal inputs as floats (correctly rounded: Decimal.__float__ reads the decimal text)."""
    binary: dict[str, float] = {}
    for name, value in inputs.items():
        if type(value) is Decimal and value.is_finite():
            binary[name] = float(value)
    return binary


_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _shared_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """One tuple for all units whose float inputs have these names in this order (and its names
    interned): a batch recognises units it can read as one table by the tuple's identity alone."""
    shared = _NAMES.get(names)
    if shared is None:
        if len(_NAMES) >= 4096:  # many frameworks or orders in one process: keep the table bounded
            _NAMES.clear()
        shared = _NAMES[names] = tuple(map(sys.intern, names))
    return shared


def _read_only(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping if isinstance(mapping, MappingProxyType) else MappingProxyType(dict(mapping))


@frozen
class UnitData:
    """One unit's data for one framework, already checked and converted to Decimals."""

    framework: str
    unit: str | None = None
    # Read-only views: an evaluation writes a leaf's trace from these when it is read, so they must
    # be the figures it was scored on.
    inputs: Mapping[str, Any] = field(factory=dict, converter=_read_only)
    entries: Mapping[str, IndicatorEntry] = field(factory=dict, converter=_read_only)
    # Percent inputs typed as a bare number 0 < v ≤ 1 that could mean v % (as in `inputs`) or
    # v × 100 % (the value here): the indicators they decide are questioned (待核实), not guessed.
    questions: Mapping[str, Decimal] = field(factory=dict, converter=_read_only)
    conversions: tuple[Conversion, ...] = ()
    self_total: Decimal | None = None
    source: str | None = None
    path: str | None = None
    year: int | None = None
    date: str | None = None  # 填报日期 as written
    project: str | None = None  # 项目名称, for project frameworks
    stated_grade: str | None = None  # the grade the document claims (e.g. "良好")
    facts: Mapping[str, Fact] = field(factory=dict, converter=_read_only)  # figures outside the framework's inputs
    checks: tuple[Check, ...] = ()
    report: Mapping[str, Any] = field(factory=dict)  # narrative for report formatters, as written
    note: str | None = None
    form: FormData | None = None  # a project target form's budget and rows
    encoding: str | None = None  # the data file's encoding when it was not UTF-8 (e.g. "gb18030")
    # Each Decimal input as the nearest binary float, made with the data: the engine's columns
    # (evaluate_many) compute with these and a proven error bound, never with them alone.
    floats: Mapping[str, float] = field(init=False, eq=False, repr=False)

    # The same floats packed in one row of float64 (their names, in order, beside): a batch reads
    # its units' rows as one table instead of each figure by name.
    float_names: tuple[str, ...] = field(init=False, eq=False, repr=False)
    float_row: bytes = field(init=False, eq=False, repr=False)

    @floats.default
    def _binary(self) -> Mapping[str, float]:
        return _floats(self.inputs)

    @float_names.default
    def _names(self) -> tuple[str, ...]:
        return _shared_names(tuple(self.floats))

    @float_row.default
    def _row(self) -> bytes:
        return array("d", self.floats.values()).tobytes()

    # Read-only views cannot be pickled: their contents are, and are made read-only again on load,
    # so that unit data still travel to worker processes.
    def __getstate__(self) -> dict[str, Any]:
        state = {a.name: getattr(self, a.name) for a in fields(UnitData)}
        return {name: dict(value) if isinstance(value, MappingProxyType) else value for name, value in state.items()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            if name == "float_names":
                value = _shared_names(value)  # shared again, as when the data were made
            object.__setattr__(self, name, _read_only(value) if name in ("inputs", "entries", "facts", "questions") else value)
