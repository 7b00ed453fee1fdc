"""Project target forms (项目支出绩效自评表) end to end: the shipped examples and the error cases.

Seeds: shared/seeds/003 (鹤城 附件4-2, two 预算支出绩效自评表) and shared/seeds/004 (米易 2021
单位决算, 附件1–3 特定目标类部门预算项目绩效目标自评, 预算绩效管理情况 lines 72–77). Every
expected number cites the seed line it comes from or is worked by hand in a comment.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from evalcore import DataError, Evaluation, FormatOptions, Framework, evaluate, get_registry, loads_data

from .conftest import EXAMPLES

D = Decimal
HECHENG = EXAMPLES / "hunan"
SICHUAN = EXAMPLES / "sichuan"
MIYI = "sichuan.miyi.project-targets.2021"
SICHUAN_2023 = "sichuan.project-targets.2023"


def run(registry, path: Path) -> Evaluation:  # type: ignore[no-untyped-def]
    from evalcore.load import read_data_file, unit_data

    file = read_data_file(path)
    framework = registry.framework(file.framework_id)
    return evaluate(framework, unit_data(file, framework))


def flags(evaluation: Evaluation, kind: str) -> list[str]:
    return ["/".join(f.path) + "：" + f.message for f in evaluation.flags if f.kind == kind]


# ---------------------------------------------------------------------------------------------
# 鹤城 附件4-2: two 预算支出绩效自评表, 100 each as the document says
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "hecheng-targets-2020-baogan.toml",  # seed 003 lines 680–912: 总分 100 / 100 (lines 908–910)
        "hecheng-targets-2020-xitong.toml",  # seed 003 lines 914–1183: 总分 100 / 100 (lines 1177–1179)
    ],
)
def test_hecheng_target_forms_total_100(registry, name: str) -> None:  # type: ignore[no-untyped-def]
    evaluation = run(registry, HECHENG / name)
    assert evaluation.complete
    assert evaluation.total == D(100) and evaluation.max == D(100)
    assert evaluation.self_total == D(100) and evaluation.stated_self_total == D(100)
    assert evaluation.grade == "优"
    assert flags(evaluation, "self_score_mismatch") == []
    assert flags(evaluation, "weight_mismatch") == []


def test_hecheng_xitong_rows(registry) -> None:  # type: ignore[no-untyped-def]
    evaluation = run(registry, HECHENG / "hecheng-targets-2020-xitong.toml")
    # 执行率 10 / 10 = 100% → 10 分 (lines 938–944)
    execution = evaluation.leaf("预算执行率")
    assert (execution.value, execution.score) == (D(100), D(10))
    # 代发人数 0.63万人 within 0.6--0.7万人 → 10 (lines 1005–1009)
    assert evaluation.leaf("产出指标/数量指标/代发人数").score == D(10)
    # 公用经费 10万元 ≤ 10万元 (成本指标, unsigned → ≤) → 10 (lines 1065–1072)
    assert evaluation.leaf("产出指标/成本指标/公用经费").score == D(10)
    # qualitative rows take the table's score as a 达成 judgment (lines 1025–1039, 1106–1151)
    for key, points in (("产出指标/质量指标/代发项目", 10), ("产出指标/质量指标/系统、软件", 10), ("效益指标/社会效益指标/代发项目", 15), ("效益指标/可持续影响指标/代发项目人员", 15)):
        leaf = evaluation.leaf(key)
        assert (leaf.status, leaf.score) == ("judgment", D(points)), key
    # 代发人员满意度: the actual is written "≥98%" (line 1171) — flagged, read as 98
    assert len(flags(evaluation, "actual_bound")) == 1


# ---------------------------------------------------------------------------------------------
# 米易 2021 附件1–3: no score columns — completion per row, execution rate, flags; no total
# ---------------------------------------------------------------------------------------------

GUANLI = SICHUAN / "miyi-targets-2021-guanli.toml"
COUNTY = SICHUAN / "miyi-targets-2021-kunnan-county.toml"
PROVINCE = SICHUAN / "miyi-targets-2021-kunnan-province.toml"


def test_miyi_framework_is_not_scored(registry) -> None:  # type: ignore[no-untyped-def]
    framework: Framework = registry.framework(MIYI)
    assert framework.kind == "project-targets"
    assert not framework.scored


@pytest.mark.parametrize(
    ("path", "rate"),
    [
        (GUANLI, D("92.8")),  # 附件1 lines 123–126: 4.64 / 5 = 0.928 → 92.8%
        (COUNTY, D(100)),  # 附件2 lines 259–262: 102.24 / 102.24
        (PROVINCE, D(100)),  # 附件3 lines 350–353: 11.38 / 11.38
    ],
)
def test_miyi_execution_rates_no_total_no_grade(registry, path: Path, rate: Decimal) -> None:  # type: ignore[no-untyped-def]
    evaluation = run(registry, path)
    execution = evaluation.leaf("预算执行率")
    assert execution.value == rate
    # nothing is scored: every weight and score is 0, no total, no grade
    assert all(leaf.weight == 0 and leaf.score in (None, D(0)) for leaf in evaluation.leaves())
    assert evaluation.max == 0 and evaluation.total == 0
    assert evaluation.grade is None
    md = registry.formatters["md"].render(evaluation, FormatOptions())
    assert isinstance(md, str)
    assert "本表不计分" in md and "计算总分：" not in md and "评价等级" not in md


def test_miyi_guanli_rows(registry) -> None:  # type: ignore[no-untyped-def]
    evaluation = run(registry, GUANLI)
    completion = {"/".join(leaf.path): leaf.value for leaf in evaluation.leaves() if leaf.path != ("预算执行率",)}
    assert completion == {
        # 全年会议2次 → 全年会议1次 (lines 159–160): 1 / 2 = 50%
        "项目完成指标/数量指标/召开城乡居民养老政策培训": D(50),
        # 印刷资料4万份 / 印刷资料4万份 (lines 166–167)
        "项目完成指标/数量指标/印刷宣传资料": D(100),
        # descriptions without a clean number: qualitative, listed without a ratio (lines 173–181)
        "项目完成指标/质量指标/提升工作服务水平": None,
        "项目完成指标/质量指标/保障基金安全": None,
        # periods 2021年 / 2021年1月-2021年12月 (lines 187–209)
        "项目完成指标/时效指标/召开城乡居民养老政策培训": None,
        "项目完成指标/时效指标/印制和发放宣传资料": None,
        "项目完成指标/时效指标/按工作进度及要求定期开展业务监管指导": None,
        "项目完成指标/时效指标/追回死亡冒领、重复领取待遇、服刑违规领取待遇": None,
        # 成本指标 2万元 → 1.6万元 (lines 215–216): 1.6 ≤ 2, met
        "项目完成指标/成本指标/宣传资料印刷费、会议费": D(100),
        # ≥95% → ≥95% (lines 222–223, 236–237): read as 95, met, flagged
        "项目效益/社会效益指标/提升养老保险政策知晓度": D(100),
        "项目效益/可持续影响指标/提高服务质量": None,
        "满意度指标/服务对象满意度指标/参保群众满意度": D(100),
    }
    training = evaluation.leaf("项目完成指标/数量指标/召开城乡居民养老政策培训")
    assert "全年会议2次" in (training.note or "") and "全年会议1次" in (training.note or "")
    assert "1 / 2 = 50%" in " ".join(training.trace)
    cost = evaluation.leaf("项目完成指标/成本指标/宣传资料印刷费、会议费")
    assert "1.6万元 ≤ 2万元，达到目标" in " ".join(cost.trace)
    assert len(flags(evaluation, "actual_bound")) == 2


def test_miyi_guanli_stated_rate_is_flagged(registry) -> None:  # type: ignore[no-untyped-def]
    evaluation = run(registry, GUANLI)
    stated = flags(evaluation, "stated_mismatch")
    # line 75: "完成预算的100%" against the form's 4.64 / 5 = 92.8%
    rate = [m for m in stated if m.startswith("预算执行率")]
    assert len(rate) == 1 and "100%" in rate[0] and "92.8%" in rate[0]
    # line 75 also says 全年预算数4.64万元; the form's 预算数 is 5 (line 124)
    budget = [m for m in stated if m.startswith("数据核对/全年预算数")]
    assert len(budget) == 1 and "4.64" in budget[0]


@pytest.mark.parametrize("path", [COUNTY, PROVINCE])
def test_miyi_kunnan_rows_all_met(registry, path: Path) -> None:  # type: ignore[no-untyped-def]
    evaluation = run(registry, path)
    # lines 76 / 77 say 完成预算的100%, which the form confirms: no stated-figure flag
    assert flags(evaluation, "stated_mismatch") == []
    values = {leaf.path[-1]: leaf.value for leaf in evaluation.leaves()}
    # 100% / 100% (参保率, 下达率), 100元 = 100元 (成本, "="), ≥95% → 95 (满意度): all met
    assert sorted(v for v in values.values() if v is not None) == [D(100)] * 5  # 4 rows + 执行率
    assert [k for k, v in values.items() if v is None] == ["代缴城乡居民基本养老保险个人缴费人数", "对困难群体的促进作用"]


def test_miyi_province_transfer_matches_execution(registry) -> None:  # type: ignore[no-untyped-def]
    # line 373: 已按时向市级拨付资金113800元 = 11.38万元, the 执行数 (line 352)
    evaluation = run(registry, PROVINCE)
    assert [f for f in evaluation.flags if f.path[:1] == ("数据核对",)] == []


# ---------------------------------------------------------------------------------------------
# 四川 2023 (synthetic example): scored as the rules give, worked by hand
# ---------------------------------------------------------------------------------------------

SYNTHETIC = SICHUAN / "synthetic-2023.toml"


def test_synthetic_2023_scores(registry) -> None:  # type: ignore[no-untyped-def]
    evaluation = run(registry, SYNTHETIC)
    scores = {"/".join(leaf.path): leaf.score for leaf in evaluation.leaves()}
    assert scores == {
        # 调整后预算数 150 + 0 + 30 + 20 = 200, 执行数 130 + 0 + 25 + 15 = 170 → 85% → 10 × 0.85
        "预算执行率": D("8.5"),
        # ≥500人次, 450 → 20 × 450 / 500 = 18
        "产出指标/数量指标/培训人次": D(18),
        # ≥95%, 98% → met
        "产出指标/质量指标/培训考核合格率": D(15),
        # period, judged 达成 10 (within 8–10)
        "产出指标/时效指标/培训完成时限": D(10),
        # ≤300元, 320元 → 10 × 300 / 320 = 9.375 → 9.38 (四舍五入)
        "产出指标/成本指标/人均培训成本": D("9.38"),
        # qualitative, judged 达成 14 (within 12–15)
        "效益指标/社会效益指标/参训人员业务能力": D(14),
        "效益指标/可持续影响指标/培训成果应用": D(10),
        # ≥90%, 93% → met
        "满意度指标/服务对象满意度指标/参训人员满意度": D(10),
    }
    # 8.5 + 18 + 15 + 10 + 9.38 + 14 + 10 + 10 = 94.88 → 优 (≥ 90)
    assert evaluation.total == D("94.88") and evaluation.max == D(100)
    assert evaluation.grade == "优"
    assert evaluation.leaf("预算执行率").value == D(85)
    # the reason for a rate below 90% is given: nothing to flag there; the rows weigh 90
    assert flags(evaluation, "reason_missing") == [] and flags(evaluation, "weight_mismatch") == []
    assert flags(evaluation, "self_score_mismatch") == []


SYNTHETIC_TEXT = SYNTHETIC.read_text(encoding="utf-8")


def test_2023_rate_below_90_without_reason_is_flagged(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(SICHUAN_2023)
    text = SYNTHETIC_TEXT.replace('reason = "两期培训合并为一期举办，场地与师资费用相应减少，结余资金按规定收回"\n', "")
    evaluation = evaluate(framework, loads_data(text, framework))
    missing = flags(evaluation, "reason_missing")
    assert len(missing) == 1 and "85%" in missing[0] and "90%" in missing[0]
    assert evaluation.leaf("预算执行率").score == D("8.5")  # the score itself does not change


def test_2023_given_total_that_disagrees_with_sources_is_flagged(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(SICHUAN_2023)
    # 总额 stated as 调整后 210 / 执行 170, while the sources add to 200 / 170
    text = SYNTHETIC_TEXT.replace("[budget]\n", '[budget]\n"调整后预算数" = "210万元"\n"执行数" = "170万元"\n', 1)
    evaluation = evaluate(framework, loads_data(text, framework))
    stated = flags(evaluation, "stated_mismatch")
    assert len(stated) == 1 and "210" in stated[0] and "200" in stated[0]
    # the given 总额 is what the form divides by: 170 / 210 = 80.952…% → 10 × 0.80952… = 8.10
    assert evaluation.leaf("预算执行率").score == D("8.10")


def test_2023_rows_must_weigh_90(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(SICHUAN_2023)
    text = SYNTHETIC_TEXT.replace("weight = 20\n", "weight = 25\n", 1)  # 培训人次 20 → 25: rows weigh 95
    evaluation = evaluate(framework, loads_data(text, framework))
    mismatch = flags(evaluation, "weight_mismatch")
    assert len(mismatch) == 1 and "95" in mismatch[0] and "90" in mismatch[0]


# ---------------------------------------------------------------------------------------------
# Error cases
# ---------------------------------------------------------------------------------------------


def test_unreadable_target_names_the_indicator(registry) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(SICHUAN_2023)
    text = SYNTHETIC_TEXT.replace('direction = "≥"\ntarget = "500"', 'target = "约两万人左右 3"', 1)
    with pytest.raises(DataError) as info:
        loads_data(text, framework)
    message = str(info.value)
    assert "培训人次" in message and "约两万人左右 3" in message and "无法识别指标值" in message


@pytest.mark.parametrize("framework_id", [MIYI, SICHUAN_2023])
def test_numeric_target_with_word_actual_is_flagged(registry, framework_id: str) -> None:  # type: ignore[no-untyped-def]
    framework = registry.framework(framework_id)
    first = "项目完成指标" if framework_id == MIYI else "产出指标"
    text = f"""
framework = "{framework_id}"
[budget]
"全年预算数" = "10万元"
"执行数" = "10万元"
[[targets]]
path = ["{first}", "质量指标", "资金在规定时间下达率"]
target = "100%"
actual = "完成"
{"weight = 90" if framework_id == SICHUAN_2023 else ""}
"""
    evaluation = evaluate(framework, loads_data(text, framework))
    found = flags(evaluation, "actual_not_numeric")
    assert len(found) == 1 and "100%" in found[0] and "完成" in found[0]
    leaf = evaluation.leaf(f"{first}/质量指标/资金在规定时间下达率")
    if framework.scored:
        # no number to compare and no judged score: the row is not scored, never 0 or full marks
        assert leaf.score is None and leaf.status == "missing" and not evaluation.complete


@pytest.mark.parametrize("framework_id", ["national.project-targets.2020", "sichuan.project-targets.2023", "sichuan.miyi.project-targets.2021"])
def test_a_target_form_gets_a_toml_template_that_reads_once_filled(tmp_path: Path, framework_id: str) -> None:
    from .golden_dump import cli

    refused = tmp_path / "表.xlsx"
    code, _out, err = cli("template", framework_id, "-o", str(refused))
    assert code == 2 and not refused.exists() and "暂无 Excel 模板" in err and "表.toml" in err
    target = tmp_path / "表.toml"
    code, _out, err = cli("template", framework_id, "-o", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert "[budget]" in text and text.count("[[targets]]") >= 3 and "[inputs]" not in text
    framework = get_registry().framework(framework_id)
    # A form printed without 分值 columns asks for no weights or self-scores; a scored one asks for both.
    assert framework.form is not None
    assert ("weight = " in text) == ("自评得分" in text) == framework.form.scored
    # Filled in the blanks it leaves (one row per block, 10 points each), it is read and scored.
    filled = text.replace('unit = ""', 'unit = "测试单位"').replace('project = ""', 'project = "测试项目"')
    filled = filled.replace('"年初预算数" = ""', '"年初预算数" = "50万元"').replace('"执行数" = ""', '"执行数" = "50万元"')
    filled = re.sub(r'"(全年预算数|调整后预算数)" = ""', r'"\1" = "50万元"', filled)
    filled = filled.replace('target = ""', 'target = "≥95%"').replace('actual = ""', 'actual = "96%"').replace("weight = 0 ", "weight = 10 ")
    target.write_text(filled, encoding="utf-8")
    code, out, err = cli("run", str(target), "--format", "json")
    assert code == 0, err
    evaluation = json.loads(out)
    assert evaluation["unit"] == "测试单位" and len(evaluation["indicators"]) >= 4
