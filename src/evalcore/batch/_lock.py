"""One batch at a time per output folder: a lock file created atomically (O_EXCL) that holds the
process id, the computer's name, when the process started and when the lock was taken; it is
removed at the end. A lock left by a process that no longer runs (killed, the computer restarted)
is taken over, with a note.

A process id alone does not say whether the lock's process still runs: once it has ended, the
system may give its id to another program (a container starts every run with the same ids). The
lock therefore records the process's start as the system tells it, and a running process with
that id but another start is not the lock's.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ..model import EvalcoreError, Location, display_path

__all__ = ["LOCK_NAME", "FolderLock", "process_start"]

# Hidden, and not starting with TEMP_PREFIX: a leftover temporary file is never taken for it.
LOCK_NAME = ".evalcore.lock"

# The locks this process holds: a lock with this process's id that is not among them was left by an
# ended process whose id this one now has.
_HELD: set[Path] = set()


def process_start(pid: int) -> str | None:
    """When the process with that id started, as a token that differs for two processes given
    the same id one after the other; None when the system cannot tell (or there is no such process)."""
    try:
        if sys.platform == "win32":
            return _start_windows(pid)
        if Path("/proc/self/stat").exists():
            return _start_proc(pid)
        return _start_ps(pid)
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return None


def _start_proc(pid: int) -> str:
    # Field 22 of /proc/PID/stat: the start in clock ticks since boot; the boot's id tells boots apart.
    # The command name (field 2) may hold spaces and parentheses: fields are counted after its ")".
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace").rsplit(")", 1)[1].split()
    boot = Path("/proc/sys/kernel/random/boot_id")
    return f"{boot.read_text(encoding='ascii').strip() if boot.exists() else ''}:{fields[19]}"


def _start_ps(pid: int) -> str | None:
    # macOS and the BSDs: ps prints the start to the second, enough between two runs of a batch.
    found = subprocess.run(["ps", "-o", "lstart=", "-p", str(pid)], capture_output=True, text=True, timeout=10, check=False)
    text = found.stdout.strip()
    return text if found.returncode == 0 and text else None


def _start_windows(pid: int) -> str | None:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined, unused-ignore]
    query_limited_information = 0x1000
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return None
    try:
        created, ended, kernel, user = (ctypes.c_ulonglong() for _ in range(4))
        if not kernel32.GetProcessTimes(handle, ctypes.byref(created), ctypes.byref(ended), ctypes.byref(kernel), ctypes.byref(user)):
            return None
        return str(created.value)
    finally:
        kernel32.CloseHandle(handle)


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


def _ended(other: dict[str, Any], lock: Path) -> str | None:
    """Why the process that wrote the lock `other` no longer runs, or None when it runs (or it
    cannot be told: a lock of another computer, one without a process id)."""
    pid = other.get("pid")
    if other.get("host") != socket.gethostname() or not isinstance(pid, int) or isinstance(pid, bool):
        return None
    if not _alive(pid, lock):
        return "已不在运行"
    recorded = other.get("process_start")
    if pid != os.getpid() and isinstance(recorded, str):
        now = process_start(pid)
        if now is not None and now != recorded:
            return "已不在运行（该进程号现由另一个程序使用）"
    return None


class FolderLock:
    """The lock of one output folder, held from `acquire` to `release`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOCK_NAME
        self.mine: dict[str, Any] = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "process_start": process_start(os.getpid()),
            "started": datetime.now().isoformat(timespec="seconds"),
        }
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
                ended = _ended(other, self.path) if other is not None else None
                if other is None or ended is None:
                    raise self._in_use(other) from None
                if not self._remove_stale():
                    continue  # another run took it over first: look again
                note = f"上次在此目录运行的 evalcore（进程 {other['pid']}，开始于 {other.get('started', '?')}）{ended}，本次接管了它的锁"
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
