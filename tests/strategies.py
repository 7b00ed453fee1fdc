"""Hypothesis strategies and builders for property tests of evalcore's rule kinds.

Everything here is generic: bounded decimals, weights, rule parameters for each built-in kind,
a builder that writes a small framework as TOML text (as a ruleset author would) and loads it with
`evalcore.loads_framework`, and the plain data mappings `evalcore.evaluate` accepts.

Rule parameters are plain mappings in the shape of an `[indicator.rule]` table, so that a test can
both write them into a ruleset and compute the expected points from them by hand.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from evalcore import Evaluation, Framework, LeafResult, evaluate, loads_framework
from evalcore.model import InputSpec
from evalcore.rules import BandsRule, ChecklistRule, JudgmentRule, PerCaseRule, SignRule
from evalcore.testing import input_values

__all__ = [
    "COUNT_MODES",
    "DIRECTIONS",
    "EXPRESSIONS",
    "FRAMEWORK_ID",
    "INDICATOR",
    "INPUT",
    "IN_RANGE_EXPRESSIONS",
    "RULE_KINDS",
    "BandSpec",
    "LeafSpec",
    "RuleCase",
    "band_table",
    "bands_containing",
    "checklist_answers",
    "checklist_rules",
    "checkpoint_points",
    "column_units",
    "compiled_units",
    "contiguous_bands",
    "data",
    "decimals",
    "deduct_rules",
    "evaluate_one",
    "expression_rules",
    "framework",
    "framework_toml",
    "gapped_bands",
    "half_up",
    "judgment_rules",
    "leaf_of",
    "measured_values",
    "one_indicator_framework",
    "one_indicator_toml",
    "per_case_rules",
    "positive_weights",
    "proportional_rules",
    "rule_cases",
    "sign_branches",
    "sign_rules",
    "toml_value",
    "values_near",
    "weights",
]

FRAMEWORK_ID = "test.properties.2024"
INPUT = "x"  # the single numeric input; the indicator's formula is just "x"
INDICATOR = "指标"  # the name (and id) of the indicator a one-indicator framework holds
DIRECTIONS = ("over", "under", "both")
COUNT_MODES = ("whole", "started", "pro-rata")

D = Decimal
CENT = Decimal("0.01")


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------


def decimals(min_value: Decimal | int | str, max_value: Decimal | int | str, places: int = 2) -> st.SearchStrategy[Decimal]:
    """Finite decimals in [min_value, max_value] with exactly `places` places after the point."""
    return st.decimals(min_value=D(min_value), max_value=D(max_value), places=places, allow_nan=False, allow_infinity=False)


def weights(min_value: Decimal | int | str = 0, max_value: Decimal | int | str = 20) -> st.SearchStrategy[Decimal]:
    """An indicator's 分值: non-negative, two places (the default rounding of a framework)."""
    return decimals(min_value, max_value)


def positive_weights(max_value: Decimal | int | str = 20) -> st.SearchStrategy[Decimal]:
    return decimals("0.01", max_value)


def measured_values(min_value: Decimal | int | str = -500, max_value: Decimal | int | str = 500) -> st.SearchStrategy[Decimal]:
    """A measured value as the formula gives it: two places, so the framework's rounding keeps it."""
    return decimals(min_value, max_value)


def values_near(center: Decimal, near: Decimal | int = 10, far: Decimal | int = 400) -> st.SearchStrategy[Decimal]:
    """Two-place values around `center`: often within `near` of it (where rules change their mind),
    sometimes anywhere within `far`."""
    return st.one_of(decimals(center - near, center + near), decimals(center - far, center + far))


def half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Exact 四舍五入 of a rational to `places` places, ties away from zero (as ROUND_HALF_UP)."""
    q = Fraction(value)
    scaled = abs(q) * 10**places
    whole = int(scaled)  # floor, scaled >= 0
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    if q < 0:
        whole = -whole
    return D(whole).scaleb(-places)


# ---------------------------------------------------------------------------------------------
# Rulesets as TOML text
# ---------------------------------------------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_value(value: Any) -> str:
    """A TOML literal for a rule parameter: Decimals as bare numbers, the way rulesets write them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML literal for {value!r}")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


@dataclass(frozen=True)
class LeafSpec:
    """One indicator of a test framework: its rule table, weight and formula (None: no formula)."""

    rule: Mapping[str, Any]
    weight: Decimal
    formula: str | None = INPUT
    name: str = INDICATOR


def framework_toml(
    leaves: Sequence[LeafSpec],
    *,
    inputs: Sequence[str] = (INPUT,),
    total: Decimal | None = None,
    places: int = 2,
    framework_id: str = FRAMEWORK_ID,
) -> str:
    """A complete ruleset: header, numeric inputs, and one [[indicator]] per leaf under one group."""
    if total is None:
        total = sum((leaf.weight for leaf in leaves), D(0))
    lines = [
        "[framework]",
        f"id = {toml_value(framework_id)}",
        'title = "性质测试框架"',
        'region = "测试"',
        'kind = "dept"',
        "year = 2024",
        f"total = {toml_value(total)}",
        f'rounding = {{ places = {places}, mode = "half-up" }}',
        "",
    ]
    for name in inputs:
        lines += ["[[input]]", f"id = {toml_value(name)}", 'type = "number"', ""]
    for leaf in leaves:
        lines += ["[[indicator]]", f"path = {toml_value(['性质', leaf.name])}", f"weight = {toml_value(leaf.weight)}"]
        if leaf.formula is not None:
            lines.append(f"formula = {toml_value(leaf.formula)}")
        lines.append("[indicator.rule]")
        lines += [f"{_toml_key(k)} = {toml_value(v)}" for k, v in leaf.rule.items()]
        lines.append("")
    return "\n".join(lines)


def one_indicator_toml(rule: Mapping[str, Any], weight: Decimal, formula: str | None = INPUT) -> str:
    return framework_toml([LeafSpec(rule, weight, formula)])


@functools.lru_cache(maxsize=512)
def _load(text: str) -> Framework:
    return loads_framework(text, name="properties.toml")


def framework(leaves: Sequence[LeafSpec], **options: Any) -> Framework:
    """Load the framework `framework_toml` writes (frameworks are immutable, so loads are cached)."""
    return _load(framework_toml(leaves, **options))


def one_indicator_framework(rule: Mapping[str, Any], weight: Decimal, formula: str | None = INPUT) -> Framework:
    """A framework of a single indicator with the given rule table, scored from input `x`."""
    return _load(one_indicator_toml(rule, weight, formula))


# ---------------------------------------------------------------------------------------------
# Unit data
# ---------------------------------------------------------------------------------------------


def _data_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")  # a numeric string reads exactly, with no float in between
    if isinstance(value, (list, tuple)):
        return [_data_value(v) for v in value]
    return value


def data(
    inputs: Mapping[str, Any] | None = None,
    indicators: Mapping[str, Mapping[str, Any]] | None = None,
    framework_id: str = FRAMEWORK_ID,
) -> dict[str, Any]:
    """The mapping `evaluate` accepts: {"framework": id, "inputs": {...}, "indicators": {...}}.

    Decimals become numeric strings ("12.50"); checkpoint partial scores keep two places so that
    "1.00" is not read as the yes/no answer "1".
    """
    out: dict[str, Any] = {"framework": framework_id}
    if inputs:
        out["inputs"] = {k: _data_value(v) for k, v in inputs.items()}
    if indicators:
        out["indicators"] = {k: {f: _data_value(v) for f, v in entry.items()} for k, entry in indicators.items()}
    return out


def leaf_of(evaluation: Evaluation, name: str = INDICATOR) -> LeafResult:
    return evaluation.leaf(name)


def evaluate_one(fw: Framework, value: Decimal | None = None, entry: Mapping[str, Any] | None = None) -> tuple[LeafResult, Evaluation]:
    """Evaluate a one-indicator framework with x = value and the indicator's entry."""
    inputs = {INPUT: value} if value is not None else None
    indicators = {INDICATOR: entry} if entry else None
    evaluation = evaluate(fw, data(inputs, indicators, fw.id))
    return leaf_of(evaluation), evaluation


# ---------------------------------------------------------------------------------------------
# Rule parameters, one strategy per kind
# ---------------------------------------------------------------------------------------------


@st.composite
def deduct_rules(
    draw: st.DrawFn,
    directions: Sequence[str] = DIRECTIONS,
    counts: Sequence[str] = COUNT_MODES,
    zero_beyond: bool = False,
) -> dict[str, Any]:
    """kind = "deduct": threshold, per (> 0), points (> 0), direction and count mode."""
    rule: dict[str, Any] = {
        "kind": "deduct",
        "direction": draw(st.sampled_from(list(directions))),
        "threshold": draw(decimals(-100, 200)),
        "per": draw(decimals("0.01", 20)),
        "points": draw(decimals("0.01", 5)),
        "count": draw(st.sampled_from(list(counts))),
    }
    if zero_beyond:
        # The limit lies on the deducting side of the threshold (the loader refuses the other side).
        offset = draw(decimals("0.01", 200))
        below = {"over": False, "under": True, "both": draw(st.booleans())}[rule["direction"]]
        rule["zero_beyond"] = rule["threshold"] - offset if below else rule["threshold"] + offset
    return rule


@dataclass(frozen=True)
class BandSpec:
    """One band as a test sees it; `contains` is the test's own reading of the printed bounds."""

    score: Decimal
    lower: Decimal | None = None
    lower_inclusive: bool = True
    upper: Decimal | None = None
    upper_inclusive: bool = False

    def contains(self, value: Decimal) -> bool:
        above_lower = self.lower is None or value > self.lower or (self.lower_inclusive and value == self.lower)
        below_upper = self.upper is None or value < self.upper or (self.upper_inclusive and value == self.upper)
        return above_lower and below_upper

    def table(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.lower is not None:
            out["at_least" if self.lower_inclusive else "above"] = self.lower
        if self.upper is not None:
            out["at_most" if self.upper_inclusive else "below"] = self.upper
        out["score"] = self.score
        return out


def band_table(bands: Sequence[BandSpec]) -> dict[str, Any]:
    """The rule table of a bands rule listing `bands` in the given order."""
    return {"kind": "bands", "bands": [band.table() for band in bands]}


def bands_containing(bands: Sequence[BandSpec], value: Decimal) -> list[BandSpec]:
    return [band for band in bands if band.contains(value)]


def _band_scores(weight: Decimal, over_weight: bool) -> st.SearchStrategy[Decimal]:
    return decimals(-2, weight + 5) if over_weight else decimals(0, weight)


@st.composite
def contiguous_bands(draw: st.DrawFn, weight: Decimal, over_weight: bool = False, max_cuts: int = 5) -> list[BandSpec]:
    """Bands that cover every value exactly once: (-inf, c1), [c1, c2) ... [ck, +inf), each cut
    closed on a random side. With `over_weight`, scores may lie outside 0..weight."""
    cuts = sorted(draw(st.lists(decimals(-100, 200), max_size=max_cuts, unique=True)))
    closed_below = [draw(st.booleans()) for _ in cuts]  # True: the cut belongs to the band below it
    scores = _band_scores(weight, over_weight)
    bands = []
    for i in range(len(cuts) + 1):
        lower = cuts[i - 1] if i > 0 else None
        upper = cuts[i] if i < len(cuts) else None
        bands.append(
            BandSpec(
                score=draw(scores),
                lower=lower,
                lower_inclusive=not closed_below[i - 1] if i > 0 else True,
                upper=upper,
                upper_inclusive=closed_below[i] if i < len(cuts) else False,
            )
        )
    return bands


@st.composite
def gapped_bands(draw: st.DrawFn, weight: Decimal, max_cuts: int = 4) -> tuple[list[BandSpec], list[Decimal]]:
    """Non-overlapping bands in increasing order with at least one hole, and two-place values that
    fall in a hole (a cut excluded on both sides, a space between two bands, or beyond the ends)."""
    scores = decimals(0, weight)
    lengths = decimals("0.01", 50)
    pos = draw(decimals(-100, 100))
    bands: list[BandSpec] = []
    gaps: list[Decimal] = []
    lower: Decimal | None = None
    lower_inclusive = True
    if draw(st.booleans()):  # a lower bound on the first band leaves everything below it undefined
        lower, lower_inclusive = pos, draw(st.booleans())
        gaps += [pos - CENT] + ([] if lower_inclusive else [pos])
        pos += draw(lengths)
    for _ in range(draw(st.integers(0, max_cuts))):
        junction = draw(st.sampled_from(["closed-below", "closed-above", "point-gap", "interval-gap"]))
        upper, upper_inclusive = pos, junction == "closed-below"
        bands.append(BandSpec(draw(scores), lower, lower_inclusive, upper, upper_inclusive))
        if junction == "point-gap":  # below c, then above c: c itself is in no band
            lower, lower_inclusive = upper, False
            gaps.append(upper)
        elif junction == "interval-gap":
            lower, lower_inclusive = upper + draw(decimals("0.02", 10)), draw(st.booleans())
            gaps += [upper, upper + CENT, lower - CENT] + ([] if lower_inclusive else [lower])
        else:
            lower, lower_inclusive = upper, not upper_inclusive
        pos = lower + draw(lengths)
    if draw(st.booleans()) or not gaps:  # an upper bound on the last band leaves everything above it undefined
        upper_inclusive = draw(st.booleans())
        gaps += [pos + CENT] + ([] if upper_inclusive else [pos])
        bands.append(BandSpec(draw(scores), lower, lower_inclusive, pos, upper_inclusive))
    else:
        bands.append(BandSpec(draw(scores), lower, lower_inclusive))
    return bands, gaps


@st.composite
def proportional_rules(draw: st.DrawFn, reverse: bool | None = None) -> dict[str, Any]:
    """kind = "proportional": target > 0, optionally reversed (smaller is better)."""
    rule: dict[str, Any] = {"kind": "proportional", "target": draw(decimals("0.01", 500))}
    rev = draw(st.booleans()) if reverse is None else reverse
    if rev or draw(st.booleans()):
        rule["reverse"] = rev
    return rule


def sign_branches(weight: Decimal, over_weight: bool = False) -> st.SearchStrategy[Any]:
    """A sign-rule branch: a fixed score, or { judgment = [low, high] } within 0..weight."""
    fixed = decimals(-2, weight + 5) if over_weight else decimals(0, weight)
    judged = st.tuples(decimals(0, weight), decimals(0, weight)).map(lambda p: {"judgment": sorted(p)})
    return st.one_of(fixed, judged)


@st.composite
def sign_rules(draw: st.DrawFn, weight: Decimal, over_weight: bool = False) -> dict[str, Any]:
    """kind = "sign": the points for a value > 0, = 0 and < 0."""
    branch = sign_branches(weight, over_weight)
    return {"kind": "sign", "positive": draw(branch), "zero": draw(branch), "negative": draw(branch)}


@st.composite
def checklist_rules(draw: st.DrawFn, mode: str | None = None, max_items: int = 8) -> dict[str, Any]:
    """kind = "checklist": 1..max_items checkpoints; sometimes a per_missing default for some."""
    size = draw(st.integers(1, max_items))
    rule: dict[str, Any] = {"kind": "checklist", "mode": mode or draw(st.sampled_from(["award", "deduct"]))}
    per_missing = draw(st.none() | decimals("0.01", 5))
    if per_missing is not None:
        rule["per_missing"] = per_missing
    items = []
    for i in range(size):
        item: dict[str, Any] = {"text": f"要点{i + 1}"}
        if per_missing is None or draw(st.booleans()):
            item["points"] = draw(decimals("0.01", 5))
        items.append(item)
    rule["checkpoints"] = items
    return rule


def checkpoint_points(rule: Mapping[str, Any]) -> list[Decimal]:
    """Each checkpoint's points as the rule table gives them (its own, else per_missing)."""
    return [item.get("points", rule.get("per_missing")) for item in rule["checkpoints"]]


@st.composite
def checklist_answers(draw: st.DrawFn, rule: Mapping[str, Any], partial: bool = True) -> list[bool | Decimal]:
    """One answer per checkpoint: yes/no, or (with `partial`) a part of the checkpoint's points."""
    answers: list[bool | Decimal] = []
    for pts in checkpoint_points(rule):
        options: st.SearchStrategy[bool | Decimal] = st.booleans()
        if partial:
            options = st.one_of(st.booleans(), decimals(0, pts))
        answers.append(draw(options))
    return answers


@st.composite
def per_case_rules(draw: st.DrawFn) -> dict[str, Any]:
    """kind = "per-case": points (> 0) deducted per case."""
    return {"kind": "per-case", "points": draw(decimals("0.01", 5)), "what": "不符合要求的情形"}


@st.composite
def judgment_rules(draw: st.DrawFn, weight: Decimal, tiers: bool = False) -> dict[str, Any]:
    """kind = "judgment": optional min/max within 0..weight; optional tiers (percent of weight)."""
    rule: dict[str, Any] = {"kind": "judgment"}
    low = draw(st.none() | decimals(0, weight))
    high = draw(st.none() | decimals(low if low is not None else 0, weight))
    if low is not None:
        rule["min"] = low
    if high is not None:
        rule["max"] = high
    if tiers:
        rule["tiers"] = []
        for i in range(draw(st.integers(1, 4))):
            bounds = sorted(draw(st.tuples(decimals(0, 100, 0), decimals(0, 100, 0))))
            rule["tiers"].append({"name": f"档次{i + 1}", "from": bounds[0], "to": bounds[1]})
    return rule


# Expression families: the source and the same computation written by hand over Fractions.
EXPRESSIONS: dict[str, Any] = {
    "min(weight, value / {k})": lambda w, v, k: min(w, v / k),
    "max(0, weight - value * {k})": lambda w, v, k: max(Fraction(0), w - v * k),
    "value * {k}": lambda w, v, k: v * k,
    "weight * value / {k}": lambda w, v, k: w * v / k,
    "min(weight, max(0, value)) / {k} * {k}": lambda w, v, k: min(w, max(Fraction(0), v)) / k * k,
    "max(0, weight - max(0, value) * {k})": lambda w, v, k: max(Fraction(0), w - max(Fraction(0), v) * k),
}
# The families that can never leave 0..weight whatever the value and k.
IN_RANGE_EXPRESSIONS = ("min(weight, max(0, value)) / {k} * {k}", "max(0, weight - max(0, value) * {k})")


@st.composite
def expression_rules(draw: st.DrawFn, templates: Sequence[str] | None = None) -> tuple[dict[str, Any], Any]:
    """kind = "expression" from a small family, with its hand computation f(weight, value)."""
    template = draw(st.sampled_from(list(templates or EXPRESSIONS)))
    k = draw(decimals("0.01", 50))
    source = template.format(k=format(k, "f"))

    def by_hand(weight: Decimal, value: Decimal) -> Fraction:
        return Fraction(EXPRESSIONS[template](Fraction(weight), Fraction(value), Fraction(k)))

    return {"kind": "expression", "expr": source}, by_hand


# ---------------------------------------------------------------------------------------------
# Any rule kind
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleCase:
    """A rule of some kind with a weight, the measured value and the indicator's entry."""

    kind: str
    weight: Decimal
    rule: Mapping[str, Any]
    formula: str | None
    value: Decimal | None
    entry: Mapping[str, Any]

    def framework(self) -> Framework:
        return one_indicator_framework(self.rule, self.weight, self.formula)


RULE_KINDS = ("deduct", "bands", "proportional", "sign", "checklist", "per-case", "judgment", "expression")


@st.composite
def rule_cases(draw: st.DrawFn, kinds: Sequence[str] = RULE_KINDS, over_weight: bool = True) -> RuleCase:
    """Any built-in kind with arbitrary parameters and inputs. With `over_weight`, kinds whose
    parameters can award more than the weight (bands, sign, expression) sometimes do."""
    kind = draw(st.sampled_from(list(kinds)))
    weight = draw(weights())
    value: Decimal | None = draw(measured_values())
    reason = {"reason": "评价组依据现场核查评定"}
    entry: dict[str, Any] = {}
    formula: str | None = INPUT
    if kind == "deduct":
        rule = draw(deduct_rules(zero_beyond=draw(st.booleans())))
    elif kind == "bands":
        rule = band_table(draw(st.permutations(draw(contiguous_bands(weight, over_weight)))))
    elif kind == "proportional":
        rule = draw(proportional_rules())
    elif kind == "sign":
        rule = draw(sign_rules(weight, over_weight))
        entry = {"score": draw(decimals(0, weight)), **reason}
    elif kind == "checklist":
        rule = draw(checklist_rules())
        entry = {"checkpoints": draw(checklist_answers(rule))}
        formula, value = None, None
    elif kind == "per-case":
        rule = draw(per_case_rules())
        entry = {"cases": draw(st.integers(0, 60))}
        formula, value = None, None
    elif kind == "judgment":
        rule = draw(judgment_rules(weight, tiers=draw(st.booleans())))
        entry = {"score": draw(decimals(0, weight)), **reason}
        if "tiers" in rule and draw(st.booleans()):
            entry["tier"] = draw(st.sampled_from([t["name"] for t in rule["tiers"]]))
        formula, value = None, None
    else:
        templates = None if over_weight else IN_RANGE_EXPRESSIONS
        rule, _ = draw(expression_rules(templates))
    return RuleCase(kind, weight, rule, formula, value, entry)


# ---------------------------------------------------------------------------------------------
# Whole units for a framework, boundaries included (the compiled scorer's differential tests)
# ---------------------------------------------------------------------------------------------

# Small whole numbers whose ratios fall on half-cent ties (1 / 8 = 12.5 %, 1 / 16 × 100 = 6.25,
# 1 / 80 × 100 = 1.25, 3 / 8 …) and on exact multiples.
_TIE_MAKERS = (1, 2, 3, 4, 5, 8, 16, 40, 80, 125, 200, 400, 625, 1000, 1600, 3125)


def _compiled_value(spec: InputSpec) -> st.SearchStrategy[Any]:
    """One input's value across its declared domain: anywhere in it, its bounds (through
    `input_values`), numbers making half-cent ties, half-cent figures themselves (12.345), and,
    for a percent, a bare fraction 0 < v ≤ 1 that is read two ways (待核实)."""
    choices: list[st.SearchStrategy[Any]] = [input_values(spec)]
    if spec.type in ("bool", "text"):
        return choices[0]
    domain = spec.domain

    def inside(value: Decimal) -> bool:
        return domain.contains(value)

    choices.append(st.sampled_from(_TIE_MAKERS).map(D).filter(inside))
    if not domain.integer:
        choices.append(decimals(0, 1000, places=3).filter(inside))
    if spec.type == "percent":
        choices.append(decimals("0.01", 1).filter(inside))
    return st.one_of(choices)


def _compiled_entry(draw: st.DrawFn, framework: Framework, leaf: Any) -> dict[str, Any]:
    rule, weight = leaf.rule, leaf.weight
    entry: dict[str, Any] = {}
    judged = st.fixed_dictionaries({"score": decimals(0, weight, places=draw(st.sampled_from([2, 3]))), "reason": st.just("测试评定")})
    if isinstance(rule, ChecklistRule):
        size = draw(st.sampled_from([len(rule.checkpoints), len(rule.checkpoints), len(rule.checkpoints) + 1]))
        answers = [draw(st.booleans() | decimals(0, max(point.points for point in rule.checkpoints) + 1)) for _ in range(size)]
        entry["checkpoints"] = answers
    elif isinstance(rule, PerCaseRule):
        entry["cases"] = draw(st.integers(min_value=0, max_value=50))
    elif isinstance(rule, (JudgmentRule, SignRule, BandsRule)) and draw(st.booleans()):
        entry.update(draw(judged))
        tiers = getattr(rule, "tiers", ())
        if tiers and draw(st.booleans()):
            entry["tier"] = draw(st.sampled_from([tier.name for tier in tiers] + ["不存在的档"]))
    elif draw(st.integers(0, 9)) == 0:
        entry.update(draw(judged))
    if draw(st.integers(0, 5)) == 0:
        entry["self"] = draw(decimals(0, weight))
    if leaf.formula is not None and draw(st.integers(0, 5)) == 0:
        entry["stated"] = draw(decimals(0, 200, places=draw(st.sampled_from([0, 1, 2]))))
    if draw(st.integers(0, 24)) == 0:
        entry = {"not_applicable": True, "reason": "测试不适用"}
    return entry


@st.composite
def compiled_units(draw: st.DrawFn, framework: Framework) -> dict[str, Any]:
    """A data mapping for `evaluate(framework, data)` drawn across every input's declared domain:
    bounds, half-cent ties, bare percent fractions, missing inputs; and per indicator the entries a
    unit may give (answers in and out of range, evaluator's scores with and without a reason,
    tiers, cases, self-scores, stated figures, not applicable)."""
    inputs: dict[str, Any] = {}
    for spec in framework.inputs:
        if draw(st.integers(0, 14)) == 0:
            continue
        value = draw(_compiled_value(spec))
        inputs[spec.id] = str(value) if isinstance(value, Decimal) else value
    indicators = {}
    for leaf in framework.leaves():
        entry = _compiled_entry(draw, framework, leaf)
        if entry:
            indicators[leaf.id] = {k: ([_data_value(a) for a in v] if isinstance(v, list) else _data_value(v)) for k, v in entry.items()}
    data: dict[str, Any] = {"framework": framework.id, "inputs": inputs, "indicators": indicators}
    # Where the framework allows an exemption (桃江 成本节约率), the unit sometimes claims it.
    allowed = [leaf for leaf in framework.leaves() if leaf.exemption]
    claimed = [leaf.id for leaf in allowed if draw(st.booleans())]
    if claimed:
        data["exemptions"] = {name: "市场价格上涨，按评分标准可不扣分" for name in claimed}
    return data


def _typical_value(spec: InputSpec) -> st.SearchStrategy[Any]:
    """A figure well inside its domain, as most units' are: a count from 1 to 1000, a percent from
    50 to 120 %, an amount from 1 to 100000 with cents."""
    if spec.type in ("bool", "text"):
        return input_values(spec)
    domain = spec.domain
    if domain.integer:
        return st.integers(1, 1000).map(D).filter(domain.contains)
    if spec.type == "percent":
        return decimals(50, 120).filter(domain.contains)
    return decimals(1, 100000).filter(domain.contains)


@st.composite
def column_units(draw: st.DrawFn, framework: Framework, typical: bool = False) -> dict[str, Any]:
    """A unit with nothing to report beside its figures, as most of a batch is: every numeric input
    given (anywhere in its domain, its bounds, half-cent ties, bare percent fractions; or, with
    `typical`, well inside it), entries only where a kind is scored from them (answers, an
    evaluator's score with its reason, cases)."""
    inputs: dict[str, Any] = {}
    for spec in framework.inputs:
        value = draw(_typical_value(spec) if typical else _compiled_value(spec))
        inputs[spec.id] = str(value) if isinstance(value, Decimal) else value
    indicators: dict[str, Any] = {}
    for leaf in framework.leaves():
        rule = leaf.rule
        if isinstance(rule, ChecklistRule):
            indicators[leaf.id] = {"checkpoints": [draw(st.booleans()) for _ in rule.checkpoints]}
        elif isinstance(rule, PerCaseRule):
            indicators[leaf.id] = {"cases": draw(st.integers(min_value=0, max_value=20))}
        elif isinstance(rule, JudgmentRule) and (typical or draw(st.booleans())):
            low, high = rule.bounds(leaf.weight)
            indicators[leaf.id] = {"score": _data_value(draw(decimals(low, high))), "reason": "测试评定"}
    return {"framework": framework.id, "inputs": inputs, "indicators": indicators}


# Text as the terminal table's cells hold it: Chinese and Latin letters, digits, the marks it
# prints, spaces; a line may run past its column (it is cut with …).
_CELL_ALPHABET = "指标分值得分自评计分依据ab ３1.0≠—（）［］%"
_STYLES = ("", "bold", "dim", "bold red", "yellow")


@st.composite
def table_cells(draw: st.DrawFn, widths: Sequence[int]) -> tuple[list[tuple[str, str]], str]:
    """One row of the terminal table: per column, its text (lines joined by newlines) and its own
    style; and the row's style."""
    cells = []
    for width in widths:
        lines = draw(st.lists(st.text(_CELL_ALPHABET, max_size=width + 2), min_size=1, max_size=3))
        cells.append(("\n".join(lines), draw(st.sampled_from(_STYLES))))
    return cells, draw(st.sampled_from(("", "bold")))
