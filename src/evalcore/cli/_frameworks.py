"""`evalcore frameworks`: the installed frameworks, one block each, wrapped to the terminal width."""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from ..model import KIND_WORDS, FormatOptions
from ..outputs import wrap
from ..plugin import FrameworkEntry, get_registry
from ._common import report_registry_errors, use_color, width
from ._style import Choice

__all__ = ["frameworks_command", "render_frameworks"]


def render_frameworks(entries: Sequence[FrameworkEntry], options: FormatOptions) -> str:
    width = options.width or 80
    if not entries:
        return "没有已安装的评价框架。请安装省份插件，例如：pip install -e plugins/hunan\n"
    lines: list[str] = []
    for entry in entries:
        # The id is what a user types, so it stands alone on its line, never wrapped.
        lines.append(entry.id)
        facts = f"{entry.title} · {entry.region} · {KIND_WORDS.get(entry.kind, entry.kind)} · {entry.year or ''}年度"
        lines.extend("  " + part for part in wrap(facts, width - 2))
        if entry.source:
            lines.extend("  " + part for part in wrap(f"出处：{entry.source}", width - 2))
        lines.append("")
    lines.append(f"共 {len(entries)} 个评价框架。")
    return "\n".join(lines) + "\n"


@click.command("frameworks")
@click.option("--format", "fmt_name", type=Choice(["table", "json"]), default="table", help="输出格式（默认 table）")
def frameworks_command(fmt_name: str) -> None:
    """列出已安装的评价框架：编号、名称、地区、类型、年度、出处。"""
    registry = get_registry()
    report_registry_errors(registry)
    entries = sorted(registry.entries.values(), key=lambda e: e.id)
    if fmt_name == "json":
        rows = [
            {"id": e.id, "title": e.title, "region": e.region, "kind": e.kind, "year": e.year, "source": e.source, "plugin": e.plugin}
            for e in entries
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(render_frameworks(entries, FormatOptions(width=width(None), color=use_color())), nl=False)
