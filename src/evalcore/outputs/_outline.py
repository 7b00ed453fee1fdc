"""The outline of a unit's self-evaluation report (自评报告), by framework kind: the headings in
order, what the unit writes under each, and the keys of the data's report text that fill them.

The outlines are those of the Hunan reports in the seed documents. 部门整体支出 follows the
province's nine-part outline as 城步 (seed 001) and 鹤城 (seed 003 附件3) file it: 一、部门（单位）
基本情况 … 九、其他需要说明的情况, with the subheadings 城步 uses. 项目支出 follows 鹤城's 附件5-1
(预算支出绩效评价报告（部门参考提纲）): 一、预算支出基本情况 … 七、其他需要说明的问题, whose 四、绩效评价
指标分析 has one part per first-level indicator (决策、过程、产出、效益 in 鹤城's framework).

A heading's key is its title without number; `aliases` are the keys earlier outlines used for the
same text, so that a data file written for them still fills the report. The data template's
报告文字 sheet lists `REPORT_HEADINGS[kind]`; a report writer numbers the headings itself
(一、 （一） 1.) and decides which it writes from the evaluation.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import frozen

__all__ = ["DEPT_OUTLINE", "PROJECT_OUTLINE", "REPORT_HEADINGS", "REPORT_TAIL", "SIGNATURE_KEYS", "Heading", "outline_for", "outline_keys"]


@frozen
class Heading:
    """A heading of the outline (without its number), what belongs under it in the unit's words
    (the 【待填写】 hint), other keys accepted for its text, and its subheadings.

    `by_category`: the report writer adds one subheading per first-level indicator of the framework.
    """

    title: str
    hint: str = ""
    aliases: tuple[str, ...] = ()
    parts: tuple[Heading, ...] = ()
    by_category: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)

    def walk(self) -> Iterator[Heading]:
        yield self
        for part in self.parts:
            yield from part.walk()


def _none(what: str) -> str:
    return f"本年度{what}的金额、用途和使用成效；没有此项支出的，写“本单位本年度无{what}。”"


DEPT_OUTLINE: tuple[Heading, ...] = (
    Heading(
        "部门（单位）基本情况",
        parts=(
            Heading("机构设置情况", "本单位的内设机构、隶属关系和单位性质"),
            Heading("人员编制情况", "本单位的编制数、实有人数及其构成"),
            Heading("主要职能职责", "本单位的主要职能职责"),
            Heading("绩效目标设定情况", "本年度部门整体绩效目标和主要绩效指标的设定及完成情况"),
        ),
    ),
    Heading(
        "部门整体支出管理及使用情况",
        parts=(
            Heading("部门预决算情况", "年初预算、预算调整和决算的收入与支出，以及决算与预算的差异和原因", aliases=("基本支出情况", "项目支出情况")),
            Heading("部门预算执行情况", "预算执行进度，“三公”经费、公用经费和政府采购的预算与执行情况"),
        ),
    ),
    Heading("政府性基金预算支出情况", _none("政府性基金预算支出")),
    Heading("国有资本经营预算支出情况", _none("国有资本经营预算支出")),
    Heading("社会保险基金预算支出情况", _none("社会保险基金预算支出")),
    Heading("部门整体支出绩效情况", parts=(Heading("综合评价结论"), Heading("评价指标分析"))),
    Heading("存在的问题及原因分析", "自评中发现的主要问题及其原因"),
    Heading("下一步改进措施", "针对上述问题准备采取的改进措施", aliases=("有关建议", "改进措施和有关建议")),
    Heading("其他需要说明的情况", "需要说明的其他事项；没有的，写“无。”", aliases=("其他需要说明的问题",)),
)

PROJECT_OUTLINE: tuple[Heading, ...] = (
    Heading(
        "预算支出基本情况",
        parts=(
            Heading("预算支出概况", "预算安排的依据、资金来源和资金规模", aliases=("项目概况",)),
            Heading("预算资金使用管理情况", "资金到位、实际支出和资金管理制度的执行情况", aliases=("项目资金到位及使用情况", "项目资金管理情况")),
            Heading("预算支出绩效目标完成程度", "年度绩效目标和各项绩效指标的完成情况", aliases=("项目绩效目标", "完成情况综述")),
        ),
    ),
    Heading("绩效评价工作情况", "自评工作的组织、依据、方法和过程"),
    Heading("预算支出主要绩效及评价结论", aliases=("综合评价结论",)),
    Heading("绩效评价指标分析", aliases=("评价指标分析",), by_category=True),
    Heading(
        "主要经验及做法、存在的问题及原因分析",
        parts=(
            Heading("主要经验及做法", "预算支出管理和使用中的主要经验及做法"),
            Heading("存在的问题及原因分析", "自评中发现的主要问题及其原因"),
        ),
    ),
    Heading("有关建议", "针对上述问题的改进措施和建议", aliases=("下一步改进措施", "改进措施和有关建议")),
    Heading("其他需要说明的问题", "需要说明的其他事项；没有的，写“无。”", aliases=("其他需要说明的情况",)),
)

# The signature line of the 评分表 (填报人、单位负责人) is read from the same report text.
SIGNATURE_KEYS = ("填报人", "单位负责人")
REPORT_TAIL = ("存在的问题及原因分析", "下一步改进措施", "其他需要说明的情况", *SIGNATURE_KEYS)


def outline_for(kind: str) -> tuple[Heading, ...]:
    """The outline of a framework kind's report: 部门整体支出 for dept, the project outline otherwise."""
    return DEPT_OUTLINE if kind == "dept" else PROJECT_OUTLINE


def outline_keys(outline: tuple[Heading, ...]) -> tuple[str, ...]:
    """Every key the outline's headings accept, titles and aliases."""
    return tuple(key for top in outline for heading in top.walk() for key in heading.keys)


def _writable(outline: tuple[Heading, ...]) -> tuple[str, ...]:
    # The headings the unit writes (those with a hint), in the outline's order.
    return tuple(heading.title for top in outline for heading in top.walk() if heading.hint)


# The 报告文字 rows of the data template by framework kind; the Sichuan target form's paragraph
# reads 完成情况综述.
REPORT_HEADINGS = {
    "dept": _writable(DEPT_OUTLINE) + SIGNATURE_KEYS,
    "project": _writable(PROJECT_OUTLINE) + SIGNATURE_KEYS,
    "project-targets": _writable(PROJECT_OUTLINE) + ("完成情况综述", *SIGNATURE_KEYS),
}
