"""docs/engine.md's example rule kind works as the document says: registered through the hook by
a plugin module, used by its ruleset, scored by hand-worked figures, and sound under Hypothesis,
quick and full scoring included."""

from __future__ import annotations

import re
import types
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalcore import Framework, LeafResult, Registry, evaluate
from evalcore.testing import assert_sound, unit_data

from .conftest import ROOT

DOC = (ROOT / "docs" / "engine.md").read_text(encoding="utf-8")
BLOCKS = {lang: re.findall(rf"^```{lang}\n(.*?)^```$", DOC, re.S | re.M) for lang in ("python", "toml")}


def plugin_module() -> types.ModuleType:
    """The document's two Python blocks, run in order as the body of one plugin module."""
    module = types.ModuleType("evalcore_reachdemo")
    exec(compile("\n".join(BLOCKS["python"]), "docs/engine.md", "exec"), module.__dict__)  # noqa: S102 - our own document
    return module


def framework(tmp_path: Path) -> Framework:
    ruleset = tmp_path / "reach.toml"
    ruleset.write_text(BLOCKS["toml"][0], encoding="utf-8")
    module = plugin_module()

    # The document's plugin ships the document's ruleset as well.
    def evalcore_frameworks() -> list[Path]:
        return [ruleset]

    module.evalcore_frameworks = module.hookimpl(evalcore_frameworks)
    registry = Registry.build(entry_points=False, extra=[("reachdemo", module)])
    assert registry.errors == []
    assert "reach" in registry.rule_kinds
    return registry.framework("demo.reach.2024")


def unit(done: int, planned: int = 20) -> dict[str, Any]:
    return {"framework": "demo.reach.2024", "inputs": {"完成数": done, "计划数": planned}}


def test_the_documented_figures(tmp_path: Path) -> None:
    fw = framework(tmp_path)
    reached = evaluate(fw, unit(19))
    leaf = reached.leaf("完成率")
    # 19 / 20 = 95% reaches the target of 95: the full 5 points, by the quick way.
    assert (leaf.value, leaf.score, reached.total) == (Decimal(95), Decimal(5), Decimal(5))
    assert not isinstance(reached.leaf_records[0], LeafResult)
    assert leaf.trace[-1] == "95% 达到目标值 95%，得 5 分"
    missed = evaluate(fw, unit(18)).leaf("完成率")
    # 18 / 20 = 90%: below the target, no points.
    assert (missed.value, missed.score) == (Decimal(90), Decimal(0))
    assert missed.trace[-1] == "90% 未达到目标值 95%，得 0 分"


def test_the_documented_kind_is_sound_and_its_quick_way_agrees(tmp_path: Path) -> None:
    fw = framework(tmp_path)

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(data=unit_data(fw), done=st.integers(0, 40))
    def sound(data: dict[str, Any], done: int) -> None:
        assert_sound(fw, data)
        assert_sound(fw, unit(done))

    sound()
