"""What a batch keeps of each scored unit once the unit's files are written: one small row.

The ranking, 汇总.xlsx and 汇总.json, the review carried over, the notice of units entered twice
and the exit code read these rows, never an Evaluation: a unit's evaluation (its data, traces and
result tree, some 20 KB) is dropped as soon as its files are written, so that a batch's memory
grows by a row per unit. What every row of one framework shares (its title, grades, indicators)
is held once, in a FrameworkFacts.
"""

from __future__ import annotations

from decimal import Decimal, DecimalTuple

from ..model import Evaluation, Flag, Framework, frozen, grade_text, weights_add_up
from ..outputs import question_advice, total_text

__all__ = ["FrameworkFacts", "RowMaker", "UnitRow"]


@frozen
class FrameworkFacts:
    """What the summary reads of a framework, one object for all its units."""

    id: str
    title: str
    scored: bool
    grades: tuple[str, ...]  # the grade words, best first
    leaves: tuple[tuple[str, Decimal], ...]  # each indicator's path ("一级/二级/指标") and weight, in order
    places: int  # the places scores are rounded to

    @classmethod
    def of(cls, framework: Framework) -> FrameworkFacts:
        leaves = tuple(("/".join(leaf.path), leaf.weight) for leaf in framework.leaves())
        return cls(framework.id, framework.title, framework.scored, tuple(band.name for band in framework.grades), leaves, framework.rounding.places)


@frozen
class UnitRow:
    """One scored unit as the ranking and the summary show it."""

    framework: FrameworkFacts
    unit: str | None
    project: str | None
    data_path: str | None  # the data file as the unit's data names it
    note: str | None  # the unit's own remark (备注)
    total: Decimal
    max: Decimal
    grade: str | None
    ungraded: str | None  # why there is no grade (Evaluation.ungraded)
    complete: bool
    claimed_total: Decimal | None  # the self-score total the unit claims
    review_total: Decimal | None
    reviewed: int  # how many review scores are entered
    readings: tuple[tuple[str, Decimal], ...]  # questioned: the total under each reading
    flags: tuple[Flag, ...]
    scores: tuple[Decimal | None, ...]  # each indicator's score, in the framework's order
    total_text: str | None  # the total with why it is none out of the maximum, where the weights do not add up
    advice: str | None  # questioned: what to write in the data instead

    @classmethod
    def of(cls, evaluation: Evaluation, framework: FrameworkFacts | None = None) -> UnitRow:
        return RowMaker().row(evaluation, framework)

    @property
    def weights_add_up(self) -> bool:
        """As Evaluation.weights_add_up: otherwise (分值合计不符) the total is no score out of the maximum."""
        return weights_add_up(self.ungraded)

    @property
    def grade_text(self) -> str:
        """As Evaluation.grade_text: a word, or 不评定（原因）."""
        return grade_text(self.grade, self.ungraded)

    @property
    def fully_reviewed(self) -> bool:
        return self.reviewed == len(self.framework.leaves)


class RowMaker:
    """Rows for the units of one batch: each framework's facts made once, and equal values held as
    one object: a unit's scores take few distinct values (a Decimal is about 100 bytes), and most
    findings repeat from unit to unit (缺少…，该指标未计分)."""

    def __init__(self) -> None:
        # By id() of the framework, which is held so that the id is not reused.
        self._frameworks: dict[int, tuple[Framework, FrameworkFacts]] = {}
        self._scores: dict[DecimalTuple, Decimal] = {}
        self._flags: dict[Flag, Flag] = {}
        self._flag_lists: dict[tuple[Flag, ...], tuple[Flag, ...]] = {}

    def facts(self, framework: Framework) -> FrameworkFacts:
        known = self._frameworks.get(id(framework))
        if known is None:
            known = self._frameworks[id(framework)] = (framework, FrameworkFacts.of(framework))
        return known[1]

    def _decimal(self, value: Decimal) -> Decimal:
        # Keyed by sign, digits and exponent: 2 and 2.0, or 0 and -0, are equal but not the same.
        return self._scores.setdefault(value.as_tuple(), value)

    def _score(self, score: Decimal | None) -> Decimal | None:
        return None if score is None else self._decimal(score)

    def _flags_of(self, flags: tuple[Flag, ...]) -> tuple[Flag, ...]:
        shared = tuple(self._flags.setdefault(flag, flag) for flag in flags)
        return self._flag_lists.setdefault(shared, shared)

    def row(self, evaluation: Evaluation, framework: FrameworkFacts | None = None) -> UnitRow:
        data = evaluation.data
        reviews = evaluation.reviews
        scores = tuple(self._score(record.score if not isinstance(record, tuple) else record[1]) for record in evaluation.leaf_records)
        return UnitRow(
            framework=framework or self.facts(evaluation.framework),
            unit=data.unit,
            project=data.project,
            data_path=data.path,
            note=data.note,
            total=self._decimal(evaluation.total),
            max=self._decimal(evaluation.max),
            grade=evaluation.grade,
            ungraded=evaluation.ungraded,
            complete=evaluation.complete,
            claimed_total=self._score(evaluation.claimed_total),
            review_total=self._decimal(sum(reviews, Decimal(0))) if reviews else None,
            reviewed=len(reviews),
            readings=evaluation.readings,
            flags=self._flags_of(evaluation.flags),
            scores=scores,
            total_text=None if evaluation.weights_add_up else total_text(evaluation),
            advice=question_advice(evaluation)[1] if evaluation.readings else None,
        )
