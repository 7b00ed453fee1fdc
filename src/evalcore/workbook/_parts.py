"""The parts of a filled template's archive that the calamine reader reads for itself (_fast):
the template's property, the number formats and the cells that use them, and the area each sheet
spans (the cell limit, docs/security.md). Each part is unpacked once, and what is the same in every
workbook of one template (its property, its styles) is worked out once per process."""

from __future__ import annotations

import functools
import json
import posixpath
import re
import sys
import zipfile
from typing import Any

from ..model import current_limits
from ._sheets import HEAD_SHEET, INDICATOR_SHEET, INPUT_SHEET, MULTI_SHEET, REPORT_SHEET

__all__ = ["READ_SHEETS", "TEMPLATE_PROPERTY", "Parts", "Template", "formatted_cells", "largest_area", "template_of"]

# The custom document property a template carries: JSON naming its framework and input cells.
TEMPLATE_PROPERTY = "evalcore-template"
# The sheets the readers use (填写说明, or an officer's own sheet, is not converted).
READ_SHEETS = frozenset({HEAD_SHEET, INDICATOR_SHEET, INPUT_SHEET, MULTI_SHEET, REPORT_SHEET})


class Parts:
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


# A cell's column and its row (r="AB12"), a row's number (r="12"), and a cell element. Another
# attribute ending in r whose value looks like a reference only makes the area larger, or the count
# of references differ from the cells' (the sheet is then left to openpyxl).
_COLUMNS = re.compile(rb"r\s*=\s*[\"']([A-Za-z]{1,3})[0-9]")
_ROWS = re.compile(rb"r\s*=\s*[\"'][A-Za-z]{0,3}([0-9]{1,7})[\"']")
_CELL = re.compile(rb"<(?:\w{1,20}:)?c[\s/>]")


def largest_area(parts: Parts) -> int:
    """The largest area (last row × last column) a worksheet's cells span. A sheet with a cell that
    has no reference (its place follows the one before) may span any area: it is counted as past
    every limit, as is a workbook whose sheets cannot be found. (Formulas are looked for only when
    a blank input asks: _formulas.)"""
    largest = 0
    for member in _sheet_members(parts):
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


def _sheet_members(parts: Parts) -> list[zipfile.ZipInfo]:
    """The parts that hold the workbook's sheets: those its relationships name, wherever they are
    stored (calamine follows them), and every part under xl/worksheets/. A named part missing from
    the archive is left to the reader, which cannot read it either."""
    sheets = _sheet_parts(parts)
    if sheets is None:
        raise ValueError("the workbook's sheets cannot be found")  # read by openpyxl
    named = set(sheets.values())
    return [member for member in parts.members if member.filename in named or (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"))]


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


_PROPERTY = re.compile(rb'<(?:\w+:)?property\b[^>]*\bname="' + TEMPLATE_PROPERTY.encode() + rb'"[^>]*>\s*<(?:\w+:)?lpwstr\b[^>]*>(.*?)</(?:\w+:)?lpwstr>', re.DOTALL)


class Template:
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


def template_of(parts: Parts) -> Template | None:
    try:
        custom = parts.read("docProps/custom.xml")
    except KeyError:
        return None
    return _template(custom) if len(custom) <= _CACHED_PROPERTIES else _template.__wrapped__(custom)


# The largest properties part whose metadata is kept for the next workbook (a template's is 1–3 KB).
_CACHED_PROPERTIES = 1 << 16


@functools.lru_cache(maxsize=64)
def _template(custom: bytes) -> Template | None:
    """The metadata of a template's properties part, parsed once for all workbooks of one template
    (the part is the same in each)."""
    found = _PROPERTY.search(custom)
    if found is None:
        return None
    try:
        metadata = json.loads(_unescape(found.group(1).decode("utf-8")))
    except (ValueError, UnicodeDecodeError):
        return None
    return Template(metadata) if isinstance(metadata, dict) and metadata.get("version") == 1 else None


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


def _number_formats(parts: Parts) -> dict[int, str]:
    """The cell formats (by their index in cellXfs, as a cell's s names them) that show a number
    otherwise than General, with their format codes as openpyxl gives them: a workbook's own, or
    Excel's built-in ones (0%, 0.00, dates)."""
    try:
        styles = parts.read("xl/styles.xml")
    except KeyError:
        return {}
    return _formats_of(styles) if len(styles) <= _CACHED_STYLES else _formats_of.__wrapped__(styles)


# The largest styles part whose formats are kept for the next workbook (a template's is a few KB):
# a larger one, which no template has, is worked out for its workbook alone and not kept.
_CACHED_STYLES = 1 << 16


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


def formatted_cells(parts: Parts) -> dict[str, dict[tuple[int, int], str]] | None:
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
        if name not in READ_SHEETS:
            continue
        try:
            xml = parts.read(part)
        except KeyError:
            return None
        if parts.plain(part):
            # One search finds the plain cells with a style, and their style.
            styled = ((int(row), letter[0] - 64, formats.get(int(style))) for letter, row, style in _STYLED_CELL.findall(xml))
            found[name] = {(row, column): code for row, column, code in styled if code is not None}
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


# A plain cell (_UNPLAIN_CELL) with a style: its column's letter, its row and its first style.
_STYLED_CELL = re.compile(rb'c(?<=[<:]c) r="([A-Z])([0-9]{1,3})"(?:\s+t="[^"<>]*")*\s+s="([0-9]+)"')


def _sheet_parts(parts: Parts) -> dict[str, str] | None:
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


def _row_of(coordinate: str) -> int | None:
    digits = coordinate.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else None
