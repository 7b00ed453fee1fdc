"""A plugin whose rule kind fails when it scores; its framework also has a built-in indicator,
which must still be scored."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

from attrs import frozen

from evalcore import LoadContext, Outcome, Rule, ScoringContext, Table, hookimpl

from . import RULESETS


@frozen
class BrokenRule(Rule):
    """Reads fine, fails when it scores."""

    kind: ClassVar[str] = "broken"
    title: ClassVar[str] = "出错的规则"
    needs_value: ClassVar[bool] = False

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind"])
        return cls()

    def score(self, ctx: ScoringContext) -> Outcome:
        raise ZeroDivisionError("插件规则内部的除零")

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return "总是出错"


@hookimpl
def evalcore_rule_kinds() -> Sequence[type[Rule]]:
    return [BrokenRule]


@hookimpl
def evalcore_frameworks() -> Sequence[Path]:
    return [RULESETS / "rule"]
