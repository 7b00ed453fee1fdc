"""The `evalcore frameworks` listing: one block per framework, wrapped to the terminal width."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._formatters import FormatOptions
from ._model import KIND_WORDS
from ._wrap import wrap

if TYPE_CHECKING:
    from ._plugins import FrameworkEntry



def render_frameworks(entries: Sequence[FrameworkEntry], options: FormatOptions) -> str:
    width = options.width or 80
    if not entries:
        return "没有已安装的评价框架。请安装省份插件，例如：pip install -e plugins/hunan\n"
    lines: list[str] = []
    for entry in entries:
        # The id is what a user types, so it stands alone on its line, never wrapped.
        lines.append(entry.id)
        facts = f"{entry.title} · {entry.region} · {KIND_WORDS.get(entry.kind, entry.kind)} · {entry.year or ''}年度"
        lines.extend("  " + part for part in wrap(facts, width - 2))
        if entry.source:
            lines.extend("  " + part for part in wrap(f"出处：{entry.source}", width - 2))
        lines.append("")
    lines.append(f"共 {len(entries)} 个评价框架。")
    return "\n".join(lines) + "\n"
