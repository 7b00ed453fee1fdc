"""Scoring many units at once: find the data files, evaluate each (a bad one never stops the
rest), rank them and summarise every flag. Frameworks are compiled once per run."""

from __future__ import annotations

import contextlib
import gc
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import frozen

from ..engine import evaluate, evaluate_many
from ..load import DATA_SUFFIXES, data_kind, read_data_file, unit_data
from ..model import DataError, EvalcoreError, Evaluation, Expression, Framework, Limits, Location, UnitData, compile_expression, current_limits, display_path, using_limits
from ..plugin import Registry, get_registry
from ..workbook import has_units, open_book, read_workbook, read_workbook_units

__all__ = ["DATA_SUFFIXES", "BatchResult", "UnitOutcome", "collect_files", "held_results", "read_file", "run_batch", "where"]

# Files a folder holds that nobody put there as data: passed over without a word.
_SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})


def _ignored(path: Path, root: Path) -> bool:
    """Hidden files and folders, the lock files Office and WPS leave beside an open workbook
    (~$基础数据表.xlsx), and the files the system keeps in folders."""
    parts = path.relative_to(root).parts
    if any(part.startswith((".", "~$")) for part in parts) or path.name.lower() in _SYSTEM_FILES:
        return True
    try:
        attributes = getattr(path.lstat(), "st_file_attributes", 0)  # Windows only
    except OSError:
        return False  # vanished meanwhile: reported when it is read
    return bool(attributes & (stat.FILE_ATTRIBUTE_HIDDEN | stat.FILE_ATTRIBUTE_SYSTEM)) if attributes else False


@frozen
class UnitOutcome:
    """One data file of a batch: its evaluation, or the error that kept it from being scored."""

    path: Path
    evaluation: Evaluation | None = None
    error: str | None = None
    label: str | None = None  # the row of a 多单位 sheet
    internal: bool = False  # the error is evalcore's defect, not the data's

    @property
    def stem(self) -> str:
        """A file name for this unit's outputs, distinct for each row of a workbook."""
        if self.label is None:
            return self.path.stem
        return f"{self.path.stem}-{self.label.replace('!', '-').replace(' ', '')}"


@frozen
class BatchResult:
    units: tuple[UnitOutcome, ...]

    @property
    def scored(self) -> list[Evaluation]:
        return [u.evaluation for u in self.units if u.evaluation is not None]

    @property
    def failed(self) -> list[UnitOutcome]:
        return [u for u in self.units if u.error is not None]

    @property
    def internal_errors(self) -> list[UnitOutcome]:
        return [u for u in self.units if u.internal]

    def repeated(self) -> list[tuple[str, list[str]]]:
        """Units entered more than once for one framework (a row typed twice, a file copied):
        each unit's name with where it was read, for the reviewer to settle."""
        places: dict[tuple[str, str, str], list[str]] = {}
        for unit in self.units:
            evaluation = unit.evaluation
            if evaluation is None or not evaluation.data.unit:
                continue
            key = (evaluation.framework.id, evaluation.data.unit, evaluation.data.project or "")
            places.setdefault(key, []).append(where(unit))
        return [(name + (f"：{project}" if project else ""), found) for (_framework, name, project), found in places.items() if len(found) > 1]

    def ranking(self) -> list[Evaluation]:
        """By framework; within one, complete evaluations by total (highest first), then incomplete
        ones, then forms that are not scored."""
        return sorted(self.scored, key=lambda e: (e.framework.id, not e.framework.scored, not _rankable(e), -e.total, e.data.unit or ""))

    def ranks(self) -> list[tuple[Evaluation, int | None]]:
        """Each evaluation with its rank among complete ones of the same framework; ties share it."""
        out: list[tuple[Evaluation, int | None]] = []
        previous: tuple[str, Decimal] | None = None
        rank = 0
        position = 0
        current = None
        for evaluation in self.ranking():
            if evaluation.framework.id != current:
                current, position, previous = evaluation.framework.id, 0, None
            if not _rankable(evaluation):
                out.append((evaluation, None))
                continue
            position += 1
            key = (evaluation.framework.id, evaluation.total)
            if key != previous:
                rank, previous = position, key
            out.append((evaluation, rank))
        return out


def _rankable(evaluation: Evaluation) -> bool:
    """Whether a unit's total compares with others': every indicator scored on a scored form, and
    weights that add up (rows weighing more than their block give a total above the maximum)."""
    return evaluation.complete and evaluation.framework.scored and evaluation.weights_add_up


def collect_files(inputs: Sequence[Path]) -> list[Path]:
    """Files named directly or found under directories, in a stable order: every file found is
    an input, a data file or one to be reported as unreadable, except hidden and lock files
    (`_ignored`). The batch's output folder never overlaps them (the command refuses it)."""
    files: list[Path] = []
    for item in inputs:
        if item.is_dir():
            # Anything but a folder is an input: a link to nothing or a pipe named *.toml is reported
            # as unreadable, never passed over in silence.
            files.extend(sorted(p for p in item.rglob("*") if not p.is_dir() and not _ignored(p, item)))
        else:
            files.append(item)
    return files


SETTLE_EVERY = 10  # units between moves of held results out of the collector's way (measured: 10 is best)


@contextlib.contextmanager
def held_results() -> Iterator[Callable[[], None]]:
    """Keep results a batch holds for its ranking from being rescanned by every full collection.

    Each unit adds thousands of objects; with thousands of units held, the collector's full scans,
    not the scoring, would dominate. The caller calls the yielded `settled()` after each unit: every
    SETTLE_EVERY units the garbage of those units is collected (so memory stays bounded, reference
    cycles from openpyxl included) and what survives is frozen. All is unfrozen at the end.
    """
    count = 0

    def settled() -> None:
        nonlocal count
        count += 1
        if count % SETTLE_EVERY == 0:
            gc.collect()
            gc.freeze()

    try:
        yield settled
    finally:
        gc.unfreeze()


def run_batch(
    files: Iterable[Path],
    registry: Registry,
    framework_id: str | None = None,
    progress: Callable[[Path], None] | None = None,
    jobs: int = 1,
    start_method: str | None = None,
) -> BatchResult:
    """Score every file. With `jobs` above 1 the files are read in that many processes (started by
    `start_method`, the platform's default when None: spawn on Windows) and their units scored here
    as they arrive, in the files' order, so that the result is the same as with one."""
    with held_results() as settled:
        units: list[UnitOutcome] = []
        for path, reads in _reads(list(files), registry, framework_id, jobs, start_method):
            units.extend(_scored(path, reads, registry))
            settled()
            if progress is not None:
                progress(path)
        return BatchResult(tuple(units))


@frozen
class _Read:
    """A unit as a file gives it, before it is scored: its data, or the error that keeps it from
    being scored. Small and picklable: it is what a worker process sends back."""

    label: str | None = None
    data: UnitData | None = None
    error: str | None = None
    internal: bool = False


def _reads(files: list[Path], registry: Registry, framework_id: str | None, jobs: int, start_method: str | None) -> Iterator[tuple[Path, list[_Read]]]:
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            yield path, read_file(path, registry, framework_id)
        return
    import multiprocessing

    context = multiprocessing.get_context(start_method)
    # Chunks of a few files keep the workers busy without holding many results back from the order.
    chunk = max(1, min(16, len(files) // (jobs * 8)))
    with context.Pool(min(jobs, len(files)), initializer=_start_worker, initargs=(framework_id, current_limits())) as pool:
        yield from zip(files, pool.imap(_worker_read, files, chunksize=chunk))


_WORKER: dict[str, Any] = {}


def _start_worker(framework_id: str | None, limits: Limits) -> None:
    """A worker process: the limits the command was given, and its own registry. A unit's data
    holds compiled expressions (the checks of its figures): they are sent as their source."""
    from multiprocessing.reduction import ForkingPickler

    ForkingPickler.register(Expression, _reduce_expression)
    _WORKER["limits"] = using_limits(limits)
    _WORKER["limits"].__enter__()
    _WORKER["framework_id"] = framework_id
    _WORKER["registry"] = get_registry()


def _reduce_expression(expression: Expression) -> tuple[Callable[..., Expression], tuple[str, frozenset[str]]]:
    return compile_expression, (expression.source, expression.names)


def _worker_read(path: Path) -> list[_Read]:
    return read_file(path, _WORKER["registry"], _WORKER["framework_id"])


def read_file(path: Path, registry: Registry, framework_id: str | None) -> list[_Read]:
    """The units of one data file, unscored: a workbook is read once, whether its 多单位 sheet
    holds units or its single-unit sheets hold one."""
    try:
        if data_kind(path) == "workbook":
            book = open_book(path)
            if has_units(book):
                return [_Read(label, data, error) for label, _framework, data, error in read_workbook_units(path, registry, framework_id, book=book)]
            return [_Read(data=read_workbook(path, registry, framework_id, book=book)[1])]
        file = read_data_file(path)
        if not (framework_id or file.framework_id):
            raise DataError("数据文件没有写明所用的评价框架（framework = \"…\"）", Location(file=display_path(path)))
        framework = registry.framework(framework_id or file.framework_id)
        return [_Read(data=unit_data(file, framework))]
    except EvalcoreError as exc:
        message = str(exc)
        where = display_path(path)
        return [_Read(error=message if message.startswith(where) else f"{where}: {message}")]
    except Exception as exc:  # noqa: BLE001 - one unit must never stop the batch
        return [_Read(error=f"{display_path(path)}: 内部错误 {type(exc).__name__}: {exc}", internal=True)]


def _scored(path: Path, reads: list[_Read], registry: Registry) -> list[UnitOutcome]:
    """A file's units scored; the rows of a 多单位 sheet of one framework together (evaluate_many,
    in columns where it can), any failure there scored row by row, each reporting its own."""
    frameworks: dict[int, Framework] = {}
    groups: dict[int, tuple[Framework, list[int], list[UnitData]]] = {}
    for number, read in enumerate(reads):
        if read.data is None:
            continue
        with contextlib.suppress(Exception):  # an unknown framework is reported below, for its row
            framework = registry.framework(read.data.framework)
            frameworks[number] = framework
            group = groups.setdefault(id(framework), (framework, [], []))
            group[1].append(number)
            group[2].append(read.data)
    scored: dict[int, Evaluation] = {}
    if len(reads) > 1:
        for framework, numbers, datas in groups.values():
            with contextlib.suppress(Exception):
                scored.update(zip(numbers, evaluate_many(framework, datas), strict=True))
    out = []
    for number, read in enumerate(reads):
        if read.data is None:
            out.append(UnitOutcome(path, error=read.error, label=read.label, internal=read.internal))
            continue
        try:
            evaluation = scored[number] if number in scored else evaluate(frameworks.get(number) or registry.framework(read.data.framework), read.data)
            out.append(UnitOutcome(path, evaluation=evaluation, label=read.label))
        except Exception as exc:  # noqa: BLE001 - one unit must never stop the batch
            where = display_path(path) + (f" [{read.label}]" if read.label else "")
            out.append(UnitOutcome(path, error=f"{where}: 内部错误 {type(exc).__name__}: {exc}", label=read.label, internal=True))
    return out


def where(outcome: UnitOutcome) -> str:
    # A row of a 多单位 sheet is named with its row, so that failed rows of one file differ.
    return display_path(outcome.path) + (f" [{outcome.label}]" if outcome.label else "")
