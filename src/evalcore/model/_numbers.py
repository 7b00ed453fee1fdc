"""Decimal numbers, units and rounding: every figure evalcore touches passes through here."""

from __future__ import annotations

import decimal
import re
import unicodedata
from decimal import Decimal
from typing import Any

from attrs import field, frozen
from attrs.validators import in_, instance_of

__all__ = [
    "CONTEXT",
    "ROUNDING_MODES",
    "ROUNDING_WORDS",
    "UNITS",
    "Rounding",
    "Unit",
    "checked",
    "convert",
    "fmt",
    "normalize_text",
    "parse_number",
    "parse_quantity",
    "rounding_context",
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
_QUANTITY = re.compile(rf"^({_NUMBER})\s*(\S*)$")


def normalize_text(text: str) -> str:
    """Full-width digits, signs and spaces typed by an input method become their ASCII forms."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u3000", " ").strip()


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
    """A bare number typed as text: "21 ", "３.５", "1,234.5"; raises ValueError otherwise."""
    cleaned = normalize_text(text).replace(",", "")
    if not re.fullmatch(_NUMBER, cleaned):
        raise ValueError(f"not a number: {text!r}")
    return Decimal(cleaned)


def parse_quantity(text: str) -> tuple[Decimal, str | None]:
    """A number with an optional unit: "515元" -> (515, "元"), "95%" -> (95, "%"), "37" -> (37, None)."""
    cleaned = normalize_text(text).replace(",", "")
    match = _QUANTITY.match(cleaned)
    if not match:
        raise ValueError(f"not a quantity: {text!r}")
    number, unit = match.groups()
    return checked(Decimal(number)), (unit or None)


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
        value = value.quantize(_QUANTA[places], rounding=decimal.ROUND_HALF_UP, context=CONTEXT)
    # str() is the fast path; it only falls back to exponent form for very large or small numbers.
    text = str(value)
    if "E" in text:
        text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        return "0"
    return text
