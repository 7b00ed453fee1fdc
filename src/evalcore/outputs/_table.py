"""The terminal table: the indicator tree with 分值 / 得分 / 自评 and the reason for every point.

rich measures Chinese characters as two columns, so the table stays aligned at 80 columns and
when piped. Every line is wrapped to the width here; a coloured page is drawn by rich's console, a
plain one (piped, NO_COLOR, a file) is the lines' text as they are, without importing the console.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.text import Span, Text

from ..model import STATUSES, Evaluation, Flag, FormatOptions, GroupResult, LeafResult, Result, fmt
from ._text import summary_lines
from ._tree import MISMATCH, render_blocks
from ._wrap import wrap

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["flag_lines", "make_console", "render_table"]

# The colour of each status word (the words are model.STATUSES); a status the model gains and this
# table lacks is drawn plain rather than ending the run.
# A self-score the computed score contradicts: marked ≠ and coloured at every width.
MISMATCH_STYLE = "bold red"
MODE_STYLES = {"scored": "", "judgment": "yellow", "missing": "bold red", "questioned": "bold magenta", "not-applicable": "cyan", "error": "bold red"}


def make_console(options: FormatOptions, buffer: io.StringIO) -> Console:
    from rich.console import Console

    return Console(
        file=buffer,
        width=options.width or 80,
        color_system="standard" if options.color else None,
        force_terminal=options.color,
        no_color=not options.color,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
    )


def render_table(evaluation: Evaluation, options: FormatOptions) -> str:
    return printed(table_page(evaluation, options), options)


def printed(page: Sequence[Text], options: FormatOptions) -> str:
    """The page's lines, each already within the width: drawn by rich's console when coloured,
    their text when plain (what the console would write for them: tabs expanded, no colour)."""
    if options.color:
        return drawn(page, options)
    lines = []
    for text in page:
        if "\t" in text.plain:
            text = text.copy()
            text.expand_tabs()
        lines.append(text.plain + "\n")
    return "".join(lines)


def drawn(page: Sequence[Text], options: FormatOptions) -> str:
    buffer = io.StringIO()
    # One text of all the lines, drawn at once: each line is within the width already.
    make_console(options, buffer).print(Text("\n").join(page))
    return buffer.getvalue()


def table_page(evaluation: Evaluation, options: FormatOptions) -> list[Text]:
    """The table's lines: heading, indicator rows (or blocks below 70 columns), total and findings."""
    page: list[Text] = []
    width = options.width or 80
    framework = evaluation.framework
    places = framework.rounding.places
    heading = framework.title if not evaluation.data.unit else f"{evaluation.data.unit} · {framework.title}"
    for line in wrap(heading, width):
        page.append(Text(line, style="bold"))
    for line in wrap(f"评价框架 {framework.id}（{framework.region}，{framework.year} 年度）", width):
        page.append(Text(line, style="dim"))

    if width < 70:
        # Too narrow for columns: one block per indicator, nothing dropped.
        mismatch = False
        for line in render_blocks(evaluation, width):
            text = Text(line)
            marked = re.search(rf"(自评 )?[0-9.]*{MISMATCH}", line)
            if marked:
                text.stylize(MISMATCH_STYLE, marked.start(), marked.end())
                mismatch = True
            page.append(text)
        _footer(page, evaluation, width, mismatch=mismatch)
        return page

    # Columns are sized here and text is wrapped here, so that Chinese lines break between
    # characters instead of at the few spaces they contain.
    number_widths = (4, 6, 6)  # 分值 得分 自评
    overhead = 3 * 4  # four gaps of " │ "-like spacing between five columns
    longest = max(cell_len(" " * (len(leaf.path) - 1) + leaf.indicator.name) for leaf in evaluation.leaves())
    name_width = max(10, min(longest, (width - overhead - sum(number_widths)) * 2 // 5))
    reason_width = max(12, width - overhead - sum(number_widths) - name_width)

    scored = framework.scored
    # A form without points (米易 2021) shows how far each target was reached instead of points.
    heads = ("指标", "分值" if scored else "", "得分" if scored else "完成", "自评", "计分依据")
    rows: list[tuple[Sequence[str | Text], str]] = []

    mismatch = False

    def cell(text: str, cell_width: int, indent: int = 0) -> str:
        lines = wrap(text, cell_width - indent)
        return "\n".join(" " * indent + line for line in lines)

    def row(*cells: str | Text, style: str = "") -> None:
        rows.append((cells, style))

    def add(node: Result, depth: int) -> None:
        nonlocal mismatch
        if isinstance(node, GroupResult):
            group_self = "" if node.self_score is None else fmt(node.self_score)
            anything = any(leaf.score is not None for leaf in node.leaves())
            group_numbers = (fmt(node.max), fmt(node.score, places) if anything else "—") if scored else ("", "")
            row(Text(cell(node.group.name, name_width, depth), style="bold"), *group_numbers, group_self, "", style="bold")
            for child in node.children:
                add(child, depth + 1)
            return
        leaf: LeafResult = node
        score = "—" if leaf.score is None else fmt(leaf.score, places)
        self_text: str | Text = "" if leaf.self_score is None else fmt(leaf.self_score)
        if leaf.self_score is not None and leaf.score is not None and leaf.self_score != leaf.score:
            self_text = Text(f"{self_text}{MISMATCH}", style=MISMATCH_STYLE)
            mismatch = True
        # Every deduction shows its whole trace; a full score needs only the deciding step.
        lines = leaf.trace if leaf.score is None or leaf.score < leaf.weight else leaf.trace[-1:]
        if leaf.value is not None and leaf.trace and leaf.trace[0] not in lines:
            lines = (leaf.trace[0],) + tuple(lines)
        if not scored:
            lines = leaf.trace
            mode = "列示"
        else:
            mode = STATUSES[leaf.status]
        text = cell(f"［{mode}］" + "\n".join(lines), reason_width)
        styled = Text(text)
        styled.stylize(MODE_STYLES.get(leaf.status) or "dim", 0, len(mode) + 2)
        if scored:
            row(cell(leaf.indicator.name, name_width, depth), fmt(leaf.weight), score, self_text, styled)
        else:
            done = "—" if leaf.value is None else f"{fmt(leaf.value, 2)}%"
            row(cell(leaf.indicator.name, name_width, depth), "", done, self_text, styled)

    for child in evaluation.children:
        add(child, 0)
    widths = (name_width, *number_widths, reason_width)
    # 分值, 得分 and 自评 aligned on the right, so that their decimal points line up.
    page.extend(_grid(heads, widths, {1, 2, 3}, rows, box.ASCII2 if options.ascii else box.SIMPLE_HEAD).split("\n", allow_blank=True))
    _footer(page, evaluation, width, mismatch)
    return page


def _grid(heads: Sequence[str], widths: Sequence[int], right: Collection[int], rows: Sequence[tuple[Sequence[str | Text], str]], glyphs: box.Box) -> Text:
    """The table as rich would draw it with these fixed widths (no outer edge, one space of padding
    between columns, a rule under the heads), laid out here: every cell is wrapped to its column
    already, and rich's own table layout, which measures and wraps each cell again, took most of
    the time `evalcore run` spends drawing. rich measures the cells (a Chinese character is two
    columns), styles them and draws the result."""
    plain: list[str] = []
    spans: list[Span] = []
    at = 0

    def put(text: str, style: str = "") -> None:
        nonlocal at
        if style and text:
            spans.append(Span(at, at + len(text), style))
        plain.append(text)
        at += len(text)

    def line(cells: Sequence[Text], gap: str, style: str) -> None:
        for column, part in enumerate(cells):
            if column:
                # The padding takes the row's style, the column line does not.
                put(" ", style)
                put(gap)
                put(" ", style)
            if cell_len(part.plain) > widths[column] or (column in right and part.plain.endswith(" ")):
                part = part.copy()
                if column in right:  # as rich justifies: a space at the end does not count
                    part.rstrip()
                part.truncate(widths[column], overflow="ellipsis")
            room = widths[column] - cell_len(part.plain)
            left = room if column in right else 0
            start = at
            put(" " * left + part.plain + " " * (room - left), style)
            if part.style:  # a cell's own style covers its padding, as rich pads within the cell
                spans.append(Span(start, at, part.style))
            spans.extend(span.move(start + left) for span in part.spans)
        put("\n")

    line([Text(head) for head in heads], glyphs.head_vertical, "bold")
    # The rule under the heads runs through the padding of each column, crossing at the gaps.
    last = len(widths) - 1
    put(glyphs.head_row_cross.join(glyphs.head_row_horizontal * (width + (column not in (0, last)) + 1) for column, width in enumerate(widths)) + "\n")
    for cells, style in rows:
        parts = [(part if isinstance(part, Text) else Text(part)).split("\n", allow_blank=True) for part in cells]
        for index in range(max(len(part) for part in parts)):
            line([part[index] if index < len(part) else Text() for part in parts], glyphs.mid_vertical, style)
    return Text("".join(plain).removesuffix("\n"), spans=spans)


def _footer(page: list[Text], evaluation: Evaluation, width: int, mismatch: bool) -> None:
    if mismatch:
        page.append(Text(f"{MISMATCH} 自评得分与按评分标准计算的得分不一致", style="dim"))
    for line in summary_lines(evaluation):
        for part in wrap(line, width):
            page.append(Text(part, style="bold"))
    if evaluation.flags:
        page.append(Text())
        lines = flag_lines(evaluation.flags)
        counted = f"{len(evaluation.flags)} 项" if len(lines) == len(evaluation.flags) else f"{len(evaluation.flags)} 项，归为 {len(lines)} 条"
        page.append(Text(f"需要关注的问题（{counted}）", style="bold"))
        for line in lines:
            for part in _hanging(line, width):
                page.append(Text(part))


def _hanging(line: str, width: int) -> list[str]:
    """Wrap a numbered line so that continuation lines align under its text."""
    number, _, rest = line.partition(" ")
    indent = len(number) + 1
    parts = wrap(rest, width - indent)
    return [number + " " + parts[0]] + [" " * indent + p for p in parts[1:]]


# Findings a reviewer must act on come first; the long list of assessed scores comes last.
FLAG_ORDER = (
    "rule_defect",
    "rule_error",
    "questioned",
    "self_total_mismatch",
    "stated_grade_mismatch",
    "self_score_mismatch",
    "stated_mismatch",
    "division_by_zero",
    "missing_input",
    "score_ignored",
    "year_mismatch",
    "unit_converted",
    "file_encoding",
    "not_applicable",
    "exemption",
    "assessed",
)


def flag_lines(flags: Sequence[Flag], group_over: int = 3) -> list[str]:
    """Flags as numbered lines; a kind with many entries collapses to one line listing indicators."""
    by_kind: dict[str, list[Flag]] = {}
    for flag in flags:
        by_kind.setdefault(flag.kind, []).append(flag)
    lines: list[str] = []
    for kind in sorted(by_kind, key=lambda k: FLAG_ORDER.index(k) if k in FLAG_ORDER else len(FLAG_ORDER)):
        items = by_kind[kind]
        if len(items) > group_over:
            last = [f.path[-1] if f.path else "全表" for f in items]
            # Two indicators may share a name (管理制度健全性 under 预算管理 and 资产管理).
            names = "、".join("/".join(f.path[-2:]) if last.count(n) > 1 else n for f, n in zip(items, last))
            lines.append(f"{len(lines) + 1}. 【{items[0].title}】共 {len(items)} 项：{names}（详见上表“计分依据”）")
            continue
        for flag in items:
            where = "/".join(flag.path) if flag.path else "全表"
            lines.append(f"{len(lines) + 1}. 【{flag.title}】{where}：{flag.message}")
    return lines
