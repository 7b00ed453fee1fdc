"""pytest plugin: collects case files (``**/cases/**/*.toml``) as tests with ids like
``hunan.taojiang.dept.2021::document`` and prints a per-indicator diff when one fails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..model import EvalcoreError
from ._cases import Case, load_case, run_case


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".toml" and "cases" in file_path.parts[:-1]:
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFailure(Exception):
    """The evaluation differs from the case's expected numbers."""


class CaseFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            case = load_case(self.path)
        except EvalcoreError as exc:
            raise self.CollectError(str(exc)) from None
        yield CaseItem.from_parent(self, name=case.id, case=case)


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        result = run_case(self.case)
        if not result.passed:
            raise CaseFailure(result.report())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"case {self.case.id}"
