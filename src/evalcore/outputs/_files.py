"""Writing output files: atomically (a temporary file renamed into place), never over an input,
never through a special file, never outside the output folder; file names made from user text.

A file name taken from a unit's name or a framework id must be valid on every system a finance
bureau uses (Windows first), must not leave the folder it is written into, and must not silently
replace another unit's file: `safe_name` and `UniqueNames` make such names, `output_path` joins
them to a folder and checks that the result stays inside it.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path, PurePath

from ..model import EvalcoreError, Location, display_path

__all__ = ["TEMP_PREFIX", "UniqueNames", "file_bytes", "output_path", "refuse_unsafe_target", "safe_name", "write_output"]

# Temporary files are hidden and carry this prefix, so that a file under a final name is always
# complete: a killed run leaves at most a hidden temporary file, which a later run may remove.
TEMP_PREFIX = ".evalcore-"

# Characters Windows refuses in a file name, path separators, and control characters.
_INVALID = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Names Windows reserves for devices, with or without an extension ("NUL.xlsx" is the device too).
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)(\..*)?$", re.IGNORECASE)
# ext4 allows 255 bytes of UTF-8 and NTFS 255 UTF-16 units: a CJK character is 3 bytes and 1 unit,
# so a bound in UTF-8 bytes holds on both. The stem leaves room for a suffix such as
# "-sichuan-xlsx.xlsx" and a duplicate number.
NAME_BYTES = 150


def safe_name(text: str, max_bytes: int = NAME_BYTES) -> str:
    """A file name (or stem) from user text: characters invalid on Windows and control characters
    replaced by "_", no leading or trailing dots and spaces, no reserved device name, at most
    `max_bytes` bytes of UTF-8 (cut between characters), never empty."""
    name = unicodedata.normalize("NFC", text)
    name = _INVALID.sub("_", name)
    # Windows drops trailing dots and spaces (so "a." and "a" are one file); a leading dot hides a file.
    name = name.strip(" .")
    if _RESERVED.match(name):
        name = "_" + name
    encoded = name.encode("utf-8")
    if len(encoded) > max_bytes:
        name = encoded[:max_bytes].decode("utf-8", errors="ignore").rstrip(" .")
    return name or "_"


class UniqueNames:
    """Hands out file names that differ even where the file system ignores case (Windows, macOS):
    a name already given gets -2, -3 … before its suffix, never replacing the earlier file."""

    def __init__(self, taken: tuple[str, ...] = ()) -> None:
        self._taken = {self._key(name) for name in taken}

    @staticmethod
    def _key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()

    def take(self, stem: str, suffix: str = "") -> str:
        candidate, number = stem + suffix, 2
        while self._key(candidate) in self._taken:
            candidate, number = f"{stem}-{number}{suffix}", number + 1
        self._taken.add(self._key(candidate))
        return candidate


def output_path(folder: Path, name: str) -> Path:
    """`name` inside `folder`: one plain file name, which must not name another folder or leave
    this one (no separators, "..", drive or absolute part); EvalcoreError otherwise."""
    pure = PurePath(name)
    if not name or pure.is_absolute() or pure.anchor or len(pure.parts) != 1 or name in (".", "..") or any(sep in name for sep in ("/", "\\")):
        raise EvalcoreError(f"输出文件名“{name}”不是目录中的一个普通文件名", Location(file=display_path(folder)), hint="这是 evalcore 的缺陷，请报告给维护者")
    target = folder / name
    # A link under that name may point elsewhere: what is written must land in the folder.
    if target.resolve().parent != folder.resolve():
        raise EvalcoreError("输出文件指向输出目录之外（符号链接），evalcore 不会写入它", Location(file=display_path(target)), hint="请删除这个链接，或换一个输出目录")
    return target


def refuse_unsafe_target(target: Path, protected: list[Path], replace: bool) -> None:
    """Refuse a target that is an input file, a special file (named pipe, device, socket,
    directory) or, unless `replace`, an existing file; EvalcoreError naming it."""
    where = Location(file=display_path(target))
    resolved = target.resolve()
    for path in protected:
        if path.exists() and resolved == path.resolve():
            raise EvalcoreError("输出文件不能是输入文件，否则会覆盖原始数据", where, hint="请用 -o 指定另一个文件名")
    try:
        mode = resolved.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise EvalcoreError(f"无法访问输出文件：{exc.strerror or exc}", where) from None
    if stat.S_ISDIR(mode):
        raise EvalcoreError("输出路径是一个目录，请写出文件名", where, hint="例如 -o 结果/评分表.xlsx")
    if not stat.S_ISREG(mode):
        raise EvalcoreError("输出路径不是普通文件（是管道、设备或套接字），evalcore 不会写入它", where, hint="请用 -o 指定一个普通文件名")
    if not replace:
        raise EvalcoreError("文件已存在，evalcore 不会替换它", where, hint="换一个文件名，或加 --force 替换它；替换后，在其中手工做的修改会丢失")


def file_bytes(target: str | PurePath, payload: str | bytes) -> bytes:
    """The bytes a file of this name holds: text in UTF-8, and a .csv file with a byte-order mark,
    without which Excel on a Chinese Windows reads it in the system code page and garbles it."""
    if isinstance(payload, bytes):
        return payload
    return payload.encode("utf-8-sig" if PurePath(target).suffix.lower() == ".csv" else "utf-8")


# Windows refuses to replace or open a file another program holds open: ERROR_SHARING_VIOLATION (32)
# and ERROR_LOCK_VIOLATION (33), or access denied (PermissionError) for a file Excel has open.
_HELD_OPEN = (32, 33)


def _write_failure(exc: OSError, target: Path) -> EvalcoreError:
    where = Location(file=display_path(target))
    if isinstance(exc, PermissionError) or getattr(exc, "winerror", None) in _HELD_OPEN:
        return EvalcoreError(
            "无法写入：文件正被其他程序打开（如 Excel、WPS），或没有写入该位置的权限",
            where,
            hint="请在 Excel、WPS 中关闭该文件后重试，或用 -o 换一个文件名",
        )
    return EvalcoreError(f"无法写入：{exc.strerror or exc}", where, hint="请检查目录是否存在、磁盘是否已满、是否有写入权限")


def write_output(target: Path, payload: str | bytes, protected: list[Path], *, replace: bool = True) -> bytes:
    """Write atomically, refusing to replace any input file or to write through a special file;
    with `replace=False`, refusing an existing file too (also one that appears meanwhile).
    Returns the bytes written (see `file_bytes`)."""
    refuse_unsafe_target(target, protected, replace)
    resolved = target.resolve()
    data = file_bytes(target, payload)
    try:
        resolved.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # imported by the commands that write a file

        handle, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=resolved.parent)
    except OSError as exc:
        raise _write_failure(exc, target) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private; give it the mode any new file of the user's would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        _place(temp, resolved, target, protected, replace)
    except OSError as exc:
        raise _write_failure(exc, target) from None
    finally:
        Path(temp).unlink(missing_ok=True)
    return data


def _place(temp: str, resolved: Path, target: Path, protected: list[Path], replace: bool) -> None:
    """Move the finished temporary file to its name: replacing what is there, or (not `replace`)
    only if nothing is, decided by the file system itself rather than by an earlier look."""
    # A special file or an input may have appeared since the first look: look again, as late as can be.
    refuse_unsafe_target(target, protected, replace=True)
    if replace:
        os.replace(temp, resolved)
        return
    try:
        os.link(temp, resolved)  # fails if the name exists: no window between looking and writing
    except FileExistsError:
        refuse_unsafe_target(target, protected, replace=False)
        raise
    except OSError:
        # A file system without hard links (FAT, some shares): rename, which on Windows refuses an
        # existing name by itself; elsewhere only the look above guards it.
        if resolved.exists():
            refuse_unsafe_target(target, protected, replace=False)
        os.rename(temp, resolved)
