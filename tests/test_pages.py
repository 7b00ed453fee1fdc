"""Generated documents as printed pages (LibreOffice → PDF → poppler): the page checks every
formatter's tests build on (evalcore.testing.pages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalcore import get_registry, load_data
from evalcore.testing.pages import printed, require_office

from .golden_dump import cli

ROOT = Path(__file__).resolve().parents[1]
HECHENG = ROOT / "examples" / "hunan" / "hecheng-dept-2020.toml"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hecheng_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_office()
    out = tmp_path_factory.mktemp("pages")
    files = {"xlsx": out / "评分表.xlsx", "docx": out / "自评报告.docx"}
    for path in files.values():
        code, _out, err = cli("run", str(HECHENG), "-o", str(path))
        assert code == 0, err
    return files


def test_the_score_sheet_prints_on_a4_with_every_indicator(hecheng_files: dict[str, Path]) -> None:
    pages = printed(hecheng_files["xlsx"])
    assert 1 <= pages.count <= 6 and pages.all_a4
    framework = get_registry().framework("hunan.hecheng.dept.2020")
    missing = [leaf.name for leaf in framework.leaves() if not pages.contains(leaf.name)]
    assert missing == []
    assert not pages.contains("社会公众或服务对象不满意度")  # the search is not so loose as to find anything


def test_the_report_prints_on_a4_portrait_with_the_unit_named(hecheng_files: dict[str, Path]) -> None:
    pages = printed(hecheng_files["docx"])
    assert pages.count >= 1 and pages.all_a4 and pages.all_portrait
    unit = load_data(HECHENG, get_registry().framework("hunan.hecheng.dept.2020")).unit
    assert unit is not None and pages.contains(unit)
