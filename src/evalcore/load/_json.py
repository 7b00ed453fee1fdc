"""Reading JSON data files: the same shape as a TOML data file, every failure a located Chinese
error (the file, and the line and column where json reports one)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model import DataError, Location, SourceFile, display_path

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


def load_json(path: str | Path) -> tuple[dict[str, Any], SourceFile]:
    """Read and parse a JSON data file; any problem is a DataError naming the file (and line)."""
    name = display_path(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataError("找不到文件", Location(file=name), hint="请检查路径是否正确") from None
    except OSError as exc:
        raise DataError(f"无法读取文件：{exc.strerror}", Location(file=name)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError("文件不是 UTF-8 编码", Location(file=name), hint="请用记事本或编辑器另存为 UTF-8 编码") from None
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise DataError(f"JSON 格式错误：{_translate(exc.msg)}（第 {exc.colno} 列）", Location(file=name, line=exc.lineno), hint="键名和字符串都要用英文双引号，项与项之间用英文逗号") from None
    except _Duplicate as exc:
        raise DataError(f"JSON 中同一个键“{exc.key}”出现了两次", Location(file=name, key=exc.key)) from None
    except ValueError as exc:
        raise DataError(f"JSON 中不能写 {exc}，请写数字", Location(file=name)) from None
    if not isinstance(data, dict):
        raise DataError("JSON 数据文件应是一个对象 { … }，与 TOML 数据文件的内容相同", Location(file=name), hint='例如 {"framework": "hunan.hecheng.dept.2020", "inputs": {"编制数": 37}}')
    # No line per key: a JSON file's keys are not looked up in its text the way a TOML file's are.
    return data, SourceFile(path, "")


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
