"""expression (表达式): any other rule as a safe expression over the inputs, value and weight."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from ..model import Expression, ExpressionInvalid, IndicatorEntry, LoadContext, Outcome, Rule, ScoringContext, Table, ZeroDivisionInExpression, fmt, frozen

__all__ = ["ExpressionRule"]


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
