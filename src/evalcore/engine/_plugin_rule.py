"""A plugin's rule scoring one indicator, its outcome checked at the boundary: a fault of the rule
(it raises, or returns what is not a well-formed Outcome) is an error of that indicator naming the
plugin and the kind, and the rest of the unit is scored. evalcore's own kinds are trusted: their
faults stay internal errors."""

from __future__ import annotations

import decimal
from decimal import Decimal

from attrs import evolve

from ..model import FLAG_KINDS, Framework, Indicator, Outcome, ScoringContext, fmt, plugin_defect, plugin_fault, plugin_module, reraise_interrupt, shown

__all__ = ["rule_outcome"]

ZERO = Decimal(0)
# What a rule's Outcome.status may be, and whether it carries points.
_SCORED = ("scored", "judgment")
_UNSCORED = ("missing", "questioned", "error")


def rule_outcome(indicator: Indicator, framework: Framework, context: ScoringContext) -> Outcome:
    """The indicator's rule's outcome; for a plugin's rule, checked, with its trace written out."""
    rule = indicator.rule
    module = plugin_module(type(rule))
    if module is None:
        return rule.score(context)
    what = f"指标“{indicator.name}”的规则类型“{rule.kind}”"
    try:
        outcome = rule.score(context)
        problem = _problem(outcome, indicator, framework)
        if problem is not None:
            return _error(plugin_defect(what, module, problem))
        # A step the plugin writes lazily is written now, so that a fault in it is this
        # indicator's, never that of the output that reads the trace later.
        steps = tuple(step if isinstance(step, str) else step() for step in outcome.steps)
    except BaseException as exc:
        reraise_interrupt(exc)
        return _error(plugin_fault(f"{what}计分时", module, exc))
    odd = next((step for step in steps if not isinstance(step, str)), None)
    if odd is not None:
        return _error(plugin_defect(what, module, f"的计分依据中有 {shown(odd)}（{type(odd).__name__}），不是文字"))
    return evolve(outcome, steps=steps)


def _error(message: str) -> Outcome:
    return Outcome(None, (message,), status="error")


def _problem(outcome: object, indicator: Indicator, framework: Framework) -> str | None:
    """Why what a rule returned is not an outcome evalcore can use for this indicator, or None."""
    if not isinstance(outcome, Outcome):
        return f"返回了 {shown(outcome)}（{type(outcome).__name__}），不是 Outcome"
    if outcome.status not in _SCORED + _UNSCORED:
        return f"返回的状态 {shown(outcome.status)} 不可用（应为 {'、'.join(_SCORED + _UNSCORED)} 之一）"
    problem = _points_problem("得分", outcome.score, indicator, framework)
    if problem is not None:
        return problem
    if (outcome.score is None) is (outcome.status in _SCORED):
        have = "没有" if outcome.score is None else "有"
        return f"返回的状态为 {outcome.status}，却{have}得分"
    if not isinstance(outcome.steps, (tuple, list)) or not all(isinstance(step, str) or callable(step) for step in outcome.steps):
        return f"的计分依据 {shown(outcome.steps)} 不是文字的元组"
    if outcome.needs is not None and not isinstance(outcome.needs, str):
        return f"返回的 needs 为 {shown(outcome.needs)}，应为文字或 None"
    if outcome.value is not None and not (isinstance(outcome.value, Decimal) and outcome.value.is_finite()):
        return f"返回的测得值（value）为 {shown(outcome.value)}（{type(outcome.value).__name__}），应为有限的 Decimal 或 None"
    for flag in outcome.flags if isinstance(outcome.flags, (tuple, list)) else (outcome.flags,):
        if not (isinstance(flag, tuple) and len(flag) == 2 and isinstance(flag[0], str) and isinstance(flag[1], str)):
            return f"返回的问题 {shown(flag)} 不是（类别, 文字）"
        if flag[0] not in FLAG_KINDS:
            return f"返回的问题类别 {shown(flag[0])} 不是 evalcore 的问题类别（见 evalcore.model.FLAG_KINDS）"
    for reading in outcome.readings if isinstance(outcome.readings, (tuple, list)) else (outcome.readings,):
        if not (isinstance(reading, tuple) and len(reading) == 2 and isinstance(reading[0], str)):
            return f"返回的读法 {shown(reading)} 不是（说明, 得分）"
        problem = _points_problem(f"读法“{reading[0]}”的得分", reading[1], indicator, framework)
        if problem is not None:
            return problem
    return None


def _points_problem(what: str, points: object, indicator: Indicator, framework: Framework) -> str | None:
    """Why points a rule gives are not a finite Decimal within the indicator's weight once rounded
    as the framework declares, or None."""
    if points is None:
        return None
    if not isinstance(points, Decimal):
        return f"返回的{what}为 {shown(points)}（{type(points).__name__}），应为 Decimal 或 None"
    if not points.is_finite():
        return f"返回的{what}为 {points}，不是有限的数"
    try:
        rounded = framework.rounding.apply(points)
    except decimal.InvalidOperation:
        return f"返回的{what}为 {points:E}，超出可计算的范围"
    if not ZERO <= rounded <= indicator.weight:
        return f"返回的{what}为 {fmt(points)} 分，超出该指标分值 0–{fmt(indicator.weight)} 分"
    return None

