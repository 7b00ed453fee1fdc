"""The `docx` format: the 自评报告 (_report.build_report) set as a printed government document.

The page and type follow the national format of official documents (GB/T 9704-2012), which the
province's reports are printed in: A4 portrait; margins 37 mm top, 35 mm bottom, 28 mm left,
26 mm right; title in 方正小标宋简体 二号 (22 pt), centred; body in 仿宋_GB2312 三号 (16 pt) at a
fixed 28.9 pt pitch (22 lines to the page); headings 一、 in 黑体 and （一） in 楷体_GB2312, both
三号, set in from the margin as the body is; page numbers “— 1 —” in 宋体 四号 at the outer edge
(odd pages right, even pages left). Headings are numbered as text, never by Word's lists.

A Chinese Windows without 仿宋_GB2312, 楷体_GB2312 or 方正小标宋简体 has 仿宋, 楷体 and 宋体: the
document's font table names them as the alternates (w:altName), so Word and WPS substitute those
rather than a Latin font. Every run and style names its East Asian font (w:rFonts/@w:eastAsia), and
the document's language is zh-CN (w:lang, the theme's font language), so that a renderer picks
simplified Chinese glyphs. A 【待填写】 placeholder is highlighted yellow.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import threading
from datetime import datetime, timezone

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from evalcore import Evaluation, FormatOptions
from evalcore.outputs import clean_text

from ._report import Paragraph, Report, build_report

__all__ = ["BODY_FONT", "FALLBACK_FONTS", "HEADING_FONTS", "LANGUAGE", "MARGINS_MM", "TITLE_FONT", "render_docx"]

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312"}
PAGE_NUMBER_FONT = "宋体"
# The fonts of Chinese Windows that stand in for those it may lack (GB/T 9704's 仿宋、楷体、小标宋).
FALLBACK_FONTS = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体", "黑体": "黑体", "宋体": "宋体"}
LANGUAGE = "zh-CN"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 四号
LINE = Pt(28.9)  # 22 lines in the 225 mm of the type area
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_east_asian(rpr: CT_RPr, name: str) -> None:
    """Name `name` for every script in an rPr element, dropping theme fonts that would override it."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _set_language(rpr: CT_RPr) -> None:
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    rpr.append(lang)


def font_run(run: Run, name: str, size: float) -> Run:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = False
    set_east_asian(run._element.get_or_add_rPr(), name)
    return run


def _style(doc: DocxDocument, name: str, font: str, size: float, *, indent: bool = True) -> ParagraphStyle:
    style = doc.styles[name]
    assert isinstance(style, ParagraphStyle)
    style.font.name = font
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    set_east_asian(rpr, font)
    _set_language(rpr)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE
    pf.first_line_indent = Pt(2 * size) if indent else Pt(0)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.widow_control = True
    ppr = style.element.pPr
    if ppr is not None:  # Word's Title and Heading styles come with borders and outline spacing
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    return style


def _font_table(doc: DocxDocument) -> None:
    """Declare the Chinese fonts, each with the one Chinese Windows has in its place (w:altName),
    in the GB2312 character set (w:charset 86)."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    entries = []
    for name, alternate in FALLBACK_FONTS.items():
        alt = f'<w:altName w:val="{alternate}"/>' if alternate != name else ""
        family = "modern" if name == "黑体" else "roman"
        entries.append(f'<w:font w:name="{name}">{alt}<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>')
    blob = part.blob.decode("utf-8")
    assert "</w:fonts>" in blob
    part._blob = blob.replace("</w:fonts>", "".join(entries) + "</w:fonts>").encode("utf-8")


def _setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    # The page number's rule sits 7 mm below the type area (GB/T 9704 7.5).
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 6)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if isinstance(rpr, CT_RPr):
            set_east_asian(rpr, BODY_FONT)
            _set_language(rpr)
    settings = doc.settings.element
    for lang in settings.findall(qn("w:themeFontLang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    _style(doc, "Normal", BODY_FONT, BODY_PT)
    for level, font in HEADING_FONTS.items():
        style = _style(doc, f"Heading {level}", font, BODY_PT)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    title = _style(doc, "Title", TITLE_FONT, TITLE_PT, indent=False)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = LINE
    _font_table(doc)
    _page_numbers(doc)


def _page_number(paragraph: DocxParagraph, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph.alignment = align
    pf = paragraph.paragraph_format
    pf.first_line_indent = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    # One character in from the outer edge.
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        pf.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        pf.left_indent = Pt(PAGE_NUMBER_PT)
    font_run(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    run.append(rpr)
    assert isinstance(rpr, CT_RPr)
    set_east_asian(rpr, PAGE_NUMBER_FONT)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(2 * PAGE_NUMBER_PT))
    rpr.append(size)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    font_run(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)


def _page_numbers(doc: DocxDocument) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


# A figure (“-52.63%”, “1.17”) is set in a run of its own marked as Latin text: LibreOffice breaks
# Latin text of a zh-CN run between any two digits (“-5” | “2.63%”), never inside an en-US word.
_FIGURE = re.compile(r"([-+]?\d[\d.,]*%?)")


def _add_text(paragraph: DocxParagraph, text: str, font: str, size: float, highlight: bool = False) -> None:
    """Append `text` to the paragraph in runs set in `font` at `size`, each figure in a run of its own."""
    p = paragraph._p
    for n, piece in enumerate(_FIGURE.split(text)):
        if not piece:
            continue
        # A copy of the run that font_run and the highlight would give, made once per font, size and
        # kind of run; appended, as paragraph.add_run() does.
        element = copy.deepcopy(_run_template(font, size, highlight, bool(n % 2)))
        p.append(element)
        if "\t" in piece or "\n" in piece or "\r" in piece:
            Run(element, paragraph).text = piece  # tabs and breaks become w:tab and w:br
            continue
        # What run.text = piece makes of text without tabs or breaks, without its per-character
        # parsing: one w:t, its spaces kept where it begins or ends with one.
        t = OxmlElement("w:t")
        t.text = piece
        if len(piece.strip()) < len(piece):
            t.set(_PRESERVE, "preserve")
        element.append(t)


_PRESERVE = qn("xml:space")


@functools.cache
def _run_template(font: str, size: float, highlight: bool, figure: bool) -> CT_R:
    """An empty w:r with the properties font_run gives a run in `font` at `size`, highlighted yellow
    (a placeholder to fill) or not, marked as Latin text (a figure) or not: never inserted itself,
    only copied."""
    paragraph = Document().add_paragraph()
    run = paragraph.add_run()
    font_run(run, font, size)
    if figure:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        run._element.get_or_add_rPr().append(lang)
    if highlight:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run._element


def _write(doc: DocxDocument, paragraph: Paragraph, styles: dict[str, str | None]) -> None:
    style = f"Heading {paragraph.level}" if paragraph.level else "Normal"
    font = HEADING_FONTS.get(paragraph.level, BODY_FONT)
    _add_text(_paragraph(doc, styles, style), clean_text(paragraph.text, "自评报告正文"), font, BODY_PT, paragraph.to_fill)


def _paragraph(doc: DocxDocument, styles: dict[str, str | None], name: str | None = None) -> DocxParagraph:
    """A new paragraph at the end of the body, its style set by id: doc.add_paragraph(style=name)
    without looking the style up by name each time (`styles`: each name's id, None for the default)."""
    if name is not None and name not in styles:
        styles[name] = _style_id(doc, name)
    element = copy.deepcopy(_paragraph_template(styles[name] if name is not None else None))
    # Before the body's section properties, its last child, as body.add_p() puts it, without
    # searching the body's children for them each time.
    section = doc.element.body.sectPr
    if section is not None:
        section.addprevious(element)
    else:
        doc.element.body.append(element)
    return DocxParagraph(element, doc._body)


@functools.cache
def _paragraph_template(style_id: str | None) -> CT_P:
    """An empty w:p with its style set as paragraph.style = … sets it (an empty w:pPr for the
    default style): never inserted itself, only copied."""
    element = OxmlElement("w:p")
    assert isinstance(element, CT_P)
    element.style = style_id
    return element


def _style_id(doc: DocxDocument, name: str) -> str | None:
    """The id a paragraph names its style by; None for the document's default style, which
    python-docx leaves unnamed."""
    style = doc.styles[name]
    return None if style == doc.styles.default(style.type) else style.style_id


def _plain(doc: DocxDocument, text: str) -> DocxParagraph:
    paragraph = _paragraph(doc, {})
    _add_text(paragraph, clean_text(text, "自评报告正文"), BODY_FONT, BODY_PT)
    return paragraph


def _closing(doc: DocxDocument, report: Report) -> None:
    """附件 after one empty line, set in two characters; the unit and the date two lines below, at
    the right (GB/T 9704 7.3.4, 7.3.5)."""
    closing = [_plain(doc, "")]
    for n, name in enumerate(report.attachments, start=1):
        numbered = f"{n}." if len(report.attachments) > 1 else ""
        paragraph = _plain(doc, f"{'附件：' if n == 1 else ''}{numbered}{name}")
        if n > 1:  # aligned under the first name, after 附件：
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.left_indent = Pt(5 * BODY_PT)
        closing.append(paragraph)
    closing += [_plain(doc, ""), _plain(doc, "")]
    for line in (report.unit, report.date or "　　年　　月　　日"):
        if not line:
            continue
        paragraph = _plain(doc, line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.right_indent = Pt(2 * BODY_PT)
        closing.append(paragraph)
    for paragraph in closing[:-1]:  # the attachments, the unit and the date on one page
        paragraph.paragraph_format.keep_with_next = True


_STYLE_NAMES = ("Title", "Normal", *(f"Heading {level}" for level in HEADING_FONTS))


@functools.cache
def _prepared() -> tuple[bytes, dict[str, str | None]]:
    """Word's blank document with the page, styles, fonts and page numbers set (_setup), made once,
    and the ids of the styles the report uses (None for the default one)."""
    doc = Document()
    _setup(doc)
    styles = {name: _style_id(doc, name) for name in _STYLE_NAMES}
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue(), styles


_OPENED = threading.local()


def _blank() -> DocxDocument:
    """The prepared document (_prepared) to write a report into.

    Its package is opened once per thread and kept: only the document body and the core properties
    change from one report to the next, and each report starts from copies of those two parts'
    elements as they were opened, which is what opening the package again would give.
    """
    opened = getattr(_OPENED, "package", None)
    if opened is None:
        blob, _ = _prepared()
        doc = Document(io.BytesIO(blob))
        part, properties = doc.part, doc.part.package._core_properties_part
        opened = _OPENED.package = (part, copy.deepcopy(part._element), properties, copy.deepcopy(properties._element))
    part, body, properties, core = opened
    part._element = copy.deepcopy(body)
    properties._element = copy.deepcopy(core)
    document = part.document
    assert isinstance(document, DocxDocument)
    return document


def render_docx(evaluation: Evaluation, options: FormatOptions) -> bytes:
    """The 自评报告 as a .docx document (bytes)."""
    report = build_report(evaluation)
    _, known = _prepared()
    doc = _blank()
    title = clean_text(report.title, "自评报告标题")
    styles = dict(known)
    font_run(_paragraph(doc, styles, "Title").add_run(title), TITLE_FONT, TITLE_PT)
    for paragraph in report.paragraphs:
        _write(doc, paragraph, styles)
    _closing(doc, report)
    unit = clean_text(report.unit, "文档属性“作者”")
    properties = doc.core_properties
    # The document properties hold at most 255 characters (python-docx enforces the OOXML limit);
    # a long unit or project name is cut there, the report's own title keeps it whole.
    properties.title = _fit(title)
    properties.author = properties.last_modified_by = _fit(unit)
    properties.comments = properties.subject = properties.keywords = properties.category = ""
    properties.language = LANGUAGE
    # Word's template carries its own dates (2013); the document is made now.
    properties.created = properties.modified = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _fit(text: str, limit: int = 255) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
