"""The framework model: indicators, inputs, groups, grades. Frozen attrs classes; invariants are validators."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from types import CodeType
from typing import TYPE_CHECKING, Any, NamedTuple

from attrs import field
from attrs.validators import deep_iterable, in_, instance_of, optional

from ._expression import Expression
from ._numbers import CONTEXT, UNITS, Rounding, fmt
from ._records import frozen
from ._rule import QuickScorer, Rule

if TYPE_CHECKING:
    from ._target_form import FormSpec

__all__ = [
    "FRACTION_POLICIES",
    "FRAMEWORK_KINDS",
    "INPUT_TYPES",
    "KIND_WORDS",
    "NA_POLICIES",
    "Domain",
    "Framework",
    "GradeBand",
    "Group",
    "Indicator",
    "InputSpec",
    "Node",
    "Source",
    "ZeroDivisionFallback",
]

FRAMEWORK_KINDS = ("dept", "project", "project-targets")
KIND_WORDS = {"dept": "部门整体支出", "project": "项目支出", "project-targets": "项目支出绩效自评表"}
INPUT_TYPES = ("number", "count", "percent", "money", "bool", "text")
# full: a not-applicable indicator scores its weight; redistribute: its weight leaves the maximum
# and the total is rescaled to the framework's total.
NA_POLICIES = ("full", "redistribute")


class Plan(NamedTuple):
    """How evaluate() scores an indicator the quick way (see Rule.quick)."""

    reads: frozenset[str]  # inputs the rule reads itself; a formula's missing input fails its evaluation
    quick: QuickScorer | None  # None: always scored in full
    code: CodeType | None  # the formula compiled (see Expression.compiled), None without a formula
    scope: dict[str, Any]  # the globals the formula's code runs with
    status: str  # what a quick score stands for: scored, or judgment (the evaluator's own points)


def weight_sum(leaves: Iterable[Indicator]) -> Decimal:
    """The sum of the leaves' weights, in evalcore's decimal context whatever the caller's."""
    total = Decimal(0)
    for leaf in leaves:
        total = CONTEXT.add(total, leaf.weight)
    return total


def _non_negative(_inst: object, attr: object, value: Decimal) -> None:
    if value < 0:
        raise ValueError(f"{getattr(attr, 'name', 'value')} must not be negative")


@frozen
class Source:
    """Where something is printed: document and place (附件, table, row)."""

    document: str
    place: str | None = None

    def __str__(self) -> str:
        return f"{self.document}，{self.place}" if self.place else self.document


# How a bare number typed into a percent input is read: question asks when 0.9 could mean 90 % as
# well as 0.9 % (the default); scale reads every bare number as a fraction (0.9 → 90 %); literal
# reads it as a percentage always (0.9 → 0.9 %).
FRACTION_POLICIES = ("question", "scale", "literal")


@frozen
class Domain:
    """The values an input may take, in its declared unit: bounds inclusive, whole numbers or not.
    `declared` says whether the ruleset states the bounds or they are its type's defaults."""

    min: Decimal | None = None
    max: Decimal | None = None
    integer: bool = False
    declared: bool = False

    def contains(self, value: Decimal) -> bool:
        return (
            (not self.integer or value == value.to_integral_value())
            and (self.min is None or value >= self.min)
            and (self.max is None or value <= self.max)
        )

    def problem(self, value: Decimal, unit: str | None) -> str | None:
        """What is wrong with `value` for this domain, in Chinese, with the whole domain where a
        declared bound was crossed; None when it lies inside."""
        shown = f"{fmt(value)}{unit or ''}"
        if self.integer and value != value.to_integral_value():
            return f"应为整数，现在是 {shown}"
        if self.min is not None and value < self.min:
            if self.min == 0:
                return f"不能为负数：{shown}（框架未声明此项可为负数）"
            crossed = f"不能小于 {fmt(self.min)}{unit or ''}，现在是 {shown}"
        elif self.max is not None and value > self.max:
            crossed = f"不能大于 {fmt(self.max)}{unit or ''}，现在是 {shown}"
        else:
            return None
        return f"{crossed}（应为 {self.describe(unit)}）"

    def describe(self, unit: str | None) -> str:
        """The domain in words: "0–100000 的整数（人）"."""
        unit_text = f"（{unit}）" if unit else ""
        whole = "整数" if self.integer else "数"
        if self.min is not None and self.max is not None:
            return f"{fmt(self.min)}–{fmt(self.max)} 的{whole}{unit_text}"
        if self.min is not None:
            return f"不小于 {fmt(self.min)} 的{whole}{unit_text}"
        if self.max is not None:
            return f"不大于 {fmt(self.max)} 的{whole}{unit_text}"
        return f"任意{whole}{unit_text}"


@frozen
class InputSpec:
    """A fact a unit supplies (基础数据): identifier usable in expressions, label, unit, type, and the
    domain its values must lie in."""

    id: str
    label: str
    type: str = field(validator=in_(INPUT_TYPES))
    unit: str | None = field(default=None)
    required: bool = True
    description: str | None = None
    example: str | None = None
    domain: Domain = Domain()
    fractions: str = field(default="question", validator=in_(FRACTION_POLICIES))  # percent inputs only
    line: int | None = field(default=None, eq=False)
    file: str | None = field(default=None, eq=False)  # the ruleset file (a parent's, when inherited)

    @property
    def negative(self) -> bool:
        """Whether a negative value is meaningful (a change, a balance)."""
        return self.domain.min is None or self.domain.min < 0

    @unit.validator
    def _check_unit(self, _attr: object, value: str | None) -> None:
        if value is not None and value not in UNITS:
            raise ValueError(f"unknown unit {value!r}")


@frozen
class GradeBand:
    """A grade (评价等级) and the lowest total that earns it, inclusive."""

    name: str
    min: Decimal = field(validator=[instance_of(Decimal), _non_negative])
    aliases: tuple[str, ...] = ()  # other words documents use for it ("良好" for "良")

    def called(self, word: str) -> bool:
        return word.strip() == self.name or word.strip() in self.aliases


NATIONAL_GRADES = (
    GradeBand("优", Decimal(90), ("优秀",)),
    GradeBand("良", Decimal(80), ("良好",)),
    GradeBand("中", Decimal(60), ("中等", "合格", "一般")),
    GradeBand("差", Decimal(0), ("较差", "不合格")),
)


@frozen
class ZeroDivisionFallback:
    """What a framework declares for a formula whose divisor is zero (上年三公经费 = 0)."""

    score: Decimal
    note: str


@frozen
class Indicator:
    """A scored leaf: weight, how its value is measured, the rule, and the text as printed."""

    id: str
    name: str
    path: tuple[str, ...]
    weight: Decimal = field(validator=[instance_of(Decimal), _non_negative])
    rule: Rule
    formula: Expression | None = None
    unit: str | None = None
    content: str | None = None  # 指标内容
    description: str | None = None  # 指标说明 / 计算公式 as printed
    printed: str | None = None  # 评分标准 exactly as printed
    note: str | None = None  # why the encoded rule differs from the printed one
    source: Source | None = None
    zero_division: ZeroDivisionFallback | None = None
    accept: Mapping[str, str] = field(factory=dict)  # checker finding code -> why it is accepted
    # Where the printed rule lets a unit off its deduction ("因市场因素…导致成本超出计划的可不扣分"):
    # a unit that claims it, with its reason, gets full points. None: no exemption is allowed.
    exemption: str | None = None
    origin: Mapping[str, str] = field(factory=dict, eq=False)  # key -> id of the framework that set it
    line: int | None = field(default=None, eq=False)
    file: str | None = field(default=None, eq=False)  # the ruleset file (a parent's, when inherited)
    _needs: frozenset[str] = field(init=False, eq=False, repr=False)

    @_needs.default
    def _inputs_needed(self) -> frozenset[str]:
        names = set(self.rule.names())
        if self.formula is not None:
            names |= self.formula.names
        return frozenset(names)

    # What evaluate() looks up for this indicator in every unit, looked up once.
    plan: Plan = field(init=False, eq=False, repr=False)

    @plan.default
    def _evaluation_plan(self) -> Plan:
        code, scope = self.formula.compiled if self.formula is not None else (None, {})
        return Plan(self.rule.names(), self.rule.quick_scorer(), code, scope, self.rule.quick_status)

    @property
    def needs(self) -> frozenset[str]:
        """The inputs this indicator reads (its formula's and its rule's)."""
        return self._needs

    @property
    def label(self) -> str:
        return "/".join(self.path)


@frozen
class Group:
    """An inner node (一级/二级指标) with its declared weight and its children in order."""

    name: str
    path: tuple[str, ...]
    weight: Decimal | None
    children: tuple[Node, ...]
    source: Source | None = None
    line: int | None = field(default=None, eq=False)

    def leaves(self) -> Iterator[Indicator]:
        for child in self.children:
            if isinstance(child, Indicator):
                yield child
            else:
                yield from child.leaves()

    _leaf_weight: Decimal = field(init=False, eq=False, repr=False)

    @_leaf_weight.default
    def _sum_leaf_weights(self) -> Decimal:
        return weight_sum(self.leaves())

    @property
    def leaf_weight(self) -> Decimal:
        """The sum of its leaves' weights (its maximum when it declares none)."""
        return self._leaf_weight


Node = Group | Indicator


def _grades_ordered(_inst: object, _attr: object, value: tuple[GradeBand, ...]) -> None:
    mins = [band.min for band in value]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        raise ValueError("grade bands must be listed from the highest minimum down, without repeats")


@frozen
class Framework:
    """A scoring framework (指标体系 / 评分表) for one region, kind and year."""

    id: str
    title: str
    region: str
    kind: str = field(validator=in_(FRAMEWORK_KINDS))
    year: int
    total: Decimal
    children: tuple[Node, ...]
    inputs: tuple[InputSpec, ...] = ()
    rounding: Rounding = Rounding()
    grades: tuple[GradeBand, ...] = field(default=NATIONAL_GRADES, validator=[deep_iterable(instance_of(GradeBand)), _grades_ordered])
    not_applicable: str = field(default="full", validator=in_(NA_POLICIES))
    source: Source | None = None
    path: str | None = field(default=None, eq=False)
    settings: Mapping[str, object] = field(factory=dict, eq=False)
    warnings: tuple[str, ...] = field(default=(), eq=False)
    description: str | None = field(default=None, validator=optional(instance_of(str)))
    form: FormSpec | None = None  # set for project target forms (kind project-targets)
    extends: tuple[str, ...] = ()  # the frameworks this one is layered on, nearest first
    _inputs_by_id: dict[str, InputSpec] = field(init=False, eq=False, repr=False)
    _leaves: tuple[Indicator, ...] = field(init=False, eq=False, repr=False)

    @_inputs_by_id.default
    def _index_inputs(self) -> dict[str, InputSpec]:
        return {spec.id: spec for spec in self.inputs}

    _leaves_by_id: dict[str, Indicator] = field(init=False, eq=False, repr=False)

    @_leaves_by_id.default
    def _index_leaf_ids(self) -> dict[str, Indicator]:
        return {leaf.id: leaf for leaf in self._leaves}

    @_leaves.default
    def _index_leaves(self) -> tuple[Indicator, ...]:
        def walk(nodes: tuple[Node, ...]) -> Iterator[Indicator]:
            for node in nodes:
                if isinstance(node, Indicator):
                    yield node
                else:
                    yield from walk(node.children)

        return tuple(walk(self.children))

    _leaf_weight: Decimal = field(init=False, eq=False, repr=False)

    @_leaf_weight.default
    def _sum_leaf_weights(self) -> Decimal:
        return weight_sum(self._leaves)

    _required_inputs: frozenset[str] = field(init=False, eq=False, repr=False)

    @_required_inputs.default
    def _index_required_inputs(self) -> frozenset[str]:
        return frozenset(spec.id for spec in self.inputs if spec.required)

    @property
    def leaf_weight(self) -> Decimal:
        """The sum of the leaves' weights (the maximum when every indicator applies)."""
        return self._leaf_weight

    @property
    def required_inputs(self) -> frozenset[str]:
        """The ids of the inputs a unit must supply."""
        return self._required_inputs

    @property
    def scored(self) -> bool:
        """False for forms that report completion without points (米易 2021)."""
        return self.form is None or self.form.scored

    def leaves(self) -> Iterator[Indicator]:
        return iter(self._leaves)

    def leaf(self, indicator_id: str) -> Indicator | None:
        """A leaf by its id."""
        return self._leaves_by_id.get(indicator_id)

    def input(self, name: str) -> InputSpec | None:
        return self._inputs_by_id.get(name)

    def leaf_candidates(self, key: str) -> list[Indicator]:
        """Every leaf a name could mean: its id, or a '/'-joined path suffix (for messages when a
        name is ambiguous)."""
        parts = tuple(p.strip() for p in key.split("/"))
        return [leaf for leaf in self._leaves if leaf.id == key or leaf.path[-len(parts):] == parts]

    def resolve_leaf(self, key: str) -> Indicator | None:
        """A leaf as users name one: by id, by name when unique, or by a unique '/'-joined path suffix."""
        found = self._leaves_by_id.get(key)
        if found is not None:
            return found
        by_name = [leaf for leaf in self._leaves if leaf.name == key]
        if len(by_name) == 1:
            return by_name[0]
        parts = tuple(p.strip() for p in key.split("/"))
        by_path = [leaf for leaf in self._leaves if leaf.path[-len(parts):] == parts]
        return by_path[0] if len(by_path) == 1 else None

    @property
    def unreachable_grades(self) -> tuple[GradeBand, ...]:
        """Grades whose minimum the total cannot reach (the national 90/80/60 on a 2-point table):
        `check` reports them, and no unit is graded by such bands."""
        return tuple(band for band in self.grades if band.min > self.total)

    def grade_for(self, total: Decimal) -> str:
        for band in self.grades:
            if total >= band.min:
                return band.name
        return self.grades[-1].name
