"""Writing the blank data template (基础数据表.xlsx): labels, units, examples, 是/否 drop-downs,
allowed ranges, a report-text sheet and a sheet explaining how to fill it. `_read` reads it back."""

from __future__ import annotations

import io

from ..model import Framework, describe_rule, fmt
from ..outputs import REPORT_HEADINGS, REPORT_TAIL
from ..rules import ChecklistRule, JudgmentRule, PerCaseRule
from ._multi import write_multi_sheet
from ._sheets import GUIDE_SHEET, HEAD_SHEET, INDICATOR_COLUMN, INDICATOR_COLUMNS, INDICATOR_SHEET, INPUT_COLUMN, INPUT_COLUMNS, INPUT_SHEET, REPORT_SHEET, template_example

__all__ = ["template_workbook"]


def _column(title: str, columns: dict[str, int] = INDICATOR_COLUMN) -> int:
    """The column number (from 1, as openpyxl counts) of a title of the 指标 sheet."""
    return columns[title] + 1


def template_workbook(framework: Framework, multi: bool = False) -> bytes:
    """A blank data template: labels, units, examples, 是/否 drop-downs, ranges, a guide sheet."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from ._fast import TEMPLATE_PROPERTY, template_metadata

    book = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")  # the cells to fill
    wrap = Alignment(wrap_text=True, vertical="top")

    head = book.active
    head.title = HEAD_SHEET
    for row in (["项目", "填写"], ["评价框架", framework.id], ["评价单位", None], ["项目名称", None], ["年度", framework.year], ["填报日期", None], ["自评总分", None]):
        head.append(row)
    for row in head.iter_rows(min_row=2, max_col=2):
        row[1].fill = fill
    head.column_dimensions["A"].width, head.column_dimensions["B"].width = 14, 48

    inputs = book.create_sheet(INPUT_SHEET)
    inputs.append(INPUT_COLUMNS)
    cells: list[tuple[str, str, str | None]] = []
    for spec in framework.inputs:
        inputs.append([spec.id, spec.label + (f"：{spec.description}" if spec.description else ""), spec.unit or "", None, template_example(spec), "必填" if spec.required else "可不填"])
        inputs.cell(row=inputs.max_row, column=_column("填写值", INPUT_COLUMN)).fill = fill
        cells.append((inputs.cell(row=inputs.max_row, column=_column("名称", INPUT_COLUMN)).coordinate, spec.id, spec.unit))
        if spec.type == "bool":
            validation = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
            inputs.add_data_validation(validation)
            validation.add(inputs.cell(row=inputs.max_row, column=_column("填写值", INPUT_COLUMN)))

    sheet = book.create_sheet(INDICATOR_SHEET)
    sheet.append(INDICATOR_COLUMNS)
    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    for leaf in framework.leaves():
        rule_text = describe_rule(leaf.rule, leaf.weight, leaf.unit)
        if leaf.printed and leaf.note:
            # The officer scores by the rule as encoded; the printed text is shown with why it differs.
            rule_text += f"\n（原文：{leaf.printed.rstrip('。；;')}；{leaf.note}）"
        elif leaf.printed:
            rule_text = leaf.printed
        sheet.append([leaf.id, "/".join(leaf.path), float(leaf.weight), leaf.rule.title, rule_text])
        row = sheet.max_row
        for title in ("评定得分", "评定理由", "自评得分", "审核得分", "不适用", "填报值"):
            sheet.cell(row=row, column=_column(title)).fill = fill
        yes_no.add(sheet.cell(row=row, column=_column("不适用")))
        if isinstance(leaf.rule, PerCaseRule):
            sheet.cell(row=row, column=_column("不符合例数")).fill = fill
        if isinstance(leaf.rule, JudgmentRule):
            low, high = leaf.rule.bounds(leaf.weight)
            sheet.cell(row=row, column=_column("评价要点/评分标准")).value = f"由评价人在 {fmt(low)}–{fmt(high)} 分之间评定，须写明理由"
        if isinstance(leaf.rule, ChecklistRule):
            for number, point in enumerate(leaf.rule.checkpoints, start=1):
                sheet.append([f"{leaf.id}#{number}", f"  要点 {number}", float(point.points), None, point.text])
                cell = sheet.cell(row=sheet.max_row, column=_column("是否满足"))
                cell.fill = fill
                yes_no.add(cell)
    for sh, widths in ((inputs, (18, 40, 8, 16, 14, 10)), (sheet, (22, 36, 6, 10, 48, 8, 8, 8, 28, 8, 8, 6, 10))):
        for index, width in enumerate(widths, start=1):
            sh.column_dimensions[sh.cell(row=1, column=index).column_letter].width = width
        for cell in sh[1]:
            cell.font = bold
        for row in sh.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        sh.freeze_panes = "A2"

    report = book.create_sheet(REPORT_SHEET)
    report.append(["小标题", "内容"])
    for heading in REPORT_HEADINGS.get(framework.kind, REPORT_TAIL):
        report.append([heading, None])
        report.cell(row=report.max_row, column=2).fill = fill
    report.column_dimensions["A"].width, report.column_dimensions["B"].width = 22, 90
    report["A1"].font = report["B1"].font = bold
    for row in report.iter_rows(min_row=2):
        row[1].alignment = wrap

    if multi:
        write_multi_sheet(book, framework, bold, fill)

    guide = book.create_sheet(GUIDE_SHEET, 0)
    lines = [
        f"{framework.title}（{framework.region}，{framework.year}年度）基础数据表",
        "",
        "1. “单位信息”页填写评价单位、填报日期和自评总分；“评价框架”一栏不要修改。",
        "2. “基础数据”页在“填写值”一栏（黄色）填写数据。金额、人数等可直接写数字（按“单位”一栏的单位，“单位”可改为同类单位，如把万元改为元），也可带单位，如 515元、3.5万元；百分比写 95% 或设为百分比格式。不知道的数据留空，不要填 0。",
        "3. “指标”页每个指标一行：评价要点在其下各行的“是否满足”一栏选 是/否；按例扣分的指标填“不符合例数”；视情评定的指标填“评定得分”和“评定理由”（必填）；没有数据可计算的指标也可填评定得分和理由。",
        "4. “自评得分”“审核得分”填单位自评和审核时的得分；“填报值”填原表中填写的该指标数值（如控制率 100%），evalcore 会与计算结果核对。",
        "5. 不适用的指标在“不适用”一栏选“是”，并在“评定理由”写明原因。",
        "6. “报告文字”页按小标题填写自评报告的文字（机构设置、人员编制、存在的问题等），生成自评报告时使用；不用报告可不填。",
        "7. 填好后运行：evalcore run 本文件.xlsx",
    ]
    if multi:
        lines.append("8. “多单位”页每行一个单位，供审核人员批量录入：evalcore batch 本文件.xlsx")
    for line in lines:
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    guide["A1"].font = Font(bold=True, size=14)
    for row in guide.iter_rows(min_row=2):
        row[0].alignment = wrap
    # Which cells hold which inputs in which units: a workbook carrying it is read with calamine (_fast).
    book.custom_doc_props.append(StringProperty(name=TEMPLATE_PROPERTY, value=template_metadata(framework.id, cells)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
