"""Every 自评报告 (docx) starts from the prepared blank document: a report keeps nothing of the one
drawn before it, also when reports are drawn in several threads at once."""

from __future__ import annotations

import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor

from evalcore import Evaluation
from evalcore.cli._common import evaluate_file

from .conftest import EXAMPLES
from .test_hunan_formatters import render

NAMES = ("hecheng-dept-2020", "taojiang-project-2021", "chengbu-dept-2023", "hecheng-targets-2020-baogan")


def _parts(payload: bytes) -> dict[str, bytes]:
    """The package's parts by name, the times it was made at left out."""
    with zipfile.ZipFile(io.BytesIO(payload)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["docProps/core.xml"] = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*<", b"<", parts["docProps/core.xml"])
    return parts


def _evaluations() -> list[Evaluation]:
    return [evaluate_file(EXAMPLES / "hunan" / f"{name}.toml", None) for name in NAMES]


def test_a_report_keeps_nothing_of_the_one_before() -> None:
    first, second, *_ = _evaluations()
    alone = _parts(render("docx", first))
    other = _parts(render("docx", second))
    assert other["word/document.xml"] != alone["word/document.xml"]
    assert other["docProps/core.xml"] != alone["docProps/core.xml"]
    assert _parts(render("docx", first)) == alone
    assert second.data.unit and second.data.unit.encode() not in alone["word/document.xml"]


def test_reports_drawn_in_threads_are_those_drawn_one_at_a_time() -> None:
    evaluations = _evaluations() * 3
    alone = [_parts(render("docx", evaluation)) for evaluation in evaluations]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda evaluation: _parts(render("docx", evaluation)), evaluations))
    assert together == alone
