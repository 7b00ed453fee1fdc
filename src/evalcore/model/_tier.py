"""Judgment tiers (达成 / 部分达成 / 未达成): a share of an indicator's weight, used by judgment rules
and by the qualitative rows of a project target form."""

from __future__ import annotations

from decimal import Decimal

from ._numbers import fmt
from ._records import frozen

__all__ = ["Tier"]


@frozen
class Tier:
    """A judgment tier (达成 / 部分达成 / 未达成) as a share of the weight, in percent: of a form's
    qualitative rows, or of a judgment rule."""

    name: str
    low: Decimal
    high: Decimal
    # Whether each end belongs to the tier. Printed tiers ("达成 100–80%, 部分达成 80–60%") rarely
    # say; a framework declares it, so that no score fits two tiers.
    low_inclusive: bool = True
    high_inclusive: bool = True

    def bounds(self, weight: Decimal) -> tuple[Decimal, Decimal]:
        """The lowest and highest score of the tier for an indicator of `weight` points."""
        return weight * self.low / 100, weight * self.high / 100

    def describe(self) -> str:
        """The tier as a share of the weight: "60%（含）–80%（不含）"; 0 % and 100 % need no word."""

        def end(value: Decimal, inclusive: bool) -> str:
            return f"{fmt(value)}%" + ("" if value in (0, 100) and inclusive else "（含）" if inclusive else "（不含）")

        return f"{end(self.low, self.low_inclusive)}–{end(self.high, self.high_inclusive)}"
