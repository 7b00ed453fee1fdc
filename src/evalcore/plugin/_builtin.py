"""The core's own contributions, registered as a plugin like any other: the built-in rule kinds,
the general output formats and the national frameworks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..model import Formatter, Rule
from ..outputs import GENERAL_FORMATTERS
from ..rules import BUILTIN_RULE_KINDS
from ._hookspecs import hookimpl
from ._rulesets import packaged_rulesets


@hookimpl
def evalcore_rule_kinds() -> Sequence[type[Rule]]:
    return BUILTIN_RULE_KINDS


@hookimpl
def evalcore_formatters() -> Sequence[Formatter]:
    return GENERAL_FORMATTERS


@hookimpl
def evalcore_frameworks() -> Sequence[Path]:
    return [packaged_rulesets("evalcore", "national")]
