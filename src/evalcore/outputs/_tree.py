"""Tree-shaped text: `evalcore show` (a framework), `evalcore explain` (full traces) and the
block layout the result table switches to below 70 columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..model import KIND_WORDS, ROUNDING_WORDS, STATUSES, Evaluation, Framework, Group, GroupResult, Indicator, LeafResult, Node, Result, describe_rule, fmt
from ._wrap import wrap

if TYPE_CHECKING:
    from ..model import Category, FormSpec

__all__ = ["render_blocks", "render_explain", "render_framework"]



def _lines(text: str, width: int, indent: int, hanging: int = 0) -> list[str]:
    parts = wrap(text, max(10, width - indent - hanging))
    return [" " * indent + parts[0]] + [" " * (indent + hanging) + p for p in parts[1:]]


def render_framework(framework: Framework, width: int = 80, outputs: str | None = None) -> str:
    """The framework as `evalcore show` prints it; `outputs` says which files -o writes for it."""
    out: list[str] = []
    out += _lines(f"{framework.id}：{framework.title}", width, 0)
    points = f"总分 {fmt(framework.total)}" if framework.scored else "本表不计分"
    out += _lines(f"{framework.region} · {KIND_WORDS.get(framework.kind, framework.kind)} · {framework.year}年度 · {points}", width, 2)
    if framework.extends:
        out += _lines(f"继承自：{' → '.join(framework.extends)}", width, 2)
    if framework.source:
        out += _lines(f"出处：{framework.source}", width, 2)
    if framework.scored:
        grades = "，".join(f"{g.name} ≥ {fmt(g.min)}" for g in framework.grades if g.min > 0) + f"，其余为{framework.grades[-1].name}"
        out += _lines(f"等级：{grades}；舍入：保留 {framework.rounding.places} 位（{ROUNDING_WORDS[framework.rounding.mode]}）；不适用指标：{'计满分' if framework.not_applicable == 'full' else '分值重新分配'}", width, 2)
    if framework.path:
        out += _lines(f"规则文件：{framework.path}", width, 2)
    if outputs:
        out += _lines(f"输出：{outputs}", width, 2)
    if framework.form is not None:
        form = framework.form
        out.append("")
        execution = f"{fmt(form.execution_weight)} 分" if framework.scored else "列示"
        out += _lines(f"预算执行率（{execution}）：执行数 / {form.execution_divisor}", width, 0)
        for category in form.categories:
            if not framework.scored:
                weight = "列示完成情况"
            else:
                weight = f"{fmt(category.weight)} 分" if category.weight is not None else "分值由各行给出"
            out += _lines(f"{category.name}（{weight}）：各项目的指标由数据给出" + form_notes(form, category), width, 0)
        out += _lines(DEFAULT_DIRECTIONS, width, 0)
        if form.valid_from is not None or form.valid_until is not None:
            out += _lines(f"适用年度：{form.years(framework.year)}", width, 0)
        out += _lines("定性指标档次：" + "，".join(f"{t.name} {fmt(t.low)}–{fmt(t.high)}%" for t in form.tiers), width, 0)
        return "\n".join(out) + "\n"
    if framework.inputs:
        out.append("")
        out.append("基础数据：")
        for spec in framework.inputs:
            unit = f"（{spec.unit}）" if spec.unit else ""
            need = "" if spec.required else "，可不填"
            out += _lines(f"{spec.id}{unit}：{spec.label}{need}", width, 2, 2)
    out.append("")
    out.append("指标：")

    def walk(nodes: Iterable[Node], depth: int) -> None:
        for node in nodes:
            indent = 2 + 2 * depth
            if isinstance(node, Group):
                weight = f"（{fmt(node.weight)} 分）" if node.weight is not None else ""
                out.extend(_lines(f"{node.name}{weight}", width, indent))
                walk(node.children, depth + 1)
                continue
            leaf: Indicator = node
            out.extend(_lines(f"{leaf.name}（{fmt(leaf.weight)} 分）", width, indent))
            body = indent + 2
            if leaf.formula is not None:
                out.extend(_lines(f"公式：{leaf.name} = {leaf.formula.symbolic}{' （' + leaf.unit + '）' if leaf.unit else ''}", width, body, 2))
            out.extend(_lines(f"规则（{leaf.rule.title}）：{describe_rule(leaf.rule, leaf.weight, leaf.unit)}", width, body, 2))
            if leaf.printed:
                out.extend(_lines(f"原文：{leaf.printed}", width, body, 2))
            if leaf.note:
                out.extend(_lines(f"说明：{leaf.note}", width, body, 2))
            if leaf.exemption:
                out.extend(_lines(f"可不扣分的情形：{leaf.exemption}（单位申请并写明理由的，计满分）", width, body, 2))
            if leaf.source:
                out.extend(_lines(f"出处：{leaf.source}", width, body, 2))
            if framework.extends and leaf.origin:
                out.extend(_lines(f"来源：{_origin_text(leaf, framework)}", width, body, 2))

    walk(framework.children, 0)
    return "\n".join(out) + "\n"


_KEY_WORDS = {"weight": "分值", "rule": "评分规则", "formula": "公式", "printed": "原文", "path": "位置", "unit": "单位", "source": "出处", "note": "说明", "exemption": "可不扣分的情形", "description": "指标说明", "content": "指标内容"}


def _origin_text(leaf: Indicator, framework: Framework) -> str:
    """Which layer set which keys: "分值、评分规则由 A 设定；其余继承自 B"."""
    by_layer: dict[str, list[str]] = {}
    for key, layer in leaf.origin.items():
        if key in _KEY_WORDS:
            by_layer.setdefault(layer, []).append(_KEY_WORDS[key])
    if set(by_layer) == {framework.id}:
        return f"本框架新增（{framework.id}）"
    parts = [f"{'、'.join(words)}由 {layer} 设定" for layer, words in by_layer.items() if layer == framework.id]
    inherited = [layer for layer in by_layer if layer != framework.id]
    if inherited:
        parts.append(("其余" if parts else "全部") + f"继承自 {'、'.join(inherited)}")
    return "；".join(parts)


# After a self-score that the computed score contradicts, in the table and in the narrow blocks.
MISMATCH = "≠"


def _head(leaf: LeafResult, places: int) -> str:
    score = "—" if leaf.score is None else fmt(leaf.score, places)
    differs = leaf.self_score is not None and leaf.score is not None and leaf.self_score != leaf.score
    self_text = "" if leaf.self_score is None else f" · 自评 {fmt(leaf.self_score)}{MISMATCH if differs else ''}"
    review = "" if leaf.review_score is None else f" · 审核 {fmt(leaf.review_score)}"
    return f"{leaf.indicator.name}  分值 {fmt(leaf.weight)} · 得分 {score}{self_text}{review} · {STATUSES[leaf.status]}"


def render_explain(evaluation: Evaluation, width: int = 80, keys: Sequence[str] = ()) -> str:
    """The full trace of every (or the named) indicator, under its groups."""
    places = evaluation.framework.rounding.places
    wanted = {evaluation.leaf(key).indicator.id for key in keys} if keys else None
    out: list[str] = []

    def walk(nodes: Iterable[Result], depth: int) -> None:
        for node in nodes:
            indent = 2 * depth
            if isinstance(node, GroupResult):
                if wanted is not None and not any(leaf.indicator.id in wanted for leaf in node.leaves()):
                    continue
                out.extend(_lines(f"{node.group.name}（{fmt(node.max)} 分，得 {fmt(node.score, places)}）", width, indent))
                walk(node.children, depth + 1)
                continue
            if wanted is not None and node.indicator.id not in wanted:
                continue
            out.extend(_lines(_head(node, places), width, indent))
            for number, line in enumerate(node.trace, start=1):
                out.extend(_lines(f"{number}. {line}", width, indent + 2, 3))
            if node.indicator.note:
                out.extend(_lines(f"框架说明：{node.indicator.note}", width, indent + 2, 2))
            if node.note:
                out.extend(_lines(f"单位备注：{node.note}", width, indent + 2, 2))

    walk(evaluation.children, 0)
    return "\n".join(out) + "\n"


def render_blocks(evaluation: Evaluation, width: int) -> list[str]:
    """The result as one block per indicator, for terminals too narrow for the table."""
    places = evaluation.framework.rounding.places
    out: list[str] = []

    def walk(nodes: Iterable[Result], depth: int) -> None:
        for node in nodes:
            indent = depth
            if isinstance(node, GroupResult):
                self_text = "" if node.self_score is None else f"，自评 {fmt(node.self_score)}"
                out.extend(_lines(f"{node.group.name}（分值 {fmt(node.max)}，得分 {fmt(node.score, places)}{self_text}）", width, indent))
                walk(node.children, depth + 1)
                continue
            out.extend(_lines(_head(node, places), width, indent))
            lines = node.trace if node.score is None or node.score < node.weight else node.trace[-1:]
            for line in lines:
                out.extend(_lines(line, width, indent + 2))

    walk(evaluation.children, 0)
    return out


# How an unsigned target reads where the form declares nothing for its row (model.Category.direction_of).
DEFAULT_DIRECTIONS = "未写符号的指标值：除上述规定外，一级或二级指标名称含“成本”的按“≤”，其余按“≥”"


def form_notes(form: FormSpec, category: Category) -> str:
    """What a form declares of a category besides its weight, each part after "；": directions of
    unsigned targets and the rows sharing one weight."""
    notes = [f"{k} 未写符号按“{v}”" for k, v in category.directions.items()]
    if category.direction is not None:
        notes.append(f"其余未写符号按“{category.direction}”")
    for block in form.blocks:
        if block.path[0] == category.name:
            what = "本类各行" if len(block.path) == 1 else f"{block.path[1]}各行"
            notes.append(f"{what}共用 {fmt(block.weight)} 分（{'按行数均分' if block.split else '按平均完成程度计分'}）")
    return "".join(f"；{note}" for note in notes)
