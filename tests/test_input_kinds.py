"""Which files are read as data: workbooks (.xlsx, .xlsm), TOML and JSON; every other file is
refused with a Chinese message saying what to do, by `run` and by `batch`, which lists it as
无法读取 and exits 2; exit codes take 3 before 2 before 1."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import tomllib

from evalcore import DataError, get_registry

from .conftest import EXAMPLES
from .test_cli import run

HECHENG = EXAMPLES / "hunan" / "hecheng-dept-2020.toml"


def _as_json(path: Path) -> str:
    return json.dumps(tomllib.loads(path.read_text(encoding="utf-8")), ensure_ascii=False, indent=1)


def test_a_json_data_file_of_the_toml_shape_scores_the_same(tmp_path: Path) -> None:
    data = tmp_path / "unit.json"
    data.write_text(_as_json(HECHENG), encoding="utf-8")
    from_json = run("run", str(data), "--format", "json")
    from_toml = run("run", str(HECHENG), "--format", "json")
    assert from_json.returncode == 0, from_json.stderr
    left, right = json.loads(from_json.stdout), json.loads(from_toml.stdout)
    left.pop("data_file", None), right.pop("data_file", None)
    assert (left["total"], left["grade"], left["indicators"]) == (right["total"], right["grade"], right["indicators"])


@pytest.mark.parametrize(
    "text, words, line",
    [
        ('{"framework": "hunan.hecheng.dept.2020",\n "unit": 单位}', "JSON 格式错误", ":2:"),
        ('{"framework": "hunan.hecheng.dept.2020", "framework": "x"}', "出现了两次", None),
        ('["hunan.hecheng.dept.2020"]', "应是一个对象", None),
        ('{"framework": "hunan.hecheng.dept.2020", "inputs": {"编制数": NaN}}', "不能写 NaN", None),
        ('{"framework": "hunan.hecheng.dept.2020", "inputs": {"编制": 1}}', "没有名为“编制”的输入", None),
    ],
)
def test_json_mistakes_are_located_chinese_errors(tmp_path: Path, text: str, words: str, line: str | None) -> None:
    data = tmp_path / "unit.json"
    data.write_text(text, encoding="utf-8")
    result = run("run", str(data))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert words in result.stderr and "unit.json" in result.stderr
    if line is not None:
        assert f"unit.json{line}" in result.stderr


def test_an_xlsm_workbook_is_read_as_a_workbook(tmp_path: Path) -> None:
    book = tmp_path / "基础数据表.xlsx"
    made = run("template", "hunan.hecheng.dept.2020", "-o", str(book))
    assert made.returncode == 0, made.stderr
    xlsm = tmp_path / "基础数据表.xlsm"
    shutil.copy(book, xlsm)
    as_xlsx, as_xlsm = run("run", str(book), "--format", "json"), run("run", str(xlsm), "--format", "json")
    assert as_xlsm.returncode == 0, as_xlsm.stderr
    assert json.loads(as_xlsm.stdout)["total"] == json.loads(as_xlsx.stdout)["total"]
    assert "TOML" not in as_xlsm.stderr


@pytest.mark.parametrize("suffix, advice", [(".xls", "另存为"), (".et", "另存为"), (".ods", "另存为"), (".docx", "evalcore template"), (".pdf", "evalcore template"), (".csv", "evalcore template"), (".txt", "evalcore template"), (".dat", "evalcore template"), ("", "evalcore template")])
def test_other_files_are_refused_with_what_to_do(tmp_path: Path, suffix: str, advice: str) -> None:
    data = tmp_path / f"数据{suffix}"
    data.write_bytes(HECHENG.read_bytes())  # even TOML inside: the extension decides, never a guess
    result = run("run", str(data))
    assert result.returncode == 2 and "TOML" not in result.stderr and "Traceback" not in result.stderr
    assert "evalcore 不能读取" in result.stderr and advice in result.stderr and data.name in result.stderr


def test_the_kind_of_a_data_file_is_its_extension_in_any_case() -> None:
    from evalcore.load import data_kind

    assert [data_kind(Path(n)) for n in ("a.XLSX", "a.xlsm", "a.Toml", "a.JSON")] == ["workbook", "workbook", "toml", "json"]
    with pytest.raises(DataError, match="旧版 Excel"):
        data_kind(Path("a.xls"))


def test_read_data_file_reads_json(tmp_path: Path) -> None:
    from evalcore.load import read_data_file

    data = tmp_path / "unit.json"
    data.write_text(_as_json(HECHENG), encoding="utf-8")
    assert read_data_file(data).framework_id == "hunan.hecheng.dept.2020"
    framework = get_registry().framework("hunan.hecheng.dept.2020")
    from evalcore import load_data

    assert load_data(data, framework).unit == "怀化市鹤城区社会保险服务中心"


def test_batch_lists_every_file_it_did_not_read_and_exits_2(tmp_path: Path) -> None:
    source = tmp_path / "units"
    (source / "sub").mkdir(parents=True)
    shutil.copy(HECHENG, source / "甲.toml")
    (source / "乙.json").write_text(_as_json(HECHENG).replace("怀化市鹤城区社会保险服务中心", "乙单位"), encoding="utf-8")
    (source / "旧表.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (source / "sub" / "说明.docx").write_bytes(b"PK")
    (source / "~$甲.xlsx").write_bytes(b"lock")  # Office's lock file: ignored
    (source / ".DS_Store").write_bytes(b"")  # hidden: ignored
    (source / "Thumbs.db").write_bytes(b"")  # the system's: ignored
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--width", "120")
    assert result.returncode == 2
    assert "已评价 2 个" in result.stdout and "无法读取或计分 2 个" in result.stdout
    assert "旧表.xls" in result.stdout and "另存为" in result.stdout and "说明.docx" in result.stdout
    assert "~$" not in result.stdout and "DS_Store" not in result.stdout and "Thumbs" not in result.stdout
    from openpyxl import load_workbook

    problems = [row for row in load_workbook(out / "汇总.xlsx")["问题"].iter_rows(values_only=True) if row[2] == "无法读取"]
    assert sorted(Path(str(row[1])).name for row in problems) == ["旧表.xls", "说明.docx"]


def test_exit_codes_take_internal_before_bad_input_before_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from evalcore.batch import BatchResult, UnitOutcome
    from evalcore.cli._batch import _exit_code

    framework = get_registry().framework("hunan.hecheng.dept.2020")
    from evalcore import evaluate, load_data

    evaluation = evaluate(framework, load_data(HECHENG, framework))  # has findings
    scored = UnitOutcome(HECHENG, evaluation=evaluation)
    bad = UnitOutcome(Path("x.xls"), error="x.xls: 无法读取")
    broken = UnitOutcome(Path("y.toml"), error="y.toml: 内部错误", internal=True)
    assert _exit_code(BatchResult((scored,)), None, strict=False) == 0
    assert _exit_code(BatchResult((scored,)), None, strict=True) == 1
    assert _exit_code(BatchResult((scored, bad)), None, strict=True) == 2
    assert _exit_code(BatchResult((scored, bad, broken)), None, strict=True) == 3


@pytest.mark.parametrize("command", ["run", "batch"])
def test_help_states_the_exit_codes_and_their_precedence(command: str) -> None:
    helped = run(command, "--help", env={"COLUMNS": "200"})
    text = "".join(helped.stdout.split())
    assert "退出码：0" in text and "3优先于2，2优先于1" in text


def test_batch_strict_exits_1_on_findings(tmp_path: Path) -> None:
    source = tmp_path / "units"
    source.mkdir()
    shutil.copy(HECHENG, source / "甲.toml")
    assert run("batch", str(source)).returncode == 0
    assert run("batch", str(source), "--strict").returncode == 1
    (source / "乙.xls").write_bytes(b"")
    assert run("batch", str(source), "--strict").returncode == 2
