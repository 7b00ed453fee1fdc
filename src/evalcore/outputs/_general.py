"""The general output formats the core registers for every framework: table, json, md, csv and
the general 评分表 workbook (xlsx) and the 问题清单 workbook (issues)."""

from __future__ import annotations

from ..model import Evaluation, FormatOptions, Formatter
from ._text import render_csv, render_json, render_markdown

__all__ = ["GENERAL_FORMATTERS", "TEXT_SUFFIXES"]


def _render_workbook(evaluation: Evaluation, options: FormatOptions) -> bytes:
    # openpyxl is imported only when a workbook is actually written.
    from ._workbook import render_workbook

    return render_workbook(evaluation, options)


def _render_issues(evaluation: Evaluation, options: FormatOptions) -> bytes:
    from ._issues import render_issues

    return render_issues(evaluation, options)


def _render_table(evaluation: Evaluation, options: FormatOptions) -> str:
    # rich is imported only when a table is actually drawn.
    from ._table import render_table

    return render_table(evaluation, options)


GENERAL_FORMATTERS: tuple[Formatter, ...] = (
    Formatter("table", "终端表格", _render_table, suffix=".txt"),
    Formatter("json", "JSON（机器接口）", render_json, suffix=".json"),
    Formatter("md", "Markdown", render_markdown, suffix=".md"),
    Formatter("csv", "CSV（逐项指标）", render_csv, suffix=".csv"),
    # For frameworks whose province draws no 评分表 of its own; a province's claim is chosen first.
    Formatter("xlsx", "评分表（Excel）", _render_workbook, binary=True, suffix=".xlsx", document="评分表"),
    # The findings a unit and its reviewer work through, kept out of the documents a unit files.
    Formatter("issues", "问题清单（Excel）", _render_issues, binary=True, suffix=".xlsx", document="问题清单"),
)

# The format a text file's extension asks for when -o names no --format: the general one, not a
# province's paragraph that happens to share the extension (sichuan-md).
TEXT_SUFFIXES: dict[str, str] = {".json": "json", ".md": "md", ".csv": "csv", ".txt": "table"}
