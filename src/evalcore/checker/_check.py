"""`evalcore check`: prove a framework sound before anyone is scored by it.

Typed rule kinds are analysed exactly (their reachable scores follow from their parameters);
expressions are searched over boundary values of their inputs. Every finding names the file and
line, the indicator, what is wrong and, where one exists, a counterexample: input values and the
score they produce.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal

from ..model import (
    CONTEXT,
    Expression,
    ExpressionInvalid,
    Framework,
    Group,
    Indicator,
    IndicatorEntry,
    Node,
    Outcome,
    Rule,
    ScoringContext,
    ZeroDivisionInExpression,
    fmt,
    frozen,
    plugin_defect,
    plugin_fault,
    plugin_module,
    reraise_interrupt,
    rule_description,
    shown,
)
from ..rules import Band, BandsRule, Branch, ChecklistRule, DeductRule, ExpressionRule, JudgmentRule, PerCaseRule, ProportionalRule, SignRule, quantity
from ._declarations import declaration_findings
from ._finding import SEVERITIES, Finding
from ._forms import form_findings, weight_share_findings
from ._ranges import ValueRange, input_domains, value_range

__all__ = ["CODES", "CODE_TITLES", "SEVERITIES", "Finding", "check_framework"]

ZERO = Decimal(0)

# Names of rates that should never lose points for exceeding 100% (completion, quality, execution)…
_HIGHER_IS_BETTER = ("完成率", "达标率", "执行率", "及时率", "到位率", "利用率", "办结率", "满意度", "覆盖率", "支付进度", "节约率")
# …and of rates and costs that should never gain points for exceeding their target.
_LOWER_IS_BETTER = ("控制率", "成本", "三公", "结转结余", "调整率", "变动率")


@frozen
class _Issue:
    severity: str
    code: str
    message: str
    counterexample: str | None = None


def check_framework(framework: Framework) -> list[Finding]:
    """Every finding for one framework, in tree order; accepted ones become info."""
    findings: list[Finding] = []
    findings.extend(_weights(framework))
    if framework.scored:
        unreachable = framework.unreachable_grades
        if unreachable:
            names = "、".join(f"{band.name}（≥ {fmt(band.min)}）" for band in unreachable)
            findings.append(Finding("error", "grades", f"总分只有 {fmt(framework.total)} 分，等级 {names} 永远评不到；请按本框架的总分声明 grades", framework.path, None))
    used: set[str] = set()
    for leaf in framework.leaves():
        if leaf.formula is not None:
            used |= leaf.formula.names
        used |= leaf.rule.names()
        for issue in _leaf_issues(framework, leaf):
            if issue.code in leaf.accept:
                issue = _Issue("info", issue.code, f"{issue.message}（已声明接受：{leaf.accept[issue.code]}）", issue.counterexample)
            findings.append(Finding(issue.severity, issue.code, issue.message, leaf.file or framework.path, leaf.line, leaf.path, issue.counterexample))
        if leaf.exemption:
            message = f"评分标准规定可不扣分的情形：{leaf.exemption}；单位在数据文件的 [exemptions] 中申请并写明理由的，该项计满分"
            findings.append(Finding("info", "exemption", message, leaf.file or framework.path, leaf.line, leaf.path))
        for code in leaf.accept:
            if code not in CODES:
                findings.append(Finding("warning", "accept-unknown", f"accept 中的“{code}”不是检查项代码；可用：{'、'.join(CODES)}", leaf.file or framework.path, leaf.line, leaf.path))
    for spec in framework.inputs:
        if spec.id not in used:
            findings.append(Finding("warning", "unused-input", f"输入“{spec.id}”已声明但没有任何公式或规则使用", spec.file or framework.path, spec.line))
    findings.extend(declaration_findings(framework))
    findings.extend(form_findings(framework))
    findings.extend(weight_share_findings(framework))
    return findings


CODE_TITLES = {
    "weights": "分组分值不符",
    "total": "总分不符",
    "range": "得分超出分值",
    "full-unreachable": "满分不可得",
    "zero-unreachable": "0 分不可得",
    "bands-gap": "分档有空档",
    "bands-overlap": "分档重叠",
    "bands-empty": "空分档",
    "direction": "扣分方向可疑",
    "step-over-weight": "扣分大于分值",
    "checkpoints-sum": "要点分值不符",
    "unused-input": "未使用的输入",
    "provenance": "缺少出处或原文",
    "accept-unknown": "未知的接受代码",
    "grades": "等级标准不符",
    "input-domain": "输入没有取值范围",
    "tiers-overlap": "评定档次重叠",
    "tiers-gap": "评定档次有空档",
    "tiers-declared": "档次交界的归属",
    "plugin-rule": "插件规则类型出错",
    "exemption": "可不扣分的情形",
    "dominant-weight": "单项分值过半",
    "form-years": "适用年度不符",
}

CODES = (
    "grades",
    "weights",
    "total",
    "range",
    "full-unreachable",
    "zero-unreachable",
    "bands-gap",
    "bands-overlap",
    "bands-empty",
    "direction",
    "step-over-weight",
    "checkpoints-sum",
    "unused-input",
    "provenance",
    "input-domain",
    "tiers-overlap",
    "tiers-gap",
    "tiers-declared",
)


def _weights(framework: Framework) -> Iterator[Finding]:
    def walk(nodes: Iterable[Node]) -> Iterator[Finding]:
        for node in nodes:
            if isinstance(node, Group):
                if node.weight is not None:
                    children = sum((_weight(c) for c in node.children), ZERO)
                    if children != node.weight:
                        parts = " + ".join(f"{_name(c)} {fmt(_weight(c))}" for c in node.children)
                        yield Finding(
                            "error", "weights", f"分组“{'/'.join(node.path)}”声明分值 {fmt(node.weight)}，其下各项合计 {fmt(children)}（{parts}）", framework.path, node.line, node.path
                        )
                yield from walk(node.children)

    yield from walk(framework.children)
    if framework.form is None:
        leaves = framework.leaf_weight
        if leaves != framework.total:
            yield Finding("error", "total", f"各末级指标分值合计 {fmt(leaves)}，与总分 {fmt(framework.total)} 不一致", framework.path, None)


def _weight(node: Node) -> Decimal:
    if isinstance(node, Indicator):
        return node.weight
    return node.weight if node.weight is not None else node.leaf_weight


def _name(node: Node) -> str:
    return node.name


def _leaf_issues(framework: Framework, leaf: Indicator) -> Iterator[_Issue]:
    if not leaf.source:
        yield _Issue("warning", "provenance", "没有注明出处（source）")
    if not (leaf.printed or leaf.description or leaf.content):
        yield _Issue("warning", "provenance", "没有保存原文（printed 评分标准、description 指标说明或 content 指标内容）")
    rule = leaf.rule
    analyse = _ANALYSES.get(type(rule))
    if analyse is not None:
        yield from analyse(framework, leaf, rule)
    else:
        yield from rule_checks(rule, leaf)


def rule_checks(rule: Rule, leaf: Indicator) -> Iterator[_Issue]:
    """A plugin's own kind: whether it can say what it does (`describe`, which show, reference and
    the templates print), and the findings of its optional `check(indicator)` method. A fault in
    either is a finding naming the plugin, never the end of the check."""
    _text, fault = rule_description(rule, leaf.weight, leaf.unit)
    if fault is not None:
        yield _Issue("error", "plugin-rule", fault)
    check = getattr(rule, "check", None)
    if not callable(check):
        return
    module = plugin_module(type(rule)) or "evalcore"
    what = f"规则类型“{rule.kind}”检查评分规则时"
    try:
        items = list(check(leaf))
    except BaseException as exc:  # a plugin's fault is reported, and the check goes on
        reraise_interrupt(exc)
        yield _Issue("error", "plugin-rule", plugin_fault(what, module, exc))
        return
    for item in items:
        if isinstance(item, tuple) and len(item) == 3 and item[0] in SEVERITIES and all(isinstance(part, str) for part in item):
            yield _Issue(*item)
        else:
            yield _Issue("error", "plugin-rule", plugin_defect(what[:-1], module, f"的 check 给出 {shown(item)}，不是（{'、'.join(SEVERITIES)} 之一, 代码, 文字）"))


# ---------------------------------------------------------------------------------------------
# Counterexamples: inputs that give the formula a wanted value
# ---------------------------------------------------------------------------------------------

_GRID = [Decimal(v) for v in ("0", "1", "2", "5", "10", "20", "37", "50", "60", "80", "90", "95", "99", "100", "101", "102", "105", "110", "120", "150", "200", "1000")]


def _reach(framework: Framework, leaf: Indicator) -> ValueRange:
    """The measured values the leaf's formula can give from inputs inside their declared domains,
    rounded as the framework rounds measured values (rounding keeps order, so it keeps bounds)."""
    reach = value_range(leaf, input_domains(framework))
    low, high = (bound if bound.is_infinite() else framework.rounding.apply_value(bound) for bound in (reach.low, reach.high))
    return ValueRange(low, high, reach.integer)


def _grid(framework: Framework, name: str) -> list[Decimal]:
    """The search grid for one input: its values inside the input's domain, and the domain's bounds."""
    spec = framework.input(name)
    if spec is None:
        return _GRID
    domain = spec.domain
    bounds = [bound for bound in (domain.min, domain.max) if bound is not None]
    return sorted({value for value in [*_GRID, *bounds] if domain.contains(value)})


def _inputs_for(framework: Framework, formula: Expression | None, wanted: Decimal) -> dict[str, Decimal] | None:
    """Some inputs (from a small grid, each inside its domain) for which the formula equals
    `wanted`, if the grid has them."""
    if formula is None:
        return None
    names = sorted(formula.names)
    if not names or len(names) > 3:
        return None
    for combo in itertools.product(*(_grid(framework, name) for name in names)):
        values = dict(zip(names, combo))
        try:
            result = formula.evaluate(values)
        except (ZeroDivisionInExpression, ExpressionInvalid):
            continue
        if isinstance(result, Decimal) and result == wanted:
            return values
    return None


def _example(framework: Framework, leaf: Indicator, value: Decimal, score: Decimal | None, what: str = "") -> str | None:
    """A counterexample at `value`; None when no unit's data can give the leaf that value."""
    if not _reach(framework, leaf).contains(value):
        return None
    inputs = _inputs_for(framework, leaf.formula, value)
    shown = quantity(value, leaf.unit)
    head = f"{leaf.name} = {shown}"
    if inputs:
        head = "、".join(f"{k} = {fmt(v)}" for k, v in inputs.items()) + f" 时，{head}"
    tail = what or (f"，得 {fmt(score)} 分" if score is not None else "")
    return head + tail


def _run(rule: Rule, leaf: Indicator, value: Decimal | None, entry: IndicatorEntry | None = None) -> Outcome:
    return rule.score(ScoringContext(leaf.weight, value, leaf.unit, {}, entry or IndicatorEntry()))


# ---------------------------------------------------------------------------------------------
# Typed kinds
# ---------------------------------------------------------------------------------------------


def _direction(leaf: Indicator, rewards_higher: bool | None) -> Iterator[_Issue]:
    """A completion-type rate that loses points above 100%, or a cost-type one that gains them."""
    if rewards_higher is None:
        return
    text = leaf.name + (leaf.printed or "")
    if not rewards_higher and any(word in leaf.name for word in _HIGHER_IS_BETTER):
        yield _Issue("warning", "direction", f"“{leaf.name}”越高越好，规则却对超出扣分（原文：{leaf.printed or '—'}）")
    higher_is_better = any(word in leaf.name for word in _HIGHER_IS_BETTER)  # 成本节约率 is a saving
    if rewards_higher and not higher_is_better and any(word in leaf.name for word in _LOWER_IS_BETTER) and "变动率" not in text:
        yield _Issue("warning", "direction", f"“{leaf.name}”越低越好，规则却对超出给分（原文：{leaf.printed or '—'}）")


def _analyse_deduct(framework: Framework, leaf: Indicator, rule: Rule) -> Iterator[_Issue]:
    assert isinstance(rule, DeductRule)
    if rule.points > leaf.weight:
        yield _Issue("warning", "step-over-weight", f"每档扣 {fmt(rule.points)} 分，大于该指标分值 {fmt(leaf.weight)} 分：一档即扣完")
    if rule.direction == "over":
        bad = rule.threshold + rule.per * 2
        outcome = _run(rule, leaf, bad)
        issues = list(_direction(leaf, rewards_higher=False))
        for issue in issues:
            yield _Issue(issue.severity, issue.code, issue.message, _example(framework, leaf, bad, outcome.score))
    elif rule.direction == "under":
        issues = list(_direction(leaf, rewards_higher=True))
        for issue in issues:
            good = rule.threshold + 10
            yield _Issue(issue.severity, issue.code, issue.message, _example(framework, leaf, good, _run(rule, leaf, good).score))


def _analyse_bands(framework: Framework, leaf: Indicator, rule: Rule) -> Iterator[_Issue]:
    assert isinstance(rule, BandsRule)
    bands = rule.bands
    for band in bands:
        if band.lower is not None and band.upper is not None and (band.lower > band.upper or (band.lower == band.upper and not (band.lower_inclusive and band.upper_inclusive))):
            yield _Issue("error", "bands-empty", f"档次“{band.describe(leaf.unit)}”不包含任何值，永远不会用到")
    reach = _reach(framework, leaf)
    for probe in _band_probes(bands, reach):
        matches = [b for b in bands if b.contains(probe)]
        if not matches:
            yield _Issue("error", "bands-gap", f"{quantity(probe, leaf.unit)} 不属于任何档次：评分标准在此处未定义", _example(framework, leaf, probe, None, "，无法计分"))
            break
    for probe in _band_probes(bands, reach):
        matches = [b for b in bands if b.contains(probe)]
        if len(matches) > 1:
            shown = "；".join(b.describe(leaf.unit) for b in matches)
            yield _Issue("error", "bands-overlap", f"{quantity(probe, leaf.unit)} 同时属于多个档次（{shown}）", _example(framework, leaf, probe, None, "，得分不确定"))
            break
    # A band no unit's data can reach awards nothing: its points are left out of the range.
    reached = [(band, value) for band in bands if (value := _reached_in(band, reach)) is not None]
    yield from _award_range(framework, leaf, [(_branch_high(band.award), value) for band, value in reached], [(_branch_low(band.award), value) for band, value in reached])


def _band_probes(bands: Iterable[Band], reach: ValueRange) -> list[Decimal]:
    """Values at, just below and just above every edge, and far out on both sides: those the
    measured value can take (a non-negative rate is never probed at −0.01 %)."""
    edges = {edge for band in bands for edge in (band.lower, band.upper) if edge is not None}
    step = Decimal("0.01")
    near: set[Decimal] = set()
    for edge in edges:
        near |= {edge - step, edge, edge + step}
    # Values next to the printed thresholds first: they make the clearest counterexamples.
    far = [reach.low if reach.low.is_finite() else Decimal(-1000000), reach.high if reach.high.is_finite() else Decimal(1000000)]
    return [probe for probe in sorted(near) + far if reach.contains(probe)]


def _reached_in(band: Band, reach: ValueRange) -> Decimal | None:
    """A value of the band that the measured value can take, or None when it can take none."""
    candidates = [_band_value(band), *(bound for bound in (reach.low, reach.high) if bound.is_finite())]
    return next((value for value in candidates if band.contains(value) and reach.contains(value)), None)


def _band_value(band: Band) -> Decimal:
    """A value inside the band, for a counterexample."""
    if band.lower is not None and band.upper is not None:
        return CONTEXT.divide(band.lower + band.upper, Decimal(2)) if band.lower != band.upper else band.lower
    if band.lower is not None:
        return band.lower if band.lower_inclusive else band.lower + 1
    if band.upper is not None:
        return band.upper if band.upper_inclusive else band.upper - 1
    return ZERO


def _branch_high(branch: Branch) -> Decimal:
    return branch.score if branch.score is not None else (branch.high or ZERO)


def _branch_low(branch: Branch) -> Decimal:
    return branch.score if branch.score is not None else (branch.low or ZERO)


def _award_range(framework: Framework, leaf: Indicator, highs: list[tuple[Decimal, Decimal | None]], lows: list[tuple[Decimal, Decimal | None]]) -> Iterator[_Issue]:
    """Scores above the weight, full marks never reachable, 0 never reachable; values are examples."""
    for high, value in highs:
        if high > leaf.weight:
            example = (_example(framework, leaf, value, high) if value is not None else None) or f"得 {fmt(high)} 分"
            yield _Issue("error", "range", f"规则可给 {fmt(high)} 分，超过该指标分值 {fmt(leaf.weight)} 分", example)
            break
    best = max((h for h, _ in highs), default=ZERO)
    if best < leaf.weight:
        yield _Issue("error", "full-unreachable", f"该指标分值 {fmt(leaf.weight)} 分，规则最多只给 {fmt(best)} 分，满分永远得不到")
    worst = min((low for low, _ in lows), default=ZERO)
    if worst > 0:
        yield _Issue("warning", "zero-unreachable", f"规则最低给 {fmt(worst)} 分，0 分永远得不到")


def _analyse_sign(framework: Framework, leaf: Indicator, rule: Rule) -> Iterator[_Issue]:
    assert isinstance(rule, SignRule)
    reach = _reach(framework, leaf)
    sides = [(rule.positive, Decimal(1), reach.high), (rule.zero, ZERO, ZERO), (rule.negative, Decimal(-1), reach.low)]
    # One value of each sign the measured value can take; a sign it cannot take awards nothing.
    branches = [(b, v if reach.contains(v) else bound) for b, v, bound in sides if reach.contains(v) or (bound.is_finite() and bound * v > 0)]
    yield from _award_range(framework, leaf, [(_branch_high(b), v) for b, v in branches], [(_branch_low(b), v) for b, v in branches])


def _analyse_proportional(framework: Framework, leaf: Indicator, rule: Rule) -> Iterator[_Issue]:
    assert isinstance(rule, ProportionalRule)
    for issue in _direction(leaf, rewards_higher=not rule.reverse):
        value = rule.target * 2
        yield _Issue(issue.severity, issue.code, issue.message, _example(framework, leaf, value, _run(rule, leaf, value).score))


def _analyse_checklist(framework: Framework, leaf: Indicator, rule: Rule) -> Iterator[_Issue]:
    assert isinstance(rule, ChecklistRule)
    total = sum((c.points for c in rule.checkpoints), ZERO)
    if rule.mode == "award":
        if total < leaf.weight:
            yield _Issue("error", "full-unreachable", f"评价要点合计 {fmt(total)} 分，少于分值 {fmt(leaf.weight)} 分：全部满足也得不到满分")
        elif total > leaf.weight:
            yield _Issue("warning", "checkpoints-sum", f"评价要点合计 {fmt(total)} 分，多于分值 {fmt(leaf.weight)} 分（计分以分值为限）")
        return
    if total < leaf.weight:
        yield _Issue("warning", "zero-unreachable", f"评价要点全部缺失共扣 {fmt(total)} 分，少于分值 {fmt(leaf.weight)} 分：最低得 {fmt(leaf.weight - total)} 分，0 分永远得不到")
    for point in rule.checkpoints:
        if point.points > leaf.weight:
            yield _Issue("warning", "step-over-weight", f"要点“{point.text}”扣 {fmt(point.points)} 分，大于分值 {fmt(leaf.weight)} 分")


def _analyse_per_case(framework: Framework, leaf: Indicator, rule: Rule) -> Iterator[_Issue]:
    assert isinstance(rule, PerCaseRule)
    if rule.points > leaf.weight:
        yield _Issue("warning", "step-over-weight", f"每例扣 {fmt(rule.points)} 分，大于该指标分值 {fmt(leaf.weight)} 分：一例即扣完")


def _analyse_judgment(framework: Framework, leaf: Indicator, rule: Rule) -> Iterator[_Issue]:
    assert isinstance(rule, JudgmentRule)
    low, high = rule.bounds(leaf.weight)
    yield from _award_range(framework, leaf, [(high, None)], [(low, None)])


def _analyse_expression(framework: Framework, leaf: Indicator, rule: Rule) -> Iterator[_Issue]:
    """Search: boundary values of each name; the first out-of-range score is the counterexample."""
    assert isinstance(rule, ExpressionRule)
    names = sorted(rule.expr.names - {"weight"})
    constants = _constants(rule.expr)
    grid = {ZERO, Decimal(1), Decimal(100), Decimal(-1), Decimal(1000)} | {c + d for c in constants for d in (Decimal("-0.01"), ZERO, Decimal("0.01"))}
    # Each name is searched only over values its domain allows (the measured value: what its
    # formula gives from inputs in their domains), its finite bounds included.
    domains = input_domains(framework)
    reaches = {name: _reach(framework, leaf) if name == "value" else ValueRange.of(domains[name]) if name in domains else ValueRange() for name in names}
    grids = [sorted(v for v in grid | {b for b in (reaches[name].low, reaches[name].high) if b.is_finite()} if reaches[name].contains(v)) for name in names]
    best: Decimal | None = None
    worst: Decimal | None = None
    for combo in itertools.islice(itertools.product(*grids), 20000):
        values: dict[str, Decimal] = dict(zip(names, combo))
        values["weight"] = leaf.weight
        try:
            result = rule.expr.evaluate(values)
        except (ZeroDivisionInExpression, ExpressionInvalid):
            continue
        if isinstance(result, bool) or not isinstance(result, Decimal):
            continue
        shown = "、".join(f"{k} = {fmt(v)}" for k, v in values.items() if k != "weight")
        if not ZERO <= result <= leaf.weight:
            yield _Issue("error", "range", f"表达式可给出 {fmt(result)} 分，超出分值范围 0–{fmt(leaf.weight)}", f"{shown} 时得 {fmt(result)} 分")
            return
        best = result if best is None else max(best, result)
        worst = result if worst is None else min(worst, result)
    if best is not None and best < leaf.weight:
        yield _Issue("warning", "full-unreachable", f"在检查过的输入中表达式最多给 {fmt(best)} 分，未见满分 {fmt(leaf.weight)} 分")
    if worst is not None and worst > 0:
        yield _Issue("warning", "zero-unreachable", f"在检查过的输入中表达式最低给 {fmt(worst)} 分，未见 0 分")


def _constants(expression: Expression) -> set[Decimal]:
    import ast

    found: set[Decimal] = set()
    for node in ast.walk(expression.tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, Decimal):
            found.add(node.value)
    return found


_ANALYSES: Mapping[type, Callable[[Framework, Indicator, Rule], Iterator[_Issue]]] = {
    DeductRule: _analyse_deduct,
    BandsRule: _analyse_bands,
    SignRule: _analyse_sign,
    ProportionalRule: _analyse_proportional,
    ChecklistRule: _analyse_checklist,
    PerCaseRule: _analyse_per_case,
    JudgmentRule: _analyse_judgment,
    ExpressionRule: _analyse_expression,
}
