"""Every output of every bundled example against its golden file (see tests/golden_dump.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .golden_dump import GOLDEN, ROOT, outputs

UPDATE = bool(os.environ.get("EVALCORE_UPDATE_GOLDEN"))


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    scratch = tmp_path_factory.mktemp("golden")
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        made = dict(outputs(scratch))
    finally:
        os.chdir(here)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.iterdir():
            old.unlink()
        for name, text in made.items():
            (GOLDEN / name).write_bytes(text.encode("utf-8"))
    return made


def test_every_golden_file_is_still_produced(produced: dict[str, str]) -> None:
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(produced)


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.iterdir()) if GOLDEN.is_dir() else [])
def test_output_matches_its_golden_file(produced: dict[str, str], name: str) -> None:
    assert produced.get(name) == (GOLDEN / name).read_bytes().decode("utf-8"), f"{name} changed: regenerate with EVALCORE_UPDATE_GOLDEN=1 if intended, and review the diff"
