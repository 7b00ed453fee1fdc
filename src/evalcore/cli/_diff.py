"""`evalcore diff A B`: what changed between two frameworks."""

from __future__ import annotations

import json

import click

from ..outputs import wrap
from ..plugin import get_registry
from ._common import width as width_of
from ._style import WIDTH, Choice

__all__ = ["diff_command"]


@click.command("diff")
@click.argument("first", metavar="框架A")
@click.argument("second", metavar="框架B")
@click.option("--format", "fmt_name", type=Choice(["table", "json"]), default="table", help="输出格式（默认 table）")
@click.option("--width", type=WIDTH, metavar="列数", default=None, help="输出宽度")
def diff_command(first: str, second: str, fmt_name: str, width: int | None) -> None:
    """比较两个评价框架（编号或规则文件）：新增、删除、分值调整、评分规则调整的指标。"""
    from ..checker import CHANGE_WORDS, diff_frameworks  # imported when frameworks are compared

    registry = get_registry()
    a, b = registry.find(first), registry.find(second)
    changes = diff_frameworks(a, b)
    if fmt_name == "json":
        click.echo(json.dumps([{"kind": c.kind, "path": list(c.path), "message": c.message} for c in changes], ensure_ascii=False, indent=2))
        return
    columns = width_of(width)
    click.echo(f"{a.id} → {b.id}：{len(changes)} 处变化" if changes else f"{a.id} 与 {b.id} 的指标、分值、评分规则和各项规定相同")
    for change in changes:
        for i, line in enumerate(wrap(f"【{CHANGE_WORDS[change.kind]}】{change.message}", columns - 2)):
            click.echo(("  " if i == 0 else "    ") + line)
