"""`evalcore diff A B`: what changed between two frameworks (two years of one county, or a county
and the province framework it extends)."""

from __future__ import annotations

from collections.abc import Iterator

import click

from ._cli_style import WIDTH
from attrs import frozen

from ._model import Framework, Group, Node
from ._numbers import fmt
from ._plugins import Registry, get_registry
from ._wrap import wrap

__all__ = ["Change", "diff_frameworks"]


@frozen
class Change:
    kind: str  # added | removed | reweighted | reruled | reformulated | moved | group-reweighted | total
    path: tuple[str, ...]
    message: str


KIND_WORDS = {
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


def _load(registry: Registry, name: str) -> Framework:
    return registry.find(name)


@click.command("diff")
@click.argument("first", metavar="框架A")
@click.argument("second", metavar="框架B")
@click.option("--format", "fmt_name", type=click.Choice(["table", "json"]), default="table", help="输出格式（默认 table）")
@click.option("--width", type=WIDTH, metavar="列数", default=None, help="输出宽度")
def diff_command(first: str, second: str, fmt_name: str, width: int | None) -> None:
    """比较两个评价框架（编号或规则文件）：新增、删除、分值调整、评分规则调整的指标。"""
    from .cli import _width

    registry = get_registry()
    a, b = _load(registry, first), _load(registry, second)
    changes = diff_frameworks(a, b)
    if fmt_name == "json":
        import json

        click.echo(json.dumps([{"kind": c.kind, "path": list(c.path), "message": c.message} for c in changes], ensure_ascii=False, indent=2))
        return
    columns = _width(width)
    click.echo(f"{a.id} → {b.id}：{len(changes)} 处变化" if changes else f"{a.id} 与 {b.id} 的指标、分值和评分规则相同")
    for change in changes:
        for i, line in enumerate(wrap(f"【{KIND_WORDS[change.kind]}】{change.message}", columns - 2)):
            click.echo(("  " if i == 0 else "    ") + line)
