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

import functools
import itertools
import operator
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..model import CONTEXT, DeferredRecords, Evaluation, Flag, Framework, LeafRecord, UnitData, fmt
from ._columns import U, Env, Kernel, kernel
from ._tree import result_tree

if TYPE_CHECKING:
    from ._compiled import CompiledFramework

__all__ = ["Columns", "columns_for"]

ZERO = Decimal(0)
CHUNK = 4096


class NotPlain(Exception):
    """A unit's remaining leaf needs the reference: the unit is scored the per-unit way."""


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # the optional extra is not installed: evaluate_many scores unit by unit
        return None
    return numpy


def columns_for(compiled: CompiledFramework, rest: Callable[[Sequence[int], frozenset[str]], Callable[..., tuple[Any, ...]]]) -> Columns | None:
    """The framework's column plan, or None where no leaf is scored in columns or numpy is absent.
    `rest(numbers, read)` compiles the per-unit scorer of the other leaves."""
    np = _numpy()
    framework = compiled.framework
    if np is None or framework.form is not None:
        return None
    leaves = list(framework.leaves())
    kernels = {number: kernel(leaf, framework) for number, leaf in enumerate(leaves)}
    vector = [number for number, k in kernels.items() if k is not None]
    if not vector:
        return None
    names = sorted({name for number in vector for name in (leaves[number].formula.names if leaves[number].formula else ())})
    others = [number for number in range(len(leaves)) if number not in vector]
    return Columns(compiled, np, [(number, kernels[number]) for number in vector], names, rest(others, frozenset(names)))  # type: ignore[misc]


class Columns:
    """One framework's batch scorer (see the module's docstring)."""

    def __init__(self, compiled: CompiledFramework, np: Any, kernels: list[tuple[int, Kernel]], names: list[str], rest: Callable[..., tuple[Any, ...]]) -> None:
        framework = compiled.framework
        self.compiled = compiled
        self.framework = framework
        self.np = np
        self.kernels = kernels
        self.names = names
        self.rest = rest
        leaves = list(framework.leaves())
        self.count = len(leaves)
        self.vector_ids = frozenset(leaves[number].id for number, _ in kernels)
        self.statuses = [leaves[number].rule.quick_status for number, _ in kernels]
        vector = {number: slot for slot, (number, _) in enumerate(kernels)}
        self.order = [vector.get(number) for number in range(self.count)]  # a slot in the columns, or None: a rest leaf
        self.getter = operator.itemgetter(*names)
        rounding = framework.rounding
        self.places, self.value_places = rounding.places, rounding.value_places
        mismatch = framework.scored and framework.form is None and framework.leaf_weight != framework.total
        self.weight_flag = Flag("weight_mismatch", (), f"各指标分值合计 {fmt(framework.leaf_weight)} 分，框架总分为 {fmt(framework.total)} 分") if mismatch else None

    def evaluate(self, units: list[UnitData]) -> list[Evaluation]:
        results: list[Evaluation] = []
        for start in range(0, len(units), CHUNK):
            results.extend(self._chunk(units[start : start + CHUNK]))
        return results

    def _chunk(self, units: list[UnitData]) -> list[Evaluation]:
        np, getter, vector_ids = self.np, self.getter, self.vector_ids
        plain: list[int] = []
        rows: list[Any] = []
        for index, data in enumerate(units):
            entries = data.entries
            if data.questions or data.checks or (entries and not vectorless(entries, vector_ids)):
                continue
            try:
                row = getter(data.inputs)
            except KeyError:
                continue
            plain.append(index)
            rows.append(row)
        results: list[Evaluation | None] = [None] * len(units)
        if plain:
            self._columns(units, plain, rows, results)
        compiled = self.compiled
        return [result if result is not None else compiled._evaluate(units[index]) for index, result in enumerate(results)]

    def _columns(self, units: list[UnitData], plain: list[int], rows: list[Any], results: list[Evaluation | None]) -> None:
        np, width = self.np, len(self.names)
        try:
            flat = itertools.chain.from_iterable(rows) if width > 1 else rows
            table = np.fromiter(map(float, flat), dtype=float, count=len(rows) * width).reshape(len(rows), width)
        except (TypeError, ValueError, OverflowError):
            return  # a value that is not a number: every unit the per-unit way, which reports it
        columns = {name: (table[:, j], np.abs(table[:, j]) * U) for j, name in enumerate(self.names)}
        env = Env(np, len(rows), columns)
        scores = np.zeros((len(self.kernels), len(rows)), dtype=np.int64)
        values = np.zeros((len(self.kernels), len(rows)), dtype=np.int64)
        for slot, (_number, run) in enumerate(self.kernels):
            scores[slot], values[slot] = run(env)
        bad = env.bad.tolist()
        totals = scores.sum(axis=0).tolist()
        batch = (scores, values)
        for row, index in enumerate(plain):
            if bad[row]:
                continue
            try:
                results[index] = self._unit(units[index], batch, row, totals[row])
            except NotPlain:
                continue

    def _unit(self, data: UnitData, batch: tuple[Any, Any], row: int, total: int) -> Evaluation:
        """One unit whose column leaves all scored: its other leaves, then what `conclude` adds for a
        unit with nothing to report."""
        framework = self.framework
        flags: list[Flag] = []
        if data.encoding is not None or data.conversions:
            from ._evaluate import opening_flags

            opening_flags(framework, data, flags)
        rest, rest_total, _acc, selfs, present = self.rest(data.inputs, data.entries, data.questions, data, flags, _not_plain)
        if not present:
            raise NotPlain  # a required input missing: the per-unit way flags it
        raw_total = Decimal(total).scaleb(-self.places, CONTEXT) + rest_total
        records = DeferredRecords(self.count, functools.partial(self._records, batch, row, rest))
        if self.weight_flag is not None:
            flags.append(self.weight_flag)
        self_total = sum(selfs, ZERO) if selfs else None
        if data.self_total is not None and self_total is not None and data.self_total != self_total:
            flags.append(Flag("self_total_mismatch", (), f"填报的自评总分为 {fmt(data.self_total)} 分，而各项自评得分合计为 {fmt(self_total)} 分"))
        if data.year is not None and data.year != framework.year:
            flags.append(Flag("year_mismatch", (), f"数据年度为 {data.year} 年，评价框架 {framework.id} 适用于 {framework.year} 年"))
        ungraded = None if self.weight_flag is None else "分值合计不符"
        grade = framework.grade_for(raw_total) if ungraded is None else None
        if grade is not None and data.stated_grade is not None:
            band = next(b for b in framework.grades if b.name == grade)
            if not band.called(data.stated_grade):
                limits = "，".join(f"{b.name} ≥ {fmt(b.min)}" for b in framework.grades if b.min > 0)
                flags.append(Flag("stated_grade_mismatch", (), f"文件所写等级为“{data.stated_grade}”，按框架等级标准（{limits}）总分 {fmt(raw_total)} 分应为“{grade}”"))
        return Evaluation(
            framework=framework,
            data=data,
            total=raw_total,
            max=framework.total,
            grade=grade,
            complete=True,
            flags=tuple(flags),
            self_total=self_total,
            stated_self_total=data.self_total,
            raw_total=raw_total,
            leaf_records=records,
            build_tree=functools.partial(result_tree, framework, data, records),
            ungraded=ungraded,
            readings=(),
        )

    def _records(self, batch: tuple[Any, Any], row: int, rest: tuple[LeafRecord, ...]) -> tuple[LeafRecord, ...]:
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


def vectorless(entries: Any, vector_ids: frozenset[str]) -> bool:
    """Whether no entry concerns a leaf scored in columns (those are scored with nothing entered)."""
    return vector_ids.isdisjoint(entries)


def _not_plain(*_args: object) -> LeafRecord:
    raise NotPlain
