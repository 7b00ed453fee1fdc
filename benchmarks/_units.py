"""The synthetic framework and units the benchmarks score (benchmarks/batch.py, benchmarks/evaluate.py).

A 30-indicator framework (deduct, bands, proportional, sign, expression, checklist and judgment
rules over 40 money inputs), its units as TOML text with distinct random values (cents drawn from
0.01 to 199.99, every seventh input typed with its unit "万元"), and the plain simpleeval baseline:
the same formulas and expression rules per unit, ASTs parsed once, no rules, rounding, traces or
checks.
"""

from __future__ import annotations

import ast
import random
import time
from decimal import Decimal

import simpleeval

__all__ = ["EXPRESSION", "N_INPUTS", "baseline", "baseline_sources", "framework_text", "unit_text", "unit_texts"]

EXPRESSION = "weight if value <= 100 else max(0, weight - ceil(value - 100) * 0.5)"
N_INPUTS = 40


def framework_text() -> str:
    lines = [
        "[framework]",
        'id = "bench.synthetic.2024"',
        'title = "基准测试框架"',
        'region = "测试"',
        'kind = "dept"',
        "year = 2024",
        "total = 100",
    ]
    for i in range(N_INPUTS):
        lines += ["[[input]]", f'id = "输入{i}"', 'type = "money"', 'unit = "万元"']
    rules: list[str] = []
    for i in range(10):
        rules.append(f'formula = "输入{i} / 输入{i + 10} * 100"\nunit = "%"\n[indicator.rule]\nkind = "deduct"\ndirection = "over"\nthreshold = 100\npoints = 0.5\ncount = "whole"')
    for i in range(5):
        rules.append(f'formula = "输入{20 + i} / 输入{i} * 100"\nunit = "%"\n[indicator.rule]\nkind = "bands"\nbands = [{{ at_least = 95, score = 3 }}, {{ at_least = 80, below = 95, score = 2 }}, {{ below = 80, score = 0 }}]')
    for i in range(5):
        rules.append(f'formula = "输入{25 + i} / 输入{i + 5} * 100"\nunit = "%"\n[indicator.rule]\nkind = "proportional"')
    for i in range(3):
        rules.append(f'formula = "(输入{30 + i} - 输入{33 + i}) / 输入{33 + i} * 100"\nunit = "%"\n[indicator.rule]\nkind = "sign"\npositive = 0\nzero = 1.5\nnegative = 3')
    for i in range(4):
        rules.append(f'formula = "输入{36 + i} / 输入{i} * 100"\nunit = "%"\n[indicator.rule]\nkind = "expression"\nexpr = "{EXPRESSION}"')
    for _ in range(2):
        rules.append('[indicator.rule]\nkind = "checklist"\nmode = "award"\ncheckpoints = [{ text = "a", points = 1.5 }, { text = "b", points = 1.5 }]')
    rules.append('[indicator.rule]\nkind = "judgment"')
    weights = ["3"] * 29 + ["13"]
    for number, (rule, weight) in enumerate(zip(rules, weights)):
        lines += ["[[indicator]]", f'path = ["组{number % 4}", "指标{number}"]', f"weight = {weight}", rule]
    return "\n".join(lines) + "\n"


def unit_text(rng: random.Random) -> str:
    lines = ['framework = "bench.synthetic.2024"', f'unit = "单位{rng.randrange(10**6)}"', "[inputs]"]
    for i in range(N_INPUTS):
        value = Decimal(rng.randrange(1, 20000)) / 100
        lines.append(f'"输入{i}" = "{value}万元"' if i % 7 == 0 else f'"输入{i}" = {value}')
    lines += ['[indicators."指标27"]', "checkpoints = [true, false]", '[indicators."指标28"]', "checkpoints = [true, true]", '[indicators."指标29"]', "score = 10", 'reason = "测试"']
    return "\n".join(lines) + "\n"



def unit_texts(units: int, seed: int) -> list[str]:
    """`units` distinct units' data files as TOML text."""
    rng = random.Random(seed)
    return [unit_text(rng) for _ in range(units)]


def baseline_sources(formulas: list[str]) -> list[str]:
    """What the baseline evaluates per unit: the framework's formulas and its expression rules."""
    return formulas + [EXPRESSION] * 4


def baseline(units: list[dict[str, Decimal]], sources: list[str]) -> float:
    """Plain simpleeval: the same formulas and expressions per unit, ASTs parsed once; seconds."""
    parsed = [(source, ast.parse(source.replace("ceil", "ceil_").strip()).body[0]) for source in sources]
    evaluator = simpleeval.SimpleEval(functions={"max": max, "min": min, "ceil_": lambda x: x.to_integral_value(rounding="ROUND_CEILING")})
    start = time.process_time()
    for names in units:
        evaluator.names = dict(names, weight=Decimal(3), value=Decimal(95))
        for source, tree in parsed:
            try:
                evaluator.eval(source, previously_parsed=tree)
            except ArithmeticError:
                pass
    return time.process_time() - start
