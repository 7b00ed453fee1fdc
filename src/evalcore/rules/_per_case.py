"""per-case (按例扣分): 每出现一例不符合要求的扣 P 分，扣完为止."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from ..model import IndicatorEntry, LoadContext, Outcome, Rule, ScoringContext, Table, fmt, frozen
from ._base import ZERO, points

__all__ = ["PerCaseRule"]


@frozen
class PerCaseRule(Rule):
    """每出现一例不符合要求的扣 P 分，扣完为止."""

    kind: ClassVar[str] = "per-case"
    title: ClassVar[str] = "按例扣分"
    needs_value: ClassVar[bool] = False

    points: Decimal
    what: str

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind", "points", "what"])
        pts = table.decimal("points", "每例扣分")
        assert pts is not None
        if pts <= 0:
            raise table.error("每例扣分 points 必须大于 0", "points")
        what = table.string("what", "所计的情形", required=False, default="不符合要求的情形")
        assert what is not None
        return cls(pts, what)

    def _remaining(self, weight: Decimal, cases: Decimal) -> Decimal:
        """The points left after deducting per case, floored at 0."""
        return max(weight - cases * self.points, ZERO)

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        return None if entry.cases is None else self._remaining(weight, entry.cases)

    def score(self, ctx: ScoringContext) -> Outcome:
        cases = ctx.entry.cases
        if cases is None:
            return Outcome(None, (f"未填写{self.what}的例数",), status="missing", needs=f"{self.what}的例数（cases）")
        score = self._remaining(ctx.weight, cases)
        if cases == 0:
            return Outcome(score, (f"{self.what} 0 例，计满分 {points(score)}",))
        deduction = cases * self.points
        tail = "扣完为止，得 0 分" if deduction > ctx.weight else f"得 {points(score)}"
        return Outcome(score, (f"{self.what} {fmt(cases)} 例，每例扣 {points(self.points)}，共扣 {fmt(deduction)} 分，{tail}",))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return f"每出现一例{self.what}扣 {points(self.points)}，扣完为止"


