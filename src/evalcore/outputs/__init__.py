"""How an evaluation looks: the terminal table, JSON, Markdown and CSV; the framework views of
`show`, `explain` and the reference pages; line wrapping by terminal cells; atomic file writing and
safe file names; the one sanitiser of text written into workbooks and documents; and what the
provinces' document writers share (report outline, printed-sheet styles).

It imports evalcore.model only. `import evalcore.outputs` stays light: what needs rich or openpyxl
(the table, wrapping, the framework views) is imported when first used; the printed-sheet styles
are in evalcore.outputs.sheet, imported by workbook writers only.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._cells import cell_number
from ._files import TEMP_PREFIX, UniqueNames, output_path, refuse_unsafe_target, safe_name, write_output
from ._general import GENERAL_FORMATTERS, TEXT_SUFFIXES
from ._outline import DEPT_OUTLINE, PROJECT_OUTLINE, REPORT_HEADINGS, REPORT_TAIL, SIGNATURE_KEYS, Heading, outline_for, outline_keys
from ._sanitize import FORMULA_START, Removal, clean_text, put_text, removal_lines, removed_characters
from ._text import SCHEMA_VERSION, evaluation_dict, json_schema, question_advice, question_line, render_csv, render_json, render_markdown, summary_lines, total_text, unscored_count

if TYPE_CHECKING:
    from ._issues import GROUP_OVER, ReviewNote, issues_workbook
    from ._reference import reference_page
    from ._table import flag_lines, make_console, render_table
    from ._tree import render_blocks, render_explain, render_framework
    from ._wrap import display_width, text_lines, wrap

# Names whose modules import rich or openpyxl: loaded on first use (PEP 562).
_LAZY = {
    "GROUP_OVER": "._issues",
    "ReviewNote": "._issues",
    "issues_workbook": "._issues",
    "display_width": "._wrap",
    "text_lines": "._wrap",
    "wrap": "._wrap",
    "flag_lines": "._table",
    "make_console": "._table",
    "render_table": "._table",
    "render_blocks": "._tree",
    "render_explain": "._tree",
    "render_framework": "._tree",
    "reference_page": "._reference",
}

__all__ = [
    "DEPT_OUTLINE",
    "FORMULA_START",
    "GENERAL_FORMATTERS",
    "GROUP_OVER",
    "PROJECT_OUTLINE",
    "REPORT_HEADINGS",
    "REPORT_TAIL",
    "SCHEMA_VERSION",
    "SIGNATURE_KEYS",
    "TEMP_PREFIX",
    "TEXT_SUFFIXES",
    "Heading",
    "Removal",
    "ReviewNote",
    "UniqueNames",
    "cell_number",
    "clean_text",
    "display_width",
    "evaluation_dict",
    "flag_lines",
    "issues_workbook",
    "json_schema",
    "make_console",
    "outline_for",
    "outline_keys",
    "output_path",
    "put_text",
    "question_advice",
    "question_line",
    "reference_page",
    "refuse_unsafe_target",
    "removal_lines",
    "removed_characters",
    "render_blocks",
    "render_csv",
    "render_explain",
    "render_framework",
    "render_json",
    "render_markdown",
    "render_table",
    "safe_name",
    "summary_lines",
    "text_lines",
    "total_text",
    "unscored_count",
    "wrap",
    "write_output",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
