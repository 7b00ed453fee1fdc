"""Checks of weights and directions a framework declares besides its rules: a target form's blocks
(rows sharing one weight) against its categories, cost-like names scored as more-is-better, the
years a form is in force, and one indicator holding more than half of the total."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from ..model import COST_WORDS, FormSpec, Framework, cost_like, fmt
from ._finding import Finding

__all__ = ["DOMINANT", "form_findings", "weight_share_findings"]

ZERO = Decimal(0)
DOMINANT = "dominant-weight"


def form_findings(framework: Framework) -> Iterator[Finding]:
    """What a target form declares: blocks that fit their categories, directions, years."""
    form = framework.form
    if form is None:
        return
    yield from _blocks(framework, form)
    yield from _directions(framework, form)
    yield from _years(framework, form)


def weight_share_findings(framework: Framework) -> Iterator[Finding]:
    """A form's cell worth more than half of the total (a block, budget execution) decides the grade
    alone: a slip in entering the table (40 typed for 4) or a choice the framework must say it made
    (`accept = { dominant-weight = "理由" }` on the block)."""
    form = framework.form
    if form is None or not form.scored or form.total <= 0:
        return
    half = form.total / 2
    items: list[tuple[str, Decimal, Mapping[str, str], int | None, tuple[str, ...]]] = [("预算执行率", form.execution_weight, {}, None, ("预算执行率",))]
    items += [("/".join(b.path) + "（共用分值）", b.weight, b.accept, b.line, b.path) for b in form.blocks]
    for name, weight, accept, line, path in items:
        if weight <= half:
            continue
        if DOMINANT in accept:
            yield Finding("info", DOMINANT, f"“{name}”{fmt(weight)} 分，超过总分的一半（已声明接受：{accept[DOMINANT]}）", framework.path, line, path)
        else:
            message = (
                f"“{name}”{fmt(weight)} 分，超过总分 {fmt(form.total)} 分的一半：一项就决定了等级；请核对分值是否录错，"
                f"确属原表规定的，在该项写明 accept = {{ {DOMINANT} = \"理由\" }}"
            )
            yield Finding("warning", DOMINANT, message, framework.path, line, path)


def _blocks(framework: Framework, form: FormSpec) -> Iterator[Finding]:
    for category in form.categories:
        blocks = [b for b in form.blocks if b.path[0] == category.name]
        if not blocks or not form.scored:
            continue
        limit = category.weight  # categories without a weight: their blocks against targets_weight, below
        whole = next((b for b in blocks if len(b.path) == 1), None)
        summed = sum((b.weight for b in blocks), ZERO)
        parts = " + ".join(f"{'/'.join(b.path)} {fmt(b.weight)}" for b in blocks)
        if whole is not None and category.weight is not None and whole.weight != category.weight:
            yield Finding(
                "error", "weights", f"共用分值“{category.name}”{fmt(whole.weight)} 分，本表规定该类 {fmt(category.weight)} 分", framework.path, whole.line, whole.path
            )
        elif limit is not None and summed > limit:
            yield Finding("error", "weights", f"“{category.name}”中共用分值合计 {fmt(summed)} 分（{parts}），超过该类 {fmt(limit)} 分", framework.path, blocks[0].line, (category.name,))
        for block in blocks:
            if block.weight > form.total:
                yield Finding("error", "range", f"共用分值“{'/'.join(block.path)}”{fmt(block.weight)} 分，超过本表总分 {fmt(form.total)} 分", framework.path, block.line, block.path)
    unweighted = {c.name for c in form.categories if c.weight is None}
    free = [b for b in form.blocks if b.path[0] in unweighted]
    if form.scored and form.targets_weight is not None and sum((b.weight for b in free), ZERO) > form.targets_weight:
        parts = " + ".join(f"{'/'.join(b.path)} {fmt(b.weight)}" for b in free)
        summed = sum((b.weight for b in free), ZERO)
        yield Finding("error", "weights", f"共用分值合计 {fmt(summed)} 分（{parts}），超过各行合计 {fmt(form.targets_weight)} 分（targets_weight）", framework.path, free[0].line, ())
    for block in form.blocks:
        for code in block.accept:
            if code != DOMINANT:
                yield Finding("warning", "accept-unknown", f"共用分值的 accept 中“{code}”不适用；可用：{DOMINANT}", framework.path, block.line, block.path)


def _directions(framework: Framework, form: FormSpec) -> Iterator[Finding]:
    """A cost read as more-is-better gives full marks for overspending: warn where a cost-like name
    is declared "≥", or is scored so by default because its name holds no cost word (成本)."""
    for category in form.categories:
        for name, direction in category.directions.items():
            if direction == "≥" and cost_like(name):
                yield _direction_finding(framework, category.name, name, None)
        if cost_like(category.name):
            declared = category.direction
            if declared == "≥":
                yield _direction_finding(framework, category.name, category.name, None)
            elif declared is None and not any(word in category.name for word in COST_WORDS):
                yield _direction_finding(framework, category.name, category.name, "没有声明方向，按默认“≥”（越多越好）计分")


def _direction_finding(framework: Framework, category: str, name: str, default: str | None) -> Finding:
    """A warning where a cost-like name is more-is-better by default; a note where the framework
    declared "≥" for it on purpose."""
    path = (category,) if name == category else (category, name)
    if default is None:
        return Finding("info", "direction", f"“{name}”像是成本、费用类指标，本表规定未写符号的指标值按“≥”（越多越好）计分", framework.path, None, path)
    return Finding(
        "warning",
        "direction",
        f"“{name}”像是成本、费用类指标，未写符号的指标值{default}：实际花得越多得分越高；"
        f"请在 categories 中写明 direction = \"≤\"，确属越多越好的写明 direction = \"≥\"",
        framework.path,
        None,
        path,
    )


def _years(framework: Framework, form: FormSpec) -> Iterator[Finding]:
    if form.valid_from is not None and form.valid_from > framework.year:
        yield Finding("error", "form-years", f"适用年度自 {form.valid_from} 年起，晚于本框架的年度 {framework.year}", framework.path, None)
    if form.valid_until is not None and form.valid_until < framework.year:
        yield Finding("error", "form-years", f"适用年度到 {form.valid_until} 年止，早于本框架的年度 {framework.year}", framework.path, None)
