"""What the provinces' printed worksheets share: the Chinese font and its charset, the line pitch
that row heights are measured in, thin borders, the fills that mark a header or a figure to look
at, and the print setup of an A4 sheet one page wide. openpyxl is imported here, so this module is
imported only when a workbook is written.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Sequence

from openpyxl import Workbook
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "BODY_PT",
    "BORDER",
    "FONT",
    "GB2312",
    "HEADER_FILL",
    "LINE_PT",
    "MIN_SCALE",
    "NOTE_FILL",
    "PAD_PT",
    "fit_scale",
    "font",
    "hide_columns",
    "paginate",
    "parts",
    "print_setup",
    "workbook",
]

FONT = "宋体"
GB2312 = 134  # the font charset Excel records for simplified Chinese
BODY_PT = 10
LINE_PT = 13.8  # one wrapped line of 10-point CJK text, with the leading CJK fonts need
PAD_PT = 5

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
NOTE_FILL = PatternFill("solid", fgColor="FFF2CC")  # a figure to look at: a mismatch, a missed target


def font(size: float = BODY_PT, bold: bool = False, color: str | None = None) -> Font:
    """The sheet font at a size, bold or not, in a colour (None: automatic)."""
    return Font(name=FONT, charset=GB2312, size=size, bold=bold, color=color)


MARGINS = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)  # inches
A4_PT = (595.3, 841.9)
MIN_SCALE = 0.55  # below this a 10-point body prints smaller than 5.5 points: not legible
DEFAULT_ROW_PT = 15.0  # a row without a set height
SLACK = 0.92  # a planned page fills at most this share of the printable height


def print_setup(ws: Worksheet, landscape: bool) -> None:
    """A4, one page wide and as many pages long as it takes, centred, with page numbers."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    # A copy: a sheet that sets its own margins must not change every later sheet's page plan.
    ws.page_margins = copy.copy(MARGINS)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = FONT


def _printable(landscape: bool) -> tuple[float, float]:
    """The printable width and height of an A4 page in points, inside the margins."""
    short, long = A4_PT
    width, height = (long, short) if landscape else (short, long)
    return width - (MARGINS.left + MARGINS.right) * 72, height - (MARGINS.top + MARGINS.bottom) * 72


NORMAL_PT = 11  # the workbook's default font (宋体 11, as Chinese Excel has it): column widths count its digits
DIGIT_PX = 8  # a digit of 宋体 11 at 96 pixels to the inch; Excel sizes columns by it


def workbook() -> Workbook:
    """A new workbook whose default font is 宋体 11, the font Chinese Excel sizes its columns by (the
    Calibri that openpyxl defaults to lays columns out narrower than the table was drawn for)."""
    book = Workbook()
    normal = Font(name=FONT, charset=GB2312, size=NORMAL_PT)
    book._fonts = IndexedList([normal])  # the default font is the first; openpyxl has no setter for it
    book._named_styles["Normal"].font = normal
    return book


def _column_pt(width: float) -> float:
    """A column `width` characters wide, in points: a digit's pixels per character, 96 pixels to
    the inch. LibreOffice lays the same columns out wider (its stand-in for 宋体 has wider digits),
    so it prints at a smaller scale than this, never a larger one."""
    return width * DIGIT_PX * 0.75


def fit_scale(ws: Worksheet, ncols: int, landscape: bool) -> float:
    """The scale that fits the sheet's visible columns 1..ncols into one page width (at most 1),
    in whole percent as the spreadsheet programs choose it."""
    total = 0.0
    for col in range(1, ncols + 1):
        dimension = ws.column_dimensions[get_column_letter(col)]
        if not dimension.hidden:
            total += _column_pt(dimension.width or 8.43)
    width, _ = _printable(landscape)
    return min(100, int(width / total * 100)) / 100 if total else 1.0


def hide_columns(ws: Worksheet, columns: Collection[int]) -> None:
    """Columns that hold nothing for this unit are not printed (nor shown): an empty column on a
    filed form would read as left blank."""
    for col in columns:
        ws.column_dimensions[get_column_letter(col)].hidden = True


def _height(ws: Worksheet, row: int) -> float:
    height = ws.row_dimensions[row].height
    return float(height) if height else DEFAULT_ROW_PT


def paginate(ws: Worksheet, ncols: int, landscape: bool, title_rows: tuple[int, int], first: int, last: int, keep: Collection[int] = ()) -> list[int]:
    """Plan the printed pages of rows first..last, set them as manual row breaks and return the
    rows that begin a page after the first.

    The sheet prints one page wide at `fit_scale`; every page repeats `title_rows` (first, last).
    Rows 1..first-1 open page one. A page takes rows while they fit in `SLACK` of the printable
    height, so that no program breaks a page sooner than planned; a row in `keep` stays on the
    page of the row above it (the signature line under the total).
    """
    scale = fit_scale(ws, ncols, landscape)
    _, page = _printable(landscape)
    room = page * SLACK / scale
    repeated = sum(_height(ws, r) for r in range(title_rows[0], title_rows[1] + 1))
    used = sum(_height(ws, r) for r in range(1, first))
    starts: list[int] = []
    start = first
    for row in range(first, last + 1):
        height = _height(ws, row)
        if used + height > room and row > start:
            cut = row
            while cut in keep and cut > start + 1:
                cut -= 1
            starts.append(cut)
            start = cut
            used = repeated + sum(_height(ws, r) for r in range(cut, row))
        used += height
    ws.row_breaks = RowBreak()
    for row in starts:
        ws.row_breaks.append(Break(id=row - 1))
    return starts


def parts(first: int, last: int, starts: Sequence[int]) -> list[tuple[int, int]]:
    """Rows first..last cut where a page begins: a merged label crossing a page break becomes one
    merged cell per page, each holding the label, so that every page shows it."""
    out: list[tuple[int, int]] = []
    begin = first
    for start in starts:
        if begin < start <= last:
            out.append((begin, start - 1))
            begin = start
    out.append((begin, last))
    return out
