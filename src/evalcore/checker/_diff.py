"""What changed between two frameworks (two years of one county, or a county and the province
framework it extends): `evalcore diff A B`."""

from __future__ import annotations

from collections.abc import Iterator

from attrs import frozen

from ..model import ROUNDING_WORDS, Category, Framework, Group, Node, fmt

__all__ = ["CHANGE_WORDS", "Change", "diff_frameworks"]


@frozen
class Change:
    kind: str  # a key of CHANGE_WORDS
    path: tuple[str, ...]
    message: str


CHANGE_WORDS = {
    "added": "新增",
    "removed": "删除",
    "reweighted": "分值调整",
    "reruled": "评分规则调整",
    "reformulated": "公式调整",
    "moved": "位置调整",
    "group-reweighted": "分组分值调整",
    "total": "总分调整",
    "settings": "框架规定调整",
    "input": "基础数据调整",
    "form": "自评表规定调整",
}


def _groups(nodes: tuple[Node, ...]) -> Iterator[Group]:
    for node in nodes:
        if isinstance(node, Group):
            yield node
            yield from _groups(node.children)


def diff_frameworks(a: Framework, b: Framework) -> list[Change]:
    changes: list[Change] = []
    if a.total != b.total:
        changes.append(Change("total", (), f"总分 {fmt(a.total)} → {fmt(b.total)}"))
    changes.extend(_settings(a, b))
    changes.extend(_inputs(a, b))
    changes.extend(_form(a, b))
    old = {leaf.id: leaf for leaf in a.leaves()}
    new = {leaf.id: leaf for leaf in b.leaves()}
    for key, leaf in old.items():
        if key not in new:
            changes.append(Change("removed", leaf.path, f"删除指标“{'/'.join(leaf.path)}”（{fmt(leaf.weight)} 分）"))
    for key, leaf in new.items():
        before = old.get(key)
        if before is None:
            changes.append(Change("added", leaf.path, f"新增指标“{'/'.join(leaf.path)}”（{fmt(leaf.weight)} 分，{leaf.rule.title}）"))
            continue
        if before.path != leaf.path:
            changes.append(Change("moved", leaf.path, f"“{key}”由 {'/'.join(before.path)} 移到 {'/'.join(leaf.path)}"))
        if before.weight != leaf.weight:
            changes.append(Change("reweighted", leaf.path, f"“{'/'.join(leaf.path)}”分值 {fmt(before.weight)} → {fmt(leaf.weight)}"))
        if before.rule != leaf.rule:
            changes.append(
                Change("reruled", leaf.path, f"“{'/'.join(leaf.path)}”评分规则：{before.rule.describe(before.weight, before.unit)} → {leaf.rule.describe(leaf.weight, leaf.unit)}")
            )
        old_formula = before.formula.source if before.formula else None
        new_formula = leaf.formula.source if leaf.formula else None
        if old_formula != new_formula:
            changes.append(Change("reformulated", leaf.path, f"“{'/'.join(leaf.path)}”公式：{old_formula or '无'} → {new_formula or '无'}"))
    old_groups = {g.path: g for g in _groups(a.children)}
    for group in _groups(b.children):
        before_group = old_groups.get(group.path)
        old_weight = before_group.weight if before_group is not None and before_group.weight is not None else (before_group.leaf_weight if before_group else None)
        new_weight = group.weight if group.weight is not None else group.leaf_weight
        if before_group is not None and old_weight != new_weight:
            changes.append(Change("group-reweighted", group.path, f"分组“{'/'.join(group.path)}”分值 {fmt(old_weight)} → {fmt(new_weight)}"))
    return changes


def _settings(a: Framework, b: Framework) -> Iterator[Change]:
    """Framework-wide settings: rounding, grades, the not-applicable policy."""
    for word, before, after in (
        ("得分保留小数位数", a.rounding.places, b.rounding.places),
        ("测算值保留小数位数", a.rounding.value_places, b.rounding.value_places),
        ("舍入方式", ROUNDING_WORDS[a.rounding.mode], ROUNDING_WORDS[b.rounding.mode]),
        ("不适用指标的处理", a.not_applicable, b.not_applicable),
        ("评价等级", _grades(a), _grades(b)),
    ):
        if before != after:
            yield Change("settings", (), f"{word}：{before} → {after}")


def _grades(framework: Framework) -> str:
    return "，".join(f"{band.name} ≥ {fmt(band.min)}" for band in framework.grades)


def _inputs(a: Framework, b: Framework) -> Iterator[Change]:
    """Inputs added, removed, or with another type, unit, domain or reading of fractions."""
    old = {spec.id: spec for spec in a.inputs}
    new = {spec.id: spec for spec in b.inputs}
    for key in sorted(old.keys() - new.keys()):
        yield Change("input", ("基础数据", key), f"删除基础数据“{key}”")
    for key in sorted(new.keys() - old.keys()):
        yield Change("input", ("基础数据", key), f"新增基础数据“{key}”（{new[key].domain.describe(new[key].unit)}）")
    for key in sorted(old.keys() & new.keys()):
        before, after = old[key], new[key]
        for word, x, y in (
            ("类型", before.type, after.type),
            ("单位", before.unit, after.unit),
            ("取值范围", before.domain.describe(before.unit), after.domain.describe(after.unit)),
            ("小数写法", before.fractions, after.fractions),
        ):
            if x != y:
                yield Change("input", ("基础数据", key), f"基础数据“{key}”的{word}：{x} → {y}")


def _form(a: Framework, b: Framework) -> Iterator[Change]:
    """The settings of a project target form (项目支出绩效自评表)."""
    if a.form is None and b.form is None:
        return
    if a.form is None or b.form is None:
        yield Change("form", (), "一个是项目支出绩效自评表，另一个不是")
        return
    x, y = a.form, b.form
    for word, before, after in (
        ("是否计分", x.scored, y.scored),
        ("预算执行率分值", fmt(x.execution_weight), fmt(y.execution_weight)),
        ("预算执行率的分母", x.execution_divisor, y.execution_divisor),
        ("须说明原因的执行率", fmt(x.execution_reason_below) if x.execution_reason_below is not None else "无", fmt(y.execution_reason_below) if y.execution_reason_below is not None else "无"),
        ("超出目标的提示幅度", fmt(x.over_margin) if x.over_margin is not None else "无", fmt(y.over_margin) if y.over_margin is not None else "无"),
        ("绩效指标分值合计", fmt(x.targets_weight) if x.targets_weight is not None else "按类别", fmt(y.targets_weight) if y.targets_weight is not None else "按类别"),
        ("资金来源", "、".join(x.sources) or "无", "、".join(y.sources) or "无"),
        ("指标类别", _categories(x.categories), _categories(y.categories)),
        ("定性指标评定档次", "，".join(f"{t.name} {t.describe()}" for t in x.tiers), "，".join(f"{t.name} {t.describe()}" for t in y.tiers)),
    ):
        if before != after:
            yield Change("form", (), f"{word}：{before} → {after}")


def _categories(categories: tuple[Category, ...]) -> str:
    parts = []
    for category in categories:
        weight = f" {fmt(category.weight)} 分" if category.weight is not None else ""
        directions = "、".join(f"{k}{v}" for k, v in category.directions.items())
        parts.append(f"{category.name}{weight}" + (f"（{directions}）" if directions else ""))
    return "，".join(parts)
