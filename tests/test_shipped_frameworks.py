"""Every shipped framework: sound under any data (Hypothesis, via evalcore.testing), clean under
`evalcore check --strict`, and every input read inside its declared domain and refused outside it."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalcore import DataError, fmt, get_registry
from evalcore.checker import check_framework
from evalcore.cli._common import evaluate_file
from evalcore.load import data_from_mapping
from evalcore.model import describe_rule
from evalcore.testing import assert_sound, input_values, outside_values, unit_data

REGISTRY = get_registry()
IDS = sorted(REGISTRY.entries)


@pytest.mark.parametrize("framework_id", IDS)
def test_shipped_framework_passes_strict_check(framework_id: str) -> None:
    findings = [f for f in check_framework(REGISTRY.framework(framework_id)) if f.severity != "info"]
    assert findings == [], [f"{f.where} {'/'.join(f.path)} {f.message}" for f in findings]


@pytest.mark.parametrize("framework_id", [i for i in IDS if REGISTRY.framework(i).form is None])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_shipped_framework_is_sound_for_any_data(framework_id: str, data: st.DataObject) -> None:
    framework = REGISTRY.framework(framework_id)
    assert_sound(framework, data.draw(unit_data(framework)))


WITH_INPUTS = [i for i in IDS if REGISTRY.framework(i).inputs]


@pytest.mark.parametrize("framework_id", WITH_INPUTS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_values_inside_every_declared_domain_are_read(framework_id: str, data: st.DataObject) -> None:
    framework = REGISTRY.framework(framework_id)
    spec = data.draw(st.sampled_from([s for s in framework.inputs if s.type not in ("bool", "text")]))
    value = data.draw(input_values(spec))
    unit = data_from_mapping({"framework": framework_id, "inputs": {spec.id: str(value)}}, framework)
    assert Decimal(unit.inputs[spec.id]) == Decimal(value)


@pytest.mark.parametrize("framework_id", WITH_INPUTS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_values_outside_every_declared_domain_are_located_errors(framework_id: str, data: st.DataObject) -> None:
    framework = REGISTRY.framework(framework_id)
    spec = data.draw(st.sampled_from([s for s in framework.inputs if s.type not in ("bool", "text")]))
    outside = outside_values(spec)
    assert outside is not None, f"{spec.id}: a shipped input must declare a domain that excludes something"
    value = data.draw(outside)
    with pytest.raises(DataError) as caught:
        data_from_mapping({"framework": framework_id, "inputs": {spec.id: str(value)}}, framework)
    assert caught.value.location.key == f"inputs.{spec.id}" and fmt(value) in str(caught.value)


@pytest.mark.parametrize("framework_id", [i for i in IDS if REGISTRY.framework(i).form is not None])
@settings(max_examples=30, deadline=None)
@given(amount=st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_form_budget_figures_inside_their_domain_are_read_and_outside_refused(framework_id: str, amount: Decimal) -> None:
    framework = REGISTRY.framework(framework_id)
    divisor = framework.form.execution_divisor if framework.form is not None else "全年预算数"
    mapping = {"framework": framework_id, "budget": {divisor: "100", "执行数": str(amount)}, "targets": [{"path": ["产出指标", "数量指标", "人数"], "target": "≥10人", "actual": "10人", "weight": 1}]}
    if 0 <= amount <= 100_000_000:
        assert data_from_mapping(mapping, framework).form is not None
    else:
        with pytest.raises(DataError, match="执行数"):
            data_from_mapping(mapping, framework)



EXAMPLE_FILES = sorted((Path(__file__).parent.parent / "examples").glob("*/*.toml"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_every_rule_a_table_prints_is_written_in_chinese(path: Path) -> None:
    # The 评分标准 cell of a rule without printed text is the rule's own description (a target
    # form's rows come from the data): no formula notation (min, max) and no English word may
    # reach a filed table, nor the lines of its 计分依据.
    found = []
    for leaf in evaluate_file(path, None).leaves():
        indicator = leaf.indicator
        for text in (indicator.printed or describe_rule(indicator.rule, indicator.weight, indicator.unit), *leaf.trace):
            if re.search(r"[A-Za-z]{2,}|min\(|max\(", text):
                found.append(f"{'/'.join(indicator.path)}: {text}")
    assert found == []
