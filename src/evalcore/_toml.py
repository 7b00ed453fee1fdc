"""TOML reading with real line numbers and Chinese errors that say file, line, key and what to do.

tomli gives the data but not where each key stands, so a light scan of the source records the
line of every table header and every `key =` line under its table path. Errors then point at the
line a person has to edit.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli

from ._errors import EvalcoreError, Location, RulesetError, display_path
from ._numbers import to_decimal

__all__ = ["SourceFile", "Table", "load_toml"]

PathKey = tuple[str | int, ...]

_BARE_KEY = r"[A-Za-z0-9_\-\u0080-\uffff]+"
_KEY_PART = rf'(?:{_BARE_KEY}|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?")
_ASSIGN = re.compile(rf"^\s*({_DOTTED})\s*=")
_INLINE_ITEM = re.compile(r"^\s*\{")

# Characters an input method types in place of TOML syntax.
_FULLWIDTH_HINTS = {
    "＝": "全角等号“＝”请改为半角“=”",
    "“": "中文引号“”请改为英文引号 \"",
    "”": "中文引号“”请改为英文引号 \"",
    "‘": "中文单引号请改为英文引号 '",
    "’": "中文单引号请改为英文引号 '",
    "［": "全角方括号请改为半角 [ ]",
    "］": "全角方括号请改为半角 [ ]",
    "，": "数组中的中文逗号“，”请改为半角“,”",
    "｛": "全角花括号请改为半角 { }",
    "｝": "全角花括号请改为半角 { }",
}


def _split_dotted(text: str) -> list[str]:
    parts = re.findall(_KEY_PART, text)
    out = []
    for part in parts:
        if part.startswith('"') or part.startswith("'"):
            part = part[1:-1]
        out.append(part)
    return out


class SourceFile:
    """A TOML file's text and the line of each key path found in it."""

    def __init__(self, path: str | Path | None, text: str):
        self.path = path
        self._name: str | None = None
        self.text = text
        self._lines: dict[PathKey, int] | None = None

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


def load_toml(path: str | Path, error: type[EvalcoreError] = RulesetError) -> tuple[dict[str, Any], SourceFile]:
    """Read and parse a TOML file; any problem becomes `error` naming the file and line."""
    name = display_path(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise error("找不到文件", Location(file=name), hint="请检查路径是否正确") from None
    except OSError as exc:
        raise error(f"无法读取文件：{exc.strerror}", Location(file=name)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error("文件不是 UTF-8 编码", Location(file=name), hint="请用记事本或编辑器另存为 UTF-8 编码") from None
    return loads_toml(text, path, error)


def loads_toml(text: str, path: str | Path | None = None, error: type[EvalcoreError] = RulesetError) -> tuple[dict[str, Any], SourceFile]:
    source = SourceFile(path, text)
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        hint = None
        lines = text.splitlines()
        bad_line = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
        for char, advice in _FULLWIDTH_HINTS.items():
            if char in bad_line:
                hint = advice
                break
        if hint is None and re.match(r"^\s*[^\x00-\x7f]", bad_line) and "=" in bad_line:
            key = bad_line.split("=", 1)[0].strip()
            hint = f'中文键名需要用英文引号括起来，例如 "{key}" = ...'
        message = _translate_toml_error(getattr(exc, "msg", str(exc)))
        raise error(f"TOML 格式错误：{message}", Location(file=source.name, line=line), hint=hint) from None
    return data, source


def _translate_toml_error(message: str) -> str:
    known = {
        "Invalid statement": "无法识别的语句",
        "Expected '=' after a key in a key/value pair": "键后面应为“=”",
        "Invalid value": "值无法识别（字符串需要加英文引号）",
        "Cannot overwrite a value": "同一个键重复出现",
        "Cannot declare": "同一个表重复声明",
        "Unclosed array": "数组缺少右方括号“]”",
        "Unterminated string": "字符串缺少结尾引号",
        "Expected newline or end of document after a statement": "一行只能写一个键值对",
        "Invalid initial character for a key part": "键名的首个字符无效（中文键名需要加英文引号）",
    }
    for english, chinese in known.items():
        if message.startswith(english):
            return chinese
    return message


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
        except (ValueError, TypeError):
            raise self.error(f"{what}必须是数字，现在是 {value!r}", key) from None

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
            close = difflib.get_close_matches(str(value), options, n=1)
            hint = f"是否想写“{close[0]}”" if close else None
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
        """Refuse keys the loader does not know: a typo must not be silently ignored."""
        known = list(allowed)
        for key in self.data:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"是否想写“{close[0]}”" if close else f"允许的键：{'、'.join(known)}"
                raise self.error(f"无法识别的键“{key}”", key, hint=hint)


def _dotted(key: PathKey) -> str:
    out = ""
    for part in key:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
