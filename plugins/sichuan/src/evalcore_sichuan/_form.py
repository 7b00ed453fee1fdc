"""A target form's evaluation read back as the form's rows: budget lines, indicator rows with their
leaf results, and the wording both Sichuan outputs share (指标性质, 完成情况, money and rates).

evalcore scores a target form by expanding it into leaves whose rules carry the form's rows
(`TargetRule.rows`) and budget (`ExecutionRule.budget`). Those types are not part of evalcore's
public API, so this module is the one place that imports them.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal

from attrs import frozen

from evalcore import EvalcoreError, Evaluation, LeafResult
from evalcore.model import BudgetLine, TargetRow, readings_text
from evalcore.rules import ExecutionRule, TargetRule

__all__ = [
    "FormRow",
    "FormView",
    "completion",
    "direction_of",
    "fmt",
    "form_view",
    "money",
    "rate",
    "source_line",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
EXECUTION = "预算执行率"


def fmt(value: Decimal | None, places: int | None = None) -> str:
    """A Decimal as a person writes it: no exponent, no trailing zeros; half-up to `places`."""
    if value is None:
        return ""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def money(value: Decimal | None) -> str:
    """万元 as the forms print them: "4.64", "102.24"; empty when not given."""
    return fmt(value)


def rate(value: Decimal | None) -> str:
    """A percentage rounded to two places: "92.8%"; empty when not computed."""
    return "" if value is None else f"{fmt(value, 2)}%"


@frozen
class FormRow:
    """One indicator row of the form with the leaf that scored it (None for a row that says 无).

    `first` and `span` describe rows that share one leaf (one 分值 for several rows): the first row
    of the group carries the weight and score cells, spanning `span` rows.
    """

    row: TargetRow
    leaf: LeafResult | None
    first: bool = True
    span: int = 1


@frozen
class FormView:
    """Everything a form layout needs from one evaluation."""

    evaluation: Evaluation
    execution: LeafResult
    budget: BudgetLine  # the 总额 line (summed from the sources when only they were given)
    divisor_name: str  # 全年预算数 or 调整后预算数
    sources: tuple[BudgetLine, ...]
    rows: tuple[FormRow, ...]
    reason: str | None  # why the execution rate is low, as the unit wrote it
    reason_below: Decimal | None

    @property
    def scored(self) -> bool:
        return self.evaluation.framework.scored

    @property
    def targets_weight(self) -> Decimal:
        """What the indicator rows weigh together (the form's 90 分 block in Sichuan 2023)."""
        return sum((r.leaf.weight for r in self.rows if r.leaf is not None and r.first), ZERO)


def form_view(evaluation: Evaluation, formatter: str) -> FormView:
    """The form behind an evaluation; EvalcoreError when the framework is not a target form."""
    form = evaluation.data.form
    if form is None or evaluation.framework.form is None:
        raise EvalcoreError(
            f"输出格式 {formatter} 只适用于项目支出绩效自评表（kind = \"project-targets\"），框架 {evaluation.framework.id} 不是",
            hint="用 --format table 或 md 查看其他框架的结果",
        )
    execution: LeafResult | None = None
    by_row: dict[TargetRow, tuple[LeafResult, int, int]] = {}
    for leaf in evaluation.leaves():
        rule = leaf.indicator.rule
        if isinstance(rule, ExecutionRule):
            execution = leaf
        elif isinstance(rule, TargetRule):
            for index, row in enumerate(rule.rows):
                by_row[row] = (leaf, index, len(rule.rows))
    if execution is None or not isinstance(execution.indicator.rule, ExecutionRule):
        raise EvalcoreError(f"评价结果中没有“{EXECUTION}”，无法按自评表格式输出")
    rule = execution.indicator.rule
    rows: list[FormRow] = []
    for row in form.rows:
        found = by_row.get(row)
        if found is None:
            rows.append(FormRow(row, None))
            continue
        leaf, index, span = found
        rows.append(FormRow(row, leaf, first=index == 0, span=span))
    return FormView(
        evaluation=evaluation,
        execution=execution,
        budget=rule.budget,
        divisor_name=rule.divisor_name,
        sources=form.sources,
        rows=tuple(rows),
        reason=rule.reason,
        reason_below=rule.reason_below,
    )


def source_line(sources: Sequence[BudgetLine], *names: str) -> BudgetLine | None:
    """The source row called by one of `names` (其它资金 and 其他资金 are the same row)."""
    wanted = {n.replace("其它", "其他") for n in names}
    for line in sources:
        if line.name.replace("其它", "其他") in wanted:
            return line
    return None


def direction_of(item: FormRow) -> str:
    """The 指标性质 of a row: ≥ / ≤ / = / 区间 for numbers, 定性 for text and dates."""
    row = item.row
    if row.target is None:
        return ""
    if row.target.kind == "range":
        return "区间"
    if row.target.kind in ("text", "period"):
        return "定性"
    if row.target.direction is not None:
        return row.target.direction
    if row.direction is not None:
        return row.direction
    if item.leaf is not None and isinstance(item.leaf.indicator.rule, TargetRule):
        return item.leaf.indicator.rule.directions.get(row.path[1], "≥")
    return "≥"


def completion(item: FormRow) -> str:
    """达到 / 未达到（完成 50%） / 定性 …: what the row's comparison found, in words."""
    row, leaf = item.row, item.leaf
    if row.target is None:
        return "无此项指标"
    if leaf is None:
        return ""
    if row.actual is None:
        return "未填写完成值"
    if row.target.kind in ("quantity", "range") and row.actual.value is None:
        return "完成值不是数值，无法比较"
    if leaf.status == "questioned":
        # Each reading's points; on a form without points, the trace's last line says how far each reading reaches.
        scored = any(points is not None for _label, points in leaf.readings)
        return f"待核实：{readings_text(leaf.readings) if scored else leaf.reason}"
    if leaf.status == "missing":
        return "待评定：未填写评定得分"
    if leaf.status == "error":
        return "无法判断"
    if leaf.value is None:
        if leaf.status == "judgment":
            return f"定性指标，评定为“{row.tier}”" if row.tier else "定性指标，已评定"
        same = row.actual is not None and row.actual.text.replace(" ", "") == row.target.text.replace(" ", "")
        return "定性指标，与预期一致" if same else "定性指标，列示完成情况"
    if item.span > 1:
        return f"{item.span} 项平均完成 {rate(leaf.value)}"
    if leaf.value >= HUNDRED:
        return "达到目标"
    return f"未达到目标，完成 {rate(leaf.value)}"
