"""One input's value as a unit typed it (a TOML number, "3.5万元", "是", "95%") read into the
input's type and declared unit, exactly, or a Chinese message saying what is wrong."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..model import UNITS, Conversion, InputSpec, checked, convert, fmt, normalize_text, parse_quantity, to_decimal
from ._words import yes_no_word

__all__ = ["NON_NEGATIVE_TYPES", "input_hint", "read_input_value"]

# Amounts, head counts and rates are never negative unless a framework says so (negative = true).
NON_NEGATIVE_TYPES = ("money", "count", "percent")


def input_hint(spec: InputSpec) -> str:
    if spec.type == "bool":
        return "填写 true/false 或“是”/“否”"
    if spec.type == "text":
        return "填写文字，用英文引号括起来"
    sample = spec.example or ("21" if spec.type == "count" else "3.5") + (spec.unit or "")
    unit = f"，单位 {spec.unit}（也可写明单位，如 \"{sample}\"）" if spec.unit else ""
    return f"填写数字{unit}"


def read_input_value(spec: InputSpec, raw: Any) -> tuple[Any, Conversion | None]:
    kind = type(raw)
    if (kind is int or kind is float) and spec.type not in ("text", "bool"):
        # The common case, a plain TOML number in the input's own unit, without the general path.
        try:
            number = checked(Decimal(raw) if kind is int else Decimal(repr(raw)))
        except ValueError:
            raise ValueError(f"输入“{spec.label}”的数值 {raw!r} 无法使用（非数字、无穷大或超出范围）") from None
        if number < 0 and not spec.negative and spec.type in NON_NEGATIVE_TYPES:
            raise ValueError(f"输入“{spec.label}”不能为负数：{fmt(number)}（框架未声明此项可为负数）")
        return number, None
    label = f"输入“{spec.label}”"
    if spec.type == "text":
        if not isinstance(raw, str):
            raise ValueError(f"{label}应为文字，现在是 {raw!r}")
        return (raw.strip() or None), None
    if spec.type == "bool":
        if isinstance(raw, bool):
            return raw, None
        if isinstance(raw, str):
            if not normalize_text(raw):
                return None, None
            answer = yes_no_word(raw)
            if answer is not None:
                return answer, None
        raise ValueError(f"{label}应为 是/否，现在是 {raw!r}")
    conversion = None
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError(f"{label}应为数字，现在是 {raw!r}")
    if isinstance(raw, str):
        if not normalize_text(raw):
            return None, None
        try:
            number, given_unit = parse_quantity(raw)
        except ValueError:
            raise ValueError(f"{label}无法识别为数字：{raw!r}") from None
        if given_unit is not None:
            if spec.unit is None:
                raise ValueError(f"{label}没有声明单位，不能写“{given_unit}”")
            if given_unit not in UNITS:
                raise ValueError(f"{label}的单位“{given_unit}”无法识别，应为 {spec.unit}")
            if UNITS[given_unit].family != UNITS[spec.unit].family:
                raise ValueError(f"{label}的单位“{given_unit}”不能换算为 {spec.unit}")
            try:
                converted = convert(number, given_unit, spec.unit)
            except ValueError:
                raise ValueError(f"{label}的数值“{normalize_text(raw)}”换算为{spec.unit}后超出可计算的范围（整数部分最多 16 位，小数最小到 0.000000000001）") from None
            if given_unit != spec.unit and UNITS[given_unit].factor != UNITS[spec.unit].factor:
                conversion = Conversion(spec.id, normalize_text(raw), converted, spec.unit)
            number = converted
    else:
        number = to_decimal(raw)
    if number < 0 and not spec.negative and spec.type in NON_NEGATIVE_TYPES:
        raise ValueError(f"{label}不能为负数：{fmt(number)}（框架未声明此项可为负数）")
    return number, conversion
