"""Framework ids: one pattern, checked wherever an id is read, because ids become file names
(`evalcore reference` writes <id>.md) and are typed on command lines."""

from __future__ import annotations

import re

__all__ = ["FRAMEWORK_ID_MAX", "FRAMEWORK_ID_PATTERN", "framework_id_problem"]

# One or more parts joined by single dots; a part is letters (Chinese included), digits, "_" and
# "-", not starting with "-". Hence no path separator, no "..", no space or control character.
FRAMEWORK_ID_PATTERN = r"\w[\w-]*(?:\.\w[\w-]*)*"
FRAMEWORK_ID_MAX = 100

_ID = re.compile(FRAMEWORK_ID_PATTERN)


def framework_id_problem(value: str) -> str | None:
    """Why `value` cannot be a framework id, in Chinese, or None when it can."""
    if _ID.fullmatch(value) and len(value) <= FRAMEWORK_ID_MAX and value.isprintable():
        return None
    if not value:
        return "框架编号不能为空"
    if len(value) > FRAMEWORK_ID_MAX:
        return f"框架编号过长（{len(value)} 个字符，最多 {FRAMEWORK_ID_MAX} 个）"
    return (
        f"框架编号 {value!r} 不合要求：编号由英文句点“.”分隔的若干段组成，每段只能含字母（可为汉字）、数字、下划线“_”和连字符“-”，"
        "不能以“-”开头；不能含斜杠、反斜杠、空格、连续的句点或控制字符"
    )
