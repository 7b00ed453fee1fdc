"""What kind of quantity an expression computes (money, people, a percentage…), from the units of
the names it reads. A data check compares a figure the unit's documents state with one computed
from its facts: money added to people, or a figure in 人 stated for a sum in 万元, is a mistake to
refuse where it is written, never a comparison to make."""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence

from ._expression import Expression
from ._numbers import UNITS

__all__ = ["DimensionMismatch", "expression_family", "family_word", "unit_family"]

_FAMILY_WORDS = {"money": "金额", "people": "人数", "person-times": "人次", "percent": "百分比"}
_JOINS = {ast.Add: "相加", ast.Sub: "相减"}


class DimensionMismatch(ValueError):
    """An expression combines quantities of two kinds; the message is Chinese and names both."""


def unit_family(unit: str | None) -> str | None:
    """The family of a unit ("万元" -> "money"); None for no unit or one evalcore does not know."""
    known = UNITS.get(unit) if unit is not None else None
    return known.family if known is not None else None


def family_word(family: str) -> str:
    """A family as a person says it: 金额, 人数; a count family by its unit (以“天”计的数)."""
    return _FAMILY_WORDS.get(family, f"以“{family}”计的数")


def expression_family(expression: Expression, units: Mapping[str, str | None]) -> str | None:
    """The family of what `expression` computes, given each name's unit; None for a pure number (a
    ratio of two sums of money, a constant) or a product whose kind has no unit of its own.
    DimensionMismatch where it adds, subtracts, compares or chooses between two kinds."""
    return _Walk(expression.source, units).family(expression.tree.body)


class _Walk:
    def __init__(self, source: str, units: Mapping[str, str | None]) -> None:
        self.source = source
        self.units = units

    def family(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return unit_family(self.units.get(node.id))
        if isinstance(node, ast.UnaryOp):
            return None if isinstance(node.op, ast.Not) else self.family(node.operand)
        if isinstance(node, ast.BinOp):
            left, right = self.family(node.left), self.family(node.right)
            if isinstance(node.op, (ast.Add, ast.Sub)):
                return self.same([(node.left, left), (node.right, right)], _JOINS[type(node.op)])
            if isinstance(node.op, ast.Mult):
                # Scaling by a number or a percentage keeps the kind (预算 × 比例 / 100 is money).
                kinds = [k for k in (left, right) if k is not None and k != "percent"]
                if len(kinds) == 1:
                    return kinds[0]
                return (left or right) if not kinds and None in (left, right) else None
            # A division: by a number keeps the kind, of two like quantities is a pure number.
            return left if right is None or right == "percent" else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            parts = [(arg, self.family(arg)) for arg in node.args]
            if node.func.id in ("min", "max"):
                return self.same(parts, f"放在一起取 {node.func.id}")
            return parts[0][1] if parts else None
        if isinstance(node, ast.IfExp):
            self.family(node.test)
            return self.same([(node.body, self.family(node.body)), (node.orelse, self.family(node.orelse))], "作为两种结果")
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            self.same([(operand, self.family(operand)) for operand in operands], "相比较")
            return None
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self.family(value)
        return None

    def same(self, parts: Sequence[tuple[ast.AST, str | None]], verb: str) -> str | None:
        """The one kind of quantities that must agree; DimensionMismatch naming two that do not."""
        known = [(part, kind) for part, kind in parts if kind is not None]
        for part, kind in known[1:]:
            first, first_kind = known[0]
            if kind != first_kind:
                raise DimensionMismatch(
                    f"公式“{self.source}”把{family_word(first_kind)}（{self.shown(first)}）与{family_word(kind)}（{self.shown(part)}）{verb}："
                    "不同种类的数不能这样计算"
                )
        return known[0][1] if known else None

    def shown(self, node: ast.AST) -> str:
        text = ast.get_source_segment(self.source, node) or ast.unparse(node)
        unit = self.units.get(node.id) if isinstance(node, ast.Name) else None
        return f"{text}，{unit}" if unit else text
