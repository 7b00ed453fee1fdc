"""evalcore plugin for Hunan (湖南省): the province's county frameworks and report layouts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evalcore import Evaluation, FormatOptions, Formatter, hookimpl
from evalcore.plugin import packaged_rulesets

__all__ = ["EVALCORE_API", "FRAMEWORKS", "RULESETS", "evalcore_formatters", "evalcore_frameworks"]

# The evalcore plugin API versions this plugin works with.
EVALCORE_API = ">=1.1,<2"

# The frameworks: rulesets/hunan of the repository, copied into the package when it is built.
RULESETS = packaged_rulesets(__name__, "hunan")


@hookimpl
def evalcore_frameworks() -> Sequence[Path]:
    return [RULESETS]


def _render_xlsx(evaluation: Evaluation, options: FormatOptions) -> bytes:
    # openpyxl is imported only when a 评分表 is actually written.
    from ._xlsx import render_xlsx

    return render_xlsx(evaluation, options)


def _render_docx(evaluation: Evaluation, options: FormatOptions) -> bytes:
    from ._docx import render_docx

    return render_docx(evaluation, options)


def _unfilled(evaluation: Evaluation) -> Sequence[str]:
    # The report's 【待填写】 parts, from the report as written, without drawing the document.
    from ._report import unfilled

    return unfilled(evaluation)


# The frameworks the layouts are made for: Hunan's own, and the national target form, which Hunan
# units file in the Hunan layout (examples/hunan/hecheng-targets-*.toml). Other frameworks get the
# core's general 评分表 and have no Word report.
FRAMEWORKS = ("hunan.", "national.")


@hookimpl
def evalcore_formatters() -> Sequence[Formatter]:
    return (
        Formatter("xlsx", "湖南评分表（Excel）", _render_xlsx, binary=True, suffix=".xlsx", frameworks=FRAMEWORKS, document="评分表"),
        Formatter("docx", "湖南自评报告（Word）", _render_docx, binary=True, suffix=".docx", frameworks=FRAMEWORKS, document="自评报告", unfilled=_unfilled),
    )
