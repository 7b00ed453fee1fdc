"""What the rule kinds share: zero and one, how a value and points are written in a trace, and
the evaluator's judgment (评定得分 with a reason, within bounds) that several kinds accept."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..model import IndicatorEntry, Outcome, ScoringContext, Table, Tier, fmt, frozen, to_decimal

__all__ = ["ONE", "ZERO", "Branch", "accepted_judgment", "judged", "judged_in_tier", "points", "quantity", "read_judgment", "read_tiers", "written"]

ZERO = Decimal(0)
ONE = Decimal(1)


def quantity(value: Decimal | None, unit: str | None) -> str:
    """A value with its unit as written in a trace: 83.78%, 1.17万元, 31人."""
    if value is None:
        return "—"
    return f"{fmt(value)}{unit or ''}"


def points(value: Decimal) -> str:
    return f"{fmt(value)} 分"


def written(steps: tuple[str | Callable[[], str], ...]) -> list[str]:
    """Trace steps as text, each deferred step written now."""
    return [step if isinstance(step, str) else step() for step in steps]


def accepted_judgment(entry: IndicatorEntry, low: Decimal, high: Decimal, low_inclusive: bool = True, high_inclusive: bool = True) -> Decimal | None:
    """The evaluator's score when it can stand: given, with a reason, within low..high (each end
    in or out as declared)."""
    score = entry.score
    if score is None or not (entry.reason or "").strip():
        return None
    return score if _within(score, low, high, low_inclusive, high_inclusive) else None


def _within(score: Decimal, low: Decimal, high: Decimal, low_inclusive: bool, high_inclusive: bool) -> bool:
    above = score >= low if low_inclusive else score > low
    below = score <= high if high_inclusive else score < high
    return above and below


def judged(ctx: ScoringContext, low: Decimal, high: Decimal, head: str, low_inclusive: bool = True, high_inclusive: bool = True) -> Outcome:
    """A score entered by the evaluator, checked against its bounds; a reason is mandatory."""
    entry = ctx.entry
    accepted = accepted_judgment(entry, low, high, low_inclusive, high_inclusive)
    if accepted is not None:
        return Outcome(accepted, (f"{head}；评定得分 {points(accepted)}，理由：{entry.reason}",), status="judgment")
    if entry.score is None:
        return Outcome(None, (f"{head}；尚未填写评定得分",), status="missing", needs="评定得分及理由")
    if not (entry.reason or "").strip():
        return Outcome(None, (f"{head}；填写了评定得分 {fmt(entry.score)} 分但没有填写理由（reason），不予采用",), status="error")
    ends = "、".join(f"不含 {fmt(end)} 分" for end, inclusive in ((low, low_inclusive), (high, high_inclusive)) if not inclusive)
    return Outcome(None, (f"{head}；评定得分 {fmt(entry.score)} 分超出允许范围 {fmt(low)}–{fmt(high)} 分" + (f"（{ends}）" if ends else ""),), status="error")


def judged_in_tier(ctx: ScoringContext, tier: Tier) -> Outcome:
    """A score the evaluator entered for a tier (达成 / 部分达成 / 未达成), within the tier's share of
    the weight, each end in or out of the tier as the framework declares."""
    low, high = tier.bounds(ctx.weight)
    head = f"评定为“{tier.name}”（分值的 {tier.describe()}，即 {fmt(low)}–{fmt(high)} 分）"
    return judged(ctx, low, high, head, tier.low_inclusive, tier.high_inclusive)


def read_tiers(table: Table, key: str, what: str) -> tuple[Tier, ...]:
    """Judgment tiers as shares of the weight in percent: `{ name = "部分达成", at_least = 60,
    below = 80 }`, each end written as included (at_least, at_most) or not (above, below); `from`
    and `to` include both ends."""
    tiers: list[Tier] = []
    for item in table.tables(key, what):
        item.check_keys(["name", "from", "to", "at_least", "above", "at_most", "below"])
        name = item.string("name", "档次名称")
        assert name is not None
        lows = [k for k in ("from", "at_least", "above") if item.has(k)]
        highs = [k for k in ("to", "at_most", "below") if item.has(k)]
        if len(lows) != 1 or len(highs) != 1:
            raise item.error("每个档次写一个下限（from 或 at_least 含、above 不含）和一个上限（to 或 at_most 含、below 不含），占分值的百分比")
        low = item.decimal(lows[0], "档次下限（占分值的百分比）")
        high = item.decimal(highs[0], "档次上限（占分值的百分比）")
        assert low is not None and high is not None
        if not 0 <= low <= high <= 100:
            raise item.error("档次应满足 0 ≤ 下限 ≤ 上限 ≤ 100（占分值的百分比）")
        tiers.append(Tier(name, low, high, lows[0] != "above", highs[0] != "below"))
    return tuple(tiers)


@frozen
class Branch:
    """A sign-rule outcome: a fixed score, or a judgment between `low` and `high`."""

    score: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None

    def describe(self) -> str:
        return points(self.score) if self.score is not None else f"{fmt(self.low)}–{fmt(self.high)} 分（视情评定）"

    def outcome(self, ctx: ScoringContext, head: str) -> Outcome:
        if self.score is not None:
            return Outcome(self.score, (f"{head}，计 {points(self.score)}",))
        assert self.low is not None and self.high is not None
        return judged(ctx, self.low, self.high, head + f"，在 {fmt(self.low)}–{fmt(self.high)} 分之间视情评定")


def read_judgment(table: Table, key: str) -> Branch:
    """`judgment = [最低, 最高]`: a range the evaluator scores within, with a reason."""
    bounds = table.sequence(key, "视情评定的分数范围")
    if len(bounds) != 2:
        raise table.error("judgment 应写成 [最低分, 最高分]", key)
    try:
        low, high = (to_decimal(b) for b in bounds)
    except (TypeError, ValueError):
        raise table.error("judgment 的分数必须是数字", key) from None
    if not 0 <= low <= high:
        raise table.error("judgment 应满足 0 ≤ 最低分 ≤ 最高分", key)
    return Branch(low=low, high=high)


