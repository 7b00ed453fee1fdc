"""The TOML data template: the same content as the Excel template, as commented TOML."""

from __future__ import annotations

from ..model import Framework, describe_rule, fmt
from ..rules import ChecklistRule, JudgmentRule, PerCaseRule

__all__ = ["template_toml"]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def template_toml(framework: Framework) -> str:
    if framework.form is not None:
        return _form_template(framework)
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
    exempt = [leaf for leaf in framework.leaves() if leaf.exemption]
    if exempt:
        out += ["", "# 评分标准规定的可不扣分情形。本单位属于这种情形时，去掉行首的 # 并写明理由，该项不扣分：", "[exemptions]"]
        out += [f'# {_quote(leaf.id)} = ""   # {leaf.exemption}' for leaf in exempt]
    return "\n".join(out) + "\n"


def _form_template(framework: Framework) -> str:
    """A target form (项目支出绩效自评表): the budget lines and one [[targets]] row to copy per block."""
    form = framework.form
    assert form is not None
    out = [
        f"# {framework.title}（{framework.region}，{framework.year}年度）",
        "# 填写说明：每个项目填一个文件。金额以万元计，可带单位（\"56万元\"、\"560000元\"）；百分数写 %（\"95%\"）。",
        "# 每项绩效指标写一段 [[targets]]：复制下面的样例，path 写 [一级指标, 二级指标, 三级指标]，",
        "# target 照绩效目标表写年度指标值（如 \"≥95%\"、\"1--1.2万人\"、\"≤2万元\"、\"2023年12月底前\"），",
        "# actual 写实际完成值；定性指标（如“明显提升”）另写评定档次 tier、得分 score 和理由 reason。",
        "# 中文名称两边的英文引号不能删；不知道的数据删去或注释掉该行，不要填 0。",
        "",
        f"framework = {_quote(framework.id)}",
        'unit = ""            # 评价单位',
        'project = ""         # 项目名称',
        f"year = {framework.year}",
        "# self_total = 0     # 自评总分",
        "",
        "[budget]             # 预算执行情况，单位万元",
        '"年初预算数" = ""',
        f'{_quote(form.execution_divisor)} = ""',
        '"执行数" = ""',
    ]
    if form.scored:
        out.append(f"# self = 0           # 预算执行率的自评得分（{fmt(form.execution_weight)} 分）")
    if form.execution_reason_below is not None:
        out.append(f'# reason = ""        # 执行率低于 {fmt(form.execution_reason_below)}% 时必须写明原因')
    for category in form.categories:
        # A form printed without 分值 or 得分 columns (米易) is reported, not scored: no weights to ask for.
        if not form.scored:
            heading = category.name
        elif category.weight is not None:
            heading = f"{category.name}（本类各行分值合计 {fmt(category.weight)} 分）"
        else:
            heading = f"{category.name}（各行分值按表填写）"
        out += ["", f"# {heading}"]
        blocks = [b for b in form.blocks if b.path[0] == category.name] if form.scored else []
        for block in blocks:
            # Rows under a block share its weight (the printed table's merged 分值 cell): no weight per row.
            how = "按行数均分" if block.split else "按各行平均完成程度计分"
            second = _quote(block.path[1]) if len(block.path) > 1 else '"二级指标"'
            out += [
                f"# “{'/'.join(block.path)}”各行共用 {fmt(block.weight)} 分（本表规定，{how}）：每行一段 [[targets]]，不填 weight",
                "[[targets]]",
                f"path = [{_quote(category.name)}, {second}, \"三级指标\"]",
                'target = ""          # 年度指标值',
                'actual = ""          # 实际完成值',
                "",
                "[[shared]]           # 这几行的自评得分",
                f"path = [{', '.join(_quote(p) for p in block.path)}]",
                f"weight = {fmt(block.weight)}",
                "# self = 0",
            ]
        if any(len(b.path) == 1 for b in blocks):
            continue
        out += [
            *([""] if blocks else []),
            "[[targets]]",
            f'path = [{_quote(category.name)}, "二级指标", "三级指标"]',
            'target = ""          # 年度指标值',
            'actual = ""          # 实际完成值',
        ]
        if form.scored:
            out += ["weight = 0           # 分值", "# self = 0           # 自评得分"]
        out.append('# note = ""          # 偏差原因分析')
    if form.scored and form.categories and not form.blocks:
        out += [
            "",
            "# 几行共用一个分值时（原表合并单元格），另写：",
            "# [[shared]]",
            f"# path = [{_quote(form.categories[0].name)}, \"二级指标\"]",
            "# weight = 10",
        ]
    return "\n".join(out) + "\n"
