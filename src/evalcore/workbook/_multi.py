"""The 多单位 sheet of a data template: one unit per row, for a reviewer entering many units.

Every column of the single-unit sheets has its counterpart here: the unit's details, each input,
and for each indicator its self-score, review score, stated figure, checkpoint answers, cases,
evaluator's score and reason, and not-applicable mark. Columns are found by their titles, so a
reviewer may hide, reorder or delete the ones not used; a title the framework does not know is
reported with its cell. In a row, every cell that cannot be read is reported with its cell, and a
row with errors is reported without stopping the other rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import evolve

from ..load import data_from_mapping
from ..model import DataError, ErrorGroup, EvalcoreError, Framework, UnitData, display_path, frozen, normalize_text
from ..plugin import Registry
from ..rules import ChecklistRule, PerCaseRule
from ._cells import at_cells, cell_location, cell_text, checked_number, complete_checklists, covered, declared_unit, head_number, head_values, input_cell, number_text, open_book, shown_number_cell, yes_no_cell
from ._formulas import Formulas
from ._guard import sheet_too_large
from ._rows import merged_value_errors
from ._sheets import ENTRY_COLUMNS, MULTI_SHEET, template_example

__all__ = ["IGNORED_TITLES", "Column", "has_units", "multi_columns", "read_workbook_units", "title_key", "write_multi_sheet"]

TEMPLATE_ROWS = 500  # rows of the template that get the 是/否 drop-downs


@frozen
class Column:
    """A column of the 多单位 sheet: its title and what it holds.

    `field` is unit, project or self_total; input (`key` = the input id); or an indicator entry's
    field (`key` = the indicator id): self, review, stated, checkpoint (`number` from 1), cases,
    score, reason or not_applicable.
    """

    title: str
    field: str
    key: str | None = None
    number: int = 0
    yes_no: bool = False
    unit: str | None = None  # an input's title may name the unit its bare numbers are in: 公用经费决算数（元）


def multi_columns(framework: Framework) -> list[Column]:
    """The sheet's columns in template order."""
    columns = [Column("评价单位", "unit"), Column("项目名称", "project"), Column("自评总分", "self_total")]
    columns += [Column(spec.id, "input", spec.id, yes_no=spec.type == "bool") for spec in framework.inputs]
    for leaf in framework.leaves():
        columns += [_entry_column(leaf.id, "self"), _entry_column(leaf.id, "review")]
        if leaf.formula is not None:
            columns.append(_entry_column(leaf.id, "stated"))
        if isinstance(leaf.rule, ChecklistRule):
            columns += [_entry_column(leaf.id, "checkpoint", f"要点{n}", n) for n in range(1, len(leaf.rule.checkpoints) + 1)]
        if isinstance(leaf.rule, PerCaseRule):
            columns.append(_entry_column(leaf.id, "cases"))
        columns += [_entry_column(leaf.id, "score"), _entry_column(leaf.id, "reason"), _entry_column(leaf.id, "not_applicable")]
    return columns


def _entry_column(indicator: str, field: str, word: str | None = None, number: int = 0) -> Column:
    return Column(f"{indicator}·{word or ENTRY_COLUMNS[field]}", field, indicator, number, field in ("checkpoint", "not_applicable"))


# Columns a reviewer's own spreadsheet commonly adds; they are kept out of scoring.
IGNORED_TITLES = ("序号", "备注", "说明")
_SEPARATORS = str.maketrans({"・": "·", "•": "·", "．": "·", ".": "·", "‧": "·", "･": "·"})


_UNIT_SUFFIX = re.compile(r"(.+)\(([^()]+)\)")


def title_key(title: str) -> str:
    """A column title as compared: full-width forms folded, spaces dropped, any middle dot as ·."""
    return "".join(normalize_text(title).translate(_SEPARATORS).split())


def write_multi_sheet(book: Any, framework: Framework, bold: Any, fill: Any) -> None:
    """Add the 多单位 sheet to a template workbook: titles, 是/否 drop-downs, frozen unit column,
    and on each input's title a note of its unit and an example."""
    from openpyxl.comments import Comment
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(MULTI_SHEET)
    columns = multi_columns(framework)
    sheet.append([column.title for column in columns])
    choices = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    sheet.add_data_validation(choices)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(10, min(24, len(column.title) * 2))
        if column.yes_no:
            choices.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        if column.field in ("unit", "self_total"):
            cell.fill = fill
        spec = framework.input(column.key) if column.field == "input" and column.key else None
        if spec is not None:
            unit = f"单位：{spec.unit}；" if spec.unit else ""
            cell.comment = Comment(f"{spec.label}\n{unit}示例：{template_example(spec)}", "evalcore")
    sheet.freeze_panes = "B2"


def has_units(book: Any) -> bool:
    """Whether the workbook's 多单位 sheet has a unit: a row with a value outside the columns kept
    out of scoring (formatting alone, or a pre-numbered 序号 column, is no unit)."""
    if MULTI_SHEET not in book.sheetnames:
        return False
    sheet = book[MULTI_SHEET]
    if sheet_too_large(sheet):
        return False  # not walked: open_book refuses it, naming the sheet
    ignored = _ignored_columns(sheet)
    return any(_filled(value) and index not in ignored for row in sheet.iter_rows(min_row=2, values_only=True) for index, value in enumerate(row))


def _ignored_columns(sheet: Any) -> set[int]:
    """The columns kept out of scoring: those titled 序号, 备注 or 说明."""
    return {index for index, title in enumerate(next(sheet.iter_rows(max_row=1, values_only=True), ())) if _filled(title) and _kept_out(title_key(str(title)))}


def _kept_out(key: str) -> bool:
    """Whether a column (by its title_key) is one kept out of scoring (序号, 备注, 说明…)."""
    return key.startswith(IGNORED_TITLES)


def _filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


Unit = tuple[str, Framework | None, UnitData | None, str | None]


def read_workbook_units(path: Path, registry: Registry, framework_id: str | None = None, book: Any = None) -> Iterator[Unit]:
    """Units of a 多单位 sheet, one per row: (label, framework, data, error). `book` is the
    workbook when the caller has read it already (open_book)."""
    if book is None:
        book = open_book(path)
    head = head_values(book, path)
    named = framework_id or head.get("评价框架")
    if not named:
        raise DataError("“单位信息”页没有填写评价框架", cell_location(path, "单位信息", "B2"))
    framework = registry.framework(str(named))
    year_errors: list[EvalcoreError] = []
    year = head_number(path, book, "年度", year_errors)
    if year_errors:
        raise year_errors[0]
    sheet = book[MULTI_SHEET]
    columns = _header(path, sheet, framework)
    ignored = {index for index, column in columns.items() if column is None}
    unit_column = next((index for index, column in columns.items() if column is not None and column.field == "unit"), None)
    formulas = Formulas(path)
    merged = _merged_rows(path, sheet, [index + 1 for index, column in columns.items() if column is not None])
    for row in sheet.iter_rows(min_row=2):
        values = [cell_text(sheet, cell) for cell in row]
        if all(value is None for index, value in enumerate(values) if index not in ignored):
            continue
        label = f"{MULTI_SHEET}!第 {row[0].row} 行"
        who = f"（{values[unit_column]}）" if unit_column is not None and values[unit_column] is not None else ""
        if row[0].row in merged:
            # A value merged over several units' rows would be copied into each: no guess.
            yield label, None, None, "\n".join(_with_unit_name(str(problem), who) for problem in merged[row[0].row])
            continue
        try:
            yield label, framework, _read_row(path, sheet, row, values, columns, framework, year, formulas), None
        except EvalcoreError as exc:
            problems = exc.errors if isinstance(exc, ErrorGroup) else [exc]
            yield label, None, None, "\n".join(_with_unit_name(str(problem), who) for problem in problems)
        except Exception as exc:  # noqa: BLE001 - one row must never take the others with it
            yield label, None, None, f"{display_path(path)} [{label}]{who}: 内部错误 {type(exc).__name__}: {exc}"


def _merged_rows(path: Path, sheet: Any, columns: list[int]) -> dict[int, list[EvalcoreError]]:
    """The rows a merged range puts one value over, with the error naming the range: a unit's
    figures must be its own."""
    if not getattr(getattr(sheet, "merged_cells", None), "ranges", None) and getattr(sheet.cell(row=1, column=1), "covered", None) is None:
        return {}  # no range, and no cell a range covers
    rows = {row: f"第 {row} 行" for row in range(2, (sheet.max_row or 1) + 1)}
    _errors, refused = merged_value_errors(path, sheet, columns, rows, "单位")
    found: dict[int, list[EvalcoreError]] = {}
    for (row, _column), error in refused.items():
        if error not in found.setdefault(row, []):
            found[row].append(error)
    return found


def _with_unit_name(text: str, who: str) -> str:
    # Every problem names its cell or its row as "[多单位!…]": the unit's name goes right after it.
    start = text.find(f"[{MULTI_SHEET}")
    end = text.find("]", start)
    return text if start < 0 or end < 0 or not who else text[: end + 1] + who + text[end + 1 :]


def _header(path: Path, sheet: Any, framework: Framework) -> dict[int, Column | None]:
    """Each titled column: what it holds, or None for a column kept out of scoring (序号, 备注)."""
    known = {title_key(column.title): column for column in multi_columns(framework)}
    found: dict[int, Column | None] = {}
    seen: dict[str, str] = {}
    errors: list[EvalcoreError] = []
    if all(cell_text(sheet, cell) is None for cell in sheet[1]):
        raise DataError(f"“{MULTI_SHEET}”页第一行没有列名", cell_location(path, MULTI_SHEET, "A1"), hint=f"第一行须是模板的列名（评价单位、各项基础数据……）；可用 evalcore template {framework.id} --multi 重新生成模板")
    for index, cell in enumerate(sheet[1]):
        title = cell_text(sheet, cell)
        if title is None or covered(cell):  # a merged title is reported once, at its first cell
            continue
        key = title_key(str(title))
        column = known.get(key)
        named_unit = _UNIT_SUFFIX.fullmatch(key)
        base = known.get(named_unit[1]) if column is None and named_unit else None
        if named_unit and base is not None and base.field == "input":
            # 编制数（人）, 公用经费决算数（元）, （单位：元）: the unit of the column's bare numbers.
            spec = framework.input(base.key or "")
            assert spec is not None
            try:
                column = evolve(base, title=str(title), unit=declared_unit(spec, named_unit[2]))
            except ValueError as exc:
                errors.append(DataError(f"列名“{title}”：{exc}", cell_location(path, MULTI_SHEET, cell.coordinate), hint=f"括号中写单位 {spec.unit}，或同类的单位，或去掉括号"))
                continue
            key = named_unit[1]
        if column is None and _kept_out(key):
            found[index] = None
        elif column is None:
            errors.append(
                DataError(
                    f"列名“{title}”不是框架 {framework.id} 的“多单位”页的列",
                    cell_location(path, MULTI_SHEET, cell.coordinate),
                    hint=f"第一行须是模板的列名，请勿修改；可用 evalcore template {framework.id} --multi 重新生成模板对照。自己加的列请以“序号”“备注”或“说明”开头；只有基础数据的列可在括号中注明单位",
                ),
            )
        elif key in seen:
            errors.append(DataError(f"列名“{title}”重复（另见 {seen[key]}）", cell_location(path, MULTI_SHEET, cell.coordinate), hint="每列只能出现一次：删去多余的一列"))
        else:
            seen[key] = cell.coordinate
            found[index] = column
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    return found


def _read_row(path: Path, sheet: Any, row: Any, values: list[Any], columns: dict[int, Column | None], framework: Framework, year: Decimal | None, formulas: Formulas) -> UnitData:
    errors: list[EvalcoreError] = []
    cells: dict[tuple[str, str], str] = {}
    mapping: dict[str, Any] = {"framework": framework.id, "inputs": {}, "indicators": {}}
    entries: dict[str, dict[str, Any]] = mapping["indicators"]
    answers: dict[str, dict[int, bool]] = {}
    misread: set[str] = set()
    if year is not None:
        mapping["year"] = int(year)
    for index, (cell, value) in enumerate(zip(row, values)):
        column = columns.get(index, _UNTITLED) if index in columns or value is not None else None
        if column is _UNTITLED:
            errors.append(DataError(f"这一列没有列名，填写的“{value}”无法识别", cell_location(path, MULTI_SHEET, cell.coordinate), hint="在第一行写上模板的列名，或把内容移到对应的列"))
            continue
        if column is None:
            continue
        where = cell.coordinate
        key = column.key or ""
        if column.field == "checkpoint":
            cells[(key, f"#{column.number}")] = where
        elif column.key is not None and column.field != "input":
            cells[(key, column.field)] = where
        if column.field == "input":
            spec = framework.input(key)
            assert spec is not None
            typed = input_cell(path, sheet, cell, spec, errors, column.unit, formulas)
            if typed is not None:
                mapping["inputs"][spec.id] = typed
        elif value is None or (column.field in ("self_total", "stated", "self", "review", "score", "cases") and shown_number_cell(path, sheet, cell, key or column.title, column.title, errors)):
            continue
        elif column.field in ("unit", "project"):
            mapping[column.field] = str(value)
        elif column.field == "self_total":
            number = checked_number(path, MULTI_SHEET, where, value, column.title, errors)
            if number is not None:
                mapping["self_total"] = number
        elif column.field == "checkpoint":
            answer = yes_no_cell(path, sheet, cell, key, column.title, errors, misread)
            if answer is not None:
                answers.setdefault(key, {})[column.number] = answer
        elif column.field == "not_applicable":
            if yes_no_cell(path, sheet, cell, key, column.title, errors):
                entries.setdefault(key, {})["not_applicable"] = True
        elif column.field == "reason":
            entries.setdefault(key, {})["reason"] = str(value)
        elif column.field == "stated":
            entries.setdefault(key, {})["stated"] = number_text(value)
        else:
            number = checked_number(path, MULTI_SHEET, where, value, column.title, errors)
            if number is not None:
                entries.setdefault(key, {})[column.field] = number
    complete_checklists(path, MULTI_SHEET, framework, answers, cells, misread, entries, errors)
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    try:
        data = data_from_mapping(mapping, framework, path=f"{display_path(path)} [{MULTI_SHEET}!第 {row[0].row} 行]")
    except EvalcoreError as exc:
        raise at_cells(exc, path, cells, MULTI_SHEET) from None
    return data


_UNTITLED = Column("", "untitled")  # a cell with a value under a column with no title
