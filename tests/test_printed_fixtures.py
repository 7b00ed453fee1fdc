"""The frameworks of seed 003 exactly as printed are rejected by the checker, with the defects
listed in shared/seeds/README.md, each with a counterexample where one exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalcore import load_framework
from evalcore.checker import Finding, check_framework

from .test_cli import run

PRINTED = Path(__file__).parent / "fixtures" / "printed"


@pytest.fixture(scope="module")
def dept() -> list[Finding]:
    return check_framework(load_framework(PRINTED / "hecheng-dept-2020.toml"))


@pytest.fixture(scope="module")
def project() -> list[Finding]:
    return check_framework(load_framework(PRINTED / "hecheng-project-2020.toml"))


def one(findings: list[Finding], code: str, name: str) -> Finding:
    found = [f for f in findings if f.code == code and f.path and name in f.path[-1]]
    assert len(found) >= 1, [(f.code, f.path, f.message) for f in findings]
    return found[0]


def test_three_public_expenses_change_rate_can_award_5_of_2(dept: list[Finding]) -> None:
    finding = one(dept, "range", "变动率")
    assert finding.severity == "error" and "5 分" in finding.message and "2 分" in finding.message
    # Equal spending in both years: a change of 0%, for which the printed rule gives 5 points.
    assert finding.counterexample and "= 0%" in finding.counterexample and "得 5 分" in finding.counterexample


@pytest.mark.parametrize("name", ["实际完成率", "质量达标率"])
def test_completion_and_quality_rates_deduct_for_exceeding_100_percent(dept: list[Finding], name: str) -> None:
    finding = one(dept, "direction", name)
    # 102% is two whole points over: "每超过1%扣1分" leaves 5 − 2 = 3.
    assert finding.counterexample and "102%" in finding.counterexample and "得 3 分" in finding.counterexample


def test_key_spending_rate_leaves_exactly_50_percent_undefined(dept: list[Finding]) -> None:
    finding = one(dept, "bands-gap", "重点支出安排率")
    assert finding.severity == "error" and "50%" in finding.message
    assert finding.counterexample and "重点支出安排率 = 50%" in finding.counterexample


def test_timeliness_can_never_award_more_than_5_of_10(project: list[Finding]) -> None:
    finding = one(project, "full-unreachable", "完成及时性")
    assert finding.severity == "error" and "10 分" in finding.message and "5 分" in finding.message


def test_budget_benefit_10_holds_20_plus_10(project: list[Finding]) -> None:
    finding = one(project, "weights", "预算支出效益")
    assert "声明分值 10" in finding.message and "合计 30" in finding.message and "实施效益 20" in finding.message


def test_project_leaves_add_up_to_97_not_100(project: list[Finding]) -> None:
    (finding,) = [f for f in project if f.code == "total"]
    assert "合计 97" in finding.message and "总分 100" in finding.message


def test_check_command_rejects_both_printed_versions() -> None:
    result = run("check", str(PRINTED / "hecheng-dept-2020.toml"), str(PRINTED / "hecheng-project-2020.toml"))
    assert result.returncode == 1
    assert "反例" in result.stdout and "printed.hunan.hecheng.project.2020" in result.stdout
