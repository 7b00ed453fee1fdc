"""Build support shared by the core and the province plugins: the frameworks (TOML rulesets) live
once, in the repository's top-level rulesets/<region>/, and are copied into each package as
<package>/rulesets/ when a wheel or an sdist is built. An sdist carries them (and this file) beside
its setup.py, so that a wheel built from it has them too. An editable install reads the repository's
folder directly (see evalcore.plugin.packaged_rulesets).

A project's setup.py calls ``setup_with_rulesets(package, region)``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

__all__ = ["setup_with_rulesets"]

# Inside an sdist, the rulesets are in this folder beside setup.py.
CARRIED = "rulesets-carried"


def _source(project: Path, region: str) -> Path:
    """The region's rulesets: carried in an sdist, or the repository's top-level folder."""
    for candidate in (project / CARRIED, *(parent / "rulesets" / region for parent in (project, *project.parents))):
        if candidate.is_dir() and any(candidate.glob("*.toml")):
            return candidate
    raise SystemExit(f"the rulesets of {region} are not found beside {project}: build from the repository or its sdist")


def _copy(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.toml")):
        shutil.copyfile(path, target / path.name)


def setup_with_rulesets(package: str, region: str, **kwargs: Any) -> None:
    project = Path.cwd()

    class BuildPy(build_py):  # type: ignore[misc]
        def run(self) -> None:
            super().run()
            if not self.editable_mode:
                _copy(_source(project, region), Path(self.build_lib) / package / "rulesets")

    class Sdist(sdist):  # type: ignore[misc]
        def make_release_tree(self, base_dir: str, files: list[str]) -> None:
            super().make_release_tree(base_dir, files)
            _copy(_source(project, region), Path(base_dir) / CARRIED)
            shutil.copyfile(Path(__file__), Path(base_dir) / Path(__file__).name)

    setup(cmdclass={"build_py": BuildPy, "sdist": Sdist}, **kwargs)
