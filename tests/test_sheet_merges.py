"""Merges (evalcore.outputs.sheet) leaves a worksheet as openpyxl's ws.merge_cells does: the same
cells, the same styles and the same entries in the workbook's style lists, in every workbook."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Side
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from evalcore.outputs.sheet import BORDER, HEADER_FILL, NOTE_FILL, Merges, font, workbook

THICK = Side(style="thick", color="FF0000")
STYLES: dict[str, Callable[[Worksheet, int, int], None]] = {
    "bordered": lambda ws, r, c: setattr(ws.cell(row=r, column=c), "border", BORDER),
    "header": lambda ws, r, c: _set(ws, r, c, border=BORDER, fill=HEADER_FILL, font=font(bold=True), alignment=Alignment(horizontal="center", wrap_text=True)),
    "note": lambda ws, r, c: _set(ws, r, c, border=BORDER, fill=NOTE_FILL, font=font(9, color="C00000")),
    "thick bottom": lambda ws, r, c: _set(ws, r, c, border=Border(bottom=THICK, right=THICK)),
    "plain": lambda ws, r, c: _set(ws, r, c, font=font(16, bold=True)),
    "absent": lambda ws, r, c: None,
}
# (first row, last row, first column, last column), start style, end style, other cells' style
MERGES = [
    ((1, 1, 1, 11), "plain", "absent", "absent"),
    ((2, 2, 1, 6), "absent", "absent", "absent"),
    ((4, 7, 1, 1), "bordered", "bordered", "bordered"),
    ((4, 5, 2, 2), "bordered", "bordered", "bordered"),
    ((8, 8, 1, 6), "header", "bordered", "note"),
    ((9, 12, 3, 5), "note", "thick bottom", "bordered"),
    ((13, 14, 1, 2), "thick bottom", "note", "header"),
    ((15, 17, 1, 1), "bordered", "bordered", "bordered"),
    ((18, 18, 2, 3), "absent", "header", "absent"),
    ((19, 19, 4, 4), "header", "header", "header"),
]


def _set(ws: Worksheet, row: int, col: int, **styles: object) -> None:
    cell = ws.cell(row=row, column=col)
    for name, value in styles.items():
        setattr(cell, name, value)


def _drawn(with_merges: bool, merges: list[tuple[tuple[int, int, int, int], str, str, str]]) -> Workbook:
    book = workbook()
    ws = book.active
    merge = Merges(ws).merge if with_merges else _openpyxl(ws)
    for (first, last, first_col, last_col), start, end, others in merges:
        for r in range(first, last + 1):
            for c in range(first_col, last_col + 1):
                STYLES[others](ws, r, c)
        STYLES[end](ws, last, last_col)
        STYLES[start](ws, first, first_col)
    for (first, last, first_col, last_col), *_ in merges:
        merge(first, last, first_col, last_col)
    return book


def _state(book: Workbook) -> tuple[object, ...]:
    ws = book.active
    cells = {coordinate: (type(cell).__name__, tuple(cell._style)) for coordinate, cell in sorted(ws._cells.items())}
    lists = {name: list(getattr(book, name)) for name in ("_fonts", "_fills", "_borders", "_number_formats", "_protections", "_alignments")}
    return cells, lists, sorted(str(merged) for merged in ws.merged_cells.ranges)


def _openpyxl(ws: Worksheet) -> Callable[[int, int, int, int], None]:
    def merge(first: int, last: int, first_col: int, last_col: int) -> None:
        if (first, first_col) != (last, last_col):
            ws.merge_cells(start_row=first, start_column=first_col, end_row=last, end_column=last_col)

    return merge


@pytest.mark.parametrize("order", ["as listed", "reversed"])
def test_merges_leave_the_sheet_as_merge_cells_does(order: str) -> None:
    merges = MERGES if order == "as listed" else MERGES[::-1]
    expected = _state(_drawn(False, merges))
    for _ in range(3):  # the first workbook works the styles out, the others copy them
        assert _state(_drawn(True, merges)) == expected


def test_merged_cells_are_emptied_and_bordered() -> None:
    book = workbook()
    ws = book.active
    for c in range(1, 4):
        ws.cell(row=1, column=c, value=f"v{c}").border = BORDER
    Merges(ws).merge(1, 1, 1, 3)
    assert ws.cell(row=1, column=1).value == "v1"
    assert [type(ws._cells[(1, c)]) for c in (2, 3)] == [MergedCell, MergedCell]
    assert ws._cells[(1, 3)].border.right.style == "thin"
    assert ws._cells[(1, 2)].border.left is None or ws._cells[(1, 2)].border.left.style is None
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:C1"]
