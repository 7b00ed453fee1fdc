"""`evalcore show`, `evalcore explain` and `evalcore plugins`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ._cli_style import WIDTH

from ._format_tree import render_explain, render_framework
from ._plugins import get_registry


@click.command("show")
@click.argument("framework_id", metavar="框架编号或规则文件")
@click.option("--width", type=WIDTH, metavar="列数", default=None, help="输出宽度")
def show_command(framework_id: str, width: int | None) -> None:
    """显示评价框架：指标树、分值、用文字写出的评分规则、原文和出处。"""
    from .cli import _width

    registry = get_registry()
    framework = registry.find(framework_id)
    click.echo(render_framework(framework, _width(width)), nl=False)


@click.command("explain")
@click.argument("data", type=click.Path(path_type=Path), metavar="数据文件")
@click.argument("indicators", nargs=-1, metavar="[指标…]")
@click.option("--framework", "framework_id", metavar="编号或文件", help="评价框架（默认取数据文件中的 framework）")
@click.option("--width", type=WIDTH, metavar="列数", default=None, help="输出宽度")
def explain_command(data: Path, indicators: tuple[str, ...], framework_id: str | None, width: int | None) -> None:
    """逐步写出计分过程：每个指标（或指定的指标）的公式、代入的数、规则和得分。

    指标可写名称、编号或“二级/三级”路径。
    """
    from .cli import _width, evaluate_file

    evaluation = evaluate_file(data, framework_id)
    from ._data import indicator_candidates

    for key in indicators:
        try:
            evaluation.leaf(key)
        except KeyError:
            candidates = indicator_candidates(evaluation.framework, key)
            if len(candidates) > 1:
                paths = "、".join("/".join(c.path[-2:]) for c in candidates)
                raise click.UsageError(f"指标名称“{key}”对应多个指标：{paths}；请写“二级/三级”路径") from None
            names = "、".join(leaf.indicator.id for leaf in evaluation.leaves())
            raise click.UsageError(f"框架中没有指标“{key}”；可用：{names}") from None
    click.echo(render_explain(evaluation, _width(width), indicators), nl=False)


@click.command("plugins")
@click.option("--format", "fmt_name", type=click.Choice(["table", "json"]), default="table", help="输出格式（默认 table）")
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
            }
            for p in registry.plugins
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for plugin in registry.plugins:
        click.echo(f"{plugin.name} {plugin.version or ''}（{plugin.module}）".replace(" （", "（"))
        for word, items in (("评价框架", plugin.frameworks), ("规则类型", plugin.rule_kinds), ("输出格式", plugin.formatter_labels)):
            if items:
                click.echo(f"  {word}：{'、'.join(items)}")
        for error in plugin.errors:
            click.echo(f"  加载错误：{error}")
