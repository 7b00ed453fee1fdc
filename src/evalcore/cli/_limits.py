"""The loader limits as options of the `evalcore` group (before the command's name), in force for
the command that follows; evalcore.model.Limits holds the defaults, docs/security.md explains them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click
from attrs import evolve

from ..model import DEFAULT_LIMITS, LIMIT_CAP_REASONS, current_limits, limit_cap, using_limits

__all__ = ["apply_limits", "limit_options"]

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS = (
    ("max_file_mb", "MB", "读取的文件（规则文件、数据文件、工作簿）最大多少 MB"),
    ("max_depth", "层数", "TOML、JSON 文件中表和数组相互嵌套最多多少层"),
    ("max_number_digits", "位数", "TOML、JSON 文件中一个整数最多多少位"),
    ("max_xlsx_mb", "MB", "Excel 工作簿解压后最大多少 MB"),
    ("max_cells", "个数", "一个工作簿最多多少个单元格，一页的行数 × 列数也不得超过此数"),
)
# The limits whose cap is small enough to be worth a word in --help; the others stop only at what
# a 64-bit Python can count.
_CAPPED = ("max_depth", "max_number_digits")


class LimitValue(click.ParamType):  # type: ignore[type-arg]
    """A whole number from 1 to the most Python itself can read for this limit (model.limit_cap)."""

    name = "正整数"

    def __init__(self, limit: str) -> None:
        self.limit = limit

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        cap = limit_cap(self.limit)
        text = str(value).strip()
        if not re.fullmatch(r"[+-]?\d+", text):
            self.fail(f"“{value}”不是整数", param, ctx)
        # Compared as digits first: int() itself refuses a string of more than 4,300 digits.
        digits = text.lstrip("+-").lstrip("0")
        if not text.startswith("-") and len(digits) > len(str(cap)):
            self.fail(f"{_cut(digits)} 超过了能设定的最大值 {cap}（{LIMIT_CAP_REASONS[self.limit]}）", param, ctx)
        number = int(text)
        if number < 1:
            self.fail(f"{number} 应为大于 0 的整数", param, ctx)
        if number > cap:
            self.fail(f"{number} 超过了能设定的最大值 {cap}（{LIMIT_CAP_REASONS[self.limit]}）", param, ctx)
        return number


def _help(name: str, text: str) -> str:
    cap = f"，最大 {limit_cap(name)}" if name in _CAPPED else ""
    return f"{text}（默认 {getattr(DEFAULT_LIMITS, name)}{cap}）"


def _cut(digits: str) -> str:
    return digits if len(digits) <= 30 else f"{digits[:12]}…（{len(digits)} 位）"


def limit_options(command: F) -> F:
    """The --max-… options, each a whole number from 1 to its cap; unset ones keep their defaults."""
    for name, metavar, help_text in reversed(_OPTIONS):
        flag = "--" + name.replace("_", "-")
        command = click.option(flag, name, type=LimitValue(name), default=None, metavar=metavar, help=_help(name, help_text))(command)
    return command


def apply_limits(given: dict[str, int | None]) -> None:
    """Put the limits given on the command line in force until the command ends."""
    changed = {name: value for name, value in given.items() if value is not None}
    if changed:
        click.get_current_context().with_resource(using_limits(evolve(current_limits(), **changed)))
