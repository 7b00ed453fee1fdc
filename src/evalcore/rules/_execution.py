"""execution (预算执行率): weight × min(执行数 / 全年（调整后）预算数, 1) on a project target form."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from attrs import frozen

from ..model import CONTEXT, BudgetLine, LoadContext, Outcome, Rounding, Rule, ScoringContext, Table, fmt
from ._base import ONE, ZERO

__all__ = ["ExecutionRule"]

HUNDRED = Decimal(100)


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
        exact = CONTEXT.divide(executed * 100, divisor)
        # The rate is a measured value: rounded where the framework declares (value_places), and
        # the rounded rate the trace shows is the one scored.
        rate = self.rounding.apply_value(exact)
        equals = "=" if rate == exact else "≈"
        steps = [f"预算执行率 = 执行数 / {self.divisor_name} × 100% = {fmt(executed)} / {fmt(divisor)} × 100% {equals} {fmt(rate)}%"]
        flags: list[tuple[str, str]] = []
        if self.stated_rate is not None and rate != self.stated_rate:
            flags.append(("stated_mismatch", f"文件所写执行率为 {fmt(self.stated_rate)}%，按执行数 {fmt(executed)} 万元 / {self.divisor_name} {fmt(divisor)} 万元计算为 {fmt(rate)}%"))
        if self.reason_below is not None and rate < self.reason_below and not self.reason:
            flags.append(("reason_missing", f"预算执行率 {fmt(rate)}% 低于 {fmt(self.reason_below)}%，须说明原因（budget.reason）"))
        if not self.scored:
            steps.append("本表不计分")
            return Outcome(ZERO, tuple(steps), value=rate, flags=tuple(flags))
        score = ctx.weight * min(CONTEXT.divide(rate, HUNDRED), ONE)
        if self.reason:
            steps.append(f"原因说明：{self.reason}")
        steps.append(f"{fmt(ctx.weight)} × min({fmt(rate)}%, 100%) = {fmt(score)} 分")
        return Outcome(score, tuple(steps), value=rate, flags=tuple(flags))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return f"{fmt(weight)} × min(执行数 / {self.divisor_name}, 1)"


