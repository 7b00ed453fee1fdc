"""Reading JSON data files: the same shape as a TOML data file, every failure a located Chinese
error (the file, and the line and column where json reports one)."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model import DataError, Location, PathKey, SourceFile, current_limits, display_path
from ._read import decode_text, read_limited
from ._shape import check_shape, nested_too_deep, number_too_long

__all__ = ["load_json"]


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys without a word; TOML refuses them, and so do we.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise ValueError(name)


class _TooLong(ValueError):
    pass


def _integer(text: str) -> int:
    # int() refuses more than 4,300 digits, and the loader limit is far lower: say so, located.
    if len(text.lstrip("-")) > current_limits().max_number_digits:
        raise _TooLong(text)
    return int(text)


def load_json(path: str | Path) -> tuple[dict[str, Any], SourceFile]:
    """Read and parse a JSON data file; any problem is a DataError naming the file (and line)."""
    name = display_path(path)
    raw = read_limited(path, DataError)
    text, encoding = decode_text(raw, name, DataError, legacy=True)
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_constant=_constant, parse_int=_integer)
    except RecursionError:
        raise nested_too_deep(text, SourceFile(path, text), DataError) from None
    except _TooLong:
        raise number_too_long(text, SourceFile(path, text), DataError) from None
    except json.JSONDecodeError as exc:
        raise DataError(f"JSON 格式错误：{_translate(exc.msg)}（第 {exc.colno} 列）", Location(file=name, line=exc.lineno), hint="键名和字符串都要用英文双引号，项与项之间用英文逗号") from None
    except _Duplicate as exc:
        raise DataError(f"JSON 中同一个键“{exc.key}”出现了两次", Location(file=name, key=exc.key)) from None
    except ValueError as exc:
        raise DataError(f"JSON 中不能写 {exc}，请写数字", Location(file=name)) from None
    if not isinstance(data, dict):
        raise DataError("JSON 数据文件应是一个对象 { … }，与 TOML 数据文件的内容相同", Location(file=name), hint='例如 {"framework": "hunan.hecheng.dept.2020", "inputs": {"编制数": 37}}')
    try:
        source = SourceFile(path, text, lines=_key_lines(text), encoding=encoding)
    except RecursionError:
        raise nested_too_deep(text, SourceFile(path, text), DataError) from None
    check_shape(data, source, DataError)
    return data, source


# json's own string scanner (C where available): the same reading of escapes as json.loads.
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


def _key_lines(text: str) -> dict[PathKey, int]:
    """The line of every key path in a JSON text that json has parsed, so that an error in a value
    names its line as it does in a TOML file."""
    newlines = [i for i, char in enumerate(text) if char == "\n"]
    lines: dict[PathKey, int] = {}

    def line(index: int) -> int:
        return bisect.bisect_right(newlines, index) + 1

    def value(index: int, path: PathKey) -> int:
        index = _skip(text, index)
        char = text[index]
        if char == "{":
            index = _skip(text, index + 1)
            while text[index] != "}":
                start = index
                key, index = _scanstring(text, index + 1)
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
    }
    for english, chinese in known.items():
        if message.startswith(english):
            return chinese
    return message
