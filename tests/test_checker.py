"""`evalcore check` on small frameworks with one known defect each, and its exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalcore.checker import Finding, check_framework

from .helpers import framework_text, load, write
from .test_cli import run

INPUTS = """
[[input]]
id = "本年"
type = "money"
max = 10000000

[[input]]
id = "上年"
type = "money"
max = 10000000
"""


def indicator(name: str, weight: str, rule: str, formula: str = "", extra: str = "") -> str:
    formula_line = f'formula = "{formula}"\nunit = "%"\n' if formula else ""
    return f"""
[[indicator]]
path = ["测试", "{name}"]
weight = {weight}
{formula_line}printed = "原文"
source = "测试"
{extra}
[indicator.rule]
{rule}
"""


def small(body: str, total: str, inputs: str = "") -> str:
    """A test framework of a few points, with grades that fit its total."""
    return framework_text(body, total=total, inputs=inputs).replace(f"total = {total}\n", f'total = {total}\ngrades = [{{ name = "合格", min = 0 }}]\n', 1)


def findings(body: str, total: str, inputs: str = "") -> list[Finding]:
    return check_framework(load(small(body, total, inputs)))


def codes(items: list[Finding]) -> list[str]:
    return [f"{f.severity}:{f.code}" for f in items]


CHANGE = "(本年 - 上年) / 上年 * 100"


def test_sign_rule_awarding_more_than_the_weight() -> None:
    # 鹤城 "三公经费"变动率（2分）printed: "变动率为0，计5分".
    result = findings(indicator("三公经费变动率", "2", 'kind = "sign"\npositive = 0\nzero = 5\nnegative = 2', CHANGE), "2", inputs=INPUTS)
    (finding,) = [f for f in result if f.code == "range"]
    assert finding.severity == "error" and "5 分" in finding.message and "2 分" in finding.message
    # A counterexample with inputs: equal spending in both years gives a change of 0%.
    assert finding.counterexample is not None and "三公经费变动率 = 0%" in finding.counterexample
    assert "本年 = " in finding.counterexample and "得 5 分" in finding.counterexample


def test_completion_rate_deducting_for_exceeding_100_percent() -> None:
    rule = 'kind = "deduct"\ndirection = "over"\nthreshold = 100\npoints = 1\ncount = "whole"'
    result = findings(indicator("实际完成率", "5", rule, "本年 / 上年 * 100"), "5", inputs=INPUTS)
    (finding,) = [f for f in result if f.code == "direction"]
    assert finding.severity == "warning" and "越高越好" in finding.message
    # 102% (two whole points over) loses 2 of 5 points under the printed rule.
    assert finding.counterexample is not None and "102%" in finding.counterexample and "得 3 分" in finding.counterexample


def test_bands_leaving_a_threshold_undefined() -> None:
    # 鹤城 重点支出安排率 printed: "＞50%，计2分，每下降一个百分点扣0.5分" — exactly 50% is in neither part.
    rule = 'kind = "bands"\nbands = [{ above = 50, score = 2 }, { below = 50, at_least = 48, score = 1 }, { below = 48, score = 0 }]'
    result = findings(indicator("重点支出安排率", "2", rule, "本年 / 上年 * 100"), "2", inputs=INPUTS)
    (gap,) = [f for f in result if f.code == "bands-gap"]
    assert gap.severity == "error" and "50%" in gap.message
    assert gap.counterexample is not None and "重点支出安排率 = 50%" in gap.counterexample


def test_overlapping_bands() -> None:
    rule = 'kind = "bands"\nbands = [{ at_least = 80, score = 5 }, { at_most = 80, score = 3 }]'
    assert "error:bands-overlap" in codes(findings(indicator("满意度", "5", rule, "本年 / 上年 * 100"), "5", inputs=INPUTS))


def test_full_marks_never_reachable() -> None:
    # 鹤城 项目 完成及时性（10分）printed: "达到绩效目标完成时间计5分".
    result = findings(indicator("完成及时性", "10", 'kind = "judgment"\nmax = 5'), "10")
    assert codes(result) == ["error:full-unreachable"]
    result = findings(indicator("要点", "3", 'kind = "checklist"\nmode = "award"\ncheckpoints = [{ text = "a", points = 1 }, { text = "b", points = 1 }]'), "3")
    assert codes(result) == ["error:full-unreachable"]


def test_zero_unreachable_can_be_accepted_with_a_reason() -> None:
    rule = 'kind = "checklist"\nmode = "deduct"\ncheckpoints = [{ text = "a", points = 0.5 }, { text = "b", points = 0.5 }]'
    assert codes(findings(indicator("基础信息", "2", rule), "2")) == ["warning:zero-unreachable"]
    accepted = findings(indicator("基础信息", "2", rule, extra='accept = { zero-unreachable = "照原文" }'), "2")
    assert codes(accepted) == ["info:zero-unreachable"] and "照原文" in accepted[0].message


def test_expression_out_of_range_is_found_by_search() -> None:
    result = findings(indicator("表达式", "2", 'kind = "expression"\nexpr = "2 if 本年 >= 上年 else 3"'), "2", inputs=INPUTS)
    (finding,) = [f for f in result if f.code == "range"]
    assert finding.counterexample is not None and "得 3 分" in finding.counterexample


def test_group_and_total_weights(tmp_path: Path) -> None:
    body = """
[[group]]
path = ["效益"]
weight = 10
""" + indicator("实施效益", "20", 'kind = "judgment"').replace('["测试", ', '["效益", ') + indicator("满意度", "10", 'kind = "judgment"').replace('["测试", ', '["效益", ')
    result = findings(body, "100")
    weights = [f for f in result if f.code == "weights"]
    assert len(weights) == 1 and "声明分值 10" in weights[0].message and "合计 30" in weights[0].message and weights[0].line
    (total,) = [f for f in result if f.code == "total"]
    assert "合计 30" in total.message and "总分 100" in total.message


def test_unused_input_and_missing_provenance() -> None:
    body = '\n[[indicator]]\npath = ["测试", "无出处"]\nweight = 1\n[indicator.rule]\nkind = "judgment"\n'
    result = findings(body, "1", inputs=INPUTS)
    assert sorted(codes(result)) == ["warning:provenance", "warning:provenance", "warning:unused-input", "warning:unused-input"]


def test_check_command_exit_codes(tmp_path: Path) -> None:
    clean = write(tmp_path, "clean.toml", small(indicator("满意度", "2", 'kind = "judgment"'), total="2"))
    warned = write(tmp_path, "warned.toml", small(indicator("满意度", "2", 'kind = "judgment"'), total="2", inputs=INPUTS))
    broken = write(tmp_path, "broken.toml", small(indicator("三公经费变动率", "2", 'kind = "sign"\npositive = 0\nzero = 5\nnegative = 2', CHANGE), total="2", inputs=INPUTS))
    assert run("check", str(clean)).returncode == 0
    assert run("check", str(warned)).returncode == 0
    assert run("check", "--strict", str(warned)).returncode == 1
    result = run("check", str(broken))
    assert result.returncode == 1 and "range" in result.stdout and "反例" in result.stdout
    assert run("check", str(tmp_path / "missing.toml")).returncode == 2
    payload = json.loads(run("check", "--format", "json", str(broken)).stdout)
    (framework,) = payload["frameworks"]
    assert any(f["code"] == "range" and f["counterexample"] and f["line"] for f in framework["findings"])


@pytest.mark.parametrize("framework_id", ["hunan.hecheng.dept.2020", "national.project-targets.2020"])
def test_shipped_frameworks_pass_strict(framework_id: str) -> None:
    assert run("check", "--strict", framework_id).returncode == 0


def test_grades_that_the_total_can_never_reach() -> None:
    # A 20-point framework with the national bands (优 ≥ 90 …) could never be graded above 差.
    result = check_framework(load(framework_text(indicator("满意度", "20", 'kind = "judgment"'), total="20")))
    (finding,) = [f for f in result if f.code == "grades"]
    assert finding.severity == "error" and "总分只有 20 分" in finding.message and "优（≥ 90）" in finding.message


def test_an_input_without_an_upper_bound_is_a_warning() -> None:
    inputs = '\n[[input]]\nid = "本年"\ntype = "money"\n\n[[input]]\nid = "上年"\ntype = "money"\nmax = 100\n'
    result = findings(indicator("三公经费变动率", "2", 'kind = "sign"\npositive = 0\nzero = 1\nnegative = 2', CHANGE), "2", inputs=inputs)
    domains = [f for f in result if f.code == "input-domain"]
    assert [f.severity for f in domains] == ["warning"] and "“本年”" in domains[0].message and "max" in domains[0].message


TIERS = """
[[indicator]]
path = ["效益", "社会效益"]
weight = 10
source = "测试"
printed = "达成 100–80%，部分达成 80–60%，未达成 60–0%"
[indicator.rule]
kind = "judgment"
tiers = [
  {tiers},
]
"""


@pytest.mark.parametrize(
    ("tiers", "codes_found"),
    [
        # As printed, both ends included: 80% and 60% of the weight fit two tiers each.
        ('{ name = "达成", from = 80, to = 100 }, { name = "部分达成", from = 60, to = 80 }, { name = "未达成", from = 0, to = 60 }', ["error:tiers-overlap", "error:tiers-overlap"]),
        # Declared: each boundary belongs to the higher tier, and check says so.
        ('{ name = "达成", at_least = 80, at_most = 100 }, { name = "部分达成", at_least = 60, below = 80 }, { name = "未达成", at_least = 0, below = 60 }', ["info:tiers-declared", "info:tiers-declared"]),
        # A boundary left to neither tier is a gap.
        ('{ name = "达成", above = 80, at_most = 100 }, { name = "部分达成", at_least = 0, below = 80 }', ["warning:tiers-gap"]),
    ],
)
def test_judgment_tiers_overlap_gap_or_declared(tiers: str, codes_found: list[str]) -> None:
    result = findings(TIERS.replace("{tiers}", tiers), "10")
    assert sorted(c for c in codes(result) if "tiers" in c) == codes_found


RATE_BANDS = 'kind = "bands"\nbands = [{ at_least = 80, score = 5 }, { at_least = 60, below = 80, score = 3 }, { at_least = 0, below = 60, score = 0 }]'


def test_counterexamples_come_from_the_inputs_domains() -> None:
    # 本年 / 上年 × 100 of two non-negative amounts is never negative: the bands start at 0 and no
    # gap is reported below it (no "−0.01%" that no unit's data can produce).
    assert "error:bands-gap" not in codes(findings(indicator("完成率", "5", RATE_BANDS, "本年 / 上年 * 100"), "5", inputs=INPUTS))
    # A change rate can be negative: there the same bands leave −0.01% undefined.
    (gap,) = [f for f in findings(indicator("变动率", "5", RATE_BANDS, CHANGE), "5", inputs=INPUTS) if f.code == "bands-gap"]
    assert "-0.01%" in gap.message
    # The inputs of a counterexample lie in their declared domains: with 本年 ≥ 10, 50% is 10 / 20.
    rule = 'kind = "bands"\nbands = [{ above = 50, score = 2 }, { below = 50, score = 0 }]'
    inputs = INPUTS.replace('id = "本年"\ntype = "money"\n', 'id = "本年"\ntype = "money"\nmin = 10\n').replace('id = "上年"\ntype = "money"\n', 'id = "上年"\ntype = "money"\nmin = 10\n')
    (gap,) = [f for f in findings(indicator("安排率", "2", rule, "本年 / 上年 * 100"), "2", inputs=inputs) if f.code == "bands-gap"]
    assert gap.counterexample is not None and gap.counterexample.startswith("上年 = 20、本年 = 10 时，安排率 = 50%")


def test_a_rule_branch_no_data_can_reach_awards_nothing() -> None:
    # A sign rule whose "小于 0" branch gives more than the weight is no defect for a ratio of
    # non-negative amounts, which is never below 0; for a change rate it is.
    sign = 'kind = "sign"\npositive = 2\nzero = 1\nnegative = 5'
    assert "error:range" not in codes(findings(indicator("完成率", "2", sign, "本年 / 上年 * 100"), "2", inputs=INPUTS))
    (finding,) = [f for f in findings(indicator("变动率", "2", sign, CHANGE), "2", inputs=INPUTS) if f.code == "range"]
    assert finding.counterexample is not None and "得 5 分" in finding.counterexample
    # An expression is searched over the domain only: 本年 is never negative, so "−本年" never scores.
    expression = 'kind = "expression"\nexpr = "2 if 本年 >= 0 else 3"'
    assert "error:range" not in codes(findings(indicator("表达式", "2", expression), "2", inputs=INPUTS))


@pytest.mark.parametrize(
    "formula",
    ["a / b * 100", "(a - b) / b * 100", "min(a, b) - c", "abs(a - c) * 2 if a > b else -b / (c + 1)", "round(a / 3, 2) + floor(b / 7)", "(c - a) / (b - a - 1)"],
)
def test_a_formulas_range_holds_every_value_its_inputs_can_give(formula: str) -> None:
    import itertools
    from decimal import Decimal

    from evalcore.checker._ranges import ValueRange, expression_range
    from evalcore.model import Domain, ExpressionInvalid, ZeroDivisionInExpression, compile_expression

    domains = {"a": Domain(Decimal(0), Decimal(50)), "b": Domain(Decimal(0), None), "c": Domain(Decimal(-5), Decimal(5))}
    expression = compile_expression(formula, set(domains))
    reach = expression_range(expression, {name: ValueRange.of(domain) for name, domain in domains.items()})
    samples = [Decimal(v) for v in ("-5", "-1", "0", "0.5", "1", "3", "5", "7", "50", "1000")]
    for a, b, c in itertools.product(samples, repeat=3):
        values = {"a": a, "b": b, "c": c}
        if not all(domains[name].contains(value) for name, value in values.items()):
            continue
        try:
            result = expression.evaluate(values)
        except (ZeroDivisionInExpression, ExpressionInvalid):
            continue
        assert reach.low <= result <= reach.high, (values, result, reach)
