"""A framework's reference page (docs/frameworks/*.md) in Markdown: tree, weights, rules in words,
printed text and sources. `evalcore reference` writes one per installed framework."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import KIND_WORDS, ROUNDING_WORDS, Framework, Group, Node, describe_rule, fmt
from ._tree import DEFAULT_DIRECTIONS, form_notes

__all__ = ["reference_page"]


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def reference_page(framework: Framework) -> str:
    out = [f"# {framework.title}", "", f"`{framework.id}` · {framework.region} · {KIND_WORDS.get(framework.kind, framework.kind)} · {framework.year} 年度", ""]
    if framework.extends:
        out += [f"继承自：{' → '.join(f'`{p}`' for p in framework.extends)}", ""]
    if framework.source:
        out += [f"出处：{framework.source}", ""]
    if framework.scored:
        grades = "，".join(f"{g.name} ≥ {fmt(g.min)}" for g in framework.grades if g.min > 0) + f"，其余为{framework.grades[-1].name}"
        out += [f"总分 {fmt(framework.total)}；等级：{grades}；保留 {framework.rounding.places} 位小数（{ROUNDING_WORDS[framework.rounding.mode]}）。", ""]
    else:
        out += ["本表不计分：逐项列示完成情况与预算执行率。", ""]
    if framework.form is not None:
        form = framework.form
        out += ["## 计分规定", "", "| 项目 | 分值 | 说明 |", "|---|---|---|"]
        out.append(f"| 预算执行率 | {fmt(form.execution_weight)} | 执行数 / {form.execution_divisor}" + (f"；低于 {fmt(form.execution_reason_below)}% 须说明原因" if form.execution_reason_below is not None else "") + " |")
        for category in form.categories:
            out.append(f"| {category.name} | {fmt(category.weight) if category.weight is not None else '各行给出'} | 指标由各项目数据给出{_cell(form_notes(form, category))} |")
        out += ["", DEFAULT_DIRECTIONS + "。"]
        if form.valid_from is not None or form.valid_until is not None:
            out += ["", f"适用年度：{form.years(framework.year)}。"]
        out += ["", "定性指标档次：" + "，".join(f"{t.name} {fmt(t.low)}–{fmt(t.high)}%" for t in form.tiers), ""]
        return "\n".join(out) + "\n"
    if framework.inputs:
        out += ["## 基础数据", "", "| 名称 | 说明 | 单位 | 必填 |", "|---|---|---|---|"]
        out += [f"| {s.id} | {_cell(s.label)} | {s.unit or ''} | {'是' if s.required else '否'} |" for s in framework.inputs]
        out.append("")
    out += ["## 指标", "", "| 指标 | 分值 | 评分规则 | 原文 | 出处 |", "|---|---|---|---|---|"]

    def walk(nodes: Iterable[Node], depth: int) -> None:
        for node in nodes:
            pad = "　" * depth  # ideographic spaces keep the tree readable in a Markdown table
            if isinstance(node, Group):
                weight = fmt(node.weight) if node.weight is not None else fmt(node.leaf_weight)
                out.append(f"| {pad}**{_cell(node.name)}** | {weight} |  |  | {_cell(str(node.source) if node.source else '')} |")
                walk(node.children, depth + 1)
                continue
            formula = f"{node.name} = {node.formula.symbolic}{'（' + node.unit + '）' if node.unit else ''}；" if node.formula else ""
            rule = f"{formula}{node.rule.title}：{describe_rule(node.rule, node.weight, node.unit)}"
            if node.exemption:
                rule += f"；可不扣分的情形：{node.exemption}（单位申请并写明理由的，计满分）"
            out.append(f"| {pad}{_cell(node.name)} | {fmt(node.weight)} | {_cell(rule)} | {_cell(node.printed)} | {_cell(str(node.source) if node.source else '')} |")

    walk(framework.children, 0)
    notes = [(leaf, leaf.note) for leaf in framework.leaves() if leaf.note]
    if notes:
        out += ["", "## 与原文不同之处", ""]
        out += [f"- **{'/'.join(leaf.path)}**：{_cell(note)}" for leaf, note in notes]
    return "\n".join(out) + "\n"
