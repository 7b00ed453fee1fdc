"""A project target form expanded, for one unit, into an ordinary framework: one leaf for budget
execution and one per row (or per group of rows sharing one 分值), each with a rule that compares
actual with target. The evaluator, traces, flags and formatters then work unchanged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attrs import evolve

from ..forms import TargetError
from ..model import BudgetLine, DataError, FormData, FormSpec, Framework, Group, Indicator, IndicatorEntry, Location, Node, Source, TargetRow, UnitData, fmt
from ..rules import ExecutionRule, TargetRule, weight_share

__all__ = ["expand_form"]

ZERO = Decimal(0)


def expand_form(framework: Framework, data: UnitData) -> tuple[Framework, UnitData, list[tuple[tuple[str, ...], str, str]]]:
    """The unit's form as a framework with leaves, its entries, and (path, kind, message) findings."""
    spec = framework.form
    assert spec is not None
    if data.form is None:
        raise DataError("项目支出绩效自评表需要填写 [budget] 与 [[targets]]", Location(file=data.path))
    unknown = [line.name for line in data.form.sources if spec.sources and line.name not in spec.sources]
    if unknown:
        raise DataError(f"资金来源“{'、'.join(unknown)}”不在本表的资金来源中（{'、'.join(spec.sources)}）", Location(file=data.path, key="budget.sources"))
    form = totals_from_sources(data.form)
    findings: list[tuple[tuple[str, ...], str, str]] = [((), kind, message) for kind, message in stated_sum_flags(form)]
    source = Source(data.source) if data.source else None
    try:
        leaves = expand_rows(form, spec)
    except TargetError as exc:
        raise DataError(str(exc), Location(file=data.path, key="targets")) from None

    entries: dict[str, IndicatorEntry] = {}
    by_category: dict[str, dict[str, list[Node]]] = {c.name: {} for c in spec.categories}
    for path, weight, rows, self_score in leaves:
        if rows and rows[0].target is None:
            continue  # a row that says 无: the category has no indicator of this kind
        if path[0] not in by_category:
            known = "、".join(by_category)
            raise DataError(f"指标“{'/'.join(path)}”的一级指标“{path[0]}”不在本表的类别中（{known}）", Location(file=data.path, key="targets"))
        category = next(c for c in spec.categories if c.name == path[0])
        block = spec.block_of(path) if len(path) < 3 else None
        split = block is not None and block.split and block.path == path
        rule = TargetRule(rows, category.directions, spec.tiers, spec.over_margin, spec.scored, framework.rounding, category=category, split=split)
        leaf_id = "/".join(path)
        name = _leaf_name(path, rows, weight, split, block is not None and block.path == path)
        indicator = Indicator(
            id=leaf_id,
            name=name,
            path=(path[0], name) if len(path) == 1 else path[:-1] + (name,),
            weight=weight if spec.scored else ZERO,
            rule=rule,
            unit="%",
            content="；".join(f"{r.path[-1]}：{r.target.text if r.target else '无'}" for r in rows) if len(rows) > 1 else None,
            printed=rows[0].target.text if len(rows) == 1 and rows[0].target else None,
            source=source,
        )
        by_category[path[0]].setdefault(path[1] if len(path) == 3 else "", []).append(indicator)
        if len(rows) == 1 and not (block is not None and block.path == path):
            entries[leaf_id] = IndicatorEntry(**entry_fields(rows[0]))
        else:
            first = rows[0]
            if split and len(rows) > 1:
                # Each judged row of a split block carries its own score (TargetRule._split_judged).
                entries[leaf_id] = IndicatorEntry(self_score=self_score, note=first.note)
            else:
                entries[leaf_id] = IndicatorEntry(self_score=self_score, score=first.score, reason=first.reason, tier=first.tier, note=first.note)

    children: list[Node] = []
    execution = Indicator(
        id="预算执行率",
        name="预算执行率",
        path=("预算执行率",),
        weight=spec.execution_weight if spec.scored else ZERO,
        rule=ExecutionRule(
            form.total,
            spec.execution_divisor,
            form.stated_rate,
            spec.execution_reason_below,
            form.execution_reason,
            spec.scored,
            framework.rounding,
            stated_rate_bare=form.stated_rate_bare,
        ),
        unit="%",
        source=source,
    )
    entries["预算执行率"] = IndicatorEntry(self_score=form.execution_self)
    children.append(execution)
    for category in spec.categories:
        nodes: list[Node] = []
        for second, items in by_category[category.name].items():
            if second:
                nodes.append(Group(second, (category.name, second), None, tuple(items)))
            else:
                nodes.extend(items)
        if not nodes:
            if spec.scored and category.weight:
                findings.append(((category.name,), "weight_mismatch", f"表中没有“{category.name}”的指标，本表规定该类 {fmt(category.weight)} 分"))
            continue
        group = Group(category.name, (category.name,), category.weight if spec.scored else ZERO, tuple(nodes))
        if spec.scored and category.weight is not None and group.leaf_weight != category.weight:
            findings.append(((category.name,), "weight_mismatch", f"“{category.name}”各行分值合计 {fmt(group.leaf_weight)} 分，本表规定 {fmt(category.weight)} 分"))
        children.append(group)
    rows_weight = sum((leaf.weight for child in children[1:] if isinstance(child, Group) for leaf in child.leaves()), ZERO)
    if spec.scored and spec.targets_weight is not None and rows_weight != spec.targets_weight:
        findings.append(((), "weight_mismatch", f"绩效指标各行分值合计 {fmt(rows_weight)} 分，本表规定 {fmt(spec.targets_weight)} 分"))
    expanded = evolve(framework, children=tuple(children), inputs=(), warnings=())
    return expanded, evolve(data, entries=entries), findings


def expand_rows(data: FormData, spec: FormSpec) -> list[tuple[tuple[str, ...], Decimal, tuple[TargetRow, ...], Decimal | None]]:
    """Leaves of the form: (path, weight, rows, self score); rows sharing a weight become one leaf:
    the framework's blocks (the printed table's merged 分值 cells) and the unit's [[shared]]."""
    leaves: list[tuple[tuple[str, ...], Decimal, tuple[TargetRow, ...], Decimal | None]] = []
    grouped: dict[tuple[str, ...], list[TargetRow]] = {}
    for row in data.rows:
        if row.target is None:
            leaves.append((row.path, ZERO, (row,), None))
            continue
        block = spec.block_of(row.path)
        if block is not None:
            key = block.path
            if row.weight is not None:
                raise TargetError(
                    f"指标“{'/'.join(row.path)}”属于本表规定共用 {fmt(block.weight)} 分的“{'/'.join(block.path)}”"
                    f"{'（按行数均分）' if block.split else ''}，不要逐行填写 weight；自评得分写在 [[shared]] path = {list(block.path)} 中"
                )
            given = next((p for p in data.shared if p == key), None)
            other = next((p for p in data.shared if p != key and (row.path[: len(p)] == p)), None)
            if other is not None:
                raise TargetError(f"[[shared]]“{'/'.join(other)}”与本表规定的共用分值“{'/'.join(key)}”（{fmt(block.weight)} 分）重叠：请把 path 改为 {list(key)}")
            if given is not None and data.shared[given][0] != block.weight:
                raise TargetError(f"[[shared]]“{'/'.join(key)}”填写分值 {fmt(data.shared[given][0])} 分，本表规定 {fmt(block.weight)} 分")
            if key not in grouped:
                grouped[key] = []
                leaves.append((key, block.weight, (), data.shared[given][1] if given is not None else None))
            grouped[key].append(row)
            continue
        if row.weight is None:
            cell = next((p for p in data.shared if row.path[: len(p)] == p), None)
            if cell is None:
                if spec.scored:
                    raise TargetError(f"指标“{'/'.join(row.path)}”没有分值：请填写 weight，或用 [[shared]] 声明几行共用的分值")
                leaves.append((row.path, ZERO, (row,), None))
                continue
            if cell not in grouped:
                grouped[cell] = []
                weight, self_score = data.shared[cell]
                leaves.append((cell, weight, (), self_score))
            grouped[cell].append(row)
            continue
        leaves.append((row.path, row.weight, (row,), row.self_score))
    return [(path, weight, tuple(grouped[path]) if not rows and path in grouped else rows, self_score) for path, weight, rows, self_score in leaves]


def _leaf_name(path: tuple[str, ...], rows: tuple[TargetRow, ...], weight: Decimal, split: bool, declared: bool) -> str:
    """A leaf's name: the row's own, or the shared cell's with how many rows share it and how."""
    if not declared and len(rows) <= 1:
        return path[-1]
    head = f"{path[0]}各项" if len(path) == 1 else path[-1]
    if split:
        return f"{head}（{len(rows)}项，每项 {weight_share(weight, len(rows))} 分）"
    return f"{head}（{len(rows)}项共用分值）"


def stated_sum_flags(data: FormData) -> list[tuple[str, str]]:
    """A 总额 that disagrees with the sum of its source rows."""
    if not data.sources:
        return []
    out = []
    for attribute, word in (("initial", "年初预算数"), ("full_year", "全年预算数"), ("revised", "调整后预算数"), ("executed", "执行数")):
        parts = [getattr(line, attribute) for line in data.sources]
        total = getattr(data.total, attribute)
        if total is not None and all(p is not None for p in parts):
            summed = sum(parts, ZERO)
            if summed != total:
                out.append(("stated_mismatch", f"{word}总额填 {fmt(total)} 万元，各资金来源合计 {fmt(summed)} 万元"))
    return out


def totals_from_sources(data: FormData) -> FormData:
    """The 总额 row is the sum of its sources when the unit filled the sources only."""
    if not data.sources:
        return data

    def total(attribute: str) -> Decimal | None:
        given = getattr(data.total, attribute)
        if given is not None:
            return given  # type: ignore[no-any-return]
        parts = [getattr(line, attribute) for line in data.sources]
        # A source left blank is unknown, not 0: the 总额 is then unknown too.
        return sum(parts, ZERO) if parts and all(p is not None for p in parts) else None

    # A 执行数 summed from its sources was written bare when each of theirs was; when only some
    # were, their part is the one that may be in 元.
    summed = data.total.executed is None
    bare = data.total.executed_bare if not summed else all(line.executed_bare for line in data.sources)
    bare_lines = [line for line in data.sources if line.executed_bare and line.executed] if summed and not bare else []
    return evolve(
        data,
        total=BudgetLine(
            "总额",
            total("initial"),
            total("full_year"),
            total("executed"),
            total("revised"),
            executed_bare=bare,
            bare_part=sum((line.executed for line in bare_lines if line.executed is not None), ZERO) if bare_lines else None,
            bare_names=tuple(line.name for line in bare_lines),
        ),
    )


def entry_fields(row: TargetRow) -> dict[str, Any]:
    return {"self_score": row.self_score, "score": row.score, "reason": row.reason, "tier": row.tier, "note": row.note}
