"""Names of a package imported from their modules when first used (PEP 562)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(package: str, modules: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` for `package` that imports each name of `modules` from its
    module (name -> module relative to the package) on first use, and keeps it in the package. The
    package's ``dir()`` lists the names before they are used."""
    module = sys.modules[package]

    def __dir__() -> list[str]:
        return sorted({*vars(module), *modules})

    module.__dir__ = __dir__  # type: ignore[method-assign]

    def __getattr__(name: str) -> Any:
        if name not in modules:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(modules[name], package), name)
        setattr(module, name, value)
        return value

    return __getattr__
