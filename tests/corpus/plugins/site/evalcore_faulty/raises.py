"""A plugin whose formatters hook raises: the plugin is skipped whole, its good framework too."""

from collections.abc import Sequence
from pathlib import Path

from evalcore import Formatter, hookimpl

from . import RULESETS


@hookimpl
def evalcore_formatters() -> Sequence[Formatter]:
    raise RuntimeError("evalcore_faulty.raises 的钩子出错")


@hookimpl
def evalcore_frameworks() -> Sequence[Path]:
    return [RULESETS / "raises"]
