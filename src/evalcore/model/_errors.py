"""Errors a user can act on: each names where (file, line, key) and what to do, in Chinese."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ._records import frozen

__all__ = ["DataError", "ErrorGroup", "EvalcoreError", "Location", "PluginError", "RulesetError", "did_you_mean", "display_path"]


def did_you_mean(word: str, known: Iterable[str], n: int = 3) -> str | None:
    """"您是不是要找：“a”、“b”？" for the known names closest to a mistyped one, or None.

    Chinese names differ by one character where Latin ones differ by a letter (编制数 / 编制人数), so
    the cut-off is lower than difflib's default; a name that contains the typed one, or is contained
    in it, counts as close too.
    """
    import difflib  # only when a name was mistyped: it is not needed to score

    names = list(dict.fromkeys(known))
    close = difflib.get_close_matches(word, names, n=n, cutoff=0.5)
    if len(close) < n and word:
        close += [name for name in names if name not in close and min(len(name), len(word)) >= 2 and (word in name or name in word)][: n - len(close)]
    if not close:
        return None
    return "您是不是要找：" + "、".join(f"“{name}”" for name in close) + "？"


@frozen
class Location:
    """Where a problem is: a file, optionally a line and a key path inside it."""

    file: str | None = None
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            head = self.file
            if self.line is not None:
                head += f":{self.line}"
            parts.append(head)
        if self.key:
            parts.append(self.key)
        return ": ".join(parts)


# Folders that hold installed packages: a file inside one is named by its package.
_INSTALLED = ("site-packages", "dist-packages")


def display_path(path: str | Path) -> str:
    """A path as the user typed it, relative to the working directory when possible; a file of an
    installed package by the package ("evalcore_hunan: rulesets/hecheng-dept-2020.toml"), not by a
    site-packages path nobody typed."""
    p = Path(path)
    parts = p.parts
    for index, part in enumerate(parts[:-2]):
        if part.lower() in _INSTALLED:
            return f"{parts[index + 1]}: {Path(*parts[index + 2:]).as_posix()}"
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


class EvalcoreError(Exception):
    """Base of every error evalcore reports to a user instead of a traceback."""

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        self.message = message
        self.location = location or Location()
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"（提示：{self.hint}）"
        return text


class RulesetError(EvalcoreError):
    """A framework (ruleset) file cannot be loaded."""


class DataError(EvalcoreError):
    """A unit's data file cannot be read against its framework."""


class PluginError(EvalcoreError):
    """A plugin's code failed (its formatter raised): a program fault, not the user's input. The
    message names the plugin and what of it failed."""


class ErrorGroup(EvalcoreError):
    """Several problems found in one pass, reported together."""

    errors: list[EvalcoreError]

    def __init__(self, errors: list[EvalcoreError]):
        # A group met inside another pass (a table's unknown keys) joins this one's list.
        flat: list[EvalcoreError] = []
        for error in errors:
            flat.extend(error.errors if isinstance(error, ErrorGroup) else [error])
        self.errors = flat
        super().__init__("\n".join(str(e) for e in self.errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
