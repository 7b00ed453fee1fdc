"""Merged ranges of a printed worksheet read back whole: a label that the writer cut at a planned
page break (and wrote again below it) counts as the one range it stands for."""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter


def page_starts(ws: Any) -> set[int]:
    """The rows that begin a printed page after the first (manual row breaks)."""
    return {int(brk.id) + 1 for brk in ws.row_breaks.brk}


def merged_across_pages(ws: Any) -> set[str]:
    """Each merged range, joined with the parts below it that a page break cut off: a part that
    begins at a page start, in the same columns, holding the same text."""
    starts = page_starts(ws)
    spans = {(r.min_col, r.max_col, r.min_row): r.max_row for r in ws.merged_cells.ranges}
    inside = {(row, col) for r in ws.merged_cells.ranges for row in range(r.min_row, r.max_row + 1) for col in range(r.min_col, r.max_col + 1)}
    # a single row left above a page break is a part too when its text goes on below the break
    for c0, c1, r0 in list(spans):
        above = r0 - 1
        if r0 in starts and (above, c0) not in inside and ws.cell(row=above, column=c0).value == ws.cell(row=r0, column=c0).value:
            spans[(c0, c1, above)] = above
    out: set[str] = set()
    taken: set[tuple[int, int, int]] = set()
    for key in sorted(spans, key=lambda k: (k[0], k[2])):
        if key in taken:
            continue
        c0, c1, r0 = key
        r1 = spans[key]
        value = ws.cell(row=r0, column=c0).value
        while r1 + 1 in starts and ws.cell(row=r1 + 1, column=c0).value == value:
            part = (c0, c1, r1 + 1)
            taken.add(part)
            r1 = spans.get(part, r1 + 1)
        out.add(f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}")
    return out
