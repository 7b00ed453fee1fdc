"""The percent question (待核实) asked the same way wherever a percent typed as a bare fraction is
read: an input of a ruleset, a row of a target form, a data check ([[checks]]) and a stated figure.
Never one reading taken silently; each reading traced with the units of its figures; one hint.

Frameworks: 桃江 dept 2021 (服务对象满意度: ≥95% 5 分, 80%–95% 3 分, <80% 0 分), 鹤城 dept 2020
(支付进度率 = 实际 / 既定 × 100, 100% 满分 3 分, 每低 5 个百分点扣 1 分), the national form and
米易 2021 (a form that gives no points, only how far each target was reached).
"""

from __future__ import annotations

import re
from pathlib import Path

from evalcore import Evaluation, evaluate, get_registry, loads_data

ROOT = Path(__file__).resolve().parents[1]


def _evaluate(text: str) -> Evaluation:
    framework_id = re.search(r'framework = "([^"]+)"', text)
    assert framework_id is not None
    framework = get_registry().framework(framework_id.group(1))
    return evaluate(framework, loads_data(text, framework))


def _messages(evaluation: Evaluation, kind: str) -> list[str]:
    return [flag.message for flag in evaluation.flags if flag.kind == kind]


TAOJIANG = 'framework = "hunan.taojiang.dept.2021"\nyear = 2021\n'
HECHENG = 'framework = "hunan.hecheng.dept.2020"\nyear = 2020\n'
NATIONAL_FORM = """framework = "national.project-targets.2020"
year = 2020

[budget]
"全年预算数" = 100
"执行数" = 100

[[targets]]
path = ["效益指标", "社会效益指标", "政策知晓率"]
target = "≥95%"
actual = "0.9"
weight = 90
"""

# The last trace line and the flag, whatever the figures: the same words for an input and a form row.
LAST_LINE = re.compile(r'^两种读法得分不同（[\d.]+ 分 / [\d.]+ 分），该指标待核实，暂不计分；请核实后在数据中写明 %，如 "[\d.]+%"（确为 [\d.]+% 时写 "[\d.]+%"）$')
FLAG = re.compile(r'^“[^”]+”(完成值)?填写为 [\d.]+，没有写 %：按 [\d.]+% 计 [\d.]+ 分；按 [\d.]+% 计 [\d.]+ 分；请核实后在数据中写明 %，如 "[\d.]+%"（确为 [\d.]+% 时写 "[\d.]+%"）$')


def test_an_input_and_a_form_row_ask_in_the_same_words() -> None:
    by_input = _evaluate(TAOJIANG + '[inputs]\n"满意度" = 0.9\n')
    by_row = _evaluate(NATIONAL_FORM)
    for evaluation, key in ((by_input, "服务对象满意度"), (by_row, "政策知晓率")):
        leaf = evaluation.leaf(key)
        assert leaf.status == "questioned"
        assert LAST_LINE.match(leaf.trace[-1]), leaf.trace[-1]
        (message,) = _messages(evaluation, "questioned")
        assert FLAG.match(message), message
    # The hint names the reading as a percentage first: "90%" for 0.9.
    assert by_input.leaf("服务对象满意度").trace[-1].endswith('如 "90%"（确为 0.9% 时写 "0.9%"）')
    assert by_row.leaf("政策知晓率").trace[-1].endswith('如 "90%"（确为 0.9% 时写 "0.9%"）')


def test_a_form_row_reads_its_points_as_the_framework_rounds_them() -> None:
    # 0.9% of ≥95% completes 0.95%: 90 × 0.95% = 0.855 → 0.86 分 (two places); 90% completes 94.74%:
    # 90 × 94.74% = 85.266 → 85.27 分. The readings are the points the indicator would get.
    leaf = _evaluate(NATIONAL_FORM).leaf("政策知晓率")
    assert [(label, str(points)) for label, points in leaf.readings] == [("按 0.9% 计", "0.86"), ("按 90% 计", "85.27")]


def test_each_reading_shows_the_units_of_its_figures() -> None:
    # 支付进度率 = 实际 / 既定 × 100 with 实际 typed 0.95 and 既定 "100%": both readings say which
    # percentage 实际 was taken as, the second as well as the first.
    leaf = _evaluate(HECHENG + '[inputs]\n"实际支付进度" = 0.95\n"既定支付进度" = "100%"\n').leaf("支付进度率")
    typed, scaled = leaf.trace[1], leaf.trace[2]
    assert typed.startswith("按 0.95% 计：") and "= 0.95% / 100% × 100 = 0.95%" in typed, typed
    assert scaled.startswith("按 95% 计：") and "= 95% / 100% × 100 = 95%" in scaled, scaled


def test_a_check_reading_a_questioned_input_is_questioned_with_both_readings() -> None:
    # 满意度 typed 0.9, the report states 90%: compared on the typed reading it would be flagged as a
    # mismatch (0.9% against 90%); read as a fraction it agrees. Neither is assumed.
    evaluation = _evaluate(TAOJIANG + '[inputs]\n"满意度" = 0.9\n\n[[checks]]\nname = "满意度核对"\nformula = "满意度"\nstated = "90%"\n')
    assert not [flag for flag in evaluation.flags if flag.kind == "stated_mismatch"]
    (message,) = [flag.message for flag in evaluation.flags if flag.kind == "questioned" and flag.path == ("数据核对", "满意度核对")]
    assert "文件所写为 90%" in message
    assert "按 0.9% 计为 0.9%（与之不符）" in message and "按 90% 计为 90%（与之一致）" in message
    assert message.endswith('请核实后在数据中写明 %，如 "90%"（确为 0.9% 时写 "0.9%"）')


def test_a_check_whose_readings_compute_alike_is_compared_as_usual() -> None:
    # The check reads 满意度 but comes out 0 either way: nothing to ask, and 0 agrees with 0.
    evaluation = _evaluate(TAOJIANG + '[inputs]\n"满意度" = 0.9\n\n[[checks]]\nname = "核对"\nformula = "满意度 * 0"\nstated = 0\n')
    assert [flag for flag in evaluation.flags if flag.path == ("数据核对", "核对")] == []
    mismatch = _evaluate(TAOJIANG + '[inputs]\n"满意度" = 0.9\n\n[[checks]]\nname = "核对"\nformula = "满意度 * 0"\nstated = 1\n')
    assert [flag.kind for flag in mismatch.flags if flag.path == ("数据核对", "核对")] == ["stated_mismatch"]


def test_a_stated_figure_is_not_compared_on_one_reading() -> None:
    # 满意度 0.5: 0.5% and 50% are both below 80%, 0 分 either way, so the indicator stands as typed;
    # but the stated 50 agrees only with the second reading: asked, not flagged as a mismatch.
    evaluation = _evaluate(TAOJIANG + '[inputs]\n"满意度" = 0.5\n\n[indicators."服务对象满意度"]\nstated = 50\n')
    leaf = evaluation.leaf("服务对象满意度")
    assert leaf.status == "scored" and leaf.score == 0
    assert _messages(evaluation, "stated_mismatch") == []
    (message,) = _messages(evaluation, "questioned")
    assert "按 0.5% 计为 0.5%（与之不符）" in message and "按 50% 计为 50%（与之一致）" in message


def test_a_form_without_points_asks_when_the_completion_differs() -> None:
    # 米易 2021 gives no points: 0 分 under either reading, yet 0.96 against ≥95% completes 1.01% as
    # typed and 100% as 96%; the completion is what the form shows, so it is asked.
    text = """framework = "sichuan.miyi.project-targets.2021"
year = 2021

[budget]
"全年预算数" = "5万元"
"执行数" = "5万元"

[[targets]]
path = ["满意度指标", "服务对象满意度指标", "参保群众满意度"]
target = "≥95%"
actual = "0.96"
"""
    evaluation = _evaluate(text)
    leaf = evaluation.leaf("参保群众满意度")
    assert leaf.status == "questioned" and leaf.value is None
    assert leaf.trace[-1].startswith("两种读法的完成程度不同（完成 1.01% / 完成 100%），该指标待核实")
    assert evaluation.readings == () and evaluation.grade_text == "不评定（本表不计分）"


def test_every_output_takes_its_status_words_from_the_model() -> None:
    from evalcore.model import STATUSES
    from evalcore.outputs._table import MODE_STYLES

    assert set(MODE_STYLES) == set(STATUSES)
    # No output keeps a copy of the status words: a status added to the model reaches every output.
    # A status word is a few characters ("评定", "缺数据"); advice on a finding of the same name is not one.
    copies = re.compile(r'"(scored|judgment|missing|questioned|not-applicable)"\s*:\s*"[\u4e00-\u9fff（）]{1,8}"')
    sources = [path for path in (*(ROOT / "src" / "evalcore").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")) if "build" not in path.parts]
    # A table of them is two or more statuses given words in one file; one key that happens to be
    # called "scored" (是否计分, a setting's name) is not one.
    found = []
    for path in sources:
        if path.name == "_results.py":
            continue
        words = {match.group(1) for match in copies.finditer(path.read_text(encoding="utf-8"))}
        if len(words) >= 2:
            found.append(f"{path.relative_to(ROOT)}: {sorted(words)}")
    assert found == []
