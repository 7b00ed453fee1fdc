"""The compiled scorer gives exactly the reference evaluation: every score, status, flag, trace,
total and grade, for every shipped framework, on generated units across each input's domain
(bounds, half-cent ties, bare percent fractions read two ways, missing inputs, every kind of entry),
on every bundled example, and for many units at once (`evaluate_many`)."""

from __future__ import annotations

import ast
import functools
import gc
import marshal
import pickle
import random
import sys
from array import array
from decimal import Decimal
from pathlib import Path
from types import CodeType
from typing import Any

import attrs
import pytest
from attrs import evolve, frozen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalcore import Evaluation, Framework, IndicatorEntry, LeafResult, LoadContext, Outcome, Rule, ScoringContext, Table, get_registry, load_data, loads_data, loads_framework
from evalcore.engine import compile_framework, evaluate, evaluate_many
from evalcore.engine._scorer_code import _check as check_generated
from evalcore.load import data_from_mapping, read_data_file
from evalcore.model import CompiledForm, DeferredRecords, evaluations
from evalcore.testing import evaluation_differences

from .conftest import EXAMPLES
from .helpers import staff_framework
from .strategies import column_units, compiled_units

REGISTRY = get_registry()
IDS = sorted(REGISTRY.entries)
# Project target forms are scored the reference way (their indicators are made from each unit's
# form): their examples below and tests/test_target_forms.py cover them.
COMPILED = [i for i in IDS if REGISTRY.framework(i).form is None]
EXACT = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _units import framework_text, unit_text  # noqa: E402

BENCHMARK = loads_framework(framework_text(), name="benchmark.toml")


def assert_same(compiled: Evaluation, reference: Evaluation) -> None:
    differences = evaluation_differences(compiled, reference)
    assert not differences, "\n".join(differences)
    assert compiled == reference
    assert compiled.flags == reference.flags


def framework_of(framework_id: str) -> Framework:
    return BENCHMARK if framework_id == "benchmark" else REGISTRY.framework(framework_id)


@pytest.mark.parametrize("framework_id", [*COMPILED, "benchmark"])
@EXACT
@given(data=st.data())
def test_compiled_equals_reference(framework_id: str, data: st.DataObject) -> None:
    framework = framework_of(framework_id)
    unit = data.draw(compiled_units(framework))
    assert_same(evaluate(framework, unit), evaluate(framework, unit, reference=True))


@pytest.mark.parametrize("framework_id", [*COMPILED, "benchmark"])
@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_many_units_at_once_equal_the_reference(framework_id: str, data: st.DataObject) -> None:
    framework = framework_of(framework_id)
    units = data.draw(st.lists(compiled_units(framework), min_size=1, max_size=12))
    for compiled, unit in zip(evaluate_many(framework, units), units, strict=True):
        assert_same(compiled, evaluate(framework, unit, reference=True))


@pytest.mark.parametrize("typical", [False, True], ids=["domains", "typical"])
@pytest.mark.parametrize("framework_id", [*COMPILED, "benchmark"])
@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_batch_scored_in_columns_equals_the_reference(framework_id: str, typical: bool, data: st.DataObject) -> None:
    framework = framework_of(framework_id)
    units = data.draw(st.lists(column_units(framework, typical), min_size=1, max_size=25))
    for compiled, unit in zip(evaluate_many(framework, units), units, strict=True):
        reference = evaluate(framework, unit, reference=True)
        assert_same(compiled, reference)
        # The very Decimals, exponent and sign included: 3.00 is not 3, nor -0.00 0.00.
        assert [str(x) for record in compiled.leaf_records for x in _figures(record)] == [str(x) for record in reference.leaf_records for x in _figures(record)]
        assert (str(compiled.total), str(compiled.raw_total)) == (str(reference.total), str(reference.raw_total))


def _figures(record: Any) -> tuple[Any, ...]:
    return (record.status, record.score, record.value) if isinstance(record, LeafResult) else record


ROUNDINGS = [("half-up", 2, 2), ("half-even", 2, 2), ("down", 1, 3), ("up", 0, 1), ("half-up", 3, 0)]


@functools.cache
def rounded_framework(mode: str, places: int, value_places: int) -> Framework:
    rounding = f'rounding = {{ places = {places}, mode = "{mode}", value_places = {value_places} }}'
    return loads_framework(framework_text().replace("total = 100\n", f"total = 100\n{rounding}\n", 1), name="rounded.toml")


@pytest.mark.parametrize(("mode", "places", "value_places"), ROUNDINGS)
@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_rounding_rule_is_kept_in_columns_and_per_unit(mode: str, places: int, value_places: int, data: st.DataObject) -> None:
    framework = rounded_framework(mode, places, value_places)
    assert framework.rounding.mode == mode and compile_framework(framework).columns is not None
    units = data.draw(st.lists(column_units(framework, data.draw(st.booleans())), min_size=1, max_size=20))
    for batched, unit in zip(evaluate_many(framework, units), units, strict=True):
        reference = evaluate(framework, unit, reference=True)
        assert_same(batched, reference)
        assert_same(evaluate(framework, unit), reference)
        assert [str(x) for record in batched.leaf_records for x in _figures(record)] == [str(x) for record in reference.leaf_records for x in _figures(record)]


def test_the_benchmark_framework_is_scored_in_columns() -> None:
    columns = compile_framework(BENCHMARK).columns
    assert columns is not None and len(columns.plan.numbers) == 27  # every leaf with a formula


def tie_unit(**inputs: str) -> dict[str, Any]:
    given = {f"输入{i}": str(i + 1) for i in range(40)} | inputs
    entries = {"指标27": {"checkpoints": [True, False]}, "指标28": {"checkpoints": [True, True]}, "指标29": {"score": "10", "reason": "测试"}}
    return {"framework": BENCHMARK.id, "inputs": given, "indicators": entries}


@pytest.mark.parametrize(
    ("inputs", "leaf", "value"),
    [
        # 24.69 / 200 × 100 = 12.345 exactly: a half-cent tie, 四舍五入 to 12.35.
        ({"输入0": "24.69", "输入10": "200"}, "指标0", "12.35"),
        # 1 / 8 × 100 = 12.5 and 1 / 16 × 100 = 6.25: exact, no rounding.
        ({"输入0": "1", "输入10": "8"}, "指标0", "12.50"),
        # 0.01 / 3 × 100 = 0.3333…: far from any tie.
        ({"输入0": "0.01", "输入10": "3"}, "指标0", "0.33"),
        # (1.01 - 1) / 1 × 100 = 1.00 exactly after a subtraction.
        ({"输入30": "1.01", "输入33": "1"}, "指标20", "1.00"),
    ],
)
def test_ties_and_exact_values_in_columns_are_the_reference_s(inputs: dict[str, str], leaf: str, value: str) -> None:
    unit = tie_unit(**inputs)
    (batched,) = evaluate_many(BENCHMARK, [unit])
    reference = evaluate(BENCHMARK, unit, reference=True)
    assert isinstance(batched.leaf_records, DeferredRecords)  # scored in columns, not handed on
    assert str(batched.leaf(leaf).value) == str(reference.leaf(leaf).value) == value
    assert_same(batched, reference)


def test_without_numpy_a_batch_is_scored_unit_by_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("evalcore.engine._batch._numpy", lambda: None)
    framework = loads_framework(framework_text(), name="benchmark.toml")
    assert compile_framework(framework).columns is None
    units = [tie_unit(**{"输入0": "24.69", "输入10": "200"}), tie_unit()]
    for compiled, unit in zip(evaluate_many(framework, units), units, strict=True):
        assert not isinstance(compiled.leaf_records, DeferredRecords)
        assert_same(compiled, evaluate(framework, unit, reference=True))


def test_a_batch_leaves_the_garbage_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    evaluate_many(BENCHMARK, [tie_unit()])
    assert gc.isenabled()
    gc.disable()
    try:
        evaluate_many(BENCHMARK, [tie_unit()])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_deferred_records_read_compare_and_pickle_as_their_tuple() -> None:
    (batched,) = evaluate_many(BENCHMARK, [tie_unit()])
    records = batched.leaf_records
    assert isinstance(records, DeferredRecords) and len(records) == 30
    plain = tuple(records)
    assert records == plain and records[0] == plain[0] and list(records) == list(plain)
    copied = pickle.loads(pickle.dumps(records))
    assert type(copied) is tuple and copied == plain
    assert [leaf.trace for leaf in batched.leaves()] == [leaf.trace for leaf in evaluate(BENCHMARK, tie_unit(), reference=True).leaves()]


def test_a_batch_makes_each_evaluation_as_its_constructor_would() -> None:
    # A batch's evaluations are made field by field (model.evaluations): each must be the object
    # Evaluation(...) makes from the same values, read, compared and printed alike, and frozen.
    units = [tie_unit(), tie_unit(**{"输入0": "24.69", "输入10": "200"}), tie_unit(**{"输入3": "150"})]
    for made, unit in zip(evaluate_many(BENCHMARK, units), units, strict=True):
        assert isinstance(made.leaf_records, DeferredRecords)  # made by the batch, not handed on
        values = {f.name: getattr(made, f.name) for f in attrs.fields(Evaluation) if f.init}
        again = Evaluation(**values)
        assert made == again and again == made and repr(made) == repr(again)
        assert made.children is made.children  # the tree is built once, then kept
        reference = evaluate(BENCHMARK, unit, reference=True)
        assert_same(made, reference)
        assert [leaf.trace for leaf in made.leaves()] == [leaf.trace for leaf in reference.leaves()]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            made.total = Decimal(0)  # type: ignore[misc]


def test_a_batch_reads_its_figures_whatever_order_each_unit_gives_them() -> None:
    # Units whose inputs come in one order are read from their packed rows at once; a batch that
    # mixes orders, or lacks an input, reads each figure by name: the same scores either way.
    plain = tie_unit(**{"输入0": "24.69", "输入10": "200", "输入5": "0.07"})
    backwards = dict(plain, inputs=dict(reversed(list(plain["inputs"].items()))))
    lacking = dict(plain, inputs={k: v for k, v in plain["inputs"].items() if k != "输入12"})
    units = [data_from_mapping(unit, BENCHMARK) for unit in (plain, backwards, lacking)]
    assert units[0].float_names != units[1].float_names and units[0].float_row != units[1].float_row
    same, mixed, short = evaluate_many(BENCHMARK, units[:1] * 3), evaluate_many(BENCHMARK, units), evaluate_many(BENCHMARK, [units[2], units[0]])
    reference = evaluate(BENCHMARK, units[0], reference=True)
    for batched in [*same, *mixed[:2], short[1]]:
        assert isinstance(batched.leaf_records, DeferredRecords)
        assert_same(batched, reference)
    for lacks in (mixed[2], short[0]):
        assert_same(lacks, evaluate(BENCHMARK, units[2], reference=True))
        assert lacks.leaf("指标2").status == "missing"


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_packed_rows_make_the_table_the_figures_by_name_make(data: st.DataObject) -> None:
    np = pytest.importorskip("numpy")
    units = [data_from_mapping(unit, BENCHMARK) for unit in data.draw(st.lists(column_units(BENCHMARK, True), min_size=1, max_size=10))]
    columns = compile_framework(BENCHMARK).columns
    assert columns is not None
    plain = list(range(len(units)))
    table, kept = columns._table(units, plain)
    assert kept == plain and all(unit.float_names is units[0].float_names for unit in units)  # read from the rows
    by_name = np.array([[unit.floats[name] for unit in units] for name in columns.names], dtype=float)
    assert table.shape == by_name.shape and np.array_equal(table, by_name)


def test_evaluations_need_every_field() -> None:
    with pytest.raises(TypeError, match="raw_total"):
        evaluations(1, {"framework": [BENCHMARK]})


def test_unit_data_keep_their_inputs_as_the_nearest_floats() -> None:
    data = data_from_mapping(tie_unit(**{"输入0": "24.69"}), BENCHMARK)
    assert data.floats["输入0"] == 24.69 and len(data.floats) == 40
    changed = evolve(data, inputs={**data.inputs, "输入0": Decimal("0.1")})
    assert changed.floats["输入0"] == 0.1  # made again with the data, never left behind
    assert array("d", changed.float_row)[changed.float_names.index("输入0")] == 0.1
    travelled = pickle.loads(pickle.dumps(changed))  # as a batch's workers send them
    assert travelled.float_row == changed.float_row and travelled.float_names is changed.float_names is data.float_names


@pytest.mark.parametrize(
    "source",
    [
        "def score(I):\n    import os\n",
        "def score(I):\n    return I.__class__\n",
        "def score(I):\n    return I.mro\n",
        "def score(I, x):\n    return I[x]\n",
        "def score(I):\n    for x in I:\n        pass\n",
        "def score(I):\n    return __import__\n",
        "def score(I):\n    return lambda: 1\n",
        "def score(I):\n    return 1\ndef other(I):\n    return 2\n",
        "@abs\ndef score(I):\n    return 1\n",
        "def score(I):\n    return I.get(1)[abs(1)]\n",
    ],
)
def test_the_generated_scorer_is_checked_like_the_sandbox(source: str) -> None:
    with pytest.raises(ValueError, match="compiled scorer"):
        check_generated(ast.parse(source))


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.toml")), ids=lambda p: p.name)
def test_every_example_scores_as_the_reference(path: Path) -> None:
    framework = REGISTRY.framework(read_data_file(path).framework_id)
    data = load_data(path, framework)
    assert_same(evaluate(framework, data), evaluate(framework, data, reference=True))


def test_every_leaf_of_the_shipped_frameworks_is_compiled() -> None:
    for framework_id in IDS:
        compiled = compile_framework(REGISTRY.framework(framework_id))
        assert compiled.uncompiled == (), (framework_id, compiled.uncompiled)
        assert compiled.reference_only == (REGISTRY.framework(framework_id).form is not None)


def test_the_scorer_is_compiled_once_and_shared_by_equal_frameworks() -> None:
    first = compile_framework(BENCHMARK)
    assert compile_framework(BENCHMARK) is first
    again = loads_framework(framework_text(), name="benchmark.toml")
    assert compile_framework(again) is not first and compile_framework(again).digest == first.digest


def _scored_both_ways(framework: Framework) -> None:
    rng = random.Random(7)
    for _ in range(20):
        data = loads_data(unit_text(rng), framework)
        assert_same(evaluate(framework, data), evaluate(framework, data, reference=True))


def test_a_large_scorer_checked_once_is_kept_for_the_next_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from evalcore.engine import _scorer_code as _codegen

    monkeypatch.setenv("EVALCORE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(_codegen, "_CODES", {})
    _scored_both_ways(loads_framework(framework_text(), name="benchmark.toml"))
    kept = sorted((tmp_path / "scorers").iterdir())
    assert len(kept) == 1 and kept[0].name.endswith(sys.implementation.cache_tag)
    # Another process: nothing in memory, and the kept code is used without parsing the source.
    framework = loads_framework(framework_text(), name="benchmark.toml")
    monkeypatch.setattr(_codegen, "_CODES", {})
    monkeypatch.setattr(_codegen, "_check", lambda tree, loop=False: pytest.fail("checked again"))
    _scored_both_ways(framework)


def test_a_damaged_kept_scorer_is_compiled_and_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from evalcore.engine import _scorer_code as _codegen

    monkeypatch.setenv("EVALCORE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(_codegen, "_CODES", {})
    compile_framework(loads_framework(framework_text(), name="benchmark.toml"))
    (kept,) = (tmp_path / "scorers").iterdir()
    kept.write_bytes(b"not marshalled code")
    checked: list[bool] = []
    check = _codegen._check
    monkeypatch.setattr(_codegen, "_check", lambda tree, loop=False: checked.append(loop) or check(tree, loop))
    monkeypatch.setattr(_codegen, "_CODES", {})
    _scored_both_ways(loads_framework(framework_text(), name="benchmark.toml"))
    assert checked == [False]
    assert isinstance(marshal.loads(kept.read_bytes()), CodeType)  # replaced by the code compiled again


def test_a_small_scorer_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from evalcore.engine import _scorer_code as _codegen

    monkeypatch.setenv("EVALCORE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(_codegen, "_CODES", {})
    compiled = compile_framework(loads_framework(staff_framework(), name="staff.toml"))
    assert compiled.source and len(compiled.source) < _codegen._STORED_FROM
    assert not (tmp_path / "scorers").exists()


# A plugin's kind with a compiled form, one with a quick scorer only and one with neither.


@frozen
class Capped(Rule):
    kind = "capped"
    title = "封顶计分"

    per: Decimal

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        per = table.decimal("per", "每单位得分")
        assert per is not None
        return cls(per)

    def score(self, ctx: ScoringContext) -> Outcome:
        assert ctx.value is not None
        points = min(ctx.weight, ctx.value * self.per) if ctx.value > 0 else Decimal(0)
        return Outcome(points, (f"{ctx.value} × {self.per}",))

    def describe(self, weight: Decimal, unit: str | None) -> str:
        return "封顶"


@frozen
class CompiledCapped(Capped):
    kind = "capped-compiled"

    def compiled_form(self) -> CompiledForm | None:
        return CompiledForm("min(weight, value * per) if value > 0 else 0", {"per": self.per})


@frozen
class QuickCapped(Capped):
    kind = "capped-quick"

    def quick(self, weight: Decimal, value: Decimal | None, inputs: Any, entry: IndicatorEntry) -> Decimal | None:
        return None if value is None else (min(weight, value * self.per) if value > 0 else Decimal(0))


PLUGIN_KINDS = {cls.kind: cls for cls in (Capped, CompiledCapped, QuickCapped)}


def plugin_framework(kind: str) -> Framework:
    text = framework_text().replace('kind = "proportional"', f'kind = "{kind}"\nper = 0.03')
    return loads_framework(text, name="plugin.toml", rule_kinds={**REGISTRY.rule_kinds, **PLUGIN_KINDS})


@pytest.mark.parametrize("kind", sorted(PLUGIN_KINDS))
@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_plugin_kind_scores_as_the_reference_however_it_is_compiled(kind: str, data: st.DataObject) -> None:
    framework = plugin_framework(kind)
    compiled = compile_framework(framework)
    assert bool(compiled.uncompiled) == (kind == "capped"), compiled.uncompiled
    unit = data.draw(compiled_units(framework))
    assert_same(evaluate(framework, unit), evaluate(framework, unit, reference=True))


def test_a_compiled_form_is_inlined_and_checked_like_a_formula() -> None:
    source = compile_framework(plugin_framework("capped-compiled")).source
    assert "min(" not in source and "per" not in source  # inlined, the constant bound by name
