"""The printed pages a worksheet writer plans (evalcore.outputs.sheet): the fit-to-width scale, the
manual row breaks, and merged labels cut at them. Expected rows are worked by hand from the A4 page
(841.9 × 595.3 pt landscape; margins 0.5 in left and right, 0.6 in top, 0.7 in bottom: 769.9 ×
501.7 pt inside) and the planned share of it (0.92: 461.6 pt)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from evalcore import FormatOptions
from evalcore.cli._common import evaluate_file
from evalcore.outputs._workbook import render_workbook
from evalcore.outputs.sheet import fit_scale, hide_columns, paginate, parts, print_setup, workbook

from .conftest import EXAMPLES
from .sheet_pages import merged_across_pages, page_starts


def _sheet(widths: list[float], heights: list[float]) -> openpyxl.worksheet.worksheet.Worksheet:
    book = workbook()
    ws = book.active
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for row, height in enumerate(heights, start=1):
        ws.row_dimensions[row].height = height
        ws.cell(row=row, column=1, value=f"第{row}行")
    print_setup(ws, landscape=True)
    return ws


def test_the_scale_fits_the_printed_columns_into_one_page_width() -> None:
    # 10 columns of 10 characters: 100 × 8 px × 0.75 = 600 pt, within 769.9: printed at 100 %
    assert fit_scale(_sheet([10] * 10, []), 10, landscape=True) == 1.0
    # 10 columns of 20: 1200 pt → 769.9 / 1200 = 64.2 %, in whole percent 64 %
    ws = _sheet([20] * 10, [])
    assert fit_scale(ws, 10, landscape=True) == 0.64
    # a hidden column is not printed: 9 × 20 → 1080 pt → 71 %
    hide_columns(ws, [3])
    assert fit_scale(ws, 10, landscape=True) == 0.71


def test_pages_take_rows_while_they_fit_and_repeat_the_title_row() -> None:
    # row 1 title 30 pt, row 2 the repeated header 20 pt, rows 3–20 100 pt each, at 100 %.
    ws = _sheet([10] * 10, [30, 20] + [100] * 18)
    starts = paginate(ws, 10, True, (2, 2), 3, 20)
    # page 1: 50 + 4 × 100 = 450 ≤ 461.6, a fifth row would make 550: page 2 begins at row 7;
    # page 2 onwards: 20 (header) + 4 × 100 = 420, a fifth 520: pages begin at 11, 15, 19
    assert starts == [7, 11, 15, 19]
    assert page_starts(ws) == {7, 11, 15, 19}


def test_a_kept_row_stays_with_the_row_above_it() -> None:
    ws = _sheet([10] * 10, [30, 20] + [100] * 5)
    # without keeping, row 7 would begin page 2; kept, page 2 begins at row 6 with it
    assert paginate(ws, 10, True, (2, 2), 3, 7) == [7]
    assert paginate(ws, 10, True, (2, 2), 3, 7, keep=[7]) == [6]


def test_a_merged_label_is_cut_where_a_page_begins() -> None:
    assert parts(4, 10, [7, 11]) == [(4, 6), (7, 10)]
    assert parts(4, 10, [4, 20]) == [(4, 10)]  # a block that begins a page is not cut
    assert parts(4, 10, [5, 8]) == [(4, 4), (5, 7), (8, 10)]


def test_the_general_sheet_repeats_its_first_level_names_and_prints_no_findings(tmp_path: Path) -> None:
    evaluation = evaluate_file(EXAMPLES / "hunan" / "hecheng-dept-2020.toml", None)
    path = tmp_path / "通用评分表.xlsx"
    path.write_bytes(render_workbook(evaluation, FormatOptions()))
    ws = openpyxl.load_workbook(path).active
    starts = sorted(page_starts(ws))
    assert starts, "a 23-row table takes more than one page"
    # every page begins with a named 一级指标 cell
    assert all(ws.cell(row=row, column=1).value for row in starts)
    # …that is the same block, read whole across the breaks: 过程 over its fifteen rows
    first = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "一级指标") + 1
    assert f"A{first + 5}:A{first + 19}" in merged_across_pages(ws)
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any("需要关注" in t or evaluation.framework.id in t or "evalcore" in t.lower() for t in texts)


def test_the_general_sheet_keeps_a_title_that_names_its_own_year() -> None:
    # 城步 2023 data scored with 桃江's 2021 table: the table's own title, no second year before it.
    titles = {}
    for name in ("chengbu-dept-2023", "hecheng-dept-2020"):
        evaluation = evaluate_file(EXAMPLES / "hunan" / f"{name}.toml", None)
        titles[name] = openpyxl.load_workbook(io.BytesIO(render_workbook(evaluation, FormatOptions()))).active["A1"].value
    assert titles == {"chengbu-dept-2023": "桃江县2021年度部门整体支出绩效评价指标及评分表", "hecheng-dept-2020": "2020年度部门整体支出绩效评价共性指标框架"}


def test_a_sheet_setting_its_own_margins_leaves_the_next_sheets_page_plan_alone() -> None:
    from openpyxl import Workbook

    from evalcore.outputs.sheet import MARGINS, print_setup

    before = (MARGINS.top, MARGINS.bottom, MARGINS.header, MARGINS.footer)
    ws = Workbook().active
    print_setup(ws, landscape=True)
    ws.page_margins.top = 0.1  # as the 汇总 sheet does for its own header
    assert (MARGINS.top, MARGINS.bottom, MARGINS.header, MARGINS.footer) == before
