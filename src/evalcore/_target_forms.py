"""Project target forms (项目支出绩效自评表): the form's rules come from the framework, its rows
(绩效指标 with 年度指标值 / 实际完成值) and budget from the unit's data.

A form is scored by expanding it, per unit, into an ordinary framework: one leaf for budget
execution and one leaf per row (or per group of rows sharing one 分值), each with a rule that
compares actual with target. The evaluator, traces, flags and formatters then work unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from attrs import evolve, field, frozen

from ._numbers import CONTEXT, convert, fmt, parse_quantity, to_decimal
from ._rules import LoadContext, Outcome, Rule, ScoringContext, judged, points
from ._rules_items import Tier
from ._targets import Actual, Target, TargetError, parse_actual, parse_target
from ._toml import Table

__all__ = ["BudgetLine", "Category", "ExecutionRule", "FormData", "FormSpec", "TargetRow", "TargetRule", "read_form_data", "read_form_spec"]

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
NATIONAL_TIERS = (Tier("达成", Decimal(80), HUNDRED), Tier("部分达成", Decimal(60), Decimal(80)), Tier("未达成", ZERO, Decimal(60)))
DIVISORS = {"全年预算数": "全年预算数", "调整后预算数": "调整后预算数"}


@frozen
class Category:
    """A level-1 block of the form (产出指标 50) and the direction its unsigned targets take."""

    name: str
    weight: Decimal | None  # None: the rows' weights are free within the form's targets_weight
    directions: Mapping[str, str] = field(factory=dict)  # 二级 name -> ≥ / ≤ for unsigned targets


@frozen
class FormSpec:
    """What a target-form framework declares: blocks, execution scoring, tiers, margins."""

    categories: tuple[Category, ...]
    execution_weight: Decimal
    execution_divisor: str = "全年预算数"
    execution_reason_below: Decimal | None = None  # a rate below this (%) needs a written reason
    tiers: tuple[Tier, ...] = NATIONAL_TIERS
    over_margin: Decimal | None = None  # % beyond the target that is flagged as set too low
    scored: bool = True
    sources: tuple[str, ...] = ()  # budget source rows whose sum is the 总额
    targets_weight: Decimal | None = None  # what all indicator rows together weigh (四川 2023: 90)

    @property
    def total(self) -> Decimal:
        fixed = sum((c.weight for c in self.categories if c.weight is not None), Decimal(0))
        return self.execution_weight + (self.targets_weight if self.targets_weight is not None else fixed)


def read_form_spec(table: Table) -> FormSpec:
    table.check_keys(["categories", "execution_weight", "execution_divisor", "execution_reason_below", "tiers", "over_margin", "scored", "sources", "targets_weight"])
    scored = table.boolean("scored", "是否计分", True)
    categories = []
    for item in table.tables("categories", "指标类别（一级指标）"):
        item.check_keys(["name", "weight", "directions"])
        name = item.string("name", "类别名称")
        weight = item.decimal("weight", "类别分值", required=False)
        directions = item.table("directions", "各二级指标未写符号时的方向", required=False)
        parsed: dict[str, str] = {}
        if directions is not None:
            for key, value in directions.data.items():
                if value not in ("≥", "≤"):
                    raise directions.error("方向只能是 \"≥\" 或 \"≤\"", key)
                parsed[key] = value
        assert name is not None
        categories.append(Category(name, weight if scored else ZERO, parsed))
    if not categories:
        raise table.error("至少需要一个指标类别：categories = [{ name = \"产出指标\", weight = 50 }, ...]", "categories")
    weight = table.decimal("execution_weight", "预算执行率分值", required=scored, default=ZERO)
    assert weight is not None
    tiers = []
    for item in table.tables("tiers", "定性指标评定档次"):
        item.check_keys(["name", "from", "to"])
        name = item.string("name", "档次名称")
        low = item.decimal("from", "下限（占分值的百分比）")
        high = item.decimal("to", "上限（占分值的百分比）")
        assert name is not None and low is not None and high is not None
        tiers.append(Tier(name, low, high))
    return FormSpec(
        categories=tuple(categories),
        execution_weight=weight,
        execution_divisor=table.choice("execution_divisor", "预算执行率的分母", DIVISORS, default="全年预算数"),
        execution_reason_below=table.decimal("execution_reason_below", "低于此执行率须说明原因（%）", required=False),
        tiers=tuple(tiers) or NATIONAL_TIERS,
        over_margin=table.decimal("over_margin", "超出目标多少（%）时提示目标偏低", required=False),
        scored=scored,
        sources=tuple(str(s) for s in table.sequence("sources", "资金来源行")),
        targets_weight=table.decimal("targets_weight", "绩效指标各行分值合计", required=False),
    )


@frozen
class BudgetLine:
    """One row of 预算执行情况: 年初预算数, 全年预算数 / 调整后预算数, 执行数, as written."""

    name: str
    initial: Decimal | None
    full_year: Decimal | None  # 全年预算数
    executed: Decimal | None
    revised: Decimal | None = None  # 调整后预算数

    @property
    def adjusted(self) -> Decimal | None:
        """The year's budget as a form shows it: 调整后预算数 where given, else 全年预算数."""
        return self.revised if self.revised is not None else self.full_year

    def divisor(self, name: str) -> Decimal | None:
        """The figure the framework divides by (its `execution_divisor`), never the other one."""
        return self.revised if name == "调整后预算数" else self.full_year


@frozen
class TargetRow:
    """One 绩效指标 row as the unit filled it."""

    path: tuple[str, ...]
    target: Target | None  # None: the row says 无 (not applicable)
    actual: Actual | None
    weight: Decimal | None
    direction: str | None
    self_score: Decimal | None = None
    score: Decimal | None = None
    tier: str | None = None
    reason: str | None = None
    note: str | None = None


@frozen
class FormData:
    """The unit's form: budget, rows, weights shared by several rows."""

    total: BudgetLine
    sources: tuple[BudgetLine, ...]
    execution_self: Decimal | None
    stated_rate: Decimal | None
    execution_reason: str | None
    rows: tuple[TargetRow, ...]
    shared: Mapping[tuple[str, ...], tuple[Decimal, Decimal | None]]  # path -> (weight, self score)


def _money(table: Table, key: str) -> Decimal | None:
    raw = table.raw(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        if isinstance(raw, str):
            number, unit = parse_quantity(raw)
            return number if unit is None else convert(number, unit, "万元")
        return to_decimal(raw)
    except (ValueError, TypeError):
        raise table.error(f"{key}应为金额（万元），如 56 或 \"56万元\"，现在是 {raw!r}", key) from None


def _line(table: Table, name: str) -> BudgetLine:
    table.check_keys(["name", "年初预算数", "全年预算数", "调整后预算数", "执行数", "self", "stated_rate", "reason", "sources"])
    return BudgetLine(name, _money(table, "年初预算数"), _money(table, "全年预算数"), _money(table, "执行数"), _money(table, "调整后预算数"))


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
        except (ValueError, TypeError):
            raise budget.error(f"stated_rate 应为百分数，如 \"100%\"，现在是 {stated!r}", "stated_rate") from None
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
        path = _path(item)
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
        execution_reason=budget.string("reason", "执行率偏低的原因", required=False),
        rows=tuple(rows),
        shared=shared,
    )


def _path(item: Table) -> tuple[str, ...]:
    raw = item.raw("path")
    if not isinstance(raw, list) or not 2 <= len(raw) <= 3 or not all(isinstance(p, str) and p.strip() for p in raw):
        raise item.error("path 应为 [一级指标, 二级指标, 三级指标] 或 [一级指标, 二级指标]", "path")
    return tuple(p.strip() for p in raw)


def _row(item: Table) -> TargetRow:
    item.check_keys(["path", "target", "actual", "unit", "weight", "direction", "self", "score", "tier", "reason", "note"])
    path = _path(item)
    target_text = item.string("target", "年度指标值")
    assert target_text is not None
    unit = item.string("unit", "度量单位", required=False)
    if unit and re.fullmatch(r"[\d.]+", target_text.strip()):
        target_text = target_text.strip() + unit  # 四川 2023: 指标值 and 度量单位 in separate columns
    if target_text.strip() in ("无", "/", "—", "-", ""):
        return TargetRow(path, None, None, None, None, note=item.string("note", "说明", required=False))
    try:
        target = parse_target(target_text)
    except TargetError as exc:
        raise item.error(f"指标“{path[-1]}”：{exc}", "target") from None
    actual_text = item.string("actual", "实际完成值", required=False)
    if unit and actual_text and re.fullmatch(r"[\d.]+", actual_text.strip()):
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


def _ratio(target: Target, actual: Actual, direction: str) -> tuple[Decimal, str]:
    """Completion ratio (capped at 1) and the sentence that explains it."""
    assert actual.value is not None
    unit = target.unit or ""
    a = actual.value
    if target.kind == "range":
        assert target.low is not None and target.high is not None
        if target.low <= a <= target.high:
            return ONE, f"{fmt(a)}{unit} 在 {fmt(target.low)}–{fmt(target.high)}{unit} 之内，达到目标"
        if direction in ("≤", "<"):
            # A cost range: its upper bound is the limit; spending less is not a shortfall.
            if a < target.low:
                return ONE, f"{fmt(a)}{unit} 低于区间下限 {fmt(target.low)}{unit}，未超出上限，达到目标"
            return CONTEXT.divide(target.high, a), f"{fmt(a)}{unit} 超出区间上限 {fmt(target.high)}{unit}，按 {fmt(target.high)} / {fmt(a)} 计"
        if a > target.high:
            return ONE, f"{fmt(a)}{unit} 高于区间上限 {fmt(target.high)}{unit}，达到目标"
        return CONTEXT.divide(a, target.low), f"{fmt(a)}{unit} 低于区间下限 {fmt(target.low)}{unit}，完成 {fmt(a)} / {fmt(target.low)}"
    assert target.value is not None
    t = target.value
    met = {"≥": a >= t, ">": a > t, "≤": a <= t, "<": a < t, "=": a == t}[direction]
    if met:
        return ONE, f"{fmt(a)}{unit} {direction} {fmt(t)}{unit}，达到目标"
    if direction in ("≥", ">", "="):
        if direction == "=" and a > t:
            return CONTEXT.divide(t, a), f"{fmt(a)}{unit} ≠ {fmt(t)}{unit}，按 {fmt(t)} / {fmt(a)} 计"
        if a <= 0:
            return ZERO, f"{fmt(a)}{unit} 未达到 {fmt(t)}{unit}，完成 0"
        return CONTEXT.divide(a, t), f"{fmt(a)}{unit} 未达到 {direction}{fmt(t)}{unit}，完成 {fmt(a)} / {fmt(t)}"
    if a <= 0:
        return ONE, f"{fmt(a)}{unit} {direction} {fmt(t)}{unit}，达到目标"
    return CONTEXT.divide(t, a), f"{fmt(a)}{unit} 超过 {direction}{fmt(t)}{unit}，按 {fmt(t)} / {fmt(a)} 计"


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

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        raise table.error("“targets”规则由项目支出绩效自评表按数据生成，不能写在规则文件中", "kind")

    def _direction(self, row: TargetRow) -> str:
        assert row.target is not None
        return row.target.direction or row.direction or self.directions.get(row.path[1], "≥")

    def score(self, ctx: ScoringContext) -> Outcome:
        steps: list[str] = []
        flags: list[tuple[str, str]] = []
        ratios: list[Decimal] = []
        needs_judgment = False
        for row in self.rows:
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
                continue
            if row.actual.value is None:
                steps.append(head + "；完成值不是数值，无法与指标值比较")
                flags.append(("actual_not_numeric", f"“{name}”的指标值是数值（{row.target.text}），完成值却写作“{row.actual.text}”"))
                needs_judgment = True
                continue
            if row.actual.bound is not None:
                flags.append(("actual_bound", f"“{name}”的完成值写作“{row.actual.text}”，应填写实际达到的数值；暂按 {fmt(row.actual.value)} 计"))
            direction = self._direction(row)
            if direction in (">", "<") and row.target.kind == "quantity" and row.actual.value == row.target.value:
                # Exactly at a strict bound: missed, by an amount no ratio can express.
                steps.append(f"{head}；恰好等于 {fmt(row.target.value)}{row.target.unit or ''}，未达到“{row.target.text}”，差距无法按比例计算，由评价人评定")
                needs_judgment = True
                continue
            ratio, sentence = _ratio(row.target, row.actual, direction)
            ratios.append(ratio)
            steps.append(f"{head}；{sentence}" + ("" if ratio == ONE else f" = {fmt(ratio * 100, 2)}%"))
            self._check_margin(row, direction, flags)
        if needs_judgment:
            if not self.scored:
                return Outcome(ZERO, tuple(steps), flags=tuple(flags))
            return self._judged(ctx, steps, flags)
        mean = CONTEXT.divide(sum(ratios, ZERO), Decimal(len(ratios)))
        if not self.scored:
            return Outcome(ZERO, tuple(steps) + (f"完成程度 {fmt(mean * 100, 2)}%（本表不计分）",), value=(mean * 100), flags=tuple(flags))
        score = ctx.weight * mean
        if len(ratios) > 1:
            steps.append(f"{len(ratios)} 项共用分值 {fmt(ctx.weight)} 分，平均完成 {fmt(mean * 100, 2)}%，得 {fmt(ctx.weight)} × {fmt(mean * 100, 2)}% = {fmt(score, 2)} 分")
        elif mean == ONE:
            steps.append(f"达到目标，计满分 {points(ctx.weight)}")
        else:
            steps.append(f"未达到目标，按比例计分：{fmt(ctx.weight)} × {fmt(mean * 100, 2)}% = {fmt(score, 2)} 分")
        return Outcome(score, tuple(steps), value=(mean * 100), flags=tuple(flags))

    def _judged(self, ctx: ScoringContext, steps: list[str], flags: list[tuple[str, str]]) -> Outcome:
        tier_name = ctx.entry.tier
        tier = next((t for t in self.tiers if t.name == tier_name), None)
        if tier_name is not None and tier is None:
            names = "、".join(t.name for t in self.tiers)
            return Outcome(None, tuple(steps) + (f"评定档次“{tier_name}”不存在，可选：{names}",), status="error", flags=tuple(flags))
        if tier is None:
            outcome = judged(ctx, ZERO, ctx.weight, "定性指标由评价人评定（达成 / 部分达成 / 未达成）")
        else:
            low, high = ctx.weight * tier.low / 100, ctx.weight * tier.high / 100
            outcome = judged(ctx, low, high, f"评定为“{tier.name}”（{fmt(tier.low)}%–{fmt(tier.high)}% 即 {fmt(low)}–{fmt(high)} 分）")
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


@frozen
class ExecutionRule(Rule):
    """预算执行率: weight × min(执行数 / 全年（调整后）预算数, 1)."""

    kind: ClassVar[str] = "execution"
    title: ClassVar[str] = "预算执行率"
    needs_value: ClassVar[bool] = False

    budget: BudgetLine
    divisor_name: str
    stated_rate: Decimal | None
    reason_below: Decimal | None
    reason: str | None
    scored: bool

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        raise table.error("“execution”规则由项目支出绩效自评表生成，不能写在规则文件中", "kind")

    def score(self, ctx: ScoringContext) -> Outcome:
        executed, divisor = self.budget.executed, self.budget.divisor(self.divisor_name)
        if executed is None or divisor is None:
            missing = "执行数" if executed is None else self.divisor_name
            other = "全年预算数" if self.divisor_name == "调整后预算数" else "调整后预算数"
            note = f"（本表按{self.divisor_name}计算执行率，填写的{other}不能代替）" if divisor is None and self.budget.divisor(other) is not None else ""
            return Outcome(None, (f"缺少{missing}，无法计算预算执行率{note}",), status="missing", needs=missing)
        if divisor == 0:
            return Outcome(None, (f"{self.divisor_name}为 0，无法计算预算执行率",), status="missing", needs=f"不为 0 的{self.divisor_name}", flags=(("division_by_zero", f"{self.divisor_name}为 0"),))
        rate = CONTEXT.divide(executed * 100, divisor)
        shown = fmt(rate, 2)
        steps = [f"预算执行率 = 执行数 / {self.divisor_name} × 100% = {fmt(executed)} / {fmt(divisor)} × 100% = {shown}%"]
        flags: list[tuple[str, str]] = []
        if self.stated_rate is not None and Decimal(shown) != self.stated_rate:
            flags.append(("stated_mismatch", f"文件所写执行率为 {fmt(self.stated_rate)}%，按执行数 {fmt(executed)} 万元 / {self.divisor_name} {fmt(divisor)} 万元计算为 {shown}%"))
        if self.reason_below is not None and rate < self.reason_below and not self.reason:
            flags.append(("reason_missing", f"预算执行率 {shown}% 低于 {fmt(self.reason_below)}%，须说明原因（budget.reason）"))
        if not self.scored:
            steps.append("本表不计分")
            return Outcome(ZERO, tuple(steps), value=rate, flags=tuple(flags))
        score = ctx.weight * min(CONTEXT.divide(rate, HUNDRED), ONE)
        steps.append(f"{fmt(ctx.weight)} × min({shown}%, 100%) = {fmt(score, 2)} 分")
        if self.reason:
            steps.append(f"原因说明：{self.reason}")
        return Outcome(score, tuple(steps), value=rate, flags=tuple(flags))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return f"{fmt(weight)} × min(执行数 / {self.divisor_name}, 1)"


def expand_rows(data: FormData, spec: FormSpec) -> list[tuple[tuple[str, ...], Decimal, tuple[TargetRow, ...], Decimal | None]]:
    """Leaves of the form: (path, weight, rows, self score); rows sharing a weight become one leaf."""
    leaves: list[tuple[tuple[str, ...], Decimal, tuple[TargetRow, ...], Decimal | None]] = []
    grouped: dict[tuple[str, ...], list[TargetRow]] = {}
    for row in data.rows:
        if row.target is None:
            leaves.append((row.path, ZERO, (row,), None))
            continue
        if row.weight is None:
            key = next((p for p in data.shared if row.path[: len(p)] == p), None)
            if key is None:
                if spec.scored:
                    raise TargetError(f"指标“{'/'.join(row.path)}”没有分值：请填写 weight，或用 [[shared]] 声明几行共用的分值")
                leaves.append((row.path, ZERO, (row,), None))
                continue
            if key not in grouped:
                grouped[key] = []
                weight, self_score = data.shared[key]
                leaves.append((key, weight, (), self_score))
            grouped[key].append(row)
            continue
        leaves.append((row.path, row.weight, (row,), row.self_score))
    return [(path, weight, tuple(grouped[path]) if not rows and path in grouped else rows, self_score) for path, weight, rows, self_score in leaves]


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

    return evolve(data, total=BudgetLine("总额", total("initial"), total("full_year"), total("executed"), total("revised")))


def entry_fields(row: TargetRow) -> dict[str, Any]:
    return {"self_score": row.self_score, "score": row.score, "reason": row.reason, "tier": row.tier, "note": row.note}
