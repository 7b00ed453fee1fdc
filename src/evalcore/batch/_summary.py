"""The summary of a batch: the rows of 汇总.xlsx (drawn by _sheets) and 汇总.json — one row per
unit ranked, and every flag and every file that could not be read."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import field

from ..model import FLAG_KINDS, define, display_path, fmt, readings_text
from ..outputs import GROUP_OVER, SCHEMA_VERSION, removal_lines, removed_characters
from ._row import UnitRow
from ._run import BatchResult, where

__all__ = ["JUDGMENT_UNITS", "MANY_FILES", "Carried", "judgment_row", "problem_key", "rank_key", "render_summary_json", "shared_judgments", "summary_dict", "summary_workbook"]

# A row of the 问题 sheet: 评价单位, 数据文件, 类别, 指标, 说明.
Problem = tuple[str | None, str, str, str, str]
# A unit of 排名 as the review reads it back: 数据文件路径, 数据行, 评价单位, 项目.
RankKey = tuple[str, str, str, str]
# A row of 问题 likewise: 评价单位, 数据文件, 类别, 指标.
ProblemKey = tuple[str, str, str, str]


@define
class Carried:
    """What a reviewer typed into an earlier 汇总.xlsx of the same folder, written again into the
    new one (a later batch must not cost the reviewer the work): 排名's (审核得分, 审核意见) by unit,
    问题's 审核意见 by row; `placed` counts what found its unit or row again."""

    ranking: dict[RankKey, tuple[object, object]] = field(factory=dict)
    problems: dict[ProblemKey, object] = field(factory=dict)
    placed: int = 0

    @property
    def count(self) -> int:
        """How many entries there are (a unit's 审核得分 and 审核意见 count as two)."""
        return sum(1 for pair in self.ranking.values() for value in pair if value is not None) + len(self.problems)


def rank_key(values: Sequence[object]) -> RankKey:
    """The key of a 排名 row from its 数据文件路径, 数据行, 评价单位 and 项目 (as cells hold them)."""
    path, label, unit, project = ("" if value is None else str(value).strip() for value in values)
    return (path, label, unit, project)


def problem_key(values: Sequence[object]) -> ProblemKey:
    unit, file, category, where = ("" if value is None else str(value).strip() for value in values)
    return (unit, file, category, where)


def _num(value: Decimal | None) -> float | None:
    # Workbook cells hold numbers; scores have at most the framework's places, exact in binary enough to display.
    return None if value is None else float(value)


def summary_workbook(
    result: BatchResult, problems: Sequence[Problem] = (), files: Mapping[int, Sequence[str]] | None = None, carried: Carried | None = None
) -> bytes:
    """The reviewer's workbook: 排名 (one row per unit, ranked, with 审核得分 and 审核意见 to fill),
    问题 (every flag, every file that could not be read, and the `problems` met while writing the
    units' files, with 审核意见 to fill), 指标 (each indicator across units) and 图表. `carried`: what
    the reviewer typed into the earlier 汇总.xlsx, put back on its units and rows."""
    carried = carried if carried is not None else Carried()
    from openpyxl.workbook.workbook import Workbook

    from ._sheets import chart_sheet, indicator_sheet, indicator_stats, kind_headers, problem_sheet, rank_sheet, workbook_bytes

    def build(book: Workbook) -> None:
        ranking = book.active
        ranking.title = "排名"
        kinds, headers = kind_headers(result.scored)
        with removed_characters() as removed:
            titles = list(dict.fromkeys(e.framework.title for e in result.ranking()))
            rank_sheet(ranking, headers, _rank_rows(result, kinds, len(headers), files, carried), _grade_places(result), titles, "批量计分汇总：排名")
        rows = _problem_rows(result, problems)
        with removed_characters() as removed_later:
            # Written once to learn what was removed, and again with what was removed listed on 问题.
            problem_sheet(book.create_sheet("问题"), rows, "批量计分汇总：问题", _notes(rows, carried))
        # What was removed is reported on 问题, where the reviewer looks for what to check.
        extra: list[Problem] = [(None, "汇总.xlsx", "控制字符", "全表", line) for line in removal_lines(removed + [r for r in removed_later if r not in removed])]
        if extra:
            del book["问题"]
            problem_sheet(book.create_sheet("问题"), rows + extra, "批量计分汇总：问题", _notes(rows, carried, count=False))
        stats = indicator_stats(result.ranking())
        indicator_sheet(book.create_sheet("指标"), stats, "批量计分汇总：各指标得分")
        losses = sorted((item for item in stats if item.lost > 0), key=lambda item: -item.lost)[:10]
        chart_sheet(
            book.create_sheet("图表"),
            _grade_counts(result),
            _bands(result),
            [(_short(item.path, stats), float(item.lost)) for item in losses],
            "批量计分汇总：图表",
        )

    return workbook_bytes(build)


def _notes(rows: Sequence[Problem], carried: Carried, count: bool = True) -> list[object]:
    """The 审核意见 of each 问题 row carried from the earlier 汇总.xlsx."""
    notes = [carried.problems.get(problem_key(row[:4])) for row in rows]
    if count:
        carried.placed += sum(1 for note in notes if note is not None)
    return notes


def _rank_rows(result: BatchResult, kinds: Sequence[str], columns: int, files: Mapping[int, Sequence[str]] | None, carried: Carried) -> list[list[object]]:
    """The 排名 sheet's rows: the columns of _sheets.RANK_HEADERS, the counts by kind, RANK_TAIL."""
    outcomes = {id(unit.row): unit for unit in result.units if unit.row is not None}
    rows: list[list[object]] = []
    for row, (evaluation, _rank) in zip(_unit_rows(result, files), [*result.ranks(), *((None, None) for _ in result.failed)]):
        unit = outcomes.get(id(evaluation)) if evaluation is not None else None
        counts: list[object] = [None] * columns
        if evaluation is not None:
            found = [flag.kind for flag in evaluation.flags]
            counts = [found.count(kind) or None for kind in kinds]
            if len(counts) < columns:  # 其他问题
                counts.append(sum(1 for kind in found if kind not in kinds) or None)
        fully = evaluation is not None and evaluation.fully_reviewed
        readings = [(reading["reading"], reading["total"]) for reading in row["readings"]]
        # A review total only once every indicator is reviewed, unless the reviewer typed one.
        review: object = row["review_total"] if fully else None
        note: object = None
        if unit is not None:
            typed = carried.ranking.get(rank_key((str(unit.path.resolve()), unit.label, row["unit"], row["project"])))
            if typed is not None:
                carried.placed += sum(1 for value in typed if value is not None)
                review, note = typed[0] if typed[0] is not None else review, typed[1]
        values: list[object] = [
            row["rank"],
            evaluation.framework.title if evaluation is not None else None,
            row["unit"],
            row["project"],
            row["total"],
            row["self_total"],
            row["difference"],
            review,
            row["grade"],
            row["flags"],
            note,
            *counts,
            row["max"],
            None if evaluation is None else ("是" if row["complete"] else "否"),
            row["data_file"],
            row["framework"],
            row["review_total"],
            row["reviewed"],
            row["note"],
            readings_text(readings) or None,
            "、".join(row["files"]) or None,
            str(unit.path.resolve()) if unit is not None else None,
            unit.label if unit is not None else None,
        ]
        rows.append([_num(v) if isinstance(v, Decimal) else v for v in values])
    return rows


def _grade_places(result: BatchResult) -> list[tuple[str, float]]:
    """Each grade word of the batch's frameworks with its place from best (0) to worst (1)."""
    places: dict[str, float] = {}
    for framework in {e.framework.id: e.framework for e in result.scored}.values():
        bands = framework.grades
        for number, band in enumerate(bands):
            places.setdefault(band, number / max(len(bands) - 1, 1))
    return list(places.items())


def _grade_counts(result: BatchResult) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for evaluation in result.ranking():
        if evaluation.framework.scored:
            word = evaluation.grade or "不评定"
            counts[word] = counts.get(word, 0) + 1
    order = [band for e in result.scored for band in e.framework.grades]
    return sorted(counts.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))


# Bands of 计算总分 / 满分 for the distribution of scores (the frameworks' totals differ).
_BANDS = ((Decimal("0.9"), "90% 及以上"), (Decimal("0.8"), "80%–90%"), (Decimal("0.7"), "70%–80%"), (Decimal("0.6"), "60%–70%"), (Decimal(0), "60% 以下"))


def _bands(result: BatchResult) -> list[tuple[str, int]]:
    counts = {label: 0 for _floor, label in _BANDS}
    for evaluation in result.scored:
        if evaluation.framework.scored and evaluation.max:
            rate = evaluation.total / evaluation.max
            counts[next(label for floor, label in _BANDS if rate >= floor)] += 1
    return list(reversed(counts.items()))


def _short(path: str, stats: Sequence[Any]) -> str:
    """An indicator's name, with its group where two indicators share the name."""
    tail = path.rsplit("/", 1)[-1]
    shared = sum(1 for item in stats if item.path.rsplit("/", 1)[-1] == tail) > 1
    return "/".join(path.split("/")[-2:]) if shared else tail


# The 总分 sheet's columns and the JSON keys of a unit, in the same order.
_TOTAL_COLUMNS = {
    "rank": "排名",
    "unit": "评价单位",
    "project": "项目",
    "framework": "评价框架",
    "total": "计算总分",
    "max": "满分",
    "self_total": "自评总分",
    "difference": "差额",
    "grade": "等级",
    "complete": "是否完整",
    "flags": "问题数",
    "data_file": "数据文件",
    "review_total": "审核得分合计",
    "reviewed": "已审核项数",
    "note": "备注",
    "readings": "待核实：两种读法下的计算总分",
    "files": "结果文件",
}
_PROBLEM_KEYS = ("unit", "data_file", "category", "where", "message")


def _unit_rows(result: BatchResult, files: Mapping[int, Sequence[str]] | None = None) -> list[dict[str, Any]]:
    """One row per unit, ranked, then one per file that could not be scored; exact decimals.
    `files`: each unit's files in the output folder, by id() of its row."""
    rows: list[dict[str, Any]] = []
    for evaluation, rank in result.ranks():
        self_total = evaluation.claimed_total
        scored = evaluation.framework.scored
        rows.append(
            {
                "rank": rank,
                "unit": evaluation.unit,
                "project": evaluation.project,
                "framework": evaluation.framework.id,
                "total": evaluation.total if scored else None,
                "max": evaluation.max if scored else None,
                "self_total": self_total,
                "difference": evaluation.total - self_total if scored and self_total is not None else None,
                "grade": evaluation.grade or ("不计分" if not scored else evaluation.grade_text),
                "complete": evaluation.complete,
                "flags": len(evaluation.flags),
                "data_file": evaluation.data_path,
                "review_total": evaluation.review_total,
                "reviewed": evaluation.reviewed or None,
                "note": evaluation.note,
                "readings": [{"reading": label, "total": total} for label, total in evaluation.readings],
                "files": list((files or {}).get(id(evaluation), ())),
            }
        )
    for failed in result.failed:
        rows.append({key: None for key in _TOTAL_COLUMNS} | {"grade": "无法计分", "complete": False, "data_file": where(failed), "readings": [], "files": []})
    return rows


def _problem_rows(result: BatchResult, problems: Sequence[Problem]) -> list[Problem]:
    """Every flag, every file that could not be read, units entered twice, and `problems`. A score
    given by judgment on the same indicator of the same framework in several units (an indicator
    for which no unit has data) is one row naming the units, after each unit's other flags."""
    rows: list[Problem] = []
    shared = shared_judgments(result)
    for evaluation in result.ranking():
        own = [f for f in evaluation.flags if f.kind == "assessed" and (evaluation.framework.id, f.path) not in shared]
        for flag in evaluation.flags:
            if flag.kind == "assessed" and (len(own) > GROUP_OVER or (evaluation.framework.id, flag.path) in shared):
                continue
            rows.append((evaluation.unit, evaluation.data_path or "", flag.title, "/".join(flag.path) or "全表", flag.message))
        if len(own) > GROUP_OVER:
            # As the unit's 问题清单 has it: one row naming the indicators scored by judgment.
            names = "、".join(flag.path[-1] for flag in own)
            message = f"{names} 没有数据，采用评定得分；各项的得分和理由见该单位的问题清单和评分表"
            rows.append((evaluation.unit, evaluation.data_path or "", FLAG_KINDS["assessed"], f"共 {len(own)} 项", message))
    for (_framework, path), evaluations in shared.items():
        rows.append(judgment_row(path, evaluations))
    for failed in result.failed:
        rows.append((None, where(failed), "无法读取", "全表" if failed.label is None else "整行", failed.error or ""))
    for name, found in result.repeated():
        rows.append((name, "、".join(found), "单位重复", "全表", f"同一评价框架下录入了 {len(found)} 次，请核对是否重复"))
    rows.extend(problems)
    return rows


# Units named in the row that stands for a judgment score given in many units; the rest are counted.
NAMED_UNITS = 10
JUDGMENT_UNITS = "个单位"  # the 评价单位 of such a row ends so: "12 个单位"
MANY_FILES = "（多个数据文件）"  # and its 数据文件


def shared_judgments(result: BatchResult) -> dict[tuple[str, tuple[str, ...]], list[UnitRow]]:
    """(framework id, indicator path) → the units that scored it by judgment, where two or more did."""
    found: dict[tuple[str, tuple[str, ...]], list[UnitRow]] = {}
    for evaluation in result.ranking():
        for flag in evaluation.flags:
            if flag.kind == "assessed":
                found.setdefault((evaluation.framework.id, flag.path), []).append(evaluation)
    return {key: units for key, units in found.items() if len(units) > 1}


def judgment_row(path: tuple[str, ...], evaluations: Sequence[UnitRow]) -> Problem:
    """One 问题 row for an indicator scored by judgment in many units."""
    names = [e.unit or display_path(e.data_path or "") for e in evaluations]
    listing = "、".join(names[:NAMED_UNITS]) + (f" 等 {len(names)} 个单位" if len(names) > NAMED_UNITS else "")
    title = evaluations[0].framework.title
    message = f"{title}：{len(names)} 个单位都没有该指标的数据，采用评定得分（{listing}）；各单位的得分和理由见其问题清单和评分表"
    return (f"{len(names)} {JUDGMENT_UNITS}", MANY_FILES, FLAG_KINDS["assessed"], "/".join(path), message)


def summary_dict(
    result: BatchResult, problems: Sequence[Problem] = (), version: str | None = None, files: Mapping[int, Sequence[str]] | None = None
) -> dict[str, Any]:
    """The batch as plain data (汇总.json): the rows of 汇总.xlsx with exact decimals as strings.
    The keys are a stable interface, described by the schema batch.schema.json."""
    units = [{key: _plain(v) for key, v in row.items()} for row in _unit_rows(result, files)]
    return {
        "schema_version": SCHEMA_VERSION,
        "evalcore_version": version,
        "units": units,
        "problems": [dict(zip(_PROBLEM_KEYS, row)) for row in _problem_rows(result, problems)],
    }


def _plain(value: Any) -> Any:
    """Exact decimals as strings, in the readings too."""
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, list):
        return [{key: _plain(v) for key, v in item.items()} if isinstance(item, dict) else item for item in value]
    return value


def render_summary_json(result: BatchResult, problems: Sequence[Problem] = (), version: str | None = None, files: Mapping[int, Sequence[str]] | None = None) -> str:
    return json.dumps(summary_dict(result, problems, version, files), ensure_ascii=False, indent=2) + "\n"
