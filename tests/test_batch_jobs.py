"""`evalcore batch --jobs N`: files read in N processes give the result of one, in the same order,
under the platform's start method and under spawn (Windows'); the limits the command was given
hold in the workers; the progress bar stays off stderr when it is no terminal; and the commands
import the checker, openpyxl and python-docx only when they use them."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from evalcore import get_registry
from evalcore.batch import BatchResult, collect_files, score_files
from evalcore.batch._run import where
from evalcore.model import Limits, using_limits
from evalcore.workbook import MULTI_SHEET, template_workbook

from .compat import tomllib
from .conftest import EXAMPLES
from .test_cli import run
from .test_fast_read import fill_example
from .test_workbook_multi import row_of

REGISTRY = get_registry()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Examples, filled workbooks (one with a 多单位 sheet), and files that cannot be scored."""
    root = tmp_path_factory.mktemp("units")
    for example in sorted(EXAMPLES.rglob("*.toml")):
        shutil.copy(example, root / f"{example.parent.name}-{example.name}")
    fill_example(EXAMPLES / "hunan" / "hecheng-dept-2020.toml", root)
    fill_example(EXAMPLES / "hunan" / "taojiang-dept-2021.toml", root)
    framework = REGISTRY.framework("hunan.taojiang.dept.2021")
    mapping = tomllib.loads((EXAMPLES / "hunan" / "taojiang-dept-2021.toml").read_text(encoding="utf-8"))
    multi = root / "多单位.xlsx"
    multi.write_bytes(template_workbook(framework, multi=True))
    book = load_workbook(multi)
    for name in ("甲单位", "乙单位", "丙单位"):
        book[MULTI_SHEET].append(row_of(framework, dict(mapping, unit=name), as_number=True))
    book[MULTI_SHEET].append(["丁单位", None, "九十"])
    book.save(multi)
    (root / "坏.toml").write_text('framework = "hunan.hecheng.dept.2020"\n[inputs\n', encoding="utf-8")
    (root / "不是工作簿.xlsx").write_bytes(b"not a zip")
    (root / "无框架.toml").write_text('unit = "某单位"\n', encoding="utf-8")
    return root


def run_batch(files: list[Path], registry: Any, **options: Any) -> BatchResult:
    """The batch with each unit's evaluation kept (score_files), to compare them leaf by leaf."""
    return BatchResult(tuple(unit for _path, units in score_files(files, registry, **options) for unit in units))


def outcome(result: BatchResult) -> list[tuple[Any, ...]]:
    """Each unit in order: where it was read, its error, its scores leaf by leaf and its row."""
    rows: list[tuple[Any, ...]] = []
    for unit in result.units:
        evaluation = unit.evaluation
        scores = None if evaluation is None else (evaluation.total, evaluation.grade, [(leaf.indicator.id, leaf.score, leaf.status) for leaf in evaluation.leaves()], [f.kind for f in evaluation.flags])
        rows.append((where(unit), unit.error, unit.internal, scores, unit.row))
    return rows


def test_two_processes_give_the_result_of_one_in_the_same_order(folder: Path) -> None:
    files = collect_files([folder])
    one = outcome(run_batch(files, REGISTRY, jobs=1))
    assert outcome(run_batch(files, REGISTRY, jobs=2)) == one
    # What was compared: scored units, rows of a 多单位 sheet, and files that could not be read.
    assert sum(1 for row in one if row[3] is not None) >= 10
    assert sum(1 for row in one if "多单位!第" in row[0]) == 4
    assert sum(1 for row in one if row[1] is not None) >= 4
    assert not any(row[2] for row in one)


def test_the_pool_works_under_spawn_with_the_limits_in_force(folder: Path) -> None:
    files = collect_files([folder])
    # A cell limit no workbook meets: each is refused, in the workers as here.
    with using_limits(Limits(max_cells=50)):
        one = outcome(run_batch(files, REGISTRY, jobs=1))
        spawned = outcome(run_batch(files, REGISTRY, jobs=2, start_method="spawn"))
    assert spawned == one
    refused = [row for row in one if row[0].endswith(".xlsx") and row[1] is not None and "上限" in row[1]]
    assert len(refused) == 3


def test_the_command_prints_the_same_with_any_number_of_processes(folder: Path, tmp_path: Path) -> None:
    one = run("batch", str(folder), "--jobs", "1", "-o", str(tmp_path / "一"), "--format", "json")
    two = run("batch", str(folder), "--jobs", "2", "-o", str(tmp_path / "二"), "--format", "json")
    assert one.returncode == two.returncode == 2  # the files that cannot be read
    assert one.stdout == two.stdout
    summaries = [json.loads((tmp_path / name / "汇总.json").read_text(encoding="utf-8")) for name in ("一", "二")]
    assert summaries[0]["units"] == summaries[1]["units"]
    assert sorted(p.name for p in (tmp_path / "一").iterdir()) == sorted(p.name for p in (tmp_path / "二").iterdir())


def test_jobs_must_be_at_least_one(folder: Path) -> None:
    refused = run("batch", str(folder), "--jobs", "0")
    assert refused.returncode == 2 and "--jobs" in refused.stderr


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    for n in range(25):  # more than the smallest batch that shows a bar on a terminal
        shutil.copy(EXAMPLES / "hunan" / "hecheng-dept-2020.toml", tmp_path / f"单位{n}.toml")
    result = run("batch", str(tmp_path), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert "计分" not in result.stderr and "剩余" not in result.stderr and "\r" not in result.stderr and "\x1b[" not in result.stderr


# Modules a command imports only when it uses them: the workbook readers and writers, the checker,
# the test helpers (hypothesis), numpy (the batch's columns), the JSON schema's validator, the other
# commands' modules, the project target form's (for the frameworks that have one), difflib (for
# a mistyped name) and rich's console (for a coloured page on a terminal).
HEAVY = (
    "rich.console",
    "evalcore.model._target_form",
    "evalcore.forms._targets",
    "evalcore.rules._targets",
    "evalcore.rules._execution",
    "evalcore.load._form",
    "evalcore.engine._form",
    "difflib",
    "openpyxl",
    "docx",
    "evalcore.checker",
    "python_calamine",
    "evalcore.testing",
    "hypothesis",
    "numpy",
    "jsonschema",
    "evalcore.workbook",
    "evalcore.batch",
    "evalcore.cli._batch",
    "evalcore.cli._check",
    "evalcore.cli._reference",
)


def imported_by(code: str) -> set[str]:
    """Which of the heavy modules a fresh interpreter has imported after running `code`."""
    probe = f"{code}\nimport sys\nprint('MODULES:', ' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.splitlines()[-1].removeprefix("MODULES:").split())


def test_importing_the_command_line_imports_no_checker_openpyxl_or_docx() -> None:
    assert imported_by("import evalcore.cli") == set()
    assert imported_by("import evalcore") == set()


def test_run_on_a_toml_example_imports_no_checker_openpyxl_or_docx() -> None:
    code = f"import evalcore.cli\ntry:\n    evalcore.cli.main(['run', {str(EXAMPLES / 'hunan' / 'hecheng-dept-2020.toml')!r}])\nexcept SystemExit:\n    pass"
    assert imported_by(code) == set()
    # A unit of a framework with a target form reads and scores it.
    form = code.replace(str(EXAMPLES / "hunan" / "hecheng-dept-2020.toml"), str(EXAMPLES / "sichuan" / "synthetic-2023.toml"))
    assert {"evalcore.model._target_form", "evalcore.load._form", "evalcore.engine._form"} <= imported_by(form)
    # Writing the report is what imports python-docx.
    assert "docx" in imported_by(code.replace("'])", "', '-o', __import__('tempfile').mkdtemp() + '/报告.docx'])"))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_one_bar_covers_reading_scoring_and_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    from evalcore.cli._batch import _progress

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("TERM", "xterm")
    # Each file is read, scored and its units' files written before the next: one step each.
    with _progress(25, writing=True) as advance:
        for number in range(25):
            advance(Path(f"{number}.toml"))
    shown = terminal.getvalue()
    assert "计分并写出" in shown and "剩余" in shown and "25/25" in shown


def test_a_small_batch_or_a_pipe_gets_no_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    from evalcore.cli._batch import _progress

    for stream, files in ((_Terminal(), 5), (io.StringIO(), 100)):
        monkeypatch.setattr(sys, "stderr", stream)
        with _progress(files, writing=True) as advance:
            advance(Path("a.toml"))
        assert stream.getvalue() == ""


def test_python_m_evalcore_batch_under_spawn_gives_the_result_of_one_process(folder: Path) -> None:
    # As on Windows, where workers are spawned: the command run as `python -m evalcore`, its workers
    # started afresh, each importing evalcore and building its own registry.
    code = (
        "import multiprocessing, runpy, sys\n"
        "multiprocessing.set_start_method('spawn')\n"
        f"sys.argv = ['evalcore', 'batch', {str(folder)!r}, '--jobs', '2']\n"
        "runpy.run_module('evalcore', run_name='__main__', alter_sys=True)\n"
    )
    spawned = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    one = run("batch", str(folder), "--jobs", "1")
    assert spawned.returncode == one.returncode == 2, spawned.stderr
    assert spawned.stdout == one.stdout


def test_a_second_run_judges_the_plugins_api_ranges_from_the_cache(tmp_path: Path) -> None:
    """packaging reads the plugins' declared API ranges once; later runs keep the verdict."""
    code = f"import os\nos.environ['EVALCORE_CACHE_DIR'] = {str(tmp_path / 'cache')!r}\nimport evalcore.cli\ntry:\n    evalcore.cli.main(['run', {str(EXAMPLES / 'hunan' / 'hecheng-dept-2020.toml')!r}])\nexcept SystemExit:\n    pass"
    probe = code + "\nimport sys\nprint('PACKAGING:', 'packaging.specifiers' in sys.modules)"
    first, second = (subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60) for _ in range(2))
    assert first.stdout.splitlines()[-1] == "PACKAGING: True", first.stderr
    assert second.stdout.splitlines()[-1] == "PACKAGING: False", second.stderr
