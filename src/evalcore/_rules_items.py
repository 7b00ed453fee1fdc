"""Rule kinds scored from the evaluator's answers rather than a measured value, and expressions."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from attrs import frozen

from ._numbers import fmt
from ._rules import ZERO, LoadContext, Outcome, Rule, ScoringContext, accepted_judgment, judged, points
from ._sandbox import Expression, ExpressionInvalid, ZeroDivisionInExpression
from ._toml import Table

if TYPE_CHECKING:
    from ._data import IndicatorEntry

__all__ = ["Checkpoint", "ChecklistRule", "ExpressionRule", "JudgmentRule", "PerCaseRule"]

CHECKLIST_MODES = {"award": "每满足一项得该项分值", "deduct": "每缺一项扣分，扣完为止"}


@frozen
class Checkpoint:
    """An 评价要点: a yes/no item and the points it is worth (award) or costs when missing (deduct)."""

    text: str
    points: Decimal


@frozen
class ChecklistRule(Rule):
    """评价要点: each checkpoint met adds its points, or each one missing deducts, floored at 0."""

    kind: ClassVar[str] = "checklist"
    title: ClassVar[str] = "评价要点"
    needs_value: ClassVar[bool] = False

    mode: str
    checkpoints: tuple[Checkpoint, ...]

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind", "mode", "checkpoints", "per_missing"])
        mode = table.choice("mode", "计分方式（award 满足加分 / deduct 缺项扣分）", CHECKLIST_MODES)
        items = table.tables("checkpoints", "评价要点")
        if not items:
            raise table.error("评价要点至少需要一项：checkpoints = [{ text = \"...\", points = 1 }, ...]", "checkpoints")
        per_missing = table.decimal("per_missing", "每缺一项扣分", required=False)
        checkpoints = []
        for item in items:
            item.check_keys(["text", "points"])
            text = item.string("text", "评价要点内容")
            pts = item.decimal("points", "该要点分值", required=per_missing is None, default=per_missing)
            assert text is not None and pts is not None
            if pts <= 0:
                raise item.error("要点分值必须大于 0", "points")
            checkpoints.append(Checkpoint(text, pts))
        return cls(mode, tuple(checkpoints))

    def _out_of_range(self, answers: tuple[bool | Decimal, ...]) -> int | None:
        """The number (from 1) of the first partial score outside 0 to its checkpoint's points."""
        for number, (point, answer) in enumerate(zip(self.checkpoints, answers), start=1):
            if not isinstance(answer, bool) and not ZERO <= answer <= point.points:
                return number
        return None

    def _tally(self, answers: tuple[bool | Decimal, ...]) -> tuple[list[Decimal], Decimal, Decimal]:
        """Points got per checkpoint, their total and the points lost (answers within range)."""
        got = [(point.points if answer else ZERO) if isinstance(answer, bool) else answer for point, answer in zip(self.checkpoints, answers)]
        total = sum(got, ZERO)
        return got, total, sum((point.points for point in self.checkpoints), ZERO) - total

    def _points(self, weight: Decimal, total: Decimal, missing: Decimal) -> Decimal:
        return min(total, weight) if self.mode == "award" else max(weight - missing, ZERO)

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        answers = entry.checkpoints
        if answers is None or len(answers) != len(self.checkpoints) or self._out_of_range(answers) is not None:
            return None
        _got, total, missing = self._tally(answers)
        return self._points(weight, total, missing)

    def score(self, ctx: ScoringContext) -> Outcome:
        answers = ctx.entry.checkpoints
        if answers is None:
            return Outcome(None, ("未填写评价要点逐项结果",), status="missing", needs="评价要点逐项结果（checkpoints）")
        if len(answers) != len(self.checkpoints):
            return Outcome(None, (f"评价要点共 {len(self.checkpoints)} 项，数据填写了 {len(answers)} 项，无法对应",), status="error")
        wrong = self._out_of_range(answers)
        if wrong is not None:
            given, allowed = answers[wrong - 1], self.checkpoints[wrong - 1].points
            return Outcome(None, (f"要点 {wrong} 填写得分 {fmt(Decimal(given))} 超出该要点分值 {fmt(allowed)}",), status="error")
        got, total, missing = self._tally(answers)
        score = self._points(ctx.weight, total, missing)
        steps: list[str] = []
        for number, (point, answer, gained) in enumerate(zip(self.checkpoints, answers, got), start=1):
            mark = ("是" if answer else "否") if isinstance(answer, bool) else f"部分满足，{fmt(answer)} 分"
            if self.mode == "award":
                steps.append(f"要点 {number}「{point.text}」：{mark}，得 {points(gained)}")
            else:
                lost = point.points - gained
                steps.append(f"要点 {number}「{point.text}」：{mark}" + (f"，扣 {points(lost)}" if lost else ""))
        if self.mode == "award":
            met = sum(1 for answer in answers if answer is True)
            summary = f"{len(self.checkpoints)} 项评价要点均满足，" if met == len(self.checkpoints) else ""
            steps.append(f"{summary}合计 {points(total)}" + ("" if total <= ctx.weight else f"，以分值 {fmt(ctx.weight)} 分为限"))
            return Outcome(score, tuple(steps))
        if ctx.weight - missing < 0:
            steps.append(f"共扣 {fmt(missing)} 分，扣完为止，得 0 分")
        elif missing == 0:
            steps.append(f"{len(self.checkpoints)} 项评价要点均满足，计满分 {points(score)}")
        else:
            steps.append(f"共扣 {fmt(missing)} 分，得 {points(score)}")
        return Outcome(score, tuple(steps))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        items = "；".join(f"{i}. {c.text}（{fmt(c.points)} 分）" for i, c in enumerate(self.checkpoints, start=1))
        return f"{CHECKLIST_MODES[self.mode]}：{items}"


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


@frozen
class Tier:
    """A judgment tier (达成 / 部分达成 / 未达成) as a share of the weight, in percent."""

    name: str
    low: Decimal
    high: Decimal


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
        tiers = []
        for item in table.tables("tiers", "评定档次"):
            item.check_keys(["name", "from", "to"])
            name = item.string("name", "档次名称")
            lo = item.decimal("from", "档次下限（占分值的百分比）")
            hi = item.decimal("to", "档次上限（占分值的百分比）")
            assert name is not None and lo is not None and hi is not None
            if not 0 <= lo <= hi <= 100:
                raise item.error("档次应满足 0 ≤ from ≤ to ≤ 100（占分值的百分比）")
            tiers.append(Tier(name, lo, hi))
        return cls(low, high, tuple(tiers))

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
            low, high = ctx.weight * tier.low / 100, ctx.weight * tier.high / 100
            return judged(ctx, low, high, f"评定为“{tier.name}”（{fmt(tier.low)}%–{fmt(tier.high)}% 即 {fmt(low)}–{fmt(high)} 分）")
        return judged(ctx, low, high, f"视情评定（{fmt(low)}–{fmt(high)} 分）")

    def describe(self, weight: Decimal, unit: str | None) -> str:
        low, high = self.bounds(weight)
        text = f"由评价人在 {fmt(low)}–{fmt(high)} 分之间评定，须写明理由"
        if self.tiers:
            text += "；档次：" + "，".join(f"{t.name} {fmt(t.low)}–{fmt(t.high)}%" for t in self.tiers)
        return text


@frozen
class ExpressionRule(Rule):
    """Any other rule as a safe expression over the inputs, `value` (measured) and `weight`."""

    kind: ClassVar[str] = "expression"
    title: ClassVar[str] = "表达式"
    needs_value: ClassVar[bool] = False

    expr: Expression

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind", "expr"])
        source = table.string("expr", "计分表达式")
        assert source is not None
        local = {"weight"} | ({"value"} if ctx.has_formula else set())
        return cls(ctx.compile(source, "expr", frozenset(local)))

    def names(self) -> frozenset[str]:
        return self.expr.names - {"value", "weight"}

    def _names(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any]) -> dict[str, Any]:
        # Only the names the expression reads: the unit's inputs can number in the hundreds.
        names: dict[str, Any] = {name: inputs[name] for name in self.expr.names if name in inputs}
        names["weight"] = weight
        if value is not None:
            names["value"] = value
        return names

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        return self.expr.value_or_none(self._names(weight, value, inputs))

    def score(self, ctx: ScoringContext) -> Outcome:
        names = self._names(ctx.weight, ctx.value, ctx.inputs)
        shown = self.expr.substitute(names)
        try:
            result = self.expr.evaluate(names)
        except ZeroDivisionInExpression as exc:
            return Outcome(None, (f"计分表达式 {self.expr.source} 中除数 {exc.divisor} 为 0，无法计算",), status="error")
        except ExpressionInvalid as exc:
            return Outcome(None, (str(exc),), status="error")
        if isinstance(result, bool) or not isinstance(result, Decimal):
            return Outcome(None, (f"计分表达式 {self.expr.source} 的结果不是数值",), status="error")
        return Outcome(result, (f"按表达式计分：{self.expr.source} = {shown} = {fmt(result, 4)} 分",))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return f"按表达式计分：{self.expr.source}"
