"""A unit's data (基础数据 + per-indicator answers and self-scores), validated against its framework."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from attrs import field, fields, frozen

from ._errors import DataError, ErrorGroup, EvalcoreError
from ._model import Framework, Indicator, InputSpec
from ._numbers import UNITS, checked, convert, fmt, normalize_text, parse_quantity, to_decimal
from ._sandbox import RESERVED_NAMES, Expression, ExpressionInvalid, compile_expression
from ._target_forms import FormData, read_form_data
from ._toml import SourceFile, Table, load_toml, loads_toml

__all__ = ["Check", "Conversion", "IndicatorEntry", "UnitData", "load_data", "read_framework_id", "resolve_indicator"]

_TRUE = {"是", "√", "✓", "✔", "y", "yes", "true", "对", "有", "1"}
_FALSE = {"否", "×", "✗", "✘", "n", "no", "false", "无", "0"}

DATA_KEYS = (
    "framework",
    "unit",
    "year",
    "date",
    "project",
    "self_total",
    "stated_grade",
    "source",
    "note",
    "inputs",
    "indicators",
    "facts",
    "checks",
    "report",
    "budget",
    "targets",
    "shared",
)
# Amounts, head counts and rates are never negative unless a framework says so (negative = true).
NON_NEGATIVE_TYPES = ("money", "count", "percent")
ENTRY_KEYS = ("self", "review", "stated", "checkpoints", "cases", "score", "reason", "tier", "not_applicable", "note")


@frozen
class IndicatorEntry:
    """What the data say about one indicator besides its inputs."""

    self_score: Decimal | None = None  # 自评得分
    review_score: Decimal | None = None  # 审核得分
    stated: Decimal | None = None  # the figure the unit's own table states (e.g. 控制率 100%)
    checkpoints: tuple[bool | Decimal, ...] | None = None
    cases: Decimal | None = None
    score: Decimal | None = None  # evaluator's score: judgment, or assessed where data are missing
    reason: str | None = None
    tier: str | None = None
    not_applicable: bool = False
    note: str | None = None


EMPTY_ENTRY = IndicatorEntry()


@frozen
class Conversion:
    """A value given in another unit than the input's, converted exactly."""

    input: str
    given: str
    value: Decimal
    unit: str


@frozen
class Check:
    """A figure the unit's own documents state, to be checked against the facts it derives from."""

    name: str
    formula: Expression
    stated: Decimal
    unit: str | None = None
    note: str | None = None


def yes_no_word(text: str) -> bool | None:
    """是/否 as people write it (√/×, 对, yes, 1/0…); None for anything else."""
    word = normalize_text(text).lower()
    return True if word in _TRUE else False if word in _FALSE else None


def _read_only(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping if isinstance(mapping, MappingProxyType) else MappingProxyType(dict(mapping))


@frozen
class UnitData:
    """One unit's data for one framework, already checked and converted to Decimals."""

    framework: str
    unit: str | None = None
    # Read-only views: an evaluation writes a leaf's trace from these when it is read, so they must
    # be the figures it was scored on.
    inputs: Mapping[str, Any] = field(factory=dict, converter=_read_only)
    entries: Mapping[str, IndicatorEntry] = field(factory=dict, converter=_read_only)
    conversions: tuple[Conversion, ...] = ()
    self_total: Decimal | None = None
    source: str | None = None
    path: str | None = None
    year: int | None = None
    date: str | None = None  # 填报日期 as written
    project: str | None = None  # 项目名称, for project frameworks
    stated_grade: str | None = None  # the grade the document claims (e.g. "良好")
    facts: Mapping[str, Decimal] = field(factory=dict, converter=_read_only)  # figures outside the framework's inputs
    checks: tuple[Check, ...] = ()
    report: Mapping[str, Any] = field(factory=dict)  # narrative for report formatters, as written
    note: str | None = None
    form: FormData | None = None  # a project target form's budget and rows

    def entry(self, indicator: Indicator) -> IndicatorEntry:
        return self.entries.get(indicator.id, EMPTY_ENTRY)

    # Read-only views cannot be pickled: their contents are, and are made read-only again on load,
    # so that unit data still travel to worker processes.
    def __getstate__(self) -> dict[str, Any]:
        state = {a.name: getattr(self, a.name) for a in fields(UnitData)}
        return {name: dict(value) if isinstance(value, MappingProxyType) else value for name, value in state.items()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, _read_only(value) if name in ("inputs", "entries", "facts") else value)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], framework: Framework, *, path: str | Path | None = None, text: str | None = None) -> UnitData:
        """Build from a plain mapping (as parsed from TOML); all problems are reported at once."""
        source = SourceFile(path, text or "")
        return _read(Table(data, source, (), "", DataError), framework, source)


def read_framework_id(path: str | Path) -> tuple[str, dict[str, Any], SourceFile]:
    """The `framework = "..."` a data file names, with the parsed file for a second pass."""
    data, source = load_toml(path, DataError)
    table = Table(data, source, (), "", DataError)
    framework_id = table.string("framework", "所用评价框架的编号，例如 \"hunan.hecheng.dept.2020\"", required=False)
    return framework_id or "", data, source


def load_data(path: str | Path, framework: Framework) -> UnitData:
    data, source = load_toml(path, DataError)
    return _read(Table(data, source, (), "", DataError), framework, source)


def loads_data(text: str, framework: Framework) -> UnitData:
    data, source = loads_toml(text, None, DataError)
    return _read(Table(data, source, (), "", DataError), framework, source)


def indicator_candidates(framework: Framework, key: str) -> list[Indicator]:
    """Every indicator a name could mean (for messages when it is ambiguous)."""
    parts = tuple(p.strip() for p in key.split("/"))
    return [leaf for leaf in framework.leaves() if leaf.id == key or leaf.path[-len(parts):] == parts]


def resolve_indicator(framework: Framework, key: str) -> Indicator | None:
    """An indicator by id, by name when unique, or by a unique '/'-joined path suffix."""
    found = framework.leaf(key)
    if found is not None:
        return found
    leaves = list(framework.leaves())
    by_name = [leaf for leaf in leaves if leaf.name == key]
    if len(by_name) == 1:
        return by_name[0]
    parts = tuple(p.strip() for p in key.split("/"))
    by_path = [leaf for leaf in leaves if leaf.path[-len(parts):] == parts]
    return by_path[0] if len(by_path) == 1 else None


def _read(root: Table, framework: Framework, source: SourceFile) -> UnitData:
    errors: list[EvalcoreError] = []
    root.check_keys(DATA_KEYS)
    unit_name = root.string("unit", "评价单位名称", required=False)
    data_source = root.string("source", "数据来源", required=False)
    self_total = root.decimal("self_total", "自评总分", required=False)

    inputs: dict[str, Any] = {}
    conversions: list[Conversion] = []
    table = root.table("inputs", "基础数据", required=False)
    if table is not None:
        for key, raw in table.data.items():
            spec = framework.input(key)
            if spec is None:
                close = difflib.get_close_matches(key, [s.id for s in framework.inputs], n=1)
                hint = f"是否想写“{close[0]}”" if close else f"请对照规则文件 {framework.path or framework.id} 中的 [[input]] 清单"
                errors.append(table.error(f"框架 {framework.id} 没有名为“{key}”的输入", key, hint=hint))
                continue
            try:
                value, conversion = _read_input(spec, raw)
            except ValueError as exc:
                errors.append(table.error(str(exc), key, hint=_input_hint(spec)))
                continue
            if value is not None:
                inputs[key] = value
            if conversion is not None:
                conversions.append(conversion)

    entries: dict[str, IndicatorEntry] = {}
    table = root.table("indicators", "逐项填写的指标信息", required=False)
    if table is not None:
        for key in table.data:
            indicator = resolve_indicator(framework, key)
            candidates = indicator_candidates(framework, key) if indicator is None else []
            if len(candidates) > 1:
                paths = "、".join("/".join(c.path[-2:]) for c in candidates)
                errors.append(table.error(f"指标名称“{key}”对应多个指标：{paths}", key, hint="请写编号或“二级/三级”路径加以区分"))
                continue
            if indicator is None:
                names = [leaf.id for leaf in framework.leaves()]
                close = difflib.get_close_matches(key, names, n=1)
                hint = f"是否想写“{close[0]}”" if close else "名称可写指标编号、三级指标名称或“二级/三级”路径"
                errors.append(table.error(f"框架 {framework.id} 中找不到指标“{key}”", key, hint=hint))
                continue
            try:
                sub = table.table(key, f"指标“{key}”", label=f"indicators.{key}")
                assert sub is not None
                entries[indicator.id] = _read_entry(sub, indicator)
            except ErrorGroup as group:
                errors.extend(group.errors)
            except EvalcoreError as exc:
                errors.append(exc)
    facts: dict[str, Decimal] = {}
    table = root.table("facts", "其他事实数据（不属于框架输入）", required=False)
    if table is not None:
        for key, raw in table.data.items():
            if not key.isidentifier() or key.startswith("_") or key in RESERVED_NAMES or framework.input(key) is not None:
                errors.append(table.error(f"事实名称“{key}”不能用在公式中：只能由汉字、字母、数字和下划线组成，不能以下划线开头，不能与输入或函数同名", key))
                continue
            try:
                facts[key] = _fact(raw)
            except (ValueError, TypeError):
                errors.append(table.error(f"事实数据应为数字（可带单位，如 \"1.2亿元\"），现在是 {raw!r}", key))
    checks: list[Check] = []
    known = set(facts) | {spec.id for spec in framework.inputs}
    for item in root.tables("checks", "数据核对项"):
        try:
            checks.append(_read_check(item, known))
        except EvalcoreError as exc:
            errors.append(exc)
    form = None
    if framework.form is not None:
        try:
            form = read_form_data(root)
        except EvalcoreError as exc:
            errors.append(exc)
    else:
        for key in ("budget", "targets", "shared"):
            if root.has(key):
                errors.append(root.error(f"框架 {framework.id} 不是项目支出绩效自评表，不能填写 {key}", key))
    report = root.table("report", "报告文字", required=False)
    year = root.integer("year", "年度", required=False)
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    return UnitData(
        framework=framework.id,
        unit=unit_name,
        inputs=inputs,
        entries=entries,
        conversions=tuple(conversions),
        self_total=self_total,
        source=data_source,
        path=source.name,
        year=year,
        date=root.string("date", "填报日期", required=False),
        project=root.string("project", "项目名称", required=False),
        stated_grade=root.string("stated_grade", "文件所写的评价等级", required=False),
        facts=facts,
        checks=tuple(checks),
        report=dict(report.data) if report is not None else {},
        note=root.string("note", "备注", required=False),
        form=form,
    )


def _fact(raw: Any) -> Decimal:
    """A fact as a number; with a unit it is brought to its family's base unit (元, 人), so that
    "1.2亿元" and "12000万元" are the same fact."""
    if not isinstance(raw, str):
        return to_decimal(raw)
    number, unit = parse_quantity(raw)
    if unit is None:
        return number
    known = UNITS.get(unit)
    if known is None:
        raise ValueError(unit)
    return number * known.factor


def _read_check(item: Table, names: set[str]) -> Check:
    item.check_keys(["name", "formula", "stated", "unit", "note"])
    name = item.string("name", "核对项名称")
    text = item.string("formula", "由事实计算该数的公式")
    raw = item.raw("stated")
    unit = item.string("unit", "单位", required=False)
    assert name is not None and text is not None
    try:
        formula = compile_expression(text, names)
    except ExpressionInvalid as exc:
        raise item.error(str(exc), "formula") from None
    try:
        if isinstance(raw, str):
            stated, _ = parse_quantity(raw)
        else:
            stated = to_decimal(raw)
    except (ValueError, TypeError):
        raise item.error(f"文件所写的数值应为数字（可带单位），现在是 {raw!r}", "stated") from None
    return Check(name, formula, stated, unit, item.string("note", "说明", required=False))


def _input_hint(spec: InputSpec) -> str:
    if spec.type == "bool":
        return "填写 true/false 或“是”/“否”"
    if spec.type == "text":
        return "填写文字，用英文引号括起来"
    sample = spec.example or ("21" if spec.type == "count" else "3.5") + (spec.unit or "")
    unit = f"，单位 {spec.unit}（也可写明单位，如 \"{sample}\"）" if spec.unit else ""
    return f"填写数字{unit}"


def _read_input(spec: InputSpec, raw: Any) -> tuple[Any, Conversion | None]:
    kind = type(raw)
    if (kind is int or kind is float) and spec.type not in ("text", "bool"):
        # The common case, a plain TOML number in the input's own unit, without the general path.
        try:
            number = checked(Decimal(raw) if kind is int else Decimal(repr(raw)))
        except ValueError:
            raise ValueError(f"输入“{spec.label}”的数值 {raw!r} 无法使用（非数字、无穷大或超出范围）") from None
        if number < 0 and not spec.negative and spec.type in NON_NEGATIVE_TYPES:
            raise ValueError(f"输入“{spec.label}”不能为负数：{fmt(number)}（框架未声明此项可为负数）")
        return number, None
    label = f"输入“{spec.label}”"
    if spec.type == "text":
        if not isinstance(raw, str):
            raise ValueError(f"{label}应为文字，现在是 {raw!r}")
        return (raw.strip() or None), None
    if spec.type == "bool":
        if isinstance(raw, bool):
            return raw, None
        if isinstance(raw, str):
            if not normalize_text(raw):
                return None, None
            answer = yes_no_word(raw)
            if answer is not None:
                return answer, None
        raise ValueError(f"{label}应为 是/否，现在是 {raw!r}")
    conversion = None
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError(f"{label}应为数字，现在是 {raw!r}")
    if isinstance(raw, str):
        if not normalize_text(raw):
            return None, None
        try:
            number, given_unit = parse_quantity(raw)
        except ValueError:
            raise ValueError(f"{label}无法识别为数字：{raw!r}") from None
        if given_unit is not None:
            if spec.unit is None:
                raise ValueError(f"{label}没有声明单位，不能写“{given_unit}”")
            if given_unit not in UNITS:
                raise ValueError(f"{label}的单位“{given_unit}”无法识别，应为 {spec.unit}")
            try:
                converted = convert(number, given_unit, spec.unit)
            except ValueError:
                raise ValueError(f"{label}的单位“{given_unit}”不能换算为 {spec.unit}") from None
            if given_unit != spec.unit and UNITS[given_unit].factor != UNITS[spec.unit].factor:
                conversion = Conversion(spec.id, normalize_text(raw), converted, spec.unit)
            number = converted
    else:
        number = to_decimal(raw)
    if number < 0 and not spec.negative and spec.type in NON_NEGATIVE_TYPES:
        raise ValueError(f"{label}不能为负数：{fmt(number)}（框架未声明此项可为负数）")
    return number, conversion


def _read_entry(table: Table, indicator: Indicator) -> IndicatorEntry:
    """One indicator's entry; every problem in it is reported at once (an ErrorGroup)."""
    table.check_keys(ENTRY_KEYS)
    errors: list[EvalcoreError] = []

    def read(key: str, what: str) -> Decimal | None:
        try:
            return table.decimal(key, what, required=False)
        except EvalcoreError as exc:
            errors.append(exc)
            return None

    self_score = read("self", "自评得分")
    review = read("review", "审核得分")
    for key, value in (("self", self_score), ("review", review)):
        if value is not None and not 0 <= value <= indicator.weight:
            errors.append(table.error(f"得分 {fmt(value)} 超出该指标分值 0–{fmt(indicator.weight)}", key))
    stated = None
    if table.has("stated"):
        raw = table.raw("stated")
        try:
            if isinstance(raw, str):
                stated, unit = parse_quantity(raw)
                if unit is not None and indicator.unit is not None and unit != indicator.unit:
                    stated = convert(stated, unit, indicator.unit)
            else:
                stated = to_decimal(raw)
        except (ValueError, TypeError):
            errors.append(table.error(f"填报值应为数字（可带单位，如 \"100%\"），现在是 {raw!r}", "stated"))
    checkpoints = None
    if table.has("checkpoints"):
        answers: list[bool | Decimal] = []
        for i, raw in enumerate(table.sequence("checkpoints", "评价要点逐项结果")):
            if isinstance(raw, bool):
                answers.append(raw)
                continue
            answer = yes_no_word(raw) if isinstance(raw, str) else None
            if answer is not None:
                answers.append(answer)
                continue
            try:
                answers.append(to_decimal(raw))
            except (ValueError, TypeError):
                errors.append(table.error(f"第 {i + 1} 个评价要点应为 是/否（true/false）或部分得分，现在是 {raw!r}", "checkpoints"))
        checkpoints = tuple(answers)
    cases = read("cases", "不符合要求的例数")
    if cases is not None and (cases < 0 or cases != cases.to_integral_value()):
        errors.append(table.error(f"例数应为非负整数，现在是 {fmt(cases)}", "cases"))
    score = read("score", "评定得分")
    if score is not None and not 0 <= score <= indicator.weight:
        errors.append(table.error(f"评定得分 {fmt(score)} 超出该指标分值 0–{fmt(indicator.weight)}", "score"))
    reason = table.string("reason", "评定理由", required=False)
    if score is not None and not reason:
        errors.append(table.error("填写了评定得分（score）就必须写明理由（reason）", "score", hint="例如 reason = \"基础数据表未提供该项数据，采用单位自评分\""))
    not_applicable = table.boolean("not_applicable", "是否不适用", False)
    if not_applicable and not reason:
        errors.append(table.error("标记为不适用（not_applicable）时必须写明理由（reason）", "not_applicable"))
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    return IndicatorEntry(
        self_score=self_score,
        review_score=review,
        stated=stated,
        checkpoints=checkpoints,
        cases=cases,
        score=score,
        reason=reason,
        tier=table.string("tier", "评定档次", required=False),
        not_applicable=not_applicable,
        note=table.string("note", "备注", required=False),
    )
