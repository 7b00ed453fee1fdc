"""A batch keeps of each unit one small row: a unit's evaluation is gone once its files are
written, before the next file is scored, and the ranking, summary and exit code read the rows."""

from __future__ import annotations

import gc
import pickle
import weakref
from pathlib import Path

import pytest

from evalcore.batch import BatchResult, UnitOutcome, UnitRow, collect_files, render_ranking, run_batch, score_files, summary_dict
from evalcore.batch import _ranking as ranking_module
from evalcore.model import Evaluation
from evalcore.plugin import get_registry

from .test_summary_workbook import _units

REGISTRY = get_registry()


def test_each_files_evaluations_are_gone_before_the_next_file_is_scored(tmp_path: Path) -> None:
    files = collect_files([_units(tmp_path / "units", 6)])
    earlier: list[weakref.ref[Evaluation]] = []
    alive_when_next_came: list[int] = []

    def each(units: list[UnitOutcome]) -> None:
        gc.collect()
        alive_when_next_came.append(sum(1 for ref in earlier if ref() is not None))
        earlier.extend(weakref.ref(unit.evaluation) for unit in units if unit.evaluation is not None)

    result = run_batch(files, REGISTRY, each=each)
    gc.collect()
    assert len(earlier) == 6
    assert alive_when_next_came == [0] * 6
    assert all(ref() is None for ref in earlier)
    assert all(unit.evaluation is None and isinstance(unit.row, UnitRow) for unit in result.units)


def test_a_row_is_what_the_evaluation_says_and_small(tmp_path: Path) -> None:
    files = collect_files([_units(tmp_path / "units", 20)])
    kept = [unit for _path, units in score_files(files, REGISTRY) for unit in units]
    result = run_batch(files, REGISTRY)
    for full, row in zip(kept, result.scored):
        evaluation = full.evaluation
        assert evaluation is not None
        assert (row.unit, row.total, row.max, row.grade_text, row.complete, row.weights_add_up) == (
            evaluation.data.unit,
            evaluation.total,
            evaluation.max,
            evaluation.grade_text,
            evaluation.complete,
            evaluation.weights_add_up,
        )
        assert row.flags == evaluation.flags and (row.claimed_total, row.review_total) == (evaluation.claimed_total, evaluation.review_total)
        assert row.scores == tuple(leaf.score for leaf in evaluation.leaves())
    # Rows pickle (a row holding its framework would not: its compiled rules do not), and small:
    # about 0.9 KB a unit here, the framework's facts counted once; the unit's data alone is 5 KB.
    per_unit = len(pickle.dumps(result.scored)) / len(result.scored)
    assert per_unit < 2000, per_unit


def test_a_batch_made_from_evaluations_reads_as_one_made_from_rows(tmp_path: Path) -> None:
    files = collect_files([_units(tmp_path / "units", 5)])
    kept = BatchResult(tuple(unit for _path, units in score_files(files, REGISTRY) for unit in units))
    assert summary_dict(kept) == summary_dict(run_batch(files, REGISTRY))


@pytest.mark.parametrize("ascii_only", [False, True])
def test_the_ranking_drawn_in_blocks_is_the_table_drawn_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ascii_only: bool) -> None:
    # Names long enough to wrap onto a second line in the unit column.
    result = run_batch(collect_files([_units(tmp_path / "units", 7, "某某自治县第{n}社会保险服务中心和某某自治县第{n}医疗保障事务中心")]), REGISTRY)
    whole = render_ranking(result, 100, ascii_only)
    monkeypatch.setattr(ranking_module, "TABLE_ROWS", 3)
    assert render_ranking(result, 100, ascii_only) == whole
    assert whole.count("社会保险服务中心") == 7


def test_a_failure_no_single_unit_owns_stops_the_writing_not_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from evalcore.batch import UnitWriter
    from evalcore.cli import main

    units = _units(tmp_path / "units", 3)
    write = UnitWriter.write
    calls: list[int] = []

    def failing(self: UnitWriter, outcomes: list[UnitOutcome]) -> None:
        calls.append(len(outcomes))
        if len(calls) == 2:
            raise OSError("磁盘已满")
        write(self, outcomes)

    monkeypatch.setattr(UnitWriter, "write", failing)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as ended:
        main(["batch", str(units), "-o", str(out), "--format", "json"])
    assert ended.value.code == 3  # not the data's fault: evalcore's
    printed = capsys.readouterr()
    assert "错误：磁盘已满" in printed.err
    # Every unit is scored and ranked; the first file's result was written, none after the failure.
    assert all(f"单位00{n}" in printed.out for n in range(3))
    assert calls == [1, 1]
    assert sorted(path.name for path in out.iterdir() if path.suffix == ".json") == ["单位000.json", "汇总.json"]
    assert (out / "汇总.xlsx").is_file()
