"""Test helpers for framework and plugin authors, the harness evalcore's own suite uses.

- Case files (``tests/cases/**/*.toml``): a unit's data, the expected scores and the document they
  come from. This module is also a pytest plugin that collects them, for a project that asks for it
  (``-p evalcore.testing`` in its pytest addopts, or ``pytest_plugins = ["evalcore.testing"]`` in its
  root conftest.py); installing evalcore changes no other project's tests. ``evalcore test PATH``
  runs them without pytest.
- Hypothesis strategies (``unit_data``) and the soundness properties (``assert_sound``) the core
  asserts for its own rule kinds, to assert for any framework. They need the ``test`` extra.
- ``evalcore.testing.pages``: a generated workbook or document judged as printed pages (LibreOffice
  to PDF, then page sizes, text and page images with poppler).

It imports evalcore.plugin, engine, load, rules and model; pytest and hypothesis only when their
parts are used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._cases import Case, CaseResult, load_case, run_case

__all__ = ["Case", "CaseResult", "assert_sound", "evaluation_differences", "input_values", "load_case", "outside_values", "run_case", "unit_data"]


def pytest_collect_file(file_path: Path, parent: Any) -> Any:
    """pytest hook: a case file (a ``*.toml`` under a ``cases`` folder) is a test of its own."""
    from .pytest_plugin import pytest_collect_file as collect

    return collect(file_path, parent)


def __getattr__(name: str) -> Any:
    # Hypothesis is a test dependency: import it only when its strategies are asked for.
    if name in ("assert_sound", "evaluation_differences", "input_values", "outside_values", "unit_data"):
        from . import _strategies

        return getattr(_strategies, name)
    raise AttributeError(name)
