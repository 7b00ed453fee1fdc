"""`evalcore show`: a framework's tree, weights, rules in words, printed text and sources."""

from __future__ import annotations

import click

from ..outputs import render_framework
from ..plugin import get_registry
from ._common import width as width_of
from ._style import WIDTH

__all__ = ["show_command"]


@click.command("show")
@click.argument("framework_id", metavar="框架编号或规则文件")
@click.option("--width", type=WIDTH, metavar="列数", default=None, help="输出宽度")
def show_command(framework_id: str, width: int | None) -> None:
    """显示评价框架：指标树、分值、用文字写出的评分规则、原文和出处。"""
    registry = get_registry()
    framework = registry.find(framework_id)
    click.echo(render_framework(framework, width_of(width), registry.outputs_sentence(framework)), nl=False)
