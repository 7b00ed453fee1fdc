"""A batch's output folder (held by one batch at a time, see _lock): a manifest of what each
unit's output was made from, so that `--resume` redoes only what changed or was never finished,
and knows which files in the folder are evalcore's own.

The manifest is a journal, one JSON line per output written, appended once the file is in place:
a run killed half-way leaves every finished unit recorded, at most its last line cut short, which
is ignored. A kill between a file's rename and its line leaves that one file unrecorded: a resumed
run writes it again, and says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..model import frozen
from ..outputs import TEMP_PREFIX
from ..plugin import core_version
from ._lock import LOCK_NAME

__all__ = ["MANIFEST_NAME", "Manifest", "OutputRecord", "evalcore_versions", "file_hash", "leftover_entries", "remove_temporary_files"]

# Hidden, and not starting with TEMP_PREFIX: a leftover temporary file is never taken for it.
MANIFEST_NAME = ".evalcore.manifest.jsonl"


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def evalcore_versions(plugins: Iterable[tuple[str, str | None]]) -> str:
    """evalcore's version and every plugin's: a new version of either may draw a file differently."""
    core = core_version() or "unknown"
    return " ".join([f"evalcore={core}", *sorted({f"{name}={version or '?'}" for name, version in plugins if name != "evalcore"})])


def leftover_entries(folder: Path) -> list[str]:
    """What a folder already holds, apart from evalcore's own lock and temporary files."""
    if not folder.is_dir():
        return []
    return sorted(entry.name for entry in folder.iterdir() if entry.name != LOCK_NAME and not entry.name.startswith(TEMP_PREFIX))


def remove_temporary_files(folder: Path) -> None:
    """Remove the temporary files a killed run left (under the lock, nobody else writes here)."""
    for entry in folder.glob(TEMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            entry.unlink()


# ---------------------------------------------------------------------------------------------
# The manifest
# ---------------------------------------------------------------------------------------------


@frozen
class OutputRecord:
    """What one output file was made from, and its hash once written."""

    output: str  # the file's name in the folder
    format: str
    input: str  # the data file, as the batch was given it
    label: str | None  # the row of a 多单位 sheet
    input_sha256: str
    framework: str
    framework_sha256: str
    versions: str  # evalcore's and the plugins'
    output_sha256: str

    def made_from(self, other: OutputRecord) -> bool:
        """Whether both were made from the same input, framework and versions, in one format; the
        input's path may be spelt otherwise (another working directory), its bytes may not."""
        return (self.format, self.label, self.input_sha256, self.framework, self.framework_sha256, self.versions) == (
            other.format,
            other.label,
            other.input_sha256,
            other.framework,
            other.framework_sha256,
            other.versions,
        )

    def as_json(self) -> str:
        return json.dumps(_fields(self), ensure_ascii=False)


def _fields(record: OutputRecord) -> dict[str, Any]:
    return {
        "output": record.output,
        "format": record.format,
        "input": record.input,
        "label": record.label,
        "input_sha256": record.input_sha256,
        "framework": record.framework,
        "framework_sha256": record.framework_sha256,
        "versions": record.versions,
        "output_sha256": record.output_sha256,
    }


class Manifest:
    """The journal of an output folder: read at the start, appended to as outputs are written,
    and written afresh at the end (this run's outputs, and the out-of-date files left in place)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST_NAME
        self.previous: dict[str, OutputRecord] = {}
        self.current: dict[str, OutputRecord] = {}
        self.carried: dict[str, OutputRecord] = {}  # out of date, but edited by hand: left, and told again

    def exists(self) -> bool:
        return self.path.is_file()

    def start(self) -> None:
        """Create the journal before the first file is written: a run killed right after its first
        rename leaves a folder that `--resume` knows as evalcore's."""
        self.path.touch()

    def read(self) -> None:
        if not self.exists():
            return
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = OutputRecord(**json.loads(line))
            except (ValueError, TypeError):
                continue  # the last line of a killed run, cut short
            self.previous[record.output] = record

    def complete(self, wanted: OutputRecord, folder: Path) -> bool:
        """Whether the output `wanted` describes (its hash not yet known) is in the folder, made from
        the same input, framework and versions, and unchanged since it was written."""
        found = self.previous.get(wanted.output)
        target = folder / wanted.output
        if found is None or not found.made_from(wanted) or not target.is_file():
            return False
        return file_hash(target) == found.output_sha256

    def edited(self, name: str, folder: Path) -> bool:
        """Whether an output an earlier run wrote has been changed since (by hand): its bytes no
        longer those recorded. Such a file is never written over by --resume."""
        found = self.previous.get(name)
        target = folder / name
        return found is not None and bool(found.output_sha256) and target.is_file() and file_hash(target) != found.output_sha256

    def record(self, record: OutputRecord) -> None:
        """Append a written or verified output to the journal at once: a later kill keeps it."""
        self.current[record.output] = record
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(record.as_json() + "\n")

    def kept(self, name: str) -> None:
        """An output found complete: it stays recorded as it was."""
        self.current[name] = self.previous[name]

    def stale(self) -> list[OutputRecord]:
        """Outputs an earlier run recorded that this run neither wrote nor kept."""
        return [record for name, record in self.previous.items() if name not in self.current]

    def carry(self, record: OutputRecord) -> None:
        """An out-of-date output left in the folder: recorded still, so that the next run tells of it again."""
        self.carried[record.output] = record

    def finish(self) -> str:
        """The journal's text as this run leaves it: one line per output of this run, then the
        out-of-date outputs left in place."""
        records = [*self.current.values(), *(r for name, r in self.carried.items() if name not in self.current)]
        return "".join(record.as_json() + "\n" for record in records)
