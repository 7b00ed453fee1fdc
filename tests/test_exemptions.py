"""Printed exemptions (可不扣分): the framework declares where one is allowed, the unit claims it
with a reason in its data file, and the trace, the outputs, the report and the 问题清单 show it.

The rule is 桃江县 附件5 成本节约率 (seed 000, line 1006): "成本节约率=[（计划成本—实际成本）/计划成本]
×100%。大于0计10分，等于0计9分，小于0计0—5分。(因市场因素或不可抗力影响导致成本超出计划的可不扣分）".
Every expected score below is worked from that text by hand.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from evalcore import DataError, Evaluation, evaluate, get_registry, load_data, loads_data
from evalcore.checker import check_framework
from evalcore.outputs import evaluation_dict, json_schema
from evalcore.outputs._issues import issue_rows, issues_workbook
from evalcore.testing import assert_sound

from .golden_dump import cli

D = Decimal
PROJECT = "hunan.taojiang.project.2021"
PRINTED = "因市场因素或不可抗力影响导致成本超出计划的可不扣分"
REASON = "原材料市场价格上涨，按评分标准市场因素可不扣分"
SEED = Path("/work/shared/seeds/000_1c76e0b3a7360773.txt")


def _text(actual: str = "104", claim: str | None = REASON, entry: str = "") -> str:
    text = f'framework = "{PROJECT}"\nunit = "示例单位"\n[inputs]\n"计划成本" = 100\n"实际成本" = {actual}\n'
    if entry:
        text += f'[indicators."成本节约率"]\n{entry}\n'
    if claim is not None:
        text += f'[exemptions]\n"成本节约率" = "{claim}"\n'
    return text


def _evaluate(text: str) -> Evaluation:
    framework = get_registry().framework(PROJECT)
    return evaluate(framework, loads_data(text, framework))


def test_the_taojiang_framework_declares_the_printed_exemption() -> None:
    framework = get_registry().framework(PROJECT)
    declared = {leaf.name: leaf.exemption for leaf in framework.leaves() if leaf.exemption}
    assert declared == {"成本节约率": PRINTED}
    if SEED.exists():  # the words are the document's own
        assert PRINTED in SEED.read_text(encoding="utf-8")


def test_an_overrun_claimed_as_exempt_scores_full_points() -> None:
    # (100 − 104) / 100 × 100 = −4% < 0: "小于0计0—5分", a judgment; exempted: not deducted, 10 分.
    evaluation = _evaluate(_text())
    leaf = evaluation.leaf("成本节约率")
    assert (leaf.score, leaf.status, leaf.value, leaf.exemption) == (D(10), "scored", D(-4), REASON)
    assert leaf.trace[-1] == f"豁免：{REASON}（评分标准规定“{PRINTED}”）；不扣分，计满分 10 分"
    (flag,) = [f for f in evaluation.flags if f.kind == "exemption"]
    assert REASON in flag.message and "按评分标准尚待评定" in flag.message and flag.path[-1] == "成本节约率"


def test_without_the_claim_the_printed_rule_applies() -> None:
    leaf = _evaluate(_text(claim=None)).leaf("成本节约率")
    assert (leaf.score, leaf.status, leaf.exemption) == (None, "missing", None)  # a judgment 0–5 not yet entered
    leaf = _evaluate(_text(claim=None, entry='score = 3\nreason = "超支 4%"')).leaf("成本节约率")
    assert (leaf.score, leaf.status) == (D(3), "judgment")


def test_the_flag_says_what_the_printed_rule_would_have_given() -> None:
    # Judged 3 of the 0–5 under "小于0"; exempted: 10, and the flag keeps the 3 for the reviewer.
    evaluation = _evaluate(_text(entry='score = 3\nreason = "超支 4%"'))
    assert evaluation.leaf("成本节约率").score == D(10)
    (flag,) = [f for f in evaluation.flags if f.kind == "exemption"]
    assert "按评分标准应得 3 分" in flag.message
    # A saving, (100 − 90) / 100 = 10% > 0, already earns the full 10: the claim changes nothing.
    evaluation = _evaluate(_text(actual="90"))
    assert evaluation.leaf("成本节约率").score == D(10)
    assert "按评分标准已得满分" in next(f.message for f in evaluation.flags if f.kind == "exemption")


def test_an_exemption_never_stands_in_for_missing_data() -> None:
    text = f'framework = "{PROJECT}"\n[exemptions]\n"成本节约率" = "{REASON}"\n'
    evaluation = _evaluate(text)
    leaf = evaluation.leaf("成本节约率")
    assert (leaf.score, leaf.status, leaf.exemption) == (None, "missing", None)
    assert "豁免未采用" in leaf.trace[-1]
    assert any(f.kind == "exemption" and "豁免未采用" in f.message for f in evaluation.flags)


def test_quick_and_full_scoring_agree_on_an_exempted_indicator() -> None:
    framework = get_registry().framework(PROJECT)
    data = {"framework": PROJECT, "inputs": {"计划成本": "100", "实际成本": "104"}, "exemptions": {"成本节约率": REASON}}
    assert assert_sound(framework, data).leaf("成本节约率").score == D(10)  # type: ignore[arg-type]


def test_a_claim_where_the_framework_allows_none_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "数据.toml"
    path.write_text(_text().replace('"成本节约率" = "原材料', '"计划完成率" = "原材料'), encoding="utf-8")
    framework = get_registry().framework(PROJECT)
    with pytest.raises(DataError) as caught:
        load_data(path, framework)
    message = str(caught.value)
    assert "数据.toml:7" in message and "exemptions.计划完成率" in message
    assert "没有规定可不扣分的情形" in message and f"“成本节约率”（{PRINTED}）" in message
    # A framework that prints no exemption says so.
    hecheng = get_registry().framework("hunan.hecheng.dept.2020")
    with pytest.raises(DataError, match="本框架的评分标准没有规定任何可不扣分的情形"):
        loads_data('framework = "hunan.hecheng.dept.2020"\n[exemptions]\n"在职人员控制率" = "编制调整"\n', hecheng)


@pytest.mark.parametrize("claim", ["", "  "])
def test_a_claim_without_a_reason_is_an_error(claim: str) -> None:
    framework = get_registry().framework(PROJECT)
    with pytest.raises(DataError, match="申请豁免必须写明理由") as caught:
        loads_data(_text(claim=claim), framework)
    assert "exemptions.成本节约率" in str(caught.value)


def test_an_unknown_indicator_is_named_with_a_suggestion() -> None:
    framework = get_registry().framework(PROJECT)
    with pytest.raises(DataError, match="找不到指标“成本节约”") as caught:
        loads_data(_text().replace('"成本节约率" = "原材料', '"成本节约" = "原材料'), framework)
    assert "成本节约率" in str(caught.value)


def test_an_empty_declaration_is_a_ruleset_error(tmp_path: Path) -> None:
    from evalcore import RulesetError

    from .helpers import load, staff_framework

    text = staff_framework().replace("[indicator.rule]", 'exemption = ""\n[indicator.rule]', 1)
    with pytest.raises(RulesetError, match="exemption 不能为空"):
        load(text)


def test_the_outputs_show_it(tmp_path: Path) -> None:
    evaluation = _evaluate(_text())
    document = evaluation_dict(evaluation)
    jsonschema.validate(json.loads(json.dumps(document)), json_schema("run"))
    (item,) = [i for i in document["indicators"] if i["id"] == "成本节约率"]
    assert item["exemption"] == REASON and item["score"] == "10" and item["trace"][-1].startswith(f"豁免：{REASON}")
    assert all(i["exemption"] is None for i in document["indicators"] if i["id"] != "成本节约率")
    data = tmp_path / "数据.toml"
    data.write_text(_text(), encoding="utf-8")
    for form in ("table", "md"):
        code, out, _err = cli("run", str(data), "--format", form, "--width", "200")
        assert code == 0 and f"豁免：{REASON}" in out and "申请豁免" in out, out
    # The 问题清单: one row with the claim, the printed condition and what to check.
    (row,) = [row for row in issue_rows(evaluation) if row[0] == "申请豁免"]
    assert row[1] == "项目产出/成本节约率" and REASON in row[2] and PRINTED in row[2] and "可不扣分情形" in row[3]
    sheet = load_workbook(io.BytesIO(issues_workbook(evaluation)))["问题清单"]
    assert any(REASON in str(cell) for line in sheet.iter_rows(values_only=True) for cell in line)


def test_the_report_says_it_in_a_sentence() -> None:
    from evalcore_hunan._prose import category_paragraph, leaf_names

    evaluation = _evaluate(_text())
    names = leaf_names(evaluation)
    output = next(child for child in evaluation.children if child.group.name == "产出")  # type: ignore[union-attr]
    paragraph = category_paragraph(evaluation, output, names)
    assert f"成本节约率为-4%，评分标准规定“{PRINTED}”，本单位申请豁免，理由是{REASON}，该项不扣分，得10分" in paragraph


def test_check_and_show_list_where_the_framework_allows_one() -> None:
    framework = get_registry().framework(PROJECT)
    (finding,) = [f for f in check_framework(framework) if f.code == "exemption"]
    assert finding.severity == "info" and finding.path[-1] == "成本节约率" and PRINTED in finding.message and finding.line
    code, out, _err = cli("check", PROJECT)
    assert code == 0 and "可不扣分的情形" in out
    code, out, _err = cli("show", PROJECT, "--width", "200")
    assert code == 0 and f"可不扣分的情形：{PRINTED}" in out


def test_the_toml_template_offers_the_claim() -> None:
    from evalcore.workbook import template_toml

    framework = get_registry().framework(PROJECT)
    text = template_toml(framework)
    assert f'[exemptions]\n# "成本节约率" = ""   # {PRINTED}\n' in text
    # Filled in as the comment says: the line uncommented with a reason, and the costs.
    filled = text.replace('# "成本节约率" = ""', f'"成本节约率" = "{REASON}"').replace('# "计划成本" = \n', '"计划成本" = 100\n').replace('# "实际成本" = \n', '"实际成本" = 104\n')
    assert _evaluate(filled).leaf("成本节约率").score == D(10)
    # A framework that prints no exemption offers none.
    assert "[exemptions]" not in template_toml(get_registry().framework("hunan.hecheng.dept.2020"))
