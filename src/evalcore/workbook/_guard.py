"""The loader limits on a workbook, checked before openpyxl reads it: openpyxl keeps every cell in
memory (about 400 bytes each), so a small .xlsx that unpacks to a gigabyte, or declares a sheet
of a million rows, must be refused from its zip directory and a count of its cells, not read.

Defaults are in evalcore.model.Limits; docs/security.md explains them and how to change them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from ..model import MB, DataError, Location, current_limits, display_path, limit_hint

__all__ = ["check_sheets", "check_workbook", "sheet_too_large"]

# A cell element of a sheet's XML, with or without a namespace prefix: <c r="A1">, <x:c/>. No other
# element of a workbook's parts is named c.
_CELL = re.compile(rb"<(?:\w{1,20}:)?c[\s/>]")
_CHUNK = 1 << 20


def check_workbook(path: Path) -> None:
    """Refuse a workbook larger than the limits on disk, unpacked, or in cells (DataError).

    A file that is no zip archive at all is left to openpyxl, whose failure is reported as a
    damaged workbook.
    """
    limits = current_limits()
    name = display_path(path)
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader reports a missing or unreadable file in its own words
    if size > limits.max_file_bytes:
        raise DataError(f"文件过大：超过 {limits.max_file_mb} MB 的上限，未读取", Location(file=name), hint=limit_hint("max_file_mb", limits.max_file_mb))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        members = archive.infolist()
        # The sizes the zip directory declares bound what can be unpacked: zipfile stops there.
        unpacked = sum(member.file_size for member in members)
        if unpacked > limits.max_xlsx_bytes:
            raise DataError(
                f"工作簿解压后为 {unpacked / MB:.0f} MB，超过 {limits.max_xlsx_mb} MB 的上限，未读取（evalcore 的数据模板解压后不到 1 MB）",
                Location(file=name),
                hint=limit_hint("max_xlsx_mb", limits.max_xlsx_mb, " MB"),
            )
        cells = 0
        for member in members:
            if member.filename.endswith(".xml"):
                cells += _count_cells(archive, member, limits.max_cells - cells)
                if cells > limits.max_cells:
                    raise DataError(
                        f"工作簿的单元格超过 {limits.max_cells} 个的上限，未读取",
                        Location(file=name),
                        hint=limit_hint("max_cells", limits.max_cells, " 个") + "；或把与计分无关的工作表移到另一个文件",
                    )


def _count_cells(archive: zipfile.ZipFile, member: zipfile.ZipInfo, room: int) -> int:
    """The cells in one part of the archive, counted in chunks; stops once past `room`."""
    count = 0
    carry = b""
    try:
        with archive.open(member) as part:
            while count <= room:
                chunk = part.read(_CHUNK)
                if not chunk:
                    return count + len(_CELL.findall(carry))
                data = carry + chunk
                # A cell element may straddle two chunks: count up to the last "<", carry the rest.
                cut = data.rfind(b"<")
                if cut < 0:
                    carry = b""
                    continue
                count += len(_CELL.findall(data, 0, cut))
                carry = data[cut:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        pass  # a damaged or encrypted part: openpyxl reports the workbook as damaged
    return count


def sheet_too_large(sheet: Any) -> bool:
    """Whether a sheet's area, rows × columns, is past the cell limit: readers walk every cell of
    it, and openpyxl creates each one they touch, so two cells far apart would make billions."""
    rows, columns = getattr(sheet, "max_row", None) or 0, getattr(sheet, "max_column", None) or 0
    return bool(rows * columns > current_limits().max_cells)


def check_sheets(path: Path, book: Any) -> None:
    """Refuse a loaded workbook one of whose sheets spans more cells than the limit (DataError)."""
    limits = current_limits()
    for sheet in book.worksheets:
        if sheet_too_large(sheet):
            raise DataError(
                f"工作表“{sheet.title}”的范围达 {sheet.max_row} 行 × {sheet.max_column} 列，超过 {limits.max_cells} 个单元格的上限，未读取",
                Location(file=f"{display_path(path)} [{sheet.title}]"),
                hint="请删除表格远处的零散内容或格式（选中多余的行列后“删除”），或" + limit_hint("max_cells", limits.max_cells, " 个"),
            )
