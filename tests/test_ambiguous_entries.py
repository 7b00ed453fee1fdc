"""Values an officer types that could mean two things are asked about, never read one way silently."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evalcore import DataError, evaluate, loads_data

from .conftest import EXAMPLES

HEAD = 'framework = "hunan.hecheng.dept.2020"\nunit = "测试单位"\n'


def checkpoints(registry, answers: str):  # type: ignore[no-untyped-def]
    framework = registry.framework("hunan.hecheng.dept.2020")
    text = HEAD + f'[indicators."绩效目标合理性"]\ncheckpoints = {answers}\n'
    return evaluate(framework, loads_data(text, framework)).leaf("绩效目标合理性")


@pytest.mark.parametrize("answers", ["[1, true, true]", '["1", true, true]', "[1.0, true, true]"])
def test_a_checkpoint_typed_1_where_it_is_worth_2_is_asked(registry, answers: str) -> None:  # type: ignore[no-untyped-def]
    # 绩效目标合理性: three points of 2 分 each (鹤城 附件1). 1 may be 是 (2 分) or a partial 1 分.
    with pytest.raises(DataError) as caught:
        checkpoints(registry, answers)
    message = str(caught.value)
    assert "第 1 个评价要点填写为" in message and "可能是“是”（满足，得 2 分），也可能是部分得分 1 分" in message
    assert 'indicators.绩效目标合理性.checkpoints' in message and '部分得分写 "1分"' in message


def test_a_checkpoint_written_unambiguously_scores_as_written(registry) -> None:  # type: ignore[no-untyped-def]
    # 是 → 2, a partial "1分" → 1, 否/0 → 0: 2 + 1 + 0 = 3 of 6.
    leaf = checkpoints(registry, '["是", "1分", 0]')
    assert (leaf.status, leaf.score) == ("scored", Decimal(3))
    # 1.5 can only be a partial score: 1.5 + 2 + 2 = 5.5 of 6.
    assert checkpoints(registry, '[1.5, "是", true]').score == Decimal("5.5")


def staff(registry, stated: str):  # type: ignore[no-untyped-def]
    # 鹤城 在职人员控制率 = 在职人员数 / 编制数 × 100: 37 / 37 = 100%.
    framework = registry.framework("hunan.hecheng.dept.2020")
    text = HEAD + f'[inputs]\n"编制数" = 37\n"在职人员数" = 37\n[indicators."在职人员控制率"]\nstated = {stated}\n'
    evaluation = evaluate(framework, loads_data(text, framework))
    return [flag.message for flag in evaluation.flags if flag.kind == "stated_mismatch"]


@pytest.mark.parametrize("stated", ["1", '"1"', "1.0", '"100%"', "100"])
def test_a_stated_rate_typed_as_a_fraction_that_agrees_as_a_percentage_is_no_mismatch(registry, stated: str) -> None:  # type: ignore[no-untyped-def]
    assert staff(registry, stated) == []


def test_a_stated_fraction_that_agrees_under_neither_reading_names_both(registry) -> None:  # type: ignore[no-untyped-def]
    # 0.5 may be 0.5% or 50%; the computed 100% is neither.
    assert staff(registry, "0.5") == ["填报的在职人员控制率为 0.5（没有写 %），按 0.5% 或 50% 理解都与按数据计算的 100% 不符"]
    # Written with %, it means what it says.
    assert staff(registry, '"1%"') == ["填报的在职人员控制率为 1%，按数据计算为 100%"]


def test_a_check_and_a_form_rate_typed_as_fractions_are_read_both_ways(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework("hunan.taojiang.dept.2021")
    # 17.18 / 17.31 × 100 = 99.249…%: 0.9925 written for 99.25% agrees at the precision written.
    check = '[facts]\n"参保人数" = "17.18万人"\n"目标人数" = "17.31万人"\n[[checks]]\nname = "参保扩面完成率"\nformula = "参保人数 / 目标人数 * 100"\nunit = "%"\nstated = {}\n'
    for stated, agrees in (("0.9925", True), ('"99.25%"', True), ("0.95", False)):
        evaluation = evaluate(framework, loads_data('framework = "hunan.taojiang.dept.2021"\n' + check.format(stated), framework))
        found = [flag.message for flag in evaluation.flags if flag.kind == "stated_mismatch"]
        assert (found == []) is agrees, found
    national = registry.framework("national.project-targets.2020")
    form = (
        'framework = "national.project-targets.2020"\n[budget]\n"年初预算数" = 10\n"全年预算数" = 10\n"执行数" = 10\nstated_rate = {}\n'
        '[[targets]]\npath = ["产出指标", "数量指标", "人数"]\ntarget = "≥100人"\nactual = "100人"\nweight = 50\n'
    )
    # 10 / 10 = 100%: stated_rate 1 is 100% as a percentage; 0.9 is neither 0.9% nor 90%.
    for stated, agrees in (("1", True), ("0.9", False)):
        evaluation = evaluate(national, loads_data(form.format(stated), national))
        found = [flag.message for flag in evaluation.flags if flag.kind == "stated_mismatch"]
        assert (found == []) is agrees, found
        if not agrees:
            assert found[0].startswith("文件所写执行率为 0.9（没有写 %，按 0.9% 或 90% 理解都不符）")


@pytest.mark.parametrize(("target", "actual"), [("≥0.95", "50"), ("0.95", "50%")])
def test_a_target_fraction_in_a_percent_row_is_asked(registry, target: str, actual: str) -> None:  # type: ignore[no-untyped-def]
    # "≥0.95" in a row measured in %: 95% or 0.95%? Read as 0.95%, 50% would "reach" it for full marks.
    framework = registry.framework("sichuan.project-targets.2023")
    text = (EXAMPLES / "sichuan" / "synthetic-2023.toml").read_text(encoding="utf-8")
    changed = text.replace('target = "95"\nunit = "%"\nactual = "98"', f'target = "{target}"\nunit = "%"\nactual = "{actual}"')
    assert changed != text
    with pytest.raises(DataError) as caught:
        loads_data(changed, framework)
    assert f"指标值“{target}”没有写 %：可能是按小数写的 95%，也可能就是 0.95%" in str(caught.value)


def test_a_total_the_declared_grades_do_not_fit_gets_no_grade() -> None:
    from evalcore import loads_framework

    from .helpers import staff_framework

    # A 2-point table without its own grades: the national 优 ≥ 90 can never be reached, so the
    # default bands would call 2 of 2 points "差". No grade instead, saying why.
    framework = loads_framework(staff_framework())
    evaluation = evaluate(framework, loads_data('[inputs]\n"编制数" = 37\n"在职人员数" = 37\n', framework))
    assert evaluation.total == Decimal(2) and evaluation.complete
    assert (evaluation.grade, evaluation.ungraded) == (None, "等级标准与总分不符")


def test_rows_weighing_more_than_their_block_give_no_score_and_no_rank(registry, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from evalcore.batch import run_batch
    from evalcore.outputs import summary_lines

    # The 鹤城 系统维护 form, its 代发人数 row (0.63万人 within 0.6–0.7万人: full marks) raised from
    # 10 to 20 points: 产出 rows then weigh 60
    # against the form's 50, and every row met its target, so the sum is 100 + 10 = 110.
    text = (EXAMPLES / "hunan" / "hecheng-targets-2020-xitong.toml").read_text(encoding="utf-8")
    assert text.count("weight = 10\n") >= 1
    raised = text.replace('actual = "0.63万人"\nweight = 10', 'actual = "0.63万人"\nweight = 20', 1)
    assert raised != text
    framework = registry.framework("national.project-targets.2020")
    evaluation = evaluate(framework, loads_data(raised, framework))
    assert evaluation.total == Decimal(110) and (evaluation.grade, evaluation.ungraded) == (None, "分值合计不符")
    assert summary_lines(evaluation)[0] == "计算总分：110 分（各项分值合计与本表满分 100 分不符，该总分不能使用）"
    # Raised and missed (0.3万人 of 0.6–0.7万人: 50% of 20 = 10): the sum is 100, and still no score.
    missed = raised.replace('actual = "0.63万人"', 'actual = "0.3万人"', 1)
    other = evaluate(framework, loads_data(missed, framework))
    assert other.total == Decimal(100) and other.ungraded == "分值合计不符"
    assert summary_lines(other)[0] == "计算总分：100 分（各项分值合计与本表满分 100 分不符，该总分不能使用）"
    # Beside a unit scored 100 of 100, it is not ranked first: it is not ranked.
    (tmp_path / "over.toml").write_text(raised, encoding="utf-8")
    (tmp_path / "right.toml").write_text(text, encoding="utf-8")
    ranks = {e.total: rank for e, rank in run_batch([tmp_path / "over.toml", tmp_path / "right.toml"], registry, None).ranks()}
    assert ranks[Decimal(110)] is None and ranks[max(t for t in ranks if t != Decimal(110))] == 1


def test_facts_are_checked_against_their_kind_and_a_bare_one_beside_a_scaled_one_is_asked(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework("hunan.taojiang.dept.2021")
    head = 'framework = "hunan.taojiang.dept.2021"\n'
    check = '[[checks]]\nname = "参保扩面完成率"\nformula = "参保人数 / 目标人数 * 100"\nunit = "%"\nstated = "99.25%"\n'
    # 171800 without a unit against 17.31万人: a ratio of the two is 9924.9% or 99.249%.
    with pytest.raises(DataError) as caught:
        loads_data(head + '[facts]\n"参保人数" = 171800\n"目标人数" = "17.31万人"\n' + check, framework)
    assert "事实“参保人数”没有写单位，而同一公式中的“目标人数”以万人计" in str(caught.value)
    # With its unit, it is compared: 171800 / 173100 = 99.249…% agrees with 99.25%.
    data = loads_data(head + '[facts]\n"参保人数" = "171800人"\n"目标人数" = "17.31万人"\n' + check, framework)
    assert not [f for f in evaluate(framework, data).flags if f.kind == "stated_mismatch"]
    for fact, says in (('"-17.18万人"', "以“万人”计的数不能为负数"), ('"2128.5人"', "以“人”计的数应为整数")):
        with pytest.raises(DataError) as caught:
            loads_data(head + f'[facts]\n"参保人数" = {fact}\n', framework)
        assert f"事实“参保人数”为 {fact.strip(chr(34))!r}：{says}" in str(caught.value)
