"""Throughput of evalcore, end to end and part by part, measured in one run.

    .venv/bin/python benchmarks/batch.py [--json] [--units 2000] [--seed 1] [--jobs N]

With --json it prints one JSON object (docs/performance.md explains each figure):
  - evaluate_units_per_s, simpleeval_units_per_s, evaluate_ratio, toml_units_per_s: `evaluate` over
    loaded units, plain pre-parsed simpleeval over the same formulas, their ratio, and TOML text ->
    evaluate end to end (from benchmarks/evaluate.py when it is there, else measured here);
  - xlsx_workbooks_per_s: filled data templates read into unit data (python-calamine, openpyxl
    where a cell's number format decides), one process; openpyxl_loads_per_s: one full openpyxl load
    of each of the same workbooks, same run; xlsx_ratio: the first over the second;
    xlsx_fallbacks: how many of those workbooks were read with openpyxl;
  - outputs_units_per_s: units whose 评分表 (.xlsx) and 自评报告 (.docx) are drawn and written,
    per second on one core;
  - run_ms: the median wall time of `evalcore run` on an example, a fresh process each time;
  - peak_rss_mb_1k, peak_rss_mb_10k: the peak memory of `evalcore batch` over 1,000 and 10,000
    unit files (the command's process; its worker processes each read one file at a time).

Every unit and workbook has its own random values. Without --json it prints the same figures as text.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _units import baseline, baseline_sources, framework_text, unit_text  # noqa: E402

from evalcore import evaluate, loads_data, loads_framework  # noqa: E402

EXAMPLE = ROOT / "examples" / "hunan" / "hecheng-dept-2020.toml"
HECHENG = "hunan.hecheng.dept.2020"


def evaluate_figures(units: int, seed: int) -> dict[str, Any]:
    """The engine's figures: benchmarks/evaluate.py's `measure` when it is there."""
    try:
        from evaluate import measure  # type: ignore[import-not-found]
    except ImportError:
        measure = None
    if measure is not None:
        found = measure(units=units, seed=seed)
        return {key: found[key] for key in ("evaluate_units_per_s", "simpleeval_units_per_s", "evaluate_ratio", "toml_units_per_s")}
    rng = random.Random(seed)
    framework = loads_framework(framework_text())
    texts = [unit_text(rng) for _ in range(units)]
    start = time.process_time()
    loaded = [loads_data(text, framework) for text in texts]
    for data in loaded:
        evaluate(framework, data)
    toml = time.process_time() - start
    start = time.process_time()
    for data in loaded:
        evaluate(framework, data)
    evaluate_only = time.process_time() - start
    sources = baseline_sources([leaf.formula.source for leaf in framework.leaves() if leaf.formula is not None])
    base = baseline([dict(d.inputs) for d in loaded], sources)
    return {
        "evaluate_units_per_s": round(units / evaluate_only),
        "simpleeval_units_per_s": round(units / base),
        "evaluate_ratio": round(base / evaluate_only, 2),
        "toml_units_per_s": round(units / toml),
    }


def unit_mapping(rng: random.Random, number: int) -> dict[str, Any]:
    """A unit of the 鹤城 framework with values of its own: counts, money (some typed with 元 or
    万元), percentages."""
    from evalcore import get_registry

    inputs: dict[str, Any] = {}
    for spec in get_registry().framework(HECHENG).inputs:
        if spec.type == "count":
            inputs[spec.id] = rng.randint(10, 60)
        elif spec.type == "percent":
            inputs[spec.id] = f"{rng.uniform(60, 100):.1f}%"
        elif rng.random() < 0.15:
            inputs[spec.id] = f"{rng.randint(1000, 900000)}元"
        else:
            inputs[spec.id] = round(rng.uniform(0.5, 900), 2)
    inputs["在职人员数"] = min(inputs["在职人员数"], inputs["编制数"])
    return {"unit": f"基准单位{number:05d}", "inputs": inputs}


def unit_toml(mapping: dict[str, Any]) -> str:
    lines = [f'framework = "{HECHENG}"', f'unit = "{mapping["unit"]}"', "year = 2020", "[inputs]"]
    lines += [f'"{key}" = {json.dumps(value, ensure_ascii=False)}' for key, value in mapping["inputs"].items()]
    return "\n".join(lines) + "\n"


def filled_workbooks(folder: Path, count: int, rng: random.Random) -> list[Path]:
    """Data templates filled with distinct values; one in ten has a percent typed as 0.95 in a % format."""
    from openpyxl import load_workbook

    from evalcore import get_registry
    from evalcore.workbook import INPUT_SHEET, template_workbook

    template = template_workbook(get_registry().framework(HECHENG))
    paths = []
    for number in range(count):
        mapping = unit_mapping(rng, number)
        book = load_workbook(io.BytesIO(template))
        book["单位信息"]["B3"] = mapping["unit"]
        for row in book[INPUT_SHEET].iter_rows(min_row=2):
            value = mapping["inputs"].get(row[0].value)
            if number % 10 == 9 and row[0].value == "实际支付进度":
                row[3].value, row[3].number_format = round(rng.uniform(0.6, 1), 3), "0%"
            elif value is not None:
                row[3].value = value
        path = folder / f"{mapping['unit']}.xlsx"
        book.save(path)
        paths.append(path)
    return paths


def xlsx_figures(folder: Path, count: int, seed: int) -> dict[str, Any]:
    from openpyxl import load_workbook

    import evalcore.workbook as workbook
    from evalcore import get_registry
    from evalcore.workbook import read_workbook

    # An evalcore before the calamine reader reads every workbook with openpyxl.
    fallbacks: Any = getattr(workbook, "fallbacks", dict)
    open_book: Any = getattr(workbook, "open_book", None)
    registry = get_registry()
    paths = filled_workbooks(folder, count, random.Random(seed))
    best_fast = best_full = float("inf")
    for round_number in range(3):  # interleaved, so that both see the same machine
        before = sum(fallbacks().values())
        start = time.process_time()
        for path in paths:
            read_workbook(path, registry, book=open_book(path)) if open_book is not None else read_workbook(path, registry)
        best_fast = min(best_fast, time.process_time() - start)
        if round_number == 0:
            used = sum(fallbacks().values()) - before
        start = time.process_time()
        for path in paths:
            load_workbook(path, data_only=True)
        best_full = min(best_full, time.process_time() - start)
    return {
        "xlsx_workbooks_per_s": round(count / best_fast),
        "openpyxl_loads_per_s": round(count / best_full),
        "xlsx_ratio": round(best_full / best_fast, 2),
        "xlsx_fallbacks": used if open_book is not None else count,
    }


def outputs_figures(folder: Path, count: int, seed: int) -> dict[str, Any]:
    from evalcore import FormatOptions, get_registry, loads_data

    registry = get_registry()
    framework = registry.framework(HECHENG)
    rng = random.Random(seed)
    evaluations = [evaluate(framework, loads_data(unit_toml(unit_mapping(rng, n)), framework)) for n in range(count)]
    formatters = [formatter for name in ("xlsx", "docx") if (formatter := registry.formatter(name, framework)) is not None]
    assert len(formatters) == 2
    for formatter in formatters:  # openpyxl and python-docx imported
        registry.render(formatter, evaluations[0], FormatOptions(width=100))
    start = time.process_time()
    for evaluation in evaluations:
        for formatter in formatters:
            payload = registry.render(formatter, evaluation, FormatOptions(width=100))
            (folder / f"{evaluation.data.unit}-{formatter.document}{formatter.suffix}").write_bytes(payload if isinstance(payload, bytes) else payload.encode())
    return {"outputs_units_per_s": round(count / (time.process_time() - start), 1)}


def environment() -> dict[str, str]:
    """The environment of the commands measured: this checkout's evalcore first on the path."""
    paths = [str(ROOT / "src"), *(str(p) for p in sorted((ROOT / "plugins").glob("*/src"))), os.environ.get("PYTHONPATH", "")]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))


def command() -> list[str]:
    script = Path(sys.executable).with_name("evalcore")
    return [str(script)] if script.exists() else [sys.executable, "-m", "evalcore"]


def run_figure(repeats: int = 9) -> dict[str, Any]:
    """The median wall time of `evalcore run` on the example, and the median processor time it
    takes (what the wall time comes to on a machine nothing else is running on)."""
    import resource

    walls, used = [], []
    subprocess.run([*command(), "run", str(EXAMPLE)], capture_output=True, check=True, env=environment())  # caches warmed
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([*command(), "run", str(EXAMPLE)], capture_output=True, check=True, env=environment())
        walls.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    return {"run_ms": round(statistics.median(walls)), "run_cpu_ms": round(statistics.median(used))}


_PEAK = """
import resource, sys
from evalcore.cli import main
try:
    main(sys.argv[1:])
    code = 0
except SystemExit as exc:
    code = exc.code
# Linux keeps ru_maxrss across exec: it would count this benchmark's own memory at the fork. The
# high-water mark of this process's own memory (VmHWM) does not.
try:
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(code, peak)
"""


def peak_rss_mb(folder: Path, units: int, seed: int, jobs: int) -> float:
    """The peak memory of `evalcore batch` over `units` unit files, in MB (ru_maxrss is in KB on Linux)."""
    rng = random.Random(seed)
    folder.mkdir()
    for n in range(units):
        (folder / f"{n:05d}.toml").write_text(unit_toml(unit_mapping(rng, n)), encoding="utf-8")
    helped = subprocess.run([*command(), "batch", "--help"], capture_output=True, text=True, check=True, env=environment())
    given = ["--jobs", str(jobs)] if "--jobs" in helped.stdout else []  # an evalcore before --jobs reads in one process
    done = subprocess.run([sys.executable, "-c", _PEAK, "batch", str(folder), *given], capture_output=True, text=True, check=True, env=environment())
    code, peak = done.stdout.split()[-2:]
    if code not in ("0", "1"):
        raise SystemExit(f"evalcore batch ended with {code}: {done.stderr[-2000:]}")
    return round(int(peak) / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--units", type=int, default=2000, help="units for the engine's figures")
    parser.add_argument("--workbooks", type=int, default=120, help="filled workbooks for the xlsx figures")
    parser.add_argument("--outputs", type=int, default=30, help="units whose documents are drawn")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes of the batches measured for memory")
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    figures.update(evaluate_figures(args.units, args.seed))
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "xlsx").mkdir()
        (root / "out").mkdir()
        figures.update(xlsx_figures(root / "xlsx", args.workbooks, args.seed))
        figures.update(outputs_figures(root / "out", args.outputs, args.seed))
        figures.update(run_figure())
        figures["peak_rss_mb_1k"] = peak_rss_mb(root / "1k", 1_000, args.seed, args.jobs)
        figures["peak_rss_mb_10k"] = peak_rss_mb(root / "10k", 10_000, args.seed, args.jobs)
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:26} {value}")


if __name__ == "__main__":
    main()
