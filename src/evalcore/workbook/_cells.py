"""Reading the cells officers fill in Excel or WPS: numbers typed as text ("3.5万元", "21 ",
full-width digits), percentages as 95% or as a %-formatted 0.95, 是/否 and √/×, merged cells, empty
cells. Every cell that cannot be read is reported with its sheet and cell, and so is a number whose
format shows another number or unit than it holds (_display)."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..forms import input_hint, read_input_value, yes_no_word
from ..model import UNITS, DataError, ErrorGroup, EvalcoreError, Framework, InputSpec, Location, display_path, fmt, normalize_text, number_problem, to_decimal
from ..rules import ChecklistRule
from ._display import format_section, shown_otherwise
from ._formulas import UNCALCULATED_HINT, Formulas
from ._guard import check_sheets, check_workbook, read_checked
from ._rows import KeyRows, merged_value_errors
from ._sheets import ENTRY_COLUMNS, HEAD_SHEET, INDICATOR_SHEET

__all__ = [
    "at_cells",
    "cell_location",
    "cell_text",
    "checked_number",
    "complete_checklists",
    "covered",
    "declared_unit",
    "head_number",
    "head_values",
    "input_cell",
    "number_text",
    "open_book",
    "open_workbook",
    "percent_shown",
    "shown_number_cell",
    "yes_no",
    "yes_no_cell",
]


def covered(cell: Any) -> bool:
    """Whether a cell is covered by a merged range (not its top-left cell)."""
    flag = getattr(cell, "covered", None)
    if flag is not None:
        return bool(flag)  # read with calamine
    from openpyxl.cell.cell import MergedCell

    return isinstance(cell, MergedCell)


def _merged_value(sheet: Any, cell: Any) -> Any:
    """A merged cell's value lives in the range's top-left cell."""
    if getattr(cell, "covered", None) is not None:  # read with calamine (_fast.FastCell)
        return cell.shown
    # Only the covered cells of a range are MergedCells: the others need no search of the ranges.
    if not covered(cell):
        return cell.value
    for merged in sheet.merged_cells.ranges:
        if cell.coordinate in merged:
            return sheet.cell(row=merged.min_row, column=merged.min_col).value
    return cell.value


def cell_text(sheet: Any, cell: Any) -> Any:
    """A cell's value as the officer sees it: text stripped (None when blank), a number shown with
    % as that percentage ("95%": 0.95 in a 0% format, 95 in a 0"%" format), a date or time in ISO
    form; other numbers as they are."""
    value = cell.shown if getattr(cell, "covered", None) is not None else _merged_value(sheet, cell)  # read with calamine, or openpyxl
    if value is None:
        return None  # most cells of a sheet are blank
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    factor = percent_shown(cell.number_format, value)
    if factor is not None:
        try:
            return f"{fmt(to_decimal(value) * factor)}%"
        except (ValueError, ArithmeticError):
            return value  # not a usable number: reported where the cell is read
    return value


def percent_shown(number_format: str | None, value: Any) -> Decimal | None:
    """How a cell's number format shows a number with %: it multiplies by 100 where the format has
    a % of its own (0%, 0.00%), by 1 where the % is written text ("0.00\"%\"", 0\\%: 90 shows
    90.00%); None when it shows no %, or the value is no number. Excel picks the format's section
    by the sign: positive;negative;zero."""
    if not number_format or not ("%" in number_format or "％" in number_format) or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    _index, parts = format_section(_format_parts().finditer(number_format), value)
    if any(part.group("percent") for part in parts):
        return _HUNDRED
    written = "".join(part.group("text") or part.group("escaped") or part.group("other") or "" for part in parts)
    return _ONE if "%" in written or "％" in written else None


@functools.cache
def _format_parts() -> re.Pattern[str]:
    """The parts of an Excel number format, with openpyxl's patterns for quoted text and [..]
    sections: text written as it is (quoted, escaped \\%), spacing (_x) and fill (*x) that show no
    character of their own, a section break, a % that multiplies by 100, any other character."""
    from openpyxl.styles.numbers import LITERAL_GROUP, LOCALE_GROUP

    return re.compile(rf"(?P<text>{LITERAL_GROUP})|{LOCALE_GROUP}|\\(?P<escaped>.)|[_*].|(?P<section>;)|(?P<percent>%)|(?P<other>.)", re.DOTALL)


_HUNDRED, _ONE = Decimal(100), Decimal(1)


def open_book(path: Path) -> Any:
    """A workbook read once: with calamine when `evalcore template` made it and no cell of it can
    show a % (see _fast), otherwise with openpyxl."""
    from ._fast import read_fast  # its patterns are compiled when a workbook is read

    book = read_fast(read_checked(path))
    if book is not None:
        return book  # its sheets' areas are checked as it is read
    return open_workbook(path, checked=True)


def open_workbook(path: Path, checked: bool = False) -> Any:
    from openpyxl import load_workbook

    if not checked:
        check_workbook(path)
    try:
        book = load_workbook(path, data_only=True)
        check_sheets(path, book)
        return book
    except DataError:
        raise
    except FileNotFoundError:
        raise DataError("找不到文件", Location(file=display_path(path)), hint="请检查路径是否正确") from None
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise DataError("无法作为 Excel 工作簿打开：文件已损坏或不是 .xlsx 格式", Location(file=display_path(path)), hint="请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）") from None


def cell_location(path: Path, sheet: str, cell: str, key: str | None = None) -> Location:
    return Location(file=f"{display_path(path)} [{sheet}!{cell}]", key=key)


def declared_unit(spec: InputSpec, text: Any) -> str | None:
    """The unit a sheet declares for an input's bare numbers, when it is not the input's own:
    None for none or for a name of the same unit ("百分比" for "%"); ValueError for a unit the
    input cannot be converted from."""
    if text is None or spec.unit is None:
        return None
    unit = normalize_text(str(text)).removeprefix("单位:").strip()
    own, given = UNITS[spec.unit], UNITS.get(unit)
    if not unit or unit == spec.unit or (given is not None and given.family == own.family and given.factor == own.factor):
        return None
    if given is None or given.family != own.family:
        usable = "、".join(name for name, u in UNITS.items() if u.family == own.family)
        raise ValueError(f"“{unit}”不是“{spec.label}”可用的单位（可用：{usable}）")
    return unit


def input_cell(path: Path, sheet: Any, cell: Any, spec: InputSpec, errors: list[EvalcoreError], unit: str | None = None, formulas: Formulas | None = None) -> Any:
    """The value of an input's cell as the data reader takes it, None when empty or unreadable
    (reported in `errors`). `unit` is the unit the column's title names for bare numbers
    ("公用经费决算数（元）"). A %-formatted cell reads as "95%"; a bare 0.95 in a percent input is
    read as typed and questioned like the same number in a TOML file. An empty cell is looked up in
    `formulas`: a formula never calculated is reported, not taken as blank."""
    value = cell_text(sheet, cell)
    if value is not None and percent_shown(cell.number_format, _merged_value(sheet, cell)) is not None and not _percent_input(spec):
        # The officer sees "9000%" in a cell formatted as a percentage: say so, not that "%" was typed.
        shown = f"以{spec.unit}计" if spec.unit else "不是百分数"
        message = f"输入“{spec.label}”的单元格设为百分比格式，显示为 {value}，而本项{shown}"
        errors.append(DataError(message, cell_location(path, sheet.title, cell.coordinate, spec.id), hint="请把单元格格式改为“常规”或“数值”后重新填写"))
        return None
    displayed = shown_otherwise(cell.number_format, _merged_value(sheet, cell), unit or spec.unit) if value is not None else None
    if displayed is not None:
        # 120000 in 0!.0000"万元" shows as 12.0000万元: what Excel shows is not what the cell holds.
        errors.append(_shown_otherwise_error(path, sheet, cell, spec, value, displayed, unit or spec.unit))
        return None
    if value is None:
        formula = formulas.formula(sheet.title, cell.coordinate) if formulas is not None else None
        if formula is not None:
            message = f"输入“{spec.label}”的单元格是公式 {formula}，但工作簿中没有保存它的计算结果，按空白会缺少此项输入"
            errors.append(DataError(message, cell_location(path, sheet.title, cell.coordinate, spec.id), hint=UNCALCULATED_HINT))
        return None
    if unit is not None and unit != spec.unit and _bare_number(value):
        value = f"{normalize_text(str(value))}{unit}"
    try:
        read_input_value(spec, value)
    except ValueError as exc:
        hint = {"bool": "在下拉框中选“是”或“否”", "text": "填写文字"}.get(spec.type) or input_hint(spec)
        errors.append(DataError(str(exc), cell_location(path, sheet.title, cell.coordinate, spec.id), hint=hint))
        return None
    return value


def shown_number_cell(path: Path, sheet: Any, cell: Any, key: str, what: str, errors: list[EvalcoreError]) -> bool:
    """Whether a score, count or stated figure's cell has a format that shows another number than
    it holds (reported in `errors`): 85 in 0!.0 shows as 8.5."""
    value = _merged_value(sheet, cell)
    displayed = shown_otherwise(cell.number_format, value, None, any_unit=True)
    if displayed is None:
        return False
    message = f"“{what}”的单元格存的数是 {fmt(to_decimal(value))}，但它的数字格式 {cell.number_format} 让 Excel 显示为“{displayed}”：显示的与存的不是同一个数，evalcore 不猜按哪一个计分"
    errors.append(DataError(message, cell_location(path, sheet.title, cell.coordinate, key), hint="请把单元格格式改为“常规”后重新填写"))
    return True


def _shown_otherwise_error(path: Path, sheet: Any, cell: Any, spec: InputSpec, value: Any, shown: str, unit: str | None) -> DataError:
    held = fmt(to_decimal(value))
    read = f"{held}{unit}" if unit else held
    message = f"输入“{spec.label}”的单元格存的数是 {held}（按单位读作 {read}），但它的数字格式 {cell.number_format} 让 Excel 显示为“{shown}”：显示的与存的不是同一个数，evalcore 不猜按哪一个计分"
    hint = f"请把单元格格式改为“常规”后重新填写：显示的“{shown}”是对的，就填写 {shown}；存的 {held} 是以另一单位计的数（如元），就连单位一起写（如 {held}元），或把这一行的单位改为它"
    return DataError(message, cell_location(path, sheet.title, cell.coordinate, spec.id), hint=hint)


def _percent_input(spec: InputSpec) -> bool:
    return spec.unit is not None and UNITS[spec.unit].family == "percent"


def _bare_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        to_decimal(normalize_text(str(value)))
    except (TypeError, ValueError, ArithmeticError):
        return False
    return True


def yes_no(value: Any) -> bool | None:
    """是/否 as typed in a cell (√/×, 1/0, an Excel TRUE/FALSE as well); None for anything else."""
    return yes_no_word(str(value))


def at_cells(error: EvalcoreError, path: Path, cells: Mapping[tuple[str, str], str], sheet: str = INDICATOR_SHEET) -> EvalcoreError:
    """Errors found when the cells are put together, moved to the cell the user must change."""
    errors = error.errors if isinstance(error, ErrorGroup) else [error]
    moved: list[EvalcoreError] = []
    for item in errors:
        key = item.location.key or ""
        if key.startswith("indicators."):
            indicator, _, field = key[len("indicators.") :].rpartition(".")
            if "理由" in item.message and field in ("score", "not_applicable"):
                field = "reason"  # the cell to fill is the reason, not the score
            column = ENTRY_COLUMNS.get(field, field)
            message = item.message.replace("（score）", "").replace("（reason）", "").replace("（not_applicable）", "")
            cell = cells.get((indicator, field))
            if cell is not None:
                moved.append(DataError(message, cell_location(path, sheet, cell, f"{indicator}·{column}"), hint="请在“评定理由”一栏写明理由" if "理由" in message else f"请在“{column}”一栏改正"))
            else:
                # The column was deleted from the sheet: say which one to bring back.
                moved.append(DataError(message, Location(file=f"{display_path(path)} [{sheet}]", key=f"{indicator}·{column}"), hint=f"工作表中没有“{indicator}·{column}”一列：请加上这一列并填写"))
            continue
        moved.append(item)
    return moved[0] if len(moved) == 1 else ErrorGroup(moved)


def number_text(value: Any) -> Any:
    if isinstance(value, str):
        return normalize_text(value)
    return value


def yes_no_cell(path: Path, sheet: Any, cell: Any, key: str, what: str, errors: list[EvalcoreError], misread: set[str] | None = None) -> bool | None:
    """A 是/否 cell: None when blank, or when unreadable (reported in `errors`, `key` added to
    `misread` so that it is not also reported as unanswered)."""
    value = cell_text(sheet, cell)
    if value is None:
        return None
    answer = yes_no(value)
    if answer is None:
        errors.append(DataError(f"“{what}”应填 是 或 否，现在是 {value!r}", cell_location(path, sheet.title, cell.coordinate, key)))
        if misread is not None:
            misread.add(key)
    return answer


def complete_checklists(
    path: Path,
    sheet: str,
    framework: Framework,
    answers: dict[str, dict[int, bool]],
    cells: Mapping[tuple[str, str], str],
    misread: set[str],
    entries: dict[str, dict[str, Any]],
    errors: list[EvalcoreError],
) -> None:
    """Checkpoint answers into the entries: all of a checklist's, or an error naming the first
    unanswered one. `cells` maps (indicator, "#N") to the cell of checkpoint N."""
    for leaf_id, given in answers.items():
        leaf = framework.leaf(leaf_id)
        if leaf is None or not isinstance(leaf.rule, ChecklistRule) or leaf_id in misread:
            continue
        count = len(leaf.rule.checkpoints)
        missing = [n for n in range(1, count + 1) if n not in given]
        if not missing:
            entries.setdefault(leaf_id, {})["checkpoints"] = [given[n] for n in range(1, count + 1)]
            continue
        where = cells.get((leaf_id, f"#{missing[0]}"))
        location = cell_location(path, sheet, where, leaf_id) if where else Location(file=f"{display_path(path)} [{sheet}]", key=leaf_id)
        errors.append(DataError(f"评价要点 {'、'.join(str(n) for n in missing)} 没有填写 是/否", location, hint="评价要点要么逐项填写 是/否，要么都不填"))


def checked_number(path: Path, sheet: str, cell: str, value: Any, key: str, errors: list[EvalcoreError]) -> str | None:
    """A number typed in a cell as exact text, None (reported in `errors`) when it is not one.
    Scores and counts are often typed with their word: "2分", "3例"."""
    text = number_text(value)
    if isinstance(text, str) and text[-1:] in ("分", "例"):
        text = text[:-1].strip()
    try:
        return str(to_decimal(text))
    except (TypeError, ValueError) as exc:
        errors.append(DataError(f"应为数字，现在是 {value!r}{number_problem(exc)}", cell_location(path, sheet, cell, key)))
        return None


def head_values(book: Any, path: Path | None = None) -> dict[str, Any]:
    """The 单位信息 sheet as {项目: 填写}; empty when the workbook has no such sheet. Given the
    workbook's `path`, an item on two rows, or one 填写 cell merged over several items, is a
    DataError naming the cells."""
    if HEAD_SHEET not in book.sheetnames:
        return {}
    sheet = book[HEAD_SHEET]
    rows = [row for row in sheet.iter_rows(min_row=2, max_col=2) if row[0].value]
    if path is not None:
        errors, _refused = merged_value_errors(path, sheet, [2], {row[0].row: str(cell_text(sheet, row[0])) for row in rows}, "项目")
        seen = KeyRows(path, HEAD_SHEET, "项目")
        for row in rows:
            seen.repeated(str(cell_text(sheet, row[0])), row[0].coordinate, errors)
        if errors:
            raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    return {str(cell_text(sheet, row[0])): cell_text(sheet, row[1]) for row in rows}


def head_number(path: Path, book: Any, key: str, errors: list[EvalcoreError], values: dict[str, Any] | None = None) -> Decimal | None:
    """A number of the 单位信息 sheet (年度, 自评总分), None when blank or unreadable (reported);
    `values` are the sheet's head_values when the caller has them already."""
    value = (head_values(book) if values is None else values).get(key)
    if value is None:
        return None
    sheet = book[HEAD_SHEET]
    cell = next((row[1] for row in sheet.iter_rows(min_row=2, max_col=2) if row[0].value is not None and str(row[0].value).strip() == key), None)
    if cell is not None and shown_number_cell(path, sheet, cell, key, key, errors):
        return None
    try:
        return to_decimal(number_text(value))
    except (TypeError, ValueError) as exc:
        errors.append(DataError(f"{key}应为数字，现在是 {value!r}{number_problem(exc)}", cell_location(path, HEAD_SHEET, _head_cell(book, key))))
        return None


def _head_cell(book: Any, key: str) -> str:
    """The cell of the 单位信息 sheet where `key` is filled in."""
    for row in book[HEAD_SHEET].iter_rows(min_row=2, max_col=2):
        if row[0].value is not None and str(row[0].value).strip() == key:
            return str(row[1].coordinate)
    return "B"
