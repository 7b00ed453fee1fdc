"""What a sheet's layout can hide from the values read out of it: a key written on two rows (the
second would silently replace the first), and a merged range over the cells that hold values
(Excel keeps one value, at its top-left cell, and shows it over every row the range spans).

Both readers (openpyxl, and calamine for the template's own workbooks) hand these checks the same
sheet and cell attributes: a cell's `coordinate` and `row`, a sheet's `title` and
`merged_cells.ranges`, each range with `min_row`, `min_col`, `max_row`, `max_col` (from 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from ..model import DataError, EvalcoreError, Location, display_path

__all__ = ["KeyRows", "MergedSpan", "merged_value_errors"]

class MergedSpan(NamedTuple):
    """A merged range as the checks read it, for a reader that has no openpyxl CellRange: its
    first and last row and column, from 1."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int


_UNMERGE = "请取消合并（选中该区域，“开始”→“合并后居中”→“取消单元格合并”），在每一行分别填写"


class KeyRows:
    """The rows of a sheet already read, by key: a key on a second row is an error naming both
    cells, as a key written twice in a JSON or TOML data file is."""

    def __init__(self, path: Path, sheet: str, what: str) -> None:
        self.path, self.sheet, self.what = path, sheet, what
        self._first: dict[str, str] = {}

    def repeated(self, key: str, coordinate: str, errors: list[EvalcoreError], shown: str | None = None) -> bool:
        """Whether `key` was read on an earlier row (reported in `errors`); `shown` is the key as the
        officer wrote it, when it differs from the key compared."""
        first = self._first.get(key)
        if first is None:
            self._first[key] = coordinate
            return False
        name = shown or key
        message = f"“{self.sheet}”页中{self.what}“{name}”出现了两次（{self.sheet}!{first} 与 {self.sheet}!{coordinate}），不知道以哪一行为准"
        location = Location(file=f"{display_path(self.path)} [{self.sheet}!{coordinate}]", key=key)
        errors.append(DataError(message, location, hint=f"只保留一行：把正确的值填在其中一行，删去另一行（{self.sheet}!{first} 或 {self.sheet}!{coordinate} 所在的行）"))
        return True


def merged_value_errors(path: Path, sheet: Any, columns: Iterable[int], names: dict[int, str], what: str) -> tuple[list[EvalcoreError], dict[tuple[int, int], EvalcoreError]]:
    """The merged ranges that put one value over the value cells of several keys, or over a key's
    value cell from another cell (a range starting in another column or row, or widening one value
    cell over another): errors naming the range and the keys, and the error of every value cell
    (row, column) they cover, so that no value is read from them. `columns` are the value columns
    (from 1), `names` the key of each row that has one (by row number). A range elsewhere (over
    说明, or one value cell widened over blank cells that are not read) shows each value where it
    is kept and is left alone.

    A sheet whose ranges are not known (`merged_cells.ranges` empty) but whose cells say whether a
    range covers them (`covered`, as the calamine reader's do) still has each covered value cell
    refused, named by its cell."""
    wanted = sorted(set(columns))
    errors: list[EvalcoreError] = []
    refused: dict[tuple[int, int], EvalcoreError] = {}
    ranges = list(getattr(getattr(sheet, "merged_cells", None), "ranges", None) or ())
    for merged in ranges:
        top, left, bottom, right = int(merged.min_row), int(merged.min_col), int(merged.max_row), int(merged.max_col)
        hit = [column for column in wanted if left <= column <= right]
        rows = [row for row in range(top, bottom + 1) if row in names]
        if not hit or not rows or (rows == [top] and hit == [left]):
            continue  # no value cell under it, or one key's value cell widened over cells not read
        span = f"{_letters(left)}{top}:{_letters(right)}{bottom}"
        keys = "、".join(f"“{names[row]}”" for row in rows)
        if len(rows) > 1:
            message = f"“{sheet.title}”页的合并单元格 {span} 跨越了{what}{keys}的填写栏：合并后 Excel 只保存左上角 {_letters(left)}{top} 的一个值，显示在每一行，不知道它属于哪一项"
        else:
            message = f"“{sheet.title}”页的合并单元格 {span} 盖住了{what}{keys}的填写栏，显示的是 {_letters(left)}{top} 的内容，不是这一栏自己填的值"
        error = DataError(message, Location(file=f"{display_path(path)} [{sheet.title}!{span}]", key=names[rows[0]]), hint=f"{what}的填写栏不能合并：{_UNMERGE}")
        errors.append(error)
        refused.update(((row, column), error) for row in rows for column in hit)
    if ranges or not names or getattr(sheet, "covers", True) is False or getattr(sheet.cell(row=min(names), column=1), "covered", None) is None:
        return errors, refused  # openpyxl's sheets know their ranges: a covered cell is in one; a sheet that covers none has none to refuse
    for row, name in names.items():
        for column in wanted:
            if not getattr(sheet.cell(row=row, column=column), "covered", False):
                continue
            where = f"{_letters(column)}{row}"
            message = f"“{sheet.title}”页的 {where} 是合并单元格的一部分，盖住了{what}“{name}”的填写栏，显示的不是这一栏自己填的值"
            error = DataError(message, Location(file=f"{display_path(path)} [{sheet.title}!{where}]", key=name), hint=f"{what}的填写栏不能合并：{_UNMERGE}")
            errors.append(error)
            refused[(row, column)] = error
    return errors, refused


def _letters(column: int) -> str:
    """A column's letters: 1 is A, 27 AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
