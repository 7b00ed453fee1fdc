"""The terminal table lays out its rows itself (every cell is wrapped to its column already):
what it draws must be what rich's own table draws for the same cells, characters and styles."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from evalcore import FormatOptions, evaluate, get_registry
from evalcore.load import read_data_file, unit_data
from evalcore.outputs._table import _grid, drawn, printed, table_page

from .conftest import EXAMPLES
from .strategies import table_cells

HEADS = ("指标", "分值", "得分", "自评", "计分依据")
RIGHT = {1, 2, 3}


def console(buffer: io.StringIO, color: bool) -> Console:
    return Console(file=buffer, width=200, color_system="standard" if color else None, force_terminal=color, no_color=not color, highlight=False, emoji=False, soft_wrap=False, legacy_windows=False)


def by_rich(widths: list[int], rows: list[tuple[list[tuple[str, str]], str]], glyphs: box.Box, color: bool) -> str:
    table = Table(box=glyphs, show_edge=False, pad_edge=False, padding=(0, 1), expand=False, collapse_padding=False)
    for column, (head, width) in enumerate(zip(HEADS, widths)):
        table.add_column(head, width=width, no_wrap=True, justify="right" if column in RIGHT else "left")
    for cells, style in rows:
        table.add_row(*(Text(text, style=own) for text, own in cells), style=style)
    buffer = io.StringIO()
    console(buffer, color).print(table)
    return buffer.getvalue()


def by_grid(widths: list[int], rows: list[tuple[list[tuple[str, str]], str]], glyphs: box.Box, color: bool) -> str:
    buffer = io.StringIO()
    cells = [([Text(text, style=own) for text, own in row], style) for row, style in rows]
    console(buffer, color).print(_grid(HEADS, widths, RIGHT, cells, glyphs), no_wrap=True)
    return buffer.getvalue()


def styled(text: str) -> list[tuple[str, str]]:
    """Each character with the colour codes in force: the same page, however the codes are grouped."""
    out: list[tuple[str, str]] = []
    style = ""
    for token in re.split(r"(\x1b\[[0-9;]*m)", text):
        if token.startswith("\x1b["):
            style = "" if token == "\x1b[0m" else token
        else:
            out.extend((character, style if character != "\n" else "") for character in token)
    return out


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[int], list[tuple[list[tuple[str, str]], str]]]:
    widths = [draw(st.integers(4, 24)), 4, 6, 6, draw(st.integers(12, 40))]
    return widths, draw(st.lists(table_cells(widths), min_size=1, max_size=4))


@settings(max_examples=150, deadline=None)
@given(tables(), st.sampled_from([box.SIMPLE_HEAD, box.ASCII2]), st.booleans())
def test_the_table_is_drawn_as_rich_draws_it(table: tuple[list[int], list[tuple[list[tuple[str, str]], str]]], glyphs: box.Box, color: bool) -> None:
    widths, rows = table
    expected, drawn = by_rich(widths, rows, glyphs, color), by_grid(widths, rows, glyphs, color)
    if color:
        assert styled(drawn) == styled(expected)
    else:
        assert drawn == expected


@pytest.mark.parametrize("width", [40, 55, 69, 70, 80, 101, 160])
@pytest.mark.parametrize("ascii_only", [False, True], ids=["lines", "ascii"])
def test_a_plain_page_is_what_richs_console_writes_for_it(width: int, ascii_only: bool) -> None:
    """Without colour the page's text is printed without rich's console: every line is within the
    width already, so the console would write exactly that text."""
    registry = get_registry()
    for path in sorted(EXAMPLES.rglob("*.toml")):
        file = read_data_file(path)
        framework = registry.framework(file.framework_id)
        options = FormatOptions(width=width, ascii=ascii_only)
        page = table_page(evaluate(framework, unit_data(file, framework)), options)
        assert printed(page, options) == drawn(page, options), path.name
    tabbed = [Text("甲\t乙"), Text("合计\t100")]
    assert printed(tabbed, FormatOptions(width=80)) == drawn(tabbed, FormatOptions(width=80))
