"""The 自评报告 as paragraphs: the outline of the seed reports (evalcore.outputs.DEPT_OUTLINE,
PROJECT_OUTLINE) numbered as printed documents number it (一、 （一） 1．), each heading filled from
what the unit wrote (the data's report text), from the evaluation, or left as a highlighted
【待填写：……】 saying what belongs there.

What fills a heading:
- 综合评价结论 (项目: 预算支出主要绩效及评价结论) and 评价指标分析 (项目: one part per first-level
  indicator) are written from the evaluation, followed by what the unit wrote under them;
- the other headings hold what the unit wrote; where it wrote nothing, the data's own figures for
  that heading (编制数 and 在职人员数 for 人员编制情况, the “三公”经费 for 部门预算执行情况 …);
- a heading with neither is 【待填写】, and `Report.unfilled` names it, so that `evalcore run` can
  list it without reading the document.
Text under a key the outline does not have is kept, under the last heading as “键：内容”.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from attrs import frozen

from evalcore import Evaluation, LeafResult
from evalcore.outputs import SIGNATURE_KEYS, Heading, outline_for, outline_keys

from ._layout import report_paragraphs, report_table
from ._prose import category_paragraph, category_title, conclusion, facts, leaf_names, report_title

__all__ = ["ATTACHMENT_KEY", "Paragraph", "Report", "build_report", "chinese_number", "unfilled"]

ATTACHMENT_KEY = "附件"
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (outlines have fewer than a hundred parts)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[ones] if ones else ''}"


@frozen
class Paragraph:
    """A paragraph of the report body: a heading (level 1 一、, level 2 （一）), body text (level 0),
    or a 【待填写】 placeholder."""

    text: str
    level: int = 0
    to_fill: bool = False


@frozen
class Report:
    """The report as written: title, body, attachments, the unit and date under it, and the
    headings left 【待填写】 (as an officer refers to them: 三、政府性基金预算支出情况, 一（一）机构设置情况)."""

    title: str
    paragraphs: tuple[Paragraph, ...]
    attachments: tuple[str, ...]
    unit: str
    date: str | None
    unfilled: tuple[str, ...]


def _analysis(evaluation: Evaluation) -> list[str]:
    names = leaf_names(evaluation)
    return [f"{n}.{category_paragraph(evaluation, child, names)}" for n, child in enumerate(evaluation.children, start=1)]


# Headings written from the evaluation, whatever the unit wrote (which follows).
_RESULTS: dict[str, Callable[[Evaluation], list[str]]] = {
    "综合评价结论": conclusion,
    "预算支出主要绩效及评价结论": conclusion,
    "评价指标分析": _analysis,
}


def _category_name(child: Any) -> str:
    return str(child.indicator.name if isinstance(child, LeafResult) else child.group.name)


class _Writer:
    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        self.texts = report_table(evaluation)
        self.outline = outline_for(evaluation.framework.kind)
        self.paragraphs: list[Paragraph] = []
        self.unfilled: list[str] = []
        categories = [_category_name(child) for child in evaluation.children]
        known = {*outline_keys(self.outline), *SIGNATURE_KEYS, ATTACHMENT_KEY, *categories, *(category_title(c) for c in categories)}
        # Kept, not lost: text under a key the outline does not have goes under the last heading.
        self.others = [f"{key}：{'；'.join(report_paragraphs(value))}" for key, value in self.texts.items() if key not in known and report_paragraphs(value)]

    def written(self, keys: Sequence[str]) -> list[str]:
        return [p for key in keys for p in report_paragraphs(self.texts.get(key))]

    def section(self, heading: Heading, level: int, number: str, ref: str, last: bool, numeral: str = "") -> None:
        """A heading, what fills it, and its parts; `ref` names it in the list of 【待填写】, and
        `numeral` is its number as its parts' references start (一 for 一（一）)."""
        self.paragraphs.append(Paragraph(f"{number}{heading.title}", level))
        own = self.written(heading.keys)
        result = _RESULTS.get(heading.title)
        if result is not None:
            body = result(self.evaluation) + own
        else:
            body = own or facts(self.evaluation, heading.title)
        if last:
            body += self.others
        self.body(body, heading, ref)
        for n, part in enumerate(heading.parts, start=1):
            label = f"（{chinese_number(n)}）"
            self.section(part, level + 1, label, f"{numeral}{label}{part.title}", last=False)
        if heading.by_category:
            names = leaf_names(self.evaluation)
            for n, child in enumerate(self.evaluation.children, start=1):
                name = _category_name(child)
                title = category_title(name)
                self.paragraphs.append(Paragraph(f"（{chinese_number(n)}）{title}", level + 1))
                self.body([category_paragraph(self.evaluation, child, names), *self.written((title, name))], heading, ref)

    def body(self, texts: list[str], heading: Heading, ref: str) -> None:
        if texts:
            self.paragraphs.extend(Paragraph(text) for text in texts)
        elif not heading.parts and not heading.by_category:
            self.paragraphs.append(Paragraph(f"【待填写：{heading.hint or heading.title}】", to_fill=True))
            self.unfilled.append(ref)


def _attachments(evaluation: Evaluation, texts: dict[str, Any]) -> tuple[str, ...]:
    written = report_paragraphs(texts.get(ATTACHMENT_KEY))
    if written:
        return tuple(written)
    # The scoring table filed with the report, as 鹤城 附件3 lists it.
    return ("部门整体支出绩效自评表",) if evaluation.framework.kind == "dept" else ("项目支出绩效自评表",)


def build_report(evaluation: Evaluation) -> Report:
    writer = _Writer(evaluation)
    for n, heading in enumerate(writer.outline, start=1):
        numeral = chinese_number(n)
        writer.section(heading, 1, f"{numeral}、", f"{numeral}、{heading.title}", last=n == len(writer.outline), numeral=numeral)
    return Report(
        title=report_title(evaluation),
        paragraphs=tuple(writer.paragraphs),
        attachments=_attachments(evaluation, writer.texts),
        unit=evaluation.data.unit or "",
        date=evaluation.data.date,
        unfilled=tuple(writer.unfilled),
    )


def unfilled(evaluation: Evaluation) -> tuple[str, ...]:
    """The headings of the report left 【待填写】 for the unit to write, in the report's order."""
    return build_report(evaluation).unfilled
