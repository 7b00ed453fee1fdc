"""Excel data templates: generated, filled as an officer would (text numbers with units, a
merged cell, full-width digits, %-formatted cells), read back to the same evaluation as TOML."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalcore import DataError, evaluate, get_registry, load_data
from evalcore.model import ErrorGroup
from evalcore.workbook import read_workbook, template_workbook

from .compat import tomllib
from .conftest import EXAMPLES
from .test_cli import run

HECHENG = EXAMPLES / "hunan" / "hecheng-dept-2020.toml"
REGISTRY = get_registry()


def fill_like_the_example(tmp_path: Path, typed: dict[str, object] | None = None) -> Path:
    framework = REGISTRY.framework("hunan.hecheng.dept.2020")
    path = tmp_path / "基础数据表.xlsx"
    path.write_bytes(template_workbook(framework))
    example = tomllib.loads(HECHENG.read_text(encoding="utf-8"))
    book = load_workbook(path)
    head = book["单位信息"]
    head["B3"] = example["unit"]
    head.merge_cells("B3:C3")  # an officer widening the unit's name over two cells
    head["B7"] = example["self_total"]
    values = dict(example["inputs"], **(typed or {}))
    for row in book["基础数据"].iter_rows(min_row=2):
        if row[0].value in values:
            row[3].value = values[row[0].value]
    for row in book["指标"].iter_rows(min_row=2):
        entry = example["indicators"].get(row[0].value)
        if entry is None:
            continue
        for column, key in ((7, "score"), (8, "reason"), (9, "self")):
            if key in entry:
                row[column].value = entry[key]
        if "stated" in entry:
            row[12].value = entry["stated"]
    book.save(path)
    return path


def test_filled_template_gives_the_same_evaluation_as_the_toml_example(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path, typed={"编制数": "３７", "在职人员数": "31 ", "公用经费预算数": "866300元"})
    framework, data = read_workbook(path, REGISTRY)
    from_xlsx = evaluate(framework, data)
    from_toml = evaluate(framework, load_data(HECHENG, framework))
    assert data.unit == "怀化市鹤城区社会保险服务中心"
    assert data.inputs["编制数"] == 37 and str(data.inputs["公用经费预算数"]) == "86.63"
    assert (from_xlsx.total, from_xlsx.grade, from_xlsx.self_total) == (from_toml.total, from_toml.grade, from_toml.self_total)
    assert [(leaf.indicator.id, leaf.score, leaf.status, leaf.value) for leaf in from_xlsx.leaves()] == [(leaf.indicator.id, leaf.score, leaf.status, leaf.value) for leaf in from_toml.leaves()]
    kinds = sorted(f.kind for f in from_xlsx.flags)
    assert kinds == sorted([f.kind for f in from_toml.flags] + ["unit_converted"])  # 866300元 → 86.63万元


def test_percent_formatted_cell_and_yes_no_checkpoints(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path)
    book = load_workbook(path)
    sheet = book["指标"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "在职人员控制率":
            row[12].value = 1.0
            row[12].number_format = "0%"  # typed as 100% in Excel: stored as 1.0
        if row[0].value == "绩效目标合理性":
            row[7].value = None  # answer the checkpoints instead of a score
            row[8].value = None
        if str(row[0].value).startswith("绩效目标合理性#"):
            row[5].value = "是" if not str(row[0].value).endswith("#3") else "否"
    book.save(path)
    framework, data = read_workbook(path, REGISTRY)
    evaluation = evaluate(framework, data)
    leaf = evaluation.leaf("绩效目标合理性")
    assert (leaf.score, leaf.status) == (4, "scored")  # two of three 2-point checkpoints met
    assert any(f.kind == "stated_mismatch" and "100%" in f.message for f in evaluation.flags)


def test_every_bad_cell_is_reported_with_sheet_and_cell(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path, typed={"编制数": "三十七", "本年三公经费": "1.17美元"})
    book = load_workbook(path)
    for row in book["指标"].iter_rows(min_row=2):
        if row[0].value == "公用经费控制率":
            row[9].value = "两分"
    book.save(path)
    with pytest.raises(ErrorGroup) as info:
        read_workbook(path, REGISTRY)
    messages = [str(e) for e in info.value.errors]
    assert len(messages) == 3
    assert any("[基础数据!D2]" in m and "编制数" in m for m in messages)
    assert any("基础数据!D4" in m and "美元" in m for m in messages)
    assert any("[指标!J" in m and "两分" in m for m in messages)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(DataError, match="无法作为 Excel 工作簿打开"):
        read_workbook(path, REGISTRY)


def test_template_and_run_commands(tmp_path: Path) -> None:
    xlsx = tmp_path / "模板.xlsx"
    assert run("template", "hunan.hecheng.dept.2020", "-o", str(xlsx)).returncode == 0
    book = load_workbook(xlsx)
    assert book.sheetnames == ["填写说明", "单位信息", "基础数据", "指标", "报告文字"]
    assert book["指标"].data_validations.dataValidation  # 是/否 drop-downs
    again = run("template", "hunan.hecheng.dept.2020", "-o", str(xlsx))
    assert again.returncode == 2 and "已存在" in again.stderr and "--force" in again.stderr
    # Asked to, it replaces the file: a plugin's own template, made again after its framework changed.
    xlsx.write_bytes(b"stale")
    forced = run("template", "hunan.hecheng.dept.2020", "-o", str(xlsx), "--force")
    assert forced.returncode == 0 and xlsx.read_bytes()[:2] == b"PK"
    toml = tmp_path / "模板.toml"
    assert run("template", "hunan.hecheng.dept.2020", "-o", str(toml)).returncode == 0
    text = toml.read_text(encoding="utf-8")
    assert tomllib.loads(text)["framework"] == "hunan.hecheng.dept.2020" and "# \"编制数\" = " in text
    filled = fill_like_the_example(tmp_path)
    result = run("run", str(filled), "--format", "json")
    assert result.returncode == 0, result.stderr
    import json

    assert json.loads(result.stdout)["total"] == "99"


def test_batch_scores_a_directory_with_a_corrupted_file(tmp_path: Path) -> None:
    source = tmp_path / "units"
    source.mkdir()
    (source / "a.toml").write_bytes(HECHENG.read_bytes())
    fill_like_the_example(source)
    (source / "坏.toml").write_text("framework = [\n", encoding="utf-8")
    result = run("batch", str(source), "-o", str(tmp_path / "out"), "--format", "json")
    assert result.returncode == 2
    assert "坏.toml" in result.stdout and "已评价 2 个；无法读取或计分 1 个" in result.stdout
    summary = load_workbook(tmp_path / "out" / "汇总.xlsx")
    header, *totals = list(summary["排名"].iter_rows(values_only=True))
    total, grade = header.index("计算总分"), header.index("等级")
    assert [row[total] for row in totals[:2]] == [99, 99] and totals[2][grade] == "无法计分"
    problems = [row for row in summary["问题"].iter_rows(min_row=2, values_only=True)]
    assert any(row[2] == "无法读取" and "坏.toml" in str(row[1]) for row in problems)
    assert (tmp_path / "out" / "怀化市鹤城区社会保险服务中心.json").exists()


def test_a_score_without_a_reason_names_its_cell(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path)
    book = load_workbook(path)
    for row in book["指标"].iter_rows(min_row=2):
        if row[0].value == "社会效益":
            row[8].value = None  # the reason removed, the score kept
            where = row[8].coordinate  # the cell to fill in
    book.save(path)
    with pytest.raises(DataError) as info:
        read_workbook(path, REGISTRY)
    message = str(info.value)
    assert f"[指标!{where}]" in message and "社会效益·评定理由" in message
    assert "reason" not in message.split("]", 1)[1]  # the TOML key is not the officer's word


def retype(path: Path, sheet: str, column: int, values: dict[str, object]) -> None:
    """Type values into one column of a sheet, on the rows named in column A."""
    book = load_workbook(path)
    for row in book[sheet].iter_rows(min_row=2):
        if row[0].value in values:
            row[column].value = values[row[0].value]
    book.save(path)


def test_report_text_typed_in_the_workbook_reaches_the_report(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path)
    retype(path, "报告文字", 1, {"人员编制情况": "在编在岗人员共计31人，其中23人参照公务员管理。"})
    _, data = read_workbook(path, REGISTRY)
    assert data.report == {"人员编制情况": "在编在岗人员共计31人，其中23人参照公务员管理。"}
    out = tmp_path / "自评报告.docx"
    assert run("run", str(path), "--format", "docx", "-o", str(out)).returncode == 0
    from docx import Document

    assert "在编在岗人员共计31人" in "\n".join(p.text for p in Document(str(out)).paragraphs)


def test_checkpoint_rows_outside_the_list_and_moved_columns_are_reported(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path)
    book = load_workbook(path)
    sheet = book["指标"]
    sheet.append(["绩效目标合理性#4", "  要点 4", 2, None, "多出的一行", "是"])
    book.save(path)
    with pytest.raises(DataError, match="绩效目标合理性#4.*序号 1–3"):
        read_workbook(path, REGISTRY)
    (tmp_path / "b").mkdir()
    book = load_workbook(fill_like_the_example(tmp_path / "b"))
    book["指标"].delete_cols(7)  # 不符合例数 deleted: every later column would shift
    moved = tmp_path / "moved.xlsx"
    book.save(moved)
    with pytest.raises(DataError, match="列与模板不同"):
        read_workbook(moved, REGISTRY)


def test_report_headings_follow_the_framework_kind() -> None:
    book_bytes = template_workbook(REGISTRY.framework("hunan.hecheng.project.2020"))
    import io

    headings = [row[0].value for row in load_workbook(io.BytesIO(book_bytes))["报告文字"].iter_rows(min_row=2)]
    # 鹤城 附件5-1 (预算支出绩效评价报告): the parts of the project report the unit writes, in order.
    assert headings == ["预算支出概况", "预算资金使用管理情况", "预算支出绩效目标完成程度", "绩效评价工作情况", "主要经验及做法", "存在的问题及原因分析", "有关建议", "其他需要说明的问题", "填报人", "单位负责人"]
    assert "机构设置情况" not in headings


def test_a_unit_changed_in_the_unit_column_converts_the_bare_number(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path, typed={"公用经费决算数": 779800})
    # The officer's figures are in 元; 千人 is no unit of people the framework knows.
    retype(path, "基础数据", 2, {"公用经费决算数": "元", "编制数": "千人"})
    with pytest.raises(DataError, match=r"基础数据!C\d+.*“千人”不是"):
        read_workbook(path, REGISTRY)
    retype(path, "基础数据", 2, {"编制数": "人"})
    framework, data = read_workbook(path, REGISTRY)
    # 779800 元 = 77.98 万元, as in the document: 77.98 / 86.63 = 90.02%, 3 of 3.
    assert data.inputs["公用经费决算数"] == Decimal("77.98")
    assert evaluate(framework, data).leaf("公用经费控制率").score == Decimal(3)
