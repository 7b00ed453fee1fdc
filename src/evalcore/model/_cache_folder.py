"""The user's cache folder, where evalcore keeps what it can learn again (the registry's scan, the
compiled scorers of large frameworks): EVALCORE_CACHE_DIR, else %LOCALAPPDATA%\\evalcore on
Windows, $XDG_CACHE_HOME/evalcore or ~/.cache/evalcore elsewhere; None when there is none."""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["cache_folder"]


def cache_folder() -> Path | None:
    given = os.environ.get("EVALCORE_CACHE_DIR")
    if given:
        return Path(given)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "evalcore" if base else None
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "evalcore"
    try:
        return Path.home() / ".cache" / "evalcore"
    except RuntimeError:  # no home folder to be found
        return None
