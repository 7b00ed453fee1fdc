"""Reading a workbook made by `evalcore template` with python-calamine, about ten times faster than
openpyxl: the template's metadata (a custom document property it writes) says which cells hold
which inputs in which units, and the values calamine reads are handed to the same readers as
openpyxl's, through the few cell and sheet attributes they use.

Calamine reads values, not number formats, and a number format changes what a number means only
when it shows a % (0.95 in a 0% format is 95%, and a money cell formatted as % is refused). A
workbook is read with openpyxl instead, where each cell's number format decides, when:
  - it carries no template metadata, or its inputs are no longer in the cells the metadata names
    (rows moved, a sheet renamed): any workbook not made by `evalcore template`;
  - its styles hold a format that shows a % (an officer typed 95% or formatted a cell as %);
  - calamine cannot read it, or reads a cell of a kind openpyxl would read otherwise.
Each such fallback is counted (`fallbacks()`), for the benchmark.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model import current_limits
from ._sheets import HEAD_SHEET, INDICATOR_SHEET, INPUT_COLUMN, INPUT_SHEET, MULTI_SHEET, REPORT_SHEET

__all__ = ["TEMPLATE_PROPERTY", "FastBook", "count_fallback", "fallbacks", "read_fast", "template_metadata"]

# The custom document property a template carries: JSON naming its framework and input cells.
TEMPLATE_PROPERTY = "evalcore-template"

_FALLBACKS: Counter[str] = Counter()


def fallbacks() -> Counter[str]:
    """How often a workbook was read with openpyxl in this process, by reason."""
    return _FALLBACKS


def count_fallback(reason: str) -> None:
    _FALLBACKS[reason] += 1


def template_metadata(framework_id: str, inputs: list[tuple[str, str, str | None]]) -> str:
    """The metadata a template carries: its framework, and each input's name cell, id and unit."""
    return json.dumps({"version": 1, "framework": framework_id, "sheet": INPUT_SHEET, "inputs": [list(item) for item in inputs]}, ensure_ascii=False)


class FastCell:
    """A cell as the readers use it: value, row, column (from 1), coordinate, number format; a cell
    covered by a merged range (`covered`) shows the value of the range's top-left cell."""

    __slots__ = ("column", "covered", "row", "shown", "value")
    number_format = "General"  # a workbook with a % format anywhere is read with openpyxl

    def __init__(self, value: Any, row: int, column: int) -> None:
        self.value = self.shown = value
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
    """The part of openpyxl's Worksheet the readers use."""

    def __init__(self, title: str, grid: list[list[Any]], merged: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
        self.title = title
        width = max((len(row) for row in grid), default=0)
        self.rows = [[FastCell(value, r, c) for c, value in enumerate([*row, *[None] * (width - len(row))], start=1)] for r, row in enumerate(grid, start=1)]
        self.max_row = len(self.rows)
        self.max_column = width
        self.merged_cells = _Merged([])
        for (top, left), (bottom, right) in merged:
            if top >= len(self.rows):
                continue
            value = self.rows[top][left].value if left < width else None
            for r in range(top, min(bottom, len(self.rows) - 1) + 1):
                for c in range(left, min(right, width - 1) + 1):
                    if (r, c) != (top, left):
                        cell = self.rows[r][c]
                        cell.value, cell.shown, cell.covered = None, value, True

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, max_col: int | None = None, values_only: bool = False) -> Iterator[tuple[Any, ...]]:
        for row in self.rows[min_row - 1 : max_row]:
            cells = row[:max_col] if max_col is not None else row
            yield tuple(cell.value for cell in cells) if values_only else tuple(cells)

    def __getitem__(self, row: int) -> tuple[FastCell, ...]:
        return tuple(self.rows[row - 1]) if row <= len(self.rows) else ()

    def cell(self, row: int, column: int) -> FastCell:
        if row <= self.max_row and column <= self.max_column:
            return self.rows[row - 1][column - 1]
        return FastCell(None, row, column)


class FastBook:
    """The part of openpyxl's Workbook the readers use; a sheet no reader uses (填写说明, an
    officer's own) is not converted."""

    def __init__(self, workbook: Any, has_formulas: bool) -> None:
        self._workbook = workbook
        self.sheetnames: list[str] = list(workbook.sheet_names)
        self.has_formulas = has_formulas
        self._sheets: dict[str, FastSheet] = {}
        for name in self.sheetnames:
            if name in _READ_SHEETS:
                self[name]

    def __getitem__(self, name: str) -> FastSheet:
        sheet = self._sheets.get(name)
        if sheet is None:
            if name not in self.sheetnames:
                raise KeyError(name)
            read = self._workbook.get_sheet_by_name(name)
            grid = [[_value(value) for value in row] for row in read.to_python(skip_empty_area=False)]
            sheet = self._sheets[name] = FastSheet(name, grid, list(read.merged_cell_ranges or []))
        return sheet

    def close(self) -> None:
        self._workbook.close()


_READ_SHEETS = frozenset({HEAD_SHEET, INPUT_SHEET, INDICATOR_SHEET, REPORT_SHEET, MULTI_SHEET})


def read_fast(path: Path) -> FastBook | None:
    """The workbook read with calamine, or None (the fallback counted) when openpyxl must read it.
    `check_workbook` has bounded its size already."""
    try:
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            metadata = _metadata(archive)
            if metadata is None:
                count_fallback("not-template")
                return None
            if _shows_percent(archive):
                count_fallback("percent-format")
                return None
            area, has_formulas = _scan_sheets(archive)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError, EOFError):
        count_fallback("unreadable")
        return None
    if area > current_limits().max_cells:
        # Calamine lays a sheet out in full: openpyxl reads it sparsely, and check_sheets refuses it.
        count_fallback("large-sheet")
        return None
    try:
        from python_calamine import CalamineWorkbook

        book = FastBook(CalamineWorkbook.from_filelike(io.BytesIO(data)), has_formulas)
        kept = _layout_kept(book, metadata)
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


# A cell's column and row (r="AB12"), and a formula element, with or without a namespace prefix.
_COLUMNS = re.compile(rb"<(?:\w{1,20}:)?c\s[^>]*?\br=\"([A-Z]{1,3})")
_ROWS = re.compile(rb"<(?:\w{1,20}:)?(?:c|row)\s[^>]*?\br=\"[A-Z]{0,3}([0-9]{1,7})\"")
_FORMULA = re.compile(rb"<(?:\w{1,20}:)?f[\s/>]")


def _scan_sheets(archive: zipfile.ZipFile) -> tuple[int, bool]:
    """The largest area (last row × last column) a worksheet's cells span, and whether any holds a formula."""
    largest, formulas = 0, False
    for member in archive.infolist():
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        xml = archive.read(member)
        columns = max((_column_number(letters) for letters in set(_COLUMNS.findall(xml))), default=0)
        rows = max((int(row) for row in set(_ROWS.findall(xml))), default=0)
        largest = max(largest, rows * columns)
        formulas = formulas or _FORMULA.search(xml) is not None
    return largest, formulas


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


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


_PROPERTY = re.compile(rb'<(?:\w+:)?property\b[^>]*\bname="' + TEMPLATE_PROPERTY.encode() + rb'"[^>]*>\s*<(?:\w+:)?lpwstr\b[^>]*>(.*?)</(?:\w+:)?lpwstr>', re.DOTALL)


def _metadata(archive: zipfile.ZipFile) -> dict[str, Any] | None:
    try:
        custom = archive.read("docProps/custom.xml")
    except KeyError:
        return None
    found = _PROPERTY.search(custom)
    if found is None:
        return None
    from xml.sax.saxutils import unescape

    try:
        metadata = json.loads(unescape(found.group(1).decode("utf-8"), {"&quot;": '"', "&apos;": "'"}))
    except (ValueError, UnicodeDecodeError):
        return None
    return metadata if isinstance(metadata, dict) and metadata.get("version") == 1 else None


# Excel's built-in formats that show a %: 0% and 0.00%.
_PERCENT_BUILTIN = {9, 10}
_NUMFMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?\bnumFmtId="(\d+)"[^>]*?\bformatCode="([^"]*)"|<(?:\w+:)?numFmt\b[^>]*?\bformatCode="([^"]*)"[^>]*?\bnumFmtId="(\d+)"')
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.DOTALL)
_XF_FORMAT = re.compile(rb'<(?:\w+:)?xf\b[^>]*?\bnumFmtId="(\d+)"')


def _shows_percent(archive: zipfile.ZipFile) -> bool:
    """Whether any cell format of the workbook shows a % (built in, or a format code with one)."""
    try:
        styles = archive.read("xl/styles.xml")
    except KeyError:
        return False
    percent = set(_PERCENT_BUILTIN)
    for match in _NUMFMT.finditer(styles):
        number, code = (match.group(1), match.group(2)) if match.group(1) is not None else (match.group(4), match.group(3))
        if b"%" in code or "％".encode() in code:
            percent.add(int(number))
    used = _CELL_XFS.search(styles)
    return used is not None and any(int(number) in percent for number in _XF_FORMAT.findall(used.group(0)))


def _layout_kept(book: FastBook, metadata: dict[str, Any]) -> bool:
    """Whether the input cells are where the metadata says: each name cell still holds its input,
    and no other row names one."""
    sheet_name = metadata.get("sheet")
    inputs = metadata.get("inputs")
    if not isinstance(sheet_name, str) or sheet_name not in book.sheetnames or not isinstance(inputs, list):
        return False
    sheet = book[sheet_name]
    expected: dict[int, str] = {}
    for item in inputs:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)):
            return False
        row = _row_of(item[0])
        if row is None:
            return False
        expected[row] = item[1]
    name_column = INPUT_COLUMN["名称"]
    found = {index: row[name_column] for index, row in enumerate(sheet.iter_rows(min_row=2, max_col=name_column + 1, values_only=True), start=2) if row and row[name_column]}
    return found == expected


def _row_of(coordinate: str) -> int | None:
    digits = coordinate.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else None


def _letters(column: int) -> str:
    """A column's letters: 1 is A, 27 AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = ["", *(_letters(number) for number in range(1, 703))]
