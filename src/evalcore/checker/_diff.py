"""What changed between two frameworks (two years of one county, or a county and the province
framework it extends): `evalcore diff A B`."""

from __future__ import annotations

from collections.abc import Iterator

from attrs import frozen

from ..model import Framework, Group, Node, fmt

__all__ = ["CHANGE_WORDS", "Change", "diff_frameworks"]


@frozen
class Change:
    kind: str  # added | removed | reweighted | reruled | reformulated | moved | group-reweighted | total
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
