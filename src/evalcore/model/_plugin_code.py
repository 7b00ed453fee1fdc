"""Telling a plugin's code from evalcore's own, so that a fault in it names the plugin and is kept
to what it touched instead of ending the run as an internal error."""

from __future__ import annotations

__all__ = ["plugin_fault", "plugin_module"]


def plugin_module(code: object) -> str | None:
    """The module a plugin's class or function comes from, or None for evalcore's own code."""
    module = getattr(code, "__module__", None)
    if not isinstance(module, str):
        return "?"
    return None if module == "evalcore" or module.startswith("evalcore.") else module


def plugin_fault(what: str, module: str, exc: BaseException) -> str:
    """A plugin's failure in words: what failed, in which plugin module, and what to do."""
    return f"{what}出错（插件模块 {module}）：{type(exc).__name__}: {exc}；这是插件的缺陷，请把此信息报告给插件的维护者"
