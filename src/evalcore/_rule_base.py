"""What every rule kind is built on: the Rule base class, the contexts it reads and loads with,
the Outcome it returns, and the evaluator's judgment that several kinds accept."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from attrs import frozen

from ._numbers import fmt

if TYPE_CHECKING:
    from ._data import IndicatorEntry
    from ._model import QuickScorer
    from ._sandbox import Expression
    from ._toml import Table

__all__ = ["ONE", "ZERO", "LoadContext", "Outcome", "Rule", "ScoringContext", "accepted_judgment", "judged", "points", "quantity"]

ZERO = Decimal(0)
ONE = Decimal(1)


def quantity(value: Decimal | None, unit: str | None) -> str:
    """A value with its unit as written in a trace: 83.78%, 1.17万元, 31人."""
    if value is None:
        return "—"
    return f"{fmt(value)}{unit or ''}"


def points(value: Decimal) -> str:
    return f"{fmt(value)} 分"


@frozen
class Outcome:
    """What a rule produced: the score (None when it cannot score), trace steps and status."""

    score: Decimal | None
    # Trace steps; a step may be a function that writes it, called only when the trace is read.
    steps: tuple[str | Callable[[], str], ...]
    status: str = "scored"  # scored | judgment | missing | error
    needs: str | None = None  # what is missing, when status is missing
    value: Decimal | None = None  # the measured value, when the rule measures it itself
    flags: tuple[tuple[str, str], ...] = ()  # (kind, message) findings for the reviewer


@frozen
class LoadContext:
    """What a rule kind may use while it is read: the indicator it belongs to and the compiler."""

    label: str
    weight: Decimal
    unit: str | None
    has_formula: bool
    compile: Callable[[str, str, frozenset[str]], Expression]


@frozen
class ScoringContext:
    """Everything a rule may look at for one unit: nothing else, so that scoring stays pure."""

    weight: Decimal
    value: Decimal | None
    unit: str | None
    inputs: Mapping[str, Any]
    entry: IndicatorEntry


class Rule:
    """Base of every rule kind. Subclasses are frozen attrs classes."""

    kind: ClassVar[str] = ""
    title: ClassVar[str] = ""  # the kind's Chinese name, for `evalcore show` and docs
    needs_value: ClassVar[bool] = True  # whether the indicator must have a measured value (formula)
    # The status a quick score stands for: "judgment" for kinds whose points are the evaluator's own.
    quick_status: ClassVar[str] = "scored"

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        raise NotImplementedError

    def score(self, ctx: ScoringContext) -> Outcome:
        raise NotImplementedError

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        """The points alone when `score` would give them with status `quick_status`, no flag and no
        measured value of its own (Outcome.value); else None.

        `score` is the definition and quick must agree with it (`evalcore.testing.assert_sound`
        holds a framework's kinds to that). evaluate() uses quick so that a batch of thousands of
        units does not build outcomes and trace steps nobody reads; None, or a kind that does not
        override this, means the indicator is scored in full. The decimal context is evalcore's
        while it runs.
        """
        return None

    def quick_scorer(self) -> QuickScorer | None:
        """`quick`, if this kind has one that speaks for its `score`.

        A subclass that overrides `score` but inherits `quick` (a plugin's variant of a built-in
        kind) is always scored in full: the inherited quick knows nothing of the new rule.
        """
        kind = type(self)
        quick_owner = next(cls for cls in kind.__mro__ if "quick" in vars(cls))
        score_owner = next(cls for cls in kind.__mro__ if "score" in vars(cls))
        if quick_owner is Rule or not issubclass(quick_owner, score_owner):
            return None
        return self.quick

    def describe(self, weight: Decimal, unit: str | None) -> str:
        """The rule in words, for the terminal and the reference docs."""
        raise NotImplementedError

    def names(self) -> frozenset[str]:
        """Inputs the rule reads itself (beyond the indicator's formula)."""
        return frozenset()


def accepted_judgment(entry: IndicatorEntry, low: Decimal, high: Decimal) -> Decimal | None:
    """The evaluator's score when it can stand: given, with a reason, within low..high."""
    score = entry.score
    return score if score is not None and (entry.reason or "").strip() and low <= score <= high else None


def judged(ctx: ScoringContext, low: Decimal, high: Decimal, head: str) -> Outcome:
    """A score entered by the evaluator, checked against its bounds; a reason is mandatory."""
    entry = ctx.entry
    accepted = accepted_judgment(entry, low, high)
    if accepted is not None:
        return Outcome(accepted, (f"{head}；评定得分 {points(accepted)}，理由：{entry.reason}",), status="judgment")
    if entry.score is None:
        return Outcome(None, (f"{head}；尚未填写评定得分",), status="missing", needs="评定得分及理由")
    if not (entry.reason or "").strip():
        return Outcome(None, (f"{head}；填写了评定得分 {fmt(entry.score)} 分但没有填写理由（reason），不予采用",), status="error")
    return Outcome(None, (f"{head}；评定得分 {fmt(entry.score)} 分超出允许范围 {fmt(low)}–{fmt(high)} 分",), status="error")
