"""bands (分档计分): ordered bands of the value, each bound inclusive or exclusive as printed, each
band a score or a judgment."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from ..model import IndicatorEntry, LoadContext, Outcome, Rule, ScoringContext, Table, fmt, frozen
from ._base import Branch, points, quantity, read_judgment

__all__ = ["Band", "BandsRule"]


@frozen
class Band:
    """One band of a bands rule; bounds are explicit about inclusion; it awards a score or a judgment."""

    award: Branch
    lower: Decimal | None = None
    lower_inclusive: bool = True
    upper: Decimal | None = None
    upper_inclusive: bool = False

    def contains(self, value: Decimal) -> bool:
        if self.lower is not None and (value < self.lower or (value == self.lower and not self.lower_inclusive)):
            return False
        if self.upper is not None and (value > self.upper or (value == self.upper and not self.upper_inclusive)):
            return False
        return True

    def describe(self, unit: str | None) -> str:
        return _describe_band(self, unit)


@functools.lru_cache(maxsize=1024)
def _describe_band(band: Band, unit: str | None) -> str:
    # Each band's wording is fixed for its indicator: worth writing once.
    parts = []
    if band.lower is not None:
        parts.append(f"{'≥' if band.lower_inclusive else '>'} {quantity(band.lower, unit)}")
    if band.upper is not None:
        parts.append(f"{'≤' if band.upper_inclusive else '<'} {quantity(band.upper, unit)}")
    return " 且 ".join(parts) if parts else "任何值"


@frozen
class BandsRule(Rule):
    """Ordered bands of the value, each giving a score (95%及以上5分，80%（含）—95%（不含）3分…)."""

    kind: ClassVar[str] = "bands"
    title: ClassVar[str] = "分档计分"

    bands: tuple[Band, ...]

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind", "bands"])
        items = table.tables("bands", "档次")
        if not items:
            raise table.error("分档计分至少需要一个档次：bands = [{ at_least = 95, score = 5 }, ...]", "bands")
        bands = []
        for item in items:
            item.check_keys(["at_least", "above", "at_most", "below", "score", "judgment"])
            if item.has("at_least") and item.has("above"):
                raise item.error("at_least（≥）与 above（>）只能写一个")
            if item.has("at_most") and item.has("below"):
                raise item.error("at_most（≤）与 below（<）只能写一个")
            lower = item.decimal("at_least", "下限（含）", required=False) if item.has("at_least") else item.decimal("above", "下限（不含）", required=False)
            upper = item.decimal("at_most", "上限（含）", required=False) if item.has("at_most") else item.decimal("below", "上限（不含）", required=False)
            if item.has("score") == item.has("judgment"):
                raise item.error("每个档次写 score（得分）或 judgment = [最低, 最高]（视情评定）其中之一")
            award = Branch(score=item.decimal("score", "该档得分")) if item.has("score") else read_judgment(item, "judgment")
            if lower is not None and upper is not None and lower > upper:
                raise item.error(f"下限 {fmt(lower)} 大于上限 {fmt(upper)}")
            bands.append(Band(award, lower, not item.has("above"), upper, item.has("at_most")))
        return cls(tuple(bands))

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        if value is None:
            return None
        matches = self._matches(value)
        # No band, overlapping bands and judgment bands are for `score` to report.
        return matches[0].award.score if len(matches) == 1 else None

    def _matches(self, value: Decimal) -> list[Band]:
        return [band for band in self.bands if band.contains(value)]

    def score(self, ctx: ScoringContext) -> Outcome:
        value = ctx.value
        assert value is not None
        matches = self._matches(value)
        if len(matches) == 1:
            band = matches[0]
            unit = ctx.unit
            if band.award.score is not None:
                score = band.award.score
                return Outcome(score, (lambda: f"{quantity(value, unit)} 属于“{band.describe(unit)}”档，计 {points(score)}",))
            return band.award.outcome(ctx, f"{quantity(value, unit)} 属于“{band.describe(unit)}”档")
        if not matches:
            return Outcome(None, (f"{quantity(value, ctx.unit)} 不属于任何档次：评分标准在此处未定义（框架缺陷）",), status="error")
        shown = "；".join(b.describe(ctx.unit) for b in matches)
        return Outcome(None, (f"{quantity(value, ctx.unit)} 同时属于多个档次（{shown}）：评分标准重叠（框架缺陷）",), status="error")

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return "；".join(f"{band.describe(unit)} 计 {band.award.describe()}" for band in self.bands)


