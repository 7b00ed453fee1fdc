"""The bad-input corpus (tests/corpus/data): one small file per case, in TOML, JSON and Excel, each
with what it must give in tests/corpus/data/expected.toml — a located error, a 待核实 question, or a
result worked by hand from the published rule. Each case is one test, named by its file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from .compat import tomllib
from .golden_dump import cli

CORPUS = Path(__file__).resolve().parent / "corpus" / "data"
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))
OUTCOMES = ("error", "question", "result")


def _leaf(evaluation: dict[str, Any], key: str) -> dict[str, Any]:
    found = [leaf for leaf in evaluation["indicators"] if leaf["id"] == key or "/".join(leaf["path"]).endswith(key)]
    assert len(found) == 1, f"{key}: {len(found)} indicators"
    return found[0]


def _run(name: str, *options: str) -> tuple[int, str, str]:
    here = Path.cwd()
    os.chdir(CORPUS)  # messages name the file as the officer typed it
    try:
        return cli("run", name, "--format", "json", *options)
    finally:
        os.chdir(here)


def test_the_corpus_is_large_and_every_file_has_an_expectation() -> None:
    files = sorted(p.name for p in CORPUS.iterdir() if p.name != "expected.toml")
    assert files == sorted(EXPECTED)
    assert len(files) >= 40
    assert {Path(name).suffix for name in files} == {".toml", ".json", ".xlsx"}
    assert {case["outcome"] for case in EXPECTED.values()} == set(OUTCOMES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_case(name: str) -> None:
    case = EXPECTED[name]
    assert case["outcome"] in OUTCOMES
    code, out, err = _run(name)
    if case["outcome"] == "error":
        assert code == 2, (code, out, err)
        assert out == ""
        assert case["where"] in err and case["message"] in err, err
        assert "Traceback" not in err
        return
    assert code == 0, err
    evaluation = json.loads(out)
    flags = {flag["kind"] for flag in evaluation["flags"]}
    if case["outcome"] == "question":
        leaf = _leaf(evaluation, case["indicator"])
        assert leaf["status"] == "questioned" and leaf["score"] is None
        assert [r["reading"] for r in leaf["readings"]] != [] and len(leaf["readings"]) == 2
        questions = [flag["message"] for flag in evaluation["flags"] if flag["kind"] == "questioned"]
        assert any(case["message"] in message for message in questions), questions
        assert evaluation["grade"] is None and evaluation["ungraded"] == "待核实"
        assert evaluation["grade_text"] == "不评定（待核实）"
        assert [r["total"] for r in evaluation["readings"]] == case["totals"]
        strict, _out, _err = _run(name, "--strict")
        assert strict == 1
        return
    if "indicator" in case:
        leaf = _leaf(evaluation, case["indicator"])
        assert leaf["status"] == case["status"], leaf["trace"]
        if "score" in case:
            assert leaf["score"] == case["score"], leaf["trace"]
        if "message" in case:
            assert any(case["message"] in line for line in leaf["trace"]), leaf["trace"]
    for key in ("total", "max"):
        if key in case:
            assert evaluation[key] == case[key]
    if "grade" in case:
        assert evaluation["grade_text"] == case["grade"]
    assert set(case.get("flags", ())) <= flags, flags
    if "flag_message" in case:
        assert any(case["flag_message"] in flag["message"] for flag in evaluation["flags"]), [f["message"] for f in evaluation["flags"]]
    assert not set(case.get("absent_flags", ())) & flags, [f["message"] for f in evaluation["flags"] if f["kind"] in case.get("absent_flags", ())]


EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").rglob("*.toml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_json_values_carry_the_declared_places(example: Path) -> None:
    from evalcore import get_registry

    code, out, err = cli("run", str(example), "--format", "json")
    assert code == 0, err
    evaluation = json.loads(out)
    rounding = get_registry().framework(evaluation["framework"]).rounding

    def places(text: str | None) -> int:
        return 0 if text is None or "." not in text else len(text.split(".")[1])

    for leaf in evaluation["indicators"]:
        assert places(leaf["value"]) <= rounding.value_places, (leaf["id"], leaf["value"])
        assert places(leaf["score"]) <= rounding.places, (leaf["id"], leaf["score"])
    assert places(evaluation["total"]) <= rounding.places


def test_a_result_given_back_as_data_is_told_it_is_a_result(tmp_path: Path) -> None:
    # Once told 无法识别的键“groups”… and 您是不是要找“facts”: the officer had picked the wrong file.
    example = Path(__file__).resolve().parents[1] / "examples" / "hunan" / "hecheng-dept-2020.toml"
    result = tmp_path / "结果.json"
    code, out, err = cli("run", str(example), "-o", str(result))
    assert code == 0, err
    code, out, err = cli("run", str(result))
    assert code == 2 and out == ""
    assert "结果.json:2: 这是 evalcore 的计分结果（evalcore run --format json 的输出），不是数据文件，不能再拿来计分" in err, err
    assert "这份结果是按 examples/hunan/hecheng-dept-2020.toml 计分得出的" in err and "无法识别的键" not in err
    code, out, err = cli("batch", str(example), "-o", str(tmp_path / "结果"), "--format", "json")
    assert code == 0, err
    code, out, err = cli("run", str(tmp_path / "结果" / "汇总.json"))
    assert code == 2 and "汇总.json:2: 这是 evalcore batch 写出的汇总（汇总.json），不是数据文件" in err, err
