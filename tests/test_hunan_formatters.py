"""The Hunan plugin's official outputs: the 评分表 (xlsx) and the 自评报告 (docx).

Both are produced through the CLI (as a finance officer runs it) and through the formatter objects,
then read back with openpyxl and python-docx. 鹤城 2020 is the real case (附件1 + 附件2: self 98,
computed 99, 公用经费控制率 self 2 vs computed 3); a framework built here has 桃江-style 三级指标
split into 1-point rows, with missing data, for the 4-level layout.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

import evalcore
import evalcore_hunan
from evalcore import Evaluation, FormatOptions, GroupResult

from .conftest import ROOT
from .sheet_pages import merged_across_pages

EXAMPLE = ROOT / "examples" / "hunan" / "hecheng-dept-2020.toml"
HEADERS = ["一级指标", "二级指标", "三级指标", "指标内容", "评分标准", "指标说明", "分值", "自评得分", "审核得分", "计算得分", "计分依据"]
COL = {name: i + 1 for i, name in enumerate(HEADERS)}

# A 桃江-style framework: 绩效目标合理性 (3分) printed as three 1-point rows; data missing for some.
FOUR_LEVEL = """
[framework]
id = "test.hunan.four.2021"
title = "部门整体支出绩效评价指标及评分表"
region = "测试县"
kind = "dept"
year = 2021
total = 6

[[input]]
id = "编制数"
type = "count"
unit = "人"

[[input]]
id = "在职人员数"
type = "count"
unit = "人"

[[input]]
id = "本年三公经费"
type = "money"

[[input]]
id = "上年三公经费"
type = "money"
required = false

[[group]]
path = ["投入"]
weight = 6

[[group]]
path = ["投入", "设定目标"]
weight = 3

[[group]]
path = ["投入", "设定目标", "绩效目标合理性"]
weight = 3

[[group]]
path = ["投入", "预算配置"]
weight = 3
""" + "".join(
    f"""
[[indicator]]
path = ["投入", "设定目标", "绩效目标合理性", "{name}"]
weight = 1
content = "部门设立的整体绩效目标依据是否充分，是否符合客观实际。"
description = "{text}"
[indicator.rule]
kind = "judgment"
"""
    for name, text in (
        ("是否设立年度绩效目标", "1、是否设立年度绩效目标，目标是否明确；"),
        ("是否符合法律法规和规划", "2、是否符合国家法律法规、国民经济和社会发展总体规划；"),
        ("是否符合中长期规划", "3、是否符合部门制定的中长期实施规划；"),
    )
) + """
[[indicator]]
path = ["投入", "预算配置", "在职人员控制率"]
weight = 1
formula = "在职人员数 / 编制数 * 100"
unit = "%"
printed = "在职人员控制率=（在职人员数/编制数）×100%。大于1的视情况扣分。"
[indicator.rule]
kind = "deduct"
direction = "over"
threshold = 100
per = 1
points = 0.5
count = "whole"

[[indicator]]
path = ["投入", "预算配置", "“三公经费”变动率"]
id = "三公经费变动率"
weight = 2
formula = "(本年三公经费 - 上年三公经费) / 上年三公经费 * 100"
unit = "%"
[indicator.rule]
kind = "sign"
positive = 0
zero = 1
negative = 2
"""

FOUR_LEVEL_DATA = """framework = "test.hunan.four.2021"
unit = "测试县社会保险服务中心"
year = 2021
date = "2022年5月24日"

[inputs]
"编制数" = 41
"在职人员数" = 41
"本年三公经费" = "10.84万元"

[indicators."是否设立年度绩效目标"]
self = 1
score = 1
reason = "已设立年度绩效目标"

[indicators."是否符合法律法规和规划"]
self = 1
score = 1
reason = "符合"

[indicators."是否符合中长期规划"]
self = 1

[indicators."在职人员控制率"]
self = 1

[indicators."三公经费变动率"]
self = 2
"""


# -- helpers --------------------------------------------------------------------------------------


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evalcore", *(str(a) for a in args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def hecheng_evaluation() -> Evaluation:
    registry = evalcore.get_registry()
    framework = registry.framework("hunan.hecheng.dept.2020")
    return evalcore.evaluate(framework, evalcore.load_data(EXAMPLE, framework))


def four_level_evaluation(tmp_path: Path) -> Evaluation:
    framework_path = tmp_path / "four-level.toml"
    framework_path.write_text(FOUR_LEVEL, encoding="utf-8")
    framework = evalcore.load_framework(framework_path)
    assert framework.warnings == ()
    return evalcore.evaluate(framework, evalcore.loads_data(FOUR_LEVEL_DATA, framework))


def render(name: str, evaluation: Evaluation) -> bytes:
    # The plugin's own layout, also for the synthetic frameworks here, which it does not claim.
    payload = next(f for f in evalcore_hunan.evalcore_formatters() if f.name == name).render(evaluation, FormatOptions())
    assert isinstance(payload, bytes)
    return payload


def sheet(payload: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(payload)).active


def header_row(ws: Any) -> int:
    for row in range(1, 10):
        if ws.cell(row=row, column=1).value == "一级指标":
            return row
    raise AssertionError("no header row")


def merged(ws: Any) -> set[str]:
    """The merged ranges, a label cut at a page break (and repeated below it) read as one."""
    return merged_across_pages(ws)


def group_rows(evaluation: Evaluation) -> dict[tuple[str, ...], tuple[int, int]]:
    """Each group's first and last leaf index, in table order."""
    out: dict[tuple[str, ...], tuple[int, int]] = {}
    for i, leaf in enumerate(evaluation.leaves()):
        for depth in range(1, len(leaf.path)):
            key = leaf.path[:depth]
            first, _ = out.get(key, (i, i))
            out[key] = (first, i)
    return out


def num(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# -- the formatters are registered ----------------------------------------------------------------


def test_xlsx_and_docx_are_registered_by_the_hunan_plugin() -> None:
    registry = evalcore.Registry.build()
    hunan = next(p for p in registry.plugins if p.name == "hunan")
    assert {"xlsx", "docx"} <= set(hunan.formatters)
    assert registry.errors == []
    hecheng = registry.framework("hunan.hecheng.dept.2020")
    for name, suffix in (("xlsx", ".xlsx"), ("docx", ".docx")):
        formatter = registry.formatter(name, hecheng)
        assert formatter is not None and formatter.title.startswith("湖南")
        assert formatter.binary and formatter.suffix == suffix and formatter.frameworks == ("hunan.", "national.")


# -- the CLI --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("cli")
    paths = {"xlsx": out / "评分表.xlsx", "docx": out / "自评报告.docx"}
    for name, path in paths.items():
        result = run_cli("run", EXAMPLE, "--format", name, "-o", path)
        assert result.returncode == 0, result.stderr
        assert "已写入" in result.stderr
    return paths


def test_cli_writes_both_files(cli_outputs: dict[str, Path]) -> None:
    assert cli_outputs["xlsx"].read_bytes()[:2] == b"PK"
    assert cli_outputs["docx"].read_bytes()[:2] == b"PK"
    ws = openpyxl.load_workbook(cli_outputs["xlsx"]).active
    assert ws["A1"].value == "湖南省怀化市鹤城区2020年度部门整体支出绩效评价共性指标框架"
    document = docx.Document(str(cli_outputs["docx"]))
    assert document.paragraphs[0].text == "2020年度怀化市鹤城区社会保险服务中心部门整体支出绩效自评报告"


@pytest.mark.parametrize("name", ["xlsx", "docx"])
def test_binary_format_without_output_is_a_chinese_error(name: str) -> None:
    result = run_cli("run", EXAMPLE, "--format", name)
    assert result.returncode == 2
    assert "需要用 -o 指定输出文件" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("name", ["xlsx", "docx"])
def test_output_onto_the_data_file_is_refused_and_leaves_it_unchanged(tmp_path: Path, name: str) -> None:
    data = tmp_path / "hecheng.toml"
    shutil.copyfile(EXAMPLE, data)
    before = data.read_bytes()
    result = run_cli("run", data, "--format", name, "-o", data)
    assert result.returncode == 2
    assert "输出文件不能是输入文件" in result.stderr
    assert data.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["hecheng.toml"]  # no temporary file left behind


# -- the 评分表 -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hecheng() -> Evaluation:
    return hecheng_evaluation()


@pytest.fixture(scope="module")
def hecheng_ws(cli_outputs: dict[str, Path]) -> Any:
    return openpyxl.load_workbook(cli_outputs["xlsx"]).active


def test_xlsx_title_unit_and_header_rows(hecheng_ws: Any) -> None:
    ws = hecheng_ws
    assert "A1:K1" in merged(ws)
    assert ws["A1"].font.b and ws["A1"].font.sz > ws["A4"].font.sz
    assert ws["A2"].value == "评价单位（盖章）：怀化市鹤城区社会保险服务中心"
    assert ws["G2"].value.startswith("填报日期：")
    assert header_row(ws) == 3
    assert [ws.cell(row=3, column=c).value for c in range(1, 12)] == HEADERS
    assert all(ws.cell(row=3, column=c).font.b for c in range(1, 12))


def test_xlsx_level_columns_are_merged_over_exactly_their_leaf_rows(hecheng_ws: Any, hecheng: Evaluation) -> None:
    ws = hecheng_ws
    first = header_row(ws) + 1
    ranges = merged(ws)
    spans = group_rows(hecheng)
    assert ws.cell(row=first, column=1).value == "投入\n（20分）"
    assert f"A{first}:A{first + 4}" in ranges  # 投入: its five leaves, no more
    assert f"A{first + 5}:A{first + 19}" in ranges  # 过程: fifteen leaves
    for path, (a, b) in spans.items():
        col = "AB"[len(path) - 1]
        group = next(g for g in _groups(hecheng) if g.path == path)
        assert ws[f"{col}{first + a}"].value == f"{path[-1]}\n（{group.max}分）"
        assert (f"{col}{first + a}:{col}{first + b}" in ranges) == (a != b)
    # 三级 names carry their weights, one row each
    for i, leaf in enumerate(hecheng.leaves()):
        assert ws.cell(row=first + i, column=3).value == f"{leaf.path[-1]}\n（{leaf.weight}分）"


def _groups(evaluation: Evaluation) -> list[GroupResult]:
    out: list[GroupResult] = []
    stack = list(evaluation.children)
    while stack:
        node = stack.pop()
        if isinstance(node, GroupResult):
            out.append(node)
            stack.extend(node.children)
    return out


def test_xlsx_every_indicator_row_has_weight_self_and_computed_score(hecheng_ws: Any, hecheng: Evaluation) -> None:
    ws = hecheng_ws
    first = header_row(ws) + 1
    leaves = list(hecheng.leaves())
    assert len(leaves) == 28
    for i, leaf in enumerate(leaves):
        row = first + i
        assert num(ws.cell(row=row, column=COL["分值"]).value) == leaf.weight
        assert num(ws.cell(row=row, column=COL["自评得分"]).value) == leaf.self_score
        assert num(ws.cell(row=row, column=COL["计算得分"]).value) == leaf.score
        assert ws.cell(row=row, column=COL["审核得分"]).value is None
        assert ws.cell(row=row, column=COL["评分标准"]).value.startswith(leaf.indicator.printed or "")
        assert leaf.reason in ws.cell(row=row, column=COL["计分依据"]).value
    by_name = {leaf.path[-1]: first + i for i, leaf in enumerate(leaves)}
    funds, staff = by_name["公用经费控制率"], by_name["在职人员控制率"]
    assert [ws.cell(row=funds, column=COL[c]).value for c in ("分值", "自评得分", "计算得分")] == [3, 2, 3]
    assert [ws.cell(row=staff, column=COL[c]).value for c in ("分值", "自评得分", "计算得分")] == [2, 2, 2]
    basis = ws.cell(row=funds, column=COL["计分依据"]).value
    assert basis.startswith("【计算】得 3 分") and "77.98 / 86.63 × 100 ≈ 90.02%" in basis and "自评 2 分" in basis
    # the row whose self-score differs is highlighted; the one that agrees is not
    assert ws.cell(row=funds, column=COL["计算得分"]).fill.fgColor.rgb.endswith("FFF2CC")
    assert ws.cell(row=staff, column=COL["计算得分"]).fill.fill_type is None


def test_xlsx_totals_row(hecheng_ws: Any, hecheng: Evaluation) -> None:
    ws = hecheng_ws
    row = header_row(ws) + 1 + 28
    assert ws.cell(row=row, column=1).value == "总  分"
    assert f"A{row}:F{row}" in merged(ws)
    values = [ws.cell(row=row, column=COL[c]).value for c in ("分值", "自评得分", "审核得分", "计算得分")]
    assert values == [100, 98, None, 99]
    assert "计算总分 99 / 100 分，评价等级：优" in ws.cell(row=row, column=COL["计分依据"]).value


def test_xlsx_signature_line_below_the_table_and_no_findings(hecheng_ws: Any) -> None:
    ws = hecheng_ws
    below = [ws.cell(row=r, column=c).value for r in range(header_row(ws) + 30, ws.max_row + 1) for c in (1, 7)]
    texts = [t for t in below if isinstance(t, str)]
    assert "填报人：" in texts and "单位负责人（签字）：" in texts
    # the findings are the 问题清单's (issues), not printed on the filed table; nor is the tool named
    everything = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any("需要关注" in t or "自评分与计算不符" in t or "evalcore" in t.lower() for t in everything)


def test_xlsx_print_setup_fonts_borders_and_heights(hecheng_ws: Any) -> None:
    ws = hecheng_ws
    header = header_row(ws)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == f"${header}:${header}"
    for row in range(header, header + 30):
        for col in range(1, 12):
            cell = ws.cell(row=row, column=col)
            if type(cell).__name__ == "MergedCell":
                continue
            assert cell.font.name == "宋体"
            assert cell.alignment.wrap_text and cell.alignment.vertical == "center"
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
    # each body row is at least as tall as its longest 计分依据 needs, line by line
    for row in range(header + 1, header + 29):
        lines = ws.cell(row=row, column=COL["计分依据"]).value.count("\n") + 1
        assert ws.row_dimensions[row].height >= lines * 13
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFGHIJK"}
    assert widths["K"] >= 30 and widths["E"] >= 20 and widths["G"] <= 8


def test_xlsx_formatter_object_matches_cli(hecheng: Evaluation, hecheng_ws: Any) -> None:
    ws = sheet(render("xlsx", hecheng))
    for row in range(1, ws.max_row + 1):
        for col in range(1, 12):
            assert ws.cell(row=row, column=col).value == hecheng_ws.cell(row=row, column=col).value


def test_xlsx_four_level_rows_and_missing_scores(tmp_path: Path) -> None:
    evaluation = four_level_evaluation(tmp_path)
    ws = sheet(render("xlsx", evaluation))
    assert ws["A1"].value == "测试县2021年度部门整体支出绩效评价指标及评分表"
    assert ws["G2"].value == "填报日期：2022年5月24日"
    first = header_row(ws) + 1
    ranges = merged(ws)
    assert f"A{first}:A{first + 4}" in ranges  # 投入 over all five rows
    assert f"B{first}:B{first + 2}" in ranges and f"B{first + 3}:B{first + 4}" in ranges
    # the 三级 name is merged over its three 1-point rows; each row's own text is its 指标说明
    assert ws.cell(row=first, column=3).value == "绩效目标合理性\n（3分）"
    assert f"C{first}:C{first + 2}" in ranges
    assert ws.cell(row=first, column=COL["指标说明"]).value == "1、是否设立年度绩效目标，目标是否明确；"
    assert ws.cell(row=first + 2, column=COL["指标说明"]).value.startswith("3、是否符合部门制定的中长期实施规划")
    # 指标内容 only some rows have: printed above their 评分标准, the column itself not printed
    assert ws.column_dimensions["D"].hidden
    assert ws.cell(row=first, column=COL["评分标准"]).value.startswith("部门设立的整体绩效目标")
    # shallower leaves keep their own 三级 cell
    assert ws.cell(row=first + 3, column=3).value == "在职人员控制率\n（1分）"
    assert [ws.cell(row=first + i, column=COL["分值"]).value for i in range(5)] == [1, 1, 1, 1, 2]
    assert [ws.cell(row=first + i, column=COL["自评得分"]).value for i in range(5)] == [1, 1, 1, 1, 2]
    # missing data: empty cells, never 0, and the reason in 计分依据
    assert [ws.cell(row=first + i, column=COL["计算得分"]).value for i in range(5)] == [1, 1, None, 1, None]
    for row in (first + 2, first + 4):
        assert ws.cell(row=row, column=COL["计分依据"]).value.startswith("【缺数据】未计分")
    assert "上年三公经费" in ws.cell(row=first + 4, column=COL["计分依据"]).value
    total = first + 5
    assert ws.cell(row=total, column=1).value == "总  分"
    assert [ws.cell(row=total, column=COL[c]).value for c in ("分值", "自评得分", "计算得分")] == [6, 6, 3]
    assert "评价不完整：2 项指标未能计分" in ws.cell(row=total, column=COL["计分依据"]).value


# -- the report text in the 评分表 (the 自评报告 is tested in test_hunan_report.py) ---------------


def test_xlsx_signature_line_and_date_come_from_the_report_text(tmp_path: Path) -> None:
    data = tmp_path / "hecheng-report.toml"
    data.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace('source = "鹤城区', 'date = "2021年4月30日"\nsource = "鹤城区') + '\n[report]\n"单位负责人" = "张三"\n',
        encoding="utf-8",
    )
    xlsx = tmp_path / "评分表.xlsx"
    assert run_cli("run", data, "--format", "xlsx", "-o", xlsx).returncode == 0
    ws = openpyxl.load_workbook(xlsx).active
    assert ws["G2"].value == "填报日期：2021年4月30日"
    assert any(ws.cell(row=r, column=7).value == "单位负责人（签字）：张三" for r in range(1, ws.max_row + 1))


def test_xlsx_of_a_project_framework_names_the_project(tmp_path: Path) -> None:
    text = FOUR_LEVEL.replace('kind = "dept"', 'kind = "project"').replace("部门整体支出绩效评价指标及评分表", "项目支出绩效评价指标及评分表")
    framework = evalcore.loads_framework(text, name="project.toml")
    data = evalcore.loads_data(FOUR_LEVEL_DATA.replace('year = 2021', 'year = 2021\nproject = "城乡居民养老保险缴费补助"'), framework)
    ws = sheet(render("xlsx", evalcore.evaluate(framework, data)))
    assert ws["A3"].value == "项目名称：城乡居民养老保险缴费补助" and header_row(ws) == 4
    assert ws.print_title_rows == "$4:$4"


# -- optional: the files open in LibreOffice ------------------------------------------------------

libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


@libreoffice
def test_libreoffice_converts_both_files_to_pdf(cli_outputs: dict[str, Path], tmp_path: Path) -> None:
    profile = (tmp_path / "profile").as_uri()
    for path in cli_outputs.values():
        result = subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        pdf = tmp_path / (path.stem + ".pdf")
        assert result.returncode == 0 and pdf.is_file(), result.stdout + result.stderr
        assert pdf.read_bytes()[:5] == b"%PDF-"
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
            assert "鹤城区" in text and "99" in text
