"""What the rule kinds share: zero and one, how a value and points are written in a trace, and
the evaluator's judgment (评定得分 with a reason, within bounds) that several kinds accept."""

from __future__ import annotations

from decimal import Decimal

from attrs import frozen

from ..model import IndicatorEntry, Outcome, ScoringContext, Table, fmt, to_decimal

__all__ = ["ONE", "ZERO", "Branch", "accepted_judgment", "judged", "points", "quantity", "read_judgment"]

ZERO = Decimal(0)
ONE = Decimal(1)


def quantity(value: Decimal | None, unit: str | None) -> str:
    """A value with its unit as written in a trace: 83.78%, 1.17万元, 31人."""
    if value is None:
        return "—"
    return f"{fmt(value)}{unit or ''}"


def points(value: Decimal) -> str:
    return f"{fmt(value)} 分"


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


