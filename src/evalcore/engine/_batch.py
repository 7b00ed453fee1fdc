"""evaluate_many in columns: the leaves `_columns` can score are scored for a whole batch of units
at once with numpy, the others by the compiled Decimal code per unit (see docs/engine.md,
"Compiled scoring"). A unit any leaf of which cannot be scored exactly in columns, or that has
anything to report (a percent in question, an entry beside a computed indicator, a missing input,
a data check), is scored by the compiled scorer's per-unit way instead, which hands what it cannot
score to the reference. Each unit's leaf records are written when first read (DeferredRecords).

numpy is optional (`pip install 'jixiao-evalcore[fast]'`): without it evaluate_many scores unit by
unit, with the same results.
"""

from __future__ import annotations

import ast
import copy
import functools
import itertools
import operator
from collections.abc import Callable
from decimal import Decimal
from itertools import repeat
from typing import Any

from ..model import CONTEXT, DeferredRecords, Evaluation, Flag, Framework, Indicator, LeafRecord, UnitData, evaluations, fmt
from ._assemble import assembler
from ._columns import KMAX, NUMERIC, Column, Declined, Env, formula_columns, round_value, scaled
from ._evaluate import framework_ungraded, grade_flags, opening_flags, year_flags
from ._kernels import Points, rule_points
from ._tree import result_tree

__all__ = ["Columns", "Plan", "columns_for"]

ZERO = Decimal(0)
CHUNK = 1024


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # the optional extra is not installed: evaluate_many scores unit by unit
        return None
    return numpy


def columns_for(framework: Framework, per_unit: Callable[[UnitData], Evaluation]) -> Columns | None:
    """The framework's column plan, or None where no leaf is scored in columns or numpy is absent.
    `per_unit` scores a unit the columns leave (the compiled scorer's per-unit way)."""
    np = _numpy()
    if np is None or framework.form is not None:
        return None
    plan = Plan(framework)
    if not plan.numbers:
        return None
    try:
        return Columns(framework, per_unit, np, plan)
    except ValueError:  # a leaf outside the columns has no compiled form: unit by unit
        return None


class Plan:
    """A framework's leaves scored in columns. Leaves whose formulas have one shape (the same
    operations and numbers over different inputs: 输入1 / 输入2 * 100 and 输入3 / 输入4 * 100) are
    computed together, as a table of leaves by units; so are leaves with one rule and weight.

    `numbers`: the leaves in columns (by their number in the framework), in slot order;
    `names`: the inputs they read."""

    def __init__(self, framework: Framework) -> None:
        numeric = {spec.id for spec in framework.inputs if spec.type in NUMERIC}
        self.rounding = framework.rounding
        formulas: dict[str, tuple[Callable[[Env], Column], list[int], list[tuple[str, ...]]]] = {}
        rules: dict[Any, tuple[Points, int, list[int]]] = {}
        numbers: list[int] = []
        for number, indicator in enumerate(framework.leaves()):
            if indicator.formula is None or indicator.rule.names():
                continue
            try:
                slots: dict[str, int] = {}
                formula = formula_columns(indicator.formula, numeric, slots)
                points = rule_points(indicator, framework)
                weight = scaled(indicator.weight, self.rounding.places)
            except Declined:
                continue
            slot = len(numbers)
            numbers.append(number)
            shape = _shape(indicator.formula.tree, slots)
            formulas.setdefault(shape, (formula, [], []))
            formulas[shape][1].append(slot)
            formulas[shape][2].append(tuple(sorted(slots, key=slots.__getitem__)))
            key = _rule_key(indicator, slot)
            rules.setdefault(key, (points, weight, []))[2].append(slot)
        self.numbers = numbers
        self.names = sorted({name for _f, _s, reads in formulas.values() for names in reads for name in names})
        position = {name: j for j, name in enumerate(self.names)}
        self.formulas = [(formula, slots, [[position[name] for name in names] for names in zip(*reads)]) for formula, slots, reads in formulas.values()]
        self.rules = list(rules.values())

    def run(self, env: Env, table: Any, exact: Callable[[int, int], int | None]) -> tuple[Any, Any]:
        """(points, measured values) as integers of 10^-places and 10^-value_places, a row per
        leaf in columns and a column per unit, from `table` (a row per input, a column per unit);
        units any leaf cannot score exactly are marked. A value the bound does not prove is taken
        from `exact(slot, row)`, the Decimal way's (None: that unit is marked)."""
        np = env.np
        size = (len(self.numbers), env.n)
        values = np.zeros(size, dtype=np.int64)
        scores = np.zeros(size, dtype=np.int64)
        value_places, mode = self.rounding.value_places, self.rounding.mode
        with np.errstate(all="ignore"):
            # Figures beyond what a double holds with its full precision (never a checked input):
            # the Decimal way.
            magnitude = np.abs(table)
            env.mark((magnitude != 0) & ~((magnitude > 1e-250) & (magnitude < 1e250)))
            for formula, slots, columns in self.formulas:
                env.columns = [table[column] for column in columns]
                x, e = formula(env)
                shape = (len(slots), env.n)
                x = np.broadcast_to(np.asarray(x, dtype=float), shape)
                k, unproved = round_value(env, x, e if isinstance(e, float) else np.broadcast_to(e, shape), value_places, mode)
                for leaf, row in zip(*np.nonzero(unproved)):
                    if not env.bad[row]:
                        figure = exact(slots[leaf], int(row))
                        if figure is None or not -KMAX < figure < KMAX:
                            env.bad[row] = True
                        else:
                            k[leaf, row] = figure
                values[slots] = k
            for points, weight, slots in self.rules:
                score = points(env, values[slots])
                env.mark((score < 0) | (score > weight))
                scores[slots] = score
        return scores, values


def _shape(tree: ast.AST, slots: dict[str, int]) -> str:
    """The formula with each input replaced by its slot: one key for formulas computed alike."""

    class Slotted(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            return ast.Name(id=f"_{slots[node.id]}" if node.id in slots else node.id, ctx=ast.Load())

    return ast.dump(Slotted().visit(copy.deepcopy(tree)))


def _rule_key(indicator: Indicator, slot: int) -> Any:
    """Leaves with equal rules and weights are scored together; a rule that cannot be hashed alone."""
    key = (type(indicator.rule), indicator.rule, indicator.weight)
    try:
        hash(key)
    except TypeError:
        return ("alone", slot)
    return key


class Columns:
    """One framework's batch scorer (see the module's docstring)."""

    def __init__(self, framework: Framework, per_unit: Callable[[UnitData], Evaluation], np: Any, plan: Plan) -> None:
        self.per_unit = per_unit
        self.framework = framework
        self.np = np
        self.plan = plan
        self.names = plan.names
        leaves = list(framework.leaves())
        self.leaves = leaves
        self.count = len(leaves)
        self.vector_ids = frozenset(leaves[number].id for number in plan.numbers)
        self.statuses = [leaves[number].rule.quick_status for number in plan.numbers]
        vector = {number: slot for slot, number in enumerate(plan.numbers)}
        self.order = [vector.get(number) for number in range(self.count)]  # a slot in the columns, or None: another leaf
        self.getter = operator.itemgetter(*plan.names)
        self.needed = frozenset(plan.names)
        rounding = framework.rounding
        self.places, self.value_places = rounding.places, rounding.value_places
        mismatch = framework.scored and framework.form is None and framework.leaf_weight != framework.total
        self.weight_flag = Flag("weight_mismatch", (), f"各指标分值合计 {fmt(framework.leaf_weight)} 分，框架总分为 {fmt(framework.total)} 分") if mismatch else None
        others = [number for number in range(self.count) if number not in vector]
        self.flags = () if self.weight_flag is None else (self.weight_flag,)
        self.ungraded = framework_ungraded(framework, self.weight_flag is None)  # the same for every unit
        self.assemble = assembler(framework, others, frozenset(plan.names), self._records, self._finish, self._make, self.ungraded)

    def evaluate(self, units: list[UnitData]) -> list[Evaluation]:
        results: list[Evaluation] = []
        for start in range(0, len(units), CHUNK):
            results.extend(self._chunk(units[start : start + CHUNK]))
        return results

    def _chunk(self, units: list[UnitData]) -> list[Evaluation]:
        vector_ids = self.vector_ids
        # Units with a percent in question, a data check or an entry beside a column leaf go the
        # per-unit way; so do units missing an input the columns read.
        asks = map(operator.or_, map(bool, map(_QUESTIONS, units)), map(bool, map(_CHECKS, units)))
        plain = [index for index, (ask, clear) in enumerate(zip(asks, map(vector_ids.isdisjoint, map(_ENTRIES, units)))) if clear and not ask]
        results: list[Evaluation | None] = [None] * len(units)
        if plain:
            table, plain = self._table(units, plain)
            if plain:
                self._columns(units, plain, table, results)
        per_unit = self.per_unit
        return [result if result is not None else per_unit(units[index]) for index, result in enumerate(results)]

    def _table(self, units: list[UnitData], plain: list[int]) -> tuple[Any, list[int]]:
        """The figures the columns read, a row per input and a column per unit, and the units they
        are for (those missing an input the columns read go the per-unit way)."""
        np, width = self.np, len(self.names)
        chosen = [units[index] for index in plain]
        names = chosen[0].float_names
        if names and all(map(names.__eq__, map(_NAMES, chosen))) and self.needed.issubset(names):
            # Every unit's floats in one order: their packed rows are the table, read at once.
            packed = np.frombuffer(b"".join(map(_ROW, chosen)), dtype=float).reshape(len(chosen), len(names))
            return packed[:, [names.index(name) for name in self.names]].T.copy(), plain
        numbers = [data.floats for data in chosen]
        try:
            rows = list(map(self.getter, numbers))
        except KeyError:
            present = [index for index, given in zip(plain, numbers) if self.needed <= given.keys()]
            plain, rows = present, [self.getter(units[index].floats) for index in present]
        flat = itertools.chain.from_iterable(rows) if width > 1 else rows
        try:
            return np.fromiter(flat, dtype=float, count=len(rows) * width).reshape(len(rows), width).T.copy(), plain
        except (TypeError, ValueError, OverflowError):
            return None, []  # a value that is not a number: every unit the per-unit way, which reports it

    def _columns(self, units: list[UnitData], plain: list[int], table: Any, results: list[Evaluation | None]) -> None:
        np = self.np
        env = Env(np, len(plain))
        scores, values = self.plan.run(env, table, functools.partial(self._exact, units, plain))
        self.assemble(units, plain, env.bad.tolist(), scores.sum(axis=0).tolist(), (scores, values), results)

    def _exact(self, units: list[UnitData], plain: list[int], slot: int, row: int) -> int | None:
        """A leaf's measured value the columns could not prove, computed the Decimal way as the
        reference computes it (its formula's code in evalcore's context, rounded to value_places),
        as a whole number of 10^-value_places; None where it is no Decimal or a negative zero."""
        formula = self.leaves[self.plan.numbers[slot]].formula
        assert formula is not None
        code, scope = formula.compiled
        try:
            value = eval(code, scope, units[plain[row]].inputs)  # noqa: S307 - a whitelisted formula (Expression.compiled)
            if type(value) is not Decimal:
                return None
            value = self.framework.rounding.apply_value(value)
        except Exception:  # noqa: BLE001 - whatever fails, the per-unit way reports it
            return None
        if value.is_signed():
            return None if value == 0 else int(value.scaleb(self.value_places, CONTEXT))
        return int(value.scaleb(self.value_places, CONTEXT))

    def _finish(self, data: UnitData, batch: tuple[Any, Any], row: int, rest: tuple[LeafRecord, ...], raw_total: Decimal, selfs: list[Decimal]) -> Evaluation:
        """A unit whose leaves all scored, with unit-wide findings to check: what `conclude` adds
        for a unit with nothing else to report."""
        framework = self.framework
        flags: list[Flag] = []
        if data.encoding is not None or data.conversions:
            opening_flags(framework, data, flags)
        records = DeferredRecords(self.count, self._records, batch, row, *rest)
        if self.weight_flag is not None:
            flags.append(self.weight_flag)
        self_total = sum(selfs, ZERO) if selfs else None
        if data.self_total is not None and self_total is not None and data.self_total != self_total:
            flags.append(Flag("self_total_mismatch", (), f"填报的自评总分为 {fmt(data.self_total)} 分，而各项自评得分合计为 {fmt(self_total)} 分"))
        flags.extend(year_flags(framework, data))
        ungraded = self.ungraded
        grade = framework.grade_for(raw_total) if ungraded is None else None
        flags.extend(grade_flags(framework, data, grade, raw_total))
        tree = functools.partial(result_tree, framework, data, records)
        return Evaluation(framework, data, raw_total, framework.total, grade, True, tuple(flags), self_total, data.self_total, raw_total, records, build_tree=tree, ungraded=ungraded)

    def _make(self, batch: tuple[Any, Any], results: list[Evaluation | None], indexes: list[int], datas: list[UnitData], raws: list[Decimal], grades: list[str | None], rows: list[int], others: tuple[list[LeafRecord], ...]) -> None:
        """The evaluations of the units with nothing to report beyond their scores, made together
        (model.evaluations): each equal to, and behaving as, the Evaluation the per-unit way makes.
        `others`: the records of each leaf not in columns, unit by unit."""
        count = len(indexes)
        framework = self.framework
        records = list(map(DeferredRecords, repeat(self.count, count), repeat(self._records, count), repeat(batch, count), rows, *others))
        trees = map(functools.partial, repeat(result_tree, count), repeat(framework, count), datas, records)
        made = evaluations(
            count,
            {
                "framework": repeat(framework, count),
                "data": datas,
                "total": raws,
                "max": repeat(framework.total, count),
                "grade": grades,
                "complete": repeat(True, count),
                "flags": repeat(self.flags, count),
                "self_total": repeat(None, count),
                "stated_self_total": repeat(None, count),
                "raw_total": raws,
                "leaf_records": records,
                "build_tree": trees,
                "ungraded": repeat(self.ungraded, count),
                "readings": repeat((), count),
            },
        )
        for index, evaluation in zip(indexes, made):
            results[index] = evaluation

    def _records(self, batch: tuple[Any, Any], row: int, *rest: LeafRecord) -> tuple[LeafRecord, ...]:
        """A unit's leaf records from the columns: (status, points, measured value) as the per-unit
        way writes them, Decimals quantized to the framework's places."""
        scores, values = batch
        others = iter(rest)
        records: list[LeafRecord] = []
        for slot in self.order:
            if slot is None:
                records.append(next(others))
                continue
            score = Decimal(int(scores[slot, row])).scaleb(-self.places, CONTEXT)
            value = Decimal(int(values[slot, row])).scaleb(-self.value_places, CONTEXT)
            records.append((self.statuses[slot], score, value))
        return tuple(records)


_QUESTIONS = operator.attrgetter("questions")
_CHECKS = operator.attrgetter("checks")
_ENTRIES = operator.attrgetter("entries")
_NAMES = operator.attrgetter("float_names")
_ROW = operator.attrgetter("float_row")


