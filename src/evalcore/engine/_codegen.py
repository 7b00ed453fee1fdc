"""Python source for one framework's compiled scorer (see _compiled.py): each formula and each
built-in rule kind written out as plain Decimal statements, constants bound by name.

Every statement restates one operation of the reference way (`_evaluate._score_leaves` with the
kinds' `quick`) in the same decimal context, so that the compiled scorer computes the very same
Decimals: exact by construction, not by approximation. Where a kind's reference outcome needs
reporting (no band, a judgment branch, a value of 0 for a sign rule, an answer out of range) the
code leaves the score None and the leaf is scored the reference way.
"""

from __future__ import annotations

import ast
import decimal
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..model import CONTEXT, Expression, Framework, Indicator, Rule, compile_expression
from ..rules import BandsRule, ChecklistRule, DeductRule, ExpressionRule, JudgmentRule, PerCaseRule, ProportionalRule, SignRule
from ._scorer_code import BUILTINS, function, short_circuits

__all__ = ["BUILTINS", "DEC", "Namespace", "Points", "expression_source", "function", "leaf_body", "rule_lines", "short_circuits"]

DEC = "dec"  # a node known to be a Decimal whatever the unit's data
ANY = "any"

_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_ROUNDINGS = {"ceil": "ROUND_CEILING", "floor": "ROUND_FLOOR"}


class Namespace:
    """The globals of the generated code: constants and functions, each under a plain name."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {"Decimal": Decimal, "ROUND_CEILING": decimal.ROUND_CEILING, "ROUND_FLOOR": decimal.ROUND_FLOOR}
        self._interned: dict[tuple[type, str], str] = {}
        self._temps = 0

    def const(self, value: Decimal) -> str:
        # Interned by representation as well as value: 3 and 3.00 print differently.
        key = (type(value), repr(value))
        name = self._interned.get(key)
        if name is None:
            name = self._interned[key] = f"K{len(self._interned)}"
            self.values[name] = value
        return name

    def bind(self, prefix: str, value: object) -> str:
        name = f"{prefix}{len(self.values)}"
        self.values[name] = value
        return name

    def temp(self) -> str:
        self._temps += 1
        return f"t{self._temps}"


def expression_source(expr: Expression, names: Callable[[str], tuple[str, str]], ns: Namespace) -> tuple[str, str]:
    """An expression as Python source over Decimals, and whether it is surely a Decimal.

    `names` gives each name's source and type. The validated tree (`Expression.tree`) is written
    out operator for operator, as `Expression.compiled` evaluates it; min, max, abs, ceil and floor
    are written inline where their arguments are surely Decimals, else call evalcore's own
    implementations (which convert or refuse other values)."""
    functions = expr.compiled[1]

    def walk(node: ast.AST) -> tuple[str, str]:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, Decimal):
                return ns.const(node.value), DEC
            raise ValueError(f"constant {node.value!r}")
        if isinstance(node, ast.Name):
            return names(node.id)
        if isinstance(node, ast.BinOp):
            (left, lt), (right, rt) = walk(node.left), walk(node.right)
            return f"({left} {_OPERATORS[type(node.op)]} {right})", DEC if lt == rt == DEC else ANY
        if isinstance(node, ast.UnaryOp):
            operand, kind = walk(node.operand)
            if isinstance(node.op, ast.Not):
                return f"(not {operand})", ANY
            return f"({'-' if isinstance(node.op, ast.USub) else '+'}{operand})", kind
        if isinstance(node, ast.Compare):
            parts = [walk(node.left)[0]]
            for operator, comparator in zip(node.ops, node.comparators):
                parts += [_COMPARE[type(operator)], walk(comparator)[0]]
            return f"({' '.join(parts)})", ANY
        if isinstance(node, ast.BoolOp):
            word = " and " if isinstance(node.op, ast.And) else " or "
            return "(" + word.join(walk(value)[0] for value in node.values) + ")", ANY
        if isinstance(node, ast.IfExp):
            (body, bt), (test, _), (other, ot) = walk(node.body), walk(node.test), walk(node.orelse)
            return f"({body} if {test} else {other})", DEC if bt == ot == DEC else ANY
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [walk(arg) for arg in node.args]
            name = node.func.id
            if all(kind == DEC for _, kind in args) and name in ("min", "max", "abs", "ceil", "floor"):
                return _inline_call(name, [source for source, _ in args], ns), DEC
            return f"{ns.bind('F', functions[name])}({', '.join(source for source, _ in args)})", DEC
        raise ValueError(f"node {type(node).__name__}")

    return walk(expr.tree)


def _inline_call(name: str, args: list[str], ns: Namespace) -> str:
    if name == "abs":
        return f"abs({args[0]})"  # Decimal.__abs__ rounds in the current context, as CONTEXT.abs
    if name in _ROUNDINGS:
        return f"{args[0]}.to_integral_value({_ROUNDINGS[name]})"
    # Python's min and max keep the first of equal arguments: so does this chain, left to right.
    result = args[0]
    for arg in args[1:]:
        a, b = ns.temp(), ns.temp()
        better = "<" if name == "max" else ">"
        result = f"({b} if ({a} := {result}) {better} ({b} := {arg}) else {a})"
    return result


class Points:
    """How the generated code writes points: rounded as the framework declares (quantize), or, for
    a fixed award, the constant already rounded at compile time."""

    def __init__(self, framework: Framework, ns: Namespace) -> None:
        rounding = framework.rounding
        self.rounding = rounding
        self.ns = ns
        mode = "" if rounding.mode == "half-up" else f", {ns.bind('MODE', rounding.context.rounding)}"
        self.suffix = f"{ns.const(rounding.quantum)}{mode}"

    def const(self, value: Decimal) -> str:
        return self.ns.const(self.rounding.apply(value))

    def round(self, expression: str) -> str:
        return f"({expression}).quantize({self.suffix})"


def rule_lines(indicator: Indicator, framework: Framework, ns: Namespace, value: str | None) -> list[str] | None:
    """Statements that set `s` to the leaf's points, rounded as the framework declares, or to None,
    given the measured value in `value` and the entry in `e`; None when the kind has no compiled
    form here."""
    rule = indicator.rule
    weight = ns.const(indicator.weight)
    pts = Points(framework, ns)
    kind = type(rule)
    with decimal.localcontext(CONTEXT):
        if kind is DeductRule and value is not None:
            return _deduct(rule, indicator.weight, value, ns, pts)  # type: ignore[arg-type]
        if kind is BandsRule and value is not None:
            return _bands(rule, value, ns, pts)  # type: ignore[arg-type]
        if kind is ProportionalRule and value is not None:
            return _proportional(rule, indicator.weight, value, ns, pts)  # type: ignore[arg-type]
        if kind is SignRule and value is not None:
            return _sign(rule, value, pts)  # type: ignore[arg-type]
        if kind is ChecklistRule:
            return _checklist(rule, indicator.weight, ns, pts)  # type: ignore[arg-type]
        if kind is JudgmentRule:
            return _judgment(rule, indicator.weight, ns, pts)  # type: ignore[arg-type]
        if kind is PerCaseRule:
            zero = ns.const(Decimal(0))
            remaining = f"r if not ({zero} > (r := {weight} - c * {ns.const(rule.points)})) else {zero}"  # type: ignore[attr-defined]
            return ["c = e.cases", f"s = None if c is None else {pts.round(remaining)}"]
        if kind is ExpressionRule:
            return _expression(rule.expr, weight, value, ns, pts)  # type: ignore[attr-defined]
        return _plugin(rule, weight, value, ns, pts)


def _deduct(rule: DeductRule, weight: Decimal, value: str, ns: Namespace, pts: Points) -> list[str]:
    zero, threshold, full = ns.const(Decimal(0)), ns.const(rule.threshold), ns.const(weight)
    distance = {"over": f"{value} - {threshold}", "under": f"{threshold} - {value}", "both": f"abs({value} - {threshold})"}[rule.direction]
    counted = {
        "whole": f"(d / {ns.const(rule.per)}).to_integral_value(ROUND_FLOOR)",
        "started": f"(d / {ns.const(rule.per)}).to_integral_value(ROUND_CEILING)",
        "pro-rata": f"d / {ns.const(rule.per)}",
    }[rule.count]
    lines = [f"d = {distance}", "if d <= 0:", f"    s = {pts.const(weight)}"]
    if rule.zero_beyond is not None:
        cut = rule._cut  # the cut-off as a distance from the threshold, as the rule decides
        assert cut is not None
        lines += [f"elif d > {ns.const(cut)}:", f"    s = {pts.const(Decimal(0))}"]
    lines += ["else:", f"    r = {full} - {counted} * {ns.const(rule.points)}", f"    s = {pts.round(f'r if r >= 0 else {zero}')}"]
    return lines


def _bands(rule: BandsRule, value: str, ns: Namespace, pts: Points) -> list[str]:
    conditions = []
    for band in rule.bands:
        parts = []
        if band.lower is not None:
            parts.append(f"{value} {'>=' if band.lower_inclusive else '>'} {ns.const(band.lower)}")
        if band.upper is not None:
            parts.append(f"{value} {'<=' if band.upper_inclusive else '<'} {ns.const(band.upper)}")
        conditions.append(" and ".join(parts) or "True")
    awards = [pts.const(band.award.score) if band.award.score is not None else "None" for band in rule.bands]
    # The points of the one band the value lies in; none or several is for the reference to report.
    if _disjoint(rule):
        lines = []
        for number, (condition, award) in enumerate(zip(conditions, awards)):
            lines += [f"{'elif' if number else 'if'} {condition}:", f"    s = {award}"]
        return lines + ["else:", "    s = None"]
    lines = [f"m = {' + '.join(f'({c})' for c in conditions)}", "if m != 1:", "    s = None"]
    for condition, award in zip(conditions, awards):
        lines += [f"elif {condition}:", f"    s = {award}"]
    return lines + ["else:", "    s = None"]


def _disjoint(rule: BandsRule) -> bool:
    """Whether no value lies in two bands (then the first band containing it is the only one)."""
    for number, first in enumerate(rule.bands):
        for second in rule.bands[number + 1 :]:
            if not (_before(first, second) or _before(second, first)):
                return False
    return True


def _before(first: Any, second: Any) -> bool:
    """Whether every value of `first` lies below every value of `second`."""
    if first.upper is None or second.lower is None:
        return False
    return bool(first.upper < second.lower or (first.upper == second.lower and not (first.upper_inclusive and second.lower_inclusive)))


def _proportional(rule: ProportionalRule, weight: Decimal, value: str, ns: Namespace, pts: Points) -> list[str]:
    full, target = ns.const(weight), ns.const(rule.target)
    if not rule.reverse:
        return [f"if {value} <= 0:", f"    s = {pts.const(Decimal(0))}", "else:", f"    q = {value} / {target}", f"    s = {pts.const(weight)} if q >= 1 else {pts.round(f'{full} * q')}"]
    return [f"if {value} <= {target}:", f"    s = {pts.const(weight)}", "else:", f"    s = {pts.round(f'{full} * ({target} / {value})')}"]


def _sign(rule: SignRule, value: str, pts: Points) -> list[str]:
    def award(score: Decimal | None) -> str:
        return "None" if score is None else pts.const(score)

    # A value that rounds to 0 may be a small change of either sign: the reference reads its sign.
    return [f"if {value} > 0:", f"    s = {award(rule.positive.score)}", f"elif {value} < 0:", f"    s = {award(rule.negative.score)}", "else:", "    s = None"]


def _checklist(rule: ChecklistRule, weight: Decimal, ns: Namespace, pts: Points) -> list[str]:
    zero, full = ns.const(Decimal(0)), ns.const(weight)
    count = len(rule.checkpoints)
    lines = ["a = e.checkpoints", f"if a is None or len(a) != {count}:", "    s = None"]
    if count <= 4:
        # Answers all yes/no: the points from a table made once (bools only: 1 == True in a dict).
        table = {answers: pts.rounding.apply(_checklist_points(rule, weight, answers)) for answers in itertools.product((False, True), repeat=count)}
        yes_no = " and ".join(f"(a[{n}] is True or a[{n}] is False)" for n in range(count))
        lines += [f"elif {yes_no}:", f"    s = {ns.bind('T', table)}[a]"]
    lines.append("else:")
    got = []
    for number, point in enumerate(rule.checkpoints):
        p = ns.const(point.points)
        # A partial score out of range is None here, which fails the sum: the reference reports it.
        lines.append(f"    x = a[{number}]")
        lines.append(f"    g{number} = ({p} if x else {zero}) if (x is True or x is False) else (x if {zero} <= x <= {p} else None)")
        got.append(f"g{number}")
    lines.append(f"    t = {' + '.join([zero, *got])}")
    if rule.mode == "award":
        lines.append(f"    s = {pts.round(f'{full} if {full} < t else t')}")
    else:
        all_points = sum((point.points for point in rule.checkpoints), Decimal(0))
        lines.append(f"    r = {full} - ({ns.const(all_points)} - t)")
        lines.append(f"    s = {pts.round(f'r if not ({zero} > r) else {zero}')}")
    return lines


def _checklist_points(rule: ChecklistRule, weight: Decimal, answers: tuple[bool, ...]) -> Decimal:
    """The points of yes/no answers, added up in the order the rule adds them."""
    total = Decimal(0)
    for point, answer in zip(rule.checkpoints, answers):
        total += point.points if answer else Decimal(0)
    if rule.mode == "award":
        return weight if weight < total else total
    remaining = weight - (sum((point.points for point in rule.checkpoints), Decimal(0)) - total)
    return remaining if not (Decimal(0) > remaining) else Decimal(0)


def _judgment(rule: JudgmentRule, weight: Decimal, ns: Namespace, pts: Points) -> list[str]:
    low, high = rule.bounds(weight)
    return [
        "sc = e.score",
        f"s = {pts.round('sc')} if e.tier is None and sc is not None and (e.reason or '').strip() and {ns.const(low)} <= sc <= {ns.const(high)} else None",
    ]


def _rule_names(weight: str, value: str | None, other: Callable[[str], tuple[str, str]]) -> Callable[[str], tuple[str, str]]:
    """How a rule's expression names what it reads: `weight` and `value` (the measured value, which a
    leaf without a formula does not have), anything else through `other`."""

    def names(name: str) -> tuple[str, str]:
        if name == "weight":
            return weight, DEC
        if name == "value":
            if value is None:
                raise ValueError("value without a formula")
            return value, DEC
        return other(name)

    return names


def _expression(expr: Expression, weight: str, value: str | None, ns: Namespace, pts: Points) -> list[str]:
    names = _rule_names(weight, value, lambda name: (f"I[{name!r}]", ANY))
    source, kind = expression_source(expr, names, ns)
    # The reference takes an int result (arithmetic on comparisons) as a Decimal.
    return [f"s = {source}", "if type(s) is not Decimal:", "    s = Decimal(s) if type(s) is int else None", "if s is not None:", f"    s = {pts.round('s')}"]


def _plugin(rule: Rule, weight: str, value: str | None, ns: Namespace, pts: Points) -> list[str] | None:
    """A plugin's kind: its declared compiled form inlined, else its quick scorer called."""
    form = rule.checked_compiled_form()
    if form is not None:
        constants = dict(form.constants)
        allowed = {"weight", "value", *constants}
        expr = compile_expression(form.expression, allowed)
        names = _rule_names(weight, value, lambda name: (ns.const(constants[name]), DEC))

        source, _kind = expression_source(expr, names, ns)
        return [f"s = {source}", "if type(s) is not Decimal or not s.is_finite():", "    s = None", "else:", f"    s = {pts.round('s')}"]
    scorer = rule.quick_scorer()
    if scorer is None:
        return None
    call = f"{ns.bind('Q', scorer)}({weight}, {value or 'None'}, I, e)"
    return [f"s = {call}", "if type(s) is not Decimal or not s.is_finite():", "    s = None", "else:", f"    s = {pts.round('s')}"]


# ---------------------------------------------------------------------------------------------
# One leaf's statements, and the generated function compiled after an AST check
# ---------------------------------------------------------------------------------------------



def leaf_body(indicator: Indicator, framework: Framework, ns: Namespace, value_round: str) -> list[str] | None:
    """The statements scoring one leaf the quick way, leaving `s` its points, or None (with `s`
    None) when the reference must score it; None for a leaf with no compiled form at all."""
    value = "v" if indicator.formula is not None else None
    try:
        rule = rule_lines(indicator, framework, ns, value)
        formula = None
        if indicator.formula is not None:
            formula = expression_source(indicator.formula, lambda name: (f"I[{name!r}]", "any"), ns)
    except (ValueError, KeyError):
        return None
    if rule is None:
        return None
    weight = ns.const(indicator.weight)
    judged = indicator.rule.quick_status == "judgment"
    # An evaluator's score is the points of a judgment, and beside a computed score it is flagged.
    # A claimed exemption is traced and flagged by the reference, as are not-applicable leaves.
    conditions = ["(e is EMPTY or not (e.not_applicable or e.exemption is not None))" if judged else "(e is EMPTY or not (e.not_applicable or e.score is not None or e.exemption is not None))"]
    if indicator.needs:
        conditions.append(f"not (Qs and not {ns.bind('N', indicator.needs)}.isdisjoint(Qs))")
    if indicator.rule.names():
        conditions.append(f"{ns.bind('R', indicator.rule.names())} <= I.keys()")
    body = [f"if {' and '.join(conditions)}:", "    try:"]
    if formula is not None:
        source, kind = formula
        body.append(f"        x = {source}")
        if kind == DEC:
            body += [f"        v = x.quantize({value_round})"] + ["        " + line for line in rule]
        else:
            # Anything but a Decimal (a comparison's bool) goes the reference way.
            body += ["        if type(x) is Decimal:", f"            v = x.quantize({value_round})"]
            body += ["            " + line for line in rule] + ["        else:", "            s = None"]
    else:
        body += ["        " + line for line in rule]
    body += ["    except Exception:", "        s = None"]
    # What the reference would flag: a score out of range, a stated figure or self-score apart.
    agree = "(e.self_score is None or e.self_score == s)"
    if value is not None:
        agree = f"(e.stated is None or not stated_differs(e.stated, v)) and {agree}"
    if within(indicator, framework):
        body += [f"    if s is not None and e is not EMPTY and not ({agree}):", "        s = None"]
    else:
        body += [f"    if s is not None and not (ZERO <= s <= {weight} and (e is EMPTY or ({agree}))):", "        s = None"]
    return body


def within(indicator: Indicator, framework: Framework) -> bool:
    """Whether every points the compiled kind can give lie within 0 to the weight once rounded, so
    that the range need not be checked unit by unit: the weight on the rounding's grid, and each
    kind's own bounds (a deduction floored at 0, a share of the weight below 1, a checklist capped
    at the weight, a judgment within bounds inside the weight, fixed awards checked here)."""
    rule, weight = indicator.rule, indicator.weight
    apply = framework.rounding.apply
    if apply(weight) != weight:
        return False
    kind = type(rule)
    if kind in (DeductRule, ProportionalRule, ChecklistRule):
        return True
    if kind is JudgmentRule:
        low, high = rule.bounds(weight)  # type: ignore[attr-defined]
        return bool(0 <= low and high <= weight)
    if kind is BandsRule:
        scores = [band.award.score for band in rule.bands]  # type: ignore[attr-defined]
    elif kind is SignRule:
        scores = [branch.score for branch in (rule.positive, rule.negative)]  # type: ignore[attr-defined]
    else:
        return False
    return all(0 <= apply(score) <= weight for score in scores if score is not None)
