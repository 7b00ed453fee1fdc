"""The hostile corpus (tests/corpus/hostile): files made to break the loader each end in the
located Chinese error its manifest, expected.toml, states, within seconds and never as an internal
error; limits raised by the caller let the same file load."""

from __future__ import annotations

import time
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve

from evalcore import EvalcoreError, Registry, get_registry, hookimpl, load_data, load_framework
from evalcore.model import Limits, using_limits

from .compat import tomllib
from .conftest import ROOT

HOSTILE = ROOT / "tests" / "corpus" / "hostile"
CASES: list[dict[str, Any]] = tomllib.loads((HOSTILE / "expected.toml").read_text(encoding="utf-8"))["case"]
SECONDS = 5  # generous: each case takes well under a second; an unbounded read takes far longer


def _framework(formula: str = '"在职人员数 / 编制数 * 100"', weight: str = "2", settings: str = "") -> str:
    """The corpus's small framework (the first lines of expr-dunder.toml) with one part replaced."""
    text = (HOSTILE / "expr-dunder.toml").read_text(encoding="utf-8")
    text = text.replace('formula = "编制数.__class__.__bases__"', f"formula = {formula}").replace("weight = 2\n", f"weight = {weight}\n")
    return text.replace("total = 2\n", f"total = 2\n{settings}")


def _data(body: str) -> str:
    return f'# generated\nframework = "hunan.hecheng.dept.2020"\nunit = "恶意文件测试单位"\n{body}'


# Cases too large to keep in the repository, made when the test runs.
GENERATED = {
    "expr-parens-10000": lambda: _framework('"' + "(" * 10_000 + "编制数" + ")" * 10_000 + '"'),
    "expr-1mb": lambda: _framework('"' + "编制数 + " * 100_000 + '编制数"'),
    "number-4301-digits": lambda: _framework(weight="1" + "0" * 4300),
    "data-number-5000-digits": lambda: _data('\n[inputs]\n"编制数" = 1' + "0" * 4999 + "\n"),
    "nesting-1000": lambda: _framework(settings="settings = { deep = " + "[" * 1000 + "]" * 1000 + " }\n"),
    "dotted-keys-100000": lambda: _framework(settings="settings." + ".".join(["a"] * 100_000) + " = 1\n"),
    "file-over-1mb": lambda: _framework() + ("# " + "填充" * 40 + "\n") * 6_000,
    "data-json-nesting-5000.json": lambda: '{"framework": "hunan.hecheng.dept.2020", "report": {"概述": ' + "[" * 5000 + "]" * 5000 + "}}",
    "data-json-number-5000-digits.json": lambda: '{"framework": "hunan.hecheng.dept.2020", "inputs": {"编制数": 1' + "0" * 4999 + "}}",
}


def _id(case: dict[str, Any]) -> str:
    name = str(case.get("file") or case["generate"]).removesuffix(".toml")
    return name + "".join(f"-{key}={value}" for key, value in case.get("limits", {}).items())


def test_the_manifest_covers_every_file_and_generator() -> None:
    files = {case["file"] for case in CASES if "file" in case}
    assert files == {p.name for p in HOSTILE.iterdir() if p.suffix in (".toml", ".json")} - {"expected.toml"}
    assert {case["generate"] for case in CASES if "generate" in case} == set(GENERATED)
    assert all(case["outcome"] in ("refused", "loaded") and case["read"] in ("framework", "data") for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[_id(case) for case in CASES])
def test_a_hostile_file_ends_as_the_manifest_says(case: dict[str, Any], tmp_path: Path) -> None:
    if "file" in case:
        path = HOSTILE / case["file"]
    else:
        name = case["generate"]
        path = tmp_path / (name if name.endswith(".json") else f"{name}.toml")
        path.write_text(GENERATED[case["generate"]](), encoding="utf-8")
    framework = get_registry().framework("hunan.hecheng.dept.2020") if case["read"] == "data" else None
    limits = evolve(Limits(), **case.get("limits", {}))
    started = time.perf_counter()
    error: EvalcoreError | None = None
    with using_limits(limits):
        try:
            if framework is not None:
                load_data(path, framework)
            else:
                load_framework(path)
        except EvalcoreError as exc:  # anything else is an internal error: the test fails with it
            error = exc
    assert time.perf_counter() - started < SECONDS
    if case["outcome"] == "loaded":
        assert error is None, str(error)
        return
    assert error is not None, f"{path.name} loaded"
    assert case["message"] in error.message or case["message"] in str(error), str(error)
    assert error.location.file is not None and error.location.file.endswith(path.name)
    if "line" in case:
        assert error.location.line == case["line"], str(error)


def test_limits_do_not_leak_out_of_their_block() -> None:
    with using_limits(Limits(max_depth=1)):
        with pytest.raises(EvalcoreError):
            load_framework(HOSTILE / "nesting-40.toml")
    # Back to the defaults: a real ruleset nests 6 deep.
    assert get_registry().framework("hunan.hecheng.dept.2020").id == "hunan.hecheng.dept.2020"
    with pytest.raises(EvalcoreError, match="嵌套超过 32 层"):
        load_framework(HOSTILE / "nesting-40.toml")


def test_hostile_rulesets_in_a_plugin_folder_are_listed_and_every_other_file_is_indexed(tmp_path: Path) -> None:
    # Once a 5,000-digit number or 1,000 nested arrays here ended every command as an internal error.
    folder = tmp_path / "rulesets"
    folder.mkdir()
    (folder / "deep.toml").write_text(GENERATED["nesting-1000"](), encoding="utf-8")
    (folder / "long.toml").write_text(GENERATED["number-4301-digits"](), encoding="utf-8")
    (folder / "good.toml").write_text(_framework().replace('id = "hostile.test.2024"', 'id = "hostile.good.2024"').replace('"编制数.__class__.__bases__"', '"在职人员数"'), encoding="utf-8")

    @hookimpl
    def evalcore_frameworks() -> Sequence[Path]:
        return [folder]

    plugin = types.ModuleType("hostile_plugin")
    plugin.evalcore_frameworks = evalcore_frameworks  # type: ignore[attr-defined]
    registry = Registry.build(entry_points=False, extra=[("hostile", plugin)])
    errors = "\n".join(registry.errors)
    assert "deep.toml:9: 表和数组相互嵌套超过 32 层" in errors and "long.toml:22: 数字超过 100 位" in errors
    assert "hostile.good.2024" in registry.entries
