"""Reading JSON data files: the same shape as a TOML data file, every failure a located Chinese
error naming the file and the line (and the column where json reports one)."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model import DataError, Location, PathKey, SourceFile, current_limits, display_path, limit_cap
from ._read import decode_text, read_limited
from ._shape import check_shape, deepest, key_path, nested_too_deep, number_too_long

__all__ = ["load_json"]


class _Constant:
    """NaN, Infinity or -Infinity as json read it: refused, at its line, once the text is walked."""

    def __init__(self, name: str) -> None:
        self.name = name


class _TooLong(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def _integer(text: str) -> int:
    # Past the limit (never past Python's own, 4,300 digits: model.limit_cap) int() is not asked.
    digits = len(text.lstrip("-"))
    if digits > current_limits().max_number_digits:
        raise _TooLong(digits)
    return int(text)


class _Refused(Exception):
    """A value json accepts and a data file may not hold, at its line."""

    def __init__(self, message: str, line: int, key: str | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.key = message, line, key


def load_json(path: str | Path) -> tuple[dict[str, Any], SourceFile]:
    """Read and parse a JSON data file; any problem is a DataError naming the file and line."""
    name = display_path(path)
    raw = read_limited(path, DataError)
    text, encoding = decode_text(raw, name, DataError, legacy=True)
    try:
        data = json.loads(text, parse_constant=_Constant, parse_int=_integer)
    except RecursionError:
        raise nested_too_deep(text, SourceFile(path, text), DataError) from None
    except _TooLong as exc:
        raise number_too_long(text, SourceFile(path, text), DataError, exc.digits) from None
    except json.JSONDecodeError as exc:
        raise DataError(f"JSON 格式错误：{_translate(exc.msg)}（第 {exc.colno} 列）", Location(file=name, line=exc.lineno), hint="键名和字符串都要用英文双引号，项与项之间用英文逗号") from None
    if not isinstance(data, dict):
        line = text.count("\n", 0, len(text) - len(text.lstrip())) + 1
        raise DataError("JSON 数据文件应是一个对象 { … }，与 TOML 数据文件的内容相同", Location(file=name, line=line), hint='例如 {"framework": "hunan.hecheng.dept.2020", "inputs": {"编制数": 37}}')
    # Walked by recursion below: nesting past what any limit allows is refused first, by its brackets.
    if deepest(data) > limit_cap("max_depth"):
        raise nested_too_deep(text, SourceFile(path, text), DataError)
    try:
        source = SourceFile(path, text, lines=_key_lines(text), encoding=encoding)
    except _Refused as exc:
        raise DataError(exc.message, Location(file=name, line=exc.line, key=exc.key)) from None
    check_shape(data, source, DataError)
    return data, source


# json's own string scanner (C where available): the same reading of escapes as json.loads.
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_SPACE = re.compile(r"[ \t\n\r]*")
_CONSTANT = re.compile(r"NaN|-?Infinity")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


def _key_lines(text: str) -> dict[PathKey, int]:
    """The line of every key path in a JSON text that json has parsed, so that an error in a value
    names its line as it does in a TOML file. What json accepts and a data file may not hold is
    refused here, where its line is known (_Refused): a key twice in one object (json keeps the
    last without a word; TOML refuses it, and so do we), NaN and Infinity."""
    newlines = [i for i, char in enumerate(text) if char == "\n"]
    lines: dict[PathKey, int] = {}

    def line(index: int) -> int:
        return bisect.bisect_right(newlines, index) + 1

    def value(index: int, path: PathKey) -> int:
        index = _skip(text, index)
        char = text[index]
        if char == "{":
            index = _skip(text, index + 1)
            seen: set[str] = set()
            while text[index] != "}":
                start = index
                key, index = _scanstring(text, index + 1)
                if key in seen:
                    raise _Refused(f"JSON 中同一个键“{key}”出现了两次（第 {lines[path + (key,)]} 行已写过）", line(start), key_path(path + (key,)))
                seen.add(key)
                lines.setdefault(path + (key,), line(start))
                index = _skip(text, index) + 1  # past the colon
                index = _skip(text, value(index, path + (key,)))
                if text[index] == ",":
                    index = _skip(text, index + 1)
            return index + 1
        if char == "[":
            index = _skip(text, index + 1)
            number = 0
            while text[index] != "]":
                lines.setdefault(path + (number,), line(index))
                index = _skip(text, value(index, path + (number,)))
                number += 1
                if text[index] == ",":
                    index = _skip(text, index + 1)
            return index + 1
        if char == '"':
            return _scanstring(text, index + 1)[1]
        constant = _CONSTANT.match(text, index)
        if constant is not None:
            raise _Refused(f"JSON 中不能写 {constant.group()}，请写数字", line(index), key_path(path))
        scalar = _SCALAR.match(text, index)
        assert scalar is not None  # json.loads has read this text
        return scalar.end()

    value(0, ())
    return lines


def _skip(text: str, index: int) -> int:
    """The index after the white space at `index`."""
    space = _SPACE.match(text, index)
    assert space is not None  # zero or more spaces always match
    return space.end()


def _translate(message: str) -> str:
    known = {
        "Expecting property name enclosed in double quotes": "键名应使用英文双引号",
        "Expecting ',' delimiter": "缺少英文逗号“,”",
        "Expecting ':' delimiter": "键名后面应为英文冒号“:”",
        "Expecting value": "值无法识别（字符串需要加英文双引号）",
        "Unterminated string starting at": "字符串缺少结尾引号",
        "Extra data": "对象结束后还有多余内容",
        "Invalid control character at": "字符串中有控制字符",
        "Invalid \\escape": "字符串中的反斜杠“\\”后面不是有效的转义（Windows 路径请写成 \\\\ 或 /）",
        "Invalid \\uXXXX escape": "字符串中的 \\u 后面应为 4 位十六进制数",
    }
    for english, chinese in known.items():
        if message.startswith(english):
            return chinese
    return message
