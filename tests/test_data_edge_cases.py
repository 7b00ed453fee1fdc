"""Data that are missing, zero or odd never become a silent number (DESIGN §3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evalcore import DataError, evaluate, load_data, loads_data
from evalcore.model import ErrorGroup

from .helpers import framework_text, load, staff_framework, write

D = Decimal

MONEY = framework_text(
    """
[[input]]
id = "三公经费预算数"
type = "money"
unit = "万元"

[[input]]
id = "三公经费决算数"
type = "money"
unit = "万元"

[[indicator]]
path = ["过程", "三公经费控制率"]
weight = 2
formula = "三公经费决算数 / 三公经费预算数 * 100"
unit = "%"
[indicator.rule]
kind = "deduct"
direction = "over"
threshold = 100
points = 1
count = "whole"
"""
)


def data(body: str) -> str:
    return 'framework = "test.unit.2024"\n' + body


def test_yuan_into_a_wan_yuan_input_is_converted_exactly() -> None:
    framework = load(MONEY)
    # Seed 001: 三公 budget 0.5 万元, actual 515 元 → 0.0515 万元 → 10.3%.
    unit_data = loads_data(data('[inputs]\n"三公经费预算数" = 0.5\n"三公经费决算数" = "515元"\n'), framework)
    assert unit_data.inputs["三公经费决算数"] == D("0.0515")
    evaluation = evaluate(framework, unit_data)
    leaf = evaluation.leaf("三公经费控制率")
    assert leaf.value == D("10.30") and leaf.score == D(2)
    conversions = [f for f in evaluation.flags if f.kind == "unit_converted"]
    assert len(conversions) == 1 and "515元" in conversions[0].message and "0.0515万元" in conversions[0].message


@pytest.mark.parametrize("text, expected", [("３７", "37"), ("37 ", "37"), ("1,234", "1234"), ("0.37万人", "3700")])
def test_numbers_typed_as_text_are_read(text: str, expected: str) -> None:
    framework = load(staff_framework())
    unit_data = loads_data(data(f'[inputs]\n"编制数" = "{text}"\n"在职人员数" = 1\n'), framework)
    assert unit_data.inputs["编制数"] == D(expected)


def test_zero_staff_quota_is_an_explained_state_not_a_score() -> None:
    framework = load(staff_framework())
    evaluation = evaluate(framework, loads_data(data('[inputs]\n"编制数" = 0\n"在职人员数" = 31\n'), framework))
    leaf = evaluation.leaf("在职人员控制率")
    assert leaf.score is None and leaf.status == "missing"
    assert any("编制数" in line and "0" in line for line in leaf.trace)
    assert [f.kind for f in evaluation.flags] == ["division_by_zero", "missing_input"]
    assert not evaluation.complete and evaluation.grade is None


def test_declared_zero_division_fallback_is_used_and_shown() -> None:
    framework = load(staff_framework(zero_division='zero_division = { score = 0, note = "未核定编制的单位不得分" }'))
    evaluation = evaluate(framework, loads_data(data('[inputs]\n"编制数" = 0\n"在职人员数" = 3\n'), framework))
    leaf = evaluation.leaf("在职人员控制率")
    assert leaf.score == D(0) and leaf.status == "scored"
    assert "未核定编制的单位不得分" in leaf.trace[-1]
    assert [f.kind for f in evaluation.flags] == ["division_by_zero"]
    assert evaluation.complete


def test_missing_required_input_leaves_the_indicator_missing() -> None:
    framework = load(staff_framework())
    evaluation = evaluate(framework, loads_data(data('[inputs]\n"在职人员数" = 31\n[indicators."在职人员控制率"]\nself = 2\n'), framework))
    leaf = evaluation.leaf("在职人员控制率")
    assert leaf.score is None and leaf.status == "missing"
    assert leaf.self_score == D(2)
    assert evaluation.total == D(0) and not evaluation.complete and evaluation.grade is None
    (flag,) = [f for f in evaluation.flags if f.kind == "missing_input"]
    assert "编制数" in flag.message


def test_assessed_score_fills_a_gap_and_says_so() -> None:
    framework = load(staff_framework())
    text = data('[indicators."在职人员控制率"]\nscore = 2\nreason = "人事部门未提供编制数据"\n')
    evaluation = evaluate(framework, loads_data(text, framework))
    leaf = evaluation.leaf("在职人员控制率")
    assert (leaf.score, leaf.status) == (D(2), "judgment")
    assert "人事部门未提供编制数据" in leaf.trace[-1]
    # The gap is filled, but the inputs the framework requires are still reported as missing.
    assert [f.kind for f in evaluation.flags] == ["assessed", "missing_input", "missing_input"]
    assert {f.path for f in evaluation.flags[1:]} == {("基础数据", "编制数"), ("基础数据", "在职人员数")}
    optional = load(staff_framework().replace('type = "count"', 'type = "count"\nrequired = false'))
    evaluation = evaluate(optional, loads_data(text, optional))
    assert [f.kind for f in evaluation.flags] == ["assessed"]


def test_assessed_score_never_replaces_a_computed_one() -> None:
    framework = load(staff_framework())
    text = data('[inputs]\n"编制数" = 10\n"在职人员数" = 12\n[indicators."在职人员控制率"]\nscore = 2\nreason = "自评"\n')
    evaluation = evaluate(framework, loads_data(text, framework))
    leaf = evaluation.leaf("在职人员控制率")
    # 12 / 10 = 120%: 20 whole points over, 10 points deducted, floored at 0.
    assert (leaf.score, leaf.status) == (D(0), "scored")
    assert [f.kind for f in evaluation.flags] == ["score_ignored"]


def test_every_bad_cell_is_reported_at_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    framework = load(staff_framework())
    path = write(
        tmp_path,
        "unit.toml",
        data('[inputs]\n"编制数" = "三十七"\n"在职人数" = 31\n[indicators."在职人员控制率"]\nself = 5\n'),
    )
    with pytest.raises(ErrorGroup) as info:
        load_data(path, framework)
    messages = [str(e) for e in info.value.errors]
    assert len(messages) == 3
    assert "unit.toml:3" in messages[0] and "编制数" in messages[0] and "无法识别" in messages[0]
    assert "unit.toml:4" in messages[1] and "您是不是要找：“在职人员数”" in messages[1]
    assert "unit.toml:6" in messages[2] and "超出该指标分值" in messages[2]


@pytest.mark.parametrize(
    "value, words",
    [('"3美元"', "单位“美元”无法识别"), ('"3人次"', "不能换算"), ("-3", "不能为负数"), ("true", "应为数字")],
)
def test_bad_values_name_the_input(value: str, words: str) -> None:
    framework = load(staff_framework())
    with pytest.raises(DataError) as info:
        loads_data(data(f'[inputs]\n"编制数" = {value}\n'), framework)
    assert words in str(info.value) and "编制数" in str(info.value)


def test_judgment_without_reason_is_refused() -> None:
    framework = load(staff_framework())
    with pytest.raises(DataError, match="必须写明理由"):
        loads_data(data('[indicators."在职人员控制率"]\nscore = 1\n'), framework)


def test_not_applicable_follows_the_declared_policy() -> None:
    full = load(staff_framework())
    text = data('[indicators."在职人员控制率"]\nnot_applicable = true\nreason = "本单位无编制"\n')
    evaluation = evaluate(full, loads_data(text, full))
    assert evaluation.leaf("在职人员控制率").score == D(2) and evaluation.complete
    redistributed = load(staff_framework().replace('total = 2', 'total = 2\nnot_applicable = "redistribute"') + SECOND)
    text2 = text + '[inputs]\n"编制数" = 10\n"在职人员数" = 10\n[indicators."满意度"]\nscore = 1\nreason = "问卷结果 80%"\n'
    evaluation = evaluate(redistributed, loads_data(text2, redistributed))
    # Weight 2 of 4 is not applicable: 1 of the remaining 2 → 1 / 2 × 2 (framework total) = 1.
    assert evaluation.leaf("在职人员控制率").score is None
    assert evaluation.raw_total == D(1) and evaluation.total == D(1) and evaluation.max == D(2)


SECOND = """
[[indicator]]
path = ["效果", "满意度"]
weight = 2
[indicator.rule]
kind = "judgment"
"""
