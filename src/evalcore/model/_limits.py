"""What a file may cost evalcore to read: size, nesting, number length, an xlsx's uncompressed size
and its cells. Defaults fit every real ruleset, data file and workbook with room to spare; the
command line changes them (``evalcore --max-file-mb 50 batch …``); docs/security.md lists them.

Each limit can be raised only as far as Python itself can read (`limit_cap`): past that a raised
limit would promise what the parser cannot keep, and its refusal would be reported as the limit's.

The limits in force are held in a context variable, set for a block with `using_limits`, so that
one run's limits never leak into another's (tests included) and no parameter has to be threaded
through every reader.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
from collections.abc import Iterator

from attrs import Attribute, field
from attrs.validators import ge, instance_of

from ._records import frozen

__all__ = ["DEFAULT_LIMITS", "LIMIT_CAP_REASONS", "LIMIT_OPTIONS", "MB", "Limits", "current_limits", "limit_cap", "limit_hint", "using_limits"]

MB = 1024 * 1024

# How deeply TOML and JSON may nest at most, whatever the limit: the TOML parser reads inline tables
# and arrays by recursion, some three Python frames a level, and Python's recursion limit (1000)
# leaves it about 300 levels; 200 keeps a margin for the frames evalcore itself stands on.
MAX_DEPTH_CAP = 200


def limit_cap(name: str) -> int:
    """The largest value a limit may be given: what Python itself can read."""
    if name == "max_number_digits":
        # int() refuses longer decimal integers (sys.get_int_max_str_digits, 4300 by default; 0
        # means none, and evalcore keeps to the default then).
        digits = getattr(sys, "get_int_max_str_digits", lambda: 0)()
        return digits if digits > 0 else 4300
    if name == "max_depth":
        return MAX_DEPTH_CAP
    if name in ("max_file_mb", "max_xlsx_mb"):
        return sys.maxsize // MB  # a file or archive Python can index
    return sys.maxsize


# Why each limit stops at its cap, for the usage error of an option given past it.
LIMIT_CAP_REASONS = {
    "max_file_mb": "Python 能处理的最大文件",
    "max_depth": "TOML 解析器逐层递归，更深的嵌套 Python 无法读取",
    "max_number_digits": "Python 拒绝转换更长的整数，见 sys.get_int_max_str_digits",
    "max_xlsx_mb": "Python 能处理的最大压缩包",
    "max_cells": "Python 能计数的最大数",
}


def _within_cap(_instance: object, attribute: Attribute[int], value: int) -> None:
    cap = limit_cap(attribute.name)
    if value > cap:
        raise ValueError(f"{attribute.name} = {value}: at most {cap}, as far as Python itself can read")


_positive = [instance_of(int), ge(1), _within_cap]


@frozen
class Limits:
    """The loader limits; every breach is a located Chinese error, never an internal error."""

    # Any file evalcore reads (TOML ruleset, TOML or JSON data file, .xlsx workbook), in MB on disk.
    max_file_mb: int = field(default=20, validator=_positive)
    # Tables and arrays nested in one another in a TOML or JSON file (real rulesets nest 6 deep).
    max_depth: int = field(default=32, validator=_positive)
    # Digits of one integer written in a TOML or JSON file (scores and budgets need 16 at most).
    max_number_digits: int = field(default=100, validator=_positive)
    # An .xlsx workbook unpacked: the sum of its parts' sizes, in MB.
    max_xlsx_mb: int = field(default=100, validator=_positive)
    # Cells of one workbook, all sheets together, and the area (rows × columns) of any one sheet.
    max_cells: int = field(default=200_000, validator=_positive)

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * MB

    @property
    def max_xlsx_bytes(self) -> int:
        return self.max_xlsx_mb * MB


# The command-line option that changes each limit, for the hints of the errors.
LIMIT_OPTIONS = {
    "max_file_mb": "--max-file-mb",
    "max_depth": "--max-depth",
    "max_number_digits": "--max-number-digits",
    "max_xlsx_mb": "--max-xlsx-mb",
    "max_cells": "--max-cells",
}

DEFAULT_LIMITS = Limits()
_CURRENT: contextvars.ContextVar[Limits] = contextvars.ContextVar("evalcore_limits", default=DEFAULT_LIMITS)


def current_limits() -> Limits:
    """The limits in force: the defaults unless a caller set others with `using_limits`."""
    return _CURRENT.get()


@contextlib.contextmanager
def using_limits(limits: Limits) -> Iterator[Limits]:
    """Read files under `limits` for the duration of the block."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def limit_hint(name: str, needed: int | None, unit: str = "") -> str:
    """What to do about a file past a limit, for an error's hint: the option with the value the
    file needs (`needed`, when it was measured), or that no option can make it readable."""
    option, current = LIMIT_OPTIONS[name], getattr(current_limits(), name)
    cap = limit_cap(name)
    if needed is not None and needed > cap:
        return f"该文件需要 {needed}{unit}，超过 evalcore 能读取的最大值 {cap}{unit}（{LIMIT_CAP_REASONS[name]}），无法读取；请检查文件是否有误"
    example = f"，例如 evalcore {option} {needed} run …" if needed is not None else ""
    return f"如确需读取，可在命令中加上 evalcore {option} 更大的数（当前为 {current}{unit}）{example}；不明来源的文件请勿放宽"
