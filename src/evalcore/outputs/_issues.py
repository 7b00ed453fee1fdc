"""The 问题清单 workbook (`issues`, {单位}-问题清单.xlsx): every point of a unit's self-evaluation to
look at — a self-score that disagrees with the data, a missing figure, a 待核实 percent — one row each
with what to do, and empty columns for the unit's explanation and the reviewer's opinion.

The findings live here, not in the 自评报告 or under the 评分表, which a unit files as they come out.
It is written in the officer's words: no file, key or tool names. openpyxl is imported here, so this
module is imported only when the workbook is written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..model import FLAG_KINDS, Evaluation, Flag, FormatOptions, frozen
from ._sanitize import put_text
from ._text import question_advice, summary_lines
from ._wrap import text_lines
from .sheet import BODY_PT, BORDER, HEADER_FILL, LINE_PT, PAD_PT, font, print_setup

__all__ = ["FLAG_ADVICE", "ISSUE_COLUMNS", "ReviewNote", "issue_rows", "issues_workbook", "render_issues"]

# What a unit does about each kind of finding, in its own words.
FLAG_ADVICE: dict[str, str] = {
    "rule_defect": "评分标准本身有误（得分可能超出分值），请向制定评分表的财政部门反映，该指标暂不计分",
    "rule_error": "按说明改正填报的数据；若数值落在评分标准的空档或重叠处，请向财政部门反映",
    "self_total_mismatch": "核对自评表的合计数",
    "stated_grade_mismatch": "按计算总分改正评价等级",
    "self_score_mismatch": "核对基础数据；数据无误时按计算得分修改自评分，或在自评报告中说明理由",
    "stated_mismatch": "改正材料中的数字，使之与基础数据一致",
    "division_by_zero": "核对作除数的数据是否确实为 0；确实为 0 时写明评定得分和理由",
    "missing_input": "补填该项基础数据；确实没有数据时，写明评定得分和理由",
    "score_ignored": "该指标已按数据计分，所填评定得分未采用，一般无需处理",
    "year_mismatch": "确认所用评分表的年度是否正确",
    "unit_converted": "核对换算后的数是否正确（如 515 元是否本应是 515 万元）",
    "file_encoding": "核对单位名称等文字没有乱码；数据文件请另存为 UTF-8 编码",
    "not_applicable": "核对该指标不适用的理由是否成立",
    "exemption": "核对申请豁免的理由是否属于评分标准规定的可不扣分情形；不属于的，删去豁免申请，按评分标准计分",
    "assessed": "得分由评定给出，没有数据佐证：审核时重点核对理由，能取得数据的改为填写数据",
    "actual_bound": "填写实际达到的数值，而不是“≥98%”这样的范围",
    "actual_not_numeric": "填写实际完成的数值，或写明评定档次、得分和理由",
    "over_target": "说明完成值大幅超出目标的原因（多为年初目标定得过低）",
    "reason_missing": "说明预算执行率偏低的原因",
    "over_budget": "核对执行数与预算数的单位是否一致（如把以元计的数填进了以万元计的栏）；确实超出预算的，说明原因",
    "weight_mismatch": "核对各指标的分值，使之合计等于规定的总分",
    "questioned": "核实所填的数后在数据中写明百分号或单位，使它只有一种读法",
}

# (header, width in Excel character units; a CJK character takes about 2)
ISSUE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 5),
    ("问题类别", 12),
    ("指标", 20),
    ("情况说明", 46),
    ("处理建议", 30),
    ("单位说明", 18),
    ("审核意见", 18),
)
_ORDER = tuple(FLAG_KINDS)
# A kind with more entries than this is one row listing its indicators: a unit with twenty
# indicators scored by judgment reads one line about it, not twenty.
GROUP_OVER = 3


@frozen
class ReviewNote:
    """A reviewer's opinion on one indicator (its path joined by "/", or "" for the whole unit)."""

    indicator: str
    text: str


def issue_rows(evaluation: Evaluation) -> list[tuple[str, str, str, str]]:
    """(类别, 指标, 情况说明, 处理建议) for every finding, the weightiest kinds first; a kind with many
    entries is one row naming its indicators."""
    by_kind: dict[str, list[Flag]] = {}
    for flag in evaluation.flags:
        by_kind.setdefault(flag.kind, []).append(flag)
    rows: list[tuple[str, str, str, str]] = []
    for kind in sorted(by_kind, key=_ORDER.index):
        flags = by_kind[kind]
        advice = FLAG_ADVICE[kind] if kind != "questioned" else _question_advice(evaluation)
        if len(flags) > GROUP_OVER:
            # Two indicators may share a name (管理制度健全性 under 预算管理 and 资产管理).
            tails = [flag.path[-1] if flag.path else "全表" for flag in flags]
            names = "、".join(dict.fromkeys("/".join(flag.path[-2:]) if tails.count(tail) > 1 else tail for flag, tail in zip(flags, tails)))
            rows.append((FLAG_KINDS[kind], f"共 {len(flags)} 项", f"{names}（各项的情况见评分表的计分依据）", advice))
            continue
        rows.extend((FLAG_KINDS[kind], "/".join(flag.path[-2:]) if flag.path else "全表", flag.message, advice) for flag in flags)
    return rows


def _question_advice(evaluation: Evaluation) -> str:
    """What to write for the unit's questioned figures, of the kinds it has (% or 执行数's unit)."""
    _why, write, example = question_advice(evaluation)
    return f"核实后在数据中{write}，如 {example}，使它只有一种读法"


def issues_workbook(evaluation: Evaluation, notes: Sequence[ReviewNote] = ()) -> bytes:
    """The 问题清单 of one unit; a reviewer's notes fill 审核意见 (on the indicator's own row when it
    has one, otherwise as a row of their own)."""
    book = Workbook()
    ws = book.active
    ws.title = "问题清单"
    for col, (_header, width) in enumerate(ISSUE_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    last = len(ISSUE_COLUMNS)
    data = evaluation.data
    who = (data.unit or "") + (f"：{data.project}" if data.project else "")
    year = data.year or evaluation.framework.year
    # A project named with its year (“2020年度预算支出（……）”) is not given it a second time.
    year_part = "" if f"{year}年" in who else f"{year}年度"
    row = _line(ws, 1, f"{who}{year_part}绩效自评问题清单", size=16, bold=True, least=30)
    framework = evaluation.framework
    row = _line(ws, row, f"评价依据：{framework.title}（{framework.region}，{framework.year}年度）")
    row = _line(ws, row, "；".join(summary_lines(evaluation)))
    header = row
    for col, (title, _width) in enumerate(ISSUE_COLUMNS, start=1):
        _cell(ws, header, col, title, bold=True, fill=True)
    ws.row_dimensions[header].height = LINE_PT + PAD_PT
    rows = issue_rows(evaluation)
    pending = {note.indicator: note.text for note in notes}
    body: list[list[object]] = []
    for number, (kind, where, message, advice) in enumerate(rows, start=1):
        opinion = pending.pop(where, None) if where not in ("全表",) and not where.startswith("共 ") else None
        body.append([number, kind, where, message, advice, None, opinion])
    for indicator, text in pending.items():
        body.append([len(body) + 1, "审核意见", indicator or "全表", text, None, None, None])
    if not body:
        body.append([None, None, None, "未发现需要关注的问题", None, None, None])
    for values in body:
        row += 1
        for col, value in enumerate(values, start=1):
            _cell(ws, row, col, value, align="center" if col in (1, 2) else "left")
        ws.row_dimensions[row].height = _height(values)
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    ws.auto_filter.ref = f"A{header}:{get_column_letter(last)}{row}"
    ws.print_title_rows = f"{header}:{header}"
    print_setup(ws, landscape=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_issues(evaluation: Evaluation, options: FormatOptions) -> bytes:
    return issues_workbook(evaluation)


def _line(ws: Worksheet, row: int, text: str, *, size: float = BODY_PT, bold: bool = False, least: float = 0) -> int:
    """A title or summary line across the whole width, its row as high as its text wraps to at its
    size (and at least `least` points); returns the next row."""
    cell = ws.cell(row=row, column=1)
    put_text(cell, text)
    cell.font = font(size, bold)
    cell.alignment = Alignment(horizontal="center" if bold else "left", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(ISSUE_COLUMNS))
    total_width = sum(width for _title, width in ISSUE_COLUMNS)
    scale = size / BODY_PT  # a larger font: fewer characters to a line, each line higher
    lines = max(1, text_lines(text, total_width / scale))
    ws.row_dimensions[row].height = max(least, lines * LINE_PT * scale + PAD_PT)
    return row + 1


def _cell(ws: Worksheet, row: int, col: int, value: object, *, bold: bool = False, fill: bool = False, align: str = "center") -> None:
    cell = ws.cell(row=row, column=col)
    put_text(cell, value)
    cell.font = font(BODY_PT, bold)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    cell.border = BORDER
    if fill:
        cell.fill = HEADER_FILL


def _height(values: Sequence[object]) -> float:
    """The row's height: the most lines any of its cells wraps to at the column's width."""
    lines = 1
    for value, (_title, width) in zip(values, ISSUE_COLUMNS):
        if value is not None:
            lines = max(lines, text_lines(str(value), width))
    return lines * LINE_PT + PAD_PT
