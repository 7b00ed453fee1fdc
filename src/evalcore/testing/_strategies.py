"""Test helpers for framework authors: Hypothesis strategies for a framework's data and the
properties the core asserts for its own rule kinds, ready to assert for any framework.

Requires the test extra (``pip install 'evalcore[test]'``)::

    from hypothesis import given
    from evalcore import get_registry
    from evalcore.testing import assert_sound, unit_data

    FRAMEWORK = get_registry().framework("hunan.taojiang.dept.2021")

    @given(unit_data(FRAMEWORK))
    def test_every_score_is_within_its_weight(data):
        assert_sound(FRAMEWORK, data)
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ..engine import evaluate, evaluate_in_full
from ..model import Evaluation, Framework, GroupResult, Indicator, InputSpec, Result
from ..rules import BandsRule, ChecklistRule, JudgmentRule, PerCaseRule, SignRule

__all__ = ["assert_sound", "evaluation_differences", "input_values", "outside_values", "unit_data"]


def _decimals(low: str, high: str, places: int = 2) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=places, allow_nan=False, allow_infinity=False)


# Where a domain declares no bound, the plausible range drawn from: amounts and counts up to a
# million, rates up to 200 %.
_PLAUSIBLE = {"percent": (Decimal(0), Decimal(200)), "count": (Decimal(0), Decimal(100_000))}
_DEFAULT = (Decimal(0), Decimal(1_000_000))


def input_values(spec: InputSpec) -> st.SearchStrategy[Any]:
    """Plausible values of one input inside its declared domain, including the awkward ones (its
    bounds, 0, 1, 100)."""
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "text":
        return st.text(min_size=1, max_size=20)
    domain = spec.domain
    low_default, high_default = _PLAUSIBLE.get(spec.type, _DEFAULT)
    low = domain.min if domain.min is not None else -high_default
    high = domain.max if domain.max is not None else high_default
    if domain.min is None and spec.type in _PLAUSIBLE:
        low = low_default
    edges = [v for v in (low, high, Decimal(0), Decimal(1), Decimal(100)) if low <= v <= high]
    if domain.integer:
        return st.integers(min_value=int(low), max_value=int(high)) | st.sampled_from([int(v) for v in edges if v == v.to_integral_value()])
    return _decimals(str(low), str(high)) | st.sampled_from(edges)


def outside_values(spec: InputSpec) -> st.SearchStrategy[Any] | None:
    """Values of one numeric input outside its declared domain (below its minimum, above its
    maximum, a fraction for a whole number); None when its domain excludes nothing."""
    domain = spec.domain
    if spec.type in ("bool", "text"):
        return None
    choices: list[st.SearchStrategy[Any]] = []
    if domain.min is not None:
        choices.append(_decimals(str(domain.min - 1_000_000), str(domain.min - Decimal("0.01"))))
    if domain.max is not None:
        choices.append(_decimals(str(domain.max + Decimal("0.01")), str(domain.max + 1_000_000)))
    if domain.integer:
        top = domain.max if domain.max is not None else Decimal(100_000)
        bottom = domain.min if domain.min is not None else Decimal(0)
        choices.append(st.integers(int(bottom), int(top) - 1).map(lambda n: Decimal(n) + Decimal("0.5")))
    return st.one_of(choices) if choices else None


def _entry(indicator: Indicator) -> st.SearchStrategy[dict[str, Any]]:
    rule = indicator.rule
    weight = indicator.weight
    judged = st.fixed_dictionaries({"score": _decimals("0", str(weight)), "reason": st.just("测试评定")})
    if isinstance(rule, ChecklistRule):
        return st.fixed_dictionaries({"checkpoints": st.lists(st.booleans(), min_size=len(rule.checkpoints), max_size=len(rule.checkpoints))})
    if isinstance(rule, PerCaseRule):
        return st.fixed_dictionaries({"cases": st.integers(min_value=0, max_value=50)})
    if isinstance(rule, (JudgmentRule, SignRule, BandsRule)):
        return judged | st.just({})
    return st.just({})


@st.composite
def unit_data(draw: st.DrawFn, framework: Framework, missing: bool = True) -> dict[str, Any]:
    """A data mapping for `evaluate(framework, data)`; with `missing`, inputs may be left out. For a
    target form: a budget and rows that fit its categories and blocks (`form_data`)."""
    if framework.form is not None:
        from ._form_strategies import form_data

        return draw(form_data(framework))
    inputs: dict[str, Any] = {}
    for spec in framework.inputs:
        if missing and draw(st.integers(0, 9)) == 0:
            continue
        value = draw(input_values(spec))
        inputs[spec.id] = str(value) if isinstance(value, Decimal) else value
    indicators: dict[str, Any] = {}
    exemptions: dict[str, str] = {}
    for leaf in framework.leaves():
        entry = dict(draw(_entry(leaf)))
        # The unit's own figures, which agree with the computed ones or are flagged.
        if draw(st.integers(0, 3)) == 0:
            entry["self"] = draw(_decimals("0", str(leaf.weight)))
        if leaf.formula is not None and draw(st.integers(0, 5)) == 0:
            entry["stated"] = draw(_decimals("0", "200"))
        if entry:
            indicators[leaf.id] = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in entry.items()}
        # An exemption the framework allows, sometimes claimed.
        if leaf.exemption and draw(st.integers(0, 2)) == 0:
            exemptions[leaf.id] = "测试豁免理由"
    data = {"framework": framework.id, "inputs": inputs, "indicators": indicators}
    return data | {"exemptions": exemptions} if exemptions else data


def assert_sound(framework: Framework, data: dict[str, Any]) -> Evaluation:
    """The properties every framework must have, whatever the data: scores within weights, no
    silent numbers, totals that add up. Returns the evaluation for further checks."""
    evaluation = evaluate(framework, data)
    total = Decimal(0)
    for leaf in evaluation.leaves():
        if leaf.score is None:
            assert leaf.status in ("missing", "questioned", "error", "not-applicable"), (leaf.path, leaf.status)
            if leaf.status == "questioned":
                # A question is asked only where the two readings score apart (on a form without
                # points, where they reach the target apart), and says both.
                assert len(leaf.readings) == 2, (leaf.path, leaf.readings)
                assert leaf.readings[0][1] != leaf.readings[1][1] or not framework.scored, (leaf.path, leaf.readings)
            assert leaf.trace, f"{leaf.path}: an unscored indicator must say why"
            continue
        assert Decimal(0) <= leaf.score <= leaf.weight, (leaf.path, leaf.score, leaf.weight)
        total += leaf.score
    assert evaluation.raw_total == total
    assert not any(f.kind == "rule_defect" for f in evaluation.flags), [f.message for f in evaluation.flags if f.kind == "rule_defect"]
    if not evaluation.complete:
        assert evaluation.grade is None and evaluation.ungraded is not None
    if framework.scored and any(leaf.status == "questioned" for leaf in evaluation.leaves()):
        assert evaluation.ungraded == "待核实" and len(evaluation.readings) == 2
    differences = evaluation_differences(evaluation, evaluate_in_full(framework, data))
    assert not differences, "quick scoring disagrees with full scoring:\n" + "\n".join(differences)
    return evaluation


def evaluation_differences(a: Evaluation, b: Evaluation) -> list[str]:
    """Everything a user could see that differs between two evaluations of the same framework:
    each leaf's status, score, value, trace and the unit's own figures; flags; totals; grade."""
    found = []
    for left, right in zip(a.leaves(), b.leaves(), strict=True):
        for name in ("indicator", "status", "score", "value", "trace", "self_score", "review_score", "note", "readings"):
            if getattr(left, name) != getattr(right, name):
                found.append(f"{left.indicator.label} {name}: {getattr(left, name)!r} != {getattr(right, name)!r}")
    for name in ("flags", "total", "max", "grade", "ungraded", "readings", "complete", "self_total", "stated_self_total", "raw_total"):
        if getattr(a, name) != getattr(b, name):
            found.append(f"{name}: {getattr(a, name)!r} != {getattr(b, name)!r}")
    for left_group, right_group in zip(_groups(a.children), _groups(b.children), strict=True):
        sums = (left_group.score, left_group.max, left_group.self_score), (right_group.score, right_group.max, right_group.self_score)
        if sums[0] != sums[1]:
            found.append(f"{'/'.join(left_group.path)} (score, max, self): {sums[0]} != {sums[1]}")
    return found


def _groups(children: tuple[Result, ...]) -> Iterator[GroupResult]:
    for child in children:
        if isinstance(child, GroupResult):
            yield child
            yield from _groups(child.children)
