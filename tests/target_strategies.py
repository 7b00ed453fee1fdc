"""Hypothesis strategies for target values (年度指标值) and actuals (实际完成值) of target forms.

Each strategy draws what a finance officer types — a direction word, a number, a unit, the way
they are spelt on the forms (≥ / 不低于 / 大于等于, 95% / 95百分比 / ９５％, 1--1.2万人 / 1至1.2万人)
— together with the test's own reading of it (`TargetCase`): kind, direction sign, bounds in the
unit the parser must report, and that unit. Expectations are never obtained from evalcore.

The grammar is the one documented in evalcore._targets:
    target    := [direction] quantity | quantity SEP quantity | period | text
    quantity  := number [unit]
Units come from evalcore's unit table (the families that convert: 元/万元/亿元, 人/万人, …).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st

from evalcore.model import UNITS

__all__ = [
    "DIRECTION_SPELLINGS",
    "FAMILIES",
    "QUALITATIVE_ALPHABET",
    "SEPARATORS",
    "TargetCase",
    "canonical_unit",
    "factor",
    "fullwidth",
    "number_text",
    "numbers",
    "period_targets",
    "qualitative_texts",
    "quantity_targets",
    "range_targets",
    "same_family_units",
    "targets",
    "unreadable_targets",
]

D = Decimal

# How each direction is written on the forms (the sign the parser must report is the key).
DIRECTION_SPELLINGS: dict[str, tuple[str, ...]] = {
    "≥": ("≥", ">=", "不低于", "不少于", "大于等于"),
    ">": (">", "＞", "大于", "高于", "超过"),
    "≤": ("≤", "<=", "不高于", "不超过", "不多于", "小于等于"),
    "<": ("<", "＜", "小于", "低于"),
    "=": ("=", "＝", "等于"),
}

# Range separators as typed: 1--1.2万人, 1-1.2, 1—1.2, 1–1.2, 1~1.2, 1～1.2, 1至1.2, 1到1.2
SEPARATORS = ("--", "-", "—", "–", "~", "～", "至", "到", "－")

# 年 is left out: "2021年" is a period (年度), not 2021 years, and the parser reads it so.
# 百分比 is spelt as a unit but reported as %.
_SKIP = {"年"}
FAMILIES: dict[str, tuple[str, ...]] = {}
for _name, _unit in UNITS.items():
    if _name not in _SKIP:
        FAMILIES.setdefault(_unit.family, ())
        FAMILIES[_unit.family] += (_name,)

UNIT_NAMES: tuple[str, ...] = tuple(name for names in FAMILIES.values() for name in names)


def canonical_unit(name: str | None) -> str | None:
    """The unit the parser reports for a unit as spelt: 百分比 and ％ are %."""
    if name in ("百分比", "％"):
        return "%"
    return name


def factor(name: str) -> Fraction:
    """The unit's size within its family (万人 = 10000 人)."""
    return Fraction(UNITS["%" if name == "％" else name].factor)


def same_family_units(name: str) -> tuple[str, ...]:
    return FAMILIES[UNITS[name].family]


_FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def fullwidth(text: str) -> str:
    """Digits, point and percent as a Chinese input method types them (NFKC brings them back)."""
    return text.translate(_FULLWIDTH)


def number_text(value: Decimal) -> str:
    """A non-negative Decimal as the forms write it: "95", "1.2", "0.37" (no exponent, no sign)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def numbers(max_value: int = 100000, places: int = 3) -> st.SearchStrategy[Decimal]:
    """Non-negative figures with up to `places` places, as targets and actuals carry them."""
    return st.integers(0, places).flatmap(
        lambda p: st.decimals(min_value=0, max_value=max_value, places=p, allow_nan=False, allow_infinity=False)
    )


@dataclass(frozen=True)
class TargetCase:
    """A target as typed and as it must be read: kind, sign, bounds (in `unit`) and unit."""

    text: str
    kind: str
    direction: str | None = None
    value: Decimal | None = None
    low: Fraction | None = None
    high: Fraction | None = None
    unit: str | None = None


def _spaced(draw: st.DrawFn, parts: Sequence[str]) -> str:
    """Join with optional spaces between parts (never inside a number): "≥ 95 %"."""
    out = parts[0]
    for part in parts[1:]:
        out += draw(st.sampled_from(["", "", " "])) + part
    return out


@st.composite
def quantity_targets(draw: st.DrawFn, directions: Sequence[str | None] = (None, "≥", ">", "≤", "<", "=")) -> TargetCase:
    """[direction] number [unit]: "≥95%", "不低于 95 百分比", "2万元", "１００元"."""
    direction = draw(st.sampled_from(list(directions)))
    value = draw(numbers())
    unit = draw(st.none() | st.sampled_from(list(UNIT_NAMES) + ["％"]))
    parts = []
    if direction is not None:
        parts.append(draw(st.sampled_from(DIRECTION_SPELLINGS[direction])))
    number = number_text(value)
    parts.append(fullwidth(number) if draw(st.booleans()) else number)
    if unit is not None:
        parts.append(unit)
    text = _spaced(draw, parts)
    return TargetCase(text, "quantity", direction, value, unit=canonical_unit(unit))


@st.composite
def range_targets(draw: st.DrawFn) -> TargetCase:
    """low SEP high with the unit on both sides, on the high side only, or the low bound written
    in another unit of the same family ("0.5万人-6000人"): low ≤ high once converted."""
    family = draw(st.sampled_from(sorted(FAMILIES)))
    high_unit = draw(st.sampled_from(FAMILIES[family]))
    placement = draw(st.sampled_from(["both", "high", "low", "none", "other"]))
    low_unit = high_unit
    if placement == "other":
        low_unit = draw(st.sampled_from(FAMILIES[family]))
    high = draw(numbers())
    # the low bound, in its own unit, no larger than high once brought to the high unit
    low_in_high = Fraction(draw(st.decimals(min_value=0, max_value=high, places=3, allow_nan=False, allow_infinity=False)))
    low_exact = low_in_high * factor(high_unit) / factor(low_unit)
    low = D(low_exact.numerator) / D(low_exact.denominator)  # exact: factors are powers of ten
    assert Fraction(low) == low_exact
    low_text, high_text = number_text(low), number_text(high)
    separator = draw(st.sampled_from(SEPARATORS))
    left = [low_text] + ([low_unit] if placement in ("both", "low", "other") else [])
    right = [high_text] + ([high_unit] if placement in ("both", "high", "other") else [])
    text = _spaced(draw, left + [separator] + right)
    unit = None if placement == "none" else canonical_unit(high_unit)
    # Only "other" writes the low bound in another unit; the parser brings it to the high unit.
    return TargetCase(text, "range", None, low=low_in_high, high=Fraction(high), unit=unit)


@st.composite
def period_targets(draw: st.DrawFn) -> TargetCase:
    """期限: 2020年全年, 2021年, 2021年1月-2021年12月, 2020年12月底前, 2023年6月30日前."""
    year = draw(st.integers(2000, 2099))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    forms = [
        f"{year}年",
        f"{year}年全年",
        f"{year}年底前",
        f"{year}年{month}月底前",
        f"{year}年{month}月{day}日前",
        f"{year}年{month}月",
        f"{year}年1月-{year}年{month}月",
        f"{year}年1月至{year}年12月底",
        f"{year}年{month}月内",
    ]
    return TargetCase(draw(st.sampled_from(forms)), "period")


QUALITATIVE_ALPHABET = "稳步提升长期正常运行发放到位按各主管局要求增强服务窗口对外形象明显改善逐年提高有效保障、，。；：（）“”优良好无所有全部" + "abcXYZ"


def qualitative_texts() -> st.SearchStrategy[str]:
    """Text without digits (稳步提升, 长期, 正常运行): a qualitative target."""
    return st.text(alphabet=QUALITATIVE_ALPHABET, min_size=1, max_size=40).filter(lambda t: t.strip() != "")


def targets() -> st.SearchStrategy[TargetCase]:
    """Any numeric target in the grammar (quantity or range)."""
    return st.one_of(quantity_targets(), range_targets())


# Digits with words around them that the grammar has no reading for. Each is something a form
# really says (米易 附件1: "全年会议2次，每次培训乡镇负责人11人"); none may be guessed.
_PREFIX_WORDS = ("约", "大约", "近", "全年会议", "印刷资料", "力争", "确保", "每次培训乡镇负责人")
_SUFFIX_WORDS = ("左右", "以内", "余", "多", "人左右", "，每次11人", "（含）", "元/人.年")  # 以上/以下 are part of the grammar


@st.composite
def unreadable_targets(draw: st.DrawFn) -> str:
    """Text with a number that fits none of the target forms: "约2万人", "2万人左右", "2次，每次11人"."""
    number = number_text(draw(numbers(1000, 2)))
    unit = draw(st.none() | st.sampled_from(list(UNIT_NAMES)))
    body = number + (unit or "")
    shape = draw(st.sampled_from(["prefix", "suffix", "both", "two-numbers"]))
    if shape == "prefix":
        return draw(st.sampled_from(_PREFIX_WORDS)) + body
    if shape == "suffix":
        return body + draw(st.sampled_from(_SUFFIX_WORDS))
    if shape == "both":
        return draw(st.sampled_from(_PREFIX_WORDS)) + body + draw(st.sampled_from(_SUFFIX_WORDS))
    other = number_text(draw(numbers(1000, 0)))
    return f"{body}，{draw(st.sampled_from(_PREFIX_WORDS))}{other}{unit or '人'}"

