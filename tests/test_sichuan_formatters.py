"""The Sichuan plugin's output formats: `sichuan-xlsx` (the forms in their official layouts, read
back with openpyxl) and `sichuan-md` (the 单位决算's 预算绩效管理情况 paragraph).

Figures: 米易 附件1 (seed 004 lines 112–237; 预算数 5, 执行数 4.64 → 92.8%), 附件2 (lines 247–333;
102.24 / 102.24 → 100%, paragraph wording of line 76), and the synthetic 2023 example (worked by hand
in tests/test_target_forms.py and in the example's header: 200 / 170 → 85%, total 94.88).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalcore import EvalcoreError, Evaluation, FormatOptions, evaluate
from evalcore.cli import main
from evalcore_sichuan import FORMATTERS

from .conftest import EXAMPLES
from .sheet_pages import merged_across_pages

GUANLI = EXAMPLES / "sichuan" / "miyi-targets-2021-guanli.toml"
COUNTY = EXAMPLES / "sichuan" / "miyi-targets-2021-kunnan-county.toml"
SYNTHETIC = EXAMPLES / "sichuan" / "synthetic-2023.toml"
XITONG = EXAMPLES / "hunan" / "hecheng-targets-2020-xitong.toml"
SICHUAN_XLSX = next(f for f in FORMATTERS if f.name == "sichuan-xlsx")


def run(registry, path: Path) -> Evaluation:  # type: ignore[no-untyped-def]
    from evalcore.load import read_data_file, unit_data

    file = read_data_file(path)
    framework = registry.framework(file.framework_id)
    return evaluate(framework, unit_data(file, framework))


def workbook(registry, path: Path):  # type: ignore[no-untyped-def]
    payload = SICHUAN_XLSX.render(run(registry, path), FormatOptions())
    assert isinstance(payload, bytes)
    return load_workbook(io.BytesIO(payload))


def merged(ws) -> set[str]:  # type: ignore[no-untyped-def]
    """The merged ranges, a label cut at a page break (and repeated below it) read as one."""
    return merged_across_pages(ws)


def test_formatters_are_registered_without_collision(registry) -> None:  # type: ignore[no-untyped-def]
    plugin = next(p for p in registry.plugins if p.name == "sichuan")
    assert set(plugin.formatters) == {"xlsx", "sichuan-xlsx", "sichuan-md"}
    layouts = "sichuan.miyi.project-targets.2021、sichuan.project-targets.2023"
    assert set(plugin.formatter_labels) == {f"xlsx（用于 {layouts}）", f"sichuan-xlsx（用于 {layouts}）", "sichuan-md"}
    assert {"sichuan.miyi.project-targets.2021", "sichuan.project-targets.2023"} <= set(plugin.frameworks)
    assert plugin.errors == () and registry.errors == []
    assert SICHUAN_XLSX.binary and SICHUAN_XLSX.suffix == ".xlsx"
    assert not registry.formatters["sichuan-md"].binary


def test_the_formats_claim_exactly_the_frameworks_with_a_layout() -> None:
    from evalcore_sichuan import LAYOUT_IDS
    from evalcore_sichuan._xlsx import LAYOUTS

    assert LAYOUT_IDS == tuple(LAYOUTS)


def test_xlsx_is_the_sichuan_form_for_sichuan_frameworks_and_the_general_one_for_others(registry) -> None:  # type: ignore[no-untyped-def]
    sichuan = registry.framework("sichuan.project-targets.2023")
    hunan = registry.framework("hunan.hecheng.dept.2020")
    national = registry.framework("national.project-targets.2020")
    assert registry.formatter("xlsx", sichuan).render is registry.formatter("sichuan-xlsx", sichuan).render
    assert registry.formatter("sichuan-xlsx", hunan) is None
    assert registry.formatter("xlsx", hunan) is registry.formatter("xlsx", national)
    assert registry.formatter("xlsx", hunan).title.startswith("湖南")
    # Frameworks without a layout of their province's get the core's general 评分表.
    assert registry.formatters["xlsx"].frameworks == () and not registry.formatters["xlsx"].title.startswith(("湖南", "四川"))
    assert registry.formatter("xlsx") is registry.formatters["xlsx"]


def test_run_with_format_xlsx_writes_the_sichuan_form(tmp_path: Path) -> None:
    from .test_cli import run as run_cli

    path = EXAMPLES / "sichuan" / "synthetic-2023.toml"
    result = run_cli("run", str(path), "--format", "xlsx", "-o", str(tmp_path / "自评表.xlsx"))
    assert result.returncode == 0, result.stderr
    by_xlsx = load_workbook(tmp_path / "自评表.xlsx")
    result = run_cli("run", str(path), "--format", "sichuan-xlsx", "-o", str(tmp_path / "四川.xlsx"))
    by_name = load_workbook(tmp_path / "四川.xlsx")
    assert by_xlsx.sheetnames == by_name.sheetnames
    assert [[c.value for c in r] for r in by_xlsx.worksheets[0].iter_rows()] == [[c.value for c in r] for r in by_name.worksheets[0].iter_rows()]


# ---------------------------------------------------------------------------------------------
# sichuan-xlsx, 米易 2021 layout
# ---------------------------------------------------------------------------------------------


def test_miyi_xlsx_layout(registry) -> None:  # type: ignore[no-untyped-def]
    wb = workbook(registry, GUANLI)
    assert wb.sheetnames == ["绩效目标自评", "核算"]
    ws = wb["绩效目标自评"]
    assert ws.max_column == 6
    assert ws["A1"].value == "特定目标类部门预算项目绩效目标自评"
    assert ws["A2"].value == "（2021年度）"
    assert (ws["A3"].value, ws["B3"].value) == ("项目名称", "城乡居民养老保险管理经费项目")
    assert (ws["A4"].value, ws["B4"].value) == ("预算单位", "米易县城乡居民养老保险事务中心")
    # 预算执行情况(万元): lines 123–138
    assert ws["A5"].value == "预算执行情况(万元)"
    assert [ws.cell(5, c).value for c in range(2, 6)] == ["预算数:", 5, "执行数:", 4.64]
    assert [ws.cell(6, c).value for c in range(2, 6)] == ["其中-财政拨款:", 5, "其中-财政拨款:", 4.64]
    assert [ws.cell(7, c).value for c in range(2, 6)] == ["其它资金:", 0, "其它资金:", 0]
    # 年度目标完成情况: lines 140–146
    assert (ws["A8"].value, ws["B8"].value, ws["E8"].value) == ("年度目标完成情况", "预期目标", "实际完成目标")
    assert ws["E9"].value.startswith("因疫情影响只召开了一次业务培训会议")
    # 绩效指标完成情况: header (lines 148–153), then the 12 rows of lines 155–237
    assert [ws.cell(10, c).value for c in range(1, 7)] == [
        "绩效指标完成情况",
        "一级指标",
        "二级指标",
        "三级指标",
        "预期指标值(包含数字及文字描述)",
        "实际完成指标值(包含数字及文字描述)",
    ]
    assert ws.max_row == 22
    assert [ws.cell(r, 4).value for r in (11, 12, 19, 20, 22)] == ["召开城乡居民养老政策培训", "印刷宣传资料", "宣传资料印刷费、会议费", "提升养老保险政策知晓度", "参保群众满意度"]
    assert [ws.cell(11, c).value for c in (5, 6)] == ["2次", "1次"]
    assert [ws.cell(19, c).value for c in (5, 6)] == ["2万元", "1.6万元"]
    # the document's full sentence stays with the encoded row, as a comment on its 预期指标值
    assert "全年会议2次，每次培训乡镇负责人11人" in ws["E11"].comment.text
    # 一级 and 二级 merged over their rows
    assert {
        "A1:F1", "A2:F2", "B3:F3", "B4:F4", "A5:A7", "E5:F5", "A8:A9", "B8:D8", "E8:F8", "A10:A22",
        "B11:B19",  # 项目完成指标: 9 rows
        "C11:C12",  # 数量指标
        "C13:C14",  # 质量指标
        "C15:C18",  # 时效指标
        "B20:B21",  # 项目效益
    } <= merged(ws)
    assert "C19:C19" not in merged(ws) and ws["C19"].value == "成本指标"
    # borders, wrap, A4
    assert ws["F22"].border.left.style == "thin" and ws["F22"].alignment.wrap_text
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"  # A4
    assert ws.row_dimensions[13].height > ws.row_dimensions[12].height  # long text rows grow


def test_miyi_xlsx_check_sheet(registry) -> None:  # type: ignore[no-untyped-def]
    ws = workbook(registry, GUANLI)["核算"]
    assert [ws.cell(2, c).value for c in range(1, 9)] == ["指标", "预期指标值", "实际完成值", "完成情况", "分值", "得分", "核算依据", "说明"]
    assert [ws.cell(3, c).value for c in (2, 3, 4)] == ["5万元", "4.64万元", "92.8%"]
    rows = {ws.cell(r, 1).value: ws.cell(r, 4).value for r in range(4, 16)}
    assert rows["项目完成指标/数量指标/召开城乡居民养老政策培训"] == "未达到目标，完成 50%"
    assert rows["项目完成指标/成本指标/宣传资料印刷费、会议费"] == "达到目标"
    assert rows["项目完成指标/时效指标/印制和发放宣传资料"] == "定性指标，与预期一致"
    texts = [ws.cell(r, 1).value or "" for r in range(16, ws.max_row + 1)]
    assert any("本表不计分" in t for t in texts)
    # the findings are in the 问题清单, not printed on the workbook that is filed
    assert not any("填报数与计算不符" in t or "需要关注" in t for t in texts)
    assert not any("计算总分" in t and "本表不计分" not in t for t in texts)
    assert "evalcore" not in (ws["A1"].value or "").lower()


# ---------------------------------------------------------------------------------------------
# sichuan-xlsx, 四川 2023 layout
# ---------------------------------------------------------------------------------------------


def test_2023_xlsx_layout(registry) -> None:  # type: ignore[no-untyped-def]
    wb = workbook(registry, SYNTHETIC)
    assert wb.sheetnames == ["项目支出绩效自评表", "核算"]
    ws = wb["项目支出绩效自评表"]
    assert ws.max_column == 11
    assert (ws["A1"].value, ws["A2"].value) == ("部门预算项目支出绩效自评表", "（2023年度）")
    # 预算执行情况: header, 总额 (the sum of the sources), the four sources, the reason row
    assert ws["A5"].value.startswith("预算执行情况（万元）") and "10分" in ws["A5"].value
    assert [ws.cell(5, c).value for c in range(6, 12)] == ["年初预算数", "调整后预算数", "执行数", "分值", "执行率", "得分"]
    table = [[ws.cell(r, c).value for c in (2, 6, 7, 8)] for r in range(6, 11)]
    assert table == [
        ["总额", 180, 200, 170],  # 150 + 0 + 30 + 0, 150 + 0 + 30 + 20, 130 + 0 + 25 + 15
        ["财政资金", 150, 150, 130],
        ["财政专户管理资金", 0, 0, 0],
        ["单位资金", 30, 30, 25],
        ["其他资金", 0, 20, 15],
    ]
    assert [ws.cell(6, c).value for c in (9, 10, 11)] == [10, "85%", 8.5]
    assert {"I6:I10", "J6:J10", "K6:K10", "B6:E6", "A5:A11"} <= merged(ws)
    assert ws["B11"].value == "执行率偏低原因" and ws["F11"].value.startswith("两期培训合并为一期")
    # 绩效指标 header and rows
    assert ws["A14"].value.startswith("绩效指标") and "90分" in ws["A14"].value
    assert [ws.cell(14, c).value for c in range(2, 12)] == ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"]
    rows = [[ws.cell(r, c).value for c in range(4, 12)] for r in range(15, 22)]
    assert rows[0] == ["培训人次", "≥", "500", "人次", "450", 20, 18, "两期培训合并为一期，参训人次少于计划"]
    assert rows[1][:7] == ["培训考核合格率", "≥", "95", "%", "98", 15, 15]
    assert rows[2][:7] == ["培训完成时限", "定性", "2023年12月底前", None, "2023年11月", 10, 10]
    assert rows[3][:7] == ["人均培训成本", "≤", "300", "元", "320", 10, 9.38]
    assert rows[6][:7] == ["参训人员满意度", "≥", "90", "%", "93", 10, 10]
    assert {"B15:B18", "B19:B20", "A14:A21"} <= merged(ws)  # 产出指标 over 4 rows, 效益指标 over 2
    # 总分 row: 10 + 90 = 100, 94.88
    assert ws["A22"].value == "总分" and "A22:H22" in merged(ws)
    assert (ws["I22"].value, ws["J22"].value, ws["K22"].value) == (100, 94.88, "评价等级：优")
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"  # A4
    assert ws["K15"].alignment.wrap_text and ws["K15"].border.bottom.style == "thin"


def test_2023_xlsx_rate_below_90_without_reason_keeps_an_empty_reason_row(registry) -> None:  # type: ignore[no-untyped-def]
    from evalcore import loads_data

    framework = registry.framework("sichuan.project-targets.2023")
    text = SYNTHETIC.read_text(encoding="utf-8").replace('reason = "两期培训合并为一期举办，场地与师资费用相应减少，结余资金按规定收回"\n', "")
    payload = SICHUAN_XLSX.render(evaluate(framework, loads_data(text, framework)), FormatOptions())
    assert isinstance(payload, bytes)
    ws = load_workbook(io.BytesIO(payload))["项目支出绩效自评表"]
    assert ws["B11"].value == "执行率偏低原因" and ws["F11"].value == "（执行率低于90%，未说明原因）"


def test_an_execution_figure_questioned_for_its_unit_is_not_stated_as_fact(registry) -> None:  # type: ignore[no-untyped-def]
    from evalcore import loads_data
    from evalcore_sichuan import FORMATTERS as ALL

    # 财政资金 executed 1300000 typed bare: as 万元 the rate is 650020% (10 分), as 元 130 + 40 = 170 万元
    # of 200, 85% (8.5 分, the synthetic example's own figure): the readings differ, so 待核实.
    framework = registry.framework("sichuan.project-targets.2023")
    text = SYNTHETIC.read_text(encoding="utf-8").replace('"执行数" = "130万元"', '"执行数" = 1300000', 1)
    evaluation = evaluate(framework, loads_data(text, framework))
    assert evaluation.leaf("预算执行率").status == "questioned"
    markdown = next(f for f in ALL if f.name == "sichuan-md").render(evaluation, FormatOptions())
    assert isinstance(markdown, str)
    assert "执行数的单位待核实，完成预算的比例暂不能确定。" in markdown and "1300040万元" not in markdown.split("\n")[0]
    payload = SICHUAN_XLSX.render(evaluation, FormatOptions())
    assert isinstance(payload, bytes)
    book = load_workbook(io.BytesIO(payload))
    texts = [str(cell.value) for ws in book for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert "待核实" in texts and any(text.endswith("（单位待核实）") for text in texts)
    assert not any(text == "1300040万元" for text in texts)


def test_xlsx_refuses_a_framework_without_a_layout(registry) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EvalcoreError, match="national.project-targets.2020"):
        SICHUAN_XLSX.render(run(registry, XITONG), FormatOptions())


def test_xlsx_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "自评表.xlsx"
    main(["run", str(SYNTHETIC), "--format", "sichuan-xlsx", "-o", str(out)])
    assert load_workbook(out)["项目支出绩效自评表"]["J22"].value == 94.88


# ---------------------------------------------------------------------------------------------
# sichuan-md: the 预算绩效管理情况 paragraph
# ---------------------------------------------------------------------------------------------


def md(registry, path: Path) -> str:  # type: ignore[no-untyped-def]
    text = registry.formatters["sichuan-md"].render(run(registry, path), FormatOptions())
    assert isinstance(text, str)
    return text


def test_md_guanli(registry) -> None:  # type: ignore[no-untyped-def]
    text = md(registry, GUANLI)
    assert text.startswith("**城乡居民养老保险管理经费项目绩效目标完成情况综述。**")
    # the computed figures, not line 75's "全年预算数4.64万元 … 完成预算的100%"
    assert "项目全年预算数5万元，执行数为4.64万元，完成预算的92.8%。" in text
    assert "通过项目实施，提高经办人员工作水平并提升了宣传效果。" in text  # line 75, from [report]
    assert "绩效指标共 12 项：可量化指标 5 项，达到目标 4 项，未达到 1 项（召开城乡居民养老政策培训，完成 50%）；定性及时效指标 7 项。" in text
    assert "> - 【填报数与计算不符】预算执行率：文件所写执行率为 100%" in text
    assert "得分" not in text.split("\n\n")[0]  # no score for an unscored form


def test_md_county_matches_the_document(registry) -> None:  # type: ignore[no-untyped-def]
    # seed 004 line 76, word for word for the figures
    assert "项目全年预算数102.24万元，执行数为102.24万元，完成预算的100%。" in md(registry, COUNTY)


def test_md_2023(registry) -> None:  # type: ignore[no-untyped-def]
    text = md(registry, SYNTHETIC)
    assert "项目调整后预算数200万元，执行数为170万元，完成预算的85%。" in text
    assert "执行率低于90%的原因：两期培训合并为一期举办" in text
    assert "未达到 2 项（培训人次，完成 90%；人均培训成本，完成 93.75%）" in text
    assert "绩效自评得分 94.88 分，评价等级为“优”。" in text


def test_md_refuses_a_framework_that_is_not_a_form(registry) -> None:  # type: ignore[no-untyped-def]
    path = EXAMPLES / "hunan" / "hecheng-dept-2020.toml"
    with pytest.raises(EvalcoreError, match="只适用于项目支出绩效自评表"):
        registry.formatters["sichuan-md"].render(run(registry, path), FormatOptions())


def test_forms_show_the_budget_figure_the_rate_divides_by(tmp_path: Path) -> None:
    # 米易 管理经费 with a 调整后预算数 added: the 2021 form divides by 全年预算数 (5), so the text
    # must say 5 万元 beside 92.8% (4.64 / 5), not the 6 that the rate does not use.
    source = (EXAMPLES / "sichuan" / "miyi-targets-2021-guanli.toml").read_text(encoding="utf-8")
    data = tmp_path / "a.toml"
    data.write_text(source.replace("[budget]\n", '[budget]\n"调整后预算数" = "6万元"\n', 1), encoding="utf-8")
    from .test_cli import run as cli

    result = cli("run", str(data), "--format", "sichuan-md")
    assert result.returncode == 0, result.stderr
    assert "5万元" in result.stdout and "6万元" not in result.stdout and "92.8%" in result.stdout


def test_a_framework_derived_from_a_sichuan_one_keeps_the_general_xlsx(registry) -> None:  # type: ignore[no-untyped-def]
    import types

    derived = types.SimpleNamespace(id="sichuan.panzhihua.project-targets.2024")
    assert registry.formatter("xlsx", derived) is registry.formatters["xlsx"]


def test_run_asks_for_an_output_file_naming_the_format_it_would_use(tmp_path: Path) -> None:
    from .test_cli import run as run_cli

    result = run_cli("run", str(EXAMPLES / "sichuan" / "synthetic-2023.toml"), "--format", "xlsx")
    assert result.returncode == 2 and "四川项目支出绩效自评表（Excel）格式需要用 -o" in result.stderr


def test_plugins_json_lists_format_names_and_the_frameworks_they_are_for() -> None:
    import json

    from .test_cli import run as run_cli

    result = run_cli("plugins", "--format", "json")
    sichuan = next(p for p in json.loads(result.stdout) if p["name"] == "sichuan")
    assert sichuan["formatters"] == ["xlsx", "sichuan-xlsx", "sichuan-md"]
    assert sichuan["formatter_frameworks"]["xlsx"] == ["sichuan.miyi.project-targets.2021", "sichuan.project-targets.2023"]


def test_one_framework_id_written_without_a_tuple_is_one_claim() -> None:
    from evalcore import Formatter

    assert Formatter("x", "x", SICHUAN_XLSX.render, frameworks="sichuan.").frameworks == ("sichuan.",)
    with pytest.raises(ValueError):
        Formatter("x", "x", SICHUAN_XLSX.render, frameworks=("",))


def test_batch_writes_both_xlsx_formats_side_by_side(tmp_path: Path) -> None:
    from .test_cli import run as run_cli

    source = tmp_path / "data"
    source.mkdir()
    (source / "四川.toml").write_text((EXAMPLES / "sichuan" / "synthetic-2023.toml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("batch", str(source), "-o", str(tmp_path / "out"), "--format", "xlsx", "--format", "sichuan-xlsx")
    assert result.returncode == 0, result.stderr
    assert {p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")} == {"某县示例局（合成）-基层业务骨干培训项目（合成示例）-自评表.xlsx", "某县示例局（合成）-基层业务骨干培训项目（合成示例）-自评表-sichuan-xlsx.xlsx", "汇总.xlsx", "汇总.json"}
