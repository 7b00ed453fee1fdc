"""The expression sandbox: only arithmetic on Decimals; everything else fails at load, never later."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evalcore import RulesetError, load_framework
from evalcore.model import compile_expression
from evalcore.model._expression import MAX_LENGTH, ExpressionInvalid, ZeroDivisionInExpression

from .helpers import framework_text, write

D = Decimal
NAMES = {"编制数", "在职人员数", "x", "y"}


@pytest.mark.parametrize(
    "source, words",
    [
        ("__import__('os').system('id')", "不允许"),
        ("9**9**9", "乘方"),
        ("x.real", "属性"),
        ("x[0]", "下标"),
        ("(lambda: 1)()", "不允许"),
        ("[a for a in x]", "推导式"),
        ("'abc'", "字符串"),
        ("x // 2", "整除"),
        ("x % 2", "取余"),
        ("open('f')", "不允许的函数"),
        ("min", "只能被调用"),
        ("round(x, ndigits=2)", "关键字参数"),
        ("x := 1", "语法错误"),
        ("编制", "未知名称"),
    ],
)
def test_forbidden_expressions_fail_at_compile(source: str, words: str) -> None:
    with pytest.raises(ExpressionInvalid) as info:
        compile_expression(source, NAMES)
    assert words in str(info.value)


def test_unknown_name_suggests_the_declared_one() -> None:
    with pytest.raises(ExpressionInvalid, match="您是不是要找：“编制数”"):
        compile_expression("在职人员数 / 编制 * 100", NAMES)


def test_length_limit_is_checked_before_parsing() -> None:
    source = "+".join(["x"] * 1000)  # 1,999 characters
    assert len(source) > MAX_LENGTH
    with pytest.raises(ExpressionInvalid, match="超过上限 1000"):
        compile_expression(source, NAMES)


@pytest.mark.parametrize("source", ["(" * 300 + "x" + ")" * 300, "-" * 900 + "x", "+".join(["x"] * 400)])
def test_deep_or_large_expressions_are_refused_without_recursion_errors(source: str) -> None:
    with pytest.raises(ExpressionInvalid):
        compile_expression(source, NAMES)


def test_arithmetic_is_decimal_and_exact() -> None:
    assert compile_expression("0.1 + 0.2", NAMES).evaluate({}) == D("0.3")
    assert compile_expression("x * 3", NAMES).evaluate({"x": D("0.1")}) == D("0.3")
    ten = compile_expression("1 - 0.1 - 0.1 - 0.1 - 0.1 - 0.1 - 0.1 - 0.1 - 0.1 - 0.1 - 0.1", NAMES)
    assert ten.evaluate({}) == D(0)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("round(2.5)", "3"),  # half-up, not Python's banker's rounding
        ("round(0.125, 2)", "0.13"),
        ("round(-2.5)", "-3"),
        ("ceil(1.01)", "2"),
        ("floor(-1.5)", "-2"),
        ("abs(-3)", "3"),
        ("min(3, 1, 2)", "1"),
        ("max(3, 1, 2)", "3"),
        ("2 if 1 < 2 else 3", "2"),
        ("1 if 1 > 2 or 3 > 4 else 0", "0"),
        ("5 if not 1 > 2 else 0", "5"),
    ],
)
def test_allowed_functions(source: str, expected: str) -> None:
    assert compile_expression(source, NAMES).evaluate({}) == D(expected)


def test_zero_divisor_is_named() -> None:
    expression = compile_expression("在职人员数 / 编制数 * 100", NAMES)
    with pytest.raises(ZeroDivisionInExpression) as info:
        expression.evaluate({"在职人员数": D(31), "编制数": D(0)})
    assert info.value.divisor == "编制数"


def test_substitution_shows_the_values() -> None:
    expression = compile_expression("在职人员数 / 编制数 * 100", NAMES)
    assert expression.substitute({"在职人员数": D(31), "编制数": D(37)}) == "31 / 37 × 100"


def test_full_width_operators_typed_by_an_input_method_are_accepted() -> None:
    expression = compile_expression("（在职人员数／编制数）×100", NAMES)
    assert expression.evaluate({"在职人员数": D(1), "编制数": D(4)}) == D(25)


BAD_RULESET = """
[[input]]
id = "编制数"

[[indicator]]
path = ["投入", "测试"]
weight = 2
formula = "{formula}"
unit = "%"
[indicator.rule]
kind = "proportional"
"""


@pytest.mark.parametrize(
    "formula, words",
    [
        ("__import__('os').system('id')", "不允许"),
        ("9**9**9", "乘方"),
        ("编制数 / 实有人数", "未知名称“实有人数”"),
        ("编制数" + " + 编制数" * 400, "超过上限"),
    ],
)
def test_ruleset_with_a_bad_formula_fails_at_load_with_file_and_line(tmp_path, formula: str, words: str) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "bad.toml", framework_text(BAD_RULESET.format(formula=formula.replace("'", "'"))))
    with pytest.raises(RulesetError) as info:
        load_framework(path)
    message = str(info.value)
    assert words in message
    line = path.read_text(encoding="utf-8").splitlines().index(f'formula = "{formula}"') + 1
    assert f"bad.toml:{line}" in message
    assert "formula" in message


# The compiled evaluator and simpleeval (the reference) agree on generated expressions.
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_leaf = st.sampled_from(["x", "y", "0", "1", "2.5", "0.1", "100"])


def _expressions() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "<", "<=", "==", "and", "or"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
        calls = st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})")
        unary = st.tuples(st.sampled_from(["abs", "ceil", "floor", "round", "-", "not "]), inner).map(lambda t: f"({t[0]}({t[1]}))")
        conditional = st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})")
        return binary | calls | unary | conditional

    return st.recursive(_leaf, extend, max_leaves=8)


@settings(max_examples=150, deadline=None)
@example("(abs((1 / x)))", Decimal("0.03"), Decimal(0))  # abs once rounded to the caller's precision
@example("min(x, (-((x < x))))", Decimal(0), Decimal(0))  # arithmetic on a comparison once gave an int
@given(_expressions(), st.decimals(min_value=-50, max_value=50, places=2), st.decimals(min_value=-50, max_value=50, places=2))
def test_compiled_evaluation_agrees_with_simpleeval(source: str, x: Decimal, y: Decimal) -> None:
    expression = compile_expression(source, NAMES)
    names = {"x": x, "y": y}

    def outcome(evaluate):  # type: ignore[no-untyped-def]
        try:
            return ("value", evaluate(names))
        except ZeroDivisionInExpression as exc:
            return ("zero", exc.divisor)
        except (ExpressionInvalid, ArithmeticError, TypeError):
            return ("error", None)

    compiled = outcome(expression.evaluate)
    reference = outcome(expression.reference_evaluate)
    if compiled[0] == "zero":
        # The reference raises decimal's own error where the compiled path names the divisor.
        assert reference[0] in ("zero", "error")
    else:
        assert compiled == reference
