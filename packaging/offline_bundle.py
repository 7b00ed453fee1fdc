"""Build the offline bundle: a folder with every wheel evalcore and the province plugins need, for
Windows (win_amd64) and Linux (manylinux x86_64) and each supported Python, and install.bat /
install.sh that install from it with no network — for finance offices on an intranet.

    python packaging/offline_bundle.py -o evalcore-offline        # needs network, once
    evalcore-offline\\install.bat                                    # on the office PC, offline
    sh evalcore-offline/install.sh                                  # or on Linux

Our own wheels are built from this repository with the standard build front end (``build``); the
dependencies come from the package index with ``pip download``. Options narrow the platforms and
Python versions, e.g. ``--platform linux --python 3.11`` for a quick bundle of this machine's kind.
"""

from __future__ import annotations

import argparse
import email.parser
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = (ROOT, ROOT / "plugins" / "hunan", ROOT / "plugins" / "sichuan")
DISTRIBUTIONS = ("jixiao-evalcore", "jixiao-evalcore-hunan", "jixiao-evalcore-sichuan")
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
PLATFORMS = {
    "windows": ("win_amd64",),
    "linux": ("manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64"),
}
# The environment markers of each target: pip download evaluates a requirement's markers on the
# machine it runs on (pip issue 11664), so click's colorama on Windows or tomli on Python 3.10 would
# be left out. The bundle's wheels are read for such requirements and each one found is fetched.
MARKERS = {
    "windows": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"},
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"},
}

def _run(argv: list[str]) -> None:
    """Run a step quietly; its whole output is shown only when it fails."""
    print("$", " ".join(argv[2:])[:100] + "…", flush=True)
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stdout.write(done.stdout + done.stderr)
        raise SystemExit(f"failed ({done.returncode}): {' '.join(argv)}")


def build_bundle(out: Path, platforms: list[str], pythons: list[str]) -> Path:
    """Write the bundle into `out` (which must not exist yet) and return its wheels folder; on any
    failure nothing is left behind, so the same command can simply be run again."""
    if out.exists():
        raise SystemExit(f"{out} already exists: give a new folder")
    if importlib.util.find_spec("build") is None:
        raise SystemExit("the standard build front end is needed: pip install build (it is in evalcore's test extra)")
    try:
        return _fill(out, platforms, pythons)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise


def _fill(out: Path, platforms: list[str], pythons: list[str]) -> Path:
    wheels = out / "wheels"
    wheels.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="evalcore-dist-") as dist:
        for project in PROJECTS:
            # The build front end's default: an sdist, then the wheel built from that sdist, as an
            # index would; what the sdist carries is what ships, and no build folder is left behind.
            _run([sys.executable, "-m", "build", "--outdir", dist, str(project)])
        for wheel in Path(dist).glob("*.whl"):
            shutil.copy(wheel, wheels)
    for platform in platforms:
        for python in pythons:
            argv = [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(wheels), "--find-links", str(wheels)]
            argv += ["--only-binary=:all:", "--implementation", "cp", "--python-version", python]
            for tag in PLATFORMS[platform]:
                argv += ["--platform", tag]
            wanted: list[str] = list(DISTRIBUTIONS)
            while wanted:
                _run(argv + wanted)
                wanted = missing_requirements(wheels, platform, python)
    for platform in platforms:
        for python in pythons:
            verify(wheels, platform, python)
    write_scripts(out)
    return wheels


def write_scripts(out: Path) -> None:
    """install.bat, install.sh, 说明.txt, and the examples and guides an officer works through."""
    names = " ".join(DISTRIBUTIONS)
    here = ROOT / "packaging"
    (out / "install.sh").write_text((here / "install.sh.in").read_text(encoding="utf-8").replace("DISTRIBUTIONS", names), encoding="utf-8", newline="\n")
    # cmd.exe reads a batch file line by line in the console's code page: CRLF, and UTF-8 (no
    # byte-order mark, which cmd would take for a command) once the script has run chcp 65001.
    (out / "install.bat").write_text((here / "install.bat.in").read_text(encoding="utf-8").replace("DISTRIBUTIONS", names), encoding="utf-8", newline="\r\n")
    # Notepad on older Windows needs the byte-order mark and CRLF to show Chinese text at all.
    (out / "说明.txt").write_text((here / "README-offline.txt").read_text(encoding="utf-8"), encoding="utf-8-sig", newline="\r\n")
    # What the officer's guide works through: the examples and the guides themselves.
    shutil.copytree(ROOT / "examples", out / "examples")
    (out / "docs").mkdir()
    for guide in ("officer-guide.md", "user-guide.md", "reviewer-guide.md"):
        shutil.copy(ROOT / "docs" / guide, out / "docs" / guide)
    if (ROOT / "docs" / "images").is_dir():
        shutil.copytree(ROOT / "docs" / "images", out / "docs" / "images")


def verify(wheels: Path, platform: str, python: str) -> None:
    """Resolve the install from the bundle alone, as install.bat / install.sh will, for a target."""
    argv = [sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed", "--target", str(wheels.parent / ".verify")]
    argv += ["--no-index", "--find-links", str(wheels), "--only-binary=:all:", "--implementation", "cp", "--python-version", python]
    for tag in PLATFORMS[platform]:
        argv += ["--platform", tag]
    _run(argv + list(DISTRIBUTIONS))
    missing = missing_requirements(wheels, platform, python)
    if missing:
        raise SystemExit(f"the bundle lacks {', '.join(missing)} for {platform} / Python {python}")


def missing_requirements(wheels: Path, platform: str, python: str) -> list[str]:
    """Requirements of the bundle's wheels that apply on the target and that no wheel provides."""
    environment = {**MARKERS[platform], "python_version": python, "python_full_version": f"{python}.0"}
    environment |= {"implementation_name": "cpython", "platform_python_implementation": "CPython", "extra": ""}
    have = {canonicalize_name(path.name.split("-")[0]) for path in wheels.glob("*.whl")}
    missing: set[str] = set()
    for path in wheels.glob("*.whl"):
        for requirement in _requirements(path):
            if requirement.marker is not None and not requirement.marker.evaluate(environment):
                continue
            if canonicalize_name(requirement.name) not in have:
                missing.add(str(requirement).split(";")[0].strip())
    return sorted(missing)


def _requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    return [Requirement(text) for text in metadata.get_all("Requires-Dist") or []]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=Path("evalcore-offline"), help="the bundle folder to create")
    parser.add_argument("--platform", action="append", choices=sorted(PLATFORMS), help="windows, linux (default: both)")
    parser.add_argument("--python", action="append", choices=PYTHONS, help="Python versions (default: all supported)")
    args = parser.parse_args(argv)
    wheels = build_bundle(args.output, args.platform or sorted(PLATFORMS), args.python or list(PYTHONS))
    print(f"{len(list(wheels.glob('*.whl')))} wheels in {wheels}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
