"""Scoring many units at once: find the data files, evaluate each (a bad one never stops the
rest), rank them and summarise every flag. Frameworks are compiled once per run."""

from __future__ import annotations

import contextlib
import itertools
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import Factory, field

from ..engine import evaluate, evaluate_many
from ..load import DATA_SUFFIXES, data_kind, read_data_file, unit_data
from ..model import DataError, EvalcoreError, Evaluation, Expression, Framework, Limits, Location, UnitData, compile_expression, current_limits, display_path, frozen, using_limits
from ..plugin import Registry, get_registry
from ..workbook import has_units, open_book, read_workbook, read_workbook_units
from ._row import RowMaker, UnitRow

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

__all__ = ["DATA_SUFFIXES", "BatchResult", "UnitOutcome", "collect_files", "read_file", "run_batch", "score_files", "where"]

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


def _row_of(outcome: UnitOutcome) -> UnitRow | None:
    return None if outcome.evaluation is None else UnitRow.of(outcome.evaluation)


@frozen
class UnitOutcome:
    """One unit of a batch (a data file, or a row of a 多单位 sheet): its row, or the error that kept
    it from being scored. Its full evaluation only while its files are written (score_files);
    the outcomes of a BatchResult hold their row alone."""

    path: Path
    evaluation: Evaluation | None = None
    error: str | None = None
    label: str | None = None  # the row of a 多单位 sheet
    internal: bool = False  # the error is evalcore's defect, not the data's
    row: UnitRow | None = field(default=Factory(_row_of, takes_self=True))

    @property
    def stem(self) -> str:
        """A file name for this unit's outputs, distinct for each row of a workbook."""
        if self.label is None:
            return self.path.stem
        return f"{self.path.stem}-{self.label.replace('!', '-').replace(' ', '')}"

    def kept(self) -> UnitOutcome:
        """The outcome as a batch keeps it once the unit's files are written: without its evaluation."""
        return self if self.evaluation is None else UnitOutcome(self.path, error=self.error, label=self.label, internal=self.internal, row=self.row)


@frozen
class BatchResult:
    """Every unit of a batch in the files' order, each scored one as its row (UnitRow)."""

    units: tuple[UnitOutcome, ...]

    @property
    def scored(self) -> list[UnitRow]:
        return [u.row for u in self.units if u.row is not None]

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
            row = unit.row
            if row is None or not row.unit:
                continue
            key = (row.framework.id, row.unit, row.project or "")
            places.setdefault(key, []).append(where(unit))
        return [(name + (f"：{project}" if project else ""), found) for (_framework, name, project), found in places.items() if len(found) > 1]

    def ranking(self) -> list[UnitRow]:
        """By framework; within one, complete evaluations by total (highest first), then incomplete
        ones, then forms that are not scored."""
        return sorted(self.scored, key=lambda e: (e.framework.id, not e.framework.scored, not _rankable(e), -e.total, e.unit or ""))

    def ranks(self) -> list[tuple[UnitRow, int | None]]:
        """Each unit with its rank among complete ones of the same framework; ties share it."""
        out: list[tuple[UnitRow, int | None]] = []
        previous: tuple[str, Decimal] | None = None
        rank = 0
        position = 0
        current = None
        for row in self.ranking():
            if row.framework.id != current:
                current, position, previous = row.framework.id, 0, None
            if not _rankable(row):
                out.append((row, None))
                continue
            position += 1
            key = (row.framework.id, row.total)
            if key != previous:
                rank, previous = position, key
            out.append((row, rank))
        return out


def _rankable(row: UnitRow) -> bool:
    """Whether a unit's total compares with others': every indicator scored on a scored form, and
    weights that add up (rows weighing more than their block give a total above the maximum)."""
    return row.complete and row.framework.scored and row.weights_add_up


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


def score_files(
    files: Iterable[Path],
    registry: Registry,
    framework_id: str | None = None,
    jobs: int = 1,
    start_method: str | None = None,
) -> Iterator[tuple[Path, list[UnitOutcome]]]:
    """Each file with its units scored, evaluations included, in the files' order, one file at a
    time as it is scored. With `jobs` above 1 the files are read in that many processes (started by
    `start_method`, the platform's default when None: spawn on Windows) and their units scored here
    as they arrive, so that the result is the same as with one."""
    rows = RowMaker()
    for path, reads in _reads(list(files), registry, framework_id, jobs, start_method):
        yield path, _scored(path, reads, registry, rows)


def run_batch(
    files: Iterable[Path],
    registry: Registry,
    framework_id: str | None = None,
    progress: Callable[[Path], None] | None = None,
    jobs: int = 1,
    start_method: str | None = None,
    each: Callable[[list[UnitOutcome]], None] | None = None,
) -> BatchResult:
    """Score every file (score_files), keeping of each unit its row: `each` is given each file's
    units with their evaluations (to write their files) before the evaluations are dropped, and
    `progress` is called after it with the file."""
    units: list[UnitOutcome] = []
    for path, outcomes in score_files(files, registry, framework_id, jobs, start_method):
        if each is not None:
            each(outcomes)
        units.extend(outcome.kept() for outcome in outcomes)
        del outcomes  # the file's evaluations go now, not when the next file's are made
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
    chunks = iter([files[start : start + chunk] for start in range(0, len(files), chunk)])
    with context.Pool(min(jobs, len(files)), initializer=_start_worker, initargs=(framework_id, current_limits())) as pool:
        # The workers read at most READ_AHEAD chunks each ahead of the scoring: the main process
        # also writes each unit's files, far slower than reading, and what is read waits in memory.
        pending: deque[tuple[list[Path], AsyncResult[list[list[_Read]]]]] = deque()
        for part in itertools.islice(chunks, READ_AHEAD * jobs):
            pending.append((part, pool.apply_async(_worker_read, (part,))))
        while pending:
            part, reading = pending.popleft()
            reads = reading.get()
            for following in itertools.islice(chunks, 1):
                pending.append((following, pool.apply_async(_worker_read, (following,))))
            yield from zip(part, reads)


# Chunks each worker may have read beyond the one being scored.
READ_AHEAD = 4

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


def _worker_read(paths: list[Path]) -> list[list[_Read]]:
    return [read_file(path, _WORKER["registry"], _WORKER["framework_id"]) for path in paths]


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


def _scored(path: Path, reads: list[_Read], registry: Registry, rows: RowMaker) -> list[UnitOutcome]:
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
            out.append(UnitOutcome(path, evaluation=evaluation, label=read.label, row=rows.row(evaluation)))
        except Exception as exc:  # noqa: BLE001 - one unit must never stop the batch
            where = display_path(path) + (f" [{read.label}]" if read.label else "")
            out.append(UnitOutcome(path, error=f"{where}: 内部错误 {type(exc).__name__}: {exc}", label=read.label, internal=True))
    return out


def where(outcome: UnitOutcome) -> str:
    # A row of a 多单位 sheet is named with its row, so that failed rows of one file differ.
    return display_path(outcome.path) + (f" [{outcome.label}]" if outcome.label else "")
