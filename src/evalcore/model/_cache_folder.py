"""The user's cache folder, where evalcore keeps what it can learn again (the registry's scan, the
compiled scorers of large frameworks, the parsed rulesets): EVALCORE_CACHE_DIR, else
%LOCALAPPDATA%\\evalcore on Windows, $XDG_CACHE_HOME/evalcore or ~/.cache/evalcore elsewhere; None
when there is none."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

__all__ = ["cache_folder", "cached_path", "keep_cached", "read_cached"]


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


def cached_path(part: str, key: str) -> Path | None:
    """Where the cache keeps `key` among its `part` (scorers, rulesets) for this interpreter (what is
    kept there is in its marshal format), or None: no cache folder, or an interpreter that caches
    no bytecode."""
    folder = cache_folder()
    if folder is None or sys.implementation.cache_tag is None:
        return None
    return folder / part / f"{key}.{sys.implementation.cache_tag}"


def read_cached(path: Path) -> bytes | None:
    """What the cache keeps at `path`, or None (nothing, or unreadable: it is learnt again)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def keep_cached(path: Path, payload: bytes) -> None:
    """Keep `payload` at `path`, atomically; a failure only costs the next process the work again."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when something is kept

        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.parent.name}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(payload)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
