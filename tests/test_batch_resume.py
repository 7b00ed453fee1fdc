"""After `batch --resume` (or --force) every file in the output folder is current or reported: an
earlier output that no longer matches the data and formats asked for is deleted when it is as
evalcore wrote it, and left, reported as 已过期, when it was edited since; a file evalcore did not
write is never deleted; a file renamed into place but not yet recorded when a run was killed is
written again, and said to be."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from .test_batch_folder import MANIFEST_NAME, _manifest, _units, _visible
from .test_cli import run


def _batch(source: Path, out: Path, *formats: str, resume: bool = False, force: bool = False) -> str:
    options = [part for name in formats for part in ("--format", name)] + (["--resume"] if resume else []) + (["--force"] if force else [])
    result = run("batch", str(source), "-o", str(out), *options)
    assert result.returncode == 0, result.stderr
    return result.stderr


def _problems(out: Path) -> list[tuple[str, str, str]]:
    """(数据文件, 类别, 说明) of the 问题 sheet, checked to equal 汇总.json's problems."""
    rows = [(row[1], row[2], row[4]) for row in load_workbook(out / "汇总.xlsx")["问题"].iter_rows(min_row=2, values_only=True)]
    listed = [(p["data_file"], p["category"], p["message"]) for p in json.loads((out / "汇总.json").read_text(encoding="utf-8"))["problems"]]
    assert sorted(rows, key=str) == sorted(listed, key=str)
    return rows


def test_resume_deletes_outputs_that_no_longer_match_and_keeps_current_ones_of_other_formats(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 3)
    out = tmp_path / "out"
    _batch(source, out, "json", "xlsx")
    # One unit's data changes (a different score), one data file is deleted, and xlsx is no longer asked for.
    changed = source / "单位001.toml"
    changed.write_text(changed.read_text(encoding="utf-8").replace('"编制数" = 37', '"编制数" = 30'), encoding="utf-8")
    old_score = json.loads((out / "单位001.json").read_text(encoding="utf-8"))["total"]
    (source / "单位002.toml").unlink()
    said = _batch(source, out, "json", resume=True)
    # 单位000 did not change: its xlsx is still right and stays, although xlsx was not asked for.
    assert _visible(out) == {"汇总.xlsx", "汇总.json", "单位000.json", "单位000-评分表.xlsx", "单位001.json"}
    assert json.loads((out / "单位001.json").read_text(encoding="utf-8"))["total"] != old_score
    assert "已保留 2 个已完成的文件" in said and "重新写出 1 个" in said
    assert "已删除 3 个过期的文件" in said
    assert "单位001-评分表.xlsx（数据、框架或版本已变，而本次没有要求 xlsx 格式，没有重新写出）" in said
    assert f"单位002-评分表.xlsx（数据文件 {source / '单位002.toml'} 不在本次的输入中）" in said
    assert f"单位002.json（数据文件 {source / '单位002.toml'} 不在本次的输入中）" in said
    assert set(_manifest(out)) == {"单位000.json", "单位000-评分表.xlsx", "单位001.json"}
    assert "已过期" not in [category for _file, category, _message in _problems(out)]
    # Still current on the next run, and still kept.
    again = _batch(source, out, "json", resume=True)
    assert "已保留 3 个已完成的文件" in again and (out / "单位000-评分表.xlsx").is_file()


def test_outputs_of_a_unit_that_no_longer_scores_are_deleted(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 2)
    out = tmp_path / "out"
    _batch(source, out, "json")
    (source / "单位001.toml").write_text("framework = \n", encoding="utf-8")
    result = run("batch", str(source), "-o", str(out), "--format", "json", "--resume")
    assert result.returncode == 2  # the unit cannot be scored: its old result must not pass for the new one
    assert "单位001.json（数据文件本次无法计分）" in result.stderr
    assert _visible(out) == {"汇总.xlsx", "汇总.json", "单位000.json"}


def test_an_out_of_date_output_edited_since_is_left_and_reported_on_every_run(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 2)
    out = tmp_path / "out"
    _batch(source, out, "json", "md")
    (out / "单位000.md").write_text("# 审核人的批注\n", encoding="utf-8")
    # Both units' data change, so that their md files no longer match them.
    for path in source.glob("*.toml"):
        path.write_text(path.read_text(encoding="utf-8").replace('"编制数" = 37', '"编制数" = 30'), encoding="utf-8")
    for _run in range(2):
        said = _batch(source, out, "json", resume=True)
        assert (out / "单位000.md").read_text(encoding="utf-8") == "# 审核人的批注\n"  # never deleted
        assert not (out / "单位001.md").exists()  # as evalcore wrote it: deleted (on the first run)
        assert "已过期：单位000.md：数据、框架或版本已变，而本次没有要求 md 格式，没有重新写出；写出后被改动过，evalcore 没有删除它；请核对后自行删除" in said
        expired = [(file, message) for file, category, message in _problems(out) if category == "已过期"]
        assert expired == [(str(source / "单位000.toml"), "单位000.md：数据、框架或版本已变，而本次没有要求 md 格式，没有重新写出；写出后被改动过，evalcore 没有删除它")]
        assert "单位000.md" in _manifest(out)  # still known as evalcore's, so the next run tells of it again
    # Asked for again, the reviewer's change is still not written over; --force writes it afresh.
    said = _batch(source, out, "json", "md", resume=True)
    assert (out / "单位000.md").read_text(encoding="utf-8") == "# 审核人的批注\n" and "未覆盖：单位000.md" in said
    _batch(source, out, "json", "md", force=True)
    assert (out / "单位000.md").read_text(encoding="utf-8").startswith("# ") and "批注" not in (out / "单位000.md").read_text(encoding="utf-8")


def test_files_evalcore_did_not_write_are_never_deleted(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 2)
    out = tmp_path / "out"
    out.mkdir()
    (out / "我的文件.docx").write_bytes(b"mine")
    _batch(source, out, "json", force=True)
    (out / "单位009.json").write_text("{}", encoding="utf-8")  # named like a result, but not evalcore's
    for options in ({"resume": True}, {"force": True}):
        said = _batch(source, out, "md", **options)
        assert (out / "我的文件.docx").read_bytes() == b"mine" and (out / "单位009.json").read_text(encoding="utf-8") == "{}"
        assert "不是 evalcore 本次写出的，也不在清单中" in said and "我的文件.docx" in said and "单位009.json" in said
    assert _visible(out) == {"汇总.xlsx", "汇总.json", "单位000.md", "单位001.md", "我的文件.docx", "单位009.json"}


def test_force_also_deletes_evalcores_out_of_date_outputs(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 2)
    out = tmp_path / "out"
    _batch(source, out, "json")
    said = _batch(source, out, "md", force=True)
    assert "已删除 2 个过期的文件" in said and "已保留" not in said
    assert _visible(out) == {"汇总.xlsx", "汇总.json", "单位000.md", "单位001.md"}


def test_a_file_in_place_but_not_recorded_is_written_again_and_said(tmp_path: Path) -> None:
    # A run killed between renaming 单位001.json into place and recording it: its journal lacks that line.
    source = _units(tmp_path / "units", 3)
    out = tmp_path / "out"
    _batch(source, out, "json")
    journal = out / MANIFEST_NAME
    journal.write_text("".join(line + "\n" for line in journal.read_text(encoding="utf-8").splitlines() if '"单位001.json"' not in line), encoding="utf-8")
    (out / "汇总.xlsx").unlink()
    (out / "汇总.json").unlink()
    said = _batch(source, out, "json", resume=True)
    assert "已保留 2 个已完成的文件" in said and "重新写出 1 个" in said
    assert "注意：单位001.json 已在目录中但未记入清单（上次运行在写出后、记入清单前中止），无法确认完整，已重新写出" in said
    assert set(_manifest(out)) == {"单位000.json", "单位001.json", "单位002.json"}


def test_a_run_killed_after_its_first_file_can_be_resumed(tmp_path: Path) -> None:
    # The journal exists before the first file: a folder holding one file and an empty journal is
    # evalcore's, not "a folder of other files".
    source = _units(tmp_path / "units", 2)
    out = tmp_path / "out"
    _batch(source, out, "json")
    for name in ("单位001.json", "汇总.xlsx", "汇总.json"):
        (out / name).unlink()
    (out / MANIFEST_NAME).write_text("", encoding="utf-8")
    said = _batch(source, out, "json", resume=True)
    assert "已保留 0 个已完成的文件" in said and "重新写出 2 个" in said and "单位000.json 已在目录中但未记入清单" in said
    # Killed before any file: only the empty journal, which neither --resume nor a plain run refuses.
    for name in _visible(out):
        (out / name).unlink()
    (out / MANIFEST_NAME).write_text("", encoding="utf-8")
    _batch(source, out, "json")
    assert _visible(out) == {"汇总.xlsx", "汇总.json", "单位000.json", "单位001.json"}


def test_resume_never_writes_over_an_output_edited_by_hand(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 2)
    out = tmp_path / "out"
    _batch(source, out, "md")
    edited = out / "单位000.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n审核时补充的说明\n", encoding="utf-8")
    # Even with the unit's data changed, the hand-made change is the user's: kept, and said so.
    changed = source / "单位000.toml"
    changed.write_text(changed.read_text(encoding="utf-8").replace('"编制数" = 37', '"编制数" = 30'), encoding="utf-8")
    for _ in range(2):  # and again on the next run
        said = _batch(source, out, "md", resume=True)
        assert edited.read_text(encoding="utf-8").endswith("审核时补充的说明\n")
        assert "未覆盖：单位000.md：写出后被修改过，本次没有覆盖（修改保留）" in said
        assert "数据、框架或版本已变，该文件中的得分已过期" in said  # the data changed since: its figures are old
        assert any("单位000.md" in message and category == "已修改" for _file, category, message in _problems(out))
    # --force starts afresh, as asked.
    _batch(source, out, "md", force=True)
    assert "审核时补充的说明" not in edited.read_text(encoding="utf-8")
