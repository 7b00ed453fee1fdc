"""Formatter objects: how a plugin hands an output format to the CLI."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from ._results import Evaluation

__all__ = ["FormatOptions", "Formatter"]


@frozen
class FormatOptions:
    """How the caller wants output drawn: terminal width, colour, box characters."""

    width: int | None = None
    color: bool = False
    ascii: bool = False


@frozen
class Formatter:
    """A named output format: `render(evaluation, options)` gives text, or bytes when `binary`."""

    name: str
    title: str
    render: Callable[[Evaluation, FormatOptions], str | bytes]
    binary: bool = False
    suffix: str = ".txt"
