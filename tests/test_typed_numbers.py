"""Numbers as a Chinese officer types them are read right or questioned, never guessed: thousands
separators in groups of three, full-width digits and the minus signs of Word and WPS; an execution
figure far above its budget; target-form actuals within their target's domain; data checks of one
kind of quantity; Excel's percentage formats; the fraction policies of percent inputs.

Every expected figure is worked by hand in a comment from the rule it applies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evalcore import DataError, Evaluation, evaluate, loads_data
from evalcore.forms import TargetError, parse_actual, parse_target
from evalcore.model import DimensionMismatch, Domain, NumberTextError, Rounding, compile_expression, expression_family, parse_number, parse_quantity
from evalcore.outputs import evaluation_dict, question_line
from evalcore.workbook import percent_shown

from .helpers import framework_text, load

D = Decimal
NATIONAL = "national.project-targets.2020"

# ---------------------------------------------------------------------------------------------
# Thousands separators, full-width forms, minus signs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, number, unit",
    [
        ("1,234", "1234", None),
        ("1,234.5", "1234.5", None),
        ("12,345,678.9万元", "12345678.9", "万元"),
        ("１，２３４人", "1234", "人"),  # full-width digits and comma, as an input method types them
        ("−5", "-5", None),  # U+2212, copied from Word or WPS
        ("－5%", "-5", "%"),  # full-width hyphen-minus
        ("-1,234.5 元", "-1234.5", "元"),
        (".5", "0.5", None),
    ],
)
def test_numbers_as_typed_are_read(text: str, number: str, unit: str | None) -> None:
    assert parse_quantity(text) == (D(number), unit)


@pytest.mark.parametrize(
    "text, says",
    [
        ("1,23", "可能是 1.23，也可能是 123"),  # a decimal comma, or a separator two digits from the end
        (",5", "可能是 0.5，也可能是 5"),
        ("1.234,5", "在小数点之后还有逗号：可能是以逗号作小数点的 1234.5"),
        ("1,2345", "可能是 1.2345，也可能是 12345"),  # grouped by 万, not by thousands
        ("1234,567", "不是千位分隔符"),
        ("5,", "以逗号结尾"),
        ("1,,2", "不能确定是否为 12"),
    ],
)
def test_a_comma_that_is_no_thousands_separator_is_refused_saying_what_it_could_be(text: str, says: str) -> None:
    with pytest.raises(NumberTextError, match=says):
        parse_number(text)
    with pytest.raises(NumberTextError, match=says):
        parse_quantity(text + "万元")


@pytest.mark.parametrize(
    "target, kind, figures, unit",
    [
        ("≥1,000人", "quantity", ("1000",), "人"),
        ("1,234%", "quantity", ("1234",), "%"),
        ("1,000-2,000人", "range", ("1000", "2000"), "人"),
        ("≤1,500.5万元", "quantity", ("1500.5",), "万元"),
        ("－5%", "quantity", ("-5",), "%"),
    ],
)
def test_targets_take_the_same_thousands_separators(target: str, kind: str, figures: tuple[str, ...], unit: str) -> None:
    parsed = parse_target(target)
    shown = (parsed.value,) if kind == "quantity" else (parsed.low, parsed.high)
    assert (parsed.kind, shown, parsed.unit) == (kind, tuple(D(f) for f in figures), unit)


def test_a_target_or_actual_with_an_ambiguous_comma_is_refused() -> None:
    with pytest.raises(TargetError, match="可能是 1.23，也可能是 123"):
        parse_target("≥1,23人")
    with pytest.raises(TargetError, match="可能是 1.23，也可能是 123"):
        parse_actual("1,23%", parse_target("≥95%"))
    assert parse_actual("1,234%", parse_target("≥95%")).value == D(1234)
    # Digits and points that make no number stay text, flagged by the scorer as before.
    assert parse_actual("2021.12.31", parse_target("≥95%")).value is None


# ---------------------------------------------------------------------------------------------
# Target-form actuals within their target's domain
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target, actual", [("≤2万元", "-1万元"), ("≥3万人", "−1万人"), ("≥7", "-1"), ("1--1.2万人", "-0.5万人"), ("≤30天", "-2天")])
def test_a_negative_actual_of_a_target_that_is_not_negative_is_refused(target: str, actual: str) -> None:
    with pytest.raises(TargetError, match="是负数"):
        parse_actual(actual, parse_target(target))


def form(rows: str, executed: str = "100", budget: str = "100", extra: str = "") -> str:
    return f'framework = "{NATIONAL}"\n[budget]\n"全年预算数" = {budget}\n"执行数" = {executed}\n{extra}\n' + rows


def row(path: str, target: str, actual: str, weight: int, more: str = "") -> str:
    return f'[[targets]]\npath = {path}\ntarget = "{target}"\nactual = "{actual}"\nweight = {weight}\n{more}\n'


REST = row('["效益指标", "社会效益指标", "知晓率"]', "≥95%", "96%", 30) + row('["满意度指标", "服务对象满意度指标", "满意度"]', "≥95%", "96%", 10)


def score(registry, text: str) -> Evaluation:  # type: ignore[no-untyped-def]
    framework = registry.framework(NATIONAL)
    return evaluate(framework, loads_data(text, framework))


def test_a_negative_actual_against_a_negative_target_is_judged_not_divided(registry) -> None:  # type: ignore[no-untyped-def]
    # ≥-5%, actual -10%: missed, and neither -10 / -5 = 2 nor 0 is a completion anyone can redo.
    text = form(row('["产出指标", "数量指标", "增长率"]', "≥-5%", "-10%", 50) + REST)
    leaf = score(registry, text).leaf("产出指标/数量指标/增长率")
    assert leaf.score is None and leaf.status == "missing"
    assert "-10% 未达到 ≥-5%；指标值或完成值为负数，完成程度无法按比例计算，由评价人评定" in leaf.trace[0]
    judged = score(registry, text.replace("weight = 50", 'weight = 50\ntier = "未达成"\nscore = 10\nreason = "负增长"', 1))
    assert judged.leaf("产出指标/数量指标/增长率").score == D(10)


@pytest.mark.parametrize("target", ["≥95%", "≤5%", "90%-100%", "=100%"])
def test_a_negative_percentage_against_a_target_that_is_not_goes_to_the_evaluator(registry, target: str) -> None:  # type: ignore[no-untyped-def]
    # 收入增长率 -2% may be a true fall, 投诉率 -1% a slipped sign: neither a ratio nor "≤5%, met".
    text = form(row('["产出指标", "数量指标", "增长率"]', target, "-2%", 50) + REST)
    leaf = score(registry, text).leaf("产出指标/数量指标/增长率")
    assert leaf.score is None and leaf.status == "missing"
    assert f"完成值 -2% 为负数，而指标值“{target}”不是负数（可能是增减幅度，也可能是录入错误）" in leaf.trace[0]
    assert "由评价人评定" in leaf.trace[0]


def test_a_zero_actual_shows_the_division_it_scores(registry) -> None:  # type: ignore[no-untyped-def]
    # 0% against ≥95%: 0 / 95 = 0% completed, 50 × 0% = 0 分: every figure redone by hand.
    leaf = score(registry, form(row('["产出指标", "数量指标", "覆盖率"]', "≥95%", "0%", 50) + REST)).leaf("产出指标/数量指标/覆盖率")
    assert leaf.score == D(0)
    assert leaf.trace[0].endswith("0% 未达到 ≥95%，完成 0 / 95 = 0%")


# ---------------------------------------------------------------------------------------------
# An execution figure far above its budget
# ---------------------------------------------------------------------------------------------

ROWS = row('["产出指标", "数量指标", "人数"]', "1--1.2万人", "1.1万人", 50) + REST


def test_execution_above_the_budget_is_flagged_with_both_figures(registry) -> None:  # type: ignore[no-untyped-def]
    # 58 / 56 × 100 = 103.571…% → 103.57%; 10 × min(103.57%, 100%) = 10 分, as the form's rule says.
    evaluation = score(registry, form(ROWS, executed="58", budget="56"))
    assert evaluation.leaf("预算执行率").score == D(10)
    assert [f.message for f in evaluation.flags if f.kind == "over_budget"] == ["执行数 58 万元超过全年预算数 56 万元（执行率 103.57%）；请核对"]
    assert not [f for f in score(registry, form(ROWS, executed="56", budget="56")).flags if f.kind == "over_budget"]


def test_execution_in_yuan_typed_into_wan_yuan_is_questioned_where_the_readings_differ(registry) -> None:  # type: ignore[no-untyped-def]
    # 523400 as 万元: 934642.86% → 10 分. As 元: 52.34万元 / 56 = 93.464…% → 93.46%; 10 × 93.46% = 9.346 → 9.35 分.
    # The rows: 50 + 30 + 10 = 90; the two totals 100 and 99.35.
    evaluation = score(registry, form(ROWS, executed="523400", budget="56"))
    leaf = evaluation.leaf("预算执行率")
    assert (leaf.status, leaf.score) == ("questioned", None)
    assert leaf.readings == (("按 523400万元 计", D(10)), ("按 523400元 计", D("9.35")))
    assert leaf.trace[0] == "执行数填写为 523400，没有写单位：按万元计，执行数是全年预算数 56 万元的约 9346 倍；也可能是以元计的 523400元（52.34 万元）"
    assert "52.34 / 56 × 100% ≈ 93.46%" in leaf.trace[2] and leaf.trace[2].endswith("得分 9.346 按保留 2 位小数（四舍五入）计 9.35 分")
    assert (evaluation.total, evaluation.grade, evaluation.ungraded) == (D(90), None, "待核实")
    # The one questioned figure names the readings of the total too.
    assert evaluation.readings == (("按 523400万元 计", D(100)), ("按 523400元 计", D("99.35")))
    assert evaluation_dict(evaluation)["readings"] == [{"reading": "按 523400万元 计", "total": "100"}, {"reading": "按 523400元 计", "total": "99.35"}]
    # Written with its unit, the figure is what it says: scored 10, flagged, not questioned.
    typed = score(registry, form(ROWS, executed='"523400万元"', budget="56"))
    assert typed.leaf("预算执行率").score == D(10) and not [f for f in typed.flags if f.kind == "questioned"]
    assert "多半是单位填错" in next(f.message for f in typed.flags if f.kind == "over_budget")


def test_execution_summed_from_bare_sources_is_questioned_too(registry) -> None:  # type: ignore[no-untyped-def]
    sources = '[[budget.sources]]\nname = "财政资金"\n"全年预算数" = 50\n"执行数" = 450000\n[[budget.sources]]\nname = "其他资金"\n"全年预算数" = 6\n"执行数" = 73400\n'
    text = f'framework = "{NATIONAL}"\n[budget]\n{sources}\n' + ROWS
    # 450000 + 73400 = 523400 against 56: the same two readings as above.
    assert score(registry, text).leaf("预算执行率").status == "questioned"
    # One source written bare is questioned just the same: 450000 as 元 is 45 万元, and with the
    # other's 73400元 = 7.34 万元 the 执行数 is 52.34 万元 → 93.46% → 9.35 分; as 万元, 10 分.
    one_bare = score(registry, text.replace('"执行数" = 73400', '"执行数" = "73400元"'))
    leaf = one_bare.leaf("预算执行率")
    assert (leaf.status, leaf.readings) == ("questioned", (("按 450000万元 计", D(10)), ("按 450000元 计", D("9.35"))))
    assert leaf.trace[0].startswith("财政资金的执行数填写为 450000，没有写单位")
    assert "（财政资金的执行数 450000 元 = 45 万元）" in next(f.message for f in one_bare.flags if f.kind == "over_budget")
    # Both written with their unit: what they say, scored.
    written = text.replace('"执行数" = 73400', '"执行数" = "73400元"').replace('"执行数" = 450000', '"执行数" = "450000元"')
    assert score(registry, written).leaf("预算执行率").status == "scored"


def test_a_unit_questioned_on_a_percent_and_on_a_unit_is_told_to_write_both(registry) -> None:  # type: ignore[no-untyped-def]
    # 0.96 against ≥95%: as 0.96% it completes 0.96 / 95 → 1.01% of 50 points, as 96% it reaches the
    # target (50); 523400 as 万元 or 元, as above. Each kind is named with its own example.
    rows = row('["产出指标", "数量指标", "覆盖率"]', "≥95%", "0.96", 50) + REST
    evaluation = score(registry, form(rows, executed="523400", budget="56"))
    assert {leaf.status for leaf in evaluation.leaves() if leaf.readings} == {"questioned"}
    line = question_line(evaluation)
    assert line is not None and line.startswith("2 项指标待核实（百分数可能写成了没有 % 的小数；所填的数可能用错了单位）")
    assert line.endswith('请核实后在数据中写明 % 和单位，如 "96%"、"523400元"')
    # Alone, each kind says only its own.
    assert question_line(score(registry, form(ROWS, executed="523400", budget="56"))).endswith('写明单位，如 "523400元"')  # type: ignore[union-attr]
    assert question_line(score(registry, form(rows, executed="56", budget="56"))).endswith('写明 %，如 "96%"')  # type: ignore[union-attr]


def test_execution_10000_times_the_budget_scores_alike_and_names_the_slip(registry) -> None:  # type: ignore[no-untyped-def]
    # 560000 万元 → 1000000% → 10 分; 560000 元 = 56 万元 → 100% → 10 分: the readings agree.
    evaluation = score(registry, form(ROWS, executed="560000", budget="56"))
    assert evaluation.leaf("预算执行率").score == D(10) and evaluation.grade == "优"
    assert [f.message for f in evaluation.flags if f.kind == "over_budget"] == [
        "执行数 560000 万元超过全年预算数 56 万元（执行率 1000000%），是全年预算数的 10000 倍：多半是单位填错，"
        "如把以元计的数填成了万元（560000 元 = 56 万元）；请核对"
    ]


# ---------------------------------------------------------------------------------------------
# Data checks compare one kind of quantity
# ---------------------------------------------------------------------------------------------

CHECKED = framework_text(
    """
[[input]]
id = "预算数"
type = "money"
unit = "万元"

[[input]]
id = "人数"
type = "count"
unit = "人"

[[indicator]]
path = ["投入", "预算数得分"]
weight = 2
formula = "预算数"
unit = "万元"
[indicator.rule]
kind = "proportional"
target = 1
"""
)


def check(body: str) -> str:
    return 'framework = "test.unit.2024"\n[inputs]\n"预算数" = 2\n"人数" = 3\n[facts]\n"接待费" = "5000元"\n"比例" = "50%"\n[[checks]]\nname = "核对"\n' + body


@pytest.mark.parametrize(
    "body, key, says",
    [
        ('formula = "预算数 + 人数"\nstated = 5\n', "formula", "把金额（预算数，万元）与人数（人数，人）相加"),
        ('formula = "预算数 - 接待费"\nstated = "3人"\n', "stated", "“3人”的单位“人”与公式不符：公式“预算数 - 接待费”算出的是金额（万元）"),
        ('formula = "预算数"\nstated = 5\nunit = "人"\n', "unit", "核对项的单位“人”与公式不符"),
        ('formula = "max(预算数, 人数)"\nstated = 5\n', "formula", "放在一起取 max"),
        ('formula = "预算数 if 人数 > 预算数 else 0"\nstated = 5\n', "formula", "相比较"),
        ('formula = "预算数 * 比例 / 100 + 人数"\nstated = 5\n', "formula", "相加"),
    ],
)
def test_a_check_mixing_kinds_of_quantity_is_refused_where_written(body: str, key: str, says: str) -> None:
    with pytest.raises(DataError) as caught:
        loads_data(check(body), load(CHECKED))
    assert caught.value.location.key == f"checks[1].{key}" and says in caught.value.message, caught.value.message


@pytest.mark.parametrize(
    "body, message",
    [
        # 0.5万元 + 2万元 = 2.5万元, the bare stated 2.6 read in the formula's unit.
        ('formula = "接待费 + 预算数"\nstated = 2.6\n', "文件所写核对为 2.6万元，按 0.5万元 + 2万元 计算为 2.5万元"),
        # A direct comparison: 2万元 against the stated 3万元.
        ('formula = "预算数"\nstated = "3万元"\n', "文件所写核对为 3万元，而预算数为 2万元"),
        # A ratio of two sums of money is a pure number, comparable with a stated percentage: 0.5 / 2 × 100 = 25.
        ('formula = "接待费 / 预算数 * 100"\nstated = "20%"\n', "文件所写核对为 20%，按 0.5万元 / 2万元 × 100 计算为 25%"),
        # Money scaled by a percentage stays money: 2万元 × 50% / 100 = 1万元.
        ('formula = "预算数 * 比例 / 100"\nstated = "1.5万元"\n', "文件所写核对为 1.5万元，按 2万元 × 50% / 100 计算为 1万元"),
    ],
)
def test_a_check_that_disagrees_shows_both_figures_with_their_unit(body: str, message: str) -> None:
    framework = load(CHECKED)
    evaluation = evaluate(framework, loads_data(check(body), framework))
    assert [f.message for f in evaluation.flags if f.kind == "stated_mismatch"] == [message]


def test_the_kind_of_an_expression() -> None:
    units = {"a": "万元", "b": "元", "n": "人", "p": "%", "x": None}
    family = {text: expression_family(compile_expression(text, units), units) for text in ("a + b", "a / b * 100", "a * p / 100", "a / n", "a * n", "x * a", "-a", "round(a, 2)", "a > b")}
    assert family == {"a + b": "money", "a / b * 100": None, "a * p / 100": "money", "a / n": None, "a * n": None, "x * a": "money", "-a": "money", "round(a, 2)": "money", "a > b": None}
    with pytest.raises(DimensionMismatch, match="相减"):
        expression_family(compile_expression("a - n", units), units)


# ---------------------------------------------------------------------------------------------
# Percent inputs: the fraction policies; domains named in full
# ---------------------------------------------------------------------------------------------


def rate_framework(fractions: str) -> str:
    return framework_text(
        f"""
[[input]]
id = "变动率"
type = "percent"
min = -100
max = 200
fractions = "{fractions}"

[[indicator]]
path = ["产出", "变动"]
weight = 2
formula = "变动率"
unit = "%"
[indicator.rule]
kind = "sign"
positive = 0
zero = 1
negative = 2
"""
    )


def test_the_scale_policy_says_how_it_read_a_number_and_how_to_write_one() -> None:
    framework = load(rate_framework("scale"))
    with pytest.raises(DataError) as caught:
        loads_data('framework = "test.unit.2024"\n[inputs]\n"变动率" = 90\n', framework)
    # Under "scale" a bare 90 is 90 × 100% = 9000%: the message says so, and that 90% is 0.9 or "90%".
    assert caught.value.message == '输入“变动率”按小数填写，90 即 9000%：不能大于 200%，现在是 9000%（应为 -100–200 的数（%））；若是 90%，请写 0.9 或 "90%"'
    assert caught.value.hint is not None and "0.035 即 3.5%" in caught.value.hint
    # The hint's own examples read as it says: 0.035 is 3.5%, and so is "3.5%".
    for typed in ("0.035", '"3.5%"'):
        assert loads_data(f'framework = "test.unit.2024"\n[inputs]\n"变动率" = {typed}\n', framework).inputs["变动率"] == D("3.5")


def test_the_literal_policy_reads_a_fraction_as_typed() -> None:
    framework = load(rate_framework("literal"))
    data = loads_data('framework = "test.unit.2024"\n[inputs]\n"变动率" = 0.9\n', framework)
    assert data.inputs["变动率"] == D("0.9") and not data.questions


def test_a_crossed_bound_names_the_whole_domain_and_a_negative_says_it_is_one() -> None:
    counts = Domain(D(0), D(100000), integer=True, declared=True)
    assert counts.problem(D(200000), "人") == "不能大于 100000人，现在是 200000人（应为 0–100000 的整数（人））"
    assert counts.problem(D(-1), "人") == "不能为负数：-1人（框架未声明此项可为负数）"
    assert counts.problem(D("1.5"), "人") == "应为整数，现在是 1.5人"
    assert counts.contains(D(37)) and not counts.contains(D("37.5")) and not counts.contains(D(-1))


# ---------------------------------------------------------------------------------------------
# Excel's percentage formats
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number_format, value, factor",
    [
        ("0%", 0.9, 100),  # shows 90%
        ("0.00%", 0.9, 100),
        ('0.00"%"', 90, 1),  # shows 90.00%: the % is text
        ("0\\%", 90, 1),
        ('0.00"％"', 90, 1),
        ("0.00％", 90, 1),
        ("[Red]0.0%", 0.9, 100),
        ("0;0%", 90, None),  # positive numbers take the first section, which shows no %
        ("0;0%", -5, 100),
        ("0_%", 90, None),  # _% is a space as wide as %, no % shown
        ("General", 90, None),
        ("0.00", 90, None),
        ("0%", True, None),
    ],
)
def test_how_a_number_format_shows_a_percentage(number_format: str, value: float, factor: int | None) -> None:
    assert percent_shown(number_format, value) == (None if factor is None else D(factor))


def test_rounding_is_explained_at_any_declared_places() -> None:
    assert Rounding(places=3).explain(D("1.23456"), D("1.235")) == "得分 1.23456 按保留 3 位小数（四舍五入）计 1.235 分"


@pytest.mark.parametrize(
    ("target", "actual", "scored"),
    [
        # Every value of the range reaches the target: 50 points whatever the figure.
        ("≥95%", "≥98%", True),
        ("≥95%", "98%以上", True),
        ("≤300元", "≤280元", True),
        # The figure left out decides: 98% against ≥99% is 98.99% of the target, 100% is all of it.
        ("≥99%", "≥98%", False),
        # The range runs the wrong way: "≤98%" may be 96% (met) or 50% (far from it).
        ("≥95%", "≤98%", False),
        # A cost over its target by an unknown amount: 300 / 320 or less.
        ("≤300元", "≥320元", False),
    ],
)
def test_an_actual_written_as_a_range_scores_only_where_every_value_in_it_scores_alike(registry, target: str, actual: str, scored: bool) -> None:  # type: ignore[no-untyped-def]
    evaluation = score(registry, form(row('["产出指标", "数量指标", "指标"]', target, actual, 50) + REST))
    leaf = evaluation.leaf("产出指标/数量指标/指标")
    assert [f.kind for f in evaluation.flags if f.path == leaf.path].count("actual_bound") == 1
    if scored:
        assert (leaf.status, leaf.score) == ("scored", D(50))
    else:
        # Not counted: left to the evaluator's judgment, unscored until given, and no grade.
        assert (leaf.status, leaf.score) == ("missing", None) and evaluation.grade is None


@pytest.mark.parametrize(("text", "written"), [("1 000万元", "1000万元"), ("12 345", "12345"), ("-1 000", "-1000")])
def test_digits_parted_by_a_space_are_refused_saying_how_to_write_them(text: str, written: str) -> None:
    with pytest.raises(NumberTextError) as caught:
        parse_quantity(text)
    assert str(caught.value) == f"数字“{text}”中间有空格：如果是千位分隔，请去掉空格（写作 {written}）"
