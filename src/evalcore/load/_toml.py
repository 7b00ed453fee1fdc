"""Reading TOML files: bytes to text to data, every failure a located Chinese error."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with tomli, the library tomllib came from
    import tomli as tomllib

from ..model import DataError, EvalcoreError, Location, RulesetError, SourceFile, current_limits, display_path
from ._read import decode_text, read_limited
from ._shape import check_shape, dotted_too_deep, nested_too_deep, number_too_long, too_large

__all__ = ["load_toml", "loads_toml"]

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


def load_toml(path: str | Path, error: type[EvalcoreError] = RulesetError) -> tuple[dict[str, Any], SourceFile]:
    """Read and parse a TOML file; any problem becomes `error` naming the file and line. A data
    file (DataError) may also be in a Windows editor's encoding, which its SourceFile records."""
    raw = read_limited(path, error)
    text, encoding = decode_text(raw, display_path(path), error, legacy=error is DataError)
    return loads_toml(text, path, error, encoding)


def loads_toml(text: str, path: str | Path | None = None, error: type[EvalcoreError] = RulesetError, encoding: str | None = None) -> tuple[dict[str, Any], SourceFile]:
    source = SourceFile(path, text, encoding=encoding)
    if len(text) > current_limits().max_file_bytes:
        raise too_large(source.name, error, len(text))
    if dotted_too_deep(text):
        raise nested_too_deep(text, source, error)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line = _message_and_line(exc)
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
        message = _translate_toml_error(message)
        raise error(f"TOML 格式错误：{message}", Location(file=source.name, line=line), hint=hint) from None
    except RecursionError:
        # The parser refuses inline arrays and tables nested past its own bound.
        raise nested_too_deep(text, source, error) from None
    except ValueError:
        # int() refuses a number longer than Python's own cap (sys.get_int_max_str_digits), which
        # no limit goes past.
        raise number_too_long(text, source, error) from None
    check_shape(data, source, error)
    return data, source


_AT = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def _message_and_line(exc: ValueError) -> tuple[str, int | None]:
    """The parser's message and the line it points at: newer parsers give them as attributes,
    older ones (Python 3.11's tomllib) only inside the text "… (at line 3, column 5)"."""
    line = getattr(exc, "lineno", None)
    message = getattr(exc, "msg", None)
    if isinstance(message, str) and isinstance(line, int):
        return message, line
    text = str(exc)
    found = _AT.search(text)
    return (text[: found.start()], int(found.group(1))) if found else (text, None)


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


