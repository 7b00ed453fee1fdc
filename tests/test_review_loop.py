"""The review loop: a reviewer types 审核得分 and 审核意见 into a generated 汇总.xlsx; `evalcore
review` reads them back, lists the review scores that differ from the computed totals, and writes
each unit's 问题清单 with the reviewer's notes — refusing a workbook edited wrong (by sheet and
cell, writing nothing) and never replacing a file without --force."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from .test_cli import EXAMPLES, run
from .test_summary_workbook import _units

DEPT = "怀化市鹤城区社会保险服务中心"


def _batch(source: Path, out: Path) -> None:
    result = run("batch", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr


def _edit(summary: Path, ranking: dict[tuple[str, str], object] | None = None, problems: list[tuple[Any, str]] | None = None) -> None:
    """Type into 排名 ((unit row's 评价单位 and 项目 or "", column) → value) and into 问题's 审核意见
    (a test of the row → note), as a reviewer does in Excel."""
    book = load_workbook(summary)
    sheet = book["排名"]
    header = [cell.value for cell in sheet[1]]
    for (who, column), value in (ranking or {}).items():
        row = next(r for r in sheet.iter_rows(min_row=2) if (r[1].value, r[2].value or "") == (who, ""))
        row[header.index(column)].value = value
    issues = book["问题"]
    for test, note in problems or []:
        row = next(r for r in issues.iter_rows(min_row=2) if test([c.value for c in r]))
        row[5].value = note
    book.save(summary)


def _issue_rows(path: Path) -> list[tuple[Any, ...]]:
    return list(load_workbook(path).active.iter_rows(values_only=True))


def test_review_scores_come_back_differences_are_listed_and_each_unit_gets_its_notes(tmp_path: Path) -> None:
    out = tmp_path / "审核结果"
    _batch(EXAMPLES / "hunan", out)
    summary = out / "汇总.xlsx"
    # 鹤城 computes 99 (published rule worked in the guide); the reviewer gives 95, and 99 to 桃江 (computed 97).
    _edit(
        summary,
        {(DEPT, "审核得分"): 95, (DEPT, "审核意见"): "预算执行率无数据支撑，扣 4 分", ("桃江县社会保险服务中心", "审核得分"): "97"},
        [(lambda row: row[0] == DEPT and str(row[3]).endswith("在职人员控制率"), "请附编制批复文件")],
    )
    result = run("review", str(summary))
    assert result.returncode == 0, result.stderr
    assert "审核得分与计算总分不同的单位（1 个）" in result.stdout
    assert f"{DEPT}（排名!B" in result.stdout and "审核得分 95，计算总分 99，相差 -4" in result.stdout
    assert "录入审核得分 2 个，其中与计算总分不同 1 个" in result.stdout
    folder = out / "审核意见"
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == 7 and f"{DEPT}-问题清单.xlsx" in written
    rows = _issue_rows(folder / f"{DEPT}-问题清单.xlsx")
    header = next(row for row in rows if row[0] == "序号")
    opinion = header.index("审核意见")
    staff = next(row for row in rows if row[2] == "预算配置/在职人员控制率")
    assert staff[opinion] == "请附编制批复文件"
    whole = next(row for row in rows if row[1] == "审核意见")
    assert whole[3] == "审核得分 95，计算总分 99，相差 -4；预算执行率无数据支撑，扣 4 分"
    # A unit without notes gets its 问题清单 all the same, with no opinion in it.
    other = _issue_rows(folder / "桃江县社会保险服务中心-问题清单.xlsx")
    assert all(row[opinion] is None for row in other if row[0] != "序号") and all(row[1] != "审核意见" for row in other)
    # --strict: a review score that differs ends with 1; the output folder stands for its 汇总.xlsx.
    strict = run("review", str(out), "-o", str(tmp_path / "另一目录"), "--strict")
    assert strict.returncode == 1, strict.stderr


def test_a_note_on_an_indicator_judged_in_many_units_reaches_each_unit(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _batch(_units(tmp_path / "units", 3), out)
    note = "三个单位均未提供预算执行数，请补报"
    _edit(out / "汇总.xlsx", problems=[(lambda row: row[0] == "3 个单位" and str(row[3]).endswith("预算执行率"), note)])
    result = run("review", str(out / "汇总.xlsx"))
    assert result.returncode == 0, result.stderr
    for n in range(3):
        text = [str(value) for row in _issue_rows(out / "审核意见" / f"单位{n:03d}-问题清单.xlsx") for value in row if value]
        assert sum(note in value for value in text) == 1, text


def test_a_workbook_edited_wrong_is_named_by_sheet_and_cell_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _batch(_units(tmp_path / "units", 3), out)
    summary = out / "汇总.xlsx"
    _edit(summary, {("单位000", "审核得分"): "九十", ("单位001", "审核得分"): 120, ("单位002", "评价单位"): "别的单位"})
    header = [cell.value for cell in load_workbook(summary)["排名"][1]]
    score = chr(ord("A") + header.index("审核得分"))
    result = run("review", str(summary))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, result.stderr
    assert any(f"排名!{score}" in line and "审核得分“九十”不是数字" in line for line in lines)
    assert any(f"排名!{score}" in line and "审核得分 120 不在 0 到满分 100 之间" in line for line in lines)
    assert any("排名!B" in line and "找不到单位“别的单位”" in line for line in lines)
    assert "Traceback" not in result.stderr and not (out / "审核意见").exists()


def test_a_note_on_a_row_of_no_unit_and_a_missing_column_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _batch(_units(tmp_path / "units", 1), out)
    summary = out / "汇总.xlsx"
    book = load_workbook(summary)
    book["排名"].append(["", "新加的单位", None, None, None, None, 90])
    book.save(summary)
    result = run("review", str(summary))
    assert result.returncode == 2 and "排名!B3" in result.stderr and "不能录入审核得分" in result.stderr
    book = load_workbook(summary)
    sheet = book["排名"]
    sheet.delete_rows(3)
    header = [cell.value for cell in sheet[1]]
    sheet.delete_cols(header.index("数据文件路径") + 1)
    book.save(summary)
    result = run("review", str(summary))
    assert result.returncode == 2 and "排名!A1" in result.stderr and "“数据文件路径”" in result.stderr


def test_existing_issue_lists_are_never_replaced_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _batch(_units(tmp_path / "units", 2), out)
    summary = out / "汇总.xlsx"
    assert run("review", str(summary)).returncode == 0
    kept = out / "审核意见" / "单位000-问题清单.xlsx"
    kept.write_bytes(b"the unit's explanations")
    again = run("review", str(summary))
    assert again.returncode == 2 and "已有问题清单" in again.stderr and "--force" in again.stderr
    assert kept.read_bytes() == b"the unit's explanations"
    forced = run("review", str(summary), "--force")
    assert forced.returncode == 0, forced.stderr
    assert kept.read_bytes().startswith(b"PK")


def test_a_data_file_moved_since_the_batch_is_named(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = _units(tmp_path / "units", 2)
    _batch(source, out)
    (source / "001.toml").rename(tmp_path / "elsewhere.toml")
    result = run("review", str(out / "汇总.xlsx"))
    assert result.returncode == 2 and "找不到数据文件" in result.stderr and "001.toml" in result.stderr


def test_a_later_batch_keeps_what_the_reviewer_typed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = _units(tmp_path / "units", 3)
    _batch(source, out)
    summary = out / "汇总.xlsx"
    _edit(
        summary,
        {("单位000", "审核得分"): 90, ("单位000", "审核意见"): "扣 9 分", ("单位002", "审核意见"): "另议"},
        [(lambda row: row[0] == "单位001" and str(row[3]).endswith("在职人员控制率"), "核对编制数")],
    )
    (source / "002.toml").unlink()
    result = run("batch", str(source), "-o", str(out), "--resume")
    assert result.returncode == 0, result.stderr
    assert "上次汇总表中录入的 3 项审核得分和审核意见已写入新的汇总表" in result.stderr
    # 单位002 is gone: its note is kept in the earlier summary, saved beside the new one.
    assert "有 1 项审核得分或审核意见找不到对应的单位或问题" in result.stderr and "汇总-上次审核.xlsx" in result.stderr
    earlier = load_workbook(out / "汇总-上次审核.xlsx")["排名"]
    assert any(row[1] == "单位002" and "另议" in row for row in earlier.iter_rows(values_only=True))
    book = load_workbook(summary)
    header = [cell.value for cell in book["排名"][1]]
    first = next(row for row in book["排名"].iter_rows(values_only=True) if row[1] == "单位000")
    assert (first[header.index("审核得分")], first[header.index("审核意见")]) == (90, "扣 9 分")
    assert any(row[0] == "单位001" and row[5] == "核对编制数" for row in book["问题"].iter_rows(values_only=True))
    # And the review reads them as typed.
    review = run("review", str(summary))
    assert review.returncode == 0 and "单位000（排名!B" in review.stdout and "审核得分 90" in review.stdout


def _reviewed_in_full(folder: Path) -> Path:
    """The 鹤城 example with a review score on every indicator: its full weight (100 in all, where
    the data computes 99)."""
    import re

    from evalcore.plugin import get_registry

    text = (EXAMPLES / "hunan" / "hecheng-dept-2020.toml").read_text(encoding="utf-8")
    framework = get_registry().framework("hunan.hecheng.dept.2020")
    for leaf in framework.leaves():
        header = f'[indicators."{leaf.id}"]'
        if header in text:
            text = text.replace(header, f"{header}\nreview = {leaf.weight}")
        else:
            text += f"\n{header}\nreview = {leaf.weight}\n"
    assert len(re.findall(r"^review = ", text, re.MULTILINE)) == 28
    folder.mkdir()
    (folder / "鹤城.toml").write_text(text, encoding="utf-8")
    return folder


def test_a_unit_reviewed_in_full_to_another_total_is_flagged(tmp_path: Path) -> None:
    source = _reviewed_in_full(tmp_path / "units")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--width", "100")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if DEPT[:6] in line)
    assert line.split()[2:5] == ["99", "98", "+1"] and "100≠" in line
    assert "≠ 审核得分（每个指标都已审核）与计算总分不同" in result.stdout
    narrow = run("batch", str(source), "--width", "60")
    assert "审核 100≠" in narrow.stdout and "≠ 审核得分" in narrow.stdout
    # 汇总.xlsx gives the review total in 审核得分, where it stands out; review lists it.
    book = load_workbook(out / "汇总.xlsx")
    header = [cell.value for cell in book["排名"][1]]
    row = list(book["排名"].iter_rows(min_row=2, values_only=True))[0]
    assert (row[header.index("计算总分")], row[header.index("审核得分")], row[header.index("审核得分合计")]) == (99, 100, 100)
    review = run("review", str(out / "汇总.xlsx"))
    assert review.returncode == 0 and "审核得分 100，计算总分 99，相差 +1" in review.stdout
