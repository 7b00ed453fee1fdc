"""What changed between two frameworks (two years of one county, or a county and the province
framework it extends): `evalcore diff A B`.

Settings are compared field by field over the attrs classes that hold them (Framework, Rounding,
InputSpec, Domain, FormSpec, Indicator and the rule kinds), so that a field added to one of them
is compared without a change here. FIELD_WORDS names each field in Chinese, or marks it as compared
by a change of its own or as text a diff leaves out; a field it does not know is still compared,
under its own name (tests/test_diff.py holds the table to the classes)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, cast

import attrs

from ..model import KIND_WORDS, ROUNDING_WORDS, Block, Category, Domain, Expression, FormSpec, Framework, GradeBand, Group, Indicator, InputSpec, Node, Rounding, Tier, ZeroDivisionFallback, describe_rule, fmt, frozen
from ..rules import Band, BandsRule, Branch, ChecklistRule, Checkpoint, DeductRule, ExpressionRule, JudgmentRule, PerCaseRule, ProportionalRule, SignRule

__all__ = ["CHANGE_WORDS", "FIELD_WORDS", "Change", "diff_frameworks", "field_changes"]


@frozen
class Change:
    kind: str  # a key of CHANGE_WORDS
    path: tuple[str, ...]
    message: str


CHANGE_WORDS = {
    "added": "新增",
    "removed": "删除",
    "reweighted": "分值调整",
    "reruled": "评分规则调整",
    "reformulated": "公式调整",
    "moved": "位置调整",
    "group-reweighted": "分组分值调整",
    "total": "总分调整",
    "settings": "框架规定调整",
    "indicator": "指标规定调整",
    "input": "基础数据调整",
    "form": "自评表规定调整",
}

# Of each class whose fields are compared: the Chinese name of each field, or None for a field
# compared by a change of its own (weight, rule, formula…), that identifies what is compared (id,
# year), or that is text a diff leaves out (printed, note, source).
FIELD_WORDS: dict[type, dict[str, str | None]] = {
    Framework: {
        "id": None,
        "title": None,
        "region": None,
        "kind": "框架类型",
        "year": None,
        "total": None,
        "children": None,
        "inputs": None,
        "rounding": "舍入",
        "grades": "评价等级",
        "not_applicable": "不适用指标的处理",
        "source": None,
        "description": None,
        "form": None,
        "extends": None,
    },
    GradeBand: {"name": "等级", "min": "最低分", "aliases": "别称"},
    Rounding: {"places": "得分保留小数位数", "mode": "舍入方式", "value_places": "测算值保留小数位数"},
    InputSpec: {
        "id": None,
        "label": None,
        "type": "类型",
        "unit": "单位",
        "required": "是否必填",
        "description": None,
        "example": None,
        "domain": "取值范围",
        "fractions": "小数写法",
    },
    Domain: {"min": "取值范围的下限", "max": "取值范围的上限", "integer": "是否只取整数", "declared": "是否声明了取值范围"},
    FormSpec: {
        "scored": "是否计分",
        "execution_weight": "预算执行率分值",
        "execution_divisor": "预算执行率的分母",
        "execution_reason_below": "须说明原因的执行率",
        "over_margin": "超出目标的提示幅度",
        "targets_weight": "绩效指标分值合计",
        "sources": "资金来源",
        "categories": "指标类别",
        "tiers": "定性指标评定档次",
        "blocks": "共用分值",
        "valid_from": "适用的起始年度",
        "valid_until": "适用的截止年度",
    },
    Category: {"name": "类别", "weight": "分值", "directions": "方向", "direction": "本类方向"},
    Block: {"path": "共用分值的范围", "weight": "分值", "split": "按行数均分", "accept": "已声明接受的检查项"},
    Tier: {"name": "档次", "low": "下限", "high": "上限", "low_inclusive": "含下限", "high_inclusive": "含上限"},
    Indicator: {
        "id": None,
        "name": None,
        "path": None,
        "weight": None,
        "rule": None,
        "formula": None,
        "unit": "单位",
        "content": None,
        "description": None,
        "printed": None,
        "note": None,
        "source": None,
        "zero_division": "除数为零时的计分",
        "accept": "已声明接受的检查项",
        "exemption": "可不扣分的情形",
    },
    ZeroDivisionFallback: {"score": "除数为零时的得分", "note": "除数为零时的说明"},
    # The rule kinds a framework declares, for the rare change their description does not show.
    BandsRule: {"bands": "分档"},
    Band: {"award": "得分", "lower": "下限", "lower_inclusive": "含下限", "upper": "上限", "upper_inclusive": "含上限"},
    Branch: {"score": "分数", "low": "最低分", "high": "最高分"},
    ChecklistRule: {"mode": "计分方式", "checkpoints": "评价要点"},
    Checkpoint: {"text": "要点", "points": "分值"},
    DeductRule: {"direction": "扣分方向", "threshold": "起扣线", "per": "每档幅度", "points": "每档扣分", "count": "计档方式", "zero_beyond": "超出多少不得分"},
    ExpressionRule: {"expr": "计分表达式"},
    JudgmentRule: {"low": "最低分", "high": "最高分", "tiers": "评定档次"},
    PerCaseRule: {"points": "每例扣分", "what": "所扣的事项"},
    ProportionalRule: {"target": "目标值", "reverse": "是否反向"},
    SignRule: {"positive": "大于 0 时", "zero": "等于 0 时", "negative": "小于 0 时"},
}


def _tiers(tiers: tuple[Tier, ...], _owner: object) -> str:
    return "，".join(f"{t.name} {t.describe()}" for t in tiers)


def _grades(grades: tuple[GradeBand, ...], _owner: object) -> str:
    return "，".join(f"{band.name} ≥ {fmt(band.min)}" for band in grades)


def _aliases(grades: tuple[GradeBand, ...], _owner: object) -> str:
    return "，".join(f"{band.name}（又称{'、'.join(band.aliases)}）" for band in grades if band.aliases) or "无"


def _categories(categories: tuple[Category, ...], _owner: object) -> str:
    parts = []
    for category in categories:
        weight = f" {fmt(category.weight)} 分" if category.weight is not None else ""
        directions = "、".join(f"{k}{v}" for k, v in category.directions.items())
        parts.append(f"{category.name}{weight}" + (f"（{directions}）" if directions else ""))
    return "，".join(parts)


def _zero_division(fallback: ZeroDivisionFallback | None, _owner: object) -> str:
    return "未规定" if fallback is None else f"{fmt(fallback.score)} 分（{fallback.note}）"


# How some fields read as a whole; where two differ and read the same, their own fields are compared.
_RENDER: dict[tuple[type, str], Callable[[object, object], str]] = {
    (Framework, "kind"): lambda kind, _owner: KIND_WORDS.get(str(kind), str(kind)),
    (Framework, "grades"): _grades,  # type: ignore[dict-item]
    (Framework, "not_applicable"): lambda policy, _owner: "计满分" if policy == "full" else "分值重新分配",
    (Rounding, "mode"): lambda mode, _owner: ROUNDING_WORDS.get(str(mode), str(mode)),
    (InputSpec, "domain"): lambda domain, spec: domain.describe(spec.unit),  # type: ignore[attr-defined]
    (FormSpec, "categories"): _categories,  # type: ignore[dict-item]
    (FormSpec, "tiers"): _tiers,  # type: ignore[dict-item]
    (FormSpec, "targets_weight"): lambda value, _owner: "按类别" if value is None else _words(value),
    (JudgmentRule, "tiers"): _tiers,  # type: ignore[dict-item]
    (Indicator, "zero_division"): _zero_division,  # type: ignore[dict-item]
}


# Parts of a field its words above leave out, each compared and named on its own line.
_DETAILS: dict[tuple[type, str], tuple[tuple[str, Callable[[object, object], str]], ...]] = {
    (Framework, "grades"): (("评价等级的别称", _aliases),),  # type: ignore[dict-item]
}


def _compared(value: object) -> Iterator[tuple[attrs.Attribute[Any], str]]:
    """The fields of an attrs object a diff compares, each with its name in words: those that
    take part in equality, but for those FIELD_WORDS marks as compared elsewhere or left out."""
    words = FIELD_WORDS.get(type(value), {})
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(value))):
        word = words.get(field.name, field.name)
        if field.eq and not field.name.startswith("_") and word is not None:
            yield field, word


def field_changes(before: object, after: object) -> Iterator[tuple[str, str, str]]:
    """(what, before in words, after in words) for each compared field of two objects of one attrs
    class that differs."""
    for field, word in _compared(before):
        x, y = getattr(before, field.name), getattr(after, field.name)
        if x == y:
            continue
        key = (type(before), field.name)
        render = _RENDER.get(key)
        nested = attrs.has(type(x)) and type(x) is type(y)
        if render is None and nested:
            yield from field_changes(x, y)
            continue
        changes = []
        for what, words in ((word, render), *_DETAILS.get(key, ())):
            shown = (words(x, before), words(y, after)) if words is not None else (_words(x), _words(y))
            if shown[0] != shown[1]:
                changes.append((what, *shown))
        if changes:
            yield from changes
        elif nested:
            yield from field_changes(x, y)
        else:
            # Read the same, differ in a part the words leave out: every part.
            yield word, _words(x), _words(y)


def _words(value: object, owner: object = None) -> str:
    """A value of a setting in words; an attrs object as its fields, each named."""
    if value is None:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, Expression):
        return value.source
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return "，".join(f"{key}：{_words(item)}" for key, item in value.items()) or "无"
    if isinstance(value, (tuple, list, frozenset, set)):
        return "、".join(_words(item) for item in value) or "无"
    if attrs.has(type(value)):
        parts = (f"{word} {_RENDER.get((type(value), field.name), _words)(getattr(value, field.name), value)}" for field, word in _compared(value))
        return "（" + "，".join(parts) + "）"
    return str(value)


def _groups(nodes: tuple[Node, ...]) -> Iterator[Group]:
    for node in nodes:
        if isinstance(node, Group):
            yield node
            yield from _groups(node.children)


def diff_frameworks(a: Framework, b: Framework) -> list[Change]:
    changes: list[Change] = []
    if a.total != b.total:
        changes.append(Change("total", (), f"总分 {fmt(a.total)} → {fmt(b.total)}"))
    changes.extend(Change("settings", (), f"{word}：{x} → {y}") for word, x, y in field_changes(a, b))
    changes.extend(_inputs(a, b))
    changes.extend(_form(a, b))
    old = {leaf.id: leaf for leaf in a.leaves()}
    new = {leaf.id: leaf for leaf in b.leaves()}
    for key, leaf in old.items():
        if key not in new:
            changes.append(Change("removed", leaf.path, f"删除指标“{'/'.join(leaf.path)}”（{fmt(leaf.weight)} 分）"))
    for key, leaf in new.items():
        before = old.get(key)
        if before is None:
            changes.append(Change("added", leaf.path, f"新增指标“{'/'.join(leaf.path)}”（{fmt(leaf.weight)} 分，{leaf.rule.title}）"))
            continue
        changes.extend(_indicator(before, leaf))
    old_groups = {g.path: g for g in _groups(a.children)}
    for group in _groups(b.children):
        before_group = old_groups.get(group.path)
        old_weight = before_group.weight if before_group is not None and before_group.weight is not None else (before_group.leaf_weight if before_group else None)
        new_weight = group.weight if group.weight is not None else group.leaf_weight
        if before_group is not None and old_weight != new_weight:
            changes.append(Change("group-reweighted", group.path, f"分组“{'/'.join(group.path)}”分值 {fmt(old_weight)} → {fmt(new_weight)}"))
    return changes


def _indicator(before: Indicator, leaf: Indicator) -> Iterator[Change]:
    """One indicator in both: its place, weight, rule, formula, and every other setting."""
    label = "/".join(leaf.path)
    if before.path != leaf.path:
        yield Change("moved", leaf.path, f"“{leaf.id}”由 {'/'.join(before.path)} 移到 {label}")
    if before.weight != leaf.weight:
        yield Change("reweighted", leaf.path, f"“{label}”分值 {fmt(before.weight)} → {fmt(leaf.weight)}")
    yield from (Change("reruled", leaf.path, f"“{label}”评分规则{detail}") for detail in _rule_changes(before, leaf))
    old_formula = before.formula.source if before.formula else None
    new_formula = leaf.formula.source if leaf.formula else None
    if old_formula != new_formula:
        yield Change("reformulated", leaf.path, f"“{label}”公式：{old_formula or '无'} → {new_formula or '无'}")
    yield from (Change("indicator", leaf.path, f"“{label}”的{word}：{x} → {y}") for word, x, y in field_changes(before, leaf))


def _rule_changes(before: Indicator, leaf: Indicator) -> Iterator[str]:
    """How the rule changed: in the words the rules describe themselves with, else, where those
    read the same, field by field."""
    x, y = before.rule, leaf.rule
    same_kind = type(x) is type(y)
    if same_kind and attrs.has(type(x)) and x == y:
        return
    old_text, new_text = describe_rule(x, before.weight, before.unit), describe_rule(y, leaf.weight, leaf.unit)
    if old_text != new_text:
        yield f"：{old_text} → {new_text}"
    elif not same_kind:
        yield f"：规则类型 {x.kind} → {y.kind}（{new_text}）"
    elif attrs.has(type(x)):
        yield from (f"（{y.title}）的{word}：{a} → {b}" for word, a, b in field_changes(x, y))


def _inputs(a: Framework, b: Framework) -> Iterator[Change]:
    """Inputs added, removed, or with another type, unit, domain or reading of fractions."""
    old = {spec.id: spec for spec in a.inputs}
    new = {spec.id: spec for spec in b.inputs}
    for key in sorted(old.keys() - new.keys()):
        yield Change("input", ("基础数据", key), f"删除基础数据“{key}”")
    for key in sorted(new.keys() - old.keys()):
        yield Change("input", ("基础数据", key), f"新增基础数据“{key}”（{new[key].domain.describe(new[key].unit)}）")
    for key in sorted(old.keys() & new.keys()):
        for word, x, y in field_changes(old[key], new[key]):
            yield Change("input", ("基础数据", key), f"基础数据“{key}”的{word}：{x} → {y}")


def _form(a: Framework, b: Framework) -> Iterator[Change]:
    """The settings of a project target form (项目支出绩效自评表)."""
    if a.form is None and b.form is None:
        return
    if a.form is None or b.form is None:
        yield Change("form", (), "一个是项目支出绩效自评表，另一个不是")
        return
    yield from (Change("form", (), f"{word}：{x} → {y}") for word, x, y in field_changes(a.form, b.form))
