"""The plugin manager: the core's defaults and every plugin of the ``evalcore`` entry-point group,
each loaded on its own so that one that fails to import, or asks for another plugin API version, is
reported and the others work."""

from __future__ import annotations

import contextlib
import functools
import importlib
import re
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import pluggy

from ..model import reraise_interrupt
from . import _builtin, _hookspecs
from ._hookspecs import API_VERSION

if TYPE_CHECKING:
    from ._cache import RegistryCache

__all__ = ["CORE_DISTRIBUTION", "ENTRY_POINT_GROUP", "api_refusal", "core_version", "describe_failure", "plugin_manager"]

ENTRY_POINT_GROUP = "evalcore"
# The core's distribution on the package index; the import package is evalcore. ("evalcore" itself
# is another project's name there.)
CORE_DISTRIBUTION = "jixiao-evalcore"


def api_refusal(plugin: object, cache: RegistryCache | None = None) -> str | None:
    """Why a plugin cannot be used with this plugin API version, or None when it can.

    A plugin states the versions it works with as ``EVALCORE_API = ">=1.0,<2"`` in its module; one
    that states none is taken to work with this one. A range once judged is judged again from the
    `cache`, without importing packaging.
    """
    declared = getattr(plugin, "EVALCORE_API", None)
    if declared is None:
        return None
    accepted = cache.api_accepts(str(declared), API_VERSION) if cache is not None else None
    if accepted is None:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            accepted = API_VERSION in SpecifierSet(str(declared))
        except InvalidSpecifier:
            return f"EVALCORE_API = {declared!r} 不是版本范围（应写成 \">=1.0,<2\" 这样）"
        if cache is not None:
            cache.keep_api_verdict(str(declared), API_VERSION, accepted)
    if accepted:
        return None
    return f"插件要求 evalcore 插件接口版本 {declared}，本机 evalcore 的插件接口版本为 {API_VERSION}；请安装与之相配的插件或 evalcore 版本"


def plugin_manager(
    entry_points: bool = True, extra: Iterable[tuple[str, object]] = (), cache: RegistryCache | None = None
) -> tuple[pluggy.PluginManager, list[tuple[str, str | None, str]], list[tuple[str, str]]]:
    """A manager with the core defaults, every installed plugin, and `extra` (name, plugin) pairs;
    an extra plugin given as an entry point is loaded as an installed one would be.

    Returns the manager, (name, version, module) of each plugin, loaded or not, and (plugin, error)
    for failures. A plugin whose import fails, even by calling sys.exit(), is such a failure and is
    not registered; Ctrl-C still stops. With a `cache`, the installed distributions are scanned for
    entry points only when the import paths changed since the last scan.
    """
    pm = pluggy.PluginManager(_hookspecs.PROJECT)
    pm.add_hookspecs(_hookspecs)
    pm.register(_builtin, name="evalcore")
    installed = _installed(cache) if entry_points else None
    core = installed[1] if installed is not None else core_version()
    found: list[tuple[str, str | None, str]] = [("evalcore", core, _builtin.__name__)]
    errors: list[tuple[str, str]] = []
    candidates: list[tuple[str, Callable[[], object], str | None, str]] = []
    for name, value, version in installed[0] if installed is not None else []:
        candidates.append((name, functools.partial(_load, value), version, value))
    for name, module in extra:
        import importlib.metadata

        if isinstance(module, importlib.metadata.EntryPoint):
            candidates.append(_entry_point(name, module))
        else:
            candidates.append((name, _constant(module), None, getattr(module, "__name__", name)))
    for name, load, version, where in candidates:
        if pm.has_plugin(name):
            errors.append((name, f"插件名称“{name}”重复，已忽略后注册的 {where}"))
            continue
        try:
            # What a plugin prints goes to stderr: stdout carries the result (run --format json).
            with contextlib.redirect_stdout(sys.stderr):
                plugin = load()
            refused = api_refusal(plugin, cache)
            if refused is None:
                pm.register(plugin, name=name)
        except BaseException as exc:  # noqa: BLE001 - one broken plugin must not break the rest
            reraise_interrupt(exc)
            refused = f"无法加载插件 {where}：{describe_failure(exc)}"
        found.append((name, version, where))
        if refused is not None:
            errors.append((name, refused))
    return pm, found, errors


def _installed(cache: RegistryCache | None) -> tuple[list[tuple[str, str, str | None]], str | None]:
    """(name, value, distribution version) of each installed entry point of the group, and the core's version."""
    if cache is not None:
        items = cache.entry_points()
        known, core = cache.core_version()
        if items is not None and known:
            return items, core
    import importlib.metadata

    items = []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        items.append((ep.name, ep.value, dist.version if dist is not None else None))
    core = core_version()
    if cache is not None:
        cache.keep_entry_points(items, core)
    return items, core


# An entry point's value, as importlib.metadata reads it: module, attributes, extras.
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


def _load(value: str) -> object:
    """What an entry point names, loaded as EntryPoint.load does."""
    match = _VALUE.match(value)
    if match is None:
        raise ValueError(f"入口点“{value}”的写法无法识别")
    module = importlib.import_module(match.group("module"))
    return functools.reduce(getattr, filter(None, (match.group("attr") or "").split(".")), module)


def _entry_point(name: str, ep: importlib.metadata.EntryPoint) -> tuple[str, Callable[[], object], str | None, str]:
    dist = getattr(ep, "dist", None)
    return (name, ep.load, dist.version if dist is not None else None, ep.value)


def describe_failure(exc: BaseException) -> str:
    """An exception in words; sys.exit() in a plugin says so, as it carries no message of its own."""
    if isinstance(exc, SystemExit):
        return f"插件调用了 sys.exit({'' if exc.code is None else repr(exc.code)})"
    return f"{type(exc).__name__}: {exc}"


def _constant(value: object) -> Callable[[], object]:
    return lambda: value


def core_version() -> str | None:
    """The installed core's version, None when it runs from a source tree not installed."""
    import importlib.metadata

    try:
        return importlib.metadata.version(CORE_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None


