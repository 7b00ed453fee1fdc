"""Properties of the target/actual parser (年度指标值 / 实际完成值 read as data).

Every expectation is the test's own reading of the grammar (tests/target_strategies.py) or plain
Fraction/Decimal arithmetic, never a value obtained from the code under test. The comparison of
actual with target is checked end to end through `evaluate`, on a one-row target form.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from evalcore import DataError, evaluate, loads_data, loads_framework
from evalcore.forms import TargetError, parse_actual, parse_target

from .target_strategies import (
    DIRECTION_SPELLINGS,
    FAMILIES,
    TargetCase,
    canonical_unit,
    factor,
    fullwidth,
    number_text,
    numbers,
    period_targets,
    qualitative_texts,
    quantity_targets,
    range_targets,
    same_family_units,
    targets,
    unreadable_targets,
)

D = Decimal
FAST = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _check(case: TargetCase) -> None:
    target = parse_target(case.text)
    assert target.kind == case.kind, case.text
    assert target.direction == case.direction, case.text
    assert target.unit == case.unit, case.text
    if case.kind == "quantity":
        assert target.value is not None and case.value is not None
        assert Fraction(target.value) == Fraction(case.value), case.text
    else:
        assert target.low is not None and target.high is not None
        assert (Fraction(target.low), Fraction(target.high)) == (case.low, case.high), case.text


# ---------------------------------------------------------------------------------------------
# Every target in the grammar parses, and reads as the test reads it
# ---------------------------------------------------------------------------------------------


@FAST
@given(quantity_targets())
@example(TargetCase("≥95%", "quantity", "≥", D(95), unit="%"))
@example(TargetCase("≥100百分比", "quantity", "≥", D(100), unit="%"))  # 鹤城 style
@example(TargetCase("≤90万元", "quantity", "≤", D(90), unit="万元"))
@example(TargetCase("100元", "quantity", None, D(100), unit="元"))  # 米易 附件2 成本指标
@example(TargetCase("不低于 ９５ ％", "quantity", "≥", D(95), unit="%"))
def test_quantities_parse(case: TargetCase) -> None:
    _check(case)


@FAST
@given(range_targets())
@example(TargetCase("1--1.2万人", "range", low=Fraction(1), high=Fraction(6, 5), unit="万人"))  # 鹤城 附件4-2
@example(TargetCase("0.6--0.7万人", "range", low=Fraction(3, 5), high=Fraction(7, 10), unit="万人"))
@example(TargetCase("0.5万人~6000人", "range", low=Fraction(5000), high=Fraction(6000), unit="人"))
def test_ranges_parse(case: TargetCase) -> None:
    _check(case)


@FAST
@given(targets())
def test_describe_round_trips(case: TargetCase) -> None:
    """parse(describe(parse(text))) has the same kind, direction, bounds and unit."""
    first = parse_target(case.text)
    again = parse_target(first.describe())
    assert (again.kind, again.direction, again.unit) == (first.kind, first.direction, first.unit)
    for attribute in ("value", "low", "high"):
        a, b = getattr(first, attribute), getattr(again, attribute)
        assert (a is None and b is None) or Fraction(a) == Fraction(b), (case.text, first.describe())


@FAST
@given(period_targets())
@example(TargetCase("2020年全年", "period"))  # 鹤城 服务时效
@example(TargetCase("2021年1月-2021年12月", "period"))  # 米易 时效指标
def test_periods_parse(case: TargetCase) -> None:
    target = parse_target(case.text)
    assert target.kind == "period"
    assert target.text == case.text
    # a period has no number to compare: its actual stays text
    assert parse_actual(case.text, target).value is None


@FAST
@given(qualitative_texts())
@example("稳步提升")
@example("增强服务窗口对外形象")
@example("按照政策规定应缴尽缴")
@example("约两万人左右")  # Chinese numerals are words, not digits
def test_text_without_digits_is_qualitative(text: str) -> None:
    target = parse_target(text)
    assert target.kind == "text"
    assert target.text == text.strip()
    assert target.direction is None and target.value is None and target.unit is None


@FAST
@given(unreadable_targets())
@example("约两万人左右 3")
@example("全年会议2次，每次培训乡镇负责人11人")  # 米易 附件1, as printed
@example("印刷资料4万份")
def test_unreadable_text_with_digits_is_an_error_naming_it(text: str) -> None:
    with pytest.raises(TargetError) as info:
        parse_target(text)
    message = str(info.value)
    assert f"“{text.strip()}”" in message
    assert "无法识别指标值" in message


@FAST
@given(st.text(alphabet="0123456789.%≥≤<>=-~至到年月日万元人次个份全底前内 约以上左右，", min_size=1, max_size=16))
def test_any_text_parses_or_raises_target_error(text: str) -> None:
    """Whatever is typed, the parser answers with a target or a TargetError — nothing else.

    A range whose two units belong to different families ("1人-2元") is left out here: it raises
    a bare ValueError today (see test_range_with_units_of_two_families_is_a_target_error)."""
    assume(not _mixed_family_range(text))
    try:
        target = parse_target(text)
    except TargetError as exc:
        assert str(exc)
        return
    assert target.kind in ("quantity", "range", "period", "text")


def _mixed_family_range(text: str) -> bool:
    import re

    from evalcore.model import UNITS

    units = [u for u in sorted(UNITS, key=len, reverse=True)]
    pattern = "|".join(re.escape(u) for u in units)
    match = re.search(rf"\d({pattern}).*?(?:-|~|至|到).*?\d({pattern})", text.replace(" ", ""))
    return bool(match) and UNITS[match.group(1)].family != UNITS[match.group(2)].family


def test_range_with_units_of_two_families_is_a_target_error() -> None:
    with pytest.raises(TargetError):
        parse_target("1人-2元")


def test_reversed_range_is_an_error() -> None:
    with pytest.raises(TargetError, match="下限大于上限"):
        parse_target("1.2--1万人")


def test_empty_target_is_an_error() -> None:
    with pytest.raises(TargetError, match="指标值为空"):
        parse_target("  ")


# ---------------------------------------------------------------------------------------------
# Actuals: units convert exactly to the target's unit
# ---------------------------------------------------------------------------------------------


def test_wan_ren_actual_against_a_ren_target_is_11000() -> None:
    target = parse_target("≥10000人")
    actual = parse_actual("1.1万人", target)
    assert actual.value == D(11000) and actual.unit == "人"


@FAST
@given(st.sampled_from(sorted(FAMILIES)), st.data())
def test_actual_units_convert_exactly(family: str, data: st.DataObject) -> None:
    target_unit = data.draw(st.sampled_from(FAMILIES[family]))
    actual_unit = data.draw(st.sampled_from(FAMILIES[family]))
    value = data.draw(numbers(10**9, 6))
    target = parse_target(f"≥1{target_unit}")
    actual = parse_actual(number_text(value) + actual_unit, target)
    assert actual.unit == canonical_unit(target_unit)
    assert actual.value is not None
    assert Fraction(actual.value) == Fraction(value) * factor(actual_unit) / factor(target_unit)


@FAST
@given(st.data())
def test_actual_in_a_unit_of_another_family_is_an_error(data: st.DataObject) -> None:
    families = sorted(FAMILIES)
    first = data.draw(st.sampled_from(families))
    second = data.draw(st.sampled_from([f for f in families if f != first]))
    target_unit = data.draw(st.sampled_from(FAMILIES[first]))
    actual_unit = data.draw(st.sampled_from(FAMILIES[second]))
    target = parse_target(f"5{target_unit}")
    with pytest.raises(TargetError) as info:
        parse_actual(f"3{actual_unit}", target)
    message = str(info.value)
    assert f"“3{actual_unit}”" in message  # names the actual as typed
    assert f"“{canonical_unit(actual_unit)}”" in message and f"“{canonical_unit(target_unit)}”" in message


@FAST
@given(numbers(), st.sampled_from(["≥", "≤", ">", "<"]), st.booleans())
def test_actual_written_as_a_bound_keeps_its_number_and_sign(value: Decimal, direction: str, wide: bool) -> None:
    target = parse_target("≥95%")
    spelled = DIRECTION_SPELLINGS[direction][0]
    text = spelled + (fullwidth(number_text(value)) if wide else number_text(value)) + "%"
    actual = parse_actual(text, target)
    assert actual.value == value and actual.bound == direction and actual.unit == "%"


def test_a_word_for_a_numeric_target_has_no_value() -> None:
    actual = parse_actual("完成", parse_target("100%"))
    assert actual.value is None and actual.text == "完成"


# ---------------------------------------------------------------------------------------------
# Comparisons agree with plain arithmetic (through evaluate, on a one-row form)
# ---------------------------------------------------------------------------------------------

FORM = """
[framework]
id = "test.targets.2024"
title = "目标值对比"
region = "测试"
kind = "project-targets"
year = 2024
total = 10

[form]
execution_weight = 0
categories = [{ name = "产出指标" }]
"""


@pytest.fixture(scope="module")
def form_framework():  # type: ignore[no-untyped-def]
    return loads_framework(FORM, name="targets.toml")


def _one_row(target: str, actual: str) -> str:
    """A target form with one 10-point row and a fully spent budget."""
    return f"""
framework = "test.targets.2024"
[budget]
"全年预算数" = 1
"执行数" = 1
[[targets]]
path = ["产出指标", "数量指标", "指标"]
target = "{target}"
actual = "{actual}"
weight = 10
"""


def _completion(framework, target: str, actual: str) -> Decimal:  # type: ignore[no-untyped-def]
    evaluation = evaluate(framework, loads_data(_one_row(target, actual), framework))
    leaf = evaluation.leaf("产出指标/数量指标/指标")
    assert leaf.value is not None and leaf.score is not None
    assert leaf.score == (Decimal(10) * leaf.value / 100).quantize(D("0.01"), rounding="ROUND_HALF_UP")
    return leaf.value


def _by_hand(direction: str, t: Fraction, a: Fraction) -> Fraction:
    """Completion (%) as DESIGN §3 reads the rule: met → 100; ≥ missed → a/t; ≤ missed → t/a.
    "=" missed from above counts t/a, from below a/t."""
    met = {"≥": a >= t, ">": a > t, "≤": a <= t, "<": a < t, "=": a == t}[direction]
    if met:
        return Fraction(100)
    if direction in ("≥", ">") or (direction == "=" and a < t):
        return Fraction(0) if a <= 0 else a / t * 100
    return t / a * 100


def _two_places(percent: Fraction) -> Fraction:
    """A completion as the form scores it: in %, rounded half-up to the framework's 2 places."""
    return Fraction(math.floor(percent * 100 + Fraction(1, 2)), 100)


@SLOW
@given(st.sampled_from(["≥", "≤", "=", ">", "<"]), numbers(1000, 2), numbers(1000, 2), st.sampled_from(sorted(FAMILIES)), st.data())
def test_direction_comparisons_agree_with_decimal_arithmetic(form_framework, direction: str, t: Decimal, a: Decimal, family: str, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    if direction in (">", "<"):
        assume(a != t)  # the boundary of a strict sign: see test_strict_target_met_exactly_is_not_full
    target_unit = data.draw(st.sampled_from(FAMILIES[family]))
    actual_unit = data.draw(st.sampled_from(same_family_units(target_unit)))
    # the actual is typed in its own unit: a × (target unit / actual unit)
    typed = Fraction(a) * factor(target_unit) / factor(actual_unit)
    typed_decimal = D(typed.numerator) / D(typed.denominator)
    assume(Fraction(typed_decimal) == typed)
    value = _completion(form_framework, f"{direction}{number_text(t)}{target_unit}", f"{number_text(typed_decimal)}{actual_unit}")
    expected = _by_hand(direction, Fraction(t), Fraction(a))
    assert Fraction(value) == _two_places(expected), (direction, t, a, target_unit, actual_unit, value)


@SLOW
@given(numbers(1000, 2), numbers(1000, 2), numbers(2000, 2))
def test_range_met_or_below_in_proportion(form_framework, x: Decimal, y: Decimal, a: Decimal) -> None:  # type: ignore[no-untyped-def]
    low, high = min(x, y), max(x, y)
    assume(low > 0)
    value = _completion(form_framework, f"{number_text(low)}--{number_text(high)}万人", f"{number_text(a)}万人")
    expected = Fraction(100) if a >= low else Fraction(a) / Fraction(low) * 100  # above the range counts as met
    assert Fraction(value) == _two_places(expected)


def test_strict_target_met_exactly_is_not_full(form_framework) -> None:  # type: ignore[no-untyped-def]
    # ">95%" with 95% is missed, by an amount no ratio expresses: the evaluator must judge it;
    # it is never full marks and never a silent number.
    leaf = evaluate(form_framework, loads_data(_one_row(">95%", "95%"), form_framework)).leaf("产出指标/数量指标/指标")
    assert leaf.score is None and leaf.status == "missing"
    assert "未达到“>95%”" in " ".join(leaf.trace)


def test_unreadable_target_in_a_data_file_names_the_indicator(form_framework) -> None:  # type: ignore[no-untyped-def]
    text = """
framework = "test.targets.2024"
[budget]
"全年预算数" = 1
"执行数" = 1
[[targets]]
path = ["产出指标", "数量指标", "代发人数"]
target = "约两万人左右 3"
actual = "2万人"
weight = 10
"""
    with pytest.raises(DataError) as info:
        loads_data(text, form_framework)
    assert "代发人数" in str(info.value) and "约两万人左右 3" in str(info.value)


@pytest.mark.parametrize("text, direction, value", [("95%以上", "≥", "95"), ("95%及以上", "≥", "95"), ("2万元以下", "≤", "2"), ("80%（含）以上", "≥", "80")])
def test_yishang_and_yixia_include_the_number(text: str, direction: str, value: str) -> None:
    # In Chinese rules 以上/以下 include the number itself (e.g. 桃江 "95%及以上计5分").
    target = parse_target(text)
    assert (target.kind, target.direction, target.value) == ("quantity", direction, Decimal(value))


@pytest.mark.parametrize("text", ["98 5%", "1 000人", "≥1 000人"])
def test_digits_parted_by_a_space_in_a_target_or_actual_are_refused(text: str) -> None:
    # Stripping the space would read "98 5%" as 985%: refused with how to write it instead.
    for parse in (parse_target, lambda t: parse_actual(t, parse_target("≥95%"))):
        with pytest.raises(TargetError, match="数字中间有空格"):
            parse(text)
