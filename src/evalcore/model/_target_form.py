"""Project target forms (项目支出绩效自评表) as data: what a form framework declares (FormSpec:
blocks, execution scoring, tiers) and what a unit fills in (FormData: budget lines, and rows of
年度指标值 / 实际完成值 parsed into Target and Actual)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from attrs import field

from ._numbers import fmt
from ._records import frozen
from ._tier import Tier

__all__ = ["COST_WORDS", "DIVISORS", "NATIONAL_TIERS", "Actual", "Block", "BudgetLine", "Category", "FormData", "FormSpec", "Target", "TargetRow", "cost_like"]

HUNDRED = Decimal(100)
# 财预〔2020〕10号: 达成 100%–80%, 部分达成 80%–60%, 未达成 60%–0% of the weight. Each shared end
# belongs to the higher tier: reaching 80% of the weight is 达成.
NATIONAL_TIERS = (
    Tier("达成", Decimal(80), HUNDRED),
    Tier("部分达成", Decimal(60), Decimal(80), high_inclusive=False),
    Tier("未达成", Decimal(0), Decimal(60), high_inclusive=False),
)
# The figures a form may divide 执行数 by: 全年预算数 (national form), 调整后预算数 (Sichuan 2023).
DIVISORS = ("全年预算数", "调整后预算数")


@frozen
class Target:
    """A parsed target: kind is quantity (with direction), range, period or text."""

    text: str
    kind: str  # "quantity" | "range" | "period" | "text"
    direction: str | None = None  # ≥ > ≤ < = for quantities; None when the text has no sign
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None

    def describe(self) -> str:
        if self.kind == "quantity":
            return f"{self.direction or ''}{fmt(self.value)}{self.unit or ''}"
        if self.kind == "range":
            return f"{fmt(self.low)}–{fmt(self.high)}{self.unit or ''}"
        return self.text


@frozen
class Actual:
    """A parsed actual: a number in the target's unit, or text; `bound` when written as "≥98%"."""

    text: str
    value: Decimal | None = None
    unit: str | None = None
    bound: str | None = None  # the direction sign when the actual itself was written as a bound
    bare: bool = False  # a plain number, written without a unit or sign ("0.98")


# A category or 二级 name holding one of these words is a cost (成本指标, 经济成本指标, 社会成本指标,
# 生态环境成本指标): the unsigned targets under it are limits (≤) unless the framework or the row
# says otherwise. 财预〔2020〕10号 and 财预〔2021〕101号 print the cost rows under these names.
COST_WORDS = ("成本",)
# Words that read as a cost or an outlay to a reviewer; `check` warns when such a name is scored as
# more-is-better (≥), whatever the default.
_COST_LIKE = ("成本", "费用", "经费", "开支", "支出", "价格", "单价")


def cost_like(name: str) -> bool:
    """Whether a name reads as a cost (so that more of it is worse)."""
    return any(word in name for word in _COST_LIKE)


@frozen
class Category:
    """A level-1 block of the form (产出指标 50) and the direction its unsigned targets take."""

    name: str
    weight: Decimal | None  # None: the rows' weights are free within the form's targets_weight
    # 二级 or 三级 name -> ≥ / ≤ for unsigned targets of the rows so named
    directions: Mapping[str, str] = field(factory=dict)
    direction: str | None = None  # ≥ / ≤ for every unsigned target of the category (after `directions`)

    def direction_of(self, path: tuple[str, ...]) -> str:
        """The direction of an unsigned target at `path`: declared for its 三级 or 二级 name, else
        for the category, else "≤" under a cost category or 二级 (COST_WORDS in its name), else "≥".
        A 三级 name alone does not make a cost: "成本节约率" is more-is-better."""
        for name in reversed(path[1:]):
            if name in self.directions:
                return self.directions[name]
        if self.direction is not None:
            return self.direction
        return "≤" if any(word in name for name in path[:2] for word in COST_WORDS) else "≥"


@frozen
class Block:
    """Rows of the form that share one weight, declared by the framework: the printed table's
    merged 分值 cell over a category or a 二级 indicator (产出指标 40 over all its rows). With
    `split`, each of the n rows is worth weight / n (kept exact: 40/3 is never 13.33 until the
    score is rounded as the framework declares)."""

    path: tuple[str, ...]
    weight: Decimal
    split: bool = False
    accept: Mapping[str, str] = field(factory=dict)  # check code -> reason (dominant-weight)
    line: int | None = field(default=None, eq=False)

    def holds(self, path: tuple[str, ...]) -> bool:
        return path[: len(self.path)] == self.path


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
    blocks: tuple[Block, ...] = ()
    # The years the form is in force (a national form is reused for years after it was issued); None:
    # no bound on that side. Without either, the form is for its framework's year only.
    valid_from: int | None = None
    valid_until: int | None = None

    def block_of(self, path: tuple[str, ...]) -> Block | None:
        return next((b for b in self.blocks if b.holds(path)), None)

    def category_of(self, path: tuple[str, ...]) -> Category | None:
        return next((c for c in self.categories if c.name == path[0]), None)

    def in_force(self, year: int, framework_year: int) -> bool:
        if self.valid_from is None and self.valid_until is None:
            return year == framework_year
        return (self.valid_from is None or year >= self.valid_from) and (self.valid_until is None or year <= self.valid_until)

    def years(self, framework_year: int) -> str:
        """The years in force, in words: "2020 年及以后", "2021–2023 年", "2020 年"."""
        if self.valid_from is None and self.valid_until is None:
            return f"{framework_year} 年"
        if self.valid_until is None:
            return f"{self.valid_from} 年及以后"
        if self.valid_from is None:
            return f"{self.valid_until} 年及以前"
        return f"{self.valid_from} 年" if self.valid_from == self.valid_until else f"{self.valid_from}–{self.valid_until} 年"

    @property
    def total(self) -> Decimal:
        fixed = sum((c.weight for c in self.categories if c.weight is not None), Decimal(0))
        return self.execution_weight + (self.targets_weight if self.targets_weight is not None else fixed)


@frozen
class BudgetLine:
    """One row of 预算执行情况: 年初预算数, 全年预算数 / 调整后预算数, 执行数, as written."""

    name: str
    initial: Decimal | None
    full_year: Decimal | None  # 全年预算数
    executed: Decimal | None
    revised: Decimal | None = None  # 调整后预算数
    # Whether 执行数 was written as a bare number, taken as 万元: the figure an officer may have
    # copied from a statement in 元 (see ExecutionRule).
    executed_bare: bool = False
    # On a 总额 summed from its sources: the part of 执行数 summed from sources written bare, and
    # their names, so that one source copied in 元 is questioned as the whole line would be.
    bare_part: Decimal | None = None
    bare_names: tuple[str, ...] = ()

    @property
    def executed_in_question(self) -> Decimal | None:
        """The part of 执行数 that may be in 元: all of it when written bare, else the bare sources' sum."""
        if self.executed_bare:
            return self.executed
        return self.bare_part

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
    stated_rate_bare: bool = False  # stated_rate written without %: 1 may mean 100%


