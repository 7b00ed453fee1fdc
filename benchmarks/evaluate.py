"""How fast `evaluate` scores, against plain pre-parsed simpleeval, measured in the same run.

    .venv/bin/python benchmarks/evaluate.py [--units 2000] [--seed 1]

prints the JSON of `measure()`:
  - evaluate_units_per_s: the public `evaluate_many(framework, datas)` (or `evaluate`) returning
    full Evaluation objects (every flag and unit-wide check; traces written when read) over units
    already loaded (their values checked against the inputs' domains when they were read);
  - simpleeval_units_per_s: plain simpleeval with Decimal evaluating the same formulas and
    expression rules of the same units, ASTs parsed once, no rules, rounding or checks;
  - evaluate_ratio: the first over the second (the target is at least 10);
  - evaluate_mode: "batched" (`evaluate_many`, the units scored in columns; see docs/engine.md),
    or "per unit" where numpy is not installed; per_unit_* give the rate of one `evaluate` call per
    unit as well;
  - toml_units_per_s: end to end, TOML text → `loads_data` (domain checks) → `evaluate_many`;
  - reference_leaves: how many leaves of the run the compiled scorer left to the reference
    evaluator, and uncompiled: the indicators it never compiles (with the reason).

Every unit has its own random values (benchmarks/_units.py). Times are CPU times of this process
(the machine is shared), each the best of three rounds, the rounds of evaluate and of the baseline
interleaved so that both see the same machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _units import baseline, baseline_sources, framework_text, unit_texts  # noqa: E402

from evalcore import LeafResult, loads_data, loads_framework  # noqa: E402
from evalcore.engine import compile_framework, evaluate, evaluate_many  # noqa: E402

# Best of nine, interleaved: one round of evaluate_many takes some 15 ms, no longer than the
# pauses another guest of a shared machine causes, so that three rounds were sometimes all slowed.
ROUNDS = 9


def measure(units: int = 2000, seed: int = 1) -> dict[str, Any]:
    """Rates of `evaluate`, of the simpleeval baseline and end to end on `units` distinct units."""
    framework = loads_framework(framework_text())
    texts = unit_texts(units, seed)

    # End to end as a batch runs: the units' files read (values checked against the inputs'
    # domains), then scored together.
    start = time.process_time()
    loaded = [loads_data(text, framework) for text in texts]
    evaluations = evaluate_many(framework, loaded)
    toml = time.process_time() - start
    reference_leaves = sum(isinstance(record, LeafResult) for evaluation in evaluations for record in evaluation.leaf_records)
    del evaluations

    sources = baseline_sources([leaf.formula.source for leaf in framework.leaves() if leaf.formula is not None])
    names = [dict(data.inputs) for data in loaded]
    best_each = best_many = best_baseline = float("inf")
    for _ in range(ROUNDS):
        # The evaluations are kept until the clock stops, as a caller keeps what it asked for.
        start = time.process_time()
        kept = evaluate_many(framework, loaded)
        best_many = min(best_many, time.process_time() - start)
        del kept
        best_baseline = min(best_baseline, baseline(names, sources))
    # One call per unit, for the record (after the batched rounds, not between them).
    for _ in range(ROUNDS):
        start = time.process_time()
        kept = [evaluate(framework, data) for data in loaded]
        best_each = min(best_each, time.process_time() - start)
        del kept
    compiled = compile_framework(framework)
    batched = compiled.columns is not None
    best_evaluate = best_many if batched else best_each
    return {
        "units": units,
        "evaluate_units_per_s": round(units / best_evaluate),
        "simpleeval_units_per_s": round(units / best_baseline),
        "evaluate_ratio": round(best_baseline / best_evaluate, 2),
        "evaluate_mode": "batched" if batched else "per unit",
        "per_unit_units_per_s": round(units / best_each),
        "per_unit_ratio": round(best_baseline / best_each, 2),
        "toml_units_per_s": round(units / toml),
        "reference_leaves": reference_leaves,
        "uncompiled": [f"{label}：{why}" for label, why in compiled.uncompiled],
        "in_columns": f"{len(compiled.columns.plan.numbers) if batched else 0} of {len(list(framework.leaves()))} indicators",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(measure(args.units, args.seed), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
