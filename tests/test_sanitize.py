"""Text written into workbooks and documents: control characters removed and reported, formula-like
text stored as text, in every writer (汇总.xlsx, the general, Hunan and Sichuan workbooks, the
Hunan report)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from evalcore import FormatOptions, evaluate, get_registry, loads_data

from .conftest import EXAMPLES
from .test_cli import run

HECHENG = EXAMPLES / "hunan" / "hecheng-dept-2020.toml"
SICHUAN = EXAMPLES / "sichuan" / "synthetic-2023.toml"


def _with(path: Path, **fields: str) -> str:
    """The example's text with top-level string fields replaced (TOML escapes allowed)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for key, value in fields.items():
        for i, line in enumerate(lines):
            if line.startswith(f"{key} = "):
                lines[i] = f'{key} = "{value}"'
                break
        else:
            lines.insert(1, f'{key} = "{value}"')
    return "\n".join(lines) + "\n"


def _cells(payload: bytes) -> dict[str, tuple[object, str]]:
    """Every non-empty cell of every sheet: sheet!coordinate → (value, openpyxl data type)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(payload))
    return {f"{ws.title}!{c.coordinate}": (c.value, c.data_type) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


def _formulas(payload: bytes) -> list[str]:
    """Formula elements in the workbook's XML: none may come from a unit's text."""
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return [name for name in archive.namelist() if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)]


def test_clean_text_removes_control_characters_and_records_where() -> None:
    from evalcore.outputs import clean_text, removed_characters

    with removed_characters() as removed:
        assert clean_text("A\u0007B\tC\nD\x1b[2J", "X!A1") == "AB\tC\nD[2J"
        assert clean_text("plain", "X!A2") == "plain"
    assert [(r.where, r.text, r.codes) for r in removed] == [("X!A1", "AB\tC\nD[2J", "U+0007、U+001B")]


def test_put_text_keeps_formula_like_text_as_text() -> None:
    from openpyxl import Workbook

    from evalcore.outputs import put_text

    ws = Workbook().active
    for row, text in enumerate(["=1+1", "+1", "-1", "@SUM(A1)", "=HYPERLINK(\"http://x\")"], start=1):
        put_text(ws.cell(row=row, column=1), text)
        assert (ws.cell(row=row, column=1).value, ws.cell(row=row, column=1).data_type) == (text, "s")
    put_text(ws.cell(row=9, column=1), 3)
    assert ws.cell(row=9, column=1).data_type == "n"


@pytest.mark.parametrize("fmt_name, example", [("xlsx", HECHENG), ("docx", HECHENG), ("xlsx", SICHUAN)])
def test_a_control_character_in_a_units_name_is_removed_and_reported_by_run(tmp_path: Path, fmt_name: str, example: Path) -> None:
    data = tmp_path / "unit.toml"
    data.write_text(_with(example, unit="A\\u0007B"), encoding="utf-8")
    target = tmp_path / f"out.{fmt_name}"
    result = run("run", str(data), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert "警告：" in result.stderr and "U+0007" in result.stderr and "“" in result.stderr
    assert target.stat().st_size > 0
    if fmt_name == "xlsx":
        assert any(value == "AB" or (isinstance(value, str) and "AB" in value) for value, _ in _cells(target.read_bytes()).values())


def test_formula_like_project_and_reason_are_text_in_the_sichuan_form(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework("sichuan.project-targets.2023")
    text = _with(SICHUAN, project="=HYPERLINK(\\\"http://x\\\",\\\"点击\\\")", unit="@单位")
    data = loads_data(text, framework)
    evaluation = evaluate(framework, data)
    payload = registry.formatter("xlsx", framework).render(evaluation, FormatOptions(width=100))
    cells = _cells(payload)
    assert _formulas(payload) == []
    project = [where for where, (value, _) in cells.items() if isinstance(value, str) and value.startswith("=HYPERLINK")]
    assert project and all(cells[where][1] == "s" for where in project)
    assert cells["核算!A1"][1] == "s" and str(cells["核算!A1"][0]).startswith("=HYPERLINK")


def test_formula_like_reason_is_text_in_the_sichuan_form(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework("sichuan.project-targets.2023")
    source = SICHUAN.read_text(encoding="utf-8")
    assert "reason" in source
    text = "\n".join(line if not line.startswith("reason = ") else 'reason = "=1+1"' for line in source.splitlines()) + "\n"
    evaluation = evaluate(framework, loads_data(text, framework))
    payload = registry.formatter("xlsx", framework).render(evaluation, FormatOptions(width=100))
    assert _formulas(payload) == []
    reasons = [(where, kind) for where, (value, kind) in _cells(payload).items() if value == "=1+1"]
    assert reasons and all(kind == "s" for _, kind in reasons)


@pytest.mark.parametrize("framework_id, example", [("hunan.hecheng.dept.2020", HECHENG), ("sichuan.project-targets.2023", SICHUAN)])
def test_every_workbook_writer_stores_formula_like_text_as_text(registry, framework_id: str, example: Path) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(framework_id)
    evaluation = evaluate(framework, loads_data(_with(example, unit="=1+2", project="-项目"), framework))
    general = next(f for f in registry.formatters.values() if f.name == "xlsx")
    for formatter in (registry.formatter("xlsx", framework), general):
        payload = formatter.render(evaluation, FormatOptions(width=100))
        assert _formulas(payload) == [], formatter.title


def test_a_control_character_in_a_units_name_does_not_cost_the_batch_its_summary(tmp_path: Path) -> None:
    source = tmp_path / "units"
    source.mkdir()
    (source / "甲.toml").write_text(_with(HECHENG, unit="A\\u0007B"), encoding="utf-8")
    (source / "乙.toml").write_text(_with(HECHENG, unit="=乙单位"), encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "xlsx", "--format", "docx")
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == {"汇总.xlsx", "汇总.json", "=乙单位-自评报告.docx", "=乙单位-评分表.xlsx", "A_B-自评报告.docx", "A_B-评分表.xlsx"}
    payload = (out / "汇总.xlsx").read_bytes()
    cells = _cells(payload)
    assert ("AB", "s") in cells.values() and ("=乙单位", "s") in cells.values()
    assert _formulas(payload) == []
    problems = [value for where, (value, _) in cells.items() if where.startswith("问题!C")]
    assert "控制字符" in problems
    assert "U+0007" in result.stderr


def test_docx_report_of_a_name_with_control_characters(registry) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    from evalcore.outputs import removed_characters

    framework = registry.framework("hunan.hecheng.dept.2020")
    evaluation = evaluate(framework, loads_data(_with(HECHENG, unit="甲\\u000c单位"), framework))
    with removed_characters() as removed:
        payload = registry.formatter("docx", framework).render(evaluation, FormatOptions(width=100))
    text = "\n".join(p.text for p in Document(io.BytesIO(payload)).paragraphs)
    assert "甲单位" in text and "\x0c" not in text
    assert removed and all(r.codes == "U+000C" for r in removed)


def test_the_general_workbook_of_a_name_with_control_characters(registry) -> None:  # type: ignore[no-untyped-def]
    from evalcore.outputs import removed_characters

    framework = registry.framework("hunan.hecheng.dept.2020")
    evaluation = evaluate(framework, loads_data(_with(HECHENG, unit="甲\\u0001"), framework))
    general = get_registry().formatters["xlsx"]
    with removed_characters() as removed:
        payload = general.render(evaluation, FormatOptions(width=100))
    assert any("甲" in str(value) for value, _ in _cells(payload).values())
    assert removed
