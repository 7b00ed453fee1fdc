"""The percent question (待核实): a figure typed as a bare 0 < v ≤ 1 where a percentage is meant may
be v % or a fraction written for v × 100 %. Where the two readings score apart, nothing is guessed:
the indicator, or the data check, is questioned with both readings and what to write instead.

One place writes every sentence of a question, so that an input of a ruleset, a row of a target
form and a data check ask it in the same words and give the same hint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from ._numbers import fmt
from ._records import frozen
from ._results import STATUSES
from ._rule import Outcome

__all__ = ["PercentQuestion", "Reading", "readings_text", "stated_as_percent", "written_as"]

HUNDRED = Decimal(100)


def readings_text(readings: Sequence[tuple[str, Decimal | None]], places: int | None = None) -> str:
    """Each reading with its points: "按 0.9% 计 0 分；按 90% 计 3 分"."""
    return "；".join(f"{label} {fmt(points, places)} 分" if points is not None else f"{label}：未计分" for label, points in readings)


def written_as(label: str) -> str:
    """How to write the first figure a reading names, with its %: "按 90%、95% 计" → "90%"."""
    return label.removeprefix("按 ").removesuffix(" 计").split("、")[0]


def stated_as_percent(stated: Decimal, bare: bool, unit: str | None) -> Decimal | None:
    """A stated percentage typed as a bare fraction (1 for 100%, 0.9925 for 99.25%): the figure it
    would be as a percentage, at the precision it was written with; None for any other figure."""
    if not bare or unit != "%" or not 0 < stated <= 1:
        return None
    return stated.scaleb(2)


@frozen
class Reading:
    """How one reading came out: the points (None when it does not score), its status and trace;
    on a form that gives no points, how far the target was reached instead."""

    score: Decimal | None
    status: str
    steps: Sequence[str | Callable[[], str]]
    completion: Decimal | None = None

    @property
    def points(self) -> str:
        if self.completion is not None:
            return f"完成 {fmt(self.completion)}%"
        return f"{fmt(self.score)} 分" if self.score is not None else STATUSES.get(self.status, "不计分")


@frozen
class PercentQuestion:
    """The figures in question, each as (who typed it, as typed, the number): ("“满意度”", "0.9", 0.9)."""

    figures: tuple[tuple[str, str, Decimal], ...]

    @property
    def given(self) -> str:
        return "、".join(f"{who}填写为 {typed}" for who, typed, _value in self.figures)

    @property
    def as_typed(self) -> str:
        return "、".join(f"{fmt(value)}%" for _who, _typed, value in self.figures)

    @property
    def as_percent(self) -> str:
        return "、".join(f"{fmt(value * HUNDRED)}%" for _who, _typed, value in self.figures)

    @property
    def labels(self) -> tuple[str, str]:
        """The two readings' names, as typed first: ("按 0.9% 计", "按 90% 计")."""
        return f"按 {self.as_typed} 计", f"按 {self.as_percent} 计"

    @property
    def opening(self) -> str:
        return f"{self.given}，没有写 %：可能是 {self.as_typed}，也可能是按小数写的 {self.as_percent}"

    @property
    def hint(self) -> str:
        value = self.figures[0][2]
        return f"请核实后在数据中写明 %，如 \"{fmt(value * HUNDRED)}%\"（确为 {fmt(value)}% 时写 \"{fmt(value)}%\"）"

    def outcome(self, typed: Reading, scaled: Reading, scored: bool = True) -> Outcome:
        """The indicator questioned: no score, both readings traced and flagged with their points
        (on a form that gives no points, with how far each reading reaches the target)."""
        as_typed, as_percent = self.labels
        differ = f"两种读法得分不同（{typed.points} / {scaled.points}），该指标待核实，暂不计分" if scored else f"两种读法的完成程度不同（{typed.points} / {scaled.points}），该指标待核实"
        steps = (
            self.opening,
            f"{as_typed}：{'；'.join(_written(typed.steps))}",
            f"{as_percent}：{'；'.join(_written(scaled.steps))}",
            f"{differ}；{self.hint}",
        )
        message = f"{self.given}，没有写 %：{as_typed} {typed.points}；{as_percent} {scaled.points}；{self.hint}"
        readings = ((as_typed, typed.score), (as_percent, scaled.score)) if scored else ((as_typed, None), (as_percent, None))
        return Outcome(None, steps, status="questioned", flags=(("questioned", message),), readings=readings)

    def check_message(self, name: str, stated: str, typed: tuple[str, bool], scaled: tuple[str, bool]) -> str:
        """A data check that reads the figures in question and comes out apart under the two readings:
        each reading with what it computes and whether that agrees with the stated figure."""
        as_typed, as_percent = self.labels

        def verdict(result: tuple[str, bool]) -> str:
            return f"{result[0]}（{'与之一致' if result[1] else '与之不符'}）"

        return f"无法核对{name}：{self.opening}。文件所写为 {stated}；{as_typed}为 {verdict(typed)}，{as_percent}为 {verdict(scaled)}；{self.hint}"


def _written(steps: Sequence[str | Callable[[], str]]) -> list[str]:
    return [step if isinstance(step, str) else step() for step in steps]
