"""鹤城区 2020 预算支出（项目）framework: the document's own figures are the oracle.

Seed 003 (shared/seeds/003_3947c5881660c658.txt), 附件4-1 (lines 464–675): the framework, its 自评分
column (items add to 95) and its stated total 98 (line 675). "line N" below is a line of that seed
file; every expected number is read from such a line or worked by hand in the comment beside it.

Also the two "printed" fixtures (tests/fixtures/printed/): the 鹤城 frameworks exactly as printed,
defects included, which must still load so that the framework checker can analyse them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from evalcore import Evaluation, evaluate, load_data, load_framework, loads_data

from .conftest import EXAMPLES, ROOT
from .helpers import node, score_with, weights

D = Decimal

FRAMEWORK = "hunan.hecheng.project.2020"
PRINTED = ROOT / "tests" / "fixtures" / "printed"






@pytest.fixture(scope="module")
def evaluation(registry) -> Evaluation:  # type: ignore[no-untyped-def]
    framework = registry.framework(FRAMEWORK)
    return evaluate(framework, load_data(EXAMPLES / "hunan" / "hecheng-project-2020.toml", framework))




def test_weights_as_printed_with_the_two_evident_corrections(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(FRAMEWORK)
    assert framework.warnings == ()
    # 决策（10）line 477, 过程（20）line 552, 产出（40）line 609, 效益（30）line 653.
    assert weights(framework) == [("决策", D(10)), ("过程", D(20)), ("产出", D(40)), ("效益", D(30))]
    # (4) line 479, (3) line 504, (3) line 528.
    assert weights(node(framework, "决策")) == [("预算支出决策（项目立项）", D(4)), ("绩效目标", D(3)), ("资金投入", D(3))]
    # 资金管理（10）line 554, 组织实施（10）line 587.
    assert weights(node(framework, "过程")) == [("资金管理", D(10)), ("组织实施", D(10))]
    # 资金到位率 3 (line 557), 预算执行率 3 (line 567), 资金使用合规性 printed "（1分）" (line 576) but four
    # checkpoints at 1 point each (lines 577–582): 4, so that 3 + 3 + 4 = 资金管理 10.
    assert weights(node(framework, "过程", "资金管理")) == [("资金到位率", D(3)), ("预算执行率", D(3)), ("资金使用合规性", D(4))]
    # Each 产出 二级 (10) holds one 10-point leaf (lines 610–645).
    assert weights(node(framework, "产出")) == [("产出数量", D(10)), ("产出质量", D(10)), ("产出时效", D(10)), ("产出成本", D(10))]
    # 预算支出效益 printed "（10）" (line 655) holds 实施效益（20分）+ 满意度（10分）: 30.
    assert weights(node(framework, "效益")) == [("预算支出效益", D(30))]
    assert weights(node(framework, "效益", "预算支出效益")) == [("实施效益", D(20)), ("社会公众或服务对象满意度", D(10))]
    assert len(list(framework.leaves())) == 17
    assert sum((leaf.weight for leaf in framework.leaves()), D(0)) == D(100)


def test_corrections_keep_the_printed_text_and_say_why(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(FRAMEWORK)
    leaves = {leaf.id: leaf for leaf in framework.leaves()}
    assert "（1分）" in (leaves["资金使用合规性"].note or "")
    assert leaves["完成及时性"].printed == "达到绩效目标完成时间计5分，超过30%的不计分。"  # line 635
    assert leaves["实施效益"].printed == "达到绩效目标完成时间计5分，少于60%的不计分。"  # line 657
    assert leaves["成本节约率"].printed == "100%计满分，每下降5个百分点扣2分，扣完为止。"  # line 645
    for key in ("资金使用合规性", "完成及时性", "实施效益", "成本节约率"):
        assert leaves[key].note and "原文" in leaves[key].note
    assert all(leaf.source is not None for leaf in framework.leaves())


def test_total_95_against_the_stated_98(evaluation: Evaluation) -> None:
    # 自评分 column, lines 489–668: 2+2+2+1+2+1 (决策 10) + 3+2+1+4+5 (过程 15) + 10+10+10+10 (产出 40)
    # + 20+10 (效益 30) = 95; the 合计 cell (line 675) says 98.
    assert evaluation.total == D(95)
    assert evaluation.max == D(100)
    assert evaluation.self_total == D(95)
    assert evaluation.stated_self_total == D(98)
    mismatch = [f for f in evaluation.flags if f.kind == "self_total_mismatch"]
    assert len(mismatch) == 1
    assert "98" in mismatch[0].message and "95" in mismatch[0].message
    # Every indicator is scored (from the self-score, with a reason), so the evaluation is complete and
    # the national bands give 优 for 95.
    assert evaluation.complete and evaluation.grade == "优"
    assert not [f for f in evaluation.flags if f.kind == "self_score_mismatch"]


def test_statuses_and_groups(evaluation: Evaluation) -> None:
    # No data is printed beside 附件4-1: 16 indicators take the self-score as an assessed score;
    # 实施效益 is a judgment by design.
    assert {leaf.status for leaf in evaluation.leaves()} == {"judgment"}
    assessed = [f.path[-1] for f in evaluation.flags if f.kind == "assessed"]
    assert len(assessed) == 16 and "实施效益" not in assessed
    groups = {child.group.name: (child.score, child.self_score) for child in evaluation.children}  # type: ignore[union-attr]
    assert groups == {"决策": (D(10), D(10)), "过程": (D(15), D(15)), "产出": (D(40), D(40)), "效益": (D(30), D(30))}
    # 资金使用合规性 self-scored 1 (line 583): full marks on the printed 1-point weight, 1 of 4 here.
    leaf = evaluation.leaf("资金使用合规性")
    assert (leaf.score, leaf.weight) == (D(1), D(4))


@pytest.mark.parametrize(
    "arrived, expected",
    [("100", D(3)), ("95.01", D(3)), ("95", D(2)), ("85", D(0))],
)
def test_funds_arrival_rate(registry, arrived: str, expected: Decimal) -> None:  # type: ignore[no-untyped-def]
    # Line 558: "100%计满分，每下降5个百分点扣1分，扣完为止": 95% is one whole step (−1), 85% three (−3 → 0).
    inputs = f'"实际到位资金" = {arrived}\n"预算资金" = 100'
    assert score_with(registry.framework(FRAMEWORK), "资金到位率", inputs) == (expected, "scored")


@pytest.mark.parametrize(
    "actual, expected",
    [("12", (D(10), "scored")), ("10", (D(10), "scored")), ("13", (None, "missing")), ("15.6", (None, "missing")), ("15.61", (D(0), "scored"))],
)
def test_timeliness_full_marks_on_time(registry, actual: str, expected: tuple[Decimal | None, str]) -> None:  # type: ignore[no-untyped-def]
    # Planned 12 months. On time or early → 10 (printed "计5分", evidently full marks); (13 − 12) / 12 =
    # 8.33% late → a judgment; (15.6 − 12) / 12 = 30% exactly → still a judgment; 15.61 → 30.08% > 30% → 0.
    inputs = f'"计划完成时间" = 12\n"实际完成时间" = {actual}'
    assert score_with(registry.framework(FRAMEWORK), "完成及时性", inputs) == expected


@pytest.mark.parametrize(
    "actual, expected",
    [("100", D(10)), ("90", D(10)), ("104.99", D(10)), ("105", D(8)), ("125", D(0))],
)
def test_cost_saving_rate_as_intended(registry, actual: str, expected: Decimal) -> None:  # type: ignore[no-untyped-def]
    # Planned cost 100. Saving ≥ 0% → 10; (100 − 105) / 100 = −5%: one step of 5 points → −2 → 8;
    # −4.99% is no whole step → 10; −25% is five steps → −10 → 0. (Printed "100%计满分" would give 0 at 0%.)
    inputs = f'"计划成本" = 100\n"实际成本" = {actual}'
    assert score_with(registry.framework(FRAMEWORK), "成本节约率", inputs) == (expected, "scored")


@pytest.mark.parametrize("rate, expected", [("100", D(10)), ("95.01", D(10)), ("95", D(8)), ("80", D(2)), ("75", D(0))])
def test_satisfaction(registry, rate: str, expected: Decimal) -> None:  # type: ignore[no-untyped-def]
    # Line 666: "100%计满分，每下降五个百分点扣2分": 95% → −2 → 8; 80% → −8 → 2; 75% → −10 → 0.
    assert score_with(registry.framework(FRAMEWORK), "服务对象满意度", f'"满意度" = {rate}') == (expected, "scored")


def test_compliance_checkpoints_deduct_one_each(registry) -> None:  # type: ignore[no-untyped-def]
    # Line 577: "每缺一项扣1分，扣完为止" on four checkpoints of the corrected 4-point weight.
    entry = "checkpoints = [true, false, true, true]"
    assert score_with(registry.framework(FRAMEWORK), "资金使用合规性", "", entry) == (D(3), "scored")


# ---------------------------------------------------------------------------------------------
# The printed versions (test fixtures for the framework checker)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(PRINTED.glob("*.toml")), ids=lambda p: p.name)
def test_printed_fixture_loads(path: Path) -> None:
    framework = load_framework(path)
    assert framework.id.startswith("printed.hunan.hecheng.")
    assert all(leaf.source is not None and leaf.printed for leaf in framework.leaves() if leaf.rule.kind != "judgment")


def test_printed_dept_keeps_the_printed_defects() -> None:
    framework = load_framework(PRINTED / "hecheng-dept-2020.toml")
    assert framework.id == "printed.hunan.hecheng.dept.2020"
    assert framework.warnings == ()  # its weights add up; its defects are in the rules
    base = '"编制数" = 37\n"在职人员数" = 31\n"三公经费预算数" = 2\n"公用经费预算数" = 1\n"公用经费决算数" = 1\n'
    # "“三公经费”变动率为0，计5分" (line 50) on a 2-point indicator: a rule defect, not a score.
    data = f'framework = "{framework.id}"\n[inputs]\n{base}"本年三公经费" = 2\n"上年三公经费" = 2\n'
    leaf = evaluate(framework, loads_data(data, framework)).leaf("三公经费变动率")
    assert (leaf.score, leaf.status) == (None, "error")
    # A decrease (1.17 vs 2.47, 附件2 lines 324–326) falls in no printed band.
    data = f'framework = "{framework.id}"\n[inputs]\n{base}"本年三公经费" = 1.17\n"上年三公经费" = 2.47\n'
    assert evaluate(framework, loads_data(data, framework)).leaf("三公经费变动率").status == "error"
    # "＞50%，计2分，每下降一个百分点扣0.5分" (line 59): exactly 50% is undefined; 49% is one step down.
    for key, expected in (("50", (None, "error")), ("50.01", (D(2), "scored")), ("49", (D("1.5"), "scored"))):
        data = f'framework = "{framework.id}"\n[inputs]\n{base}"重点预算支出" = {key}\n"预算总支出" = 100\n'
        result = evaluate(framework, loads_data(data, framework)).leaf("重点支出安排率")
        assert (result.score, result.status) == expected
    # "100%计满分，每超过1%扣1分" (lines 229, 251): over-completion is penalised, as printed.
    rules = {leaf.id: leaf.rule for leaf in framework.leaves()}
    assert rules["实际完成率"].direction == "over" and rules["质量达标率"].direction == "over"  # type: ignore[attr-defined]
    assert rules["完成及时率"].direction == "over"  # type: ignore[attr-defined]
    assert rules["预算调整率"].direction == "under" and rules["预算调整率"].threshold == D(100)  # type: ignore[attr-defined]


def test_printed_project_keeps_the_printed_weights() -> None:
    framework = load_framework(PRINTED / "hecheng-project-2020.toml")
    assert framework.id == "printed.hunan.hecheng.project.2020"
    # 资金管理（10）holds 3 + 3 + 1; 预算支出效益（10）holds 20 + 10; 效益（30）holds that 10; leaves add to 97.
    assert len(framework.warnings) == 4
    assert any("资金管理" in w and "合计 7" in w for w in framework.warnings)
    assert any("预算支出效益" in w and "声明分值 10" in w and "合计 30" in w for w in framework.warnings)
    assert any("合计 97" in w and "总分 100" in w for w in framework.warnings)
    assert node(framework, "过程", "资金管理", "资金使用合规性").weight == D(1)
    # 完成及时性 as printed: on time gives 5 of 10; up to 30% late is undefined.
    for actual, expected in (("12", (D(5), "scored")), ("13", (None, "error")), ("16", (D(0), "scored"))):
        data = f'framework = "{framework.id}"\n[inputs]\n"计划完成时间" = 12\n"实际完成时间" = {actual}\n'
        leaf = evaluate(framework, loads_data(data, framework)).leaf("完成及时性")
        assert (leaf.score, leaf.status) == expected
    # 成本节约率 as printed: "100%计满分" — spending exactly the planned cost (0% saved) scores 0.
    data = f'framework = "{framework.id}"\n[inputs]\n"计划成本" = 100\n"实际成本" = 100\n'
    assert evaluate(framework, loads_data(data, framework)).leaf("成本节约率").score == D(0)
