"""Proving frameworks sound before anyone is scored by them (`evalcore check`): weights that add up,
scores within weights, full marks and zero reachable, bands without gaps or overlaps, deduction
directions, provenance; and what changed between two frameworks (`evalcore diff`).

It imports evalcore.rules and model.
"""

from ._check import CODE_TITLES, CODES, SEVERITIES, Finding, check_framework
from ._diff import CHANGE_WORDS, FIELD_WORDS, Change, diff_frameworks, field_changes

__all__ = ["CHANGE_WORDS", "CODES", "CODE_TITLES", "FIELD_WORDS", "SEVERITIES", "Change", "Finding", "check_framework", "diff_frameworks", "field_changes"]
