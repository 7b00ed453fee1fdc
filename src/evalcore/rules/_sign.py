"""sign (正负号计分): > 0, = 0 and < 0 each give a score or a judgment."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from ..model import IndicatorEntry, LoadContext, Outcome, Rule, ScoringContext, Table, fmt, frozen
from ._base import Branch, quantity, read_judgment

__all__ = ["SignRule"]


@frozen
class SignRule(Rule):
    """>0 / =0 / <0 give three scores (三公经费变动率: 大于0计0分，等于0计0.5分，小于0计1分)."""

    kind: ClassVar[str] = "sign"
    title: ClassVar[str] = "正负号计分"

    positive: Branch
    zero: Branch
    negative: Branch

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind", "positive", "zero", "negative"])

        def branch(key: str, what: str) -> Branch:
            value = table.raw(key)
            if value is None:
                raise table.error(f"缺少必填项“{key}”（{what}的得分，数字或 {{ judgment = [最低, 最高] }}）")
            if isinstance(value, Mapping):
                sub = table.table(key, what)
                assert sub is not None
                sub.check_keys(["judgment"])
                return read_judgment(sub, "judgment")
            return Branch(score=table.decimal(key, f"{what}的得分"))

        return cls(branch("positive", "大于 0 时"), branch("zero", "等于 0 时"), branch("negative", "小于 0 时"))

    def _branch(self, value: Decimal) -> tuple[Branch, str]:
        if value > 0:
            return self.positive, "大于 0"
        if value == 0:
            return self.zero, "等于 0"
        return self.negative, "小于 0"

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        # A judgment branch has no score of its own: None, and `score` asks for the evaluator's.
        # A value that rounds to 0 may be a small change of either sign: `score` reads its sign.
        return None if value is None or value == 0 else self._branch(value)[0].score

    def score(self, ctx: ScoringContext) -> Outcome:
        value = ctx.value
        assert value is not None
        exact = ctx.exact
        if value == 0 and exact is not None and exact != 0:
            # The sign of a change is exact: 2.4699 against 2.47 is a decrease, however small.
            branch, word = self._branch(exact)
            shown = f"{fmt(exact.quantize(Decimal(1).scaleb(exact.adjusted() - 1)))}{ctx.unit or ''}"
            return branch.outcome(ctx, f"{quantity(value, ctx.unit)} 是舍入后的值，按计算值 {shown} {word}")
        branch, word = self._branch(value)
        return branch.outcome(ctx, f"{quantity(value, ctx.unit)} {word}")

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return f"大于 0 计 {self.positive.describe()}；等于 0 计 {self.zero.describe()}；小于 0 计 {self.negative.describe()}"
