"""城步 2023 (seed 001): no scoring table, so no invented score; its report's own figures checked."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from evalcore import evaluate, get_registry, load_data

from .conftest import EXAMPLES
from .test_cli import run

CHENGBU = EXAMPLES / "hunan" / "chengbu-dept-2023.toml"


@pytest.fixture(scope="module")
def evaluation():  # type: ignore[no-untyped-def]
    framework = get_registry().framework("hunan.taojiang.dept.2021")
    return evaluate(framework, load_data(CHENGBU, framework))


def test_three_public_expenses_in_two_units_convert_exactly(evaluation) -> None:  # type: ignore[no-untyped-def]
    assert evaluation.data.inputs["本年三公经费"] == Decimal("0.0515")  # 515元 = 0.0515万元, exactly
    (flag,) = [f for f in evaluation.flags if f.kind == "unit_converted"]
    assert "515元" in flag.message and "0.0515万元" in flag.message
    # 0.0515 / 0.5 = 10.3% ≤ 100%: the borrowed framework's 三公经费控制率 gives its full 1 point.
    leaf = evaluation.leaf("三公经费控制率")
    assert (leaf.value, leaf.score) == (Decimal("10.3"), Decimal(1))


def test_the_reports_own_contradictions_are_flagged(evaluation) -> None:  # type: ignore[no-untyped-def]
    stated = {f.path[-1]: f.message for f in evaluation.flags if f.kind == "stated_mismatch"}
    # 20 在编 + 8 临聘 = 28, while the report also says 在职 22.
    assert "在职人员数" in stated and "22人" in stated["在职人员数"] and "28人" in stated["在职人员数"]
    # 2128 / 2171 = 98.0193…% → 98.02%, stated 96.90%.
    assert "虚账记实比例" in stated and "96.90%" in stated["虚账记实比例"] and "98.02%" in stated["虚账记实比例"]
    # The report's other figures agree: 461.96 − 271.4408 = 190.5192 万元; 17.18 / 17.31 = 99.25%.
    assert set(stated) == {"在职人员数", "虚账记实比例"}


def test_no_score_is_claimed(evaluation) -> None:  # type: ignore[no-untyped-def]
    assert not evaluation.complete and evaluation.grade is None
    assert evaluation.self_total is None and evaluation.stated_self_total is None  # the report's 96 is not used
    # Named as the officer knows the table, by its title, not by an identifier of the tool.
    assert [f.message for f in evaluation.flags if f.kind == "year_mismatch"] == ["数据年度为 2023 年，《桃江县2021年度部门整体支出绩效评价指标及评分表》适用于 2021 年"]
    scored = sorted(leaf.indicator.id for leaf in evaluation.leaves() if leaf.score is not None)
    assert scored == ["三公经费控制率", "在职人员控制率"]  # 20 / 30 = 66.67% ≤ 100% → 1


def test_the_report_is_generated_from_its_facts(tmp_path: Path) -> None:
    out = tmp_path / "自评报告.docx"
    result = run("run", str(CHENGBU), "--format", "docx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "城步苗族自治县社会养老保险服务中心" in text
    assert "实有编制人数20人，临聘人员8人" in text
    # The report's contradictions are findings of the 问题清单, never the report's own words.
    assert "98.02%" not in text and "合 28 人" not in text and "在职也只有22人" not in text
    assert "96分" not in text.replace(" ", "")
