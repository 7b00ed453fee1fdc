"""The `evalcore` command. Results go to stdout; diagnostics to stderr; exit 2 on bad input."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

import click

from ._data import load_data, read_framework_id
from ._cli_style import WIDTH, ChineseGroup, usage_error_text
from ._errors import DataError, EvalcoreError, Location, display_path
from ._evaluate import evaluate
from ._formatters import FormatOptions
from ._model import Framework
from ._plugins import Registry, get_registry
from ._results import Evaluation

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _stderr(message: str) -> None:
    click.echo(message, err=True)


def _fail(message: str) -> NoReturn:
    _stderr(f"错误：{message}")
    raise SystemExit(EXIT_BAD_INPUT)


def _use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _width(explicit: int | None) -> int:
    if explicit:
        return explicit
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    columns = os.environ.get("COLUMNS")
    return int(columns) if columns and columns.isdigit() else 80


def _report_registry_errors(registry: Registry) -> None:
    for error in registry.errors:
        _stderr(f"警告：{error}")


def write_output(target: Path, payload: str | bytes, protected: list[Path]) -> None:
    """Write atomically, refusing to replace any input file."""
    resolved = target.resolve()
    for path in protected:
        if path.exists() and resolved == path.resolve():
            raise EvalcoreError("输出文件不能是输入文件，否则会覆盖原始数据", Location(file=display_path(target)), hint="请用 -o 指定另一个文件名")
    if resolved.is_dir():
        raise EvalcoreError("输出路径是一个目录，请写出文件名", Location(file=display_path(target)), hint="例如 -o 结果/评分表.xlsx")
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    try:
        resolved.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".evalcore-", dir=resolved.parent)
    except OSError as exc:
        raise EvalcoreError(f"无法写入：{exc.strerror or exc}", Location(file=display_path(target)), hint="请检查目录是否存在、是否有写入权限") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private; give it the mode any new file of the user's would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, resolved)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise EvalcoreError(f"无法写入：{exc.strerror or exc}", Location(file=display_path(target))) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@click.group(cls=ChineseGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="evalcore", message="evalcore %(version)s", help="显示版本号并退出")
def cli() -> None:
    """evalcore：预算绩效评价自动计分。

    \b
    常用命令：
      evalcore frameworks              列出已安装的评价框架
      evalcore run 数据文件.toml        按框架计分，给出每一分的依据
    """


@cli.command("frameworks")
@click.option("--format", "fmt_name", type=click.Choice(["table", "json"]), default="table", help="输出格式（默认 table）")
def frameworks_command(fmt_name: str) -> None:
    """列出已安装的评价框架：编号、名称、地区、类型、年度、出处。"""
    registry = get_registry()
    _report_registry_errors(registry)
    entries = sorted(registry.entries.values(), key=lambda e: e.id)
    if fmt_name == "json":
        rows = [
            {"id": e.id, "title": e.title, "region": e.region, "kind": e.kind, "year": e.year, "source": e.source, "plugin": e.plugin}
            for e in entries
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from ._format_frameworks import render_frameworks

    click.echo(render_frameworks(entries, FormatOptions(width=_width(None), color=_use_color())), nl=False)


def _framework_for(registry: Registry, data_path: Path, explicit: str | None) -> Framework:
    framework_id, _, source = read_framework_id(data_path)
    if explicit:
        framework = registry.find(explicit)
        if framework_id and framework_id != framework.id:
            _stderr(f"警告：数据文件写明的框架是“{framework_id}”，现按 --framework 指定的“{framework.id}”计分")
        return framework
    if not framework_id:
        raise DataError(
            "数据文件没有写明所用的评价框架",
            Location(file=source.name, line=1, key="framework"),
            hint="在文件开头加一行 framework = \"框架编号\"（用 evalcore frameworks 查看编号），或用 --framework 指定",
        )
    try:
        return registry.framework(framework_id)
    except EvalcoreError as exc:
        if framework_id not in registry.entries:
            raise DataError(exc.message, Location(file=source.name, line=source.line_of(("framework",)), key="framework"), hint=exc.hint) from None
        raise


def evaluate_file(data: Path, framework_id: str | None) -> Evaluation:
    """Load the data file's framework and data and evaluate; load warnings go to stderr."""
    registry = get_registry()
    if data.suffix.lower() in (".xls", ".et", ".wps", ".ods", ".csv"):
        raise DataError(
            f"evalcore 读取 .xlsx 格式的工作簿和 .toml 数据文件，不能直接读取 {data.suffix} 文件",
            Location(file=display_path(data)),
            hint="请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再运行",
        )
    if data.suffix.lower() == ".xlsx":  # .XLSX too
        from ._workbook import read_workbook

        framework, unit_data = read_workbook(data, registry, framework_id)
        return evaluate(framework, unit_data)
    framework = _framework_for(registry, data, framework_id)
    for warning in framework.warnings:
        _stderr(f"警告：{warning}")
    return evaluate(framework, load_data(data, framework))


@cli.command("template")
@click.argument("framework_id", metavar="框架编号")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="路径", required=True, help="模板文件：.xlsx（Excel）或 .toml")
@click.option("--multi", is_flag=True, help="Excel 模板另加“多单位”页，每行一个单位，供批量录入")
def template_command(framework_id: str, output: Path, multi: bool) -> None:
    """生成空白的基础数据模板：每项数据的名称、单位、示例，评价要点的 是/否 选项，评定得分的范围，填写说明。"""
    registry = get_registry()
    framework = registry.framework(framework_id)
    if output.suffix.lower() == ".xlsx":
        from ._workbook_template import template_workbook

        payload: str | bytes = template_workbook(framework, multi=multi)
    elif output.suffix.lower() == ".toml":
        from ._template_toml import template_toml

        payload = template_toml(framework)
    else:
        raise click.UsageError("模板文件名应以 .xlsx 或 .toml 结尾")
    if output.exists():
        raise EvalcoreError("文件已存在，为免覆盖已填写的数据，请换一个文件名或先删除它", Location(file=display_path(output)))
    write_output(output, payload, [])
    command = "batch" if multi else "run"
    _stderr(f"已写入 {display_path(output)}；填写后运行：evalcore {command} {display_path(output)}")


@cli.command("run")
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
    _report_registry_errors(registry)
    if fmt_name not in registry.format_names():
        _fail(f"没有名为“{fmt_name}”的输出格式；可用：{'、'.join(registry.format_names())}")
    # Which format of that name applies depends on the unit's framework: known once it is read.
    evaluation = evaluate_file(data, framework_id)
    formatter = registry.formatter(fmt_name, evaluation.framework)
    if formatter is None:
        usable = [name for name in registry.format_names() if registry.formatter(name, evaluation.framework)]
        _fail(f"输出格式“{fmt_name}”不适用于评价框架 {evaluation.framework.id}；可用：{'、'.join(usable)}")
    if formatter.binary and output is None:
        _fail(f"{formatter.title}格式需要用 -o 指定输出文件，例如 -o 结果{formatter.suffix}")
    to_terminal = output is None
    options = FormatOptions(width=_width(width) if to_terminal else (width or 100), color=to_terminal and _use_color(), ascii=ascii_only)
    payload = formatter.render(evaluation, options)
    if output is None:
        assert isinstance(payload, str)
        click.echo(payload, nl=False)
    else:
        framework = evaluation.framework
        protected = [data] + ([Path(framework.path)] if framework.path else [])
        write_output(output, payload, protected)
        _stderr(f"已写入 {display_path(output)}")
    if strict and any(flag.kind not in LENIENT_FLAGS for flag in evaluation.flags):
        raise SystemExit(EXIT_FINDINGS)


# Flags that describe how a score was reached rather than a problem with it.
LENIENT_FLAGS = frozenset({"unit_converted", "not_applicable"})


def main(argv: list[str] | None = None) -> Any:
    """Entry point: every EvalcoreError becomes a Chinese message and exit code 2."""
    try:
        return cli.main(args=argv, prog_name="evalcore", standalone_mode=False)
    except EvalcoreError as exc:
        _stderr(f"错误：{exc}")
        raise SystemExit(EXIT_BAD_INPUT) from None
    except click.exceptions.Abort:
        _stderr("已中止")
        raise SystemExit(130) from None
    except click.UsageError as exc:
        _stderr(usage_error_text(exc))
        raise SystemExit(EXIT_BAD_INPUT) from None
    except click.ClickException as exc:
        _stderr(f"错误：{exc.format_message()}")
        raise SystemExit(EXIT_BAD_INPUT) from None
    except BrokenPipeError:
        raise SystemExit(EXIT_OK) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception as exc:  # noqa: BLE001 - a user must never see a traceback
        if os.environ.get("EVALCORE_DEBUG"):
            raise
        _stderr(f"内部错误：{type(exc).__name__}: {exc}\n请设置环境变量 EVALCORE_DEBUG=1 重新运行，并把输出报告给 evalcore 维护者。")
        raise SystemExit(EXIT_INTERNAL) from None


def _register_commands() -> None:
    # Commands that live in their own modules, so that each stays small.
    from ._cli_check import check_command
    from ._cli_batch import batch_command
    from ._cli_info import explain_command, plugins_command, show_command
    from ._cli_test import test_command
    from ._diff import diff_command
    from ._reference import reference_command
    from ._scaffold import new_plugin_command

    commands = (check_command, show_command, explain_command, plugins_command, batch_command, test_command, diff_command, new_plugin_command, reference_command)
    for command in commands:
        cli.add_command(command)


_register_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
