"""Odd data never silently changes a score: each case here once did, or once crashed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalcore import DataError, RulesetError, evaluate, get_registry, loads_data, loads_framework
from evalcore.model import compile_expression

from .conftest import EXAMPLES
from .helpers import framework_text, load, staff_framework
from .test_cli import run

D = Decimal
NATIONAL = get_registry().framework("national.project-targets.2020")


def form(rows: str, budget: str = '"全年预算数" = 10\n"执行数" = 10') -> Decimal | None:
    text = f'framework = "national.project-targets.2020"\n[budget]\n{budget}\n{rows}'
    return evaluate(NATIONAL, loads_data(text, NATIONAL)).total


def test_an_overspent_cost_range_is_not_full_marks() -> None:
    rows = '[[targets]]\npath = ["产出指标", "成本指标", "费用"]\ntarget = "8-10万元"\nactual = "30万元"\nweight = 50\n'
    evaluation = evaluate(NATIONAL, loads_data(f'framework = "national.project-targets.2020"\n[budget]\n"全年预算数" = 10\n"执行数" = 10\n{rows}', NATIONAL))
    leaf = evaluation.leaf("产出指标/成本指标/费用")
    # A cost range's upper bound is its limit: 50 × 10 / 30 = 16.67, not 50.
    assert leaf.score == D("16.67")


def test_the_declared_execution_divisor_is_used() -> None:
    # National forms divide by 全年预算数: 50 / 100 = 50% → 5 of 10, whatever 调整后预算数 says.
    text = 'framework = "national.project-targets.2020"\n[budget]\n"全年预算数" = 100\n"调整后预算数" = 50\n"执行数" = 50\n'
    text += '[[targets]]\npath = ["产出指标", "数量指标", "人数"]\ntarget = "≥10人"\nactual = "10人"\nweight = 50\n'
    leaf = evaluate(NATIONAL, loads_data(text, NATIONAL)).leaf("预算执行率")
    assert (leaf.value, leaf.score) == (D(50), D(5))


def test_a_blank_budget_source_leaves_the_total_unknown() -> None:
    sichuan = get_registry().framework("sichuan.project-targets.2023")
    text = 'framework = "sichuan.project-targets.2023"\n[budget]\n[[budget.sources]]\nname = "财政资金"\n"调整后预算数" = 60\n"执行数" = 60\n'
    text += '[[budget.sources]]\nname = "单位资金"\n"调整后预算数" = 40\n'
    text += '[[targets]]\npath = ["产出指标", "数量指标", "人数"]\ntarget = "10"\nunit = "人"\nactual = "10"\ndirection = "≥"\nweight = 90\n'
    leaf = evaluate(sichuan, loads_data(text, sichuan)).leaf("预算执行率")
    assert leaf.score is None and leaf.status == "missing"  # not 60 / 100 = 60%


def test_measured_values_keep_two_places_when_scores_are_whole() -> None:
    body = """
[[input]]
id = "满意人数"
type = "count"
unit = "人"

[[indicator]]
path = ["效果", "满意度"]
weight = 5
formula = "满意人数 / 1000 * 100"
unit = "%"
[indicator.rule]
kind = "bands"
bands = [{ at_least = 95, score = 5 }, { below = 95, score = 3 }]
"""
    framework = load(framework_text(body, total="5").replace("total = 5", "total = 5\nrounding = { places = 0 }\ngrades = [{ name = \"合格\", min = 0 }]"))
    leaf = evaluate(framework, loads_data('framework = "test.unit.2024"\n[inputs]\n"满意人数" = 946\n', framework)).leaf("满意度")
    assert (leaf.value, leaf.score) == (D("94.60"), D(3))  # 94.6% is not 95%


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e40"])
def test_non_finite_or_absurd_numbers_are_refused(value: str) -> None:
    framework = load(staff_framework())
    with pytest.raises(DataError, match="编制数"):
        loads_data(f'framework = "test.unit.2024"\n[inputs]\n"编制数" = {value}\n', framework)
    with pytest.raises(RulesetError, match="threshold"):
        loads_framework(staff_framework().replace("threshold = 100", f"threshold = {value}"))


def test_negative_amounts_need_a_declaration() -> None:
    money = """
[[input]]
id = "决算数"
type = "money"
unit = "万元"
{extra}
[[indicator]]
path = ["过程", "控制率"]
weight = 2
formula = "决算数 / 10 * 100"
unit = "%"
[indicator.rule]
kind = "deduct"
direction = "over"
threshold = 100
points = 1
count = "whole"
"""
    framework = load(framework_text(money.format(extra=""), total="2").replace("total = 2", 'total = 2\ngrades = [{ name = "合格", min = 0 }]'))
    with pytest.raises(DataError, match="不能为负数"):
        loads_data('framework = "test.unit.2024"\n[inputs]\n"决算数" = -77.98\n', framework)
    allowed = load(framework_text(money.format(extra="negative = true"), total="2").replace("total = 2", 'total = 2\ngrades = [{ name = "合格", min = 0 }]'))
    assert loads_data('framework = "test.unit.2024"\n[inputs]\n"决算数" = -1\n', allowed).inputs["决算数"] == D(-1)


def test_booleans_stay_decimal_and_text_never_enters_arithmetic() -> None:
    assert compile_expression("True + True", set()).evaluate({}) == D(2) and isinstance(compile_expression("True + True", set()).evaluate({}), Decimal)
    body = '\n[[input]]\nid = "说明"\ntype = "text"\n\n[[indicator]]\npath = ["x", "y"]\nweight = 2\n[indicator.rule]\nkind = "expression"\nexpr = "说明 * 2"\n'
    with pytest.raises(RulesetError, match="文字类输入不能参与计算"):
        loads_framework(framework_text(body))


def test_facts_cannot_take_reserved_names() -> None:
    framework = load(staff_framework())
    with pytest.raises(DataError, match="__k7"):
        loads_data('framework = "test.unit.2024"\n[facts]\n"__k7" = 1000\n', framework)


def test_target_rows_are_validated() -> None:
    row = '[[targets]]\npath = ["产出指标", "数量指标", "人数"]\ntarget = "≥10人"\nactual = "10人"\nweight = {w}\n'
    with pytest.raises(DataError, match="重复出现"):
        form(row.format(w=25) + row.format(w=25))
    with pytest.raises(DataError, match="不能为负数"):
        form(row.format(w=-5))
    text = 'framework = "national.project-targets.2020"\n[budget]\n"全年预算数" = 10\n"执行数" = 10\n' + row.format(w=500)
    evaluation = evaluate(NATIONAL, loads_data(text, NATIONAL))
    assert evaluation.grade is None and any(f.kind == "weight_mismatch" for f in evaluation.flags)


def test_batch_outputs_never_collide(tmp_path: Path) -> None:
    for folder in ("a", "c"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "unit.toml").write_bytes((EXAMPLES / "hunan" / "hecheng-dept-2020.toml").read_bytes())
    (tmp_path / "in" / "汇总.toml").write_bytes((EXAMPLES / "hunan" / "hecheng-dept-2020.toml").read_bytes())
    result = run("batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    # One unit entered three times (the summary warns of it): three files, none over another.
    unit = "怀化市鹤城区社会保险服务中心"
    assert written == sorted([f"{unit}.json", f"{unit}-2.json", f"{unit}-3.json", "汇总.json", "汇总.xlsx"])
    again = run("batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--format", "json", "--resume")
    assert again.returncode == 0 and "共 3 个单位" in again.stdout and "已保留 3 个已完成的文件" in again.stderr


def test_writing_to_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = run("run", str(EXAMPLES / "hunan" / "hecheng-dept-2020.toml"), "--format", "json", "-o", str(tmp_path))
    assert result.returncode == 2 and "输出路径是一个目录" in result.stderr and "Traceback" not in result.stderr


def test_a_mangled_checkpoint_key_in_a_workbook(tmp_path: Path) -> None:
    from .test_workbook import fill_like_the_example

    path = fill_like_the_example(tmp_path)
    book = load_workbook(path)
    for row in book["指标"].iter_rows(min_row=2):
        if str(row[0].value).endswith("#1"):
            row[0].value = "绩效目标合理性#abc"
            break
    book.save(path)
    result = run("run", str(path))
    assert result.returncode == 2 and "绩效目标合理性#abc" in result.stderr and "[指标!A" in result.stderr


def test_check_of_an_empty_directory(tmp_path: Path) -> None:
    result = run("check", str(tmp_path))
    assert result.returncode == 2 and "没有规则文件" in result.stderr
