"""Every boundary of every shipped framework's thresholds, bands, signs and tiers: the value at the
boundary and just beside it, each score worked by hand from the printed rule (quoted), each end
included or excluded exactly as printed or, where the print is silent, as the framework declares
(its `note`, or the tiers' comment in the ruleset)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evalcore import evaluate, get_registry, loads_data

REGISTRY = get_registry()
D = Decimal

HECHENG = "hunan.hecheng.dept.2020"
HECHENG_PROJECT = "hunan.hecheng.project.2020"
TAOJIANG = "hunan.taojiang.dept.2021"
TAOJIANG_PROJECT = "hunan.taojiang.project.2021"

# (framework, indicator, inputs as "name = value" lines, expected score)
CASES = [
    # 鹤城 在职人员控制率（2分）“在职人员控制率≤100%，计2分；每超过一个百分点扣0.5分，扣完为止。”
    (HECHENG, "在职人员控制率", '"编制数" = 100\n"在职人员数" = 100', "2"),
    (HECHENG, "在职人员控制率", '"编制数" = 200\n"在职人员数" = 201', "2"),  # 100.5%: not a whole point over
    (HECHENG, "在职人员控制率", '"编制数" = 100\n"在职人员数" = 101', "1.5"),
    (HECHENG, "在职人员控制率", '"编制数" = 100\n"在职人员数" = 104', "0"),
    (HECHENG, "在职人员控制率", '"编制数" = 100\n"在职人员数" = 105', "0"),  # 扣完为止
    # 鹤城 “三公经费”变动率（2分）encoded: 0% or less full marks, each whole point over 1 分 (note: 原文“为0计5分”)
    (HECHENG, "三公经费变动率", '"本年三公经费" = 100\n"上年三公经费" = 100', "2"),
    (HECHENG, "三公经费变动率", '"本年三公经费" = 100.5\n"上年三公经费" = 100', "2"),
    (HECHENG, "三公经费变动率", '"本年三公经费" = 101\n"上年三公经费" = 100', "1"),
    (HECHENG, "三公经费变动率", '"本年三公经费" = 102\n"上年三公经费" = 100', "0"),
    (HECHENG, "三公经费变动率", '"本年三公经费" = 99\n"上年三公经费" = 100', "2"),
    # 鹤城 重点支出安排率（2分）“＞50%，计2分，每下降一个百分点扣0.5分” — 50% itself declared full (note)
    (HECHENG, "重点支出安排率", '"重点预算支出" = 50\n"预算总支出" = 100', "2"),
    (HECHENG, "重点支出安排率", '"重点预算支出" = 49.5\n"预算总支出" = 100', "2"),
    (HECHENG, "重点支出安排率", '"重点预算支出" = 49\n"预算总支出" = 100', "1.5"),
    (HECHENG, "重点支出安排率", '"重点预算支出" = 46\n"预算总支出" = 100', "0"),
    # 鹤城 预算执行率（5分）“100%计满分，每低于1%扣1分，扣完为止。”
    (HECHENG, "预算执行率", '"预算执行数" = 100\n"预算数" = 100', "5"),
    (HECHENG, "预算执行率", '"预算执行数" = 99.5\n"预算数" = 100', "5"),
    (HECHENG, "预算执行率", '"预算执行数" = 99\n"预算数" = 100', "4"),
    (HECHENG, "预算执行率", '"预算执行数" = 95\n"预算数" = 100', "0"),
    # 鹤城 预算调整率（3分）encoded (note): 0% full marks, each whole 5 points over 1 分
    (HECHENG, "预算调整率", '"预算调整数" = 0\n"预算数" = 100', "3"),
    (HECHENG, "预算调整率", '"预算调整数" = 4.99\n"预算数" = 100', "3"),
    (HECHENG, "预算调整率", '"预算调整数" = 5\n"预算数" = 100', "2"),
    (HECHENG, "预算调整率", '"预算调整数" = 15\n"预算数" = 100', "0"),
    # 鹤城 支付进度率（3分）“100%计满分，每低于5%扣1分，扣完为止。”
    (HECHENG, "支付进度率", '"实际支付进度" = "100%"\n"既定支付进度" = "100%"', "3"),
    (HECHENG, "支付进度率", '"实际支付进度" = "95.01%"\n"既定支付进度" = "100%"', "3"),
    (HECHENG, "支付进度率", '"实际支付进度" = "95%"\n"既定支付进度" = "100%"', "2"),
    (HECHENG, "支付进度率", '"实际支付进度" = "85%"\n"既定支付进度" = "100%"', "0"),
    # 鹤城 结转结余率（3分）“0%计满分，每超过5%扣1分，扣完为止。”
    (HECHENG, "结转结余率", '"结转结余总额" = 0\n"支出预算数" = 100', "3"),
    (HECHENG, "结转结余率", '"结转结余总额" = 5\n"支出预算数" = 100', "2"),
    (HECHENG, "结转结余率", '"结转结余总额" = 14.99\n"支出预算数" = 100', "1"),
    (HECHENG, "结转结余率", '"结转结余总额" = 15\n"支出预算数" = 100', "0"),
    # 鹤城 结转结余变动率（3分）“0%计满分，每超过5%扣1分，扣完为止。”
    (HECHENG, "结转结余变动率", '"结转结余总额" = 100\n"上年结转结余总额" = 100', "3"),
    (HECHENG, "结转结余变动率", '"结转结余总额" = 105\n"上年结转结余总额" = 100', "2"),
    (HECHENG, "结转结余变动率", '"结转结余总额" = 90\n"上年结转结余总额" = 100', "3"),
    # 鹤城 公用经费控制率、“三公经费”控制率（3分）“100%以下（含）计满分，每超出1%扣1分，扣完为止。”
    (HECHENG, "公用经费控制率", '"公用经费决算数" = 100\n"公用经费预算数" = 100', "3"),
    (HECHENG, "公用经费控制率", '"公用经费决算数" = 101\n"公用经费预算数" = 100', "2"),
    (HECHENG, "公用经费控制率", '"公用经费决算数" = 103\n"公用经费预算数" = 100', "0"),
    (HECHENG, "三公经费控制率", '"本年三公经费" = 100\n"三公经费预算数" = 100', "3"),
    (HECHENG, "三公经费控制率", '"本年三公经费" = 100.99\n"三公经费预算数" = 100', "3"),
    (HECHENG, "三公经费控制率", '"本年三公经费" = 101\n"三公经费预算数" = 100', "2"),
    # 鹤城 政府采购执行率（3分）“100%计满分，每超过（降低）5%扣1分，扣完为止。”
    (HECHENG, "政府采购执行率", '"政府采购金额" = 100\n"政府采购预算数" = 100', "3"),
    (HECHENG, "政府采购执行率", '"政府采购金额" = 95\n"政府采购预算数" = 100', "2"),
    (HECHENG, "政府采购执行率", '"政府采购金额" = 105\n"政府采购预算数" = 100', "2"),
    (HECHENG, "政府采购执行率", '"政府采购金额" = 85\n"政府采购预算数" = 100', "0"),
    # 鹤城 固定资产利用率（2分）“100%计满分，每降低5%扣1分，扣完为止。”
    (HECHENG, "固定资产利用率", '"在用固定资产总额" = 95\n"固定资产总额" = 100', "1"),
    (HECHENG, "固定资产利用率", '"在用固定资产总额" = 90\n"固定资产总额" = 100', "0"),
    # 鹤城 实际完成率（5分）encoded (note): each point below 100% 1 分
    (HECHENG, "实际完成率", '"实际完成工作数" = 96\n"计划工作数" = 100', "1"),
    (HECHENG, "实际完成率", '"实际完成工作数" = 95\n"计划工作数" = 100', "0"),
    # 鹤城 项目 资金到位率（3分）“资金到位率100%计满分，每下降5个百分点扣1分，扣完为止。”
    (HECHENG_PROJECT, "资金到位率", '"实际到位资金" = 95\n"预算资金" = 100', "2"),
    (HECHENG_PROJECT, "资金到位率", '"实际到位资金" = 85\n"预算资金" = 100', "0"),
    # 鹤城 项目 成本节约率（10分）encoded (note): savings of 0% or more full, each 5 points of overrun 2 分
    (HECHENG_PROJECT, "成本节约率", '"计划成本" = 100\n"实际成本" = 100', "10"),
    (HECHENG_PROJECT, "成本节约率", '"计划成本" = 100\n"实际成本" = 105', "8"),
    (HECHENG_PROJECT, "成本节约率", '"计划成本" = 100\n"实际成本" = 125', "0"),
    # 鹤城 项目 完成及时性（10分）encoded (note): on time full marks, over 30% nothing
    (HECHENG_PROJECT, "完成及时性", '"实际完成时间" = 100\n"计划完成时间" = 100', "10"),
    (HECHENG_PROJECT, "完成及时性", '"实际完成时间" = 131\n"计划完成时间" = 100', "0"),
    # 鹤城 项目 服务对象满意度（10分）“100%计满分，每下降五个百分点扣2分，扣完为止。”
    (HECHENG_PROJECT, "服务对象满意度", '"满意度" = "95%"', "8"),
    (HECHENG_PROJECT, "服务对象满意度", '"满意度" = "75%"', "0"),
    # 桃江 “三公经费”变动率（1分）“大于0的计0分，等于0的计0.5分，小于0的计1分。”
    (TAOJIANG, "三公经费变动率", '"本年三公经费" = 100\n"上年三公经费" = 100', "0.5"),
    (TAOJIANG, "三公经费变动率", '"本年三公经费" = 100.01\n"上年三公经费" = 100', "0"),
    (TAOJIANG, "三公经费变动率", '"本年三公经费" = 99.99\n"上年三公经费" = 100', "1"),
    # 桃江 重点支出安排率（1分）“60%及以上计1分，60%以下的不计分。”
    (TAOJIANG, "重点支出安排率", '"重点项目支出" = 60\n"项目总支出" = 100', "1"),
    (TAOJIANG, "重点支出安排率", '"重点项目支出" = 59.99\n"项目总支出" = 100', "0"),
    # 桃江 预算完成率（1分）“按比例计分。”
    (TAOJIANG, "预算完成率", '"预算完成数" = 80\n"预算数" = 100', "0.8"),
    (TAOJIANG, "预算完成率", '"预算完成数" = 110\n"预算数" = 100', "1"),
    # 桃江 重点支出… 服务对象满意度（5分）“95%及以上计5分，80%（含）——95%（不含) 3分，80%以下不计分。”
    (TAOJIANG, "服务对象满意度", '"满意度" = "95%"', "5"),
    (TAOJIANG, "服务对象满意度", '"满意度" = "94.99%"', "3"),
    (TAOJIANG, "服务对象满意度", '"满意度" = "80%"', "3"),
    (TAOJIANG, "服务对象满意度", '"满意度" = "79.99%"', "0"),
    # 桃江 项目 成本节约率（10分）“大于0计10分，等于0计9分，小于0计0—5分。”
    (TAOJIANG_PROJECT, "成本节约率", '"计划成本" = 100\n"实际成本" = 99.99', "10"),
    (TAOJIANG_PROJECT, "成本节约率", '"计划成本" = 100\n"实际成本" = 100', "9"),
    # 桃江 项目 服务对象满意度（5分）same printed bands as 桃江 部门
    (TAOJIANG_PROJECT, "服务对象满意度", '"满意度" = "95%"', "5"),
    (TAOJIANG_PROJECT, "服务对象满意度", '"满意度" = "80%"', "3"),
    (TAOJIANG_PROJECT, "服务对象满意度", '"满意度" = "79.99%"', "0"),
]


@pytest.mark.parametrize(("framework_id", "indicator", "inputs", "expected"), CASES, ids=[f"{c[1]}[{c[2].splitlines()[-1]}]" for c in CASES])
def test_boundary(framework_id: str, indicator: str, inputs: str, expected: str) -> None:
    framework = REGISTRY.framework(framework_id)
    data = loads_data(f'framework = "{framework_id}"\n[inputs]\n{inputs}\n', framework)
    leaf = evaluate(framework, data).leaf(indicator)
    assert leaf.score == D(expected), leaf.trace


# Judgment branches at their boundaries: the evaluator's score is taken within the branch only.
JUDGED = [
    # 桃江 在职人员控制率（1分）“大于1的视情况扣分”: exactly 100% is full marks, above it judged 0–1.
    (TAOJIANG, "在职人员控制率", '"编制数" = 100\n"在职人员数" = 100', None, "scored", "1"),
    (TAOJIANG, "在职人员控制率", '"编制数" = 100\n"在职人员数" = 101', "0.5", "judgment", "0.5"),
    # 鹤城 项目 完成及时性: 30% late is still judged (0–10); 30.01% is not scored at all.
    (HECHENG_PROJECT, "完成及时性", '"实际完成时间" = 130\n"计划完成时间" = 100', "6", "judgment", "6"),
    # 桃江 项目 成本节约率 below 0 is judged within 0–5: 6 is refused.
    (TAOJIANG_PROJECT, "成本节约率", '"计划成本" = 100\n"实际成本" = 101', "5", "judgment", "5"),
    (TAOJIANG_PROJECT, "成本节约率", '"计划成本" = 100\n"实际成本" = 101', "6", "error", None),
]


@pytest.mark.parametrize(("framework_id", "indicator", "inputs", "score", "status", "expected"), JUDGED)
def test_judged_boundary(framework_id: str, indicator: str, inputs: str, score: str | None, status: str, expected: str | None) -> None:
    framework = REGISTRY.framework(framework_id)
    entry = f'\n[indicators."{indicator}"]\nscore = {score}\nreason = "评价人评定"\n' if score is not None else ""
    data = loads_data(f'framework = "{framework_id}"\n[inputs]\n{inputs}\n{entry}', framework)
    leaf = evaluate(framework, data).leaf(indicator)
    assert (leaf.status, leaf.score) == (status, None if expected is None else D(expected)), leaf.trace


FORM = """framework = "{framework}"
year = {year}
[budget]
"{divisor}" = 100
"执行数" = 100
[[targets]]
path = ["效益指标", "社会效益指标", "政策知晓率"]
target = "稳步提升"
actual = "有所提升"
weight = 10
tier = "{tier}"
score = {score}
reason = "评价人评定"
"""


# The national tiers (财预〔2020〕10号): 达成 100%–80%, 部分达成 80%–60%, 未达成 60%–0% of the weight;
# declared: a shared end belongs to the higher tier. On a 10-point row: 达成 8–10, 部分达成 6 to
# below 8, 未达成 0 to below 6.
@pytest.mark.parametrize(
    ("tier", "score", "status"),
    [
        ("达成", "8", "judgment"),
        ("达成", "10", "judgment"),
        ("达成", "7.99", "error"),
        ("部分达成", "8", "error"),
        ("部分达成", "7.99", "judgment"),
        ("部分达成", "6", "judgment"),
        ("未达成", "6", "error"),
        ("未达成", "5.99", "judgment"),
        ("未达成", "0", "judgment"),
    ],
)
@pytest.mark.parametrize(("framework_id", "year", "divisor"), [("national.project-targets.2020", 2020, "全年预算数"), ("sichuan.project-targets.2023", 2023, "调整后预算数")])
def test_tier_boundaries(framework_id: str, year: int, divisor: str, tier: str, score: str, status: str) -> None:
    framework = REGISTRY.framework(framework_id)
    data = loads_data(FORM.format(framework=framework_id, year=year, divisor=divisor, tier=tier, score=score), framework)
    leaf = evaluate(framework, data).leaf("政策知晓率")
    assert leaf.status == status, leaf.trace
