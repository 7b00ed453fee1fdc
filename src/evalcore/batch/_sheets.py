"""The reviewer's workbook 汇总.xlsx: 排名 (one row per unit, with the columns a reviewer fills),
问题 (one row per finding), 指标 (each indicator across units) and 图表 (native charts that Excel
and WPS both draw). Every sheet filters, keeps its header in view and prints one page wide,
landscape, with its header on every page. openpyxl is imported here only."""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import copy
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..model import FLAG_KINDS, frozen
from ..outputs import display_width, put_text, text_lines
from ..outputs.sheet import BORDER, HEADER_FILL, LINE_PT, font, print_setup
from ._row import FrameworkFacts, UnitRow

__all__ = ["KIND_COLUMNS", "RANK_HEADERS", "Column", "IndicatorStats", "workbook_bytes"]

# One line of 10-point text (the height Excel gives 10-point 宋体 is 13.5): 34 single-line rows a page.
ROW_PT = LINE_PT
REVIEW_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells the reviewer types into
ALERT_FILL = PatternFill("solid", fgColor="F8CBAD")
CALM_FILL = PatternFill("solid", fgColor="DDEBF7")
GRADE_FILLS = ("C6EFCE", "E2EFDA", "FFEB9C", "FCE4D6", "FFC7CE")
GREY_FILL = PatternFill("solid", fgColor="EDEDED")
# The kinds of findings with a column of their own on 排名 (the others are counted under 其他).
KIND_COLUMNS = 6


@frozen
class Column:
    """A column of a sheet: header, width in Excel character units, whether it is printed, and
    whether it is hidden (a path the review command reads back)."""

    header: str
    width: float
    printed: bool = True
    hidden: bool = False
    number: str | None = None  # a number format


# The 排名 sheet's columns. The printed ones come first, those a reviewer reads on paper: ranks
# restart for each framework, so 评价框架 stands beside 排名 (hidden, and named in the page header,
# when the batch has one framework). The counts of findings by kind follow 审核意见, on screen only.
RANK_HEADERS: tuple[Column, ...] = (
    Column("排名", 5),
    Column("评价框架", 18),
    Column("评价单位", 36),
    Column("项目", 16),
    Column("计算总分", 7),
    Column("自评总分", 7),
    Column("差额", 6),
    Column("审核得分", 7),
    Column("等级", 9),
    Column("问题数", 6),
    Column("审核意见", 16),
)
# After the counts by kind: on screen only.
RANK_TAIL: tuple[Column, ...] = (
    Column("满分", 6, printed=False),
    Column("是否完整", 6, printed=False),
    Column("数据文件", 30, printed=False),
    Column("框架编号", 26, printed=False),
    Column("审核得分合计", 8, printed=False),
    Column("已审核项数", 8, printed=False),
    Column("备注", 20, printed=False),
    Column("待核实：两种读法下的计算总分", 24, printed=False),
    Column("结果文件", 30, printed=False),
    Column("数据文件路径", 40, printed=False, hidden=True),
    Column("数据行", 12, printed=False, hidden=True),
)
PROBLEM_COLUMNS: tuple[Column, ...] = (
    Column("评价单位", 20),
    Column("数据文件", 22),
    Column("类别", 12),
    Column("指标", 26),
    Column("说明", 48),
    Column("审核意见", 22),
)
INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("评价框架", 34),
    Column("指标", 44),
    Column("分值", 6),
    Column("计分单位数", 8),
    Column("平均得分", 8, number="0.00"),
    Column("最低", 6),
    Column("最高", 6),
    Column("得分率", 8, number="0.0%"),
    Column("失分合计", 8),
)


@frozen
class IndicatorStats:
    """One indicator across the units of its framework that scored it."""

    framework: str  # the framework's title
    path: str
    weight: Decimal
    scores: tuple[Decimal, ...]

    @property
    def lost(self) -> Decimal:
        return sum((self.weight - score for score in self.scores), Decimal(0))

    def row(self) -> list[object]:
        count = len(self.scores)
        mean = sum(self.scores, Decimal(0)) / count if count else None
        rate = mean / self.weight if mean is not None and self.weight else None
        return [
            self.framework,
            self.path,
            float(self.weight),
            count,
            None if mean is None else float(mean),
            float(min(self.scores)) if count else None,
            float(max(self.scores)) if count else None,
            None if rate is None else float(rate),
            float(self.lost),
        ]


def indicator_stats(rows: Sequence[UnitRow]) -> list[IndicatorStats]:
    """Each framework's indicators in its order, with the scores of the units that scored them."""
    by_framework: dict[str, tuple[FrameworkFacts, list[list[Decimal]]]] = {}
    for row in rows:
        if not row.framework.scored:
            continue
        _framework, scores = by_framework.setdefault(row.framework.id, (row.framework, [[] for _leaf in row.framework.leaves]))
        for column, score in zip(scores, row.scores):
            if score is not None:
                column.append(score)
    out = []
    for framework, scores in by_framework.values():
        for (path, weight), column in zip(framework.leaves, scores):
            out.append(IndicatorStats(framework.title, path, weight, tuple(column)))
    return out


def _header(ws: Worksheet, columns: Sequence[Column], row: int = 1) -> None:
    lines = 1
    for number, column in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=number)
        put_text(cell, column.header)
        cell.font = font(bold=True)
        cell.fill = REVIEW_FILL if column.header in REVIEW_COLUMNS else HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(number)
        ws.column_dimensions[letter].width = column.width
        ws.column_dimensions[letter].hidden = column.hidden
        lines = max(lines, text_lines(column.header, column.width) if column.printed else 1)
    ws.row_dimensions[row].height = lines * LINE_PT + 4


# The columns a reviewer types into, shaded.
REVIEW_COLUMNS = ("审核得分", "审核意见")


def _body(ws: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[object]], start: int = 2) -> None:
    """The rows under the header, in the sheet's font with borders, text wrapped; each row as high
    as its longest printed text needs."""
    printed = [column for column in columns if column.printed]
    # A cell's style is built once per kind of cell and copied: openpyxl hashes every style object
    # assigned, which for thousands of units would cost more than the rest of the summary.
    styles: dict[tuple[int, bool], Any] = {}
    for offset, values in enumerate(rows):
        row = start + offset
        lines = 1
        for number, (column, value) in enumerate(zip(columns, values), start=1):
            cell = ws.cell(row=row, column=number)
            put_text(cell, value)
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            style = styles.get((number, numeric))
            if style is not None:
                cell._style = copy(style)
            else:
                cell.font = font()
                cell.border = BORDER
                cell.alignment = Alignment(horizontal="right" if numeric else "left", vertical="top", wrap_text=True)
                if column.number:
                    cell.number_format = column.number
                if column.header in REVIEW_COLUMNS:
                    cell.fill = REVIEW_FILL
                styles[(number, numeric)] = copy(cell._style)
            if column in printed and isinstance(value, str) and (display_width(value) >= column.width - 1 or "\n" in value):
                lines = max(lines, text_lines(value, column.width))
        ws.row_dimensions[row].height = (lines - 1) * LINE_PT + ROW_PT


def _page(ws: Worksheet, columns: Sequence[Column], last_row: int, title: str) -> None:
    """Filter, frozen header, and a printout one page wide with the header on every page."""
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{max(last_row, 2)}"
    ws.print_title_rows = "1:1"
    printed = max((number for number, column in enumerate(columns, start=1) if column.printed), default=1)
    ws.print_area = f"A1:{get_column_letter(printed)}{max(last_row, 1)}"
    print_setup(ws, landscape=True)
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.oddHeader.center.text = title
    ws.oddHeader.center.font = "宋体,Bold"
    ws.oddHeader.center.size = 12


def rank_sheet(ws: Worksheet, kinds: Sequence[str], rows: Sequence[Sequence[object]], grades: Sequence[tuple[str, float]], frameworks: Sequence[str], title: str) -> None:
    """`kinds`: the headers of the counts by kind; `grades`: each grade word with its place from
    best (0) to worst (1), for its colour; `frameworks`: the titles of the batch's frameworks."""
    several = len(frameworks) > 1
    # One framework: 评价框架 is not printed (its rows would be as high as its wrapped name).
    heads = [Column(c.header, c.width, printed=several) if c.header == "评价框架" else c for c in RANK_HEADERS]
    columns = (*heads, *(Column(kind, 5, printed=False) for kind in kinds), *RANK_TAIL)
    index = {column.header: get_column_letter(number) for number, column in enumerate(columns, start=1)}
    if not several and frameworks:
        title = f"{title}（{frameworks[0]}）"
    _header(ws, columns)
    _body(ws, columns, rows)
    last_row = len(rows) + 1
    if not several:  # one framework: named in the page header, not on every row
        ws.column_dimensions[index["评价框架"]].hidden = True
    project = [column.header for column in columns].index("项目")
    if all(row[project] is None for row in rows):  # no project evaluations: no empty column on paper
        ws.column_dimensions[index["项目"]].hidden = True
    ws.freeze_panes = f"{index['项目']}2"  # 排名, 评价框架 and 评价单位 stay in view
    _page(ws, columns, last_row, title)
    if not rows:
        return
    difference, total, review, grade = index["差额"], index["计算总分"], index["审核得分"], index["等级"]
    span = f"{difference}2:{difference}{last_row}"
    # A unit claimed more than it scores (negative), or less (positive).
    ws.conditional_formatting.add(span, CellIsRule(operator="lessThan", formula=["0"], fill=ALERT_FILL))
    ws.conditional_formatting.add(span, CellIsRule(operator="greaterThan", formula=["0"], fill=CALM_FILL))
    # A review score that differs from the computed total, as the reviewer types it.
    ws.conditional_formatting.add(
        f"{review}2:{review}{last_row}", FormulaRule(formula=[f"AND(ISNUMBER({review}2),{review}2<>{total}2)"], fill=ALERT_FILL, font=font(bold=True))
    )
    span = f"{grade}2:{grade}{last_row}"
    for word, place in grades:
        colour = GRADE_FILLS[round(place * (len(GRADE_FILLS) - 1))]
        ws.conditional_formatting.add(span, FormulaRule(formula=[f'{grade}2="{word}"'], fill=PatternFill("solid", fgColor=colour), stopIfTrue=True))
    ws.conditional_formatting.add(span, FormulaRule(formula=[f'NOT(ISERROR(SEARCH("不",{grade}2)))'], fill=GREY_FILL))


def problem_sheet(ws: Worksheet, rows: Sequence[Sequence[object]], title: str, notes: Sequence[object] = ()) -> None:
    """`notes`: the 审核意见 of the rows (carried from an earlier 汇总.xlsx)."""
    columns = PROBLEM_COLUMNS
    _header(ws, columns)
    _body(ws, columns, [[*row, notes[number] if number < len(notes) else None] for number, row in enumerate(rows)])
    ws.freeze_panes = "A2"
    _page(ws, columns, len(rows) + 1, title)


def indicator_sheet(ws: Worksheet, stats: Sequence[IndicatorStats], title: str) -> None:
    columns = INDICATOR_COLUMNS
    _header(ws, columns)
    _body(ws, columns, [item.row() for item in stats])
    ws.freeze_panes = "C2"
    _page(ws, columns, len(stats) + 1, title)
    if stats:
        rate = get_column_letter(8)
        ws.conditional_formatting.add(f"{rate}2:{rate}{len(stats) + 1}", CellIsRule(operator="lessThan", formula=["0.6"], fill=ALERT_FILL))


def chart_sheet(ws: Worksheet, grades: Sequence[tuple[str, int]], bands: Sequence[tuple[str, int]], losses: Sequence[tuple[str, float]], title: str) -> None:
    """Three small tables and a chart drawn from each: units per grade (pie), units per band of
    得分率 (column) and the indicators where most points are lost (bar)."""
    row = 1
    anchors = ("D1", "D15", "D29")
    specs = (
        ("等级", "单位数", grades, "各等级的单位数", "pie"),
        ("得分率", "单位数", bands, "计算总分的分布（计算总分 / 满分）", "col"),
        ("指标", "失分合计", losses, "失分最多的指标", "bar"),
    )
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 10
    for (label, value, table, caption, kind), anchor in zip(specs, anchors):
        _header(ws, (Column(label, 30), Column(value, 10)), row)
        first = row + 1
        _body(ws, (Column(label, 30), Column(value, 10)), [list(item) for item in table], first)
        last = row + max(len(table), 1)
        chart: Any
        if kind == "pie":
            chart = PieChart()
        else:
            chart = BarChart()
            chart.type = "bar" if kind == "bar" else "col"
            chart.legend = None
            chart.y_axis.title = value
            chart.y_axis.majorGridlines = None
            # Excel draws a horizontal bar chart's categories bottom-up: the largest loss on top.
            if kind == "bar":
                chart.x_axis.scaling.orientation = "maxMin"
        chart.title = caption
        chart.add_data(Reference(ws, min_col=2, min_row=row, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        chart.width, chart.height = 20, 6.8
        ws.add_chart(chart, anchor)
        row = last + 3
    print_setup(ws, landscape=True)
    ws.page_setup.fitToHeight = 1  # the three charts on one page
    ws.oddHeader.center.text = title


def workbook_bytes(build: Any) -> bytes:
    """A new workbook filled by `build(book)`, as bytes."""
    book = Workbook()
    build(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def kind_headers(evaluations: Sequence[UnitRow]) -> tuple[list[str], list[str]]:
    """The kinds of findings met in the batch, most common first, KIND_COLUMNS of them with a column
    each (the rest under 其他): (kinds, headers)."""
    counts: dict[str, int] = {}
    for evaluation in evaluations:
        for flag in evaluation.flags:
            counts[flag.kind] = counts.get(flag.kind, 0) + 1
    order = list(FLAG_KINDS)
    kinds = sorted(counts, key=lambda kind: (-counts[kind], order.index(kind)))
    shown = kinds[:KIND_COLUMNS] if len(kinds) <= KIND_COLUMNS else kinds[: KIND_COLUMNS - 1]
    headers = [FLAG_KINDS[kind] for kind in shown] + (["其他问题"] if len(kinds) > len(shown) else [])
    return shown, headers
