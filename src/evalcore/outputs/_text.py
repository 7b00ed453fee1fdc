"""Plain-text formats without a terminal: JSON (the stable machine interface), Markdown, CSV."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

from ..model import STATUSES, Evaluation, FormatOptions, GroupResult, fmt, readings_text, written_as

__all__ = ["SCHEMA_VERSION", "evaluation_dict", "json_schema", "question_advice", "question_line", "render_csv", "render_json", "render_markdown", "summary_lines", "total_text", "unscored_count"]

# The version of the JSON interface (run's JSON and a batch's 汇总.json), described by the schemas
# in evalcore/outputs/schemas: a key added bumps the minor number, a key removed or changed the major.
SCHEMA_VERSION = "1.2"


def _num(value: Decimal | None) -> str | None:
    # Exact decimals as strings: JSON numbers would pass through binary floats in most readers.
    return None if value is None else fmt(value)


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema shipped with the package: "run" (run's JSON) or "batch" (汇总.json)."""
    from importlib import resources  # only when a schema is read

    text = resources.files("evalcore.outputs").joinpath("schemas").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def evaluation_dict(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as plain data; the JSON keys are a stable interface."""
    framework = evaluation.framework
    places, value_places = framework.rounding.places, framework.rounding.value_places
    return {
        "schema_version": SCHEMA_VERSION,
        "framework": framework.id,
        "framework_title": framework.title,
        "unit": evaluation.data.unit,
        "year": evaluation.data.year,
        "note": evaluation.data.note,
        "data_file": evaluation.data.path,
        # A form that gives no points (米易 2021) has no total, not a total of 0.
        "scored": framework.scored,
        "total": fmt(evaluation.total, places) if framework.scored else None,
        "max": fmt(evaluation.max, places) if framework.scored else None,
        "grade": evaluation.grade,
        "ungraded": evaluation.ungraded,
        "grade_text": evaluation.grade_text,
        "complete": evaluation.complete,
        # With questioned (待核实) indicators: the total under each reading of the figures in question.
        "readings": [{"reading": label, "total": fmt(total, places)} for label, total in evaluation.readings],
        "self_total": _num(evaluation.self_total),
        "stated_self_total": _num(evaluation.stated_self_total),
        "indicators": [
            {
                "id": leaf.indicator.id,
                "path": list(leaf.path),
                "weight": fmt(leaf.weight),
                "score": None if leaf.score is None else fmt(leaf.score, places),
                "status": leaf.status,
                "value": None if leaf.value is None else fmt(leaf.value, value_places),
                "unit": leaf.indicator.unit,
                "self_score": _num(leaf.self_score),
                "review_score": _num(leaf.review_score),
                "trace": list(leaf.trace),
                "note": leaf.note,
                "exemption": leaf.exemption,
                "readings": [{"reading": label, "score": None if score is None else fmt(score, places)} for label, score in leaf.readings],
            }
            for leaf in evaluation.leaves()
        ],
        "groups": [
            {"path": list(group.path), "weight": fmt(group.max), "score": fmt(group.score, places), "self_score": _num(group.self_score)}
            for group in _groups(evaluation)
        ],
        "flags": [{"kind": flag.kind, "title": flag.title, "path": list(flag.path), "message": flag.message} for flag in evaluation.flags],
    }


def _groups(evaluation: Evaluation) -> list[GroupResult]:
    out: list[GroupResult] = []
    stack = [c for c in reversed(evaluation.children) if isinstance(c, GroupResult)]
    while stack:
        group = stack.pop()
        out.append(group)
        stack.extend(c for c in reversed(group.children) if isinstance(c, GroupResult))
    return out


def render_json(evaluation: Evaluation, options: FormatOptions) -> str:
    return json.dumps(evaluation_dict(evaluation), ensure_ascii=False, indent=2) + "\n"


def summary_lines(evaluation: Evaluation) -> list[str]:
    """Total, self-score, grade and completeness as sentences, shared by the text formats."""
    places = evaluation.framework.rounding.places
    if not evaluation.framework.scored:
        return ["本表不计分：逐项列示指标完成情况与预算执行率，不计算总分"]
    lines = [f"计算总分：{total_text(evaluation)}"]
    if evaluation.stated_self_total is not None or evaluation.self_total is not None:
        stated = evaluation.claimed_total
        assert stated is not None
        diff = evaluation.total - stated
        sign = "+" if diff > 0 else ""
        lines.append(f"单位自评总分：{fmt(stated)} 分（计算总分与之相差 {sign}{fmt(diff, places)} 分）")
    review_total = evaluation.review_total
    if review_total is not None:
        reviewed, count = len(evaluation.reviews), len(list(evaluation.framework.leaves()))
        partial = "" if reviewed == count else f"（已审核 {reviewed} / {count} 项）"
        lines.append(f"审核得分合计：{fmt(review_total)} 分{partial}")
    question = question_line(evaluation)
    if question is not None:
        lines.append(question)
    unscored = unscored_count(evaluation)
    if unscored:
        lines.append(f"评价不完整：{unscored} 项指标未能计分")
    lines.append(f"评价等级：{evaluation.grade_text}")
    return lines


def total_text(evaluation: Evaluation) -> str:
    """The computed total as every output says it: "99 / 100 分", or, where the weights do not add
    up to the table's maximum (分值合计不符), the sum with why it is no score out of that maximum."""
    total = fmt(evaluation.total, evaluation.framework.rounding.places)
    if not evaluation.weights_add_up:
        return f"{total} 分（各项分值合计与本表满分 {fmt(evaluation.max)} 分不符，该总分不能使用）"
    return f"{total} / {fmt(evaluation.max)} 分"


def question_line(evaluation: Evaluation) -> str | None:
    """The questioned (待核实) indicators in one sentence: how many, that nothing is graded, the total
    under each reading and what to write instead; None without any. Every output says it so."""
    if not evaluation.readings:
        return None
    questioned = [leaf for leaf in evaluation.leaves() if leaf.status == "questioned"]
    totals = readings_text(evaluation.readings, evaluation.framework.rounding.places)
    why, write, example = question_advice(evaluation)
    return f"{len(questioned)} 项指标待核实（{why}），暂不计分、不评定等级；两种读法下的计算总分：{totals}；请核实后在数据中{write}，如 {example}"


def question_advice(evaluation: Evaluation) -> tuple[str, str, str]:
    """Why the unit's figures are questioned, what to write and an example of each kind asked:
    a percent typed as a bare fraction ("写明 %", "90%"), a 执行数 typed without its unit ("写明单位",
    "1700000元"), or both."""
    examples: dict[bool, str] = {}
    for leaf in evaluation.leaves():
        if leaf.status == "questioned" and leaf.readings:
            example = written_as(leaf.readings[-1][0])
            examples.setdefault(example.endswith("%"), example)
    examples = examples or {True: "90%"}
    why = "；".join(text for percent, text in ((True, "百分数可能写成了没有 % 的小数"), (False, "所填的数可能用错了单位")) if percent in examples)
    write = "写明 % 和单位" if len(examples) == 2 else "写明 %" if True in examples else "写明单位"
    return why, write, "、".join(f'"{examples[percent]}"' for percent in (True, False) if percent in examples)


def unscored_count(evaluation: Evaluation) -> int:
    """How many indicators could not be scored for want of data or by an error: the questioned ones
    are told apart (question_line)."""
    return sum(1 for leaf in evaluation.missing if leaf.status != "questioned")


def render_markdown(evaluation: Evaluation, options: FormatOptions) -> str:
    framework = evaluation.framework
    places = framework.rounding.places
    depth = max(len(leaf.path) for leaf in evaluation.leaves())
    level_names = ["一级指标", "二级指标", "三级指标", "四级指标"][:depth]
    out = [f"# {framework.title}", ""]
    if evaluation.data.unit:
        out.append(f"评价单位：{evaluation.data.unit}  ")
    out.append(f"评价框架：{framework.id}（{framework.region}，{framework.year} 年度）")
    out.append("")
    out.append("| " + " | ".join(level_names + ["分值", "得分", "自评得分", "状态", "计分依据"]) + " |")
    out.append("|" + "---|" * (len(level_names) + 5))
    for leaf in evaluation.leaves():
        names = list(leaf.path) + [""] * (depth - len(leaf.path))
        trace = "<br>".join(_md(line) for line in leaf.trace)
        score = "—" if leaf.score is None else fmt(leaf.score, places)
        self_score = "—" if leaf.self_score is None else fmt(leaf.self_score)
        out.append("| " + " | ".join([_md(n) for n in names] + [fmt(leaf.weight), score, self_score, STATUSES[leaf.status], trace]) + " |")
    out.append("")
    out.extend(f"- {line}" for line in summary_lines(evaluation))
    if evaluation.flags:
        out += ["", "## 需要关注的问题", ""]
        for flag in evaluation.flags:
            where = "/".join(flag.path) or "全表"
            out.append(f"- **{flag.title}**（{_md(where)}）：{_md(flag.message)}")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_csv(evaluation: Evaluation, options: FormatOptions) -> str:
    places = evaluation.framework.rounding.places
    buffer = io.StringIO()
    import csv  # only for the csv format

    writer = csv.writer(buffer)
    writer.writerow(["指标路径", "分值", "得分", "自评得分", "审核得分", "状态", "测算值", "计分依据"])
    for leaf in evaluation.leaves():
        writer.writerow(
            [
                "/".join(leaf.path),
                fmt(leaf.weight),
                "" if leaf.score is None else fmt(leaf.score, places),
                "" if leaf.self_score is None else fmt(leaf.self_score),
                "" if leaf.review_score is None else fmt(leaf.review_score),
                STATUSES[leaf.status],
                "" if leaf.value is None else fmt(leaf.value) + (leaf.indicator.unit or ""),
                "；".join(leaf.trace),
            ]
        )
    # The last row: the total and the grade, with the summary sentences (readings of a 待核实 included).
    scored = evaluation.framework.scored
    review = evaluation.review_total
    writer.writerow(
        [
            "总分",
            fmt(evaluation.max) if scored else "",
            fmt(evaluation.total, places) if scored else "",
            "" if evaluation.claimed_total is None else fmt(evaluation.claimed_total),
            "" if review is None else fmt(review),
            evaluation.grade_text if scored else "本表不计分",
            "",
            "；".join(summary_lines(evaluation)),
        ]
    )
    return buffer.getvalue()


