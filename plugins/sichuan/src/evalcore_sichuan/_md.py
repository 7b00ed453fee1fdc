"""The `sichuan-md` format: the 单位决算's 预算绩效管理情况 paragraph for one project, in Markdown.

米易's 2021 单位决算 (seed 004, lines 75–77) writes one paragraph per project:

    城乡居民养老保险管理经费项目绩效目标完成情况综述。项目全年预算数4.64万元，执行数为4.64万元，
    完成预算的100%。通过项目实施，……

This formatter writes that paragraph from the evaluated form — the budget and executed amounts and
the rate as computed, never as the unit stated them — followed by a sentence summing up the
indicator rows, the unit's own 完成情况综述 (data file `[report]`) when given, and, as a quoted
block, whatever the evaluation flagged (a stated rate that disagrees with the form, say).
"""

from __future__ import annotations

from decimal import Decimal

from evalcore import Evaluation, FormatOptions
from evalcore.outputs import question_line, unscored_count

from ._form import FormRow, FormView, completion, fmt, form_view, money, rate

__all__ = ["render_md", "summary_sentence"]

FORMAT = "sichuan-md"
HUNDRED = Decimal(100)


def _budget_word(view: FormView) -> str:
    return "全年预算数" if view.divisor_name == "全年预算数" else view.divisor_name


def _amount(value: Decimal | None) -> str:
    return f"{money(value)}万元" if value is not None else "（未填）"


def summary_sentence(view: FormView) -> str:
    """How the indicator rows came out, in one sentence: counts, and each missed row by name."""
    rows = [item for item in view.rows if item.row.target is not None]
    numeric = [item for item in rows if item.leaf is not None and item.leaf.value is not None]
    met = [item for item in numeric if item.leaf is not None and item.leaf.value is not None and item.leaf.value >= HUNDRED]
    missed = [item for item in numeric if item not in met]
    unfilled = [item for item in rows if item.leaf is not None and item.leaf.status in ("missing", "error")]
    asked = [item for item in rows if item.leaf is not None and item.leaf.status == "questioned"]
    other = len(rows) - len(numeric) - len(unfilled) - len(asked)
    parts = [f"绩效指标共 {len(rows)} 项"]
    if numeric:
        text = f"可量化指标 {len(numeric)} 项，达到目标 {len(met)} 项"
        if missed:
            text += f"，未达到 {len(missed)} 项（{'；'.join(_missed(item) for item in missed)}）"
        parts.append(text)
    if other:
        parts.append(f"定性及时效指标 {other} 项")
    if asked:
        parts.append(f"待核实 {len(asked)} 项（{'、'.join(item.row.path[-1] for item in asked)}）")
    if unfilled:
        parts.append(f"未填写或无法比较 {len(unfilled)} 项（{'、'.join(item.row.path[-1] for item in unfilled)}）")
    if len(parts) == 1:
        return parts[0] + "。"
    return parts[0] + "：" + "；".join(parts[1:]) + "。"


def _missed(item: FormRow) -> str:
    return f"{item.row.path[-1]}{completion(item).replace('未达到目标', '')}"


def _score_sentence(view: FormView) -> str:
    evaluation = view.evaluation
    if not view.scored:
        return ""
    places = evaluation.framework.rounding.places
    if not evaluation.complete:
        question, unscored = question_line(evaluation), unscored_count(evaluation)
        parts = ([question] if question is not None else []) + ([f"{unscored} 项指标未能计分"] if unscored else [])
        return f"绩效自评暂不完整：{'；'.join(parts)}，{evaluation.grade_text}。"
    if evaluation.grade is None:
        return f"绩效自评得分 {fmt(evaluation.total, places)} 分，{evaluation.grade_text}。"
    return f"绩效自评得分 {fmt(evaluation.total, places)} 分，评价等级为“{evaluation.grade}”。"


def render_md(evaluation: Evaluation, options: FormatOptions) -> str:
    view = form_view(evaluation, FORMAT)
    data = evaluation.data
    project = data.project or evaluation.framework.title
    budget = view.budget
    lead = f"**{project}绩效目标完成情况综述。**"
    sentence = f"项目{_budget_word(view)}{_amount(budget.divisor(view.divisor_name))}，"
    if view.execution.status == "questioned":
        # 执行数 typed without its unit (万元 or 元): no amount is stated as fact.
        sentence += "执行数的单位待核实，完成预算的比例暂不能确定。"
    elif view.execution.value is not None:
        sentence += f"执行数为{_amount(budget.executed)}，完成预算的{rate(view.execution.value)}。"
    else:
        sentence += f"执行数为{_amount(budget.executed)}，无法计算完成预算的比例。"
    low = view.reason_below is not None and view.execution.value is not None and view.execution.value < view.reason_below
    if view.reason and low:
        sentence += f"执行率低于{fmt(view.reason_below)}%的原因：{view.reason.rstrip('。')}。"
    own = data.report.get("完成情况综述")
    own_text = "".join(str(v) for v in own) if isinstance(own, (list, tuple)) else (str(own) if own else "")
    paragraph = lead + sentence + own_text + summary_sentence(view) + _score_sentence(view)
    out = [paragraph, ""]
    if evaluation.flags:
        out.append("> **核对提示**")
        out.append(">")
        for flag in evaluation.flags:
            where = "/".join(flag.path) or "全表"
            out.append(f"> - 【{flag.title}】{where}：{flag.message}")
        out.append("")
    return "\n".join(out)
