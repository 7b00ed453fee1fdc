"""Quick scoring (Rule.quick) agrees with full scoring (Rule.score) in everything a user sees.

evaluate() scores a leaf with its rule's quick scorer when nothing about it needs reporting and
builds the trace from the full way only when it is read; `evaluate_in_full` scores every leaf the
full way. Every property here compares the two with `evaluation_differences`, which looks at each
leaf's status, score, value and trace, the flags, the group sums, totals and grade.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pytest
from attrs import frozen
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from evalcore import Evaluation, Framework, LeafResult, Outcome, ScoringContext, evaluate, get_registry, load_data, loads_framework
from evalcore.engine import evaluate_in_full
from evalcore.load import data_from_mapping, read_data_file
from evalcore.rules import ProportionalRule
from evalcore.testing import evaluation_differences

from .conftest import EXAMPLES
from .strategies import INDICATOR, INPUT, BandSpec, LeafSpec, RuleCase, band_table, data, decimals, framework, framework_toml, one_indicator_framework, rule_cases

D = Decimal
PROPERTY = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def both_ways(fw: Framework, unit: dict[str, Any]) -> tuple[Evaluation, Evaluation]:
    quick, full = evaluate(fw, unit), evaluate_in_full(fw, unit)
    differences = evaluation_differences(quick, full)
    assert not differences, "\n".join(differences)
    return quick, full


def scored_quickly(evaluation: Evaluation) -> bool:
    """Whether the evaluation's single leaf took the quick way (a record, not a full result)."""
    (record,) = evaluation.leaf_records
    return not isinstance(record, LeafResult)


@st.composite
def unit_entries(draw: st.DrawFn, case: RuleCase) -> dict[str, Any]:
    """The case's entry with what a unit may add beside it, each of which the quick way must
    either agree with or hand to the full way: a self-score (random, or the computed score itself),
    a stated figure, a review score, a note, an evaluator's score beside a computed rule, or the
    indicator marked not applicable."""
    entry = dict(case.entry)
    if case.kind == "sign" and draw(st.booleans()):
        # Without an evaluator's score, a sign rule's fixed branches can be scored quickly.
        entry = {}
    self_score = draw(st.sampled_from(["none", "random", "agree"]))
    if self_score == "random":
        entry["self"] = draw(decimals(0, case.weight))
    elif self_score == "agree":
        full = evaluate_in_full(case.framework(), data({INPUT: case.value} if case.value is not None else None, {INDICATOR: entry} if entry else None))
        computed = full.leaf(INDICATOR).score
        if computed is not None:
            entry["self"] = computed
    if case.formula is not None and draw(st.booleans()):
        entry["stated"] = draw(decimals(-500, 500)) if draw(st.booleans()) else case.value
    if draw(st.integers(0, 3)) == 0:
        entry["review"] = draw(decimals(0, case.weight))
    if draw(st.integers(0, 3)) == 0:
        entry["note"] = "单位说明"
    if "score" not in entry and draw(st.integers(0, 5)) == 0:
        entry.update(score=draw(decimals(0, case.weight)), reason="评价组评定")
    if draw(st.integers(0, 9)) == 0:
        entry.update(not_applicable=True, reason="本年度无此项业务")
    return {key: value for key, value in entry.items() if value is not None}


@PROPERTY
@given(st.data())
def test_quick_scoring_agrees_with_full_scoring_for_every_kind(draw: st.DataObject) -> None:
    case = draw.draw(rule_cases(), "case")
    entry = draw.draw(unit_entries(case), "entry")
    value = None if draw.draw(st.integers(0, 9), "missing") == 0 else case.value
    quick, _full = both_ways(case.framework(), data({INPUT: value} if value is not None else None, {INDICATOR: entry} if entry else None))
    event(f"{case.kind}: {'quick' if scored_quickly(quick) else 'full'}")


@PROPERTY
@given(rule_cases(), st.sampled_from(["x", "x / 4 * 100", "x / (x - 1)", "x * x * x * x * x * x * x * x"]))
def test_quick_scoring_agrees_where_the_formula_fails(case: RuleCase, formula: str) -> None:
    # A zero divisor (x = 1), a value too large to round (10000 ** 8): the quick way must step aside.
    if case.formula is None:
        return
    fw = one_indicator_framework(case.rule, case.weight, formula)
    for value in (case.value, D(1), D(0), D(10000)):
        both_ways(fw, data({INPUT: value}, {INDICATOR: case.entry} if case.entry else None))


@st.composite
def any_bands(draw: st.DrawFn) -> tuple[list[BandSpec], Decimal]:
    """1 to 4 bands with arbitrary bounds, so that some overlap and some leave holes (framework
    defects the checker reports, and evaluate must still explain), and a value on or near a bound."""
    bands = []
    for _ in range(draw(st.integers(1, 4))):
        lower = draw(st.none() | decimals(-50, 150))
        upper = draw(st.none() | decimals(lower if lower is not None else -50, 200))
        bands.append(BandSpec(draw(decimals(0, 5)), lower, draw(st.booleans()), upper, draw(st.booleans())))
    bounds = [b for band in bands for b in (band.lower, band.upper) if b is not None] or [D(0)]
    value = draw(st.sampled_from(bounds)) + draw(st.sampled_from([D(0), D("0.01"), D("-0.01"), D(7)]))
    return bands, value


@PROPERTY
@given(any_bands())
def test_quick_scoring_agrees_on_overlapping_and_gapped_bands(bands_and_value: tuple[list[BandSpec], Decimal]) -> None:
    bands, value = bands_and_value
    quick, _full = both_ways(one_indicator_framework(band_table(bands), D(5)), data({INPUT: value}))
    event("quick" if scored_quickly(quick) else "full")


# One plain case per kind with a quick scorer: each must take the quick way, or the properties
# above would compare the full way with itself.
PLAIN: dict[str, tuple[dict[str, Any], Decimal | None, dict[str, Any], Decimal]] = {
    "deduct": ({"kind": "deduct", "direction": "over", "threshold": 100, "per": 1, "points": D("0.5"), "count": "whole"}, D("103.5"), {}, D("1.5")),
    "bands": ({"kind": "bands", "bands": [{"at_least": 95, "score": 3}, {"below": 95, "score": 1}]}, D(96), {}, D(3)),
    "proportional": ({"kind": "proportional", "target": 100}, D(80), {}, D("2.4")),
    "sign": ({"kind": "sign", "positive": 0, "zero": D("1.5"), "negative": 3}, D(-2), {}, D(3)),
    "checklist": ({"kind": "checklist", "mode": "award", "checkpoints": [{"text": "甲", "points": 1}, {"text": "乙", "points": 2}]}, None, {"checkpoints": [True, False]}, D(1)),
    "per-case": ({"kind": "per-case", "points": D("0.5")}, None, {"cases": 2}, D(2)),
    "judgment": ({"kind": "judgment"}, None, {"score": D("2.5"), "reason": "资料齐全"}, D("2.5")),
    "expression": ({"kind": "expression", "expr": "min(weight, value / 40)"}, D(60), {}, D("1.5")),
}


@pytest.mark.parametrize("kind", sorted(PLAIN))
def test_every_kind_with_a_quick_scorer_takes_the_quick_way(kind: str) -> None:
    rule, value, entry, expected = PLAIN[kind]
    formula = INPUT if value is not None else None
    fw = one_indicator_framework(rule, D(3), formula)
    quick, _full = both_ways(fw, data({INPUT: value} if value is not None else None, {INDICATOR: entry} if entry else None))
    assert scored_quickly(quick)
    # The points worked by hand from the rule: 103.5% is 3 whole points over, 3 × 0.5 off 3;
    # 80/100 × 3; 1 of 3 checkpoint points; 3 − 2 × 0.5; 60/40 = 1.5 under the weight.
    assert quick.leaf(INDICATOR).score == expected
    assert quick.leaf(INDICATOR).trace, "a quickly scored leaf still explains its points"


@pytest.mark.parametrize(
    ("why", "entry", "value"),
    [
        ("self-score differs", {"self": 2}, D("103.5")),
        ("stated figure differs", {"stated": 100}, D("103.5")),
        ("evaluator's score beside a computed one", {"score": 2, "reason": "评定"}, D("103.5")),
        ("not applicable", {"not_applicable": True, "reason": "无此业务"}, D("103.5")),
        ("input missing", {}, None),
    ],
)
def test_anything_to_report_takes_the_full_way(why: str, entry: dict[str, Any], value: Decimal | None) -> None:
    fw = one_indicator_framework(PLAIN["deduct"][0], D(3))
    quick, _full = both_ways(fw, data({INPUT: value} if value is not None else None, {INDICATOR: entry} if entry else None))
    assert not scored_quickly(quick), why


def test_a_self_score_that_agrees_stays_quick() -> None:
    fw = one_indicator_framework(PLAIN["deduct"][0], D(3))
    quick, _full = both_ways(fw, data({INPUT: D("103.5")}, {INDICATOR: {"self": D("1.5"), "stated": D("103.5"), "note": "说明"}}))
    assert scored_quickly(quick)


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.toml")), ids=lambda p: p.stem)
def test_every_example_evaluates_the_same_both_ways(path: Path) -> None:
    framework_id = read_data_file(path).framework_id
    fw = get_registry().framework(framework_id)
    unit = load_data(path, fw)
    differences = evaluation_differences(evaluate(fw, unit), evaluate_in_full(fw, unit))
    assert not differences, "\n".join(differences)


def test_in_the_officer_example_exactly_the_leaves_with_nothing_to_report_are_quick() -> None:
    fw = get_registry().framework("hunan.hecheng.dept.2020")
    evaluation = evaluate(fw, load_data(EXAMPLES / "hunan" / "hecheng-dept-2020.toml", fw))
    quick = {leaf.indicator.id for leaf, record in zip(evaluation.leaves(), evaluation.leaf_records, strict=True) if not isinstance(record, LeafResult)}
    # 三公经费变动率 (1.17 < 2.47 万元: 2 of 2) and 三公经费控制率 (1.17 / 2 = 58.5%: 3 of 3) agree with
    # the self-scores; the five judgments carry a score and a reason. Every other leaf is flagged:
    # a stated 100% that is 83.78%, a self-score of 2 for 3 points, or a score assessed without data.
    assert quick == {"三公经费变动率", "三公经费控制率", "重点工作办结率", "经济效益", "社会效益", "生态效益", "社会公众或服务对象满意度"}
    flagged = {flag.path for flag in evaluation.flags}
    assert {leaf.indicator.id for leaf in evaluation.leaves() if leaf.path not in flagged} == quick


def test_a_variant_that_overrides_score_but_not_quick_is_scored_in_full() -> None:
    # A plugin's variant of a built-in kind: its own score, the parent's quick. The parent's quick
    # knows nothing of the variant's rule, so it must not be used.
    @frozen
    class FloorProportional(ProportionalRule):
        kind: ClassVar[str] = "floor-proportional"

        def score(self, ctx: ScoringContext) -> Outcome:
            assert ctx.value is not None
            if ctx.value < 60:
                return Outcome(D(0), ("低于 60%，不计分",))
            return super().score(ctx)

    kinds = {**get_registry().rule_kinds, FloorProportional.kind: FloorProportional}
    fw = loads_framework(framework_toml([LeafSpec({"kind": "floor-proportional", "target": D(100)}, D(5))]), rule_kinds=kinds)
    quick, _full = both_ways(fw, data({INPUT: D(50)}))
    # 50% is below 60%: 0 points by the variant's rule (the parent's would give 5 × 50 / 100 = 2.5).
    assert quick.total == D(0) and not scored_quickly(quick)


def test_the_tree_is_summed_in_evalcores_context_whoever_reads_it() -> None:
    fw = framework([LeafSpec({"kind": "proportional", "target": D(100)}, D("50.5"), name=f"指标{n}") for n in range(2)])
    evaluation = evaluate(fw, data({INPUT: D("99.99")}))
    with decimal.localcontext() as context:
        context.prec = 3
        group = evaluation.children[0]
    # 50.5 × 99.99 / 100 = 50.494… → 50.49 each: the group holds 100.98, not 100.98 cut to 3 digits.
    assert group.score == D("100.98") and evaluation.total == D("100.98")


def test_the_data_an_evaluation_was_scored_on_cannot_change_under_it() -> None:
    fw = one_indicator_framework(PLAIN["deduct"][0], D(3))
    unit = data_from_mapping(data({INPUT: D("103.5")}), fw)
    evaluation = evaluate(fw, unit)
    with pytest.raises(TypeError):
        unit.inputs[INPUT] = D(90)  # type: ignore[index]
    # The trace, written now, is the one of the figures scored: 3 whole points over 100, 3 × 0.5 off 3.
    assert evaluation.leaf(INDICATOR).trace[0] == "指标 = x = 103.5"
    assert evaluation.leaf(INDICATOR).trace[-1].endswith("共扣 1.5 分，得 1.5 分")


def test_an_evaluation_equals_the_full_evaluation_of_the_same_data() -> None:
    fw = one_indicator_framework(PLAIN["deduct"][0], D(3))
    unit = data({INPUT: D("103.5")}, {INDICATOR: {"self": D("1.5")}})
    quick, full = evaluate(fw, unit), evaluate_in_full(fw, unit)
    assert scored_quickly(quick) and not scored_quickly(full)
    assert quick == full
    assert quick != evaluate(fw, data({INPUT: D("101.5")}, {INDICATOR: {"self": D("1.5")}}))


def test_unit_data_still_travels_to_worker_processes() -> None:
    import pickle

    fw = get_registry().framework("hunan.hecheng.dept.2020")
    unit = load_data(EXAMPLES / "hunan" / "hecheng-dept-2020.toml", fw)
    copy = pickle.loads(pickle.dumps(unit))
    assert copy == unit and evaluate(fw, copy) == evaluate(fw, unit)
    with pytest.raises(TypeError):
        copy.inputs["编制数"] = D(1)  # type: ignore[index]
