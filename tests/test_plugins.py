"""Plugins: entry-point discovery, isolation of a broken plugin, hook contributions."""

from __future__ import annotations

import types
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from attrs import frozen

from evalcore import Outcome, Registry, Rule, ScoringContext, evaluate, hookimpl, loads_data
from evalcore.plugin import PROJECT

from .helpers import framework_text, write


def test_installed_hunan_plugin_is_found_through_its_entry_point() -> None:
    registry = Registry.build()
    names = {p.name: p for p in registry.plugins}
    assert "evalcore" in names and "hunan" in names
    assert "hunan.hecheng.dept.2020" in names["hunan"].frameworks
    assert set(names["evalcore"].rule_kinds) == {"deduct", "bands", "proportional", "sign", "checklist", "per-case", "judgment", "expression"}
    assert {"table", "json", "md", "csv"} <= set(names["evalcore"].formatters)
    assert registry.errors == []


def _module(name: str, **attrs: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    for key, value in attrs.items():
        setattr(module, key, value)
    return module


def test_a_broken_plugin_is_reported_and_the_others_still_work(tmp_path: Path) -> None:
    @hookimpl
    def evalcore_frameworks() -> Sequence[Path]:
        raise RuntimeError("boom")

    @hookimpl
    def evalcore_rule_kinds() -> Sequence[type[Rule]]:
        return [int]  # type: ignore[list-item]

    broken = _module("broken_plugin", evalcore_frameworks=evalcore_frameworks, evalcore_rule_kinds=evalcore_rule_kinds)

    @hookimpl
    def evalcore_formatters(unexpected_argument: int) -> Sequence[object]:  # not in the spec
        return []

    invalid = _module("invalid_plugin", evalcore_formatters=evalcore_formatters)
    bad_file = write(tmp_path, "bad.toml", "[framework\n")
    good_file = write(tmp_path, "good.toml", framework_text(GOOD_INDICATOR).replace("test.unit.2024", "test.good.2024"))

    @hookimpl(specname="evalcore_frameworks")
    def good_frameworks() -> Sequence[Path]:
        return [bad_file, good_file]

    good = _module("good_plugin", evalcore_frameworks=good_frameworks)

    registry = Registry.build(entry_points=False, extra=[("broken", broken), ("invalid", invalid), ("good", good)])
    text = "\n".join(registry.errors)
    assert "broken" in text and "boom" in text
    assert "不是规则类型" in text
    assert "invalid" in text and "无法加载插件" in text
    assert "bad.toml:1" in text
    # The good file of the same plugin and the core still work.
    assert "test.good.2024" in registry.entries
    assert registry.framework("test.good.2024").id == "test.good.2024"
    assert "deduct" in registry.rule_kinds
    infos = {p.name: p for p in registry.plugins}
    assert infos["broken"].errors and infos["good"].frameworks == ("test.good.2024",)


GOOD_INDICATOR = """
[[indicator]]
path = ["效果", "满意度"]
weight = 2
[indicator.rule]
kind = "judgment"
"""


@frozen
class DoubleRule(Rule):
    """A plugin-defined kind: twice the judged points, capped at the weight."""

    kind: ClassVar[str] = "double"
    title: ClassVar[str] = "双倍"
    needs_value: ClassVar[bool] = False

    @classmethod
    def from_table(cls, table, ctx):  # type: ignore[no-untyped-def]
        table.check_keys(["kind"])
        return cls()

    def score(self, ctx: ScoringContext) -> Outcome:
        cases = ctx.entry.cases or Decimal(0)
        return Outcome(min(ctx.weight, cases * 2), (f"{cases} × 2",))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return "双倍"


def test_a_plugin_adds_a_rule_kind_used_by_a_ruleset(tmp_path: Path) -> None:
    @hookimpl
    def evalcore_rule_kinds() -> Sequence[type[Rule]]:
        return [DoubleRule]

    registry = Registry.build(entry_points=False, extra=[("double", _module("double_plugin", evalcore_rule_kinds=evalcore_rule_kinds))])
    path = write(tmp_path, "d.toml", framework_text(GOOD_INDICATOR.replace('"judgment"', '"double"')))
    framework = registry.load_path(path)
    evaluation = evaluate(framework, loads_data('framework = "test.unit.2024"\n[indicators."满意度"]\ncases = 1\n', framework))
    assert evaluation.leaf("满意度").score == Decimal(2)


def test_a_kind_registered_twice_keeps_the_first() -> None:
    @hookimpl
    def evalcore_rule_kinds() -> Sequence[type[Rule]]:
        from evalcore.rules import DeductRule

        return [DeductRule]

    registry = Registry.build(entry_points=False, extra=[("copy", _module("copy_plugin", evalcore_rule_kinds=evalcore_rule_kinds))])
    assert any("已由其他插件注册" in e for e in registry.errors)
    assert PROJECT == "evalcore"


def test_formats_made_for_frameworks_share_a_name_only_where_they_do_not_overlap() -> None:
    from evalcore import Formatter

    def render(evaluation: object, options: object) -> str:
        return ""

    def plugin(name: str, *formatters: Formatter) -> tuple[str, types.ModuleType]:
        @hookimpl
        def evalcore_formatters() -> Sequence[Formatter]:
            return formatters

        return name, _module(f"{name}_plugin", evalcore_formatters=evalcore_formatters)

    registry = Registry.build(
        entry_points=False,
        extra=[
            plugin("general", Formatter("report", "通用", render)),
            plugin("province", Formatter("report", "某省", render, frameworks=("prov.",))),
            plugin("county", Formatter("report", "某县", render, frameworks=("prov.county.",))),
            plugin("rival", Formatter("report", "另一个某省", render, frameworks=("prov.",))),
            plugin("twin", Formatter("report", "另一个通用", render)),
        ],
    )
    # The same frameworks twice, or two general formats, are refused.
    refused = {p.name for p in registry.plugins if p.errors}
    assert refused == {"rival", "twin"}
    assert "report（用于 prov.*）" in "".join(registry.errors)
    province = next(p for p in registry.plugins if p.name == "province")
    assert (province.formatters, province.formatter_labels) == (("report",), ("report（用于 prov.*）",))

    def chosen(framework_id: str) -> str:
        framework = types.SimpleNamespace(id=framework_id)
        found = registry.formatter("report", framework)  # type: ignore[arg-type]
        assert found is not None
        return found.title

    # The closest claim wins: the county's, then the province's, then the general format.
    assert [chosen("prov.county.dept.2024"), chosen("prov.other.dept.2024"), chosen("elsewhere.dept.2024")] == ["某县", "某省", "通用"]
