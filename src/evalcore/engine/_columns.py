"""Leaves scored in columns: a formula and its rule computed for a whole batch of units at once
with numpy, exactly (see docs/engine.md, "Compiled scoring").

A formula of + - * / min max abs over the inputs is computed in binary floating point together
with a bound on its error (each input is read correctly rounded, each operation adds half an ulp,
and the reference's own rounding to 34 digits adds less than 1e-32 of each result). The value is
rounded to the framework's value_places only where the bound proves on which side of every
rounding boundary the exact value lies, and therefore the reference's Decimal value too; else the
unit is scored the Decimal way. From there on everything is integers: the measured value as a
whole number of 0.01 (value_places), thresholds, bounds and weights scaled alike, a ratio rounded
by integer division with its remainder, a tie (12.345, and any result the reference could round
either way) handed to the Decimal way.
"""

from __future__ import annotations

import ast
import decimal
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..model import CONTEXT, Expression, Framework, Indicator
from ..rules import BandsRule, DeductRule, ExpressionRule, ProportionalRule, SignRule

__all__ = ["Env", "Plan", "U"]

U = 2.0**-52  # a whole ulp of a double: a generous bound on one operation's relative error
R = 1e-32  # the reference's relative rounding error per operation (34 digits) is below this
LIMIT = 2.0**62  # products of int64 columns stay below it
MAX_PLACES = 12
NUMERIC = ("number", "count", "percent", "money")


class Env:
    """One batch: the numpy module, the number of units, the columns (value and error bound, leaves
    by units) of the formula being computed, and the units that cannot be scored exactly."""

    def __init__(self, np: Any, n: int) -> None:
        self.np = np
        self.n = n
        self.columns: list[Any] = []
        self.bad = np.zeros(n, dtype=bool)

    def mark(self, where: Any) -> None:
        """Units that cannot be scored exactly in columns: a row of units, or a table of leaves
        by units (any leaf marks its unit)."""
        where = self.np.asarray(where)
        if where.ndim == 2:
            where = where.any(axis=0)
        self.bad |= where


class _Declined(Exception):
    """This leaf is not scored in columns (it is scored the Decimal way for every unit)."""


def _places(value: Decimal) -> int:
    exponent = value.normalize(CONTEXT).as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def _scaled(value: Decimal, places: int) -> int:
    """`value` as a whole number of 10^-places; declined where that is not exact or too large."""
    if _places(value) > places or places > MAX_PLACES:
        raise _Declined
    number = int(value.scaleb(places, CONTEXT))
    if abs(number) >= 2**52:
        raise _Declined
    return number


class Plan:
    """A framework's leaves scored in columns. Leaves whose formulas have one shape (the same
    operations and numbers over different inputs: 输入1 / 输入2 * 100 and 输入3 / 输入4 * 100) are
    computed together, as a table of leaves by units; so are leaves with one rule and weight.

    `numbers`: the leaves in columns (by their number in the framework), in slot order;
    `names`: the inputs they read."""

    def __init__(self, framework: Framework) -> None:
        numeric = {spec.id for spec in framework.inputs if spec.type in NUMERIC}
        self.rounding = framework.rounding
        formulas: dict[str, tuple[Callable[[Env], Column], list[int], list[tuple[str, ...]]]] = {}
        rules: dict[Any, tuple[Points, int, list[int]]] = {}
        numbers: list[int] = []
        for number, indicator in enumerate(framework.leaves()):
            if indicator.formula is None or indicator.rule.names():
                continue
            try:
                slots: dict[str, int] = {}
                formula = _formula(indicator.formula, numeric, slots)
                points = _rule(indicator, framework)
                weight = _scaled(indicator.weight, self.rounding.places)
            except _Declined:
                continue
            slot = len(numbers)
            numbers.append(number)
            shape = _shape(indicator.formula.tree, slots)
            formulas.setdefault(shape, (formula, [], []))
            formulas[shape][1].append(slot)
            formulas[shape][2].append(tuple(sorted(slots, key=slots.__getitem__)))
            key = _rule_key(indicator, slot)
            rules.setdefault(key, (points, weight, []))[2].append(slot)
        self.numbers = numbers
        self.names = sorted({name for _f, _s, reads in formulas.values() for names in reads for name in names})
        position = {name: j for j, name in enumerate(self.names)}
        self.formulas = [(formula, slots, [[position[name] for name in names] for names in zip(*reads)]) for formula, slots, reads in formulas.values()]
        self.rules = list(rules.values())

    def run(self, env: Env, table: Any, exact: Callable[[int, int], int | None]) -> tuple[Any, Any]:
        """(points, measured values) as integers of 10^-places and 10^-value_places, a row per
        leaf in columns and a column per unit, from `table` (a row per input, a column per unit);
        units any leaf cannot score exactly are marked. A value the bound does not prove is taken
        from `exact(slot, row)`, the Decimal way's (None: that unit is marked)."""
        np = env.np
        size = (len(self.numbers), env.n)
        values = np.zeros(size, dtype=np.int64)
        scores = np.zeros(size, dtype=np.int64)
        value_places, mode = self.rounding.value_places, self.rounding.mode
        with np.errstate(all="ignore"):
            # Figures beyond what a double holds with its full precision (never a checked input):
            # the Decimal way.
            magnitude = np.abs(table)
            env.mark((magnitude != 0) & ~((magnitude > 1e-250) & (magnitude < 1e250)))
            for formula, slots, columns in self.formulas:
                env.columns = [table[column] for column in columns]
                x, e = formula(env)
                shape = (len(slots), env.n)
                x = np.broadcast_to(np.asarray(x, dtype=float), shape)
                k, unproved = _round_value(env, x, e if isinstance(e, float) else np.broadcast_to(e, shape), value_places, mode)
                for leaf, row in zip(*np.nonzero(unproved)):
                    if not env.bad[row]:
                        figure = exact(slots[leaf], int(row))
                        if figure is None or not -KMAX < figure < KMAX:
                            env.bad[row] = True
                        else:
                            k[leaf, row] = figure
                values[slots] = k
            for points, weight, slots in self.rules:
                score = points(env, values[slots])
                env.mark((score < 0) | (score > weight))
                scores[slots] = score
        return scores, values


def _shape(tree: ast.AST, slots: dict[str, int]) -> str:
    """The formula with each input replaced by its slot: one key for formulas computed alike."""

    class Slotted(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            return ast.Name(id=f"_{slots[node.id]}" if node.id in slots else node.id, ctx=ast.Load())

    import copy

    return ast.dump(Slotted().visit(copy.deepcopy(tree)))


def _rule_key(indicator: Indicator, slot: int) -> Any:
    """Leaves with equal rules and weights are scored together; a rule that cannot be hashed alone."""
    key = (type(indicator.rule), indicator.rule, indicator.weight)
    try:
        hash(key)
    except TypeError:
        return ("alone", slot)
    return key


# ---------------------------------------------------------------------------------------------
# The formula in floating point, with its error bound
# ---------------------------------------------------------------------------------------------

# A column and its error bound: a float (a bound relative to the value, |error| <= bound × |x|,
# kept while only × and / have been applied) or an array (absolute bounds, after + and -).
Column = tuple[Any, Any]


def _formula(expr: Expression, numeric: set[str], slots: dict[str, int]) -> Callable[[Env], Column]:
    """The formula over the columns of its names, each name a slot numbered in reading order."""

    def walk(node: ast.AST) -> Callable[[Env], Column]:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, Decimal):
            number = float(node.value)
            relative = 0.0 if Decimal(number) == node.value else U
            return lambda env: (number, relative)
        if isinstance(node, ast.Name) and node.id in numeric:
            slot = slots.setdefault(node.id, len(slots))
            # An input read as the nearest double: within half an ulp, a fraction U of itself.
            return lambda env: (env.columns[slot], U)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            return _binary(type(node.op), walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = walk(node.operand)
            if isinstance(node.op, ast.UAdd):
                return operand

            def negate(env: Env) -> Column:
                x, e = operand(env)
                return -x, e

            return negate
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("min", "max", "abs"):
            args = [walk(arg) for arg in node.args]
            return _function(node.func.id, args)
        raise _Declined

    return walk(expr.tree)


def _absolute(np: Any, x: Any, e: Any) -> Any:
    """An error bound as absolute bounds."""
    return e * np.abs(x) if isinstance(e, float) else e


def _binary(op: type, left: Callable[[Env], Column], right: Callable[[Env], Column]) -> Callable[[Env], Column]:
    def run(env: Env) -> Column:
        np = env.np
        (a, ea), (b, eb) = left(env), right(env)
        if op is ast.Add or op is ast.Sub:
            x = a + b if op is ast.Add else a - b
            return x, _absolute(np, a, ea) + _absolute(np, b, eb) + (U + R) * np.abs(x)
        if op is ast.Mult:
            x = a * b
            if isinstance(ea, float) and isinstance(eb, float):
                return x, ea + eb + ea * eb + U + R
            ea, eb = _absolute(np, a, ea), _absolute(np, b, eb)
            return x, np.abs(a) * eb + np.abs(b) * ea + ea * eb + (U + R) * np.abs(x)
        x = a / b
        if isinstance(ea, float) and isinstance(eb, float) and eb < 0.5:
            # A divisor within a fraction of itself is 0 only where it is 0: the Decimal way reports it.
            env.mark(b == 0)
            return x, (ea + eb) / (1 - eb) + U + R
        ea, eb = _absolute(np, a, ea), _absolute(np, b, eb)
        magnitude = np.abs(b)
        # A divisor that may be 0 (or change sign) within its error: the Decimal way reports it.
        env.mark(magnitude <= 2 * eb)
        return x, (np.abs(a) * eb + magnitude * ea) / (magnitude * (magnitude - eb)) + (U + R) * np.abs(x)

    return run


def _function(name: str, args: list[Callable[[Env], Column]]) -> Callable[[Env], Column]:
    def run(env: Env) -> Column:
        np = env.np
        columns = [arg(env) for arg in args]
        if name == "abs":
            return np.abs(columns[0][0]), columns[0][1]
        pick = np.minimum if name == "min" else np.maximum
        x, e = columns[0][0], _absolute(np, *columns[0])
        for other, error in columns[1:]:
            x, e = pick(x, other), np.maximum(e, _absolute(np, other, error))
        return x, e

    return run


KMAX = 2**40  # a rounded value beyond this many 10^-places is left to the Decimal way


def _round_value(env: Env, x: Any, e: Any, places: int, mode: str) -> Any:
    """The value rounded to `places` as a whole number of 10^-places, and where the error bound does
    not prove it (a tie such as 12.345 or near one, a value too large): those are 0 here."""
    np = env.np
    y = x * 10.0**places
    magnitude = np.abs(y)
    # Twice the bound, and the ulps of scaling and of this arithmetic, for good measure.
    if isinstance(e, float):
        bound = magnitude * (2 * e + 4 * U)
    else:
        bound = e * (2 * 10.0**places)
        bound += magnitude * (4 * U)
    bound += 1e-300
    whole = np.floor(magnitude)
    fraction = magnitude - whole
    if mode in ("half-up", "half-even"):
        near = np.abs(fraction - 0.5)
        bad = near <= bound
        whole += fraction > 0.5
    else:
        bad = (fraction <= bound) | (1 - fraction <= bound)
        if mode == "up":
            whole += fraction > 0
    bad |= ~(magnitude < KMAX)  # too large, infinite or not a number
    # A value that rounds to 0 must be surely positive: the reference keeps the sign of -0.00.
    bad |= (whole == 0) & (y <= bound)
    k = np.copysign(whole, y, out=whole)
    k[bad] = 0
    return k.astype(np.int64), bad


# ---------------------------------------------------------------------------------------------
# Rules on the rounded value, in integers
# ---------------------------------------------------------------------------------------------

Points = Callable[[Env, Any], Any]


def _rule(indicator: Indicator, framework: Framework) -> Points:
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
    raise _Declined


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
        raise _Declined
    p, places, mode = framework.rounding.value_places, framework.rounding.places, framework.rounding.mode
    cut = rule._cut
    scale = max(p, _places(rule.threshold), _places(rule.per), _places(cut) if cut is not None else 0)
    threshold, per = _scaled(rule.threshold, scale), _scaled(rule.per, scale)
    limit = _scaled(cut, scale) if cut is not None else None
    score_scale = max(_places(weight), _places(rule.points))
    full, step = _scaled(weight, score_scale), _scaled(rule.points, score_scale)
    direction, started = rule.direction, rule.count == "started"

    def points(env: Env, k: Any) -> Any:
        np = env.np
        value = _rescale(env, k, scale - p)
        distance = {"over": lambda: value - threshold, "under": lambda: threshold - value, "both": lambda: np.abs(value - threshold)}[direction]()
        steps = -np.floor_divide(-distance, per) if started else np.floor_divide(distance, per)
        remaining = full - _product(env, np.maximum(steps, 0), step)
        score = np.where(distance <= 0, full, np.where(remaining >= 0, remaining, 0))
        if limit is not None:
            score = np.where((distance > 0) & (distance > limit), 0, score)
        return _to_places(env, score, score_scale, places, mode)

    return points


def _award(score: Decimal | None, framework: Framework) -> int | None:
    """A fixed award as the reference rounds it, in integers of 10^-places; None for a judgment."""
    if score is None:
        return None
    return _scaled(framework.rounding.apply(score), framework.rounding.places)


def _bands(rule: BandsRule, framework: Framework) -> Points:
    p = framework.rounding.value_places
    bounds = [b for band in rule.bands for b in (band.lower, band.upper) if b is not None]
    scale = max([p, *(_places(b) for b in bounds)])
    tests = [
        (None if band.lower is None else (_scaled(band.lower, scale), band.lower_inclusive), None if band.upper is None else (_scaled(band.upper, scale), band.upper_inclusive))
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
    scale = max(p, _places(rule.target))
    target = _scaled(rule.target, scale)
    weight_scale = _places(weight)
    full = _scaled(weight, weight_scale)
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
        raise _Declined
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
    weight_scale = _places(weight)
    weight_number = _scaled(weight, weight_scale)

    def number(node: ast.AST) -> Scaled:
        if isinstance(node, ast.Constant) and isinstance(node.value, Decimal):
            scale = _places(node.value)
            constant = _scaled(node.value, scale)
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
        raise _Declined

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
        raise _Declined

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
        raise _Declined

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
        raise _Declined
    return scale
