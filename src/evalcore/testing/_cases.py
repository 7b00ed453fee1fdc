"""Case files: a unit's data, the expected evaluation, and where the expected numbers come from.

    framework = "hunan.taojiang.dept.2021"  # an installed id, or a ruleset file: "../variant.toml"
    name = "document"                       # optional; default: the file name
    data = "../../../examples/hunan/taojiang-dept-2021.toml"   # or an inline [data] table
    source = "桃江县 附件2 …（自评得分列）"     # the document, page or table of the numbers
    tolerance = 0                            # optional, in points

    [expect]
    total = 97
    complete = false
    grade = "优"                             # optional
    flags = ["self_total_mismatch"]          # kinds that must be present
    absent_flags = ["rule_defect"]           # kinds that must not be present

    [expect.indicators]
    "在职人员控制率" = { score = 1, status = "scored", value = 100 }
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..engine import evaluate
from ..load import data_from_mapping, load_data, load_toml
from ..model import DataError, EvalcoreError, Evaluation, Table, display_path, fmt, frozen, to_decimal
from ..plugin import Registry, get_registry

__all__ = ["Case", "CaseResult", "load_case", "run_case"]

CASE_KEYS = ["framework", "name", "data", "source", "url", "tolerance", "expect", "note"]


@frozen
class Case:
    path: Path
    name: str
    framework: str
    source: str
    data_path: Path | None
    data: Mapping[str, Any] | None
    tolerance: Decimal
    expect: Mapping[str, Any]
    line: int | None = None
    framework_path: Path | None = None  # set when `framework` names a ruleset file, not an id

    @property
    def id(self) -> str:
        return f"{self.framework}::{self.name}"


@frozen
class CaseResult:
    case: Case
    evaluation: Evaluation | None
    problems: tuple[str, ...]  # one line each, Chinese

    @property
    def passed(self) -> bool:
        return not self.problems

    def report(self) -> str:
        """The per-indicator differences, as a reviewer reads them."""
        head = f"{self.case.id}（{display_path(self.case.path)}；出处：{self.case.source}）"
        return "\n".join([head] + [f"  {line}" for line in self.problems])


def load_case(path: Path) -> Case:
    raw, source = load_toml(path, DataError)
    table = Table(raw, source, (), "", DataError)
    table.check_keys(CASE_KEYS)
    framework = table.string("framework", "评价框架编号")
    origin = table.string("source", "预期数字的出处（文件、页码或表格）")
    assert framework is not None and origin is not None
    framework_path = None
    if Path(framework).suffix.lower() == ".toml":
        framework_path = (path.parent / framework).resolve()
        if not framework_path.is_file():
            raise table.error(f"找不到规则文件 {display_path(framework_path)}（相对于用例文件所在目录）", "framework", hint="framework 写已安装框架的编号，或规则文件（.toml）相对于用例文件的路径")
    if not origin.strip():
        raise table.error("source 不能为空：请写明预期数字来自哪份文件、哪张表", "source")
    data_path = None
    inline = None
    value = table.raw("data")
    if isinstance(value, str):
        data_path = (path.parent / value).resolve()
    elif isinstance(value, Mapping):
        inline = dict(value)
    else:
        raise table.error("data 应为数据文件的相对路径，或内嵌的 [data] 表", "data")
    expect = table.table("expect", "预期结果 [expect]")
    assert expect is not None
    expect.check_keys(["total", "complete", "grade", "flags", "absent_flags", "indicators", "self_total", "scored"])
    return Case(
        path=path,
        name=table.string("name", "用例名称", required=False) or path.stem,
        framework=framework,
        source=origin,
        data_path=data_path,
        data=inline,
        tolerance=table.decimal("tolerance", "允许误差（分）", required=False, default=Decimal(0)) or Decimal(0),
        expect=dict(expect.data),
        framework_path=framework_path,
    )


def run_case(case: Case, registry: Registry | None = None) -> CaseResult:
    registry = registry or get_registry()
    try:
        framework = registry.framework(case.framework) if case.framework_path is None else registry.load_path(case.framework_path)
        if case.data_path is not None:
            data = load_data(case.data_path, framework)
        else:
            assert case.data is not None
            data = data_from_mapping({"framework": framework.id, **case.data}, framework, path=case.path)
        evaluation = evaluate(framework, data)
    except EvalcoreError as exc:
        return CaseResult(case, None, (f"无法计分：{exc}",))
    return CaseResult(case, evaluation, tuple(_compare(case, evaluation)))


def _number(value: Any) -> Decimal | None:
    return None if value is None else to_decimal(value)


def _close(actual: Decimal | None, expected: Decimal | None, tolerance: Decimal) -> bool:
    if actual is None or expected is None:
        return actual is expected
    return abs(actual - expected) <= tolerance


def _compare(case: Case, evaluation: Evaluation) -> list[str]:
    expect = case.expect
    problems: list[str] = []
    tolerance = case.tolerance
    if "total" in expect and not _close(evaluation.total, _number(expect["total"]), tolerance):
        problems.append(f"总分：预期 {fmt(_number(expect['total']))}，实际 {fmt(evaluation.total)}")
    if "self_total" in expect and not _close(evaluation.self_total, _number(expect["self_total"]), Decimal(0)):
        problems.append(f"自评得分合计：预期 {expect['self_total']}，实际 {fmt(evaluation.self_total)}")
    for key, word, actual in (("complete", "是否完整", evaluation.complete), ("grade", "等级", evaluation.grade), ("scored", "是否计分", evaluation.framework.scored)):
        if key in expect and expect[key] != actual:
            problems.append(f"{word}：预期 {expect[key]!r}，实际 {actual!r}")
    kinds = {flag.kind for flag in evaluation.flags}
    for kind in expect.get("flags", []):
        if kind not in kinds:
            problems.append(f"应有问题“{kind}”，实际没有（实际：{'、'.join(sorted(kinds)) or '无'}）")
    for kind in expect.get("absent_flags", []):
        if kind in kinds:
            messages = "；".join(f.message for f in evaluation.flags if f.kind == kind)
            problems.append(f"不应有问题“{kind}”，实际有：{messages}")
    indicators = expect.get("indicators", {})
    rows = []
    for key, wanted in indicators.items():
        try:
            leaf = evaluation.leaf(key)
        except KeyError:
            problems.append(f"指标“{key}”在框架中不存在")
            continue
        if not isinstance(wanted, Mapping):
            wanted = {"score": wanted}
        differences = []
        if "score" in wanted and not _close(leaf.score, _number(wanted["score"]), tolerance):
            differences.append(f"得分 预期 {fmt(_number(wanted['score']))} 实际 {fmt(leaf.score)}")
        if "status" in wanted and wanted["status"] != leaf.status:
            differences.append(f"状态 预期 {wanted['status']} 实际 {leaf.status}")
        if "value" in wanted and not _close(leaf.value, _number(wanted["value"]), Decimal(0)):
            differences.append(f"测算值 预期 {fmt(_number(wanted['value']))} 实际 {fmt(leaf.value)}")
        if differences:
            rows.append(f"{'/'.join(leaf.path)}：{'；'.join(differences)}；计分依据：{leaf.reason}")
    problems.extend(rows)
    return problems


