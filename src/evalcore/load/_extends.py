"""Framework layers: a county framework that `extends` a province or national one.

The child names its parent by id and states only what differs: [framework] keys, new or replaced
[[input]]s and [[group]]s, [[indicator]]s that override a parent indicator (matched by id, or by
path) key by key, new indicators, and `drop = [...]` for indicators it does not use. Each
indicator remembers which layer set each of its keys, so `evalcore show` can tell.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from attrs import field

from ..model import RulesetError, SourceFile, Table, define
from ._toml import load_toml

__all__ = ["FRAMEWORK_KEYS", "Layers", "Resolver", "group_path", "read_layers"]

MAX_DEPTH = 5
# The keys of a ruleset's [framework] table.
FRAMEWORK_KEYS = ["id", "title", "region", "kind", "year", "total", "source", "rounding", "grades", "not_applicable", "description", "settings", "extends", "drop"]
# Finds the ruleset of a framework by its id; KeyError when there is none.
Resolver = Callable[[str], Path]


@define
class Layers:
    """The merged view of a framework and its parents, each table keeping its own file."""

    root: Table
    head: Table
    inputs: list[Table] = field(factory=list)
    groups: list[Table] = field(factory=list)
    indicators: list[tuple[Table, dict[str, str]]] = field(factory=list)
    parents: tuple[str, ...] = ()


def _indicator_id(table: Table) -> str | None:
    if isinstance(table.raw("id"), str):
        return str(table.raw("id"))
    path = table.raw("path")
    return str(path[-1]) if isinstance(path, list) and path and isinstance(path[-1], str) else None


def read_layers(data: dict[str, Any], source: SourceFile, resolve: Resolver | None = None, chain: tuple[str, ...] = ()) -> Layers:
    root = Table(data, source, (), "")
    root.check_keys(["framework", "input", "group", "indicator", "form"])
    head = root.table("framework", "框架信息 [framework]")
    assert head is not None
    head.check_keys(FRAMEWORK_KEYS)
    own_id = str(head.raw("id", "?"))
    parent_id = head.string("extends", "所继承的框架编号", required=False)
    if parent_id is None:
        if head.has("drop"):
            raise head.error("只有继承其他框架（extends）时才能写 drop", "drop")
        layers = Layers(root=root, head=head)
        layers.inputs = root.tables("input", "基础数据输入")
        layers.groups = root.tables("group", "分组（一级、二级指标）")
        layers.indicators = [(table, {}) for table in root.tables("indicator", "指标")]
        _check_duplicate_groups(layers.groups)
        return layers
    if parent_id in chain + (own_id,) or len(chain) >= MAX_DEPTH:
        raise head.error(f"框架继承形成了循环或层数过多：{' → '.join(chain + (own_id, parent_id))}", "extends")
    try:
        if resolve is None:
            raise KeyError(parent_id)
        parent_path = resolve(parent_id)
    except KeyError:
        raise head.error(f"找不到所继承的框架“{parent_id}”", "extends", hint="用 evalcore frameworks 查看已安装的框架编号") from None
    parent_data, parent_source = load_toml(parent_path, RulesetError)
    parent = read_layers(parent_data, parent_source, resolve, chain + (own_id,))
    return _merge(parent, root, head, own_id, parent_id)


def group_path(table: Table) -> tuple[str, ...]:
    """A group's or indicator's `path`: names from level 1 down, or an error at the key."""
    raw = table.raw("path")
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p.strip() for p in raw):
        raise table.error("path 应为指标名称的数组，从一级指标到本级，例如 [\"投入\", \"预算配置\", \"在职人员控制率\"]", "path")
    return tuple(p.strip() for p in raw)


def _check_duplicate_groups(groups: list[Table]) -> None:
    seen: set[tuple[str, ...]] = set()
    for table in groups:
        key = group_path(table)
        if key in seen:
            raise table.error(f"分组“{'/'.join(map(str, key))}”重复声明", "path")
        seen.add(key)


def _merge(parent: Layers, root: Table, head: Table, own_id: str, parent_id: str) -> Layers:
    # [framework]: the child's keys over the parent's; errors in inherited keys point at the child.
    merged_head = {k: v for k, v in parent.head.data.items() if k not in ("extends", "drop")}
    merged_head.update({k: v for k, v in head.data.items() if k not in ("extends", "drop")})
    new_head = Table(merged_head, head.source, head.key, head.label)

    inputs = {str(t.raw("id")): t for t in parent.inputs}
    for table in root.tables("input", "基础数据输入"):
        inputs[str(table.raw("id"))] = table
    groups = {group_path(t): t for t in parent.groups}
    for table in root.tables("group", "分组（一级、二级指标）"):
        groups[group_path(table)] = table

    indicators: dict[str, tuple[Table, dict[str, str]]] = {}
    for table, origin in parent.indicators:
        key = _indicator_id(table) or str(len(indicators))
        indicators[key] = (table, {k: origin.get(k, parent_id) for k in table.data})
    drops = head.sequence("drop", "不再使用的指标或输入的编号")
    for name in drops:
        if not isinstance(name, str):
            raise head.error(f"drop 应为所继承框架的指标或输入编号（文字）的数组，如 [\"资产管理制度健全性\"]，其中 {name!r} 不是文字", "drop")
        if name in indicators:
            del indicators[name]
        elif name in inputs:
            del inputs[name]
        else:
            raise head.error(f"drop 中的“{name}”不是所继承框架 {parent_id} 的指标或输入", "drop")
    for table in root.tables("indicator", "指标"):
        found = _indicator_id(table)
        key = found if found is not None else str(len(indicators))
        if found is not None and key in indicators and not (table.has("path") and table.raw("path") != indicators[key][0].raw("path") and not table.has("id")):
            base, origin = indicators[key]
            data = dict(base.data)
            if ("rule" in table.data or "printed" in table.data) and "note" not in table.data:
                # The parent's note explains the parent's rule; it would mislead under a new one.
                data.pop("note", None)
            data.update(table.data)
            merged = Table(data, table.source, table.key, table.label)
            origin = dict(origin)
            origin.update({k: own_id for k in table.data})
            indicators[key] = (merged, origin)
        else:
            indicators[key] = (table, {k: own_id for k in table.data})

    form = root.raw("form") if root.has("form") else parent.root.raw("form")
    merged_root = dict(root.data)
    if form is not None:
        merged_root["form"] = form
    layers = Layers(root=Table(merged_root, root.source, (), ""), head=new_head)
    layers.inputs = list(inputs.values())
    layers.groups = list(groups.values())
    layers.indicators = list(indicators.values())
    layers.parents = (parent_id,) + parent.parents
    return layers
