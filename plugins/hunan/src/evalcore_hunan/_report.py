"""The text of the 自评报告: the Hunan outline, and the paragraphs evalcore can write from the evaluation.

Narrative sections come from the data file's [report] table, keyed by the section's name without
its number (``机构设置情况 = "..."``); a section without text gets a visible placeholder, never
invented facts. The 绩效情况 and 问题 sections are written from the scores, traces and flags.
"""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from evalcore import Evaluation, GroupResult, LeafResult
from evalcore.model import FLAG_KINDS, STATUSES, readings_text
from evalcore.outputs import question_line

from ._layout import flag_sentences, fmt, report_paragraphs, report_table, scored, sheet_title

__all__ = [
    "DEPT_OUTLINE",
    "PROJECT_OUTLINE",
    "REPORT_KEYS",
    "Part",
    "Section",
    "analysis",
    "conclusion",
    "other",
    "outline",
    "placeholder",
    "problems",
    "report_title",
    "section_text",
]


@frozen
class Part:
    """A heading of the outline, the [report] key that fills it, and what the unit should write."""

    heading: str
    key: str
    hint: str = ""


@frozen
class Section:
    heading: str
    key: str | None = None  # filled as a whole when it has no parts
    hint: str = ""
    parts: tuple[Part, ...] = ()


_RESULTS = (Part("（一）综合评价结论", "综合评价结论"), Part("（二）评价指标分析", "评价指标分析"))
_TAIL = (
    Section("四、存在的问题及原因分析", "存在的问题及原因分析", "存在问题的原因分析"),
    Section("五、下一步改进措施", "下一步改进措施", "针对上述问题的改进措施和有关建议"),
    Section("六、其他需要说明的情况", "其他需要说明的情况", "其他需要说明的事项；没有的写“无”"),
)

DEPT_OUTLINE: tuple[Section, ...] = (
    Section(
        "一、部门（单位）基本情况",
        parts=(
            Part("（一）机构设置情况", "机构设置情况", "内设机构、隶属关系和单位性质"),
            Part("（二）人员编制情况", "人员编制情况", "编制数、实有人数及其构成"),
            Part("（三）主要职能职责", "主要职能职责", "部门（单位）的主要职能职责"),
            Part("（四）绩效目标设定情况", "绩效目标设定情况", "年度整体绩效目标及其设定依据"),
        ),
    ),
    Section(
        "二、部门整体支出管理及使用情况",
        parts=(
            Part("（一）部门预决算情况", "部门预决算情况", "年初预算、调整预算和决算的收入、支出及差异原因"),
            Part("（二）部门预算执行情况", "部门预算执行情况", "预算执行、“三公”经费和政府采购等执行情况"),
        ),
    ),
    Section("三、部门整体支出绩效情况", parts=_RESULTS),
    *_TAIL,
)

PROJECT_OUTLINE: tuple[Section, ...] = (
    Section(
        "一、项目基本情况",
        parts=(
            Part("（一）项目概况", "项目概况", "项目的立项依据、主要内容、实施单位和资金规模"),
            Part("（二）项目绩效目标", "项目绩效目标", "项目年度绩效目标和绩效指标"),
        ),
    ),
    Section(
        "二、项目资金使用及管理情况",
        parts=(
            Part("（一）项目资金到位及使用情况", "项目资金到位及使用情况", "预算安排、资金到位和实际支出情况"),
            Part("（二）项目资金管理情况", "项目资金管理情况", "资金管理制度及其执行情况"),
        ),
    ),
    Section("三、项目支出绩效情况", parts=_RESULTS),
    *_TAIL,
)

SIGNATURE_KEYS = ("填报人", "单位负责人")  # used by the 评分表's signature line
REPORT_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [key for outline_ in (DEPT_OUTLINE, PROJECT_OUTLINE) for s in outline_ for key in ([s.key] if s.key else []) + [p.key for p in s.parts]]
        + list(SIGNATURE_KEYS)
    )
)


def outline(evaluation: Evaluation) -> tuple[Section, ...]:
    return DEPT_OUTLINE if evaluation.framework.kind == "dept" else PROJECT_OUTLINE


def report_title(evaluation: Evaluation) -> str:
    data = evaluation.data
    year = data.year or evaluation.framework.year
    if evaluation.framework.kind == "dept":
        return f"{year}年度{data.unit or ''}部门整体支出绩效自评报告"
    name = data.project or data.unit or ""
    return f"{year}年度{name}{'支出' if name.endswith('项目') else '项目支出'}绩效自评报告"


def placeholder(key: str, hint: str) -> str:
    what = f"{hint}。" if hint else ""
    return f"（待填写：{what}可在 Excel 数据模板的“报告文字”页“{key}”一行填写，或在 TOML 数据文件的 [report] 表中写入 {key} = \"……\"）"


def _clean(text: str) -> str:
    return text.rstrip("。；; ")


def _count_words(evaluation: Evaluation) -> str:
    """How the indicators were scored, in the status words every output uses; a score taken for
    missing data (未依据数据计分) is told apart from a judgment the rule asks for (效益、满意度)."""
    assessed = {flag.path for flag in evaluation.flags if flag.kind == "assessed"}
    counts: dict[str, int] = {}
    for leaf in evaluation.leaves():
        status = "assessed" if leaf.status == "judgment" and leaf.path in assessed else leaf.status
        counts[status] = counts.get(status, 0) + 1
    words = {status: STATUSES[status] for status in STATUSES} | {"assessed": FLAG_KINDS["assessed"]}
    order = ["scored", "judgment", "assessed", *(status for status in STATUSES if status not in ("scored", "judgment"))]
    return "，".join(f"{words[s]} {counts[s]} 项" for s in order if counts.get(s))


def conclusion(evaluation: Evaluation) -> list[str]:
    """（一）综合评价结论: total, maximum, grade or why there is none, and the self-score beside it."""
    framework = evaluation.framework
    places = framework.rounding.places
    total = fmt(evaluation.total, places)
    leaves = list(evaluation.leaves())
    if not scored(evaluation):
        return [f"依据《{sheet_title(evaluation)}》（评价框架 {framework.id}），对 {len(leaves)} 项指标逐项核对完成情况；该评价框架不计分，不评定等级。"]
    text = f"依据《{sheet_title(evaluation)}》（评价框架 {framework.id}），对 {len(leaves)} 项指标逐项计分（{_count_words(evaluation)}）"
    if evaluation.complete and evaluation.grade is None:
        text += f"，计算总分为 {total} 分（满分 {fmt(evaluation.max)} 分），{evaluation.grade_text}。"
    elif evaluation.complete:
        text += f"，计算总分为 {total} 分（满分 {fmt(evaluation.max)} 分），评价等级为“{evaluation.grade}”。"
    else:
        question = question_line(evaluation)
        questioned = [leaf for leaf in evaluation.missing if leaf.status == "questioned"]
        unscored = [leaf for leaf in evaluation.missing if leaf.status != "questioned"]
        count = f"{len(evaluation.missing)} 项指标未能计分" + (f"（其中 {len(questioned)} 项待核实）" if questioned else "")
        text += f"。评价不完整：{count}，已计分指标合计 {total} 分（满分 {fmt(evaluation.max)} 分），{evaluation.grade_text}。"
        if question is not None:
            asked = "；".join(f"“{'/'.join(leaf.path)}”（{readings_text(leaf.readings, places)}）" for leaf in questioned)
            text += f"{question}。待核实的指标：{asked}。"
        if unscored:
            missing = "；".join(f"“{'/'.join(leaf.path)}”（{_clean(leaf.reason)}）" for leaf in unscored)
            text += f"{'其余' if questioned else ''}未能计分的指标：{missing}。"
    if evaluation.raw_total != evaluation.total:
        text += f"因有不适用指标，按框架规定将各项合计 {fmt(evaluation.raw_total, places)} 分折算为 {total} 分。"
    stated = evaluation.claimed_total
    if stated is not None:
        diff = evaluation.total - stated
        if diff == 0:
            text += f"单位自评总分为 {fmt(stated)} 分，与计算总分一致。"
        else:
            text += f"单位自评总分为 {fmt(stated)} 分，计算总分比自评总分{'高' if diff > 0 else '低'} {fmt(abs(diff), places)} 分"
            text += "（计算总分不完整，差额仅供参考）。" if not evaluation.complete else "，差异见“评价指标分析”。"
    stated_grade = evaluation.data.stated_grade
    if stated_grade:
        band = next((b for b in framework.grades if b.name == evaluation.grade), None)
        if band is not None and band.called(stated_grade):
            text += f"原材料所写评价等级“{stated_grade}”与计算结果一致。"
        elif evaluation.grade is not None:
            text += f"原材料所写评价等级为“{stated_grade}”，与按计算总分应得的等级“{evaluation.grade}”不一致。"
    return [text]


def _leaf_details(leaf: LeafResult, name: str, places: int) -> list[str]:
    out: list[str] = []
    reason = _clean(leaf.reason)
    if leaf.score is None:
        if leaf.status == "questioned":
            reason = readings_text(leaf.readings, places)
        out.append(f"“{name}”未计分（{STATUSES[leaf.status]}）：{reason}")
    elif leaf.score < leaf.weight:
        out.append(f"“{name}”扣 {fmt(leaf.weight - leaf.score, places)} 分，得 {fmt(leaf.score, places)} 分：{reason}")
    if leaf.self_score is not None and leaf.score is not None and leaf.self_score != leaf.score:
        out.append(f"“{name}”自评 {fmt(leaf.self_score)} 分，按评分标准应得 {fmt(leaf.score, places)} 分")
    return out


def analysis(evaluation: Evaluation) -> list[str]:
    """（二）评价指标分析: one paragraph per 一级指标 with its score and every deduction with its reason."""
    places = evaluation.framework.rounding.places
    out: list[str] = []
    if not scored(evaluation):  # a completion form: each indicator with what the check found
        for n, leaf in enumerate(evaluation.leaves(), start=1):
            out.append(f"{n}. “{'/'.join(leaf.path)}”：{_clean(leaf.reason)}。")
        return out
    for n, child in enumerate(evaluation.children, start=1):
        if isinstance(child, LeafResult):
            score = "未计分" if child.score is None else f"得 {fmt(child.score, places)} 分"
            head = f"{n}. {child.indicator.name}（{fmt(child.weight)}分）：{score}"
            if child.self_score is not None:
                head += f"，自评 {fmt(child.self_score)} 分"
            details = _leaf_details(child, child.indicator.name, places)
        else:
            head = _group_head(n, child, places)
            details = [d for leaf in child.leaves() for d in _leaf_details(leaf, "/".join(leaf.path[1:]), places)]
        head += "。"
        if details:
            head += "；".join(details) + "。"
        elif isinstance(child, GroupResult) or child.score == child.weight:
            head += "各项指标均得满分，无扣分。" if isinstance(child, GroupResult) else "无扣分。"
        out.append(head)
    return out


def _group_head(n: int, group: GroupResult, places: int) -> str:
    complete = all(leaf.score is not None or leaf.status == "not-applicable" for leaf in group.leaves())
    head = f"{n}. {group.group.name}（{fmt(group.max)}分）：计算得分 {fmt(group.score, places)} 分{'' if complete else '（不完整）'}"
    if group.self_score is not None:
        head += f"，自评 {fmt(group.self_score)} 分"
    subgroups = [c for c in group.children if isinstance(c, GroupResult)]
    if subgroups:
        head += "。其中" + "，".join(f"{g.group.name}（{fmt(g.max)}分）得 {fmt(g.score, places)} 分" for g in subgroups)
    return head


def problems(evaluation: Evaluation) -> list[str]:
    """四、存在的问题及原因分析: the flags as sentences, then what the unit wrote."""
    sentences = flag_sentences(evaluation.flags, [leaf.path for leaf in evaluation.leaves()])
    out: list[str] = []
    if sentences:
        out.append("按数据逐项计分时发现以下需要关注的问题：")
        out.extend(f"{n}. {s}" for n, s in enumerate(sentences, start=1))
    written = report_paragraphs(report_table(evaluation).get("存在的问题及原因分析"))
    if written:
        out.extend(written)
    else:
        if not sentences:
            out.append("按数据逐项计分，未发现自评得分与数据不符、缺少数据等问题。")
        out.append(placeholder("存在的问题及原因分析", "存在的主要问题及其原因"))
    return out


def other(evaluation: Evaluation) -> list[str]:
    """六、其他需要说明的情况: what the unit wrote, [report] entries outside the outline, the method."""
    report = report_table(evaluation)
    out = report_paragraphs(report.get("其他需要说明的情况")) or [placeholder("其他需要说明的情况", "其他需要说明的事项；没有的写“无”")]
    for key, value in report.items():
        if key not in REPORT_KEYS:
            text = "；".join(report_paragraphs(value))
            if text:
                out.append(f"{key}：{text}")
    framework = evaluation.framework
    source = f"（出处：{framework.source}）" if framework.source else ""
    data_source = f"，数据来源：{evaluation.data.source}" if evaluation.data.source else ""
    out.append(
        f"本报告中的计算得分由 evalcore 依据评价框架 {framework.id}{source}按各指标评分标准逐项计算{data_source}；"
        "每项得分的计算过程见评分表“计分依据”一栏。"
    )
    return out


_AUTO: dict[str, Callable[[Evaluation], list[str]]] = {
    "综合评价结论": conclusion,
    "评价指标分析": analysis,
    "存在的问题及原因分析": problems,
    "其他需要说明的情况": other,
}


def section_text(evaluation: Evaluation, key: str, hint: str) -> list[str]:
    """The paragraphs under one heading: written by evalcore, by the unit, or a placeholder."""
    auto = _AUTO.get(key)
    written = report_paragraphs(report_table(evaluation).get(key))
    if auto is None:
        return written or [placeholder(key, hint)]
    if key in ("综合评价结论", "评价指标分析"):
        return auto(evaluation) + written
    return auto(evaluation)

