"""Telling a plugin's code from evalcore's own, so that a fault in it names the plugin and is kept
to what it touched instead of ending the run as an internal error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

__all__ = ["describe_rule", "plugin_defect", "plugin_fault", "plugin_module", "reraise_interrupt", "rule_description", "shown"]

_REPORT = "这是插件的缺陷，请把此信息报告给插件的维护者"


def plugin_module(code: object) -> str | None:
    """The module a plugin's class or function comes from, or None for evalcore's own code."""
    module = getattr(code, "__module__", None)
    if not isinstance(module, str):
        return "?"
    return None if module == "evalcore" or module.startswith("evalcore.") else module


def reraise_interrupt(exc: BaseException) -> None:
    """Where a plugin's code runs, anything it raises is its fault and kept to what it touched
    (sys.exit() and BaseException subclasses included), except Ctrl-C, which still stops evalcore."""
    if isinstance(exc, KeyboardInterrupt):
        raise exc


def plugin_fault(what: str, module: str, exc: BaseException) -> str:
    """A plugin's failure in words: what failed, in which plugin module, and what to do."""
    if isinstance(exc, SystemExit):
        return f"{what}调用了 sys.exit({'' if exc.code is None else repr(exc.code)})（插件模块 {module}）；{_REPORT}"
    return f"{what}出错（插件模块 {module}）：{type(exc).__name__}: {exc}；{_REPORT}"


def plugin_defect(what: str, module: str, problem: str) -> str:
    """Something a plugin handed over that is not what it promised, in words: who, what, what to do."""
    return f"{what}（插件模块 {module}）{problem}；{_REPORT}"


def shown(value: object, width: int = 60) -> str:
    """A value as a message shows it: its repr, cut short."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a plugin's object may fail even to describe itself
        text = f"<{type(value).__name__}>"
    return text if len(text) <= width else text[: width - 1] + "…"


def rule_description(rule: Any, weight: Decimal, unit: str | None) -> tuple[str, str | None]:
    """The rule in words (Rule.describe), and why a plugin's rule could not say it, or None.

    Where a plugin's `describe` raises or returns no text, the words are a note naming the plugin,
    so that `show`, `reference` and the templates still print the rest; `check` reports the fault.
    evalcore's own kinds failing is a bug and stays an internal error.
    """
    module = plugin_module(type(rule))
    if module is None:
        return rule.describe(weight, unit), None
    what = f"规则类型“{rule.kind}”说明评分规则时"
    try:
        text = rule.describe(weight, unit)
    except BaseException as exc:
        reraise_interrupt(exc)
        fault = plugin_fault(what, module, exc)
    else:
        if isinstance(text, str):
            return text, None
        fault = plugin_defect(what[:-1], module, f"的 describe 返回了 {shown(text)}（{type(text).__name__}），不是文字")
    return f"（无法显示评分规则：{fault}）", fault


def describe_rule(rule: Any, weight: Decimal, unit: str | None) -> str:
    """The rule in words, or a note naming the plugin whose rule could not say it."""
    return rule_description(rule, weight, unit)[0]
