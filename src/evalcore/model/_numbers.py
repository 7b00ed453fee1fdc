"""Decimal numbers, units and rounding: every figure evalcore touches passes through here."""

from __future__ import annotations

import decimal
import re
import unicodedata
from decimal import Decimal
from typing import Any

from attrs import field
from attrs.validators import in_, instance_of

from ._records import frozen

__all__ = [
    "CONTEXT",
    "ROUNDING_MODES",
    "ROUNDING_WORDS",
    "UNITS",
    "NumberTextError",
    "Rounding",
    "Unit",
    "checked",
    "convert",
    "fmt",
    "normalize_text",
    "number_problem",
    "parse_number",
    "parse_quantity",
    "rounding_context",
    "scientific",
    "to_decimal",
]

# Python's decimal names for the rounding rules a framework may declare.
ROUNDING_MODES: dict[str, str] = {
    "half-up": decimal.ROUND_HALF_UP,  # 四舍五入, the default of every seed document
    "half-even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,  # 截尾
    "up": decimal.ROUND_UP,
}
# How each rounding rule is said in Chinese.
ROUNDING_WORDS = {"half-up": "四舍五入", "half-even": "四舍六入五成双", "down": "截尾", "up": "进一"}

# Enough precision that no ratio of money figures loses a digit that rounding could see.
CONTEXT = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_UP,
    Emin=-999,
    Emax=999,
    traps=[decimal.DivisionByZero, decimal.InvalidOperation, decimal.Overflow],
)


_QUANTA = [Decimal(1).scaleb(-places) for places in range(7)]


@frozen
class Rounding:
    """How a framework rounds: places after the point and the rule (default 四舍五入)."""

    places: int = field(default=2, validator=instance_of(int))
    mode: str = field(default="half-up", validator=in_(ROUNDING_MODES))
    value_places: int = field(default=2, validator=instance_of(int))  # measured values (83.78%) keep their own precision, whatever the scores'
    quantum: Decimal = field(init=False, eq=False, repr=False)
    value_quantum: Decimal = field(init=False, eq=False, repr=False)
    # Every indicator of every unit rounds twice: a context carrying the rounding rule takes its
    # arguments positionally, which is measurably faster than quantize(..., rounding=, context=).
    context: decimal.Context = field(init=False, eq=False, repr=False)

    @places.validator
    @value_places.validator
    def _check_places(self, attr: Any, value: int) -> None:
        if not 0 <= value <= 6:
            raise ValueError(f"{attr.name} must be between 0 and 6")

    @quantum.default
    def _quantum(self) -> Decimal:
        return _QUANTA[self.places]

    @value_quantum.default
    def _value_quantum(self) -> Decimal:
        return _QUANTA[self.value_places]

    @context.default
    def _context(self) -> decimal.Context:
        return rounding_context(ROUNDING_MODES[self.mode])

    def apply_value(self, value: Decimal) -> Decimal:
        return self.context.quantize(value, self.value_quantum)

    def apply(self, value: Decimal) -> Decimal:
        return self.context.quantize(value, self.quantum)

    def explain(self, score: Decimal, rounded: Decimal) -> str:
        """The trace line saying how a score was rounded to the points a reviewer sees."""
        return f"得分 {fmt(score, self.places + 4)} 按保留 {self.places} 位小数（{ROUNDING_WORDS[self.mode]}）计 {fmt(rounded)} 分"


def rounding_context(mode: str) -> decimal.Context:
    """evalcore's decimal context with another rounding rule (a ROUND_* name)."""
    context = CONTEXT.copy()
    context.rounding = mode
    return context


@frozen
class Unit:
    """A unit of measure: its family (what it can convert to) and its factor within the family."""

    name: str
    family: str
    factor: Decimal


def _units(family: str, **factors: int) -> dict[str, Unit]:
    return {name: Unit(name, family, Decimal(f)) for name, f in factors.items()}


UNITS: dict[str, Unit] = {
    **_units("money", 元=1, 万元=10_000, 亿元=100_000_000),
    **_units("people", 人=1, 万人=10_000),
    **_units("person-times", 人次=1, 万人次=10_000),
    **_units("percent", **{"%": 1, "百分比": 1, "百分点": 1}),
}
for _name in ("次", "个", "份", "台", "项", "件", "例", "户", "场", "场次", "条", "批次", "辆", "天", "月", "年", "家", "所", "套"):
    UNITS[_name] = Unit(_name, _name, Decimal(1))
# 万 is a common prefix on counts (万户, 万份): keep it exact rather than guessing.
for _name in ("户", "份", "次", "个", "件", "条"):
    UNITS["万" + _name] = Unit("万" + _name, _name, Decimal(10_000))

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
# A number as typed, before its commas are judged: sign, digits, commas and points, one digit at least.
_TYPED = r"[+-]?(?=[.,]*\d)[\d.,]+"
_QUANTITY = re.compile(rf"^({_TYPED})\s*(\S*)$")
# Thousands separators: groups of exactly three digits, before the decimal point only.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_SPACED = re.compile(r"^[+-]?\d+(?:\s+\d+)+")
_DIGIT_GAP = re.compile(r"(?<=\d)\s+(?=\d)")
_SCIENTIFIC = re.compile(r"^[+-]?(?:[\d,]+(?:\.[\d,]*)?|\.\d+)[eE][+-]?\d+")


class NumberTextError(ValueError):
    """A number typed with a comma that is not a thousands separator ("1,23", ",5", "1.234,5"): the
    message is Chinese and says what the number could be, because evalcore does not guess."""


def number_problem(exc: BaseException) -> str:
    """What a NumberTextError explains, as a clause to add to a message ("：…"); "" for any other error."""
    return f"：{exc}" if isinstance(exc, NumberTextError) else ""


def normalize_text(text: str) -> str:
    """Full-width digits, signs and spaces typed by an input method become their ASCII forms, and
    so does the minus sign (U+2212) that Word and WPS put in copied figures."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u3000", " ").replace("\u2212", "-").strip()


def scientific(text: str) -> bool:
    """Whether a text starts with a number in scientific notation ("3.7e1"), which evalcore refuses."""
    return _SCIENTIFIC.match(normalize_text(text)) is not None


def checked(number: Decimal) -> Decimal:
    """A number evalcore will compute with: finite, and within what budgets and rates need."""
    if not number.is_finite() or (number != 0 and not -12 <= number.adjusted() <= 15):
        raise ValueError(f"number out of range: {number}")
    return number


def to_decimal(value: object) -> Decimal:
    """A TOML number or numeric string as an exact Decimal; floats go through their shortest repr."""
    if isinstance(value, bool):
        raise TypeError("bool is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return checked(Decimal(value))
    if isinstance(value, float):
        # repr gives the shortest string that round-trips, i.e. what the author typed.
        return checked(Decimal(repr(value)))
    if isinstance(value, str):
        return checked(parse_number(value))
    raise TypeError(f"not a number: {value!r}")


def parse_number(text: str) -> Decimal:
    """A bare number typed as text: "21 ", "３.５", "1,234.5", "−5"; ValueError otherwise, and
    NumberTextError for a comma that is not a thousands separator."""
    cleaned = normalize_text(text)
    if not re.fullmatch(_TYPED, cleaned):
        raise ValueError(f"not a number: {text!r}")
    return Decimal(_ungrouped(cleaned, text))


def parse_quantity(text: str) -> tuple[Decimal, str | None]:
    """A number with an optional unit: "515元" -> (515, "元"), "95%" -> (95, "%"), "37" -> (37, None),
    "1,234.5万元" -> (1234.5, "万元"); NumberTextError for a comma that is not a thousands separator."""
    normal = normalize_text(text)
    if _SPACED.match(normal):
        # "1 000万元": a space between digits is no unit, and may or may not group thousands.
        joined = _DIGIT_GAP.sub("", normal)
        raise NumberTextError(f"数字“{normal}”中间有空格：如果是千位分隔，请去掉空格（写作 {joined}）")
    match = _QUANTITY.match(normal)
    if not match:
        raise ValueError(f"not a quantity: {text!r}")
    number, unit = match.groups()
    return checked(Decimal(_ungrouped(number, text))), (unit or None)


def _ungrouped(number: str, text: str) -> str:
    """A typed number without its thousands separators, checked to be a plain number."""
    if "," in number:
        if not _GROUPED.fullmatch(number):
            raise NumberTextError(_comma_problem(number))
        number = number.replace(",", "")
    if not re.fullmatch(_NUMBER, number):
        raise ValueError(f"not a number: {text!r}")
    return number


def _comma_problem(number: str) -> str:
    """Why a comma in a typed number is refused, and what the number could be, in Chinese."""
    sign = number[0] if number[0] in "+-" else ""
    body = number[len(sign):]
    if body.endswith(","):
        return f"数字“{number}”以逗号结尾：请去掉逗号"
    fix = "请去掉逗号，小数用小数点写"
    if "." in body and body.rindex(",") > body.index("."):
        european = sign + body.replace(".", "").replace(",", ".")
        return f"数字“{number}”在小数点之后还有逗号：可能是以逗号作小数点的 {european}，无法确定；{fix}"
    readings = []
    if body.count(",") == 1 and "." not in body:
        readings.append(sign + ("0" if body.startswith(",") else "") + body.replace(",", "."))
    plain = body.replace(",", "")
    if re.fullmatch(_NUMBER, plain):
        readings.append(sign + ("0" if plain.startswith(".") else "") + plain)
    if len(readings) == 2:
        could = f"可能是 {readings[0]}，也可能是 {readings[1]}"
    else:
        could = f"不能确定是否为 {readings[0]}" if readings else "无法确定是哪个数"
    return f"数字“{number}”中的逗号不是千位分隔符（千位分隔符每三位一组，如 1,234 或 1,234.5）：{could}；{fix}"


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Exact conversion within one family; ValueError when the units cannot convert."""
    if from_unit == to_unit:
        return value
    source, target = UNITS.get(from_unit), UNITS.get(to_unit)
    if source is None or target is None or source.family != target.family:
        raise ValueError(f"cannot convert {from_unit} to {to_unit}")
    return (value * source.factor / target.factor).normalize(CONTEXT) + Decimal(0)


def fmt(value: Decimal | None, places: int | None = None) -> str:
    """A Decimal as a person writes it: no exponent, no trailing zeros ("83.78", "2", "0.0515")."""
    if value is None:
        return "—"
    if places is not None:
        quantum = _QUANTA[places] if places < len(_QUANTA) else Decimal(1).scaleb(-places)
        value = value.quantize(quantum, rounding=decimal.ROUND_HALF_UP, context=CONTEXT)
    # str() is the fast path; it only falls back to exponent form for very large or small numbers.
    text = str(value)
    if "E" in text:
        text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        return "0"
    return text


def written_bare(raw: object) -> bool:
    """A figure written as a plain number, without a unit or %: 1, 0.9925, "0.98" (1 may mean 100%)."""
    if isinstance(raw, str):
        try:
            return parse_quantity(raw)[1] is None
        except (ValueError, TypeError):
            return False
    return not isinstance(raw, bool) and isinstance(raw, (int, float, Decimal))
