"""鹤城区 2020 部门整体支出: the document's own figures are the oracle.

Seed 003, 附件1 (framework, 自评分 column, total 98) and 附件2 (基础数据表). Every expected value
below is worked by hand from those tables and the printed rule, as the comments show.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from evalcore import Evaluation, evaluate, load_data

from .conftest import EXAMPLES

D = Decimal


@pytest.fixture(scope="module")
def evaluation(registry) -> Evaluation:  # type: ignore[no-untyped-def]
    framework = registry.framework("hunan.hecheng.dept.2020")
    return evaluate(framework, load_data(EXAMPLES / "hunan" / "hecheng-dept-2020.toml", framework))


def test_framework_weights_match_the_printed_table(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework("hunan.hecheng.dept.2020")
    # 投入20 / 过程40 / 产出20 / 效果20, and no group whose children disagree with it.
    assert [(g.name, g.weight) for g in framework.children] == [("投入", D(20)), ("过程", D(40)), ("产出", D(20)), ("效果", D(20))]
    assert framework.warnings == ()
    assert len(list(framework.leaves())) == 28


def test_staff_control_rate_is_computed_and_the_stated_100_percent_flagged(evaluation: Evaluation) -> None:
    leaf = evaluation.leaf("在职人员控制率")
    # 31 / 37 × 100 = 83.7837… → 83.78%; ≤ 100% gives the full 2 points.
    assert leaf.value == D("83.78")
    assert leaf.score == D(2)
    assert leaf.status == "scored"
    assert "31 / 37" in leaf.trace[0] and "83.78%" in leaf.trace[0]
    stated = [f for f in evaluation.flags if f.kind == "stated_mismatch"]
    assert [f.path[-1] for f in stated] == ["在职人员控制率"]
    assert "100%" in stated[0].message and "83.78%" in stated[0].message


def test_public_funds_control_rate_scores_3_and_contradicts_the_self_score(evaluation: Evaluation) -> None:
    leaf = evaluation.leaf("公用经费控制率")
    # 77.98 / 86.63 × 100 = 90.01500…%, i.e. 90.02% rounded half-up (90.01% if truncated);
    # either way ≤ 100%, so the rule "100%以下（含）计满分" gives all 3 points; the unit gave itself 2.
    assert leaf.value == D("90.02")
    assert leaf.score == D(3)
    assert leaf.self_score == D(2)
    mismatch = [f for f in evaluation.flags if f.kind == "self_score_mismatch"]
    assert [f.path[-1] for f in mismatch] == ["公用经费控制率"]
    assert "自评 2 分" in mismatch[0].message and "应得 3 分" in mismatch[0].message


def test_three_public_expenses_control_rate(evaluation: Evaluation) -> None:
    leaf = evaluation.leaf("三公经费控制率")
    # 1.17 / 2 × 100 = 58.5% ≤ 100% → 3 of 3.
    assert (leaf.value, leaf.score) == (D("58.5"), D(3))


def test_three_public_expenses_change_rate_uses_the_intended_rule(evaluation: Evaluation) -> None:
    leaf = evaluation.leaf("三公经费变动率")
    # (1.17 − 2.47) / 2.47 × 100 = −52.63%: a decrease; the intended rule gives the full 2 points
    # (the printed "为0，计5分" would exceed the weight).
    assert (leaf.value, leaf.score) == (D("-52.63"), D(2))
    assert "计5分" in (leaf.indicator.printed or "")
    assert leaf.indicator.note


def test_total_self_total_and_grade(evaluation: Evaluation) -> None:
    # Self-scores add to the document's 98; the computed total differs only by 公用经费控制率 (+1).
    assert evaluation.stated_self_total == D(98)
    assert evaluation.self_total == D(98)
    assert evaluation.total == D(99)
    assert evaluation.max == D(100)
    assert evaluation.complete
    assert evaluation.grade == "优"  # national bands: ≥ 90 is 优
    assert not [f for f in evaluation.flags if f.kind == "self_total_mismatch"]


def test_points_not_computed_from_data_are_marked(evaluation: Evaluation) -> None:
    computed = sorted(leaf.indicator.id for leaf in evaluation.leaves() if leaf.status == "scored")
    assert computed == sorted(["在职人员控制率", "三公经费变动率", "公用经费控制率", "三公经费控制率"])
    judged = [leaf for leaf in evaluation.leaves() if leaf.status == "judgment"]
    assert len(judged) == 24
    assert all("采用" in leaf.trace[-1] for leaf in judged)
    assessed = {f.path[-1] for f in evaluation.flags if f.kind == "assessed"}
    # Judgment-kind rules (效益, 满意度, 重点工作办结率) are judgments by design, not assessed gaps.
    assert "预算执行率" in assessed and "经济效益" not in assessed


def test_group_sums(evaluation: Evaluation) -> None:
    groups = {child.group.name: child for child in evaluation.children}  # type: ignore[union-attr]
    assert groups["投入"].score == D(20)
    assert groups["过程"].score == D(39)  # 预算执行 26 + 预算管理 7 + 资产管理 6
    assert groups["过程"].self_score == D(38)


def test_a_missing_input_is_named_once_with_its_description(evaluation: Evaluation) -> None:
    # The framework describes 预算数 as "预算数（财政部门批复的本年度部门预算数）": said as written, once.
    first = evaluation.leaf("预算执行率").trace[0]
    assert first == "缺少输入 “预算执行数”、“预算数（财政部门批复的本年度部门预算数）”，无法按数据计分"
