"""Formulas scored in columns: a formula computed for a whole batch of units at once with numpy,
exactly (see docs/engine.md, "Compiled scoring"); the rules follow in _kernels.py.

A formula of + - * / min max abs over the inputs is computed in binary floating point together
with a bound on its error (each input is read correctly rounded, each operation adds half an ulp,
and the reference's own rounding to 34 digits adds less than 1e-32 of each result). The value is
rounded to the framework's value_places only where the bound proves on which side of every
rounding boundary the exact value lies, and therefore the reference's Decimal value too; else
(a tie such as 12.345, or near one) the value is taken from the formula's Decimal code. From there
on everything is integers: the measured value as a whole number of 0.01 (value_places).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..model import CONTEXT, Expression

__all__ = ["KMAX", "LIMIT", "MAX_PLACES", "NUMERIC", "Column", "Declined", "Env", "U", "formula_columns", "places_of", "round_value", "scaled"]

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


class Declined(Exception):
    """This leaf is not scored in columns (it is scored the Decimal way for every unit)."""


def places_of(value: Decimal) -> int:
    exponent = value.normalize(CONTEXT).as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def scaled(value: Decimal, places: int) -> int:
    """`value` as a whole number of 10^-places; declined where that is not exact or too large."""
    if places_of(value) > places or places > MAX_PLACES:
        raise Declined
    number = int(value.scaleb(places, CONTEXT))
    if abs(number) >= 2**52:
        raise Declined
    return number


# ---------------------------------------------------------------------------------------------
# The formula in floating point, with its error bound
# ---------------------------------------------------------------------------------------------

# A column and its error bound: a float (a bound relative to the value, |error| <= bound × |x|,
# kept while only × and / have been applied) or an array (absolute bounds, after + and -).
Column = tuple[Any, Any]


def formula_columns(expr: Expression, numeric: set[str], slots: dict[str, int]) -> Callable[[Env], Column]:
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
        raise Declined

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


def round_value(env: Env, x: Any, e: Any, places: int, mode: str) -> Any:
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
