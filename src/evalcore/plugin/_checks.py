"""What a plugin hands over, checked at the boundary: a hook's result must be a list, and each item
the kind of thing the hook promises, with a usable name. Every problem is a Chinese sentence for
`evalcore plugins`; nothing a plugin returns may reach the rest of evalcore unchecked."""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from pathlib import Path

from ..model import Formatter, Rule, shown

__all__ = ["FORMAT_NAME", "RULE_KIND_NAME", "formatter_problem", "path_problem", "result_problem", "rule_kind_problem", "shown"]

# A rule kind as rulesets write it (kind = "per-case"); a format as --format takes it and as batch
# puts it into file names; a suffix as it ends a file name.
RULE_KIND_NAME = re.compile(r"\w[\w-]*")
FORMAT_NAME = re.compile(r"\w[\w-]*")
_SUFFIX = re.compile(r"\.\w{1,10}")


def result_problem(result: object) -> str | None:
    """Why a hook's result is not a list of contributions, or None."""
    if result is None:
        return "返回了 None，应返回列表（是否漏写了 return？）"
    if isinstance(result, (str, bytes)):
        return f"返回了一个字符串 {shown(result)}，应返回列表，如 [路径]"
    if not isinstance(result, Sequence):
        return f"返回了 {shown(result)}（{type(result).__name__}），应返回列表"
    return None


def rule_kind_problem(kind: object) -> str | None:
    """Why an item of `evalcore_rule_kinds` is not a usable rule kind, or None."""
    if not (isinstance(kind, type) and issubclass(kind, Rule)):
        return f"{shown(kind)} 不是规则类型（应继承 evalcore.Rule 并设置 kind）"
    name = getattr(kind, "kind", None)
    if not isinstance(name, str) or not RULE_KIND_NAME.fullmatch(name):
        return f"{kind.__name__} 的 kind = {shown(name)} 不是可用的规则类型名称（字母、数字、下划线和“-”，如 \"reach\"）"
    if not isinstance(getattr(kind, "title", None), str):
        return f"规则类型“{name}”的 title 应为中文名称（文字）"
    if inspect.isabstract(kind):
        missing = "、".join(sorted(getattr(kind, "__abstractmethods__", ())))
        return f"规则类型“{name}”没有实现 {missing}"
    return None


def formatter_problem(formatter: object) -> str | None:
    """Why an item of `evalcore_formatters` is not a usable output format, or None."""
    if not isinstance(formatter, Formatter):
        return f"{shown(formatter)} 不是 evalcore.Formatter"
    if not isinstance(formatter.name, str) or not FORMAT_NAME.fullmatch(formatter.name):
        return f"输出格式名称 {shown(formatter.name)} 不可用（字母、数字、下划线和“-”，如 \"xlsx\"）"
    if not isinstance(formatter.title, str):
        return f"输出格式“{formatter.name}”的 title 应为中文名称（文字）"
    if not callable(formatter.render):
        return f"输出格式“{formatter.name}”的 render 不能调用"
    # batch names each unit's output <unit><suffix>: a suffix must not lead out of the directory.
    if not isinstance(formatter.suffix, str) or not _SUFFIX.fullmatch(formatter.suffix):
        return f"输出格式“{formatter.name}”的文件后缀 {shown(formatter.suffix)} 不可用（应为“.”加 1–10 个字母或数字，如 \".xlsx\"）"
    return None


def path_problem(path: object) -> str | None:
    """Why an item of `evalcore_frameworks` is not a ruleset file or folder to read, or None."""
    if not isinstance(path, (str, Path)):
        return f"{shown(path)} 不是路径（应为规则文件或目录的 pathlib.Path）"
    if not Path(path).is_absolute():
        return f"路径 {shown(str(path))} 不是绝对路径，读到的文件会随当前目录而变（应为 Path(__file__).parent / \"rulesets\" 这样的路径）"
    return None
