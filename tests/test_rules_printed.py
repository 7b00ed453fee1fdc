"""Printed rules from the seed documents, scored at and around their edges, worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evalcore import evaluate, loads_data

from .helpers import framework_text, load

D = Decimal

INPUTS = """
[[input]]
id = "实际"
type = "number"

[[input]]
id = "计划"
type = "number"
"""


def one(rule: str, weight: str = "5") -> str:
    return framework_text(
        f"""
[[indicator]]
path = ["测试", "指标"]
weight = {weight}
formula = "实际 / 计划 * 100"
unit = "%"
[indicator.rule]
{rule}
""",
        total=weight,
        inputs=INPUTS,
    )


def score(text: str, actual: str, planned: str = "100", extra: str = "") -> tuple[Decimal | None, str]:
    framework = load(text)
    data = f'framework = "test.unit.2024"\n[inputs]\n"实际" = {actual}\n"计划" = {planned}\n{extra}'
    leaf = evaluate(framework, loads_data(data, framework)).leaf("指标")
    return leaf.score, leaf.status


# 桃江 附件2 服务对象满意度（5分）: "95%及以上计5分，80%（含）——95%（不含) 3分，80%以下不计分。"
SATISFACTION = one('kind = "bands"\nbands = [{ at_least = 95, score = 5 }, { at_least = 80, below = 95, score = 3 }, { below = 80, score = 0 }]')


@pytest.mark.parametrize("actual, expected", [("100", "5"), ("95", "5"), ("94.99", "3"), ("80", "3"), ("79.99", "0"), ("0", "0")])
def test_taojiang_satisfaction_bands(actual: str, expected: str) -> None:
    assert score(SATISFACTION, actual) == (D(expected), "scored")


# 桃江 附件2 在职人员控制率（1分）: "大于1的视情况扣分" — full at ≤ 100%, a judgment above.
STAFF = one('kind = "bands"\nbands = [{ at_most = 100, score = 1 }, { above = 100, judgment = [0, 1] }]', weight="1")


def test_taojiang_staff_rate_within_quota_is_full_marks() -> None:
    assert score(STAFF, "41", "41") == (D(1), "scored")  # 41 / 41 = 100%


def test_taojiang_staff_rate_over_quota_waits_for_a_judgment() -> None:
    assert score(STAFF, "42", "41") == (None, "missing")  # 102.44%: no judgment entered yet
    judged = '[indicators."指标"]\nscore = 0.5\nreason = "超编 1 人，经批准的临时借调"\n'
    assert score(STAFF, "42", "41", judged) == (D("0.5"), "judgment")


# 鹤城 附件1 在职人员控制率（2分）: "≤100%，计2分；每超过一个百分点扣0.5分，扣完为止" (whole points).
STAFF_HECHENG = one('kind = "deduct"\ndirection = "over"\nthreshold = 100\nper = 1\npoints = 0.5\ncount = "whole"', weight="2")


@pytest.mark.parametrize(
    "actual, expected",
    [("100", "2"), ("100.99", "2"), ("101", "1.5"), ("103.5", "0.5"), ("104", "0"), ("150", "0")],
)
def test_hecheng_staff_rate_deductions(actual: str, expected: str) -> None:
    assert score(STAFF_HECHENG, actual) == (D(expected), "scored")


# 鹤城 附件4-1 资金到位率（3分）: "100%计满分，每下降5个百分点扣1分，扣完为止".
FUNDS = one('kind = "deduct"\ndirection = "under"\nthreshold = 100\nper = 5\npoints = 1\ncount = "whole"', weight="3")


@pytest.mark.parametrize("actual, expected", [("100", "3"), ("120", "3"), ("95.01", "3"), ("95", "2"), ("85", "0"), ("84", "0")])
def test_hecheng_funds_arrival_rate(actual: str, expected: str) -> None:
    assert score(FUNDS, actual) == (D(expected), "scored")


# 桃江 附件2 预算完成率（1分）: "按比例计分" — 1 × rate, capped at 1.
PROPORTIONAL = one('kind = "proportional"', weight="1")


@pytest.mark.parametrize("actual, expected", [("100", "1"), ("110", "1"), ("90.33", "0.9"), ("50", "0.5"), ("0.4", "0")])
def test_taojiang_budget_completion_pro_rata(actual: str, expected: str) -> None:
    # 90.33% × 1 = 0.9033 → 0.90 (2 places, half-up); 0.4% × 1 = 0.004 → 0.00.
    assert score(PROPORTIONAL, actual) == (D(expected), "scored")


# 桃江 附件2 "三公经费"变动率（1分）: "大于0的计0分，等于0的计0.5分，小于0的计1分".
SIGN = one('kind = "sign"\npositive = 0\nzero = 0.5\nnegative = 1', weight="1").replace("实际 / 计划 * 100", "(实际 - 计划) / 计划 * 100")


@pytest.mark.parametrize("actual, expected", [("10.84", "1"), ("10.87", "0.5"), ("10.9", "0")])
def test_taojiang_three_expenses_change_sign(actual: str, expected: str) -> None:
    # 2021 三公 actual 10.84 against 2020's 10.87 (the report's decreases 0.02 + 0.01): −0.28% → 1.
    assert score(SIGN, actual, "10.87") == (D(expected), "scored")
