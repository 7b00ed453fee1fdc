"""Every question (待核实) of the bad-input corpus, in every output a finance officer or a reviewer may
file or read: the terminal table (on a terminal, piped, narrow, written with -o), md, csv, json, the
general 评分表, the Hunan 评分表 and 自评报告 (Hunan and national frameworks), the Sichuan form and
paragraph (Sichuan frameworks), and a batch (the ranking on screen, 汇总.xlsx, 汇总.json and each
unit's files). Each must say that the indicator is 待核实, give no grade (不评定（待核实）) and give
the total under both readings ("按 0.9% 计 0 分；按 90% 计 3 分"), worked by hand in expected.toml.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import load_workbook

from evalcore import Evaluation, FormatOptions, get_registry
from evalcore.cli._common import evaluate_file
from evalcore.outputs import GENERAL_FORMATTERS

from .golden_dump import cli
from .test_corpus import CORPUS, EXPECTED

QUESTIONS = sorted(name for name, case in EXPECTED.items() if case["outcome"] == "question")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
GRADE = "不评定（待核实）"


def test_the_corpus_asks_questions_of_every_province() -> None:
    frameworks = {_framework(name).split(".")[0] for name in QUESTIONS}
    assert frameworks == {"hunan", "national", "sichuan"}
    assert all(len(EXPECTED[name]["totals"]) == 2 for name in QUESTIONS)


@contextmanager
def _in_corpus() -> Iterator[None]:
    here = Path.cwd()
    os.chdir(CORPUS)
    try:
        yield
    finally:
        os.chdir(here)


def _evaluation(name: str) -> Evaluation:
    return evaluate_file(CORPUS / name, None)


@functools.cache
def _framework(name: str) -> str:
    return _evaluation(name).framework.id


def _flat(text: str) -> str:
    """Text as read, whatever the wrapping: no colour, no white space."""
    return re.sub(r"\s+", "", ANSI.sub("", text))


def _totals(name: str) -> str:
    """Both readings' totals as every output writes them: "按 0.9% 计 0 分；按 90% 计 3 分"."""
    case = EXPECTED[name]
    labels = re.findall(r"按 [^；]*? 计", case["message"])
    assert len(labels) == 2, case["message"]
    return "；".join(f"{label} {total} 分" for label, total in zip(labels, case["totals"], strict=True))


def _indicator(name: str) -> str:
    return str(EXPECTED[name]["indicator"]).split("/")[-1]


def _says_all(name: str, text: str, status: str) -> None:
    """The status word where the indicator is shown, the grade withheld, the totals of both readings."""
    flat = _flat(text)
    assert _flat(status) in flat, f"{name}: no {status!r} in\n{text}"
    assert GRADE in flat, f"{name}: no {GRADE} in\n{text}"
    assert _flat(_totals(name)) in flat, f"{name}: no {_totals(name)!r} in\n{text}"


def _render(formatter_name: str, evaluation: Evaluation, options: FormatOptions) -> str | bytes:
    registry = get_registry()
    formatter = registry.formatter(formatter_name, evaluation.framework)
    assert formatter is not None, (formatter_name, evaluation.framework.id)
    return registry.render(formatter, evaluation, options)


def _workbook_text(payload: bytes) -> str:
    book = load_workbook(io.BytesIO(payload))
    parts: list[str] = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    parts.append(str(cell.value))
                if cell.comment is not None:
                    parts.append(cell.comment.text)
    return "\n".join(parts)


def _document_text(payload: bytes) -> str:
    document = docx.Document(io.BytesIO(payload))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("name", QUESTIONS)
@pytest.mark.parametrize(
    "options",
    [
        pytest.param(FormatOptions(width=80, color=True), id="terminal"),
        pytest.param(FormatOptions(width=100), id="piped"),
        pytest.param(FormatOptions(width=60), id="narrow"),
        pytest.param(FormatOptions(width=80, ascii=True), id="ascii"),
    ],
)
def test_the_table(name: str, options: FormatOptions) -> None:
    text = _render("table", _evaluation(name), options)
    assert isinstance(text, str)
    _says_all(name, text, "［待核实］" if options.width >= 70 else "待核实")


@pytest.mark.parametrize("name", QUESTIONS)
def test_run_prints_and_writes_the_table(name: str, tmp_path: Path) -> None:
    with _in_corpus():
        code, out, err = cli("run", name)
        assert code == 0, err
        _says_all(name, out, "［待核实］")
        target = tmp_path / "结果.txt"
        code, _out, err = cli("run", name, "-o", str(target))
        assert code == 0, err
    _says_all(name, target.read_text(encoding="utf-8"), "［待核实］")


@pytest.mark.parametrize("name", QUESTIONS)
def test_markdown(name: str) -> None:
    text = _render("md", _evaluation(name), FormatOptions())
    assert isinstance(text, str)
    row = next(line for line in text.splitlines() if f"| {_indicator(name)} |" in line)
    assert "| 待核实 |" in row
    _says_all(name, text, "**待核实**")


@pytest.mark.parametrize("name", QUESTIONS)
def test_csv(name: str) -> None:
    import csv

    text = _render("csv", _evaluation(name), FormatOptions())
    assert isinstance(text, str)
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    status = header.index("状态")
    (row,) = [r for r in rows if r[0].endswith(str(EXPECTED[name]["indicator"]))]
    assert row[status] == "待核实" and row[header.index("得分")] == ""
    assert rows[-1][0] == "总分" and rows[-1][status] == GRADE
    _says_all(name, text, "待核实")


@pytest.mark.parametrize("name", QUESTIONS)
def test_json(name: str) -> None:
    text = _render("json", _evaluation(name), FormatOptions())
    assert isinstance(text, str)
    document = json.loads(text)
    assert document["grade"] is None and document["grade_text"] == GRADE
    assert [r["total"] for r in document["readings"]] == EXPECTED[name]["totals"]
    statuses = {leaf["id"]: leaf["status"] for leaf in document["indicators"] if "/".join(leaf["path"]).endswith(str(EXPECTED[name]["indicator"]))}
    assert list(statuses.values()) == ["questioned"]


@pytest.mark.parametrize("name", QUESTIONS)
def test_the_general_workbook(name: str) -> None:
    # The 评分表 of a framework without a province layout: the core's own, drawn here for each case.
    (general,) = [f for f in GENERAL_FORMATTERS if f.name == "xlsx"]
    payload = general.render(_evaluation(name), FormatOptions())
    assert isinstance(payload, bytes)
    _says_all(name, _workbook_text(payload), "【待核实】未计分")


def _province(name: str) -> str:
    return _framework(name).split(".")[0]


@pytest.mark.parametrize("name", [n for n in QUESTIONS if _province(n) in ("hunan", "national")])
def test_the_hunan_workbook_and_report(name: str) -> None:
    evaluation = _evaluation(name)
    sheet = _render("xlsx", evaluation, FormatOptions())
    assert isinstance(sheet, bytes)
    _says_all(name, _workbook_text(sheet), "【待核实】未计分")
    report = _render("docx", evaluation, FormatOptions())
    assert isinstance(report, bytes)
    text = _document_text(report)
    _says_all(name, text, "未计分（待核实）")
    # The counts add up: the indicators of the unit's table (a target form's rows one by one) are
    # those scored and those not, the questioned one among the latter, never counted as scored.
    total, counted = re.search(r"评价指标共(\d+)项", text), re.search(r"已计分的(\d+)项指标", text)
    assert total is not None and counted is not None, text

    def rows(leaves: list[Any]) -> int:
        return sum(sum(1 for row in leaf.indicator.rule.rows if row.target is not None) if hasattr(leaf.indicator.rule, "rows") else 1 for leaf in leaves)

    leaves = list(evaluation.leaves())
    assert int(total.group(1)) == rows(leaves)
    assert int(counted.group(1)) == rows([leaf for leaf in leaves if leaf.score is not None]) < int(total.group(1))


@pytest.mark.parametrize("name", [n for n in QUESTIONS if _province(n) == "sichuan"])
def test_the_sichuan_form_and_paragraph(name: str) -> None:
    evaluation = _evaluation(name)
    form = _render("sichuan-xlsx", evaluation, FormatOptions())
    assert isinstance(form, bytes)
    _says_all(name, _workbook_text(form), "待核实：")
    paragraph = _render("sichuan-md", evaluation, FormatOptions())
    assert isinstance(paragraph, str)
    _says_all(name, paragraph, f"待核实 1 项（{_indicator(name)}）")
    assert "定性" not in paragraph


def test_a_batch_of_questions(tmp_path: Path) -> None:
    folder = tmp_path / "数据"
    folder.mkdir()
    for name in QUESTIONS:
        shutil.copy(CORPUS / name, folder / name)
    out = tmp_path / "结果"
    code, ranking, err = cli("batch", str(folder), "-o", str(out), "--format", "table", "--format", "md", "--format", "json", "--width", "100")
    assert code == 0, err
    assert "Traceback" not in err and "内部错误" not in err
    flat = _flat(ranking)
    for name in QUESTIONS:
        assert _flat(_totals(name)) in flat, (name, ranking)
    assert flat.count(f"{GRADE}；两种读法下的计算总分") == len(QUESTIONS)
    summary: dict[str, Any] = json.loads((out / "汇总.json").read_text(encoding="utf-8"))
    assert sorted(Path(unit["data_file"]).name for unit in summary["units"]) == sorted(QUESTIONS)
    for unit in summary["units"]:
        name = Path(unit["data_file"]).name
        assert unit["grade"] == GRADE and unit["rank"] is None
        assert [r["total"] for r in unit["readings"]] == EXPECTED[name]["totals"]
        # Each unit's own files, as 汇总.json names them.
        assert sorted(Path(file).suffix for file in unit["files"]) == [".json", ".md", ".txt"]
        for file in unit["files"]:
            if not file.endswith(".json"):
                _says_all(name, (out / file).read_text(encoding="utf-8"), "待核实")
    book = load_workbook(out / "汇总.xlsx")["排名"]
    rows = list(book.iter_rows(values_only=True))
    header = list(rows[0])
    for row in rows[1:]:
        name = Path(str(row[header.index("数据文件")])).name
        assert row[header.index("等级")] == GRADE
        assert row[header.index("待核实：两种读法下的计算总分")] == _totals(name)


@pytest.mark.parametrize("width", [100, 60])
def test_the_ranking_at_any_width(width: int, tmp_path: Path) -> None:
    folder = tmp_path / "数据"
    folder.mkdir()
    for name in QUESTIONS:
        shutil.copy(CORPUS / name, folder / name)
    code, ranking, err = cli("batch", str(folder), "--width", str(width))
    assert code == 0, err
    flat = _flat(ranking)
    assert all(_flat(_totals(name)) in flat for name in QUESTIONS), ranking
    assert "待核实" in flat
