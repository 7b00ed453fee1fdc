"""Rules scored in columns: a leaf's points from its rounded measured value (integers of
10^-value_places, a table of leaves by units) in exact integers (see docs/engine.md, "Compiled
scoring"). Thresholds, bounds, weights and targets are scaled to integers alike; a ratio is rounded
by integer division with its remainder; a tie the reference could round either way (its ratio
rounded to 34 digits first) marks the unit for the Decimal way, as do no band or several, a
judgment branch, a value of 0 for a sign rule and any product that could overflow.
"""

from __future__ import annotations

import ast
import decimal
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..model import CONTEXT, Expression, Framework, Indicator
from ..rules import BandsRule, DeductRule, ExpressionRule, ProportionalRule, SignRule
from ._columns import KMAX, LIMIT, MAX_PLACES, Declined, Env, places_of, scaled

__all__ = ["Points", "rule_points"]



Points = Callable[[Env, Any], Any]


def rule_points(indicator: Indicator, framework: Framework) -> Points:
    """The leaf's rule in integers (see the module's docstring); Declined where it has none."""
    rule, kind = indicator.rule, type(indicator.rule)
    with decimal.localcontext(CONTEXT):
        if kind is DeductRule:
            return _deduct(rule, indicator.weight, framework)  # type: ignore[arg-type]
        if kind is BandsRule:
            return _bands(rule, framework)  # type: ignore[arg-type]
        if kind is ProportionalRule:
            return _proportional(rule, indicator.weight, framework)  # type: ignore[arg-type]
        if kind is SignRule:
            return _sign(rule, framework)  # type: ignore[arg-type]
        if kind is ExpressionRule:
            return _expression(rule.expr, indicator.weight, framework)  # type: ignore[attr-defined]
    raise Declined


def _rescale(env: Env, k: Any, by: int) -> Any:
    """Integers of 10^-p as integers of 10^-(p + by); units whose figure would overflow are bad."""
    if by == 0:
        return k
    np = env.np
    factor = 10**by
    env.mark(np.abs(k.astype(float)) * factor >= LIMIT)
    return k * factor


def _to_places(env: Env, score: Any, scale: int, places: int, mode: str) -> Any:
    """Exact decimal points (integers of 10^-scale, not negative) rounded to `places` by `mode`."""
    np = env.np
    if scale <= places:
        return score * 10 ** (places - scale)
    div = 10 ** (scale - places)
    whole, rest = np.floor_divide(score, div), np.remainder(score, div)
    if mode == "half-up":
        return whole + (2 * rest >= div)
    if mode == "half-even":
        return whole + ((2 * rest > div) | ((2 * rest == div) & (whole % 2 == 1)))
    return whole if mode == "down" else whole + (rest > 0)


def _ratio_to_places(env: Env, numerator: Any, denominator: Any, mode: str, rows: Any, exact: bool = False) -> Any:
    """numerator / denominator (not negative, denominator > 0) rounded by `mode` to a whole number.
    Unless the reference computes the ratio `exact`ly (a divisor of only 2s and 5s), it rounds it to
    34 digits first: where the exact ratio is a tie (or, for down and up, a whole number) it could
    go either way there, and the unit is marked bad."""
    np = env.np
    safe = np.where(denominator > 0, denominator, 1)
    whole, rest = np.floor_divide(numerator, safe), np.remainder(numerator, safe)
    env.mark(rows & (denominator <= 0))
    if mode in ("half-up", "half-even"):
        if not exact:
            env.mark(rows & (2 * rest == safe))
        tie = 2 * rest == safe
        up = (2 * rest > safe) | (tie & (whole % 2 == 1)) if mode == "half-even" else 2 * rest >= safe
        return whole + up
    if not exact:
        env.mark(rows & (rest == 0))
    return whole if mode == "down" else whole + (rest > 0)


def _decimal_divisor(number: int) -> bool:
    """Whether 1 / number is a terminating decimal (number has no prime factor but 2 and 5)."""
    for factor in (2, 5):
        while number and number % factor == 0:
            number //= factor
    return number == 1


def _product(env: Env, a: Any, b: Any, rows: Any = True) -> Any:
    """a × b in int64; units (among `rows`) where it could overflow are bad."""
    np = env.np
    env.mark(rows & (np.abs(np.asarray(a, dtype=float)) * np.abs(np.asarray(b, dtype=float)) >= LIMIT))
    return a * b


def _deduct(rule: DeductRule, weight: Decimal, framework: Framework) -> Points:
    if rule.count == "pro-rata":
        raise Declined
    p, places, mode = framework.rounding.value_places, framework.rounding.places, framework.rounding.mode
    cut = rule._cut
    scale = max(p, places_of(rule.threshold), places_of(rule.per), places_of(cut) if cut is not None else 0)
    threshold, per = scaled(rule.threshold, scale), scaled(rule.per, scale)
    limit = scaled(cut, scale) if cut is not None else None
    score_scale = max(places_of(weight), places_of(rule.points))
    full, step = scaled(weight, score_scale), scaled(rule.points, score_scale)
    direction, started = rule.direction, rule.count == "started"
    most = (KMAX * 10 ** (scale - p) + abs(threshold)) // per + 1
    safe = most * abs(step) < LIMIT

    def points(env: Env, k: Any) -> Any:
        np = env.np
        value = _rescale(env, k, scale - p)
        distance = {"over": lambda: value - threshold, "under": lambda: threshold - value, "both": lambda: np.abs(value - threshold)}[direction]()
        steps = -np.floor_divide(-distance, per) if started else np.floor_divide(distance, per)
        # |k| < KMAX: the steps times the points stay far inside int64 unless the rule is extreme.
        remaining = full - (np.maximum(steps, 0) * step if safe else _product(env, np.maximum(steps, 0), step))
        score = np.where(distance <= 0, full, np.where(remaining >= 0, remaining, 0))
        if limit is not None:
            score = np.where((distance > 0) & (distance > limit), 0, score)
        return _to_places(env, score, score_scale, places, mode)

    return points


def _award(score: Decimal | None, framework: Framework) -> int | None:
    """A fixed award as the reference rounds it, in integers of 10^-places; None for a judgment."""
    if score is None:
        return None
    return scaled(framework.rounding.apply(score), framework.rounding.places)


def _bands(rule: BandsRule, framework: Framework) -> Points:
    p = framework.rounding.value_places
    bounds = [b for band in rule.bands for b in (band.lower, band.upper) if b is not None]
    scale = max([p, *(places_of(b) for b in bounds)])
    tests = [
        (None if band.lower is None else (scaled(band.lower, scale), band.lower_inclusive), None if band.upper is None else (scaled(band.upper, scale), band.upper_inclusive))
        for band in rule.bands
    ]
    awards = [_award(band.award.score, framework) for band in rule.bands]

    def points(env: Env, k: Any) -> Any:
        np = env.np
        value = _rescale(env, k, scale - p)
        conditions = []
        for lower, upper in tests:
            inside = np.ones(k.shape, dtype=bool)
            if lower is not None:
                inside &= (value >= lower[0]) if lower[1] else (value > lower[0])
            if upper is not None:
                inside &= (value <= upper[0]) if upper[1] else (value < upper[0])
            conditions.append(inside)
        # No band, several bands, or a band the evaluator scores: the Decimal way reports it.
        env.mark(sum(c.astype(np.int64) for c in conditions) != 1)
        for condition, award in zip(conditions, awards):
            if award is None:
                env.mark(condition)
        return np.select(conditions, [award or 0 for award in awards], 0)

    return points


def _proportional(rule: ProportionalRule, weight: Decimal, framework: Framework) -> Points:
    p, places, mode = framework.rounding.value_places, framework.rounding.places, framework.rounding.mode
    scale = max(p, places_of(rule.target))
    target = scaled(rule.target, scale)
    weight_scale = places_of(weight)
    full = scaled(weight, weight_scale)
    full_points = _award(weight, framework)
    reverse = rule.reverse
    # value / target is exact in the reference where the target (in 10^-scale) divides into a
    # terminating decimal; weight × it is exact too, and a tie is then a tie there as well.
    exact = _decimal_divisor(target)

    def points(env: Env, k: Any) -> Any:
        np = env.np
        value = _rescale(env, k, scale - p)
        lift = 10**places
        if not reverse:
            # weight × value / target, exact: (full × value × 10^places) / (target × 10^weight_scale)
            rows = (value > 0) & (value < target)
            numerator = _product(env, np.where(rows, value, 0), full * lift, rows)
            share = _ratio_to_places(env, numerator, np.full(k.shape, target * 10**weight_scale, dtype=np.int64), mode, rows, exact)
            return np.where(value <= 0, 0, np.where(value >= target, full_points, share))
        rows = value > target
        numerator = np.full(k.shape, full * target * lift, dtype=np.int64)
        share = _ratio_to_places(env, numerator, _product(env, np.where(rows, value, 1), 10**weight_scale, rows), mode, rows)
        return np.where(rows, share, full_points)

    if abs(full * target * 10**places) >= LIMIT or abs(target * 10**weight_scale) >= LIMIT or full_points is None:
        raise Declined
    return points


def _sign(rule: SignRule, framework: Framework) -> Points:
    positive, negative = _award(rule.positive.score, framework), _award(rule.negative.score, framework)

    def points(env: Env, k: Any) -> Any:
        np = env.np
        # A value that rounds to 0 may be a small change of either sign: the Decimal way reads it.
        env.mark(k == 0)
        if positive is None:
            env.mark(k > 0)
        if negative is None:
            env.mark(k < 0)
        return np.where(k > 0, positive or 0, negative or 0)

    return points


# ---------------------------------------------------------------------------------------------
# An expression rule over value, weight and numbers, in exact integers
# ---------------------------------------------------------------------------------------------

Scaled = tuple[Callable[[Env, Any], Any], int]  # (env, k) -> integers of 10^-scale, and the scale


def _expression(expr: Expression, weight: Decimal, framework: Framework) -> Points:
    p, places, mode = framework.rounding.value_places, framework.rounding.places, framework.rounding.mode
    weight_scale = places_of(weight)
    weight_number = scaled(weight, weight_scale)

    def number(node: ast.AST) -> Scaled:
        if isinstance(node, ast.Constant) and isinstance(node.value, Decimal):
            scale = places_of(node.value)
            constant = scaled(node.value, scale)
            return (lambda env, k: constant), scale
        if isinstance(node, ast.Name) and node.id == "value":
            return (lambda env, k: k), p
        if isinstance(node, ast.Name) and node.id == "weight":
            return (lambda env, k: weight_number), weight_scale
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            (left, ls), (right, rs) = number(node.left), number(node.right)
            scale = max(ls, rs)
            subtract = isinstance(node.op, ast.Sub)

            def add(env: Env, k: Any) -> Any:
                a, b = _lift(env, left(env, k), scale - ls), _lift(env, right(env, k), scale - rs)
                return a - b if subtract else a + b

            return add, scale
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            (left, ls), (right, rs) = number(node.left), number(node.right)
            return (lambda env, k: _product(env, left(env, k), right(env, k))), _bounded(ls + rs)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand, scale = number(node.operand)
            if isinstance(node.op, ast.UAdd):
                return operand, scale
            return (lambda env, k: -operand(env, k)), scale
        if isinstance(node, ast.IfExp):
            test = truth(node.test)
            (body, bs), (other, os) = number(node.body), number(node.orelse)
            scale = max(bs, os)
            return (lambda env, k: env.np.where(test(env, k), _lift(env, body(env, k), scale - bs), _lift(env, other(env, k), scale - os))), scale
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return call(node.func.id, [number(arg) for arg in node.args])
        raise Declined

    def call(name: str, args: list[Scaled]) -> Scaled:
        if name == "abs" and len(args) == 1:
            operand, scale = args[0]
            return (lambda env, k: env.np.abs(operand(env, k))), scale
        if name in ("ceil", "floor") and len(args) == 1:
            operand, scale = args[0]
            div = 10**scale
            if name == "ceil":
                return (lambda env, k: -env.np.floor_divide(-operand(env, k), div)), 0
            return (lambda env, k: env.np.floor_divide(operand(env, k), div)), 0
        if name in ("min", "max") and len(args) >= 2:
            scale = max(s for _, s in args)

            def pick(env: Env, k: Any) -> Any:
                chosen = env.np.minimum if name == "min" else env.np.maximum
                result = _lift(env, args[0][0](env, k), scale - args[0][1])
                for operand, s in args[1:]:
                    result = chosen(result, _lift(env, operand(env, k), scale - s))
                return result

            return pick, scale
        raise Declined

    def truth(node: ast.AST) -> Callable[[Env, Any], Any]:
        if isinstance(node, ast.Compare):
            parts = [number(node.left), *(number(c) for c in node.comparators)]
            operators = [type(op) for op in node.ops]

            def compare(env: Env, k: Any) -> Any:
                np = env.np
                result = np.ones(k.shape, dtype=bool)
                for (left, ls), operator, (right, rs) in zip(parts, operators, parts[1:]):
                    scale = max(ls, rs)
                    a, b = _lift(env, left(env, k), scale - ls), _lift(env, right(env, k), scale - rs)
                    result &= _COMPARE[operator](a, b)
                return result

            return compare
        if isinstance(node, ast.BoolOp):
            values = [truth(v) for v in node.values]
            both = isinstance(node.op, ast.And)

            def combine(env: Env, k: Any) -> Any:
                result = values[0](env, k)
                for value in values[1:]:
                    result = (result & value(env, k)) if both else (result | value(env, k))
                return result

            return combine
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = truth(node.operand)
            return lambda env, k: ~inner(env, k)
        raise Declined

    result, scale = number(expr.tree.body)

    def points(env: Env, k: Any) -> Any:
        np = env.np
        score = np.broadcast_to(np.asarray(result(env, k), dtype=np.int64), k.shape)
        env.mark(score < 0)  # out of range: the Decimal way reports the defect
        return _to_places(env, np.maximum(score, 0), scale, places, mode)

    return points


_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}


def _lift(env: Env, values: Any, by: int) -> Any:
    if by == 0:
        return values
    np = env.np
    env.mark(np.abs(np.asarray(values, dtype=float)) * 10**by >= LIMIT)
    return values * 10**by


def _bounded(scale: int) -> int:
    if scale > MAX_PLACES:
        raise Declined
    return scale
