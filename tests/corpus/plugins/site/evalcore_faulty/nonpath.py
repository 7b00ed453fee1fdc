"""A plugin whose frameworks hook returns a number beside a good folder: the number is reported,
the folder's framework is used."""

from typing import Any

from evalcore import hookimpl

from . import RULESETS


@hookimpl
def evalcore_frameworks() -> Any:
    return [5, RULESETS / "nonpath"]
