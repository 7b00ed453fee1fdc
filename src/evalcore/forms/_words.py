"""Words officers type for yes and no: 是/否, √/×, 对, yes, 1/0…"""

from __future__ import annotations

from ..model import normalize_text

__all__ = ["yes_no_word"]

_TRUE = {"是", "√", "✓", "✔", "y", "yes", "true", "对", "有", "1"}
_FALSE = {"否", "×", "✗", "✘", "n", "no", "false", "无", "0"}


def yes_no_word(text: str) -> bool | None:
    """是/否 as people write it (√/×, 对, yes, 1/0…); None for anything else."""
    word = normalize_text(text).lower()
    return True if word in _TRUE else False if word in _FALSE else None
