"""A plugin whose rule kinds return malformed outcomes (a NaN, an infinity, a text or float score,
a score above the weight, a measured value that is no number, a flag of no known kind), one whose
quick scorer gives a NaN, and one whose `describe` raises. Its framework also has a built-in
indicator, which must still be scored."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from attrs import frozen

from evalcore import IndicatorEntry, LoadContext, Outcome, Rule, ScoringContext, Table, hookimpl

from . import RULESETS


class _Returns(Rule):
    """Reads fine and returns `self.outcome()` when it scores."""

    title: ClassVar[str] = "返回坏结果的规则"
    needs_value: ClassVar[bool] = False

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind"])
        return cls()

    def outcome(self) -> Any:
        raise NotImplementedError

    def score(self, ctx: ScoringContext) -> Outcome:
        return self.outcome()  # type: ignore[no-any-return]

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return f"返回 {self.kind}"


@frozen
class NaNRule(_Returns):
    kind: ClassVar[str] = "nan"

    def outcome(self) -> Any:
        return Outcome(Decimal("NaN"), ("得分为 NaN",))


@frozen
class InfinityRule(_Returns):
    kind: ClassVar[str] = "infinity"

    def outcome(self) -> Any:
        return Outcome(Decimal("Infinity"), ("得分为无穷大",))


@frozen
class TextRule(_Returns):
    kind: ClassVar[str] = "text"

    def outcome(self) -> Any:
        return Outcome("5", ("得分为文字",))  # type: ignore[arg-type]


@frozen
class FloatRule(_Returns):
    kind: ClassVar[str] = "float"

    def outcome(self) -> Any:
        return Outcome(1.5, ("得分为浮点数",))  # type: ignore[arg-type]


@frozen
class OverRule(_Returns):
    kind: ClassVar[str] = "over"

    def outcome(self) -> Any:
        return Outcome(Decimal(9), ("得分为 9 分",))


@frozen
class ValueRule(_Returns):
    kind: ClassVar[str] = "odd-value"

    def outcome(self) -> Any:
        return Outcome(Decimal(1), ("测得值为文字",), value="90")  # type: ignore[arg-type]


@frozen
class FlagRule(_Returns):
    kind: ClassVar[str] = "odd-flag"

    def outcome(self) -> Any:
        return Outcome(Decimal(1), ("附带未知类别的问题",), flags=(("no_such_kind", "未知类别"),))


@frozen
class QuickNaNRule(_Returns):
    """Scores 1 in full, but its quick scorer answers NaN: the quick way must not take it."""

    kind: ClassVar[str] = "quick-nan"

    def outcome(self) -> Any:
        return Outcome(Decimal(1), ("计 1 分",))

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        return Decimal("NaN")


@frozen
class MuteRule(_Returns):
    """Scores 1, and cannot say what it does."""

    kind: ClassVar[str] = "mute"

    def outcome(self) -> Any:
        return Outcome(Decimal(1), ("计 1 分",))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        raise RuntimeError("插件说明规则时的错误")


KINDS: tuple[type[Rule], ...] = (NaNRule, InfinityRule, TextRule, FloatRule, OverRule, ValueRule, FlagRule, QuickNaNRule, MuteRule)


@hookimpl
def evalcore_rule_kinds() -> Sequence[type[Rule]]:
    return list(KINDS)


@hookimpl
def evalcore_frameworks() -> Sequence[Path]:
    return [RULESETS / "outcome"]
