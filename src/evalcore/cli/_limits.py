"""The loader limits as options of the `evalcore` group (before the command's name), in force for
the command that follows; evalcore.model.Limits holds the defaults, docs/security.md explains them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
from attrs import evolve

from ..model import DEFAULT_LIMITS, current_limits, using_limits

__all__ = ["apply_limits", "limit_options"]

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS = (
    ("max_file_mb", "MB", f"读取的文件（规则文件、数据文件、工作簿）最大多少 MB（默认 {DEFAULT_LIMITS.max_file_mb}）"),
    ("max_depth", "层数", f"TOML、JSON 文件中表和数组相互嵌套最多多少层（默认 {DEFAULT_LIMITS.max_depth}）"),
    ("max_number_digits", "位数", f"TOML、JSON 文件中一个整数最多多少位（默认 {DEFAULT_LIMITS.max_number_digits}）"),
    ("max_xlsx_mb", "MB", f"Excel 工作簿解压后最大多少 MB（默认 {DEFAULT_LIMITS.max_xlsx_mb}）"),
    ("max_cells", "个数", f"一个工作簿最多多少个单元格，一页的行数 × 列数也不得超过此数（默认 {DEFAULT_LIMITS.max_cells}）"),
)


class Positive(click.ParamType):  # type: ignore[type-arg]
    """A whole number of at least 1."""

    name = "正整数"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(f"“{value}”不是整数", param, ctx)
        if number < 1:
            self.fail(f"{number} 应为大于 0 的整数", param, ctx)
        return number


def limit_options(command: F) -> F:
    """The --max-… options, each a positive whole number; unset ones keep their defaults."""
    for name, metavar, help_text in reversed(_OPTIONS):
        flag = "--" + name.replace("_", "-")
        command = click.option(flag, name, type=Positive(), default=None, metavar=metavar, help=help_text)(command)
    return command


def apply_limits(given: dict[str, int | None]) -> None:
    """Put the limits given on the command line in force until the command ends."""
    changed = {name: value for name, value in given.items() if value is not None}
    if changed:
        click.get_current_context().with_resource(using_limits(evolve(current_limits(), **changed)))
