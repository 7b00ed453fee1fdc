"""One input's value as a unit typed it (a TOML number, "3.5万元", "是", "95%") read into the
input's type and declared unit, exactly, or a Chinese message saying what is wrong."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..model import UNITS, Conversion, InputSpec, NumberTextError, checked, convert, fmt, frozen, normalize_text, parse_quantity, scientific, to_decimal
from ._words import yes_no_word

__all__ = ["InputReading", "input_hint", "read_input_value"]

def input_hint(spec: InputSpec) -> str:
    if spec.type == "bool":
        return "填写 true/false 或“是”/“否”"
    if spec.type == "text":
        return "填写文字，用英文引号括起来"
    if spec.type == "percent" and spec.fractions == "scale":
        # A bare number is a fraction here: "3.5" would be 350 %.
        return "按小数填写，如 0.035 即 3.5%；也可写明 %，如 \"3.5%\""
    sample = spec.example or ("21" if spec.type == "count" else "3.5") + (spec.unit or "")
    unit = f"，单位 {spec.unit}（也可写明单位，如 \"{sample}\"）" if spec.unit else ""
    return f"填写数字{unit}"


@frozen
class InputReading:
    """An input's value as read: the value in the input's unit (None when left empty), the unit
    conversion when another unit was typed, and for a percent input typed as a bare 0 < v ≤ 1 the
    other reading, v × 100 %, which the evaluation questions (待核实) where the two score apart."""

    value: Any
    conversion: Conversion | None = None
    question: Decimal | None = None


_EMPTY = InputReading(None)
_HUNDRED = Decimal(100)


def read_input_value(spec: InputSpec, raw: Any) -> InputReading:
    """Read one input's value against its declaration; ValueError with a Chinese message naming the
    input, the value and what was expected."""
    kind = type(raw)
    if (kind is int or kind is float) and spec.type not in ("text", "bool"):
        # The common case, a plain TOML number in the input's own unit, without the general path.
        try:
            number = checked(Decimal(raw) if kind is int else Decimal(repr(raw)))
        except ValueError:
            raise ValueError(f"输入“{spec.label}”的数值 {raw!r} 无法使用（非数字、无穷大或超出范围）") from None
        return _bare(spec, number)
    label = f"输入“{spec.label}”"
    if spec.type == "text":
        if not isinstance(raw, str):
            raise ValueError(f"{label}应为文字，现在是 {raw!r}")
        return InputReading(raw.strip() or None)
    if spec.type == "bool":
        if isinstance(raw, bool):
            return InputReading(raw)
        if isinstance(raw, str):
            if not normalize_text(raw):
                return _EMPTY
            answer = yes_no_word(raw)
            if answer is not None:
                return InputReading(answer)
        raise ValueError(f"{label}应为 是/否，现在是 {raw!r}")
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError(f"{label}应为数字，现在是 {raw!r}")
    if isinstance(raw, str):
        text = normalize_text(raw)
        if not text:
            return _EMPTY
        if scientific(text):
            raise ValueError(f"{label}写成了科学计数法 {raw!r}：请写成普通数字，如 37 或 0.0515")
        try:
            number, given_unit = parse_quantity(raw)
        except NumberTextError as exc:
            raise ValueError(f"{label}的{exc}") from None
        except ValueError:
            raise ValueError(f"{label}无法识别为数字：{raw!r}") from None
        if given_unit is None:
            return _bare(spec, number)
        if spec.unit is None:
            raise ValueError(f"{label}没有声明单位，不能写“{given_unit}”")
        if given_unit not in UNITS:
            raise ValueError(f"{label}的单位“{given_unit}”无法识别，应为 {spec.unit}")
        try:
            converted = checked(convert(number, given_unit, spec.unit))
        except ValueError:
            if UNITS[given_unit].family != UNITS[spec.unit].family:
                raise ValueError(f"{label}的单位“{given_unit}”不能换算为 {spec.unit}") from None
            raise ValueError(f"{label}的数值 {raw!r} 换算为 {spec.unit} 后超出可计算的范围") from None
        conversion = None
        if given_unit != spec.unit and UNITS[given_unit].factor != UNITS[spec.unit].factor:
            conversion = Conversion(spec.id, text, converted, spec.unit)
        _check_domain(spec, converted)
        return InputReading(converted, conversion)
    return _bare(spec, to_decimal(raw))


def _bare(spec: InputSpec, number: Decimal) -> InputReading:
    """A number typed without a unit: in the input's unit, except for the fractions of a percent
    input (see InputSpec.fractions)."""
    if spec.type == "percent":
        if spec.fractions == "scale":
            scaled = number * _HUNDRED
            problem = spec.domain.problem(scaled, "%")
            if problem is not None:
                # Say how the number was read: 90 typed for 90 % is 9000 % under this policy.
                raise ValueError(
                    f"输入“{spec.label}”按小数填写，{fmt(number)} 即 {fmt(scaled)}%：{problem}；"
                    f"若是 {fmt(number)}%，请写 {fmt(number / _HUNDRED)} 或 \"{fmt(number)}%\""
                )
            return InputReading(scaled, Conversion(spec.id, fmt(number), scaled, "%"))
        if spec.fractions == "question" and 0 < number <= 1 and spec.domain.contains(number * _HUNDRED):
            _check_domain(spec, number)
            return InputReading(number, question=number * _HUNDRED)
    _check_domain(spec, number)
    return InputReading(number)


def _check_domain(spec: InputSpec, number: Decimal) -> None:
    problem = spec.domain.problem(number, spec.unit)
    if problem is not None:
        raise ValueError(f"输入“{spec.label}”{problem}")
