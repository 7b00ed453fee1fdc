"""Every message of the command line in Chinese, usage errors included; "您是不是要找：…" for a
mistyped framework id, format, indicator, input or key; all key errors of a data file at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import EXAMPLES
from .golden_dump import cli

HECHENG = str(EXAMPLES / "hunan" / "hecheng-dept-2020.toml")
# Three English words in a row: a sentence the user was not meant to read.
ENGLISH = re.compile(r"\b[A-Za-z]{2,}\s+[a-z]{2,}\s+[a-z]{2,}\b")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(("run", HECHENG, "extra", "more"), "多余的参数：extra more", id="extra-arguments"),
        pytest.param(("run", "--format"), "选项“--format”后面要写一个值", id="option-without-value"),
        pytest.param(("run", "--ascii=yes", HECHENG), "选项“--ascii”不带值", id="flag-with-value"),
        pytest.param(("frameworks", "--format", "yaml"), "“yaml”不是可选的值；可选：table、json", id="choice"),
        pytest.param(("new-plugin", "x", "--kind", "dep"), "您是不是要找：“dept”？", id="choice-suggested"),
        pytest.param(("new-plugin", "x", "--year", "二〇二四"), "“二〇二四”不是整数", id="integer"),
        pytest.param(("reference", "-o", "out", "--rulesets", HECHENG), "是文件，这里要写目录", id="folder"),
        pytest.param(("rn",), "没有命令“rn”。您是不是要找：“run”？", id="command"),
        pytest.param(("run", "--formt", "json", HECHENG), "“--format”？", id="option"),
        pytest.param(("run", HECHENG, "--format", "xslx"), "您是不是要找：“xlsx”？", id="format"),
        pytest.param(("run", HECHENG, "--framework", "hunan.hecheng.dept.202"), "您是不是要找：“hunan.hecheng.dept.2020”", id="framework"),
        pytest.param(("show", "hunan.hecheng.dep.2020"), "您是不是要找：“hunan.hecheng.dept.2020”", id="framework-show"),
        pytest.param(("explain", HECHENG, "预算执行"), "您是不是要找：“预算执行率”？", id="indicator"),
    ],
)
def test_usage_errors_are_chinese_with_suggestions(args: tuple[str, ...], words: str) -> None:
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert words in err, err
    assert not ENGLISH.search(err), err
    assert "Traceback" not in err


def test_every_key_error_of_a_data_file_is_reported_at_once(tmp_path: Path) -> None:
    data = tmp_path / "错字.toml"
    data.write_text(
        'framework = "hunan.hecheng.dept.2020"\n'
        'unti = "某单位"\n'  # line 2: unit
        "yaer = 2020\n"  # line 3: year
        'self_total = "很高"\n'  # line 4: not a number
        "[inputs]\n"
        '"编制人数" = 37\n'  # line 6: 编制数
        "[indicator]\n",  # line 7: indicators
        encoding="utf-8",
    )
    code, out, err = cli("run", str(data))
    assert code == 2 and out == ""
    lines = [line for line in err.splitlines() if "错字.toml:" in line]
    expected = [
        ("错字.toml:2", "您是不是要找：“unit”"),
        ("错字.toml:3", "您是不是要找：“year”"),
        ("错字.toml:4", "自评总分必须是数字"),
        ("错字.toml:6", "您是不是要找：“编制数”"),
        ("错字.toml:7", "您是不是要找：“indicators”"),
    ]
    assert len(lines) == len(expected), err
    for line, (where, words) in zip(lines, expected):
        assert where in line and words in line, line


def test_a_mistyped_indicator_name_in_a_data_file_is_suggested(tmp_path: Path) -> None:
    data = tmp_path / "指标.toml"
    data.write_text('framework = "hunan.hecheng.dept.2020"\n[indicators."预算执行"]\nself_score = 5\n', encoding="utf-8")
    code, _out, err = cli("run", str(data))
    assert code == 2 and "指标.toml:2" in err and "您是不是要找：“预算执行率”" in err


def test_reference_from_a_folder_without_any_installed_ruleset_writes_nothing(tmp_path: Path) -> None:
    empty, out = tmp_path / "规则", tmp_path / "参考"
    empty.mkdir()
    code, _out, err = cli("reference", "-o", str(out), "--rulesets", str(empty))
    assert code == 2 and "中没有已安装的评价框架的规则文件，没有生成参考文档" in err
    assert not out.exists()
