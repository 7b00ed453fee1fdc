"""Every shipped framework: sound under any data (Hypothesis, via evalcore.testing) and clean
under `evalcore check --strict`."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalcore import get_registry
from evalcore.checker import check_framework
from evalcore.testing import assert_sound, unit_data

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
