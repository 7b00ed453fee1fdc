"""Reading project target forms: the [form] of a form framework, and a unit's [budget],
[[targets]] and [[shared]] (errors carry file, line and key)."""

from __future__ import annotations

import re
from decimal import Decimal

from ..forms import TargetError, parse_actual, parse_target
from ..model import DIVISORS, NATIONAL_TIERS, Block, BudgetLine, Category, Domain, FormData, FormSpec, Table, TargetRow, checked, convert, fmt, number_problem, parse_quantity, to_decimal, written_bare
from ..rules import read_tiers

__all__ = ["read_form_data", "read_form_spec"]

ZERO = Decimal(0)


def read_form_spec(table: Table) -> FormSpec:
    table.check_keys(
        ["categories", "execution_weight", "execution_divisor", "execution_reason_below", "tiers", "over_margin", "scored", "sources", "targets_weight", "blocks", "valid_from", "valid_until"]
    )
    scored = table.boolean("scored", "是否计分", True)
    categories = []
    for item in table.tables("categories", "指标类别（一级指标）"):
        item.check_keys(["name", "weight", "directions", "direction"])
        name = item.string("name", "类别名称")
        weight = item.decimal("weight", "类别分值", required=False)
        directions = item.table("directions", "各二级、三级指标未写符号时的方向", required=False)
        parsed: dict[str, str] = {}
        if directions is not None:
            for key, value in directions.data.items():
                if value not in ("≥", "≤"):
                    raise directions.error("方向只能是 \"≥\" 或 \"≤\"", key)
                parsed[key] = value
        direction = item.choice("direction", "本类指标未写符号时的方向", ["≥", "≤"], default="") or None
        assert name is not None
        categories.append(Category(name, weight if scored else ZERO, parsed, direction))
    if not categories:
        raise table.error("至少需要一个指标类别：categories = [{ name = \"产出指标\", weight = 50 }, ...]", "categories")
    weight = table.decimal("execution_weight", "预算执行率分值", required=scored, default=ZERO)
    assert weight is not None
    tiers = read_tiers(table, "tiers", "定性指标评定档次")
    valid_from = table.integer("valid_from", "本表适用的起始年度", required=False)
    valid_until = table.integer("valid_until", "本表适用的截止年度", required=False)
    if valid_from is not None and valid_until is not None and valid_until < valid_from:
        raise table.error(f"适用年度的截止年度 {valid_until} 早于起始年度 {valid_from}", "valid_until")
    return FormSpec(
        categories=tuple(categories),
        execution_weight=weight,
        execution_divisor=table.choice("execution_divisor", "预算执行率的分母", DIVISORS, default="全年预算数"),
        execution_reason_below=table.decimal("execution_reason_below", "低于此执行率须说明原因（%）", required=False),
        tiers=tiers or NATIONAL_TIERS,
        over_margin=table.decimal("over_margin", "超出目标多少（%）时提示目标偏低", required=False),
        scored=scored,
        sources=tuple(str(s) for s in table.sequence("sources", "资金来源行")),
        targets_weight=table.decimal("targets_weight", "绩效指标各行分值合计", required=False),
        blocks=_blocks(table, [c.name for c in categories]),
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _blocks(table: Table, categories: list[str]) -> tuple[Block, ...]:
    """Rows sharing one weight, as the printed table merges their 分值 cell: `{ path = ["产出指标"],
    weight = 40 }`; with `split = "rows"`, each of the n rows under the path is worth weight / n."""
    blocks: list[Block] = []
    for item in table.tables("blocks", "几行共用的分值（原表合并的分值单元格）"):
        item.check_keys(["path", "weight", "split", "accept"])
        raw = item.raw("path")
        if not isinstance(raw, list) or not 1 <= len(raw) <= 2 or not all(isinstance(p, str) and p.strip() for p in raw):
            raise item.error("path 应为 [一级指标] 或 [一级指标, 二级指标]", "path")
        path = tuple(p.strip() for p in raw)
        if path[0] not in categories:
            raise item.error(f"一级指标“{path[0]}”不在本表的类别中（{'、'.join(categories)}）", "path")
        weight = item.decimal("weight", "共用的分值")
        assert weight is not None
        if weight <= 0:
            raise item.error("共用的分值应大于 0", "weight")
        split = item.choice("split", "分值的分法", ["rows"], default="") == "rows"
        accept = item.table("accept", "已知并接受的问题（检查项代码 = 理由）", required=False)
        accepted: dict[str, str] = {}
        for code, reason in (accept.data.items() if accept is not None else ()):
            if not isinstance(reason, str) or not reason.strip():
                raise item.error(f"accept 中“{code}”的理由不能为空", "accept")
            accepted[code] = reason.strip()
        for other in blocks:
            if other.holds(path) or path == other.path[: len(path)]:
                raise item.error(f"“{'/'.join(path)}”与“{'/'.join(other.path)}”重叠：一行只能属于一个共用分值", "path")
        blocks.append(Block(path, weight, split, accepted, item.where().line))
    return tuple(blocks)


# The domain of a form's budget figures, in 万元: not negative, and below 1 万亿元 (10^8 万元),
# far above any one project's budget, so that a slip of units (元 typed as 万元 twice) is caught.
BUDGET_DOMAIN = Domain(Decimal(0), Decimal(100_000_000), declared=True)


def _money(table: Table, key: str) -> tuple[Decimal | None, bool]:
    """A budget figure in 万元, and whether it was written as a bare number (taken as 万元)."""
    raw = table.raw(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, True
    unit = None
    try:
        if isinstance(raw, str):
            number, unit = parse_quantity(raw)
            number = number if unit is None else checked(convert(number, unit, "万元"))
        else:
            number = to_decimal(raw)
    except (ValueError, TypeError) as exc:
        raise table.error(f"{key}应为金额（万元），如 56 或 \"56万元\"，现在是 {raw!r}{number_problem(exc)}", key) from None
    problem = BUDGET_DOMAIN.problem(number, "万元")
    if problem is not None:
        raise table.error(f"{key}{problem}", key, hint="预算数和执行数以万元计，如 56 或 \"56万元\"")
    return number, unit is None


def _line(table: Table, name: str) -> BudgetLine:
    table.check_keys(["name", "年初预算数", "全年预算数", "调整后预算数", "执行数", "self", "stated_rate", "reason", "sources"])
    executed, bare = _money(table, "执行数")
    return BudgetLine(
        name, _money(table, "年初预算数")[0], _money(table, "全年预算数")[0], executed, _money(table, "调整后预算数")[0], executed_bare=bare and executed is not None
    )


def read_form_data(root: Table) -> FormData:
    """Read [budget], [[targets]] and [[shared]] of a target-form data file (errors carry lines)."""
    budget = root.table("budget", "预算执行情况（年初预算数、全年预算数、执行数，单位万元）")
    assert budget is not None
    sources = tuple(_line(item, item.string("name", "资金来源") or "") for item in budget.tables("sources", "资金来源"))
    total = _line(budget, "总额")
    stated = budget.raw("stated_rate")
    stated_rate = None
    if stated is not None:
        try:
            stated_rate = parse_quantity(stated)[0] if isinstance(stated, str) else to_decimal(stated)
        except (ValueError, TypeError) as exc:
            raise budget.error(f"stated_rate 应为百分数，如 \"100%\"，现在是 {stated!r}{number_problem(exc)}", "stated_rate") from None
    rows = []
    seen: dict[tuple[str, ...], Table] = {}
    for item in root.tables("targets", "绩效指标"):
        row = _row(item)
        if row.target is not None and row.path in seen:
            raise item.error(f"指标“{'/'.join(row.path)}”重复出现", "path", hint="同名的三级指标请在名称中加以区分")
        seen[row.path] = item
        rows.append(row)
    if not rows:
        raise root.error("表中没有绩效指标：请添加 [[targets]]", "targets")
    shared: dict[tuple[str, ...], tuple[Decimal, Decimal | None]] = {}
    for item in root.tables("shared", "几行共用的分值"):
        item.check_keys(["path", "weight", "self"])
        path = _path(item, shortest=1)  # a whole category may share one weight (原表合并单元格)
        weight = item.decimal("weight", "共用的分值")
        assert weight is not None
        self_score = item.decimal("self", "自评得分", required=False)
        if weight < 0:
            raise item.error("分值不能为负数", "weight")
        if self_score is not None and not 0 <= self_score <= weight:
            raise item.error(f"自评得分 {fmt(self_score)} 超出分值 0–{fmt(weight)}", "self")
        shared[path] = (weight, self_score)
    return FormData(
        total=total,
        sources=sources,
        execution_self=budget.decimal("self", "预算执行率自评得分", required=False),
        stated_rate=stated_rate,
        stated_rate_bare=stated is not None and written_bare(stated),
        execution_reason=budget.string("reason", "执行率偏低的原因", required=False),
        rows=tuple(rows),
        shared=shared,
    )


def _path(item: Table, shortest: int = 2) -> tuple[str, ...]:
    raw = item.raw("path")
    if not isinstance(raw, list) or not shortest <= len(raw) <= 3 or not all(isinstance(p, str) and p.strip() for p in raw):
        if shortest == 1:
            raise item.error("path 应为 [一级指标]、[一级指标, 二级指标] 或 [一级指标, 二级指标, 三级指标]", "path")
        raise item.error("path 应为 [一级指标, 二级指标, 三级指标] 或 [一级指标, 二级指标]", "path")
    return tuple(p.strip() for p in raw)


def _row(item: Table) -> TargetRow:
    item.check_keys(["path", "target", "actual", "unit", "weight", "direction", "self", "score", "tier", "reason", "note"])
    path = _path(item)
    target_text = item.string("target", "年度指标值")
    assert target_text is not None
    unit = item.string("unit", "度量单位", required=False)
    if target_text.strip() in ("无", "/", "—", "-"):
        return TargetRow(path, None, None, None, None, note=item.string("note", "说明", required=False))
    actual_text = item.string("actual", "实际完成值", required=False)
    try:
        target = parse_target(target_text)
        percent = (unit or "").strip() in PERCENT_WORDS or (actual_text or "").strip().endswith(("%", "％"))
        figures = [f for f in (target.value, target.low, target.high) if f is not None]
        if percent and target.unit is None and figures and all(0 < f <= 1 for f in figures):
            # "≥0.95" in a row measured in %: 95% or 0.95%? Asked, never guessed.
            shown = target_text.strip()
            raise item.error(
                f"指标“{path[-1]}”的指标值“{shown}”没有写 %：可能是按小数写的 {_as_percent(figures)}，也可能就是 {'、'.join(fmt(f) + '%' for f in figures)}",
                "target",
                hint="请在指标值中写明 %，如 \"≥95%\"",
            )
        if unit and target.unit is None and target.kind in ("quantity", "range"):
            target = parse_target(target_text.strip() + unit)  # "95" or "≥98" with 度量单位 % is 95%, ≥98%
    except TargetError as exc:
        raise item.error(f"指标“{path[-1]}”：{exc}", "target") from None
    if unit and actual_text and re.fullmatch(r"[\d.]+", actual_text.strip()) and not _fraction_in_percent(actual_text, unit):
        # The 度量单位 column names the actual's unit too; a bare 0 < v ≤ 1 in a % row stays bare,
        # so that it is asked as such a figure is anywhere (0.98 may be 98% or 0.98%).
        actual_text = actual_text.strip() + unit
    try:
        actual = parse_actual(actual_text, target) if actual_text else None
    except TargetError as exc:
        raise item.error(f"指标“{path[-1]}”：{exc}", "actual") from None
    direction = item.choice("direction", "指标性质（未写符号时的方向）", ["≥", "≤", "="], default="") or None
    score = item.decimal("score", "评定得分", required=False)
    reason = item.string("reason", "评定理由", required=False)
    if score is not None and not reason:
        raise item.error("填写了评定得分（score）就必须写明理由（reason）", "score")
    weight = item.decimal("weight", "分值", required=False)
    self_score = item.decimal("self", "自评得分", required=False)
    if weight is not None and weight < 0:
        raise item.error("分值不能为负数", "weight")
    if weight is not None and self_score is not None and not 0 <= self_score <= weight:
        raise item.error(f"自评得分 {fmt(self_score)} 超出分值 0–{fmt(weight)}", "self")
    if weight is not None and score is not None and not 0 <= score <= weight:
        raise item.error(f"评定得分 {fmt(score)} 超出分值 0–{fmt(weight)}", "score")
    return TargetRow(
        path=path,
        target=target,
        actual=actual,
        weight=weight,
        direction=direction,
        self_score=self_score,
        score=score,
        tier=item.string("tier", "评定档次", required=False),
        reason=reason,
        note=item.string("note", "偏差原因分析", required=False),
    )


PERCENT_WORDS = ("%", "％", "百分比")


def _fraction_in_percent(text: str, unit: str) -> bool:
    """A bare 0 < v ≤ 1 in a row whose 度量单位 is %: the figure the percent question is about."""
    try:
        value = to_decimal(text.strip())
    except (ValueError, TypeError):
        return False
    return unit.strip() in PERCENT_WORDS and 0 < value <= 1


def _as_percent(figures: list[Decimal]) -> str:
    return "、".join(f"{fmt(f * 100)}%" for f in figures)
