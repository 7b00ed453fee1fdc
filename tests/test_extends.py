"""A county framework written as `extends` of another: loads, evaluates, checks and diffs.
The 2022 framework is synthetic (tests/fixtures/extends), labelled so in its file."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from evalcore import RulesetError, evaluate, get_registry, loads_framework
from evalcore.checker import check_framework, diff_frameworks
from evalcore.load import data_from_mapping

from .compat import tomllib
from .conftest import EXAMPLES
from .test_cli import run

SYNTHETIC = Path(__file__).parent / "fixtures" / "extends" / "taojiang-dept-2022-synthetic.toml"
REGISTRY = get_registry()


@pytest.fixture(scope="module")
def framework():  # type: ignore[no-untyped-def]
    return REGISTRY.load_path(SYNTHETIC)


def test_layers_merge_as_declared(framework) -> None:  # type: ignore[no-untyped-def]
    parent = REGISTRY.framework("hunan.taojiang.dept.2021")
    assert framework.extends == ("hunan.taojiang.dept.2021",)
    assert framework.warnings == () and framework.year == 2022 and framework.region == parent.region
    ids = [leaf.id for leaf in framework.leaves()]
    assert "投资评审执行率" not in ids and len(ids) == len(list(parent.leaves())) - 1
    assert framework.input("投资评审金额") is None and framework.input("编制数") is not None
    leaf = next(leaf for leaf in framework.leaves() if leaf.id == "在职人员控制率")
    assert leaf.weight == Decimal(2) and leaf.formula is not None  # the formula is inherited
    assert leaf.origin["weight"] == "synthetic.taojiang.dept.2022" and leaf.origin["formula"] == "hunan.taojiang.dept.2021"
    assert leaf.note is None  # the parent's note explained the parent's rule
    assert sum((leaf.weight for leaf in framework.leaves()), Decimal(0)) == Decimal(100)


def test_it_evaluates(framework) -> None:  # type: ignore[no-untyped-def]
    raw = tomllib.loads((EXAMPLES / "hunan" / "taojiang-dept-2021.toml").read_text(encoding="utf-8"))
    raw["framework"] = framework.id
    raw["year"] = 2022
    raw["indicators"].pop("投资评审执行率", None)
    for name in ("投资评审金额", "应投资评审金额"):
        raw.get("inputs", {}).pop(name, None)
    raw.pop("self_total", None)
    evaluation = evaluate(framework, data_from_mapping(raw, framework))
    # 41 / 41 = 100% ≤ 100% → the new full 2 points; the 2021 document's 97 had 1 point here and the
    # dropped 投资评审执行率 unscored, so the same data give 97 + 1 = 98.
    assert evaluation.leaf("在职人员控制率").score == Decimal(2)
    assert evaluation.total == Decimal(98)


def test_it_checks_and_show_tells_the_layers() -> None:
    assert [f for f in check_framework(REGISTRY.load_path(SYNTHETIC)) if f.severity != "info"] == []
    assert run("check", "--strict", str(SYNTHETIC)).returncode == 0
    shown = run("show", str(SYNTHETIC), "--width", "200").stdout
    assert "继承自：hunan.taojiang.dept.2021" in shown
    assert "分值、原文、出处、评分规则由 synthetic.taojiang.dept.2022 设定；其余继承自 hunan.taojiang.dept.2021" in shown


def test_it_diffs(framework) -> None:  # type: ignore[no-untyped-def]
    changes = diff_frameworks(REGISTRY.framework("hunan.taojiang.dept.2021"), framework)
    kinds = sorted((c.kind, "/".join(c.path)) for c in changes)
    assert kinds == sorted(
        [
            ("removed", "过程/预算执行/投资评审执行率"),
            # The inputs only that indicator read are dropped with it.
            ("input", "基础数据/投资评审金额"),
            ("input", "基础数据/应投资评审金额"),
            ("reweighted", "投入/预算配置/在职人员控制率"),
            ("reruled", "投入/预算配置/在职人员控制率"),
            ("group-reweighted", "投入"),
            ("group-reweighted", "投入/预算配置"),
            ("group-reweighted", "过程"),
            ("group-reweighted", "过程/预算执行"),
        ]
    )
    result = run("diff", "hunan.taojiang.dept.2021", str(SYNTHETIC), "--format", "json")
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 9


def test_extends_errors() -> None:
    head = '[framework]\nid = "x.y.2024"\nextends = "{parent}"\ntitle = "t"\nyear = 2024\n'
    with pytest.raises(RulesetError, match="找不到所继承的框架“no.such”"):
        loads_framework(head.format(parent="no.such"), resolve=REGISTRY._resolve)
    with pytest.raises(RulesetError, match="drop 中的“不存在”"):
        loads_framework(head.format(parent="hunan.taojiang.dept.2021") + 'drop = ["不存在"]\n', resolve=REGISTRY._resolve)
    with pytest.raises(RulesetError, match="循环"):
        loads_framework(head.format(parent="x.y.2024"), resolve=lambda _id: SYNTHETIC)
