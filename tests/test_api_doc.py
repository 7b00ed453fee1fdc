"""docs/api.md is run: every ```python block is a doctest, the blocks of the page sharing one
namespace in order, from the root of the source tree (its examples read examples/…)."""

from __future__ import annotations

import doctest
import re

import pytest

from .conftest import ROOT

API = ROOT / "docs" / "api.md"
_FENCE = re.compile(r"^```(\w*)[ \t]*$")


def doctest_text(markdown: str) -> str:
    """The page with everything outside ```python blocks blanked, so that a failure names the
    page's own line (and a fence never reads as expected output)."""
    out: list[str] = []
    inside = False
    for line in markdown.splitlines():
        fence = _FENCE.match(line)
        if fence is not None:
            inside = not inside and fence.group(1) == "python"
            out.append("")
            continue
        out.append(line if inside else "")
    return "\n".join(out) + "\n"


def test_the_page_has_examples() -> None:
    text = doctest_text(API.read_text(encoding="utf-8"))
    assert len(doctest.DocTestParser().get_examples(text)) >= 30


def test_a_fence_closes_the_expected_output() -> None:
    page = "```python\n>>> 1 + 1\n2\n```\nprose\n```sh\n>>> not python\n```\n"
    examples = doctest.DocTestParser().get_examples(doctest_text(page))
    assert [(e.source, e.want, e.lineno) for e in examples] == [("1 + 1\n", "2\n", 1)]


def test_the_api_page_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    test = doctest.DocTestParser().get_doctest(doctest_text(API.read_text(encoding="utf-8")), {}, "docs/api.md", str(API), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failures: list[str] = []
    runner.run(test, out=failures.append)
    assert runner.failures == 0, "".join(failures)
