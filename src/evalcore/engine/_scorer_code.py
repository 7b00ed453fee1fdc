"""Generated scorer source made into code: checked node by node like the formula sandbox (only
the statements, names and attributes the generator writes), compiled once per source, and a large
framework's code kept in the user's cache folder by the hash of its source (see docs/security.md)."""

from __future__ import annotations

import ast
import hashlib
import marshal
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

from ..model import cached_path, keep_cached, read_cached

__all__ = ["BUILTINS", "function", "short_circuits"]

_CODES: dict[str, CodeType] = {}


def short_circuits(tree: ast.AST) -> bool:
    return any(isinstance(node, (ast.IfExp, ast.BoolOp)) for node in ast.walk(tree))


def function(source: str, digest: str, namespace: dict[str, Any], loop: bool = False) -> Callable[..., Any]:
    """The generated function `score` (or, with `loop`, the batch's `assemble`), AST-checked and
    compiled once per source (keyed by its hash); a large one's checked code is kept in the user's
    cache folder for the next process (_stored)."""
    exec(_code(source, digest, loop), namespace)  # noqa: S102 - generated from the validated framework, AST-checked (_check)
    function: Callable[..., Any] = namespace["assemble" if loop else "score"]
    return function


def _code(source: str, digest: str, loop: bool) -> CodeType:
    code = _CODES.get(digest)
    if code is None:
        code = _stored(source, loop)
        if code is None:
            tree = ast.parse(source)
            _check(tree, loop)
            code = compile(tree, "<evalcore compiled scorer>", "exec")
            _store(source, loop, code)
        if len(_CODES) >= 1024:  # many frameworks made on the fly (tests): keep the cache bounded
            _CODES.clear()
        _CODES[digest] = code
    return code


# A scorer this long (a framework of a dozen indicators or more) takes milliseconds to parse, check
# and compile: its code, once checked, is kept in the user's cache folder for the next process, by
# the hash of its source and the interpreter's bytecode version. Smaller ones are compiled each time.
_STORED_FROM = 8000


def _stored_path(source: str, loop: bool) -> Path | None:
    if len(source) < _STORED_FROM:
        return None
    import importlib.util

    return cached_path("scorers", hashlib.sha256(importlib.util.MAGIC_NUMBER + (b"loop\n" if loop else b"score\n") + source.encode()).hexdigest())


def _stored(source: str, loop: bool) -> CodeType | None:
    """The code kept for this source, or None (none kept, or unreadable: compiled again)."""
    path = _stored_path(source, loop)
    payload = read_cached(path) if path is not None else None
    if payload is None:
        return None
    try:
        code = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def _store(source: str, loop: bool, code: CodeType) -> None:
    """Keep checked code for the next process."""
    path = _stored_path(source, loop)
    if path is not None:
        keep_cached(path, marshal.dumps(code))


BUILTINS = {"abs": abs, "len": len, "type": type, "Exception": Exception}
_ATTRIBUTES = frozenset(
    {"get", "keys", "append", "isdisjoint", "self_score", "not_applicable", "exemption", "score", "stated", "checkpoints", "cases", "reason", "tier", "strip", "quantize", "to_integral_value", "is_finite"}
)
# What the batch's loop reads of each unit besides (see _assemble.py).
_UNIT_ATTRIBUTES = frozenset({"inputs", "entries", "questions", "encoding", "conversions", "self_total", "year", "stated_grade", "grade_for", "scaleb"})
_LOOP_NODES = (ast.For, ast.Continue, ast.keyword)
_NODES = (
    ast.Module, ast.FunctionDef, ast.arguments, ast.arg, ast.Assign, ast.AugAssign, ast.If, ast.Try, ast.ExceptHandler, ast.Return, ast.Expr,
    ast.Name, ast.Load, ast.Store, ast.Attribute, ast.Subscript, ast.Call, ast.Constant, ast.Tuple, ast.List, ast.NamedExpr,
    ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd, ast.Not, ast.And, ast.Or,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot,
)  # fmt: skip


_KINDS = frozenset(_NODES)
_LOOP_KINDS = frozenset(_NODES + _LOOP_NODES)


def _check(tree: ast.Module, loop: bool = False) -> None:
    """The generated scorer may only compute: no imports, loops, dunder names or attributes but
    the entry's fields and the Decimal methods named above, subscripts only by constants (or of a
    table of points made at compile time). The batch's loop may also loop over the units and read
    the unit's fields, by the loop's own counters."""
    allowed = _LOOP_KINDS if loop else _KINDS  # ast.parse makes nodes of these exact classes
    attributes = _ATTRIBUTES | _UNIT_ATTRIBUTES if loop else _ATTRIBUTES
    stack: list[ast.AST] = [tree]
    pop, push, extend, node_type = stack.pop, stack.append, stack.extend, ast.AST
    while stack:  # every node, as ast.walk gives them (in another order), in less time
        node = pop()
        kind = type(node)
        if kind not in allowed:
            raise ValueError(f"compiled scorer: {kind.__name__} not allowed")
        if kind is ast.Name:
            if node.id.startswith("__"):  # type: ignore[attr-defined]
                raise ValueError(f"compiled scorer: name {node.id}")  # type: ignore[attr-defined]
        elif kind is ast.Attribute:
            if node.attr not in attributes:  # type: ignore[attr-defined]
                raise ValueError(f"compiled scorer: attribute {node.attr}")  # type: ignore[attr-defined]
        elif kind is ast.Subscript:
            key = node.slice  # type: ignore[attr-defined]
            counter = loop and isinstance(key, ast.Name) and key.id in ("row", "index", "t")
            if not isinstance(key, ast.Constant) and not _table(node.value) and not counter:  # type: ignore[attr-defined]
                raise ValueError("compiled scorer: subscript by a computed key")
        elif kind is ast.FunctionDef and (node.decorator_list or node is not tree.body[0]):  # type: ignore[attr-defined]
            raise ValueError("compiled scorer: one plain function only")
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, node_type):
                push(value)
            elif isinstance(value, list):
                extend(item for item in value if isinstance(item, node_type))


def _table(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id[:1] == "T" and node.id[1:].isdigit()
