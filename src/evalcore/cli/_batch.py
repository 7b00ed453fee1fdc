"""`evalcore batch`: many units at once, ranked, with a summary workbook."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..batch import BatchResult, collect_files, render_ranking, run_batch, summary_workbook
from ..model import FormatOptions, PluginError, display_path
from ..outputs import write_output
from ..plugin import Registry, get_registry
from ._common import stderr
from ._common import width as width_of
from ._exit import ExitCode
from ._style import WIDTH

__all__ = ["batch_command"]


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
    click.echo(render_ranking(result, width_of(width), ascii_only), nl=False)
    for name, found in result.repeated():
        stderr(f"注意：单位“{name}”在同一评价框架下录入了 {len(found)} 次：{'、'.join(found)}")
    output_failed = plugin_failed = False
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
                    stderr(f"无法写出 {stem}：输出格式“{name}”不适用于评价框架 {unit.evaluation.framework.id}")
                    continue
                # Two formats with one suffix (xlsx and sichuan-xlsx) must not overwrite each other.
                target = stem + formatter.suffix if formatter.suffix not in written else f"{stem}-{name}{formatter.suffix}"
                written.add(formatter.suffix)
                # One unit's output failing must not cost the others theirs, nor the summary.
                try:
                    payload = registry.render(formatter, unit.evaluation, FormatOptions(width=100))
                    write_output(out_dir / target, payload, protected)
                except Exception as exc:  # noqa: BLE001 - reported, then the batch goes on
                    output_failed = True
                    plugin_failed = plugin_failed or isinstance(exc, PluginError)
                    stderr(f"无法写出 {target}：{exc}")
        write_output(out_dir / SUMMARY, summary_workbook(result), protected)
        stderr(f"已写入 {display_path(out_dir / SUMMARY)}")
    if plugin_failed:
        raise SystemExit(ExitCode.INTERNAL)  # a plugin's format failed: a program fault, as for run
    if result.failed or output_failed:
        raise SystemExit(ExitCode.BAD_INPUT)


SUMMARY = "汇总.xlsx"


def _run_with_progress(files: list[Path], registry: Registry, framework_id: str | None) -> BatchResult:
    if not sys.stderr.isatty() or len(files) < 20:
        return run_batch(files, registry, framework_id)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("计分", total=len(files))
        return run_batch(files, registry, framework_id, progress=lambda _path: progress.advance(task))


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
