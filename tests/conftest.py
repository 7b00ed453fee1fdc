"""Shared fixtures: paths of the repository's rulesets and examples."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RULESETS = ROOT / "rulesets"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session", autouse=True)
def _private_registry_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The suite keeps its registry cache to itself (commands it runs inherit the variable): the
    user's own cache folder is neither read nor written by a test run."""
    import os

    os.environ.setdefault("EVALCORE_CACHE_DIR", str(tmp_path_factory.mktemp("registry-cache")))


@pytest.fixture(scope="session")
def registry():  # type: ignore[no-untyped-def]
    from evalcore import get_registry

    return get_registry()
