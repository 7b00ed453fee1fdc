"""Excel data templates (基础数据表.xlsx): written for a framework (`evalcore template`), read back
when filled, one unit per workbook or many on its 多单位 sheet; and the same template as TOML.
Columns are addressed by their titles. A workbook the template made is read with python-calamine
(`_fast`), any other with openpyxl; each is read once (`open_book`).

It imports evalcore.plugin (to find a workbook's framework), outputs, load, rules, forms and model.
openpyxl is imported when a workbook is read or written.
"""

from ._cells import open_book, percent_shown
from ._fallbacks import fallbacks
from ._formulas import UNCALCULATED_HINT
from ._guard import check_workbook
from ._multi import IGNORED_TITLES, Column, has_units, multi_columns, read_workbook_units, title_key
from ._read import read_workbook
from ._sheets import ENTRY_COLUMNS, GUIDE_SHEET, HEAD_SHEET, INDICATOR_COLUMNS, INDICATOR_SHEET, INPUT_COLUMNS, INPUT_SHEET, MULTI_SHEET, REPORT_SHEET, template_example
from ._template import template_workbook
from ._toml_template import template_toml

__all__ = [
    "ENTRY_COLUMNS",
    "GUIDE_SHEET",
    "HEAD_SHEET",
    "IGNORED_TITLES",
    "INDICATOR_COLUMNS",
    "INDICATOR_SHEET",
    "INPUT_COLUMNS",
    "INPUT_SHEET",
    "MULTI_SHEET",
    "REPORT_SHEET",
    "UNCALCULATED_HINT",
    "Column",
    "check_workbook",
    "fallbacks",
    "has_units",
    "multi_columns",
    "open_book",
    "percent_shown",
    "read_workbook",
    "read_workbook_units",
    "template_example",
    "template_toml",
    "template_workbook",
    "title_key",
]
