"""evaluate(framework, data) -> Evaluation: pure, decimal, every point explained."""

from __future__ import annotations

from collections.abc import Callable, Mapping
import decimal
import functools
from decimal import Decimal
from typing import Any, NamedTuple

from ._data import EMPTY_ENTRY, Check, IndicatorEntry, UnitData
from ._model import Framework, Group, Indicator
from ._numbers import CONTEXT, fmt
from ._results import Evaluation, Flag, GroupResult, LeafRecord, LeafResult, Result
from ._rules import Outcome, ScoringContext, quantity
from ._sandbox import ExpressionInvalid, ZeroDivisionInExpression

__all__ = ["evaluate", "evaluate_in_full", "result_tree"]

ZERO = Decimal(0)


def evaluate(framework: Framework, data: UnitData | Mapping[str, Any]) -> Evaluation:
    """Score one unit's data against a framework. Never raises for data problems the rules foresee:
    missing inputs, zero divisors and rule defects become statuses and flags."""
    with decimal.localcontext(CONTEXT):
        return _evaluate(framework, data)


def evaluate_in_full(framework: Framework, data: UnitData | Mapping[str, Any]) -> Evaluation:
    """`evaluate` with every indicator scored the full way, never by its rule's quick scorer.

    The reference the quick way is held to: `evalcore.testing.assert_sound` compares the two.
    """
    with decimal.localcontext(CONTEXT):
        return _evaluate(framework, data, quick=False)


def _evaluate(framework: Framework, data: UnitData | Mapping[str, Any], quick: bool = True) -> Evaluation:
    if not isinstance(data, UnitData):
        data = UnitData.from_mapping(data, framework)
    flags: list[Flag] = []
    if framework.form is not None:
        from ._form_expand import expand_form

        framework, data, findings = expand_form(framework, data)
        flags.extend(Flag(kind, path, message) for path, kind, message in findings)
    for conversion in data.conversions:
        spec = framework.input(conversion.input)
        label = spec.label if spec else conversion.input
        flags.append(Flag("unit_converted", (), f"输入“{label}”填写为 {conversion.given}，已换算为 {fmt(conversion.value)}{conversion.unit}"))
    scored = _score_leaves(framework, data, flags, quick)
    raw_total, na_out, complete = scored.raw_total, scored.na_out, scored.complete
    maximum = framework.leaf_weight - na_out
    total = raw_total
    if na_out and maximum > 0:
        total = framework.rounding.apply(CONTEXT.divide(raw_total * framework.total, maximum))
        flags.append(Flag("not_applicable", (), f"不适用指标共 {fmt(na_out)} 分，按框架规定重新分配：{fmt(raw_total)} / {fmt(maximum)} × {fmt(framework.total)} = {fmt(total)} 分"))
        maximum = framework.total
    self_total = sum(scored.selfs, ZERO) if scored.selfs else None
    if data.self_total is not None and self_total is not None and data.self_total != self_total:
        flags.append(Flag("self_total_mismatch", (), f"填报的自评总分为 {fmt(data.self_total)} 分，而各项自评得分合计为 {fmt(self_total)} 分"))
    for check in data.checks:
        _run_check(check, data, flags)
    if not framework.required_inputs <= data.inputs.keys():
        reported = " ".join(f.message for f in flags if f.kind == "missing_input")
        for spec in framework.inputs:
            if spec.required and spec.id not in data.inputs and f"“{spec.label}”" not in reported and f"“{spec.id}”" not in reported:
                flags.append(Flag("missing_input", ("基础数据", spec.label), f"缺少必填的基础数据“{spec.label}”"))
    if data.year is not None and data.year != framework.year:
        flags.append(Flag("year_mismatch", (), f"数据年度为 {data.year} 年，评价框架 {framework.id} 适用于 {framework.year} 年"))
    # Weights that do not add up make the maximum itself wrong: no grade until they are fixed.
    weights_agree = not any(flag.kind == "weight_mismatch" for flag in flags)
    grade = framework.grade_for(total) if complete and framework.scored and weights_agree else None
    if grade is not None and data.stated_grade is not None:
        band = next(b for b in framework.grades if b.name == grade)
        if not band.called(data.stated_grade):
            limits = "，".join(f"{b.name} ≥ {fmt(b.min)}" for b in framework.grades if b.min > 0)
            flags.append(
                Flag("stated_grade_mismatch", (), f"文件所写等级为“{data.stated_grade}”，按框架等级标准（{limits}）总分 {fmt(total)} 分应为“{grade}”")
            )
    return Evaluation(
        framework=framework,
        data=data,
        total=total,
        max=maximum,
        grade=grade,
        complete=complete,
        flags=tuple(flags),
        self_total=self_total,
        stated_self_total=data.self_total,
        raw_total=raw_total,
        leaf_records=scored.records,
    )


class _Scored(NamedTuple):
    records: tuple[LeafRecord, ...]  # one per leaf, in the framework's order
    raw_total: Decimal  # the sum of the scores
    na_out: Decimal  # the weight of not-applicable leaves left out of the maximum
    complete: bool  # every leaf scored or not applicable
    selfs: list[Decimal]  # the self-scores given


def _score_leaves(framework: Framework, data: UnitData, flags: list[Flag], quick: bool) -> _Scored:
    """Score every leaf in the framework's order.

    A leaf goes the quick way, (status, score, value) from its rule's quick scorer, unless anything
    about it must be reported or traced specially. These conditions restate, for speed, what
    `_leaf` would flag or trace: not applicable, an evaluator's score beside a computed rule, an
    input the rule reads missing, a formula that cannot be computed, a score out of range, a stated
    figure or self-score that disagrees. `evalcore.testing.assert_sound` and tests/test_quick.py
    hold the two to the same results. This loop runs for every indicator of every unit of a
    batch, hence written out flat.
    """
    records: list[LeafRecord] = []
    raw_total = na_out = ZERO
    complete = True
    selfs: list[Decimal] = []
    entries, inputs = data.entries, data.inputs
    context = framework.rounding.context
    value_quantum, quantum = framework.rounding.value_quantum, framework.rounding.quantum
    for indicator in framework.leaves():
        entry = entries.get(indicator.id, EMPTY_ENTRY)
        if entry.self_score is not None:
            selfs.append(entry.self_score)
        reads, scorer, code, scope, status = indicator.plan
        if (
            quick
            and scorer is not None
            and (not reads or reads <= inputs.keys())
            # An evaluator's score is the points of a judgment, and beside a computed score it is flagged.
            and (entry is EMPTY_ENTRY or not (entry.not_applicable or (entry.score is not None and status != "judgment")))
        ):
            score: Decimal | None = None
            value = None
            try:
                if code is None:
                    score = scorer(indicator.weight, None, inputs, entry)
                else:
                    value = eval(code, scope, inputs)  # noqa: S307 - a whitelisted formula (Expression.compiled)
                    # Anything but a Decimal (an int from a comparison, a bool) goes the full way.
                    if type(value) is Decimal:
                        value = context.quantize(value, value_quantum)
                        score = scorer(indicator.weight, value, inputs, entry)
                if score is not None:
                    score = context.quantize(score, quantum)
            except Exception:  # noqa: BLE001 - any failure: the full way reports it in words
                score = None
            if (
                score is not None
                and ZERO <= score <= indicator.weight
                and (
                    entry is EMPTY_ENTRY
                    or (
                        (entry.stated is None or value is None or not stated_differs(entry.stated, value))
                        and (entry.self_score is None or entry.self_score == score)
                    )
                )
            ):
                raw_total += score
                records.append((status, score, value))
                continue
        leaf = _leaf(indicator, entry, framework, data, flags)
        if leaf.score is not None:
            raw_total += leaf.score
        elif leaf.status == "not-applicable":
            na_out += indicator.weight
        else:
            complete = False
        records.append(leaf)
    return _Scored(tuple(records), raw_total, na_out, complete, selfs)


def result_tree(framework: Framework, data: UnitData, records: tuple[LeafRecord, ...]) -> tuple[Result, ...]:
    """The groups and leaves of an evaluation from its leaf records (see Evaluation.leaf_records)."""
    # Group sums in evalcore's context, whatever the context of the caller who first reads the tree.
    with decimal.localcontext(CONTEXT):
        return _tree(framework, data, records)


def _tree(framework: Framework, data: UnitData, records: tuple[LeafRecord, ...]) -> tuple[Result, ...]:
    remaining = iter(records)

    def node(item: Group | Indicator) -> Result:
        if isinstance(item, Indicator):
            record = next(remaining)
            if isinstance(record, LeafResult):
                return record
            entry = data.entries.get(item.id, EMPTY_ENTRY)
            status, score, value = record
            trace = functools.partial(_full_trace, item, entry, framework, data)
            return LeafResult(item, status, score, value, trace, entry.self_score, entry.review_score, entry.note)
        children = tuple(node(child) for child in item.children)
        score = sum((child.score for child in children if child.score is not None), ZERO)
        selfs = [child.self_score for child in children if child.self_score is not None]
        maximum = item.weight if item.weight is not None else item.leaf_weight
        return GroupResult(item, children, score, maximum, sum(selfs, ZERO) if selfs else None)

    return tuple(node(child) for child in framework.children)


def _full_trace(indicator: Indicator, entry: IndicatorEntry, framework: Framework, data: UnitData) -> tuple[str, ...]:
    # Scoring is pure: the full path, run again, writes the trace of a quickly scored leaf.
    with decimal.localcontext(CONTEXT):
        return _leaf(indicator, entry, framework, data, []).trace


def _leaf(indicator: Indicator, entry: IndicatorEntry, framework: Framework, data: UnitData, flags: list[Flag]) -> LeafResult:
    path = indicator.path
    trace: list[str | Callable[[], str]] = []

    def finish(status: str, score: Decimal | None, value: Decimal | None = None) -> LeafResult:
        return LeafResult(indicator, status, score, value, tuple(trace), entry.self_score, entry.review_score, entry.note)

    if entry.not_applicable:
        if framework.not_applicable == "full":
            trace.append(f"不适用（{entry.reason}）；按框架规定，不适用指标计满分 {fmt(indicator.weight)} 分")
            flags.append(Flag("not_applicable", path, f"标记为不适用：{entry.reason}；计满分"))
            return finish("not-applicable", indicator.weight)
        trace.append(f"不适用（{entry.reason}）；按框架规定，其分值 {fmt(indicator.weight)} 分不计入满分，总分按比例折算")
        flags.append(Flag("not_applicable", path, f"标记为不适用：{entry.reason}；分值重新分配"))
        return finish("not-applicable", None)

    value, outcome = _measure(indicator, framework, data, trace, flags)
    if outcome is None:
        outcome = indicator.rule.score(ScoringContext(indicator.weight, value, indicator.unit, data.inputs, entry))
    if entry.score is not None:
        outcome = _assessed(indicator, entry, outcome, flags)
    trace.extend(outcome.steps)
    if value is None:
        value = outcome.value
    if outcome.flags:
        flags.extend(Flag(kind, path, message) for kind, message in outcome.flags)

    score = outcome.score
    status = outcome.status
    if score is not None:
        try:
            score = framework.rounding.apply(score)
        except decimal.InvalidOperation:
            trace.append("得分数值异常（过大或过小），无法计分；请核对数据")
            score, status = None, "error"
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
            _check_stated(indicator, entry.stated, value, flags)
        if entry.self_score is not None and score is not None and entry.self_score != score:
            flags.append(
                Flag("self_score_mismatch", path, f"自评 {fmt(entry.self_score)} 分，按评分标准应得 {fmt(score)} 分：{_line(trace[-1]) if trace else ''}")
            )
    return finish(status, score, value)


def _measure(indicator: Indicator, framework: Framework, data: UnitData, trace: list[str | Callable[[], str]], flags: list[Flag]) -> tuple[Decimal | None, Outcome | None]:
    """The measured value from the formula, or an outcome that ends scoring (missing, zero divisor)."""
    needed = indicator.needs
    if needed <= data.inputs.keys():
        missing: list[str] = []
    else:
        # In the order the formula reads them, then the rule's own inputs.
        order = list(indicator.formula.slots if indicator.formula is not None else ()) + sorted(needed)
        missing = list(dict.fromkeys(name for name in order if name in needed and name not in data.inputs))
    if missing:
        labels = "、".join(f"“{_label(framework, name)}”" for name in missing)
        return None, Outcome(None, (f"缺少输入 {labels}，无法按数据计分",), status="missing", needs=f"输入 {labels}")
    if indicator.formula is None:
        return None, None
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
            return None, Outcome(fallback.score, (f"除数为零，按框架规定：{fallback.note}，计 {fmt(fallback.score)} 分",))
        return None, Outcome(None, (f"除数为零，无法计算{indicator.name}；框架未规定除数为零时如何计分，该指标未计分",), status="missing", needs=f"可计算的数据（{divisor} 为 0）")
    except ExpressionInvalid as exc:
        return None, Outcome(None, (str(exc),), status="error")
    if isinstance(raw, bool) or not isinstance(raw, Decimal):
        return None, Outcome(None, (f"公式 {formula.source} 的结果不是数值",), status="error")
    # The rule sees the value as the trace shows it, rounded as the framework declares, so that a
    # reviewer checking by hand reaches the same points.
    try:
        value = framework.rounding.apply_value(raw)
    except decimal.InvalidOperation:
        return None, Outcome(None, (f"{indicator.name} = {formula.substitute(data.inputs)}，数值过大或过小，无法计算；请核对数据",), status="error")
    trace.append(functools.partial(_formula_line, indicator, data.inputs, raw, value))
    return value, None


def _line(step: str | Callable[[], str]) -> str:
    return step if isinstance(step, str) else step()


def _formula_line(indicator: Indicator, inputs: Mapping[str, Any], raw: Decimal, value: Decimal) -> str:
    """The formula with its input values and the measured value, written when a trace is read."""
    formula = indicator.formula
    assert formula is not None
    shown = formula.substitute(inputs)
    if formula.symbolic == shown or len(formula.names) == 1 and formula.symbolic in formula.names:
        # The formula is the input itself ("满意度"): say it once.
        return f"{indicator.name} = {formula.symbolic} = {quantity(value, indicator.unit)}"
    equals = "=" if value == raw else "≈"
    return f"{indicator.name} = {formula.symbolic} = {shown} {equals} {quantity(value, indicator.unit)}"


def _assessed(indicator: Indicator, entry: IndicatorEntry, outcome: Outcome, flags: list[Flag]) -> Outcome:
    """Use the evaluator's score where the data cannot score the rule; never beside a computed one."""
    # A judgment (or a refused one) already consumed the evaluator's score.
    if entry.score is None or outcome.status in ("judgment", "error"):
        return outcome
    if outcome.status == "missing":
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


def _run_check(check: Check, data: UnitData, flags: list[Flag]) -> None:
    names = {**data.inputs, **data.facts}
    path = ("数据核对", check.name)
    missing = sorted(check.formula.names - set(names))
    if missing:
        flags.append(Flag("missing_input", path, f"无法核对{check.name}：缺少 {'、'.join(missing)}"))
        return
    try:
        value = check.formula.evaluate(names)
    except (ZeroDivisionInExpression, ExpressionInvalid) as exc:
        flags.append(Flag("division_by_zero", path, f"无法核对{check.name}：{exc}"))
        return
    if stated_differs(check.stated, value):
        shown = check.formula.substitute(names)
        computed = fmt(value, 2)
        note = f"（{check.note}）" if check.note else ""
        if check.formula.symbolic in check.formula.names:
            # The check compares two figures directly ("全年预算数" against the form's 5).
            flags.append(Flag("stated_mismatch", path, f"文件所写{check.name}为 {format(check.stated, 'f')}{check.unit or ''}，而{check.formula.symbolic}为 {quantity(Decimal(computed), check.unit)}{note}"))
            return
        flags.append(
            Flag(
                "stated_mismatch",
                path,
                f"文件所写{check.name}为 {format(check.stated, 'f')}{check.unit or ''}，按 {shown} 计算为 {quantity(Decimal(computed), check.unit)}{note}",
            )
        )


def _check_stated(indicator: Indicator, stated: Decimal, value: Decimal, flags: list[Flag]) -> None:
    if stated_differs(stated, value):
        flags.append(
            Flag(
                "stated_mismatch",
                indicator.path,
                f"填报的{indicator.name}为 {format(stated, 'f')}{indicator.unit or ''}，按数据计算为 {quantity(value, indicator.unit)}",
            )
        )


def _label(framework: Framework, name: str) -> str:
    """The input as the officer types it, with its longer description when it has one."""
    spec = framework.input(name)
    return f"{name}（{spec.label}）" if spec is not None and spec.label != name else name
