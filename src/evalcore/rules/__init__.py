"""The rule kinds (评分标准): how a measured value, checkpoint answers, case counts or the
evaluator's judgment become points. One module per kind; each kind reads itself from a ruleset
(`from_table`), scores (`score`, and optionally the quick `quick`) and describes itself in words.

It imports evalcore.model only. Plugins add kinds through the `evalcore_rule_kinds` hook.
"""

from typing import TYPE_CHECKING

from ..model import Rule, lazy_names
from ._bands import Band, BandsRule
from ._base import ONE, ZERO, Branch, accepted_judgment, judged, judged_in_tier, points, quantity, read_judgment, read_tiers
from ._checklist import CHECKLIST_MODES, ChecklistRule, Checkpoint
from ._deduct import COUNT_MODES, DIRECTIONS, DeductRule
from ._expression import ExpressionRule
from ._judgment import JudgmentRule
from ._per_case import PerCaseRule
from ._proportional import ProportionalRule
from ._sign import SignRule

if TYPE_CHECKING:
    from ._execution import ExecutionRule
    from ._targets import TargetRule, weight_share

# The kinds a ruleset may name; `targets` and `execution` are made from a unit's target form.
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

# The kinds of a project target form's rows, made from the unit's form rather than named by a
# ruleset, are imported when a form is read or scored.
__getattr__ = lazy_names(__name__, {"ExecutionRule": "._execution", "TargetRule": "._targets", "weight_share": "._targets"})

__all__ = [
    "BUILTIN_RULE_KINDS",
    "CHECKLIST_MODES",
    "COUNT_MODES",
    "DIRECTIONS",
    "ONE",
    "ZERO",
    "Band",
    "BandsRule",
    "Branch",
    "ChecklistRule",
    "Checkpoint",
    "DeductRule",
    "ExecutionRule",
    "ExpressionRule",
    "JudgmentRule",
    "PerCaseRule",
    "ProportionalRule",
    "SignRule",
    "TargetRule",
    "accepted_judgment",
    "judged",
    "judged_in_tier",
    "points",
    "quantity",
    "read_judgment",
    "read_tiers",
    "weight_share",
]
