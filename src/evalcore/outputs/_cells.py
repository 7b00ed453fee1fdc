"""Figures as spreadsheet cells hold them."""

from __future__ import annotations

from decimal import Decimal

from ..model import fmt

__all__ = ["cell_number"]


def cell_number(value: Decimal | None) -> int | Decimal | None:
    """A score for a spreadsheet cell: empty stays empty (never 0), whole numbers as integers."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return Decimal(fmt(value))
