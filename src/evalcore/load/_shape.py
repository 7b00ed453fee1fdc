"""The loader limits on a data or ruleset file's shape (TOML, JSON): its size, how deeply its tables
and arrays nest, how many digits an integer has. Each breach is a located error with the option that raises the limit;
the defaults are in evalcore.model.Limits and docs/security.md."""

from __future__ import annotations

import re
from typing import Any

from ..model import MB, EvalcoreError, Limits, Location, PathKey, SourceFile, current_limits, limit_cap, limit_hint

__all__ = ["check_shape", "deepest", "dotted_too_deep", "key_path", "mb_needed", "megabytes", "nested_too_deep", "number_too_long", "too_large"]

def too_large(name: str, error: type[EvalcoreError], size: int | None = None) -> EvalcoreError:
    """The error for a file past the size limit; `size` in bytes, where it is known, sets the hint."""
    limits = current_limits()
    what = f"文件过大：{megabytes(size)} MB，" if size is not None else "文件过大："
    return error(f"{what}超过 {limits.max_file_mb} MB 的上限，未读取", Location(file=name), hint=limit_hint("max_file_mb", mb_needed(size), " MB"))


def mb_needed(size: int | None) -> int | None:
    """The whole MB a limit must allow for `size` bytes to be within it."""
    return None if size is None else -(-size // MB)


def megabytes(size: int) -> str:
    """Bytes as MB in words, rounded up to a tenth: a file just past a limit never reads as the limit."""
    # Rounded up to a tenth: a file just past the limit never reads as the limit itself.
    tenths = -(-size * 10 // MB)
    return f"{tenths // 10}.{tenths % 10}".removesuffix(".0")


def check_shape(data: dict[str, Any], source: SourceFile, error: type[EvalcoreError]) -> None:
    """Refuse tables and arrays nested deeper than the limit and integers longer than the limit.

    Iterative, so that no depth of nesting can exhaust the interpreter's stack; every file read is
    walked once, so it is written for speed.
    """
    limits = current_limits()
    max_depth = limits.max_depth
    bound = 10**limits.max_number_digits  # an integer with more digits is at least this large
    stack: list[tuple[Any, PathKey]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        depth = len(path) + 1
        items = node.items() if type(node) is dict else enumerate(node)
        for key, value in items:
            kind = type(value)
            if kind is dict or kind is list:
                if depth > max_depth:
                    raise error(_deep_message(limits), _where(source, path + (key,)), hint=limit_hint("max_depth", deepest(data), " 层"))
                if value:
                    stack.append((value, path + (key,)))
            elif kind is int and not -bound < value < bound:
                raise error(_long_message(limits), _where(source, path + (key,)), hint=limit_hint("max_number_digits", _longest(data), " 位"))


def deepest(data: Any) -> int:
    """How deeply tables and arrays nest in `data`, as the limit counts it: 0 for a table of plain
    values, 1 for a table holding tables or arrays of plain values. Iterative."""
    most = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        most = max(most, depth)
        values = node.values() if type(node) is dict else node
        stack.extend((value, depth + 1) for value in values if type(value) is dict or type(value) is list)
    return most


def _longest(data: Any) -> int:
    """The digits of the longest integer in `data`; past Python's own cap, one more than the cap
    (str() of a longer integer is refused, and no limit could let it load anyway)."""
    cap = limit_cap("max_number_digits")
    beyond = 10**cap
    longest = 0
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        for value in node.values() if type(node) is dict else node:
            if type(value) is dict or type(value) is list:
                stack.append(value)
            elif type(value) is int:
                digits = cap + 1 if abs(value) >= beyond else len(str(abs(value)))
                longest = max(longest, digits)
    return longest


# A key's dotted parts, on a `key = value` line or in a [table] header.
_DOTTED_KEY = re.compile(r"^\s*\[?\[?\s*((?:[^=\[\]\"'#\n]|\"[^\"\n]*\"|'[^'\n]*')*?)\s*(?:=|\]\]?)", re.M)


def dotted_too_deep(text: str) -> bool:
    """Whether a key of the text is dotted deeper than any limit may allow (a.b.c… 100,000 deep).

    Checked before parsing: some parsers (Python 3.11's tomllib) take time and memory growing with
    the square of a dotted key's length before any depth could be checked on the result. A key
    within the cap is parsed, and the nesting limit checked on the result, exactly located.
    """
    bound = limit_cap("max_depth")
    if text.count(".") < bound:
        return False
    return any(key.group(1).count(".") >= bound for key in _DOTTED_KEY.finditer(text))


def nested_too_deep(text: str, source: SourceFile, error: type[EvalcoreError]) -> EvalcoreError:
    """The error for nesting refused before or while parsing (past what the parser can read), at
    the line where it gets deeper than the limit."""
    limits = current_limits()
    depth, most, line = 0, 0, None
    for bracket in re.finditer(r"[\[\]{}]", text):
        depth += 1 if bracket.group() in "[{" else -1
        most = max(most, depth)
        if depth > limits.max_depth and line is None:
            line = text.count("\n", 0, bracket.start()) + 1
    # Nested dotted keys (a.b.c…): the line that has the most of them.
    lines = text.splitlines()
    dotted = max(range(len(lines)), key=lambda i: lines[i].count("."), default=None)
    if dotted is not None and lines[dotted].count(".") + 1 > most:
        most, line = lines[dotted].count(".") + 1, dotted + 1
    if most <= limits.max_depth:
        # Brackets in strings can mislead the count, and a parser may give up short of its bound:
        # say only what is known.
        message = "表和数组相互嵌套过深，读取程序无法处理，未读取（评价框架和数据文件用不到这么深的嵌套）"
        return error(message, Location(file=source.name, line=line), hint=f"请检查文件是否有误；evalcore 最多能读取 {limit_cap('max_depth')} 层嵌套")
    return error(_deep_message(limits), Location(file=source.name, line=line), hint=limit_hint("max_depth", most, " 层"))


def number_too_long(text: str, source: SourceFile, error: type[EvalcoreError], digits: int | None = None) -> EvalcoreError:
    """The error for an integer the parser could not convert, or was told not to, at its line;
    `digits` is its length where the reader knows it."""
    limits = current_limits()
    found = re.search(rf"(?:^|[=:\[,{{])\s*[+-]?(?:0[xob])?[0-9a-fA-F_]{{{limits.max_number_digits + 1},}}", text, re.M)
    line = text.count("\n", 0, found.end()) + 1 if found else None
    if digits is None:
        # Only Python's own refusal leaves the reader without the number: it is past the cap.
        digits = limit_cap("max_number_digits") + 1
    return error(_long_message(limits), Location(file=source.name, line=line), hint=limit_hint("max_number_digits", digits, " 位"))


def _deep_message(limits: Limits) -> str:
    return f"表和数组相互嵌套超过 {limits.max_depth} 层，未读取（评价框架和数据文件用不到这么深的嵌套）"


def _long_message(limits: Limits) -> str:
    return f"数字超过 {limits.max_number_digits} 位，未读取（得分、金额和比率用不到这么长的数字）"


def _where(source: SourceFile, path: PathKey) -> Location:
    return Location(file=source.name, line=source.line_of(path), key=key_path(path))


def key_path(path: PathKey) -> str:
    """A key path as errors name it: inputs.编制数, report.概述[1][1]; cut short past 80 characters."""
    key = ""
    for part in path:
        key += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key if len(key) <= 80 else key[:80] + "…"
