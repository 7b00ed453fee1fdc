"""evalcore plugin for Sichuan (四川省): project target forms and their outputs.

Frameworks (rulesets/sichuan of the repository, copied into this package when it is built):

- ``sichuan.miyi.project-targets.2021`` — 米易县 特定目标类部门预算项目绩效目标自评 (no scores);
- ``sichuan.project-targets.2023`` — 四川省 部门预算项目支出绩效自评表 (2023 版).

Output formats (``evalcore run --format ...``):

- ``xlsx`` for the two frameworks above — the form in its official layout (Excel), plus a 核算
  sheet; for other frameworks ``xlsx`` stays the general one (the Hunan plugin's);
- ``sichuan-xlsx`` — the same form, asked for by name;
- ``sichuan-md`` — the 单位决算's 预算绩效管理情况 paragraph for the project (Markdown).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evalcore import Evaluation, FormatOptions, Formatter, hookimpl
from evalcore.plugin import packaged_rulesets

__all__ = ["EVALCORE_API", "FORMATTERS", "LAYOUT_IDS", "RULESETS", "evalcore_formatters", "evalcore_frameworks"]

# The evalcore plugin API versions this plugin works with.
EVALCORE_API = ">=1.0,<2"

# The frameworks: rulesets/sichuan of the repository, copied into the package when it is built.
RULESETS = packaged_rulesets(__name__, "sichuan")


def _xlsx(evaluation: Evaluation, options: FormatOptions) -> bytes:
    # openpyxl is imported only when a workbook is actually written.
    from ._xlsx import render_xlsx

    return render_xlsx(evaluation, options)


def _md(evaluation: Evaluation, options: FormatOptions) -> str:
    from ._md import render_md

    return render_md(evaluation, options)


# The frameworks whose official form the Excel output draws (see _xlsx.LAYOUTS): a framework
# derived from them keeps the general xlsx, which can draw any framework.
LAYOUT_IDS = ("sichuan.miyi.project-targets.2021", "sichuan.project-targets.2023")

FORMATTERS: tuple[Formatter, ...] = (
    Formatter("xlsx", "四川项目支出绩效自评表（Excel）", _xlsx, binary=True, suffix=".xlsx", frameworks=LAYOUT_IDS, document="自评表"),
    Formatter("sichuan-xlsx", "四川项目支出绩效自评表（Excel）", _xlsx, binary=True, suffix=".xlsx", frameworks=LAYOUT_IDS, document="自评表"),
    Formatter("sichuan-md", "四川单位决算“预算绩效管理情况”段落（Markdown）", _md, suffix=".md"),
)


@hookimpl
def evalcore_frameworks() -> Sequence[Path]:
    return [RULESETS]


@hookimpl
def evalcore_formatters() -> Sequence[Formatter]:
    return FORMATTERS
