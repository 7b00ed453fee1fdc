"""Workbooks that would cost more than the limits to read are refused before openpyxl reads them,
with the file, the limit and the option that raises it; a formula never calculated is named as such
instead of reading as a blank input."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalcore import DataError, get_registry
from evalcore.model import MB, Limits, using_limits
from evalcore.workbook import MULTI_SHEET, UNCALCULATED_HINT, read_workbook, read_workbook_units

from .compat import tomllib
from .conftest import EXAMPLES
from .test_cli import run
from .test_limits import suggested
from .test_workbook import fill_like_the_example
from .test_workbook_multi import row_of, workbook

REGISTRY = get_registry()


def _rewrite(path: Path, member: str, change: object) -> None:
    """Copy the workbook with one part changed by `change(text) -> text`, or streamed by
    `change(file)` when it takes a writable part (for parts too large to hold in memory)."""
    source = path.with_name("原件.xlsx")
    shutil.move(path, source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename != member:
                new.writestr(info, data)
            elif getattr(change, "__name__", "") == "stream":
                with new.open(member, "w", force_zip64=True) as part:
                    change(part, data)  # type: ignore[operator]
            else:
                new.writestr(info, change(data.decode("utf-8")).encode("utf-8"))  # type: ignore[operator]
    source.unlink()


def _sheet_part(path: Path, title: str) -> str:
    """The zip member of a sheet (openpyxl writes sheet1.xml… in sheet order)."""
    return f"xl/worksheets/sheet{load_workbook(path, read_only=True).sheetnames.index(title) + 1}.xml"


def _bomb(tmp_path: Path, megabytes: int) -> Path:
    """A filled template whose 报告文字 sheet unpacks to `megabytes` MB (spaces: a few kB packed)."""
    path = fill_like_the_example(tmp_path)
    member = _sheet_part(path, "报告文字")

    def stream(part: object, data: bytes) -> None:
        head, tail = data.rsplit(b"</worksheet>", 1)
        part.write(head)  # type: ignore[attr-defined]
        block = b" " * (1 << 20)
        for _ in range(megabytes):
            part.write(block)  # type: ignore[attr-defined]
        part.write(b"</worksheet>" + tail)  # type: ignore[attr-defined]

    _rewrite(path, member, stream)
    return path


def test_a_workbook_that_unpacks_past_the_limit_is_refused_unread(tmp_path: Path) -> None:
    path = _bomb(tmp_path, 120)
    assert path.stat().st_size < 2 << 20  # small on disk
    with pytest.raises(DataError) as info:
        read_workbook(path, REGISTRY)
    message = str(info.value)
    assert "基础数据表.xlsx" in message and "工作簿解压后为 12" in message and "超过 100 MB 的上限，未读取" in message
    assert "--max-xlsx-mb" in message
    result = run("run", str(path))
    assert result.returncode == 2 and "超过 100 MB 的上限" in result.stderr


def test_batch_reports_a_workbook_past_the_limit_and_scores_the_others(tmp_path: Path) -> None:
    (tmp_path / "bomb").mkdir()
    _bomb(tmp_path / "bomb", 110)
    shutil.copy(EXAMPLES / "hunan" / "hecheng-dept-2020.toml", tmp_path / "a.toml")
    shutil.move(tmp_path / "bomb" / "基础数据表.xlsx", tmp_path / "炸弹.xlsx")
    result = run("batch", str(tmp_path / "a.toml"), str(tmp_path / "炸弹.xlsx"))
    assert result.returncode == 2
    assert "已评价 1 个；无法读取或计分 1 个" in result.stdout and "超过 100 MB 的上限" in result.stdout


def test_a_workbook_with_more_cells_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path)
    with using_limits(Limits(max_cells=50)), pytest.raises(DataError, match=r"工作簿有 \d+ 个单元格，超过 50 个的上限，未读取"):
        read_workbook(path, REGISTRY)
    refused = run("--max-cells", "50", "run", str(path))
    assert refused.returncode == 2 and "--max-cells" in refused.stderr
    assert run("run", str(path)).returncode == 0
    # The hint names what this workbook needs (its cells, or its widest sheet's area), and that loads.
    assert run(*suggested(refused.stderr), "run", str(path)).returncode == 0, refused.stderr


def test_a_sheet_spanning_more_cells_than_the_limit_is_refused(tmp_path: Path) -> None:
    # Two cells far apart: openpyxl would create every cell between them as the sheet is read.
    path = fill_like_the_example(tmp_path)
    book = load_workbook(path)
    book["基础数据"]["Z30000"] = "远处的一格"
    book.save(path)
    with pytest.raises(DataError) as info:
        read_workbook(path, REGISTRY)
    assert "[基础数据]" in str(info.value) and "范围达 30000 行 × 26 列，超过 200000 个单元格的上限" in str(info.value)
    refused = run("run", str(path))
    assert refused.returncode == 2 and suggested(refused.stderr) == ("--max-cells", "780000")
    assert run(*suggested(refused.stderr), "run", str(path)).returncode == 0
    # Counted from the workbook's XML before openpyxl reads it, the area is named by the first check too.
    refused = run("--max-cells", "100", "run", str(path))
    assert "工作簿有" in refused.stderr and suggested(refused.stderr) == ("--max-cells", "780000")


def test_a_toml_file_past_the_size_limit_is_refused_by_the_command_line_option(tmp_path: Path) -> None:
    path = tmp_path / "大.toml"
    text = (EXAMPLES / "hunan" / "hecheng-dept-2020.toml").read_text(encoding="utf-8")
    path.write_text(text + ("# " + "填充" * 100 + "\n") * 2000, encoding="utf-8")  # about 1.2 MB
    refused = run("--max-file-mb", "1", "run", str(path))
    assert refused.returncode == 2 and "大.toml: 文件过大：1.2 MB，超过 1 MB 的上限，未读取" in refused.stderr
    assert suggested(refused.stderr) == ("--max-file-mb", "2")
    assert run("run", str(path)).returncode == 0
    assert run(*suggested(refused.stderr), "run", str(path)).returncode == 0
    bad = run("--max-depth", "0", "frameworks")
    assert bad.returncode == 2 and "0 应为大于 0 的整数" in bad.stderr


def test_a_workbook_past_the_size_limits_is_told_the_size_it_needs(tmp_path: Path) -> None:
    # A 6 MB workbook was once told to use --max-file-mb 4, which still refused it.
    path = _bomb(tmp_path, 3)
    refused = run("--max-xlsx-mb", "1", "run", str(path))
    assert refused.returncode == 2 and "工作簿解压后为 3." in refused.stderr and suggested(refused.stderr) == ("--max-xlsx-mb", "4")
    assert run(*suggested(refused.stderr), "run", str(path)).returncode == 0
    padded = tmp_path / "大工作簿.xlsx"
    (tmp_path / "b").mkdir()
    shutil.copy(fill_like_the_example(tmp_path / "b"), padded)
    with zipfile.ZipFile(padded, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("docProps/padding.bin", os.urandom(6 * MB))
    refused = run("--max-file-mb", "1", "run", str(padded))
    assert refused.returncode == 2 and "大工作簿.xlsx: 文件过大：6." in refused.stderr and suggested(refused.stderr) == ("--max-file-mb", "7")
    assert run(*suggested(refused.stderr), "run", str(padded)).returncode == 0


# -- formulas never calculated ------------------------------------------------------------------------


def test_an_input_whose_formula_was_never_calculated_says_so(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path)
    book = load_workbook(path)
    book["基础数据"]["D2"] = "=30+7"  # 编制数, written by a program: no saved result
    book.save(path)
    with pytest.raises(DataError) as info:
        read_workbook(path, REGISTRY)
    assert "[基础数据!D2]" in str(info.value) and "单元格是公式 =30+7，但工作簿中没有保存它的计算结果" in str(info.value)
    assert info.value.hint == UNCALCULATED_HINT == "公式未计算：请在 Excel/WPS 中打开并保存后再运行"


def test_a_formula_with_its_saved_result_is_read_as_the_result(tmp_path: Path) -> None:
    path = fill_like_the_example(tmp_path)
    # As Excel saves it: the formula and its result.
    _rewrite(path, _sheet_part(path, "基础数据"), lambda xml: re.sub(r'<c r="D2"([^>]*) t="n"><v>37</v></c>', r'<c r="D2"\1><f>30+7</f><v>37</v></c>', xml))
    assert "<f>30+7</f>" in zipfile.ZipFile(path).read(_sheet_part(path, "基础数据")).decode()
    _framework, data = read_workbook(path, REGISTRY)
    assert data.inputs["编制数"] == 37


def test_a_row_of_the_multi_sheet_with_an_uncalculated_formula_says_so(tmp_path: Path) -> None:
    framework = REGISTRY.framework("hunan.taojiang.dept.2021")
    example = tomllib.loads((EXAMPLES / "hunan" / "taojiang-dept-2021.toml").read_text(encoding="utf-8"))
    mapping = {key: value for key, value in example.items() if key not in ("facts", "checks", "report", "source", "year")}
    path = workbook(tmp_path, framework, [row_of(framework, mapping, as_number=True)] * 2)
    book = load_workbook(path)
    sheet = book[MULTI_SHEET]
    column = next(cell.column_letter for cell in sheet[1] if cell.value and str(cell.value).startswith("编制数"))
    sheet[f"{column}3"] = f"={column}2"
    book.save(path)
    (first, second) = list(read_workbook_units(path, REGISTRY))
    assert first[3] is None
    assert second[3] is not None and f"[{MULTI_SHEET}!{column}3]" in second[3] and UNCALCULATED_HINT in second[3]
