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
# A target form (项目支出绩效自评表, --kind targets) has its own framework, example and case.
TARGETS = {"ruleset.toml.tmpl": "targets-ruleset.toml.tmpl", "example.toml.tmpl": "targets-example.toml.tmpl", "case.toml.tmpl": "targets-case.toml.tmpl"}
KINDS = {"dept": ("dept", "部门整体支出"), "project": ("project", "项目支出"), "targets": ("project-targets", "项目支出绩效自评表")}
# The levels a region is written in, from the province down: each part of 湖南省/益阳市/桃江县 ends
# with one of these words (longest first, so that 自治州 is not read as 州).
LEVELS = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "省", "市", "州", "地区", "盟", "县", "区", "旗")
DEFAULT_REGION = "（地区）"


def region_problem(region: str) -> str | None:
    """Why a region such as 湖南省/益阳市/桃江县 cannot be read level by level, or None."""
    if region == DEFAULT_REGION:
        return None
    parts = [part.strip() for part in region.split("/")]
    for part in parts:
        if not part or not any(part.endswith(level) and len(part) > len(level) for level in LEVELS):
            shown = f"“{part}”" if part else "空的一级"
            return (
                f"地区“{region}”中{shown}看不出是哪一级：每一级以 {'、'.join(LEVELS)} 结尾，"
                f"从省写到县（区），用 / 分隔，如 湖南省/益阳市/桃江县、四川省、四川省/攀枝花市/米易县"
            )
    if len(parts) > 4:
        return f"地区“{region}”有 {len(parts)} 级：最多写到 省/市/县（区）/乡镇以上的一级，如 湖南省/益阳市/桃江县"
    return None


def create_plugin(name: str, target: Path, region: str, year: int | None = None, kind: str = "dept") -> list[Path]:
    """Write the package; refuses to touch an existing directory's files."""
    if not _NAME.match(name):
        raise EvalcoreError(f"插件名称“{name}”不可用：请用小写字母开头，只含小写字母、数字和下划线（如 taojiang），2–40 个字符")
    if kind not in KINDS:
        raise EvalcoreError(f"框架类型“{kind}”不可用：可选 {'、'.join(KINDS)}")
    if problem := region_problem(region):
        raise EvalcoreError(problem)
    if target.exists() and any(target.iterdir()):
        raise EvalcoreError("目录已存在且不为空，为免覆盖文件，请换一个目录", Location(file=display_path(target)))
    framework_kind, kind_title = KINDS[kind]
    the_year = str(year or datetime.date.today().year - 1)
    values = {
        "name": name,
        "region": region.replace("/", ""),
        "year": the_year,
        "framework_id": framework_id(name, kind, year),
        "kind": framework_kind,
        "kind_title": kind_title,
        "framework_title": kind_title if kind == "targets" else f"{kind_title}绩效评价指标体系",
        "core_version": __version__,
    }
    written = []
    templates = files("evalcore") / "scaffold"
    for template, destination in LAYOUT.items():
        source = TARGETS.get(template, template) if kind == "targets" else template
        text = (templates / source).read_text(encoding="utf-8").format(**values)
        path = target / destination.format(**values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    typed = target / f"src/evalcore_{name}/py.typed"
    typed.write_text("", encoding="utf-8")
    written.append(typed)
    written.append(_data_template(target / LAYOUT["ruleset.toml.tmpl"].format(**values), target / "examples" / "template.toml"))
    return written


def framework_id(name: str, kind: str, year: int | None) -> str:
    return f"{name}.{KINDS[kind][0]}.{year or datetime.date.today().year - 1}"


def _data_template(ruleset: Path, destination: Path) -> Path:
    """The blank data template of the new framework (what `evalcore template -o x.toml` writes), so
    that an officer of the unit has the form to fill beside the filled example."""
    from ..plugin import load_framework
    from ..workbook import template_toml

    destination.write_text(template_toml(load_framework(ruleset)), encoding="utf-8")
    return destination


@click.command("new-plugin")
@click.argument("name", metavar="名称")
@click.option("--region", default=DEFAULT_REGION, metavar="地区", help="地区，从省写到县（区），用 / 分隔，如 湖南省/益阳市/桃江县")
@click.option("--year", type=INTEGER, default=None, metavar="年度", help="框架年度（默认为上一年）")
@click.option(
    "--kind",
    type=Choice(list(KINDS)),
    default="dept",
    help="框架类型：dept 部门整体支出（默认）、project 项目支出（评分表）、targets 项目支出绩效自评表（年度指标值与完成值对比）",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="路径", default=None, help="目录（默认为 evalcore-名称）")
def new_plugin_command(name: str, region: str, year: int | None, kind: str, output: Path | None) -> None:
    """新建一个县（区）插件：评分表骨架、示例数据、用例、测试和可安装的 pyproject。

    新建后即可：pip install -e 目录；evalcore frameworks；evalcore check --strict；运行其测试。
    """
    target = output or Path(f"evalcore-{name}")
    written = create_plugin(name, target, region, year, kind)
    for path in written:
        click.echo(display_path(path))
    the_id = framework_id(name, kind, year)
    click.echo(
        f"已创建插件 evalcore-{name}（框架 {the_id}）。下一步：pip install -e '{display_path(target)}[test]' && "
        f"evalcore check --strict {the_id}，再在 {display_path(target)} 中运行 python -m pytest"
    )
