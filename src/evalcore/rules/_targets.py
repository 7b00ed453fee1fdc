"""targets (目标值对比): one row of a project target form, or several rows sharing one weight,
scored by comparing each 实际完成值 with its 年度指标值. Made by the engine from a unit's form,
never written in a ruleset."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

from attrs import evolve

from ..model import CONTEXT, Actual, Category, LoadContext, Outcome, PercentQuestion, Reading, Rounding, Rule, ScoringContext, Table, Target, TargetRow, Tier, fmt, frozen
from ._base import ONE, ZERO, judged, judged_in_tier, points

__all__ = ["TargetRule", "weight_share"]


def _ratio(target: Target, actual: Actual, direction: str) -> tuple[Decimal | None, str]:
    """Completion ratio (capped at 1) and the sentence that explains it; None when a negative figure
    leaves no ratio that means anything (the evaluator judges the row)."""
    assert actual.value is not None
    unit = target.unit or ""
    a = actual.value
    figures = [f for f in (target.value, target.low, target.high) if f is not None]
    if a < 0 and all(f >= 0 for f in figures):
        # A negative percentage against a target that is not: a fall (增长率 -2%) or a slip of the
        # sign; neither a ratio nor "met" (≤5% for -1%) would be right without a person's look.
        return None, _NO_RATIO.format(shown=f"完成值 {fmt(a)}{unit} 为负数，而指标值“{target.text}”不是负数（可能是增减幅度，也可能是录入错误）")
    if target.kind == "range":
        assert target.low is not None and target.high is not None
        if target.low <= a <= target.high:
            return ONE, f"{fmt(a)}{unit} 在 {fmt(target.low)}–{fmt(target.high)}{unit} 之内，达到目标"
        if direction in ("≤", "<"):
            # A cost range: its upper bound is the limit; spending less is not a shortfall.
            if a < target.low:
                return ONE, f"{fmt(a)}{unit} 低于区间下限 {fmt(target.low)}{unit}，未超出上限，达到目标"
            if target.high < 0:
                return None, _NO_RATIO.format(shown=f"{fmt(a)}{unit} 超出区间上限 {fmt(target.high)}{unit}")
            return CONTEXT.divide(target.high, a), f"{fmt(a)}{unit} 超出区间上限 {fmt(target.high)}{unit}，按 {fmt(target.high)} / {fmt(a)} 计"
        if a > target.high:
            return ONE, f"{fmt(a)}{unit} 高于区间上限 {fmt(target.high)}{unit}，达到目标"
        if a < 0:
            return None, _NO_RATIO.format(shown=f"{fmt(a)}{unit} 低于区间下限 {fmt(target.low)}{unit}")
        return CONTEXT.divide(a, target.low), f"{fmt(a)}{unit} 低于区间下限 {fmt(target.low)}{unit}，完成 {fmt(a)} / {fmt(target.low)}"
    assert target.value is not None
    t = target.value
    met = {"≥": a >= t, ">": a > t, "≤": a <= t, "<": a < t, "=": a == t}[direction]
    if met:
        return ONE, f"{fmt(a)}{unit} {direction} {fmt(t)}{unit}，达到目标"
    # Shortfall ratios (actual / target, target / actual) mean something only for figures ≥ 0, and
    # are written so that a reviewer redoes each by hand.
    if direction in ("≥", ">") or (direction == "=" and a < t):
        missed = f"{fmt(a)}{unit} 未达到 {direction}{fmt(t)}{unit}"
        if a < 0 or t < 0:
            return None, _NO_RATIO.format(shown=missed)
        return CONTEXT.divide(a, t), f"{missed}，完成 {fmt(a)} / {fmt(t)}"
    missed = f"{fmt(a)}{unit} ≠ {fmt(t)}{unit}" if direction == "=" else f"{fmt(a)}{unit} 超过 {direction}{fmt(t)}{unit}"
    if t < 0 or a <= 0:
        return None, _NO_RATIO.format(shown=missed)
    return CONTEXT.divide(t, a), f"{missed}，按 {fmt(t)} / {fmt(a)} 计"


_NO_RATIO = "{shown}；指标值或完成值为负数，完成程度无法按比例计算，由评价人评定"


@frozen
class TargetRule(Rule):
    """Scores one row, or several rows sharing one weight, by comparing actual with target."""

    kind: ClassVar[str] = "targets"
    title: ClassVar[str] = "目标值对比"
    needs_value: ClassVar[bool] = False

    rows: tuple[TargetRow, ...]
    directions: Mapping[str, str]
    tiers: tuple[Tier, ...]
    over_margin: Decimal | None
    scored: bool
    rounding: Rounding = Rounding()  # the framework's: completions are rounded to its value_places
    category: Category | None = None  # the row's category: its declared directions and defaults
    split: bool = False  # the rows share the weight as weight / n each (a block split by rows)

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        raise table.error("“targets”规则由项目支出绩效自评表按数据生成，不能写在规则文件中", "kind")

    @staticmethod
    def asks(row: TargetRow) -> bool:
        """Whether a row's actual may be read two ways (a bare 0 < v ≤ 1 against a target in %)."""
        return _fraction_of_percent(row)

    def _direction(self, row: TargetRow) -> str:
        assert row.target is not None
        if row.target.direction or row.direction:
            return row.target.direction or row.direction or "≥"
        if self.category is not None:
            return self.category.direction_of(row.path)
        return self.directions.get(row.path[1], "≥")

    def score(self, ctx: ScoringContext) -> Outcome:
        typed = self._score_rows(ctx, self.rows)
        asked = [row for row in self.rows if _fraction_of_percent(row)]
        if not asked:
            return typed
        # A percent row whose actual is a bare 0 < v ≤ 1 may mean v % or v × 100 %: where the two
        # readings score apart, the row is questioned (待核实) rather than guessed.
        scaled_rows = tuple(_scaled(row) if row in asked else row for row in self.rows)
        scaled = self._score_rows(ctx, scaled_rows)
        # A form that gives no points shows how far each target was reached: there the completions
        # must agree too.
        if (typed.status, typed.score) == (scaled.status, scaled.score) and (self.scored or typed.value == scaled.value):
            return typed
        question = PercentQuestion(tuple((f"“{row.path[-1]}”完成值", row.actual.text, row.actual.value) for row in asked if row.actual is not None and row.actual.value is not None))
        outcome = question.outcome(self._reading(typed), self._reading(scaled), self.scored)
        flags = tuple((kind, message) for kind, message in typed.flags if kind != "questioned")
        return evolve(outcome, flags=flags + outcome.flags)

    def _reading(self, outcome: Outcome) -> Reading:
        # The points as the framework rounds them: the points the indicator would get.
        if not self.scored:
            return Reading(None, outcome.status, outcome.steps, completion=outcome.value)
        score = self.rounding.apply(outcome.score) if outcome.score is not None else None
        return Reading(score, outcome.status, outcome.steps)

    def _score_rows(self, ctx: ScoringContext, rows: tuple[TargetRow, ...]) -> Outcome:
        steps: list[str] = []
        flags: list[tuple[str, str]] = []
        completions: list[Decimal] = []  # each row's completion in %, rounded as the framework declares
        needs_judgment = False
        judged_rows: list[TargetRow] = []
        for row in rows:
            assert row.target is not None
            name = row.path[-1]
            target_text = row.target.text.rstrip("。；;，, ")
            actual_text = row.actual.text.rstrip("。；;，, ") if row.actual else "（未填）"
            head = f"{name}：指标值 {target_text}，完成值 {actual_text}"
            if row.actual is None:
                steps.append(head)
                return Outcome(None, tuple(steps), status="missing", needs=f"“{name}”的实际完成值")
            if row.target.kind in ("period", "text"):
                same = row.actual.text.replace(" ", "") == row.target.text.replace(" ", "")
                steps.append(head + ("；与指标值一致" if same else "；定性指标") + ("，按评定档次计分" if self.scored else "（本表不计分）"))
                needs_judgment = True
                judged_rows.append(row)
                continue
            if row.actual.value is None:
                steps.append(head + "；完成值不是数值，无法与指标值比较")
                flags.append(("actual_not_numeric", f"“{name}”的指标值是数值（{row.target.text}），完成值却写作“{row.actual.text}”"))
                needs_judgment = True
                judged_rows.append(row)
                continue
            direction = self._direction(row)
            if row.actual.bound is not None:
                # "≥98%" is a range, not a figure. It scores as its bound only where every value in it
                # scores alike: the bound reaches the target and the range runs the good way (≥98%
                # against ≥95%). Otherwise the points depend on the figure left out: not guessed.
                reached, _sentence = _ratio(row.target, row.actual, direction)
                same_way = (row.actual.bound in "≥>") == (direction in "≥>") and direction != "=" and row.target.kind == "quantity"
                if reached != ONE or not same_way:
                    flags.append(("actual_bound", f"“{name}”的完成值写作“{row.actual.text}”，是一个范围，不同的实际数值得分不同，暂不计分；请填写实际达到的数值"))
                    steps.append(f"{head}；完成值只写了范围，实际数值不同则完成程度不同，无法按数据计分，由评价人评定")
                    needs_judgment = True
                    judged_rows.append(row)
                    continue
                flags.append(("actual_bound", f"“{name}”的完成值写作“{row.actual.text}”，应填写实际达到的数值；其中任何数值都达到目标，按 {fmt(row.actual.value)} 计"))
            if direction in (">", "<") and row.target.kind == "quantity" and row.actual.value == row.target.value:
                # Exactly at a strict bound: missed, by an amount no ratio can express.
                steps.append(f"{head}；恰好等于 {fmt(row.target.value)}{row.target.unit or ''}，未达到“{row.target.text}”，差距无法按比例计算，由评价人评定")
                needs_judgment = True
                judged_rows.append(row)
                continue
            ratio, sentence = _ratio(row.target, row.actual, direction)
            if ratio is None:
                steps.append(f"{head}；{sentence}")
                needs_judgment = True
                judged_rows.append(row)
                continue
            # The completion is a measured value: rounded where the framework declares (value_places),
            # and the rounded figure the trace shows is the one scored.
            completion = self.rounding.apply_value(ratio * 100)
            completions.append(completion)
            steps.append(f"{head}；{sentence}" + ("" if ratio == ONE else f" {'=' if completion == ratio * 100 else '≈'} {fmt(completion)}%"))
            self._check_margin(row, direction, flags)
        if needs_judgment:
            if not self.scored:
                return Outcome(ZERO, tuple(steps), flags=tuple(flags))
            if self.split and len(rows) > 1:
                return self._split_judged(ctx, len(rows), completions, judged_rows, steps, flags)
            return self._judged(ctx, steps, flags)
        exact_mean = CONTEXT.divide(sum(completions, ZERO), Decimal(len(completions)))
        mean = self.rounding.apply_value(exact_mean)
        if not self.scored:
            return Outcome(ZERO, tuple(steps) + (f"完成程度 {fmt(mean)}%（本表不计分）",), value=mean, flags=tuple(flags))
        score = CONTEXT.divide(ctx.weight * mean, HUNDRED)
        if self.split and len(rows) > 1:
            # Each row is worth weight / n, kept exact: the n shares are added before any rounding,
            # so that n rows that all reach their targets give the whole weight.
            count = Decimal(len(rows))
            score = CONTEXT.divide(ctx.weight * sum(completions, ZERO), count * HUNDRED)
            each = weight_share(ctx.weight, len(rows))
            shown = " + ".join(f"{each} × {fmt(c)}%" for c in completions)
            equals = "=" if fmt(score, self.rounding.places + 4) == fmt(score) else "≈"
            steps.append(f"{len(rows)} 项按行数均分 {fmt(ctx.weight)} 分，每项 {each} 分：{shown} {equals} {fmt(score, self.rounding.places + 4)} 分")
            return Outcome(score, tuple(steps), value=mean, flags=tuple(flags))
        if len(completions) > 1:
            shown = " + ".join(f"{fmt(c)}%" for c in completions)
            equals = "=" if mean == exact_mean else "≈"
            steps.append(f"{len(completions)} 项共用分值 {fmt(ctx.weight)} 分，平均完成 ({shown}) / {len(completions)} {equals} {fmt(mean)}%，得 {fmt(ctx.weight)} × {fmt(mean)}% = {fmt(score)} 分")
        elif mean == HUNDRED:
            steps.append(f"达到目标，计满分 {points(ctx.weight)}")
        else:
            steps.append(f"未达到目标，按比例计分：{fmt(ctx.weight)} × {fmt(mean)}% = {fmt(score)} 分")
        return Outcome(score, tuple(steps), value=mean, flags=tuple(flags))

    def _split_judged(
        self, ctx: ScoringContext, count: int, completions: list[Decimal], judged_rows: list[TargetRow], steps: list[str], flags: list[tuple[str, str]]
    ) -> Outcome:
        """Rows sharing a weight split by rows, some judged: each judged row takes the evaluator's
        score out of its own share (weight / n), within its tier; the others their completion."""
        each = weight_share(ctx.weight, count)
        share = CONTEXT.divide(ctx.weight, Decimal(count))
        judged_points = ZERO
        terms = [f"{each} × {fmt(c)}%" for c in completions]
        for row in judged_rows:
            name = row.path[-1]
            tier = next((t for t in self.tiers if t.name == row.tier), None)
            if row.tier is not None and tier is None:
                names = "、".join(t.name for t in self.tiers)
                return Outcome(None, (*steps, f"“{name}”的评定档次“{row.tier}”不存在，可选：{names}"), status="error", flags=tuple(flags))
            low, high = tier.bounds(share) if tier is not None else (ZERO, share)
            within = f"“{tier.name}”（每项 {each} 分的 {tier.describe()}）" if tier is not None else f"每项 {each} 分"
            if row.score is None:
                steps.append(f"“{name}”由评价人评定：{within}，尚未填写评定得分（score）及理由（reason）")
                return Outcome(None, tuple(steps), status="missing", needs=f"“{name}”的评定得分及理由", flags=tuple(flags))
            above = row.score >= low if tier is None or tier.low_inclusive else row.score > low
            below = row.score <= high if tier is None or tier.high_inclusive else row.score < high
            if not (above and below):
                steps.append(f"“{name}”评定得分 {fmt(row.score)} 分超出{within}的范围 {fmt(low, 4)}–{fmt(high, 4)} 分")
                return Outcome(None, tuple(steps), status="error", flags=tuple(flags))
            steps.append(f"“{name}”评定为{within}，得 {fmt(row.score)} 分，理由：{row.reason}")
            judged_points += row.score
            terms.append(f"{fmt(row.score)}")
        score = CONTEXT.divide(ctx.weight * sum(completions, ZERO), Decimal(count) * HUNDRED) + judged_points
        equals = "=" if fmt(score, self.rounding.places + 4) == fmt(score) else "≈"
        steps.append(f"{count} 项按行数均分 {fmt(ctx.weight)} 分，每项 {each} 分：{' + '.join(terms)} {equals} {fmt(score, self.rounding.places + 4)} 分")
        return Outcome(score, tuple(steps), status="judgment", flags=tuple(flags))

    def _judged(self, ctx: ScoringContext, steps: list[str], flags: list[tuple[str, str]]) -> Outcome:
        tier_name = ctx.entry.tier
        tier = next((t for t in self.tiers if t.name == tier_name), None)
        if tier_name is not None and tier is None:
            names = "、".join(t.name for t in self.tiers)
            return Outcome(None, tuple(steps) + (f"评定档次“{tier_name}”不存在，可选：{names}",), status="error", flags=tuple(flags))
        if tier is None:
            outcome = judged(ctx, ZERO, ctx.weight, "定性指标由评价人评定（达成 / 部分达成 / 未达成）")
        else:
            outcome = judged_in_tier(ctx, tier)
        return evolve(outcome, steps=tuple(steps) + outcome.steps, flags=tuple(flags))

    def _check_margin(self, row: TargetRow, direction: str, flags: list[tuple[str, str]]) -> None:
        if self.over_margin is None or row.actual is None or row.actual.value is None or row.target is None:
            return
        # Over-achievement: beyond the top of a ≥ range, below the bottom of a ≤ (cost) range.
        target = row.target.value if row.target.kind == "quantity" else (row.target.low if direction in ("≤", "<") else row.target.high)
        if target is None or target == 0:
            return
        deviation = CONTEXT.divide((row.actual.value - target) * 100, target)
        beyond = deviation > self.over_margin if direction in ("≥", ">", "=") else -deviation > self.over_margin
        if row.target.kind == "range" and row.target.low is not None and row.target.low <= row.actual.value <= (row.target.high or row.actual.value):
            beyond = False
        if beyond:
            flags.append(("over_target", f"“{row.path[-1]}”完成值 {row.actual.text} 偏离指标值 {row.target.text} {fmt(abs(deviation), 2)}%，超过 {fmt(self.over_margin)}%：目标可能设定不合理"))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return "实际完成值达到年度指标值计满分；未达到按完成比例计分（正向：实际/目标，反向：目标/实际）；定性指标按评定档次计分"


HUNDRED = Decimal(100)


def weight_share(weight: Decimal, count: int) -> str:
    """A row's share of a split weight, exact: "10", "2.5", or "40/3" when no decimal is exact."""
    exact = CONTEXT.divide(weight, Decimal(count))
    return fmt(exact) if CONTEXT.multiply(exact, Decimal(count)) == weight and len(fmt(exact)) <= 12 else f"{fmt(weight)}/{count}"


def _fraction_of_percent(row: TargetRow) -> bool:
    """Whether a row's actual is a bare 0 < v ≤ 1 against a target in %: it may be a fraction."""
    actual, target = row.actual, row.target
    return (
        actual is not None
        and actual.bare
        and actual.value is not None
        and 0 < actual.value <= 1
        and target is not None
        and target.unit == "%"
        and target.kind in ("quantity", "range")
    )


def _scaled(row: TargetRow) -> TargetRow:
    """The row with its bare actual read as a fraction: 0.98 as 98 %."""
    assert row.actual is not None and row.actual.value is not None
    value = row.actual.value * 100
    return evolve(row, actual=evolve(row.actual, text=f"{fmt(value)}%", value=value, bare=False))

