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
import functools
import io
import json
import posixpath
import re
import sys
import zipfile
from collections.abc import Iterator
from itertools import repeat
from typing import Any

from ..model import current_limits
from ._fallbacks import count_fallback, fallbacks
from ._rows import MergedSpan
from ._sheets import HEAD_SHEET, INDICATOR_SHEET, INPUT_COLUMN, INPUT_SHEET, MULTI_SHEET, REPORT_SHEET

__all__ = ["TEMPLATE_PROPERTY", "FastBook", "count_fallback", "fallbacks", "read_fast", "template_metadata"]

# The custom document property a template carries: JSON naming its framework and input cells.
TEMPLATE_PROPERTY = "evalcore-template"


def template_metadata(framework_id: str, inputs: list[tuple[str, str, str | None]]) -> str:
    """The metadata a template carries: its framework, and each input's name cell, id and unit."""
    return json.dumps({"version": 1, "framework": framework_id, "sheet": INPUT_SHEET, "inputs": [list(item) for item in inputs]}, ensure_ascii=False)


class FastCell:
    """A cell as the readers use it: value, row, column (from 1), coordinate, number format; a cell
    covered by a merged range (`covered`) shows the value of the range's top-left cell."""

    __slots__ = ("column", "covered", "number_format", "row", "shown", "value")

    def __init__(self, value: Any, row: int, column: int) -> None:
        self.number_format = "General"  # or the cell's own (_formatted_cells)
        self.value = self.shown = value if type(value) is str and value else _value(value)  # as openpyxl gives it
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
            if name in _READ_SHEETS:
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


_READ_SHEETS = frozenset({HEAD_SHEET, INPUT_SHEET, INDICATOR_SHEET, REPORT_SHEET, MULTI_SHEET})


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
            parts = _Parts(archive)
            template = _metadata(parts)
            if template is None:
                count_fallback("not-template")
                return None
            formats = _formatted_cells(parts)
            if formats is None:
                count_fallback("number-format")
                return None
            area = _largest_area(parts)
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


class _Parts:
    """An archive's parts, each unpacked once however often it is read (the sheets are scanned
    for their formats and for their areas)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self.members = archive.infolist()
        self._parts: dict[str, bytes] = {}
        self._plain: dict[str, bool] = {}

    def read(self, name: str) -> bytes:
        data = self._parts.get(name)
        if data is None:
            data = self._parts[name] = self._archive.read(name)
        return data

    def plain(self, name: str) -> bool:
        """Whether every cell of a sheet part is written plainly (_UNPLAIN_CELL): searched once,
        for its formats and for its area."""
        known = self._plain.get(name)
        if known is None:
            known = self._plain[name] = _UNPLAIN_CELL.search(self.read(name)) is None
        return known

    def sheet(self, member: zipfile.ZipInfo) -> tuple[bytes, bool]:
        """A sheet part and whether its cells are written plainly, also for one of two parts stored
        under the same name (a name reads the last)."""
        if self._archive.getinfo(member.filename) is member:
            return self.read(member.filename), self.plain(member.filename)
        xml = self._archive.read(member)
        return xml, _UNPLAIN_CELL.search(xml) is None


# A cell's column and its row (r="AB12"), a row's number (r="12"), and a cell element. Another attribute ending in r whose value looks like a reference only makes the area
# larger, or the count of references differ from the cells' (the sheet is then left to openpyxl).
_COLUMNS = re.compile(rb"r\s*=\s*[\"']([A-Za-z]{1,3})[0-9]")
_ROWS = re.compile(rb"r\s*=\s*[\"'][A-Za-z]{0,3}([0-9]{1,7})[\"']")
_CELL = re.compile(rb"<(?:\w{1,20}:)?c[\s/>]")


def _largest_area(parts: _Parts) -> int:
    """The largest area (last row × last column) a worksheet's cells span. A sheet with a cell that
    has no reference (its place follows the one before) may span any area: it is counted as past
    every limit. (Formulas are looked for only when a blank input asks: _formulas.)"""
    largest = 0
    for member in parts.members:
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        xml, plain = parts.sheet(member)
        if plain and _SMALL_AREA <= current_limits().max_cells:
            # Every cell is placed by its own reference, none past column Z or row 999 (rows do not
            # place a cell that has one); a sheet written otherwise is scanned reference by reference.
            largest = max(largest, _SMALL_AREA)
            continue
        columns_found = _COLUMNS.findall(xml)
        prefixed = b":c " in xml or b":c>" in xml or b":c/" in xml
        cells = len(_CELL.findall(xml)) if prefixed else xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/") + xml.count(b"<c\n") + xml.count(b"<c\t") + xml.count(b"<c\r")
        if cells != len(columns_found):
            return sys.maxsize
        columns = max((_column_number(letters.upper()) for letters in set(columns_found)), default=0)
        rows = max((int(row) for row in set(_ROWS.findall(xml))), default=0)
        rows = max(rows, xml.count(b"<row") + xml.count(b":row"))  # rows without a number follow the one before
        largest = max(largest, rows * columns)
    return largest


# The area a sheet spans at most when its cells' references have one letter and rows three digits.
_SMALL_AREA = 26 * 999
# A cell element that is not written as Excel and openpyxl write those of a small sheet: its
# reference first, within column Z and row 999, then only its style and type (a second reference,
# which calamine would take instead of the first, is not among them). A namespace prefix (<x:c>)
# changes nothing. One search finds the first such cell, if any; it looks for the letter c first
# and then at what comes before it, which is faster than looking for "<" or ":" first.
_UNPLAIN_CELL = re.compile(rb'c(?<=[<:]c)(?! r="[A-Z][0-9]{1,3}"(?:\s+[st]="[^"<>]*")*\s*/?>)[\s/>]')


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


class _Template:
    """A template's metadata, and the input each row of its sheet names (None when the metadata
    names them otherwise than a template does: the layout is then taken as changed)."""

    __slots__ = ("expected", "sheet")

    def __init__(self, metadata: dict[str, Any]) -> None:
        sheet = metadata.get("sheet")
        self.sheet = sheet if isinstance(sheet, str) else None
        self.expected = _expected_rows(metadata.get("inputs"))


def _expected_rows(inputs: Any) -> dict[int, str] | None:
    """The input each row of the sheet names: [name cell, id, unit] for each input."""
    if not isinstance(inputs, list):
        return None
    expected: dict[int, str] = {}
    for item in inputs:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)):
            return None
        row = _row_of(item[0])
        if row is None:
            return None
        expected[row] = item[1]
    return expected


def _metadata(parts: _Parts) -> _Template | None:
    try:
        custom = parts.read("docProps/custom.xml")
    except KeyError:
        return None
    return _template(custom) if len(custom) <= _CACHED_PROPERTIES else _template.__wrapped__(custom)


# The largest properties part whose metadata is kept for the next workbook (a template's is 1–3 KB).
_CACHED_PROPERTIES = 1 << 16


@functools.lru_cache(maxsize=64)
def _template(custom: bytes) -> _Template | None:
    """The metadata of a template's properties part, parsed once for all workbooks of one template
    (the part is the same in each)."""
    found = _PROPERTY.search(custom)
    if found is None:
        return None
    try:
        metadata = json.loads(_unescape(found.group(1).decode("utf-8")))
    except (ValueError, UnicodeDecodeError):
        return None
    return _Template(metadata) if isinstance(metadata, dict) and metadata.get("version") == 1 else None


_NUMFMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?\bnumFmtId="(\d+)"[^>]*?\bformatCode="([^"]*)"|<(?:\w+:)?numFmt\b[^>]*?\bformatCode="([^"]*)"[^>]*?\bnumFmtId="(\d+)"')
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.DOTALL)


_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_FORMAT_ID = re.compile(rb'\bnumFmtId\s*=\s*["\']([0-9]+)')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_CELL_TAG = re.compile(rb"<(?:\w{1,20}:)?c\s([^>]*)>")
_REFERENCE = re.compile(rb'\br\s*=\s*["\']([A-Za-z]{1,3})([0-9]{1,7})')
_RELATION_ID = re.compile(rb'(?:^|\s)\w+:id\s*=\s*["\']([^"\']*)')
_STYLE = re.compile(rb'\bs\s*=\s*["\']([0-9]+)')


def _attribute(attributes: bytes, name: bytes) -> str | None:
    found = re.search(rb"(?:^|\s)" + name + rb'\s*=\s*["\']([^"\']*)', attributes)
    return _unescape(found.group(1).decode("utf-8")) if found else None


def _unescape(text: str) -> str:
    """XML text with its character references (&quot;, &#37;) replaced."""
    import html  # xml.sax.saxutils would import urllib.request, http and ssl with it

    return html.unescape(text)



def _number_formats(parts: _Parts) -> dict[int, str]:
    """The cell formats (by their index in cellXfs, as a cell's s names them) that show a number
    otherwise than General, with their format codes as openpyxl gives them: a workbook's own, or
    Excel's built-in ones (0%, 0.00, dates)."""
    try:
        styles = parts.read("xl/styles.xml")
    except KeyError:
        return {}
    return _formats_of(styles)


@functools.lru_cache(maxsize=16)
def _formats_of(styles: bytes) -> dict[int, str]:
    """_number_formats of one styles part, worked out once for the workbooks that share it (the
    workbooks of one template, unless a cell's format was changed); read, never changed."""
    used = _CELL_XFS.search(styles)
    if used is None:
        return {}
    codes: dict[int, str] = {}
    for match in _NUMFMT.finditer(styles):
        number, code = (match.group(1), match.group(2)) if match.group(1) is not None else (match.group(4), match.group(3))
        codes[int(number)] = _unescape(code.decode("utf-8"))
    out = {}
    for index, attributes in enumerate(_XF.findall(used.group(0))):
        found = _FORMAT_ID.search(attributes)
        number = int(found.group(1)) if found else 0
        if number == 0:
            continue
        code = codes.get(number) or _builtin_format(number)
        if code != "General":
            out[index] = code
    return out


def _builtin_format(number: int) -> str:
    """Excel's built-in format `number` as openpyxl names it (General for one it does not know)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS  # only for a workbook that uses one

    return str(BUILTIN_FORMATS.get(number, "General"))


def _formatted_cells(parts: _Parts) -> dict[str, dict[tuple[int, int], str]] | None:
    """For each sheet the readers use, the cells (row, column) with a number format other than
    General, with its code: the format decides what their numbers mean (0.95 in 0% is 95%; 85 in
    0!.0 shows 8.5). None when the workbook's sheets cannot be told apart this way: openpyxl
    reads it."""
    formats = _number_formats(parts)
    if not formats:
        return {}
    sheets = _sheet_parts(parts)
    if sheets is None:
        return None
    found: dict[str, dict[tuple[int, int], str]] = {}
    for name, part in sheets.items():
        if name not in _READ_SHEETS:
            continue
        try:
            xml = parts.read(part)
        except KeyError:
            return None
        if parts.plain(part):
            # One search finds the plain cells whose first style is one of these formats.
            found[name] = {(int(row), letter[0] - 64): formats[int(style)] for letter, row, style in _styled_cells(tuple(formats)).findall(xml)}
            continue
        cells: dict[tuple[int, int], str] = {}
        for attributes in _CELL_TAG.findall(xml):
            style = _STYLE.search(attributes)
            if style is None or int(style.group(1)) not in formats:
                continue
            reference = _REFERENCE.search(attributes)
            if reference is None:
                return None  # a cell placed after the one before: not worth following here
            cells[(int(reference.group(2)), _column_number(reference.group(1).upper()))] = formats[int(style.group(1))]
        found[name] = cells
    return found


@functools.lru_cache(maxsize=16)
def _styled_cells(styles: tuple[int, ...]) -> re.Pattern[bytes]:
    """The plain cells (_UNPLAIN_CELL) whose first style is one of `styles`: their column's letter,
    their row and the style."""
    numbers = b"|".join(str(style).encode() for style in sorted(styles, reverse=True))
    return re.compile(rb'c(?<=[<:]c) r="([A-Z])([0-9]{1,3})"(?:\s+t="[^"<>]*")*\s+s="0*(' + numbers + rb')"')


def _sheet_parts(parts: _Parts) -> dict[str, str] | None:
    """Each sheet's name and the part of the archive that holds it (xl/workbook.xml and its rels)."""
    try:
        workbook, relations = parts.read("xl/workbook.xml"), parts.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    targets = {}
    for attributes in _RELATIONSHIP.findall(relations):
        identifier, target = _attribute(attributes, b"Id"), _attribute(attributes, b"Target")
        if identifier and target:
            targets[identifier] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    found = {}
    for attributes in _SHEET.findall(workbook):
        name, relation = _attribute(attributes, b"name"), _RELATION_ID.search(attributes)
        if name is None or relation is None or relation.group(1).decode() not in targets:
            return None
        found[name] = targets[relation.group(1).decode()]
    return found


def _layout_kept(book: FastBook, template: _Template) -> bool:
    """Whether the input cells are where the metadata says: each name cell still holds its input,
    and no other row names one."""
    sheet_name, expected = template.sheet, template.expected
    if sheet_name is None or sheet_name not in book.sheetnames or expected is None:
        return False
    sheet = book[sheet_name]
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
