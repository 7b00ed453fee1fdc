"""Plugins are trusted code, but a fault in one is kept to it: every way a plugin can fail (the
evalcore-faulty distribution of tests/corpus/plugins) is reported with the plugin's name, and the
other plugins, every command and the rest of each unit keep working."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import types
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pytest
from attrs import frozen

from evalcore import (
    Evaluation,
    FormatOptions,
    Formatter,
    LoadContext,
    Outcome,
    Registry,
    Rule,
    RulesetError,
    ScoringContext,
    Table,
    evaluate,
    hookimpl,
    load_data,
)
from evalcore.checker import check_framework
from evalcore.engine import evaluate_in_full
from evalcore.model import PluginError

from .conftest import EXAMPLES, ROOT
from .helpers import framework_text, write
from .test_cli import run as run_without_them

CORPUS = ROOT / "tests" / "corpus" / "plugins"
SITE = CORPUS / "site"
UNIT = CORPUS / "unit.toml"
DISTRIBUTION = importlib.metadata.PathDistribution(SITE / "evalcore_faulty-0.1.dist-info")
ENTRY_POINTS = {ep.name: ep for ep in DISTRIBUTION.entry_points}


# Plugins that fail when imported are loaded from their entry points, as installed ones are; the
# others are handed over as their modules.
IMPORT_FAULTS = ("faulty-import", "faulty-exit")


def _plugin(name: str) -> object:
    entry_point = ENTRY_POINTS[name]
    return entry_point if name in IMPORT_FAULTS else importlib.import_module(entry_point.value)


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(SITE))


@pytest.fixture
def faulty(site: None) -> Registry:
    """The core and every evalcore-faulty plugin at once."""
    return Registry.build(entry_points=False, extra=[(name, _plugin(name)) for name in ENTRY_POINTS])


def _info(registry: Registry, name: str) -> Any:
    return next(p for p in registry.plugins if p.name == name)


# Each plugin: whether it is left out whole, and what its error says.
FAULTS = [
    ("faulty-import", True, "RuntimeError: evalcore_faulty.import_error 导入时出错"),
    ("faulty-exit", True, "无法加载插件 evalcore_faulty.exits：插件调用了 sys.exit()"),
    ("faulty-five", True, "evalcore_rule_kinds 返回了 5（int），应返回列表"),
    ("faulty-string", True, "evalcore_frameworks 返回了一个字符串 'rulesets'，应返回列表"),
    ("faulty-nonpath", False, "5 不是路径"),
    ("faulty-raises", True, "evalcore_formatters 出错：RuntimeError: evalcore_faulty.raises 的钩子出错"),
    ("faulty-traversal", False, "框架编号 '../../../x' 不合要求"),
]


def test_the_corpus_has_a_plugin_for_every_fault() -> None:
    assert set(ENTRY_POINTS) == {name for name, _, _ in FAULTS} | {"faulty-rule", "faulty-outcome", "faulty-format"}


@pytest.mark.parametrize("name, skipped, message", FAULTS, ids=[name for name, _, _ in FAULTS])
def test_a_faulty_plugin_is_listed_with_its_error(site: None, name: str, skipped: bool, message: str) -> None:
    registry = Registry.build(entry_points=False, extra=[(name, _plugin(name))])
    info = _info(registry, name)
    assert any(message in error for error in info.errors), info.errors
    assert info.skipped is skipped
    assert any(error.startswith(f"插件 {name}：") and message in error for error in registry.errors)
    if skipped:
        assert (info.frameworks, info.rule_kinds, info.formatters) == ((), (), ())
    # The core beside it is whole.
    assert len(registry.rule_kinds) == 8 and "national.project-targets.2020" in registry.entries


def test_the_other_plugins_keep_their_contributions(faulty: Registry) -> None:
    # The core, and the good parts of plugins whose faults are items of a list.
    assert {"deduct", "judgment", "broken"} <= set(faulty.rule_kinds)
    assert {"table", "json", "faulty-md"} <= set(faulty.format_names())
    assert {"national.project-targets.2020", "faulty.nonpath.2024", "faulty.rule.2024"} <= set(faulty.entries)
    # A plugin skipped whole contributes nothing, not even its good framework.
    assert "faulty.raises.2024" not in faulty.entries
    # A framework whose id is a path is not installed under any name.
    assert not any("x" == entry_id or "/" in entry_id for entry_id in faulty.entries)
    assert faulty.framework("faulty.nonpath.2024").id == "faulty.nonpath.2024"


def test_ctrl_c_while_a_plugin_is_imported_still_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(SITE))
    interrupt = importlib.metadata.EntryPoint(name="faulty-interrupt", value="evalcore_faulty.interrupt", group="evalcore")
    with pytest.raises(KeyboardInterrupt):
        Registry.build(entry_points=False, extra=[("faulty-interrupt", interrupt)])


def _module(name: str, **hooks: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    for key, value in hooks.items():
        setattr(module, key, value)
    return module


def test_a_hook_that_exits_or_is_interrupted() -> None:
    @hookimpl
    def evalcore_frameworks() -> Sequence[Path]:
        raise SystemExit(2)

    registry = Registry.build(entry_points=False, extra=[("exits", _module("exits_plugin", evalcore_frameworks=evalcore_frameworks))])
    assert _info(registry, "exits").skipped
    assert "evalcore_frameworks 出错：插件调用了 sys.exit(2)" in "\n".join(registry.errors)

    @hookimpl(specname="evalcore_frameworks")
    def interrupted() -> Sequence[Path]:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Registry.build(entry_points=False, extra=[("ctrl-c", _module("ctrl_c_plugin", evalcore_frameworks=interrupted))])


@frozen
class _Named(Rule):
    kind: ClassVar[str] = "../x"
    title: ClassVar[str] = "坏名字"


def _render(evaluation: Evaluation, options: FormatOptions) -> str:
    return ""


@pytest.mark.parametrize(
    "hook, result, message",
    [
        ("evalcore_rule_kinds", None, "返回了 None，应返回列表（是否漏写了 return？）"),
        ("evalcore_rule_kinds", {"a": 1}, "返回了 {'a': 1}（dict），应返回列表"),
        ("evalcore_rule_kinds", [_Named], "kind = '../x' 不是可用的规则类型名称"),
        ("evalcore_formatters", [Formatter("out", "输出", _render, suffix="/../../x")], "文件后缀 '/../../x' 不可用"),
        ("evalcore_formatters", [Formatter("../out", "输出", _render)], "输出格式名称 '../out' 不可用"),
        ("evalcore_frameworks", [Path("rulesets")], "路径 'rulesets' 不是绝对路径"),
        ("evalcore_frameworks", b"/", "返回了一个字符串 b'/'"),
    ],
    ids=["none", "dict", "kind-name", "suffix", "format-name", "relative-path", "bytes"],
)
def test_every_hook_result_is_checked_at_the_boundary(hook: str, result: object, message: str) -> None:
    def answer() -> object:
        return result

    registry = Registry.build(entry_points=False, extra=[("odd", _module("odd_plugin", **{hook: hookimpl(specname=hook)(answer)}))])
    assert message in "\n".join(_info(registry, "odd").errors)
    assert "odd" not in registry.format_names() and "../x" not in registry.rule_kinds


# -- a plugin's rule that fails when it scores --------------------------------------------------------


def test_a_failing_plugin_rule_is_an_error_of_that_indicator_naming_the_plugin(site: None) -> None:
    framework = Registry.build(entry_points=False, extra=[("faulty-rule", _plugin("faulty-rule"))]).framework("faulty.rule.2024")
    data = load_data(UNIT, framework)
    for evaluation in (evaluate(framework, data), evaluate_in_full(framework, data)):
        broken, other = evaluation.leaf("插件指标"), evaluation.leaf("完成率")
        assert broken.status == "error" and broken.score is None
        assert "指标“插件指标”的规则类型“broken”计分时出错（插件模块 evalcore_faulty.rule）：ZeroDivisionError" in broken.trace[-1]
        # The rest of the unit is scored; the total is marked incomplete, never silently short.
        assert other.status == "scored" and other.score == Decimal("1.9")
        assert not evaluation.complete and evaluation.grade is None
        assert any(f.kind == "rule_error" and "evalcore_faulty.rule" in f.message for f in evaluation.flags)


OUTCOME_UNIT = CORPUS / "outcome.toml"

# Each kind of evalcore_faulty.outcome whose score returns a malformed Outcome, and what is wrong with it.
MALFORMED = [
    ("nan", "返回的得分为 NaN，不是有限的数"),
    ("infinity", "返回的得分为 Infinity，不是有限的数"),
    ("text", "返回的得分为 '5'（str），应为 Decimal 或 None"),
    ("float", "返回的得分为 1.5（float），应为 Decimal 或 None"),
    ("over", "返回的得分为 9 分，超出该指标分值 0–2 分"),
    ("odd-value", "返回的测得值（value）为 '90'（str），应为有限的 Decimal 或 None"),
    ("odd-flag", "返回的问题类别 'no_such_kind' 不是 evalcore 的问题类别"),
]


def test_the_outcome_framework_has_an_indicator_for_every_malformed_outcome(site: None) -> None:
    framework = Registry.build(entry_points=False, extra=[("faulty-outcome", _plugin("faulty-outcome"))]).framework("faulty.outcome.2024")
    assert {leaf.name for leaf in framework.leaves()} == {kind for kind, _ in MALFORMED} | {"完成率", "quick-nan", "mute"}


def test_a_malformed_outcome_is_an_error_of_that_indicator_naming_the_plugin(site: None) -> None:
    framework = Registry.build(entry_points=False, extra=[("faulty-outcome", _plugin("faulty-outcome"))]).framework("faulty.outcome.2024")
    data = load_data(OUTCOME_UNIT, framework)
    for evaluation in (evaluate(framework, data), evaluate_in_full(framework, data)):
        for kind, problem in MALFORMED:
            leaf = evaluation.leaf(kind)
            expected = f"指标“{kind}”的规则类型“{kind}”（插件模块 evalcore_faulty.outcome）{problem}"
            assert (leaf.status, leaf.score) == ("error", None), kind
            assert leaf.trace[-1].startswith(expected) and leaf.trace[-1].endswith("这是插件的缺陷，请把此信息报告给插件的维护者"), leaf.trace
            assert [f.message for f in evaluation.flags if f.path == leaf.indicator.path and f.kind == "rule_error"] == [leaf.trace[-1]]
            assert not any(f.kind == "rule_defect" for f in evaluation.flags)
        # The rest is scored: the built-in kind (2 × 19/20), a kind whose quick scorer answers NaN
        # by its full score, a kind that only cannot describe itself.
        assert evaluation.leaf("完成率").score == Decimal("1.9")
        assert (evaluation.leaf("quick-nan").status, evaluation.leaf("quick-nan").score) == ("scored", Decimal(1))
        assert evaluation.leaf("mute").score == Decimal(1)
        assert evaluation.total == Decimal("3.9") and not evaluation.complete and evaluation.grade is None


def test_run_reports_each_malformed_outcome_and_goes_on() -> None:
    result = evalcore("run", str(OUTCOME_UNIT), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    errors = {flag["path"][-1]: flag["message"] for flag in document["flags"] if flag["kind"] == "rule_error"}
    assert set(errors) == {kind for kind, _ in MALFORMED}
    for kind, problem in MALFORMED:
        assert problem in errors[kind] and "evalcore_faulty.outcome" in errors[kind]
    table = evalcore("run", str(OUTCOME_UNIT))
    assert table.returncode == 0 and "内部错误" not in table.stderr, table.stderr
    assert "评价不完整：7 项指标未能计分" in table.stdout
    assert evalcore("run", "--strict", str(OUTCOME_UNIT)).returncode == 1


def test_a_rule_that_cannot_describe_itself_is_named_by_show_reference_and_check(tmp_path: Path) -> None:
    note = "（无法显示评分规则：规则类型“mute”说明评分规则时出错（插件模块 evalcore_faulty.outcome）：RuntimeError: 插件说明规则时的错误"
    show = evalcore("show", "faulty.outcome.2024")
    assert show.returncode == 0, show.stderr
    flat = "".join(show.stdout.split())
    assert "".join(note.split()) in flat and "返回odd-flag" in flat  # the rest is printed
    reference = evalcore("reference", "-o", str(tmp_path / "ref"))
    assert reference.returncode == 0, reference.stderr
    assert note in (tmp_path / "ref" / "faulty.outcome.2024.md").read_text(encoding="utf-8")
    template = evalcore("template", "faulty.outcome.2024", "-o", str(tmp_path / "t.toml"))
    assert template.returncode == 0 and note in (tmp_path / "t.toml").read_text(encoding="utf-8"), template.stderr
    check = evalcore("check", "faulty.outcome.2024")
    assert check.returncode == 1 and "没有发现问题" not in check.stdout
    assert "【错误·插件规则类型出错（plugin-rule）】" in check.stdout
    assert "规则类型“mute”说明评分规则时出错（插件模块evalcore_faulty.outcome）：RuntimeError" in "".join(check.stdout.split())


def test_a_plugin_rule_check_that_fails_is_a_finding(tmp_path: Path) -> None:
    @frozen
    class Checks(Rule):
        kind: ClassVar[str] = "checks"
        title: ClassVar[str] = "自查出错"
        needs_value: ClassVar[bool] = False

        @classmethod
        def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
            table.check_keys(["kind"])
            return cls()

        def describe(self, weight: Decimal, unit: str | None) -> str:
            return "自查"

        def check(self, leaf: object) -> list[object]:
            return [("warning", "own", "插件自己的发现"), "坏的发现"]

    @hookimpl
    def evalcore_rule_kinds() -> Sequence[type[Rule]]:
        return [Checks]

    registry = Registry.build(entry_points=False, extra=[("checks", _module("checks_plugin", evalcore_rule_kinds=evalcore_rule_kinds))])
    framework = registry.load_path(write(tmp_path, "f.toml", framework_text('\n[[indicator]]\npath = ["效果", "满意度"]\nweight = 2\n[indicator.rule]\nkind = "checks"\n')))
    findings = {(f.code, f.message) for f in check_framework(framework)}
    assert ("own", "插件自己的发现") in findings
    assert any(code == "plugin-rule" and "的 check 给出 '坏的发现'" in message and f"插件模块 {__name__}" in message for code, message in findings), findings


class _Fails(Rule):
    kind: ClassVar[str] = "fails-to-load"
    title: ClassVar[str] = "读取出错"
    needs_value: ClassVar[bool] = False

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        raise AttributeError("插件读取规则时的错误")

    def score(self, ctx: ScoringContext) -> Outcome:
        return Outcome(Decimal(0), ())


def test_a_plugin_rule_that_fails_to_read_its_table_is_a_located_ruleset_error(tmp_path: Path) -> None:
    @hookimpl
    def evalcore_rule_kinds() -> Sequence[type[Rule]]:
        return [_Fails]

    registry = Registry.build(entry_points=False, extra=[("fails", _module("fails_plugin", evalcore_rule_kinds=evalcore_rule_kinds))])
    path = write(tmp_path, "f.toml", framework_text('\n[[indicator]]\npath = ["效果", "满意度"]\nweight = 2\n[indicator.rule]\nkind = "fails-to-load"\n'))
    with pytest.raises(RulesetError) as info:
        registry.load_path(path)
    message = str(info.value)
    assert "f.toml:" in message and "规则类型“fails-to-load”读取评分规则时出错" in message
    assert f"插件模块 {__name__}" in message and "AttributeError" in message


# -- a plugin's format that fails when it renders ---------------------------------------------------


def test_a_failing_plugin_format_is_a_plugin_error_naming_plugin_and_format(site: None) -> None:
    faulty = Registry.build(entry_points=False, extra=[(name, _plugin(name)) for name in ("faulty-format", "faulty-nonpath")])
    framework = faulty.framework("faulty.nonpath.2024")
    evaluation = evaluate(framework, {"framework": framework.id})
    formatter = faulty.formatter("faulty-md", framework)
    assert formatter is not None
    with pytest.raises(PluginError) as info:
        faulty.render(formatter, evaluation, FormatOptions())
    assert "插件 faulty-format 的输出格式“faulty-md”出错：KeyError" in str(info.value)
    json_format = faulty.formatter("json", framework)
    assert json_format is not None and json.loads(faulty.render(json_format, evaluation, FormatOptions()))


# -- every command, with the faulty plugins installed -----------------------------------------------


def evalcore(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "EVALCORE_DEBUG")}
    environment["PYTHONPATH"] = os.pathsep.join([str(SITE), *filter(None, [os.environ.get("PYTHONPATH")])])
    return subprocess.run([sys.executable, "-m", "evalcore", *args], capture_output=True, text=True, cwd=cwd, env=environment, timeout=120)


def test_plugins_lists_each_broken_plugin_with_its_error() -> None:
    result = evalcore("plugins")
    assert result.returncode == 0, result.stderr
    blocks: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        if not line.startswith(" "):
            name = line.split(" ", 1)[0].split("（", 1)[0]
            blocks[name] = []
        blocks[name].append(line)
    for name, skipped, message in FAULTS:
        assert name in blocks, result.stdout
        assert message in "\n".join(blocks[name]), f"{name}:\n{result.stdout}"
        assert blocks[name][0].endswith("：未启用") is skipped
    listed = json.loads(evalcore("plugins", "--format", "json").stdout)
    assert {row["name"]: row["skipped"] for row in listed}["faulty-exit"] is True


def test_frameworks_run_and_batch_keep_working_beside_broken_plugins(tmp_path: Path) -> None:
    frameworks = evalcore("frameworks")
    assert frameworks.returncode == 0, frameworks.stderr
    assert "hunan.hecheng.dept.2020" in frameworks.stdout and "faulty.nonpath.2024" in frameworks.stdout
    assert "警告：插件 faulty-five：" in frameworks.stderr
    run = evalcore("run", str(EXAMPLES / "hunan" / "hecheng-dept-2020.toml"))
    assert run.returncode == 0, run.stderr
    assert run.stdout == run_without_them("run", str(EXAMPLES / "hunan" / "hecheng-dept-2020.toml")).stdout
    batch = evalcore("batch", str(EXAMPLES / "hunan"), "-o", str(tmp_path / "out"), "--format", "json")
    assert batch.returncode == 0, batch.stderr
    assert (tmp_path / "out" / "汇总.xlsx").is_file() and (tmp_path / "out" / "怀化市鹤城区社会保险服务中心.json").is_file()


def test_run_names_the_plugin_and_indicator_of_a_failing_rule() -> None:
    result = evalcore("run", str(UNIT))
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "插件指标" in text and "evalcore_faulty.rule" in text.replace(" ", "")
    assert evalcore("run", "--strict", str(UNIT)).returncode == 1


def test_a_failing_format_exits_3_naming_the_plugin_and_batch_writes_the_rest(tmp_path: Path) -> None:
    result = evalcore("run", str(EXAMPLES / "hunan" / "hecheng-dept-2020.toml"), "--format", "faulty-md")
    assert result.returncode == 3
    assert "插件 faulty-format 的输出格式“faulty-md”出错：KeyError" in result.stderr
    assert "内部错误" not in result.stderr
    out = tmp_path / "out"
    batch = evalcore("batch", str(EXAMPLES / "hunan"), str(UNIT), "-o", str(out), "--format", "json", "--format", "faulty-md")
    assert batch.returncode == 3, batch.stderr
    assert "无法写出：怀化市鹤城区社会保险服务中心.md：" in batch.stderr and "插件 faulty-format" in batch.stderr
    assert (out / "汇总.xlsx").is_file()
    assert len(list(out.glob("*.json"))) == len(list((EXAMPLES / "hunan").glob("*.toml"))) + 1 + 1  # and 汇总.json


def test_reference_writes_only_inside_its_folder(tmp_path: Path) -> None:
    # A framework id is a file name there: "../../../x" would have been written three levels up.
    inside = tmp_path / "a" / "b" / "c"
    result = evalcore("reference", "-o", str(inside))
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written and all(p.parts[:3] == ("a", "b", "c") for p in written), written
    assert not (tmp_path / "x.md").exists()


# -- what else a plugin can do: exit while reading a rule or writing, raise a BaseException of its
#    own, print, or claim a standard format -----------------------------------------------------


class _Boom(BaseException):
    """A plugin's own exception outside the Exception hierarchy."""


@frozen
class _ExitsReading(Rule):
    kind: ClassVar[str] = "exits-reading"
    title: ClassVar[str] = "读取时退出"
    needs_value: ClassVar[bool] = False

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        raise SystemExit(0)

    def score(self, ctx: ScoringContext) -> Outcome:
        return Outcome(Decimal(0), ())


def test_a_plugin_rule_that_exits_while_reading_its_table_is_a_located_ruleset_error(tmp_path: Path) -> None:
    @hookimpl
    def evalcore_rule_kinds() -> Sequence[type[Rule]]:
        return [_ExitsReading]

    registry = Registry.build(entry_points=False, extra=[("exits", _module("exits_plugin", evalcore_rule_kinds=evalcore_rule_kinds))])
    path = write(tmp_path, "f.toml", framework_text('\n[[indicator]]\npath = ["效果", "满意度"]\nweight = 2\n[indicator.rule]\nkind = "exits-reading"\n'))
    with pytest.raises(RulesetError) as info:
        registry.load_path(path)
    assert "规则类型“exits-reading”读取评分规则时调用了 sys.exit(0)" in str(info.value) and "f.toml:" in str(info.value)


@pytest.mark.parametrize("fault", [_Boom("自定义的 BaseException"), GeneratorExit("生成器退出")], ids=["base-exception", "generator-exit"])
def test_a_hook_raising_any_base_exception_is_the_plugins_fault(fault: BaseException) -> None:
    @hookimpl
    def evalcore_frameworks() -> Sequence[Path]:
        raise fault

    registry = Registry.build(entry_points=False, extra=[("odd", _module("odd_plugin", evalcore_frameworks=evalcore_frameworks))])
    assert any(error.startswith("插件 odd：") and type(fault).__name__ in error for error in registry.errors)
    assert "national.project-targets.2020" in registry.entries


def test_a_plugin_that_prints_or_exits_while_writing_does_not_touch_stdout(site: None, capsys: pytest.CaptureFixture[str]) -> None:
    printed: list[int] = []

    def chatty(evaluation: Evaluation, options: FormatOptions) -> str:
        print("插件的调试输出")
        printed.append(1)
        return "结果\n"

    def exits(evaluation: Evaluation, options: FormatOptions) -> str:
        raise SystemExit(0)

    @hookimpl
    def evalcore_formatters() -> Sequence[Formatter]:
        print("插件导入时的输出")
        return [Formatter("chatty", "会打印的格式", chatty, suffix=".txt"), Formatter("exits", "会退出的格式", exits, suffix=".txt")]

    registry = Registry.build(entry_points=False, extra=[("chatty", _module("chatty_plugin", evalcore_formatters=evalcore_formatters))])
    framework = registry.framework("national.project-targets.2020")  # the core's own, without the province plugins
    evaluation = evaluate(framework, load_data(EXAMPLES / "hunan" / "hecheng-targets-2020-baogan.toml", framework))
    chatty_format, exits_format = registry.formatter("chatty", framework), registry.formatter("exits", framework)
    assert chatty_format is not None and exits_format is not None
    assert registry.render(chatty_format, evaluation, FormatOptions()) == "结果\n" and printed
    with pytest.raises(PluginError) as info:
        registry.render(exits_format, evaluation, FormatOptions())
    assert "插件调用了 sys.exit(0)" in str(info.value)
    out, err = capsys.readouterr()
    assert out == "" and "插件导入时的输出" in err and "插件的调试输出" in err


@pytest.mark.parametrize("name", ["json", "csv", "md", "table"])
def test_a_plugin_cannot_replace_a_standard_text_format(name: str) -> None:
    @hookimpl
    def evalcore_formatters() -> Sequence[Formatter]:
        return [Formatter(name, "替换", lambda evaluation, options: "{}", suffix=".json", frameworks=("national.",))]

    registry = Registry.build(entry_points=False, extra=[("hijack", _module("hijack_plugin", evalcore_formatters=evalcore_formatters))])
    assert any(f"输出格式“{name}”是 evalcore 的标准格式，插件不能替换" in error for error in registry.errors)
    formatter = registry.formatter(name, registry.framework("national.project-targets.2020"))
    assert formatter is not None and registry.formatter_plugin(formatter) == "evalcore"


@frozen
class _Chatty(Rule):
    kind: ClassVar[str] = "chatty"
    title: ClassVar[str] = "会打印的规则"
    needs_value: ClassVar[bool] = False

    @classmethod
    def from_table(cls, table: Table, ctx: LoadContext) -> Rule:
        print("读取规则时的调试输出")
        return cls()

    def score(self, ctx: ScoringContext) -> Outcome:
        print("计分时的调试输出")
        return Outcome(Decimal(1), ("一分",))


def test_what_a_plugin_rule_prints_never_reaches_the_result_on_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from evalcore.cli._common import evaluate_file

    @hookimpl
    def evalcore_rule_kinds() -> Sequence[type[Rule]]:
        return [_Chatty]

    registry = Registry.build(entry_points=False, extra=[("chatty-rule", _module("chatty_rule", evalcore_rule_kinds=evalcore_rule_kinds))])
    framework_file = write(tmp_path, "f.toml", framework_text('\n[[indicator]]\npath = ["效果", "满意度"]\nweight = 2\n[indicator.rule]\nkind = "chatty"\n'))
    data = write(tmp_path, "d.toml", 'framework = "test.unit.2024"\n')
    monkeypatch.setattr("evalcore.cli._common.get_registry", lambda: registry)
    evaluation = evaluate_file(data, str(framework_file))
    assert evaluation.leaf("满意度").score == Decimal(1)
    out, err = capsys.readouterr()
    assert out == "" and "读取规则时的调试输出" in err and "计分时的调试输出" in err
