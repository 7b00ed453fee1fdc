"""Generated documents judged as printed pages: a workbook or Word document converted to PDF by
LibreOffice (headless), then its pages measured and its text read with poppler (pdfinfo, pdftotext),
and page images drawn for the guides (pdftoppm).

A plugin author checks a formatter the way evalcore checks its own::

    from evalcore.testing.pages import printed
    pages = printed(tmp_path / "评分表.xlsx")
    assert pages.count <= 3 and pages.all_landscape and "在职人员控制率" in pages.text

The tools come from the Debian packages libreoffice-writer-nogui, libreoffice-calc-nogui,
fonts-noto-cjk and poppler-utils. Where they are missing `require_office()` skips the test, except
in CI (the environment variable CI=true), where a missing tool fails it: page checks must run there.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from functools import cached_property
from pathlib import Path

from ..model import frozen

__all__ = ["PageSize", "Printed", "Word", "office_available", "page_images", "printed", "require_office", "to_pdf"]

_TOOLS = ("soffice", "pdfinfo", "pdftotext", "pdftoppm")
_SIZE = re.compile(r"^Page\s+(\d+)\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.MULTILINE)


def office_available() -> bool:
    """Whether LibreOffice and the poppler tools are on PATH."""
    return all(shutil.which(tool) for tool in _TOOLS)


def require_office() -> None:
    """Skip the calling test when the tools are missing; fail it instead under CI=true."""
    if office_available():
        return
    import pytest

    missing = ", ".join(tool for tool in _TOOLS if not shutil.which(tool))
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"page checks must run in CI, but {missing} is missing (see .ci/run)")
    pytest.skip(f"{missing} not installed: install libreoffice-writer-nogui, libreoffice-calc-nogui, fonts-noto-cjk, poppler-utils")


def to_pdf(document: Path, outdir: Path | None = None, timeout: float = 180) -> Path:
    """The document converted to PDF by LibreOffice, beside it or in `outdir`.

    Each call uses its own LibreOffice profile, so that conversions in parallel test processes
    do not wait for (or break) each other's running instance.
    """
    document = Path(document).resolve()
    target_dir = Path(outdir).resolve() if outdir is not None else document.parent
    with tempfile.TemporaryDirectory(prefix="evalcore-lo-") as profile:
        argv = [
            "soffice",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(target_dir),
            str(document),
        ]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    pdf = target_dir / (document.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"LibreOffice could not convert {document.name}: {done.stdout}{done.stderr}")
    return pdf


@frozen
class PageSize:
    """One printed page, in points (1/72 inch)."""

    width: float
    height: float

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def a4(self) -> bool:
        # A4 is 595.3 × 841.9 pt, either way round.
        return sorted((round(self.width), round(self.height))) == [595, 842]


class Printed:
    """A PDF's pages: their sizes and their text (page by page, in reading layout)."""

    def __init__(self, pdf: Path):
        self.pdf = pdf

    @cached_property
    def sizes(self) -> list[PageSize]:
        out = subprocess.run(["pdfinfo", "-f", "1", "-l", "100000", str(self.pdf)], capture_output=True, text=True, check=True).stdout
        return [PageSize(float(w), float(h)) for _n, w, h in _SIZE.findall(out)]

    @property
    def count(self) -> int:
        return len(self.sizes)

    @property
    def all_a4(self) -> bool:
        return all(size.a4 for size in self.sizes)

    @property
    def all_landscape(self) -> bool:
        return all(size.landscape for size in self.sizes)

    @property
    def all_portrait(self) -> bool:
        return not any(size.landscape for size in self.sizes)

    @cached_property
    def pages(self) -> list[str]:
        """Each page's text in reading order, a table cell's lines kept together (pdftotext's
        default mode: its -layout mode interleaves the lines of neighbouring cells); every page
        ends with a form feed."""
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(self.pdf), "-"], capture_output=True, text=True, check=True).stdout
        return text.split("\f")[: self.count]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def squeezed(self) -> str:
        """The text without spaces and line breaks: a Chinese phrase wrapped across lines of a cell
        or spaced out by justification is found whole."""
        return re.sub(r"\s+", "", self.text)


    @cached_property
    def words(self) -> list[Word]:
        """Every word (a run of glyphs on one line) with its page and box, from pdftotext -bbox."""
        out = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(self.pdf), "-"], capture_output=True, text=True, check=True).stdout
        found: list[Word] = []
        for number, page in enumerate(out.split("<page ")[1:], start=1):
            for x0, y0, x1, y1, text in _WORD.findall(page):
                found.append(Word(number, float(x0), float(y0), float(x1), float(y1), html.unescape(text)))
        return found

    def contains(self, phrase: str) -> bool:
        """Whether the phrase is printed whole: on one line, or wrapped down the lines of one table
        cell (each next part below the last and overlapping it across). Spaces are ignored."""
        wanted = re.sub(r"\s+", "", phrase)
        if wanted in self.squeezed():
            return True
        words = self.words
        return any(self._continues(words, start, wanted[len(start.text) :]) for start in words if start.text and wanted.startswith(start.text))

    def _continues(self, words: list[Word], last: Word, rest: str) -> bool:
        if not rest:
            return True
        height = last.y1 - last.y0
        below = [
            w
            for w in words
            if w.page == last.page and w.text and rest.startswith(w.text) and 0 < w.y0 - last.y0 <= 1.8 * height and w.x0 < last.x1 and w.x1 > last.x0
        ]
        return any(self._continues(words, w, rest[len(w.text) :]) for w in below)


@frozen
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def printed(document: Path, outdir: Path | None = None) -> Printed:
    """The document as it prints: convert with LibreOffice, then measure and read the PDF."""
    return Printed(to_pdf(document, outdir))


def page_images(pdf: Path, prefix: Path, dpi: int = 60, first: int = 1, last: int | None = None) -> list[Path]:
    """PNG images of pages `first`..`last` (for the guides), named prefix-1.png, prefix-2.png, …"""
    argv = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(first)]
    if last is not None:
        argv += ["-l", str(last)]
    subprocess.run([*argv, str(pdf), str(prefix)], check=True, capture_output=True)
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
