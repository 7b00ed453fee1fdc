"""evalcore: scoring of Chinese budget performance evaluations (预算绩效评价 / 绩效自评).

Frameworks are data (TOML rulesets); `evaluate(framework, data)` scores one unit with a Chinese
trace for every point; plugins register frameworks, rule kinds and output formats.
"""

from ._checker import Finding, check_framework
from ._data import IndicatorEntry, UnitData, load_data, loads_data
from ._errors import DataError, ErrorGroup, EvalcoreError, ExpressionError, Location, RulesetError
from ._evaluate import evaluate
from ._formatters import FormatOptions, Formatter
from ._hookspecs import hookimpl, hookspec
from ._loader import load_framework, loads_framework
from ._model import Framework, GradeBand, Group, Indicator, InputSpec, Source
from ._numbers import Rounding, cell_number, fmt
from ._wrap import display_width, text_lines, wrap
from ._plugins import Registry, get_registry
from ._results import Evaluation, Flag, GroupResult, LeafResult
from ._rules import BandsRule, DeductRule, LoadContext, Outcome, ProportionalRule, Rule, ScoringContext, SignRule
from ._rules_items import ChecklistRule, ExpressionRule, JudgmentRule, PerCaseRule
from ._sandbox import Expression, compile_expression
from ._target_forms import BudgetLine, ExecutionRule, FormData, FormSpec, TargetRow, TargetRule
from ._targets import Actual, Target, TargetError, parse_actual, parse_target
from ._toml import Table

__version__ = "0.1.0"

__all__ = [
    "Actual",
    "BandsRule",
    "BudgetLine",
    "ChecklistRule",
    "DataError",
    "DeductRule",
    "ErrorGroup",
    "EvalcoreError",
    "Evaluation",
    "ExecutionRule",
    "Expression",
    "ExpressionError",
    "ExpressionRule",
    "Finding",
    "Flag",
    "FormData",
    "FormSpec",
    "FormatOptions",
    "Formatter",
    "Framework",
    "GradeBand",
    "Group",
    "GroupResult",
    "Indicator",
    "IndicatorEntry",
    "InputSpec",
    "JudgmentRule",
    "LeafResult",
    "LoadContext",
    "Location",
    "Outcome",
    "PerCaseRule",
    "ProportionalRule",
    "Registry",
    "Rounding",
    "Rule",
    "RulesetError",
    "ScoringContext",
    "SignRule",
    "Source",
    "Table",
    "Target",
    "TargetError",
    "TargetRow",
    "TargetRule",
    "UnitData",
    "cell_number",
    "check_framework",
    "compile_expression",
    "display_width",
    "evaluate",
    "fmt",
    "get_registry",
    "hookimpl",
    "hookspec",
    "load_data",
    "load_framework",
    "loads_data",
    "loads_framework",
    "parse_actual",
    "parse_target",
    "text_lines",
    "wrap",
]
