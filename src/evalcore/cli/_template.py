"""`evalcore template`: a blank data template for a framework, as Excel or TOML."""

from __future__ import annotations

from pathlib import Path

import click

from ..model import EvalcoreError, Location, display_path
from ..outputs import write_output
from ..plugin import get_registry
from ._common import fail, stderr, suffix_problem

__all__ = ["template_command"]


@click.command("template")
@click.argument("framework_id", metavar="框架编号")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="路径", required=True, help="模板文件：.xlsx（Excel）或 .toml")
@click.option("--multi", is_flag=True, help="Excel 模板另加“多单位”页，每行一个单位，供批量录入")
@click.option("--force", is_flag=True, help="-o 指向的文件已存在时替换它（默认不替换：那可能是已填写的数据）")
def template_command(framework_id: str, output: Path, multi: bool, force: bool) -> None:
    """生成空白的基础数据模板：每项数据的名称、单位、示例，评价要点的 是/否 选项，评定得分的范围，填写说明。"""
    if problem := suffix_problem(output, [".xlsx", ".toml"], "模板只能写成 Excel 工作簿或 TOML 文件"):
        fail(problem)
    if multi and output.suffix.lower() != ".xlsx":
        fail(f"“多单位”页（--multi）只在 Excel 模板中；请改用 -o {display_path(output.with_name(output.stem + '.xlsx'))}，或去掉 --multi")
    registry = get_registry()
    framework = registry.framework(framework_id)
    if framework.form is not None and output.suffix.lower() == ".xlsx":
        # A target form's rows are the project's own targets: there is no fixed list to lay out.
        fail(
            f"{framework.title}按项目逐行填写绩效目标，暂无 Excel 模板；请用 -o {display_path(output.with_suffix('.toml'))} 生成 TOML 模板，"
            "或参照 examples 中的例子填写"
        )
    if output.suffix.lower() == ".xlsx":
        from ..workbook import template_workbook

        payload: str | bytes = template_workbook(framework, multi=multi)
    else:
        from ..workbook import template_toml

        payload = template_toml(framework)
    if output.exists() and not force:
        raise EvalcoreError("文件已存在，为免覆盖已填写的数据，请换一个文件名或先删除它（确要替换时加 --force）", Location(file=display_path(output)))
    # Refused by the file system too, should the file appear meanwhile; never through a pipe or device.
    write_output(output, payload, [], replace=force)
    command = "batch" if multi else "run"
    stderr(f"已写入 {display_path(output)}；填写后运行：evalcore {command} {display_path(output)}")
