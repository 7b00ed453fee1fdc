"""checklist (评价要点): each checkpoint met adds its points, or each one missing deducts, floored at 0."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from ..model import IndicatorEntry, LoadContext, Outcome, Rule, ScoringContext, Table, fmt, frozen
from ._base import ZERO, points

__all__ = ["CHECKLIST_MODES", "ChecklistRule", "Checkpoint"]

CHECKLIST_MODES = {"award": "每满足一项得该项分值", "deduct": "每缺一项扣分，扣完为止"}


@frozen
class Checkpoint:
    """An 评价要点: a yes/no item and the points it is worth (award) or costs when missing (deduct)."""

    text: str
    points: Decimal


@frozen
class ChecklistRule(Rule):
    """评价要点: each checkpoint met adds its points, or each one missing deducts, floored at 0."""

    kind: ClassVar[str] = "checklist"
    title: ClassVar[str] = "评价要点"
    needs_value: ClassVar[bool] = False

    mode: str
    checkpoints: tuple[Checkpoint, ...]

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        table.check_keys(["kind", "mode", "checkpoints", "per_missing"])
        mode = table.choice("mode", "计分方式（award 满足加分 / deduct 缺项扣分）", CHECKLIST_MODES)
        items = table.tables("checkpoints", "评价要点")
        if not items:
            raise table.error("评价要点至少需要一项：checkpoints = [{ text = \"...\", points = 1 }, ...]", "checkpoints")
        per_missing = table.decimal("per_missing", "每缺一项扣分", required=False)
        checkpoints = []
        for item in items:
            item.check_keys(["text", "points"])
            text = item.string("text", "评价要点内容")
            pts = item.decimal("points", "该要点分值", required=per_missing is None, default=per_missing)
            assert text is not None and pts is not None
            if pts <= 0:
                raise item.error("要点分值必须大于 0", "points")
            checkpoints.append(Checkpoint(text, pts))
        return cls(mode, tuple(checkpoints))

    def _out_of_range(self, answers: tuple[bool | Decimal, ...]) -> int | None:
        """The number (from 1) of the first partial score outside 0 to its checkpoint's points."""
        for number, (point, answer) in enumerate(zip(self.checkpoints, answers), start=1):
            if not isinstance(answer, bool) and not ZERO <= answer <= point.points:
                return number
        return None

    def _tally(self, answers: tuple[bool | Decimal, ...]) -> tuple[list[Decimal], Decimal, Decimal]:
        """Points got per checkpoint, their total and the points lost (answers within range)."""
        got = [(point.points if answer else ZERO) if isinstance(answer, bool) else answer for point, answer in zip(self.checkpoints, answers)]
        total = sum(got, ZERO)
        return got, total, sum((point.points for point in self.checkpoints), ZERO) - total

    def _points(self, weight: Decimal, total: Decimal, missing: Decimal) -> Decimal:
        return min(total, weight) if self.mode == "award" else max(weight - missing, ZERO)

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Mapping[str, Any], entry: IndicatorEntry) -> Decimal | None:
        answers = entry.checkpoints
        if answers is None or len(answers) != len(self.checkpoints) or self._out_of_range(answers) is not None:
            return None
        _got, total, missing = self._tally(answers)
        return self._points(weight, total, missing)

    def score(self, ctx: ScoringContext) -> Outcome:
        answers = ctx.entry.checkpoints
        if answers is None:
            return Outcome(None, ("未填写评价要点逐项结果",), status="missing", needs="评价要点逐项结果（checkpoints）")
        if len(answers) != len(self.checkpoints):
            return Outcome(None, (f"评价要点共 {len(self.checkpoints)} 项，数据填写了 {len(answers)} 项，无法对应",), status="error")
        wrong = self._out_of_range(answers)
        if wrong is not None:
            given, allowed = answers[wrong - 1], self.checkpoints[wrong - 1].points
            return Outcome(None, (f"要点 {wrong} 填写得分 {fmt(Decimal(given))} 超出该要点分值 {fmt(allowed)}",), status="error")
        got, total, missing = self._tally(answers)
        score = self._points(ctx.weight, total, missing)
        steps: list[str] = []
        for number, (point, answer, gained) in enumerate(zip(self.checkpoints, answers, got), start=1):
            mark = ("是" if answer else "否") if isinstance(answer, bool) else f"部分满足，{fmt(answer)} 分"
            if self.mode == "award":
                steps.append(f"要点 {number}「{point.text}」：{mark}，得 {points(gained)}")
            else:
                lost = point.points - gained
                steps.append(f"要点 {number}「{point.text}」：{mark}" + (f"，扣 {points(lost)}" if lost else ""))
        if self.mode == "award":
            met = sum(1 for answer in answers if answer is True)
            summary = f"{len(self.checkpoints)} 项评价要点均满足，" if met == len(self.checkpoints) else ""
            steps.append(f"{summary}合计 {points(total)}" + ("" if total <= ctx.weight else f"，以分值 {fmt(ctx.weight)} 分为限"))
            return Outcome(score, tuple(steps))
        if ctx.weight - missing < 0:
            steps.append(f"共扣 {fmt(missing)} 分，扣完为止，得 0 分")
        elif missing == 0:
            steps.append(f"{len(self.checkpoints)} 项评价要点均满足，计满分 {points(score)}")
        else:
            steps.append(f"共扣 {fmt(missing)} 分，得 {points(score)}")
        return Outcome(score, tuple(steps))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        items = "；".join(f"{i}. {c.text}（{fmt(c.points)} 分）" for i, c in enumerate(self.checkpoints, start=1))
        return f"{CHECKLIST_MODES[self.mode]}：{items}"


