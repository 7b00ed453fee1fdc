"""Errors a user can act on: each names where (file, line, key) and what to do, in Chinese."""

from __future__ import annotations

from pathlib import Path

from attrs import frozen

__all__ = ["DataError", "ErrorGroup", "EvalcoreError", "Location", "PluginError", "RulesetError", "display_path"]


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


def display_path(path: str | Path) -> str:
    """A path as the user typed it or relative to the working directory when possible."""
    p = Path(path)
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

    def __init__(self, errors: list[EvalcoreError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
