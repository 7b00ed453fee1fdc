"""The Hunan 自评报告 (docx) as a unit files it, read back with python-docx.

The outline is the seed reports': 部门整体支出 after 城步 (seed 001) and 鹤城 附件3 (seed 003),
项目支出 after 鹤城 附件5-1. The figures are worked by hand from the examples' data (鹤城 附件2:
编制 37, 在职 31 → 31 / 37 = 83.78%; “三公经费” 1.17 against 2.47 last year → −52.63% and against
a budget of 2 → 58.5%; 公用经费 77.98 / 86.63 = 90.02%; 附件1 weights 投入 20、过程 40、产出 20、效果 20,
self 98, 公用经费控制率 self 2 where the rule gives 3 → 99, 优). What the report must never hold:
the tool's name, a framework id, a file name, the data file's keys, or a finding about the data.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Mm

import evalcore
from evalcore import Evaluation, FormatOptions, Formatter, Registry, hookimpl
from evalcore.cli._common import evaluate_file
from evalcore.model import PluginError
from evalcore_hunan._report import build_report

from .conftest import EXAMPLES, ROOT
from .test_hunan_formatters import FOUR_LEVEL, FOUR_LEVEL_DATA, four_level_evaluation, render, run_cli

HUNAN = EXAMPLES / "hunan"
HECHENG = HUNAN / "hecheng-dept-2020.toml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# 城步 (seed 001) and 鹤城 附件3 (seed 003): 一、部门（单位）基本情况 … 九、其他需要说明的情况.
DEPT_HEADINGS = [
    (1, "一、部门（单位）基本情况"),
    (2, "（一）机构设置情况"),
    (2, "（二）人员编制情况"),
    (2, "（三）主要职能职责"),
    (2, "（四）绩效目标设定情况"),
    (1, "二、部门整体支出管理及使用情况"),
    (2, "（一）部门预决算情况"),
    (2, "（二）部门预算执行情况"),
    (1, "三、政府性基金预算支出情况"),
    (1, "四、国有资本经营预算支出情况"),
    (1, "五、社会保险基金预算支出情况"),
    (1, "六、部门整体支出绩效情况"),
    (2, "（一）综合评价结论"),
    (2, "（二）评价指标分析"),
    (1, "七、存在的问题及原因分析"),
    (1, "八、下一步改进措施"),
    (1, "九、其他需要说明的情况"),
]


def project_headings(categories: list[str]) -> list[tuple[int, str]]:
    """鹤城 附件5-1: 一、预算支出基本情况 … 七、其他需要说明的问题; 四 has one part per first-level indicator."""
    numerals = "一二三四五六"
    return [
        (1, "一、预算支出基本情况"),
        (2, "（一）预算支出概况"),
        (2, "（二）预算资金使用管理情况"),
        (2, "（三）预算支出绩效目标完成程度"),
        (1, "二、绩效评价工作情况"),
        (1, "三、预算支出主要绩效及评价结论"),
        (1, "四、绩效评价指标分析"),
        *((2, f"（{numerals[n]}）{title}") for n, title in enumerate(categories)),
        (1, "五、主要经验及做法、存在的问题及原因分析"),
        (2, "（一）主要经验及做法"),
        (2, "（二）存在的问题及原因分析"),
        (1, "六、有关建议"),
        (1, "七、其他需要说明的问题"),
    ]


HECHENG_CATEGORIES = ["预算支出决策情况", "预算执行过程情况", "预算支出产出情况", "预算支出效益情况"]  # 附件5-1 四（一）…（四）
TARGET_CATEGORIES = ["预算执行率", "产出指标完成情况", "效益指标完成情况", "满意度指标完成情况"]

# The sections without text, worked from each example's data: 鹤城 and 桃江 give 编制数/在职人员数
# (人员编制情况) and the “三公”经费 (部门预算执行情况) but no report text; 城步 wrote every section;
# the target forms give the budget (预算支出概况) and their rows (预算支出绩效目标完成程度).
DEPT_UNFILLED = [
    "一（一）机构设置情况",
    "一（三）主要职能职责",
    "一（四）绩效目标设定情况",
    "二（一）部门预决算情况",
    "三、政府性基金预算支出情况",
    "四、国有资本经营预算支出情况",
    "五、社会保险基金预算支出情况",
    "七、存在的问题及原因分析",
    "八、下一步改进措施",
    "九、其他需要说明的情况",
]
PROJECT_TAIL = ["二、绩效评价工作情况", "五（一）主要经验及做法", "五（二）存在的问题及原因分析", "六、有关建议", "七、其他需要说明的问题"]
PROJECT_UNFILLED = ["一（一）预算支出概况", "一（二）预算资金使用管理情况", "一（三）预算支出绩效目标完成程度", *PROJECT_TAIL]
TARGETS_UNFILLED = ["一（二）预算资金使用管理情况", *PROJECT_TAIL]
EXPECTED: dict[str, tuple[list[tuple[int, str]], list[str]]] = {
    "hecheng-dept-2020": (DEPT_HEADINGS, DEPT_UNFILLED),
    "taojiang-dept-2021": (DEPT_HEADINGS, DEPT_UNFILLED),
    "chengbu-dept-2023": (DEPT_HEADINGS, []),
    "hecheng-project-2020": (project_headings(HECHENG_CATEGORIES), PROJECT_UNFILLED),
    "taojiang-project-2021": (project_headings(["预算支出投入情况", "预算执行过程情况", "预算支出产出情况", "预算支出效果情况"]), PROJECT_UNFILLED),
    "hecheng-targets-2020-baogan": (project_headings(TARGET_CATEGORIES), TARGETS_UNFILLED),
    "hecheng-targets-2020-xitong": (project_headings(TARGET_CATEGORIES), TARGETS_UNFILLED),
}

# Words of the tool, its data files and its findings: none may appear in a filed report.
TOOL_WORDS = ("evalcore", "python-docx", "toml", "[report]", "score", "reason", "self", "framework", "hunan.", "national.", "计分依据", "需要关注", "自评分与计算不符", "填报数与计算不符", "未依据数据计分", "缺少输入", "计满分", "数据文件")


def report_of(name: str) -> tuple[Evaluation, DocxDocument, bytes]:
    evaluation = evaluate_file(HUNAN / f"{name}.toml", None)
    payload = render("docx", evaluation)
    return evaluation, docx.Document(io.BytesIO(payload)), payload


@pytest.fixture(scope="module")
def hecheng() -> DocxDocument:
    return report_of("hecheng-dept-2020")[1]


def headings(document: DocxDocument) -> list[tuple[int, str]]:
    return [(int(p.style.name[-1]), p.text) for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]


def section(document: DocxDocument, heading: str) -> list[str]:
    """The body paragraphs between `heading` and the next heading (or, for the last, the empty
    line before the attachments)."""
    out: list[str] = []
    inside = False
    for p in document.paragraphs:
        if p.style is not None and p.style.name.startswith("Heading") or (inside and not p.text):
            if inside:
                break
            inside = p.text == heading
        elif inside:
            out.append(p.text)
    return out


def placeholders(document: DocxDocument) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.startswith("【待填写")]


def all_xml(payload: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(payload)) as package:
        return "\n".join(package.read(name).decode("utf-8") for name in package.namelist() if name.endswith((".xml", ".rels")))


# -- the outline and what fills it ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_example_follows_the_seed_outline_and_names_what_is_left_to_write(name: str) -> None:
    evaluation, document, payload = report_of(name)
    wanted_headings, wanted_unfilled = EXPECTED[name]
    assert headings(document) == wanted_headings
    assert list(build_report(evaluation).unfilled) == wanted_unfilled
    # A placeholder stands exactly where the list says, right under its heading, and nowhere else.
    assert len(placeholders(document)) == len(wanted_unfilled)
    by_title = {text: i for i, (_, text) in enumerate(wanted_headings)}
    for ref in wanted_unfilled:
        title = ref if "、" in ref[:2] else ref[1:]
        assert section(document, title)[0].startswith("【待填写："), (name, ref)
        assert title in by_title
    unit = evaluation.data.unit
    assert unit and unit in document.paragraphs[0].text + "".join(p.text for p in document.paragraphs[-3:])
    text = all_xml(payload).lower()
    assert [word for word in TOOL_WORDS if word.lower() in text] == []
    assert Path(evaluation.data.path or "").stem.lower() not in text


def test_the_titles_name_the_unit_or_the_project() -> None:
    titles = {name: report_of(name)[1].paragraphs[0].text for name in ("hecheng-dept-2020", "hecheng-project-2020", "hecheng-targets-2020-baogan", "taojiang-project-2021")}
    assert titles == {
        "hecheng-dept-2020": "2020年度怀化市鹤城区社会保险服务中心部门整体支出绩效自评报告",
        # 鹤城 附件4-1 evaluates the unit's 2020 spending, named so in the data: not repeated, not “项目支出”
        "hecheng-project-2020": "2020年度预算支出（人社局包干工作经费及城乡居保工作经费56万元、养老保险系统维护及代发工作经费10万元）绩效自评报告",
        "hecheng-targets-2020-baogan": "2020年度人社局包干工作经费及城乡居保工作经费项目支出绩效自评报告",
        "taojiang-project-2021": "2021年度县财政对城乡居民养老保险基础养老金补助和缴费补助项目支出绩效自评报告",
    }


def test_the_conclusion_states_total_grade_and_each_first_level_indicator(hecheng: DocxDocument) -> None:
    conclusion = "".join(section(hecheng, "（一）综合评价结论"))
    assert "评价指标共28项，满分100分，评价得分99分，评价等级为“优”。" in conclusion
    assert "投入指标满分20分，得20分；过程指标满分40分，得39分；产出指标满分20分，得20分；效果指标满分20分，得20分。" in conclusion
    # The unit's own total (附件1: 98) differs from the computed 99: the report says so once, in the unit's voice.
    assert "单位原自评总分98分，按评分标准逐项核算为99分，差异见附件评分表。" in conclusion


def test_the_conclusion_names_the_units_own_total_only_when_it_differs() -> None:
    # 鹤城 附件4-1 (project): the unit's table totals 98, the published rules give 95.
    conclusion = "".join(section(report_of("hecheng-project-2020")[1], "三、预算支出主要绩效及评价结论"))
    assert "单位原自评总分98分，按评分标准逐项核算为95分，差异见附件评分表。" in conclusion
    # 桃江 (seed): the unit's figures are the computed ones, so no such sentence.
    for name in ("taojiang-dept-2021", "taojiang-project-2021"):
        evaluation, document, _ = report_of(name)
        conclusion = "".join(section(document, "（一）综合评价结论"))
        assert (evaluation.claimed_total in (None, evaluation.total)) == ("单位原自评总分" not in conclusion), name


def test_computed_indicators_become_sentences_and_lost_points_say_why(hecheng: DocxDocument) -> None:
    analysis = section(hecheng, "（二）评价指标分析")
    assert [p[:2] for p in analysis] == ["1.", "2.", "3.", "4."]
    assert analysis[0].startswith("1.投入指标满分20分，得20分。")
    assert "在职人员控制率为83.78%，低于100%的标准，得满分2分" in analysis[0]
    assert "“三公经费”变动率为-52.63%，低于0%的标准，得满分2分" in analysis[0]
    assert analysis[1].startswith("2.过程指标满分40分，得39分。")
    assert "公用经费控制率为90.02%，低于100%的标准，得满分3分" in analysis[1]
    assert "“三公经费”控制率为58.5%，低于100%的标准，得满分3分" in analysis[1]
    # 管理制度健全性 occurs under 预算管理 and 资产管理; the one that lost a point is named with its parent.
    assert "预算管理中的管理制度健全性评定得1分（满分2分），理由是附件2未提供评价要点逐项结果" in analysis[1]
    assert analysis[2] == "3.产出指标满分20分，得20分。各项指标均得满分。"


def test_a_deduction_is_worked_as_the_rule_says(tmp_path: Path) -> None:
    # 鹤城 附件1 在职人员控制率: “≤100%，计2分；每超过一个百分点扣0.5分”.
    data = tmp_path / "over.toml"
    data.write_text(HECHENG.read_text(encoding="utf-8").replace('"在职人员数" = 31', '"在职人员数" = 38'), encoding="utf-8")
    evaluation = evaluate_file(data, None)
    text = "".join(section(docx.Document(io.BytesIO(render("docx", evaluation))), "（二）评价指标分析"))
    # 38 / 37 = 102.70%: 2.70 points over, whole steps of 1 point → 2 steps × 0.5 = 1 point off.
    assert "在职人员控制率为102.7%，超过100%的标准2.7个百分点，扣1分，得1分" in text


def test_the_figures_of_the_data_fill_their_sections(hecheng: DocxDocument) -> None:
    assert section(hecheng, "（二）人员编制情况") == ["本单位核定编制37人，本年度实际在职人员31人。"]
    assert section(hecheng, "（二）部门预算执行情况") == ["2020年度“三公”经费预算数2万元，决算数1.17万元，上年度决算数2.47万元。公用经费预算数86.63万元，决算数77.98万元。"]


def test_a_target_form_states_its_budget_and_each_row_against_its_target() -> None:
    _, document, _ = report_of("hecheng-targets-2020-baogan")
    # 鹤城 附件4-2, first table: 年初预算数 56、全年预算数 56、全年执行数 56 (万元).
    assert section(document, "（一）预算支出概况") == ["本项目年初预算数56万元，全年预算数56万元，全年执行数56万元。"]
    assert section(document, "（三）预算支出绩效目标完成程度") == ["本项目设定年度绩效指标10项，各项指标的完成值均达到年度指标值。"]
    assert section(document, "（一）预算执行率") == ["预算执行率满分10分，得10分。全年预算数56万元，执行数56万元，预算执行率为100%，得满分10分。"]
    output = "".join(section(document, "（二）产出指标完成情况"))
    assert "企业养老发放人数指标值为1--1.2万人，完成值为1.1万人" in output and "服务时效指标值为2020年全年，完成值为2020年全年，得满分10分" in output


def test_an_incomplete_evaluation_names_what_is_not_scored_and_gives_no_grade() -> None:
    _, document, _ = report_of("taojiang-dept-2021")
    conclusion = "".join(section(document, "（一）综合评价结论"))
    # 桃江 附件2 leaves 投资评审执行率 and 重大开支是否经过评估论证 blank (lines 219 and 301 of seed 000).
    assert "其中投资评审执行率、资金管理（重大开支论证）2项指标暂未计分（缺数据）；已计分的44项指标合计得97分，评价等级不评定（缺数据）。" in conclusion
    assert "过程指标满分30分，已计分的指标得27分（2项未计分）" in conclusion


def test_a_four_level_framework_never_counts_a_missing_point_as_zero(tmp_path: Path) -> None:
    document = docx.Document(io.BytesIO(render("docx", four_level_evaluation(tmp_path))))
    assert headings(document) == DEPT_HEADINGS
    conclusion = "".join(section(document, "（一）综合评价结论"))
    assert "评价等级不评定（缺数据）" in conclusion and "已计分的3项指标合计得3分" in conclusion
    analysis = section(document, "（二）评价指标分析")[0]
    assert "绩效目标合理性（是否符合中长期规划）、“三公经费”变动率2项指标未计分（缺数据）" in analysis


def test_a_project_framework_uses_the_project_outline(tmp_path: Path) -> None:
    text = FOUR_LEVEL.replace('kind = "dept"', 'kind = "project"').replace("部门整体支出绩效评价指标及评分表", "项目支出绩效评价指标及评分表")
    framework = evalcore.loads_framework(text, name="project.toml")
    data = evalcore.loads_data(FOUR_LEVEL_DATA.replace('year = 2021', 'year = 2021\nproject = "城乡居民养老保险缴费补助"'), framework)
    document = docx.Document(io.BytesIO(render("docx", evalcore.evaluate(framework, data))))
    assert document.paragraphs[0].text == "2021年度城乡居民养老保险缴费补助项目支出绩效自评报告"
    assert headings(document) == project_headings(["预算支出投入情况"])


def test_the_units_text_fills_its_sections_and_nothing_it_wrote_is_lost(tmp_path: Path) -> None:
    data = tmp_path / "hecheng-report.toml"
    data.write_text(
        HECHENG.read_text(encoding="utf-8").replace('source = "鹤城区', 'date = "2021年4月30日"\nsource = "鹤城区')
        + """
[report]
"机构设置情况" = "隶属于区人力资源和社会保障局，是全额拨款的一类公益事业单位。\\n内设8个股室。"
"（二）人员编制情况" = "在编在岗人员共计31人。"
"有关建议" = ["加强新《预算法》学习培训。", "落实预算执行分析。"]
"存在的问题及原因分析" = "专项工作经费在年度决算中未做项目支出。"
"评价指标分析" = "本单位严格执行预算。"
"政府性基金预算支出情况" = "无政府性基金支出。"
"单位负责人" = "张三"
"附件" = ["部门整体支出绩效评价基础数据表", "部门整体支出绩效自评表"]
"工作亮点" = "按月足额发放养老金。"
""",
        encoding="utf-8",
    )
    out = tmp_path / "报告.docx"
    result = run_cli("run", data, "-o", out)
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(out))
    assert section(document, "（一）机构设置情况") == ["隶属于区人力资源和社会保障局，是全额拨款的一类公益事业单位。", "内设8个股室。"]
    # the unit's own words win over the figures of the data
    assert section(document, "（二）人员编制情况") == ["在编在岗人员共计31人。"]
    assert section(document, "八、下一步改进措施") == ["加强新《预算法》学习培训。", "落实预算执行分析。"]  # the project outline's key
    assert section(document, "七、存在的问题及原因分析") == ["专项工作经费在年度决算中未做项目支出。"]
    assert section(document, "（二）评价指标分析")[-1] == "本单位严格执行预算。"
    # a heading the outline does not have: its text is kept, under the last heading
    assert section(document, "九、其他需要说明的情况") == ["工作亮点：按月足额发放养老金。"]
    texts = [p.text for p in document.paragraphs]
    assert "附件：1.部门整体支出绩效评价基础数据表" in texts and "2.部门整体支出绩效自评表" in texts
    assert texts[-2:] == ["怀化市鹤城区社会保险服务中心", "2021年4月30日"]
    assert "一（一）机构设置情况" not in result.stderr and "九、" not in result.stderr and "四、国有资本经营预算支出情况" in result.stderr


def test_text_under_an_unknown_heading_fills_the_last_section() -> None:
    evaluation = evaluate_file(HECHENG, None)
    data = evaluation.data
    from attrs import evolve

    report = build_report(evolve(evaluation, data=evolve(data, report={"工作亮点": "按月足额发放养老金。"})))
    assert report.unfilled[-1] == "八、下一步改进措施"
    assert report.paragraphs[-1].text == "工作亮点：按月足额发放养老金。"


# -- the printed document ---------------------------------------------------------------------------


def test_placeholders_are_highlighted_and_nothing_else_is(hecheng: DocxDocument) -> None:
    for p in hecheng.paragraphs:
        marked = {run.font.highlight_color for run in p.runs if run.text}
        if p.text.startswith("【待填写："):
            assert marked == {WD_COLOR_INDEX.YELLOW}
        else:
            assert marked <= {None}


def test_page_type_and_numbers_follow_the_national_format(hecheng: DocxDocument) -> None:
    section_ = hecheng.sections[0]
    assert section_.orientation == 0
    assert abs(section_.page_width - Mm(210)) < Mm(0.1) and abs(section_.page_height - Mm(297)) < Mm(0.1)
    margins = [section_.top_margin, section_.bottom_margin, section_.left_margin, section_.right_margin]
    assert all(abs(got - Mm(want)) < Mm(0.1) for got, want in zip(margins, (37, 35, 28, 26)))
    assert not list(hecheng.element.body.iter(f"{W}numPr"))  # numbered as text, not by Word's lists
    # “— 1 —” at the outer edge: odd pages right, even pages left
    assert hecheng.settings.odd_and_even_pages_header_footer
    odd, even = section_.footer.paragraphs[0], section_.even_page_footer.paragraphs[0]
    for footer, align in ((odd, 2), (even, 0)):
        assert footer.alignment == align and footer.text == "—  —"
        assert footer._p.find(f"{W}fldSimple").get(f"{W}instr") == "PAGE"


def _east_asian(element: Any) -> str | None:
    fonts = element.find(f"{W}rPr/{W}rFonts")
    return None if fonts is None else fonts.get(f"{W}eastAsia")


def test_every_run_and_style_names_its_chinese_font_and_the_language_is_zh_cn(hecheng: DocxDocument) -> None:
    runs = list(hecheng.element.body.iter(f"{W}r"))
    for footer in (hecheng.sections[0].footer, hecheng.sections[0].even_page_footer):
        runs += list(footer._element.iter(f"{W}r"))
    assert len(runs) > 50 and [r for r in runs if not _east_asian(r)] == []
    by_style: dict[str, set[str | None]] = {}
    for p in hecheng.paragraphs:
        by_style.setdefault(p.style.name if p.style is not None else "", set()).update(_east_asian(r._element) for r in p.runs)
    assert by_style == {"Title": {"方正小标宋简体"}, "Heading 1": {"黑体"}, "Heading 2": {"楷体_GB2312"}, "Normal": {"仿宋_GB2312"}}
    for style, font, size in (("Normal", "仿宋_GB2312", 16), ("Heading 1", "黑体", 16), ("Heading 2", "楷体_GB2312", 16), ("Title", "方正小标宋简体", 22)):
        element = hecheng.styles[style].element
        fonts = element.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(f"{W}eastAsia") == font and fonts.get(f"{W}ascii") == font and fonts.get(f"{W}eastAsiaTheme") is None
        assert hecheng.styles[style].font.size.pt == size
        lang = element.find(f"{W}rPr/{W}lang")
        assert (lang.get(f"{W}val"), lang.get(f"{W}eastAsia")) == ("zh-CN", "zh-CN")
    defaults = hecheng.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert (defaults.get(f"{W}val"), defaults.get(f"{W}eastAsia")) == ("zh-CN", "zh-CN")
    theme = hecheng.settings.element.find(f"{W}themeFontLang")
    assert (theme.get(f"{W}val"), theme.get(f"{W}eastAsia")) == ("zh-CN", "zh-CN")
    assert hecheng.core_properties.language == "zh-CN"


def test_the_font_table_names_what_chinese_windows_has_in_place_of_each_font() -> None:
    payload = report_of("hecheng-dept-2020")[2]
    with zipfile.ZipFile(io.BytesIO(payload)) as package:
        table = package.read("word/fontTable.xml").decode("utf-8")
    for font, alternate in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
        assert re.search(rf'<w:font w:name="{font}"><w:altName w:val="{alternate}"/><w:charset w:val="86"/>', table), font
    assert '<w:font w:name="黑体"><w:charset w:val="86"/>' in table


def test_a_figure_is_one_latin_run_so_that_no_line_breaks_inside_it(hecheng: DocxDocument) -> None:
    figures = [r for p in hecheng.paragraphs for r in p.runs if r.text == "-52.63%"]
    assert len(figures) == 1
    lang = figures[0]._element.find(f"{W}rPr/{W}lang")
    assert lang is not None and lang.get(f"{W}val") == "en-US"


# -- evalcore run lists the sections left to write -------------------------------------------------


def test_run_lists_the_sections_left_to_write_and_strict_fails_on_them(tmp_path: Path) -> None:
    result = run_cli("run", HECHENG, "-o", tmp_path / "自评报告.docx")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[1] == "自评报告中有 10 处【待填写】（文中标黄），提交前请补写："
    assert [line.strip() for line in lines[2:12]] == DEPT_UNFILLED
    assert "Excel 基础数据表的“报告文字”页" in lines[12]
    # the score sheet leaves nothing to write
    sheet = run_cli("run", HECHENG, "-o", tmp_path / "评分表.xlsx")
    assert sheet.returncode == 0 and "待填写" not in sheet.stderr


def test_strict_fails_while_a_section_is_left_and_passes_once_all_are_written(tmp_path: Path) -> None:
    # 鹤城 附件4-2's first table with 参保人满意度 written as the figure reached (98%), not as a bound:
    # no finding is left, so only the report's unwritten sections can fail --strict.
    data = tmp_path / "baogan.toml"
    data.write_text((HUNAN / "hecheng-targets-2020-baogan.toml").read_text(encoding="utf-8").replace('actual = "≥98%"', 'actual = "98%"'), encoding="utf-8")
    assert run_cli("run", data, "--strict").returncode == 0  # the table on screen: nothing to write
    result = run_cli("run", data, "-o", tmp_path / "a.docx", "--strict")
    assert result.returncode == 1 and "自评报告中有 6 处【待填写】" in result.stderr
    written = "\n".join(f'"{title}" = "无。"' for title in ("预算资金使用管理情况", "绩效评价工作情况", "主要经验及做法", "存在的问题及原因分析", "有关建议", "其他需要说明的问题"))
    data.write_text(data.read_text(encoding="utf-8") + f"\n[report]\n{written}\n", encoding="utf-8")
    result = run_cli("run", data, "-o", tmp_path / "b.docx", "--strict")
    assert result.returncode == 0 and "待填写" not in result.stderr
    assert placeholders(docx.Document(str(tmp_path / "b.docx"))) == []


class _Faulty:
    @hookimpl
    def evalcore_formatters(self) -> list[Formatter]:
        def unfilled(evaluation: Evaluation) -> list[str]:
            raise KeyError("标题")

        return [Formatter("faulty-docx", "坏报告", lambda e, o: b"", binary=True, suffix=".docx", document="自评报告", unfilled=unfilled)]


def test_a_plugin_whose_list_fails_is_a_plugin_error_naming_it() -> None:
    registry = Registry.build(entry_points=False, extra=[("faulty-report", _Faulty())])
    formatter = registry.formatter("faulty-docx")
    assert formatter is not None
    with pytest.raises(PluginError) as info:
        registry.unfilled(formatter, evaluate_file(HECHENG, None))
    assert "插件 faulty-report 的输出格式“faulty-docx”出错：KeyError" in str(info.value)
    json_format = registry.formatter("json")
    assert json_format is not None and registry.unfilled(json_format, evaluate_file(HECHENG, None)) == ()
    assert isinstance(registry.render(json_format, evaluate_file(HECHENG, None), FormatOptions()), str)


@pytest.mark.parametrize(
    ("mode", "conclusion", "analysis"),
    [
        # 鹤城's rule: an indicator that does not apply scores full (3), so 99 stays 99.
        ("full", "评价得分99分，评价等级为“优”。", "政府采购执行率不适用，按评分办法得3分"),
        # left out: 96 of the 97 points that apply, × 100 = 98.97 → 98.97 (two places), still 优.
        ("redistribute", "政府采购执行率不适用，按评分办法将其余指标得分合计96分折算为98.97分。", "政府采购执行率不适用，不计分"),
    ],
)
def test_an_indicator_that_does_not_apply_is_stated_as_the_framework_scores_it(tmp_path: Path, mode: str, conclusion: str, analysis: str) -> None:
    rules = (ROOT / "rulesets" / "hunan" / "hecheng-dept-2020.toml").read_text(encoding="utf-8").replace('not_applicable = "full"', f'not_applicable = "{mode}"')
    framework = evalcore.loads_framework(rules, name="hecheng.toml")
    text = HECHENG.read_text(encoding="utf-8").replace(
        '[indicators."政府采购执行率"]\nself = 3\nscore = 3\nreason = "附件2“政府采购金额”一栏空白，采用单位自评分"',
        '[indicators."政府采购执行率"]\nnot_applicable = true\nreason = "本年度无政府采购"',
    )
    assert "本年度无政府采购" in text
    document = docx.Document(io.BytesIO(render("docx", evalcore.evaluate(framework, evalcore.loads_data(text, framework)))))
    assert conclusion in "".join(section(document, "（一）综合评价结论"))
    assert analysis in section(document, "（二）评价指标分析")[1]


def test_a_unit_or_project_name_longer_than_a_document_property_holds_is_written_whole_in_the_report() -> None:
    # Word's document properties hold 255 characters; the name in the report itself is never cut.
    registry = evalcore.get_registry()
    framework = registry.framework("hunan.hecheng.project.2020")
    text = (HUNAN / "hecheng-project-2020.toml").read_text(encoding="utf-8")
    long_unit, long_project = "怀化市" + "长" * 300 + "中心", "项目" + "名" * 260
    text = re.sub(r'(?m)^unit = ".*"$', f'unit = "{long_unit}"', text, count=1)
    text = re.sub(r'(?m)^project = ".*"$', f'project = "{long_project}"', text, count=1)
    evaluation = evalcore.evaluate(framework, evalcore.loads_data(text, framework))
    document = docx.Document(io.BytesIO(render("docx", evaluation)))
    assert len(document.core_properties.title) <= 255 and len(document.core_properties.author) <= 255
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert long_unit in body


def test_an_execution_figure_in_question_is_not_stated_as_fact_in_the_report() -> None:
    # 95000 typed bare against a budget of 10 万元: 95000 万元 (9500 times) or 95000 元 (9.5 万元).
    registry = evalcore.get_registry()
    framework = registry.framework("national.project-targets.2020")
    text = re.sub(r'"执行数" = "[^"]*"', '"执行数" = 95000', (HUNAN / "hecheng-targets-2020-xitong.toml").read_text(encoding="utf-8"), count=1)
    evaluation = evalcore.evaluate(framework, evalcore.loads_data(text, framework))
    assert evaluation.leaf("预算执行率").status == "questioned"
    body = "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(render("docx", evaluation))).paragraphs)
    assert "全年执行数的单位待核实" in body and "全年执行数95000万元" not in body
