"""Formulas whose result was never saved. evalcore reads a workbook's values as Excel saved them;
a workbook written by a program and never opened in Excel or WPS has formulas without results,
and their cells read as empty. When an input's cell is empty, a second look at the workbook, its
formulas this time, tells that apart from a cell left blank."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

__all__ = ["UNCALCULATED_HINT", "Formulas"]

UNCALCULATED_HINT = "公式未计算：请在 Excel/WPS 中打开并保存后再运行"


class Formulas:
    """The formulas of one workbook, opened on the first question only."""

    def __init__(self, path: Path):
        self.path = path
        self._book: Any = None
        self._opened = False

    def formula(self, sheet: str, coordinate: str) -> str | None:
        """The formula of a cell ("=B3*2"), or None when it holds none (or cannot be read again)."""
        if not self._opened:
            self._opened = True
            if _has_formulas(self.path):
                from openpyxl import load_workbook

                from ._fallbacks import count_fallback

                count_fallback("formulas")
                try:
                    self._book = load_workbook(self.path, read_only=False, data_only=False)
                except Exception:  # noqa: BLE001 - it was read once already; without a second look there is no hint
                    self._book = None
        if self._book is None or sheet not in self._book.sheetnames:
            return None
        cell = self._book[sheet][coordinate]
        if cell.data_type != "f":
            return None
        value = cell.value
        return value if isinstance(value, str) else str(getattr(value, "text", "") or "=…")


# A formula element of a sheet's XML, with or without a namespace prefix: <f>, <x:f t="shared"/>.
_FORMULA = re.compile(rb"<(?:\w{1,20}:)?f[\s/>]")


def _has_formulas(path: Path) -> bool:
    """Whether any sheet of the workbook holds a formula: most hold none, and need no second look.
    True when the archive cannot be searched, so that openpyxl is asked."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    xml = archive.read(member)
                    # <f>, <f t="shared" …/>; with a namespace prefix (<x:f>) the full search.
                    if b"<f>" in xml or b"<f " in xml or b"<f/" in xml or (b":f" in xml and _FORMULA.search(xml)):
                        return True
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
        return True
    return False
