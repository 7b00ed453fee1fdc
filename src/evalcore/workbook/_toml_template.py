"""The TOML data template: the same content as the Excel template, as commented TOML."""

from __future__ import annotations

from ..model import Framework, describe_rule, fmt
from ..rules import ChecklistRule, JudgmentRule, PerCaseRule

__all__ = ["template_toml"]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def template_toml(framework: Framework) -> str:
    out = [
        f"# {framework.title}（{framework.region}，{framework.year}年度）基础数据",
        "# 填写说明：数据可带单位（\"515元\"、\"3.5万元\"、\"95%\"），不带单位时按注释中的单位；",
        "# 不知道的数据删去或注释掉该行，不要填 0。中文名称两边的英文引号不能删。",
        "",
        f"framework = {_quote(framework.id)}",
        'unit = ""            # 评价单位',
        f"year = {framework.year}",
        "# self_total = 0     # 自评总分",
        "",
        "[inputs]",
    ]
    for spec in framework.inputs:
        unit = f"，单位 {spec.unit}" if spec.unit else ""
        need = "必填" if spec.required else "可不填"
        out.append(f"# {spec.label}{unit}（{need}）" + (f"：{spec.description}" if spec.description else ""))
        out.append(f"# {_quote(spec.id)} = ")
    for leaf in framework.leaves():
        out += ["", f"[indicators.{_quote(leaf.id)}]", f"# {'/'.join(leaf.path)}，分值 {fmt(leaf.weight)} 分；{leaf.rule.title}：{describe_rule(leaf.rule, leaf.weight, leaf.unit)}"]
        rule = leaf.rule
        if isinstance(rule, ChecklistRule):
            out.append(f"# checkpoints = [{', '.join('true' for _ in rule.checkpoints)}]   # 各评价要点是否满足，依次为：")
            out += [f"#   {i}. {c.text}" for i, c in enumerate(rule.checkpoints, start=1)]
        elif isinstance(rule, PerCaseRule):
            out.append(f"# cases = 0          # {rule.what}的例数")
        elif isinstance(rule, JudgmentRule):
            low, high = rule.bounds(leaf.weight)
            out.append(f"# score = {fmt(high)}        # 评定得分，{fmt(low)}–{fmt(high)} 分")
            out.append('# reason = ""        # 评定理由（必填）')
        out.append("# self = 0           # 自评得分")
    return "\n".join(out) + "\n"
