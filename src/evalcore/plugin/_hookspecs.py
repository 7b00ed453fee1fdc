"""Hook specifications: what a plugin may contribute. All are called once, when the registry is
built, with keyword arguments only (none so far), never once per unit or per indicator.

The plugin API (these hooks and the names evalcore's packages export) carries a version, API_VERSION:
additions raise its minor number, removals its major one. A plugin declares the versions it works
with as a version specifier in its module, e.g. ``EVALCORE_API = ">=1.0,<2"``; one that asks for
another version is listed by `evalcore plugins` with the reason and left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from ..model import Formatter, Rule

__all__ = ["API_VERSION", "PROJECT", "hookimpl", "hookspec"]

PROJECT = "evalcore"
API_VERSION = "1.2"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def evalcore_rule_kinds() -> Sequence[type[Rule]]:
    """Rule kinds this plugin adds.

    :return: classes deriving from :class:`evalcore.Rule`, each with a unique ``kind`` name that
        rulesets use in ``[indicator.rule] kind = "..."``. A kind name already registered by another
        plugin is reported as a plugin error and the later one is ignored. docs/engine.md shows
        how to write one, including the optional quick scorer.
    :since: API 1.0
    """
    raise NotImplementedError


@hookspec
def evalcore_frameworks() -> Sequence[Path]:
    """Ruleset files (``*.toml``) or directories of them that this plugin ships.

    :return: paths; a directory contributes every ``*.toml`` under it. Files are indexed by their
        ``[framework] id`` and compiled only when a framework is used. A file that cannot be read is
        reported with its file and line and does not hide the others.
    :since: API 1.0
    """
    raise NotImplementedError


@hookspec
def evalcore_formatters() -> Sequence[Formatter]:
    """Output formats this plugin adds to ``evalcore run --format``.

    :return: :class:`evalcore.Formatter` objects. A formatter whose ``binary`` is true writes
        bytes and needs ``-o FILE``. A name is unique among general formatters; a formatter with
        ``frameworks`` (ids or prefixes such as ``"sichuan."``) may share the name of a general one
        and is chosen for those frameworks. A name already registered for the same frameworks is
        reported as a plugin error and the later one is ignored. A formatter that leaves parts of
        its document for the unit to write gives ``unfilled(evaluation)``, the names of those parts
        (API 1.1): ``evalcore run`` lists them after writing the file, and ``--strict`` fails on them.
    :since: API 1.0
    """
    raise NotImplementedError
