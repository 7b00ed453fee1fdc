"""A plugin whose framework's id is a path leading out of any folder it is written to."""

from collections.abc import Sequence
from pathlib import Path

from evalcore import hookimpl

from . import RULESETS


@hookimpl
def evalcore_frameworks() -> Sequence[Path]:
    return [RULESETS / "traversal"]
