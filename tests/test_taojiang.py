"""桃江县 2021 部门整体 and 项目 frameworks: the document's own figures are the oracle.

Seed 000 (shared/seeds/000_1c76e0b3a7360773.txt): 附件2 部门整体 scoring table with its 自评得分
column (total 97, line 527), 附件3 report (staff and 三公经费 figures, lines 538 and 548–550),
附件5 项目 scoring table (total 95, line 1070). "line N" below is a line of that seed file; every
expected number is either read from such a line or worked by hand in the comment beside it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from evalcore import Evaluation, evaluate, load_data, loads_data

from .conftest import EXAMPLES
from .helpers import node, score_with, weights

D = Decimal

DEPT = "hunan.taojiang.dept.2021"
PROJECT = "hunan.taojiang.project.2021"






@pytest.fixture(scope="module")
def dept(registry) -> Evaluation:  # type: ignore[no-untyped-def]
    framework = registry.framework(DEPT)
    return evaluate(framework, load_data(EXAMPLES / "hunan" / "taojiang-dept-2021.toml", framework))


@pytest.fixture(scope="module")
def project(registry) -> Evaluation:  # type: ignore[no-untyped-def]
    framework = registry.framework(PROJECT)
    return evaluate(framework, load_data(EXAMPLES / "hunan" / "taojiang-project-2021.toml", framework))




# ---------------------------------------------------------------------------------------------
# 附件2 部门整体
# ---------------------------------------------------------------------------------------------


def test_dept_weights_as_printed(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(DEPT)
    assert framework.warnings == ()
    # 投入（10分）line 21–22, 过程（30分）line 131–133, 产出（30分）line 429–430, 效果（30分）line 483–484.
    assert weights(framework) == [("投入", D(10)), ("过程", D(30)), ("产出", D(30)), ("效果", D(30))]
    # 设定目标（7分）line 27, 预算配置（3分）line 101.
    assert weights(node(framework, "投入")) == [("设定目标", D(7)), ("预算配置", D(3))]
    # 预算执行（10分）line 138, 预算管理（15分）line 231, 资产管理（5分）line 377.
    assert weights(node(framework, "过程")) == [("预算执行", D(10)), ("预算管理", D(15)), ("资产管理", D(5))]
    assert weights(node(framework, "产出")) == [("职责履行", D(30))]  # line 435
    assert weights(node(framework, "效果")) == [("履职效益", D(30))]  # line 487
    # 三级指标 scored by rows are groups with their printed weight: 绩效目标合理性（3分）line 30,
    # 绩效指标明确性（4分）line 62; 制度管理（5分）/资金管理（5分）/绩效管理（3分）/信息公开（2分）
    # lines 233, 279, 326, 356; 资产管理安全性（3分）line 394.
    assert weights(node(framework, "投入", "设定目标")) == [("绩效目标合理性", D(3)), ("绩效指标明确性", D(4))]
    assert weights(node(framework, "过程", "预算管理")) == [("制度管理", D(5)), ("资金管理", D(5)), ("绩效管理", D(3)), ("信息公开", D(2))]
    assert node(framework, "过程", "资产管理", "资产管理安全性").weight == D(3)
    # 预算调整率（3分）line 154 is the only 3-point leaf under 预算执行; the other seven are 1 point each.
    assert [w for _, w in weights(node(framework, "过程", "预算执行"))] == [D(1), D(3), D(1), D(1), D(1), D(1), D(1), D(1)]
    # 实际完成率 10 / 完成及时率 10 / 质量达标率 5 / 重点工作办结率 5 (lines 441, 452, 464, 479).
    assert [w for _, w in weights(node(framework, "产出", "职责履行"))] == [D(10), D(10), D(5), D(5)]


def test_dept_rows_are_leaves_one_level_below_their_indicator(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(DEPT)
    rows = node(framework, "过程", "预算管理", "资金管理")
    # Five printed rows (lines 281, 290, 299, 308, 317), one point each.
    assert [leaf.id for leaf in rows.children] == [f"资金管理-{i}" for i in range(1, 6)]
    assert all(leaf.weight == D(1) and len(leaf.path) == 4 for leaf in rows.children)
    row3 = rows.children[2]
    assert row3.description == "3、重大开支是否经过评估论证；" and str(row3.source) == "桃江县 附件2 第299行"
    # 26 printed rows in 8 multi-row indicators + 20 single-row indicators = 46 leaves, 100 points.
    assert len(list(framework.leaves())) == 46
    assert sum((leaf.weight for leaf in framework.leaves()), D(0)) == D(100)


def test_dept_staff_control_rate(dept: Evaluation) -> None:
    leaf = dept.leaf("在职人员控制率")
    # 附件3 line 538: 编制 41, 实有 41 → 41 / 41 × 100 = 100%; "大于1的视情况扣分" does not apply → 1 of 1.
    assert (leaf.value, leaf.score, leaf.status) == (D(100), D(1), "scored")
    assert "41 / 41" in leaf.trace[0]


def test_dept_three_expenses_change_rate(dept: Evaluation) -> None:
    leaf = dept.leaf("三公经费变动率")
    # 2021 actual 10.84 (line 548); 2020 actual 10.84 + 0.02 + 0.01 = 10.87 (decreases on lines 548, 550).
    # (10.84 − 10.87) / 10.87 × 100 = −0.2759…% → −0.28%; "小于0的计1分" (line 116) → 1.
    assert (leaf.value, leaf.score, leaf.status) == (D("-0.28"), D(1), "scored")
    assert "(10.84 - 10.87) / 10.87" in leaf.trace[0]


def test_dept_three_expenses_control_rate_and_the_stated_90_33_percent(dept: Evaluation) -> None:
    leaf = dept.leaf("三公经费控制率")
    # 10.84 / 12 × 100 = 90.333…% → 90.33% ≤ 100%: "控制较好的计满分" → 1 of 1 (self 1, line 198).
    assert (leaf.value, leaf.score, leaf.status, leaf.self_score) == (D("90.33"), D(1), "scored", D(1))
    # The report's own "完成预算的90.33%" (line 548) and the other stated figures agree with the data:
    # 5.47 / 6 = 91.17%, 5.37 / 6 = 89.5%, 0.02 / 5.49 = 0.36%, 0.01 / 5.38 = 0.19%, 5.47 + 0 + 5.37 = 10.84,
    # 1223.97 + 32.59 + 109.7 = 1366.26 (lines 548–556).
    assert [f for f in dept.flags if f.kind == "stated_mismatch"] == []
    assert len(dept.data.checks) == 7
    assert dept.data.checks[0].stated == D("90.33")


def test_dept_total_is_97_with_the_two_blank_rows_not_scored(dept: Evaluation) -> None:
    # 总分 100, 自评 97 (lines 526–527); the computed total agrees: the 97 already counts the two blank
    # cells (投资评审执行率 line 219, 资金管理 row 3 line 301) as nothing, and 预算调整率 is 2 of 3.
    assert (dept.total, dept.max) == (D(97), D(100))
    assert dept.stated_self_total == D(97) and dept.self_total == D(97)
    assert not [f for f in dept.flags if f.kind in ("self_total_mismatch", "self_score_mismatch")]
    # Two rows have no self-score and no data: shown as not scored, so no grade is given (the report's
    # "良好" is not checked against an incomplete evaluation).
    assert not dept.complete and dept.grade is None
    assert [leaf.indicator.id for leaf in dept.missing] == ["投资评审执行率", "资金管理-3"]
    assert all(leaf.status == "missing" and leaf.score is None and leaf.self_score is None for leaf in dept.missing)
    missing = [f for f in dept.flags if f.kind == "missing_input"]
    assert [f.path for f in missing] == [("过程", "预算执行", "投资评审执行率"), ("过程", "预算管理", "资金管理", "重大开支论证")]
    assert not [f for f in dept.flags if f.kind == "stated_grade_mismatch"]


def test_dept_statuses(dept: Evaluation) -> None:
    by_status: dict[str, int] = {}
    for leaf in dept.leaves():
        by_status[leaf.status] = by_status.get(leaf.status, 0) + 1
    # 25 answered rows + 3 computed indicators; 2 blank; 16 assessed or judged (13 with a formula but no
    # data in the report, plus 经济效益 / 社会效益 / 生态效益 judged by design).
    assert by_status == {"scored": 28, "missing": 2, "judgment": 16}
    assessed = {f.path[-1] for f in dept.flags if f.kind == "assessed"}
    assert len(assessed) == 13 and "预算调整率" in assessed and "经济效益" not in assessed


def test_dept_group_sums(dept: Evaluation) -> None:
    groups = {child.group.name: child for child in dept.children}  # type: ignore[union-attr]
    # 投入 10 of 10; 过程 27 = 预算执行 8 (调整率 2 of 3, 投资评审 blank) + 预算管理 14 (资金管理 row 3 blank)
    # + 资产管理 5; 产出 30; 效果 30.
    assert [(name, g.score) for name, g in groups.items()] == [("投入", D(10)), ("过程", D(27)), ("产出", D(30)), ("效果", D(30))]
    process = {child.group.name: child.score for child in groups["过程"].children}  # type: ignore[union-attr]
    assert process == {"预算执行": D(8), "预算管理": D(14), "资产管理": D(5)}


@pytest.mark.parametrize(
    "staff, expected",
    [("41", (D(1), "scored")), ("40", (D(1), "scored")), ("42", (None, "missing"))],
)
def test_dept_staff_rate_over_quota_waits_for_a_judgment(registry, staff: str, expected: tuple[Decimal | None, str]) -> None:  # type: ignore[no-untyped-def]
    # 42 / 41 = 102.44% > 100%: "大于1的视情况扣分" — a judgment between 0 and 1, not a number.
    assert score_with(registry.framework(DEPT), "在职人员控制率", f'"编制数" = 41\n"在职人员数" = {staff}') == expected


def test_dept_staff_rate_judged(registry) -> None:  # type: ignore[no-untyped-def]
    inputs = '"编制数" = 41\n"在职人员数" = 42'
    entry = 'score = 0.5\nreason = "超编 1 人"'
    assert score_with(registry.framework(DEPT), "在职人员控制率", inputs, entry) == (D("0.5"), "judgment")


@pytest.mark.parametrize(
    "current, expected",
    [("10.84", D(1)), ("10.87", D("0.5")), ("10.9", D(0))],
)
def test_dept_three_expenses_change_sign(registry, current: str, expected: Decimal) -> None:  # type: ignore[no-untyped-def]
    # Line 116: "大于0的计0分，等于0的计0.5分，小于0的计1分" against last year's 10.87.
    inputs = f'"本年三公经费" = {current}\n"上年三公经费" = 10.87\n"编制数" = 41\n"在职人员数" = 41\n"三公经费预算数" = 12'
    assert score_with(registry.framework(DEPT), "三公经费变动率", inputs) == (expected, "scored")


@pytest.mark.parametrize("key, planned", [("60", D(1)), ("59.99", D(0)), ("100", D(1))])
def test_dept_key_spending_bands(registry, key: str, planned: Decimal) -> None:  # type: ignore[no-untyped-def]
    # Line 126: "60%及以上计1分，60%以下的不计分" (重点项目支出 / 项目总支出 × 100 on a total of 100).
    inputs = f'"重点项目支出" = {key}\n"项目总支出" = 100'
    assert score_with(registry.framework(DEPT), "重点支出安排率", inputs) == (planned, "scored")


@pytest.mark.parametrize("done, expected", [("100", D(1)), ("90", D("0.9")), ("120", D(1))])
def test_dept_budget_completion_pro_rata(registry, done: str, expected: Decimal) -> None:  # type: ignore[no-untyped-def]
    # Line 145: "按比例计分" — 1 × 90 / 100 = 0.9; above 100% stays at the weight.
    inputs = f'"预算完成数" = {done}\n"预算数" = 100'
    assert score_with(registry.framework(DEPT), "预算完成率", inputs) == (expected, "scored")


@pytest.mark.parametrize("rate, expected", [("95", D(5)), ("94.99", D(3)), ("80", D(3)), ("79.99", D(0))])
def test_dept_satisfaction_bands(registry, rate: str, expected: Decimal) -> None:  # type: ignore[no-untyped-def]
    # Line 520: "95%及以上计5分，80%（含）——95%（不含) 3分，80%以下不计分".
    assert score_with(registry.framework(DEPT), "服务对象满意度", f'"满意度" = {rate}') == (expected, "scored")


def test_dept_budget_adjustment_full_only_without_adjustment(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(DEPT)
    # Line 156: "无调整的计满分，有调整的视情扣分".
    assert score_with(framework, "预算调整率", '"预算调整数" = 0\n"预算数" = 100') == (D(3), "scored")
    assert score_with(framework, "预算调整率", '"预算调整数" = 5\n"预算数" = 100') == (None, "missing")


# ---------------------------------------------------------------------------------------------
# 附件5 项目
# ---------------------------------------------------------------------------------------------


def test_project_weights_as_printed(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(PROJECT)
    assert framework.warnings == ()
    # 投入（15分）line 592–594, 过程（25分）line 751–752, 产出（30分）line 961–962, 效果（30分）line 1011–1012.
    assert weights(framework) == [("投入", D(15)), ("过程", D(25)), ("产出", D(30)), ("效果", D(30))]
    # 项目立项（13分）line 597, 资金落实（2分）line 730; 项目管理（13分）line 755, 财务管理（12分）line 843.
    assert weights(node(framework, "投入")) == [("项目立项", D(13)), ("资金落实", D(2))]
    assert weights(node(framework, "过程")) == [("项目管理", D(13)), ("财务管理", D(12))]
    assert weights(node(framework, "投入", "项目立项")) == [("立项规范性", D(3)), ("绩效目标合理性", D(5)), ("绩效指标明确性", D(5))]
    assert weights(node(framework, "过程", "项目管理")) == [("制度健全性", D(2)), ("制度执行有效性", D(8)), ("项目质量", D(3))]
    assert weights(node(framework, "过程", "财务管理")) == [("财务制度", D(2)), ("资金管理", D(7)), ("财务监控", D(3))]
    # 制度执行有效性（8分）: rows of 1, 5, 1, 1 points (lines 780, 789, 798, 807).
    assert [w for _, w in weights(node(framework, "过程", "项目管理", "制度执行有效性"))] == [D(1), D(5), D(1), D(1)]
    # 计划完成率 10 / 完成及时率 5 / 质量达标率 5 / 成本节约率 10 (lines 971, 982, 996, 1007).
    assert [w for _, w in weights(node(framework, "产出", "项目产出"))] == [D(10), D(5), D(5), D(10)]
    # 经济 5 / 社会 5 / 生态 5 / 可持续影响 10 / 满意度 5 (lines 1021, 1032, 1043, 1055, 1064).
    assert [w for _, w in weights(node(framework, "效果", "项目效益"))] == [D(5), D(5), D(5), D(10), D(5)]
    assert len(list(framework.leaves())) == 45


def test_project_total_is_95_with_two_blank_rows(project: Evaluation) -> None:
    # 总分 100, 自评 95 (lines 1069–1070). Deductions in the self-score column: 制度健全性 row 1 0.5 of 1
    # (line 763), 项目质量 row 2 0.5 of 1 (line 828), 计划完成率 9 of 10 (line 972), 质量达标率 4 of 5
    # (line 997) = 3 points; the two blank cells (lines 799, 874) are the other 2.
    assert (project.total, project.max) == (D(95), D(100))
    assert project.stated_self_total == D(95) and project.self_total == D(95)
    assert not [f for f in project.flags if f.kind in ("self_total_mismatch", "self_score_mismatch", "stated_mismatch")]
    assert not project.complete and project.grade is None
    assert [leaf.indicator.id for leaf in project.missing] == ["制度执行有效性-3", "资金管理-1"]
    assert [f.path[-1] for f in project.flags if f.kind == "missing_input"] == ["资料齐全归档", "财政投资评审"]
    assert project.data.project == "县财政对城乡居民养老保险基础养老金补助和缴费补助"


def test_project_partial_rows(project: Evaluation) -> None:
    for key in ("制度健全性-1", "项目质量-2"):
        leaf = project.leaf(key)
        # A 1-point row self-scored 0.5: the single checkpoint partly met.
        assert (leaf.score, leaf.status, leaf.self_score) == (D("0.5"), "scored", D("0.5"))
    assert project.leaf("制度执行有效性-2").score == D(5)  # the 5-point row, line 789–790


def test_project_statuses(project: Evaluation) -> None:
    by_status: dict[str, int] = {}
    for leaf in project.leaves():
        by_status[leaf.status] = by_status.get(leaf.status, 0) + 1
    # 45 leaves: 34 printed rows (3 + 5 + 5 + 2 + 4 + 3 + 2 + 7 + 3), of which 32 answered and 2 blank;
    # 11 single-row indicators: 7 with a formula but no data in the report + 4 benefit judgments.
    assert by_status == {"scored": 32, "missing": 2, "judgment": 11}


@pytest.mark.parametrize(
    "actual, expected",
    [("90", (D(10), "scored")), ("100", (D(9), "scored")), ("110", (None, "missing"))],
)
def test_project_cost_saving_sign(registry, actual: str, expected: tuple[Decimal | None, str]) -> None:  # type: ignore[no-untyped-def]
    # Line 1006: "大于0计10分，等于0计9分，小于0计0—5分": (100 − 90) / 100 = 10% > 0 → 10;
    # 0% → 9; (100 − 110) / 100 = −10% → a judgment between 0 and 5, not yet entered.
    inputs = f'"计划成本" = 100\n"实际成本" = {actual}'
    assert score_with(registry.framework(PROJECT), "成本节约率", inputs) == expected


def test_project_cost_overrun_judgment_is_bounded(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(PROJECT)
    inputs = '"计划成本" = 100\n"实际成本" = 110'
    assert score_with(framework, "成本节约率", inputs, 'score = 3\nreason = "超支 10%"') == (D(3), "judgment")
    assert score_with(framework, "成本节约率", inputs, 'score = 6\nreason = "超支 10%"') == (None, "error")


def test_project_pro_rata_trace_shows_the_rounded_points_it_used(registry) -> None:  # type: ignore[no-untyped-def]
    # Line 970: 计划完成率 "按比例计分", 10 分: 7708 / 10000 = 77.08%; 10 × 77.08 / 100 = 7.708 → 7.71
    # (the framework rounds scores to 2 places, 四舍五入). The step that gives the points says both.
    framework = registry.framework(PROJECT)
    text = f'framework = "{PROJECT}"\n[inputs]\n"实际产出数" = 7708\n"计划产出数" = 10000\n'
    leaf = evaluate(framework, loads_data(text, framework)).leaf("计划完成率")
    assert leaf.score == D("7.71")
    assert leaf.trace[-1] == "按比例计分：10 × 77.08 / 100 = 7.708，按保留 2 位小数（四舍五入）计 7.71 分"
    assert leaf.reason == leaf.trace[-1]
    # No rounding needed, no rounding said: 7700 / 10000 → 10 × 77 / 100 = 7.7.
    text = text.replace("7708", "7700")
    assert evaluate(framework, loads_data(text, framework)).leaf("计划完成率").trace[-1] == "按比例计分：10 × 77 / 100 = 7.7 分"


def test_project_subsidy_check(project: Evaluation) -> None:
    # 附件6 line 1086: 243.36 + 980.61 = 1223.97 万元, as 附件3 line 556 states.
    assert project.data.checks[0].stated == D("1223.97")
    assert not [f for f in project.flags if f.path[:1] == ("数据核对",)]


def test_a_missing_input_is_named_by_the_key_to_type(project: Evaluation) -> None:
    # 计划产出数 is described as "计划产出数量": the key comes first, so the officer knows what to type.
    first = project.leaf("计划完成率").trace[0]
    assert "“计划产出数（计划产出数量）”" in first
