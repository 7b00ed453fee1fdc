"""`evalcore run`: score one unit, in a chosen format, on the terminal or into a file."""

from __future__ import annotations

from pathlib import Path

import click

from ..model import FormatOptions, display_path
from ..outputs import write_output
from ..plugin import get_registry
from ._common import LENIENT_FLAGS, evaluate_file, fail, report_registry_errors, stderr, use_color
from ._common import width as width_of
from ._exit import ExitCode
from ._style import WIDTH

__all__ = ["run_command"]


@click.command("run")
@click.argument("data", type=click.Path(path_type=Path), metavar="数据文件")
@click.option("--framework", "framework_id", metavar="编号或文件", help="评价框架编号或规则文件路径（默认取数据文件中的 framework）")
@click.option("--format", "fmt_name", default="table", metavar="格式", help="输出格式：table（默认）、json、md、csv，或插件提供的格式")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="路径", help="写入文件而不是屏幕（不会覆盖输入文件）")
@click.option("--width", type=WIDTH, metavar="列数", help="表格宽度（默认为终端宽度，管道输出时为 80）")
@click.option("--ascii", "ascii_only", is_flag=True, help="只用 ASCII 字符画表格线")
@click.option("--strict", is_flag=True, help="有需要关注的问题（单位换算、不适用除外）时以退出码 1 结束")
def run_command(data: Path, framework_id: str | None, fmt_name: str, output: Path | None, width: int | None, ascii_only: bool, strict: bool) -> None:
    """按评价框架为一个单位计分。

    数据文件是填好的 TOML 文件（其中 framework = "..." 指明评价框架），或由 evalcore template 生成并填好的 Excel 模板（.xlsx）。
    退出码：0 已完成计分（即使有需要关注的问题）；1 使用 --strict 且有需要关注的问题；2 输入有误；3 内部错误。
    """
    registry = get_registry()
    report_registry_errors(registry)
    if fmt_name not in registry.format_names():
        fail(f"没有名为“{fmt_name}”的输出格式；可用：{'、'.join(registry.format_names())}")
    # Which format of that name applies depends on the unit's framework: known once it is read.
    evaluation = evaluate_file(data, framework_id)
    formatter = registry.formatter(fmt_name, evaluation.framework)
    if formatter is None:
        usable = [name for name in registry.format_names() if registry.formatter(name, evaluation.framework)]
        fail(f"输出格式“{fmt_name}”不适用于评价框架 {evaluation.framework.id}；可用：{'、'.join(usable)}")
    if formatter.binary and output is None:
        fail(f"{formatter.title}格式需要用 -o 指定输出文件，例如 -o 结果{formatter.suffix}")
    to_terminal = output is None
    options = FormatOptions(width=width_of(width) if to_terminal else (width or 100), color=to_terminal and use_color(), ascii=ascii_only)
    payload = registry.render(formatter, evaluation, options)  # a plugin's failure: PluginError, exit 3
    if output is None:
        assert isinstance(payload, str)
        click.echo(payload, nl=False)
    else:
        framework = evaluation.framework
        protected = [data] + ([Path(framework.path)] if framework.path else [])
        write_output(output, payload, protected)
        stderr(f"已写入 {display_path(output)}")
    if strict and any(flag.kind not in LENIENT_FLAGS for flag in evaluation.flags):
        raise SystemExit(ExitCode.FINDINGS)
