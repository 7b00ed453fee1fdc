"""What the commands share: messages on stderr, the terminal's width and colour, reading a unit's
data file once to find its framework and evaluate it, and the flags --strict lets pass."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import click

from ..engine import evaluate
from ..load import data_kind, read_data_file, unit_data
from ..model import DataError, EvalcoreError, Evaluation, Framework, Location, SourceFile, display_path
from ..outputs import Removal, removal_lines
from ..plugin import Registry, get_registry
from ._exit import ExitCode

__all__ = ["LENIENT_FLAGS", "evaluate_file", "fail", "report_registry_errors", "stderr", "suffix_problem", "use_color", "warn_removed", "width"]


def stderr(message: str) -> None:
    click.echo(message, err=True)


def fail(message: str) -> NoReturn:
    stderr(f"错误：{message}")
    raise SystemExit(ExitCode.BAD_INPUT)


def warn_removed(file: str, removed: list[Removal]) -> None:
    """Say where control characters were taken out of a written file: the data they came from
    has them too, and the unit should correct it."""
    for line in removal_lines(removed):
        stderr(f"警告：{file}：{line}；请在数据中删去这些不可见的字符")


# Extensions of files close to those evalcore writes, which their programs would refuse to open
# with evalcore's content in them (an .xls holding an .xlsx workbook, a .doc holding a .docx report).
_MEANT = {".xls": ".xlsx", ".xlsm": ".xlsx", ".xltx": ".xlsx", ".xlsb": ".xlsx", ".et": ".xlsx", ".ods": ".xlsx", ".doc": ".docx", ".docm": ".docx", ".wps": ".docx", ".odt": ".docx", ".markdown": ".md", ".text": ".txt"}


def suffix_problem(output: Path, allowed: list[str], what: str) -> str | None:
    """The message for an output file whose extension is none of `allowed` (with the dot, lower
    case): a file is written in the format its name says, or not at all. It names the extension
    and the one to use (the one meant, for an .xls or a .doc); None when the extension is allowed."""
    suffix = output.suffix.lower()
    if suffix in allowed:
        return None
    meant = _MEANT.get(suffix)
    use = meant if meant in allowed else allowed[0]
    has = f"的扩展名是 {output.suffix}" if output.suffix else "没有扩展名"
    others = f"（可用的扩展名：{'、'.join(allowed)}）" if len(allowed) > 1 else ""
    return f"输出文件 {display_path(output)} {has}，{what}{others}；请改用 -o {display_path(output.with_name(output.stem + use))}"


def use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def width(explicit: int | None) -> int:
    if explicit:
        return explicit
    if sys.stdout.isatty():
        import shutil  # with its compression modules: only on a terminal

        return shutil.get_terminal_size((80, 24)).columns
    columns = os.environ.get("COLUMNS")
    return int(columns) if columns and columns.isdigit() else 80


def report_registry_errors(registry: Registry) -> None:
    for error in registry.errors:
        stderr(f"警告：{error}")


# Flags that describe how a score was reached rather than a problem with it.
LENIENT_FLAGS = frozenset({"unit_converted", "file_encoding", "not_applicable"})


@contextlib.contextmanager
def results_only_on_stdout() -> Iterator[None]:
    """While frameworks are read and units scored, whatever a plugin's rule prints goes to stderr:
    stdout carries the result (run --format json), and nothing else may be mixed into it."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


def evaluate_file(data: Path, framework_id: str | None) -> Evaluation:
    """Load the data file's framework and data and evaluate; load warnings go to stderr."""
    with results_only_on_stdout():
        return _evaluate_file(data, framework_id)


def _evaluate_file(data: Path, framework_id: str | None) -> Evaluation:
    registry = get_registry()
    # By extension, in any case: a workbook, TOML or JSON; anything else is refused with advice.
    if data_kind(data) == "workbook":
        from ..workbook import read_workbook  # only when a workbook is read

        framework, book_data = read_workbook(data, registry, framework_id)
        return evaluate(framework, book_data)
    file = read_data_file(data)
    framework = _framework_for(registry, file.framework_id, file.source, framework_id)
    for warning in framework.warnings:
        stderr(f"警告：{warning}")
    return evaluate(framework, unit_data(file, framework))


def _framework_for(registry: Registry, framework_id: str, source: SourceFile, explicit: str | None) -> Framework:
    if explicit:
        framework = registry.find(explicit)
        if framework_id and framework_id != framework.id:
            stderr(f"警告：数据文件写明的框架是“{framework_id}”，现按 --framework 指定的“{framework.id}”计分")
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


