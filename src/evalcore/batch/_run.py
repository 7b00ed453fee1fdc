"""Scoring many units at once: find the data files, evaluate each (a bad one never stops the
rest), rank them and summarise every flag. Frameworks are compiled once per run."""

from __future__ import annotations

import contextlib
import gc
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path

from attrs import frozen

from ..engine import evaluate, evaluate_many
from ..load import DATA_SUFFIXES, data_kind, read_data_file, unit_data
from ..model import DataError, EvalcoreError, Evaluation, Framework, Location, UnitData, display_path
from ..plugin import Registry
from ..workbook import check_workbook, has_units, read_workbook, read_workbook_units

__all__ = ["DATA_SUFFIXES", "BatchResult", "UnitOutcome", "collect_files", "held_results", "run_batch", "where"]

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
    return evaluation.complete and evaluation.framework.scored and evaluation.ungraded != "分值合计不符"


def collect_files(inputs: Sequence[Path]) -> list[Path]:
    """Files named directly or found under directories, in a stable order: every file found is
    an input, a data file or one to be reported as unreadable, except hidden and lock files
    (`_ignored`). The batch's output folder never overlaps them (the command refuses it)."""
    files: list[Path] = []
    for item in inputs:
        if item.is_dir():
            # Anything but a folder is an input: a link to nothing or a pipe named *.toml is reported
            # as unreadable, never passed over in silence.
            files.extend(sorted(p for p in item.rglob("*") if (p.is_symlink() or not p.is_dir()) and not _ignored(p, item)))
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


def run_batch(files: Iterable[Path], registry: Registry, framework_id: str | None = None, progress: Callable[[Path], None] | None = None) -> BatchResult:
    with held_results() as settled:
        return _run_batch(files, registry, framework_id, progress, settled)


def _run_batch(
    files: Iterable[Path], registry: Registry, framework_id: str | None, progress: Callable[[Path], None] | None, settled: Callable[[], None]
) -> BatchResult:
    units: list[UnitOutcome] = []
    for path in files:
        try:
            if data_kind(path) == "workbook" and _is_multi(path):
                units.extend(_multi_units(path, registry, framework_id))
            else:
                units.append(UnitOutcome(path, evaluation=_evaluate_one(path, registry, framework_id)))
        except EvalcoreError as exc:
            message = str(exc)
            where = display_path(path)
            units.append(UnitOutcome(path, error=message if message.startswith(where) else f"{where}: {message}"))
        except Exception as exc:  # noqa: BLE001 - one unit must never stop the batch
            units.append(UnitOutcome(path, error=f"{display_path(path)}: 内部错误 {type(exc).__name__}: {exc}", internal=True))
        settled()
        if progress is not None:
            progress(path)
    return BatchResult(tuple(units))


def _is_multi(path: Path) -> bool:
    from openpyxl import load_workbook

    check_workbook(path)  # even a read-only look reads all of a workbook's shared strings
    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - reported when the file is read properly
        return False
    try:
        return has_units(book)
    finally:
        book.close()  # read-only workbooks keep their file open until closed


def _multi_units(path: Path, registry: Registry, framework_id: str | None) -> list[UnitOutcome]:
    rows = list(read_workbook_units(path, registry, framework_id))
    # The rows of one framework are scored together (evaluate_many, in columns where it can).
    groups: dict[int, tuple[Framework, list[int], list[UnitData]]] = {}
    for number, (_label, framework, data, error) in enumerate(rows):
        if error is None and framework is not None and data is not None:
            group = groups.setdefault(id(framework), (framework, [], []))
            group[1].append(number)
            group[2].append(data)
    scored: dict[int, Evaluation] = {}
    for framework, numbers, datas in groups.values():
        with contextlib.suppress(Exception):  # any failure: row by row below, each reporting its own
            scored.update(zip(numbers, evaluate_many(framework, datas), strict=True))
    out = []
    for number, (label, framework, data, error) in enumerate(rows):
        if error is not None or framework is None or data is None:
            out.append(UnitOutcome(path, error=error, label=label))
            continue
        try:
            evaluation = scored[number] if number in scored else evaluate(framework, data)
            out.append(UnitOutcome(path, evaluation=evaluation, label=label))
        except Exception as exc:  # noqa: BLE001 - one row must never take the others with it
            out.append(UnitOutcome(path, error=f"{display_path(path)} [{label}]: 内部错误 {type(exc).__name__}: {exc}", label=label, internal=True))
    return out


def _evaluate_one(path: Path, registry: Registry, framework_id: str | None) -> Evaluation:
    if data_kind(path) == "workbook":
        book_framework, book_data = read_workbook(path, registry, framework_id)
        return evaluate(book_framework, book_data)
    file = read_data_file(path)
    if not (framework_id or file.framework_id):
        raise DataError("数据文件没有写明所用的评价框架（framework = \"…\"）", Location(file=display_path(path)))
    framework = registry.framework(framework_id or file.framework_id)
    return evaluate(framework, unit_data(file, framework))


def where(outcome: UnitOutcome) -> str:
    # A row of a 多单位 sheet is named with its row, so that failed rows of one file differ.
    return display_path(outcome.path) + (f" [{outcome.label}]" if outcome.label else "")
