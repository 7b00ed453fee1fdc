"""Reading TOML files: bytes to text to data, every failure a located Chinese error."""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with tomli, the library tomllib came from
    import tomli as tomllib

from ..model import DataError, EvalcoreError, Location, RulesetError, SourceFile, cached_path, current_limits, display_path, keep_cached, read_cached
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
    file (DataError) may also be in a Windows editor's encoding, which its SourceFile records. A
    ruleset (RulesetError) is parsed once: see `_parsed_ruleset`."""
    raw = read_limited(path, error)
    text, encoding = decode_text(raw, display_path(path), error, legacy=error is DataError)
    if error is RulesetError:
        return _parsed_ruleset(text, path, encoding)
    return loads_toml(text, path, error, encoding)


def _parsed_ruleset(text: str, path: str | Path, encoding: str | None) -> tuple[dict[str, Any], SourceFile]:
    """A ruleset's data and the line of each of its keys, as parsing its text gives them, kept in
    the user's cache folder by the hash of the text (marshal, for this interpreter): the same
    ruleset, read by every command, is parsed once (about 4 ms of `evalcore run`). The limits are
    checked as for any file: on the text before, and on the data after."""
    kept = cached_path("rulesets", hashlib.sha256(_parsed_by() + text.encode()).hexdigest())
    payload = read_cached(kept) if kept is not None else None
    if payload is not None:
        with contextlib.suppress(ValueError, EOFError, TypeError):
            data, lines = marshal.loads(payload)
            if type(data) is dict and type(lines) is dict:
                source = SourceFile(path, text, lines=lines, encoding=encoding)
                _check_text(text, source, RulesetError)
                check_shape(data, source, RulesetError)
                return data, source
    data, source = loads_toml(text, path, RulesetError, encoding)
    if kept is not None:
        with contextlib.suppress(ValueError):  # a date or time in it: marshal writes none, parsed each time
            keep_cached(kept, marshal.dumps((data, source.lines)))
    return data, source


# Raised when what is kept of a ruleset changes shape.
_PARSED_FORMAT = 1


def _parsed_by() -> bytes:
    """What a kept ruleset was made by, part of its key: the format kept, this Python, and the files
    of the parser and of evalcore's key scanner as installed (an upgrade or an edit of either makes
    every ruleset parsed again)."""
    made_by = [f"{_PARSED_FORMAT}\n{sys.version}\n"]
    for name in (tomllib.loads.__module__, SourceFile.__module__, __name__):  # parser, key scanner, this reader
        where = getattr(sys.modules.get(name), "__file__", None) or ""
        try:
            status = os.stat(where)
            made_by.append(f"{where} {status.st_size} {status.st_mtime_ns}\n")
        except OSError:
            made_by.append(f"{where}\n")
    return "".join(made_by).encode()


def _check_text(text: str, source: SourceFile, error: type[EvalcoreError]) -> None:
    """The limits a file's text is held to before it is parsed."""
    if len(text) > current_limits().max_file_bytes:
        raise too_large(source.name, error, len(text))
    if dotted_too_deep(text):
        raise nested_too_deep(text, source, error)


def loads_toml(text: str, path: str | Path | None = None, error: type[EvalcoreError] = RulesetError, encoding: str | None = None) -> tuple[dict[str, Any], SourceFile]:
    source = SourceFile(path, text, encoding=encoding)
    _check_text(text, source, error)
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


