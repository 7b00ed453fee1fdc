"""evalcore plugin for Hunan (湖南省): the province's county frameworks and report layouts."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from evalcore import hookimpl

__all__ = ["RULESETS", "evalcore_frameworks"]

# rulesets/ is the repository's rulesets/hunan, linked into the package so that it ships with it.
RULESETS = Path(str(files(__name__) / "rulesets"))


@hookimpl
def evalcore_frameworks() -> Sequence[Path]:
    return [RULESETS]
