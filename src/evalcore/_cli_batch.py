"""`evalcore batch`: many units at once, ranked, with a summary workbook."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import click

from ._cli_style import WIDTH

from ._batch import BatchResult, collect_files, run_batch, summary_workbook
from ._errors import display_path
from ._formatters import FormatOptions
from ._numbers import fmt
from ._plugins import get_registry
from ._results import Evaluation
from ._wrap import wrap


def render_ranking(result: BatchResult, width: int, ascii_only: bool = False) -> str:
    import io

    from rich import box
    from rich.table import Table

    from ._format_table import make_console

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
            who = (e.data.unit or str(e.data.path)) + (f"：{e.data.project}" if e.data.project else "")
            lines.extend(wrap(f"{rank if rank is not None else '—'}. {who}（{e.framework.id}）", width))
            lines.extend("   " + part for part in wrap(_facts(e, self_total), width - 3))
        if _partly_reviewed(result.scored):
            lines.extend(wrap(PARTLY_REVIEWED, width))
        console.print("\n".join(lines))
    else:
        # One table per framework: ranks only compare units scored by the same rules.
        groups: dict[str, list[tuple[Evaluation, int | None]]] = {}
        for e, rank in result.ranks():
            groups.setdefault(e.framework.id, []).append((e, rank))
        for framework_id, rows in groups.items():
            console.print("\n".join(wrap(f"评价框架 {framework_id}：{rows[0][0].framework.title}", width)))
            # The reviewer's column appears once review scores are entered for the framework's units.
            reviewed = any(e.review_total is not None for e, _rank in rows)
            shown = [name for name in fixed if reviewed or name != "审核"]
            unit_width = max(16, width - sum(fixed[name] for name in shown) - 3 * len(shown))
            table = Table(box=box.ASCII2 if ascii_only else box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
            table.add_column("排名", width=fixed["排名"], justify="right", no_wrap=True)
            table.add_column("评价单位", width=unit_width, no_wrap=True)
            for name in ("计算总分", "自评", "差额", *(("审核",) if reviewed else ())):
                table.add_column(name, width=fixed[name], justify="right", no_wrap=True)
            table.add_column("等级", width=fixed["等级"], no_wrap=True)
            table.add_column("问题", width=fixed["问题"], justify="right", no_wrap=True)
            for e, rank in rows:
                self_total = e.claimed_total
                scored = e.framework.scored
                diff = "" if self_total is None or not scored else f"{'+' if e.total > self_total else ''}{fmt(e.total - self_total)}"
                who = (e.data.unit or display_path(e.data.path or "")) + (f"：{e.data.project}" if e.data.project else "")
                review = e.review_total
                review_cell = () if not reviewed else ("" if review is None else fmt(review) + ("" if _fully_reviewed(e) else "*"),)
                table.add_row(
                    str(rank) if rank is not None else "—",
                    "\n".join(wrap(who, unit_width)),
                    fmt(e.total) if scored else "不计分",
                    "" if self_total is None else fmt(self_total),
                    diff,
                    *review_cell,
                    e.grade or ("—" if not scored else "不完整"),
                    str(len(e.flags)),
                )
            console.print(table)
            if _partly_reviewed(e for e, _rank in rows):
                console.print("\n".join(wrap(PARTLY_REVIEWED, width)))
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


def _facts(e: Evaluation, self_total: Decimal | None) -> str:
    if not e.framework.scored:
        return f"不计分 · 问题 {len(e.flags)} 项"
    self_text = "" if self_total is None else f" · 自评 {fmt(self_total)}"
    review = e.review_total
    review_text = "" if review is None else f" · 审核 {fmt(review)}{'' if _fully_reviewed(e) else '*'}"
    return f"计算总分 {fmt(e.total)}{self_text}{review_text} · {e.grade or '不完整'} · 问题 {len(e.flags)} 项"


def _fully_reviewed(e: Evaluation) -> bool:
    return len(e.reviews) == len(list(e.framework.leaves()))


def _partly_reviewed(evaluations: Iterable[Evaluation]) -> bool:
    return any(e.review_total is not None and not _fully_reviewed(e) for e in evaluations)


# Under a ranking that shows partly reviewed units.
PARTLY_REVIEWED = "* 只审核了部分指标：“审核”为已填审核得分之和，不是审核后的总分"


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="数据文件或目录…")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), metavar="路径", help="输出目录：写入汇总表 汇总.xlsx 和各单位的结果")
@click.option("--format", "formats", multiple=True, metavar="格式", help="各单位结果的格式（可写多次，如 --format json --format xlsx）；默认只写汇总表")
@click.option("--framework", "framework_id", metavar="编号", help="所有数据文件都按此框架计分")
@click.option("--width", type=WIDTH, metavar="列数", default=None, help="输出宽度")
@click.option("--ascii", "ascii_only", is_flag=True, help="只用 ASCII 字符画表格线")
def batch_command(inputs: tuple[Path, ...], out_dir: Path | None, formats: tuple[str, ...], framework_id: str | None, width: int | None, ascii_only: bool) -> None:
    """批量计分：一个或多个目录（或文件），输出排名表；用 -o 写出汇总表和各单位结果。

    某个文件出错不会中断其余文件的计分，出错的文件列在最后和汇总表中；有文件出错时退出码为 2。
    """
    from .cli import EXIT_BAD_INPUT, _stderr, _width, write_output

    registry = get_registry()
    for name in formats:
        if name not in registry.format_names():
            raise click.UsageError(f"没有名为“{name}”的输出格式；可用：{'、'.join(registry.format_names())}")
    if formats and out_dir is None:
        raise click.UsageError("写出各单位结果需要用 -o 指定输出目录")
    files = collect_files(list(inputs), skip=out_dir)
    if not files:
        raise click.UsageError("没有找到数据文件（.toml 或 .xlsx）")
    result = _run_with_progress(files, registry, framework_id)
    click.echo(render_ranking(result, _width(width), ascii_only), nl=False)
    for name, found in result.repeated():
        _stderr(f"注意：单位“{name}”在同一评价框架下录入了 {len(found)} 次：{'、'.join(found)}")
    output_failed = False
    if out_dir is not None:
        protected = files
        names = _output_names(result, list(inputs))
        for unit, stem in zip(result.units, names):
            if unit.evaluation is None:
                continue
            written: set[str] = set()
            for name in formats:
                formatter = registry.formatter(name, unit.evaluation.framework)
                if formatter is None:
                    output_failed = True
                    _stderr(f"无法写出 {stem}：输出格式“{name}”不适用于评价框架 {unit.evaluation.framework.id}")
                    continue
                # Two formats with one suffix (xlsx and sichuan-xlsx) must not overwrite each other.
                target = stem + formatter.suffix if formatter.suffix not in written else f"{stem}-{name}{formatter.suffix}"
                written.add(formatter.suffix)
                # One unit's output failing must not cost the others theirs, nor the summary.
                try:
                    payload = formatter.render(unit.evaluation, FormatOptions(width=100))
                    write_output(out_dir / target, payload, protected)
                except Exception as exc:  # noqa: BLE001 - reported, then the batch goes on
                    output_failed = True
                    _stderr(f"无法写出 {target}：{exc}")
        write_output(out_dir / SUMMARY, summary_workbook(result), protected)
        _stderr(f"已写入 {display_path(out_dir / SUMMARY)}")
    if result.failed or output_failed:
        raise SystemExit(EXIT_BAD_INPUT)


SUMMARY = "汇总.xlsx"


def _output_names(result: BatchResult, inputs: list[Path]) -> list[str]:
    """A distinct file stem per unit: its path relative to the input directory, and never 汇总."""
    roots = [p.resolve() for p in inputs if p.is_dir()]
    names: list[str] = []
    taken: set[str] = set()
    for unit in result.units:
        path = unit.path.resolve()
        root = next((r for r in roots if r in path.parents), None)
        relative = path.relative_to(root).with_suffix("") if root is not None else Path(path.stem)
        stem = "-".join(relative.parts)
        if unit.label is not None:
            stem = f"{stem}-{unit.label.replace('!', '-').replace(' ', '')}"
        if stem == Path(SUMMARY).stem:
            stem += "-单位"
        candidate, number = stem, 2
        while candidate.casefold() in taken:  # A.toml and a.xlsx would be one file on Windows and macOS
            candidate, number = f"{stem}-{number}", number + 1
        taken.add(candidate.casefold())
        names.append(candidate)
    return names


def _run_with_progress(files: list[Path], registry: object, framework_id: str | None) -> BatchResult:
    from ._plugins import Registry

    assert isinstance(registry, Registry)
    if not sys.stderr.isatty() or len(files) < 20:
        return run_batch(files, registry, framework_id)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("计分", total=len(files))
        return run_batch(files, registry, framework_id, progress=lambda _path: progress.advance(task))
