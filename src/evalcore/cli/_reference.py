"""`evalcore reference`: one Markdown page per installed framework (docs/frameworks/*.md); the
test suite regenerates them and fails when a committed page is out of date."""

from __future__ import annotations

from pathlib import Path

import click

from ..model import KIND_WORDS, display_path
from ..outputs import UniqueNames, output_path, reference_page, safe_name, write_output
from ..plugin import get_registry
from ._common import fail
from ._style import FOLDER

__all__ = ["reference_command", "reference_pages"]


INDEX = "README.md"


def reference_pages(under: Path | None = None) -> dict[str, str]:
    """Pages for every installed framework, or only those whose ruleset lies under `under`, by
    the file name each is written under: one name per framework, valid on every system and
    distinct where case is ignored (ids AB.x and ab.x), never the index's; the index links
    exactly these names."""
    registry = get_registry()
    loaded, _ = registry.all_frameworks()
    if under is not None:
        root = under.resolve()
        loaded = [f for f in loaded if root in registry.entries[f.id].path.resolve().parents]
    names = UniqueNames((INDEX,))
    pages: dict[str, str] = {}
    index = ["# 已发布的评价框架", "", "由 `evalcore reference -o docs/frameworks --rulesets rulesets` 从规则文件生成，请勿手工修改。", "", "| 编号 | 名称 | 地区 | 类型 | 年度 |", "|---|---|---|---|---|"]
    for framework in sorted(loaded, key=lambda f: f.id):
        name = names.take(safe_name(framework.id), ".md")
        pages[name] = reference_page(framework)
        index.append(f"| [{framework.id}]({name}) | {framework.title} | {framework.region} | {KIND_WORDS.get(framework.kind, framework.kind)} | {framework.year} |")
    pages[INDEX] = "\n".join(index) + "\n"
    return pages


@click.command("reference")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="目录", required=True, help="输出目录，如 docs/frameworks")
@click.option("--rulesets", type=FOLDER, default=None, metavar="目录", help="只为此目录下的规则文件生成（如 rulesets）")
def reference_command(output: Path, rulesets: Path | None) -> None:
    """为每个已安装的评价框架生成一页参考文档（指标树、分值、评分规则、原文、出处）。"""
    pages = reference_pages(rulesets)
    if len(pages) == 1:  # the index alone: no installed framework's ruleset lies there
        where = f"{display_path(rulesets)} 中没有已安装的评价框架的规则文件" if rulesets is not None else "没有已安装的评价框架"
        fail(f"{where}，没有生成参考文档；用 evalcore frameworks 查看已安装的框架")
    output.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        # The names are made safe above; output_path still refuses one that would leave the folder.
        target = output_path(output, name)
        write_output(target, text, [])
        click.echo(str(target))
