"""A text file's bytes and their encoding: read under the size limit, decoded as UTF-8, and for a
unit's data file also in the encodings a Windows editor saves by default.

A data file typed on a Chinese Windows PC is often saved in the system code page (GBK, read here as
its superset GB18030) or as Notepad's "Unicode" (UTF-16 with a byte-order mark). Such a file is
read, and the evaluation says in which encoding, so that a garbled name is traced to its cause. A
ruleset is the plugin author's work and must be UTF-8.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from ..model import EvalcoreError, Location, current_limits, display_path
from ._shape import too_large

__all__ = ["ENCODING_WORDS", "decode_text", "read_limited", "refuse_special"]

# The encodings read besides UTF-8, as a note in the output names them.
ENCODING_WORDS = {"utf-16": "UTF-16（记事本“Unicode”）", "gb18030": "GBK / GB18030（简体中文 Windows 的默认编码）"}

_SAVE_AS = "请用记事本或编辑器另存为 UTF-8 编码"
_CHUNK = 1 << 20


def refuse_special(path: str | Path, error: type[EvalcoreError]) -> None:
    """A named pipe, a device or a socket named like a data file is refused before it is opened:
    opening a pipe waits for a writer that never comes. A link to nothing is named as such."""
    name = display_path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            raise error("这是一个快捷链接（符号链接），它指向的文件不存在", Location(file=name), hint="请给出数据文件本身的路径") from None
        raise error("找不到文件", Location(file=name), hint="请检查路径是否正确") from None
    except OSError:
        return  # reported in the reader's own words when it opens the file
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise error("这不是普通文件（而是管道、设备等），无法作为数据文件读取", Location(file=name), hint="请给出保存在磁盘上的数据文件")


def read_limited(path: str | Path, error: type[EvalcoreError]) -> bytes:
    """The file's bytes; a missing, unreadable, special or oversized file is `error` naming it."""
    name = display_path(path)
    limit = current_limits().max_file_bytes
    refuse_special(path, error)
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > limit:
                raise too_large(name, error, size)
            # In chunks, and at most one byte past the limit: a device or a pipe has no size to ask
            # for first, and read(n) would claim n bytes of memory at once whatever the file holds.
            chunks = bytearray()
            while len(chunks) <= limit:
                chunk = file.read(min(_CHUNK, limit + 1 - len(chunks)))
                if not chunk:
                    break
                chunks += chunk
            raw = bytes(chunks)
    except FileNotFoundError:
        raise error("找不到文件", Location(file=name), hint="请检查路径是否正确") from None
    except PermissionError:
        raise error("没有读取该文件的权限，或文件正被其他程序独占打开", Location(file=name), hint="请关闭占用它的程序，或检查文件权限后重试") from None
    except IsADirectoryError:
        raise error("这是一个目录，不是文件", Location(file=name), hint="请给出目录中的数据文件，或用 evalcore batch 处理整个目录") from None
    except OSError as exc:
        raise error(f"无法读取文件：{exc.strerror}", Location(file=name)) from None
    if len(raw) > limit:
        raise too_large(name, error)
    return raw


def decode_text(raw: bytes, name: str, error: type[EvalcoreError], legacy: bool = False) -> tuple[str, str | None]:
    """The text, and None for UTF-8 (with or without a byte-order mark) or the encoding it was
    read in. Only with `legacy` (a unit's data file) are UTF-16 and GB18030 tried."""
    binary = _binary_kind(raw)
    if binary is not None:
        raise error(f"这不是文本文件，而是{binary}，扩展名却是 {_suffix(name)}", Location(file=name), hint="请检查文件名：Excel 数据表应以 .xlsx 结尾，数据文本应以 .toml 或 .json 结尾")
    if legacy and raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise error("文件以 UTF-16 标记开头，但内容不是有效的 UTF-16 文字", Location(file=name), hint=_SAVE_AS) from None
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        where = _line_of(raw, exc.start)
    if legacy:
        try:
            # Valid UTF-8 is never taken for GBK: only bytes UTF-8 refuses get this reading.
            return raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            pass
    raise _refused(name, error, where, legacy)


def _refused(name: str, error: type[EvalcoreError], line: int, legacy: bool) -> EvalcoreError:
    what = "既不是 UTF-8 也不是 GBK 编码" if legacy else "不是 UTF-8 编码"
    return error(f"文件{what}，第 {line} 行有无法识别的字节", Location(file=name, line=line), hint=_SAVE_AS)


# The first bytes of the files most often renamed by mistake.
_MAGIC = {
    b"PK\x03\x04": "压缩包（Excel .xlsx、Word .docx 或 .zip 文件）",
    b"\xd0\xcf\x11\xe0": "旧版 Office 文件（.xls 或 .doc）",
    b"%PDF": "PDF 文件",
}


def _binary_kind(raw: bytes) -> str | None:
    for magic, kind in _MAGIC.items():
        if raw.startswith(magic):
            return kind
    # A NUL byte never occurs in text, except in UTF-16 (which begins with its byte-order mark).
    if b"\x00" in raw[:4096] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "二进制文件"
    return None


def _suffix(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""
    return f".{suffix}" if suffix else "（无）"


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1
