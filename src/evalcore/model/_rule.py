"""What a rule kind is: the Rule base class, what it is given while it loads (LoadContext) and
while it scores one unit (ScoringContext), and what it returns (Outcome). The kinds themselves
live in evalcore.rules; plugins add more."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from ._expression import Expression
from ._records import frozen
from ._table import Table
from ._unit_data import IndicatorEntry

if TYPE_CHECKING:
    from typing import TypeAlias

__all__ = ["CompiledForm", "LoadContext", "Outcome", "QuickScorer", "Rule", "ScoringContext"]

# Rule.quick as a plain function: (weight, measured value, the unit's inputs, its entry) -> points.
QuickScorer: TypeAlias = Callable[[Decimal, Decimal | None, Mapping[str, Any], IndicatorEntry], Decimal | None]


@frozen
class Outcome:
    """What a rule produced: the score (None when it cannot score), trace steps and status."""

    score: Decimal | None
    # Trace steps; a step may be a function that writes it, called only when the trace is read.
    steps: tuple[str | Callable[[], str], ...]
    status: str = "scored"  # scored | judgment | missing | questioned | error
    needs: str | None = None  # what is missing, when status is missing
    value: Decimal | None = None  # the measured value, when the rule measures it itself
    flags: tuple[tuple[str, str], ...] = ()  # (kind, message) findings for the reviewer
    # For status "questioned": the score under each reading of an ambiguous figure, as typed first
    # ("按 0.98% 计", 0.1) then as a percentage ("按 98% 计", 10).
    readings: tuple[tuple[str, Decimal | None], ...] = ()


@frozen
class CompiledForm:
    """A rule kind's points as one safe expression, for the compiled scorer (`compile_framework`).

    `expression` is written in the language of formulas and reads `value` (the measured value,
    rounded as the framework declares), `weight` and the names in `constants`; it is checked by the
    same whitelist as every formula and written inline into the framework's compiled scorer. It must
    give the points `score` gives with status `Rule.quick_status` whenever that outcome has no flag
    and no measured value of its own, and anything but a finite Decimal where it does not
    (a comparison, say): the indicator is then scored by `score`.
    """

    expression: str
    constants: Mapping[str, Decimal] = {}


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
    value: Decimal | None  # the measured value, rounded as the framework declares (value_places)
    unit: str | None
    inputs: Mapping[str, Any]
    entry: IndicatorEntry
    # The measured value as computed, before rounding: for rules whose decision rounding could hide
    # (the sign of a change of -0.004 %).
    exact: Decimal | None = None


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

    def compiled_form(self) -> CompiledForm | None:
        """This kind's points as one expression the compiled scorer writes inline, or None.

        evalcore's own kinds are compiled by the engine. A plugin's kind without a compiled form is
        scored by its `quick` scorer (when it has one that speaks for its `score`), else by `score`.
        """
        return None

    def checked_compiled_form(self) -> CompiledForm | None:
        """`compiled_form`, if this kind has one that speaks for its `score`: as with `quick_scorer`,
        a subclass that overrides `score` but inherits `compiled_form` has none."""
        kind = type(self)
        form_owner = next(cls for cls in kind.__mro__ if "compiled_form" in vars(cls))
        score_owner = next(cls for cls in kind.__mro__ if "score" in vars(cls))
        if form_owner is Rule or not issubclass(form_owner, score_owner):
            return None
        return self.compiled_form()

    def describe(self, weight: Decimal, unit: str | None) -> str:
        """The rule in words, for the terminal and the reference docs."""
        raise NotImplementedError

    def names(self) -> frozenset[str]:
        """Inputs the rule reads itself (beyond the indicator's formula)."""
        return frozenset()
