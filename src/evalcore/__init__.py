"""evalcore: scoring of Chinese budget performance evaluations (预算绩效评价 / 绩效自评).

Frameworks are data (TOML rulesets); ``evaluate(framework, data)`` scores one unit with a Chinese
trace for every point; plugins register frameworks, rule kinds and output formats.

This front door holds what a library user or a plugin author needs; each package of evalcore
exports more (``evalcore.model``, ``evalcore.rules``, ``evalcore.outputs``…). The layers, from the
top: cli → batch, checker, workbook, testing → plugin → outputs, engine → load → rules, forms →
model. ``import evalcore`` loads none of rich, click, openpyxl or python-docx.

API_VERSION is the version of the plugin API (hook specs and these names): a plugin declares the
versions it works with as ``EVALCORE_API = ">=1.0,<2"`` in its module. A name that moves keeps a
deprecated alias here for one minor version.
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

from .engine import evaluate
from .load import load_data, loads_data
from .model import (
    DataError,
    EvalcoreError,
    Evaluation,
    Flag,
    FormatOptions,
    Formatter,
    Framework,
    GroupResult,
    Indicator,
    IndicatorEntry,
    LeafResult,
    LoadContext,
    Outcome,
    Rule,
    RulesetError,
    ScoringContext,
    Table,
    UnitData,
    fmt,
)
from .plugin import API_VERSION, Registry, get_registry, hookimpl, load_framework, loads_framework

if TYPE_CHECKING:
    from .checker import Finding, check_framework

__version__ = "0.2.0"

__all__ = [
    "API_VERSION",
    "DataError",
    "EvalcoreError",
    "Evaluation",
    "Finding",
    "Flag",
    "FormatOptions",
    "Formatter",
    "Framework",
    "GroupResult",
    "Indicator",
    "IndicatorEntry",
    "LeafResult",
    "LoadContext",
    "Outcome",
    "Registry",
    "Rule",
    "RulesetError",
    "ScoringContext",
    "Table",
    "UnitData",
    "check_framework",
    "evaluate",
    "fmt",
    "get_registry",
    "hookimpl",
    "load_data",
    "load_framework",
    "loads_data",
    "loads_framework",
]

# Names this front door exported before API 1.0, and where they live now. They keep working, with
# a DeprecationWarning, until API 1.2.
MOVED = {
    "Actual": "evalcore.model",
    "BandsRule": "evalcore.rules",
    "BudgetLine": "evalcore.model",
    "ChecklistRule": "evalcore.rules",
    "DeductRule": "evalcore.rules",
    "ErrorGroup": "evalcore.model",
    "ExecutionRule": "evalcore.rules",
    "Expression": "evalcore.model",
    "ExpressionRule": "evalcore.rules",
    "FormData": "evalcore.model",
    "FormSpec": "evalcore.model",
    "GradeBand": "evalcore.model",
    "Group": "evalcore.model",
    "InputSpec": "evalcore.model",
    "JudgmentRule": "evalcore.rules",
    "Location": "evalcore.model",
    "PerCaseRule": "evalcore.rules",
    "ProportionalRule": "evalcore.rules",
    "Rounding": "evalcore.model",
    "SignRule": "evalcore.rules",
    "Source": "evalcore.model",
    "Target": "evalcore.model",
    "TargetError": "evalcore.forms",
    "TargetRow": "evalcore.model",
    "TargetRule": "evalcore.rules",
    "cell_number": "evalcore.outputs",
    "compile_expression": "evalcore.model",
    "display_width": "evalcore.outputs",
    "hookspec": "evalcore.plugin",
    "parse_actual": "evalcore.forms",
    "parse_target": "evalcore.forms",
    "text_lines": "evalcore.outputs",
    "wrap": "evalcore.outputs",
}
# Removed names, and what to use instead.
RENAMED = {"ExpressionError": ("evalcore.model", "RulesetError")}


# Names of this front door imported when first used: the checker is needed by `evalcore check`
# and plugin authors' tests, not to score a unit.
LAZY = {"Finding": "evalcore.checker", "check_framework": "evalcore.checker"}


def __getattr__(name: str) -> Any:
    if name in LAZY:
        value = getattr(importlib.import_module(LAZY[name]), name)
        globals()[name] = value
        return value
    if name in MOVED:
        module = MOVED[name]
        warnings.warn(f"evalcore.{name} moved to {module}.{name}; the old name goes in plugin API 1.2", DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(module), name)
    if name in RENAMED:
        module, new = RENAMED[name]
        warnings.warn(f"evalcore.{name} is never raised: expression problems are {module}.{new}; the old name goes in plugin API 1.2", DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(module), new)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
