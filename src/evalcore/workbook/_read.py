"""Reading a filled data template (基础数据表.xlsx) of one unit: 单位信息, 基础数据, 指标 and
报告文字 sheets; every unreadable cell is reported at once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..load import data_from_mapping
from ..model import DataError, ErrorGroup, EvalcoreError, Framework, Indicator, Location, UnitData, did_you_mean, display_path
from ..plugin import Registry
from ..rules import ChecklistRule
from ._cells import at_cells, cell_location, cell_text, checked_number, complete_checklists, declared_unit, head_number, head_values, input_cell, number_text, open_book, shown_number_cell, yes_no_cell
from ._formulas import Formulas
from ._multi import has_units
from ._rows import KeyRows, merged_value_errors
from ._sheets import ENTRY_COLUMNS, HEAD_SHEET, INDICATOR_COLUMN, INDICATOR_COLUMNS, INDICATOR_SHEET, INPUT_COLUMN, INPUT_SHEET, MULTI_SHEET, REPORT_SHEET

__all__ = ["read_workbook"]


def read_workbook(path: Path, registry: Registry, framework_id: str | None = None, book: Any = None) -> tuple[Framework, UnitData]:
    """Read a filled template; every unreadable cell is reported at once. `book` is the workbook
    when the caller has read it already (open_book)."""
    if book is None:
        book = open_book(path)
    if HEAD_SHEET not in book.sheetnames or INPUT_SHEET not in book.sheetnames:
        raise DataError(f"工作簿中没有“{HEAD_SHEET}”和“{INPUT_SHEET}”页，不是 evalcore 的数据模板", Location(file=display_path(path)), hint="用 evalcore template 框架编号 -o 基础数据表.xlsx 生成模板")
    if has_units(book):
        # The single-unit sheets of a filled 多单位 workbook are blank: scoring them would give 0.
        raise DataError(f"工作簿的“{MULTI_SHEET}”页填有单位，evalcore run 只计一个单位", Location(file=display_path(path)), hint=f"用 evalcore batch {display_path(path)} 为“{MULTI_SHEET}”页的每个单位计分")
    head = head_values(book, path)
    named = framework_id or head.get("评价框架")
    if not named:
        raise DataError("“单位信息”页没有填写评价框架", cell_location(path, HEAD_SHEET, "B2"))
    framework = registry.framework(str(named))
    errors: list[EvalcoreError] = []
    mapping: dict[str, Any] = {"framework": framework.id}
    for key, field in (("评价单位", "unit"), ("项目名称", "project"), ("填报日期", "date")):
        if head.get(key) is not None:
            mapping[field] = str(head[key])
    for key, field in (("年度", "year"), ("自评总分", "self_total")):
        number = head_number(path, book, key, errors, head)
        if number is not None:
            mapping[field] = int(number) if field == "year" else str(number)
    inputs: dict[str, Any] = {}
    cells = _CellPlaces()
    sheet = book[INPUT_SHEET]
    formulas = Formulas(path)
    # One value per input: a merged 填写值 over several rows, or an input on two rows, is no guess.
    named = {row[0].row: str(row[0].value).strip() for row in sheet.iter_rows(min_row=2, max_col=1) if row[0].value}
    merged, refused = merged_value_errors(path, sheet, [INPUT_COLUMN["填写值"] + 1], named, "输入")
    errors += merged
    seen = KeyRows(path, INPUT_SHEET, "输入")
    for row in sheet.iter_rows(min_row=2):
        name_cell, unit_cell, value_cell = (row[INPUT_COLUMN[title]] for title in ("名称", "单位", "填写值"))
        name = name_cell.value
        if not name:
            continue
        spec = framework.input(str(name).strip())
        if spec is not None and (seen.repeated(spec.id, name_cell.coordinate, errors, str(name).strip()) or (value_cell.row, value_cell.column) in refused):
            continue
        if spec is None:
            hint = did_you_mean(str(name).strip(), [n for s in framework.inputs for n in (s.id, s.label)]) or "名称列请保留模板原样，不要改动"
            errors.append(DataError(f"框架 {framework.id} 没有名为“{name}”的输入", cell_location(path, INPUT_SHEET, name_cell.coordinate), hint=hint))
            continue
        # The officer may change the 单位 cell (元 for 万元): bare numbers are then in that unit.
        try:
            unit = declared_unit(spec, cell_text(sheet, unit_cell))
        except ValueError as exc:
            errors.append(DataError(str(exc), cell_location(path, INPUT_SHEET, unit_cell.coordinate, spec.id), hint=f"写框架的单位 {spec.unit}，或同类的单位"))
            continue
        value = input_cell(path, sheet, value_cell, spec, errors, unit, formulas)
        if value is not None:
            inputs[spec.id] = value
    mapping["inputs"] = inputs
    if INDICATOR_SHEET in book.sheetnames:
        mapping["indicators"] = dict(_indicator_entries(path, book[INDICATOR_SHEET], framework, errors, cells))
    if REPORT_SHEET in book.sheetnames:
        sheet = book[REPORT_SHEET]
        seen = KeyRows(path, REPORT_SHEET, "项目")
        rows = [row for row in sheet.iter_rows(min_row=2, max_col=2) if row[0].value and not seen.repeated(str(row[0].value).strip(), row[0].coordinate, errors)]
        texts = {str(row[0].value).strip(): cell_text(sheet, row[1]) for row in rows}
        texts = {key: str(text) for key, text in texts.items() if text is not None}
        if texts:
            mapping["report"] = texts
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    try:
        data = data_from_mapping(mapping, framework, path=path)
    except EvalcoreError as exc:
        # Problems found when the cells are put together (a score without a reason) name the cell.
        raise at_cells(exc, path, cells) from None
    return framework, data


class _CellPlaces(Mapping[tuple[str, str], str]):
    """The cell each (indicator, field) was read from, by its coordinate: the cells are kept, and
    a coordinate is worked out only when an error names it."""

    def __init__(self) -> None:
        self._cells: dict[tuple[str, str], Any] = {}

    def put(self, key: tuple[str, str], cell: Any) -> None:
        self._cells[key] = cell

    def __getitem__(self, key: tuple[str, str]) -> str:
        return str(self._cells[key].coordinate)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._cells)

    def __len__(self) -> int:
        return len(self._cells)


# Each entry field and the column it is typed in, from 0.
_ENTRY_INDEX = [(field, INDICATOR_COLUMN[title]) for field, title in ENTRY_COLUMNS.items()]


def _indicator_entries(path: Path, sheet: Any, framework: Framework, errors: list[EvalcoreError], cells: _CellPlaces) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each indicator's entry; `cells` learns where each (indicator, field) was read from."""
    leaves = {leaf.id: leaf for leaf in framework.leaves()}
    entries: dict[str, dict[str, Any]] = {}
    answers: dict[str, dict[int, Any]] = {}
    misread: set[str] = set()
    header = [str(cell.value).strip() if cell.value is not None else "" for cell in sheet[1]][: len(INDICATOR_COLUMNS)]
    if header != INDICATOR_COLUMNS:
        # Columns were deleted, added or moved: reading by position would put numbers in the wrong place.
        errors.append(DataError(f"“指标”页的列与模板不同（应为：{'、'.join(INDICATOR_COLUMNS)}）", cell_location(path, INDICATOR_SHEET, "A1"), hint="请勿增删或移动列；可用 evalcore template 重新生成模板"))
        return
    named = {row[0].row: str(row[0].value).strip() for row in sheet.iter_rows(min_row=2, max_col=1) if row[0].value}
    merged, refused = merged_value_errors(path, sheet, [INDICATOR_COLUMN[title] + 1 for title in ENTRY_COLUMNS.values() if title != "评定理由"] + [INDICATOR_COLUMN["是否满足"] + 1], named, "指标")
    errors += merged
    refused_rows = {row for row, column in refused if 1 <= column <= len(INDICATOR_COLUMNS)}
    seen = KeyRows(path, INDICATOR_SHEET, "指标编号")
    for row in sheet.iter_rows(min_row=2, max_col=len(INDICATOR_COLUMNS)):
        id_cell, met_cell = row[INDICATOR_COLUMN["指标编号"]], row[INDICATOR_COLUMN["是否满足"]]
        key = id_cell.value
        if not key:
            continue
        key = str(key).strip()
        if seen.repeated(key, id_cell.coordinate, errors) or id_cell.row in refused_rows:
            misread.add(key.partition("#")[0])
            continue
        if "#" in key:
            leaf_id, _, number = key.rpartition("#")
            owner = leaves.get(leaf_id)
            count = len(owner.rule.checkpoints) if owner is not None and isinstance(owner.rule, ChecklistRule) else 0
            if not number.isdigit() or not 1 <= int(number) <= count:
                errors.append(DataError(f"“{key}”不是模板中的评价要点编号（应为“指标编号#序号”，序号 1–{count}）", cell_location(path, INDICATOR_SHEET, id_cell.coordinate)))
                misread.add(leaf_id)
                continue
            cells.put((leaf_id, f"#{int(number)}"), met_cell)
            met = yes_no_cell(path, sheet, met_cell, leaf_id, "是否满足", errors, misread)
            if met is not None:
                answers.setdefault(leaf_id, {})[int(number)] = met
            continue
        leaf: Indicator | None = leaves.get(key)
        if leaf is None:
            hint = did_you_mean(str(key), list(leaves)) or "编号列请保留模板原样，不要改动"
            errors.append(DataError(f"框架 {framework.id} 中没有编号为“{key}”的指标", cell_location(path, INDICATOR_SHEET, id_cell.coordinate), hint=hint))
            continue
        entry: dict[str, Any] = {}
        by_field = {field: row[index] for field, index in _ENTRY_INDEX}
        for field, cell in by_field.items():
            cells.put((key, field), cell)
        for field in ("cases", "score", "self", "review", "stated"):
            cell = by_field[field]
            value = cell_text(sheet, cell)
            if value is not None and not shown_number_cell(path, sheet, cell, key, ENTRY_COLUMNS[field], errors):
                entry[field] = number_text(value) if field == "stated" else checked_number(path, sheet.title, cell.coordinate, value, key, errors)
        reason = cell_text(sheet, by_field["reason"])
        if reason is not None:
            entry["reason"] = str(reason)
        if yes_no_cell(path, sheet, by_field["not_applicable"], key, "不适用", errors):
            entry["not_applicable"] = True
        entries[key] = {k: v for k, v in entry.items() if v is not None}
    complete_checklists(path, INDICATOR_SHEET, framework, answers, cells, misread, entries, errors)
    for key, entry in entries.items():
        if entry:
            yield key, entry


