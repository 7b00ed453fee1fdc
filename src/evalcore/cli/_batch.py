"""`evalcore batch`: many units at once, ranked, with a summary workbook."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..model import EvalcoreError, Location, display_path
from ..outputs import Removal, UniqueNames, output_path, removed_characters, write_output
from ..plugin import Registry, core_version, get_registry
from ._common import LENIENT_FLAGS, results_only_on_stdout, stderr, warn_removed
from ._common import width as width_of
from ._exit import ExitCode
from ._style import INTEGER, WIDTH

if TYPE_CHECKING:
    from ..batch import BatchResult, Manifest, OutputReport, UnitOutcome, UnitWriter

__all__ = ["batch_command"]


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="数据文件或目录…")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), metavar="路径", help="输出目录：写入汇总表 汇总.xlsx 和各单位的结果")
@click.option("--format", "formats", multiple=True, metavar="格式", help="各单位结果的格式（可写多次，如 --format json --format xlsx）；默认只写汇总表")
@click.option("--framework", "framework_id", metavar="编号", help="所有数据文件都按此框架计分")
@click.option("--resume", is_flag=True, help="接着上次写入同一输出目录：数据、框架和 evalcore 版本都没变、文件也没被改动的单位不再重写")
@click.option("--force", is_flag=True, help="输出目录已有文件时仍然写入（同名文件被替换）")
@click.option("--strict", is_flag=True, help="有单位存在需要关注的问题（单位换算、不适用除外）时以退出码 1 结束")
@click.option("--width", type=WIDTH, metavar="列数", default=None, help="输出宽度")
@click.option("--ascii", "ascii_only", is_flag=True, help="只用 ASCII 字符画表格线")
@click.option("--jobs", "-j", type=INTEGER, metavar="进程数", default=None, help="同时读取数据文件的进程数（默认为本机的处理器核数）；结果的顺序与 --jobs 1 相同")
def batch_command(
    inputs: tuple[Path, ...],
    out_dir: Path | None,
    formats: tuple[str, ...],
    framework_id: str | None,
    resume: bool,
    force: bool,
    strict: bool,
    width: int | None,
    ascii_only: bool,
    jobs: int | None,
) -> None:
    """批量计分：一个或多个目录（或文件），输出排名表；用 -o 写出汇总表和各单位结果。

    目录中的每个文件都会读取：Excel 工作簿（.xlsx、.xlsm）、.toml 和 .json 数据文件；其他文件（如 .xls、.docx、.pdf）列为“无法读取”并说明原因。隐藏文件和 Excel、WPS 打开工作簿时留下的 ~$ 开头的文件不读。
    某个文件出错不会中断其余文件的计分，出错的文件列在最后和汇总表中；汇总表总会写出。
    输出目录同时只能由一个 batch 使用；目录中已有上次的结果时，用 --resume 接着做，或用 --force 全部重写，或换一个目录。

    退出码：0 已完成；1 使用 --strict 且有单位存在需要关注的问题；2 有文件无法读取或计分、有结果无法写出、输入或输出目录有误；3 内部错误。几种情况同时出现时，3 优先于 2，2 优先于 1。
    """
    # The batch package (and rich, which draws its ranking) is imported when a batch runs.
    from ..batch import FolderLock, UnitWriter, collect_files

    if jobs is not None and jobs < 1:
        raise click.UsageError(f"--jobs 应为 1 或更大的整数，现在是 {jobs}")
    jobs = jobs or os.cpu_count() or 1
    registry = get_registry()
    for name in formats:
        if name not in registry.format_names():
            raise click.UsageError(registry.unknown_format(name))
    if formats and out_dir is None:
        raise click.UsageError("写出各单位结果需要用 -o 指定输出目录")
    if (resume or force) and out_dir is None:
        raise click.UsageError("--resume 和 --force 只用于 -o 指定的输出目录")
    if out_dir is not None:
        _refuse_overlap(list(inputs), out_dir)
    files = collect_files(list(inputs))
    if not files:
        raise click.UsageError("没有找到数据文件（.xlsx、.xlsm、.toml 或 .json）")
    if out_dir is None:
        with _progress(len(files)) as advance:
            result = _run(files, registry, framework_id, jobs, advance)
        _print_ranking(result, width, ascii_only)
        _exit(_exit_code(result, None, strict))
        return
    lock = FolderLock(out_dir)
    with lock.held_for() as note:
        if note:
            stderr(f"注意：{note}")
        manifest = _open_folder(out_dir, resume, force)
        # One bar over the whole batch: each file read and scored, its units' files written.
        writer = _Writing(UnitWriter(registry, out_dir, formats, files, manifest, resume, list(inputs)))
        with _progress(len(files), writing=bool(formats)) as advance:
            result = _run(files, registry, framework_id, jobs, advance, writer)
        report = _write_folder(result, writer, out_dir, files, manifest, resume)
        _print_ranking(result, width, ascii_only)
    _exit(_exit_code(result, report, strict))


def _exit(code: int) -> None:
    if code != ExitCode.OK:
        raise SystemExit(code)


def _refuse_overlap(inputs: list[Path], out_dir: Path) -> None:
    """An output folder that is an input folder, lies in one or holds one (or an input file) would
    mix results with data: a later batch of that folder would read the results as data."""
    out = out_dir.resolve()
    where = Location(file=display_path(out_dir))
    hint = "请用 -o 指定输入目录之外的另一个目录，如 -o 审核结果"
    for item in inputs:
        path = item.resolve()
        if path == out:
            raise EvalcoreError(f"输出目录就是输入目录 {display_path(item)}：计分结果不能和数据文件写在同一个目录里", where, hint=hint)
        if item.is_dir() and path in out.parents:
            raise EvalcoreError(f"输出目录在输入目录 {display_path(item)} 之中：计分结果会混进数据文件，下次计分时被当作数据读取", where, hint=hint)
        if out in path.parents:
            what = "输入目录" if item.is_dir() else "数据文件"
            raise EvalcoreError(f"{what} {display_path(item)} 在输出目录之中：计分结果不能和数据文件写在同一个目录里", where, hint=hint)


def _open_folder(out_dir: Path, resume: bool, force: bool) -> Manifest:
    """The folder's manifest, after refusing a folder that would mix two runs' files. The earlier
    run's records are read with --resume (to keep what is complete) and with --force (to know
    which files are evalcore's own); the journal exists before the first file is written."""
    from ..batch import MANIFEST_NAME, Manifest, leftover_entries, remove_temporary_files

    manifest = Manifest(out_dir)
    found = leftover_entries(out_dir)
    where = Location(file=display_path(out_dir))
    results = [name for name in found if name != MANIFEST_NAME]
    if found and not force:
        if not manifest.exists():
            shown = "、".join(found[:3]) + ("等" if len(found) > 3 else "")
            raise EvalcoreError(f"输出目录不是空目录（有 {len(found)} 项，如 {shown}），也不是 evalcore batch 写出的目录", where, hint="请换一个空目录，或加 --force 写入（同名文件会被替换）")
        if results and not resume:
            raise EvalcoreError(
                f"输出目录中已有上次批量计分的结果（{len(results)} 个文件），再写入会把两次的结果混在一起",
                where,
                hint="加 --resume 接着上次做（数据、框架和版本都没变的单位不再重写），或加 --force 全部重写，或换一个空目录",
            )
    remove_temporary_files(out_dir)
    if resume or force:
        manifest.read()
    try:
        manifest.start()
    except OSError as exc:
        raise EvalcoreError(f"无法在输出目录中写入清单：{exc.strerror or exc}", Location(file=display_path(manifest.path))) from None
    return manifest


class _Writing:
    """Each file's units' files written as the batch scores it; a failure that is no single unit's
    stops the writing (the rest of the batch is scored) and is told once the batch is scored."""

    def __init__(self, writer: UnitWriter) -> None:
        self.writer = writer
        self.failure: Exception | None = None

    def __call__(self, units: list[UnitOutcome]) -> None:
        if self.failure is not None:
            return
        try:
            self.writer.write(units)
        except Exception as exc:  # noqa: BLE001 - the summary is written all the same
            self.failure = exc


def _write_folder(result: BatchResult, writing: _Writing, out_dir: Path, files: list[Path], manifest: Manifest, resume: bool) -> OutputReport:
    """After the units' files: the earlier outputs kept or retired, the manifest, and 汇总.xlsx,
    which is written whatever else fails."""
    from ..batch import MANIFEST_NAME, SUMMARY, SUMMARY_JSON, OutputReport, leftover_entries

    report = OutputReport()
    try:
        if writing.failure is not None:
            raise writing.failure
        report = writing.writer.finish(result)
        write_output(output_path(out_dir, MANIFEST_NAME), manifest.finish(), files)
    except Exception as exc:  # noqa: BLE001 - the summary is written all the same
        report.failed = True
        report.internal = report.internal or not isinstance(exc, EvalcoreError)
        report.problems.append((None, display_path(out_dir), "无法写出", "全表", str(exc)))
        stderr(f"错误：{exc}")
    by_file: dict[str, list[Removal]] = {}
    for target, removal in report.removed:
        by_file.setdefault(target, []).append(removal)
    for target, removed in by_file.items():
        warn_removed(target, removed)
    for _unit, _file, category, _where, message in report.problems:
        if category == "无法写出":
            stderr(f"无法写出：{message}")
    if resume:
        stderr(f"已保留 {report.kept} 个已完成的文件（--resume：数据、框架和版本都没变），重新写出 {report.written} 个")
    if report.unrecorded:
        stderr(f"注意：{_listing(report.unrecorded)} 已在目录中但未记入清单（上次运行在写出后、记入清单前中止），无法确认完整，已重新写出")
    if report.retired:
        stderr(f"已删除 {len(report.retired)} 个过期的文件（evalcore 此前写出，已不对应本次的数据和格式）：{_listing([f'{name}（{why}）' for name, why in report.retired])}")
    for name, said in report.edited:
        stderr(f"未覆盖：{name}：{said}")
    for name, why in report.outdated:
        stderr(f"已过期：{name}：{why}；请核对后自行删除")
    # Whatever else the folder holds is not evalcore's to judge or delete, but must not pass for a result.
    ours = {MANIFEST_NAME, SUMMARY, SUMMARY_JSON, *manifest.current, *manifest.carried}
    others = [name for name in leftover_entries(out_dir) if name not in ours]
    if others:
        stderr(f"注意：输出目录中另有 {len(others)} 项不是 evalcore 本次写出的，也不在清单中，evalcore 没有改动它们：{_listing(others)}")
    _write_summary(result, out_dir, files, report)
    return report


def _listing(names: list[str], most: int = 10) -> str:
    return "、".join(names[:most]) + (f" 等 {len(names)} 个" if len(names) > most else "")


def _write_summary(result: BatchResult, out_dir: Path, files: list[Path], report: OutputReport) -> None:
    """汇总.xlsx for the reviewer and 汇总.json for a script, the same rows in each."""
    from ..batch import SUMMARY, SUMMARY_JSON, Problem, carry_review, render_summary_json, summary_workbook

    problems: list[Problem] = list(report.problems)
    try:
        target = output_path(out_dir, SUMMARY)
        # What a reviewer typed into the summary of an earlier run is written into the new one.
        carried = carry_review(target)
        with removed_characters() as removed:
            payload = summary_workbook(result, problems, report.files, carried)
        if carried.placed < carried.count:
            _keep_earlier_summary(target, carried.count - carried.placed, files)
        write_output(target, payload, files)
        write_output(output_path(out_dir, SUMMARY_JSON), render_summary_json(result, problems, core_version(), report.files), files)
    except EvalcoreError as exc:
        report.failed = True
        stderr(f"错误：{exc}")
        return
    warn_removed(SUMMARY, removed)
    stderr(f"已写入 {display_path(out_dir / SUMMARY)} 和 {SUMMARY_JSON}")
    if carried.placed:
        stderr(f"上次汇总表中录入的 {carried.placed} 项审核得分和审核意见已写入新的汇总表")


def _keep_earlier_summary(target: Path, lost: int, files: list[Path]) -> None:
    """The earlier 汇总.xlsx kept beside the new one when some of the reviewer's entries no longer
    find their unit or finding (a data file gone, a finding settled)."""
    from ..batch import leftover_entries

    names = UniqueNames(tuple(leftover_entries(target.parent)))
    keep = output_path(target.parent, names.take(f"{target.stem}-上次审核", target.suffix))
    write_output(keep, target.read_bytes(), files, replace=False)
    stderr(f"注意：上次汇总表中有 {lost} 项审核得分或审核意见找不到对应的单位或问题（数据文件或问题已变），上次的汇总表另存为 {keep.name}，请核对")


def _print_ranking(result: BatchResult, width: int | None, ascii_only: bool) -> None:
    from ..batch import render_ranking

    click.echo(render_ranking(result, width_of(width), ascii_only), nl=False)
    for name, found in result.repeated():
        stderr(f"注意：单位“{name}”在同一评价框架下录入了 {len(found)} 次：{'、'.join(found)}")


def _exit_code(result: BatchResult, report: OutputReport | None, strict: bool) -> int:
    """3 for evalcore's own defect, before 2 for what could not be read or written, before 1 for
    findings under --strict."""
    if result.internal_errors or (report is not None and report.internal):
        return ExitCode.INTERNAL
    if result.failed or (report is not None and report.failed):
        return ExitCode.BAD_INPUT
    if strict and any(flag.kind not in LENIENT_FLAGS for row in result.scored for flag in row.flags):
        return ExitCode.FINDINGS
    return ExitCode.OK


def _run(
    files: list[Path], registry: Registry, framework_id: str | None, jobs: int, advance: Callable[[Path], None], each: Callable[[list[UnitOutcome]], None] | None = None
) -> BatchResult:
    from ..batch import run_batch

    with results_only_on_stdout():  # a plugin's rule that prints writes to stderr, not into the ranking
        return run_batch(files, registry, framework_id, progress=advance, jobs=jobs, each=each)


@contextlib.contextmanager
def _progress(files: int, writing: bool = False) -> Iterator[Callable[[Path], None]]:
    """One progress bar, with the time left, on stderr, over `files` files, each read and scored
    and (`writing`) its units' files written; nothing when stderr is not a terminal, or the batch
    is small."""
    if not sys.stderr.isatty() or files < 20:
        yield lambda _path: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("剩余"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("计分并写出" if writing else "计分", total=files)
        yield lambda _path: bar.advance(task)
