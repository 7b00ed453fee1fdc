"""Where a plugin's frameworks are: in its installed package, or — installed editable from the
repository — in the repository's top-level rulesets/<region>/, which is their one source (the
build copies them into each wheel; see packaging/rulesets_build.py)."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["packaged_rulesets"]


def packaged_rulesets(package: str, region: str) -> Path:
    """The folder of a package's rulesets: `<package>/rulesets` when installed from a wheel, else
    `rulesets/<region>` of the repository the package's source lies in. When neither exists the
    packaged path is returned, and the registry reports that it is missing."""
    location = getattr(sys.modules.get(package), "__file__", None)
    if location is not None:
        root = Path(location).parent  # the package's folder, as importlib.resources gives it
    else:
        from importlib.resources import files  # a package not imported yet, or without a file

        root = Path(str(files(package)))
    packaged = root / "rulesets"
    if packaged.is_dir():
        return packaged
    for parent in root.resolve().parents:
        candidate = parent / "rulesets" / region
        if candidate.is_dir() and (parent / "pyproject.toml").is_file():
            return candidate
    return packaged
