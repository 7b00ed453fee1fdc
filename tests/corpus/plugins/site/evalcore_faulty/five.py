"""A plugin whose rule-kinds hook returns a number instead of a list."""

from typing import Any

from evalcore import hookimpl


@hookimpl
def evalcore_rule_kinds() -> Any:
    return 5
