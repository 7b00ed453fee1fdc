"""A unit's data file (基础数据, per-indicator answers and self-scores, facts, checks, report
text, a target form's budget and rows) read and validated against its framework. Every problem of
a file is reported at once, each with its file, line and key."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from attrs import evolve

from ..forms import input_hint, read_input_value, yes_no_word
from ..model import (
    EMPTY_ENTRY,
    RESERVED_NAMES,
    UNITS,
    Check,
    Conversion,
    DataError,
    DimensionMismatch,
    ErrorGroup,
    EvalcoreError,
    ExpressionInvalid,
    Fact,
    Framework,
    Indicator,
    IndicatorEntry,
    Location,
    SourceFile,
    Table,
    UnitData,
    compile_expression,
    convert,
    did_you_mean,
    expression_family,
    family_word,
    fmt,
    frozen,
    number_problem,
    parse_quantity,
    to_decimal,
    unit_family,
    written_bare,
)
from ._json import load_json
from ._toml import load_toml, loads_toml

__all__ = ["DataFile", "data_from_mapping", "load_data", "loads_data", "read_data_file", "unit_data"]

T = TypeVar("T")

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
    "exemptions",
    "facts",
    "checks",
    "report",
    "budget",
    "targets",
    "shared",
)
ENTRY_KEYS = ("self", "review", "stated", "checkpoints", "cases", "score", "reason", "tier", "not_applicable", "note")


@frozen
class DataFile:
    """A unit's data file parsed once: its tables, where each key stands, and the framework it names
    ("" when it names none). Read it with `unit_data` once its framework is known."""

    data: Mapping[str, Any]
    source: SourceFile
    framework_id: str

    @property
    def root(self) -> Table:
        return Table(self.data, self.source, (), "", DataError)


def read_data_file(path: str | Path) -> DataFile:
    """Parse a TOML (or, by its extension, JSON) data file; `framework_id` says which framework to
    read it with."""
    if Path(path).suffix.lower() == ".json":
        data, source = load_json(path)
    else:
        data, source = load_toml(path, DataError)
    return _data_file(data, source)


def _data_file(data: dict[str, Any], source: SourceFile) -> DataFile:
    _refuse_results(data, source)
    root = Table(data, source, (), "", DataError)
    framework_id = root.string("framework", "所用评价框架的编号，例如 \"hunan.hecheng.dept.2020\"", required=False)
    return DataFile(data, source, framework_id or "")


def _refuse_results(data: dict[str, Any], source: SourceFile) -> None:
    """A file evalcore wrote (a run's JSON result, a batch's 汇总.json) given back as a unit's data:
    said as such, rather than as a list of keys a data file does not have."""
    if "schema_version" not in data:
        return
    where = Location(file=source.name, line=source.line_of(("schema_version",)))
    if isinstance(data.get("indicators"), list):
        original = data.get("data_file")
        named = f"；这份结果是按 {original} 计分得出的" if isinstance(original, str) and original else ""
        raise DataError(
            "这是 evalcore 的计分结果（evalcore run --format json 的输出），不是数据文件，不能再拿来计分",
            where,
            hint=f"请给出单位的数据文件（.toml、.json 或 Excel 工作簿）{named}",
        )
    if "units" in data and "problems" in data:
        raise DataError("这是 evalcore batch 写出的汇总（汇总.json），不是数据文件，不能再拿来计分", where, hint="请给出各单位的数据文件；批量计分时不要把结果目录当作数据目录")


def unit_data(file: DataFile, framework: Framework) -> UnitData:
    """The file's data, checked against the framework; all problems are reported at once."""
    return _read(file.root, framework, file.source)


def load_data(path: str | Path, framework: Framework) -> UnitData:
    return unit_data(read_data_file(path), framework)


def loads_data(text: str, framework: Framework) -> UnitData:
    data, source = loads_toml(text, None, DataError)
    return unit_data(_data_file(data, source), framework)


def data_from_mapping(data: Mapping[str, Any], framework: Framework, *, path: str | Path | None = None) -> UnitData:
    """A unit's data from a plain mapping of the data file's shape (as a workbook reader or a test
    builds it); all problems are reported at once."""
    source = SourceFile(path, "")
    return _read(Table(data, source, (), "", DataError), framework, source)


def _read(root: Table, framework: Framework, source: SourceFile) -> UnitData:
    errors: list[EvalcoreError] = root.unknown_keys(DATA_KEYS)

    def gather(read: Callable[[], T]) -> T | None:
        # A wrong value is noted and reading goes on: the officer sees every problem at once.
        try:
            return read()
        except EvalcoreError as exc:
            errors.append(exc)
            return None

    unit_name = gather(lambda: root.string("unit", "评价单位名称", required=False))
    data_source = gather(lambda: root.string("source", "数据来源", required=False))
    self_total = gather(lambda: root.decimal("self_total", "自评总分", required=False))

    inputs: dict[str, Any] = {}
    questions: dict[str, Decimal] = {}
    conversions: list[Conversion] = []
    table = gather(lambda: root.table("inputs", "基础数据", required=False))
    if table is not None:
        for key, raw in table.data.items():
            spec = framework.input(key)
            if spec is None:
                names = [name for s in framework.inputs for name in (s.id, s.label)]
                hint = did_you_mean(key, names) or f"请对照规则文件 {framework.path or framework.id} 中的 [[input]] 清单"
                errors.append(table.error(f"框架 {framework.id} 没有名为“{key}”的输入", key, hint=hint))
                continue
            try:
                reading = read_input_value(spec, raw)
            except ValueError as exc:
                errors.append(table.error(str(exc), key, hint=input_hint(spec)))
                continue
            if reading.value is not None:
                inputs[key] = reading.value
            if reading.conversion is not None:
                conversions.append(reading.conversion)
            if reading.question is not None:
                questions[key] = reading.question

    entries: dict[str, IndicatorEntry] = {}
    table = gather(lambda: root.table("indicators", "逐项填写的指标信息", required=False))
    if table is not None:
        for key in table.data:
            indicator = framework.resolve_leaf(key)
            candidates = framework.leaf_candidates(key) if indicator is None else []
            if len(candidates) > 1:
                paths = "、".join("/".join(c.path[-2:]) for c in candidates)
                errors.append(table.error(f"指标名称“{key}”对应多个指标：{paths}", key, hint="请写编号或“二级/三级”路径加以区分"))
                continue
            if indicator is None:
                names = [name for leaf in framework.leaves() for name in (leaf.id, leaf.name)]
                hint = did_you_mean(key, names) or "名称可写指标编号、三级指标名称或“二级/三级”路径"
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
    table = gather(lambda: root.table("exemptions", "申请豁免的指标（指标 = 理由）", required=False))
    if table is not None:
        for _key, indicator, reason in _exemptions(table, framework, errors):
            entries[indicator.id] = evolve(entries.get(indicator.id, EMPTY_ENTRY), exemption=reason)
    facts: dict[str, Fact] = {}
    table = gather(lambda: root.table("facts", "其他事实数据（不属于框架输入）", required=False))
    if table is not None:
        for key, raw in table.data.items():
            if not key.isidentifier() or key.startswith("_") or key in RESERVED_NAMES or framework.input(key) is not None:
                errors.append(table.error(f"事实名称“{key}”不能用在公式中：只能由汉字、字母、数字和下划线组成，不能以下划线开头，不能与输入或函数同名", key))
                continue
            try:
                facts[key] = _fact(raw)
            except _OutOfDomain as exc:
                errors.append(table.error(f"事实“{key}”为 {raw!r}：{exc}", key, hint="请核对原文中的数"))
            except (ValueError, TypeError) as exc:
                errors.append(table.error(f"事实数据应为数字（可带单位，如 \"1.2亿元\"），现在是 {raw!r}{_why(exc)}", key))
    checks: list[Check] = []
    # What each name a check may read is measured in: a fact's unit as written, an input's declared.
    units = {name: fact.unit for name, fact in facts.items()} | {spec.id: spec.unit for spec in framework.inputs}
    bare_facts = {name for name, fact in facts.items() if fact.unit is None}
    for item in gather(lambda: root.tables("checks", "数据核对项")) or []:
        try:
            checks.append(_read_check(item, units, bare_facts))
        except EvalcoreError as exc:
            errors.append(exc)
    form = None
    if framework.form is not None:
        from ._form import read_form_data  # only for a unit's target form

        try:
            form = read_form_data(root)
        except EvalcoreError as exc:
            errors.append(exc)
    else:
        for key in ("budget", "targets", "shared"):
            if root.has(key):
                errors.append(root.error(f"框架 {framework.id} 不是项目支出绩效自评表，不能填写 {key}", key))
    report = gather(lambda: root.table("report", "报告文字", required=False))
    year = gather(lambda: root.integer("year", "年度", required=False))
    date = gather(lambda: root.string("date", "填报日期", required=False))
    project = gather(lambda: root.string("project", "项目名称", required=False))
    stated_grade = gather(lambda: root.string("stated_grade", "文件所写的评价等级", required=False))
    note = gather(lambda: root.string("note", "备注", required=False))
    if errors:
        # In the order of the file, as the officer corrects it.
        errors.sort(key=lambda e: e.location.line or 0)
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    return UnitData(
        framework=framework.id,
        unit=unit_name,
        inputs=inputs,
        entries=entries,
        questions=questions,
        conversions=tuple(conversions),
        self_total=self_total,
        source=data_source,
        path=source.name,
        year=year,
        date=date,
        project=project,
        stated_grade=stated_grade,
        facts=facts,
        checks=tuple(checks),
        report=dict(report.data) if report is not None else {},
        note=note,
        form=form,
        encoding=source.encoding,
    )


class _UnitUnknown(ValueError):
    """A fact written with a unit evalcore does not know; the message is Chinese."""


# Units of time are measured, not counted one by one: 2.5天 is a figure.
_MEASURED = frozenset({"天", "月", "年"})


class _OutOfDomain(ValueError):
    """A fact that is a number in a known unit, but not one its kind can be (a negative headcount)."""


def _why(exc: BaseException) -> str:
    return f"：{exc}" if isinstance(exc, _UnitUnknown) else number_problem(exc)


def _fact(raw: Any) -> Fact:
    """A fact as a number in the unit it was given in; checks convert it to the unit they compute in."""
    if not isinstance(raw, str):
        return Fact(to_decimal(raw))
    number, unit = parse_quantity(raw)
    if unit is not None and unit not in UNITS:
        raise _UnitUnknown(f"单位“{unit}”无法识别")
    known = UNITS.get(unit) if unit is not None else None
    if known is not None and known.family not in ("money", "percent"):
        # People and things are counted: never fewer than none, and whole where counted one by one.
        if number < 0:
            raise _OutOfDomain(f"以“{unit}”计的数不能为负数")
        if known.factor == 1 and known.family not in _MEASURED and number != number.to_integral_value():
            raise _OutOfDomain(f"以“{unit}”计的数应为整数")
    return Fact(number, unit)


def _stated(table: Table, what: str, unit: str | None, wanted: str) -> tuple[Decimal, str | None]:
    """The `stated` figure of an entry or a check in `unit`, and that unit; with `unit` None, in
    the unit it was written with. `wanted` names `unit` in an error ("该指标测算值的单位 %")."""
    raw = table.raw("stated")
    try:
        number, given = parse_quantity(raw) if isinstance(raw, str) else (to_decimal(raw), None)
    except (ValueError, TypeError) as exc:
        raise table.error(f"{what}应为数字（可带单位，如 \"100%\"），现在是 {raw!r}{number_problem(exc)}", "stated") from None
    if given is None or given == unit:
        return number, unit
    if given not in UNITS:
        raise table.error(f"{what}“{raw}”的单位“{given}”无法识别", "stated", hint=f"可用单位：{'、'.join(UNITS)}")
    if unit is None:
        return number, given
    try:
        return convert(number, given, unit), unit
    except ValueError:
        raise table.error(f"{what}“{raw}”的单位“{given}”不能换算为{wanted}", "stated") from None


def _read_check(item: Table, units: Mapping[str, str | None], bare_facts: frozenset[str] | set[str] = frozenset()) -> Check:
    """A data check. Its unit is the one it names, else the stated figure's; a unit, a stated
    figure or a sum of another kind than the formula computes (人 against 万元) is refused here."""
    item.check_keys(["name", "formula", "stated", "unit", "note"])
    name = item.string("name", "核对项名称")
    text = item.string("formula", "由事实计算该数的公式")
    unit = item.string("unit", "单位", required=False)
    assert name is not None and text is not None
    try:
        formula = compile_expression(text, units)
        family = expression_family(formula, units)
    except (ExpressionInvalid, DimensionMismatch) as exc:
        raise item.error(str(exc), "formula") from None
    if unit is not None and unit not in UNITS:
        raise item.error(f"无法识别的单位“{unit}”", "unit", hint=f"可用单位：{'、'.join(UNITS)}")
    # A fact written without a unit beside one written in 万 or 亿 (171800 against "17.31万人"): its
    # scale is unknown, and a ratio of the two would be off by 10,000. Asked, never guessed.
    bare = [name for name in formula.slots if name in bare_facts]
    scaled = [name for name in formula.slots if (found := UNITS.get(units.get(name) or "")) is not None and found.factor > 1]
    if bare and scaled:
        other = scaled[0]
        raise item.error(
            f"事实“{'”、“'.join(bare)}”没有写单位，而同一公式中的“{other}”以{units[other]}计：无法确定前者的单位",
            "formula",
            hint=f"请在 [facts] 中为“{bare[0]}”写明单位，如 {_unit_examples(units[other])}",
        )
    shown = next((units[n] for n in formula.slots if family is not None and unit_family(units[n]) == family), None)
    computed = f"公式“{formula.source}”算出的是{family_word(family)}（{shown}）" if family is not None else ""
    if unit is not None and family is not None and unit_family(unit) != family:
        raise item.error(f"核对项的单位“{unit}”与公式不符：{computed}", "unit", hint=f"单位应为{family_word(family)}的单位，如 {shown}")
    stated, unit = _stated(item, "文件所写的数值", unit, f"核对项的单位 {unit}")
    if unit is not None and family is not None and unit_family(unit) != family:
        raise item.error(f"文件所写的数值“{item.raw('stated')}”的单位“{unit}”与公式不符：{computed}", "stated", hint=f"核对公式与所写的数是否为同一项；单位应为{family_word(family)}的单位，如 {shown}")
    return Check(name, formula, stated, unit, item.string("note", "说明", required=False), stated_bare=written_bare(item.raw("stated")))


def _unit_examples(scaled: str | None) -> str:
    """How to write a figure of the same kind as one in `scaled` (万人, 亿元): "12人" or "0.12万人"."""
    found = UNITS.get(scaled or "")
    if found is None:
        return "\"12万元\""
    base = next((u.name for u in UNITS.values() if u.family == found.family and u.factor == 1), found.name)
    return f"\"1200{base}\" 或 \"0.12{found.name}\""


def _exemptions(table: Table, framework: Framework, errors: list[EvalcoreError]) -> list[tuple[str, Indicator, str]]:
    """(key, indicator, reason) of each exemption claimed; a claim the framework does not allow, or
    one without a reason, is an error naming where the framework does allow one."""
    allowed = [leaf for leaf in framework.leaves() if leaf.exemption]
    where = "；".join(f"“{leaf.name}”（{leaf.exemption}）" for leaf in allowed)
    claims = []
    for key, reason in table.data.items():
        indicator = framework.resolve_leaf(key)
        if indicator is None:
            names = [leaf.name for leaf in allowed] or [name for leaf in framework.leaves() for name in (leaf.id, leaf.name)]
            hint = did_you_mean(key, names) or (f"本框架允许豁免的指标：{where}" if allowed else "本框架没有允许豁免的指标")
            errors.append(table.error(f"框架 {framework.id} 中找不到指标“{key}”", key, hint=hint))
        elif indicator.exemption is None:
            allowed_text = f"本框架只有这些指标可以申请豁免：{where}" if allowed else "本框架的评分标准没有规定任何可不扣分的情形"
            errors.append(table.error(f"指标“{key}”的评分标准没有规定可不扣分的情形，不能申请豁免；{allowed_text}", key, hint="删去这一行；确有特殊情况的，在自评报告中说明"))
        elif not isinstance(reason, str) or not reason.strip():
            errors.append(
                table.error(
                    f"申请豁免必须写明理由：评分标准规定“{indicator.exemption}”，请写明本单位的情况为何属于这一情形",
                    key,
                    hint=f'例如 "{key}" = "原材料市场价格上涨，按评分标准市场因素可不扣分"',
                )
            )
        else:
            claims.append((key, indicator, reason.strip()))
    return claims


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
    stated_bare = False
    if table.has("stated"):
        wanted = f"该指标测算值的单位 {indicator.unit}" if indicator.unit else "该指标的测算值（没有单位）"
        try:
            # An indicator without a unit measures a pure number: no written unit converts to it.
            stated = _stated(table, "填报值", indicator.unit or "", wanted)[0]
            stated_bare = written_bare(table.raw("stated"))
        except EvalcoreError as exc:
            errors.append(exc)
    checkpoints = None
    if table.has("checkpoints"):
        answers: list[bool | Decimal] = []
        worth = [point.points for point in getattr(indicator.rule, "checkpoints", ())]
        for i, raw in enumerate(table.sequence("checkpoints", "评价要点逐项结果")):
            if isinstance(raw, bool):
                answers.append(raw)
                continue
            typed = raw.strip() if isinstance(raw, str) else raw
            # 1 may be 是 (the whole point) or a partial score of 1 分; both readings agree only when
            # the point is worth 1 (and 0 is 否 or 0 分 alike). Asked, never guessed.
            if not isinstance(typed, bool) and isinstance(typed, (int, str, Decimal, float)) and str(typed) in ("1", "1.0") and i < len(worth) and worth[i] != 1:
                errors.append(
                    table.error(
                        f"第 {i + 1} 个评价要点填写为 {raw!r}：可能是“是”（满足，得 {fmt(worth[i])} 分），也可能是部分得分 1 分",
                        "checkpoints",
                        hint="满足写 true 或 \"是\"，部分得分写 \"1分\"",
                    )
                )
                continue
            answer = yes_no_word(typed) if isinstance(typed, str) else None
            if answer is not None:
                answers.append(answer)
                continue
            if isinstance(typed, str) and typed.endswith("分"):
                typed = typed[:-1].strip()  # a partial score typed with its word: "1.5分"
            try:
                answers.append(to_decimal(typed))
            except (ValueError, TypeError) as exc:
                errors.append(table.error(f"第 {i + 1} 个评价要点应为 是/否（true/false）或部分得分，现在是 {raw!r}{number_problem(exc)}", "checkpoints"))
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
        stated_bare=stated_bare,
        checkpoints=checkpoints,
        cases=cases,
        score=score,
        reason=reason,
        tier=table.string("tier", "评定档次", required=False),
        not_applicable=not_applicable,
        note=table.string("note", "备注", required=False),
    )
