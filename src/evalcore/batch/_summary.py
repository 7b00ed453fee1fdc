"""The summary workbook of a batch (汇总.xlsx): 总分, one row per unit ranked, and 问题, every
flag and every file that could not be read."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..outputs import put_text, removal_lines, removed_characters
from ._run import BatchResult, where

__all__ = ["summary_workbook"]

# A row of the 问题 sheet: 评价单位, 数据文件, 类别, 指标, 说明.
Problem = tuple[str | None, str, str, str, str]


def _num(value: Decimal | None) -> float | None:
    # Workbook cells hold numbers; scores have at most the framework's places, exact in binary enough to display.
    return None if value is None else float(value)


def _append(sheet: Any, values: Sequence[object]) -> None:
    # Every value through the one sanitiser: a unit named "=…" or with a control character in its
    # name is written as the text it is, and never costs the batch its summary.
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(row=1, column=1).value is not None else 1
    for column, value in enumerate(values, start=1):
        put_text(sheet.cell(row=row, column=column), value)


def summary_workbook(result: BatchResult, problems: Sequence[Problem] = ()) -> bytes:
    """Two sheets: 总分 (one row per unit, ranked) and 问题 (every flag, every file that could
    not be read, and the `problems` met while writing the units' files)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    totals = book.active
    totals.title = "总分"
    with removed_characters() as removed:
        _totals(totals, result)
    flags = book.create_sheet("问题")
    _append(flags, ["评价单位", "数据文件", "类别", "指标", "说明"])
    with removed_characters() as removed_later:
        _problems(flags, result, problems)
    # What was removed is reported on 问题, where the reviewer looks for what to check.
    for line in removal_lines(removed + [r for r in removed_later if r not in removed]):
        _append(flags, [None, "汇总.xlsx", "控制字符", "全表", line])
    for sheet in (totals, flags):
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


def _totals(totals: Any, result: BatchResult) -> None:
    _append(totals, ["排名", "评价单位", "项目", "评价框架", "计算总分", "满分", "自评总分", "差额", "等级", "是否完整", "问题数", "数据文件", "审核得分合计", "已审核项数", "备注"])
    for evaluation, rank in result.ranks():
        self_total = evaluation.claimed_total
        scored = evaluation.framework.scored
        _append(
            totals,
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
            ],
        )
    for failed in result.failed:
        _append(totals, [None, None, None, None, None, None, None, None, "无法计分", "否", None, where(failed)])


def _problems(flags: Any, result: BatchResult, problems: Sequence[Problem]) -> None:
    for evaluation in result.ranking():
        for flag in evaluation.flags:
            _append(flags, [evaluation.data.unit, evaluation.data.path, flag.title, "/".join(flag.path) or "全表", flag.message])
    for failed in result.failed:
        _append(flags, [None, where(failed), "无法读取", "全表" if failed.label is None else "整行", failed.error])
    for name, found in result.repeated():
        _append(flags, [name, "、".join(found), "单位重复", "全表", f"同一评价框架下录入了 {len(found)} 次，请核对是否重复"])
    for problem in problems:
        _append(flags, list(problem))
