"""Shared fixtures: paths of the repository's rulesets and examples."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RULESETS = ROOT / "rulesets"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def registry():  # type: ignore[no-untyped-def]
    from evalcore import get_registry

    return get_registry()
