"""The code is type-checked as part of the suite (mypy --strict, configured in pyproject.toml)."""

from __future__ import annotations

from mypy import api as mypy_api

from .conftest import ROOT


def test_mypy_strict_passes() -> None:
    stdout, stderr, status = mypy_api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(ROOT / ".mypy_cache")])
    assert status == 0, stdout + stderr
