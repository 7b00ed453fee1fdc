"""execution (预算执行率): weight × min(执行数 / 全年（调整后）预算数, 1) on a project target form."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from attrs import evolve

from ..model import CONTEXT, BudgetLine, LoadContext, Outcome, Rounding, Rule, ScoringContext, Table, fmt, frozen, stated_as_percent
from ._base import ONE, ZERO, written

__all__ = ["ExecutionRule"]

HUNDRED = Decimal(100)
# 执行数 this many times its budget is no spending that happened: a figure in 元 typed as 万元.
IMPLAUSIBLE = Decimal(1000)
YUAN_PER_WAN = Decimal(10_000)


@frozen
class ExecutionRule(Rule):
    """预算执行率: weight × min(执行数 / 全年（调整后）预算数, 1)."""

    kind: ClassVar[str] = "execution"
    title: ClassVar[str] = "预算执行率"
    needs_value: ClassVar[bool] = False

    budget: BudgetLine
    divisor_name: str
    stated_rate: Decimal | None
    reason_below: Decimal | None
    reason: str | None
    scored: bool
    rounding: Rounding = Rounding()  # the framework's: the rate is rounded to its value_places
    stated_rate_bare: bool = False  # stated_rate written without %: 1 may mean 100%

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        raise table.error("“execution”规则由项目支出绩效自评表生成，不能写在规则文件中", "kind")

    def score(self, ctx: ScoringContext) -> Outcome:
        executed, divisor = self.budget.executed, self.budget.divisor(self.divisor_name)
        if executed is None or divisor is None:
            missing = "执行数" if executed is None else self.divisor_name
            other = "全年预算数" if self.divisor_name == "调整后预算数" else "调整后预算数"
            note = f"（本表按{self.divisor_name}计算执行率，填写的{other}不能代替）" if divisor is None and self.budget.divisor(other) is not None else ""
            return Outcome(None, (f"缺少{missing}，无法计算预算执行率{note}",), status="missing", needs=missing)
        if divisor == 0:
            return Outcome(None, (f"{self.divisor_name}为 0，无法计算预算执行率",), status="missing", needs=f"不为 0 的{self.divisor_name}", flags=(("division_by_zero", f"{self.divisor_name}为 0"),))
        typed = self._rated(ctx, executed, divisor)
        times = CONTEXT.divide(executed, divisor)
        if times <= ONE:
            return typed
        flags = (*typed.flags, ("over_budget", self._over_budget(executed, divisor, typed.value, times)))
        bare = self.budget.executed_in_question
        if times < IMPLAUSIBLE or not bare:
            return evolve(typed, flags=flags)
        # Spent a thousand times the budget: more likely a figure in 元 typed where 万元 is asked
        # (the whole 执行数, or the sources' figures written without a unit). As with a percent
        # typed as a fraction, the row is questioned (待核实) where the two readings score apart,
        # and scored as typed where they agree.
        in_yuan = self._rated(ctx, executed - bare + CONTEXT.divide(bare, YUAN_PER_WAN), divisor)
        if in_yuan.score == typed.score:
            return evolve(typed, flags=flags)
        who = "执行数" if self.budget.executed_bare else f"{'、'.join(self.budget.bare_names)}的执行数"
        as_wan, as_yuan = f"{fmt(bare)}万元", f"{fmt(bare)}元"
        typed_points, yuan_points = (self._points(o) for o in (typed, in_yuan))
        steps = (
            f"{who}填写为 {fmt(bare)}，没有写单位：按万元计，执行数是{self.divisor_name} {fmt(divisor)} 万元的{_times(times)}倍；"
            f"也可能是以元计的 {as_yuan}（{fmt(CONTEXT.divide(bare, YUAN_PER_WAN))} 万元）",
            f"按 {as_wan} 计：{'；'.join(self._reading(typed))}",
            f"按 {as_yuan} 计：{'；'.join(self._reading(in_yuan))}",
            f"两种读法得分不同（{typed_points} / {yuan_points}），该指标待核实，暂不计分；请在数据中写明单位，如 \"{as_yuan}\" 或 \"{as_wan}\"",
        )
        message = f"{who}填写为 {fmt(bare)}（没有写单位）：按 {as_wan} 计 {typed_points}，按 {as_yuan} 计 {yuan_points}；请核实后写明单位"
        return Outcome(
            None,
            steps,
            status="questioned",
            flags=(*flags, ("questioned", message)),
            readings=((f"按 {as_wan} 计", typed.score), (f"按 {as_yuan} 计", in_yuan.score)),
        )

    def _rated(self, ctx: ScoringContext, executed: Decimal, divisor: Decimal) -> Outcome:
        """The rate and its points for one reading of 执行数 (in 万元)."""
        exact = CONTEXT.divide(executed * 100, divisor)
        # The rate is a measured value: rounded where the framework declares (value_places), and
        # the rounded rate the trace shows is the one scored.
        rate = self.rounding.apply_value(exact)
        equals = "=" if rate == exact else "≈"
        steps = [f"预算执行率 = 执行数 / {self.divisor_name} × 100% = {fmt(executed)} / {fmt(divisor)} × 100% {equals} {fmt(rate)}%"]
        flags: list[tuple[str, str]] = []
        if self.stated_rate is not None and rate != self.stated_rate:
            as_percent = stated_as_percent(self.stated_rate, self.stated_rate_bare, "%")
            computed = f"按执行数 {fmt(executed)} 万元 / {self.divisor_name} {fmt(divisor)} 万元计算为 {fmt(rate)}%"
            if as_percent is None:
                flags.append(("stated_mismatch", f"文件所写执行率为 {fmt(self.stated_rate)}%，{computed}"))
            elif as_percent != rate:
                written = fmt(self.stated_rate)
                flags.append(("stated_mismatch", f"文件所写执行率为 {written}（没有写 %，按 {written}% 或 {fmt(as_percent)}% 理解都不符），{computed}"))
        if self.reason_below is not None and rate < self.reason_below and not self.reason:
            flags.append(("reason_missing", f"预算执行率 {fmt(rate)}% 低于 {fmt(self.reason_below)}%，须说明原因（budget.reason）"))
        if not self.scored:
            steps.append("本表不计分")
            return Outcome(ZERO, tuple(steps), value=rate, flags=tuple(flags))
        score = ctx.weight * min(CONTEXT.divide(rate, HUNDRED), ONE)
        if self.reason:
            steps.append(f"原因说明：{self.reason}")
        if rate > HUNDRED:
            steps.append(f"执行率超过100%的按100%计：{fmt(ctx.weight)} × 100% = {fmt(score)} 分")
        else:
            steps.append(f"{fmt(ctx.weight)} × {fmt(rate)}% = {fmt(score)} 分")
        return Outcome(score, tuple(steps), value=rate, flags=tuple(flags))

    def _points(self, outcome: Outcome) -> str:
        return f"{fmt(self.rounding.apply(outcome.score))} 分" if outcome.score is not None else "不计分"

    def _reading(self, outcome: Outcome) -> list[str]:
        """One reading's steps, ending, like a leaf's trace, with the rounding of its points."""
        steps = written(outcome.steps)
        if outcome.score is not None and self.rounding.apply(outcome.score) != outcome.score:
            steps.append(self.rounding.explain(outcome.score, self.rounding.apply(outcome.score)))
        return steps

    def _over_budget(self, executed: Decimal, divisor: Decimal, rate: Decimal | None, times: Decimal) -> str:
        message = f"执行数 {fmt(executed)} 万元超过{self.divisor_name} {fmt(divisor)} 万元（执行率 {fmt(rate)}%）"
        if times >= IMPLAUSIBLE:
            bare = self.budget.executed_in_question
            # Name the figure that may be in 元: the bare sources' when only they were typed bare.
            figure = executed if bare is None or self.budget.executed_bare else bare
            who = f"{'、'.join(self.budget.bare_names)}的执行数 " if figure is not executed else ""
            in_yuan = fmt(CONTEXT.divide(figure, YUAN_PER_WAN))
            message += f"，是{self.divisor_name}的{_times(times)}倍：多半是单位填错，如把以元计的数填成了万元（{who}{fmt(figure)} 元 = {in_yuan} 万元）"
        return message + "；请核对"

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return f"{fmt(weight)} × 预算执行率（执行数 / {self.divisor_name}，执行率超过100%的按100%计）"


def _times(ratio: Decimal) -> str:
    """How many times the budget, spaced for a sentence: exact when whole (" 10000 "), else about ("约 9346 ")."""
    return f" {fmt(ratio)} " if ratio == ratio.to_integral_value() else f"约 {fmt(ratio, 0)} "
