"""Shared fixtures: paths of the repository's rulesets and examples."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The suite keeps its registry cache to itself, from collection on (test modules build registries when
# they are imported; commands the tests run inherit the variable): the user's cache is never touched.
os.environ["EVALCORE_CACHE_DIR"] = tempfile.mkdtemp(prefix="evalcore-registry-cache-")

ROOT = Path(__file__).resolve().parents[1]
RULESETS = ROOT / "rulesets"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def registry():  # type: ignore[no-untyped-def]
    from evalcore import get_registry

    return get_registry()
