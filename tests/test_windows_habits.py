"""What a county office's Windows PC does to files and consoles, tried here where it can run:
paths with Chinese characters and spaces, CRLF line ends, data files saved as GBK or as Notepad's
"Unicode", CSV files Excel must open, a console in code page GBK, a file held open by Excel, Office
lock files, and process pools started by spawn (Windows has no fork)."""

from __future__ import annotations

import codecs
import csv
import io
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from evalcore import EvalcoreError, evaluate, get_registry, load_data
from evalcore.outputs import write_output

from .golden_dump import cli

ROOT = Path(__file__).resolve().parents[1]
HECHENG = ROOT / "examples" / "hunan" / "hecheng-dept-2020.toml"
# The 鹤城 2020 document's own figures: 计算总分 and grade of its worked example (tests/test_hecheng_dept.py).
HECHENG_TEXT = HECHENG.read_text(encoding="utf-8")


def _json(*args: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = cli("run", *args, "--format", "json")
    return code, (json.loads(out) if code == 0 else {}), err


def _reference() -> dict[str, Any]:
    code, document, err = _json(str(HECHENG))
    assert code == 0, err
    return document


def _same_scores(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert (a["total"], a["grade"]) == (b["total"], b["grade"])
    assert [(i["id"], i["score"]) for i in a["indicators"]] == [(i["id"], i["score"]) for i in b["indicators"]]


def test_paths_with_chinese_characters_and_spaces(tmp_path: Path) -> None:
    folder = tmp_path / "2020年 绩效自评" / "鹤城区 社保中心"
    folder.mkdir(parents=True)
    data = folder / "基础 数据.toml"
    shutil.copy(HECHENG, data)
    code, document, err = _json(str(data))
    assert code == 0, err
    _same_scores(document, _reference())
    target = tmp_path / "输出 文件" / "评分 表.xlsx"
    code, _out, err = cli("run", str(data), "-o", str(target))
    assert code == 0, err
    assert target.read_bytes()[:2] == b"PK" and "评分 表.xlsx" in err
    out = tmp_path / "批量 结果"
    code, _out, err = cli("batch", str(tmp_path / "2020年 绩效自评"), "-o", str(out), "--format", "json")
    assert code == 0, err
    assert json.loads((out / "汇总.json").read_text(encoding="utf-8"))["units"][0]["total"] == document["total"]
    assert len(list(out.glob("*.json"))) == 2  # the unit's file and 汇总.json


def test_crlf_line_ends_score_the_same(tmp_path: Path) -> None:
    data = tmp_path / "crlf.toml"
    data.write_bytes(HECHENG_TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert b"\r\n" in data.read_bytes()
    code, document, err = _json(str(data))
    assert code == 0, err
    _same_scores(document, _reference())
    assert "file_encoding" not in {flag["kind"] for flag in document["flags"]}


def test_a_crlf_file_error_names_the_right_line(tmp_path: Path) -> None:
    data = tmp_path / "crlf.toml"
    data.write_bytes('framework = "hunan.hecheng.dept.2020"\r\n[inputs]\r\n"编制数" = "三十七"\r\n'.encode())
    code, _out, err = cli("run", str(data))
    assert code == 2 and "crlf.toml:3" in err and "编制数" in err


@pytest.mark.parametrize(
    ("encoding", "word"),
    [("gbk", "GBK"), ("gb18030", "GB18030"), ("utf-16", "UTF-16"), ("utf-8-sig", None)],
)
def test_data_files_in_windows_encodings_are_read_and_noted(tmp_path: Path, encoding: str, word: str | None) -> None:
    data = tmp_path / f"{encoding}.toml"
    data.write_bytes(HECHENG_TEXT.replace("\n", "\r\n").encode(encoding))
    code, document, err = _json(str(data))
    assert code == 0, err
    _same_scores(document, _reference())
    assert document["unit"] == "怀化市鹤城区社会保险服务中心"
    notes = [flag["message"] for flag in document["flags"] if flag["kind"] == "file_encoding"]
    if word is None:
        assert notes == []  # UTF-8 with a byte-order mark, as Notepad saves it, is UTF-8
    else:
        assert len(notes) == 1 and word in notes[0] and "UTF-8" in notes[0]
        # A note, not a finding: a unit with nothing else to check passes --strict.
        clean = ROOT / "examples" / "sichuan" / "synthetic-2023.toml"
        assert cli("run", str(clean), "--strict")[0] == 0
        converted = tmp_path / f"clean-{encoding}.toml"
        converted.write_bytes(clean.read_text(encoding="utf-8").encode(encoding))
        assert cli("run", str(converted), "--strict")[0] == 0
        assert any(f["kind"] == "file_encoding" for f in _json(str(converted))[1]["flags"])


def test_a_gbk_json_data_file_is_read_and_noted(tmp_path: Path) -> None:
    code, out, err = cli("run", str(HECHENG), "--format", "json")
    from evalcore import get_registry as registry_of

    framework = registry_of().framework("hunan.hecheng.dept.2020")
    data = load_data(HECHENG, framework)
    as_json = {"framework": framework.id, "unit": data.unit, "inputs": {k: str(v) for k, v in data.inputs.items()}}
    path = tmp_path / "单位.json"
    path.write_bytes(json.dumps(as_json, ensure_ascii=False).encode("gbk"))
    code, document, err = _json(str(path))
    assert code == 0, err
    assert document["unit"] == "怀化市鹤城区社会保险服务中心"
    assert any(flag["kind"] == "file_encoding" for flag in document["flags"])


def test_bytes_in_no_known_encoding_are_a_located_error(tmp_path: Path) -> None:
    data = tmp_path / "坏字节.toml"
    data.write_bytes(b'framework = "hunan.hecheng.dept.2020"\nunit = "\x81\x20"\n')
    code, out, err = cli("run", str(data))
    assert code == 2 and out == ""
    assert "坏字节.toml:2" in err and "UTF-8" in err and "另存为" in err


def test_a_ruleset_must_be_utf8(tmp_path: Path) -> None:
    framework = tmp_path / "框架.toml"
    framework.write_bytes('[framework]\nid = "test.gbk.2024"\ntitle = "测试"\n'.encode("gbk"))
    code, _out, err = cli("show", str(framework))
    assert code == 2 and "框架.toml" in err and "不是 UTF-8 编码" in err


def test_csv_files_carry_a_byte_order_mark_for_excel(tmp_path: Path) -> None:
    target = tmp_path / "评分.csv"
    code, _out, err = cli("run", str(HECHENG), "-o", str(target))
    assert code == 0, err
    raw = target.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert any("在职人员控制率" in cell for row in rows for cell in row)
    out = tmp_path / "批量"
    code, _out, err = cli("batch", str(HECHENG), "-o", str(out), "--format", "csv", "--format", "json")
    assert code == 0, err
    assert next(out.glob("*.csv")).read_bytes().startswith(codecs.BOM_UTF8)
    # Other text files stay plain UTF-8: a JSON reader may refuse a byte-order mark.
    assert not (out / "汇总.json").read_bytes().startswith(codecs.BOM_UTF8)


def test_a_gbk_console_or_redirect_never_ends_the_run(tmp_path: Path) -> None:
    # "✓" and "𠮷" are not in GBK: shown as "?", and the score is printed all the same.
    data = tmp_path / "单位.toml"
    data.write_text(HECHENG_TEXT.replace('unit = "怀化市鹤城区社会保险服务中心"', 'unit = "鹤城✓𠮷单位"'), encoding="utf-8")
    assert "鹤城✓𠮷单位" in data.read_text(encoding="utf-8")
    env = dict(os.environ, PYTHONIOENCODING="gbk", PYTHONUTF8="0")
    for args in (["run", str(data)], ["run", str(data), "--format", "md"], ["explain", str(data), "预算执行率"], ["frameworks"]):
        result = subprocess.run([sys.executable, "-m", "evalcore", *args], capture_output=True, env=env, timeout=120)
        assert result.returncode == 0, result.stderr.decode("gbk", errors="replace")
        text = result.stdout.decode("gbk")
        assert "Traceback" not in result.stderr.decode("gbk", errors="replace")
        if args[0] == "run":
            assert "鹤城??单位" in text
    # An error message through a GBK console too.
    bad = tmp_path / "坏✓.toml"
    bad.write_text('framework = "hunan.hecheng.dept.2020"\n[inputs]\n"编制数" = "三十七"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "evalcore", "run", str(bad)], capture_output=True, env=env, timeout=120)
    assert result.returncode == 2
    assert "编制数" in result.stderr.decode("gbk") and "Traceback" not in result.stderr.decode("gbk")


@pytest.mark.parametrize("winerror", [None, 32])
def test_a_file_held_open_by_excel_is_told_not_traced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, winerror: int | None) -> None:
    target = tmp_path / "评分表.xlsx"
    target.write_bytes(b"PK old")

    def held(*_args: Any) -> None:
        # What Windows raises when Excel holds the file: access denied, or a sharing violation.
        error = PermissionError(13, "Permission denied") if winerror is None else OSError(13, "The process cannot access the file")
        if winerror is not None:
            error.winerror = winerror  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(os, "replace", held)
    with pytest.raises(EvalcoreError, match="文件正被其他程序打开") as caught:
        write_output(target, b"PK new", [], replace=True)
    assert "评分表.xlsx" in str(caught.value) and "关闭" in str(caught.value)
    assert target.read_bytes() == b"PK old"  # nothing lost
    assert [p.name for p in tmp_path.iterdir()] == ["评分表.xlsx"]  # no temporary file left
    code, _out, err = cli("run", str(HECHENG), "-o", str(target), "--force")
    assert code == 2 and "文件正被其他程序打开" in err and "Traceback" not in err


def test_office_lock_files_are_not_data(tmp_path: Path) -> None:
    folder = tmp_path / "数据"
    folder.mkdir()
    shutil.copy(HECHENG, folder / "鹤城.toml")
    (folder / "~$鹤城.xlsx").write_bytes(b"\x00lock")
    (folder / "~$报告.docx").write_bytes(b"\x00lock")
    code, out, err = cli("batch", str(folder))
    assert code == 0, err
    assert "~$" not in out + err and "已评价 1 个" in out


def _score(path: str) -> tuple[str, Decimal, str | None, int]:
    framework = get_registry().framework("hunan.hecheng.dept.2020")
    evaluation = evaluate(framework, load_data(path, framework))
    return path, evaluation.total, evaluation.grade, os.getpid()


def test_scoring_in_a_spawned_process_pool(tmp_path: Path) -> None:
    # Spawned workers start from nothing: they import evalcore, find the plugins through their
    # entry points and read the framework themselves, as on Windows.
    paths = []
    for index in range(4):
        path = tmp_path / f"单位{index}.toml"
        path.write_text(HECHENG_TEXT, encoding="utf-8")
        paths.append(str(path))
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        results = pool.map(_score, paths)
    expected = _score(str(HECHENG))
    assert [(total, grade) for _path, total, grade, _pid in results] == [(expected[1], expected[2])] * 4
    assert os.getpid() not in {pid for *_rest, pid in results}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"PK\x03\x04" + b"\x00" * 40, "压缩包（Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "旧版 Office 文件"),
        (b"%PDF-1.7\n", "PDF 文件"),
        (b'framework = "x"\n\x00\x01', "二进制文件"),
    ],
)
def test_a_workbook_renamed_to_toml_is_named_for_what_it_is(tmp_path: Path, content: bytes, words: str) -> None:
    # Windows hides extensions: "基础数据表.xlsx" renamed "基础数据表.toml" is still a workbook.
    data = tmp_path / "基础数据表.toml"
    data.write_bytes(content)
    code, out, err = cli("run", str(data))
    assert code == 2 and out == ""
    assert "基础数据表.toml" in err and words in err and "扩展名却是 .toml" in err and "UTF-8" not in err
