"""The plugin system: hook specifications, the plugin manager (the ``evalcore`` entry-point group,
each plugin loaded on its own), and the registry of what plugins contribute: rule kinds, output
formats and frameworks, which it builds by calling evalcore.load. The core's own defaults are
registered as a plugin like any other.

It imports evalcore.outputs, load, rules and model; nothing below it imports it.
"""

from ._hookspecs import API_VERSION, PROJECT, hookimpl, hookspec
from ._manager import CORE_DISTRIBUTION, ENTRY_POINT_GROUP, api_refusal, core_version, plugin_manager
from ._registry import FrameworkEntry, PluginInfo, Registry, get_registry, load_framework, loads_framework
from ._rulesets import packaged_rulesets

__all__ = [
    "API_VERSION",
    "CORE_DISTRIBUTION",
    "ENTRY_POINT_GROUP",
    "PROJECT",
    "FrameworkEntry",
    "PluginInfo",
    "Registry",
    "api_refusal",
    "core_version",
    "get_registry",
    "hookimpl",
    "hookspec",
    "load_framework",
    "loads_framework",
    "packaged_rulesets",
    "plugin_manager",
]
