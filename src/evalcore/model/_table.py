"""Located tables: the typed view of one TOML table that loaders and rule kinds read.

A TOML parser gives the data but not where each key stands, so a light scan of the source records
the line of every table header and every `key =` line under its table path. Every getter's error
then names the file, the line and the key a person has to edit, in Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ._errors import ErrorGroup, EvalcoreError, Location, RulesetError, did_you_mean, display_path
from ._numbers import number_problem, to_decimal

__all__ = ["PathKey", "SourceFile", "Table"]

PathKey = tuple[str | int, ...]

# Letters, digits, _ and -, or any character from U+0080 to U+FFFF: written as "not ASCII and not
# beyond U+FFFF", which compiles in a tenth of a millisecond where the range takes milliseconds.
_BARE_KEY = r"(?:[A-Za-z0-9_\-]|[^\x00-\x7f\U00010000-\U0010ffff])+"
_KEY_PART = rf'(?:{_BARE_KEY}|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?")
_ASSIGN = re.compile(rf"^\s*({_DOTTED})\s*=")
_INLINE_ITEM = re.compile(r"^\s*\{")

def _split_dotted(text: str) -> list[str]:
    parts = re.findall(_KEY_PART, text)
    out = []
    for part in parts:
        if part.startswith('"') or part.startswith("'"):
            part = part[1:-1]
        out.append(part)
    return out


class SourceFile:
    """A data or ruleset file's text and the line of each key path found in it: scanned as TOML when
    first needed, or given by the reader of another format (JSON)."""

    def __init__(self, path: str | Path | None, text: str, lines: dict[PathKey, int] | None = None, encoding: str | None = None):
        self.path = path
        self.encoding = encoding  # None for UTF-8; otherwise the encoding the text was read in
        self._name: str | None = None
        self.text = text
        self._lines: dict[PathKey, int] | None = lines

    @property
    def name(self) -> str:
        # Resolving the display path costs a filesystem call: only pay it when a message needs it.
        if self._name is None:
            self._name = display_path(self.path) if self.path is not None else "<字符串>"
        return self._name

    @property
    def lines(self) -> dict[PathKey, int]:
        # Scanned on first use: most files load without any error to point at.
        if self._lines is None:
            self._lines = {}
            self._scan(self._lines)
        return self._lines

    def _scan(self, lines: dict[PathKey, int]) -> None:
        table: PathKey = ()
        counters: dict[PathKey, int] = {}
        array_key: PathKey | None = None
        array_index = 0
        for number, line in enumerate(self.text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                keys = tuple(_split_dotted(header.group(2)))
                resolved: list[str | int] = []
                for i, key in enumerate(keys):
                    resolved.append(key)
                    prefix = tuple(resolved)
                    # An earlier [[array]] of this prefix means we are inside its last element.
                    if i < len(keys) - 1 and prefix in counters:
                        resolved.append(counters[prefix] - 1)
                if header.group(1) == "[[":
                    base = tuple(resolved)
                    index = counters.get(base, 0)
                    counters[base] = index + 1
                    table = base + (index,)
                else:
                    table = tuple(resolved)
                lines.setdefault(table, number)
                array_key = None
                continue
            assign = _ASSIGN.match(line)
            if assign:
                assigned: PathKey = table + tuple(_split_dotted(assign.group(1)))
                lines.setdefault(assigned, number)
                rest = line[assign.end():].strip()
                array_key, array_index = (assigned, 0) if rest.startswith("[") else (None, 0)
                if array_key is not None and rest.startswith("[") and "{" in rest:
                    lines.setdefault(array_key + (0,), number)
                    array_index = rest.count("{")
                continue
            if array_key is not None and _INLINE_ITEM.match(line):
                lines.setdefault(array_key + (array_index,), number)
                array_index += line.count("{")

    def line_of(self, key: PathKey) -> int | None:
        """The line of the key, or of its nearest enclosing key that was found."""
        probe = tuple(key)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return None


_TYPE_WORDS = {str: "文字（加英文引号）", bool: "true 或 false", int: "整数", list: "数组 [...]", dict: "表"}


class Table:
    """A TOML table being read by a loader: typed getters whose errors carry file, line and key."""

    def __init__(self, data: Mapping[str, Any], source: SourceFile, key: PathKey = (), label: str | None = None, error: type[EvalcoreError] = RulesetError):
        if not isinstance(data, Mapping):
            raise error("此处应为表（[...] 或 { ... }）", Location(file=source.name, line=source.line_of(key), key=label or _dotted(key)))
        self.data = data
        self.source = source
        self.key = key
        self.label = label or _dotted(key)
        self._error = error

    # -- errors -------------------------------------------------------------------------------
    def where(self, key: str | int | None = None) -> Location:
        path = self.key if key is None else self.key + (key,)
        shown = self.label if key is None else (f"{self.label}.{key}" if self.label else str(key))
        return Location(file=self.source.name, line=self.source.line_of(path), key=shown)

    def error(self, message: str, key: str | int | None = None, hint: str | None = None) -> EvalcoreError:
        return self._error(message, self.where(key), hint=hint)

    # -- getters ------------------------------------------------------------------------------
    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def _require(self, key: str, what: str) -> Any:
        if key not in self.data:
            raise self.error(f"缺少必填项“{key}”（{what}）")
        return self.data[key]

    def string(self, key: str, what: str, required: bool = True, default: str | None = None) -> str | None:
        if not required and key not in self.data:
            return default
        value = self._require(key, what)
        if not isinstance(value, str):
            raise self.error(f"{what}必须是文字（用英文引号括起来），现在是 {value!r}", key)
        return value.strip()

    def decimal(self, key: str, what: str, required: bool = True, default: Decimal | None = None) -> Decimal | None:
        if not required and key not in self.data:
            return default
        value = self._require(key, what)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise self.error(f"{what}必须是数字，现在是 {value!r}", key)
        try:
            return to_decimal(value)
        except (ValueError, TypeError) as exc:
            raise self.error(f"{what}必须是数字，现在是 {value!r}{number_problem(exc)}", key) from None

    def boolean(self, key: str, what: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.error(f"{what}必须是 true 或 false，现在是 {value!r}", key)
        return value

    def integer(self, key: str, what: str, required: bool = True, default: int | None = None) -> int | None:
        if not required and key not in self.data:
            return default
        value = self._require(key, what)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"{what}必须是整数，现在是 {value!r}", key)
        return value

    def choice(self, key: str, what: str, choices: Iterable[str], default: str | None = None) -> str:
        options = list(choices)
        if key not in self.data:
            if default is None:
                raise self.error(f"缺少必填项“{key}”（{what}），可选：{'、'.join(options)}")
            return default
        value = self.data[key]
        if value not in options:
            hint = did_you_mean(str(value), options)
            raise self.error(f"{what}只能是 {' / '.join(options)}，现在是 {value!r}", key, hint=hint)
        return str(value)

    def table(self, key: str, what: str, required: bool = True, label: str | None = None) -> Table | None:
        if key not in self.data:
            if required:
                raise self.error(f"缺少必填表“{key}”（{what}）")
            return None
        value = self.data[key]
        if not isinstance(value, Mapping):
            raise self.error(f"{what}必须是表（[{key}] 或 {{ ... }}），现在是 {value!r}", key)
        return Table(value, self.source, self.key + (key,), label or (f"{self.label}.{key}" if self.label else key), self._error)

    def tables(self, key: str, what: str, label: str | None = None) -> list[Table]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise self.error(f"{what}必须是表的数组（[[{key}]] 或 [{{...}}, ...]）", key)
        base = label or (f"{self.label}.{key}" if self.label else key)
        return [Table(v, self.source, self.key + (key, i), f"{base}[{i + 1}]", self._error) for i, v in enumerate(value)]

    def sequence(self, key: str, what: str) -> Sequence[Any]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self.error(f"{what}必须是数组 [...]", key)
        return value

    def check_keys(self, allowed: Iterable[str]) -> None:
        """Refuse keys the loader does not know: a typo must not be silently ignored. Every
        unknown key is reported, together (ErrorGroup) when there are several."""
        errors = self.unknown_keys(allowed)
        if errors:
            raise errors[0] if len(errors) == 1 else ErrorGroup(errors)

    def unknown_keys(self, allowed: Iterable[str]) -> list[EvalcoreError]:
        """An error for each key the loader does not know, with the known keys closest to it."""
        known = list(allowed)
        return [
            self.error(f"无法识别的键“{key}”", key, hint=did_you_mean(key, known) or f"允许的键：{'、'.join(known)}")
            for key in self.data
            if key not in known
        ]


def _dotted(key: PathKey) -> str:
    out = ""
    for part in key:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
