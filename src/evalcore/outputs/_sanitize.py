"""Text on its way into a workbook or document: the one sanitiser every xlsx and docx writer uses.

A unit's data may hold characters that no Office file can carry (a bell, a form feed, pasted from
another system): openpyxl and python-docx refuse them, so one bad name would cost a unit its 评分表
and a batch its 汇总.xlsx. They are removed, and each removal is recorded so that the command can
say where it happened. A cell's text that starts like a formula (= + - @) is stored as text: the
reviewer's Excel shows it as typed and never runs it, without an apostrophe that would print.

Removals are collected by `removed_characters()`, a context in which a command renders one file;
outside one, text is cleaned all the same and nothing is recorded.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterator
from typing import Any

from ..model import frozen

__all__ = ["FORMULA_START", "Removal", "clean_text", "put_text", "removal_lines", "removed_characters"]

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone surrogates and
# the two non-characters XML forbids.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What makes a spreadsheet read a typed value as a formula.
FORMULA_START = ("=", "+", "-", "@")


@frozen
class Removal:
    """Control characters removed from one piece of text: where (a cell such as 评分表!B3, or a
    part of a document), the text as written, and the characters removed."""

    where: str
    text: str
    characters: tuple[str, ...]

    @property
    def codes(self) -> str:
        """The removed characters as a person can read them: U+0007、U+001B."""
        return "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in self.characters))

    def message(self) -> str:
        shown = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        return f"{self.where}：“{shown}”中的控制字符 {self.codes} 已删除"


def removal_lines(removals: list[Removal]) -> list[str]:
    """One line per text that lost characters, naming the places it was written (a unit's name
    fills many cells: it is reported once)."""
    places: dict[tuple[str, str], list[str]] = {}
    for removal in removals:
        places.setdefault((removal.text, removal.codes), []).append(removal.where)
    lines = []
    for (text, codes), wheres in places.items():
        shown = text if len(text) <= 40 else text[:39] + "…"
        where = "、".join(wheres[:3]) + (f" 等 {len(wheres)} 处" if len(wheres) > 3 else "")
        lines.append(f"“{shown}”中的控制字符 {codes} 已删除（{where}）")
    return lines


_REMOVALS: contextvars.ContextVar[list[Removal] | None] = contextvars.ContextVar("evalcore_removals", default=None)


@contextlib.contextmanager
def removed_characters() -> Iterator[list[Removal]]:
    """Collect the removals made while rendering inside the block, in order, each place once; an
    enclosing block collects them too."""
    found: list[Removal] = []
    token = _REMOVALS.set(found)
    try:
        yield found
    finally:
        _REMOVALS.reset(token)
        outer = _REMOVALS.get()
        if outer is not None:
            outer.extend(removal for removal in found if removal not in outer)


def clean_text(text: str, where: str) -> str:
    """`text` without control characters; a removal is recorded under `where`."""
    if not _CONTROL.search(text):
        return text
    removed = tuple(_CONTROL.findall(text))
    cleaned = _CONTROL.sub("", text)
    found = _REMOVALS.get()
    if found is not None:
        removal = Removal(where, cleaned, removed)
        if removal not in found:
            found.append(removal)
    return cleaned


def put_text(cell: Any, value: object) -> None:
    """Set an openpyxl cell's value: text cleaned of control characters and always stored as text,
    so that "=A1" or "-1" typed by a unit stays what it was; other values as they are."""
    if not isinstance(value, str):
        cell.value = value
        return
    text = clean_text(value, f"{cell.parent.title}!{cell.coordinate}")
    cell.value = text
    # openpyxl makes any string starting with "=" a formula; a text cell is shown as typed.
    cell.data_type = "s"
