"""Test helpers for framework and plugin authors, the harness evalcore's own suite uses.

- Case files (``tests/cases/**/*.toml``): a unit's data, the expected scores and the document they
  come from. The pytest plugin in :mod:`evalcore.testing.pytest_plugin` collects them (it is
  registered automatically when evalcore is installed); ``evalcore test PATH`` runs them without
  pytest.
- Hypothesis strategies (``unit_data``) and the soundness properties (``assert_sound``) the core
  asserts for its own rule kinds, to assert for any framework. They need the ``test`` extra.

It imports evalcore.plugin, engine, load, rules and model; pytest and hypothesis only when their
parts are used.
"""

from __future__ import annotations

from typing import Any

from ._cases import Case, CaseResult, load_case, run_case

__all__ = ["Case", "CaseResult", "assert_sound", "evaluation_differences", "input_values", "load_case", "outside_values", "run_case", "unit_data"]


def __getattr__(name: str) -> Any:
    # Hypothesis is a test dependency: import it only when its strategies are asked for.
    if name in ("assert_sound", "evaluation_differences", "input_values", "outside_values", "unit_data"):
        from . import _strategies

        return getattr(_strategies, name)
    raise AttributeError(name)
