"""`evalcore run`: score one unit, in a chosen format, on the terminal or into a file."""

from __future__ import annotations

from pathlib import Path

import click

from ..model import Evaluation, FormatOptions, Formatter, display_path
from ..outputs import refuse_unsafe_target, removed_characters, write_output
from ..plugin import Registry, get_registry
from ._common import LENIENT_FLAGS, evaluate_file, fail, report_registry_errors, stderr, suffix_problem, use_color, warn_removed
from ._common import width as width_of
from ._exit import ExitCode
from ._style import WIDTH

__all__ = ["run_command"]


@click.command("run")
@click.argument("data", type=click.Path(path_type=Path), metavar="数据文件")
@click.option("--framework", "framework_id", metavar="编号或文件", help="评价框架编号或规则文件路径（默认取数据文件中的 framework）")
@click.option("--format", "fmt_name", default=None, metavar="格式", help="输出格式：table（屏幕上的默认）、json、md、csv、xlsx、docx，或插件提供的格式；写文件时默认按 -o 的扩展名")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="路径", help="写入文件而不是屏幕，格式按扩展名：.xlsx 评分表（文件名含“问题清单”时为问题清单）、.docx 自评报告、.json、.md、.csv、.txt（不会覆盖输入文件）")
@click.option("--force", is_flag=True, help="-o 指向的文件已存在时替换它（默认不替换）")
@click.option("--width", type=WIDTH, metavar="列数", help="表格宽度（默认为终端宽度，管道输出时为 80）")
@click.option("--ascii", "ascii_only", is_flag=True, help="只用 ASCII 字符画表格线")
@click.option("--strict", is_flag=True, help="有需要关注的问题（单位换算、不适用除外），或写出的自评报告还有待填写的部分时，以退出码 1 结束")
def run_command(data: Path, framework_id: str | None, fmt_name: str | None, output: Path | None, force: bool, width: int | None, ascii_only: bool, strict: bool) -> None:
    """按评价框架为一个单位计分。

    数据文件是填好的 TOML 或 JSON 文件（其中 framework = "..." 指明评价框架），或由 evalcore template 生成并填好的 Excel 模板（.xlsx、.xlsm）。
    -o 写文件时按扩展名选格式：.xlsx 为评分表，文件名以“问题清单”开头或含“问题清单”（如 鹤城-问题清单.xlsx）时为问题清单（也可写 --format issues）；.docx 为自评报告（框架有此格式时）；.json、.md、.csv 同名格式；.txt 为屏幕上的表格。已有的文件不替换，除非加 --force。

    写出自评报告时，列出报告中还须单位补写的【待填写】部分。

    退出码：0 已完成计分（即使有需要关注的问题）；1 使用 --strict 且有需要关注的问题或待填写的部分；2 输入有误（数据文件、框架、格式或输出文件）；3 内部错误。几种情况同时出现时，3 优先于 2，2 优先于 1。
    """
    registry = get_registry()
    report_registry_errors(registry)
    if fmt_name is not None and fmt_name not in registry.format_names():
        fail(registry.unknown_format(fmt_name))
    if output is not None:
        refuse_unsafe_target(output, [data], replace=True)  # the input itself, a pipe: said first
        if fmt_name is None and (problem := suffix_problem(output, registry.output_suffixes(), "无法从文件名判断输出格式")):
            fail(problem)
        # Before the work: a file in the way is refused now rather than after scoring.
        refuse_unsafe_target(output, [data], replace=force)
    # Which format applies depends on the unit's framework: known once it is read.
    evaluation = evaluate_file(data, framework_id)
    formatter = _formatter(registry, evaluation, fmt_name, output)
    if formatter.binary and output is None:
        fail(f"{formatter.title}格式需要用 -o 指定输出文件，例如 -o 结果{formatter.suffix}")
    to_terminal = output is None
    options = FormatOptions(width=width_of(width) if to_terminal else (width or 100), color=to_terminal and use_color(), ascii=ascii_only)
    with removed_characters() as removed:
        payload = registry.render(formatter, evaluation, options)  # a plugin's failure: PluginError, exit 3
    if output is None:
        assert isinstance(payload, str)
        click.echo(payload, nl=False)
    else:
        framework = evaluation.framework
        protected = [data] + ([Path(framework.path)] if framework.path else [])
        write_output(output, payload, protected, replace=force)
        warn_removed(display_path(output), removed)
        stderr(f"已写入 {display_path(output)}")
    unfilled = registry.unfilled(formatter, evaluation) if output is not None else ()
    if unfilled:
        _list_unfilled(formatter, unfilled)
    if strict and (unfilled or any(flag.kind not in LENIENT_FLAGS for flag in evaluation.flags)):
        raise SystemExit(ExitCode.FINDINGS)


def _list_unfilled(formatter: Formatter, parts: tuple[str, ...]) -> None:
    """The parts of the document left for the unit to write, by the names the document prints."""
    document = formatter.document or "文件"
    stderr(f"{document}中有 {len(parts)} 处【待填写】（文中标黄），提交前请补写：")
    for part in parts:
        stderr(f"  {part}")
    stderr("补写办法：在数据文件的报告文字中按小标题写入（TOML 数据文件的 [report] 表，Excel 基础数据表的“报告文字”页），再重新生成；也可在 Word 中直接改写标黄的文字。")


def _formatter(registry: Registry, evaluation: Evaluation, fmt_name: str | None, output: Path | None) -> Formatter:
    """The format asked for by name, or by the output file's extension, or the terminal table."""
    framework = evaluation.framework
    usable = [f for name in registry.format_names() if (f := registry.formatter(name, framework)) is not None]
    listing = "、".join(f"{f.name}（{f.suffix}）" for f in usable)
    suffix = output.suffix.lower() if output is not None else ""
    if fmt_name is None:
        found = registry.formatter_for_suffix(suffix, framework, output.stem) if output is not None else registry.formatter("table", framework)
        if found is None:
            fail(f"评价框架 {framework.id} 没有能写成 {suffix} 文件的输出格式；可用：{listing}")
        if output is not None and (problem := registry.document_mismatch(found, framework, output.stem)):
            fail(problem)
        return found
    formatter = registry.formatter(fmt_name, framework)
    if formatter is None:
        fail(f"输出格式“{fmt_name}”不适用于评价框架 {framework.id}；可用：{'、'.join(f.name for f in usable)}")
    # Any other extension would give a file that the program its name calls for cannot open.
    if output is not None:
        what = f"与 --format {fmt_name} 不符：{fmt_name} 写出的是 {formatter.suffix} 文件（{formatter.title}）"
        if problem := suffix_problem(output, [formatter.suffix.lower()], what):
            fail(problem + ("，或去掉 --format 按扩展名选格式" if suffix in registry.output_suffixes() else ""))
    return formatter
