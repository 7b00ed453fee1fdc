"""Every Hunan example's 自评报告 as it prints: converted by LibreOffice, then read page by page
(evalcore.testing.pages). A4 portrait; a page count in the range its content takes; every heading
of the outline printed; the unit named; no word of the tool; 【待填写】 printed under exactly the
headings that have no text.

The page ranges. The body is 三号 type at 22 lines to the page and about 27 characters to the line
(GB/T 9704 on A4). A report with no text of the unit's own (鹤城, 桃江) prints its 17 headings
(项目: 16 and one per first-level indicator), a placeholder of one to three lines under each of the
ten or so sections without text, the conclusion and analysis (10 to 20 lines) and the attachment
and signature block (7 lines): 55 to 75 lines, 3 to 4 pages; 5 allows for a font that sets wider.
城步 adds its own 2,400 characters (about 90 lines) and names the 44 indicators its data cannot
score (about 25 lines): 5 to 8 pages. More pages than these would mean the report prints what it
should not (the findings, the traces); fewer, that a section went missing.

The guides' page images of the 鹤城 report are drawn here: EVALCORE_UPDATE_IMAGES=1 rewrites
docs/images/hunan-report-page{1,2}.png.
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import pytest

from evalcore.cli._common import evaluate_file
from evalcore.testing.pages import Printed, page_images, printed, require_office

from .conftest import EXAMPLES, ROOT
from .golden_dump import cli
from .test_hunan_report import EXPECTED, TOOL_WORDS

pytestmark = pytest.mark.slow

PAGES = {
    "hecheng-dept-2020": (3, 5),
    "taojiang-dept-2021": (3, 5),
    "chengbu-dept-2023": (5, 8),
    "hecheng-project-2020": (2, 4),
    "taojiang-project-2021": (2, 4),
    "hecheng-targets-2020-baogan": (2, 4),
    "hecheng-targets-2020-xitong": (2, 4),
}
IMAGES = ROOT / "docs" / "images"
IMAGE_NAME = "hunan-report-page{}.png"


def test_every_hunan_example_is_checked() -> None:
    assert set(PAGES) == set(EXPECTED) == {path.stem for path in (EXAMPLES / "hunan").glob("*.toml")}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    require_office()
    out = tmp_path_factory.mktemp("reports")
    found: dict[str, Printed] = {}
    for name in PAGES:
        path = out / f"{name}.docx"
        code, _out, err = cli("run", str(EXAMPLES / "hunan" / f"{name}.toml"), "-o", str(path))
        assert code == 0, err
        found[name] = printed(path)
    return found


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_report_prints_as_filed(reports: dict[str, Printed], name: str) -> None:
    pages = reports[name]
    low, high = PAGES[name]
    assert pages.all_a4 and pages.all_portrait
    assert low <= pages.count <= high, pages.count
    unit = evaluate_file(EXAMPLES / "hunan" / f"{name}.toml", None).data.unit
    assert unit and pages.contains(unit)
    squeezed = pages.squeezed()
    lowered = squeezed.lower()
    assert [word for word in TOOL_WORDS if re.sub(r"\s+", "", word.lower()) in lowered] == []
    headings, unfilled = EXPECTED[name]
    # Each heading printed, in order; what follows it is a placeholder exactly when it has no text.
    left = {ref if "、" in ref[:2] else ref[1:] for ref in unfilled}
    position = 0
    for _level, heading in headings:
        found = squeezed.find(heading, position)
        assert found >= 0, (name, heading)
        position = found + len(heading)
        placeholder = squeezed.startswith("【待填写：", position)
        assert placeholder == (heading in left), (name, heading)
    assert squeezed.count("【待填写：") == len(unfilled)


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def test_the_guides_show_the_first_two_pages_of_the_hecheng_report(reports: dict[str, Printed], tmp_path: Path) -> None:
    targets = [IMAGES / IMAGE_NAME.format(n) for n in (1, 2)]
    if os.environ.get("EVALCORE_UPDATE_IMAGES"):
        drawn = page_images(reports["hecheng-dept-2020"].pdf, tmp_path / "page", dpi=70, first=1, last=2)
        for image, target in zip(drawn, targets, strict=True):
            target.write_bytes(image.read_bytes())
    for target in targets:
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert target.stat().st_size < 200_000
        width, height = _png_size(target)
        assert abs(height / width - 297 / 210) < 0.02  # an A4 page, upright
    for guide in ("hunan-outputs.md", "officer-guide.md"):
        text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
        assert all(f"images/{target.name}" in text for target in targets), guide
