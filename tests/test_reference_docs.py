"""docs/frameworks is generated from the rulesets and must be up to date."""

from __future__ import annotations

from evalcore.cli._reference import reference_pages

from .conftest import ROOT

DOCS = ROOT / "docs" / "frameworks"


def test_framework_reference_pages_are_up_to_date() -> None:
    pages = reference_pages(ROOT / "rulesets")
    stale = [name for name, text in pages.items() if not (DOCS / name).exists() or (DOCS / name).read_text(encoding="utf-8") != text]
    extra = sorted(p.name for p in DOCS.glob("*.md") if p.name not in pages)
    assert stale == [] and extra == [], f"regenerate with: evalcore reference -o docs/frameworks --rulesets rulesets (stale: {stale}, extra: {extra})"
    assert len(pages) >= 8  # every shipped framework has a page, plus the index
