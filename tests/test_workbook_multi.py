"""The 多单位 sheet: every unit a row, holding everything a single unit's sheets hold, read back to
the evaluation the same data give in a TOML file; every unreadable cell named; rows independent."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from evalcore import DataError, Framework, evaluate, get_registry, load_data
from evalcore.batch import BatchResult, UnitOutcome, run_batch, score_files
from evalcore.testing import evaluation_differences, unit_data
from evalcore.workbook import MULTI_SHEET, multi_columns, read_workbook_units, template_workbook

from .compat import tomllib
from .conftest import EXAMPLES

REGISTRY = get_registry()
# Frameworks with checklists, per-case rules, judgments, percent inputs and stated figures.
FRAMEWORKS = ["hunan.hecheng.dept.2020", "hunan.taojiang.dept.2021"]


def units_of(path: Path) -> list[UnitOutcome]:
    """The units of one data file, each with its evaluation (a batch keeps only their rows)."""
    return [unit for _path, units in score_files([path], REGISTRY) for unit in units]


def typed(value: Any, as_number: bool) -> Any:
    """A value as a reviewer types it: numbers as numbers or as text, yes/no as 是/否."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if as_number and not isinstance(value, str):
        return value
    if as_number and isinstance(value, str) and value.replace(".", "", 1).lstrip("-").isdigit():
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    return str(value)


def row_of(framework: Framework, mapping: dict[str, Any], as_number: bool) -> list[Any]:
    """The 多单位 row for a data mapping as `evalcore.testing.unit_data` draws it."""
    row: list[Any] = []
    for column in multi_columns(framework):
        entry = mapping.get("indicators", {}).get(column.key, {})
        if column.field == "unit":
            value = mapping.get("unit")
        elif column.field == "self_total":
            value = mapping.get("self_total")
        elif column.field == "input":
            # Typed as in the TOML file: a bare 0.95 in a percent input is questioned either way.
            value = mapping["inputs"].get(column.key)
        elif column.field == "checkpoint":
            answers = entry.get("checkpoints")
            value = answers[column.number - 1] if answers else None
        elif column.field == "not_applicable":
            value = True if entry.get("not_applicable") else None
        else:
            value = entry.get(column.field)
        # A stated figure is compared at the places it is written with ("0.00"): typed as text.
        row.append(None if value is None else typed(value, as_number and column.field != "stated"))
    return row


def workbook(tmp_path: Path, framework: Framework, rows: list[list[Any]], name: str = "多单位.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(template_workbook(framework, multi=True))
    book = load_workbook(path)
    for row in rows:
        book[MULTI_SHEET].append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_units_read_back_to_the_evaluation_of_the_same_data(tmp_path: Path, framework_id: str, data: st.DataObject) -> None:
    framework = REGISTRY.framework(framework_id)
    mappings = [data.draw(unit_data(framework)) for _ in range(3)]
    for number, mapping in enumerate(mappings):
        mapping["unit"] = f"单位{number}"
    path = workbook(tmp_path, framework, [row_of(framework, m, as_number=n % 2 == 0) for n, m in enumerate(mappings)])
    read = list(read_workbook_units(path, REGISTRY))
    assert [error for _label, _fw, _unit, error in read] == [None] * len(mappings)
    for mapping, (_label, _fw, unit, _error) in zip(mappings, read, strict=True):
        assert unit is not None
        differences = evaluation_differences(evaluate(framework, unit), evaluate(framework, mapping))
        assert not differences, "\n".join(differences)


def test_the_officer_example_as_a_row_scores_as_its_toml_file(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.taojiang.dept.2021")
    toml_path = EXAMPLES / "hunan" / "taojiang-dept-2021.toml"
    example = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    # The sheet has no columns for facts, document checks or report text: leave them out of both.
    mapping = {key: value for key, value in example.items() if key not in ("facts", "checks", "report", "source", "year")}
    path = workbook(tmp_path, framework, [row_of(framework, mapping, as_number=False)])
    ((_label, _fw, unit, error),) = read_workbook_units(path, REGISTRY)
    assert error is None and unit is not None
    from_sheet = evaluate(framework, unit)
    from_toml = evaluate(framework, load_data(toml_path, framework))
    # 桃江 2021: 97 points computed, as its TOML example gives (tests/cases/hunan/taojiang-dept-2021.toml).
    assert from_sheet.total == from_toml.total == Decimal(97)
    assert [(leaf.status, leaf.score, leaf.self_score, leaf.review_score) for leaf in from_sheet.leaves()] == [
        (leaf.status, leaf.score, leaf.self_score, leaf.review_score) for leaf in from_toml.leaves()
    ]


def test_every_bad_cell_of_a_row_is_named_and_the_other_rows_are_scored(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    titles = [column.title for column in multi_columns(framework)]

    def row(**cells: Any) -> list[Any]:
        return [cells.get(title) for title in titles]

    good = row(评价单位="甲单位", 编制数=37, 在职人员数=31, **{"在职人员控制率·自评得分": 2, "在职人员控制率·审核得分": 2})
    bad = row(
        评价单位="乙单位",
        编制数="二十",
        **{
            "基础信息完善性·要点1": "是",
            "基础信息完善性·要点2": "也许",
            "在职人员控制率·审核得分": "两分",
            "经济效益·评定得分": 3,
        },
    )
    half = row(评价单位="丙单位", **{"基础信息完善性·要点1": "是"})
    path = workbook(tmp_path, framework, [good, bad, half])
    result = BatchResult(tuple(units_of(path)))
    by_label = {unit.label: unit for unit in result.units}
    assert by_label[f"{MULTI_SHEET}!第 2 行"].evaluation is not None
    assert by_label[f"{MULTI_SHEET}!第 2 行"].evaluation.leaf("在职人员控制率").review_score == 2
    error = by_label[f"{MULTI_SHEET}!第 3 行"].error or ""

    def cell(title: str, row: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{MULTI_SHEET}!{get_column_letter(titles.index(title) + 1)}{row}"

    # All three unreadable cells of row 3 at once, each by its cell, and the unit's name.
    assert f"[{cell('编制数', 3)}]（乙单位）" in error and "二十" in error
    assert f"[{cell('基础信息完善性·要点2', 3)}]" in error and "也许" in error
    assert f"[{cell('在职人员控制率·审核得分', 3)}]" in error and "两分" in error
    # Row 4 answered one checkpoint of three: the first unanswered one is named.
    half_error = by_label[f"{MULTI_SHEET}!第 4 行"].error or ""
    assert f"[{cell('基础信息完善性·要点2', 4)}]" in half_error and "评价要点 2、3 没有填写" in half_error


def test_a_score_without_a_reason_names_the_reason_cell(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    titles = [column.title for column in multi_columns(framework)]
    path = workbook(tmp_path, framework, [[{"评价单位": "甲单位", "经济效益·评定得分": 3}.get(title) for title in titles]])
    ((_label, _fw, _unit, error),) = read_workbook_units(path, REGISTRY)
    from openpyxl.utils import get_column_letter

    reason = f"{MULTI_SHEET}!{get_column_letter(titles.index('经济效益·评定理由') + 1)}2"
    assert error is not None and f"[{reason}]（甲单位）" in error and "理由" in error


def test_an_unknown_column_title_is_named_by_its_cell(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    path = workbook(tmp_path, framework, [["甲单位"]])
    book = load_workbook(path)
    book[MULTI_SHEET]["B1"] = "项目名"  # a renamed column
    book.save(path)
    with pytest.raises(DataError, match=r"多单位!B1.*列名“项目名”"):
        list(read_workbook_units(path, REGISTRY))
    result = run_batch([path], REGISTRY)
    assert result.units[0].error is not None and "项目名" in result.units[0].error


def test_a_sheet_with_only_some_columns_reads(tmp_path: Path) -> None:
    # Templates before the sheet had every column, and reviewers who delete the columns they do not use.
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    path = tmp_path / "少列.xlsx"
    path.write_bytes(template_workbook(framework))
    book = load_workbook(path)
    sheet = book.create_sheet(MULTI_SHEET)
    sheet.append(["评价单位", "编制数", "在职人员数", "在职人员控制率·自评得分"])
    sheet.append(["甲单位", 37, 31, 1])
    book.save(path)
    ((_label, _fw, unit, error),) = read_workbook_units(path, REGISTRY)
    assert error is None and unit is not None
    leaf = evaluate(framework, unit).leaf("在职人员控制率")
    # 31 / 37 = 83.78% ≤ 100%: full 2 points (seed 003, 附件1), against a self-score of 1.
    assert (leaf.score, leaf.self_score) == (Decimal(2), Decimal(1))


def titled(framework: Framework, renames: dict[str, str], rows: list[dict[str, Any]], extra: tuple[str, ...] = ()) -> tuple[list[str], list[list[Any]]]:
    """Header titles with some renamed or added, and rows given by the template's own titles."""
    template_titles = [column.title for column in multi_columns(framework)]
    header = [renames.get(title, title) for title in template_titles] + list(extra)
    return header, [[row.get(title) for title in template_titles + list(extra)] for row in rows]


def custom_workbook(tmp_path: Path, framework: Framework, header: list[str], rows: list[list[Any]]) -> Path:
    path = tmp_path / "多单位.xlsx"
    path.write_bytes(template_workbook(framework))
    book = load_workbook(path)
    sheet = book.create_sheet(MULTI_SHEET)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_titles_as_people_retype_them_and_a_unit_in_the_title(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    header, rows = titled(
        framework,
        {"编制数": "编制数 （人）", "公用经费决算数": "公用经费决算数（元）", "在职人员控制率·自评得分": "在职人员控制率・自评得分 "},
        [{"评价单位": "甲单位", "编制数": 37, "在职人员数": 31, "公用经费决算数": 779800, "公用经费预算数": "86.63", "在职人员控制率·自评得分": 2, "备注": "已核对"}],
        extra=("备注",),
    )
    ((_label, _fw, unit, error),) = read_workbook_units(custom_workbook(tmp_path, framework, header, rows), REGISTRY)
    assert error is None and unit is not None
    # 779800 in a column titled （元） is 77.98 万元, said so: 77.98 / 86.63 = 90.02% ≤ 100%, 3 of 3.
    assert unit.inputs["公用经费决算数"] == Decimal("77.98")
    evaluation = evaluate(framework, unit)
    assert any(flag.kind == "unit_converted" and "779800元" in flag.message for flag in evaluation.flags)
    assert evaluation.leaf("公用经费控制率").score == Decimal(3)
    assert evaluation.leaf("在职人员控制率").self_score == Decimal(2)


def test_a_value_under_a_column_without_title_is_named(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    header, rows = titled(framework, {}, [{"评价单位": "甲单位", "编制数": 37}])
    rows[0] += [None, "无列名的数"]
    ((_label, _fw, _unit, error),) = read_workbook_units(custom_workbook(tmp_path, framework, header, rows), REGISTRY)
    from openpyxl.utils import get_column_letter

    assert error is not None and f"[{MULTI_SHEET}!{get_column_letter(len(header) + 2)}2]（甲单位）" in error and "没有列名" in error


def test_a_merged_title_above_the_header_is_reported_once(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    path = workbook(tmp_path, framework, [["甲单位"]])
    book = load_workbook(path)
    sheet = book[MULTI_SHEET]
    sheet.insert_rows(1)
    sheet["A1"] = "2020年度基础数据汇总表"
    sheet.merge_cells("A1:J1")
    book.save(path)
    with pytest.raises(DataError) as caught:
        list(read_workbook_units(path, REGISTRY))
    assert str(caught.value).count("汇总表") == 1 and "多单位!A1" in str(caught.value)


def test_a_formatted_but_empty_multi_sheet_leaves_the_unit_sheets_to_be_scored(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    path = tmp_path / "基础数据表.xlsx"
    path.write_bytes(template_workbook(framework, multi=True))
    book = load_workbook(path)
    from openpyxl.styles import PatternFill

    for row in range(2, 30):  # coloured rows, nothing typed
        book[MULTI_SHEET].cell(row=row, column=1).fill = PatternFill("solid", fgColor="FFFF00")
    for row in book["基础数据"].iter_rows(min_row=2):
        row[3].value = {"编制数": 37, "在职人员数": 31}.get(row[0].value)
    book.save(path)
    result = BatchResult(tuple(units_of(path)))
    assert len(result.units) == 1 and result.units[0].label is None
    evaluation = result.units[0].evaluation
    # Read from the 基础数据 sheet: 31 / 37 = 83.78%, within 100%: 2 of 2.
    assert evaluation is not None and evaluation.leaf("在职人员控制率").score == Decimal(2)


def test_run_refuses_a_workbook_whose_multi_sheet_has_units(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    path = workbook(tmp_path, framework, [["甲单位"]])
    from evalcore.workbook import read_workbook

    with pytest.raises(DataError, match="evalcore batch"):
        read_workbook(path, REGISTRY)


def test_a_checkpoint_answer_that_is_not_yes_or_no_is_reported_once(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    header, rows = titled(framework, {}, [{"评价单位": "甲单位", "基础信息完善性·要点1": "√", "基础信息完善性·要点2": "也许", "基础信息完善性·要点3": "×"}])
    ((_label, _fw, _unit, error),) = read_workbook_units(custom_workbook(tmp_path, framework, header, rows), REGISTRY)
    assert error is not None and "也许" in error and "没有填写" not in error and error.count("\n") == 0


def test_an_unusable_percentage_is_a_cell_error_and_the_rows_before_it_stay(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    path = workbook(tmp_path, framework, [["甲单位"], ["乙单位"]])
    book = load_workbook(path)
    titles = [cell.value for cell in book[MULTI_SHEET][1]]
    cell = book[MULTI_SHEET].cell(row=3, column=titles.index("在职人员控制率·填报值") + 1, value=1e18)
    cell.number_format = "0%"
    book.save(path)
    first, second = units_of(path)
    assert first.evaluation is not None
    assert second.error is not None and f"[{MULTI_SHEET}!{cell.coordinate}]（乙单位）" in second.error and "内部错误" not in second.error


def test_failed_rows_are_named_by_their_row_in_the_summary_workbook(tmp_path: Path) -> None:
    from evalcore.batch import summary_workbook

    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    header, rows = titled(framework, {}, [{"评价单位": "甲单位", "编制数": "二十"}, {"评价单位": "乙单位", "编制数": "十八"}])
    result = run_batch([custom_workbook(tmp_path, framework, header, rows)], REGISTRY)
    book = load_workbook(io.BytesIO(summary_workbook(result)))
    rows = list(book["排名"].iter_rows(values_only=True))
    files = [Path(str(row[rows[0].index("数据文件")])).name for row in rows[1:]]
    assert files == ["多单位.xlsx [多单位!第 2 行]", "多单位.xlsx [多单位!第 3 行]"]


def test_a_numbered_but_otherwise_empty_row_is_no_unit(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    header, rows = titled(framework, {}, [{"序号": n, "评价单位": "甲单位" if n == 1 else None, "编制数": 37 if n == 1 else None} for n in range(1, 6)], extra=("序号",))
    units = list(read_workbook_units(custom_workbook(tmp_path, framework, header, rows), REGISTRY))
    assert [label for label, *_ in units] == [f"{MULTI_SHEET}!第 2 行"]


def test_a_sheet_with_only_numbers_in_its_numbering_column_has_no_units(tmp_path: Path) -> None:
    from evalcore.workbook import has_units

    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    header, rows = titled(framework, {}, [{"序号": n} for n in range(1, 6)], extra=("序号",))
    assert not has_units(load_workbook(custom_workbook(tmp_path, framework, header, rows)))


def test_units_in_titles_same_or_convertible_or_refused_once(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.taojiang.dept.2021")
    percent = next(spec.id for spec in framework.inputs if spec.type == "percent")
    money = next(spec.id for spec in framework.inputs if spec.unit == "万元")
    header, rows = titled(framework, {percent: f"{percent}（百分比）", money: f"{money}（单位：元）"}, [{"评价单位": "甲单位", percent: 0.95, money: 108700}])
    ((_label, _fw, unit, error),) = read_workbook_units(custom_workbook(tmp_path, framework, header, rows), REGISTRY)
    # 百分比 is the input's own unit, and a bare 0.95 in it may be 0.95% or 95%: read as typed and
    # questioned (待核实), as in a TOML file; 108700 元 is 10.87 万元.
    assert error is None and unit is not None
    assert (unit.inputs[percent], unit.questions[percent], unit.inputs[money]) == (Decimal("0.95"), Decimal(95), Decimal("10.87"))
    header, rows = titled(framework, {money: f"{money}（千元）"}, [{"评价单位": "甲单位", money: 1}, {"评价单位": "乙单位", money: 2}])
    with pytest.raises(DataError) as caught:
        list(read_workbook_units(custom_workbook(tmp_path, framework, header, rows), REGISTRY))
    assert str(caught.value).count("千元") == 2 and "多单位!" in str(caught.value)  # the title cell, once: its text and the message


def test_a_first_row_without_titles_is_one_error(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    header, rows = titled(framework, {}, [{"评价单位": "甲单位"}])
    path = custom_workbook(tmp_path, framework, [None] * len(header), [header, *rows])
    with pytest.raises(DataError, match="第一行没有列名"):
        list(read_workbook_units(path, REGISTRY))


def test_the_unit_name_follows_the_cell_even_when_the_path_has_brackets(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    folder = tmp_path / "批次[2023]"
    folder.mkdir()
    header, rows = titled(framework, {}, [{"评价单位": "甲单位", "编制数": "二十"}])
    ((_label, _fw, _unit, error),) = read_workbook_units(custom_workbook(folder, framework, header, rows), REGISTRY)
    assert error is not None and "批次[2023]" in error and f"[{MULTI_SHEET}!D2]（甲单位）" in error


def test_the_year_of_the_unit_sheet_applies_to_every_row(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    header, rows = titled(framework, {}, [{"评价单位": "甲单位"}])
    path = custom_workbook(tmp_path, framework, header, rows)
    book = load_workbook(path)
    year_cell = next(row[1] for row in book["单位信息"].iter_rows(min_row=2) if row[0].value == "年度")
    year_cell.value = "２０２０"
    book.save(path)
    ((_label, _fw, unit, _error),) = read_workbook_units(path, REGISTRY)
    assert unit is not None and unit.year == 2020
    year_cell.value = "2020年度"
    book.save(path)
    with pytest.raises(DataError, match=rf"单位信息!{year_cell.coordinate}.*年度应为数字"):
        list(read_workbook_units(path, REGISTRY))


def test_scores_and_cases_may_be_typed_with_their_word(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    header, rows = titled(framework, {}, [{"评价单位": "甲单位", "自评总分": "95分", "在职人员控制率·自评得分": "2 分", "资金使用合规性·不符合例数": "1例"}])
    ((_label, _fw, unit, error),) = read_workbook_units(custom_workbook(tmp_path, framework, header, rows), REGISTRY)
    assert error is None and unit is not None
    assert (unit.self_total, unit.entries["在职人员控制率"].self_score, unit.entries["资金使用合规性"].cases) == (Decimal(95), Decimal(2), Decimal(1))


def test_a_unit_entered_twice_is_pointed_out(tmp_path: Path) -> None:
    from evalcore.batch import summary_workbook

    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    header, rows = titled(framework, {}, [{"评价单位": "甲单位", "编制数": 37}, {"评价单位": "乙单位"}, {"评价单位": "甲单位", "编制数": 38}])
    result = run_batch([custom_workbook(tmp_path, framework, header, rows)], REGISTRY)
    ((name, found),) = result.repeated()
    assert name == "甲单位" and [Path(place).name for place in found] == ["多单位.xlsx [多单位!第 2 行]", "多单位.xlsx [多单位!第 4 行]"]
    book = load_workbook(io.BytesIO(summary_workbook(result)))
    assert any(row[2] == "单位重复" and row[0] == "甲单位" for row in book["问题"].iter_rows(min_row=2, values_only=True))


def test_an_unexpected_failure_in_one_row_leaves_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import evalcore.workbook._multi as multi

    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    header, rows = titled(framework, {}, [{"评价单位": "甲单位"}, {"评价单位": "乙单位"}, {"评价单位": "丙单位"}])
    read_row = multi._read_row

    def failing_on_the_second(*args: Any) -> Any:
        if args[2][0].row == 3:
            raise RuntimeError("模拟故障")
        return read_row(*args)

    monkeypatch.setattr(multi, "_read_row", failing_on_the_second)
    units = list(read_workbook_units(custom_workbook(tmp_path, framework, header, rows), REGISTRY))
    assert [unit is not None for _label, _fw, unit, _error in units] == [True, False, True]
    assert "内部错误" in (units[1][3] or "") and "（乙单位）" in (units[1][3] or "")


def test_each_input_title_of_the_template_notes_its_unit_and_an_example(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    sheet = load_workbook(workbook(tmp_path, framework, []))[MULTI_SHEET]
    notes = {cell.value: cell.comment.text for cell in sheet[1] if cell.comment is not None}
    spec = framework.input("公用经费决算数")
    assert spec is not None and notes["公用经费决算数"] == f"{spec.label}\n单位：万元；示例：3.5万元"
    assert set(notes) == {spec.id for spec in framework.inputs}


def test_every_problem_of_one_indicator_is_reported_at_once(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    titles = [column.title for column in multi_columns(framework)]
    header, rows = titled(framework, {}, [{"评价单位": "甲单位", "在职人员控制率·自评得分": 9, "在职人员控制率·审核得分": -1, "经济效益·评定得分": 3}])
    ((_label, _fw, _unit, error),) = read_workbook_units(custom_workbook(tmp_path, framework, header, rows), REGISTRY)
    from openpyxl.utils import get_column_letter

    def cell(title: str) -> str:
        return f"[{MULTI_SHEET}!{get_column_letter(titles.index(title) + 1)}2]"

    # 在职人员控制率 is worth 2: 9 and −1 are both out of range, and 经济效益's score has no reason.
    assert error is not None and error.count("\n") == 2
    assert cell("在职人员控制率·自评得分") in error and cell("在职人员控制率·审核得分") in error and cell("经济效益·评定理由") in error
