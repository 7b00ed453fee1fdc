"""The summary workbook of a batch (汇总.xlsx): 总分, one row per unit ranked, and 问题, every
flag and every file that could not be read."""

from __future__ import annotations

import io
from decimal import Decimal

from ._run import BatchResult, where

__all__ = ["summary_workbook"]


def _num(value: Decimal | None) -> float | None:
    # Workbook cells hold numbers; scores have at most the framework's places, exact in binary enough to display.
    return None if value is None else float(value)


def summary_workbook(result: BatchResult) -> bytes:
    """Two sheets: 总分 (one row per unit, ranked) and 问题 (every flag and every failed file)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    totals = book.active
    totals.title = "总分"
    totals.append(["排名", "评价单位", "项目", "评价框架", "计算总分", "满分", "自评总分", "差额", "等级", "是否完整", "问题数", "数据文件", "审核得分合计", "已审核项数", "备注"])
    for evaluation, rank in result.ranks():
        self_total = evaluation.claimed_total
        scored = evaluation.framework.scored
        totals.append(
            [
                rank,
                evaluation.data.unit,
                evaluation.data.project,
                evaluation.framework.id,
                _num(evaluation.total) if scored else None,
                _num(evaluation.max) if scored else None,
                _num(self_total),
                _num(evaluation.total - self_total) if scored and self_total is not None else None,
                evaluation.grade or ("不计分" if not scored else evaluation.grade_text),
                "是" if evaluation.complete else "否",
                len(evaluation.flags),
                evaluation.data.path,
                _num(evaluation.review_total),
                len(evaluation.reviews) or None,
                evaluation.data.note,
            ]
        )
    for failed in result.failed:
        totals.append([None, None, None, None, None, None, None, None, "无法计分", "否", None, where(failed)])
    flags = book.create_sheet("问题")
    flags.append(["评价单位", "数据文件", "类别", "指标", "说明"])
    for evaluation in result.ranking():
        for flag in evaluation.flags:
            flags.append([evaluation.data.unit, evaluation.data.path, flag.title, "/".join(flag.path) or "全表", flag.message])
    for failed in result.failed:
        flags.append([None, where(failed), "无法读取", "全表" if failed.label is None else "整行", failed.error])
    for name, found in result.repeated():
        flags.append([name, "、".join(found), "单位重复", "全表", f"同一评价框架下录入了 {len(found)} 次，请核对是否重复"])
    for sheet in (totals, flags):
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                # A unit named "=…" is text, not a formula for the reviewer's Excel to run.
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    cell.data_type = "s"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            letter = column[0].column_letter
            longest = max((len(str(c.value)) * 2 if c.value is not None else 0) for c in column)
            sheet.column_dimensions[letter].width = min(max(8, longest + 2), 80)
            for c in column:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
