"""The summary workbook of a batch (汇总.xlsx): 总分, one row per unit ranked, and 问题, every
flag and every file that could not be read."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..model import fmt, readings_text
from ..outputs import SCHEMA_VERSION, put_text, removal_lines, removed_characters
from ._run import BatchResult, where

__all__ = ["render_summary_json", "summary_dict", "summary_workbook"]

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


def summary_workbook(result: BatchResult, problems: Sequence[Problem] = (), files: Mapping[int, Sequence[str]] | None = None) -> bytes:
    """Two sheets: 总分 (one row per unit, ranked) and 问题 (every flag, every file that could
    not be read, and the `problems` met while writing the units' files)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    totals = book.active
    totals.title = "总分"
    with removed_characters() as removed:
        _totals(totals, result, files)
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


# The 总分 sheet's columns and the JSON keys of a unit, in the same order.
_TOTAL_COLUMNS = {
    "rank": "排名",
    "unit": "评价单位",
    "project": "项目",
    "framework": "评价框架",
    "total": "计算总分",
    "max": "满分",
    "self_total": "自评总分",
    "difference": "差额",
    "grade": "等级",
    "complete": "是否完整",
    "flags": "问题数",
    "data_file": "数据文件",
    "review_total": "审核得分合计",
    "reviewed": "已审核项数",
    "note": "备注",
    "readings": "待核实：两种读法下的计算总分",
    "files": "结果文件",
}
_PROBLEM_KEYS = ("unit", "data_file", "category", "where", "message")


def _unit_rows(result: BatchResult, files: Mapping[int, Sequence[str]] | None = None) -> list[dict[str, Any]]:
    """One row per unit, ranked, then one per file that could not be scored; exact decimals.
    `files`: each unit's files in the output folder, by id() of its Evaluation."""
    rows: list[dict[str, Any]] = []
    for evaluation, rank in result.ranks():
        self_total = evaluation.claimed_total
        scored = evaluation.framework.scored
        rows.append(
            {
                "rank": rank,
                "unit": evaluation.data.unit,
                "project": evaluation.data.project,
                "framework": evaluation.framework.id,
                "total": evaluation.total if scored else None,
                "max": evaluation.max if scored else None,
                "self_total": self_total,
                "difference": evaluation.total - self_total if scored and self_total is not None else None,
                "grade": evaluation.grade or ("不计分" if not scored else evaluation.grade_text),
                "complete": evaluation.complete,
                "flags": len(evaluation.flags),
                "data_file": evaluation.data.path,
                "review_total": evaluation.review_total,
                "reviewed": len(evaluation.reviews) or None,
                "note": evaluation.data.note,
                "readings": [{"reading": label, "total": total} for label, total in evaluation.readings],
                "files": list((files or {}).get(id(evaluation), ())),
            }
        )
    for failed in result.failed:
        rows.append({key: None for key in _TOTAL_COLUMNS} | {"grade": "无法计分", "complete": False, "data_file": where(failed), "readings": [], "files": []})
    return rows


def _problem_rows(result: BatchResult, problems: Sequence[Problem]) -> list[Problem]:
    """Every flag, every file that could not be read, units entered twice, and `problems`."""
    rows: list[Problem] = []
    for evaluation in result.ranking():
        for flag in evaluation.flags:
            rows.append((evaluation.data.unit, evaluation.data.path or "", flag.title, "/".join(flag.path) or "全表", flag.message))
    for failed in result.failed:
        rows.append((None, where(failed), "无法读取", "全表" if failed.label is None else "整行", failed.error or ""))
    for name, found in result.repeated():
        rows.append((name, "、".join(found), "单位重复", "全表", f"同一评价框架下录入了 {len(found)} 次，请核对是否重复"))
    rows.extend(problems)
    return rows


def _totals(totals: Any, result: BatchResult, files: Mapping[int, Sequence[str]] | None) -> None:
    _append(totals, list(_TOTAL_COLUMNS.values()))
    for row in _unit_rows(result, files):
        readings = [(reading["reading"], reading["total"]) for reading in row["readings"]]
        cells = dict(row, complete="是" if row["complete"] else "否", readings=readings_text(readings) or None, files="、".join(row["files"]) or None)
        _append(totals, [_num(v) if isinstance(v, Decimal) else v for v in cells.values()])


def _problems(flags: Any, result: BatchResult, problems: Sequence[Problem]) -> None:
    for row in _problem_rows(result, problems):
        _append(flags, list(row))


def summary_dict(
    result: BatchResult, problems: Sequence[Problem] = (), version: str | None = None, files: Mapping[int, Sequence[str]] | None = None
) -> dict[str, Any]:
    """The batch as plain data (汇总.json): the rows of 汇总.xlsx with exact decimals as strings.
    The keys are a stable interface, described by the schema batch.schema.json."""
    units = [{key: _plain(v) for key, v in row.items()} for row in _unit_rows(result, files)]
    return {
        "schema_version": SCHEMA_VERSION,
        "evalcore_version": version,
        "units": units,
        "problems": [dict(zip(_PROBLEM_KEYS, row)) for row in _problem_rows(result, problems)],
    }


def _plain(value: Any) -> Any:
    """Exact decimals as strings, in the readings too."""
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, list):
        return [{key: _plain(v) for key, v in item.items()} if isinstance(item, dict) else item for item in value]
    return value


def render_summary_json(result: BatchResult, problems: Sequence[Problem] = (), version: str | None = None, files: Mapping[int, Sequence[str]] | None = None) -> str:
    return json.dumps(summary_dict(result, problems, version, files), ensure_ascii=False, indent=2) + "\n"
