"""Number formats that make Excel show another number, or another unit, than the cell holds:
120000 in `0!.0000"万元"` shows as 12.0000万元, 108400 in `0,"千元"` as 108千元, 12 in
`0.00"元"` as 12.00元 in a row whose unit is 万元. Such a cell is not scored on a guess: the
reader reports what Excel shows beside what the cell holds, and asks for one of them.

A format shows the number as it is when its digits are the number's (no scaling comma, no literal
digits or dot among them) and any unit it writes is the unit the number is read in (万元 in a
万元 row). Percent formats are read as they show (`percent_shown`), and are not looked at here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ..model import UNITS, Unit

__all__ = ["format_changes_number", "format_section", "shown_otherwise"]

# Words that multiply a number: 12万 is 120000 in any family.
_MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000), "百": Decimal(100)}
_CURRENCY = ("¥", "￥")


@functools.cache
def _tokens() -> re.Pattern[str]:
    """The parts of a number format: quoted text, an escaped character (\\x, !x), a [..] part
    ([Red], [>100], [$¥-804]), spacing (_x) and fill (*x), a section break, and single characters."""
    return re.compile(r'"(?P<text>[^"]*)"|[\\!](?P<escaped>.)|\[(?P<bracket>[^\]]*)\]|[_*].|(?P<section>;)|(?P<char>.)', re.DOTALL)


def format_section(tokens: Iterable[re.Match[str]], value: float) -> tuple[int, list[re.Match[str]]]:
    """Which section of a number format Excel uses for `value` (0 positive, 1 negative, 2 zero) and
    its tokens, from a tokenizer whose "section" group matches the ";" between sections."""
    sections: list[list[re.Match[str]]] = [[]]
    for part in tokens:
        if part.group("section"):
            sections.append([])
        else:
            sections[-1].append(part)
    index = 1 if value < 0 and len(sections) > 1 else 2 if value == 0 and len(sections) > 2 else 0
    return index, sections[index]


def format_changes_number(number_format: str | None) -> bool:
    """Whether a number format may show a number otherwise than as it is: a scaling comma, text
    of its own, a %. A reader that does not keep every cell's format must keep these."""
    if not number_format or number_format == "General":
        return False
    for part in _tokens().finditer(number_format):
        char = part.group("char")
        if part.group("text") or part.group("escaped") or (part.group("bracket") or "").startswith("$") or char in ("%", "％", ","):
            return True
        if char is not None and not char.isascii():
            return True
    return False


def shown_otherwise(number_format: str | None, value: Any, unit: str | None, any_unit: bool = False) -> str | None:
    """What Excel shows for `value` when its format shows another number than the value, or a
    unit other than `unit` (the unit the number is read in; with `any_unit`, a number with no
    unit, a score or a count, whatever word the format adds); None when the format shows the
    number as it is, shows a %, or is not one worked out here (dates, fractions, exponents)."""
    if not format_changes_number(number_format) or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    assert number_format is not None
    index, parts = format_section(_tokens().finditer(number_format), value)
    chars = "".join(part.group("char") or "" for part in parts)
    if any(mark in chars for mark in ("%", "％", "/", "@")) or re.search(r"[EeyYmMdDhHsS]", chars):
        return None  # a percent (read as shown elsewhere), a fraction, text, an exponent or a date
    literal = "".join(_literal(part) for part in parts)
    digits_changed = _scaling(parts) or any(char.isdigit() or char in ".．" for char in literal)
    shown_unit = _unit_shown(literal)
    unit_changed = shown_unit is not None and not _same(shown_unit, unit) and not (any_unit and shown_unit[1] == 1)
    if not (digits_changed or unit_changed):
        return None
    try:
        return _render(parts, value, negative_section=index == 1)
    except (InvalidOperation, ValueError):
        return None


def _literal(part: re.Match[str]) -> str:
    """The text a part of a format writes as it is."""
    if part.group("text") is not None:
        return part.group("text")
    if part.group("escaped") is not None:
        return part.group("escaped")
    bracket = part.group("bracket")
    if bracket is not None:
        return bracket[1:].split("-")[0] if bracket.startswith("$") else ""
    char = part.group("char")
    return char if char is not None and char not in "0#?.," else ""


def _scaling(parts: list[re.Match[str]]) -> int:
    """How many commas divide the number by 1000: those that no digit placeholder of the integer
    part follows."""
    count = 0
    for position, part in enumerate(parts):
        if part.group("char") != ",":
            continue
        later = [other.group("char") for other in parts[position + 1 :] if other.group("char") in ("0", "#", "?", ".")]
        if not later or later[0] == ".":
            count += 1
    return count


def _unit_shown(literal: str) -> tuple[str, Decimal] | None:
    """The unit a format's text shows, as (family or "", factor): 万元, 元 (also ¥), 人, or a bare
    multiplier (万); None when it shows none."""
    text = literal.replace(" ", "")
    for name in sorted(UNITS, key=len, reverse=True):
        if name in text and name not in ("%", "百分比", "百分点"):
            unit: Unit = UNITS[name]
            return unit.family, unit.factor
    if any(symbol in text for symbol in _CURRENCY):
        return UNITS["元"].family, UNITS["元"].factor
    for word, factor in _MULTIPLIERS.items():
        if word in text:
            return "", factor
    return None


def _same(shown: tuple[str, Decimal], unit: str | None) -> bool:
    family, factor = shown
    if unit is None or unit not in UNITS:
        return False
    own = UNITS[unit]
    return (family in ("", own.family)) and factor == own.factor


def _render(parts: list[re.Match[str]], value: float, negative_section: bool) -> str:
    """The text Excel shows: the number divided by 1000 for each scaling comma, rounded to the
    format's decimals, its digits laid into the placeholders from the right with the format's text
    between them."""
    point = next((i for i, part in enumerate(parts) if part.group("char") == "."), len(parts))
    integer, fraction = parts[:point], parts[point + 1 :]
    places = sum(1 for part in fraction if part.group("char") in ("0", "#", "?"))
    number = abs(Decimal(str(value))) / (Decimal(1000) ** _scaling(parts))
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, decimals = f"{number:f}".partition(".")
    slots = [i for i, part in enumerate(integer) if part.group("char") in ("0", "#", "?")]
    grouped = any(part.group("char") == "," for part in integer[: slots[-1]]) if slots else False
    filled: dict[int, str] = {}
    rest = whole.lstrip("0")
    for slot in reversed(slots):
        if slot == slots[0]:
            filled[slot] = rest or ("0" if integer[slot].group("char") == "0" else "")
        else:
            filled[slot] = rest[-1:] or ("0" if integer[slot].group("char") == "0" else "")
            rest = rest[:-1]
    if grouped and slots:
        digits = "".join(filled[slot] for slot in slots)
        filled = {slot: "" for slot in slots}
        filled[slots[0]] = f"{int(digits):,}" if digits else ""
    out = ["-" if value < 0 and not negative_section else ""]
    for i, part in enumerate(integer):
        out.append(filled[i] if i in filled else _literal(part))
    if fraction or point < len(parts):
        out.append("." if places else "")
        digit = iter(decimals)
        for part in fraction:
            out.append(next(digit, "") if part.group("char") in ("0", "#", "?") else _literal(part))
    return "".join(out).strip()
