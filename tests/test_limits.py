"""The loader limits as an officer meets them on the command line: a value past what Python itself
can read is refused with a Chinese usage error naming the largest accepted; every message about a
file past a limit is true of that file; and the value a hint suggests lets the file load."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from evalcore.model import MB, Limits

from .conftest import ROOT
from .test_cli import run

HOSTILE = ROOT / "tests" / "corpus" / "hostile"
_EXAMPLE = re.compile(r"例如 evalcore (--max-[a-z-]+) (\d+) run …")


def suggested(stderr: str) -> tuple[str, str]:
    """The option and value a limit's hint suggests."""
    found = _EXAMPLE.search(stderr)
    assert found is not None, stderr
    return found.group(1), found.group(2)


@pytest.mark.parametrize(
    "option, value, largest",
    [
        ("--max-depth", "5000", "200"),
        ("--max-number-digits", "100000", "4300"),
        ("--max-number-digits", "9" * 5000, "4300"),  # int() itself refuses this many digits
        ("--max-file-mb", "9" * 30, str(sys.maxsize // MB)),
        ("--max-xlsx-mb", "9" * 30, str(sys.maxsize // MB)),
        ("--max-cells", "9" * 30, str(sys.maxsize)),
    ],
    ids=["depth", "digits", "digits-5000", "file-mb", "xlsx-mb", "cells"],
)
def test_a_limit_past_what_python_can_read_is_a_usage_error_naming_the_largest(option: str, value: str, largest: str) -> None:
    result = run(option, value, "frameworks")
    assert result.returncode == 2, result.stderr
    assert f"错误：{option} 的值不对：" in result.stderr and f"超过了能设定的最大值 {largest}（" in result.stderr
    assert "Exceeds" not in result.stderr and "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert run(option, largest, "frameworks").returncode == 0


def test_limits_past_the_cap_are_refused_in_python_too() -> None:
    with pytest.raises(ValueError, match="max_depth = 201: at most 200"):
        Limits(max_depth=201)
    assert Limits(max_depth=200, max_number_digits=4300).max_depth == 200


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_number_past_python_s_own_cap_is_told_truly_whatever_the_limit(tmp_path: Path) -> None:
    # Once: "JSON 中不能写 Exceeds the limit (4300 digits)…", and for TOML "数字超过 100000 位".
    number = "1" + "0" * 4999
    json_file = _write(tmp_path / "长.json", '{"framework": "hunan.hecheng.dept.2020",\n "inputs": {"编制数": ' + number + "}}")
    toml_file = _write(tmp_path / "长.toml", f'framework = "hunan.hecheng.dept.2020"\n[inputs]\n"编制数" = {number}\n')
    for path, line, needed in ((json_file, 2, "5000"), (toml_file, 3, "4301")):
        for limit in ("100", "4300"):
            result = run("--max-number-digits", limit, "run", str(path))
            assert result.returncode == 2
            assert f"{path.name}:{line}: 数字超过 {limit} 位，未读取" in result.stderr, result.stderr
            # No option can let it load: the hint says so instead of suggesting one.
            assert f"该文件需要 {needed} 位，超过 evalcore 能读取的最大值 4300 位" in result.stderr
            assert "例如" not in result.stderr and "Exceeds" not in result.stderr


def test_nesting_past_what_the_parser_reads_is_told_truly_whatever_the_limit(tmp_path: Path) -> None:
    # Once: --max-depth 5000 on a file 1000 deep said "嵌套超过 5000 层".
    deep = _write(tmp_path / "深.toml", 'framework = "hunan.hecheng.dept.2020"\n[report]\n"概述" = ' + "[" * 1000 + "]" * 1000 + "\n")
    for limit in ("32", "200"):
        result = run("--max-depth", limit, "run", str(deep))
        assert result.returncode == 2 and f"深.toml:3: 表和数组相互嵌套超过 {limit} 层" in result.stderr, result.stderr
        assert "超过 evalcore 能读取的最大值 200 层" in result.stderr and "例如" not in result.stderr


@pytest.mark.parametrize(
    "file, option, needed",
    [
        # framework(1), settings(2), then 40 arrays: 42 levels, as --max-depth counts them.
        ("nesting-40.toml", "--max-depth", "42"),
        ("number-200-digits.toml", "--max-number-digits", "200"),
    ],
)
def test_the_suggested_limit_is_the_least_that_lets_the_file_load(file: str, option: str, needed: str) -> None:
    path = HOSTILE / file
    refused = run("show", str(path))
    assert refused.returncode == 2
    assert suggested(refused.stderr) == (option, needed)
    # One less still refuses the file for this limit; the suggested value gets past it.
    short = run(option, str(int(needed) - 1), "show", str(path))
    assert short.returncode == 2 and suggested(short.stderr) == (option, needed)
    past = run(option, needed, "show", str(path))
    assert option not in past.stderr, past.stderr


def test_a_json_nested_deeper_than_the_limit_is_told_the_depth_it_needs(tmp_path: Path) -> None:
    path = _write(tmp_path / "深.json", '{"framework": "hunan.hecheng.dept.2020",\n "report": {"概述": ' + "[" * 60 + "]" * 60 + "}}")
    refused = run("run", str(path))
    assert refused.returncode == 2 and "深.json:2: report.概述[1]" in refused.stderr
    assert suggested(refused.stderr) == ("--max-depth", "61")
    assert "--max-depth" not in run("--max-depth", "61", "run", str(path)).stderr
