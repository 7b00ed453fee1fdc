"""What the registry finds on disk, kept between runs: the ``evalcore`` entry points of the installed
distributions (with their versions and the core's), the [framework] head of each ruleset file, and
whether each plugin API range a plugin declared takes in this core's plugin API version.
A command then starts without scanning every installed distribution's metadata or parsing every
ruleset; a framework is still read in full when it is used.

The entry points are kept for one Python and one set of import paths (all but the first, the
script's or working folder), each with its modification time: installing or removing a distribution changes its folder's, so the scan is made again. A
ruleset's head is kept for the file's path, size and modification time. The cache is a JSON file
in the user's cache folder (EVALCORE_CACHE_DIR, else %LOCALAPPDATA%\\evalcore or
$XDG_CACHE_HOME/evalcore, ~/.cache/evalcore); one that cannot be read or written is done without.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from ..model import cache_folder

__all__ = ["RegistryCache", "registry_cache"]

_VERSION = 1


def _paths_key() -> list[Any]:
    """This Python and its import paths with their modification times. The first path is the
    script's folder, or the working folder: it changes with where the command is started, and holds
    no installed distribution."""
    key: list[Any] = [sys.executable, sys.version]
    for entry in sys.path[1:]:
        try:
            key.append([entry, os.stat(entry or ".").st_mtime_ns])
        except OSError:
            key.append([entry, None])
    return key


class RegistryCache:
    """The cache file, read once; written back only when something new was learnt."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._changed = False
        self._data: dict[str, Any] = {}
        if path is not None:
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict) and data.get("version") == _VERSION:
                    self._data = data
        self._key = _paths_key()

    def entry_points(self) -> list[tuple[str, str, str | None]] | None:
        """(name, value, version) of each entry point, or None when they must be scanned again."""
        found = self._data.get("entry_points")
        if not isinstance(found, dict) or found.get("key") != self._key:
            return None
        return [(str(name), str(value), version) for name, value, version in found["items"]]

    def core_version(self) -> tuple[bool, str | None]:
        """(known, version) of the installed core, kept with the entry points."""
        found = self._data.get("entry_points")
        if not isinstance(found, dict) or found.get("key") != self._key or "core" not in found:
            return False, None
        return True, found["core"]

    def keep_entry_points(self, items: list[tuple[str, str, str | None]], core: str | None) -> None:
        self._data["entry_points"] = {"key": self._key, "items": [list(item) for item in items], "core": core}
        self._changed = True

    def head(self, path: Path) -> dict[str, Any] | None:
        """The [framework] head kept for a ruleset file unchanged since, or None."""
        stamp = _stamp(path)
        found = self._section("heads").get(str(path))
        if stamp is None or not isinstance(found, dict) or found.get("stamp") != stamp:
            return None
        head = found.get("head")
        return head if isinstance(head, dict) else None

    def keep_head(self, path: Path, head: dict[str, Any]) -> None:
        stamp = _stamp(path)
        if stamp is not None:
            self._section("heads")[str(path)] = {"stamp": stamp, "head": head}
            self._changed = True

    def api_accepts(self, declared: str, api: str) -> bool | None:
        """Whether the range `declared` was found to take in plugin API version `api`, or None."""
        found = self._section("api").get(f"{api} {declared}")
        return found if isinstance(found, bool) else None

    def keep_api_verdict(self, declared: str, api: str, accepted: bool) -> None:
        self._section("api")[f"{api} {declared}"] = accepted
        self._changed = True

    def _section(self, name: str) -> dict[str, Any]:
        """A part of the cache, made anew when missing or not what this version writes."""
        found = self._data.get(name)
        if not isinstance(found, dict):
            found = self._data[name] = {}
        return found

    def save(self) -> None:
        """Write the cache back, atomically, when it changed; a failure only costs the next run time."""
        if not self._changed or self.path is None:
            return
        self._changed = False
        self._data["version"] = _VERSION
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # only when the cache is written

            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".registry-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(self._data, stream, ensure_ascii=False)
                os.replace(temporary, self.path)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def _stamp(path: Path) -> list[int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns]


def registry_cache() -> RegistryCache:
    folder = cache_folder()
    return RegistryCache(folder / "registry.json" if folder is not None else None)
