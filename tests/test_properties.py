"""Properties every rule kind must have, checked with Hypothesis through `evaluate`.

Each expected score is worked by hand from the published rule (exact Fractions, then 四舍五入 to the
framework's two places) and never obtained by calling the code under test. Going through
`evaluate` means the evaluator's rounding and its 0..weight range check are part of every check.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from evalcore import DataError, Evaluation, IndicatorEntry, LeafResult, RulesetError, UnitData, evaluate

from .strategies import (
    INDICATOR,
    BandSpec,
    LeafSpec,
    RuleCase,
    band_table,
    bands_containing,
    checklist_answers,
    checklist_rules,
    checkpoint_points,
    contiguous_bands,
    data,
    decimals,
    deduct_rules,
    evaluate_one,
    expression_rules,
    framework,
    gapped_bands,
    half_up,
    judgment_rules,
    measured_values,
    one_indicator_framework,
    per_case_rules,
    positive_weights,
    proportional_rules,
    rule_cases,
    sign_rules,
    values_near,
    weights,
)

D = Decimal
ZERO = D(0)
REASON = "评价组依据现场核查评定"

FAST = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def has_flag(evaluation: Evaluation, kind: str, leaf: LeafResult) -> bool:
    return any(flag.kind == kind and flag.path == leaf.path for flag in evaluation.flags)


def assert_scored_or_defect(leaf: LeafResult, evaluation: Evaluation, expected: Decimal) -> None:
    """`expected` is the hand-computed, rounded score: taken when within 0..weight, else refused as a
    rule defect (status "error", flag "rule_defect") rather than shown out of range."""
    if ZERO <= expected <= leaf.weight:
        assert leaf.score == expected, leaf.trace
        assert leaf.status in ("scored", "judgment"), leaf.trace
    else:
        assert leaf.score is None, leaf.trace
        assert leaf.status == "error", leaf.trace
        assert has_flag(evaluation, "rule_defect", leaf), evaluation.flags


# ---------------------------------------------------------------------------------------------
# 1. Every kind: a leaf score is None or within 0..weight; awards above the weight are defects
# ---------------------------------------------------------------------------------------------


@FAST
@given(rule_cases())
def test_every_kind_scores_none_or_within_weight(case: RuleCase) -> None:
    leaf, evaluation = evaluate_one(case.framework(), case.value, case.entry)
    assert leaf.score is None or ZERO <= leaf.score <= case.weight, leaf.trace
    if leaf.score is None:
        assert leaf.status in ("missing", "error"), leaf.trace
        assert has_flag(evaluation, "rule_defect", leaf) or has_flag(evaluation, "rule_error", leaf)
    assert evaluation.total == (leaf.score or ZERO)


@FAST
@given(st.data())
def test_awards_above_weight_are_rule_defects_not_scores(draw: st.DataObject) -> None:
    weight = draw.draw(weights(0, 10), "weight")
    excess = draw.draw(decimals("0.01", 10), "excess")
    above = weight + excess
    kind = draw.draw(st.sampled_from(["bands", "sign", "expression"]), "kind")
    value = draw.draw(measured_values(), "value")
    if kind == "bands":
        rule: dict[str, Any] = band_table([BandSpec(above)])
    elif kind == "sign":
        rule = {"kind": "sign", "positive": above, "zero": above, "negative": above}
    else:
        rule = {"kind": "expression", "expr": f"weight + {excess}"}
    leaf, evaluation = evaluate_one(one_indicator_framework(rule, weight), value)
    assert leaf.score is None
    assert leaf.status == "error"
    assert has_flag(evaluation, "rule_defect", leaf)
    assert evaluation.total == ZERO and not evaluation.complete


@FAST
@example(RuleCase("deduct", D("1.5"), {"kind": "deduct", "direction": "over", "threshold": D(100), "per": D(1), "points": D("0.5"), "count": "whole"}, "x", D(90), {}), 0)
@given(rule_cases(over_weight=False), st.integers(0, 2))
def test_rules_within_weight_are_never_rule_defects_whatever_the_rounding(case: RuleCase, places: int) -> None:
    # A weight finer than the framework's rounding (1.5 points, 0 places) could never be awarded
    # in full: the loader refuses it, naming the weight, instead of blaming every rule later.
    if case.weight != case.weight.quantize(D(1).scaleb(-places)):
        with pytest.raises(RulesetError, match="分值 .* 的小数位数多于"):
            framework([LeafSpec(case.rule, case.weight, case.formula)], places=places)
        return
    fw = framework([LeafSpec(case.rule, case.weight, case.formula)], places=places)
    leaf, evaluation = evaluate_one(fw, case.value, case.entry)
    assert not has_flag(evaluation, "rule_defect", leaf), leaf.trace
    assert leaf.score is None or ZERO <= leaf.score <= case.weight


# ---------------------------------------------------------------------------------------------
# 2. deduct
# ---------------------------------------------------------------------------------------------


def distance(rule: dict[str, Any], value: Decimal) -> Decimal:
    threshold: Decimal = rule["threshold"]
    return {"over": value - threshold, "under": threshold - value, "both": abs(value - threshold)}[rule["direction"]]


def deduct_by_hand(rule: dict[str, Any], weight: Decimal, value: Decimal) -> Decimal:
    """Full marks on the good side; beyond it `points` per `per` (whole / started / pro-rata), floored at 0."""
    d = distance(rule, value)
    if d <= 0:
        return half_up(weight)
    limit = rule.get("zero_beyond")
    if limit is not None and d > abs(limit - rule["threshold"]):  # 超出界限不计分
        return ZERO
    steps = Fraction(d) / Fraction(rule["per"])
    if rule["count"] == "whole":
        steps = Fraction(math.floor(steps))
    elif rule["count"] == "started":
        steps = Fraction(math.ceil(steps))
    return half_up(max(Fraction(0), Fraction(weight) - steps * Fraction(rule["points"])))


@FAST
@given(st.booleans().flatmap(lambda zb: deduct_rules(zero_beyond=zb)), weights(), st.data())
def test_deduct_matches_the_published_rule(rule: dict[str, Any], weight: Decimal, draw: st.DataObject) -> None:
    value = draw.draw(values_near(rule["threshold"], rule["per"] * 4), "value")
    leaf, _ = evaluate_one(one_indicator_framework(rule, weight), value)
    assert leaf.status == "scored"
    assert leaf.score == deduct_by_hand(rule, weight, value), leaf.trace


@FAST
@given(st.data(), st.sampled_from(["over", "under"]), st.booleans())
def test_deduct_is_monotone_in_the_right_direction(draw: st.DataObject, direction: str, zero_beyond: bool) -> None:
    rule = draw.draw(deduct_rules(directions=[direction], zero_beyond=zero_beyond), "rule")
    weight = draw.draw(weights(), "weight")
    around = values_near(rule["threshold"], rule["per"] * 4)
    small, large = sorted(draw.draw(st.tuples(around, around), "values"))
    fw = one_indicator_framework(rule, weight)
    small_score = evaluate_one(fw, small)[0].score
    large_score = evaluate_one(fw, large)[0].score
    assert small_score is not None and large_score is not None
    if direction == "over":  # a larger value never scores more
        assert large_score <= small_score
    else:  # a smaller value never scores more
        assert small_score <= large_score


@FAST
@given(
    st.booleans().flatmap(lambda zb: deduct_rules(directions=["both"], zero_beyond=zb)),
    weights(),
    st.one_of(decimals(0, 20), decimals(0, 300)),
    st.one_of(decimals(0, 20), decimals(0, 300)),
    st.booleans(),
    st.booleans(),
)
def test_deduct_both_never_scores_more_further_from_the_threshold(
    rule: dict[str, Any], weight: Decimal, d1: Decimal, d2: Decimal, below1: bool, below2: bool
) -> None:
    near, far = sorted((d1, d2))
    fw = one_indicator_framework(rule, weight)
    t = rule["threshold"]
    near_score = evaluate_one(fw, t - near if below1 else t + near)[0].score
    far_score = evaluate_one(fw, t - far if below2 else t + far)[0].score
    assert near_score is not None and far_score is not None
    assert far_score <= near_score


@FAST
@given(deduct_rules(zero_beyond=True), positive_weights(), decimals("0.01", 100), st.booleans())
def test_deduct_beyond_the_zero_limit_scores_exactly_zero(rule: dict[str, Any], weight: Decimal, past: Decimal, below: bool) -> None:
    t, limit = rule["threshold"], rule["zero_beyond"]
    side = -1 if (limit < t if rule["direction"] != "both" else below) else 1
    value = t + side * (abs(limit - t) + past)
    leaf, _ = evaluate_one(one_indicator_framework(rule, weight), value)
    assert (leaf.status, leaf.score) == ("scored", ZERO), leaf.trace


@FAST
@given(deduct_rules(), weights(), decimals(0, 300))
def test_deduct_full_marks_on_the_good_side(rule: dict[str, Any], weight: Decimal, margin: Decimal) -> None:
    t = rule["threshold"]
    value = {"over": t - margin, "under": t + margin, "both": t}[rule["direction"]]
    leaf, _ = evaluate_one(one_indicator_framework(rule, weight), value)
    assert leaf.score == weight, leaf.trace


@FAST
@given(deduct_rules(), weights(), st.integers(0, 50), st.booleans())
def test_deduct_is_floored_at_exactly_zero(rule: dict[str, Any], weight: Decimal, extra: int, below: bool) -> None:
    # Enough whole steps to take away more than the weight, and then some.
    steps = math.ceil(Fraction(weight) / Fraction(rule["points"])) + 1 + extra
    far = rule["per"] * steps
    t = rule["threshold"]
    value = {"over": t + far, "under": t - far, "both": t - far if below else t + far}[rule["direction"]]
    leaf, _ = evaluate_one(one_indicator_framework(rule, weight), value)
    assert leaf.status == "scored"
    assert leaf.score == ZERO and leaf.score is not None and not leaf.score.is_signed(), leaf.trace


@FAST
@given(st.data(), st.sampled_from(["over", "under", "both"]), st.booleans())
def test_deduct_less_than_one_step_whole_deducts_nothing_started_deducts_one(draw: st.DataObject, direction: str, below: bool) -> None:
    base = draw.draw(deduct_rules(directions=[direction]), "rule")
    assume(base["per"] >= D("0.02"))
    weight = draw.draw(weights(), "weight")
    d = draw.draw(decimals("0.01", base["per"] - D("0.01")), "distance")
    t = base["threshold"]
    value = {"over": t + d, "under": t - d, "both": t - d if below else t + d}[direction]
    whole = evaluate_one(one_indicator_framework({**base, "count": "whole"}, weight), value)[0]
    started = evaluate_one(one_indicator_framework({**base, "count": "started"}, weight), value)[0]
    assert whole.score == weight, whole.trace
    assert started.score == max(ZERO, weight - base["points"]), started.trace


# ---------------------------------------------------------------------------------------------
# 3. bands
# ---------------------------------------------------------------------------------------------


@FAST
@given(st.data(), st.booleans())
def test_bands_score_is_a_function_of_the_value(draw: st.DataObject, over_weight: bool) -> None:
    weight = draw.draw(weights(), "weight")
    bands = draw.draw(contiguous_bands(weight, over_weight=over_weight), "bands")
    listed = draw.draw(st.permutations(bands), "order")  # the order bands are written in must not matter
    cuts = [b.lower for b in bands if b.lower is not None]
    value = draw.draw(st.one_of(measured_values(-150, 250), st.sampled_from(cuts) if cuts else measured_values()), "value")
    fw = one_indicator_framework(band_table(listed), weight)
    containing = bands_containing(bands, value)
    assert len(containing) == 1  # the test's own reading: contiguous bands cover each value once
    leaf, evaluation = evaluate_one(fw, value)
    again, _ = evaluate_one(fw, value)
    assert (again.score, again.status) == (leaf.score, leaf.status)
    assert_scored_or_defect(leaf, evaluation, half_up(containing[0].score))


@FAST
@given(st.data())
def test_bands_value_in_a_gap_is_an_error(draw: st.DataObject) -> None:
    weight = draw.draw(weights(), "weight")
    bands, gaps = draw.draw(gapped_bands(weight), "bands")
    value = draw.draw(st.sampled_from(gaps), "gap value")
    assert bands_containing(bands, value) == []
    leaf, evaluation = evaluate_one(one_indicator_framework(band_table(bands), weight), value)
    assert leaf.status == "error", leaf.trace
    assert leaf.score is None
    assert has_flag(evaluation, "rule_error", leaf)


@FAST
@given(st.data())
def test_bands_non_contiguous_values_outside_gaps_get_their_band(draw: st.DataObject) -> None:
    weight = draw.draw(weights(), "weight")
    bands, _ = draw.draw(gapped_bands(weight), "bands")
    value = draw.draw(measured_values(-200, 300), "value")
    containing = bands_containing(bands, value)
    leaf, _ = evaluate_one(one_indicator_framework(band_table(bands), weight), value)
    if containing:
        assert leaf.score == containing[0].score, leaf.trace
    else:
        assert (leaf.status, leaf.score) == ("error", None), leaf.trace


@FAST
@given(weights(), decimals(-100, 100), decimals(0, 50), decimals(0, 50))
def test_bands_overlap_is_an_error(weight: Decimal, low: Decimal, width: Decimal, into: Decimal) -> None:
    assume(into <= width)
    # [low, ∞) and (-∞, low + width] overlap on [low, low + width].
    rule = band_table([BandSpec(weight, lower=low), BandSpec(ZERO, upper=low + width, upper_inclusive=True)])
    leaf, _ = evaluate_one(one_indicator_framework(rule, weight), low + into)
    assert (leaf.status, leaf.score) == ("error", None), leaf.trace


# ---------------------------------------------------------------------------------------------
# 4. proportional
# ---------------------------------------------------------------------------------------------


@FAST
@example({"kind": "proportional", "target": D(200)}, D(1), D(1))  # 1 × 1 / 200 = 0.005 → 0.01
@given(proportional_rules(reverse=False), weights(), measured_values(-200, 700))
def test_proportional_forward(rule: dict[str, Any], weight: Decimal, value: Decimal) -> None:
    target = rule["target"]
    leaf, _ = evaluate_one(one_indicator_framework(rule, weight), value)
    if value <= 0:
        expected = ZERO
    elif value >= target:
        expected = weight
    else:
        expected = half_up(Fraction(weight) * Fraction(value) / Fraction(target))
    assert leaf.status == "scored"
    assert leaf.score == expected, leaf.trace
    assert leaf.score is not None and leaf.score <= weight


@FAST
@given(proportional_rules(reverse=True), weights(), measured_values(-200, 700))
def test_proportional_reverse(rule: dict[str, Any], weight: Decimal, value: Decimal) -> None:
    target = rule["target"]
    leaf, _ = evaluate_one(one_indicator_framework(rule, weight), value)
    if value <= target:  # smaller is better: at or under the target is full marks
        expected = weight
    else:  # weight × min(target / value, 1)
        expected = half_up(Fraction(weight) * min(Fraction(target) / Fraction(value), Fraction(1)))
    assert leaf.status == "scored"
    assert leaf.score == expected, leaf.trace


# ---------------------------------------------------------------------------------------------
# 5. sign
# ---------------------------------------------------------------------------------------------


@FAST
@given(st.data(), st.booleans())
def test_sign_three_outcomes(draw: st.DataObject, over_weight: bool) -> None:
    weight = draw.draw(weights(), "weight")
    rule = draw.draw(sign_rules(weight, over_weight=over_weight), "rule")
    value = draw.draw(st.one_of(st.just(ZERO), st.just(D("-0.00")), measured_values()), "value")
    branch = rule["positive"] if value > 0 else rule["zero"] if value == 0 else rule["negative"]
    fw = one_indicator_framework(rule, weight)
    if isinstance(branch, Decimal):
        leaf, evaluation = evaluate_one(fw, value)
        assert_scored_or_defect(leaf, evaluation, half_up(branch))
        assert leaf.status in ("scored", "error")
        return
    low, high = branch["judgment"]
    # A judged branch waits for the evaluator's score, and takes it only within its bounds.
    leaf, _ = evaluate_one(fw, value)
    assert (leaf.status, leaf.score) == ("missing", None)
    score = draw.draw(decimals(0, weight), "judged score")
    leaf, _ = evaluate_one(fw, value, {"score": score, "reason": REASON})
    if low <= score <= high:
        assert (leaf.status, leaf.score) == ("judgment", score), leaf.trace
    else:
        assert (leaf.status, leaf.score) == ("error", None), leaf.trace


@FAST
@given(weights(), decimals(0, 20), decimals(0, 20), decimals(0, 20), measured_values())
def test_sign_only_the_sign_matters(weight: Decimal, p: Decimal, z: Decimal, n: Decimal, value: Decimal) -> None:
    p, z, n = (min(s, weight) for s in (p, z, n))
    fw = one_indicator_framework({"kind": "sign", "positive": p, "zero": z, "negative": n}, weight)
    outcomes = {evaluate_one(fw, v)[0].score for v in (value, value * 2, value / 2 if value.copy_abs() >= 1 else value)}
    expected = p if value > 0 else z if value == 0 else n
    assert outcomes == {expected}


# ---------------------------------------------------------------------------------------------
# 6. checklist
# ---------------------------------------------------------------------------------------------


def checklist_by_hand(rule: dict[str, Any], weight: Decimal, answers: list[bool | Decimal]) -> Decimal:
    pts = checkpoint_points(rule)
    got = [p if a is True else ZERO if a is False else a for p, a in zip(pts, answers)]
    if rule["mode"] == "award":
        return min(sum(got, ZERO), weight)
    missed = sum((p - g for p, g in zip(pts, got)), ZERO)
    return max(ZERO, weight - missed)


@FAST
@given(st.data(), st.sampled_from(["award", "deduct"]), st.booleans())
def test_checklist(draw: st.DataObject, mode: str, partial: bool) -> None:
    rule = draw.draw(checklist_rules(mode=mode), "rule")
    weight = draw.draw(weights(), "weight")
    answers = draw.draw(checklist_answers(rule, partial=partial), "answers")
    leaf, _ = evaluate_one(one_indicator_framework(rule, weight, None), entry={"checkpoints": answers})
    assert leaf.status == "scored", leaf.trace
    assert leaf.score == checklist_by_hand(rule, weight, answers), leaf.trace


@FAST
@given(st.data())
def test_checklist_partial_above_the_checkpoint_or_wrong_count_is_an_error(draw: st.DataObject) -> None:
    rule = draw.draw(checklist_rules(), "rule")
    weight = draw.draw(weights(), "weight")
    answers: list[Any] = draw.draw(checklist_answers(rule), "answers")
    pts = checkpoint_points(rule)
    if draw.draw(st.booleans(), "too many points"):
        i = draw.draw(st.integers(0, len(answers) - 1), "which")
        answers[i] = pts[i] + draw.draw(decimals("0.01", 5), "excess")
    else:
        answers = answers + [True] if draw.draw(st.booleans(), "extra") or len(answers) == 1 else answers[:-1]
    leaf, _ = evaluate_one(one_indicator_framework(rule, weight, None), entry={"checkpoints": answers})
    assert (leaf.status, leaf.score) == ("error", None), leaf.trace


# ---------------------------------------------------------------------------------------------
# 7. per-case
# ---------------------------------------------------------------------------------------------


@FAST
@given(per_case_rules(), weights(), st.integers(0, 100))
def test_per_case(rule: dict[str, Any], weight: Decimal, cases: int) -> None:
    leaf, _ = evaluate_one(one_indicator_framework(rule, weight, None), entry={"cases": cases})
    assert leaf.status == "scored"
    assert leaf.score == max(ZERO, weight - cases * rule["points"]), leaf.trace


# ---------------------------------------------------------------------------------------------
# 8. judgment
# ---------------------------------------------------------------------------------------------


@FAST
@given(st.data())
def test_judgment_within_bounds_with_a_reason_is_taken_as_is(draw: st.DataObject) -> None:
    weight = draw.draw(weights(), "weight")
    rule = draw.draw(judgment_rules(weight), "rule")
    low, high = rule.get("min", ZERO), rule.get("max", weight)
    score = draw.draw(decimals(low, high), "score")
    leaf, evaluation = evaluate_one(one_indicator_framework(rule, weight, None), entry={"score": score, "reason": REASON})
    assert (leaf.status, leaf.score) == ("judgment", score), leaf.trace
    assert evaluation.total == score


@FAST
@given(st.data())
def test_judgment_outside_bounds_is_never_taken(draw: st.DataObject) -> None:
    weight = draw.draw(weights(), "weight")
    rule = draw.draw(judgment_rules(weight), "rule")
    low, high = rule.get("min", ZERO), rule.get("max", weight)
    score = draw.draw(decimals(0, weight), "score")
    assume(not low <= score <= high)
    leaf, _ = evaluate_one(one_indicator_framework(rule, weight, None), entry={"score": score, "reason": REASON})
    assert (leaf.status, leaf.score) == ("error", None), leaf.trace


@FAST
@given(st.data())
def test_judgment_tier_bounds(draw: st.DataObject) -> None:
    weight = draw.draw(weights(), "weight")
    rule = draw.draw(judgment_rules(weight, tiers=True), "rule")
    tier = draw.draw(st.sampled_from(rule["tiers"]), "tier")
    score = draw.draw(decimals(0, weight), "score")
    low = Fraction(weight) * Fraction(tier["from"]) / 100
    high = Fraction(weight) * Fraction(tier["to"]) / 100
    leaf, _ = evaluate_one(one_indicator_framework(rule, weight, None), entry={"score": score, "reason": REASON, "tier": tier["name"]})
    if low <= score <= high:
        assert (leaf.status, leaf.score) == ("judgment", score), leaf.trace
    else:
        assert (leaf.status, leaf.score) == ("error", None), leaf.trace


@FAST
@given(st.data(), st.sampled_from([None, "", "   "]))
def test_judgment_without_a_reason_is_never_taken(draw: st.DataObject, reason: str | None) -> None:
    weight = draw.draw(weights(), "weight")
    rule = draw.draw(judgment_rules(weight), "rule")
    low, high = rule.get("min", ZERO), rule.get("max", weight)
    score = draw.draw(decimals(low, high), "score")
    fw = one_indicator_framework(rule, weight, None)
    # Through the data reader: refused outright.
    entry: dict[str, Any] = {"score": score} if reason is None else {"score": score, "reason": reason}
    with pytest.raises(DataError):
        evaluate(fw, data(indicators={INDICATOR: entry}))
    # Past the reader (an IndicatorEntry built in code): the rule itself refuses it.
    for missing in (None, ""):
        unit = UnitData(framework=fw.id, entries={INDICATOR: IndicatorEntry(score=score, reason=missing)})
        leaf = evaluate(fw, unit).leaf(INDICATOR)
        assert (leaf.status, leaf.score) == ("error", None), leaf.trace


# ---------------------------------------------------------------------------------------------
# 9. expression
# ---------------------------------------------------------------------------------------------


@FAST
@example(D(1), D("0.05"))  # 0.005: 四舍五入 gives 0.01 (half-even would give 0.00)
@given(weights(), measured_values(-1000, 1000))
def test_expression_min_weight_value_over_ten(weight: Decimal, value: Decimal) -> None:
    rule = {"kind": "expression", "expr": "min(weight, value / 10)"}
    leaf, evaluation = evaluate_one(one_indicator_framework(rule, weight), value)
    expected = half_up(min(Fraction(weight), Fraction(value) / 10))
    assert_scored_or_defect(leaf, evaluation, expected)
    if value >= 0:
        assert leaf.score == expected


@FAST
@given(expression_rules(), weights(), measured_values())
def test_expression_families(rule_and_hand: tuple[dict[str, Any], Any], weight: Decimal, value: Decimal) -> None:
    rule, by_hand = rule_and_hand
    leaf, evaluation = evaluate_one(one_indicator_framework(rule, weight), value)
    assert_scored_or_defect(leaf, evaluation, half_up(by_hand(weight, value)))


# ---------------------------------------------------------------------------------------------
# 10. Decimal exactness
# ---------------------------------------------------------------------------------------------


def test_ten_tenth_point_cases_leave_exactly_zero() -> None:
    fw = one_indicator_framework({"kind": "per-case", "points": D("0.1")}, D(1), None)
    leaf, evaluation = evaluate_one(fw, entry={"cases": 10})
    assert leaf.status == "scored"
    assert leaf.score == D("0") and leaf.score.is_zero() and not leaf.score.is_signed()
    assert evaluation.total == D("0")


@pytest.mark.parametrize("count", ["pro-rata", "whole", "started"])
def test_ten_tenth_point_deductions_leave_exactly_zero(count: str) -> None:
    rule = {"kind": "deduct", "direction": "over", "threshold": D(0), "per": D(1), "points": D("0.1"), "count": count}
    leaf, _ = evaluate_one(one_indicator_framework(rule, D(1)), D(10))
    assert leaf.score == D("0") and leaf.score is not None and not leaf.score.is_signed()
    # Tenths of a step, pro rata: 0.1 per unit over 0.1 per step.
    rule = {**rule, "per": D("0.1"), "points": D("0.1")}
    leaf, _ = evaluate_one(one_indicator_framework(rule, D(1)), D("0.5"))
    assert leaf.score == D("0.5")


def test_ten_missed_tenth_point_checkpoints_leave_exactly_zero() -> None:
    rule = {"kind": "checklist", "mode": "deduct", "checkpoints": [{"text": f"要点{i}", "points": D("0.1")} for i in range(10)]}
    leaf, _ = evaluate_one(one_indicator_framework(rule, D(1), None), entry={"checkpoints": [False] * 10})
    assert leaf.score == D("0")


@FAST
@given(st.integers(0, 10))
def test_tenth_point_cases_subtract_exactly(cases: int) -> None:
    fw = one_indicator_framework({"kind": "per-case", "points": D("0.1")}, D(1), None)
    leaf, _ = evaluate_one(fw, entry={"cases": cases})
    assert leaf.score == D(10 - cases) / D(10)


def test_tenth_and_fifth_add_exactly_in_the_total() -> None:
    fw = framework(
        [
            LeafSpec({"kind": "per-case", "points": D("0.1")}, D("0.1"), None, "甲"),
            LeafSpec({"kind": "per-case", "points": D("0.1")}, D("0.2"), None, "乙"),
        ]
    )
    evaluation = evaluate(fw, data(indicators={"甲": {"cases": 0}, "乙": {"cases": 0}}))
    assert [leaf.score for leaf in evaluation.leaves()] == [D("0.1"), D("0.2")]
    assert evaluation.total == D("0.3")
    assert evaluation.raw_total == D("0.3")
    assert evaluation.children[0].score == D("0.3")


@FAST
@given(st.lists(weights("0.01", 5), min_size=1, max_size=12), st.data())
def test_leaf_scores_add_exactly_in_the_total(leaf_weights: list[Decimal], draw: st.DataObject) -> None:
    leaves, entries = [], {}
    exact = Fraction(0)
    for i, weight in enumerate(leaf_weights):
        score = draw.draw(decimals(0, weight), f"score {i}")
        leaves.append(LeafSpec({"kind": "judgment"}, weight, None, f"指标{i}"))
        entries[f"指标{i}"] = {"score": score, "reason": REASON}
        exact += Fraction(score)
    evaluation = evaluate(framework(leaves), data(indicators=entries))
    assert evaluation.complete
    assert evaluation.total == D(exact.numerator) / D(exact.denominator)
