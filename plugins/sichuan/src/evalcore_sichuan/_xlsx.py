"""The `sichuan-xlsx` format: a Sichuan target form in its official layout, plus a 核算 sheet.

Two layouts, chosen by framework id:

- ``sichuan.miyi.project-targets.2021`` — 特定目标类部门预算项目绩效目标自评 as printed in the
  米易 2021 单位决算 (附件1–3): 项目名称, 预算单位, 预算执行情况（万元）(预算数 / 执行数,
  其中-财政拨款, 其它资金), 年度目标完成情况, 绩效指标完成情况 (一级/二级/三级/预期指标值/
  实际完成指标值). No score columns: the form has none.
- ``sichuan.project-targets.2023`` — 部门预算项目支出绩效自评表 (2023 版): 预算执行情况 with
  年初预算数/调整后预算数/执行数/分值/执行率/得分 for 总额 and each source, 年度目标完成情况,
  绩效指标 with 指标性质/指标值/度量单位/完成值/权重/得分/未完成原因分析, and 总分.

The second sheet, 核算, shows each row's comparison (达到 / 未达到，完成 x%) and the trace, so that a
reviewer can check every figure of the form; the findings are listed in the 问题清单 (`issues`), not
printed here. Both sheets print on A4 landscape, one page wide; their pages are planned, and a merged
label that crosses a page break is cut there and repeated, so that every page names its 一级指标. A row whose encoded target
differs from the printed text keeps the printed text in its note, shown as a cell comment.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from copy import copy
from decimal import Decimal

from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.cell.cell import Cell  # type: ignore[import-untyped, unused-ignore]
from openpyxl.comments import Comment  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import Alignment, PatternFill  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped, unused-ignore]

from evalcore import EvalcoreError, Evaluation, FormatOptions
from evalcore.outputs import cell_number, clean_text, put_text, question_line, text_lines, total_text
from evalcore.outputs.sheet import BODY_PT, BORDER, HEADER_FILL, LINE_PT, NOTE_FILL, PAD_PT, Merges, paginate, parts, print_setup, workbook
from evalcore.outputs.sheet import font as _font
from evalcore.rules import TargetRule

from . import LAYOUT_IDS
from ._form import FormRow, FormView, completion, direction_of, fmt, form_view, money, rate, source_line

__all__ = ["LAYOUTS", "MIYI_2021", "SICHUAN_2023", "render_xlsx"]

MIYI_2021, SICHUAN_2023 = LAYOUT_IDS
FORMAT = "sichuan-xlsx"

MISSED_FILL = NOTE_FILL  # an indicator below its target


class Sheet:
    """A worksheet with the form's column widths: cells with borders and wrap, merged ranges,
    and row heights grown to fit the wrapped text they hold."""

    def __init__(self, ws: Worksheet, widths: Sequence[float]) -> None:
        self.ws = ws
        self.widths = list(widths)
        self.lines: dict[int, float] = {}
        self.merges: list[tuple[int, int, int, int]] = []  # merged when the pages are known
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width

    def put(
        self,
        row: int,
        col: int,
        value: object,
        *,
        last_row: int | None = None,
        last_col: int | None = None,
        bold: bool = False,
        size: float = BODY_PT,
        align: str = "center",
        border: bool = True,
        fill: PatternFill | None = None,
    ) -> None:
        """Write a value into the range row..last_row × col..last_col (merged when larger than a cell)."""
        last_row = row if last_row is None else last_row
        last_col = col if last_col is None else last_col
        cell = self.ws.cell(row=row, column=col)
        put_text(cell, value if value != "" else None)
        cell.font = _font(size, bold)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if fill is not None:
            cell.fill = fill
        if last_row > row or last_col > col:
            self.merges.append((row, last_row, col, last_col))
        if border:
            for r in range(row, last_row + 1):
                for c in range(col, last_col + 1):
                    self.ws.cell(row=r, column=c).border = BORDER
        text = "" if value is None else str(value)
        if text:
            width = sum(self.widths[col - 1 : last_col])
            need = text_lines(text, width) * (size / BODY_PT)
            per_row = need / (last_row - row + 1)
            for r in range(row, last_row + 1):
                self.lines[r] = max(self.lines.get(r, 1.0), per_row)

    def comment(self, row: int, col: int, text: str) -> None:
        comment = Comment(clean_text(text, f"{self.ws.title}!{get_column_letter(col)}{row} 的批注"), "evalcore")
        comment.width = 320
        comment.height = 160
        self.ws.cell(row=row, column=col).comment = comment

    def finish(self, title: int, first: int, last: int) -> None:
        """Row heights, print setup (A4 landscape, row `title` repeated on every page), the pages of
        rows first..last planned, and the merges made: one cut where a page begins holds its value
        again below the break."""
        for r, lines in self.lines.items():
            self.ws.row_dimensions[r].height = round(lines * LINE_PT + PAD_PT, 1)
        print_setup(self.ws, landscape=True)
        self.ws.print_title_rows = f"{title}:{title}"
        starts = paginate(self.ws, len(self.widths), True, (title, title), first, last)
        merges = Merges(self.ws)
        for row, last_row, col, last_col in self.merges:
            top: Cell = self.ws.cell(row=row, column=col)
            for begin, end in parts(row, last_row, starts):
                if begin != row:
                    cell = self.ws.cell(row=begin, column=col)
                    cell.value = top.value
                    cell.font = copy(top.font)
                    cell.alignment = copy(top.alignment)
                    cell.fill = copy(top.fill)
                merges.merge(begin, end, col, last_col)


def _year(view: FormView) -> int:
    return view.evaluation.data.year or view.evaluation.framework.year


def _report(view: FormView, key: str) -> str:
    value = view.evaluation.data.report.get(key)
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    return str(value)


def _head(sheet: Sheet, view: FormView, title: str, ncols: int) -> int:
    """Title, （年度）, 项目名称 and 预算单位 rows; returns the last row written."""
    sheet.put(1, 1, title, last_col=ncols, bold=True, size=16, border=False)
    sheet.put(2, 1, f"（{_year(view)}年度）", last_col=ncols, border=False)
    data = view.evaluation.data
    sheet.put(3, 1, "项目名称", bold=True)
    sheet.put(3, 2, data.project or "", last_col=ncols, align="left")
    sheet.put(4, 1, "预算单位", bold=True)
    sheet.put(4, 2, data.unit or "", last_col=ncols, align="left")
    return 4


def _goals(sheet: Sheet, view: FormView, r: int, split: int, ncols: int) -> int:
    """年度目标完成情况: 预期目标 in columns 2..split, 实际完成目标 in split+1..ncols."""
    sheet.put(r, 1, "年度目标完成情况", last_row=r + 1, bold=True)
    sheet.put(r, 2, "预期目标", last_col=split, bold=True, fill=HEADER_FILL)
    sheet.put(r, split + 1, "实际完成目标", last_col=ncols, bold=True, fill=HEADER_FILL)
    sheet.put(r + 1, 2, _report(view, "预期目标"), last_col=split, align="left")
    sheet.put(r + 1, split + 1, _report(view, "实际完成目标"), last_col=ncols, align="left")
    return r + 1


def _level_cells(sheet: Sheet, rows: Sequence[FormRow], first: int, col: int) -> None:
    """一级 in `col` and 二级 in `col + 1`, each merged over its consecutive rows; a two-level
    path puts its 二级 name across the 二级 and 三级 columns."""
    for level in (0, 1):
        i = 0
        while i < len(rows):
            path = rows[i].row.path
            if level == 1 and len(path) == 2:
                i += 1
                continue
            key = path[: level + 1]
            j = i
            while j + 1 < len(rows) and rows[j + 1].row.path[: level + 1] == key and (level == 0 or len(rows[j + 1].row.path) == 3):
                j += 1
            sheet.put(first + i, col + level, key[-1], last_row=first + j)
            i = j + 1
    for i, item in enumerate(rows):
        path = item.row.path
        if len(path) == 2:
            sheet.put(first + i, col + 1, path[1], last_col=col + 2)
        else:
            sheet.put(first + i, col + 2, path[2])


def _note(sheet: Sheet, row: int, col: int, item: FormRow) -> None:
    if item.row.note:
        sheet.comment(row, col, item.row.note)


def _question_note(sheet: Sheet, row: int, col: int, item: FormRow) -> None:
    """On a completion typed as a bare fraction that was questioned (待核实): both readings."""
    if item.leaf is not None and item.leaf.status == "questioned" and TargetRule.asks(item.row):
        sheet.comment(row, col, completion(item))


def _target_text(item: FormRow) -> str:
    return "无" if item.row.target is None else item.row.target.text


def _actual_text(item: FormRow) -> str:
    if item.row.target is None:
        return "无"
    return "" if item.row.actual is None else item.row.actual.text


def _missed(item: FormRow) -> bool:
    """Below its target, or questioned (待核实): a row the reviewer must look at."""
    leaf = item.leaf
    return leaf is not None and (leaf.status == "questioned" or leaf.value is not None and leaf.value < 100)


# ---------------------------------------------------------------------------------------------
# 米易 2021: 特定目标类部门预算项目绩效目标自评
# ---------------------------------------------------------------------------------------------

MIYI_WIDTHS = (14, 12, 14, 18, 26, 26)


def _miyi(wb: Workbook, view: FormView) -> None:
    ws = wb.active
    ws.title = "绩效目标自评"
    sheet = Sheet(ws, MIYI_WIDTHS)
    ncols = len(MIYI_WIDTHS)
    r = _head(sheet, view, view.evaluation.framework.title, ncols)

    # 预算执行情况(万元): 预算数 / 执行数, 其中-财政拨款, 其它资金 (seed 004 lines 122–138)
    r += 1
    sheet.put(r, 1, "预算执行情况(万元)", last_row=r + 2, bold=True)
    fiscal = source_line(view.sources, "财政拨款")
    other = source_line(view.sources, "其它资金")
    lines = (
        ("预算数:", view.budget.divisor(view.divisor_name), "执行数:", view.budget.executed),
        ("其中-财政拨款:", fiscal.divisor(view.divisor_name) if fiscal else None, "其中-财政拨款:", fiscal.executed if fiscal else None),
        ("其它资金:", other.divisor(view.divisor_name) if other else None, "其它资金:", other.executed if other else None),
    )
    for i, (left, budget, right, executed) in enumerate(lines):
        sheet.put(r + i, 2, left, align="right")
        sheet.put(r + i, 3, cell_number(budget))
        sheet.put(r + i, 4, right, align="right")
        sheet.put(r + i, 5, cell_number(executed), last_col=ncols)
    r += 2

    r = _goals(sheet, view, r + 1, 4, ncols)

    # 绩效指标完成情况 (seed 004 lines 148–237)
    r += 1
    header = r
    rows = view.rows
    sheet.put(r, 1, "绩效指标完成情况", last_row=r + max(len(rows), 1), bold=True)
    for col, text in enumerate(("一级指标", "二级指标", "三级指标", "预期指标值(包含数字及文字描述)", "实际完成指标值(包含数字及文字描述)"), start=2):
        sheet.put(r, col, text, bold=True, fill=HEADER_FILL)
    first = r + 1
    _level_cells(sheet, rows, first, 2)
    for i, item in enumerate(rows):
        row = first + i
        sheet.put(row, 5, _target_text(item), align="left")
        sheet.put(row, 6, _actual_text(item), align="left", fill=MISSED_FILL if _missed(item) else None)
        _note(sheet, row, 5, item)
        _question_note(sheet, row, 6, item)
    sheet.finish(header, first, first + len(rows) - 1)


# ---------------------------------------------------------------------------------------------
# 四川 2023: 部门预算项目支出绩效自评表
# ---------------------------------------------------------------------------------------------

SICHUAN_WIDTHS = (11, 10, 11, 16, 7, 9, 7, 10, 7, 7, 22)
SOURCE_ROWS = ("财政资金", "财政专户管理资金", "单位资金", "其他资金")


def _sichuan_2023(wb: Workbook, view: FormView) -> None:
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    sheet = Sheet(ws, SICHUAN_WIDTHS)
    ncols = len(SICHUAN_WIDTHS)
    evaluation = view.evaluation
    places = evaluation.framework.rounding.places
    r = _head(sheet, view, evaluation.framework.title, ncols)

    # 预算执行情况（万元）: columns 2–5 the row name, then 年初预算数 … 得分
    r += 1
    execution = view.execution
    low = view.reason_below is not None and execution.value is not None and execution.value < view.reason_below
    explain = bool(view.reason) or low  # a rate below the threshold needs its reason row, filled or not
    block_rows = 1 + 1 + len(SOURCE_ROWS) + (1 if explain else 0)
    sheet.put(r, 1, f"预算执行情况（万元）\n（{fmt(execution.weight)}分）", last_row=r + block_rows - 1, bold=True)
    sheet.put(r, 2, "", last_col=5, fill=HEADER_FILL)
    for col, text in enumerate(("年初预算数", view.divisor_name, "执行数", "分值", "执行率", "得分"), start=6):
        sheet.put(r, col, text, bold=True, fill=HEADER_FILL)
    lines = [("总额", view.budget)] + [(name, source_line(view.sources, name)) for name in SOURCE_ROWS]
    top = r + 1
    for i, (name, line) in enumerate(lines):
        row = top + i
        sheet.put(row, 2, name, last_col=5, bold=i == 0)
        sheet.put(row, 6, cell_number(line.initial) if line else None)
        sheet.put(row, 7, cell_number(line.divisor(view.divisor_name)) if line else None)
        sheet.put(row, 8, cell_number(line.executed) if line else None)
    bottom = top + len(lines) - 1
    sheet.put(top, 9, cell_number(execution.weight), last_row=bottom)
    asked = execution.status == "questioned"  # 执行数 typed without its unit: 万元 or 元
    sheet.put(top, 10, "待核实" if asked else rate(execution.value), last_row=bottom, fill=MISSED_FILL if low or asked else None)
    sheet.put(top, 11, cell_number(execution.score), last_row=bottom)
    r = bottom
    if explain:
        r += 1
        sheet.put(r, 2, "执行率偏低原因", last_col=5, bold=True)
        reason = view.reason or f"（执行率低于{fmt(view.reason_below)}%，未说明原因）"
        sheet.put(r, 6, reason, last_col=ncols, align="left", fill=None if view.reason else MISSED_FILL)

    r = _goals(sheet, view, r + 1, 5, ncols)

    # 绩效指标（90分）
    r += 1
    header = r
    rows = view.rows
    sheet.put(r, 1, f"绩效指标\n（{fmt(view.targets_weight)}分）", last_row=r + max(len(rows), 1), bold=True)
    heads = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析")
    for col, text in enumerate(heads, start=2):
        sheet.put(r, col, text, bold=True, fill=HEADER_FILL)
    first = r + 1
    _level_cells(sheet, rows, first, 2)
    for i, item in enumerate(rows):
        row = first + i
        target = item.row.target
        quantity = target is not None and target.kind in ("quantity", "range")
        if target is None:
            shown, unit = "无", ""
        elif target.kind == "quantity":
            shown, unit = fmt(target.value), target.unit or ""
        elif target.kind == "range":
            shown, unit = f"{fmt(target.low)}-{fmt(target.high)}", target.unit or ""
        else:
            shown, unit = target.text, ""
        actual = item.row.actual
        if actual is not None and quantity and actual.value is not None:
            done: str = fmt(actual.value)
        else:
            done = _actual_text(item)
        sheet.put(row, 5, direction_of(item))
        sheet.put(row, 6, shown, align="center" if quantity else "left")
        sheet.put(row, 7, unit)
        sheet.put(row, 8, done, align="center" if quantity else "left", fill=MISSED_FILL if _missed(item) else None)
        _question_note(sheet, row, 8, item)
        if item.first:
            leaf = item.leaf
            last = row + item.span - 1
            sheet.put(row, 9, cell_number(leaf.weight) if leaf else None, last_row=last)
            sheet.put(row, 10, cell_number(leaf.score) if leaf else None, last_row=last)
        sheet.put(row, 11, item.row.note or "", align="left")
    r = first + len(rows) - 1 if rows else first
    r += 1
    sheet.put(r, 1, "总分", last_col=8, bold=True)
    sheet.put(r, 9, cell_number(evaluation.max), bold=True)
    sheet.put(r, 10, cell_number(Decimal(fmt(evaluation.total, places))) if evaluation.complete else None, bold=True)
    grade = f"评价等级：{evaluation.grade_text}"
    question = question_line(evaluation)
    if question is not None:
        grade += f"\n{question}"
    sheet.put(r, 11, grade, bold=True)
    sheet.finish(header, first, r)


# ---------------------------------------------------------------------------------------------
# 核算: evalcore's comparison of every row, the trace and the flags
# ---------------------------------------------------------------------------------------------

CHECK_WIDTHS = (30, 18, 18, 20, 8, 8, 48, 30)


def _check_sheet(wb: Workbook, view: FormView) -> None:
    ws = wb.create_sheet("核算")
    sheet = Sheet(ws, CHECK_WIDTHS)
    ncols = len(CHECK_WIDTHS)
    evaluation = view.evaluation
    sheet.put(1, 1, f"{evaluation.data.project or evaluation.framework.title} · 完成情况核算", last_col=ncols, bold=True, size=14, border=False)
    heads = ("指标", "预期指标值", "实际完成值", "完成情况", "分值", "得分", "核算依据", "说明")
    for col, text in enumerate(heads, start=1):
        sheet.put(2, col, text, bold=True, fill=HEADER_FILL)
    r = 3
    execution = view.execution
    scored = view.scored
    sheet.put(r, 1, f"预算执行率（执行数 / {view.divisor_name}）", align="left")
    divisor = view.budget.divisor(view.divisor_name)
    sheet.put(r, 2, money(divisor) + ("万元" if divisor is not None else ""))
    asked = execution.status == "questioned"  # 执行数 typed without its unit: 万元 or 元 (see the trace)
    sheet.put(r, 3, money(view.budget.executed) + ("（单位待核实）" if asked else "万元" if view.budget.executed is not None else ""))
    sheet.put(r, 4, "待核实" if asked else rate(execution.value))
    sheet.put(r, 5, cell_number(execution.weight) if scored else "不计分")
    sheet.put(r, 6, cell_number(execution.score) if scored else "")
    sheet.put(r, 7, "\n".join(execution.trace), align="left")
    sheet.put(r, 8, view.reason or "", align="left")
    for item in view.rows:
        r += 1
        leaf = item.leaf
        sheet.put(r, 1, "/".join(item.row.path), align="left")
        sheet.put(r, 2, _target_text(item), align="left")
        sheet.put(r, 3, _actual_text(item), align="left")
        sheet.put(r, 4, completion(item), fill=MISSED_FILL if _missed(item) else None)
        if item.first and leaf is not None and scored:
            sheet.put(r, 5, cell_number(leaf.weight), last_row=r + item.span - 1)
            sheet.put(r, 6, cell_number(leaf.score), last_row=r + item.span - 1)
        elif not scored:
            sheet.put(r, 5, "不计分")
            sheet.put(r, 6, "")
        sheet.put(r, 7, "\n".join(leaf.trace) if leaf is not None and item.first else "", align="left")
        sheet.put(r, 8, item.row.note or "", align="left")
    r += 1
    if scored:
        summary = f"计算总分 {total_text(evaluation)}"
        summary += f"，评价等级：{evaluation.grade_text}"
        question = question_line(evaluation)
        if question is not None:
            summary += f"\n{question}"
    else:
        summary = "本表不计分：逐项列示指标完成情况与预算执行率，不计算总分，不评定等级"
    sheet.put(r, 1, summary, last_col=ncols, bold=True, align="left")
    sheet.finish(2, 3, r)


LAYOUTS: dict[str, Callable[[Workbook, FormView], None]] = {
    MIYI_2021: _miyi,
    SICHUAN_2023: _sichuan_2023,
}


def render_xlsx(evaluation: Evaluation, options: FormatOptions) -> bytes:
    """The form in its official layout (first sheet) and evalcore's 核算 (second sheet)."""
    framework_id = evaluation.framework.id
    draw = LAYOUTS.get(framework_id)
    if draw is None:
        known = "、".join(LAYOUTS)
        raise EvalcoreError(
            f"四川自评表（Excel）没有框架 {framework_id} 的表式；支持：{known}",
            hint="其他框架用 --format xlsx（通用评分表）、md 或 csv",
        )
    view = form_view(evaluation, FORMAT)
    wb = workbook()
    draw(wb, view)
    _check_sheet(wb, view)
    wb.properties.title = clean_text(f"{evaluation.data.project or ''}{evaluation.framework.title}", "文件属性“标题”")
    wb.properties.creator = "evalcore"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
