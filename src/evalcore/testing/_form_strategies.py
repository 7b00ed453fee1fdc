"""Hypothesis strategies for a target form's data (项目支出绩效自评表): a budget and rows of targets
and actuals that fit the framework's categories and blocks, with weights that add up where the
form says so. `unit_data` uses them for a framework with a [form]."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ..model import FormSpec, Framework

__all__ = ["form_data"]

ZERO = Decimal(0)


def _number(low: int, high: int, places: int = 2) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=places, allow_nan=False, allow_infinity=False)


@st.composite
def _row(draw: st.DrawFn, path: list[str], scored: bool) -> dict[str, Any]:
    """One [[targets]] row: a target as officers write it and an actual, sometimes missing or odd."""
    kind = draw(st.sampled_from(["percent", "count", "money", "range", "period", "text"]))
    row: dict[str, Any] = {"path": path}
    if kind == "percent":
        value = draw(_number(1, 100, 1))
        row["target"] = f"{draw(st.sampled_from(['≥', '≤', '']))}{value}%"
        actual: str | None = draw(st.sampled_from([f"{draw(_number(0, 120, 2))}%", str(draw(_number(0, 1, 2)))]))
    elif kind == "count":
        row["target"] = f"{draw(st.sampled_from(['≥', '>', '=', '']))}{draw(st.integers(1, 5000))}人次"
        actual = f"{draw(st.integers(0, 6000))}人次"
    elif kind == "money":
        row["target"] = f"{draw(st.sampled_from(['≤', '<', '']))}{draw(_number(1, 500))}万元"
        actual = f"{draw(_number(0, 600))}{draw(st.sampled_from(['万元', '元']))}"
    elif kind == "range":
        low = draw(st.integers(1, 100))
        row["target"] = f"{low}--{low + draw(st.integers(1, 50))}个"
        actual = f"{draw(st.integers(0, 200))}个"
    elif kind == "period":
        row["target"] = "2025年12月底前"
        actual = draw(st.sampled_from(["2025年12月底前", "2026年3月"]))
    else:
        row["target"] = draw(st.sampled_from(["明显提升", "稳步提高", "长期"]))
        actual = draw(st.sampled_from(["明显提升", "有所提升", "长期"]))
    if draw(st.integers(0, 9)) == 0:
        actual = None  # not filled: the row is missing, never 0
    if actual is not None:
        row["actual"] = actual
    if scored and kind in ("period", "text") and draw(st.booleans()):
        row["tier"] = draw(st.sampled_from(["达成", "部分达成", "未达成"]))
        if draw(st.booleans()):
            # the evaluator's score, inside or outside the tier (refused, never clamped)
            row["score"] = str(draw(_number(0, 20, 2)))
            row["reason"] = "测试评定"
    return row


def _split(draw: st.DrawFn, total: Decimal, parts: int) -> list[Decimal]:
    """`parts` weights of whole points (the last takes the rest) that add up to `total`."""
    weights = []
    left = total
    for _ in range(parts - 1):
        piece = Decimal(draw(st.integers(0, int(left)))) if left >= 1 else ZERO
        weights.append(piece)
        left -= piece
    return [*weights, left]


def _rows(draw: st.DrawFn, form: FormSpec) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    shared: list[dict[str, Any]] = []
    # Without category weights the rows' weights are free within targets_weight: the first category
    # that is not one whole block takes what the blocks leave.
    whole = {b.path[0] for b in form.blocks if len(b.path) == 1}
    open_categories = [c.name for c in form.categories if c.weight is None and c.name not in whole]
    free_left = form.targets_weight - sum((b.weight for b in form.blocks), ZERO) if form.targets_weight is not None else ZERO
    for category in form.categories:
        blocks = [b for b in form.blocks if b.path[0] == category.name]
        for block in blocks:
            count = draw(st.integers(1, 4))
            for n in range(count):
                second = list(block.path[1:]) or [f"二级指标{n + 1}"]
                rows.append(draw(_row([category.name, *second, f"{block.path[-1]}指标{n + 1}"], form.scored)))
            if form.scored and draw(st.booleans()):
                shared.append({"path": list(block.path), "weight": str(block.weight), "self": str(draw(_number(0, int(block.weight), 2)).min(block.weight))})
        if category.name in whole:
            continue  # the whole category is one block
        if category.weight is not None:
            free = category.weight - sum((b.weight for b in blocks), ZERO)
        elif open_categories and category.name == open_categories[0]:
            free = free_left
        else:
            free = ZERO
        if not form.scored:
            free = Decimal(1)
        if free <= 0 and blocks:
            continue
        count = draw(st.integers(1, 3))
        for n, weight in enumerate(_split(draw, free, count)):
            row = draw(_row([category.name, "二级指标", f"{category.name}第{n + 1}项"], form.scored))
            if form.scored:
                row["weight"] = str(weight)
                if "score" in row:
                    # a row's judged score within its weight, as the data file is refused otherwise
                    row["score"] = str(min(Decimal(row["score"]), weight))
                if draw(st.integers(0, 3)) == 0:
                    row["self"] = str(draw(_number(0, max(int(weight), 0), 2)).min(weight))
            rows.append(row)
    return rows, shared


@st.composite
def form_data(draw: st.DrawFn, framework: Framework) -> dict[str, Any]:
    """A data mapping of a target form for `evaluate(framework, data)`."""
    form = framework.form
    assert form is not None
    budget: dict[str, Any] = {}
    initial = draw(_number(0, 10000))
    full = draw(_number(0, 10000))
    executed = draw(st.sampled_from([draw(_number(0, 12000)), full]))
    budget["年初预算数"] = f"{initial}万元"
    budget[form.execution_divisor] = f"{full}万元"
    if draw(st.integers(0, 9)):
        budget["执行数"] = f"{executed}万元" if draw(st.booleans()) else str(executed)
    if form.scored and draw(st.booleans()):
        budget["self"] = str(draw(_number(0, int(form.execution_weight), 2)).min(form.execution_weight))
    if form.execution_reason_below is not None and draw(st.booleans()):
        budget["reason"] = "测试说明"
    rows, shared = _rows(draw, form)
    data: dict[str, Any] = {"framework": framework.id, "year": framework.year, "budget": budget, "targets": rows}
    if shared:
        data["shared"] = shared
    return data
