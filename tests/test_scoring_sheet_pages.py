"""Every Hunan and Sichuan example's 评分表 / 自评表 workbook as it prints: converted by LibreOffice,
then read page by page (evalcore.testing.pages).

What a unit files must need no hand edits: A4 landscape, one page wide at a legible scale (at least
55 %); every column of the printed table holds something (a column with nothing for this unit is
not printed); every indicator printed; a page that holds an indicator also names its 一级指标 (a
merged label crossing a page break is cut there and repeated); the signature line that the seed's
table prints; no findings and no word of the tool (they are in the 问题清单).

The page ranges. The writer plans its pages for the scale Excel prints at and leaves a twentieth of
each page free, so that no program breaks a page sooner than planned; LibreOffice lays the columns
out wider and prints smaller, so each of its pages is about four fifths full. 鹤城 部门 (23
indicators, about 90 points of row height each at 10-point type) takes 5 or 6 such pages, 桃江
(40 rows) 7 to 9, 城步 6 to 8, the 鹤城 项目 table 5 to 7, a 鹤城 target form (9 rows) 2 to 3. A
Sichuan workbook prints its form (1 to 2 pages) and its 核算 sheet (1 to 2). More pages would mean a
page holds too little (or the findings are back); fewer, that rows are missing or squeezed.
"""

from __future__ import annotations

import os
import re
import statistics
import struct
from pathlib import Path

import openpyxl
import pytest

from evalcore import Evaluation, LeafResult
from evalcore.cli._common import evaluate_file
from evalcore.outputs.sheet import MIN_SCALE, font
from evalcore.testing.pages import Printed, page_images, printed, require_office

from .conftest import EXAMPLES, ROOT
from .golden_dump import cli

pytestmark = pytest.mark.slow

PAGES = {
    "hunan/hecheng-dept-2020": (5, 6),
    "hunan/taojiang-dept-2021": (7, 9),
    "hunan/chengbu-dept-2023": (6, 8),
    "hunan/hecheng-project-2020": (5, 7),
    "hunan/taojiang-project-2021": (7, 9),
    "hunan/hecheng-targets-2020-baogan": (2, 3),
    "hunan/hecheng-targets-2020-xitong": (2, 3),
    "sichuan/miyi-targets-2021-guanli": (2, 4),
    "sichuan/miyi-targets-2021-kunnan-county": (2, 4),
    "sichuan/miyi-targets-2021-kunnan-province": (2, 4),
    "sichuan/synthetic-2023": (2, 4),
}
# The signature line each seed prints under its table: 003 附件4-2 (target forms) and 000 附件2/5.
FOOTERS = {
    "targets": ("填表人：", "填报日期：", "联系电话：", "单位负责人签字："),
    "hunan": ("填报人：", "单位负责人（签字）："),
}
TOOL_WORDS = ("evalcore", ".toml", "[report]", "[inputs]", "[budget]", "[[targets]]", "framework", "self_total", "hunan.", "national.", "sichuan.", "需要关注", "自评分与计算不符", "填报数与计算不符")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_example_is_checked() -> None:
    assert set(PAGES) == {f"{path.parent.name}/{path.stem}" for region in ("hunan", "sichuan") for path in (EXAMPLES / region).glob("*.toml")}


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Printed]]:
    require_office()
    out = tmp_path_factory.mktemp("sheets")
    found: dict[str, tuple[Path, Printed]] = {}
    for name in PAGES:
        path = out / f"{name.replace('/', '-')}.xlsx"
        code, _out, err = cli("run", str(EXAMPLES / f"{name}.toml"), "-o", str(path))
        assert code == 0, err
        found[name] = (path, printed(path))
    return found


@pytest.fixture(scope="module")
def full_size(tmp_path_factory: pytest.TempPathFactory) -> float:
    """The printed height of a line of 10-point table text at 100 %: the measure of the scale."""
    require_office()
    path = tmp_path_factory.mktemp("scale") / "scale.xlsx"
    book = openpyxl.Workbook()
    cell = book.active.cell(row=1, column=1, value="一级指标二级指标")
    cell.font = font()
    book.save(path)
    return _median_height(printed(path), 1)


def _median_height(pages: Printed, page: int) -> float:
    return statistics.median(w.y1 - w.y0 for w in pages.words if w.page == page and CJK.search(w.text))


def _evaluation(name: str) -> Evaluation:
    return evaluate_file(EXAMPLES / f"{name}.toml", None)


def _printed_name(leaf: LeafResult) -> str:
    """How a row names its indicator: the 三级 name, or for a row below 三级 (桃江's 1-point rows)
    the row's own text as the seed prints it (the start of its 指标说明)."""
    if len(leaf.path) <= 3:
        return leaf.path[-1]
    return re.sub(r"\s+", "", leaf.indicator.description or "")[:12] or leaf.path[-1]


def _indicator_names(evaluation: Evaluation) -> list[str]:
    names = [_printed_name(leaf) for leaf in evaluation.leaves()]
    form = evaluation.data.form
    if form is not None:
        names += [row.path[-1] for row in form.rows]
    return list(dict.fromkeys(names))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_prints_on_a4_landscape_one_page_wide_at_a_legible_scale(sheets: dict[str, tuple[Path, Printed]], full_size: float, name: str) -> None:
    _path, pages = sheets[name]
    low, high = PAGES[name]
    assert pages.all_a4 and pages.all_landscape
    assert low <= pages.count <= high, pages.count
    # one page wide: every page starts at the left margin (no page of right-hand columns alone)
    width = pages.sizes[0].width
    for page in range(1, pages.count + 1):
        assert min(w.x0 for w in pages.words if w.page == page) < width / 4, page
    scale = _median_height(pages, 1) / full_size
    assert scale >= MIN_SCALE, scale


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_indicator_printed_and_no_tool_word(sheets: dict[str, tuple[Path, Printed]], name: str) -> None:
    _path, pages = sheets[name]
    evaluation = _evaluation(name)
    missing = [indicator for indicator in _indicator_names(evaluation) if not pages.contains(indicator)]
    assert missing == []
    lowered = pages.squeezed().lower()
    words = [*TOOL_WORDS, evaluation.framework.id, (EXAMPLES / name).name]
    assert [word for word in words if word.lower() in lowered] == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_signature_line_the_seed_prints(sheets: dict[str, tuple[Path, Printed]], name: str) -> None:
    _path, pages = sheets[name]
    if name.startswith("sichuan/"):  # 004 prints none under its forms
        assert "填表人" not in pages.squeezed() and "填报人" not in pages.squeezed()
        return
    expected = FOOTERS["targets" if "targets" in name else "hunan"]
    last = re.sub(r"\s+", "", pages.pages[-1])
    assert all(part in last for part in expected), last[-200:]


@pytest.mark.parametrize("name", [n for n in sorted(PAGES) if n.startswith("hunan/")])
def test_every_page_names_its_first_level_indicators(sheets: dict[str, tuple[Path, Printed]], name: str) -> None:
    """A page holding an indicator (its 三级 cell: name and points) also holds the 一级 label above
    it, e.g. “过程（40分）”, even where the 一级 block began on an earlier page."""
    _path, pages = sheets[name]
    evaluation = _evaluation(name)
    checked = 0
    for number, text in enumerate(pages.pages, start=1):
        page = re.sub(r"\s+", "", text)
        for child in evaluation.children:
            label = f"{child.path[-1]}（{_points(child.max if hasattr(child, 'leaves') else child.weight)}分）"
            leaves = list(child.leaves()) if hasattr(child, "leaves") else [child]
            held = [leaf for leaf in leaves if (f"{leaf.path[-1]}（{_points(leaf.weight)}分）" if len(leaf.path) <= 3 else _printed_name(leaf)) in page]
            if held and len(leaves) > 1:
                checked += 1
                assert label in page, (number, label)
    assert checked >= pages.count - 1


def _points(value: object) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_printed_column_holds_something(sheets: dict[str, tuple[Path, Printed]], name: str) -> None:
    path, _pages = sheets[name]
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = next(r for r in range(1, 30) if "一级指标" in (ws.cell(r, 1).value, ws.cell(r, 2).value))
    body = range(header + 1, ws.max_row + 1)
    empty = [
        ws.cell(header, col).value
        for col in range(1, ws.max_column + 1)
        if not ws.column_dimensions[openpyxl.utils.get_column_letter(col)].hidden and all(ws.cell(r, col).value in (None, "") for r in body)
    ]
    assert empty == []


IMAGES = ROOT / "docs" / "images"
# (example, page, image, guides that show it)
GUIDE_IMAGES = (
    ("hunan/hecheng-dept-2020", 1, "hunan-xlsx-page1.png", ("hunan-outputs.md", "officer-guide.md")),
    ("hunan/hecheng-dept-2020", 3, "hunan-xlsx-page3.png", ("hunan-outputs.md",)),
    ("sichuan/synthetic-2023", 1, "sichuan-xlsx-page1.png", ("sichuan.md",)),
)


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def test_the_guides_show_the_printed_sheets(sheets: dict[str, tuple[Path, Printed]], tmp_path: Path) -> None:
    """The guides' page images are drawn here: EVALCORE_UPDATE_IMAGES=1 rewrites them from the render."""
    for name, page, image, guides in GUIDE_IMAGES:
        target = IMAGES / image
        if os.environ.get("EVALCORE_UPDATE_IMAGES"):
            (drawn,) = page_images(sheets[name][1].pdf, tmp_path / image.removesuffix(".png"), dpi=60, first=page, last=page)
            target.write_bytes(drawn.read_bytes())
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert target.stat().st_size < 200_000
        width, height = _png_size(target)
        assert abs(width / height - 297 / 210) < 0.02  # an A4 page, landscape
        for guide in guides:
            assert f"images/{image}" in (ROOT / "docs" / guide).read_text(encoding="utf-8"), guide
