"""Which kind of file a unit's data file is, by its extension: a workbook, TOML or JSON; any other
file is refused with a Chinese message saying what to do, never guessed at."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from ..model import DataError, Location, display_path

__all__ = ["DATA_SUFFIXES", "WORKBOOK_SUFFIXES", "data_kind"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
DATA_SUFFIXES = (*WORKBOOK_SUFFIXES, ".toml", ".json")

# What to do with a file evalcore cannot read, by extension.
_SAVE_AS = "请在 Excel 或 WPS 中打开，“另存为”Excel 工作簿（.xlsx）后再运行"
_TEMPLATE = "数据请填在 evalcore template 框架编号 -o 基础数据表.xlsx 生成的模板中（或写成 .toml 数据文件）"
_ADVICE = {
    ".xls": ("旧版 Excel 工作簿", _SAVE_AS),
    ".et": ("WPS 表格文件", _SAVE_AS),
    ".ett": ("WPS 表格模板", _SAVE_AS),
    ".wps": ("WPS 文字文件", _TEMPLATE),
    ".ods": ("OpenDocument 表格", _SAVE_AS),
    ".csv": ("CSV 文件", _TEMPLATE),
    ".xlsb": ("Excel 二进制工作簿", _SAVE_AS),
    ".docx": ("Word 文档", _TEMPLATE),
    ".doc": ("Word 文档", _TEMPLATE),
    ".pdf": ("PDF 文件", _TEMPLATE),
    ".txt": ("文本文件", _TEMPLATE),
}


def data_kind(path: Path) -> Literal["workbook", "toml", "json"]:
    """The kind of a data file by its extension (in any case); DataError for any other file."""
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return "workbook"
    if suffix == ".toml":
        return "toml"
    if suffix == ".json":
        return "json"
    what, advice = _ADVICE.get(suffix, (f"{suffix} 文件" if suffix else "没有扩展名的文件", _TEMPLATE))
    raise DataError(
        f"evalcore 不能读取{what}：数据文件应是 Excel 工作簿（.xlsx、.xlsm）、.toml 或 .json 文件",
        Location(file=display_path(path)),
        hint=advice,
    )
