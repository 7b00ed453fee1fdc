"""What the Hunan 评分表 and 自评报告 share: the rows of the scoring table, the merged level cells
(一级/二级/三级指标 with their weights), display widths of Chinese text, and the wording of scores."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import frozen

from evalcore import Evaluation, Flag, GroupResult, LeafResult, fmt
from evalcore.outputs import display_width, text_lines

__all__ = [
    "LEVELS",
    "LevelCell",
    "Row",
    "display_width",
    "flag_sentences",
    "fmt",
    "groups_by_path",
    "layout",
    "leaf_where",
    "points",
    "report_key",
    "report_paragraphs",
    "report_table",
    "row_score",
    "row_self_score",
    "scored",
    "sheet_title",
    "short_names",
    "text_lines",
]

LEVELS = 3  # the table has 一级, 二级 and 三级 columns; deeper levels go into 指标说明

Node = GroupResult | LeafResult


@frozen
class Row:
    """A body row of the table: one leaf, or (when `aggregate`) a 三级 group standing for its leaves."""

    node: Node
    path: tuple[str, ...]

    @property
    def leaves(self) -> tuple[LeafResult, ...]:
        return (self.node,) if isinstance(self.node, LeafResult) else tuple(self.node.leaves())

    @property
    def weight(self) -> Decimal:
        return self.node.weight if isinstance(self.node, LeafResult) else self.node.max

    @property
    def detail(self) -> str | None:
        """The names below 三级 for a leaf deeper than the table's level columns."""
        return "／".join(self.path[LEVELS:]) or None


@frozen
class LevelCell:
    """Text in the level columns covering rows first..last and level columns col..last_col (0-based)."""

    text: str
    first: int
    last: int
    col: int
    last_col: int
    node: Node


def groups_by_path(evaluation: Evaluation) -> dict[tuple[str, ...], GroupResult]:
    out: dict[tuple[str, ...], GroupResult] = {}
    stack: list[Node] = list(evaluation.children)
    while stack:
        node = stack.pop()
        if isinstance(node, GroupResult):
            out[node.path] = node
            stack.extend(node.children)
    return out


def _walk(nodes: Sequence[Node], aggregate: bool) -> Iterator[Row]:
    for node in nodes:
        if isinstance(node, LeafResult):
            yield Row(node, node.path)
        elif aggregate and len(node.path) == LEVELS:
            yield Row(node, node.path)
        else:
            yield from _walk(node.children, aggregate)


def points(value: Decimal) -> str:
    return f"{fmt(value)}分"


def scored(evaluation: Evaluation) -> bool:
    """False for forms that report completion without points (米易 2021): no weights, no totals."""
    return bool(getattr(evaluation.framework, "scored", True))


def _label(name: str, weight: Decimal | None) -> str:
    return name if weight is None else f"{name}\n（{points(weight)}）"


def layout(evaluation: Evaluation, aggregate: bool = False) -> tuple[list[Row], list[LevelCell]]:
    """The body rows in framework order and the level-column cells, each with the rows it spans.

    A group covers the rows of its leaves in its level's column. A leaf shallower than 三级 takes its
    own level's column and the columns to its right in its row. With `aggregate`, a 三级 group
    that holds deeper leaves (桃江's 1-point rows) is one row; otherwise each of its leaves is a row,
    the 三级 name spanning them.
    """
    rows = list(_walk(evaluation.children, aggregate))
    groups = groups_by_path(evaluation)
    show = scored(evaluation)
    cells: list[LevelCell] = []
    for col in range(LEVELS):
        start = 0
        while start < len(rows):
            row = rows[start]
            depth = len(row.path)
            if depth < col + 1:  # covered by the row's own cell to the left
                start += 1
                continue
            if depth == col + 1:
                cells.append(LevelCell(_label(row.path[-1], row.weight if show else None), start, start, col, LEVELS - 1, row.node))
                start += 1
                continue
            key = row.path[: col + 1]
            end = start
            while end + 1 < len(rows) and len(rows[end + 1].path) > col + 1 and rows[end + 1].path[: col + 1] == key:
                end += 1
            group = groups[key]
            cells.append(LevelCell(_label(key[-1], group.max if show else None), start, end, col, col, group))
            start = end + 1
    cells.sort(key=lambda c: (c.first, c.col))
    return rows, cells


def row_score(row: Row) -> Decimal | None:
    """The computed score of a row; None (never 0) when any of its leaves has none."""
    scores = [leaf.score for leaf in row.leaves]
    if any(score is None for score in scores):
        return None
    return sum((s for s in scores if s is not None), Decimal(0))


def row_self_score(row: Row) -> Decimal | None:
    scores = [leaf.self_score for leaf in row.leaves if leaf.self_score is not None]
    return sum(scores, Decimal(0)) if scores else None






def leaf_where(flag: Flag) -> str:
    return "/".join(flag.path) or "全表"


def short_names(paths: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Each path's shortest '/'-joined suffix that no other path ends with (管理制度健全性 occurs twice
    in 鹤城's table, as 预算管理/管理制度健全性 and 资产管理/管理制度健全性)."""
    out: dict[tuple[str, ...], str] = {}
    for path in paths:
        for k in range(1, len(path) + 1):
            suffix = path[-k:]
            if k == len(path) or sum(1 for other in paths if other[-k:] == suffix) == 1:
                out[path] = "/".join(suffix)
                break
    return out


def flag_sentences(flags: Sequence[Flag], paths: Sequence[tuple[str, ...]] = (), limit: int = 3) -> list[str]:
    """Flags as sentences. Flags of one kind on more than `limit` indicators are summed up in one
    sentence naming the indicators (by their shortest unambiguous name among `paths`), as the
    terminal table does."""
    names = short_names(list(paths))
    by_kind: dict[str, list[Flag]] = {}
    for flag in flags:
        by_kind.setdefault(flag.kind, []).append(flag)
    out: list[str] = []
    for kind, group in by_kind.items():
        title = group[0].title
        on_leaves = [f for f in group if f.path]
        if kind in ("assessed", "not_applicable", "missing_input") and len(on_leaves) > limit:
            listed = "、".join(names.get(f.path, f.path[-1]) for f in on_leaves)
            what = {
                "assessed": "未依据数据计分，采用评定得分",
                "not_applicable": "标记为不适用",
                "missing_input": "缺少数据，未能计分",
            }[kind]
            out.append(f"【{title}】共 {len(on_leaves)} 项指标{what}：{listed}。")
            rest = [f for f in group if not f.path]
        else:
            rest = group
        for flag in rest:
            message = flag.message.rstrip("。")
            where = f"“{leaf_where(flag)}”：" if flag.path else ""
            out.append(f"【{title}】{where}{message}。")
    return out


_NUMBERING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.．])\s*")


def report_key(key: str) -> str:
    """A [report] key without a leading outline number: "（一）机构设置情况" → "机构设置情况"."""
    return _NUMBERING.sub("", key).strip()


def report_paragraphs(value: Any) -> list[str]:
    """The paragraphs of one [report] entry: a string (one paragraph per line) or a list of them."""
    if value is None:
        return []
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, (list, tuple)):
        return [p for item in value for p in report_paragraphs(item)]
    if isinstance(value, Mapping):
        return [f"{k}：{'；'.join(report_paragraphs(v))}" for k, v in value.items()]
    return [str(value)]


def report_table(evaluation: Evaluation) -> dict[str, Any]:
    """The data file's [report] table keyed without outline numbers."""
    return {report_key(str(k)): v for k, v in evaluation.data.report.items()}


_YEAR = re.compile(r"(?:19|20)\d\d\s*年")
_PLACE = re.compile(r".+?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|区|旗)")


def sheet_title(evaluation: Evaluation) -> str:
    """Region + year + 年度 + framework title, without repeating what the title already says: a
    title that names a year (桃江县2021年度…) keeps it, even where the data's year differs (the
    year_mismatch finding says so), and a title that names the region or one of its places (桃江县)
    is printed as the framework prints it."""
    framework = evaluation.framework
    year = evaluation.data.year or framework.year
    title = framework.title
    year_part = "" if _YEAR.search(title) else f"{year}年度"
    region = framework.region or ""
    places = _PLACE.findall(region) or [region]
    region_part = "" if not region or any(place in title for place in places) else region
    return f"{region_part}{year_part}{title}"
