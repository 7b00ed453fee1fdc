"""The loader limits on a workbook, checked before openpyxl reads it: openpyxl keeps every cell in
memory (about 400 bytes each), so a small .xlsx that unpacks to a gigabyte, or declares a sheet
of a million rows, must be refused from its zip directory and a count of its cells, not read.

Defaults are in evalcore.model.Limits; docs/security.md explains them and how to change them.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

from ..load import mb_needed, megabytes, refuse_special, too_large
from ..model import DataError, Location, current_limits, display_path, limit_hint

__all__ = ["check_sheets", "check_workbook", "read_checked", "sheet_too_large"]

# A cell element of a sheet's XML, with or without a namespace prefix: <c r="A1">, <x:c/>. No other
# element of a workbook's parts is named c.
_CELL = re.compile(rb"<(?:\w{1,20}:)?c[\s/>]")
# Its reference, where it has one (r="AB12"), for the area the sheet spans.
_REF = re.compile(rb"<(?:\w{1,20}:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_CHUNK = 1 << 20
# The fewest bytes a cell takes in a sheet's XML: <c/>.
_SMALLEST_CELL = 4


def check_workbook(path: Path) -> None:
    """Refuse a workbook larger than the limits on disk, unpacked, or in cells (DataError).

    A file that is no zip archive at all is left to openpyxl, whose failure is reported as a
    damaged workbook.
    """
    if not _size_known(path):
        return  # the reader reports a missing or unreadable file in its own words
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        _check_archive(path, archive)


def read_checked(path: Path) -> tuple[bytes, zipfile.ZipFile] | None:
    """The workbook's bytes and its archive, refused as `check_workbook` refuses it; None when the
    file cannot be read or is no zip archive (openpyxl then reports it in its own words). The file
    is read once, for the checks and for the reader."""
    refuse_special(path, DataError)
    limit = current_limits().max_file_bytes
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > limit:
                raise too_large(display_path(path), DataError, size)
            data = file.read(size + 1)  # no more than the file holds: a larger limit reserves no memory
    except OSError:
        return None  # the reader reports a missing or unreadable file in its own words
    if len(data) > size:
        check_workbook(path)  # written to while it was read: checked as it is now, and read by openpyxl
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    _check_archive(path, archive)
    return data, archive


def _size_known(path: Path) -> bool:
    """Whether the file's size could be read; refused if it is a special file or past the size
    limit."""
    refuse_special(path, DataError)
    try:
        size = path.stat().st_size
    except OSError:
        return False
    if size > current_limits().max_file_bytes:
        raise too_large(display_path(path), DataError, size)
    return True


def _check_archive(path: Path, archive: zipfile.ZipFile) -> None:
    limits = current_limits()
    members = archive.infolist()
    # The sizes the zip directory declares bound what can be unpacked: zipfile stops there.
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_xlsx_bytes:
        raise DataError(
            f"工作簿解压后为 {megabytes(unpacked)} MB，超过 {limits.max_xlsx_mb} MB 的上限，未读取（evalcore 的数据模板解压后不到 1 MB）",
            Location(file=display_path(path)),
            hint=limit_hint("max_xlsx_mb", mb_needed(unpacked), " MB"),
        )
    if unpacked // _SMALLEST_CELL <= limits.max_cells:
        return  # too small to hold more cells than the limit: nothing to count
    # Every part is counted, within the unpacked size just bounded, so that the hint can name
    # what this workbook needs: its cells, and the area of its widest sheet, which
    # check_sheets holds to the same limit once openpyxl has read it.
    counted = [_count_cells(archive, member) for member in members if member.filename.endswith(".xml")]
    cells = sum(count for count, _area in counted)
    if cells > limits.max_cells:
        raise DataError(
            f"工作簿有 {cells} 个单元格，超过 {limits.max_cells} 个的上限，未读取",
            Location(file=display_path(path)),
            hint=limit_hint("max_cells", max([cells] + [area for _count, area in counted]), " 个单元格") + "；或把与计分无关的工作表移到另一个文件",
        )


def _count_cells(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> tuple[int, int]:
    """The cells in one part of the archive, counted in chunks, and the area (last row × last
    column) their references span."""
    count = rows = columns = 0
    carry = b""

    def scan(data: bytes, end: int) -> None:
        nonlocal count, rows, columns
        count += len(_CELL.findall(data, 0, end))
        for letters, row in _REF.findall(data, 0, end):
            rows = max(rows, int(row))
            columns = max(columns, _column(letters))

    try:
        with archive.open(member) as part:
            while True:
                chunk = part.read(_CHUNK)
                if not chunk:
                    scan(carry, len(carry))
                    break
                data = carry + chunk
                # A cell element may straddle two chunks: count up to the last "<", carry the rest.
                cut = data.rfind(b"<")
                if cut < 0:
                    carry = b""
                    continue
                scan(data, cut)
                carry = data[cut:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        pass  # a damaged or encrypted part: openpyxl reports the workbook as damaged
    return count, rows * columns


def _column(letters: bytes) -> int:
    """A column's number from its letters: A is 1, Z 26, AA 27."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def sheet_too_large(sheet: Any) -> bool:
    """Whether a sheet's area, rows × columns, is past the cell limit: readers walk every cell of
    it, and openpyxl creates each one they touch, so two cells far apart would make billions."""
    return _area(sheet) > current_limits().max_cells


def _area(sheet: Any) -> int:
    rows, columns = getattr(sheet, "max_row", None) or 0, getattr(sheet, "max_column", None) or 0
    return int(rows * columns)


def check_sheets(path: Path, book: Any) -> None:
    """Refuse a loaded workbook one of whose sheets spans more cells than the limit (DataError)."""
    limits = current_limits()
    for sheet in book.worksheets:
        if sheet_too_large(sheet):
            # Every sheet's area must be within the limit for the workbook to load: the largest.
            needed = max(_area(other) for other in book.worksheets)
            raise DataError(
                f"工作表“{sheet.title}”的范围达 {sheet.max_row} 行 × {sheet.max_column} 列，超过 {limits.max_cells} 个单元格的上限，未读取",
                Location(file=f"{display_path(path)} [{sheet.title}]"),
                hint="请删除表格远处的零散内容或格式（选中多余的行列后“删除”），或" + limit_hint("max_cells", needed, " 个单元格"),
            )
