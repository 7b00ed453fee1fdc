"""The reference evaluation: pure, decimal, every point explained.

Leaves are scored in one flat loop (`_score_leaves`); a leaf with nothing to report takes its rule's
quick scorer, any other is scored in full (`_leaf.score_leaf`). Unit-wide checks follow: totals,
self-score totals, the unit's own stated figures, missing inputs, year, grade.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from ..load import ENCODING_WORDS, data_from_mapping
from ..model import CONTEXT, EMPTY_ENTRY, FLAG_KINDS, Evaluation, Flag, Framework, LeafRecord, LeafResult, UnitData, fmt
from ._leaf import run_check, score_leaf, score_questioned, stated_differs
from ._tree import result_tree

__all__ = ["Scored", "conclude", "evaluate_in_full", "evaluate_reference", "opening_flags"]

ZERO = Decimal(0)


def evaluate_reference(framework: Framework, data: UnitData | Mapping[str, Any]) -> Evaluation:
    """Score one unit's data against a framework the reference way: each leaf by its rule's quick
    scorer or in full (see `_score_leaves`). Never raises for data problems the rules foresee:
    missing inputs, zero divisors and rule defects become statuses and flags. The compiled scorer
    (`evaluate`) is held to give the same evaluation."""
    with decimal.localcontext(CONTEXT):
        return _evaluate(framework, data)


def evaluate_in_full(framework: Framework, data: UnitData | Mapping[str, Any]) -> Evaluation:
    """`evaluate_reference` with every indicator scored the full way, never by its rule's quick scorer.

    The reference the quick way is held to: `evalcore.testing.assert_sound` compares the two.
    """
    with decimal.localcontext(CONTEXT):
        return _evaluate(framework, data, quick=False)


def _evaluate(framework: Framework, data: UnitData | Mapping[str, Any], quick: bool = True) -> Evaluation:
    if not isinstance(data, UnitData):
        data = data_from_mapping(data, framework)
    flags: list[Flag] = []
    if framework.form is not None:
        from ._form import expand_form  # only for a framework with a target form

        framework, data, findings = expand_form(framework, data)
        flags.extend(Flag(kind, path, message) for path, kind, message in findings)
    opening_flags(framework, data, flags)
    return conclude(framework, data, flags, _score_leaves(framework, data, flags, quick))


def opening_flags(framework: Framework, data: UnitData, flags: list[Flag]) -> None:
    """The unit's findings before any leaf is scored: the file's encoding, converted units."""
    if data.encoding is not None:
        word = ENCODING_WORDS.get(data.encoding, data.encoding)
        flags.append(Flag("file_encoding", (), f"数据文件不是 UTF-8 编码，已按 {word}读取；如名称显示为乱码，请把文件另存为 UTF-8 后重新计分"))
    for conversion in data.conversions:
        spec = framework.input(conversion.input)
        label = spec.label if spec else conversion.input
        flags.append(Flag("unit_converted", (), f"输入“{label}”填写为 {conversion.given}，已换算为 {fmt(conversion.value)}{conversion.unit}"))


def conclude(framework: Framework, data: UnitData, flags: list[Flag], scored: Scored, inputs_present: bool = False) -> Evaluation:
    """The evaluation from the scored leaves: totals, the unit-wide checks, the grade.
    `inputs_present` says that every required input is known to be in the data."""
    raw_total, na_out, complete = scored.raw_total, scored.na_out, scored.complete
    # The maximum is the framework's total, whatever was entered: an unscored indicator keeps its
    # weight in it, and weights that do not add up to it are a finding, not a smaller maximum.
    maximum = framework.total
    applicable = framework.leaf_weight - na_out
    total = _rescaled(framework, raw_total, applicable)
    if na_out and applicable > 0:
        flags.append(Flag("not_applicable", (), f"不适用指标共 {fmt(na_out)} 分，按框架规定重新分配：{fmt(raw_total)} / {fmt(applicable)} × {fmt(framework.total)} = {fmt(total)} 分"))
    if framework.scored and framework.form is None and framework.leaf_weight != framework.total:
        flags.append(Flag("weight_mismatch", (), f"各指标分值合计 {fmt(framework.leaf_weight)} 分，框架总分为 {fmt(framework.total)} 分"))
    readings = tuple(zip(_reading_labels(scored.records), (_rescaled(framework, raw_total + points, applicable) for points in scored.readings))) if scored.readings else ()
    self_total = sum(scored.selfs, ZERO) if scored.selfs else None
    if data.self_total is not None and self_total is not None and data.self_total != self_total:
        flags.append(Flag("self_total_mismatch", (), f"填报的自评总分为 {fmt(data.self_total)} 分，而各项自评得分合计为 {fmt(self_total)} 分"))
    for check in data.checks:
        run_check(check, data, framework, flags)
    if not inputs_present and not framework.required_inputs <= data.inputs.keys():
        reported = " ".join(f.message for f in flags if f.kind == "missing_input")
        for spec in framework.inputs:
            if spec.required and spec.id not in data.inputs and f"“{spec.label}”" not in reported and f"“{spec.id}”" not in reported:
                flags.append(Flag("missing_input", ("基础数据", spec.label), f"缺少必填的基础数据“{spec.label}”"))
    flags.extend(year_flags(framework, data))
    # Weights that do not add up make the maximum itself wrong: no grade until they are fixed.
    weights_agree = not flags or not any(flag.kind == "weight_mismatch" for flag in flags)
    ungraded = _ungraded(framework, scored, complete, weights_agree)
    grade = framework.grade_for(total) if ungraded is None else None
    flags.extend(grade_flags(framework, data, grade, total))
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
        build_tree=functools.partial(result_tree, framework, data, scored.records),
        ungraded=ungraded,
        readings=readings,
    )


def _reading_labels(records: tuple[LeafRecord, ...]) -> tuple[str, ...]:
    """The names of the two readings of the unit's questioned figures, in the order of
    LeafResult.readings: the indicators' own ("按 0.9% 计") when they all read the same figures, else
    as typed against as a percentage (× 100) or, for 执行数, as a figure in 元."""
    questioned = [record for record in records if isinstance(record, LeafResult) and record.readings]
    labels = {tuple(label for label, _points in record.readings) for record in questioned}
    if len(labels) == 1:
        return labels.pop()
    from ..rules import ExecutionRule

    in_yuan = sum(isinstance(record.indicator.rule, ExecutionRule) for record in questioned)
    other = "按百分数（×100）计" if not in_yuan else "按执行数以元计" if in_yuan == len(questioned) else "按百分数（×100）、执行数以元计"
    return "按填写的数计", other


def _rescaled(framework: Framework, raw_total: Decimal, applicable: Decimal) -> Decimal:
    """The total: the sum of the points, rescaled to the framework's total when not-applicable
    indicators' weights leave the maximum (not_applicable = "redistribute")."""
    if applicable <= 0 or applicable == framework.leaf_weight:
        return raw_total
    return framework.rounding.apply(CONTEXT.divide(raw_total * framework.total, applicable))


def _ungraded(framework: Framework, scored: Scored, complete: bool, weights_agree: bool) -> str | None:
    """Why no grade can be given, in the words reports print after 不评定; None when one can."""
    if not framework.scored:
        return "本表不计分"
    if scored.readings:
        return "待核实"
    if not complete:
        statuses = {record.status for record in scored.records if isinstance(record, LeafResult) and record.score is None}
        return "有指标无法计分" if "error" in statuses else "缺数据"
    return framework_ungraded(framework, weights_agree)


class Scored(NamedTuple):
    records: tuple[LeafRecord, ...]  # one per leaf, in the framework's order
    raw_total: Decimal  # the sum of the scores
    na_out: Decimal  # the weight of not-applicable leaves left out of the maximum
    complete: bool  # every leaf scored or not applicable
    selfs: list[Decimal]  # the self-scores given
    # The questioned leaves' points under each reading (as typed, as percentages); empty without any.
    readings: tuple[Decimal, ...]


def _score_leaves(framework: Framework, data: UnitData, flags: list[Flag], quick: bool) -> Scored:
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
    entries, inputs, questions = data.entries, data.inputs, data.questions
    readings = [ZERO, ZERO]
    questioned = False
    context = framework.rounding.context
    value_quantum, quantum = framework.rounding.value_quantum, framework.rounding.quantum
    for indicator in framework.leaves():
        entry = entries.get(indicator.id, EMPTY_ENTRY)
        if entry.self_score is not None:
            selfs.append(entry.self_score)
        reads, scorer, code, scope, status = indicator.plan
        if questions and not indicator.needs.isdisjoint(questions):
            leaf = score_questioned(indicator, entry, framework, data, flags)
        elif (
            quick
            and scorer is not None
            and (not reads or reads <= inputs.keys())
            # An evaluator's score is the points of a judgment, and beside a computed score it is flagged.
            # A claimed exemption is traced and flagged: the full way.
            and (entry is EMPTY_ENTRY or not (entry.not_applicable or entry.exemption is not None or (entry.score is not None and status != "judgment")))
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
                # A plugin's quick scorer answering anything but a finite Decimal (NaN, a float, a
                # text) goes the full way, which reports its rule's fault in words.
                score = context.quantize(score, quantum) if type(score) is Decimal and score.is_finite() else None
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
            leaf = score_leaf(indicator, entry, framework, data, flags)
        else:
            leaf = score_leaf(indicator, entry, framework, data, flags)
        if leaf.score is not None:
            raw_total += leaf.score
        elif leaf.status == "not-applicable":
            na_out += indicator.weight
        else:
            complete = False
        # A form that gives no points has no totals to read two ways.
        if leaf.readings and framework.scored:
            questioned = True
            for index, (_label, points) in enumerate(leaf.readings[:2]):
                readings[index] += points or ZERO
        records.append(leaf)
    return Scored(tuple(records), raw_total, na_out, complete, selfs, tuple(readings) if questioned else ())


def year_flags(framework: Framework, data: UnitData) -> list[Flag]:
    """The data's year outside the years the framework applies to, as a finding."""
    if data.year is None or _in_force(framework, data.year):
        return []
    years = framework.form.years(framework.year) if framework.form is not None else f"{framework.year} 年"
    return [Flag("year_mismatch", (), f"数据年度为 {data.year} 年，《{framework.title}》适用于 {years}")]


def grade_flags(framework: Framework, data: UnitData, grade: str | None, total: Decimal) -> list[Flag]:
    """The grade the document claims against the one the total earns, as a finding."""
    if grade is None or data.stated_grade is None:
        return []
    band = next(b for b in framework.grades if b.name == grade)
    if band.called(data.stated_grade):
        return []
    limits = "，".join(f"{b.name} ≥ {fmt(b.min)}" for b in framework.grades if b.min > 0)
    return [Flag("stated_grade_mismatch", (), f"文件所写等级为“{data.stated_grade}”，按框架等级标准（{limits}）总分 {fmt(total)} 分应为“{grade}”")]


def framework_ungraded(framework: Framework, weights_agree: bool) -> str | None:
    """Why no unit of this framework can be graded, whatever its data: weights that do not add up,
    or grades made for another total."""
    if not weights_agree:
        return FLAG_KINDS["weight_mismatch"]  # 分值合计不符: Evaluation.weights_add_up reads it
    if framework.unreachable_grades:
        # Grades made for another total (the national 90/80/60 on a 2-point table): a grade read
        # from them would be wrong, so none is given (evalcore check says so as an error).
        return "等级标准与总分不符"
    return None


def _in_force(framework: Framework, year: int) -> bool:
    """Whether the framework applies to data of `year`: its own year, or a form's declared years."""
    return framework.form.in_force(year, framework.year) if framework.form is not None else year == framework.year
