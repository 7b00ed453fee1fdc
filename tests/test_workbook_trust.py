"""What a filled template's layout can hide from the values read out of it, refused with the cells
named rather than scored on a guess: a key on two rows (the second would replace the first), a
merged range over value cells (Excel keeps one value and shows it on every row), and a number
format that shows another number or unit than the cell holds (120000 shown as 12.0000万元)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalcore import DataError, evaluate, get_registry
from evalcore.model import ErrorGroup
from evalcore.workbook import MULTI_SHEET, read_workbook, read_workbook_units, template_workbook
from evalcore.workbook._display import shown_otherwise
from evalcore.workbook._rows import MergedSpan, merged_value_errors

from .test_workbook import fill_like_the_example

REGISTRY = get_registry()
FRAMEWORK = "hunan.hecheng.dept.2020"


def messages(error: BaseException) -> str:
    items = error.errors if isinstance(error, ErrorGroup) else [error]
    return "\n".join(str(item) for item in items)


def row_of(sheet: object, key: str) -> int:
    rows = [row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value == key]  # type: ignore[attr-defined]
    assert len(rows) == 1, (key, rows)
    return int(rows[0])


def changed(path: Path, edit: object) -> Path:
    book = load_workbook(path)
    edit(book)  # type: ignore[operator]
    book.save(path)
    return path


def refused(path: Path) -> str:
    with pytest.raises(DataError) as info:
        read_workbook(path, REGISTRY)
    return messages(info.value)


def test_the_filled_workbook_reads(tmp_path: Path) -> None:
    # The workbook every test below spoils in one way: as filled, it reads (编制数 37, as typed).
    framework, data = read_workbook(fill_like_the_example(tmp_path), REGISTRY)
    assert data.inputs["编制数"] == 37 and evaluate(framework, data).total > 0


# -- a key on two rows --------------------------------------------------------------------------


@pytest.mark.parametrize("second", [45, 37, None])
def test_an_input_on_two_rows_names_both_cells(tmp_path: Path, second: object) -> None:
    # An officer pastes 编制数 again at the bottom (45; or the same 37; or with the value blank):
    # the second row would have replaced the first without a word.
    path = fill_like_the_example(tmp_path)
    sheet_rows: dict[str, int] = {}

    def add_row(book: object) -> None:
        sheet = book["基础数据"]  # type: ignore[index]
        sheet_rows["first"] = row_of(sheet, "编制数")
        sheet.append(["编制数", None, "人", second])
        sheet_rows["second"] = sheet.max_row

    message = refused(changed(path, add_row))
    first, second_row = sheet_rows["first"], sheet_rows["second"]
    assert f"[基础数据!A{second_row}]" in message
    assert f"基础数据!A{first}" in message and "“编制数”出现了两次" in message and "只保留一行" in message


def test_an_indicator_on_two_rows_names_both_cells(tmp_path: Path) -> None:
    # 社会效益 repeated at the bottom with 评定得分 0: it would have replaced the score typed above.
    path = fill_like_the_example(tmp_path)
    where: dict[str, int] = {}

    def add_row(book: object) -> None:
        sheet = book["指标"]  # type: ignore[index]
        where["first"] = row_of(sheet, "社会效益")
        sheet.append(["社会效益", None, None, None, None, None, None, 0, "理由"])
        where["second"] = sheet.max_row

    message = refused(changed(path, add_row))
    assert f"[指标!A{where['second']}]" in message and f"指标!A{where['first']}" in message
    assert "指标编号“社会效益”出现了两次" in message


def test_a_unit_detail_on_two_rows_names_both_cells(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path)
    message = refused(changed(path, lambda book: book["单位信息"].append(["评价单位", "另一单位"])))
    assert "[单位信息!A8]" in message and "单位信息!A3" in message and "“评价单位”出现了两次" in message


def test_a_report_heading_on_two_rows_names_both_cells(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path)

    def add_rows(book: object) -> None:
        sheet = book["报告文字"]  # type: ignore[index]
        sheet["B2"] = "甲"
        sheet.append([sheet["A2"].value, "乙"])

    book = load_workbook(path)
    heading, last = book["报告文字"]["A2"].value, book["报告文字"].max_row + 1
    message = refused(changed(path, add_rows))
    assert f"[报告文字!A{last}]" in message and "报告文字!A2" in message and f"“{heading}”出现了两次" in message


# -- merged value cells -------------------------------------------------------------------------


def test_a_value_merged_over_two_inputs_names_the_range_and_the_inputs(tmp_path: Path) -> None:
    # D5:D6 merged: Excel keeps 上年三公经费's value in D5 and shows it on 三公经费预算数's row too.
    path = fill_like_the_example(tmp_path)
    book = load_workbook(path)
    assert (book["基础数据"]["A5"].value, book["基础数据"]["A6"].value) == ("上年三公经费", "三公经费预算数")
    message = refused(changed(path, lambda book: book["基础数据"].merge_cells("D5:D6")))
    assert "[基础数据!D5:D6]" in message and "“上年三公经费”" in message and "“三公经费预算数”" in message
    assert "取消合并" in message


def test_merges_that_copy_no_value_are_read_as_before(tmp_path: Path) -> None:
    # 说明 merged over two rows, a value cell widened over the 示例 cell beside it, the unit's name
    # over two cells of 单位信息 (fill_like_the_example): each value is still where it is kept.
    plain = read_workbook(fill_like_the_example(tmp_path), REGISTRY)[1]
    other = tmp_path / "merged"
    other.mkdir()

    def merge(book: object) -> None:
        book["基础数据"].merge_cells("B5:B6")  # type: ignore[index]
        book["基础数据"].merge_cells("D2:E2")  # type: ignore[index]
        book["指标"].merge_cells("I47:I48")  # type: ignore[index]  # one reason written over two rows

    data = read_workbook(changed(fill_like_the_example(other), merge), REGISTRY)[1]
    assert data.inputs == plain.inputs and data.inputs["编制数"] == 37


def test_a_value_cell_covered_from_another_column_is_refused(tmp_path: Path) -> None:
    # C2:D2 merged: the cell shows the unit (人) where 编制数 is typed.
    path = fill_like_the_example(tmp_path)
    message = refused(changed(path, lambda book: book["基础数据"].merge_cells("C2:D2")))
    assert "[基础数据!C2:D2]" in message and "“编制数”" in message


def test_a_score_merged_over_two_indicators_is_refused(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path)
    book = load_workbook(path)
    first, second = row_of(book["指标"], "经济效益"), row_of(book["指标"], "社会效益")
    message = refused(changed(path, lambda book: book["指标"].merge_cells(f"H{first}:H{second}")))
    assert f"[指标!H{first}:H{second}]" in message and "“经济效益”" in message and "“社会效益”" in message


def multi_book(tmp_path: Path, units: list[dict[str, object]]) -> tuple[Path, dict[str, int]]:
    framework = REGISTRY.framework(FRAMEWORK)
    path = tmp_path / "多单位.xlsx"
    path.write_bytes(template_workbook(framework, multi=True))
    book = load_workbook(path)
    sheet = book[MULTI_SHEET]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for number, unit in enumerate(units, start=2):
        for title, value in unit.items():
            sheet.cell(row=number, column=columns[title]).value = value
    book.save(path)
    return path, columns


def test_a_value_merged_over_two_units_is_refused_for_both(tmp_path: Path) -> None:
    path, columns = multi_book(tmp_path, [{"评价单位": "甲单位", "编制数": 10}, {"评价单位": "乙单位"}, {"评价单位": "丙单位", "编制数": 12}])
    letter = load_workbook(path)[MULTI_SHEET].cell(row=1, column=columns["编制数"]).column_letter
    changed(path, lambda book: book[MULTI_SHEET].merge_cells(f"{letter}2:{letter}3"))
    units = list(read_workbook_units(path, REGISTRY))
    errors = {label: error for label, _framework, _data, error in units}
    for row, unit in ((2, "甲单位"), (3, "乙单位")):
        error = errors[f"{MULTI_SHEET}!第 {row} 行"]
        assert error is not None and f"[{MULTI_SHEET}!{letter}2:{letter}3]（{unit}）" in error and "“第 2 行”" in error and "“第 3 行”" in error
    assert errors[f"{MULTI_SHEET}!第 4 行"] is None  # the other rows are read as before


# -- number formats that show another number or unit --------------------------------------------


@pytest.mark.parametrize(
    ("number_format", "value", "shown"),
    [
        ('0!.0000"万元"', 120000, "12.0000万元"),  # a literal dot four digits from the right: 万元 shown from 元
        ('0,"千元"', 108400, "108千元"),  # a comma after the digits divides by 1000
        ('0.00"元"', 12, "12.00元"),  # 元 shown in a 万元 row
    ],
)
def test_a_format_showing_another_number_names_what_excel_shows(tmp_path: Path, number_format: str, value: int, shown: str) -> None:
    path = fill_like_the_example(tmp_path)

    def format_cell(book: object) -> None:
        sheet = book["基础数据"]  # type: ignore[index]
        cell = sheet.cell(row=row_of(sheet, "预算数"), column=4)
        cell.value, cell.number_format = value, number_format

    book = load_workbook(path)
    row = row_of(book["基础数据"], "预算数")
    message = refused(changed(path, format_cell))
    assert f"[基础数据!D{row}]" in message and f"存的数是 {value}" in message and f"显示为“{shown}”" in message
    assert "常规" in message and "不猜" in message


@pytest.mark.parametrize(("number_format", "value", "scored"), [('0.00"万元"', 12, "12"), ("#,##0.00", 1234.5, "1234.5"), ('0"万"', 12, "12"), ("0.00", 12.5, "12.5")])
def test_a_format_showing_the_number_in_its_unit_is_read_as_shown(tmp_path: Path, number_format: str, value: float, scored: str) -> None:
    path = fill_like_the_example(tmp_path)

    def format_cell(book: object) -> None:
        sheet = book["基础数据"]  # type: ignore[index]
        cell = sheet.cell(row=row_of(sheet, "预算数"), column=4)
        cell.value, cell.number_format = value, number_format

    data = read_workbook(changed(path, format_cell), REGISTRY)[1]
    assert data.inputs["预算数"] == Decimal(scored)


def test_a_format_showing_another_number_on_the_multi_sheet_is_refused(tmp_path: Path) -> None:
    path, columns = multi_book(tmp_path, [{"评价单位": "甲单位", "预算数": 120000}])

    def format_cell(book: object) -> None:
        book[MULTI_SHEET].cell(row=2, column=columns["预算数"]).number_format = '0!.0000"万元"'  # type: ignore[index]

    changed(path, format_cell)
    [(_label, _framework, _data, error)] = list(read_workbook_units(path, REGISTRY))
    assert error is not None and "显示为“12.0000万元”" in error


@pytest.mark.parametrize(
    ("number_format", "value", "unit", "shown"),
    [
        ("0,,", 12345678, "元", "12"),  # two commas: millions
        ("#,##0,", 12345678, "元", "12,346"),  # thousands, grouped, rounded
        ('0"万"', 12, "元", "12万"),  # 12万 is 120000元, the cell is read as 12元
        ('0"件"', 3, "项", "3件"),
        ('0"人"', 41, "人", None),
        ("#,##0.00", 1234567.891, "万元", None),
        ("0.00%", 0.5, "%", None),  # a percent format is read as it shows, elsewhere
        ("yyyy-mm-dd", 1, None, None),
    ],
)
def test_what_a_format_shows(number_format: str, value: float, unit: str | None, shown: str | None) -> None:
    assert shown_otherwise(number_format, value, unit) == shown


class _Cell:
    def __init__(self, covered: bool) -> None:
        self.covered = covered


class _Sheet:
    """A sheet as a reader that knows which cells a range covers, but not the ranges, gives it."""

    title = "基础数据"

    def __init__(self, covered: set[tuple[int, int]], ranges: list[MergedSpan] | None = None) -> None:
        self.covered = covered
        self.merged_cells = type("Ranges", (), {"ranges": ranges or []})()

    def cell(self, row: int, column: int) -> _Cell:
        return _Cell((row, column) in self.covered)


def test_a_covered_value_cell_is_refused_when_the_ranges_are_not_known(tmp_path: Path) -> None:
    errors, refused = merged_value_errors(tmp_path / "x.xlsx", _Sheet({(6, 4), (6, 2)}), [4], {5: "上年三公经费", 6: "三公经费预算数"}, "输入")
    assert [str(error) for error in errors] == [str(refused[(6, 4)])] and "[基础数据!D6]" in str(errors[0]) and "“三公经费预算数”" in str(errors[0])


def test_a_unit_name_widened_over_the_project_column_is_refused(tmp_path: Path) -> None:
    # On the 多单位 sheet the cell beside a value is another value: 评价单位 over 项目名称 would
    # have given the unit's name as its project.
    path, columns = multi_book(tmp_path, [{"评价单位": "甲单位", "编制数": 10}])
    assert columns["项目名称"] == columns["评价单位"] + 1
    changed(path, lambda book: book[MULTI_SHEET].merge_cells(start_row=2, start_column=columns["评价单位"], end_row=2, end_column=columns["项目名称"]))
    [(_label, _framework, data, error)] = list(read_workbook_units(path, REGISTRY))
    assert data is None and error is not None and "A2:B2" in error and "盖住了" in error


def test_a_reader_without_openpyxl_names_the_range_through_merged_spans(tmp_path: Path) -> None:
    sheet = _Sheet({(6, 4)}, [MergedSpan(min_row=5, min_col=4, max_row=6, max_col=4), MergedSpan(min_row=5, min_col=2, max_row=6, max_col=2)])
    errors, refused = merged_value_errors(tmp_path / "x.xlsx", sheet, [4], {5: "上年三公经费", 6: "三公经费预算数"}, "输入")
    assert len(errors) == 1 and "[基础数据!D5:D6]" in str(errors[0]) and set(refused) == {(5, 4), (6, 4)}


@pytest.mark.parametrize(("number_format", "refused_as"), [("0!.0", "显示为“0.5”"), ('0,"分"', "显示为“0分”"), ('0"分"', None), ("0.00", None)])
def test_a_score_whose_format_shows_another_number_is_refused(tmp_path: Path, number_format: str, refused_as: str | None) -> None:
    # 社会效益's 评定得分 5 (as the example has it) in 0!.0 shows as 0.5.
    path = fill_like_the_example(tmp_path)
    book = load_workbook(path)
    row = row_of(book["指标"], "社会效益")
    assert book["指标"].cell(row=row, column=8).value == 5

    def format_cell(book: object) -> None:
        book["指标"].cell(row=row, column=8).number_format = number_format  # type: ignore[index]

    changed(path, format_cell)
    if refused_as is None:
        assert read_workbook(path, REGISTRY)[1].entries["社会效益"].score == Decimal(5)
        return
    message = refused(path)
    assert f"[指标!H{row}]" in message and "“评定得分”的单元格存的数是 5" in message and refused_as in message


def test_a_self_score_on_the_multi_sheet_whose_format_shows_another_number_is_refused(tmp_path: Path) -> None:
    path, columns = multi_book(tmp_path, [{"评价单位": "甲单位", "自评总分": 85}])

    def format_cell(book: object) -> None:
        book[MULTI_SHEET].cell(row=2, column=columns["自评总分"]).number_format = "0!.0"  # type: ignore[index]

    changed(path, format_cell)
    [(_label, _framework, _data, error)] = list(read_workbook_units(path, REGISTRY))
    assert error is not None and "显示为“8.5”" in error and "[多单位!C2]" in error


def test_a_self_total_whose_format_shows_another_number_is_refused(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path)
    assert load_workbook(path)["单位信息"]["A7"].value == "自评总分"

    def format_cell(book: object) -> None:
        book["单位信息"]["B7"].number_format = "0!.0"  # type: ignore[index]

    message = refused(changed(path, format_cell))
    assert "[单位信息!B7]" in message and "“自评总分”的单元格存的数是" in message
