"""Small builders for test frameworks written as TOML text, as a ruleset author would."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from evalcore import Framework, evaluate, loads_data, loads_framework

HEAD = """
[framework]
id = "test.unit.2024"
title = "测试框架"
region = "测试"
kind = "dept"
year = 2024
total = {total}
"""


def framework_text(body: str, total: str = "2", inputs: str = "") -> str:
    return HEAD.format(total=total) + inputs + body


def staff_framework(extra_indicator: str = "", zero_division: str = "") -> str:
    """The 鹤城 在职人员控制率 indicator alone: 2 points, 0.5 per whole point over 100%."""
    return framework_text(
        f"""
[[input]]
id = "编制数"
type = "count"
unit = "人"

[[input]]
id = "在职人员数"
type = "count"
unit = "人"

[[indicator]]
path = ["投入", "在职人员控制率"]
weight = 2
formula = "在职人员数 / 编制数 * 100"
unit = "%"
{zero_division}
[indicator.rule]
kind = "deduct"
direction = "over"
threshold = 100
per = 1
points = 0.5
count = "whole"
{extra_indicator}
"""
    )


def load(text: str) -> Framework:
    return loads_framework(text, name="test.toml")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def node(framework: Framework, *path: str) -> Any:
    """A group of a framework by its names from level 1 down."""
    current: Any = framework
    for name in path:
        current = next(child for child in current.children if child.name == name)
    return current


def weights(parent: Any) -> list[tuple[str, Decimal]]:
    return [(child.name, child.weight) for child in parent.children]


def score_with(framework: Framework, key: str, inputs: str, entry: str = "") -> tuple[Decimal | None, str]:
    """Score one indicator of a shipped framework on a few inputs, as a unit's data file would."""
    text = f'framework = "{framework.id}"\n[inputs]\n{inputs}\n'
    if entry:
        text += f'[indicators."{key}"]\n{entry}\n'
    leaf = evaluate(framework, loads_data(text, framework)).leaf(key)
    return leaf.score, leaf.status
