"""`run -o` picks the format from the file's extension, for the unit's framework: the province's
评分表 where it has one, the core's general 评分表 otherwise; a report only where one exists."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLES
from .helpers import staff_framework, write
from .test_cli import run

HECHENG = EXAMPLES / "hunan" / "hecheng-dept-2020.toml"
TARGETS = EXAMPLES / "hunan" / "hecheng-targets-2020-baogan.toml"
SICHUAN = EXAMPLES / "sichuan" / "synthetic-2023.toml"


def _book(path: Path):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    assert zipfile.is_zipfile(path), f"{path.name} is not a workbook"
    return load_workbook(path)


def _header(ws) -> list[str]:  # type: ignore[no-untyped-def]
    for row in ws.iter_rows(values_only=True):
        if row and "分值" in row:
            return [str(v) for v in row if v is not None]
    raise AssertionError("no header row")


def test_xlsx_without_format_is_a_workbook_not_the_terminal_table(tmp_path: Path) -> None:
    target = tmp_path / "评分表.xlsx"
    result = run("run", str(HECHENG), "-o", str(target))
    assert result.returncode == 0, result.stderr
    ws = _book(target).worksheets[0]
    assert "评分标准" in _header(ws) and "计分依据" in _header(ws)  # the Hunan layout


@pytest.mark.parametrize("example, sheet", [(TARGETS, "评分表"), (SICHUAN, "项目支出绩效自评表")])
def test_xlsx_is_the_layout_made_for_the_framework(tmp_path: Path, example: Path, sheet: str) -> None:
    target = tmp_path / "out.xlsx"
    result = run("run", str(example), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert _book(target).worksheets[0].title == sheet


def test_docx_without_format_is_the_hunan_report(tmp_path: Path) -> None:
    target = tmp_path / "自评报告.docx"
    result = run("run", str(HECHENG), "-o", str(target))
    assert result.returncode == 0, result.stderr
    from docx import Document

    assert "自评报告" in Document(str(target)).paragraphs[0].text


def test_docx_for_a_framework_without_a_report_lists_what_there_is(tmp_path: Path) -> None:
    target = tmp_path / "自评报告.docx"
    result = run("run", str(SICHUAN), "-o", str(target))
    assert result.returncode == 2 and not target.exists()
    assert "没有能写成 .docx 文件的输出格式" in result.stderr
    assert "xlsx（.xlsx）" in result.stderr and "json（.json）" in result.stderr and "docx" not in result.stderr.split("可用：")[1]


@pytest.mark.parametrize("suffix, check", [(".json", "json"), (".md", "md"), (".csv", "csv"), (".txt", "table")])
def test_text_extensions_give_the_general_text_formats(tmp_path: Path, suffix: str, check: str) -> None:
    target = tmp_path / f"结果{suffix}"
    result = run("run", str(SICHUAN), "-o", str(target))
    assert result.returncode == 0, result.stderr
    # A CSV file starts with a byte-order mark, for Excel (tests/test_windows_habits.py); "utf-8-sig" reads both.
    text = target.read_text(encoding="utf-8-sig")
    if check == "json":
        assert json.loads(text)["framework"] == "sichuan.project-targets.2023"
    elif check == "md":
        assert text.startswith("#") and "预算绩效管理情况" not in text.splitlines()[0]  # md, not sichuan-md
    elif check == "csv":
        assert text.splitlines()[0].startswith("指标路径,分值,得分")
    else:
        assert "计算总分" in text


@pytest.mark.parametrize("fmt_name, name", [("json", "评分表.xlsx"), ("xlsx", "结果.json"), ("docx", "评分表.xlsx"), ("csv", "结果.md")])
def test_an_extension_that_contradicts_format_is_an_error_naming_both(tmp_path: Path, fmt_name: str, name: str) -> None:
    target = tmp_path / name
    result = run("run", str(HECHENG), "--format", fmt_name, "-o", str(target))
    assert result.returncode == 2 and not target.exists()
    assert f"--format {fmt_name}" in result.stderr and Path(name).suffix in result.stderr


def test_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    result = run("run", str(HECHENG), "-o", str(tmp_path / "评分表.pdf"))
    assert result.returncode == 2 and "无法从文件名" in result.stderr and ".xlsx" in result.stderr and not (tmp_path / "评分表.pdf").exists()
    # With --format as without: the name must say the format that is written.
    explicit = run("run", str(HECHENG), "--format", "md", "-o", str(tmp_path / "评分表.markdown"))
    assert explicit.returncode == 2 and "请改用 -o " in explicit.stderr and explicit.stderr.rstrip().endswith("评分表.md")
    assert not (tmp_path / "评分表.markdown").exists()


# (--format, the file named, its extension as said, the name to use instead): a file is written in
# the format its name says, or not at all; Excel and Word would refuse the others.
MISNAMED = [
    ("xlsx", "评分表.xls", "的扩展名是 .xls", "评分表.xlsx"),
    ("docx", "报告.doc", "的扩展名是 .doc", "报告.docx"),
    ("json", "a.pdf", "的扩展名是 .pdf", "a.json"),
    ("xlsx", "x.xlsm", "的扩展名是 .xlsm", "x.xlsx"),
    ("json", "结果", "没有扩展名", "结果.json"),
    ("table", "结果.log", "的扩展名是 .log", "结果.txt"),
    ("sichuan-md", "段落.docx", "的扩展名是 .docx", "段落.md"),
    (None, "评分表.xls", "的扩展名是 .xls", "评分表.xlsx"),
    (None, "报告.doc", "的扩展名是 .doc", "报告.docx"),
    (None, "x.xlsm", "的扩展名是 .xlsm", "x.xlsx"),
]


@pytest.mark.parametrize("fmt_name, name, has, use", MISNAMED)
def test_a_file_named_for_another_format_is_refused_and_nothing_written(tmp_path: Path, fmt_name: str | None, name: str, has: str, use: str) -> None:
    data = SICHUAN if fmt_name == "sichuan-md" else HECHENG
    result = run("run", str(data), "-o", str(tmp_path / name), *(["--format", fmt_name] if fmt_name else []))
    assert result.returncode == 2, result.stderr
    assert f"输出文件 {tmp_path / name} {has}" in result.stderr and f"请改用 -o {tmp_path / use}" in result.stderr
    if fmt_name:
        assert f"与 --format {fmt_name} 不符" in result.stderr
    assert "Traceback" not in result.stderr and list(tmp_path.iterdir()) == []


def test_the_extension_is_compared_without_regard_to_case(tmp_path: Path) -> None:
    result = run("run", str(HECHENG), "--format", "xlsx", "-o", str(tmp_path / "评分表.XLSX"))
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(tmp_path / "评分表.XLSX")


@pytest.mark.parametrize("name, has", [("模板.xlsm", "的扩展名是 .xlsm"), ("模板.xls", "的扩展名是 .xls"), ("模板.json", "的扩展名是 .json"), ("模板", "没有扩展名")])
def test_a_template_is_written_only_as_xlsx_or_toml(tmp_path: Path, name: str, has: str) -> None:
    result = run("template", "hunan.hecheng.dept.2020", "-o", str(tmp_path / name))
    assert result.returncode == 2
    assert f"输出文件 {tmp_path / name} {has}，模板只能写成 Excel 工作簿或 TOML 文件（可用的扩展名：.xlsx、.toml）；请改用 -o {tmp_path / '模板.xlsx'}" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_multi_unit_template_is_an_excel_one(tmp_path: Path) -> None:
    result = run("template", "hunan.hecheng.dept.2020", "--multi", "-o", str(tmp_path / "多单位.toml"))
    assert result.returncode == 2 and f"请改用 -o {tmp_path / '多单位.xlsx'}，或去掉 --multi" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_batch_names_each_file_with_its_formats_extension(tmp_path: Path) -> None:
    source = tmp_path / "units"
    source.mkdir()
    for data in (EXAMPLES / "hunan" / "hecheng-targets-2020-baogan.toml", SICHUAN):  # two target forms: sichuan-md applies to both
        (source / data.name).write_bytes(data.read_bytes())
    out = tmp_path / "out"
    formats = ("table", "json", "md", "csv", "xlsx", "sichuan-md")
    result = run("batch", str(source), "-o", str(out), *(part for name in formats for part in ("--format", name)))
    assert result.returncode == 0, result.stderr
    suffixes = {"table": ".txt", "json": ".json", "md": ".md", "csv": ".csv", "xlsx": ".xlsx", "sichuan-md": ".md"}
    records = [json.loads(line) for line in (out / ".evalcore.manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2 * len(formats)
    assert all(Path(record["output"]).suffix == suffixes[record["format"]] for record in records)
    assert all(zipfile.is_zipfile(out / record["output"]) for record in records if record["format"] == "xlsx")


def test_the_general_workbook_for_a_framework_without_a_province_layout(tmp_path: Path) -> None:
    rules = write(tmp_path, "rules.toml", staff_framework())
    data = write(tmp_path, "unit.toml", 'framework = "test.unit.2024"\nunit = "测试单位"\n[inputs]\n"编制数" = 37\n')
    target = tmp_path / "评分表.xlsx"
    result = run("run", str(data), "--framework", str(rules), "-o", str(target))
    assert result.returncode == 0, result.stderr
    ws = _book(target)["评分表"]
    header = _header(ws)
    assert header == ["一级指标", "二级指标", "三级指标", "分值", "自评得分", "计算得分", "计分依据"]
    row = next(r for r in ws.iter_rows() if r[1].value == "在职人员控制率")
    assert row[3].value == 2 and row[5].value is None  # missing: empty, never 0
    assert "缺数据" in row[6].value
    assert {c.font.name for c in row} == {"宋体"} and row[0].border.left.style == "thin"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    header_row = next(c.row for c in ws["A"] if c.value == "一级指标")
    assert ws.print_title_rows.replace("$", "") == f"{header_row}:{header_row}"
    report = run("run", str(data), "--framework", str(rules), "-o", str(tmp_path / "报告.docx"))
    assert report.returncode == 2 and "没有能写成 .docx 文件的输出格式" in report.stderr


def test_the_registry_picks_a_format_by_suffix(registry) -> None:  # type: ignore[no-untyped-def]
    hunan = registry.framework("hunan.hecheng.dept.2020")
    national = registry.framework("national.project-targets.2020")
    sichuan = registry.framework("sichuan.project-targets.2023")
    assert registry.formatter_for_suffix(".xlsx", hunan).title.startswith("湖南")
    assert registry.formatter_for_suffix(".XLSX", national).title.startswith("湖南")
    assert registry.formatter_for_suffix(".xlsx", sichuan).name == "xlsx" and registry.formatter_for_suffix(".xlsx", sichuan).title.startswith("四川")
    assert registry.formatter_for_suffix(".docx", sichuan) is None
    assert registry.formatter_for_suffix(".md", sichuan).name == "md"
    assert registry.formatter_for_suffix(".txt", sichuan).name == "table"
    assert registry.formatter_for_suffix(".pdf", sichuan) is None
    # The Hunan layouts are made for Hunan and the national form, no longer for every framework.
    assert registry.formatter("docx", sichuan) is None
    assert registry.formatter("xlsx", hunan).title.startswith("湖南")


def test_the_general_workbook_is_registered_by_the_core(registry) -> None:  # type: ignore[no-untyped-def]
    general = registry.formatters["xlsx"]
    assert general.frameworks == () and general.binary and general.suffix == ".xlsx"
    assert next(p for p in registry.plugins if "xlsx" in p.formatters and not p.formatter_frameworks.get("xlsx")).name == "evalcore"
