"""Golden files: every output of every bundled example, as text that a diff can show.

They are a refactoring net, not expected values: a change that moves code must leave them as they
are, and a change that means to alter an output regenerates them in the same commit, so that the
diff of the golden files is the review of what a user will see differently.

    EVALCORE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py   # regenerate

Workbooks are written as their sheets' cell values, number formats, merged ranges, widths,
heights, comments and print setup; documents as their paragraphs with styles and fonts, tables and
page setup.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted((ROOT / "examples").rglob("*.toml"))


def xlsx_dump(payload: bytes) -> str:
    """A workbook as JSON text: what a reader of the printed sheet could see change."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(payload))
    sheets: list[dict[str, Any]] = []
    for ws in book.worksheets:
        cells: dict[str, Any] = {}
        formats: dict[str, str] = {}
        comments: dict[str, str] = {}
        fonts: dict[str, str] = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells[cell.coordinate] = cell.value if isinstance(cell.value, (int, str)) else repr(cell.value)
                    font = cell.font
                    fonts[cell.coordinate] = f"{font.name}/{font.sz}/{'b' if font.b else ''}"
                if cell.number_format not in ("General", None) and cell.value is not None:
                    formats[cell.coordinate] = cell.number_format
                if cell.comment is not None:
                    comments[cell.coordinate] = cell.comment.text
        setup = ws.page_setup
        sheets.append(
            {
                "title": ws.title,
                "cells": cells,
                "fonts": fonts,
                "number_formats": formats,
                "merged": sorted(str(r) for r in ws.merged_cells.ranges),
                "widths": {k: v.width for k, v in sorted(ws.column_dimensions.items()) if v.width},
                "heights": {str(k): v.height for k, v in sorted(ws.row_dimensions.items()) if v.height},
                "comments": comments,
                "freeze": ws.freeze_panes,
                "print_titles": ws.print_title_rows,
                "page": {"orientation": setup.orientation, "paper": setup.paperSize, "fit_width": setup.fitToWidth, "fit_height": setup.fitToHeight, "scale": setup.scale},
                "footer": ws.oddFooter.center.text,
                "validations": sorted(f"{v.formula1} {v.sqref}" for v in ws.data_validations.dataValidation),
            }
        )
    return json.dumps(sheets, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def docx_dump(payload: bytes) -> str:
    """A document as JSON text: paragraphs (style, alignment, text, run fonts), tables, sections."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(payload))

    def runs(paragraph: Any) -> list[str]:
        out = []
        for run in paragraph.runs:
            rpr = run._element.rPr
            east = rpr.rFonts.get(qn("w:eastAsia")) if rpr is not None and rpr.rFonts is not None else None
            out.append(f"{run.font.name}/{east}/{run.font.size.pt if run.font.size else None}/{'b' if run.font.bold else ''}")
        return sorted(set(out))

    body: list[Any] = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            from docx.text.paragraph import Paragraph

            p = Paragraph(block, document)
            body.append({"style": p.style.name if p.style is not None else None, "align": str(p.alignment), "text": p.text, "runs": runs(p)})
        elif block.tag == qn("w:tbl"):
            from docx.table import Table

            table = Table(block, document)
            body.append({"table": [[cell.text for cell in row.cells] for row in table.rows]})
    sections = [
        {"width": s.page_width, "height": s.page_height, "orientation": str(s.orientation), "margins": [s.top_margin, s.bottom_margin, s.left_margin, s.right_margin]}
        for s in document.sections
    ]
    styles = {}
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        styles[name] = f"{style.font.name}/{style.font.size.pt if style.font.size else None}"
    return json.dumps({"body": body, "sections": sections, "styles": styles}, ensure_ascii=False, indent=1) + "\n"


def cli(*args: str) -> tuple[int, str, str]:
    """Run `evalcore ARGS` in this process: (exit code, stdout, stderr)."""
    import contextlib

    from evalcore.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def _result(code: int, out: str, err: str) -> str:
    return out + (f"\n--- stderr ---\n{err}" if err else "") + (f"\n--- exit {code} ---\n" if code else "")


def outputs(scratch: Path) -> Iterator[tuple[str, str]]:
    """(golden file name, content) for every output of every example, made as a user makes them:
    through the command line, from the repository root (paths in outputs are relative to it).
    `scratch` is an empty directory for the files that commands write."""
    from evalcore import get_registry

    from .compat import tomllib

    registry = get_registry()
    frameworks: list[str] = []
    for example in EXAMPLES:
        relative = str(example.relative_to(ROOT))
        name = f"{example.parent.name}-{example.stem}"
        framework_id = tomllib.loads(example.read_text(encoding="utf-8"))["framework"]
        frameworks.append(framework_id)
        framework = registry.framework(framework_id)
        for fmt_name in registry.format_names():
            formatter = registry.formatter(fmt_name, framework)
            if formatter is None:
                continue
            if formatter.binary:
                # One file per format: run -o never replaces a file (xlsx and sichuan-xlsx share a suffix).
                target = scratch / f"{name}.{fmt_name}{formatter.suffix}"
                code, out, err = cli("run", relative, "--format", fmt_name, "-o", str(target))
                if code:
                    yield f"{name}.{fmt_name}.txt", _result(code, out, err)
                    continue
                payload = target.read_bytes()
                yield f"{name}.{fmt_name}.json", docx_dump(payload) if formatter.suffix == ".docx" else xlsx_dump(payload)
            else:
                yield f"{name}.{fmt_name}.txt", _result(*cli("run", relative, "--format", fmt_name, "--width", "100"))
        yield f"{name}.explain.txt", _result(*cli("explain", relative, "--width", "100"))
    for framework_id in sorted(set(frameworks) | set(registry.entries)):
        yield f"framework-{framework_id}.show.txt", _result(*cli("show", framework_id, "--width", "100"))
        toml_target = scratch / f"{framework_id}.toml"
        code, out, err = cli("template", framework_id, "-o", str(toml_target))
        yield f"framework-{framework_id}.template.toml.txt", toml_target.read_text(encoding="utf-8") if not code else _result(code, out, err)
        xlsx_target = scratch / f"{framework_id}.xlsx"
        code, out, err = cli("template", framework_id, "-o", str(xlsx_target), "--multi")
        yield f"framework-{framework_id}.template.xlsx.json", xlsx_dump(xlsx_target.read_bytes()) if not code else _result(code, out, err.replace(str(scratch), "SCRATCH"))
    batch = scratch / "batch"
    code, out, err = cli("batch", "examples", "--width", "100", "-o", str(batch))
    yield "batch.ranking.txt", _result(code, out, err.replace(str(scratch), "SCRATCH"))
    # The hidden column 数据文件路径 holds full paths: the checkout's own is written ROOT.
    yield "batch.summary.xlsx.json", xlsx_dump((batch / "汇总.xlsx").read_bytes()).replace(json.dumps(str(ROOT), ensure_ascii=False)[1:-1], "ROOT")
    yield "check.txt", _result(*cli("check", "--width", "100"))
    yield "frameworks.txt", _result(*cli("frameworks"))
    yield "diff.txt", _result(*cli("diff", "hunan.taojiang.dept.2021", "tests/fixtures/extends/taojiang-dept-2022-synthetic.toml", "--width", "100"))
