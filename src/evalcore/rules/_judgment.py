"""judgment (视情评定): the evaluator enters the score within bounds or a tier, with a reason."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from ..model import IndicatorEntry, LoadContext, Outcome, Rule, ScoringContext, Table, Tier, fmt, frozen
from ._base import ZERO, accepted_judgment, judged, judged_in_tier, read_tiers

__all__ = ["JudgmentRule"]


@frozen
class JudgmentRule(Rule):
    """视情扣分 / qualitative: the evaluator enters the score within bounds, with a mandatory reason."""

    kind: ClassVar[str] = "judgment"
    title: ClassVar[str] = "视情评定"
    needs_value: ClassVar[bool] = False
    quick_status: ClassVar[str] = "judgment"

    low: Decimal | None = None  # None: 0
    high: Decimal | None = None  # None: the weight
    tiers: tuple[Tier, ...] = ()

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind", "min", "max", "tiers"])
        low = table.decimal("min", "最低分", required=False)
        high = table.decimal("max", "最高分", required=False)
        if low is not None and not 0 <= low <= ctx.weight:
            raise table.error(f"最低分应在 0 到分值 {fmt(ctx.weight)} 之间", "min")
        if high is not None and high > ctx.weight:
            raise table.error(f"最高分 {fmt(high)} 超过分值 {fmt(ctx.weight)}", "max")
        if low is not None and high is not None and low > high:
            raise table.error("最低分大于最高分", "min")
        tiers = read_tiers(table, "tiers", "评定档次")
        return cls(low, high, tiers)

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        # Tiers, a missing reason and a score out of bounds are for `score` to explain.
        return None if entry.tier is not None else accepted_judgment(entry, *self.bounds(weight))

    def bounds(self, weight: Decimal) -> tuple[Decimal, Decimal]:
        """The lowest and highest score the evaluator may give (0 and the weight unless set)."""
        return (self.low if self.low is not None else ZERO), (self.high if self.high is not None else weight)

    def score(self, ctx: ScoringContext) -> Outcome:
        low, high = self.bounds(ctx.weight)
        tier_name = ctx.entry.tier
        if tier_name is not None and not self.tiers:
            return Outcome(None, (f"填写了评定档次“{tier_name}”，但该指标没有规定评定档次；请直接填写 score 与 reason",), status="error")
        if self.tiers and tier_name is not None:
            tier = next((t for t in self.tiers if t.name == tier_name), None)
            if tier is None:
                names = "、".join(t.name for t in self.tiers)
                return Outcome(None, (f"评定档次“{tier_name}”不存在，可选：{names}",), status="error")
            return judged_in_tier(ctx, tier)
        return judged(ctx, low, high, f"视情评定（{fmt(low)}–{fmt(high)} 分）")

    def describe(self, weight: Decimal, unit: str | None) -> str:
        low, high = self.bounds(weight)
        text = f"由评价人在 {fmt(low)}–{fmt(high)} 分之间评定，须写明理由"
        if self.tiers:
            text += "；档次：" + "，".join(f"{t.name} {t.describe()}" for t in self.tiers)
        return text


