"""Ruleset loading: every error names file, line and key in Chinese, and says what is expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalcore import RulesetError, load_framework

from .conftest import RULESETS
from .helpers import framework_text, staff_framework, write


def error_for(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, "x.toml", text)
    with pytest.raises(RulesetError) as info:
        load_framework(path)
    return str(info.value)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_weight_must_be_a_number(tmp_path: Path) -> None:
    text = staff_framework().replace("weight = 2", 'weight = "二"')
    message = error_for(tmp_path, text)
    assert f"x.toml:{line_of(text, 'weight =')}: 指标“在职人员控制率”.weight: 分值必须是数字" in message


def test_full_width_equals_gets_a_hint(tmp_path: Path) -> None:
    text = staff_framework().replace("threshold = 100", "threshold ＝ 100")
    message = error_for(tmp_path, text)
    assert f"x.toml:{line_of(text, 'threshold')}" in message
    assert "全角等号" in message


def test_chinese_quotes_get_a_hint(tmp_path: Path) -> None:
    text = staff_framework().replace('kind = "deduct"', "kind = “deduct”")
    assert "中文引号" in error_for(tmp_path, text)


def test_unknown_rule_kind_lists_the_choices(tmp_path: Path) -> None:
    text = staff_framework().replace('kind = "deduct"', 'kind = "deduction"')
    message = error_for(tmp_path, text)
    assert f"x.toml:{line_of(text, 'deduction')}" in message
    assert "deduct" in message and "规则类型" in message


def test_unknown_key_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    text = staff_framework().replace("points = 0.5", "point = 0.5")
    message = error_for(tmp_path, text)
    assert "无法识别的键“point”" in message and "points" in message


def test_missing_count_mode_says_what_is_expected(tmp_path: Path) -> None:
    text = staff_framework().replace('count = "whole"\n', "")
    message = error_for(tmp_path, text)
    assert "count" in message and "whole" in message and "started" in message


def test_deduct_without_formula_is_refused(tmp_path: Path) -> None:
    text = staff_framework().replace('formula = "在职人员数 / 编制数 * 100"\n', "")
    assert "需要计算公式" in error_for(tmp_path, text)


def test_duplicate_leaf_names_need_an_id(tmp_path: Path) -> None:
    body = """
[[indicator]]
path = ["过程", "预算管理", "管理制度健全性"]
weight = 1
[indicator.rule]
kind = "judgment"

[[indicator]]
path = ["过程", "资产管理", "管理制度健全性"]
weight = 1
[indicator.rule]
kind = "judgment"
"""
    text = framework_text(body)
    message = error_for(tmp_path, text)
    assert "重复" in message and "id" in message
    assert f"x.toml:{line_of(text, '资产管理')}" in message


def test_group_weight_disagreement_is_a_load_warning(tmp_path: Path) -> None:
    body = """
[[group]]
path = ["效益"]
weight = 10

[[indicator]]
path = ["效益", "实施效益"]
weight = 20
[indicator.rule]
kind = "judgment"
"""
    text = framework_text(body, total="20")
    framework = load_framework(write(tmp_path, "x.toml", text))
    assert len(framework.warnings) == 1
    assert f"x.toml:{line_of(text, '[[group]]')}" in framework.warnings[0]
    assert "声明分值 10" in framework.warnings[0] and "合计 20" in framework.warnings[0]


def test_leaf_total_disagreeing_with_the_framework_total_is_a_warning(tmp_path: Path) -> None:
    framework = load_framework(write(tmp_path, "x.toml", staff_framework().replace("total = 2", "total = 100")))
    assert any("合计 2" in w and "总分 100" in w for w in framework.warnings)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RulesetError, match="找不到文件"):
        load_framework(tmp_path / "none.toml")


@pytest.mark.parametrize("path", sorted(RULESETS.rglob("*.toml")), ids=lambda p: p.name)
def test_shipped_rulesets_load_without_warnings(path: Path) -> None:
    framework = load_framework(path)
    assert framework.warnings == ()
    for leaf in framework.leaves():
        assert leaf.source is not None, f"{leaf.label} has no source citation"
