"""Safe decimal expressions: a whitelist checked once at load, simpleeval to evaluate.

An expression is parsed and validated when its framework loads, so unknown names and forbidden
syntax fail with the file and line before any unit is scored. Evaluation reuses the parsed tree.
"""

from __future__ import annotations

import ast
import decimal
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from types import CodeType
from typing import Any

import simpleeval
from attrs import field

from ._errors import did_you_mean
from ._numbers import CONTEXT, fmt
from ._records import frozen

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "RESERVED_NAMES",
    "Expression",
    "ExpressionInvalid",
    "ZeroDivisionInExpression",
    "compile_expression",
]

# Names an expression gives its own meaning to: no input or fact may take them.
RESERVED_NAMES = frozenset({"value", "weight", "min", "max", "abs", "ceil", "floor", "round", "True", "False"})

MAX_LENGTH = 1000
MAX_NODES = 200
# A plain sum of n inputs nests n deep; 100 leaves room for long sums and stays far below
# the interpreter's recursion limit when simpleeval walks the tree.
MAX_DEPTH = 100


class ExpressionInvalid(ValueError):
    """The expression is not allowed; the message is Chinese and says what to change."""


class ZeroDivisionInExpression(ArithmeticError):
    """A divisor evaluated to zero; carries the divisor's source text."""

    def __init__(self, divisor: str):
        self.divisor = divisor
        super().__init__(divisor)


def _d(x: object) -> Decimal:
    if isinstance(x, int):  # a comparison's bool, or Python's int from arithmetic on bools
        return Decimal(int(x))
    if not isinstance(x, Decimal):
        raise ExpressionInvalid(f"非数值参与运算：{x!r}")
    return x


def _round(x: object, places: object = Decimal(0)) -> Decimal:
    n = int(_d(places))
    if not 0 <= n <= 10:
        raise ExpressionInvalid("round 的小数位数必须在 0 到 10 之间")
    return _d(x).quantize(Decimal(1).scaleb(-n), rounding=decimal.ROUND_HALF_UP, context=CONTEXT)


def _ceil(x: object) -> Decimal:
    return _d(x).to_integral_value(rounding=decimal.ROUND_CEILING, context=CONTEXT)


def _floor(x: object) -> Decimal:
    return _d(x).to_integral_value(rounding=decimal.ROUND_FLOOR, context=CONTEXT)


def _min(*xs: object) -> Decimal:
    return min(_d(x) for x in xs)


def _max(*xs: object) -> Decimal:
    return max(_d(x) for x in xs)


def _abs(x: object) -> Decimal:
    return CONTEXT.abs(_d(x))  # in evalcore's precision wherever it is called from


FUNCTIONS: dict[str, tuple[Callable[..., Decimal], int, int | None]] = {
    # name: (implementation, fewest arguments, most arguments)
    "min": (_min, 2, None),
    "max": (_max, 2, None),
    "abs": (_abs, 1, 1),
    "ceil": (_ceil, 1, 1),
    "floor": (_floor, 1, 1),
    "round": (_round, 1, 2),
}


def _div(a: object, b: object) -> Decimal:
    return CONTEXT.divide(_d(a), _d(b))


OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: lambda a, b: CONTEXT.add(_d(a), _d(b)),
    ast.Sub: lambda a, b: CONTEXT.subtract(_d(a), _d(b)),
    ast.Mult: lambda a, b: CONTEXT.multiply(_d(a), _d(b)),
    ast.Div: _div,
    ast.USub: lambda a: CONTEXT.minus(_d(a)),
    ast.UAdd: lambda a: CONTEXT.plus(_d(a)),
    ast.Not: lambda a: not a,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: _d(a) < _d(b),
    ast.LtE: lambda a, b: _d(a) <= _d(b),
    ast.Gt: lambda a, b: _d(a) > _d(b),
    ast.GtE: lambda a, b: _d(a) >= _d(b),
}

_ALLOWED_NODES: tuple[type, ...] = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.USub,
    ast.UAdd,
    ast.Not,
    ast.And,
    ast.Or,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
)

_NODE_WORDS: dict[type, str] = {
    ast.Attribute: "属性访问（.）",
    ast.Subscript: "下标（[]）",
    ast.Pow: "乘方（**）",
    ast.Lambda: "lambda",
    ast.ListComp: "推导式",
    ast.GeneratorExp: "推导式",
    ast.DictComp: "推导式",
    ast.SetComp: "推导式",
    ast.List: "列表",
    ast.Tuple: "元组",
    ast.Dict: "字典",
    ast.Set: "集合",
    ast.JoinedStr: "字符串",
    ast.NamedExpr: "赋值（:=）",
    ast.FloorDiv: "整除（//）",
    ast.Mod: "取余（%）",
    ast.keyword: "关键字参数",
    ast.Starred: "星号参数",
}

# Python words an author may type with their usual meaning.
_OPERATOR_HINT = "只允许 + - * /、比较、and/or/not、x if 条件 else y、数字和函数 min/max/abs/ceil/floor/round"


def _tidy_source(source: str) -> str:
    # Full-width operators typed by an input method would otherwise be a syntax error.
    table = str.maketrans({"（": "(", "）": ")", "，": ",", "＋": "+", "－": "-", "\u2212": "-", "×": "*", "÷": "/", "＊": "*", "／": "/", "＜": "<", "＞": ">", "＝": "=", "≤": "<=", "≥": ">="})
    return source.translate(table).replace("\n", " ").strip()


@frozen
class Expression:
    """A validated expression; call `evaluate(names)` with Decimal values for its names.

    The tree that passed the whitelist is evaluated two ways with one meaning: compiled to a code
    object (every name, constant and function in it is one the whitelist allowed; no builtins) for
    speed, and by simpleeval as the reference (`reference_evaluate`), which the test suite compares
    against on generated expressions.
    """

    source: str
    names: frozenset[str]
    tree: ast.Expression = field(eq=False, repr=False)
    _evaluator: simpleeval.SimpleEval = field(eq=False, repr=False)
    _code: CodeType = field(eq=False, repr=False)
    _scope: dict[str, Any] = field(eq=False, repr=False)
    _template: str = field(eq=False, repr=False)
    _slots: tuple[str, ...] = field(eq=False, repr=False)
    _symbolic: str = field(init=False, eq=False, repr=False)

    @_symbolic.default
    def _render_symbolic(self) -> str:
        return self._template.format(*self._slots)

    def evaluate(self, names: Mapping[str, object]) -> Any:
        """Evaluate with the given values; raises ZeroDivisionInExpression on a zero divisor."""
        try:
            if decimal.getcontext().prec == CONTEXT.prec:  # already inside evaluate()'s context
                result = eval(self._code, self._scope, names)  # noqa: S307 - whitelisted tree, no builtins
            else:
                with decimal.localcontext(CONTEXT):
                    result = eval(self._code, self._scope, names)  # noqa: S307
            return _as_decimal(result)
        except (decimal.DivisionByZero, decimal.DivisionUndefined, decimal.InvalidOperation) as exc:
            divisor = _find_zero_divisor(self.tree, self.source, names)
            if divisor is not None:
                raise ZeroDivisionInExpression(divisor) from exc
            raise ExpressionInvalid(f"表达式“{self.source}”无法计算：{type(exc).__name__}") from exc
        except decimal.Overflow as exc:
            raise ExpressionInvalid(f"表达式“{self.source}”的结果超出可表示的范围") from exc
        except (TypeError, NameError, ExpressionInvalid) as exc:
            raise ExpressionInvalid(f"表达式“{self.source}”无法计算：{exc}") from exc

    def value_or_none(self, names: Mapping[str, object]) -> Decimal | None:
        """The Decimal `evaluate` would return, or None wherever it would raise or give no number.

        For callers that, on None, call `evaluate` to report why; it must run in evalcore's decimal
        context. Catching everything is deliberate: whatever went wrong, `evaluate` says it in words.
        """
        try:
            result = _as_decimal(eval(self._code, self._scope, names))  # noqa: S307 - whitelisted tree, no builtins
        except Exception:  # noqa: BLE001 - any failure: `evaluate` reports it in words
            return None
        return result if type(result) is Decimal else None

    @property
    def compiled(self) -> tuple[CodeType, dict[str, Any]]:
        """The code object and the globals it runs with, for a loop that evaluates it thousands of
        times (evaluate()): `eval(code, scope, names)` in evalcore's decimal context; whatever it
        raises or returns other than a Decimal, `evaluate` explains."""
        return self._code, self._scope

    def reference_evaluate(self, names: Mapping[str, object]) -> Any:
        """The same evaluation by simpleeval over the same tree (slower; the reference semantics)."""
        self._evaluator.names = names
        try:
            return self._evaluator.eval(self.source, previously_parsed=self.tree.body)
        except simpleeval.InvalidExpression as exc:
            raise ExpressionInvalid(f"表达式“{self.source}”无法计算：{exc}") from exc

    @property
    def slots(self) -> tuple[str, ...]:
        """The names in the order the expression reads them."""
        return self._slots

    @property
    def symbolic(self) -> str:
        """The expression as a person writes it, with names ("在职人员数 / 编制数 × 100")."""
        return self._symbolic

    def substitute(self, values: Mapping[str, object], units: Mapping[str, str | None] | None = None) -> str:
        """The expression with every name replaced by its value, for traces ("31 / 37 × 100"); with
        `units`, each value named there carries its unit ("461.96万元 - 271.4408万元")."""
        shown = []
        for name in self._slots:
            value = values.get(name)
            text = fmt(value) if type(value) is Decimal else _show(name, value)
            if units is not None and type(value) is Decimal:
                text += units.get(name) or ""
            shown.append(text)
        return self._template.format(*shown)


def _as_decimal(result: Any) -> Any:
    # Arithmetic on comparisons (-(a > b)) gives Python ints: numbers here are Decimals.
    return Decimal(result) if type(result) is int else result


def _show(name: str, value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return fmt(value)
    return name


def _find_zero_divisor(tree: ast.Expression, source: str, names: Mapping[str, object]) -> str | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            try:
                value = simpleeval.SimpleEval(operators=OPERATORS, functions={k: v[0] for k, v in FUNCTIONS.items()}, names=names)._eval(node.right)
            except Exception:  # noqa: BLE001 - another part failing is reported by the caller
                continue
            if isinstance(value, Decimal) and value == 0:
                return ast.get_source_segment(source, node.right) or "?"
    return None


_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "×", ast.Div: "/", ast.Eq: "=", ast.NotEq: "≠", ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥"}


def _render(node: ast.AST, slots: dict[str, int], parent: int = 0) -> str:
    """The expression as a format template: each name becomes "{n}" (its slot)."""
    if isinstance(node, ast.Name):
        if node.id in ("True", "False"):
            return "是" if node.id == "True" else "否"
        return "{" + str(slots.setdefault(node.id, len(slots))) + "}"
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return "是" if node.value else "否"
        return fmt(node.value) if isinstance(node.value, Decimal) else str(node.value)
    if isinstance(node, ast.BinOp):
        prec = _PRECEDENCE.get(type(node.op), 3)
        text = f"{_render(node.left, slots, prec)} {_SYMBOL[type(node.op)]} {_render(node.right, slots, prec + 1)}"
        return f"({text})" if prec < parent else text
    if isinstance(node, ast.UnaryOp):
        inner = _render(node.operand, slots, 3)
        return f"-{inner}" if isinstance(node.op, ast.USub) else (f"非 {inner}" if isinstance(node.op, ast.Not) else inner)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return f"{node.func.id}({', '.join(_render(a, slots) for a in node.args)})"
    if isinstance(node, ast.Compare):
        parts = [_render(node.left, slots, 1)]
        for op, right in zip(node.ops, node.comparators):
            parts.append(f"{_SYMBOL[type(op)]} {_render(right, slots, 1)}")
        return " ".join(parts)
    if isinstance(node, ast.BoolOp):
        word = " 且 " if isinstance(node.op, ast.And) else " 或 "
        return "(" + word.join(_render(v, slots) for v in node.values) + ")"
    if isinstance(node, ast.IfExp):
        return f"({_render(node.body, slots)} 若 {_render(node.test, slots)} 否则 {_render(node.orelse, slots)})"
    return ast.unparse(node)


def _check_shape(tree: ast.AST) -> None:
    """Node count and depth, walked iteratively so that no check itself recurses deeply."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExpressionInvalid(f"表达式过于复杂（超过 {MAX_NODES} 个语法节点），请拆分为多个公式")
        if depth > MAX_DEPTH:
            raise ExpressionInvalid(f"表达式嵌套过深（超过 {MAX_DEPTH} 层），请简化")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def compile_expression(source: str, allowed_names: Iterable[str], refused: Mapping[str, str] | None = None) -> Expression:
    """Parse and validate once. Raises ExpressionInvalid with a Chinese message on any problem."""
    if not isinstance(source, str):
        raise ExpressionInvalid("表达式必须是字符串")
    if len(source) > MAX_LENGTH:
        raise ExpressionInvalid(f"表达式长度 {len(source)} 个字符，超过上限 {MAX_LENGTH}")
    text = _tidy_source(source)
    if not text:
        raise ExpressionInvalid("表达式为空")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionInvalid(f"表达式“{source}”语法错误（第 {exc.offset or '?'} 个字符附近）；{_OPERATOR_HINT}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionInvalid(f"表达式“{source}”无法解析；{_OPERATOR_HINT}") from None
    _check_shape(tree)

    allowed = set(allowed_names)
    used: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            word = _NODE_WORDS.get(type(node), type(node).__name__)
            raise ExpressionInvalid(f"表达式“{source}”使用了不允许的语法：{word}；{_OPERATOR_HINT}")
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                # Arithmetic stays in Decimal: True + True is 2, not the integer 2.
                node.value = Decimal(int(node.value))  # type: ignore[assignment]
                continue
            if not isinstance(node.value, (int, float)):
                raise ExpressionInvalid(f"表达式“{source}”含有字符串或其他非数字常量，只允许数字")
            literal = ast.get_source_segment(text, node) or repr(node.value)
            try:
                number = Decimal(literal.replace("_", ""))
            except decimal.InvalidOperation:
                raise ExpressionInvalid(f"表达式“{source}”中的数字“{literal}”无法识别") from None
            if not number.is_finite() or abs(number.adjusted()) > 15:
                raise ExpressionInvalid(f"表达式“{source}”中的数字“{literal}”超出允许范围")
            # simpleeval returns a constant's value as is: store the exact Decimal, not the float.
            node.value = number  # type: ignore[assignment]
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
                raise ExpressionInvalid(f"表达式“{source}”调用了不允许的函数“{name}”；只允许 min、max、abs、ceil、floor、round")
            if node.keywords:
                raise ExpressionInvalid(f"表达式“{source}”不允许关键字参数")
            _, fewest, most = FUNCTIONS[node.func.id]
            if len(node.args) < fewest or (most is not None and len(node.args) > most):
                raise ExpressionInvalid(f"函数 {node.func.id} 的参数个数不对（表达式“{source}”）")
        elif isinstance(node, ast.Name):
            if node.id in FUNCTIONS:
                continue  # checked as a call; a bare function name fails below at evaluation
            if node.id in ("True", "False"):
                continue
            if refused and node.id in refused:
                raise ExpressionInvalid(f"表达式“{source}”不能使用“{node.id}”：{refused[node.id]}")
            if node.id not in allowed:
                raise ExpressionInvalid(_unknown_name(node.id, allowed))
            used.add(node.id)
    # A function name used other than as a call is still a reference we must refuse.
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in FUNCTIONS:
            if not any(isinstance(p, ast.Call) and p.func is node for p in ast.walk(tree)):
                raise ExpressionInvalid(f"函数名“{node.id}”只能被调用，不能作为数值使用")
    evaluator = simpleeval.SimpleEval(
        operators=OPERATORS,
        functions={name: impl for name, (impl, _, _) in FUNCTIONS.items()},
        names={},
    )
    evaluator.names = {}
    code, scope = _compile(tree, text)
    slots: dict[str, int] = {}
    template = _render(tree.body, slots)
    return Expression(
        source=text,
        names=frozenset(used),
        tree=tree,
        evaluator=evaluator,
        code=code,
        scope=scope,
        template=template,
        slots=tuple(sorted(slots, key=slots.__getitem__)),
    )


def _compile(tree: ast.Expression, text: str) -> tuple[Any, dict[str, Any]]:
    """A code object for the validated tree: constants become reserved names bound to Decimals.

    The tree itself is kept (the reference evaluator walks it), so the names go into a second tree
    parsed from the same text, node for node the same shape: cheaper than copying the first."""
    scope: dict[str, Any] = {"__builtins__": {}}
    scope.update({name: impl for name, (impl, _, _) in FUNCTIONS.items()})
    clone = ast.parse(text, mode="eval")
    decimals: dict[int, ast.Constant] = {}
    for node, twin in zip(ast.walk(tree), ast.walk(clone), strict=True):
        if isinstance(node, ast.Constant) and isinstance(node.value, Decimal):
            decimals[id(twin)] = node
    for node in ast.walk(clone):
        for field_name, value in ast.iter_fields(node):
            if isinstance(value, ast.Constant) and id(value) in decimals:
                setattr(node, field_name, _constant_name(decimals[id(value)], scope))
            elif isinstance(value, list):
                value[:] = [_constant_name(decimals[id(v)], scope) if isinstance(v, ast.Constant) and id(v) in decimals else v for v in value]
    ast.fix_missing_locations(clone)
    return compile(clone, "<evalcore>", "eval"), scope


def _constant_name(node: ast.Constant, scope: dict[str, Any]) -> ast.Name:
    # Input ids cannot start with "_", so these names never meet a unit's data.
    name = f"__k{len(scope)}"
    scope[name] = node.value
    return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)


def _unknown_name(name: str, allowed: set[str]) -> str:
    message = f"未知名称“{name}”：不是已声明的输入"
    close = did_you_mean(name, sorted(allowed))
    if close:
        message += f"。{close}"
    elif allowed:
        shown = sorted(allowed)
        message += f"；可用的名称：{'、'.join(shown[:12])}{' 等' if len(shown) > 12 else ''}"
    return message
