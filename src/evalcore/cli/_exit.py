"""Exit codes of every command, defined once."""

from __future__ import annotations

import enum

__all__ = ["ExitCode"]


class ExitCode(enum.IntEnum):
    """0 evaluated (even with findings); 1 findings under --strict, a failed check or case; 2 bad
    input (a Chinese message names file, line or cell and key); 3 internal error."""

    OK = 0
    FINDINGS = 1
    BAD_INPUT = 2
    INTERNAL = 3
    INTERRUPTED = 130
