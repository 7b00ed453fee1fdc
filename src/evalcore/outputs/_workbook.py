"""The general 评分表 workbook (`xlsx`) for a framework whose province draws none of its own (the
national form filed outside Hunan, a county framework without a plugin layout).

One sheet, 评分表: the title, the unit and project, a header row repeated on every printed page,
one row per scored indicator (一级/二级/三级指标, 分值, 自评得分, 计算得分, 计分依据) and the total.
A missing score is an empty cell, never 0; the reason is in 计分依据. The findings are listed in the
问题清单 (`issues`), not printed under the table; the pages are planned and a merged 一级/二级 name
that crosses a page break is repeated on the next page.
openpyxl is imported here, so this module is imported only when the workbook is written.
"""

from __future__ import annotations

import io
import re

from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..model import STATUSES, Evaluation, FormatOptions, LeafResult, fmt
from ._cells import cell_number
from ._sanitize import clean_text, put_text
from ._text import question_line, total_text, unscored_count
from ._wrap import text_lines
from .sheet import BODY_PT, BORDER, HEADER_FILL, LINE_PT, NOTE_FILL, PAD_PT, font, paginate, parts, print_setup, workbook

__all__ = ["COLUMNS", "render_workbook"]

# (header, width in Excel character units); a CJK character takes about 2 units
COLUMNS: tuple[tuple[str, float], ...] = (
    ("一级指标", 10),
    ("二级指标", 12),
    ("三级指标", 18),
    ("分值", 7),
    ("自评得分", 8),
    ("计算得分", 8),
    ("计分依据", 60),
)
C_WEIGHT, C_SELF, C_SCORE, C_BASIS = 4, 5, 6, 7
NCOLS = len(COLUMNS)


class _Sheet:
    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.lines: dict[int, float] = {}
        self.downs: list[tuple[int, int, int]] = []  # (column, first row, last row), merged once the pages are known
        for col, (_, width) in enumerate(COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width

    def put(
        self, row: int, col: int, value: object, *, last_col: int | None = None, bold: bool = False, size: float = BODY_PT, align: str = "center", border: bool = True, fill: PatternFill | None = None
    ) -> None:
        last_col = col if last_col is None else last_col
        cell = self.ws.cell(row=row, column=col)
        put_text(cell, value)
        cell.font = font(size, bold)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if fill is not None:
            cell.fill = fill
        if last_col > col:
            self.ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=last_col)
        if border:
            for c in range(col, last_col + 1):
                self.ws.cell(row=row, column=c).border = BORDER
        if isinstance(value, str) and value:
            width = sum(width for _, width in COLUMNS[col - 1 : last_col]) - 0.8
            scale = size / BODY_PT
            self.lines[row] = max(self.lines.get(row, 1.0), text_lines(value, width / scale) * scale)

    def merge_down(self, col: int, first: int, last: int) -> None:
        if last > first:
            self.downs.append((col, first, last))

    def merge_downs(self, starts: list[int]) -> None:
        """Each name over its rows, cut where a page begins and written again below the break."""
        for col, first, last in self.downs:
            value = self.ws.cell(row=first, column=col).value
            for top, bottom in parts(first, last, starts):
                put_text(self.ws.cell(row=top, column=col), value)
                if bottom > top:
                    self.ws.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)


def _basis(leaf: LeafResult, places: int, scored: bool) -> str:
    if not scored:
        head = "【核对】"
    elif leaf.score is None:
        head = f"【{STATUSES[leaf.status]}】未计分"
    else:
        head = f"【{STATUSES[leaf.status]}】得 {fmt(leaf.score, places)} 分"
    lines = [head, *leaf.trace]
    if scored and leaf.self_score is not None and leaf.score is not None and leaf.self_score != leaf.score:
        lines.append(f"≠ 自评 {fmt(leaf.self_score)} 分")
    if leaf.note:
        lines.append(f"单位备注：{leaf.note}")
    return "\n".join(lines)


def _levels(path: tuple[str, ...]) -> tuple[str, str, str]:
    # Three columns: a deeper path keeps its lower levels together in the third.
    parts = list(path[:2]) + ["/".join(path[2:])]
    while len(parts) < 3:
        parts.append("")
    return parts[0], parts[1], parts[2]


def render_workbook(evaluation: Evaluation, options: FormatOptions) -> bytes:
    """The general 评分表 as an .xlsx workbook (bytes)."""
    framework, data = evaluation.framework, evaluation.data
    places = framework.rounding.places
    scored = framework.scored
    book = workbook()
    ws = book.active
    ws.title = "评分表"
    sheet = _Sheet(ws)
    year = data.year or framework.year
    # A title naming its own year is printed as it is, even for another year's data (year_mismatch says so).
    title = framework.title if re.search(r"(?:19|20)\d\d\s*年", framework.title) else f"{year}年度{framework.title}"
    sheet.put(1, 1, title, last_col=NCOLS, bold=True, size=16, border=False)
    sheet.put(2, 1, f"评价单位：{data.unit or ''}", last_col=C_WEIGHT - 1, align="left", border=False)
    sheet.put(2, C_WEIGHT, f"填报日期：{data.date or '    年  月  日'}", last_col=NCOLS, align="right", border=False)
    row = 2
    if data.project:
        row += 1
        sheet.put(row, 1, f"项目名称：{data.project}", last_col=NCOLS, align="left", border=False)
    header = row + 1
    for col, (name, _) in enumerate(COLUMNS, start=1):
        sheet.put(header, col, name, bold=True, fill=HEADER_FILL)
    leaves = list(evaluation.leaves())
    first = header + 1
    for i, leaf in enumerate(leaves):
        r = first + i
        mismatch = scored and leaf.self_score is not None and leaf.score is not None and leaf.self_score != leaf.score
        for col, text in enumerate(_levels(leaf.path), start=1):
            sheet.put(r, col, text or None)
        sheet.put(r, C_WEIGHT, cell_number(leaf.weight) if scored else None)
        sheet.put(r, C_SELF, cell_number(leaf.self_score), fill=NOTE_FILL if mismatch else None)
        sheet.put(r, C_SCORE, cell_number(leaf.score) if scored else None, fill=NOTE_FILL if mismatch else None)
        sheet.put(r, C_BASIS, _basis(leaf, places, scored), align="left")
    # One name over the rows it heads, as the printed tables show it.
    for col in (1, 2):
        keys = [leaf.path[:col] if len(leaf.path) > col else None for leaf in leaves]
        start = 0
        for i in range(1, len(leaves) + 1):
            if i == len(leaves) or keys[i] is None or keys[i] != keys[start]:
                if keys[start] is not None:
                    sheet.merge_down(col, first + start, first + i - 1)
                start = i
    total_row = first + len(leaves)
    self_total = evaluation.claimed_total
    sheet.put(total_row, 1, "总  分", last_col=C_WEIGHT - 1, bold=True)
    sheet.put(total_row, C_WEIGHT, cell_number(framework.leaf_weight) if scored else None, bold=True)
    sheet.put(total_row, C_SELF, cell_number(self_total), bold=True)
    sheet.put(total_row, C_SCORE, cell_number(evaluation.total) if scored else None, bold=True)
    sheet.put(total_row, C_BASIS, _summary(evaluation), bold=True, align="left")
    r = total_row + 1
    legend = "说明：“计算得分”按评分标准计算，“计分依据”列出计算过程；黄色底纹为自评得分与计算得分不一致的指标；空白的计算得分表示缺少数据、待核实、不适用或无法计分，未按 0 分计入。"
    sheet.put(r, 1, legend, last_col=NCOLS, size=9, align="left", border=False)
    for number, lines in sheet.lines.items():
        ws.row_dimensions[number].height = round(lines * LINE_PT + PAD_PT, 1)
    print_setup(ws, landscape=True)
    ws.print_title_rows = f"{header}:{header}"
    sheet.merge_downs(paginate(ws, NCOLS, True, (header, header), first, r, keep=range(total_row, r + 1)))
    ws.freeze_panes = ws.cell(row=first, column=1)
    book.properties.title = clean_text(title, "文件属性“标题”")
    book.properties.creator = "evalcore"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(evaluation: Evaluation) -> str:
    framework = evaluation.framework
    if not framework.scored:
        return "本表只填报各项指标的完成情况，不计分"
    lines = [f"计算总分 {total_text(evaluation)}，评价等级：{evaluation.grade_text}"]
    question = question_line(evaluation)
    if question is not None:
        lines.append(question)
    unscored = unscored_count(evaluation)
    if unscored:
        lines.append(f"评价不完整：{unscored} 项指标未能计分，合计只含已计分指标")
    return "\n".join(lines)
