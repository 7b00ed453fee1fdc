"""The ranking a batch prints: one table per framework (ranks only compare units scored by the
same rules), blocks of lines below the width a table needs, failed files last."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal

from ..model import FormatOptions, display_path, fmt, readings_text
from ..outputs import make_console, wrap
from ._row import UnitRow
from ._run import BatchResult

__all__ = ["PARTLY_REVIEWED", "REVIEW_DIFFERS", "TABLE_ROWS", "render_ranking"]

# Rows of the ranking table drawn at a time.
TABLE_ROWS = 200


def render_ranking(result: BatchResult, width: int, ascii_only: bool = False) -> str:
    from rich import box
    from rich.table import Table

    buffer = io.StringIO()
    console = make_console(FormatOptions(width=width), buffer)
    fixed = {"排名": 4, "计算总分": 8, "自评": 6, "差额": 6, "审核": 6, "等级": 6, "问题": 4}
    # The table needs a unit column of 16 beside the others (and the 审核 column once reviewed).
    reviewed_any = any(e.review_total is not None for e in result.scored)
    narrowest = max(70, 16 + sum(fixed[name] + 3 for name in fixed if reviewed_any or name != "审核"))
    if width < narrowest:
        lines: list[str] = []
        for e, rank in result.ranks():
            self_total = e.claimed_total
            who = (e.unit or str(e.data_path)) + (f"：{e.project}" if e.project else "")
            lines.extend(wrap(f"{rank if rank is not None else '—'}. {who}（{e.framework.id}）", width))
            lines.extend("   " + part for part in wrap(_facts(e, self_total), width - 3))
        if _partly_reviewed(result.scored):
            lines.extend(wrap(PARTLY_REVIEWED, width))
        if any(_review_differs(e) for e in result.scored):
            lines.extend(wrap(REVIEW_DIFFERS, width))
        console.print("\n".join(lines))
    else:
        # One table per framework: ranks only compare units scored by the same rules.
        groups: dict[str, list[tuple[UnitRow, int | None]]] = {}
        for e, rank in result.ranks():
            groups.setdefault(e.framework.id, []).append((e, rank))
        for framework_id, rows in groups.items():
            console.print("\n".join(wrap(f"评价框架 {framework_id}：{rows[0][0].framework.title}", width)))
            # The reviewer's column appears once review scores are entered for the framework's units.
            reviewed = any(e.review_total is not None for e, _rank in rows)
            shown = [name for name in fixed if reviewed or name != "审核"]
            unit_width = max(16, width - sum(fixed[name] for name in shown) - 3 * len(shown))
            # Drawn a block of rows at a time: rich lays out a table whole, which for thousands of
            # units would take more memory than the batch. The columns' widths are fixed, so the
            # blocks line up as one table.
            for start in range(0, len(rows), TABLE_ROWS):
                table = Table(box=box.ASCII2 if ascii_only else box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), show_header=start == 0)
                table.add_column("排名", width=fixed["排名"], justify="right", no_wrap=True)
                table.add_column("评价单位", width=unit_width, no_wrap=True)
                for name in ("计算总分", "自评", "差额", *(("审核",) if reviewed else ())):
                    table.add_column(name, width=fixed[name], justify="right", no_wrap=True)
                table.add_column("等级", width=fixed["等级"], no_wrap=True)
                table.add_column("问题", width=fixed["问题"], justify="right", no_wrap=True)
                for e, rank in rows[start : start + TABLE_ROWS]:
                    table.add_row(*_cells(e, rank, reviewed, unit_width))
                console.print(table)
            for e, _rank in rows:
                if e.readings:
                    console.print("\n".join(wrap(_questioned(e), width)))
            if _partly_reviewed(e for e, _rank in rows):
                console.print("\n".join(wrap(PARTLY_REVIEWED, width)))
            if any(_review_differs(e) for e, _rank in rows):
                console.print("\n".join(wrap(REVIEW_DIFFERS, width)))
    for failed in result.failed:
        # A row of a 多单位 sheet may have several bad cells: one line each, under the first.
        for number, line in enumerate((failed.error or "").split("\n")):
            for part in wrap(("无法计分：" if number == 0 else " " * 10) + line, width):
                console.print(part)
    files = len({unit.path for unit in result.units})
    source = f"（来自 {files} 个数据文件）" if files != len(result.units) else ""
    listed = sum(1 for e in result.scored if not e.framework.scored)
    listing = f"，其中 {listed} 个为不计分的表式（只列示完成情况）" if listed else ""
    console.print(f"共 {len(result.units)} 个单位{source}：已评价 {len(result.scored)} 个{listing}；无法读取或计分 {len(result.failed)} 个。")
    return buffer.getvalue()


def _cells(e: UnitRow, rank: int | None, reviewed: bool, unit_width: int) -> list[str]:
    """A unit's row of the ranking table."""
    self_total = e.claimed_total
    scored = e.framework.scored
    diff = "" if self_total is None or not scored else f"{'+' if e.total > self_total else ''}{fmt(e.total - self_total)}"
    who = (e.unit or display_path(e.data_path or "")) + (f"：{e.project}" if e.project else "")
    review = e.review_total
    review_cell = [] if not reviewed else ["" if review is None else fmt(review) + _review_mark(e)]
    return [
        str(rank) if rank is not None else "—",
        "\n".join(wrap(who, unit_width)),
        fmt(e.total) if scored else "不计分",
        "" if self_total is None else fmt(self_total),
        diff,
        *review_cell,
        e.grade or ("—" if not scored else _short_ungraded(e)),
        str(len(e.flags)),
    ]


def _facts(e: UnitRow, self_total: Decimal | None) -> str:
    if not e.framework.scored:
        return f"不计分 · 问题 {len(e.flags)} 项"
    self_text = "" if self_total is None else f" · 自评 {fmt(self_total)}"
    review = e.review_total
    review_text = "" if review is None else f" · 审核 {fmt(review)}{_review_mark(e)}"
    readings = f"（待核实，{readings_text(e.readings, e.framework.places)}）" if e.readings else ""
    return f"计算总分 {fmt(e.total) if e.total_text is None else e.total_text}{readings}{self_text}{review_text} · {e.grade_text} · 问题 {len(e.flags)} 项"


def _questioned(e: UnitRow) -> str:
    """Under the table, a unit questioned (待核实): no grade, and its total under each reading."""
    who = (e.unit or display_path(e.data_path or "")) + (f"：{e.project}" if e.project else "")
    return f"待核实：{who}，{e.grade_text}；两种读法下的计算总分：{readings_text(e.readings, e.framework.places)}；请核实后在数据中{e.advice}"


def _fully_reviewed(e: UnitRow) -> bool:
    return e.fully_reviewed


def _partly_reviewed(evaluations: Iterable[UnitRow]) -> bool:
    return any(e.review_total is not None and not _fully_reviewed(e) for e in evaluations)


# Under a ranking that shows partly reviewed units.
PARTLY_REVIEWED = "* 只审核了部分指标：“审核”为已填审核得分之和，不是审核后的总分"
# Under a ranking that shows a unit reviewed in full to a total other than the computed one.
REVIEW_DIFFERS = "≠ 审核得分（每个指标都已审核）与计算总分不同"


def _review_differs(e: UnitRow) -> bool:
    return e.review_total is not None and _fully_reviewed(e) and e.review_total != e.total


def _review_mark(e: UnitRow) -> str:
    """After a review total: * when only some indicators are reviewed, ≠ when it is not the computed total."""
    if not _fully_reviewed(e):
        return "*"
    return "≠" if _review_differs(e) else ""


def _short_ungraded(e: UnitRow) -> str:
    """Why a unit has no grade, in the three characters the ranking's column holds."""
    if e.ungraded == "待核实":
        return "待核实"
    return "不完整" if not e.complete else "不评定"
