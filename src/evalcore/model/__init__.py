"""The vocabulary every layer shares: numbers and units, located errors and tables, the framework
model (Framework, Indicator, the Rule interface, validated expressions), a unit's data, and the
results of an evaluation.

It imports nothing else of evalcore, and none of rich, click, openpyxl or python-docx.
"""

from typing import TYPE_CHECKING

from ._cache_folder import cache_folder, cached_path, keep_cached, read_cached
from ._dimensions import DimensionMismatch, expression_family, family_word, unit_family
from ._errors import DataError, ErrorGroup, EvalcoreError, Location, PluginError, RulesetError, did_you_mean, display_path
from ._expression import RESERVED_NAMES, Expression, ExpressionInvalid, ZeroDivisionInExpression, compile_expression
from ._formatter import FormatOptions, Formatter, format_label
from ._framework import (
    FRACTION_POLICIES,
    FRAMEWORK_KINDS,
    INPUT_TYPES,
    KIND_WORDS,
    NA_POLICIES,
    NATIONAL_GRADES,
    Domain,
    Framework,
    GradeBand,
    Group,
    Indicator,
    InputSpec,
    Node,
    Plan,
    Source,
    ZeroDivisionFallback,
    weight_sum,
)
from ._ids import FRAMEWORK_ID_MAX, FRAMEWORK_ID_PATTERN, framework_id_problem
from ._lazy import lazy_names
from ._limits import DEFAULT_LIMITS, LIMIT_CAP_REASONS, LIMIT_OPTIONS, MB, Limits, current_limits, limit_cap, limit_hint, using_limits
from ._numbers import (
    CONTEXT,
    ROUNDING_MODES,
    ROUNDING_WORDS,
    UNITS,
    NumberTextError,
    Rounding,
    Unit,
    checked,
    convert,
    fmt,
    normalize_text,
    number_problem,
    parse_number,
    parse_quantity,
    rounding_context,
    scientific,
    to_decimal,
    written_bare,
)
from ._plugin_code import describe_rule, plugin_defect, plugin_fault, plugin_module, reraise_interrupt, rule_description, shown
from ._question import PercentQuestion, Reading, readings_text, stated_as_percent, written_as
from ._records import define, frozen
from ._results import FLAG_KINDS, STATUSES, DeferredRecords, Evaluation, Flag, GroupResult, LeafRecord, LeafResult, Result, evaluations, grade_text, weights_add_up
from ._rule import CompiledForm, LoadContext, Outcome, QuickScorer, Rule, ScoringContext
from ._table import PathKey, SourceFile, Table
from ._tier import Tier
from ._unit_data import EMPTY_ENTRY, Check, Conversion, Fact, IndicatorEntry, UnitData

if TYPE_CHECKING:
    from ._target_form import COST_WORDS, DIVISORS, NATIONAL_TIERS, Actual, Block, BudgetLine, Category, FormData, FormSpec, Target, TargetRow, cost_like

# The project target form (目标表) is needed only by the frameworks that have one: its classes are
# made when first used, so that a command on any other framework does not wait for them.
__getattr__ = lazy_names(
    __name__,
    dict.fromkeys(("COST_WORDS", "DIVISORS", "NATIONAL_TIERS", "Actual", "Block", "BudgetLine", "Category", "FormData", "FormSpec", "Target", "TargetRow", "cost_like"), "._target_form"),
)

__all__ = [
    "CONTEXT",
    "COST_WORDS",
    "DEFAULT_LIMITS",
    "DIVISORS",
    "EMPTY_ENTRY",
    "FLAG_KINDS",
    "FRACTION_POLICIES",
    "FRAMEWORK_ID_MAX",
    "FRAMEWORK_ID_PATTERN",
    "FRAMEWORK_KINDS",
    "INPUT_TYPES",
    "KIND_WORDS",
    "LIMIT_CAP_REASONS",
    "LIMIT_OPTIONS",
    "MB",
    "NATIONAL_GRADES",
    "NATIONAL_TIERS",
    "NA_POLICIES",
    "RESERVED_NAMES",
    "ROUNDING_MODES",
    "ROUNDING_WORDS",
    "STATUSES",
    "UNITS",
    "Actual",
    "Block",
    "BudgetLine",
    "Category",
    "Check",
    "CompiledForm",
    "Conversion",
    "DataError",
    "DeferredRecords",
    "DimensionMismatch",
    "Domain",
    "ErrorGroup",
    "EvalcoreError",
    "Evaluation",
    "Expression",
    "ExpressionInvalid",
    "Fact",
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
    "LeafRecord",
    "LeafResult",
    "Limits",
    "LoadContext",
    "Location",
    "Node",
    "NumberTextError",
    "Outcome",
    "PathKey",
    "PercentQuestion",
    "Plan",
    "PluginError",
    "QuickScorer",
    "Reading",
    "Result",
    "Rounding",
    "Rule",
    "RulesetError",
    "ScoringContext",
    "Source",
    "SourceFile",
    "Table",
    "Target",
    "TargetRow",
    "Tier",
    "Unit",
    "UnitData",
    "ZeroDivisionFallback",
    "ZeroDivisionInExpression",
    "cache_folder",
    "cached_path",
    "checked",
    "compile_expression",
    "convert",
    "cost_like",
    "current_limits",
    "define",
    "describe_rule",
    "did_you_mean",
    "display_path",
    "evaluations",
    "expression_family",
    "family_word",
    "fmt",
    "format_label",
    "framework_id_problem",
    "frozen",
    "grade_text",
    "keep_cached",
    "lazy_names",
    "limit_cap",
    "limit_hint",
    "normalize_text",
    "number_problem",
    "parse_number",
    "parse_quantity",
    "plugin_defect",
    "plugin_fault",
    "plugin_module",
    "read_cached",
    "readings_text",
    "reraise_interrupt",
    "rounding_context",
    "rule_description",
    "scientific",
    "shown",
    "stated_as_percent",
    "to_decimal",
    "unit_family",
    "using_limits",
    "weight_sum",
    "weights_add_up",
    "written_as",
    "written_bare",
]
