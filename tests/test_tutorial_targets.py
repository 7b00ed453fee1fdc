"""docs/plugin-guide.md §15 (教程二：绩效目标自评表插件) is followed literally, in a temporary
directory and a fresh virtual environment, with the machinery of tests/test_plugin_guide.py: every
file the tutorial shows is written, every command is run, its exit code and first output line are
compared with the tutorial's."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from evalcore import check_framework, evaluate, load_data, load_framework

from .test_plugin_guide import TARGETS_TUTORIAL, Command, FileStep, follow, guide_steps


def steps() -> list[Command | FileStep]:
    return guide_steps(start=TARGETS_TUTORIAL, stop=None)


def test_the_tutorial_is_well_formed() -> None:
    found = steps()
    commands = [s for s in found if isinstance(s, Command)]
    files = {s.path for s in found if isinstance(s, FileStep)}
    assert commands[0].argv[:4] == ["evalcore", "new-plugin", "jiangchuan", "--kind"] and "targets" in commands[0].argv
    assert files == {"src/evalcore_jiangchuan/rulesets/jiangchuan.toml", "examples/example.toml", "tests/cases/example.toml"}
    names = [c.argv[:2] for c in commands]
    for wanted in (["pip", "install"], ["evalcore", "frameworks"], ["evalcore", "check"], ["evalcore", "run"], ["evalcore", "test"], ["python", "-m"]):
        assert wanted in names, f"the tutorial has no {' '.join(wanted)} step"
    # The first check of the draft fails (exit 1) and the corrected file passes --strict.
    checks = [c for c in commands if c.argv[:2] == ["evalcore", "check"]]
    assert [c.exit_code for c in checks] == [1, 0, 0] and all("--strict" in c.argv for c in checks)


def test_the_tutorial_files_score_as_worked_by_hand(tmp_path: Path) -> None:
    """The tutorial's final framework and example, without installing anything: the scores its
    comments work out by hand from the printed 填表说明."""
    written: dict[str, str] = {}
    for step in steps():
        if isinstance(step, FileStep):
            written[step.path] = step.text
    for path, text in written.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    framework = load_framework(tmp_path / "src/evalcore_jiangchuan/rulesets/jiangchuan.toml")
    assert [f.message for f in check_framework(framework) if f.severity != "info"] == []
    evaluation = evaluate(framework, load_data(tmp_path / "examples/example.toml", framework))
    D = Decimal
    scores = {leaf.indicator.id: leaf.score for leaf in evaluation.leaves()}
    assert scores == {
        "预算执行率": D("13.5"),  # 15 × 72 / 80 = 15 × 90% = 13.5
        "产出指标/数量指标": D("18.33"),  # 20/3 × (100% + 75% + 100%) = 20 × 275 / 300 = 18.333… → 18.33
        "产出指标/质量指标/培训合格率": D(10),  # 93% ≥ 90%
        "产出指标/时效指标/完成时间": D(10),  # 期限, evaluated 达成 10
        "费用控制指标/培训费用/人均培训费用": D("8.89"),  # "400元" read as ≤: 10 × 400 / 450 = 8.888… → 8.89
        "效益指标": D("23.75"),  # 25 × (63/70 = 90% + 100%) / 2 = 25 × 95%
        "满意度指标/服务对象满意度指标/参训农户满意度": D(10),  # 96% ≥ 90%
    }
    # 13.5 + 18.33 + 10 + 10 + 8.89 + 23.75 + 10 = 94.47; data of 2025 on a form in force from 2024: quiet
    assert evaluation.total == D("94.47") and evaluation.grade == "优"
    assert not [f for f in evaluation.flags if f.kind == "year_mismatch"]


@pytest.mark.slow
def test_following_the_target_form_tutorial_builds_a_working_plugin(tmp_path: Path) -> None:
    follow(steps(), tmp_path)
