"""The 多单位 sheet of a data template: one unit per row, for a reviewer entering many units.

Every column of the single-unit sheets has its counterpart here: the unit's details, each input,
and for each indicator its self-score, review score, stated figure, checkpoint answers, cases,
evaluator's score and reason, and not-applicable mark. Columns are found by their titles, so a
reviewer may hide, reorder or delete the ones not used; a title the framework does not know is
reported with its cell. In a row, every cell that cannot be read is reported with its cell, and a
row with errors is reported without stopping the other rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from attrs import evolve, frozen

from ._data import Conversion, UnitData
from ._errors import DataError, ErrorGroup, EvalcoreError, Location, display_path
from ._model import Framework
from ._plugins import Registry
from ._rules_items import ChecklistRule, PerCaseRule
from ._workbook import ENTRY_COLUMNS, at_cells, cell_location, cell_text, checked_number, head_values, input_cell, number_text, open_workbook, yes_no

__all__ = ["MULTI_SHEET", "Column", "multi_columns", "read_workbook_units", "write_multi_sheet"]

MULTI_SHEET = "多单位"
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


def multi_columns(framework: Framework) -> list[Column]:
    """The sheet's columns in template order."""
    columns = [Column("评价单位", "unit"), Column("项目名称", "project"), Column("自评总分", "self_total")]
    columns += [Column(spec.id, "input", spec.id, yes_no=spec.type == "bool") for spec in framework.inputs]
    for leaf in framework.leaves():

        def entry(field: str, word: str | None = None, number: int = 0) -> Column:
            return Column(f"{leaf.id}·{word or ENTRY_COLUMNS[field]}", field, leaf.id, number, field in ("checkpoint", "not_applicable"))

        columns += [entry("self"), entry("review")]
        if leaf.formula is not None:
            columns.append(entry("stated"))
        if isinstance(leaf.rule, ChecklistRule):
            columns += [entry("checkpoint", f"要点{n}", n) for n in range(1, len(leaf.rule.checkpoints) + 1)]
        if isinstance(leaf.rule, PerCaseRule):
            columns.append(entry("cases"))
        columns += [entry("score"), entry("reason"), entry("not_applicable")]
    return columns


def write_multi_sheet(book: Any, framework: Framework, bold: Any, fill: Any) -> None:
    """Add the 多单位 sheet to a template workbook: titles, 是/否 drop-downs, frozen unit column."""
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
    sheet.freeze_panes = "B2"


def read_workbook_units(path: Path, registry: Registry, framework_id: str | None = None) -> Iterator[tuple[str, Framework | None, UnitData | None, str | None]]:
    """Units of a 多单位 sheet, one per row: (label, framework, data, error)."""
    book = open_workbook(path)
    named = framework_id or head_values(book).get("评价框架")
    if not named:
        raise DataError("“单位信息”页没有填写评价框架", cell_location(path, "单位信息", "B2"))
    framework = registry.framework(str(named))
    sheet = book[MULTI_SHEET]
    columns = _header(path, sheet, framework)
    unit_column = next((index for index, column in columns.items() if column.field == "unit"), None)
    for row in sheet.iter_rows(min_row=2):
        if not any(cell_text(sheet, cell) is not None for cell in row):
            continue
        label = f"{MULTI_SHEET}!第 {row[0].row} 行"
        unit = cell_text(sheet, row[unit_column]) if unit_column is not None and unit_column < len(row) else None
        who = f"（{unit}）" if unit else ""
        try:
            yield label, framework, _read_row(path, sheet, row, columns, framework), None
        except EvalcoreError as exc:
            problems = exc.errors if isinstance(exc, ErrorGroup) else [exc]
            yield label, None, None, "\n".join(_located(problem, path, label, who) for problem in problems)


def _located(problem: EvalcoreError, path: Path, label: str, who: str) -> str:
    # Errors that name no cell (found when the row's values are put together) name the row.
    text = str(problem)
    if f"{MULTI_SHEET}!" in text:
        return text.replace("]: ", f"]{who}: ", 1)
    hint = f"（提示：{problem.hint}）" if problem.hint else ""
    return f"{display_path(path)} [{label}]{who}: {problem.message}{hint}"


def _header(path: Path, sheet: Any, framework: Framework) -> dict[int, Column]:
    known = {column.title: column for column in multi_columns(framework)}
    found: dict[int, Column] = {}
    seen: dict[str, str] = {}
    errors: list[EvalcoreError] = []
    for index, cell in enumerate(sheet[1]):
        title = cell_text(sheet, cell)
        if title is None:
            continue
        title = str(title)
        column = known.get(title)
        if column is None:
            errors.append(DataError(f"列名“{title}”不是框架 {framework.id} 的“多单位”页的列", cell_location(path, MULTI_SHEET, cell.coordinate), hint=f"请勿修改列名；可用 evalcore template {framework.id} --multi 重新生成模板，对照列名"))
        elif title in seen:
            errors.append(DataError(f"列名“{title}”重复（另见 {seen[title]}）", cell_location(path, MULTI_SHEET, cell.coordinate), hint="每列只能出现一次：删去多余的一列"))
        else:
            seen[title] = cell.coordinate
            found[index] = column
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    return found


def _read_row(path: Path, sheet: Any, row: Any, columns: dict[int, Column], framework: Framework) -> UnitData:
    errors: list[EvalcoreError] = []
    fractions: list[Conversion] = []
    cells: dict[tuple[str, str], str] = {}
    mapping: dict[str, Any] = {"framework": framework.id, "inputs": {}, "indicators": {}}
    entries: dict[str, dict[str, Any]] = mapping["indicators"]
    answers: dict[str, dict[int, bool]] = {}
    for index, column in columns.items():
        if index >= len(row):
            continue
        cell = row[index]
        where = cell.coordinate
        if column.field == "input":
            spec = framework.input(column.key or "")
            assert spec is not None
            value = input_cell(path, sheet, cell, spec, errors, fractions)
            if value is not None:
                mapping["inputs"][spec.id] = value
            continue
        value = cell_text(sheet, cell)
        key = column.key or ""
        if column.field == "checkpoint":
            cells[(key, f"#{column.number}")] = where
        elif column.key is not None:
            cells[(key, column.field)] = where
        if value is None:
            continue
        if column.field in ("unit", "project"):
            mapping[column.field] = str(value)
        elif column.field == "self_total":
            mapping["self_total"] = checked_number(path, MULTI_SHEET, where, value, column.title, errors)
        elif column.field in ("checkpoint", "not_applicable"):
            answer = yes_no(value)
            if answer is None:
                errors.append(DataError(f"应填 是 或 否，现在是 {value!r}", cell_location(path, MULTI_SHEET, where, column.title)))
            elif column.field == "checkpoint":
                answers.setdefault(key, {})[column.number] = answer
            elif answer:
                entries.setdefault(key, {})["not_applicable"] = True
        elif column.field == "reason":
            entries.setdefault(key, {})["reason"] = str(value)
        elif column.field == "stated":
            entries.setdefault(key, {})["stated"] = number_text(value)
        else:
            number = checked_number(path, MULTI_SHEET, where, value, column.title, errors)
            if number is not None:
                entries.setdefault(key, {})[column.field] = number
    _checkpoints(path, framework, answers, cells, entries, errors)
    if mapping.get("self_total") is None:
        mapping.pop("self_total", None)
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    try:
        data = UnitData.from_mapping(mapping, framework, path=f"{display_path(path)} [{MULTI_SHEET}!第 {row[0].row} 行]")
    except EvalcoreError as exc:
        raise at_cells(exc, path, cells, MULTI_SHEET) from None
    return evolve(data, conversions=data.conversions + tuple(fractions))


def _checkpoints(path: Path, framework: Framework, answers: dict[str, dict[int, bool]], cells: dict[tuple[str, str], str], entries: dict[str, dict[str, Any]], errors: list[EvalcoreError]) -> None:
    """A checklist's answers, all of them or none: a half-answered checklist names its first gap."""
    for leaf_id, given in answers.items():
        leaf = framework.leaf(leaf_id)
        assert leaf is not None and isinstance(leaf.rule, ChecklistRule)
        count = len(leaf.rule.checkpoints)
        missing = [n for n in range(1, count + 1) if n not in given]
        if missing:
            where = cells.get((leaf_id, f"#{missing[0]}"))
            location = cell_location(path, MULTI_SHEET, where, leaf_id) if where else Location(file=f"{display_path(path)} [{MULTI_SHEET}]", key=leaf_id)
            errors.append(DataError(f"评价要点 {'、'.join(str(n) for n in missing)} 没有填写 是/否", location, hint=f"“{leaf_id}·要点N”各列都要填写"))
        else:
            entries.setdefault(leaf_id, {})["checkpoints"] = [given[n] for n in range(1, count + 1)]
