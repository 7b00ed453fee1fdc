"""What a file may cost evalcore to read: size, nesting, number length, an xlsx's uncompressed size
and its cells. Defaults fit every real ruleset, data file and workbook with room to spare; the
command line changes them (``evalcore --max-file-mb 50 batch …``); docs/security.md lists them.

The limits in force are held in a context variable, set for a block with `using_limits`, so that
one run's limits never leak into another's (tests included) and no parameter has to be threaded
through every reader.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from attrs import field, frozen
from attrs.validators import ge, instance_of

__all__ = ["DEFAULT_LIMITS", "LIMIT_OPTIONS", "MB", "Limits", "current_limits", "limit_hint", "using_limits"]

_positive = [instance_of(int), ge(1)]

MB = 1024 * 1024


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


def limit_hint(name: str, value: int, unit: str = "") -> str:
    """How to raise a limit, for an error's hint."""
    return f"如确需读取，可在命令中加上 evalcore {LIMIT_OPTIONS[name]} 更大的数（当前为 {value}{unit}），例如 evalcore {LIMIT_OPTIONS[name]} {value * 4} run …；不明来源的文件请勿放宽"
