"""`evalcore new-plugin`: an installable county plugin that passes its own checks from the start."""

from __future__ import annotations

import datetime
import re
from importlib.resources import files
from pathlib import Path

import click

from .. import __version__
from ..model import EvalcoreError, Location, display_path
from ._style import INTEGER, Choice

__all__ = ["create_plugin", "new_plugin_command"]

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")

# template file -> where it goes in the new package
LAYOUT = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "init.py.tmpl": "src/evalcore_{name}/__init__.py",
    "ruleset.toml.tmpl": "src/evalcore_{name}/rulesets/{name}.toml",
    "example.toml.tmpl": "examples/example.toml",
    "case.toml.tmpl": "tests/cases/example.toml",
    "test.py.tmpl": "tests/test_{name}.py",
}


def create_plugin(name: str, target: Path, region: str, year: int | None = None, kind: str = "dept") -> list[Path]:
    """Write the package; refuses to touch an existing directory's files."""
    if not _NAME.match(name):
        raise EvalcoreError(f"插件名称“{name}”不可用：请用小写字母开头，只含小写字母、数字和下划线（如 taojiang），2–40 个字符")
    if target.exists() and any(target.iterdir()):
        raise EvalcoreError("目录已存在且不为空，为免覆盖文件，请换一个目录", Location(file=display_path(target)))
    values = {
        "name": name,
        "region": region,
        "year": str(year or datetime.date.today().year - 1),
        "framework_id": f"{name}.{kind}.{year or datetime.date.today().year - 1}",
        "kind": kind,
        "kind_title": "部门整体支出" if kind == "dept" else "项目支出",
        "core_version": __version__,
    }
    written = []
    templates = files("evalcore") / "scaffold"
    for template, destination in LAYOUT.items():
        text = (templates / template).read_text(encoding="utf-8").format(**values)
        path = target / destination.format(**values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    typed = target / f"src/evalcore_{name}/py.typed"
    typed.write_text("", encoding="utf-8")
    written.append(typed)
    return written


@click.command("new-plugin")
@click.argument("name", metavar="名称")
@click.option("--region", default="（地区）", metavar="地区", help="地区，如 湖南省/益阳市/桃江县")
@click.option("--year", type=INTEGER, default=None, metavar="年度", help="框架年度（默认为上一年）")
@click.option("--kind", type=Choice(["dept", "project"]), default="dept", help="框架类型：dept 部门整体支出（默认）、project 项目支出")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="路径", default=None, help="目录（默认为 evalcore-名称）")
def new_plugin_command(name: str, region: str, year: int | None, kind: str, output: Path | None) -> None:
    """新建一个县（区）插件：评分表骨架、示例数据、用例、测试和可安装的 pyproject。

    新建后即可：pip install -e 目录；evalcore frameworks；evalcore check --strict；运行其测试。
    """
    target = output or Path(f"evalcore-{name}")
    written = create_plugin(name, target, region.replace("/", ""), year, kind)
    for path in written:
        click.echo(display_path(path))
    framework_id = f"{name}.{kind}.{year or datetime.date.today().year - 1}"
    click.echo(
        f"已创建插件 evalcore-{name}（框架 {framework_id}）。下一步：pip install -e '{display_path(target)}[test]' && "
        f"evalcore check --strict {framework_id}，再在 {display_path(target)} 中运行 python -m pytest"
    )
