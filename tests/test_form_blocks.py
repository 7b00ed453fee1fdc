"""What a target-form framework declares about its rows: block weights (the printed table's merged
分值 cell) and weights implied by the number of rows, the direction of unsigned targets, the years
the form is in force; and what `evalcore check` says about them.

The forms here are small synthetic ones (no document prints them): every expected score is worked
by hand from the national rule (财预〔2020〕10号: a met target gets the full weight, a missed one
weight × actual/target for "≥", weight × target/actual for "≤"), written beside it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from evalcore import DataError, RulesetError, check_framework, evaluate, loads_framework

D = Decimal

HEAD = """
[framework]
id = "test.project-targets.2024"
title = "项目支出绩效自评表"
region = "江川省"
kind = "project-targets"
year = 2024
total = 100
source = "合成"
"""


def form(body: str, head: str = HEAD) -> Any:
    return loads_framework(head + "\n[form]\n" + body, name="form.toml")


THREE_ROWS = """
execution_weight = 10
categories = [
  { name = "产出指标", weight = 50 },
  { name = "效益指标", weight = 30 },
  { name = "满意度指标", weight = 10 },
]
blocks = [
  { path = ["产出指标"], weight = 50, split = "rows" },
  { path = ["效益指标"], weight = 30 },
]
"""


def data(rows: list[dict[str, Any]], shared: list[dict[str, Any]] | None = None, year: int = 2024, executed: str = "100") -> dict[str, Any]:
    out: dict[str, Any] = {"framework": "test.project-targets.2024", "year": year, "budget": {"全年预算数": "100", "执行数": executed}, "targets": rows}
    if shared:
        out["shared"] = shared
    return out


def row(path: str, target: str, actual: str, **extra: Any) -> dict[str, Any]:
    return {"path": path.split("/"), "target": target, "actual": actual, **extra}


SATISFIED = row("满意度指标/服务对象满意度指标/满意度", "≥90%", "95%", weight=10)


def leaf_scores(evaluation: Any) -> dict[str, Decimal | None]:
    return {leaf.indicator.id: leaf.score for leaf in evaluation.leaves()}


# ---------------------------------------------------------------------------------------------
# weights implied by the number of rows: 50 over 3 rows is 50/3 each, kept exact
# ---------------------------------------------------------------------------------------------


def test_weights_implied_by_three_rows_are_kept_exact_until_rounded() -> None:
    framework = form(THREE_ROWS)
    rows = [
        row("产出指标/数量指标/培训人次", "≥300人次", "300人次"),  # 100%
        row("产出指标/数量指标/发放资料", "≥2000份", "1800份"),  # 1800 / 2000 = 90%
        row("产出指标/质量指标/合格率", "≥95%", "95%"),  # 100%
        row("效益指标/社会效益指标/知晓率", "≥90%", "90%"),
        SATISFIED,
    ]
    evaluation = evaluate(framework, data(rows))
    scores = leaf_scores(evaluation)
    # 50/3 × 100% + 50/3 × 90% + 50/3 × 100% = 50 × 290 / 300 = 48.3333… → 48.33 (rounded once,
    # where the framework rounds scores: 2 places, half-up).
    assert scores["产出指标"] == D("48.33")
    leaf = evaluation.leaf("产出指标")
    assert "每项 50/3 分" in leaf.indicator.name
    assert any("50/3 × 100% + 50/3 × 90% + 50/3 × 100%" in line for line in leaf.trace)
    # 10 (execution 100 / 100) + 48.33 + 30 + 10 = 98.33
    assert evaluation.total == D("98.33") and evaluation.complete
    assert not [f for f in evaluation.flags if f.kind == "weight_mismatch"]


def test_three_rows_that_all_reach_their_targets_give_the_whole_block() -> None:
    # 50/3 × 3 × 100% = 50 exactly: never 3 × 16.67 = 50.01 nor 3 × 16.66 = 49.98.
    rows = [row(f"产出指标/数量指标/第{n}项", "≥1个", "1个") for n in (1, 2, 3)] + [row("效益指标/社会效益指标/知晓率", "≥90%", "91%"), SATISFIED]
    evaluation = evaluate(form(THREE_ROWS), data(rows))
    assert leaf_scores(evaluation)["产出指标"] == D(50)
    assert evaluation.total == D(100)


def test_a_row_under_a_block_must_not_carry_its_own_weight() -> None:
    rows = [row("产出指标/数量指标/培训人次", "≥300人次", "300人次", weight=20), row("效益指标/社会效益指标/知晓率", "≥90%", "90%"), SATISFIED]
    with pytest.raises(DataError, match="共用 50 分"):
        evaluate(form(THREE_ROWS), data(rows))


# ---------------------------------------------------------------------------------------------
# block weights: the framework's merged cell, coherent with the unit's [[shared]]
# ---------------------------------------------------------------------------------------------

BLOCK_OF_40 = """
execution_weight = 10
categories = [
  { name = "产出指标", weight = 50 },
  { name = "效益指标", weight = 30 },
  { name = "满意度指标", weight = 10 },
]
blocks = [{ path = ["产出指标", "数量指标"], weight = 40 }]
"""


def test_block_weight_is_shared_by_its_rows_and_the_rest_weigh_row_by_row() -> None:
    rows = [
        row("产出指标/数量指标/培训人次", "≥300人次", "240人次"),  # 240 / 300 = 80%
        row("产出指标/数量指标/发放资料", "≥2000份", "2000份"),  # 100%
        row("产出指标/质量指标/合格率", "≥95%", "95%", weight=10),
        row("效益指标/社会效益指标/知晓率", "≥90%", "90%", weight=30),
        SATISFIED,
    ]
    evaluation = evaluate(form(BLOCK_OF_40), data(rows, shared=[{"path": ["产出指标", "数量指标"], "weight": 40, "self": 36}]))
    scores = leaf_scores(evaluation)
    # mean completion (80% + 100%) / 2 = 90%; 40 × 90% = 36
    assert scores["产出指标/数量指标"] == D(36)
    assert evaluation.leaf("产出指标/数量指标").self_score == D(36)
    # 10 + 36 + 10 + 30 + 10 = 96
    assert evaluation.total == D(96)
    assert not [f for f in evaluation.flags if f.kind in ("weight_mismatch", "self_score_mismatch")]


def test_a_shared_cell_that_disagrees_with_the_framework_block_is_an_error() -> None:
    rows = [row("产出指标/数量指标/培训人次", "≥300人次", "300人次"), row("产出指标/质量指标/合格率", "≥95%", "95%", weight=10)]
    with pytest.raises(DataError, match="本表规定 40 分"):
        evaluate(form(BLOCK_OF_40), data(rows, shared=[{"path": ["产出指标", "数量指标"], "weight": 30}]))


def test_blocks_that_overlap_or_name_an_unknown_category_are_refused_at_load() -> None:
    with pytest.raises(RulesetError, match="重叠"):
        form(BLOCK_OF_40.replace("blocks = [", 'blocks = [{ path = ["产出指标"], weight = 50 }, '))
    with pytest.raises(RulesetError, match="不在本表的类别中"):
        form(BLOCK_OF_40.replace('path = ["产出指标", "数量指标"]', 'path = ["产出", "数量指标"]'))


def codes(framework: Any, severity: str = "warning") -> list[str]:
    return [f.code for f in check_framework(framework) if f.severity == severity]


def test_check_sums_and_ranges_of_blocks() -> None:
    assert codes(form(BLOCK_OF_40), "error") == []
    # blocks of 40 + 20 under a category of 50
    over = form(BLOCK_OF_40.replace("weight = 40 }]", 'weight = 40 }, { path = ["产出指标", "质量指标"], weight = 20 }]'))
    messages = [f.message for f in check_framework(over) if f.code == "weights"]
    assert messages and "60" in messages[0] and "50" in messages[0]
    # a block over the whole category must weigh what the category weighs
    whole = form(THREE_ROWS.replace('{ path = ["效益指标"], weight = 30 }', '{ path = ["效益指标"], weight = 25 }'))
    assert "weights" in codes(whole, "error")


# ---------------------------------------------------------------------------------------------
# directions: declared per category or indicator, defaults for cost names
# ---------------------------------------------------------------------------------------------

COSTS = """
execution_weight = 10
categories = [
  { name = "产出指标", weight = 40 },
  { name = "成本指标", weight = 10 },
  { name = "效益指标", weight = 30 },
  { name = "满意度指标", weight = 10 },
]
"""


def test_cost_rows_under_other_cost_names_are_limits_by_default() -> None:
    # 财预〔2021〕101号 style: 成本指标 as a category with 经济成本指标 under it. The target "300元" has
    # no sign; a cost reads as "≤": 360 元 against 300 元 gives 10 × 300 / 360 = 8.333… → 8.33 (as
    # "≥" it would have been full marks).
    rows = [
        row("产出指标/数量指标/人次", "≥1人次", "1人次", weight=40),
        row("成本指标/经济成本指标/人均成本", "300元", "360元", weight=10),
        row("效益指标/社会效益指标/知晓率", "≥90%", "90%", weight=30),
        SATISFIED,
    ]
    evaluation = evaluate(form(COSTS), data(rows))
    assert leaf_scores(evaluation)["成本指标/经济成本指标/人均成本"] == D("8.33")


def test_direction_declared_per_category_and_per_indicator() -> None:
    declared = COSTS.replace('{ name = "产出指标", weight = 40 }', '{ name = "产出指标", weight = 40, direction = "≤", directions = { "人次" = "≥" } }')
    rows = [
        row("产出指标/数量指标/人次", "10人次", "8人次", weight=20),  # declared ≥ for 人次: 20 × 8/10 = 16
        row("产出指标/数量指标/差错", "10个", "8个", weight=20),  # the category's ≤: 8 ≤ 10, met, 20
        row("成本指标/经济成本指标/人均成本", "300元", "300元", weight=10),
        row("效益指标/社会效益指标/知晓率", "≥90%", "90%", weight=30),
        SATISFIED,
    ]
    scores = leaf_scores(evaluate(form(declared), data(rows)))
    assert scores["产出指标/数量指标/人次"] == D(16)
    assert scores["产出指标/数量指标/差错"] == D(20)


def test_check_warns_when_a_cost_like_name_is_scored_as_more_is_better() -> None:
    fee = COSTS.replace('"成本指标"', '"费用指标"')
    found = [f for f in check_framework(form(fee)) if f.code == "direction"]
    assert found and found[0].severity == "warning" and "费用指标" in found[0].message
    # declared "≤": nothing to say; the default for 成本 names: nothing to say either
    assert not [f for f in check_framework(form(fee.replace('{ name = "费用指标", weight = 10 }', '{ name = "费用指标", weight = 10, direction = "≤" }'))) if f.code == "direction"]
    assert not [f for f in check_framework(form(COSTS)) if f.code == "direction"]


# ---------------------------------------------------------------------------------------------
# the years a form is in force
# ---------------------------------------------------------------------------------------------

PLAIN = """
execution_weight = 10
categories = [{ name = "产出指标", weight = 90 }]
"""


def year_flags(framework: Any, year: int) -> list[str]:
    rows = [row("产出指标/数量指标/人次", "≥1人次", "1人次", weight=90)]
    return [f.message for f in evaluate(framework, data(rows, year=year)).flags if f.kind == "year_mismatch"]


def test_a_form_reused_in_later_years_is_quiet_and_outside_its_range_is_flagged() -> None:
    ranged = form("valid_from = 2024\nvalid_until = 2026\n" + PLAIN, head=HEAD)
    assert year_flags(ranged, 2024) == [] and year_flags(ranged, 2026) == []
    (message,) = year_flags(ranged, 2027)
    assert "2027" in message and "2024–2026 年" in message
    assert year_flags(ranged, 2023)
    open_ended = form("valid_from = 2024\n" + PLAIN)
    assert year_flags(open_ended, 2030) == []
    # without a range the form is for its own year only
    assert year_flags(form(PLAIN), 2025)


def test_the_national_form_is_quiet_in_later_years(registry: Any) -> None:
    framework = registry.framework("national.project-targets.2020")
    assert framework.form.valid_from == 2020
    assert year_flags_of(framework, 2023) == []
    assert year_flags_of(framework, 2019)


def year_flags_of(framework: Any, year: int) -> list[str]:
    rows = [
        row("产出指标/数量指标/人次", "≥1人次", "1人次", weight=50),
        row("效益指标/社会效益指标/知晓率", "≥90%", "90%", weight=30),
        SATISFIED,
    ]
    mapping = data(rows, year=year)
    mapping["framework"] = framework.id
    return [f.message for f in evaluate(framework, mapping).flags if f.kind == "year_mismatch"]


def test_check_rejects_a_range_that_leaves_out_the_framework_year() -> None:
    assert "form-years" in codes(form("valid_from = 2025\n" + PLAIN), "error")
    with pytest.raises(RulesetError, match="早于起始年度"):
        form("valid_from = 2025\nvalid_until = 2024\n" + PLAIN)


# ---------------------------------------------------------------------------------------------
# one indicator holding more than half of the total
# ---------------------------------------------------------------------------------------------


def test_check_warns_when_one_block_holds_more_than_half_unless_declared() -> None:
    big = """
execution_weight = 10
categories = [{ name = "产出指标", weight = 80 }, { name = "满意度指标", weight = 10 }]
blocks = [{ path = ["产出指标", "数量指标"], weight = 60 }]
"""
    assert "dominant-weight" in codes(form(big))
    accepted = big.replace("weight = 60 }", 'weight = 60, accept = { dominant-weight = "原表数量指标合并计 60 分" } }')
    assert "dominant-weight" not in codes(form(accepted))
    assert "dominant-weight" in codes(form(accepted), "info")


def test_diff_names_a_changed_block_direction_and_years() -> None:
    from evalcore.checker import diff_frameworks

    before = form(BLOCK_OF_40)
    after = form("valid_from = 2024\n" + BLOCK_OF_40.replace("weight = 40 }]", 'weight = 40, split = "rows" }]').replace('{ name = "效益指标", weight = 30 }', '{ name = "效益指标", weight = 30, direction = "≤" }'))
    messages = " ".join(change.message for change in diff_frameworks(before, after))
    assert "按行数均分" in messages and "本类方向" in messages and "适用的起始年度" in messages


def test_a_judged_row_of_a_split_block_takes_its_own_score_out_of_its_share() -> None:
    rows = [
        row("产出指标/数量指标/培训人次", "≥300人次", "270人次"),  # 270 / 300 = 90%
        row("产出指标/数量指标/完成时间", "2024年12月底前", "2025年1月10日", tier="部分达成", score="11", reason="延期10天完成"),
        row("产出指标/数量指标/资料", "≥100份", "100份"),  # 100%
        row("效益指标/社会效益指标/知晓率", "≥90%", "90%"),
        SATISFIED,
    ]
    evaluation = evaluate(form(THREE_ROWS), data(rows))
    leaf = evaluation.leaf("产出指标")
    # shares of 50/3: 50/3 × 90% + 11 + 50/3 × 100% = 50 × 190 / 300 + 11 = 31.666… + 11 = 42.666… → 42.67
    # (部分达成 is 60%–80% of 50/3 = 10–13.33 points: 11 is within it)
    assert leaf.status == "judgment" and leaf.score == D("42.67")
    # outside the tier's share (80% of 50/3 = 13.33…): refused, never clamped
    rows[1] = {**rows[1], "score": "14"}
    refused = evaluate(form(THREE_ROWS), data(rows)).leaf("产出指标")
    assert refused.score is None and refused.status == "error"
    # no score yet: missing, never 0
    rows[1] = {k: v for k, v in rows[1].items() if k not in ("score", "reason")}
    waiting = evaluate(form(THREE_ROWS), data(rows)).leaf("产出指标")
    assert waiting.score is None and waiting.status == "missing"


def test_the_data_template_of_a_form_with_blocks_reads_once_filled(tmp_path: Any) -> None:
    from evalcore import load_data
    from evalcore.workbook import template_toml

    framework = form(BLOCK_OF_40)
    text = template_toml(framework)
    # the block's rows ask for no weight; its self-score goes in [[shared]] with the framework's weight
    assert '[[shared]]           # 这几行的自评得分\npath = ["产出指标", "数量指标"]\nweight = 40' in text
    assert "\n\n\n" not in text
    filled = text.replace('unit = ""', 'unit = "测试单位"').replace('"全年预算数" = ""', '"全年预算数" = "50万元"').replace('"执行数" = ""', '"执行数" = "40万元"')
    filled = filled.replace('"年初预算数" = ""', '"年初预算数" = "50万元"').replace('target = ""', 'target = "≥90%"').replace('actual = ""', 'actual = "90%"')
    # 产出指标: the block (40) and one row of 10 make the category's 50
    filled = filled.replace("weight = 0 ", "weight = 10 ", 1).replace("weight = 0 ", "weight = 30 ", 1).replace("weight = 0 ", "weight = 10 ", 1)
    path = tmp_path / "表.toml"
    path.write_text(filled, encoding="utf-8")
    evaluation = evaluate(framework, load_data(path, framework))
    # 10 × 40 / 50 = 8 for execution; every row meets its target: 40 + 10 + 30 + 10
    assert evaluation.total == D(98) and not [f for f in evaluation.flags if f.kind == "weight_mismatch"]


def test_blocks_of_a_form_without_category_weights_fit_in_targets_weight() -> None:
    free = """
execution_weight = 10
targets_weight = 90
categories = [{ name = "产出指标" }, { name = "效益指标" }, { name = "满意度指标" }]
blocks = [{ path = ["产出指标", "数量指标"], weight = 50 }, { path = ["效益指标"], weight = 30 }]
"""
    assert codes(form(free), "error") == []
    over = form(free.replace("weight = 50 }", "weight = 70 }"))
    # 70 + 30 = 100 > 90 across the form: the second block cannot fit
    assert "weights" in codes(over, "error")


def test_a_judged_score_beyond_the_weight_is_refused_never_a_rule_defect() -> None:
    # A row of 10 points with a score of 12: a located data error.
    rows = [row("产出指标/时效指标/完成时间", "2024年12月底前", "2024年12月1日", weight=10, tier="达成", score="12", reason="提前完成")]
    with pytest.raises(DataError, match="评定得分 12 超出分值 0–10"):
        evaluate(form(PLAIN.replace("weight = 90", "weight = 10").replace("execution_weight = 10", "execution_weight = 90")), data(rows))
    # A shared cell of 40 whose first row carries 45 and no actual: refused, not scored, no defect.
    rows = [
        {"path": ["产出指标", "数量指标", "培训人次"], "target": "≥300人次", "tier": "达成", "score": "45", "reason": "估计"},
        row("产出指标/质量指标/合格率", "≥95%", "95%", weight=10),
    ]
    evaluation = evaluate(form(BLOCK_OF_40), data(rows))
    leaf = evaluation.leaf("产出指标/数量指标")
    assert leaf.score is None and leaf.status == "error"
    assert not [f for f in evaluation.flags if f.kind == "rule_defect"]


def test_a_third_level_name_alone_does_not_make_a_cost() -> None:
    # "成本节约率 10%" under 经济效益指标 is more-is-better: 12% against 10% is met (as "≤" it would
    # have been 10 × 10 / 12 = 8.33).
    rows = [
        row("产出指标/数量指标/人次", "≥1人次", "1人次", weight=40),
        row("成本指标/经济成本指标/人均成本", "≤300元", "300元", weight=10),
        row("效益指标/经济效益指标/成本节约率", "10%", "12%", weight=30),
        SATISFIED,
    ]
    assert leaf_scores(evaluate(form(COSTS), data(rows)))["效益指标/经济效益指标/成本节约率"] == D(30)
