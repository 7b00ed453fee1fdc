"""`evalcore explain`: the full trace of every indicator, or of the ones named."""

from __future__ import annotations

from pathlib import Path

import click

from ..model import did_you_mean
from ..outputs import render_explain
from ._common import evaluate_file
from ._common import width as width_of
from ._style import WIDTH

__all__ = ["explain_command"]


@click.command("explain")
@click.argument("data", type=click.Path(path_type=Path), metavar="数据文件")
@click.argument("indicators", nargs=-1, metavar="[指标…]")
@click.option("--framework", "framework_id", metavar="编号或文件", help="评价框架（默认取数据文件中的 framework）")
@click.option("--width", type=WIDTH, metavar="列数", default=None, help="输出宽度")
def explain_command(data: Path, indicators: tuple[str, ...], framework_id: str | None, width: int | None) -> None:
    """逐步写出计分过程：每个指标（或指定的指标）的公式、代入的数、规则和得分。

    指标可写名称、编号或“二级/三级”路径。
    """
    evaluation = evaluate_file(data, framework_id)
    for key in indicators:
        try:
            evaluation.leaf(key)
        except KeyError:
            candidates = evaluation.framework.leaf_candidates(key)
            if len(candidates) > 1:
                paths = "、".join("/".join(c.path[-2:]) for c in candidates)
                raise click.UsageError(f"指标名称“{key}”对应多个指标：{paths}；请写“二级/三级”路径") from None
            leaves = [leaf.indicator for leaf in evaluation.leaves()]
            close = did_you_mean(key, [name for leaf in leaves for name in (leaf.id, leaf.name)])
            names = "、".join(leaf.id for leaf in leaves)
            raise click.UsageError(f"框架中没有指标“{key}”；{close or ''}可用：{names}") from None
    click.echo(render_explain(evaluation, width_of(width), indicators), nl=False)
