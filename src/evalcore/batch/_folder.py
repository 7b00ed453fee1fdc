"""A batch's output folder: one batch at a time (a lock file), and a manifest of what each unit's
output was made from, so that `--resume` redoes only what changed or was never finished.

The lock is a file created atomically (O_EXCL) that holds the process id, the computer's name and
the start time; it is removed at the end. A lock left by a process that no longer runs (killed, the
computer restarted) is taken over, with a note. The manifest is a journal, one JSON line per output
written, appended once the file is in place: a run killed half-way leaves every finished unit
recorded, at most its last line cut short, which is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from attrs import frozen

from ..model import EvalcoreError, Location, display_path
from ..outputs import TEMP_PREFIX
from ..plugin import core_version

__all__ = ["LOCK_NAME", "MANIFEST_NAME", "FolderLock", "Manifest", "OutputRecord", "evalcore_versions", "file_hash", "leftover_entries", "remove_temporary_files"]

# Hidden, and not starting with TEMP_PREFIX: a leftover temporary file is never taken for them.
LOCK_NAME = ".evalcore.lock"
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


# ---------------------------------------------------------------------------------------------
# The lock
# ---------------------------------------------------------------------------------------------


# The locks this process holds: a lock with this process's id that is not among them was left by an
# ended process whose id this one now has (a container starts every run with the same ids).
_HELD: set[Path] = set()


def _alive(pid: int, lock: Path) -> bool:
    """Whether the process of this computer with that id, which wrote `lock`, still runs (True
    when it cannot be told)."""
    if pid == os.getpid():
        return lock.resolve() in _HELD
    if sys.platform == "win32":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0 asks only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return True
    return True


def _alive_windows(pid: int) -> bool:
    # os.kill on Windows would end the process: ask the system about it instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined, unused-ignore]
    query_limited_information, still_active, access_denied = 0x1000, 259, 5
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return bool(kernel32.GetLastError() == access_denied)
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return bool(code.value == still_active)
    finally:
        kernel32.CloseHandle(handle)


class FolderLock:
    """The lock of one output folder, held from `acquire` to `release`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOCK_NAME
        self.mine: dict[str, Any] = {"pid": os.getpid(), "host": socket.gethostname(), "started": datetime.now().isoformat(timespec="seconds")}
        self.held = False

    def acquire(self) -> str | None:
        """Take the lock; a note when a stale one was taken over; EvalcoreError when in use."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EvalcoreError(f"无法创建输出目录：{exc.strerror or exc}", Location(file=display_path(self.folder))) from None
        note = None
        for _attempt in range(5):
            try:
                handle = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                other = self._read()
                if other is None or other.get("host") != self.mine["host"] or not isinstance(other.get("pid"), int) or _alive(other["pid"], self.path):
                    raise self._in_use(other) from None
                if not self._remove_stale():
                    continue  # another run took it over first: look again
                note = f"上次在此目录运行的 evalcore（进程 {other['pid']}，开始于 {other.get('started', '?')}）已不在运行，本次接管了它的锁"
                continue
            except OSError as exc:
                raise EvalcoreError(f"无法在输出目录中创建锁文件：{exc.strerror or exc}", Location(file=display_path(self.path))) from None
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(self.mine, stream, ensure_ascii=False)
            self.held = True
            _HELD.add(self.path.resolve())
            return note
        raise self._in_use(self._read())

    def _read(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _remove_stale(self) -> bool:
        # Renamed away before it is deleted: of two runs taking over at once, one rename succeeds.
        aside = self.path.with_name(f"{LOCK_NAME}.{os.getpid()}.stale")
        try:
            os.rename(self.path, aside)
        except OSError:
            return False
        aside.unlink(missing_ok=True)
        return True

    def _in_use(self, other: dict[str, Any] | None) -> EvalcoreError:
        where = Location(file=display_path(self.folder))
        if other is None:
            who = "锁文件的内容无法读取"
        else:
            who = f"进程 {other.get('pid', '?')}，计算机 {other.get('host', '?')}，开始于 {other.get('started', '?')}"
        return EvalcoreError(
            f"输出目录正由另一个 evalcore batch 使用（{who}），两次计分的结果不能混在一个目录里",
            where,
            hint=f"请等它结束，或换一个输出目录；如确认没有 evalcore 在使用这个目录，删除其中的 {LOCK_NAME} 后重试",
        )

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        _HELD.discard(self.path.resolve())
        if self._read() == self.mine:
            self.path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def held_for(self) -> Iterator[str | None]:
        note = self.acquire()
        try:
            yield note
        finally:
            self.release()


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
    and written afresh (only this run's outputs) at the end."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST_NAME
        self.previous: dict[str, OutputRecord] = {}
        self.current: dict[str, OutputRecord] = {}

    def exists(self) -> bool:
        return self.path.is_file()

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

    def record(self, record: OutputRecord) -> None:
        """Append a written or verified output to the journal at once: a later kill keeps it."""
        self.current[record.output] = record
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(record.as_json() + "\n")

    def kept(self, name: str) -> None:
        """An output found complete: it stays recorded as it was."""
        self.current[name] = self.previous[name]

    def finish(self) -> str:
        """The journal's text as this run leaves it: one line per output of this run."""
        return "".join(record.as_json() + "\n" for record in self.current.values())
