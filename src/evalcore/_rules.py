"""Rule kinds (评分标准): how a measured value, checkpoint answers or a judgment become points.

Each kind is a frozen attrs class with `from_table` (read from a ruleset, errors with file and line)
and `score` (pure, Decimal in, Decimal out, with the Chinese trace step that produced the points).
Plugins add kinds through the `evalcore_rule_kinds` hook.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from attrs import field, frozen

from ._numbers import CONTEXT, fmt, rounding_context, to_decimal
from ._rule_base import ONE, ZERO, LoadContext, Outcome, Rule, ScoringContext, accepted_judgment, judged, points, quantity

if TYPE_CHECKING:
    from ._data import IndicatorEntry
    from ._toml import Table

__all__ = [
    "ZERO",
    "Band",
    "BandsRule",
    "Branch",
    "DeductRule",
    "LoadContext",
    "Outcome",
    "ProportionalRule",
    "Rule",
    "ScoringContext",
    "SignRule",
    "accepted_judgment",
    "judged",
    "points",
    "quantity",
]

def _floor_at_zero(weight: Decimal, deduction: Decimal) -> tuple[Decimal, bool]:
    remaining = weight - deduction
    return (remaining, False) if remaining >= 0 else (ZERO, True)


def _step_word(unit: str | None) -> str:
    return "个百分点" if unit == "%" else (unit or "")


DIRECTIONS = {"over": "超过", "under": "低于", "both": "偏离"}
_GOOD_SIDE = {"over": "≤", "under": "≥", "both": "="}
COUNT_MODES = {
    "whole": "满一档扣一次，不足一档不扣",
    "started": "不足一档按一档扣",
    "pro-rata": "按实际比例扣",
}


_FLOOR = rounding_context(decimal.ROUND_FLOOR)
_CEILING = rounding_context(decimal.ROUND_CEILING)
# Steps counted for a distance beyond the threshold, by count mode (see COUNT_MODES).
_COUNTING: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "whole": lambda distance, per: _FLOOR.to_integral_value(CONTEXT.divide(distance, per)),
    "started": lambda distance, per: _CEILING.to_integral_value(CONTEXT.divide(distance, per)),
    "pro-rata": CONTEXT.divide,
}


@frozen
class DeductRule(Rule):
    """Full marks on the good side of a threshold; beyond it, `points` per `per` units, floored at 0."""

    kind: ClassVar[str] = "deduct"
    title: ClassVar[str] = "扣分制"

    direction: str
    threshold: Decimal
    per: Decimal
    points: Decimal
    count: str
    zero_beyond: Decimal | None = None
    _cut: Decimal | None = field(init=False, eq=False, repr=False)  # zero_beyond as a distance

    @_cut.default
    def _cut_distance(self) -> Decimal | None:
        return None if self.zero_beyond is None else abs(self._distance(self.zero_beyond))

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind", "direction", "threshold", "per", "points", "count", "zero_beyond"])
        direction = table.choice("direction", "扣分方向（over 超过阈值扣分 / under 低于阈值扣分 / both 偏离即扣）", DIRECTIONS)
        threshold = table.decimal("threshold", "阈值")
        per = table.decimal("per", "每档幅度", required=False, default=ONE)
        assert threshold is not None and per is not None
        if per <= 0:
            raise table.error("每档幅度 per 必须大于 0", "per")
        pts = table.decimal("points", "每档扣分")
        assert pts is not None
        if pts <= 0:
            raise table.error("每档扣分 points 必须大于 0", "points")
        count = table.choice("count", "计档方式（whole 满一档才扣 / started 不足一档按一档 / pro-rata 按比例）", COUNT_MODES)
        zero_beyond = table.decimal("zero_beyond", "超过即不计分的界限", required=False)
        if zero_beyond is not None:
            wrong_side = {"over": zero_beyond <= threshold, "under": zero_beyond >= threshold, "both": zero_beyond == threshold}[direction]
            if wrong_side:
                raise table.error(f"不计分界限 zero_beyond = {fmt(zero_beyond)} 应在阈值 {fmt(threshold)} 的扣分一侧", "zero_beyond")
        return cls(direction, threshold, per, pts, count, zero_beyond)

    def _distance(self, value: Decimal) -> Decimal:
        if self.direction == "over":
            return value - self.threshold
        if self.direction == "under":
            return self.threshold - value
        return abs(value - self.threshold)

    def _decide(self, value: Decimal, weight: Decimal) -> tuple[Decimal, str, Decimal, Decimal, Decimal, bool]:
        """(score, case, distance, steps counted, deduction, floored at 0); case: beyond | good | deducted."""
        distance = self._distance(value)
        if distance <= 0:
            return weight, "good", distance, ZERO, ZERO, False
        # The cut-off is a distance from the threshold, so "both" cuts symmetrically.
        if self._cut is not None and distance > self._cut:
            return ZERO, "beyond", distance, ZERO, ZERO, False
        steps = _COUNTING[self.count](distance, self.per)
        deduction = steps * self.points
        score, floored = _floor_at_zero(weight, deduction)
        return score, "deducted", distance, steps, deduction, floored

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        return None if value is None else self._decide(value, weight)[0]

    def score(self, ctx: ScoringContext) -> Outcome:
        value = ctx.value
        assert value is not None
        unit = ctx.unit
        score, case, distance, steps, deduction, floored = self._decide(value, ctx.weight)
        if case == "beyond":
            assert self.zero_beyond is not None
            return Outcome(ZERO, (f"{quantity(value, unit)} 超出 {quantity(self.zero_beyond, unit)} 的界限，不计分，得 0 分",))
        if case == "good":
            good, threshold = _GOOD_SIDE[self.direction], self.threshold
            return Outcome(score, (lambda: f"{quantity(value, unit)} {good} {quantity(threshold, unit)}，计满分 {points(score)}",))

        def step() -> str:
            word = DIRECTIONS[self.direction]
            per_text = f"{fmt(self.per)} {_step_word(unit)}".strip()
            if self.count == "pro-rata":
                how = f"按每 {per_text}扣 {points(self.points)}按比例计算，扣 {fmt(deduction)} 分"
            else:
                how = f"计 {fmt(steps)} 档（每档 {per_text}，{COUNT_MODES[self.count]}），每档扣 {points(self.points)}，共扣 {fmt(deduction)} 分"
            tail = "，扣完为止，得 0 分" if floored else f"，得 {points(score)}"
            return f"{quantity(value, unit)} {word} {quantity(self.threshold, unit)} {fmt(distance)} {_step_word(unit)}；{how}{tail}"

        return Outcome(score, (step,))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        good = {"over": "不超过", "under": "不低于", "both": "等于"}[self.direction]
        text = (
            f"{good} {quantity(self.threshold, unit)} 计满分 {points(weight)}；每{DIRECTIONS[self.direction]} "
            f"{fmt(self.per)} {_step_word(unit)}扣 {points(self.points)}（{COUNT_MODES[self.count]}），扣完为止"
        )
        if self.zero_beyond is not None:
            text += f"；超出 {quantity(self.zero_beyond, unit)} 不计分"
        return text


@frozen
class Branch:
    """A sign-rule outcome: a fixed score, or a judgment between `low` and `high`."""

    score: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None

    def describe(self) -> str:
        return points(self.score) if self.score is not None else f"{fmt(self.low)}–{fmt(self.high)} 分（视情评定）"

    def outcome(self, ctx: ScoringContext, head: str) -> Outcome:
        if self.score is not None:
            return Outcome(self.score, (f"{head}，计 {points(self.score)}",))
        assert self.low is not None and self.high is not None
        return judged(ctx, self.low, self.high, head + f"，在 {fmt(self.low)}–{fmt(self.high)} 分之间视情评定")


def read_judgment(table: Table, key: str) -> Branch:
    """`judgment = [最低, 最高]`: a range the evaluator scores within, with a reason."""
    bounds = table.sequence(key, "视情评定的分数范围")
    if len(bounds) != 2:
        raise table.error("judgment 应写成 [最低分, 最高分]", key)
    try:
        low, high = (to_decimal(b) for b in bounds)
    except (TypeError, ValueError):
        raise table.error("judgment 的分数必须是数字", key) from None
    if not 0 <= low <= high:
        raise table.error("judgment 应满足 0 ≤ 最低分 ≤ 最高分", key)
    return Branch(low=low, high=high)


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


@frozen
class ProportionalRule(Rule):
    """按比例计分: weight × min(value / target, 1); reverse: weight × min(target / value, 1)."""

    kind: ClassVar[str] = "proportional"
    title: ClassVar[str] = "按比例计分"

    target: Decimal
    reverse: bool = False

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind", "target", "reverse"])
        default = Decimal(100) if ctx.unit == "%" else None
        target = table.decimal("target", "目标值（满分对应的值）", required=default is None, default=default)
        assert target is not None
        if target <= 0:
            raise table.error("目标值 target 必须大于 0", "target")
        return cls(target, table.boolean("reverse", "是否反向（值越小越好）", False))

    def _decide(self, value: Decimal, weight: Decimal) -> tuple[Decimal, str]:
        """(score, case); case: none (value ≤ 0) | full | ratio."""
        if not self.reverse:
            if value <= 0:
                return ZERO, "none"
            ratio = CONTEXT.divide(value, self.target)
            return (weight, "full") if ratio >= 1 else (weight * ratio, "ratio")
        if value <= self.target:
            return weight, "full"
        return weight * CONTEXT.divide(self.target, value), "ratio"

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        return None if value is None else self._decide(value, weight)[0]

    def score(self, ctx: ScoringContext) -> Outcome:
        value = ctx.value
        assert value is not None
        unit, weight = ctx.unit, ctx.weight
        score, case = self._decide(value, weight)
        if case == "none":
            return Outcome(score, (f"{quantity(value, unit)} ≤ 0，按比例得 0 分",))
        if case == "full":
            side = "≤" if self.reverse else "≥"
            return Outcome(score, (f"{quantity(value, unit)} {side} {quantity(self.target, unit)}，计满分 {points(weight)}",))
        if self.reverse:
            return Outcome(score, (f"反向按比例计分：{fmt(weight)} × {fmt(self.target)} / {fmt(value)} = {fmt(score, 4)} 分",))
        return Outcome(score, (f"按比例计分：{fmt(weight)} × {fmt(value)} / {fmt(self.target)} = {fmt(score, 4)} 分",))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        if self.reverse:
            return f"不超过 {quantity(self.target, unit)} 计满分；超过按 {fmt(weight)} × 目标值 / 实际值 计分"
        return f"达到 {quantity(self.target, unit)} 计满分；未达到按 {fmt(weight)} × 实际值 / {quantity(self.target, unit)} 计分"


@frozen
class SignRule(Rule):
    """>0 / =0 / <0 give three scores (三公经费变动率: 大于0计0分，等于0计0.5分，小于0计1分)."""

    kind: ClassVar[str] = "sign"
    title: ClassVar[str] = "正负号计分"

    positive: Branch
    zero: Branch
    negative: Branch

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind", "positive", "zero", "negative"])

        def branch(key: str, what: str) -> Branch:
            value = table.raw(key)
            if value is None:
                raise table.error(f"缺少必填项“{key}”（{what}的得分，数字或 {{ judgment = [最低, 最高] }}）")
            if isinstance(value, Mapping):
                sub = table.table(key, what)
                assert sub is not None
                sub.check_keys(["judgment"])
                return read_judgment(sub, "judgment")
            return Branch(score=table.decimal(key, f"{what}的得分"))

        return cls(branch("positive", "大于 0 时"), branch("zero", "等于 0 时"), branch("negative", "小于 0 时"))

    def _branch(self, value: Decimal) -> tuple[Branch, str]:
        if value > 0:
            return self.positive, "大于 0"
        if value == 0:
            return self.zero, "等于 0"
        return self.negative, "小于 0"

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        # A judgment branch has no score of its own: None, and `score` asks for the evaluator's.
        return None if value is None else self._branch(value)[0].score

    def score(self, ctx: ScoringContext) -> Outcome:
        value = ctx.value
        assert value is not None
        branch, word = self._branch(value)
        return branch.outcome(ctx, f"{quantity(value, ctx.unit)} {word}")

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return f"大于 0 计 {self.positive.describe()}；等于 0 计 {self.zero.describe()}；小于 0 计 {self.negative.describe()}"
