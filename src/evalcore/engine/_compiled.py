"""evaluate(framework, data) through the framework's compiled scorer: one generated function that
scores every leaf of a unit in one pass (see docs/engine.md, "Compiled scoring").

The function is written from the framework's validated rule trees (`_codegen`), checked by an AST
whitelist like the formula sandbox, compiled once and cached by a hash of its source. A leaf it
cannot score with nothing to report (missing input, an evaluator's score, a percent in question,
an answer out of range, a kind without a compiled form) is scored by the reference
(`_leaf.score_leaf`, `_leaf.score_questioned`) in its place, so that the evaluation is always the
reference's: `evaluate_reference` stays reachable, and tests/test_compiled.py compares the two.
"""

from __future__ import annotations

import decimal
import gc
import hashlib
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..load import data_from_mapping
from ..model import CONTEXT, EMPTY_ENTRY, Evaluation, Flag, Framework, IndicatorEntry, LeafResult, UnitData
from ._batch import Columns, columns_for
from ._codegen import BUILTINS, Namespace, function, leaf_body, short_circuits
from ._evaluate import Scored, conclude, evaluate_reference, opening_flags
from ._leaf import score_leaf, score_questioned, stated_differs

__all__ = ["CompiledFramework", "compile_framework", "evaluate", "evaluate_many"]

ZERO = Decimal(0)
_CONTEXT = CONTEXT.copy()  # the compiled code computes in evalcore's context, as the reference does


def evaluate(framework: Framework, data: UnitData | Mapping[str, Any], *, reference: bool = False) -> Evaluation:
    """Score one unit's data against a framework. Never raises for data problems the rules foresee:
    missing inputs, zero divisors and rule defects become statuses and flags.

    The framework's compiled scorer computes it (compiled once per framework); with
    `reference=True`, the reference evaluator does, which gives the same evaluation more slowly."""
    if reference:
        return evaluate_reference(framework, data)
    return compile_framework(framework).evaluate(data)


def evaluate_many(framework: Framework, datas: Iterable[UnitData | Mapping[str, Any]]) -> list[Evaluation]:
    """`evaluate` for many units of one framework."""
    return compile_framework(framework).evaluate_many(datas)


class CompiledFramework:
    """A framework's scorer, compiled: `evaluate(data)` and `evaluate_many(datas)` give what
    `evaluate_reference` gives.

    `uncompiled` names the indicators always scored the reference way, and why (a rule kind
    without a compiled form); `reference_only` is set for project target forms, whose indicators
    are made from each unit's form and scored the reference way (see docs/engine.md)."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self._leaves = tuple(framework.leaves())
        self.reference_only = framework.form is not None
        self.uncompiled: tuple[tuple[str, str], ...] = ()
        self.source = ""
        self.digest = ""
        self._score: Callable[..., tuple[Any, ...]] | None = None
        self._columns: list[Columns | None] = []  # planned at the first evaluate_many
        if not self.reference_only:
            self.source, namespace, self.uncompiled = _generate(framework)
            self.digest = hashlib.sha256(self.source.encode()).hexdigest()
            self._score = function(self.source, self.digest, namespace)

    @property
    def columns(self) -> Columns | None:
        """The batch plan of evaluate_many: the leaves scored in columns (None without numpy, or
        where no leaf is)."""
        if not self._columns:
            self._columns.append(None if self._score is None or self.uncompiled else columns_for(self.framework, self._evaluate))
        return self._columns[0]


    def evaluate(self, data: UnitData | Mapping[str, Any]) -> Evaluation:
        if self._score is None:
            return evaluate_reference(self.framework, data)
        saved = decimal.getcontext()
        decimal.setcontext(_CONTEXT)
        try:
            return self._evaluate(data)
        finally:
            decimal.setcontext(saved)

    def evaluate_many(self, datas: Iterable[UnitData | Mapping[str, Any]]) -> list[Evaluation]:
        """Many units at once: in columns where numpy is installed (see `columns`), else one by one;
        the same evaluations either way."""
        if self._score is None:
            return [evaluate_reference(self.framework, data) for data in datas]
        framework = self.framework
        units = [data if isinstance(data, UnitData) else data_from_mapping(data, framework) for data in datas]
        saved = decimal.getcontext()
        decimal.setcontext(_CONTEXT)
        # A batch makes many small objects and no cycles: the cycle collector would only walk them.
        collecting = gc.isenabled()
        gc.disable()
        try:
            columns = self.columns
            if columns is None:
                return [self._evaluate(data) for data in units]
            return columns.evaluate(units)
        finally:
            if collecting:
                gc.enable()
            decimal.setcontext(saved)

    def _evaluate(self, data: UnitData | Mapping[str, Any]) -> Evaluation:
        framework = self.framework
        if type(data) is not UnitData:
            if not isinstance(data, UnitData):
                data = data_from_mapping(data, framework)
        flags: list[Flag] = []
        if data.encoding is not None or data.conversions:
            opening_flags(framework, data, flags)
        assert self._score is not None
        records, raw_total, acc, selfs, present = self._score(data.inputs, data.entries, data.questions, data, flags, self._slow)
        na_out, complete, questioned = acc[0], acc[1], acc[4]
        scored = Scored(records, raw_total, na_out, complete, selfs, (acc[2], acc[3]) if questioned else ())
        return conclude(framework, data, flags, scored, present)

    def _slow(self, number: int, entry: IndicatorEntry, data: UnitData, flags: list[Flag], acc: list[Any]) -> LeafResult:
        """One leaf scored the reference way, as `_evaluate._score_leaves` scores a leaf that does
        not take the quick way; its outcome counted into `acc` (weight left out, complete,
        readings)."""
        indicator = self._leaves[number]
        framework = self.framework
        questions = data.questions
        if questions and not indicator.needs.isdisjoint(questions):
            leaf = score_questioned(indicator, entry, framework, data, flags)
        else:
            leaf = score_leaf(indicator, entry, framework, data, flags)
        if leaf.score is None:
            if leaf.status == "not-applicable":
                acc[0] += indicator.weight
            else:
                acc[1] = False
        if leaf.readings and framework.scored:
            acc[4] = True
            for index, (_label, points) in enumerate(leaf.readings[:2]):
                acc[2 + index] += points or ZERO
        return leaf


_LOCK = threading.Lock()
_COMPILED: dict[int, tuple[weakref.ref[Framework], CompiledFramework]] = {}


def compile_framework(framework: Framework) -> CompiledFramework:
    """The framework's compiled scorer, compiled at its first use and kept while the framework
    lives; frameworks that compile to the same source share one code object (keyed by its hash)."""
    held = _COMPILED.get(id(framework))
    if held is not None and held[0]() is framework:
        return held[1]
    compiled = CompiledFramework(framework)
    key = id(framework)

    def forget(ref: object, key: int = key, table: dict[int, Any] = _COMPILED) -> None:
        # Only this framework's entry: another may have taken its id since.
        if table.get(key, (None,))[0] is ref:
            table.pop(key, None)

    with _LOCK:
        _COMPILED[key] = (weakref.ref(framework, forget), compiled)
    return compiled


def _generate(framework: Framework, only: frozenset[int] | None = None, read_elsewhere: frozenset[str] = frozenset()) -> tuple[str, dict[str, Any], tuple[tuple[str, str], ...]]:
    """The scorer's source, its globals and the indicators it leaves to the reference. With
    `only`, it scores those leaves alone (by their numbers), the rest being scored in columns,
    which read `read_elsewhere`."""
    ns = Namespace()
    ns.values.update({"ZERO": ZERO, "EMPTY": EMPTY_ENTRY, "stated_differs": stated_differs, "__builtins__": dict(BUILTINS)})
    rounding = framework.rounding
    mode = "" if rounding.mode == "half-up" else f", {ns.bind('MODE', rounding.context.rounding)}"
    value_quantum = ns.const(rounding.value_quantum)
    lines = ["def score(I, E, Qs, data, flags, slow):", "    eget = E.get", "    selfs = []", "    acc = [ZERO, True, ZERO, ZERO, False]", "    slowed = False"]
    uncompiled: list[tuple[str, str]] = []
    read: set[str] = set(read_elsewhere)
    numbers = []
    for number, indicator in enumerate(framework.leaves()):
        if only is not None and number not in only:
            continue
        numbers.append(number)
        body = leaf_body(indicator, framework, ns, value_quantum + mode)
        lines += [f"    e = eget({indicator.id!r}, EMPTY)", "    if e is not EMPTY and e.self_score is not None:", "        selfs.append(e.self_score)", f"    r{number} = None"]
        if body is None:
            uncompiled.append((indicator.label, f"规则类型“{indicator.rule.kind}”没有编译形式"))
        else:
            lines += ["    " + line for line in body]
            lines += ["        if s is not None:", f"            r{number} = ({indicator.rule.quick_status!r}, s, {'v' if indicator.formula is not None else 'None'})", f"            s{number} = s"]
            if indicator.formula is not None and not short_circuits(indicator.formula.tree):
                read |= indicator.formula.names
            read |= indicator.rule.names()
        lines += [
            f"    if r{number} is None:",
            f"        r{number} = slow({number}, e, data, flags, acc)",
            "        slowed = True",
            f"        s{number} = r{number}.score if r{number}.score is not None else ZERO",
        ]
    records = "(" + "".join(f"r{n}, " for n in numbers) + ")"
    total = " + ".join(["ZERO", *(f"s{n}" for n in numbers)])
    unread = frozenset(framework.required_inputs - read)
    present = "not slowed" + (f" and {ns.bind('P', unread)} <= I.keys()" if unread else "")
    lines.append(f"    return {records}, {total}, acc, selfs, {present}")
    return "\n".join(lines) + "\n", ns.values, tuple(uncompiled)


