"""Reading a framework from its TOML ruleset: one file per framework, layered on the frameworks
it extends, validated and compiled once; errors name file, line and key.

The rule kinds a ruleset may name are given by the caller (the plugin registry); this package never
asks the plugin system for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import evolve

from ..model import (
    FRACTION_POLICIES,
    FRAMEWORK_KINDS,
    INPUT_TYPES,
    NA_POLICIES,
    NATIONAL_GRADES,
    RESERVED_NAMES,
    ROUNDING_MODES,
    UNITS,
    Domain,
    EvalcoreError,
    Expression,
    ExpressionInvalid,
    Framework,
    GradeBand,
    Group,
    Indicator,
    InputSpec,
    LoadContext,
    Node,
    Rounding,
    Rule,
    RulesetError,
    Source,
    SourceFile,
    Table,
    ZeroDivisionFallback,
    compile_expression,
    fmt,
    framework_id_problem,
    plugin_fault,
    plugin_module,
    reraise_interrupt,
)
from ._extends import Resolver, group_path, read_layers
from ._toml import load_toml, loads_toml

__all__ = ["RuleKinds", "parse_framework", "read_framework"]

INPUT_KEYS = ["id", "label", "type", "unit", "required", "description", "example", "min", "max", "integer", "negative", "fractions"]
GROUP_KEYS = ["path", "weight", "source"]
INDICATOR_KEYS = ["path", "id", "weight", "formula", "unit", "content", "description", "printed", "note", "source", "rule", "zero_division", "accept", "exemption"]
_DEFAULT_UNIT = {"percent": "%", "money": "万元"}

# Rule kinds by the name a ruleset writes in [indicator.rule] kind = "...".
RuleKinds = Mapping[str, type[Rule]]


def read_framework(path: str | Path, rule_kinds: RuleKinds, resolve: Resolver | None = None) -> Framework:
    """Read, validate and compile the framework in `path`; raise RulesetError on any problem.

    A framework that `extends` another finds its ruleset through `resolve` (framework id -> path);
    without one, extending is an error that says so.
    """
    data, source = load_toml(path, RulesetError)
    return _build(data, source, rule_kinds, resolve)


def parse_framework(text: str, rule_kinds: RuleKinds, name: str | None = None, resolve: Resolver | None = None) -> Framework:
    """`read_framework` for ruleset text; `name` stands for the file in messages."""
    data, source = loads_toml(text, name, RulesetError)
    return _build(data, source, rule_kinds, resolve)


def _build(data: dict[str, Any], source: SourceFile, rule_kinds: RuleKinds, resolve: Resolver | None = None) -> Framework:
    kinds = dict(rule_kinds)
    layers = read_layers(data, source, resolve)
    root, head = layers.root, layers.head
    framework_id = head.string("id", "框架编号，如 \"hunan.hecheng.dept.2020\"")
    problem = framework_id_problem(framework_id or "")
    if problem is not None:
        # Ids become file names (evalcore reference writes <id>.md): no path may hide in one.
        raise head.error(problem, "id")
    title = head.string("title", "框架名称")
    region = head.string("region", "适用地区")
    kind = head.choice("kind", "框架类型", FRAMEWORK_KINDS)
    year = head.integer("year", "年度")
    total = head.decimal("total", "总分", required=False, default=Decimal(100))
    assert framework_id and title is not None and region is not None and year is not None and total is not None
    source_text = head.string("source", "出处（文件名、附件）", required=False)
    rounding = _rounding(head)
    grades = _grades(head)
    na_policy = head.choice("not_applicable", "不适用指标的处理（full 计满分 / redistribute 权重重新分配）", NA_POLICIES, default="full")
    settings_table = head.table("settings", "框架参数", required=False)
    settings = dict(settings_table.data) if settings_table is not None else {}

    inputs = _inputs(layers.inputs)
    input_ids = {spec.id for spec in inputs if spec.type != "text"}
    text_ids = {spec.id: "文字类输入不能参与计算" for spec in inputs if spec.type == "text"}

    declared_groups: dict[tuple[str, ...], tuple[Decimal, int | None, Source | None]] = {}
    for table in layers.groups:
        table.check_keys(GROUP_KEYS)
        path = group_path(table)
        weight = table.decimal("weight", "分值")
        assert weight is not None
        if weight < 0:
            raise table.error("分值不能为负数", "weight")
        group_source = table.string("source", "出处", required=False)
        declared_groups[path] = (weight, table.source.line_of(table.key), Source(group_source) if group_source else None)

    indicators: list[Indicator] = []
    seen_ids: dict[str, int | None] = {}
    for table, origin in layers.indicators:
        indicator = evolve(_indicator(table, kinds, input_ids, table.source, rounding, text_ids), origin=origin)
        if indicator.id in seen_ids:
            raise table.error(
                f"指标编号“{indicator.id}”重复（第 {seen_ids[indicator.id]} 行已使用）",
                "id" if table.has("id") else "path",
                hint="同名的三级指标请用 id 加以区分，例如 id = \"资产管理制度健全性\"",
            )
        seen_ids[indicator.id] = indicator.line
        indicators.append(indicator)
    form = None
    if kind == "project-targets":
        form_table = root.table("form", "项目支出绩效自评表的计分规定 [form]")
        assert form_table is not None
        from ._form import read_form_spec  # only for a framework with a target form

        form = read_form_spec(form_table)
        if indicators:
            raise root.error("项目支出绩效自评表的指标由各项目的数据给出，规则文件中不能写 [[indicator]]", "indicator")
    elif root.has("form"):
        raise root.error("只有 kind = \"project-targets\" 的框架才能写 [form]", "form")
    elif not indicators:
        raise root.error("框架中没有任何指标：请添加 [[indicator]]")

    children, warnings = _tree(indicators, declared_groups, root)
    leaf_total = sum((i.weight for i in indicators), Decimal(0))
    if form is not None:
        leaf_total = form.total
    if leaf_total != total and (form is None or form.scored):
        warnings.append(f"{source.name}: 各三级指标分值合计 {fmt(leaf_total)}，与总分 {fmt(total)} 不一致")
    return Framework(
        id=framework_id,
        title=title,
        region=region,
        kind=kind,
        year=year,
        total=total,
        children=tuple(children),
        inputs=tuple(inputs),
        rounding=rounding,
        grades=grades,
        not_applicable=na_policy,
        source=Source(source_text) if source_text else None,
        path=source.name,
        settings=settings,
        warnings=tuple(warnings),
        description=head.string("description", "说明", required=False),
        form=form,
        extends=layers.parents,
    )


def _rounding(head: Table) -> Rounding:
    table = head.table("rounding", "舍入规则", required=False)
    if table is None:
        return Rounding()
    table.check_keys(["places", "mode", "value_places"])
    places = table.integer("places", "得分保留小数位数", required=False, default=2)
    value_places = table.integer("value_places", "测算值（如控制率）保留小数位数", required=False, default=2)
    assert places is not None and value_places is not None
    for key, number in (("places", places), ("value_places", value_places)):
        if not 0 <= number <= 6:
            raise table.error("保留小数位数应在 0 到 6 之间", key)
    mode = table.choice("mode", "舍入方式（half-up 四舍五入）", ROUNDING_MODES, default="half-up")
    return Rounding(places, mode, value_places)


def _grades(head: Table) -> tuple[GradeBand, ...]:
    if not head.has("grades"):
        return NATIONAL_GRADES
    bands = []
    for table in head.tables("grades", "评价等级"):
        table.check_keys(["name", "min", "aliases"])
        name = table.string("name", "等级名称")
        low = table.decimal("min", "该等级的最低总分（含）")
        assert name is not None and low is not None
        if low < 0:
            raise table.error(f"最低总分不能为负数，现在是 {fmt(low)}", "min")
        aliases = table.sequence("aliases", "等级的其他写法")
        if not all(isinstance(a, str) for a in aliases):
            raise table.error("aliases 应为文字数组，如 [\"良好\"]", "aliases")
        bands.append(GradeBand(name, low, tuple(aliases)))
    mins = [b.min for b in bands]
    if not bands or mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        raise head.error("评价等级应按最低分从高到低排列且不重复，例如 [{ name = \"优\", min = 90 }, ...]", "grades")
    if mins[-1] != 0:
        raise head.error("最后一个评价等级的最低分应为 0，使任何总分都有等级", "grades")
    return tuple(bands)


def _inputs(tables: list[Table]) -> list[InputSpec]:
    specs: list[InputSpec] = []
    for table in tables:
        table.check_keys(INPUT_KEYS)
        input_id = table.string("id", "输入名称（在公式中使用，如 \"编制数\"）")
        assert input_id is not None
        if not input_id.isidentifier() or input_id.startswith("_") or input_id in RESERVED_NAMES:
            raise table.error(
                f"输入名称“{input_id}”不能用在公式中：只能由汉字、字母、数字和下划线组成，不能以数字或下划线开头，不能是 {'、'.join(sorted(RESERVED_NAMES))}", "id"
            )
        if any(s.id == input_id for s in specs):
            raise table.error(f"输入“{input_id}”重复声明", "id")
        kind = table.choice("type", "数据类型", INPUT_TYPES, default="number")
        unit = table.string("unit", "单位", required=False, default=_DEFAULT_UNIT.get(kind))
        if unit is not None and unit not in UNITS:
            raise table.error(f"无法识别的单位“{unit}”", "unit", hint=f"可用单位：{'、'.join(UNITS)}")
        if kind == "percent" and unit != "%":
            raise table.error("百分比类型的单位只能是 %", "unit")
        specs.append(
            InputSpec(
                id=input_id,
                label=table.string("label", "输入的中文名称", required=False, default=input_id) or input_id,
                type=kind,
                unit=unit,
                required=table.boolean("required", "是否必填", True),
                description=table.string("description", "说明", required=False),
                example=table.string("example", "示例", required=False),
                domain=_domain(table, kind, unit),
                fractions=_fractions(table, kind),
                line=table.source.line_of(table.key),
                file=table.source.name,
            )
        )
    return specs


# Amounts, head counts and rates are never negative unless a ruleset says so.
_NON_NEGATIVE_TYPES = ("money", "count", "percent")


def _domain(table: Table, kind: str, unit: str | None) -> Domain:
    """The input's domain: what the ruleset declares (min, max, integer), over its type's defaults
    (counts are whole numbers, amounts, counts and rates are not negative)."""
    if kind in ("bool", "text"):
        for key in ("min", "max", "integer", "negative"):
            if table.has(key):
                raise table.error(f"{'是/否' if kind == 'bool' else '文字'}类输入没有取值范围，不能写 {key}", key)
        return Domain()
    low = table.decimal("min", "最小值（含）", required=False)
    high = table.decimal("max", "最大值（含）", required=False)
    negative = table.boolean("negative", "是否可为负数", False)
    if negative and low is not None and low >= 0:
        raise table.error(f"negative = true 与 min = {fmt(low)} 矛盾", "negative")
    if low is None and not negative and kind in _NON_NEGATIVE_TYPES:
        low = Decimal(0)
    if low is not None and high is not None and low > high:
        raise table.error(f"最小值 {fmt(low)} 大于最大值 {fmt(high)}", "min")
    integer = table.boolean("integer", "是否只能为整数", kind == "count")
    declared = table.has("min") or table.has("max")
    return Domain(low, high, integer, declared)


def _fractions(table: Table, kind: str) -> str:
    if kind != "percent":
        if table.has("fractions"):
            raise table.error("fractions 只用于百分比类型（type = \"percent\"）的输入", "fractions")
        return "question"
    return table.choice("fractions", "百分比输入中 0–1 之间的纯数字怎样读（question 待核实 / scale 按小数换算为百分数 / literal 按百分数）", FRACTION_POLICIES, default="question")


def _indicator(table: Table, kinds: Mapping[str, type[Rule]], input_ids: set[str], source: SourceFile, rounding: Rounding, text_ids: Mapping[str, str]) -> Indicator:
    table.check_keys(INDICATOR_KEYS)
    path = group_path(table)
    table.label = f"指标“{path[-1]}”"
    weight = table.decimal("weight", "分值")
    assert weight is not None
    if weight < 0:
        raise table.error("分值不能为负数", "weight")
    if rounding.apply(weight) != weight:
        # Full marks would round to more than the weight and could never be awarded.
        raise table.error(f"分值 {fmt(weight)} 的小数位数多于框架舍入规则（保留 {rounding.places} 位）", "weight", hint="请增加 rounding.places 或改正分值")
    unit = table.string("unit", "计算结果的单位", required=False)
    if unit is not None and unit not in UNITS:
        raise table.error(f"无法识别的单位“{unit}”", "unit", hint=f"可用单位：{'、'.join(UNITS)}")

    def compile_at(text: str, key: str, local: frozenset[str] = frozenset()) -> Expression:
        try:
            return compile_expression(text, input_ids | set(local), text_ids)
        except ExpressionInvalid as exc:
            raise table.error(str(exc), key) from None

    formula_text = table.string("formula", "计算公式", required=False)
    formula = compile_at(formula_text, "formula") if formula_text is not None else None
    zero_division = None
    fallback = table.table("zero_division", "除数为零时的处理", required=False)
    if fallback is not None:
        fallback.check_keys(["score", "note"])
        fallback_score = fallback.decimal("score", "除数为零时的得分")
        note = fallback.string("note", "除数为零时的说明（写明依据）")
        assert fallback_score is not None and note is not None
        if not 0 <= fallback_score <= weight:
            raise fallback.error(f"得分 {fmt(fallback_score)} 超出分值 0–{fmt(weight)}", "score")
        if formula is None:
            raise table.error("zero_division 只能用于有计算公式（formula）的指标", "zero_division")
        zero_division = ZeroDivisionFallback(fallback_score, note)
    rule_table = table.table("rule", "评分规则（[indicator.rule]，含 kind）", label=f"指标“{path[-1]}”.rule")
    assert rule_table is not None
    kind_name = rule_table.choice("kind", "规则类型", kinds)
    rule_cls = kinds[kind_name]

    def compile_rule(text: str, key: str, local: frozenset[str] = frozenset()) -> Expression:
        try:
            return compile_expression(text, input_ids | set(local), text_ids)
        except ExpressionInvalid as exc:
            raise rule_table.error(str(exc), key) from None

    ctx = LoadContext(label=path[-1], weight=weight, unit=unit, has_formula=formula is not None, compile=compile_rule)
    try:
        rule = rule_cls.from_table(rule_table, ctx)
    except EvalcoreError:
        raise
    except BaseException as exc:
        reraise_interrupt(exc)
        module = plugin_module(rule_cls)
        if module is None:
            raise  # evalcore's own kind: a bug, reported as an internal error
        raise rule_table.error(plugin_fault(f"规则类型“{kind_name}”读取评分规则时", module, exc)) from None
    if not isinstance(rule, Rule):
        raise rule_table.error(f"规则类型“{kind_name}”（插件模块 {plugin_module(rule_cls)}）的 from_table 返回了 {rule!r}，不是规则对象；这是插件的缺陷，请把此信息报告给插件的维护者")
    if rule.needs_value and formula is None:
        raise table.error(f"规则类型“{kind_name}”需要计算公式（formula）给出被评价的数值", "formula")
    source_text = table.string("source", "出处", required=False)
    accepted: dict[str, str] = {}
    accept = table.table("accept", "框架检查中已知并接受的问题（代码 = 理由）", required=False)
    if accept is not None:
        for code, reason in accept.data.items():
            if not isinstance(reason, str) or not reason.strip():
                raise accept.error("每个接受的问题都要写明理由，如 zero-unreachable = \"原文每缺一项扣0.5分，最低得0.5分\"", code)
            accepted[code] = reason.strip()
    return Indicator(
        id=table.string("id", "指标编号", required=False) or path[-1],
        name=path[-1],
        path=path,
        weight=weight,
        rule=rule,
        formula=formula,
        unit=unit,
        content=table.string("content", "指标内容", required=False),
        description=table.string("description", "指标说明", required=False),
        printed=table.string("printed", "评分标准原文", required=False),
        note=table.string("note", "与原文不同之处的说明", required=False),
        source=Source(source_text) if source_text else None,
        zero_division=zero_division,
        accept=accepted,
        exemption=_exemption(table),
        line=source.line_of(table.key),
        file=source.name,
    )


def _exemption(table: Table) -> str | None:
    """The printed condition under which a unit is let off the indicator's deduction."""
    text = table.string("exemption", "可不扣分的情形（评分标准原文）", required=False)
    if text is not None and not text.strip():
        raise table.error("exemption 不能为空：请照评分标准原文写明在什么情形下可不扣分，如 \"因市场因素或不可抗力影响导致成本超出计划的可不扣分\"", "exemption")
    return text.strip() if text is not None else None


def _tree(indicators: list[Indicator], groups: dict[tuple[str, ...], tuple[Decimal, int | None, Source | None]], root: Table) -> tuple[list[Node], list[str]]:
    """Build the group tree from indicator paths, in order of first appearance."""
    order: dict[tuple[str, ...], list[Any]] = {(): []}
    for indicator in indicators:
        for depth in range(1, len(indicator.path)):
            prefix = indicator.path[:depth]
            if prefix not in order:
                order[prefix] = []
                order[prefix[:-1]].append(prefix)
        order[indicator.path[:-1]].append(indicator)
    for path in groups:
        if path not in order:
            raise root.error(f"分组“{'/'.join(path)}”下没有任何指标", None)
    warnings: list[str] = []

    def build(prefix: tuple[str, ...]) -> list[Node]:
        nodes: list[Node] = []
        for item in order[prefix]:
            if isinstance(item, Indicator):
                nodes.append(item)
                continue
            weight, line, group_source = groups.get(item, (None, None, None))
            group = Group(name=item[-1], path=item, weight=weight, children=tuple(build(item)), source=group_source, line=line)
            if weight is not None:
                children_sum = sum((_weight(c) for c in group.children), Decimal(0))
                if children_sum != weight:
                    where = f"{root.source.name}:{line}" if line else root.source.name
                    warnings.append(f"{where}: 分组“{'/'.join(item)}”声明分值 {fmt(weight)}，其下各项合计 {fmt(children_sum)}")
            nodes.append(group)
        return nodes

    return build(()), warnings


def _weight(node: Node) -> Decimal:
    if isinstance(node, Indicator):
        return node.weight
    return node.weight if node.weight is not None else node.leaf_weight
