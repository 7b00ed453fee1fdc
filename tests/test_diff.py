"""`evalcore diff` compares what scores a unit: indicators and rules, and the settings around them
(rounding, grades, inputs and their domains, a target form's own rules)."""

from __future__ import annotations

from pathlib import Path

from evalcore import get_registry, loads_framework
from evalcore.checker import diff_frameworks

from .conftest import ROOT

NATIONAL = (ROOT / "rulesets" / "national" / "project-targets-2020.toml").read_text(encoding="utf-8")


def test_two_forms_differing_only_in_form_settings_are_not_called_identical(tmp_path: Path) -> None:
    before = loads_framework(NATIONAL, name="a.toml")
    after = loads_framework(NATIONAL.replace("execution_weight = 10", "execution_weight = 20").replace("over_margin = 20", "over_margin = 30").replace('{ name = "部分达成", at_least = 60, below = 80 }', '{ name = "部分达成", at_least = 60, at_most = 79 }'), name="b.toml")
    messages = [c.message for c in diff_frameworks(before, after)]
    assert "预算执行率分值：10 → 20" in messages
    assert "超出目标的提示幅度：20 → 30" in messages
    assert any(m.startswith("定性指标评定档次：") for m in messages)
    assert diff_frameworks(before, loads_framework(NATIONAL, name="c.toml")) == []


def test_input_domains_rounding_and_grades_are_compared() -> None:
    registry = get_registry()
    before = registry.framework("hunan.hecheng.dept.2020")
    text = (ROOT / "rulesets" / "hunan" / "hecheng-dept-2020.toml").read_text(encoding="utf-8")
    changed = text.replace('id = "编制数"\nlabel = "编制数"\ntype = "count"\nunit = "人"\nmin = 0\nmax = 100000', 'id = "编制数"\nlabel = "编制数"\ntype = "count"\nunit = "人"\nmin = 0\nmax = 5000', 1)
    assert changed != text
    after = loads_framework(changed, name="b.toml")
    messages = [c.message for c in diff_frameworks(before, after)]
    assert messages == ["基础数据“编制数”的取值范围：0–100000 的整数（人） → 0–5000 的整数（人）"]
