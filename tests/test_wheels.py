"""The distributions as they are built for users: an sdist, and a wheel built from that sdist (as
`python -m build` does), for the core and each province plugin. Each wheel carries its region's
framework files, byte for byte those of rulesets/, under names that are ours on the package index.
Installing them offline and running from outside the checkout is .ci/installed."""

from __future__ import annotations

import email.parser
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = {
    "jixiao_evalcore": (ROOT, "evalcore", "national", ()),
    "jixiao_evalcore_hunan": (ROOT / "plugins" / "hunan", "evalcore_hunan", "hunan", ("jixiao-evalcore>=0.2",)),
    "jixiao_evalcore_sichuan": (ROOT / "plugins" / "sichuan", "evalcore_sichuan", "sichuan", ("jixiao-evalcore>=0.2",)),
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    for project, *_rest in PROJECTS.values():
        done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(project)], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_the_wheel_carries_its_frameworks_byte_for_byte(built: Path, name: str) -> None:
    _project, package, region, requires = PROJECTS[name]
    (wheel,) = built.glob(f"{name}-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        carried = {Path(n).name: archive.read(n) for n in archive.namelist() if n.startswith(f"{package}/rulesets/") and n.endswith(".toml")}
        metadata = email.parser.Parser().parsestr(archive.read(next(n for n in archive.namelist() if n.endswith("dist-info/METADATA"))).decode())
        entry_points = next((archive.read(n).decode() for n in archive.namelist() if n.endswith("dist-info/entry_points.txt")), "")
    source = {path.name: path.read_bytes() for path in (ROOT / "rulesets" / region).glob("*.toml")}
    assert source and carried == source
    assert metadata["Name"].replace("-", "_") == name
    assert [r for r in metadata.get_all("Requires-Dist") or [] if r.startswith("jixiao-evalcore")] == list(requires)
    # Nothing on the package index called plain "evalcore" may satisfy a requirement of ours.
    assert not [r for r in metadata.get_all("Requires-Dist") or [] if r.split(">")[0].split("=")[0].strip() == "evalcore"]
    # The pytest plugin is opt-in: no pytest11 entry point changes other projects' test runs.
    assert "pytest11" not in entry_points
    assert "[evalcore]" in entry_points or name == "jixiao_evalcore"


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_the_sdist_carries_the_frameworks_it_was_built_from(built: Path, name: str) -> None:
    _project, _package, region, _requires = PROJECTS[name]
    (sdist,) = built.glob(f"{name}-*.tar.gz")
    with tarfile.open(sdist) as archive:
        members = archive.getmembers()
        names = {Path(m.name).name for m in members if "/rulesets-carried/" in m.name and m.name.endswith(".toml")}
        assert not [m.name for m in members if m.issym() or m.islnk()]
    assert names == {path.name for path in (ROOT / "rulesets" / region).glob("*.toml")}


def test_the_repository_holds_no_symlinks() -> None:
    listed = subprocess.run(["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert listed and not [line for line in listed.splitlines() if line.startswith("120000")]
