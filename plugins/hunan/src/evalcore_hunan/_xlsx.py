"""The `xlsx` format: the 评分表 (绩效评价指标及评分表) in the layout of the Hunan county documents.

Title row, 评价单位/填报日期 row, header row (repeated on every printed page), one row per scored
indicator with its 一级/二级/三级 names merged over their rows, the 总  分 row and the signature line
of the seed's table. Missing scores stay empty cells (never 0) with the reason in 计分依据.

The sheet is filed as it prints: a column with nothing in it for this unit is hidden (not printed);
the pages are planned (manual row breaks) and a merged label that crosses a page break is cut there
and repeated, so that every page names its 一级指标; the findings are not printed under the table
but listed in the 问题清单 (`issues`).
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Sequence
from decimal import Decimal

from openpyxl.comments import Comment  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped, unused-ignore]

from evalcore import Evaluation, FormatOptions, LeafResult
from evalcore.model import STATUSES, describe_rule
from evalcore.outputs import cell_number, clean_text, put_text, question_line, total_text, unscored_count
from evalcore.outputs.sheet import BODY_PT, BORDER, HEADER_FILL, LINE_PT, NOTE_FILL, PAD_PT, Merges, hide_columns, paginate, parts, print_setup, workbook
from evalcore.outputs.sheet import font as _font

from ._layout import LEVELS, Row, fmt, layout, points, report_table, scored, sheet_title, text_lines

__all__ = ["COLUMNS", "basis", "render_xlsx"]

# (header, width in Excel character units); a CJK character takes about 2 units
COLUMNS: tuple[tuple[str, float], ...] = (
    ("一级指标", 9),
    ("二级指标", 10),
    ("三级指标", 15),
    ("指标内容", 22),
    ("评分标准", 28),
    ("指标说明", 30),
    ("分值", 6),
    ("自评得分", 6.5),
    ("审核得分", 6.5),
    ("计算得分", 6.5),
    ("计分依据", 38),
)
C_CONTENT, C_RULE, C_DESC, C_WEIGHT, C_SELF, C_REVIEW, C_SCORE, C_BASIS = range(4, 12)
NCOLS = len(COLUMNS)

MISMATCH = NOTE_FILL  # self-score differs from the computed score
EMPTY = PatternFill("solid", fgColor="E7E6E6")  # no computed score: missing, not applicable, error


def _content(rows: Sequence[Row], i: int) -> str:
    leaf = rows[i].leaves[0]
    return leaf.indicator.content or ""


def _content_column(rows: Sequence[Row]) -> bool:
    """Whether the table prints a 指标内容 column: when every row has its content (桃江). Where only
    some have one (鹤城's 效果 indicators), the seed prints it in the 评分标准 cell, above the rule."""
    return bool(rows) and all(_content(rows, i) for i in range(len(rows)))


def _rule_text(leaf: LeafResult, content: bool = False) -> str:
    indicator = leaf.indicator
    text = indicator.printed or describe_rule(indicator.rule, indicator.weight, indicator.unit)
    if content and indicator.content:
        text = f"{indicator.content}\n{text}"
    # The framework's note (why a rule is encoded as it is) is no part of the published standard:
    # a filed table leaves it out; `evalcore show` and the reference pages carry it.
    return text


def _description(row: Row) -> str:
    """指标说明; for a row below 三级 it is the row's own printed text, or else its name."""
    leaf = row.leaves[0]
    description = (leaf.indicator.description or "").strip()
    if row.detail is None:
        return description
    return description or row.detail


def basis(leaf: LeafResult, places: int, with_points: bool = True) -> str:
    """计分依据: status and computed score, then the trace (formula with values, deciding step)."""
    word = STATUSES[leaf.status]
    if not with_points:
        head = "【核对】"
    elif leaf.score is None:
        head = f"【{word}】未计分" if leaf.status != "not-applicable" else "【不适用】未计分（分值重新分配）"
    elif leaf.status == "not-applicable":
        head = f"【不适用】计 {fmt(leaf.score, places)} 分"
    else:
        head = f"【{word}】得 {fmt(leaf.score, places)} 分"
    lines = [head, *leaf.trace]
    if leaf.self_score is not None and leaf.score is not None and leaf.self_score != leaf.score:
        diff = leaf.score - leaf.self_score
        lines.append(f"≠ 自评 {fmt(leaf.self_score)} 分，计算得分{'高' if diff > 0 else '低'} {fmt(abs(diff), places)} 分")
    if leaf.note:
        lines.append(f"单位备注：{leaf.note}")
    return "\n".join(lines)


class _Sheet:
    """The worksheet being drawn, with the height each row needs for its wrapped text."""

    def __init__(self, ws: Worksheet, widths: Sequence[float]) -> None:
        self.ws = ws
        self.widths = list(widths)
        self.heights: dict[int, float] = {}
        self.spans: list[tuple[int, int, float]] = []  # (first row, last row, points needed)
        self.styles: dict[tuple[object, ...], object] = {}  # each cell style put, as openpyxl stores it
        self.merges = Merges(ws)
        self.blocks: list[tuple[int, int, int, int, str]] = []  # body merges, cut at page breaks later

    def put(
        self,
        row: int,
        col: int,
        value: object,
        *,
        font: Font | None = None,
        horizontal: str = "left",
        border: bool = True,
        fill: PatternFill | None = None,
    ) -> None:
        cell = self.ws.cell(row=row, column=col)
        put_text(cell, value)
        # A style is registered with the workbook once, then copied: openpyxl hashes every style
        # object each time one is set.
        key = (_font_key(font), horizontal, border, None if fill is None else (fill.fill_type, fill.fgColor.rgb))
        style = self.styles.get(key)
        if style is not None:
            cell._style = copy.copy(style)
            return
        cell.font = font or _font()
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if border:
            cell.border = BORDER
        if fill is not None:
            cell.fill = fill
        self.styles[key] = copy.copy(cell._style)

    def need(self, first: int, last: int, first_col: int, last_col: int, text: str, size: float = BODY_PT) -> None:
        """Record the height that `text` needs in the block of cells first..last × first_col..last_col."""
        if not text:
            return
        width = sum(self.widths[c - 1] for c in range(first_col, last_col + 1)) - 0.8
        if width <= 0:  # a column not printed
            return
        scale = size / BODY_PT
        lines = text_lines(text, width / scale)
        height = lines * LINE_PT * scale + PAD_PT
        if first == last:
            self.heights[first] = max(self.heights.get(first, 0.0), height)
        else:
            self.spans.append((first, last, height))

    def merge(self, first: int, last: int, first_col: int, last_col: int) -> None:
        self.merges.merge(first, last, first_col, last_col)

    def block(self, first: int, last: int, first_col: int, last_col: int, text: str) -> None:
        """A merged block of the body holding `text`; merged by `merge_blocks` once the pages are known."""
        self.blocks.append((first, last, first_col, last_col, text))

    def merge_blocks(self, starts: Sequence[int]) -> None:
        """Merge each body block, cut where a page begins, its text in every part."""
        for first, last, first_col, last_col, text in self.blocks:
            for top, bottom in parts(first, last, starts):
                if text:
                    put_text(self.ws.cell(row=top, column=first_col), text)
                self.merge(top, bottom, first_col, last_col)

    def apply_heights(self, minimum: float) -> None:
        for first, last, height in self.spans:
            rows = range(first, last + 1)
            have = sum(max(self.heights.get(r, minimum), minimum) for r in rows)
            if have < height:
                extra = (height - have) / len(rows)
                for r in rows:
                    self.heights[r] = max(self.heights.get(r, minimum), minimum) + extra
        for r, height in self.heights.items():
            self.ws.row_dimensions[r].height = round(max(height, minimum), 1)


def _font_key(font: Font | None) -> tuple[object, ...] | None:
    return None if font is None else (font.name, font.sz, font.b, font.color.rgb if font.color is not None else None)


def render_xlsx(evaluation: Evaluation, options: FormatOptions) -> bytes:
    """The 评分表 as an .xlsx workbook (bytes)."""
    data = evaluation.data
    places = evaluation.framework.rounding.places
    report = report_table(evaluation)
    wb = workbook()
    ws = wb.active
    ws.title = "评分表"
    rows, cells = layout(evaluation)
    show = scored(evaluation)  # False for completion forms without points
    widths = [width for _, width in COLUMNS]
    content_column = _content_column(rows)
    hidden = _empty_columns(evaluation, rows, show, content_column)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    hide_columns(ws, hidden)
    sheet = _Sheet(ws, [0.0 if i in hidden else width for i, width in enumerate(widths, start=1)])
    targets = evaluation.framework.kind == "project-targets"

    # title and the 评价单位 / 填报日期 line
    title = sheet_title(evaluation)
    sheet.put(1, 1, title, font=_font(16, bold=True), horizontal="center", border=False)
    sheet.merge(1, 1, 1, NCOLS)
    sheet.need(1, 1, 1, NCOLS, title, size=16)
    r = 2
    unit = f"评价单位（盖章）：{data.unit or ''}"
    date = f"填报日期：{data.date or '    年  月  日'}"
    sheet.put(r, 1, unit, border=False)
    sheet.merge(r, r, 1, 6)
    if not targets:  # a target form has its date in the line under the table
        sheet.put(r, 7, date, horizontal="right", border=False)
        sheet.merge(r, r, 7, NCOLS)
    if data.project:
        r += 1
        sheet.put(r, 1, f"项目名称：{data.project}", border=False)
        sheet.merge(r, r, 1, NCOLS)
    header = r + 1
    for col, (name, _) in enumerate(COLUMNS, start=1):
        sheet.put(header, col, name, font=_font(bold=True), horizontal="center", fill=HEADER_FILL)
        sheet.need(header, header, col, col, name)

    first = header + 1
    last = first + len(rows) - 1

    # the body: every cell bordered, then the level columns merged over their rows
    for i, row in enumerate(rows):
        leaf = row.leaves[0]
        r = first + i
        mismatch = show and leaf.self_score is not None and leaf.score is not None and leaf.self_score != leaf.score
        fill = MISMATCH if mismatch else None
        for col in range(1, LEVELS + 1):
            sheet.put(r, col, None, horizontal="center")
        values: list[tuple[int, object, str]] = [
            (C_CONTENT, _content(rows, i) if content_column else None, "left"),
            (C_RULE, _rule_text(leaf, not content_column), "left"),
            (C_DESC, _description(row), "left"),
            (C_WEIGHT, cell_number(leaf.weight) if show else None, "center"),
            (C_SELF, cell_number(leaf.self_score), "center"),
            (C_REVIEW, cell_number(leaf.review_score), "center"),
            (C_SCORE, cell_number(leaf.score) if show else None, "center"),
            (C_BASIS, basis(leaf, places, show), "left"),
        ]
        for col, value, horizontal in values:
            cell_fill = fill if fill is not None else (EMPTY if show and col == C_SCORE and leaf.score is None else None)
            font = _font(bold=True, color="C00000") if mismatch and col == C_SCORE else None
            sheet.put(r, col, value if value != "" else None, horizontal=horizontal, fill=cell_fill, font=font)
            if col in (C_DESC, C_BASIS):
                sheet.need(r, r, col, col, str(value))
    for cell in cells:
        r0, r1 = first + cell.first, first + cell.last
        c0, c1 = cell.col + 1, cell.last_col + 1
        sheet.need(r0, r1, c0, c1, cell.text)
        sheet.block(r0, r1, c0, c1, cell.text)
    merged_texts: tuple[tuple[int, Callable[[int], str]], ...] = (
        (C_CONTENT, lambda i: _content(rows, i)),
        (C_RULE, lambda i: _rule_text(rows[i].leaves[0], not content_column)),
    )
    for col, text_of in merged_texts:
        if col == C_CONTENT and not content_column:
            continue
        for r0, r1 in _runs(rows, text_of):
            sheet.need(first + r0, first + r1, col, col, text_of(r0))
            if r1 > r0:
                sheet.block(first + r0, first + r1, col, col, text_of(r0))

    # 总  分
    total_row = last + 1
    weights = evaluation.framework.leaf_weight
    self_total = evaluation.self_total if evaluation.self_total is not None else evaluation.stated_self_total
    differs = show and self_total is not None and self_total != evaluation.total
    total_fill = MISMATCH if differs else None
    sheet.put(total_row, 1, "总  分", font=_font(bold=True), horizontal="center")
    for col in range(2, C_WEIGHT):
        sheet.put(total_row, col, None)
    sheet.merge(total_row, total_row, 1, C_WEIGHT - 1)
    totals: list[tuple[int, int | Decimal | None]] = [
        (C_WEIGHT, cell_number(weights) if show else None),
        (C_SELF, cell_number(self_total)),
        (C_REVIEW, cell_number(evaluation.review_total) if evaluation.review_total is not None else None),
        (C_SCORE, cell_number(evaluation.total) if show else None),
    ]
    for col, value in totals:
        sheet.put(total_row, col, value, font=_font(bold=True), horizontal="center", fill=total_fill)
    if show and rows and evaluation.raw_total == evaluation.total:
        letter = get_column_letter(C_SCORE)
        ws.cell(row=total_row, column=C_SCORE).comment = Comment(f"各项计算得分合计，可用 =SUM({letter}{first}:{letter}{last}) 核对", "evalcore")
    summary = _summary(evaluation, self_total, places)
    sheet.put(total_row, C_BASIS, summary, font=_font(bold=True), fill=total_fill)
    sheet.need(total_row, total_row, C_BASIS, C_BASIS, summary)

    # the signature line of the seed's table and the legend, below the table; the findings are in
    # the 问题清单, not on the filed sheet
    r = total_row + 1
    if targets:  # 鹤城 附件4-2
        line = "    ".join(
            (
                f"填表人：{_text(report.get('填表人') or report.get('填报人'))}",
                f"填报日期：{data.date or ''}",
                f"联系电话：{_text(report.get('联系电话'))}",
                f"单位负责人签字：{_text(report.get('单位负责人'))}",
            )
        )
        sheet.put(r, 1, line, border=False)
        sheet.merge(r, r, 1, NCOLS)
    else:  # 桃江 附件2
        sheet.put(r, 1, f"填报人：{_text(report.get('填报人'))}", border=False)
        sheet.merge(r, r, 1, 6)
        sheet.put(r, 7, f"单位负责人（签字）：{_text(report.get('单位负责人'))}", border=False)
        sheet.merge(r, r, 7, NCOLS)
    sheet.heights[r] = 30
    r += 1
    legend = (
        "说明：“计算得分”按各指标的评分标准计算，“计分依据”列出计算过程；黄色底纹为自评得分与计算得分不一致的指标；"
        "灰色空白的计算得分表示该项缺少数据、待核实、不适用或无法计分，未按 0 分计入。"
    )
    sheet.put(r, 1, legend, font=_font(9), border=False)
    sheet.merge(r, r, 1, NCOLS)
    sheet.need(r, r, 1, NCOLS, legend, size=9)

    sheet.apply_heights(LINE_PT + PAD_PT)
    _page_setup(ws, header)
    starts = paginate(ws, NCOLS, True, (header, header), first, r, keep=range(total_row, r + 1))
    sheet.merge_blocks(starts)
    buffer = io.BytesIO()
    wb.properties.title = clean_text(title, "文件属性“标题”")
    wb.properties.creator = "evalcore"
    wb.save(buffer)
    return buffer.getvalue()


def _runs(rows: Sequence[Row], text_of: Callable[[int], str]) -> list[tuple[int, int]]:
    """Runs of sibling rows below 三级 that repeat one text (桃江 prints 指标内容 once per 三级指标)."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(rows):
        j = i
        text = text_of(i)
        if text and len(rows[i].path) > LEVELS:
            parent = rows[i].path[:-1]
            while j + 1 < len(rows) and rows[j + 1].path[:-1] == parent and text_of(j + 1) in (text, ""):
                j += 1
        out.append((i, j))
        i = j + 1
    return out


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _summary(evaluation: Evaluation, self_total: Decimal | None, places: int) -> str:
    if not scored(evaluation):
        return "本表只填报各项指标的完成情况，不计分"
    lines = [f"计算总分 {total_text(evaluation)}"]
    if evaluation.complete:
        lines[0] += f"，评价等级：{evaluation.grade_text}"
    else:
        question, unscored = question_line(evaluation), unscored_count(evaluation)
        if question is not None:
            lines.append(question)
        if unscored:
            lines.append(f"评价不完整：{unscored} 项指标未能计分，合计只含已计分指标，暂不评定等级")
        lines.append(f"评价等级：{evaluation.grade_text}")
    if evaluation.raw_total != evaluation.total:
        lines.append(f"不适用指标分值重新分配：各项合计 {fmt(evaluation.raw_total, places)} 分，折算为 {fmt(evaluation.total, places)} 分")
    stated = evaluation.stated_self_total
    if stated is not None and self_total is not None and stated != self_total:
        lines.append(f"单位填报的自评总分为 {points(stated)}，与各项自评得分合计 {points(self_total)}不符")
    if self_total is not None and self_total != evaluation.total:
        diff = evaluation.total - self_total
        note = "" if evaluation.complete else "（计算总分不完整，仅供参考）"
        lines.append(f"计算总分比自评{'高' if diff > 0 else '低'} {fmt(abs(diff), places)} 分{note}")
    return "\n".join(lines)


def _empty_columns(evaluation: Evaluation, rows: Sequence[Row], show: bool, content_column: bool) -> set[int]:
    """The columns with nothing to print for this unit: 指标内容 or 指标说明 that the framework does
    not have (鹤城 prints neither; a target form has no 指标说明), 自评得分 or 审核得分 not given,
    and 分值 / 计算得分 on a form without points."""
    leaves = [leaf for row in rows for leaf in row.leaves]
    empty: set[int] = set()
    if not content_column:
        empty.add(C_CONTENT)
    if not any(_description(row) for row in rows):
        empty.add(C_DESC)
    if all(leaf.self_score is None for leaf in leaves) and evaluation.self_total is None and evaluation.stated_self_total is None:
        empty.add(C_SELF)
    if all(leaf.review_score is None for leaf in leaves) and evaluation.review_total is None:
        empty.add(C_REVIEW)
    if not show:
        empty |= {C_WEIGHT, C_SCORE}
    return empty


def _page_setup(ws: Worksheet, header: int) -> None:
    print_setup(ws, landscape=True)
    ws.print_title_rows = f"{header}:{header}"
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
