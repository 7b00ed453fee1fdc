"""Writes the workbook cases of the bad-input corpus (data/xlsx-*.xlsx) from the data templates,
as an officer fills them. Run from the repository root after changing a case:

    .venv/bin/python tests/corpus/make_workbooks.py [file name ...]

With names, only those cases are written (the others keep their bytes).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from evalcore import get_registry
from evalcore.workbook import INPUT_SHEET, template_workbook

HERE = Path(__file__).resolve().parent / "data"

# file name -> (framework, {input: (value typed, number format or None)})
CASES: dict[str, tuple[str, dict[str, tuple[Any, str | None]]]] = {
    "xlsx-percent-fraction.xlsx": ("hunan.taojiang.dept.2021", {"满意度": (0.9, None)}),
    "xlsx-percent-formatted.xlsx": ("hunan.taojiang.dept.2021", {"满意度": (0.9, "0%")}),
    "xlsx-headcount-with-fraction.xlsx": ("hunan.hecheng.dept.2020", {"编制数": (37.5, None), "在职人员数": (31, None)}),
    "xlsx-negative-money.xlsx": ("hunan.hecheng.dept.2020", {"本年三公经费": (-1.17, None)}),
    "xlsx-scientific-text.xlsx": ("hunan.hecheng.dept.2020", {"编制数": ("3.7e1", None)}),
    "xlsx-over-declared-max.xlsx": ("hunan.hecheng.dept.2020", {"本年三公经费": (20000000, None)}),
    # A % written as text in the format: 90 shows 90.00%, and is 90 %.
    "xlsx-percent-literal-format.xlsx": ("hunan.taojiang.dept.2021", {"满意度": (90, '0.00"%"')}),
    "xlsx-percent-escaped-format.xlsx": ("hunan.taojiang.dept.2021", {"满意度": (90, "0\\%")}),
    "xlsx-money-percent-formatted.xlsx": ("hunan.hecheng.dept.2020", {"本年三公经费": (1.17, "0%")}),
    "xlsx-thousands-text.xlsx": ("hunan.hecheng.dept.2020", {"本年三公经费": ("11,700元", None), "三公经费预算数": (2, None)}),
    "xlsx-comma-ambiguous.xlsx": ("hunan.hecheng.dept.2020", {"本年三公经费": ("1,17", None)}),
    "xlsx-unicode-minus.xlsx": ("hunan.hecheng.dept.2020", {"本年三公经费": ("\u22121.17", None)}),
}


def main(names: list[str]) -> None:
    registry = get_registry()
    for name, (framework_id, values) in CASES.items():
        if names and name not in names:
            continue
        path = HERE / name
        path.write_bytes(template_workbook(registry.framework(framework_id)))
        book = load_workbook(path)
        sheet = book[INPUT_SHEET]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value in values:
                value, number_format = values[row[0].value]
                row[3].value = value
                if number_format:
                    row[3].number_format = number_format
        book["单位信息"]["B3"] = "测试单位"
        book.save(path)


if __name__ == "__main__":
    main(sys.argv[1:])
