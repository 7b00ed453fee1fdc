"""deduct (扣分制): full marks on the good side of a threshold; beyond it, points per step, floored at 0."""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

from attrs import field

from ..model import CONTEXT, IndicatorEntry, LoadContext, Outcome, Rule, ScoringContext, Table, fmt, frozen, rounding_context
from ._base import ONE, ZERO, points, quantity

__all__ = ["COUNT_MODES", "DIRECTIONS", "DeductRule"]


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


