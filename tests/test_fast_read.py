"""Workbooks made by `evalcore template` are read with calamine, others with openpyxl: both ways
give the same unit data (or the same errors) for every example filled into its framework's
template, every blank template and a 多单位 sheet; the cases where a cell's number format decides
(a percent typed 0.95 with a % format) go to openpyxl, and each such fallback is counted."""

from __future__ import annotations

import datetime
import re
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from evalcore import get_registry
from evalcore.model import EvalcoreError
from evalcore.workbook import INDICATOR_SHEET, INPUT_SHEET, fallbacks, open_book, read_workbook, read_workbook_units, template_workbook
from evalcore.workbook._cells import open_workbook
from evalcore.workbook._fast import FastBook
from evalcore.workbook._sheets import INDICATOR_COLUMN

from .compat import tomllib
from .conftest import EXAMPLES
from .test_workbook_multi import row_of

REGISTRY = get_registry()
EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.toml"))
TEMPLATED = [path for path in EXAMPLE_FILES if REGISTRY.framework(tomllib.loads(path.read_text(encoding="utf-8"))["framework"]).form is None]
FRAMEWORK_IDS = sorted({framework_id for framework_id in REGISTRY.entries if REGISTRY.framework(framework_id).form is None})


def both_ways(path: Path) -> tuple[Any, Any]:
    """(read with calamine, read with openpyxl): the unit data, or the error's text."""
    return _outcome(lambda: read_workbook(path, REGISTRY)), _outcome(lambda: read_workbook(path, REGISTRY, book=open_workbook(path)))


def _outcome(read: Any) -> Any:
    try:
        framework, data = read()
    except EvalcoreError as exc:
        return ("error", str(exc))
    return (framework.id, data)


def counted(read: Any) -> Counter[str]:
    """The fallbacks counted while `read` ran."""
    before = Counter(fallbacks())
    read()
    after = Counter(fallbacks())
    after.subtract(before)
    return +after


def fill_example(example: Path, tmp_path: Path) -> Path:
    """The example's data typed into its framework's template as an officer would."""
    mapping = tomllib.loads(example.read_text(encoding="utf-8"))
    framework = REGISTRY.framework(mapping["framework"])
    path = tmp_path / f"{example.stem}.xlsx"
    path.write_bytes(template_workbook(framework))
    book = load_workbook(path)
    head = book["单位信息"]
    for row in head.iter_rows(min_row=2, max_col=2):
        key = {"评价单位": "unit", "项目名称": "project", "填报日期": "date", "自评总分": "self_total"}.get(str(row[0].value))
        if key and key in mapping:
            row[1].value = mapping[key]
    for row in book[INPUT_SHEET].iter_rows(min_row=2):
        if row[0].value in mapping.get("inputs", {}):
            row[3].value = mapping["inputs"][row[0].value]
    entries = mapping.get("indicators", {})
    for row in book[INDICATOR_SHEET].iter_rows(min_row=2):
        key = str(row[0].value)
        leaf_id, _, number = key.rpartition("#")
        if number.isdigit():
            answers = entries.get(leaf_id, {}).get("checkpoints", [])
            # A checkpoint met in part (0.5) has no 是/否 to type: the checklist is left unanswered.
            if answers and all(isinstance(answer, bool) for answer in answers):
                row[INDICATOR_COLUMN["是否满足"]].value = "是" if answers[int(number) - 1] else "否"
            continue
        entry = entries.get(key, {})
        for field, title in (("score", "评定得分"), ("reason", "评定理由"), ("self", "自评得分"), ("review", "审核得分"), ("cases", "不符合例数"), ("stated", "填报值")):
            if field in entry:
                row[INDICATOR_COLUMN[title]].value = entry[field]
        if entry.get("not_applicable"):
            row[INDICATOR_COLUMN["不适用"]].value = "是"
    book.save(path)
    return path


@pytest.mark.parametrize("example", TEMPLATED, ids=lambda path: path.stem)
def test_every_example_filled_into_its_template_reads_the_same_both_ways(example: Path, tmp_path: Path) -> None:
    path = fill_example(example, tmp_path)
    assert isinstance(open_book(path), FastBook)  # made by the template: calamine reads it
    fast, slow = both_ways(path)
    assert fast == slow
    assert fast[0] != "error", fast  # the example reads; nothing is compared by two failures alone


def test_the_examples_cover_templates() -> None:
    assert len(TEMPLATED) >= 5


@pytest.mark.parametrize("framework_id", FRAMEWORK_IDS)
def test_every_blank_template_reads_the_same_both_ways(framework_id: str, tmp_path: Path) -> None:
    path = tmp_path / "空白.xlsx"
    path.write_bytes(template_workbook(REGISTRY.framework(framework_id), multi=True))
    assert isinstance(open_book(path), FastBook)
    fast, slow = both_ways(path)
    assert fast == slow


def test_a_multi_sheet_reads_the_same_both_ways(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.taojiang.dept.2021")
    mapping = tomllib.loads((EXAMPLES / "hunan" / "taojiang-dept-2021.toml").read_text(encoding="utf-8"))
    path = tmp_path / "多单位.xlsx"
    path.write_bytes(template_workbook(framework, multi=True))
    book = load_workbook(path)
    book["多单位"].append(row_of(framework, mapping, as_number=True))
    book["多单位"].append(row_of(framework, dict(mapping, unit="第二个单位"), as_number=False))
    book["多单位"].append(["第三个单位", None, "九十"])  # a self-total that is no number: an error row
    book.save(path)
    assert isinstance(open_book(path), FastBook)
    fast = list(read_workbook_units(path, REGISTRY))
    slow = list(read_workbook_units(path, REGISTRY, book=open_workbook(path)))
    assert len(fast) == 3 and fast == slow
    assert fast[0][2] is not None and fast[2][3] is not None


def percent_workbook(tmp_path: Path, value: Any, number_format: str | None, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(template_workbook(REGISTRY.framework("hunan.taojiang.dept.2021")))
    book = load_workbook(path)
    book["单位信息"]["B3"] = "测试单位"
    for row in book[INPUT_SHEET].iter_rows(min_row=2):
        if row[0].value == "满意度":
            row[3].value = value
            if number_format:
                row[3].number_format = number_format
    book.save(path)
    return path


def test_a_percent_typed_as_095_without_a_percent_format_is_read_by_calamine_as_typed(tmp_path: Path) -> None:
    path = percent_workbook(tmp_path, 0.95, None, "无格式.xlsx")
    assert counted(lambda: read_workbook(path, REGISTRY)) == Counter()
    fast, slow = both_ways(path)
    assert fast == slow
    # A bare 0.95 in a percent input is taken as typed and questioned, as in a TOML file.
    assert fast[0] != "error" and str(fast[1].inputs["满意度"]) == "0.95"


def test_a_percent_typed_as_095_in_a_percent_format_is_95_percent_both_ways(tmp_path: Path) -> None:
    # Excel stores 95% typed in a cell as 0.95 in a 0% format: the cell's format decides.
    path = percent_workbook(tmp_path, 0.95, "0%", "百分比格式.xlsx")
    assert isinstance(open_book(path), FastBook)
    assert counted(lambda: read_workbook(path, REGISTRY)) == Counter()
    fast, slow = both_ways(path)
    assert fast == slow
    assert str(fast[1].inputs["满意度"]) == "95"


@pytest.mark.parametrize(("value", "number_format"), [(90, '0.00"%"'), (90, "0\\%"), (0.905, "0.0%"), (0.9, "0%;-0%;0%"), (95, "0%"), (85, "0!.0"), (90, "0.00")])
def test_every_percent_format_reads_the_same_both_ways(tmp_path: Path, value: float, number_format: str) -> None:
    # A % written as text shows 90 as 90%; 95 in a 0% format shows 9500% (refused as over 100).
    path = percent_workbook(tmp_path, value, number_format, "格式.xlsx")
    assert isinstance(open_book(path), FastBook)  # the cell's format is read with the values
    fast, slow = both_ways(path)
    assert fast == slow
    if number_format == "0%" and value == 95:
        assert fast[0] == "error" and "9500%" in fast[1]
    elif number_format == "0!.0":  # 85 shown as 8.5: refused, whichever reads it
        assert fast[0] == "error" and "8.5" in fast[1]
    else:
        assert fast[0] != "error", fast
        assert fast[1].inputs["满意度"] in (90, Decimal("90.5"))


def test_a_money_cell_formatted_as_percent_is_still_refused(tmp_path: Path) -> None:
    # The number format is what makes it wrong: calamine alone would not see it.
    path = tmp_path / "金额百分比.xlsx"
    path.write_bytes(template_workbook(REGISTRY.framework("hunan.hecheng.dept.2020")))
    book = load_workbook(path)
    for row in book[INPUT_SHEET].iter_rows(min_row=2):
        if row[0].value == "本年三公经费":
            row[3].value, row[3].number_format = 1.17, "0%"
    book.save(path)
    assert isinstance(open_book(path), FastBook)
    fast, slow = both_ways(path)
    assert fast == slow and fast[0] == "error" and "百分比格式" in fast[1]


def test_workbooks_not_made_by_the_template_are_read_with_openpyxl_and_counted(tmp_path: Path) -> None:
    made = percent_workbook(tmp_path, "95%", None, "模板.xlsx")
    plain = tmp_path / "无元数据.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(plain, "w") as target:
        for item in source.infolist():
            if item.filename != "docProps/custom.xml":
                target.writestr(item, source.read(item.filename))
    assert counted(lambda: read_workbook(made, REGISTRY)) == Counter()
    assert counted(lambda: read_workbook(plain, REGISTRY)) == Counter({"not-template": 1})
    plain_data, made_data = both_ways(plain)[0][1], both_ways(made)[0][1]
    assert (plain_data.unit, plain_data.inputs) == (made_data.unit, made_data.inputs) == ("测试单位", {"满意度": 95})


def test_moved_rows_fall_back_to_openpyxl(tmp_path: Path) -> None:
    path = percent_workbook(tmp_path, "95%", None, "移动.xlsx")
    book = load_workbook(path)
    book[INPUT_SHEET].insert_rows(2)  # every input is a row lower than the metadata says
    book.save(path)
    assert counted(lambda: read_workbook(path, REGISTRY)) == Counter({"layout-changed": 1})
    fast, slow = both_ways(path)
    assert fast == slow


def test_dates_merged_cells_whole_numbers_and_uncalculated_formulas_read_alike(tmp_path: Path) -> None:
    path = fill_example(EXAMPLES / "hunan" / "hecheng-dept-2020.toml", tmp_path)
    book = load_workbook(path)
    head = book["单位信息"]
    head["B6"] = datetime.datetime(2021, 3, 1)
    head.merge_cells("B3:C3")
    head["B7"] = 93.5
    for row in book[INPUT_SHEET].iter_rows(min_row=2):
        if row[0].value == "编制数":
            row[3].value = 37  # stored as 37: an int for openpyxl, 37.0 for calamine
        if row[0].value == "在职人员数":
            row[3].value = "=30+1"  # written by a program, never calculated
    book.save(path)
    assert isinstance(open_book(path), FastBook)
    assert counted(lambda: both_ways(path)) == Counter({"formulas": 2})
    fast, slow = both_ways(path)
    assert fast == slow and fast[0] == "error" and "=30+1" in fast[1]
    book["基础数据"]  # noqa: B018
    for row in book[INPUT_SHEET].iter_rows(min_row=2):
        if row[0].value == "在职人员数":
            row[3].value = 31
    book.save(path)
    fast, slow = both_ways(path)
    assert fast == slow and fast[1].date == "2021-03-01 00:00:00" and fast[1].inputs["编制数"] == 37


def test_a_template_with_a_far_cell_is_left_to_openpyxl_which_refuses_it(tmp_path: Path) -> None:
    # Calamine would lay out every cell between A1 and the far one: the area is found first.
    path = percent_workbook(tmp_path, "95%", None, "远处.xlsx")
    book = load_workbook(path)
    book["报告文字"]["ZZ9000"] = "远处的一格"
    book.save(path)
    assert counted(lambda: both_ways(path)) == Counter({"large-sheet": 1})
    fast, slow = both_ways(path)
    assert fast == slow and fast[0] == "error" and "上限" in fast[1]


def rewrite_part(path: Path, name: str, change: Any) -> None:
    """The workbook with one part of its archive changed by `change` (bytes to bytes)."""
    with zipfile.ZipFile(path) as archive:
        parts = [(item, archive.read(item)) for item in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in parts:
            archive.writestr(item, change(data) if item.filename == name else data)


@pytest.mark.parametrize("written", [b'<c  r="', b'<c\n r="'])
def test_a_percent_format_in_a_sheet_written_otherwise_is_found_as_well(tmp_path: Path, written: bytes) -> None:
    # A program that writes cells otherwise than Excel and openpyxl (spaced attributes): each cell's
    # format is found attribute by attribute, not by the search for plainly written cells.
    path = percent_workbook(tmp_path, 0.95, "0%", "百分比格式.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
    for part in parts:
        rewrite_part(path, part, lambda xml: xml.replace(b'<c r="', written))
    assert isinstance(open_book(path), FastBook)
    fast, slow = both_ways(path)
    assert fast == slow and str(fast[1].inputs["满意度"]) == "95"


@pytest.mark.parametrize("second", ["r='ZZ9000'", 'r = "ZZ9000"', 'r="ZZ9000"'])
def test_a_cell_with_a_second_far_reference_is_not_laid_out_by_calamine(tmp_path: Path, second: str) -> None:
    # Calamine places a cell by the last of its references: the first one alone does not bound the area.
    path = percent_workbook(tmp_path, "95%", None, "两个位置.xlsx")
    with zipfile.ZipFile(path) as archive:
        part = next(name for name in archive.namelist() if name.startswith("xl/worksheets/") and b'<c r="A2"' in archive.read(name))
    rewrite_part(path, part, lambda xml: xml.replace(b'<c r="A2"', b'<c r="A2" ' + second.encode(), 1))
    try:
        book = open_book(path)
    except EvalcoreError:
        return  # refused, as openpyxl refuses it
    assert not isinstance(book, FastBook)


@pytest.mark.slow
def test_a_template_saved_again_by_an_office_program_reads_the_same_both_ways(tmp_path: Path) -> None:
    # LibreOffice writes its own shared strings, styles and sheet XML, and keeps the metadata.
    import subprocess
    import tempfile

    from evalcore.testing.pages import require_office

    require_office()
    filled = fill_example(EXAMPLES / "hunan" / "hecheng-dept-2020.toml", tmp_path)
    typed = percent_workbook(tmp_path, 0.95, "0%", "百分比格式.xlsx")  # 95% as Excel stores it
    out = tmp_path / "saved"
    with tempfile.TemporaryDirectory(prefix="evalcore-lo-") as profile:
        argv = ["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", str(out), str(filled), str(typed)]
        subprocess.run(argv, capture_output=True, timeout=180, check=True)
    for path in (out / filled.name, out / typed.name):
        assert isinstance(open_book(path), FastBook)
        fast, slow = both_ways(path)
        assert fast == slow and fast[0] != "error", fast
    assert str(both_ways(out / typed.name)[0][1].inputs["满意度"]) == "95"


def moved_sheet(path: Path, far: str) -> None:
    """The workbook with its 报告文字 sheet stored outside xl/worksheets/ (the relationships name
    where), a cell at `far` added to it."""
    with zipfile.ZipFile(path) as archive:
        relations = archive.read("xl/_rels/workbook.xml.rels")
        workbook = archive.read("xl/workbook.xml")
        sheet_id = re.search('name="报告文字"[^>]*r:id="([^"]+)"'.encode(), workbook)
        assert sheet_id is not None
        target = re.search(rb'Id="' + sheet_id.group(1) + rb'"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="' + sheet_id.group(1) + rb'"', relations)
        assert target is not None
        old = (target.group(1) or target.group(2)).decode()
        part = old.lstrip("/") if old.startswith("/") else "xl/" + old
        parts = [(item, archive.read(item)) for item in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in parts:
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(f'Target="{old}"'.encode(), b'Target="/xl/other/report.xml"')
            if item.filename == "[Content_Types].xml":
                data = data.replace(f'PartName="/{part}"'.encode(), b'PartName="/xl/other/report.xml"')
            if item.filename == part:
                data = data.replace(b"</sheetData>", f'<row r="{far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{far}" t="inlineStr"><is><t>远处</t></is></c></row></sheetData>'.encode())
                archive.writestr("xl/other/report.xml", data)
                continue
            archive.writestr(item, data)


def test_a_sheet_stored_outside_the_worksheets_folder_is_bounded_as_well(tmp_path: Path) -> None:
    # Calamine follows the workbook's relationships to a sheet wherever it is stored, and would lay
    # out every cell up to the far one: the area is found in that part too.
    path = percent_workbook(tmp_path, "95%", None, "别处的工作表.xlsx")
    moved_sheet(path, "ZZ3000")
    with pytest.raises(EvalcoreError) as refused:
        open_book(path)
    assert "上限" in str(refused.value)
    # Moved but small, it is read by calamine like any template.
    small = percent_workbook(tmp_path, "95%", None, "别处但不远.xlsx")
    moved_sheet(small, "C30")
    assert isinstance(open_book(small), FastBook)


def test_a_large_styles_part_is_read_for_its_workbook_and_not_kept(tmp_path: Path) -> None:
    # A styles part past what any template has (many cell formats, or padding) is worked out for its
    # own workbook only: a process reading many such workbooks keeps none of them.
    from evalcore.workbook import _parts

    path = percent_workbook(tmp_path, 0.95, "0%", "大样式.xlsx")
    padding = b"<!--" + b"x" * (2 * _parts._CACHED_STYLES) + b"-->"
    rewrite_part(path, "xl/styles.xml", lambda xml: xml[: xml.index(b">") + 1] + padding + xml[xml.index(b">") + 1 :])
    _parts._formats_of.cache_clear()
    book = open_book(path)
    assert isinstance(book, FastBook)
    assert _parts._formats_of.cache_info().currsize == 0
    fast, slow = both_ways(path)
    assert fast == slow and str(fast[1].inputs["满意度"]) == "95"
