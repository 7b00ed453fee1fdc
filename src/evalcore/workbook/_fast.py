"""Reading a workbook made by `evalcore template` with python-calamine, three to four times faster
than openpyxl: the template's metadata (a custom document property it writes) says which cells
hold which inputs in which units, and the values calamine reads are handed to the same readers as
openpyxl's, through the few cell and sheet attributes they use.

Calamine reads values, not number formats, and a number format changes what a number means: 0.95
typed as 95% in a percent input is 95 %, a bare 0.95 is questioned, a money cell formatted as % is
refused, and so is 85 in 0!.0 (shown as 8.5). The formats other than General are found in the
workbook's styles, and the cells that use them in the sheets (the `s` of each cell): those cells
carry their format code, so that the readers decide as they do with openpyxl. A workbook is read with openpyxl instead when:
  - it carries no template metadata, or its inputs are no longer in the cells the metadata names
    (rows moved, the sheet renamed): any workbook not made by `evalcore template`;
  - its cells with a number format cannot be told (a cell without a reference, sheets not named in
    the workbook's relations), or a sheet may span more cells than the limit (calamine lays a
    sheet out in full; openpyxl then refuses it with the limit's message);
  - calamine cannot read it, or reads a cell of a kind openpyxl would read otherwise;
and a formula found without a saved result is looked up with openpyxl (_formulas). Each of these
is counted (`fallbacks()`), for the benchmark.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from collections.abc import Iterator
from itertools import repeat
from typing import Any

from ..model import current_limits
from ._fallbacks import count_fallback, fallbacks
from ._parts import READ_SHEETS, TEMPLATE_PROPERTY, Parts, Template, formatted_cells, largest_area, template_of
from ._rows import MergedSpan, _letters
from ._sheets import INPUT_COLUMN, INPUT_SHEET

__all__ = ["TEMPLATE_PROPERTY", "FastBook", "count_fallback", "fallbacks", "read_fast", "template_metadata"]


def template_metadata(framework_id: str, inputs: list[tuple[str, str, str | None]]) -> str:
    """The metadata a template carries: its framework, and each input's name cell, id and unit."""
    return json.dumps({"version": 1, "framework": framework_id, "sheet": INPUT_SHEET, "inputs": [list(item) for item in inputs]}, ensure_ascii=False)


class FastCell:
    """A cell as the readers use it: value, row, column (from 1), coordinate, number format; a cell
    covered by a merged range (`covered`) shows the value of the range's top-left cell."""

    __slots__ = ("column", "covered", "number_format", "row", "shown", "value")

    def __init__(self, value: Any, row: int, column: int) -> None:
        self.number_format = "General"  # or the cell's own (formatted_cells)
        self.value = self.shown = (value or None) if type(value) is str else _value(value)  # as openpyxl gives it
        self.row = row
        self.column = column
        self.covered = False

    @property
    def coordinate(self) -> str:
        return f"{_LETTERS[self.column] if self.column < len(_LETTERS) else _letters(self.column)}{self.row}"


class _Merged:
    def __init__(self, ranges: list[Any]) -> None:
        self.ranges = ranges


class FastSheet:
    """The part of openpyxl's Worksheet the readers use, from calamine's rows of values."""

    def __init__(self, title: str, grid: list[list[Any]], merged: list[tuple[tuple[int, int], tuple[int, int]]], formats: dict[tuple[int, int], str] | None = None) -> None:
        self.title = title
        width = max((len(row) for row in grid), default=0)
        columns = range(1, width + 1)
        self.rows = [tuple(map(FastCell, row if len(row) == width else [*row, *[None] * (width - len(row))], repeat(r, width), columns)) for r, row in enumerate(grid, start=1)]
        self.max_row = len(self.rows)
        self.max_column = width
        self.merged_cells = _Merged([MergedSpan(top + 1, left + 1, bottom + 1, right + 1) for (top, left), (bottom, right) in merged])
        # Whether a merged range covers any cell: when none does, no cell need be asked (_rows).
        self.covers = False
        for (row, column), code in (formats or {}).items():
            if row <= self.max_row and column <= width:
                self.rows[row - 1][column - 1].number_format = code
        for (top, left), (bottom, right) in merged:
            if top >= len(self.rows):
                continue
            value = self.rows[top][left].value if left < width else None
            for r in range(top, min(bottom, len(self.rows) - 1) + 1):
                for c in range(left, min(right, width - 1) + 1):
                    if (r, c) != (top, left):
                        cell = self.rows[r][c]
                        cell.value, cell.shown, cell.covered = None, value, True
                        self.covers = True

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, max_col: int | None = None, values_only: bool = False) -> Iterator[tuple[Any, ...]]:
        for cells in self.rows[min_row - 1 : max_row]:
            if max_col is not None:
                cells = cells[:max_col]
            yield tuple(cell.value for cell in cells) if values_only else cells

    def __getitem__(self, row: int) -> tuple[FastCell, ...]:
        return self.rows[row - 1] if row <= len(self.rows) else ()

    def cell(self, row: int, column: int) -> FastCell:
        if row <= self.max_row and column <= self.max_column:
            return self.rows[row - 1][column - 1]
        return FastCell(None, row, column)


class FastBook:
    """The part of openpyxl's Workbook the readers use; a sheet no reader uses (填写说明, an
    officer's own) is not converted."""

    def __init__(self, workbook: Any, formats: dict[str, dict[tuple[int, int], str]] | None = None) -> None:
        self._workbook = workbook
        self.sheetnames: list[str] = list(workbook.sheet_names)
        self._formats = formats or {}
        self._sheets: dict[str, FastSheet] = {}
        for name in self.sheetnames:
            if name in READ_SHEETS:
                self[name]

    def __getitem__(self, name: str) -> FastSheet:
        sheet = self._sheets.get(name)
        if sheet is None:
            if name not in self.sheetnames:
                raise KeyError(name)
            read = self._workbook.get_sheet_by_name(name)
            sheet = self._sheets[name] = FastSheet(name, read.to_python(skip_empty_area=False), list(read.merged_cell_ranges or []), self._formats.get(name))
        return sheet

    def close(self) -> None:
        self._workbook.close()


def read_fast(read: tuple[bytes, zipfile.ZipFile] | None) -> FastBook | None:
    """The workbook read with calamine, or None (the fallback counted) when openpyxl must read it.
    `read` is the workbook's bytes and archive, bounded in size already (read_checked); None for a
    file that could not be read as an archive."""
    if read is None:
        count_fallback("unreadable")
        return None
    data, archive = read
    try:
        with archive:
            parts = Parts(archive)
            template = template_of(parts)
            if template is None:
                count_fallback("not-template")
                return None
            formats = formatted_cells(parts)
            if formats is None:
                count_fallback("number-format")
                return None
            area = largest_area(parts)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError, EOFError):
        count_fallback("unreadable")
        return None
    if area > current_limits().max_cells:
        # Calamine lays a sheet out in full: openpyxl reads it sparsely, and check_sheets refuses it.
        count_fallback("large-sheet")
        return None
    try:
        from python_calamine import CalamineWorkbook

        book = FastBook(CalamineWorkbook.from_filelike(io.BytesIO(data)), formats)
        kept = _layout_kept(book, template)
    except _Unusual:
        count_fallback("cell-kind")
        return None
    except Exception:  # noqa: BLE001 - openpyxl reads it again and reports what is wrong in its words
        count_fallback("unreadable")
        return None
    if not kept:
        count_fallback("layout-changed")
        return None
    return book


class _Unusual(Exception):
    """A cell calamine reads as a kind that openpyxl would read otherwise."""


_INT_SAFE = 2**53


def _value(value: Any) -> Any:
    """Calamine's value as openpyxl gives it: a whole number as an int (Excel stores 37 as 37, which
    openpyxl reads as an int), an empty cell as None, a date as a midnight datetime."""
    if value == "" or value is None:
        return None
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() and -_INT_SAFE < value < _INT_SAFE else value
    if kind is str or kind is bool or kind is int or kind is datetime.datetime or kind is datetime.time:
        return value
    if kind is datetime.date:
        return datetime.datetime(value.year, value.month, value.day)
    raise _Unusual(kind.__name__)


def _layout_kept(book: FastBook, template: Template) -> bool:
    """Whether the input cells are where the metadata says: each name cell still holds its input,
    and no other row names one."""
    sheet_name, expected = template.sheet, template.expected
    if sheet_name is None or sheet_name not in book.sheetnames or expected is None:
        return False
    sheet = book[sheet_name]
    name_column = INPUT_COLUMN["名称"]
    found = {index: row[name_column] for index, row in enumerate(sheet.iter_rows(min_row=2, max_col=name_column + 1, values_only=True), start=2) if row and row[name_column]}
    return found == expected


_LETTERS = ["", *(_letters(number) for number in range(1, 703))]
