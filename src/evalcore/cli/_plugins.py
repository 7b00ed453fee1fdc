"""`evalcore plugins`: installed plugins, what each registers, and why any failed to load."""

from __future__ import annotations

import json

import click

from ..plugin import get_registry
from ._style import Choice

__all__ = ["plugins_command"]


@click.command("plugins")
@click.option("--format", "fmt_name", type=Choice(["table", "json"]), default="table", help="输出格式（默认 table）")
def plugins_command(fmt_name: str) -> None:
    """列出已安装的插件：版本、注册的框架、规则类型、输出格式，以及加载错误。"""
    registry = get_registry()
    if fmt_name == "json":
        rows = [
            {
                "name": p.name,
                "version": p.version,
                "module": p.module,
                "frameworks": list(p.frameworks),
                "rule_kinds": list(p.rule_kinds),
                "formatters": list(p.formatters),
                "formatter_frameworks": {name: list(claims) for name, claims in p.formatter_frameworks.items()},
                "errors": list(p.errors),
                "skipped": p.skipped,
            }
            for p in registry.plugins
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for plugin in registry.plugins:
        click.echo(f"{plugin.name} {plugin.version or ''}（{plugin.module}）".replace(" （", "（") + ("：未启用" if plugin.skipped else ""))
        for word, items in (("评价框架", plugin.frameworks), ("规则类型", plugin.rule_kinds), ("输出格式", plugin.formatter_labels)):
            if items:
                click.echo(f"  {word}：{'、'.join(items)}")
        for error in plugin.errors:
            click.echo(f"  加载错误：{error}")
