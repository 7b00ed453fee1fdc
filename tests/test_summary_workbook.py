"""汇总.xlsx as a reviewer's workbook: 排名 with framework names, counts of findings by kind, the
columns a reviewer fills, a filter, a frozen header, conditional formats and a printout one page
wide; 问题 with an indicator scored by judgment in many units on one row; 指标 across units; native
charts (chart parts, never pictures); and 300 units ranked on at most 10 printed pages."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalcore.batch import collect_files, run_batch, summary_workbook
from evalcore.plugin import get_registry
from evalcore.testing.pages import printed, require_office

from .test_batch_folder import HECHENG

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
REGISTRY = get_registry()


def _units(folder: Path, count: int, name: str = "单位{n:03d}") -> Path:
    """`count` copies of the 鹤城 example, each a unit of its own with its own figures."""
    folder.mkdir(parents=True, exist_ok=True)
    text = HECHENG.read_text(encoding="utf-8")
    for n in range(count):
        unit = name.format(n=n)
        own = text.replace("怀化市鹤城区社会保险服务中心", unit).replace('"编制数" = 37', f'"编制数" = {29 + n % 17}').replace('"公用经费决算数" = "77.98万元"', f'"公用经费决算数" = "{80 + n % 15}.5万元"')
        (folder / f"{n:03d}.toml").write_text(own, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hunan() -> bytes:
    return summary_workbook(run_batch(collect_files([EXAMPLES / "hunan"]), REGISTRY))


def test_the_ranking_sheet_names_frameworks_counts_findings_by_kind_and_is_set_up_for_review(hunan: bytes) -> None:
    book = load_workbook(io.BytesIO(hunan))
    assert book.sheetnames == ["排名", "问题", "指标", "图表"]
    sheet = book["排名"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:9] == ["排名", "评价单位", "项目", "计算总分", "自评总分", "差额", "审核得分", "等级", "问题数"]
    # The framework by its name as printed on the form, not evalcore's id.
    dept = next(row for row in rows[1:] if row[1] == "怀化市鹤城区社会保险服务中心" and row[2] is None)
    assert dept[header.index("评价框架")] == "部门整体支出绩效评价共性指标框架"
    assert dept[header.index("框架编号")] == "hunan.hecheng.dept.2020"
    # 99 computed, 98 claimed (the example's 附件1); its one 自评分与计算不符 (公用经费控制率) and one 填报数与计算不符 (在职人员控制率).
    assert (dept[3], dept[4], dept[5]) == (99, 98, 1)
    assert dept[header.index("自评分与计算不符")] == 1 and dept[header.index("填报数与计算不符")] == 1
    assert dept[header.index("问题数")] == sum(v for v in dept[9 : header.index("审核意见")] if isinstance(v, int))
    # Filter over every column and row, header and names frozen, the header on every printed page.
    last = sheet.cell(row=1, column=len(header)).column_letter
    assert sheet.auto_filter.ref == f"A1:{last}{len(rows)}"
    assert sheet.freeze_panes == "C2"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # The printout stops at 评价框架 (this batch has several): paths and ids stay on screen.
    assert str(sheet.print_area).endswith(f"$A$1:${sheet.cell(row=1, column=header.index('评价框架') + 1).column_letter}${len(rows)}")
    # Conditional formats on 差额, 审核得分 and 等级.
    formatted = {str(rng.sqref).split(":")[0].rstrip("0123456789") for rng in sheet.conditional_formatting}
    letters = {name: sheet.cell(row=1, column=header.index(name) + 1).column_letter for name in ("差额", "审核得分", "等级")}
    assert set(letters.values()) <= formatted
    # The review score is compared with the computed total of its own row.
    rules = [rule for rng in sheet.conditional_formatting for rule in rng.rules if str(rng.sqref).startswith(letters["审核得分"])]
    total = sheet.cell(row=1, column=header.index("计算总分") + 1).column_letter
    assert [rule.formula for rule in rules] == [[f"AND(ISNUMBER({letters['审核得分']}2),{letters['审核得分']}2<>{total}2)"]]
    # Fonts a Chinese Windows has.
    assert {cell.font.name for row in sheet.iter_rows(max_row=3) for cell in row} == {"宋体"}


def test_the_problem_and_indicator_sheets_filter_keep_their_header_and_print_one_page_wide(hunan: bytes) -> None:
    book = load_workbook(io.BytesIO(hunan))
    for title, columns, frozen in (("问题", ["评价单位", "数据文件", "类别", "指标", "说明", "审核意见"], "A2"), ("指标", None, "C2")):
        sheet = book[title]
        rows = list(sheet.iter_rows(values_only=True))
        if columns:
            assert list(rows[0]) == columns
        last = sheet.cell(row=1, column=len(rows[0])).column_letter
        assert sheet.auto_filter.ref == f"A1:{last}{len(rows)}"
        assert sheet.freeze_panes == frozen and sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    # The 鹤城 examples give a judgment score for 19 (dept) and 16 (project) indicators that have no data: one row each, not 35.
    problems = list(book["问题"].iter_rows(min_row=2, values_only=True))
    judged = [row for row in problems if row[0] == "怀化市鹤城区社会保险服务中心" and row[2] == "未依据数据计分"]
    assert [row[3] for row in judged] == ["共 19 项", "共 16 项"]  # the dept evaluation and the project one


def test_the_charts_are_native_charts_not_pictures(hunan: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(hunan)) as archive:
        names = archive.namelist()
        charts = [archive.read(name).decode("utf-8") for name in names if name.startswith("xl/charts/chart")]
    assert not [name for name in names if name.startswith("xl/media/")]
    kinds = sorted(next(kind for kind in ("pieChart", "barChart") if f"<c:{kind}>" in chart or f"<{kind}>" in chart) for chart in charts)
    assert kinds == ["barChart", "barChart", "pieChart"]
    assert sum('barDir val="bar"' in chart for chart in charts) == 1 and sum('barDir val="col"' in chart for chart in charts) == 1


def test_the_indicator_sheet_gives_each_indicator_across_units(tmp_path: Path) -> None:
    # Three units: 公用经费决算数 80.5, 81.5, 82.5 against a 86.63 budget, all within it: 3 of 3 each
    # (the rule as printed: 100% 以下（含）计满分).
    result = run_batch(collect_files([_units(tmp_path / "units", 3)]), REGISTRY)
    book = load_workbook(io.BytesIO(summary_workbook(result)))
    rows = list(book["指标"].iter_rows(values_only=True))
    assert list(rows[0]) == ["评价框架", "指标", "分值", "计分单位数", "平均得分", "最低", "最高", "得分率", "失分合计"]
    control = next(row for row in rows if row[1] == "过程/预算执行/公用经费控制率")
    assert control[2:] == (3, 3, 3, 3, 3, 1, 0)
    # 在职人员控制率 (2 points, ≤ 100% earns 2, 0.5 off per whole point over): 31 in post against 29,
    # 30 and 31 posts is 106.9% (6 points over: 0), 103.3% (3 over: 0.5) and 100% (2).
    staff = next(row for row in rows if row[1].endswith("在职人员控制率"))
    assert staff[2:7] == (2, 3, pytest.approx(2.5 / 3), 0, 2)
    assert staff[7] == pytest.approx(2.5 / 6) and staff[8] == 3.5


def test_a_judgment_score_shared_by_many_units_is_one_row(tmp_path: Path) -> None:
    single = run_batch([HECHENG], REGISTRY).scored[0]
    judged = {flag.path for flag in single.flags if flag.kind == "assessed"}
    assert len(judged) > 10  # the example scores most indicators by judgment: the 问题 sheet must not repeat them
    result = run_batch(collect_files([_units(tmp_path / "units", 4)]), REGISTRY)
    rows = list(load_workbook(io.BytesIO(summary_workbook(result)))["问题"].iter_rows(min_row=2, values_only=True))
    rows_judged = [row for row in rows if row[2] == "未依据数据计分"]
    assert len(rows_judged) == len(judged)
    assert {tuple(str(row[3]).split("/")) for row in rows_judged} == judged
    assert all(row[0] == "4 个单位" and all(f"单位00{n}" in str(row[4]) for n in range(4)) for row in rows_judged)
    # The findings that differ from unit to unit stay one row each: the stated 100% 在职人员控制率
    # is wrong for 31 in post against 29, 30 and 32 posts, right against 31.
    assert sorted(row[0] for row in rows if row[2] == "填报数与计算不符") == ["单位000", "单位001", "单位003"]


def test_300_units_print_their_ranking_on_at_most_10_pages(tmp_path: Path) -> None:
    require_office()
    result = run_batch(collect_files([_units(tmp_path / "units", 300, "某某自治县第{n}社会保险服务中心")]), REGISTRY)
    target = tmp_path / "汇总.xlsx"
    book = load_workbook(io.BytesIO(summary_workbook(result)))
    # The ranking alone, as a reviewer prints it (the other sheets print on their own).
    for name in book.sheetnames[1:]:
        del book[name]
    book.save(target)
    pages = printed(target)
    assert pages.all_landscape and pages.all_a4
    assert pages.count <= 10, pages.count
    # Every unit is on the pages, readable: the whole name of the last one, in one piece.
    assert pages.contains("某某自治县第299社会保险服务中心")
    assert all(page.count("排名") >= 1 for page in pages.pages)  # the header printed on every page
