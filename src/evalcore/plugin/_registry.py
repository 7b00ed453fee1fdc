"""The plugin manager and the registry of what plugins contribute.

Plugins are found through the ``evalcore`` entry-point group and loaded one by one: a plugin that
fails to import, to register or to answer a hook is recorded with its error and the others work.
The core's own defaults are registered the same way as any plugin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import define, field, frozen

from ..load import Resolver, load_toml, parse_framework, read_framework
from ..model import EvalcoreError, Formatter, Framework, Location, Rule, RulesetError, display_path, format_label
from ..outputs import TEXT_SUFFIXES
from ._manager import plugin_manager

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

    @classmethod
    def build(cls, entry_points: bool = True, extra: Iterable[tuple[str, object]] = ()) -> Registry:
        pm, found, load_errors = plugin_manager(entry_points, extra)
        registry = cls()
        per_plugin: dict[str, dict[str, list[str]]] = {name: {"kinds": [], "frameworks": [], "formatters": [], "errors": []} for name, _, _ in found}
        for name, error in load_errors:
            per_plugin.setdefault(name, {"kinds": [], "frameworks": [], "formatters": [], "errors": []})["errors"].append(error)
            registry.errors.append(f"插件 {name}：{error}")

        def call(hook_name: str) -> list[tuple[str, Any]]:
            results = []
            hook = getattr(pm.hook, hook_name)
            for impl in hook.get_hookimpls():
                try:
                    results.append((impl.plugin_name, impl.function()))
                except Exception as exc:  # noqa: BLE001 - isolate each plugin
                    message = f"{hook_name} 出错：{type(exc).__name__}: {exc}"
                    per_plugin[impl.plugin_name]["errors"].append(message)
                    registry.errors.append(f"插件 {impl.plugin_name}：{message}")
            return results

        for plugin, kinds in call("evalcore_rule_kinds"):
            for kind in kinds or ():
                if not (isinstance(kind, type) and issubclass(kind, Rule) and kind.kind):
                    registry._plugin_error(per_plugin, plugin, f"{kind!r} 不是规则类型（应继承 evalcore.Rule 并设置 kind）")
                elif kind.kind in registry.rule_kinds:
                    registry._plugin_error(per_plugin, plugin, f"规则类型“{kind.kind}”已由其他插件注册，已忽略")
                else:
                    registry.rule_kinds[kind.kind] = kind
                    per_plugin[plugin]["kinds"].append(kind.kind)
        claims: dict[str, dict[str, tuple[str, ...]]] = {}
        for plugin, formatters in call("evalcore_formatters"):
            for formatter in formatters or ():
                if not isinstance(formatter, Formatter):
                    registry._plugin_error(per_plugin, plugin, f"{formatter!r} 不是 evalcore.Formatter")
                elif any(formatter.overlaps(other) for other in [*registry.formatters.values(), *registry.framework_formatters]):
                    registry._plugin_error(per_plugin, plugin, f"输出格式“{formatter.label}”已由其他插件注册，已忽略")
                else:
                    if formatter.frameworks:
                        registry.framework_formatters.append(formatter)
                    else:
                        registry.formatters[formatter.name] = formatter
                    per_plugin[plugin]["formatters"].append(formatter.name)
                    if formatter.frameworks:
                        claims.setdefault(plugin, {})[formatter.name] = formatter.frameworks
        for plugin, paths in call("evalcore_frameworks"):
            for path in _expand(paths or ()):
                try:
                    entry = _index(path, plugin)
                except EvalcoreError as exc:
                    registry._plugin_error(per_plugin, plugin, str(exc))
                    continue
                if entry.id in registry.entries:
                    other = registry.entries[entry.id]
                    registry._plugin_error(per_plugin, plugin, f"框架编号“{entry.id}”重复：{display_path(path)} 与 {display_path(other.path)}，已忽略前者")
                    continue
                registry.entries[entry.id] = entry
                per_plugin[plugin]["frameworks"].append(entry.id)
        versions = {name: (version, module) for name, version, module in found}
        for name, parts in per_plugin.items():
            version, module = versions.get(name, (None, "?"))
            registry.plugins.append(
                PluginInfo(name, version, module, tuple(parts["kinds"]), tuple(parts["frameworks"]), tuple(parts["formatters"]), tuple(parts["errors"]), claims.get(name, {}))
            )
        return registry

    def format_names(self) -> list[str]:
        """Every format name `--format` accepts, in registration order."""
        return list(dict.fromkeys(name for plugin in self.plugins for name in plugin.formatters))

    def formatter(self, name: str, framework: Framework | None = None) -> Formatter | None:
        """The format `name` for a framework: the one made most closely for it, else the general
        one; without a framework, the general one (or, failing that, any of that name)."""
        named = [f for f in (self.formatters.get(name), *self.framework_formatters) if f is not None and f.name == name]
        if framework is None:
            return self.formatters.get(name) or next(iter(named), None)
        ranked = [(f.closeness(framework.id), f) for f in named]
        best = max(ranked, key=lambda pair: pair[0], default=None)
        return best[1] if best is not None and best[0] >= 0 else None

    def formatter_for_suffix(self, suffix: str, framework: Framework) -> Formatter | None:
        """The format a file's extension asks for, for a framework: the general text format for
        .json, .md, .csv and .txt; otherwise the closest claim among the formats with that suffix
        (among equal claims, the one named for the suffix: xlsx before sichuan-xlsx). None when
        no format writes such files for the framework."""
        suffix = suffix.lower()
        if suffix in TEXT_SUFFIXES:
            return self.formatter(TEXT_SUFFIXES[suffix], framework)
        found = [f for f in (*self.formatters.values(), *self.framework_formatters) if f.suffix.lower() == suffix and f.closeness(framework.id) >= 0]
        return max(found, key=lambda f: (f.closeness(framework.id), f.name == suffix.lstrip(".")), default=None)

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
            raise RulesetError(f"没有编号为“{framework_id}”的评价框架；已安装的框架：{known}", hint="用 evalcore frameworks 查看，或安装提供该框架的插件")
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


def _expand(paths: Sequence[Path | str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(str(raw))
        if path.is_dir():
            out.extend(sorted(path.rglob("*.toml")))
        else:
            out.append(path)
    return out


def _index(path: Path, plugin: str) -> FrameworkEntry:
    data, source = load_toml(path, RulesetError)
    head = data.get("framework")
    if not isinstance(head, dict) or not isinstance(head.get("id"), str):
        raise RulesetError("缺少 [framework] 表或其中的 id", Location(file=source.name))
    year = head.get("year")
    return FrameworkEntry(
        id=head["id"],
        title=str(head.get("title", "")),
        region=str(head.get("region", "")),
        kind=str(head.get("kind", "")),
        year=year if isinstance(year, int) else None,
        source=str(head["source"]) if "source" in head else None,
        path=path,
        plugin=plugin,
    )


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
