"""What the provinces' printed worksheets share: the Chinese font and its charset, the line pitch
that row heights are measured in, thin borders, the fills that mark a header or a figure to look
at, and the print setup of an A4 sheet one page wide. openpyxl is imported here, so this module is
imported only when a workbook is written.
"""

from __future__ import annotations

from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["BODY_PT", "BORDER", "FONT", "GB2312", "HEADER_FILL", "LINE_PT", "NOTE_FILL", "PAD_PT", "font", "print_setup"]

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


def print_setup(ws: Worksheet, landscape: bool) -> None:
    """A4, one page wide and as many pages long as it takes, centred, with page numbers."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
