"""Reading back a reviewed 汇总.xlsx (`evalcore review`): the 审核得分 and 审核意见 a reviewer typed
on 排名, the 审核意见 typed on 问题, each unit scored again from the data file 排名 records (its
full path is in the hidden column 数据文件路径), and each unit's 问题清单 with the reviewer's notes.

Rows are matched by what they say, not where they are: a reviewer may sort and filter the sheets.
A unit on 排名 is its data file, row of a 多单位 sheet, framework, unit and project; a 问题 row is
its 数据文件 (as 排名 shows it) and 指标. Every mistake in the workbook is collected and reported
together, by sheet and cell, before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from attrs import field

from ..model import DataError, ErrorGroup, EvalcoreError, Evaluation, Location, define, display_path, fmt, frozen
from ..outputs import ReviewNote, issues_workbook, safe_name
from ..plugin import Registry
from ..workbook import check_workbook
from ._run import BatchResult, UnitOutcome, score_files
from ._summary import JUDGMENT_UNITS, MANY_FILES, Carried, problem_key, rank_key
from ._write import output_names

__all__ = ["ISSUES_DOCUMENT", "ReviewedUnit", "UnitReview", "carry_review", "read_review", "review_files"]

ISSUES_DOCUMENT = "问题清单"

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
# The columns `evalcore review` reads from 排名 and 问题 (found by header, wherever they are).
RANK_NEEDS = ("评价单位", "项目", "计算总分", "审核得分", "审核意见", "数据文件", "框架编号", "数据文件路径", "数据行")
PROBLEM_NEEDS = ("评价单位", "数据文件", "类别", "指标", "说明", "审核意见")


@define
class ReviewedUnit:
    """A unit of the reviewed summary, scored again: the reviewer's score and notes."""

    outcome: UnitOutcome
    evaluation: Evaluation
    cell: str  # where its row is, e.g. "排名!B5"
    shown: str  # its 数据文件 as 排名 shows it
    recorded: Decimal | None  # the 计算总分 汇总.xlsx was written with
    review: Decimal | None = None
    notes: list[ReviewNote] = field(factory=list)

    @property
    def name(self) -> str:
        data = self.evaluation.data
        return (data.unit or self.shown) + (f"：{data.project}" if data.project else "")

    @property
    def differs(self) -> bool:
        """A review score that is not the computed total."""
        return self.review is not None and self.review != self.evaluation.total

    @property
    def changed(self) -> bool:
        """The data scores differently now than when 汇总.xlsx was written."""
        return self.recorded is not None and self.evaluation.framework.scored and self.recorded != self.evaluation.total

    def merged_notes(self) -> list[ReviewNote]:
        """The notes for the unit's 问题清单, one per indicator (the 问题清单 fills one cell each),
        a review score that differs from the computed total first among the whole unit's."""
        merged: dict[str, list[str]] = {}
        if self.differs:
            merged[""] = [self.difference_text()]
        for note in self.notes:
            merged.setdefault(note.indicator, []).append(note.text)
        return [ReviewNote(indicator, "；".join(texts)) for indicator, texts in merged.items()]

    def difference_text(self) -> str:
        assert self.review is not None
        diff = self.review - self.evaluation.total
        return f"审核得分 {fmt(self.review)}，计算总分 {fmt(self.evaluation.total)}，相差 {'+' if diff > 0 else ''}{fmt(diff)}"


@frozen
class UnitReview:
    """The reviewed summary: its units in 排名's order."""

    path: Path
    units: tuple[ReviewedUnit, ...]

    @property
    def batch(self) -> BatchResult:
        return BatchResult(tuple(unit.outcome for unit in self.units))


def read_review(path: Path, registry: Registry) -> UnitReview:
    """The reviewed 汇总.xlsx at `path`, every unit scored again (ErrorGroup naming each bad cell)."""
    from openpyxl import load_workbook

    name = display_path(path)
    if not path.is_file():
        raise DataError("找不到汇总表", Location(file=name), hint="请给出 evalcore batch -o 目录 写出的 汇总.xlsx")
    check_workbook(path)
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to replace
        raise DataError(f"无法作为 Excel 工作簿读取（{type(exc).__name__}）", Location(file=name), hint="请给出 evalcore batch 写出的 汇总.xlsx（.xlsx 格式）") from None
    errors: list[EvalcoreError] = []
    ranking = _sheet(book, "排名", name)
    problems = _sheet(book, "问题", name)
    rank_columns = _columns(ranking, RANK_NEEDS, name)
    problem_columns = _columns(problems, PROBLEM_NEEDS, name)
    units = _units(ranking, rank_columns, name, registry, errors)
    _problem_notes(problems, problem_columns, name, units, errors)
    if errors:
        raise ErrorGroup(errors)
    return UnitReview(path, tuple(units))


def review_files(review: UnitReview) -> list[tuple[str, bytes]]:
    """Each unit's {单位}-问题清单.xlsx with the reviewer's notes: (file name, bytes), named as the
    batch names its files."""
    stems = output_names(review.batch, [])
    return [(safe_name(f"{stem}-{ISSUES_DOCUMENT}") + ".xlsx", issues_workbook(unit.evaluation, unit.merged_notes())) for stem, unit in zip(stems, review.units)]


def carry_review(path: Path) -> Carried:
    """What a reviewer typed into the 汇总.xlsx at `path` (empty when there is none, or it cannot be
    read: a batch then writes its summary as usual). A 审核得分 that is the 审核得分合计 evalcore
    filled in is not the reviewer's."""
    from openpyxl import load_workbook

    carried = Carried()
    if not path.is_file():
        return carried
    try:
        check_workbook(path)
        book = load_workbook(path, data_only=True)
        ranking, problems = book["排名"], book["问题"]
        rank_columns = _columns(ranking, RANK_NEEDS, path.name)
        problem_columns = _columns(problems, PROBLEM_NEEDS, path.name)
    except Exception:  # noqa: BLE001 - not a reviewer's workbook: nothing to carry
        return carried
    keys = ("数据文件路径", "数据行", "评价单位", "项目")
    filled = rank_columns.get("审核得分合计")
    for cells in ranking.iter_rows(min_row=2):
        values = {title: cells[column - 1].value if column - 1 < len(cells) else None for title, column in rank_columns.items()}
        score, note = values["审核得分"], values["审核意见"]
        if filled is not None and filled - 1 < len(cells) and score is not None and score == cells[filled - 1].value:
            score = None
        score, note = (None if _text(value) == "" else value for value in (score, note))
        if (score is not None or note is not None) and _text(values["数据文件路径"]):
            carried.ranking[rank_key([values[key] for key in keys])] = (score, note)
    for cells in problems.iter_rows(min_row=2):
        values = {title: cells[column - 1].value if column - 1 < len(cells) else None for title, column in problem_columns.items()}
        if _text(values["审核意见"]):
            carried.problems[problem_key([values[key] for key in ("评价单位", "数据文件", "类别", "指标")])] = values["审核意见"]
    return carried


def _sheet(book: Any, title: str, name: str) -> Any:
    if title not in book.sheetnames:
        raise DataError(f"没有“{title}”页：这不是 evalcore batch 写出的汇总表，或页名被改过", Location(file=name), hint=f"请把页名改回“{title}”，或重新运行 evalcore batch")
    return book[title]


def _columns(sheet: Any, needed: Sequence[str], name: str) -> dict[str, int]:
    header = {str(cell.value).strip(): cell.column for cell in sheet[1] if cell.value is not None}
    missing = [title for title in needed if title not in header]
    if missing:
        shown = "、".join(f"“{title}”" for title in missing)
        raise DataError(f"第 1 行找不到 {shown} 一列", Location(file=name, key=f"{sheet.title}!A1"), hint="请不要改动或删除表头和各列；列可以隐藏，不要删除，可以重新运行 evalcore batch 得到原表")
    return header


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _units(sheet: Any, columns: dict[str, int], name: str, registry: Registry, errors: list[EvalcoreError]) -> list[ReviewedUnit]:
    """The scored units of 排名 with their review scores and notes, each scored again."""
    rows: list[tuple[int, dict[str, object]]] = []
    for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
        values = {title: cells[column - 1].value if column - 1 < len(cells) else None for title, column in columns.items()}
        if all(_text(value) == "" for value in values.values()):
            continue
        rows.append((number, values))
    # Each data file is read once, for all its units (the rows of a 多单位 sheet).
    frameworks: dict[str, set[str]] = {}
    for _number, values in rows:
        if _text(values["数据文件路径"]):
            frameworks.setdefault(_text(values["数据文件路径"]), set()).add(_text(values["框架编号"]))
    scored: dict[str, list[UnitOutcome]] = {}
    for file, ids in frameworks.items():
        source = Path(file)
        if not source.is_file():
            continue
        # The framework it was scored by, also when the batch named it (--framework).
        scored[file] = [unit for _path, units in score_files([source], registry, next(iter(ids)) if len(ids) == 1 and "" not in ids else None) for unit in units]
    units: list[ReviewedUnit] = []
    taken: set[int] = set()
    for number, values in rows:
        where = f"{sheet.title}!{_letter(columns['评价单位'])}{number}"
        review_cell = f"{sheet.title}!{_letter(columns['审核得分'])}{number}"
        review = _score(values["审核得分"], name, review_cell, errors)
        file = _text(values["数据文件路径"])
        if not file:
            if review is not None or _text(values["审核意见"]):
                what = "无法计分的文件" if _text(values["数据文件"]) else "汇总表之外的一行"
                errors.append(DataError(f"这是{what}，不能录入审核得分或审核意见", Location(file=name, key=where), hint="审核得分和审核意见只能填在 evalcore 计分的单位的行中"))
            continue
        if file not in scored:
            errors.append(DataError(f"找不到数据文件 {file}（汇总表记录的数据文件已移走、改名或删除）", Location(file=name, key=where), hint="请把数据文件放回原处，或重新运行 evalcore batch"))
            continue
        outcome = _match(scored[file], values, taken)
        if outcome is None or outcome.evaluation is None:
            unit = _text(values["评价单位"]) or "（未填单位名称）"
            errors.append(
                DataError(
                    f"数据文件 {display_path(file)} 中找不到单位“{unit}”（评价框架 {_text(values['框架编号']) or '未写明'}）",
                    Location(file=name, key=where),
                    hint="请不要改动“评价单位”“项目”“数据文件”等 evalcore 写出的列；数据文件改过时请重新运行 evalcore batch",
                )
            )
            continue
        taken.add(id(outcome))
        evaluation = outcome.evaluation
        if review is not None and not Decimal(0) <= review <= evaluation.max:
            errors.append(DataError(f"审核得分 {fmt(review)} 不在 0 到满分 {fmt(evaluation.max)} 之间", Location(file=name, key=review_cell), hint="请填写 0 到满分之间的审核得分"))
            review = None
        recorded = values["计算总分"]
        reviewed = ReviewedUnit(outcome, evaluation, where, _text(values["数据文件"]), Decimal(str(recorded)) if isinstance(recorded, (int, float)) else None, review)
        note = _text(values["审核意见"])
        if note:
            reviewed.notes.append(ReviewNote("", note))
        units.append(reviewed)
    return units


def _match(outcomes: Sequence[UnitOutcome], values: dict[str, object], taken: set[int]) -> UnitOutcome | None:
    """The unit of a data file that a 排名 row names: its row of a 多单位 sheet, framework, unit and project."""
    label = _text(values["数据行"]) or None
    for outcome in outcomes:
        evaluation = outcome.evaluation
        if id(outcome) in taken or evaluation is None or outcome.label != label:
            continue
        data = evaluation.data
        if (evaluation.framework.id, _text(data.unit), _text(data.project)) == (_text(values["框架编号"]), _text(values["评价单位"]), _text(values["项目"])):
            return outcome
    return None


def _score(value: object, name: str, cell: str, errors: list[EvalcoreError]) -> Decimal | None:
    """A review score as typed: a number, or a number typed as text; empty is no score."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        errors.append(DataError(f"审核得分“{value}”不是数字", Location(file=name, key=cell), hint="请填写数字，如 92.5"))
        return None
    text = value.strip() if isinstance(value, str) else repr(value)
    if isinstance(value, str) and not _NUMBER.match(text):
        errors.append(DataError(f"审核得分“{text}”不是数字", Location(file=name, key=cell), hint="请只填写数字，如 92.5（不要写“分”或其他文字）；没有审核得分的留空"))
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        errors.append(DataError(f"审核得分“{text}”不是数字", Location(file=name, key=cell), hint="请填写数字，如 92.5"))
        return None


def _problem_notes(sheet: Any, columns: dict[str, int], name: str, units: Sequence[ReviewedUnit], errors: list[EvalcoreError]) -> None:
    """The 审核意见 typed on 问题, each given to its unit (a row standing for many units: to each)."""
    by_file: dict[str, ReviewedUnit] = {unit.shown: unit for unit in units}
    for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
        values = {title: cells[column - 1].value if column - 1 < len(cells) else None for title, column in columns.items()}
        note = _text(values["审核意见"])
        if not note:
            continue
        where = f"{sheet.title}!{_letter(columns['审核意见'])}{number}"
        indicator = _text(values["指标"])
        file = _text(values["数据文件"])
        if file == MANY_FILES and _text(values["评价单位"]).endswith(JUDGMENT_UNITS):
            # An indicator scored by judgment in many units: the note goes to each of them.
            framework = _text(values["说明"]).split("：", 1)[0]
            path = tuple(indicator.split("/"))
            found = [
                unit
                for unit in units
                if unit.evaluation.framework.title == framework and any(flag.kind == "assessed" and flag.path == path for flag in unit.evaluation.flags)
            ]
            for unit in found:
                unit.notes.append(ReviewNote(_indicator(indicator), note))
            if found:
                continue
        elif file in by_file:
            unit = by_file[file]
            if indicator.startswith("共 ") or indicator == "全表":
                unit.notes.append(ReviewNote("", f"{_text(values['类别'])}：{note}" if indicator.startswith("共 ") else note))
            else:
                unit.notes.append(ReviewNote(_indicator(indicator), note))
            continue
        errors.append(
            DataError(
                "这一行的审核意见找不到所属的单位（“评价单位”“数据文件”“指标”与排名页的单位对不上）",
                Location(file=name, key=where),
                hint="请不要改动 evalcore 写出的列；无法读取的文件没有问题清单，请直接处理该文件",
            )
        )


def _indicator(path: str) -> str:
    """An indicator as the 问题清单 names it: its last two levels."""
    return "/".join(path.split("/")[-2:])


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))
