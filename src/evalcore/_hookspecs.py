"""Hook specifications: what a plugin may contribute. All are called once, at load time."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from ._formatters import Formatter
    from ._rules import Rule

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "evalcore"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def evalcore_rule_kinds() -> Sequence[type[Rule]]:
    """Rule kinds this plugin adds.

    :return: classes deriving from :class:`evalcore.Rule`, each with a unique ``kind`` name that
        rulesets use in ``[indicator.rule] kind = "..."``. A kind name already registered by another
        plugin is reported as a plugin error and the later one is ignored. docs/engine.md §3 shows
        how to write one, including the optional quick scorer.
    """
    raise NotImplementedError


@hookspec
def evalcore_frameworks() -> Sequence[Path]:
    """Ruleset files (``*.toml``) or directories of them that this plugin ships.

    :return: paths; a directory contributes every ``*.toml`` under it. Files are indexed by their
        ``[framework] id`` and compiled only when a framework is used. A file that cannot be read is
        reported with its file and line and does not hide the others.
    """
    raise NotImplementedError


@hookspec
def evalcore_formatters() -> Sequence[Formatter]:
    """Output formats this plugin adds to ``evalcore run --format``.

    :return: :class:`evalcore.Formatter` objects. A formatter whose ``binary`` is true writes
        bytes and needs ``-o FILE``. A name is unique among general formatters; a formatter with
        ``frameworks`` (ids or prefixes such as ``"sichuan."``) may share the name of a general one
        and is chosen for those frameworks. A name already registered for the same frameworks is
        reported as a plugin error and the later one is ignored.
    """
    raise NotImplementedError
