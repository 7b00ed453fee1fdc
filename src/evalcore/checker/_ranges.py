"""The values a formula can give when every input lies in its declared domain: interval arithmetic
over the expression, so that a counterexample is only ever a value some unit's data can produce.

The range is an over-approximation (a value outside it is certainly unreachable; one inside it may
not be reachable): a check that leaves out a probe outside the range never hides a real defect.
"""

from __future__ import annotations

import ast
import decimal
from collections.abc import Callable, Mapping
from decimal import Decimal

from ..model import Domain, Expression, Framework, Indicator, frozen

__all__ = ["ValueRange", "input_domains", "value_range"]

INF = Decimal("Infinity")
_ZERO = Decimal(0)
# Infinite bounds: no traps, so that ∞ − ∞ becomes NaN (caught below) rather than an exception.
_CONTEXT = decimal.Context(prec=34, traps=[])


@frozen
class ValueRange:
    """Closed bounds (−∞ and ∞ when unbounded) and whether only whole numbers occur."""

    low: Decimal = -INF
    high: Decimal = INF
    integer: bool = False

    def contains(self, value: Decimal) -> bool:
        return self.low <= value <= self.high and (not self.integer or value == value.to_integral_value())

    @classmethod
    def of(cls, domain: Domain) -> ValueRange:
        return cls(-INF if domain.min is None else domain.min, INF if domain.max is None else domain.max, domain.integer)


_ANY = ValueRange()


def input_domains(framework: Framework) -> dict[str, Domain]:
    """Each input's domain by its id, the name formulas use."""
    return {spec.id: spec.domain for spec in framework.inputs}


def value_range(indicator: Indicator, domains: Mapping[str, Domain]) -> ValueRange:
    """The measured values the indicator's formula can give; anything, when it has no formula."""
    if indicator.formula is None:
        return _ANY
    return expression_range(indicator.formula, {name: ValueRange.of(domain) for name, domain in domains.items()})


def expression_range(expression: Expression, ranges: Mapping[str, ValueRange]) -> ValueRange:
    try:
        result = _range(expression.tree.body, ranges)
    except (decimal.DecimalException, ArithmeticError, ValueError):
        return _ANY
    if result.low.is_nan() or result.high.is_nan():
        return _ANY
    return result


def _product(a: Decimal, b: Decimal) -> Decimal:
    # 0 × ∞ is 0 for the bound of a product of intervals.
    if a == 0 or b == 0:
        return _ZERO
    return _CONTEXT.multiply(a, b)


def _span(values: list[Decimal], integer: bool = False) -> ValueRange:
    if any(v.is_nan() for v in values):
        return _ANY
    return ValueRange(min(values), max(values), integer)


def _range(node: ast.AST, ranges: Mapping[str, ValueRange]) -> ValueRange:
    if isinstance(node, ast.Constant) and isinstance(node.value, Decimal):
        return ValueRange(node.value, node.value, node.value == node.value.to_integral_value())
    if isinstance(node, ast.Name):
        return ranges.get(node.id, _ANY)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _range(node.operand, ranges)
        return inner if isinstance(node.op, ast.UAdd) else ValueRange(-inner.high, -inner.low, inner.integer)
    if isinstance(node, ast.BinOp):
        return _binary(node.op, _range(node.left, ranges), _range(node.right, ranges))
    if isinstance(node, ast.IfExp):
        body, orelse = _range(node.body, ranges), _range(node.orelse, ranges)
        return ValueRange(min(body.low, orelse.low), max(body.high, orelse.high), body.integer and orelse.integer)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CALLS:
        args = [_range(arg, ranges) for arg in node.args]
        return _CALLS[node.func.id](args)
    return _ANY


def _binary(op: ast.operator, a: ValueRange, b: ValueRange) -> ValueRange:
    whole = a.integer and b.integer
    if isinstance(op, ast.Add):
        return _span([_CONTEXT.add(a.low, b.low), _CONTEXT.add(a.high, b.high)], whole)
    if isinstance(op, ast.Sub):
        return _span([_CONTEXT.subtract(a.low, b.high), _CONTEXT.subtract(a.high, b.low)], whole)
    if isinstance(op, ast.Mult):
        return _span([_product(x, y) for x in (a.low, a.high) for y in (b.low, b.high)], whole)
    if isinstance(op, ast.Div):
        # A zero divisor gives no value (the framework's fallback, or missing), so only its sign
        # matters: a divisor that can be both signs, or 0 inside, leaves the quotient unbounded.
        if b.low < 0 < b.high or (b.low == 0 and b.high == 0):
            return _ANY
        low, high = b.low, b.high
        reciprocal = [INF if low == 0 else _CONTEXT.divide(1, low), _ZERO if high.is_infinite() else _CONTEXT.divide(1, high)]
        if high == 0:  # a non-positive divisor: reciprocals from −∞ to 1 / low
            reciprocal = [-INF, _ZERO if low.is_infinite() else _CONTEXT.divide(1, low)]
        inverse = _span(reciprocal)
        return _binary(ast.Mult(), a, ValueRange(inverse.low, inverse.high))
    return _ANY


def _round_call(args: list[ValueRange]) -> ValueRange:
    # round, ceil and floor move a value by less than 1.
    inner = args[0]
    return ValueRange(_CONTEXT.subtract(inner.low, 1), _CONTEXT.add(inner.high, 1))


def _abs(args: list[ValueRange]) -> ValueRange:
    inner = args[0]
    if inner.low >= 0:
        return inner
    if inner.high <= 0:
        return ValueRange(-inner.high, -inner.low, inner.integer)
    return ValueRange(_ZERO, max(-inner.low, inner.high), inner.integer)


_CALLS: Mapping[str, Callable[[list[ValueRange]], ValueRange]] = {
    "min": lambda args: ValueRange(min(a.low for a in args), min(a.high for a in args), all(a.integer for a in args)),
    "max": lambda args: ValueRange(max(a.low for a in args), max(a.high for a in args), all(a.integer for a in args)),
    "abs": _abs,
    "round": _round_call,
    "ceil": _round_call,
    "floor": _round_call,
}
