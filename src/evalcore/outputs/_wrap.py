"""Line wrapping for mixed Chinese and ASCII text in terminal cells.

A Chinese line may break between any two characters, never before closing punctuation and never
inside an ASCII word or number ("83.78%", "2.47万元"). Widths are terminal cells: a Chinese
character takes two.
"""

from __future__ import annotations

import functools
import re

from rich.cells import cell_len

__all__ = ["display_width", "text_lines", "wrap"]

_NO_LINE_START = set("，。；：、）》」』”’！？%,.;:)]}·…")
_NO_LINE_END = set("（《「『“‘([{")
_UNIT_CHARS = set("年月日元人次个份台项件例户分度号万亿%")
_NUMBER_WITH_UNIT = re.compile(r"\d[年月日元人次个份台项件例户分度号万亿%]*$")
_TOKEN = re.compile(r"[!-~]+|\s+|.", re.S)


def _tokens(text: str) -> list[str]:
    raw = _TOKEN.findall(text)
    merged: list[str] = []
    for token in raw:
        if merged and not token.isspace() and token[0] in _NO_LINE_START and not merged[-1].isspace():
            merged[-1] += token
        elif merged and merged[-1] and merged[-1][-1] in _NO_LINE_END and not token.isspace():
            merged[-1] += token
        elif merged and token in _UNIT_CHARS and _NUMBER_WITH_UNIT.search(merged[-1]):
            merged[-1] += token  # "2020年", "515元": a number and its unit stay on one line
        else:
            merged.append(token)
    return merged


def wrap(text: str, width: int) -> list[str]:
    """Wrap each line of `text` to at most `width` cells (a single over-wide word is folded)."""
    width = max(width, 2)
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        used = 0
        for token in _tokens(paragraph):
            size = cell_len(token)
            if token.isspace():
                if line and used + size <= width:
                    line += token
                    used += size
                continue
            if used + size <= width:
                line += token
                used += size
                continue
            if line.strip():
                out.append(line.rstrip())
            line, used = "", 0
            while cell_len(token) > width:  # fold a word longer than the whole cell
                cut = 0
                while cell_len(token[: cut + 1]) <= width:
                    cut += 1
                out.append(token[:cut])
                token = token[cut:]
            line, used = token, cell_len(token)
        out.append(line.rstrip())
    return out


def display_width(text: str) -> int:
    """Terminal (or spreadsheet) columns a text takes: a Chinese character takes two."""
    return cell_len(text)


@functools.lru_cache(maxsize=8192)
def text_lines(text: str, width: float) -> int:
    """How many lines a text needs in a cell `width` columns wide (for row heights). Kept for the
    texts seen last: a batch draws the same rules and headings for every unit of a framework."""
    usable = max(int(width) - 1, 2)
    return sum(len(wrap(part, usable)) if part else 1 for part in text.split("\n"))
