"""The loader limits on a data or ruleset file's shape (TOML, JSON): its size, how deeply its tables
and arrays nest, how many digits an integer has. Each breach is a located error with the option that raises the limit;
the defaults are in evalcore.model.Limits and docs/security.md."""

from __future__ import annotations

import re
from typing import Any

from ..model import EvalcoreError, Limits, Location, PathKey, SourceFile, current_limits, limit_hint

__all__ = ["check_shape", "dotted_too_deep", "nested_too_deep", "number_too_long", "too_large"]

# Python's int() refuses longer decimal strings (sys.get_int_max_str_digits), and so does the TOML parser.
_INT_MAX_STR_DIGITS = 4300


def too_large(name: str, error: type[EvalcoreError]) -> EvalcoreError:
    limits = current_limits()
    return error(f"文件过大：超过 {limits.max_file_mb} MB 的上限，未读取", Location(file=name), hint=limit_hint("max_file_mb", limits.max_file_mb, " MB"))


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
                    raise _too_deep(source, error, path + (key,), limits)
                if value:
                    stack.append((value, path + (key,)))
            elif kind is int and not -bound < value < bound:
                raise _too_long(source, error, path + (key,), limits)


# A key's dotted parts, on a `key = value` line or in a [table] header.
_DOTTED_KEY = re.compile(r"^\s*\[?\[?\s*((?:[^=\[\]\"'#\n]|\"[^\"\n]*\"|'[^'\n]*')*?)\s*(?:=|\]\]?)", re.M)


def dotted_too_deep(text: str) -> bool:
    """Whether a key of the text is dotted deeper than the nesting limit (a.b.c… 100,000 deep).

    Checked before parsing: some parsers (Python 3.11's tomllib) take time and memory growing with
    the square of a dotted key's length before any depth could be checked on the result.
    """
    bound = current_limits().max_depth
    if text.count(".") <= bound:
        return False
    return any(key.group(1).count(".") >= bound for key in _DOTTED_KEY.finditer(text))


def nested_too_deep(text: str, source: SourceFile, error: type[EvalcoreError]) -> EvalcoreError:
    """The error for nesting the parser itself refused, at the line where it gets too deep."""
    limits = current_limits()
    bound = min(limits.max_depth, 400)
    depth, line = 0, None
    for bracket in re.finditer(r"[\[\]{}]", text):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > bound:
            line = text.count("\n", 0, bracket.start()) + 1
            break
    else:
        # Nested dotted keys (a.b.c…): the line that has the most of them.
        lines = text.splitlines()
        if lines:
            line = max(range(len(lines)), key=lambda i: lines[i].count(".")) + 1
    return error(_deep_message(limits), Location(file=source.name, line=line), hint=limit_hint("max_depth", limits.max_depth))


def number_too_long(text: str, source: SourceFile, error: type[EvalcoreError]) -> EvalcoreError:
    """The error for an integer the parser could not convert, or was told not to, at its line."""
    limits = current_limits()
    shortest = min(limits.max_number_digits, _INT_MAX_STR_DIGITS) + 1
    found = re.search(rf"(?:^|[=:\[,{{])\s*[+-]?(?:0[xob])?[0-9a-fA-F_]{{{shortest},}}", text, re.M)
    line = text.count("\n", 0, found.end()) + 1 if found else None
    return error(_long_message(limits), Location(file=source.name, line=line), hint=limit_hint("max_number_digits", limits.max_number_digits))


def _too_deep(source: SourceFile, error: type[EvalcoreError], path: PathKey, limits: Limits) -> EvalcoreError:
    return error(_deep_message(limits), _where(source, path), hint=limit_hint("max_depth", limits.max_depth))


def _too_long(source: SourceFile, error: type[EvalcoreError], path: PathKey, limits: Limits) -> EvalcoreError:
    return error(_long_message(limits), _where(source, path), hint=limit_hint("max_number_digits", limits.max_number_digits))


def _deep_message(limits: Limits) -> str:
    return f"表和数组相互嵌套超过 {limits.max_depth} 层，未读取（评价框架和数据文件用不到这么深的嵌套）"


def _long_message(limits: Limits) -> str:
    return f"数字超过 {limits.max_number_digits} 位，未读取（得分、金额和比率用不到这么长的数字）"


def _where(source: SourceFile, path: PathKey) -> Location:
    key = ""
    for part in path:
        key += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    if len(key) > 80:
        key = key[:80] + "…"
    return Location(file=source.name, line=source.line_of(path), key=key)
