"""Target and actual values of project target forms (年度指标值 / 实际完成值), read as data.

Grammar (after full-width characters are normalised):
    target  := [direction] quantity | quantity ("-" | "--" | "—" | "~" | "至") quantity | period | text
    direction := ≥ >= 不低于 不少于 ＞ > 大于 高于 | ≤ <= 不高于 不超过 不多于 ＜ < 小于 低于 | = ＝ 等于
    quantity := number [unit]          (units from evalcore's unit table, e.g. 万人, 元, %, 百分比)
    number  := digits, with thousands separators in groups of three ("1,000"); any other comma
               ("1,23", "1.234,5") is an error saying what the number could be
    period  := 2020年全年 | 2021年 | 2021年1月-2021年12月 | 2020年12月底前 …
A text with a digit that fits none of these is an error, never a guess; a text without digits is a
qualitative target (稳步提升, 长期, 正常运行).
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import UNITS, Actual, NumberTextError, Target, convert, normalize_text, parse_number, scientific

__all__ = ["DIRECTION_WORDS", "TargetError", "parse_actual", "parse_target"]


class TargetError(ValueError):
    """A target or actual text that cannot be read; the message is Chinese."""


_GE = ("≥", ">=", "不低于", "不少于", "大于等于")
_GT = (">", "大于", "高于", "超过")
_LE = ("≤", "<=", "不高于", "不超过", "不多于", "小于等于")
_LT = ("<", "小于", "低于")
_EQ = ("=", "等于")
_PREFIXES = sorted(((p, d) for ps, d in ((_GE, "≥"), (_LE, "≤"), (_GT, ">"), (_LT, "<"), (_EQ, "=")) for p in ps), key=lambda x: -len(x[0]))

# Digits, points and commas: the commas are judged when the number is read (parse_number).
_NUMBER = r"(?=[.,]*\d)[\d.,]+"
_UNIT_NAMES = sorted(UNITS, key=len, reverse=True)
_UNIT = "|".join(re.escape(u) for u in _UNIT_NAMES)
_QUANTITY = re.compile(rf"^([+-]?{_NUMBER})\s*({_UNIT})?$")
_RANGE = re.compile(rf"^({_NUMBER})\s*({_UNIT})?\s*(?:--|-|—|–|~|～|至|到)\s*({_NUMBER})\s*({_UNIT})?$")
_PERIOD = re.compile(r"^\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:全年|底前|底|前|内|年底前)?(?:\s*(?:-|--|—|至|到)\s*\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底|底前)?)?$")
DIRECTION_WORDS = {"≥": "不低于", ">": "高于", "≤": "不高于", "<": "低于", "=": "等于", "range": "介于", "period": "按期", "text": "定性"}


_DIGIT_GAP = re.compile(r"\d\s+\d")


def _clean(text: str) -> str:
    text = normalize_text(text)
    if _DIGIT_GAP.search(text):
        # "98 5%" or "1 000人": a space between digits may or may not join them; never guessed.
        joined = re.sub(r"(?<=\d)\s+(?=\d)", "", text)
        raise TargetError(f"“{text}”的数字中间有空格：如果是千位分隔，请去掉空格（写作 {joined}）；否则请改正")
    text = text.replace("百分比", "%").replace(" ", "")
    return text.replace("％", "%")


_SUFFIXES = (("及以上", "≥"), ("（含）以上", "≥"), ("(含)以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("（含）以下", "≤"), ("(含)以下", "≤"), ("以下", "≤"))


def _number(text: str) -> Decimal | None:
    """A number of a target or actual; None when the digits and points make none ("2021.12.31")."""
    try:
        return parse_number(text)
    except NumberTextError as exc:
        raise TargetError(str(exc)) from None  # a comma that is not a thousands separator
    except ValueError:
        return None


def _direction(text: str) -> tuple[str | None, str]:
    for prefix, direction in _PREFIXES:
        if text.startswith(prefix):
            return direction, text[len(prefix):].strip()
    # "95%以上" / "2万元以下": in Chinese rules 以上/以下 include the number itself.
    for suffix, direction in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return direction, text[: -len(suffix)].strip()
    return None, text


def parse_target(text: str) -> Target:
    """Read a 年度指标值. Raises TargetError for text with numbers that fits no form."""
    raw = str(text).strip()
    cleaned = _clean(raw)
    if not cleaned:
        raise TargetError("指标值为空：请填写年度指标值，没有此项指标的写“无”")
    if _PERIOD.match(cleaned):
        return Target(raw, "period")
    direction, rest = _direction(cleaned)
    match = _QUANTITY.match(rest)
    if match and (value := _number(match.group(1))) is not None:
        # No sign: the form's category decides (成本指标 ≤, others ≥); see the target-form scorer.
        return Target(raw, "quantity", direction, value, unit=match.group(2))
    match = _RANGE.match(rest) if direction is None else None
    low_value = _number(match.group(1)) if match else None
    high_value = _number(match.group(3)) if match else None
    if match and low_value is not None and high_value is not None:
        _, low_unit, _, high_unit = match.groups()
        unit = high_unit or low_unit
        if low_unit and high_unit and low_unit != high_unit:
            try:
                low_value = convert(low_value, low_unit, high_unit)
            except ValueError:
                raise TargetError(f"区间“{raw}”两端的单位“{low_unit}”“{high_unit}”不能互相换算") from None
        if low_value > high_value:
            raise TargetError(f"区间“{raw}”的下限大于上限")
        return Target(raw, "range", None, low=low_value, high=high_value, unit=unit)
    if re.search(r"\d", cleaned):
        raise TargetError(
            f"无法识别指标值“{raw}”：应为“≥95%”“1--1.2万人”“≤2万元”“100元”这样的数值，“2020年全年”这样的期限，或不含数字的定性描述"
        )
    return Target(raw, "text")


def parse_actual(text: str, target: Target) -> Actual:
    """Read a 实际完成值 against its target; a number is brought to the target's unit exactly."""
    raw = str(text).strip()
    cleaned = _clean(raw)
    if target.kind in ("period", "text"):
        return Actual(raw)
    direction, rest = _direction(cleaned)
    match = _QUANTITY.match(rest)
    value = _number(match.group(1)) if match else None
    if match is None or value is None:
        if scientific(rest):
            raise TargetError(f"实际完成值“{raw}”写成了科学计数法：请写成普通数字，如 96%")
        return Actual(raw)  # a word such as 完成 for a numeric target: flagged by the scorer
    unit = match.group(2)
    if unit is not None and target.unit is not None and unit != target.unit:
        try:
            value = convert(value, unit, target.unit)
        except ValueError:
            raise TargetError(f"实际完成值“{raw}”的单位“{unit}”不能换算为指标值的单位“{target.unit}”") from None
        unit = target.unit
    if value < 0 and not _admits_negative(target):
        raise TargetError(
            f"实际完成值“{raw}”是负数，而指标值“{target.text}”不是负数：人数、金额、计数和时间的完成值不能为负，"
            "负号多半是录入错误；请核对后改正"
        )
    bare = direction is None and match.group(2) is None
    return Actual(raw, value, unit or target.unit, bound=direction if direction not in (None, "=") else None, bare=bare)


def _admits_negative(target: Target) -> bool:
    """Whether a negative actual can be true: the target's own figures are negative ("≥-5%"), or it
    is a percentage, which may be a rate of change (收入增长率 ≥5% with a fall of 2%). Such a row
    goes to the evaluator (rules.TargetRule), never scored by a ratio nor taken as met."""
    return target.unit == "%" or any(figure is not None and figure < 0 for figure in (target.value, target.low, target.high))
