"""What the provinces' printed worksheets share: the Chinese font and its charset, the line pitch
that row heights are measured in, thin borders, the fills that mark a header or a figure to look
at, and the print setup of an A4 sheet one page wide. openpyxl is imported here, so this module is
imported only when a workbook is written.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
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
    "Merges",
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


# A cell's style as objects rather than as the indices a workbook keeps them under: font, fill,
# border, number format (a built-in format's id, or the format itself), protection, alignment, then
# pivotButton, quotePrefix and xfId as they are.
_Style = tuple[object, ...]
_Place = tuple[bool, bool, bool, bool, bool]  # on the top, bottom, left, right edge; the top left cell
_LISTS = ("_fonts", "_fills", "_borders", "_number_formats", "_protections", "_alignments")
_CUSTOM_FORMATS = 164  # openpyxl numbers a workbook's own number formats from here
# What merging does to styles, by the corner cells' styles and the places in the range: the style
# objects that ws.merge_cells adds to each of the workbook's style lists (in order, those a new
# workbook lacks), and each place's style. Worked out once per process on a scratch workbook.
_WORKED_OUT: dict[tuple[object, ...], tuple[tuple[tuple[str, tuple[object, ...]], ...], dict[_Place, _Style]]] = {}
# A number for each style object, equal objects alike: corner styles are looked up by these numbers,
# so that a style object is compared once per workbook, not once per range.
_NUMBERS: dict[tuple[str, object], int] = {}


def _style_objects(book: Workbook, style: StyleArray) -> _Style:
    number_format = style[3] if style[3] < _CUSTOM_FORMATS else book._number_formats[style[3] - _CUSTOM_FORMATS]
    return (book._fonts[style[0]], book._fills[style[1]], book._borders[style[2]], number_format, book._protections[style[4]], book._alignments[style[5]], style[6], style[7], style[8])


class Merges:
    """Merges cell ranges of one worksheet of a `workbook()` with the cells and styles that
    ws.merge_cells leaves: the range's other cells emptied (MergedCell) and its outer border drawn
    on its edge cells.

    openpyxl works that border out cell by cell, registering each style with the workbook, for every
    range merged. The styles it leaves depend only on the corner cells' styles and on where in the
    range a cell lies; they are worked out once per process and copied, and the workbook's style
    lists get the same entries in the same order as ws.merge_cells would give them.
    """

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.book = ws.parent
        self.styles: dict[tuple[object, ...], dict[_Place, StyleArray]] = {}  # by the corners' style indices
        self.indices: dict[tuple[str, int], int] = {}  # a style object's index in this workbook, by its id
        self.numbers: dict[tuple[int, int], int] = {}  # _NUMBERS of this workbook's styles, by place in the style array and index
        self.replayed: set[tuple[object, ...]] = set()  # the _WORKED_OUT entries whose additions this workbook has

    def merge(self, first: int, last: int, first_col: int, last_col: int) -> None:
        if (first, first_col) == (last, last_col):
            return
        ws = self.ws
        start, end = ws._cells.get((first, first_col)), ws._cells.get((last, last_col))
        corners = (None if start is None else tuple(start._style), None if end is None else tuple(end._style))
        places = {(r, c): (r == first, r == last, c == first_col, c == last_col, (r, c) == (first, first_col)) for r in range(first, last + 1) for c in range(first_col, last_col + 1)}
        styles = self.styles.setdefault(corners, {})
        if any(place not in styles for place in places.values()):
            self._learn(styles, start, end, places, (first, last, first_col, last_col))
        merged = MergedCellRange.__new__(MergedCellRange)  # as ws.merge_cells makes it, without redoing its borders
        CellRange.__init__(merged, min_col=first_col, min_row=first, max_col=last_col, max_row=last)
        merged.ws = ws
        merged.start_cell = start if start is not None else ws.cell(row=first, column=first_col)
        ws.merged_cells.add(merged)
        for (r, c), place in places.items():
            cell = merged.start_cell if (r, c) == (first, first_col) else MergedCell(ws, row=r, column=c)
            if cell is not merged.start_cell:
                ws._cells[(r, c)] = cell
            cell._style = copy.copy(styles[place])

    def _learn(self, styles: dict[_Place, StyleArray], start: object, end: object, places: dict[tuple[int, int], _Place], bounds: tuple[int, int, int, int]) -> None:
        """Add this range's styles to `styles` (this workbook's, by place), registering with the
        workbook what ws.merge_cells would register."""
        book = self.book
        cells = (start, end)
        key = (*(None if cell is None else self._numbers(cell._style) for cell in cells), frozenset(places.values()))  # type: ignore[attr-defined]
        known = _WORKED_OUT.get(key)
        if known is None:
            corners = [None if cell is None else _style_objects(book, cell._style) for cell in cells]  # type: ignore[attr-defined]
            known = _WORKED_OUT[key] = _work_out(corners[0], corners[1], places, bounds)
        added, results = known
        if key not in self.replayed:
            self.replayed.add(key)
            for name, objects in added:
                found = getattr(book, name)
                for item in objects:
                    found.add(item)
        for place in set(places.values()):
            styles[place] = StyleArray([self._index(name, item) for name, item in zip(_LISTS, results[place][:6])] + list(results[place][6:]))

    def _numbers(self, style: StyleArray) -> tuple[int, ...]:
        """The style as _NUMBERS, pivotButton, quotePrefix and xfId."""
        out = []
        for position in range(6):
            number = self.numbers.get((position, style[position]))
            if number is None:
                item = (_LISTS[position], _style_objects(self.book, style)[position])
                number = self.numbers[(position, style[position])] = _NUMBERS.setdefault(item, len(_NUMBERS))
            out.append(number)
        return (*out, *style[6:])

    def _index(self, name: str, item: object) -> int:
        if name == "_number_formats" and isinstance(item, int):
            return item
        index = self.indices.get((name, id(item)))
        if index is None:
            index = self.indices[(name, id(item))] = getattr(self.book, name).add(item) + (_CUSTOM_FORMATS if name == "_number_formats" else 0)
        return index


def _work_out(start: _Style | None, end: _Style | None, places: dict[tuple[int, int], _Place], bounds: tuple[int, int, int, int]) -> tuple[tuple[tuple[str, tuple[object, ...]], ...], dict[_Place, _Style]]:
    """Merge the range on a scratch workbook whose corner cells have these styles: what it adds to
    the style lists of a new workbook, and the style each place is left with."""
    book = workbook()
    ws = book.active
    first, last, first_col, last_col = bounds
    for (row, col), style in (((first, first_col), start), ((last, last_col), end)):
        if style is not None:  # registered as setting each style on the cell registers it
            number_format = style[3] if isinstance(style[3], int) else book._number_formats.add(style[3]) + _CUSTOM_FORMATS
            indices = [number_format if name == "_number_formats" else getattr(book, name).add(item) for name, item in zip(_LISTS, style[:6])]
            ws.cell(row=row, column=col)._style = StyleArray([*indices, *style[6:]])
    before = {name: len(getattr(book, name)) for name in _LISTS}
    ws.merge_cells(start_row=first, start_column=first_col, end_row=last, end_column=last_col)
    added = tuple((name, tuple(getattr(book, name)[before[name] :])) for name in _LISTS)
    results = {place: _style_objects(book, ws._cells[coordinate]._style) for coordinate, place in places.items()}
    return added, results
