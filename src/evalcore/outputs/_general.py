"""The general output formats the core registers for every framework: table, json, md and csv."""

from __future__ import annotations

from ..model import Evaluation, FormatOptions, Formatter
from ._text import render_csv, render_json, render_markdown

__all__ = ["GENERAL_FORMATTERS"]


def _render_table(evaluation: Evaluation, options: FormatOptions) -> str:
    # rich is imported only when a table is actually drawn.
    from ._table import render_table

    return render_table(evaluation, options)


GENERAL_FORMATTERS: tuple[Formatter, ...] = (
    Formatter("table", "终端表格", _render_table, suffix=".txt"),
    Formatter("json", "JSON（机器接口）", render_json, suffix=".json"),
    Formatter("md", "Markdown", render_markdown, suffix=".md"),
    Formatter("csv", "CSV（逐项指标）", render_csv, suffix=".csv"),
)
