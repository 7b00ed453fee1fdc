"""Writing output files: atomically (a temporary file renamed into place), never over an input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..model import EvalcoreError, Location, display_path

__all__ = ["write_output"]


def write_output(target: Path, payload: str | bytes, protected: list[Path]) -> None:
    """Write atomically, refusing to replace any input file."""
    resolved = target.resolve()
    for path in protected:
        if path.exists() and resolved == path.resolve():
            raise EvalcoreError("输出文件不能是输入文件，否则会覆盖原始数据", Location(file=display_path(target)), hint="请用 -o 指定另一个文件名")
    if resolved.is_dir():
        raise EvalcoreError("输出路径是一个目录，请写出文件名", Location(file=display_path(target)), hint="例如 -o 结果/评分表.xlsx")
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    try:
        resolved.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".evalcore-", dir=resolved.parent)
    except OSError as exc:
        raise EvalcoreError(f"无法写入：{exc.strerror or exc}", Location(file=display_path(target)), hint="请检查目录是否存在、是否有写入权限") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private; give it the mode any new file of the user's would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, resolved)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise EvalcoreError(f"无法写入：{exc.strerror or exc}", Location(file=display_path(target))) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
