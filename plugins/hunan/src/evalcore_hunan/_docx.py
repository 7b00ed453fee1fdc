"""The `docx` format: the 自评报告 following the Hunan outline, with the scoring table embedded.

A4 portrait, 2.54 cm top/bottom and 3.17 cm left/right margins; 方正小标宋简体 title, 黑体 headings,
仿宋_GB2312 body. Every run and the Normal, Title and Heading styles carry the East Asian font
(``w:rFonts/@w:eastAsia``) as well as the Latin one, so that Word does not fall back to a theme font.
Headings are numbered as text (一、 （一）), not with Word's automatic numbering.
"""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from evalcore import Evaluation, FormatOptions
from evalcore.outputs import clean_text

from ._layout import fmt, layout, row_score, row_self_score, scored, sheet_title
from ._report import outline, report_title, section_text

__all__ = ["BODY_FONT", "HEADING_FONT", "TITLE_FONT", "render_docx"]

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "仿宋_GB2312"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
TABLE_PT = 10.5  # 五号
LINE = Pt(28)  # fixed line pitch of the body text
TEXT_WIDTH_CM = 21.0 - 2 * 3.17
TABLE_HEADERS = ("一级指标", "二级指标", "三级指标", "分值", "自评得分", "计算得分")
TABLE_WIDTHS_CM = (2.2, 2.5, 4.36, 1.8, 1.9, 1.9)
MISMATCH = "FFF2CC"  # the self-score differs from the computed score, as in the 评分表
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_east_asian(rpr: CT_RPr, name: str) -> None:
    """Name `name` for every script in an rPr element, dropping theme fonts that would override it."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def font_run(run: Run, name: str, size: float, bold: bool = False) -> Run:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    set_east_asian(run._element.get_or_add_rPr(), name)
    return run


def _style(doc: DocxDocument, name: str, font: str, size: float, *, bold: bool = False, indent: bool = True) -> ParagraphStyle:
    style = doc.styles[name]
    assert isinstance(style, ParagraphStyle)
    style.font.name = font
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_east_asian(style.element.get_or_add_rPr(), font)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE
    pf.first_line_indent = Pt(2 * size) if indent else Pt(0)
    return style


def _setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(3.17)
    # the document defaults name theme fonts; name ours there too
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if isinstance(rpr, CT_RPr):
            set_east_asian(rpr, BODY_FONT)
    _style(doc, "Normal", BODY_FONT, BODY_PT)
    for name in ("Heading 1", "Heading 2"):
        style = _style(doc, name, HEADING_FONT, BODY_PT)
        style.paragraph_format.keep_with_next = True
    title = _style(doc, "Title", TITLE_FONT, TITLE_PT, indent=False)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.paragraph_format.space_after = Pt(12)
    ppr = title.element.pPr
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    _page_number(doc)


def _page_number(doc: DocxDocument) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    font_run(paragraph.add_run("— "), "宋体", 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    run.append(rpr)
    assert isinstance(rpr, CT_RPr)
    set_east_asian(rpr, "宋体")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    font_run(paragraph.add_run(" —"), "宋体", 14)


def _paragraph(doc: DocxDocument, text: str, style: str = "Normal") -> Paragraph:
    paragraph = doc.add_paragraph(style=style)
    font, size = (HEADING_FONT, BODY_PT) if style.startswith("Heading") else (BODY_FONT, BODY_PT)
    font_run(paragraph.add_run(clean_text(text, "自评报告正文")), font, size)
    return paragraph


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, center: bool = True) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    pf = paragraph.paragraph_format
    pf.first_line_indent = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    font_run(paragraph.add_run(clean_text(text, "自评报告得分表")), HEADING_FONT if bold else TABLE_FONT, TABLE_PT)


def _shade(cell: _Cell, color: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color)
    cell._tc.get_or_add_tcPr().append(shading)


def _borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    # schema order: tblBorders comes before shd, tblLayout, tblCellMar, tblLook
    later = [child for child in tbl_pr if child.tag in {qn(f"w:{t}") for t in ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")}]
    if later:
        later[0].addprevious(borders)
    else:
        tbl_pr.append(borders)


def _number(value: Decimal | None, places: int | None = None) -> str:
    return "—" if value is None else fmt(value, places)


def score_table(doc: DocxDocument, evaluation: Evaluation) -> Table:
    """一级/二级/三级/分值/自评得分/计算得分, groups merged over their rows, with the 总  分 row.

    Leaves below 三级 (桃江's 1-point rows) are summed into their 三级 row; a row with any
    unscored leaf shows "—", never 0."""
    places = evaluation.framework.rounding.places
    rows, cells = layout(evaluation, aggregate=True)
    table: Table = doc.add_table(rows=len(rows) + 2, cols=len(TABLE_HEADERS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    for i, width in enumerate(TABLE_WIDTHS_CM):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)
    for col, header in enumerate(TABLE_HEADERS):
        _cell_text(table.cell(0, col), header, bold=True)
    for table_row in table.rows:  # w:cantSplit comes before w:tblHeader in w:trPr
        table_row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    for level in cells:
        cell = table.cell(1 + level.first, level.col)
        if (level.last, level.last_col) != (level.first, level.col):
            cell = cell.merge(table.cell(1 + level.last, level.last_col))
        _cell_text(cell, level.text)
    show = scored(evaluation)
    for i, row in enumerate(rows, start=1):
        self_score, score = row_self_score(row), row_score(row) if show else None
        if self_score is not None and score is not None and self_score != score:
            for col in (4, 5):
                _shade(table.cell(i, col), MISMATCH)  # before w:vAlign, in schema order
        _cell_text(table.cell(i, 3), fmt(row.weight) if show else "—")
        _cell_text(table.cell(i, 4), _number(self_score))
        _cell_text(table.cell(i, 5), _number(score, places))
    last = len(rows) + 1
    total_cell = table.cell(last, 0).merge(table.cell(last, 2))
    _cell_text(total_cell, "总  分", bold=True)
    weights = evaluation.framework.leaf_weight
    self_total = evaluation.self_total if evaluation.self_total is not None else evaluation.stated_self_total
    _cell_text(table.cell(last, 3), fmt(weights) if show else "—", bold=True)
    _cell_text(table.cell(last, 4), _number(self_total), bold=True)
    _cell_text(table.cell(last, 5), fmt(evaluation.total, places) if show else "—", bold=True)
    return table


def _table_block(doc: DocxDocument, evaluation: Evaluation) -> None:
    _paragraph(doc, "各项指标得分见下表。")
    caption = doc.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Pt(0)
    font_run(caption.add_run(clean_text(f"{sheet_title(evaluation)}得分情况", "自评报告表题")), HEADING_FONT, 12)
    score_table(doc, evaluation)
    unscored = [leaf for leaf in evaluation.leaves() if leaf.score is None]
    note = "注：计算得分由 evalcore 按评分标准计算，计算过程见评分表“计分依据”一栏；底纹标出自评得分与计算得分不一致的指标。"
    if unscored:
        note += "“—”表示该项缺少数据、待核实、不适用或无法计分，未按 0 分计入。"
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.space_after = Pt(8)
    font_run(paragraph.add_run(note), BODY_FONT, TABLE_PT)


def render_docx(evaluation: Evaluation, options: FormatOptions) -> bytes:
    """The 自评报告 as a .docx document (bytes)."""
    data = evaluation.data
    doc = Document()
    _setup(doc)
    title = clean_text(report_title(evaluation), "自评报告标题")
    font_run(doc.add_paragraph(style="Title").add_run(title), TITLE_FONT, TITLE_PT)
    bylines = [line for line in (f"评价单位：{data.unit}" if data.unit else "", f"填报日期：{data.date}" if data.date else "") if line]
    for n, line in enumerate(bylines, start=1):
        paragraph = _paragraph(doc, line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = Pt(0)
        if n == len(bylines):
            paragraph.paragraph_format.space_after = Pt(14)
    for section in outline(evaluation):
        _paragraph(doc, section.heading, "Heading 1")
        if section.key is not None:
            for text in section_text(evaluation, section.key, section.hint):
                _paragraph(doc, text)
        for part in section.parts:
            _paragraph(doc, part.heading, "Heading 2")
            for text in section_text(evaluation, part.key, part.hint):
                _paragraph(doc, text)
            if part.key == "综合评价结论":
                _table_block(doc, evaluation)
    doc.core_properties.title = title
    doc.core_properties.author = clean_text(data.unit or "", "文档属性“作者”")
    doc.core_properties.last_modified_by = "evalcore"
    doc.core_properties.comments = clean_text(f"评价框架 {evaluation.framework.id}", "文档属性“备注”")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
