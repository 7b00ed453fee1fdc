"""Formatter objects: how a plugin hands an output format to the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from attrs import field

from ._records import frozen
from ._results import Evaluation

__all__ = ["FormatOptions", "Formatter", "format_label"]


@frozen
class FormatOptions:
    """How the caller wants output drawn: terminal width, colour, box characters."""

    width: int | None = None
    color: bool = False
    ascii: bool = False


def _claims(value: str | Iterable[str]) -> tuple[str, ...]:
    # One id or prefix written without a tuple ("sichuan.") is one claim, not one per character.
    claims = (value,) if isinstance(value, str) else tuple(value)
    if not all(isinstance(claim, str) and claim.strip(".") for claim in claims):
        raise ValueError(f"Formatter.frameworks must be framework ids or prefixes ending in '.', got {value!r}")
    return claims


@frozen
class Formatter:
    """A named output format: `render(evaluation, options)` gives text, or bytes when `binary`."""

    name: str
    title: str
    render: Callable[[Evaluation, FormatOptions], str | bytes]
    binary: bool = False
    suffix: str = ".txt"
    # The frameworks this format is made for: ids, or id prefixes ending in "." ("sichuan.");
    # empty for any framework. For a framework it is made for, it is chosen over a general format
    # of the same name: a Sichuan unit's `--format xlsx` is the Sichuan form, not another layout.
    frameworks: tuple[str, ...] = field(default=(), converter=_claims)
    # The document it writes, in the words on its title page (评分表, 自评报告, 问题清单): a file
    # named with them (-o 鹤城-问题清单.xlsx) asks for this format among those of its extension, and
    # a batch names a unit's file "{单位}-{document}{suffix}".
    document: str | None = None
    # The parts of the document it leaves for the unit to write (the 自评报告's 【待填写】 sections),
    # as the document names them, for an evaluation: `evalcore run` lists them after writing the
    # file and `--strict` fails while any is left. None for a format that leaves nothing to write.
    # It must name exactly the parts `render` leaves blank for the same evaluation. (API 1.1)
    unfilled: Callable[[Evaluation], Sequence[str]] | None = None

    def closeness(self, framework_id: str) -> int:
        """How closely the format is made for the framework: the length of the id or prefix that
        matches it, 0 for a general format, -1 when it is made for other frameworks only."""
        if not self.frameworks:
            return 0
        matches = [len(p) for p in self.frameworks if framework_id == p or (p.endswith(".") and framework_id.startswith(p))]
        return max(matches, default=-1)

    def overlaps(self, other: Formatter) -> bool:
        """Whether the two claim the same name for the same frameworks (both general, or a shared id
        or prefix). A narrower prefix ("prov.county.") within a wider one is no clash: the closer wins."""
        if self.name != other.name:
            return False
        return (not self.frameworks and not other.frameworks) or bool(set(self.frameworks) & set(other.frameworks))

    @property
    def label(self) -> str:
        """The name as `evalcore plugins` lists it, with the frameworks it is made for."""
        return format_label(self.name, self.frameworks)


def format_label(name: str, frameworks: tuple[str, ...]) -> str:
    """A format's name with the frameworks it is made for: "xlsx（用于 sichuan.*）"."""
    if not frameworks:
        return name
    return f"{name}（用于 {'、'.join(p + '*' if p.endswith('.') else p for p in frameworks)}）"
