"""proportional (按比例计分): weight × min(value / target, 1), or reversed."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from ..model import CONTEXT, IndicatorEntry, LoadContext, Outcome, Rule, ScoringContext, Table, fmt, frozen
from ._base import ZERO, points, quantity

__all__ = ["ProportionalRule"]


@frozen
class ProportionalRule(Rule):
    """按比例计分: weight × min(value / target, 1); reverse: weight × min(target / value, 1)."""

    kind: ClassVar[str] = "proportional"
    title: ClassVar[str] = "按比例计分"

    target: Decimal
    reverse: bool = False

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind", "target", "reverse"])
        default = Decimal(100) if ctx.unit == "%" else None
        target = table.decimal("target", "目标值（满分对应的值）", required=default is None, default=default)
        assert target is not None
        if target <= 0:
            raise table.error("目标值 target 必须大于 0", "target")
        return cls(target, table.boolean("reverse", "是否反向（值越小越好）", False))

    def _decide(self, value: Decimal, weight: Decimal) -> tuple[Decimal, str]:
        """(score, case); case: none (value ≤ 0) | full | ratio."""
        if not self.reverse:
            if value <= 0:
                return ZERO, "none"
            ratio = CONTEXT.divide(value, self.target)
            return (weight, "full") if ratio >= 1 else (weight * ratio, "ratio")
        if value <= self.target:
            return weight, "full"
        return weight * CONTEXT.divide(self.target, value), "ratio"

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        return None if value is None else self._decide(value, weight)[0]

    def score(self, ctx: ScoringContext) -> Outcome:
        value = ctx.value
        assert value is not None
        unit, weight = ctx.unit, ctx.weight
        score, case = self._decide(value, weight)
        if case == "none":
            return Outcome(score, (f"{quantity(value, unit)} ≤ 0，按比例得 0 分",))
        if case == "full":
            side = "≤" if self.reverse else "≥"
            return Outcome(score, (f"{quantity(value, unit)} {side} {quantity(self.target, unit)}，计满分 {points(weight)}",))
        if self.reverse:
            return Outcome(score, (f"反向按比例计分：{fmt(weight)} × {fmt(self.target)} / {fmt(value)} = {fmt(score, 4)} 分",))
        return Outcome(score, (f"按比例计分：{fmt(weight)} × {fmt(value)} / {fmt(self.target)} = {fmt(score, 4)} 分",))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        if self.reverse:
            return f"不超过 {quantity(self.target, unit)} 计满分；超过按 {fmt(weight)} × 目标值 / 实际值 计分"
        return f"达到 {quantity(self.target, unit)} 计满分；未达到按 {fmt(weight)} × 实际值 / {quantity(self.target, unit)} 计分"


