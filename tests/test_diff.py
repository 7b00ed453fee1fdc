"""`evalcore diff` compares what scores a unit: indicators and rules, and the settings around them
(rounding, grades, inputs and their domains, a target form's own rules, an indicator's zero_division),
field by field over the classes that hold them, so that a new field is compared too."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs

from evalcore import get_registry, loads_framework
from evalcore.checker import FIELD_WORDS, diff_frameworks, field_changes
from evalcore.model import Category, Domain, FormSpec, Framework, GradeBand, Indicator, InputSpec, Rounding, Tier, ZeroDivisionFallback
from evalcore.rules import Band, Branch, Checkpoint

from .conftest import ROOT
from .helpers import staff_framework, write
from .test_cli import run

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


def test_two_rulesets_differing_only_in_zero_division_are_not_called_the_same(tmp_path: Path) -> None:
    note = 'note = "未核定编制的单位不得分"'
    before = write(tmp_path, "a.toml", staff_framework(zero_division=f"zero_division = {{ score = 0, {note} }}"))
    after = write(tmp_path, "b.toml", staff_framework(zero_division=f"zero_division = {{ score = 2, {note} }}"))
    result = run("diff", str(before), str(after))
    assert result.returncode == 0, result.stderr
    assert "1 处变化" in result.stdout
    expected = "【指标规定调整】“投入/在职人员控制率”的除数为零时的计分：0 分（未核定编制的单位不得分） → 2 分（未核定编制的单位不得分）"
    assert "".join(expected.split()) in "".join(result.stdout.split())
    undeclared = write(tmp_path, "c.toml", staff_framework())
    assert [c.message for c in diff_frameworks(loads_framework(undeclared.read_text(encoding="utf-8")), loads_framework(after.read_text(encoding="utf-8")))] == [
        "“投入/在职人员控制率”的除数为零时的计分：未规定 → 2 分（未核定编制的单位不得分）"
    ]


def test_framework_settings_and_input_declarations_are_compared_field_by_field() -> None:
    text = (ROOT / "rulesets" / "hunan" / "hecheng-dept-2020.toml").read_text(encoding="utf-8")
    before = loads_framework(text, name="a.toml")
    changed = text.replace('not_applicable = "full"\nrounding = { places = 2, mode = "half-up" }', 'not_applicable = "redistribute"\nrounding = { places = 2, mode = "down" }', 1)
    spec = 'id = "编制数"\nlabel = "编制数"\ntype = "count"\nunit = "人"\n'
    assert spec in changed
    changed = changed.replace(spec, spec + "required = false\n", 1)
    messages = [c.message for c in diff_frameworks(before, loads_framework(changed, name="b.toml"))]
    assert "舍入方式：四舍五入 → 截尾" in messages
    assert "不适用指标的处理：计满分 → 分值重新分配" in messages
    assert "基础数据“编制数”的是否必填：是 → 否" in messages
    assert len(messages) == 3, messages


# Every field of the classes a diff compares, and of every built-in rule kind and the parts it is
# made of: named in Chinese, or marked as compared elsewhere or left out (None).
def test_every_compared_field_has_a_chinese_name_or_is_marked() -> None:
    classes = {Framework, Rounding, GradeBand, InputSpec, Domain, FormSpec, Category, Tier, Indicator, ZeroDivisionFallback, Band, Branch, Checkpoint}
    classes |= {kind for kind in get_registry().rule_kinds.values() if attrs.has(kind)}
    for cls in classes:
        fields = {f.name for f in attrs.fields(cls) if f.eq and not f.name.startswith("_")}
        assert cls in FIELD_WORDS, cls
        assert fields == set(FIELD_WORDS[cls]), (cls.__name__, fields ^ set(FIELD_WORDS[cls]))


def test_a_field_no_one_named_is_still_compared() -> None:
    @attrs.frozen
    class Later:
        places: int
        new_setting: Decimal

    assert list(field_changes(Later(1, Decimal(0)), Later(1, Decimal("0.5")))) == [("new_setting", "0", "0.5")]


def test_grades_and_their_aliases_are_compared_each_on_its_own_line() -> None:
    text = (ROOT / "rulesets" / "hunan" / "hecheng-dept-2020.toml").read_text(encoding="utf-8")
    before = loads_framework(text, name="a.toml")
    changed = text.replace('{ name = "优", min = 90 }', '{ name = "优", min = 85, aliases = ["优秀"] }', 1)
    messages = [c.message for c in diff_frameworks(before, loads_framework(changed, name="b.toml"))]
    assert messages == ["评价等级：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 ≥ 0 → 优 ≥ 85，良 ≥ 80，中 ≥ 60，差 ≥ 0", "评价等级的别称：无 → 优（又称优秀）"]
