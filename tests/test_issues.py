"""The 问题清单 (issues format, {单位}-问题清单.xlsx): a unit's findings, one row each with what to do,
in the officer's words, kept out of the documents the unit files; chosen by a file name that says
问题清单; printed one page wide on A4 landscape."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalcore import evaluate, get_registry, load_data
from evalcore.model import FLAG_KINDS
from evalcore.outputs._issues import FLAG_ADVICE, ISSUE_COLUMNS, ReviewNote, issues_workbook
from evalcore.testing.pages import printed, require_office

from .golden_dump import cli

ROOT = Path(__file__).resolve().parents[1]
HECHENG = ROOT / "examples" / "hunan" / "hecheng-dept-2020.toml"
SYNTHETIC = ROOT / "examples" / "sichuan" / "synthetic-2023.toml"
TOOL_WORDS = ("evalcore", "TOML", "toml", "score", "reason", "[", "`", "framework", "hunan.")


def _rows(payload: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(payload))["问题清单"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "序号")
    assert [title for title, _width in ISSUE_COLUMNS] == list(rows[header])
    return rows[header + 1 :]


def _hecheng() -> bytes:
    framework = get_registry().framework("hunan.hecheng.dept.2020")
    return issues_workbook(evaluate(framework, load_data(HECHENG, framework)))


def test_every_kind_of_finding_has_advice_in_the_officers_words() -> None:
    assert set(FLAG_ADVICE) == set(FLAG_KINDS)
    for kind, advice in FLAG_ADVICE.items():
        assert advice and not [word for word in TOOL_WORDS if word in advice], kind


def test_the_hecheng_findings_are_listed_with_what_to_do() -> None:
    rows = _rows(_hecheng())
    by_kind = {row[1]: row for row in rows}
    # 鹤城 2020 self-scored 公用经费控制率 2 points; its 基础数据表 gives 77.98 / 86.63 = 90.02% ≤ 100%,
    # full marks 3 (附件1: "≤100% 计满分").
    mismatch = by_kind["自评分与计算不符"]
    assert mismatch[2] == "预算执行/公用经费控制率" and "自评 2 分" in str(mismatch[3]) and "应得 3 分" in str(mismatch[3])
    assert mismatch[4] == FLAG_ADVICE["self_score_mismatch"]
    # The document states 在职人员控制率 100%; its own figures give 31 / 37 = 83.78%.
    stated = by_kind["填报数与计算不符"]
    assert stated[2] == "预算配置/在职人员控制率" and "100%" in str(stated[3]) and "83.78%" in str(stated[3])
    # Nineteen indicators scored by judgment are one row, not nineteen.
    assessed = by_kind["未依据数据计分"]
    assert assessed[2] == "共 19 项" and "预算管理/管理制度健全性" in str(assessed[3]) and "资产管理/管理制度健全性" in str(assessed[3])
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    assert all(row[5] is None and row[6] is None for row in rows)  # 单位说明, 审核意见 left to fill
    text = " ".join(str(cell) for row in rows for cell in row if cell is not None)
    assert "hunan.hecheng" not in text and "evalcore" not in text


def test_a_unit_without_findings_is_told_so() -> None:
    framework = get_registry().framework("sichuan.project-targets.2023")
    evaluation = evaluate(framework, load_data(SYNTHETIC, framework))
    assert evaluation.flags == ()
    assert [row[3] for row in _rows(issues_workbook(evaluation))] == ["未发现需要关注的问题"]


def test_reviewer_notes_fill_the_opinion_column() -> None:
    framework = get_registry().framework("hunan.hecheng.dept.2020")
    evaluation = evaluate(framework, load_data(HECHENG, framework))
    notes = [ReviewNote("预算执行/公用经费控制率", "同意按 3 分计"), ReviewNote("", "请补充满意度调查材料")]
    rows = _rows(issues_workbook(evaluation, notes))
    assert next(row for row in rows if row[2] == "预算执行/公用经费控制率")[6] == "同意按 3 分计"
    assert rows[-1][1:4] == ("审核意见", "全表", "请补充满意度调查材料")


@pytest.mark.parametrize(("name", "title"), [("鹤城-问题清单.xlsx", "问题清单"), ("鹤城-评分表.xlsx", "评分表"), ("结果.xlsx", "评分表")])
def test_the_file_name_says_which_workbook(tmp_path: Path, name: str, title: str) -> None:
    target = tmp_path / name
    code, _out, err = cli("run", str(HECHENG), "-o", str(target))
    assert code == 0, err
    sheets = load_workbook(target).sheetnames
    assert ("问题清单" in sheets) == (title == "问题清单")


@pytest.mark.slow
def test_the_list_prints_one_page_wide_on_a4_landscape(tmp_path: Path) -> None:
    require_office()
    target = tmp_path / "问题清单.xlsx"
    target.write_bytes(_hecheng())
    pages = printed(target)
    assert pages.count == 1 and pages.all_a4 and pages.all_landscape
    for words in ("怀化市鹤城区社会保险服务中心2020年度绩效自评问题清单", "公用经费控制率", "审核意见", "未依据数据计分"):
        assert pages.contains(words), words


@pytest.mark.parametrize(("name", "issues"), [("评分表（含问题清单）.xlsx", False), ("问题清单（附评分表）.xlsx", True), ("2020-问题清单.xlsx", True)])
def test_the_document_named_first_decides(tmp_path: Path, name: str, issues: bool) -> None:
    target = tmp_path / name
    code, _out, err = cli("run", str(HECHENG), "-o", str(target))
    assert code == 0, err
    assert ("问题清单" in load_workbook(target).sheetnames) == issues


@pytest.mark.parametrize(
    ("name", "says"),
    [("鹤城-问题清单.docx", "文件名写的是“问题清单”，而 .docx 文件是自评报告；要问题清单请用 -o 鹤城-问题清单.xlsx"), ("自评报告.xlsx", "而 .xlsx 文件是评分表；要自评报告请用 -o 自评报告.docx")],
)
def test_a_file_name_naming_a_document_its_extension_does_not_give_is_refused(tmp_path: Path, name: str, says: str) -> None:
    target = tmp_path / name
    code, _out, err = cli("run", str(HECHENG), "-o", str(target))
    assert code == 2 and says in err and not target.exists()


@pytest.mark.slow
def test_a_long_title_is_printed_whole_above_the_next_line_and_names_its_year_once(tmp_path: Path) -> None:
    # 鹤城 附件4-1: unit, project and year make a title of two lines; the project name says its year.
    require_office()
    target = tmp_path / "问题清单.xlsx"
    code, _out, err = cli("run", str(ROOT / "examples" / "hunan" / "hecheng-project-2020.toml"), "-o", str(target))
    assert code == 0, err
    title = "怀化市鹤城区社会保险服务中心：2020年度预算支出（人社局包干工作经费及城乡居保工作经费56万元、养老保险系统维护及代发工作经费10万元）绩效自评问题清单"
    assert load_workbook(target)["问题清单"]["A1"].value == title
    pages = printed(target)
    assert pages.contains(title)
    words = [w for w in pages.words if w.page == 1]
    basis = next(i for i, w in enumerate(words) if w.text.startswith("评价依据"))
    title_words = words[:basis]  # the title's lines, read before the line that follows it
    assert "".join(w.text for w in title_words) == title
    assert len({round(w.y0) for w in title_words}) >= 2  # wrapped, not shrunk to one line
    # every line of the title lies inside the page and above the next line: none cut or overprinted
    assert min(w.y0 for w in title_words) > 0
    assert max(w.y1 for w in title_words) <= words[basis].y0, (max(w.y1 for w in title_words), words[basis].y0)


def test_a_text_format_may_be_named_after_any_document(tmp_path: Path) -> None:
    # 评分表.json is the evaluation as JSON: the name says what it is for, not which workbook.
    target = tmp_path / "鹤城-评分表.json"
    code, _out, err = cli("run", str(HECHENG), "-o", str(target))
    assert code == 0, err
    assert json.loads(target.read_text(encoding="utf-8"))["framework"] == "hunan.hecheng.dept.2020"
