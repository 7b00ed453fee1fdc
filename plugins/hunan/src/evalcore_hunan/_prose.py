"""What the 自评报告 says from the evaluation, in sentences a unit writes about itself.

Each computed indicator becomes a sentence (“在职人员控制率为83.78%，低于100%的标准，得满分2分”);
each first-level indicator a paragraph with its points and every indicator that lost points with
why; the data's budget, staff and “三公”经费 figures sentences of the sections they belong to.
Nothing here speaks of how the scores were computed or what the data lack: those findings are the
问题清单's. Numbers are written as the seed reports write them, without spaces (“支出决算为10.84万元”);
a questioned result keeps the words every output uses (outputs.question_line).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from evalcore import Evaluation, GroupResult, LeafResult, fmt
from evalcore.model import STATUSES, readings_text
from evalcore.outputs import question_line
from evalcore.rules import ChecklistRule, DeductRule, ExecutionRule, PerCaseRule, ProportionalRule, TargetRule

from ._layout import LEVELS, scored, short_names

__all__ = ["category_paragraph", "category_title", "conclusion", "facts", "leaf_names", "report_subject", "report_title"]

Node = GroupResult | LeafResult


def _q(value: Decimal, unit: str | None) -> str:
    return f"{fmt(value)}{unit or ''}"


def _points(value: Decimal, places: int | None = None) -> str:
    return f"{fmt(value, places)}分"


# -- titles ---------------------------------------------------------------------------------------


def _year(evaluation: Evaluation) -> int:
    return evaluation.data.year or evaluation.framework.year


def report_subject(evaluation: Evaluation) -> str:
    """What was evaluated, with its year: “2020年度部门整体支出”, “2020年度城乡居民养老保险补助项目支出”."""
    year = f"{_year(evaluation)}年度"
    if evaluation.framework.kind == "dept":
        return f"{year}部门整体支出"
    name = evaluation.data.project or ""
    prefix = "" if name.startswith(f"{_year(evaluation)}年") else year
    if name.endswith("项目"):
        return f"{prefix}{name}支出"
    if "支出" in name:  # 鹤城's “2020年度预算支出（……）” names its spending already
        return f"{prefix}{name}"
    return f"{prefix}{name}项目支出"


def report_title(evaluation: Evaluation) -> str:
    """“2020年度怀化市鹤城区社会保险服务中心部门整体支出绩效自评报告”; a project's report is named
    after the project."""
    if evaluation.framework.kind == "dept":
        return f"{_year(evaluation)}年度{evaluation.data.unit or ''}部门整体支出绩效自评报告"
    return f"{report_subject(evaluation)}绩效自评报告"


# -- names ----------------------------------------------------------------------------------------


def leaf_names(evaluation: Evaluation) -> dict[tuple[str, ...], str]:
    """Each indicator's name as a sentence names it: its own name where that is unique; else with
    the indicator it belongs to (“预算管理中的管理制度健全性”); a point below 三级 with its 三级
    indicator (“制度健全性（制定管理制度）”)."""
    paths = [leaf.path for leaf in evaluation.leaves()]
    out: dict[tuple[str, ...], str] = {}
    for path, short in short_names(paths).items():
        if len(path) > LEVELS:
            out[path] = f"{path[LEVELS - 1]}（{path[-1]}）"
        else:
            out[path] = "中的".join(short.split("/"))
    return out


def category_title(name: str) -> str:
    """The part of 四、绩效评价指标分析 for a first-level indicator, in 鹤城 附件5-1's words:
    决策 → 预算支出决策情况, 过程 → 预算执行过程情况; 产出指标 → 产出指标完成情况."""
    if name == "过程":
        return "预算执行过程情况"
    if name.endswith("指标"):
        return f"{name}完成情况"
    if name.endswith("率"):
        return name
    return f"预算支出{name}情况"


# -- one indicator --------------------------------------------------------------------------------


def _deduct(rule: DeductRule, leaf: LeafResult, value: Decimal, places: int) -> str:
    unit, weight, score = leaf.indicator.unit, leaf.weight, leaf.score
    assert score is not None
    threshold = _q(rule.threshold, unit)
    distance = {"over": value - rule.threshold, "under": rule.threshold - value, "both": abs(value - rule.threshold)}[rule.direction]
    if distance <= 0:
        side = {
            "over": "低于" if value < rule.threshold else "未超过",
            "under": "高于" if value > rule.threshold else "达到",
            "both": "等于",
        }[rule.direction]
        return f"{side}{threshold}的标准，得满分{_points(weight)}"
    if score == 0 and rule.zero_beyond is not None and distance > abs(rule.zero_beyond - rule.threshold):
        return f"超出{_q(rule.zero_beyond, unit)}的界限，不得分"
    word = {"over": "超过", "under": "低于", "both": "偏离"}[rule.direction]
    step = "个百分点" if unit == "%" else (unit or "")
    tail = "扣完为止，得0分" if score == 0 else f"扣{_points(weight - score, places)}，得{_points(score, places)}"
    return f"{word}{threshold}的标准{fmt(distance)}{step}，{tail}"


def _proportional(rule: ProportionalRule, leaf: LeafResult, places: int) -> str:
    target, score = _q(rule.target, leaf.indicator.unit), leaf.score
    assert score is not None
    if score == leaf.weight:
        return f"{'未超过' if rule.reverse else '达到'}{target}的目标，得满分{_points(leaf.weight)}"
    return f"{'超过' if rule.reverse else '未达到'}{target}的目标，按比例得{_points(score, places)}"


def _score_words(leaf: LeafResult, places: int) -> str:
    assert leaf.score is not None
    if leaf.score == leaf.weight:
        return f"得满分{_points(leaf.weight)}"
    return f"得{_points(leaf.score, places)}（满分{_points(leaf.weight)}）"


def _targets(rule: TargetRule, leaf: LeafResult, places: int) -> str:
    rows = []
    for row in rule.rows:
        if row.target is None:
            continue
        done = row.actual.text if row.actual is not None else "未填写"
        rows.append(f"{row.path[-1]}指标值为{row.target.text}，完成值为{done}")
    return "；".join(rows) + f"，{_score_words(leaf, places)}"


def _checklist(evaluation: Evaluation, rule: ChecklistRule, leaf: LeafResult) -> str:
    entry = evaluation.data.entries.get(leaf.indicator.id)
    answers = entry.checkpoints if entry is not None and entry.checkpoints is not None else ()
    missed = []
    for point, answer in zip(rule.checkpoints, answers):
        text = point.text.rstrip("。；; ")
        if answer is False or answer == 0:
            missed.append(f"“{text}”未达到要求")
        elif not isinstance(answer, bool) and answer < point.points:
            missed.append(f"“{text}”部分达到要求")
    return "，".join(missed)


def _reason(evaluation: Evaluation, leaf: LeafResult) -> str:
    """The unit's own reason for a judged score, as written."""
    rule = leaf.indicator.rule
    if isinstance(rule, TargetRule):
        reasons = [row.reason for row in rule.rows if row.reason]
        return "；".join(r.rstrip("。；; ") for r in reasons)
    entry = evaluation.data.entries.get(leaf.indicator.id)
    return (entry.reason or "").rstrip("。；; ") if entry is not None else ""


def measured(evaluation: Evaluation, leaf: LeafResult, name: str) -> str | None:
    """The sentence for an indicator computed from figures: its measured value against the rule;
    for a row of a target form, its target and what was done, judged or computed."""
    if leaf.score is None:
        return None
    places = evaluation.framework.rounding.places
    rule = leaf.indicator.rule
    if leaf.exemption is not None:
        figure = f"{name}为{_q(leaf.value, leaf.indicator.unit)}，" if leaf.value is not None else ""
        reason = leaf.exemption.rstrip("。；; ")
        return f"{figure}评分标准规定“{leaf.indicator.exemption}”，本单位申请豁免，理由是{reason}，该项不扣分，得{_points(leaf.score, places)}"
    if isinstance(rule, TargetRule):
        text = _targets(rule, leaf, places)
        reason = _reason(evaluation, leaf) if leaf.status == "judgment" and leaf.score < leaf.weight else ""
        return f"{text}，理由是{reason}" if reason else text
    if leaf.status != "scored":
        return None
    if isinstance(rule, ExecutionRule):
        budget = rule.budget
        full, done = budget.divisor(rule.divisor_name), budget.executed
        figures = f"{rule.divisor_name}{_q(full, '万元')}，执行数{_q(done, '万元')}，" if full is not None and done is not None else ""
        rate = f"预算执行率为{_q(leaf.value, '%')}，" if leaf.value is not None else ""
        return f"{figures}{rate}{_score_words(leaf, places)}"
    if leaf.value is None:
        return None
    head = f"{name}为{_q(leaf.value, leaf.indicator.unit)}"
    if isinstance(rule, DeductRule):
        return f"{head}，{_deduct(rule, leaf, leaf.value, places)}"
    if isinstance(rule, ProportionalRule):
        return f"{head}，{_proportional(rule, leaf, places)}"
    return f"{head}，{_score_words(leaf, places)}"


def lost(evaluation: Evaluation, leaf: LeafResult, name: str) -> str | None:
    """Why an indicator not computed from figures lost points: the points of its checklist not met,
    the cases found, or the unit's reason for its judgment."""
    if leaf.score is None or leaf.score >= leaf.weight:
        return None
    places = evaluation.framework.rounding.places
    rule = leaf.indicator.rule
    head = f"{name}得{_points(leaf.score, places)}（满分{_points(leaf.weight)}）"
    if leaf.status == "judgment":
        reason = _reason(evaluation, leaf)
        return f"{name}评定得{_points(leaf.score, places)}（满分{_points(leaf.weight)}）" + (f"，理由是{reason}" if reason else "")
    if isinstance(rule, ChecklistRule):
        missed = _checklist(evaluation, rule, leaf)
        return f"{head}，{missed}" if missed else head
    if isinstance(rule, PerCaseRule):
        entry = evaluation.data.entries.get(leaf.indicator.id)
        if entry is not None and entry.cases is not None:
            return f"{head}，{rule.what}{fmt(entry.cases)}例"
    return head


# -- the scoring result ---------------------------------------------------------------------------


def _category_points(child: Node, places: int) -> str:
    name = child.indicator.name if isinstance(child, LeafResult) else child.group.name
    full = child.weight if isinstance(child, LeafResult) else child.max
    leaves = [child] if isinstance(child, LeafResult) else list(child.leaves())
    unscored = [leaf for leaf in leaves if leaf.score is None and leaf.status != "not-applicable"]
    score = sum((leaf.score for leaf in leaves if leaf.score is not None), Decimal(0))
    label = name if name.endswith(("指标", "率")) else f"{name}指标"
    if isinstance(child, LeafResult) and child.score is None:  # its own sentence says why
        return f"{label}满分{_points(full)}"
    if unscored:
        return f"{label}满分{_points(full)}，已计分的指标得{_points(score, places)}（{len(unscored)}项未计分）"
    return f"{label}满分{_points(full)}，得{_points(score, places)}"


def _names(leaves: Sequence[LeafResult], names: dict[tuple[str, ...], str], limit: int = 0) -> str:
    listed = [names[leaf.path] for leaf in leaves]
    if limit and len(listed) > limit:
        return "、".join(listed[:limit]) + f"等{len(listed)}项指标"
    return "、".join(listed) + (f"{len(listed)}项指标" if len(listed) > 1 else "")


def indicator_count(leaves: Sequence[LeafResult]) -> int:
    """How many indicators the unit's table has: a target form's rows that share one weight count
    one by one, as the form prints them."""
    return sum(sum(1 for row in leaf.indicator.rule.rows if row.target is not None) if isinstance(leaf.indicator.rule, TargetRule) else 1 for leaf in leaves)


def conclusion(evaluation: Evaluation) -> list[str]:
    """The total, the grade (or why there is none) and each first-level indicator's points."""
    framework = evaluation.framework
    places = framework.rounding.places
    leaves = list(evaluation.leaves())
    names = leaf_names(evaluation)
    opening = f"本单位对照《{framework.title}》，对{report_subject(evaluation)}开展了绩效自评。"
    if not scored(evaluation):
        return [opening + f"本次评价逐项核对了{indicator_count(leaves)}项绩效指标的完成情况，不计分，不评定等级。"]
    text = opening + f"评价指标共{indicator_count(leaves)}项，满分{_points(evaluation.max)}"
    missing = list(evaluation.missing)
    if not missing and not evaluation.weights_add_up:
        # Weights that do not add up to the table's maximum: no score is stated as the unit's.
        text += f"。各项指标的分值合计与满分不符，按各项得分相加为{_points(evaluation.total, places)}，不能作为评价得分，评价等级{evaluation.grade_text}。"
    elif not missing:
        text += f"，评价得分{_points(evaluation.total, places)}，"
        text += f"评价等级为“{evaluation.grade}”。" if evaluation.grade is not None else f"评价等级{evaluation.grade_text}。"
    else:
        questioned = [leaf for leaf in missing if leaf.status == "questioned"]
        unscored = [leaf for leaf in missing if leaf.status != "questioned"]
        parts = []
        if unscored:
            statuses = {leaf.status for leaf in unscored}
            why = STATUSES[statuses.pop()] if len(statuses) == 1 else "缺数据或无法计分"
            parts.append(f"{_names(unscored, names, limit=5)}暂未计分（{why}）")
        if questioned:
            asked = "；".join(f"{names[leaf.path]}{readings_text(leaf.readings, places)}" for leaf in questioned)
            parts.append(f"{_names(questioned, names)}的数据待核实（{asked}）")
        text += "。其中" + "，".join(parts)
        counted = indicator_count([leaf for leaf in leaves if leaf.score is not None])
        text += f"；已计分的{counted}项指标合计得{_points(evaluation.total, places)}，评价等级{evaluation.grade_text}。"
        question = question_line(evaluation)
        if question is not None:
            text += f"{question}。"
    not_applicable = [leaf for leaf in leaves if leaf.status == "not-applicable"]
    if evaluation.raw_total != evaluation.total:
        text += f"{_names(not_applicable, names)}不适用，按评分办法将其余指标得分合计{_points(evaluation.raw_total, places)}折算为{_points(evaluation.total, places)}。"
    claimed = evaluation.claimed_total
    if not missing and evaluation.weights_add_up and claimed is not None and claimed != evaluation.total:
        # The unit's own total differs from the one computed: the unit says so in its own words.
        text += f"单位原自评总分{_points(claimed)}，按评分标准逐项核算为{_points(evaluation.total, places)}，差异见附件评分表。"
    if not evaluation.weights_add_up:
        return [text, "各项指标的分值与得分见附件评分表。"]  # a category's "满分50分，得60分" would be no fact either
    categories = "；".join(_category_points(child, places) for child in evaluation.children)
    return [text, f"其中：{categories}。各项指标的得分情况见附件。"]


def category_paragraph(evaluation: Evaluation, child: Node, names: dict[tuple[str, ...], str]) -> str:
    """One first-level indicator: its points, each computed indicator's figure against its
    standard, each indicator that lost points with why, those not scored, and the rest in one."""
    places = evaluation.framework.rounding.places
    leaves = [child] if isinstance(child, LeafResult) else list(child.leaves())
    head = _category_points(child, places)
    sentences: list[str] = []
    told: set[tuple[str, ...]] = set()
    for leaf in leaves:
        said = measured(evaluation, leaf, names[leaf.path]) or lost(evaluation, leaf, names[leaf.path])
        if said is not None:
            sentences.append(said)
            told.add(leaf.path)
    for status in ("questioned", "missing", "error", "not-applicable"):
        group = [leaf for leaf in leaves if leaf.status == status]
        if not group:
            continue
        if status == "questioned":
            sentences.extend(f"{names[leaf.path]}未计分（待核实）：{readings_text(leaf.readings, places)}" for leaf in group)
        elif status == "not-applicable":
            # A framework may give an indicator that does not apply its full points, or leave it out.
            sentences.extend(f"{names[leaf.path]}不适用，按评分办法得{_points(leaf.score, places)}" for leaf in group if leaf.score is not None)
            left_out = [leaf for leaf in group if leaf.score is None]
            if left_out:
                sentences.append(f"{_names(left_out, names)}不适用，不计分")
        else:
            sentences.append(f"{_names(group, names)}未计分（{STATUSES[status]}）")
        told.update(leaf.path for leaf in group)
    rest = [leaf for leaf in leaves if leaf.path not in told]
    if rest and len(leaves) > 1 and all(leaf.score == leaf.weight for leaf in rest):
        sentences.append("其余各项指标均得满分" if told else "各项指标均得满分")
    return f"{head}。" + ("；".join(sentences) + "。" if sentences else "")


# -- figures of the data --------------------------------------------------------------------------

# The data's figures that belong to a section of the dept report, as sentences: (opening, ((input
# id, what it is), …)). The ids are those of the Hunan frameworks (鹤城, 桃江).
_FIGURES: dict[str, tuple[tuple[str, tuple[tuple[str, str], ...]], ...]] = {
    "人员编制情况": (("本单位", (("编制数", "核定编制"), ("在职人员数", "本年度实际在职人员"))),),
    "部门预决算情况": (
        ("{year}年度部门", (("预算数", "预算数"), ("预算调整数", "预算调整数"), ("预算执行数", "预算执行数"), ("预算完成数", "预算完成数"), ("预算总支出", "预算总支出"))),
        ("{year}年度", (("结转结余总额", "结转结余总额"), ("上年结转结余总额", "上年度累计结转结余资金"))),
    ),
    "部门预算执行情况": (
        ("{year}年度“三公”经费", (("三公经费预算数", "预算数"), ("本年三公经费", "决算数"), ("上年三公经费", "上年度决算数"))),
        ("公用经费", (("公用经费预算数", "预算数"), ("公用经费决算数", "决算数"))),
        ("政府采购", (("政府采购预算数", "预算数"), ("政府采购金额", "实际采购金额"))),
        ("支付进度", (("既定支付进度", "既定"), ("实际支付进度", "实际"))),
    ),
    "预算支出概况": (("本项目", (("预算资金", "预算资金"), ("计划投入资金", "计划投入资金"), ("应到位资金", "应到位资金"), ("实际到位资金", "实际到位资金"), ("实际支出资金", "实际支出资金"))),),
}


def _input_figure(evaluation: Evaluation, input_id: str) -> str | None:
    value = evaluation.data.inputs.get(input_id)
    if not isinstance(value, Decimal):
        return None
    spec = next((s for s in evaluation.framework.inputs if s.id == input_id), None)
    return _q(value, spec.unit if spec is not None else None)


def _form_budget(evaluation: Evaluation) -> list[str]:
    form = evaluation.data.form
    if form is None:
        return []
    line = form.total
    # 执行数 typed without its unit (万元 or 元?) is in question: no amount is stated as fact.
    asked = any(leaf.status == "questioned" and isinstance(leaf.indicator.rule, ExecutionRule) for leaf in evaluation.leaves())
    figures = [(what, value) for what, value in (("年初预算数", line.initial), ("全年预算数", line.full_year), ("调整后预算数", line.revised), ("全年执行数", line.executed)) if value is not None]
    if asked:
        figures = [(what, value) for what, value in figures if what != "全年执行数"]
    if not figures:
        return []
    text = "本项目" + "，".join(f"{what}{_q(value, '万元')}" for what, value in figures) + ("，全年执行数的单位待核实" if asked else "") + "。"
    sources = [s for s in form.sources if s.executed is not None or s.full_year is not None]
    if len(sources) > 1 and not asked:
        text += "其中：" + "；".join(f"{s.name}全年预算数{_q(s.full_year, '万元') if s.full_year is not None else '未填写'}，执行数{_q(s.executed, '万元') if s.executed is not None else '未填写'}" for s in sources) + "。"
    return [text]


def _targets_done(evaluation: Evaluation) -> list[str]:
    """How far a target form's indicators were reached: all of them, or which were not."""
    rows = [leaf for leaf in evaluation.leaves() if isinstance(leaf.indicator.rule, TargetRule)]
    if not rows:
        return []
    text = f"本项目设定年度绩效指标{indicator_count(rows)}项"
    short = [leaf for leaf in rows if leaf.score is not None and leaf.score < leaf.weight]
    unscored = [leaf for leaf in rows if leaf.score is None]
    if not short and not unscored:
        return [text + "，各项指标的完成值均达到年度指标值。"]
    names = leaf_names(evaluation)
    if short:
        text += f"，其中{_names(short, names)}未全部达到年度指标值"
    if unscored:
        text += f"，{_names(unscored, names)}的完成情况暂未计分"
    return [text + "，各项指标的完成值见第四部分。"]


def facts(evaluation: Evaluation, key: str) -> list[str]:
    """The data's figures for a section, as sentences; empty when the data have none for it."""
    if key == "预算支出概况" and evaluation.data.form is not None:
        return _form_budget(evaluation)
    if key == "预算支出绩效目标完成程度":
        return _targets_done(evaluation)
    out = []
    for opening, items in _FIGURES.get(key, ()):
        figures = [f"{what}{figure}" for input_id, what in items if (figure := _input_figure(evaluation, input_id)) is not None]
        if figures:
            out.append(opening.format(year=_year(evaluation)) + "，".join(figures) + "。")
    return ["".join(out)] if out else []
