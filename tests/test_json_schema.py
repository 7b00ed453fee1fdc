"""The JSON interface: `run --format json` and a batch's 汇总.json carry schema_version and are
valid under the strict schemas shipped in the package (and copied in docs/schemas) — a missing or
misspelt key is refused — for every bundled example and every case of the bad-input corpus."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from evalcore.model import FLAG_KINDS, STATUSES
from evalcore.outputs import SCHEMA_VERSION, json_schema

from .golden_dump import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").rglob("*.toml"))
CORPUS = ROOT / "tests" / "corpus" / "data"


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


RUN = _validator("run")
BATCH = _validator("batch")


def _errors(validator: jsonschema.Draft202012Validator, document: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_is_valid_run_json(example: Path) -> None:
    code, out, err = cli("run", str(example), "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["schema_version"] == SCHEMA_VERSION
    assert _errors(RUN, document) == []


def test_every_corpus_case_that_scores_is_valid_run_json() -> None:
    here = Path.cwd()
    os.chdir(CORPUS)
    checked = 0
    try:
        for path in sorted(CORPUS.iterdir()):
            if path.name == "expected.toml":
                continue
            code, out, _err = cli("run", path.name, "--format", "json")
            if code == 0:
                assert _errors(RUN, json.loads(out)) == [], path.name
                checked += 1
    finally:
        os.chdir(here)
    # Questions (待核实) and hand-worked results: both kinds of scored case are in the corpus.
    assert checked >= 15


def _hecheng() -> dict[str, Any]:
    code, out, err = cli("run", str(ROOT / "examples" / "hunan" / "hecheng-dept-2020.toml"), "--format", "json")
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    return document


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda d: d.pop("total"), id="missing-total"),
        pytest.param(lambda d: d.update(totl=d.pop("total")), id="misspelt-total"),
        pytest.param(lambda d: d.pop("schema_version"), id="missing-version"),
        pytest.param(lambda d: d.update(schema_version="2.0"), id="other-major"),
        pytest.param(lambda d: d["indicators"][0].pop("trace"), id="indicator-missing-trace"),
        pytest.param(lambda d: d["indicators"][0].update(scroe="1"), id="indicator-extra-key"),
        pytest.param(lambda d: d["indicators"][0].update(status="done"), id="unknown-status"),
        pytest.param(lambda d: d.update(total=94.88), id="total-as-float"),
        pytest.param(lambda d: d["flags"].append({"kind": "x", "title": "", "path": [], "message": ""}), id="unknown-flag"),
    ],
)
def test_the_run_schema_refuses_a_spoilt_output(spoil: Any) -> None:
    document = _hecheng()
    assert _errors(RUN, document) == []
    spoilt = copy.deepcopy(document)
    spoil(spoilt)
    assert _errors(RUN, spoilt) != []


def test_the_schema_names_every_status_and_flag_kind() -> None:
    # A status or flag kind added to the model must be added to the schema (a minor version).
    indicator = json_schema("run")["properties"]["indicators"]["items"]["properties"]
    flag = json_schema("run")["properties"]["flags"]["items"]["properties"]
    assert set(indicator["status"]["enum"]) == set(STATUSES)
    assert set(flag["kind"]["enum"]) == set(FLAG_KINDS)


@pytest.mark.parametrize("name", ["run", "batch"])
def test_docs_carry_the_shipped_schemas(name: str) -> None:
    shipped = json_schema(name)
    assert json.loads((ROOT / "docs" / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")) == shipped


def test_batch_summary_json_is_valid_and_matches_the_units(tmp_path: Path) -> None:
    out = tmp_path / "结果"
    code, _out, err = cli("batch", str(ROOT / "examples"), "-o", str(out))
    assert code == 0, err
    document = json.loads((out / "汇总.json").read_text(encoding="utf-8"))
    assert _errors(BATCH, document) == []
    assert document["schema_version"] == SCHEMA_VERSION
    assert len(document["units"]) == len(EXAMPLES)
    # The same unit as `run` gives, to the cent.
    hecheng = _hecheng()
    row = next(u for u in document["units"] if u["data_file"] and u["data_file"].endswith("hecheng-dept-2020.toml"))
    assert (row["total"], row["grade"], row["framework"]) == (hecheng["total"], hecheng["grade"], hecheng["framework"])
    spoilt = copy.deepcopy(document)
    spoilt["units"][0]["totl"] = spoilt["units"][0].pop("total")
    assert _errors(BATCH, spoilt) != []


def test_batch_summary_json_lists_a_file_that_cannot_be_scored(tmp_path: Path) -> None:
    folder = tmp_path / "数据"
    folder.mkdir()
    (folder / "坏.toml").write_text('framework = "hunan.hecheng.dept.2020"\n[inputs]\n"编制数" = "很多"\n', encoding="utf-8")
    out = tmp_path / "结果"
    code, _out, _err = cli("batch", str(folder), "-o", str(out))
    assert code == 2
    document = json.loads((out / "汇总.json").read_text(encoding="utf-8"))
    assert _errors(BATCH, document) == []
    assert [u["grade"] for u in document["units"]] == ["无法计分"]
    assert [p["category"] for p in document["problems"]] == ["无法读取"]
