"""Throughput of evalcore against a plain simpleeval baseline, measured in the same run.

    .venv/bin/python benchmarks/batch.py [--units 10000] [--seed 1]

A synthetic 30-indicator framework (deduct, bands, proportional, sign, expression, checklist and
judgment rules over 40 inputs) scores N synthetic units given as TOML text. Printed:
  - engine, end to end: TOML text -> load_data -> evaluate (with every trace line and flag);
  - engine, evaluate only (data already loaded);
  - baseline: plain simpleeval re-evaluating the same formulas and expression rules per unit with
    pre-parsed ASTs (no rules, traces or checks at all);
and the ratio engine / baseline. Targets on a 2-core machine: >= 5,000 units/s end to end, and
evaluate at least as fast as the baseline.

evaluate() scores an indicator with nothing to report through its rule's quick scorer and writes
its trace only when the trace is read (see Rule.quick). For the record, the last line prints the
rate when every unit's result tree and every trace line are also built, as `evalcore explain` or
a per-unit report does; that is not a target.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from evalcore import evaluate, loads_data, loads_framework  # noqa: E402
from evalcore.batch import held_results  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _units import baseline, baseline_sources, framework_text, unit_text  # noqa: E402

_WORKER_FRAMEWORK = None


def _worker_init() -> None:
    global _WORKER_FRAMEWORK
    _WORKER_FRAMEWORK = loads_framework(framework_text())


def _worker(texts: list[str]) -> int:
    assert _WORKER_FRAMEWORK is not None
    for text in texts:
        evaluate(_WORKER_FRAMEWORK, loads_data(text, _WORKER_FRAMEWORK))
    return len(texts)


def parallel(texts: list[str], jobs: int) -> float:
    """End to end in `jobs` processes, as a reviewer's batch run uses the machine's cores."""
    import multiprocessing

    chunks = [texts[i : i + 250] for i in range(0, len(texts), 250)]
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_init) as pool:
        start = time.perf_counter()
        done = sum(pool.map(_worker, chunks))
        elapsed = time.perf_counter() - start
    assert done == len(texts)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the parallel end-to-end run")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    framework = loads_framework(framework_text())
    texts = [unit_text(rng) for _ in range(args.units)]

    # As `evalcore batch` runs: every unit's result is kept for the ranking (see held_results).
    with held_results() as settled:
        start = time.perf_counter()
        evaluations = []
        for text in texts:
            evaluations.append(evaluate(framework, loads_data(text, framework)))
            settled()
        end_to_end = time.perf_counter() - start
    loaded = [evaluation.data for evaluation in evaluations]
    assert all(len(list(e.leaves())) == 30 for e in evaluations)

    start = time.perf_counter()
    for data in loaded:
        evaluate(framework, data)
    evaluate_only = time.perf_counter() - start

    sources = baseline_sources([leaf.formula.source for leaf in framework.leaves() if leaf.formula is not None])
    base = baseline([dict(d.inputs) for d in loaded], sources)

    start = time.perf_counter()
    for data in loaded[: max(1, len(loaded) // 10)]:
        for leaf in evaluate(framework, data).leaves():
            leaf.trace  # noqa: B018 - written when read
    explained = (time.perf_counter() - start) / max(1, len(loaded) // 10) * len(loaded)

    in_parallel = parallel(texts, args.jobs)

    n = args.units
    print(f"units: {n}, indicators per unit: 30, expressions per unit in the baseline: {len(sources)}")
    print(f"engine end to end, {args.jobs} processes:      {n / in_parallel:10.0f} units/s")
    print(f"engine end to end (TOML -> evaluate): {n / end_to_end:10.0f} units/s")
    print(f"engine evaluate only:                 {n / evaluate_only:10.0f} units/s")
    print(f"baseline plain simpleeval:            {n / base:10.0f} units/s")
    print(f"ratio evaluate-only / baseline:       {base / evaluate_only:10.2f}")
    print(f"ratio end-to-end / baseline:          {base / end_to_end:10.2f}")
    print(f"engine evaluate + every trace read:   {n / explained:10.0f} units/s (not a target)")


if __name__ == "__main__":
    main()
