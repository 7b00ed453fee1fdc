"""How often a workbook was read with openpyxl rather than python-calamine (see _fast), by reason:
for the benchmark, and kept apart from _fast so that counting imports nothing."""

from __future__ import annotations

from collections import Counter

__all__ = ["count_fallback", "fallbacks"]

_FALLBACKS: Counter[str] = Counter()


def fallbacks() -> Counter[str]:
    """How often a workbook was read with openpyxl in this process, by reason."""
    return _FALLBACKS


def count_fallback(reason: str) -> None:
    _FALLBACKS[reason] += 1
