"""What differs between the supported Pythons: TOML is read with tomllib on 3.11+ and with tomli
(the library it came from, a dependency there) on 3.10, as the package itself does."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["tomllib"]
