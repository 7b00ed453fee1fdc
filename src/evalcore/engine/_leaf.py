"""One leaf scored in full: the formula with its values, the rule's outcome, the evaluator's
score where the data cannot score, the unit's own figures compared; and the unit's data checks."""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal

from attrs import evolve

from ..model import (
    CONTEXT,
    EMPTY_ENTRY,
    ROUNDING_WORDS,
    UNITS,
    Check,
    Conversion,
    DimensionMismatch,
    ExpressionInvalid,
    Flag,
    Framework,
    Indicator,
    IndicatorEntry,
    LeafResult,
    Outcome,
    PercentQuestion,
    Reading,
    ScoringContext,
    UnitData,
    ZeroDivisionInExpression,
    convert,
    expression_family,
    fmt,
    stated_as_percent,
    unit_family,
)
from ..rules import quantity
from ._plugin_rule import rule_outcome

__all__ = ["full_trace", "run_check", "score_leaf", "score_questioned", "stated_differs"]

ZERO = Decimal(0)


def full_trace(indicator: Indicator, entry: IndicatorEntry, framework: Framework, data: UnitData) -> tuple[str, ...]:
    # Scoring is pure: the full path, run again, writes the trace of a quickly scored leaf.
    with decimal.localcontext(CONTEXT):
        return score_leaf(indicator, entry, framework, data, []).trace


_SCORE_TAIL = re.compile(r"= (-?\d+(?:\.\d+)?) 分$")


def _rounded_step(step: str | Callable[[], str], framework: Framework, rounded: Decimal) -> str | None:
    """The rule's last step with the framework's rounding said in it ("10 × 77.08 / 100 = 7.708，按保留
    2 位小数（四舍五入）计 7.71 分"); None when the step does not end with the points it gave."""
    text = _line(step)
    match = _SCORE_TAIL.search(text)
    rounding = framework.rounding
    if match is None or rounding.apply(Decimal(match.group(1))) != rounded:
        return None
    return f"{text[: match.end(1)]}，按保留 {rounding.places} 位小数（{ROUNDING_WORDS[rounding.mode]}）计 {fmt(rounded)} 分"


def score_leaf(indicator: Indicator, entry: IndicatorEntry, framework: Framework, data: UnitData, flags: list[Flag]) -> LeafResult:
    path = indicator.path
    trace: list[str | Callable[[], str]] = []
    granted = False  # whether an exemption the unit claimed was applied

    def finish(status: str, score: Decimal | None, value: Decimal | None = None, readings: tuple[tuple[str, Decimal | None], ...] = ()) -> LeafResult:
        exemption = entry.exemption if granted else None
        return LeafResult(indicator, status, score, value, tuple(trace), entry.self_score, entry.review_score, entry.note, readings, exemption)

    if entry.not_applicable:
        if framework.not_applicable == "full":
            trace.append(f"不适用（{entry.reason}）；按框架规定，不适用指标计满分 {fmt(indicator.weight)} 分")
            flags.append(Flag("not_applicable", path, f"标记为不适用：{entry.reason}；计满分"))
            return finish("not-applicable", indicator.weight)
        trace.append(f"不适用（{entry.reason}）；按框架规定，其分值 {fmt(indicator.weight)} 分不计入满分，总分按比例折算")
        flags.append(Flag("not_applicable", path, f"标记为不适用：{entry.reason}；分值重新分配"))
        return finish("not-applicable", None)

    value, exact, outcome = _measure(indicator, framework, data, trace, flags)
    if outcome is None:
        outcome = rule_outcome(indicator, framework, ScoringContext(indicator.weight, value, indicator.unit, data.inputs, entry, exact))
    if entry.score is not None:
        outcome = _assessed(indicator, entry, outcome, flags)
    if entry.exemption is not None:
        outcome, granted = _exempted(indicator, entry.exemption, outcome, indicator.formula is None or value is not None, flags)
    trace.extend(outcome.steps)
    if value is None:
        value = outcome.value
    if outcome.flags:
        flags.extend(Flag(kind, path, message) for kind, message in outcome.flags)

    score = outcome.score
    status = outcome.status
    if score is not None:
        try:
            rounded = framework.rounding.apply(score)
        except decimal.InvalidOperation:
            trace.append("得分数值异常（过大或过小），无法计分；请核对数据")
            score, status = None, "error"
        else:
            if rounded != score:
                # The points the rule gives are rounded where the framework declares: say so, so that
                # the last line of the trace is the score a reviewer sees.
                # A rule's last step that ends "= 7.708 分" says the rounding itself, so that the
                # step a reviewer reads as the reason shows the points that were used.
                merged = _rounded_step(trace[-1], framework, rounded) if trace and outcome.steps and trace[-1] is outcome.steps[-1] else None
                if merged is not None:
                    trace[-1] = merged
                else:
                    trace.append(functools.partial(framework.rounding.explain, score, rounded))
            score = rounded
        if score is not None and not ZERO <= score <= indicator.weight:
            trace.append(f"规则给出 {fmt(score)} 分，超出该指标分值 0–{fmt(indicator.weight)} 分：评分规则有缺陷，不予计分")
            flags.append(Flag("rule_defect", path, f"评分规则给出 {fmt(score)} 分，超过分值 {fmt(indicator.weight)} 分"))
            score, status = None, "error"
    if status == "error" and not any(f.kind == "rule_defect" and f.path == path for f in flags):
        flags.append(Flag("rule_error", path, _line(outcome.steps[-1]) if outcome.steps else "无法计分"))
    if status == "missing" and outcome.needs:
        flags.append(Flag("missing_input", path, f"缺少{outcome.needs}，该指标未计分"))

    if entry is not EMPTY_ENTRY:
        if entry.stated is not None and value is not None:
            _check_stated(indicator, entry, value, flags)
        if entry.self_score is not None and score is not None and entry.self_score != score:
            flags.append(
                Flag("self_score_mismatch", path, f"自评 {fmt(entry.self_score)} 分，按评分标准应得 {fmt(score)} 分：{_line(trace[-1]) if trace else ''}")
            )
    if status == "questioned" and not any(f.kind == "questioned" and f.path == path for f in flags):
        flags.append(Flag("questioned", path, _line(outcome.steps[-1]) if outcome.steps else "待核实"))
    # Each reading's points as the leaf would have scored them, rounded where the framework declares.
    readings = tuple((label, None if points is None else framework.rounding.apply(points)) for label, points in outcome.readings)
    return finish(status, score, value, readings)


def score_questioned(indicator: Indicator, entry: IndicatorEntry, framework: Framework, data: UnitData, flags: list[Flag]) -> LeafResult:
    """A leaf that reads a percent input typed as a bare 0 < v ≤ 1 (UnitData.questions): scored as
    typed (v %) and as a percentage (v × 100 %). Where both readings give the same points the leaf
    stands as typed; where they differ it is questioned (待核实): no score, both readings shown."""
    asked = _asked(indicator.formula.slots if indicator.formula is not None else (), indicator.needs, data)
    typed_flags: list[Flag] = []
    typed = score_leaf(indicator, entry, framework, data, typed_flags)
    scaled = score_leaf(indicator, entry, framework, _read_as(data, asked, scaled=True), [])
    if (typed.status, typed.score) == (scaled.status, scaled.score):
        if entry.stated is not None and typed.value is not None and typed.value != scaled.value:
            # The points stand either way, but the stated figure is compared on one reading only
            # where it disagrees: asked instead, with both readings.
            typed_flags = [_stated_question(flag, indicator, entry.stated, typed.value, scaled.value, _question(framework, data, asked)) for flag in typed_flags]
        flags.extend(typed_flags)
        return typed
    # Traced again with every figure of the formula in its unit, so that each reading says which
    # percentage it took: "0.9% × 90%" against "90% × 90%".
    typed = score_leaf(indicator, entry, framework, _read_as(data, asked, scaled=False), [])
    question = _question(framework, data, asked)
    outcome = question.outcome(Reading(typed.score, typed.status, typed.trace), Reading(scaled.score, scaled.status, scaled.trace))
    flags.extend(Flag(kind, indicator.path, message) for kind, message in outcome.flags)
    return LeafResult(indicator, "questioned", None, None, outcome.steps, entry.self_score, entry.review_score, entry.note, outcome.readings)


def _stated_question(flag: Flag, indicator: Indicator, stated: Decimal, typed: Decimal, scaled: Decimal | None, question: PercentQuestion) -> Flag:
    if flag.kind != "stated_mismatch" or flag.path != indicator.path:
        return flag

    def result(value: Decimal | None) -> tuple[str, bool]:
        return ("无法计算", False) if value is None else (quantity(value, indicator.unit), not stated_differs(stated, value))

    message = question.check_message(f"填报的{indicator.name}", f"{format(stated, 'f')}{indicator.unit or ''}", result(typed), result(scaled))
    return Flag("questioned", indicator.path, message)


def _asked(slots: Sequence[str], needs: Iterable[str], data: UnitData) -> list[str]:
    """The inputs in question that a formula or rule reads, in the order the formula reads them."""
    asked = [name for name in slots if name in data.questions]
    return asked + sorted(name for name in needs if name in data.questions and name not in asked)


def _read_as(data: UnitData, asked: Sequence[str], scaled: bool) -> UnitData:
    """The data with the figures in question read one way, each marked as read in % so that the
    formula line shows the units of its figures."""
    values = {name: data.questions[name] if scaled else data.inputs[name] for name in asked}
    marks = tuple(Conversion(name, fmt(data.inputs[name]), value, "%") for name, value in values.items())
    return evolve(data, inputs={**data.inputs, **values}, conversions=data.conversions + marks)


def _question(framework: Framework, data: UnitData, asked: Sequence[str]) -> PercentQuestion:
    return PercentQuestion(tuple((f"“{_label(framework, name)}”", fmt(data.inputs[name]), data.inputs[name]) for name in asked))


def _measure(
    indicator: Indicator, framework: Framework, data: UnitData, trace: list[str | Callable[[], str]], flags: list[Flag]
) -> tuple[Decimal | None, Decimal | None, Outcome | None]:
    """The measured value from the formula (rounded as the framework declares, and as computed), or
    an outcome that ends scoring (missing, zero divisor)."""
    needed = indicator.needs
    if needed <= data.inputs.keys():
        missing: list[str] = []
    else:
        # In the order the formula reads them, then the rule's own inputs.
        order = list(indicator.formula.slots if indicator.formula is not None else ()) + sorted(needed)
        missing = list(dict.fromkeys(name for name in order if name in needed and name not in data.inputs))
    if missing:
        labels = "、".join(f"“{_label(framework, name)}”" for name in missing)
        return None, None, Outcome(None, (f"缺少输入 {labels}，无法按数据计分",), status="missing", needs=f"输入 {labels}")
    if indicator.formula is None:
        return None, None, None
    formula = indicator.formula
    try:
        raw = formula.evaluate(data.inputs)
    except ZeroDivisionInExpression as exc:
        divisor = exc.divisor
        shown = formula.substitute(data.inputs)
        trace.append(f"{indicator.name} = {formula.symbolic}，其中除数 {divisor} = 0（{shown}）")
        fallback = indicator.zero_division
        flags.append(Flag("division_by_zero", indicator.path, f"{indicator.name} 的除数 {divisor} 为 0"))
        if fallback is not None:
            return None, None, Outcome(fallback.score, (f"除数为零，按框架规定：{fallback.note}，计 {fmt(fallback.score)} 分",))
        return None, None, Outcome(None, (f"除数为零，无法计算{indicator.name}；框架未规定除数为零时如何计分，该指标未计分",), status="missing", needs=f"可计算的数据（{divisor} 为 0）")
    except ExpressionInvalid as exc:
        return None, None, Outcome(None, (str(exc),), status="error")
    if isinstance(raw, bool) or not isinstance(raw, Decimal):
        return None, None, Outcome(None, (f"公式 {formula.source} 的结果不是数值",), status="error")
    # The rule sees the value as the trace shows it, rounded as the framework declares, so that a
    # reviewer checking by hand reaches the same points.
    try:
        value = framework.rounding.apply_value(raw)
    except decimal.InvalidOperation:
        return None, None, Outcome(None, (f"{indicator.name} = {formula.substitute(data.inputs)}，数值过大或过小，无法计算；请核对数据",), status="error")
    trace.append(functools.partial(_formula_line, indicator, framework, data, raw, value))
    return value, raw, None


def _line(step: str | Callable[[], str]) -> str:
    return step if isinstance(step, str) else step()


def _formula_line(indicator: Indicator, framework: Framework, data: UnitData, raw: Decimal, value: Decimal) -> str:
    """The formula with its input values and the measured value, written when a trace is read. An
    input typed in another unit shows the unit it was converted to ("0.0515万元")."""
    formula = indicator.formula
    assert formula is not None
    if any(c.input in formula.names for c in data.conversions):
        # Once a figure was converted, every figure of the formula shows its unit: 0.0515万元 / 0.5万元.
        units = {name: spec.unit for name in formula.names if (spec := framework.input(name)) is not None}
        shown = formula.substitute(data.inputs, units)
    else:
        shown = formula.substitute(data.inputs)
    if formula.symbolic == shown or len(formula.names) == 1 and formula.symbolic in formula.names:
        # The formula is the input itself ("满意度"): say it once.
        return f"{indicator.name} = {formula.symbolic} = {quantity(value, indicator.unit)}"
    equals = "=" if value == raw else "≈"
    return f"{indicator.name} = {formula.symbolic} = {shown} {equals} {quantity(value, indicator.unit)}"


def _exempted(indicator: Indicator, reason: str, outcome: Outcome, measured: bool, flags: list[Flag]) -> tuple[Outcome, bool]:
    """Full points for an exemption the framework allows and the unit claims with its reason ("可不扣
    分"); never where the data cannot be measured, which is no deduction to be let off."""
    allowed = f"评分标准规定“{indicator.exemption}”"
    if not measured or outcome.status == "error":
        why = "该指标无法按数据计算" if outcome.status != "error" else "该指标无法计分"
        flags.append(Flag("exemption", indicator.path, f"申请豁免（{reason}），但{why}，豁免未采用；{allowed}"))
        return Outcome(outcome.score, outcome.steps + (f"申请豁免（{reason}），但{why}，豁免未采用",), outcome.status, outcome.needs, outcome.value, outcome.flags), False
    weight = indicator.weight
    if outcome.score is None:
        would = "按评分标准尚待评定"
    elif outcome.score == weight:
        would = "按评分标准已得满分"
    else:
        would = f"按评分标准应得 {fmt(outcome.score)} 分"
    flags.append(Flag("exemption", indicator.path, f"单位申请豁免：{reason}；{allowed}，计满分 {fmt(weight)} 分（{would}）"))
    step = f"豁免：{reason}（{allowed}）；不扣分，计满分 {fmt(weight)} 分"
    return Outcome(weight, outcome.steps + (step,), "scored", None, outcome.value, outcome.flags), True


def _assessed(indicator: Indicator, entry: IndicatorEntry, outcome: Outcome, flags: list[Flag]) -> Outcome:
    """Use the evaluator's score where the data cannot score the rule; never beside a computed one."""
    # A judgment (or a refused one) already consumed the evaluator's score.
    if entry.score is None or outcome.status in ("judgment", "error"):
        return outcome
    if outcome.status == "missing":
        if not ZERO <= entry.score <= indicator.weight:
            # Never a score beyond the weight, whoever entered it.
            return Outcome(None, (*outcome.steps, f"填写的评定得分 {fmt(entry.score)} 分超出分值 0–{fmt(indicator.weight)} 分，不予采用"), status="error")
        flags.append(Flag("assessed", indicator.path, f"采用评定得分 {fmt(entry.score)} 分（{entry.reason}）"))
        return Outcome(entry.score, outcome.steps + (f"采用评定得分 {fmt(entry.score)} 分，理由：{entry.reason}",), status="judgment")
    if outcome.score is not None:
        flags.append(Flag("score_ignored", indicator.path, f"已按数据计算得分 {fmt(outcome.score)} 分，填写的评定得分 {fmt(entry.score)} 分未采用"))
    return outcome


def stated_differs(stated: Decimal, value: Decimal) -> bool:
    """Compare at the precision the stated figure was written with: 83.8 agrees with 83.78."""
    exponent = stated.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 2
    return value.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP", context=CONTEXT) != stated


def run_check(check: Check, data: UnitData, framework: Framework, flags: list[Flag]) -> None:
    """Compare a figure the unit's documents state with the facts it derives from, every quantity
    first brought to one unit per kind (money, people…): the check's, else the inputs'. A check
    that reads a percent typed as a bare fraction and comes out apart under its two readings is
    questioned (待核实), never compared on one reading."""
    path = ("数据核对", check.name)
    missing = sorted(name for name in check.formula.names if name not in data.inputs and name not in data.facts)
    if missing:
        flags.append(Flag("missing_input", path, f"无法核对{check.name}：缺少 {'、'.join(missing)}"))
        return
    values, units = _check_values(check, data, framework)
    try:
        value = check.formula.evaluate(values)
    except (ZeroDivisionInExpression, ExpressionInvalid) as exc:
        flags.append(Flag("division_by_zero", path, f"无法核对{check.name}：{exc}"))
        return
    asked = _asked(check.formula.slots, (), data)
    if asked:
        question = _check_question(check, value, _read_as(data, asked, scaled=True), framework, _question(framework, data, asked))
        if question is not None:
            flags.append(Flag("questioned", path, question))
            return
    if stated_differs(check.stated, value):
        # Both figures carry the unit they are compared in: the check's, else the one the formula's
        # quantities were brought to (a bare stated figure is read in it too).
        unit = check.unit or _result_unit(check, units)
        as_percent = stated_as_percent(check.stated, check.stated_bare, unit)
        if as_percent is not None and not stated_differs(as_percent, value):
            return  # 0.9925 written for 99.25%: read as a percentage, the figures agree
        stated = f"文件所写{check.name}为 {format(check.stated, 'f')}{unit or ''}"
        if as_percent is not None:
            stated = f"文件所写{check.name}为 {format(check.stated, 'f')}（没有写 %，按 {format(check.stated, 'f')}% 或 {format(as_percent, 'f')}% 理解都不符）"
        computed = quantity(Decimal(fmt(value, 2)), unit)
        note = f"（{check.note}）" if check.note else ""
        if check.formula.symbolic in check.formula.names:
            # The check compares two figures directly ("全年预算数" against the form's 5).
            flags.append(Flag("stated_mismatch", path, f"{stated}，而{check.formula.symbolic}为 {computed}{note}"))
            return
        flags.append(Flag("stated_mismatch", path, f"{stated}，按 {check.formula.substitute(values, units)} 计算为 {computed}{note}"))


def _result_unit(check: Check, units: Mapping[str, str | None]) -> str | None:
    """The unit of what a check's formula computes, its quantities converted: None for a pure number."""
    try:
        family = expression_family(check.formula, units)
    except DimensionMismatch:
        return None  # refused when a data file is read; a Check built otherwise is shown as computed
    return next((unit for unit in units.values() if family is not None and unit_family(unit) == family), None)


def _check_question(check: Check, typed: Decimal, scaled_data: UnitData, framework: Framework, question: PercentQuestion) -> str | None:
    """The question a check asks when its figure reads a percent in question and the two readings
    compute apart; None when they compute the same."""
    try:
        scaled: Decimal | None = check.formula.evaluate(_check_values(check, scaled_data, framework)[0])
    except (ZeroDivisionInExpression, ExpressionInvalid):
        scaled = None
    if scaled == typed:
        return None

    def result(value: Decimal | None) -> tuple[str, bool]:
        if value is None:
            return "无法计算", False
        return quantity(Decimal(fmt(value, 2)), check.unit), not stated_differs(check.stated, value)

    return question.check_message(check.name, f"{format(check.stated, 'f')}{check.unit or ''}", result(typed), result(scaled))


def _check_values(check: Check, data: UnitData, framework: Framework) -> tuple[dict[str, Decimal], dict[str, str | None]]:
    """The check's names with their values, each quantity converted to the unit its kind is
    computed in: the check's unit for its kind, else the unit of the first input of that kind the
    formula reads, else that of the first fact of that kind."""
    given: dict[str, tuple[Decimal, str | None]] = {}
    for name in check.formula.slots:
        if name in data.inputs:
            spec = framework.input(name)
            given[name] = (data.inputs[name], spec.unit if spec is not None else None)
        else:
            fact = data.facts[name]
            given[name] = (fact.value, fact.unit)
    target: dict[str, str] = {}
    if check.unit in UNITS:
        target[UNITS[check.unit].family] = check.unit
    for from_inputs in (True, False):
        for name, (_value, unit) in given.items():
            if unit in UNITS and (name in data.inputs) is from_inputs:
                target.setdefault(UNITS[unit].family, unit)
    values: dict[str, Decimal] = {}
    units: dict[str, str | None] = {}
    for name, (value, unit) in given.items():
        if unit in UNITS:
            wanted = target[UNITS[unit].family]
            value, unit = convert(value, unit, wanted), wanted
        values[name], units[name] = value, unit
    return values, units


def _check_stated(indicator: Indicator, entry: IndicatorEntry, value: Decimal, flags: list[Flag]) -> None:
    stated = entry.stated
    assert stated is not None
    if not stated_differs(stated, value):
        return
    as_percent = stated_as_percent(stated, entry.stated_bare, indicator.unit)
    if as_percent is None:
        message = f"填报的{indicator.name}为 {format(stated, 'f')}{indicator.unit or ''}，按数据计算为 {quantity(value, indicator.unit)}"
    elif not stated_differs(as_percent, value):
        return  # 1 written for 100%: read as a percentage, the figures agree
    else:
        message = f"填报的{indicator.name}为 {format(stated, 'f')}（没有写 %），按 {format(stated, 'f')}% 或 {format(as_percent, 'f')}% 理解都与按数据计算的 {quantity(value, indicator.unit)} 不符"
    flags.append(Flag("stated_mismatch", indicator.path, message))


def _label(framework: Framework, name: str) -> str:
    """The input as the officer types it, with its longer description when it has one."""
    spec = framework.input(name)
    if spec is None or spec.label == name:
        return name
    # A description that already names the input ("预算数（财政部门批复的……）") is said once.
    return spec.label if spec.label.startswith(f"{name}（") else f"{name}（{spec.label}）"
