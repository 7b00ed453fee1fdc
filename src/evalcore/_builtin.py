"""The core's own contributions, registered as a plugin like any other."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from ._formatters import Formatter
from ._hookspecs import hookimpl
from ._rules import BandsRule, DeductRule, ProportionalRule, Rule, SignRule
from ._rules_items import ChecklistRule, ExpressionRule, JudgmentRule, PerCaseRule

BUILTIN_RULE_KINDS: tuple[type[Rule], ...] = (
    DeductRule,
    BandsRule,
    ProportionalRule,
    SignRule,
    ChecklistRule,
    PerCaseRule,
    JudgmentRule,
    ExpressionRule,
)


@hookimpl
def evalcore_rule_kinds() -> Sequence[type[Rule]]:
    return BUILTIN_RULE_KINDS


@hookimpl
def evalcore_formatters() -> Sequence[Formatter]:
    from ._format_text import render_csv, render_json, render_markdown

    def render_table(evaluation, options):  # type: ignore[no-untyped-def]
        # rich is imported only when a table is actually drawn.
        from ._format_table import render_table as draw

        return draw(evaluation, options)

    return (
        Formatter("table", "终端表格", render_table, suffix=".txt"),
        Formatter("json", "JSON（机器接口）", render_json, suffix=".json"),
        Formatter("md", "Markdown", render_markdown, suffix=".md"),
        Formatter("csv", "CSV（逐项指标）", render_csv, suffix=".csv"),
    )


@hookimpl
def evalcore_frameworks() -> Sequence[Path]:
    root = Path(str(files("evalcore") / "rulesets"))
    return [root] if root.is_dir() else []
