"""The plugin manager and the registry of what plugins contribute.

Plugins are found through the ``evalcore`` entry-point group and loaded one by one: a plugin that
fails to import, to register or to answer a hook is recorded with its error and the others work.
The core's own defaults are registered the same way as any plugin.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import field

from ..load import Resolver, load_toml, parse_framework, read_framework
from ..model import (
    EvalcoreError,
    Evaluation,
    FormatOptions,
    Formatter,
    Framework,
    Location,
    PluginError,
    Rule,
    RulesetError,
    define,
    did_you_mean,
    display_path,
    format_label,
    framework_id_problem,
    frozen,
    reraise_interrupt,
)
from ..outputs import TEXT_SUFFIXES
from ._cache import RegistryCache, registry_cache
from ._checks import formatter_problem, path_problem, result_problem, rule_kind_problem, shown
from ._manager import describe_failure, plugin_manager

__all__ = ["FrameworkEntry", "PluginInfo", "Registry", "get_registry", "load_framework", "loads_framework"]


@frozen
class PluginInfo:
    """A plugin as `evalcore plugins` shows it."""

    name: str
    version: str | None
    module: str
    rule_kinds: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()
    formatters: tuple[str, ...] = ()  # names
    errors: tuple[str, ...] = ()
    # The frameworks each of its formats is made for, by name; absent for general formats.
    formatter_frameworks: Mapping[str, tuple[str, ...]] = field(factory=dict)
    # Not used at all: a hook of it failed or returned something unusable (see errors).
    skipped: bool = False

    @property
    def formatter_labels(self) -> tuple[str, ...]:
        """The format names as `evalcore plugins` lists them, with the frameworks they are made for."""
        return tuple(format_label(name, self.formatter_frameworks.get(name, ())) for name in self.formatters)


@frozen
class FrameworkEntry:
    """A framework file found through a plugin, indexed by id and compiled on first use."""

    id: str
    title: str
    region: str
    kind: str
    year: int | None
    source: str | None
    path: Path
    plugin: str


@define
class Registry:
    """What the loaded plugins contribute, collected once per process."""

    rule_kinds: dict[str, type[Rule]] = field(factory=dict)
    formatters: dict[str, Formatter] = field(factory=dict)  # the general formats, by name
    framework_formatters: list[Formatter] = field(factory=list)  # formats made for some frameworks
    entries: dict[str, FrameworkEntry] = field(factory=dict)
    plugins: list[PluginInfo] = field(factory=list)
    errors: list[str] = field(factory=list)
    _compiled: dict[str, Framework] = field(factory=dict)
    _formatter_plugins: dict[int, str] = field(factory=dict)  # id(formatter) -> the plugin that registered it

    @classmethod
    def build(cls, entry_points: bool = True, extra: Iterable[tuple[str, object]] = ()) -> Registry:
        """Load the plugins and collect what each contributes.

        Each is kept apart from the others: a plugin that fails to import, or whose hook raises or
        returns anything but a list, is reported and skipped whole; an item of a hook's list that
        is not what the hook promises (a rule kind, a formatter, a ruleset path with a valid
        framework id) is reported and left out, the rest of that plugin is used.
        """
        # The installed plugins and their rulesets' heads are kept between runs (_cache).
        cache = registry_cache() if entry_points else None
        pm, found, load_errors = plugin_manager(entry_points, extra, cache)
        registry = cls()
        per_plugin: dict[str, dict[str, list[str]]] = {name: {"kinds": [], "frameworks": [], "formatters": [], "errors": []} for name, _, _ in found}
        for name, error in load_errors:
            per_plugin.setdefault(name, {"kinds": [], "frameworks": [], "formatters": [], "errors": []})["errors"].append(error)
            registry.errors.append(f"插件 {name}：{error}")

        # Every hook of every plugin is called first: a plugin with one failing hook contributes nothing.
        answers: dict[str, list[tuple[str, list[Any]]]] = {hook_name: [] for hook_name in _HOOKS}
        skipped: set[str] = set()
        for hook_name in _HOOKS:
            for impl in getattr(pm.hook, hook_name).get_hookimpls():
                plugin = impl.plugin_name
                try:
                    with contextlib.redirect_stdout(sys.stderr):  # stdout carries the result
                        result = impl.function()
                    problem = result_problem(result)
                    if problem is None:
                        answers[hook_name].append((plugin, list(result)))
                except BaseException as exc:  # noqa: BLE001 - isolate each plugin; Ctrl-C still stops
                    reraise_interrupt(exc)
                    problem = f"出错：{describe_failure(exc)}"
                if problem is not None:
                    registry._plugin_error(per_plugin, plugin, f"{hook_name} {problem}；该插件未启用")
                    skipped.add(plugin)

        def items(hook_name: str) -> list[tuple[str, Any]]:
            return [(plugin, item) for plugin, answer in answers[hook_name] for item in answer]

        for plugin, kind in items("evalcore_rule_kinds"):
            problem = _checked(rule_kind_problem, kind)
            if problem is not None:
                registry._plugin_error(per_plugin, plugin, problem)
            elif plugin in skipped:
                continue
            elif kind.kind in registry.rule_kinds:
                registry._plugin_error(per_plugin, plugin, f"规则类型“{kind.kind}”已由其他插件注册，已忽略")
            else:
                registry.rule_kinds[kind.kind] = kind
                per_plugin[plugin]["kinds"].append(kind.kind)
        claims: dict[str, dict[str, tuple[str, ...]]] = {}
        for plugin, formatter in items("evalcore_formatters"):
            problem = _checked(formatter_problem, formatter)
            if problem is not None:
                registry._plugin_error(per_plugin, plugin, problem)
            elif plugin in skipped:
                continue
            elif plugin != "evalcore" and formatter.name in TEXT_SUFFIXES.values():
                # The text formats are evalcore's contract with scripts (json has a schema): a
                # plugin adds formats under its own names, it does not replace these.
                registry._plugin_error(per_plugin, plugin, f"输出格式“{formatter.name}”是 evalcore 的标准格式，插件不能替换；请另取名称，已忽略")
            elif any(formatter.overlaps(other) for other in [*registry.formatters.values(), *registry.framework_formatters]):
                registry._plugin_error(per_plugin, plugin, f"输出格式“{formatter.label}”已由其他插件注册，已忽略")
            else:
                if formatter.frameworks:
                    registry.framework_formatters.append(formatter)
                else:
                    registry.formatters[formatter.name] = formatter
                registry._formatter_plugins[id(formatter)] = plugin
                per_plugin[plugin]["formatters"].append(formatter.name)
                if formatter.frameworks:
                    claims.setdefault(plugin, {})[formatter.name] = formatter.frameworks
        for plugin, raw in items("evalcore_frameworks"):
            problem = _checked(path_problem, raw)
            if problem is not None:
                registry._plugin_error(per_plugin, plugin, problem)
                continue
            if plugin in skipped:
                continue  # its paths are not read: they may be anything, even "/"
            for path in _expand([raw]):
                try:
                    entry = _index(path, plugin, cache)
                except EvalcoreError as exc:
                    registry._plugin_error(per_plugin, plugin, str(exc))
                    continue
                except Exception as exc:  # noqa: BLE001 - a file that breaks the reader must not break every command
                    registry._plugin_error(per_plugin, plugin, f"{display_path(path)}: 无法读取：{type(exc).__name__}: {exc}")
                    continue
                if entry.id in registry.entries:
                    other = registry.entries[entry.id]
                    registry._plugin_error(per_plugin, plugin, f"框架编号“{entry.id}”重复：{display_path(path)} 与 {display_path(other.path)}，已忽略前者")
                    continue
                registry.entries[entry.id] = entry
                per_plugin[plugin]["frameworks"].append(entry.id)
        versions = {name: (version, module) for name, version, module in found}
        skipped.update(name for name in versions if not pm.has_plugin(name))  # failed to import, or refused
        for name, parts in per_plugin.items():
            version, module = versions.get(name, (None, "?"))
            registry.plugins.append(
                PluginInfo(
                    name, version, module, tuple(parts["kinds"]), tuple(parts["frameworks"]), tuple(parts["formatters"]), tuple(parts["errors"]), claims.get(name, {}), name in skipped
                )
            )
        if cache is not None:
            cache.save()
        return registry

    def formatter_plugin(self, formatter: Formatter) -> str:
        """The plugin that registered a format."""
        return self._formatter_plugins.get(id(formatter), "?")

    def render(self, formatter: Formatter, evaluation: Evaluation, options: FormatOptions) -> str | bytes:
        """`formatter.render`, with a plugin's failure told as its own (PluginError naming the plugin
        and the format), not as an internal error of evalcore."""
        plugin = self.formatter_plugin(formatter)
        try:
            with contextlib.redirect_stdout(sys.stderr):  # stdout carries the result
                payload = formatter.render(evaluation, options)
        except EvalcoreError:
            raise
        except BaseException as exc:
            reraise_interrupt(exc)
            if plugin == "evalcore":
                raise  # evalcore's own format: a bug, reported as an internal error
            raise self._format_fault(formatter, evaluation, describe_failure(exc)) from None
        if not isinstance(payload, bytes if formatter.binary else str):
            raise self._format_fault(formatter, evaluation, f"返回了 {type(payload).__name__}，应为{'bytes' if formatter.binary else '文字（str）'}")
        return payload

    def unfilled(self, formatter: Formatter, evaluation: Evaluation) -> tuple[str, ...]:
        """The parts of the document the unit still has to write (`formatter.unfilled`), with a
        plugin's failure told as its own, as `render` does."""
        if formatter.unfilled is None:
            return ()
        plugin = self.formatter_plugin(formatter)
        try:
            parts = formatter.unfilled(evaluation)
        except EvalcoreError:
            raise
        except Exception as exc:
            if plugin == "evalcore":
                raise
            raise self._format_fault(formatter, evaluation, f"{type(exc).__name__}: {exc}") from None
        if isinstance(parts, str) or not all(isinstance(part, str) for part in parts):
            raise self._format_fault(formatter, evaluation, "列出的待填写部分应为文字的列表")
        return tuple(parts)

    def _format_fault(self, formatter: Formatter, evaluation: Evaluation, what: str) -> PluginError:
        plugin = self.formatter_plugin(formatter)
        return PluginError(
            f"插件 {plugin} 的输出格式“{formatter.name}”出错：{what}",
            Location(file=evaluation.data.path) if evaluation.data.path else None,
            hint=f"这是插件的缺陷，计分结果本身不受影响：可换用其他输出格式（如 --format json），并把此信息报告给插件 {plugin} 的维护者",
        )

    def format_names(self) -> list[str]:
        """Every format name `--format` accepts, in registration order."""
        return list(dict.fromkeys(name for plugin in self.plugins for name in plugin.formatters))

    def unknown_format(self, name: str) -> str:
        """The message for a format name nobody registered, with the closest names."""
        names = self.format_names()
        close = did_you_mean(name, names)
        return f"没有名为“{name}”的输出格式；{close + '可用：' if close else '可用：'}{'、'.join(names)}"

    def formatter(self, name: str, framework: Framework | None = None) -> Formatter | None:
        """The format `name` for a framework: the one made most closely for it, else the general
        one; without a framework, the general one (or, failing that, any of that name)."""
        named = [f for f in (self.formatters.get(name), *self.framework_formatters) if f is not None and f.name == name]
        if framework is None:
            return self.formatters.get(name) or next(iter(named), None)
        ranked = [(f.closeness(framework.id), f) for f in named]
        best = max(ranked, key=lambda pair: pair[0], default=None)
        return best[1] if best is not None and best[0] >= 0 else None

    def formatter_for_suffix(self, suffix: str, framework: Framework, stem: str = "") -> Formatter | None:
        """The format a file's name asks for, for a framework: the general text format for .json,
        .md, .csv and .txt; otherwise, among the formats with that suffix, the one whose document
        the name mentions (鹤城-问题清单.xlsx), else the closest claim (among equal claims, the one
        named for the suffix: xlsx before sichuan-xlsx). None when no format writes such files for
        the framework."""
        suffix = suffix.lower()
        if suffix in TEXT_SUFFIXES:
            return self.formatter(TEXT_SUFFIXES[suffix], framework)
        found = [f for f in (*self.formatters.values(), *self.framework_formatters) if f.suffix.lower() == suffix and f.closeness(framework.id) >= 0]
        named = [f for f in found if f.document and f.document in stem]
        if named:
            # The document the name starts with ("评分表（含问题清单）" is a 评分表), and of two
            # starting there the longer word ("绩效自评表" before "自评表").
            first = min(stem.index(f.document or "") for f in named)
            named = [f for f in named if stem.index(f.document or "") == first]
            found = [f for f in named if len(f.document or "") == max(len(g.document or "") for g in named)]
        return max(found, key=lambda f: (f.closeness(framework.id), f.name == suffix.lstrip(".")), default=None)

    def document_mismatch(self, chosen: Formatter, framework: Framework, stem: str) -> str | None:
        """When a file name names a document that its extension does not give (问题清单.docx,
        自评报告.xlsx): what it names, what the extension gives and the name to use instead."""
        if not chosen.document or chosen.document in stem:
            return None  # a text format (评分表.json) is the evaluation in that form, whatever its name
        usable = [f for f in (*self.formatters.values(), *self.framework_formatters) if f.document and f.closeness(framework.id) >= 0]
        named = [f for f in usable if f.document and f.document in stem and f.suffix.lower() != chosen.suffix.lower()]
        if not named:
            return None
        wanted = max(named, key=lambda f: len(f.document or ""))
        gives = f"{chosen.suffix} 文件是{chosen.document}"
        return f"文件名写的是“{wanted.document}”，而 {gives}；要{wanted.document}请用 -o {stem}{wanted.suffix}"

    def outputs_sentence(self, framework: Framework) -> str:
        """Which file each extension of -o gives for the framework, and the other format names:
        the officer asks for 评分表.xlsx without knowing what a province calls its workbook."""
        by_suffix = []
        for suffix in self.output_suffixes():
            found = self.formatter_for_suffix(suffix, framework)
            if found is not None and found.binary:
                by_suffix.append(f"-o 结果{suffix} 为{found.title}")
        others = [name for name in self.format_names() if self.formatter(name, framework) is not None]
        return "；".join([*by_suffix, f"可用格式：{'、'.join(others)}"])

    def output_suffixes(self) -> list[str]:
        """Every extension from which `formatter_for_suffix` may pick a format."""
        made = (f.suffix.lower() for f in (*self.formatters.values(), *self.framework_formatters) if f.binary)
        return list(dict.fromkeys([*made, *TEXT_SUFFIXES]))

    def _plugin_error(self, per_plugin: dict[str, dict[str, list[str]]], plugin: str, message: str) -> None:
        per_plugin[plugin]["errors"].append(message)
        self.errors.append(f"插件 {plugin}：{message}")

    def framework(self, framework_id: str) -> Framework:
        """The compiled framework; RulesetError if unknown or if its file does not load."""
        if framework_id in self._compiled:
            return self._compiled[framework_id]
        entry = self.entries.get(framework_id)
        if entry is None:
            known = "、".join(sorted(self.entries)) or "（无）"
            close = did_you_mean(framework_id, self.entries)
            hint = f"{close}用 evalcore frameworks 查看全部框架" if close else "用 evalcore frameworks 查看，或安装提供该框架的插件"
            raise RulesetError(f"没有编号为“{framework_id}”的评价框架；已安装的框架：{known}", hint=hint)
        framework = read_framework(entry.path, self.rule_kinds, self._resolve)
        self._compiled[framework_id] = framework
        return framework

    def find(self, name: str | Path) -> Framework:
        """A framework named the way users name one on the command line: an id, or a ruleset file."""
        path = Path(name)
        return self.load_path(path) if path.suffix.lower() == ".toml" else self.framework(str(name))

    def add(self, framework: Framework) -> None:
        """Make a framework loaded from a file (not yet installed) available by its id."""
        self._compiled[framework.id] = framework

    def load_path(self, path: str | Path) -> Framework:
        """A framework from a ruleset file, read with the registered rule kinds; it may extend an
        installed framework."""
        return read_framework(path, self.rule_kinds, self._resolve)

    def _resolve(self, framework_id: str) -> Path:
        entry = self.entries.get(framework_id)
        if entry is None:
            raise KeyError(framework_id)
        return entry.path

    def all_frameworks(self) -> tuple[list[Framework], list[EvalcoreError]]:
        loaded, failed = [], []
        for framework_id in sorted(self.entries):
            try:
                loaded.append(self.framework(framework_id))
            except EvalcoreError as exc:
                failed.append(exc)
        return loaded, failed


_HOOKS = ("evalcore_rule_kinds", "evalcore_formatters", "evalcore_frameworks")


def _checked(check: Callable[[Any], str | None], item: object) -> str | None:
    """A check of a plugin's item, which may fail on an object that misbehaves when inspected."""
    try:
        return check(item)
    except Exception as exc:  # noqa: BLE001 - the object is the plugin's
        return f"{shown(item)} 无法使用：{type(exc).__name__}: {exc}"


def _expand(paths: Sequence[Path | str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(str(raw))
        if path.is_dir():
            out.extend(sorted(path.rglob("*.toml")))
        else:
            out.append(path)
    return out


def _index(path: Path, plugin: str, cache: RegistryCache | None = None) -> FrameworkEntry:
    """A framework file's entry, from its [framework] head (kept in `cache` for the unchanged file)."""
    fields = cache.head(path) if cache is not None else None
    if fields is None:
        fields = _head(path)
        if cache is not None:
            cache.keep_head(path, fields)
    return FrameworkEntry(
        id=str(fields["id"]),
        title=str(fields["title"]),
        region=str(fields["region"]),
        kind=str(fields["kind"]),
        year=fields["year"] if isinstance(fields["year"], int) else None,
        source=str(fields["source"]) if fields["source"] is not None else None,
        path=path,
        plugin=plugin,
    )


def _head(path: Path) -> dict[str, Any]:
    data, source = load_toml(path, RulesetError)
    head = data.get("framework")
    if not isinstance(head, dict) or not isinstance(head.get("id"), str):
        raise RulesetError("缺少 [framework] 表或其中的 id", Location(file=source.name))
    problem = framework_id_problem(head["id"])
    if problem is not None:
        raise RulesetError(problem, Location(file=source.name, line=source.line_of(("framework", "id")), key="framework.id"))
    year = head.get("year")
    return {
        "id": head["id"],
        "title": str(head.get("title", "")),
        "region": str(head.get("region", "")),
        "kind": str(head.get("kind", "")),
        "year": year if isinstance(year, int) else None,
        "source": str(head["source"]) if "source" in head else None,
    }


_REGISTRY: Registry | None = None


def get_registry() -> Registry:
    """The process-wide registry, built on first use."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = Registry.build()
    return _REGISTRY


def load_framework(path: str | Path, rule_kinds: Mapping[str, type[Rule]] | None = None, resolve: Resolver | None = None) -> Framework:
    """Read, validate and compile the framework in `path`; RulesetError on any problem.

    By default it reads with the rule kinds every installed plugin registers and finds the
    frameworks it `extends` among the installed ones.
    """
    registry = get_registry()
    return read_framework(path, registry.rule_kinds if rule_kinds is None else rule_kinds, registry._resolve if resolve is None else resolve)


def loads_framework(text: str, rule_kinds: Mapping[str, type[Rule]] | None = None, name: str | None = None, resolve: Resolver | None = None) -> Framework:
    """`load_framework` for ruleset text; `name` stands for the file in messages."""
    registry = get_registry()
    return parse_framework(text, registry.rule_kinds if rule_kinds is None else rule_kinds, name, registry._resolve if resolve is None else resolve)
