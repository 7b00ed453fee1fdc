"""The offline bundle's own files, as an officer on Windows meets them (building the bundle itself
needs the package index and runs in .ci/installed): install.bat readable by cmd.exe and kept open
when double-clicked, asking for the Python versions the wheels are for; 说明.txt readable in old
Notepad; the examples and guides beside them."""

from __future__ import annotations

import codecs
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bundle_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("offline_bundle", ROOT / "packaging" / "offline_bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_scripts_and_guides_written_beside_the_wheels(tmp_path: Path) -> None:
    bundle = _bundle_module()
    bundle.write_scripts(tmp_path)
    bat = (tmp_path / "install.bat").read_bytes()
    lines = bat.split(b"\r\n")
    assert b"\n" not in bat.replace(b"\r\n", b"")  # CRLF throughout
    assert not bat.startswith(codecs.BOM_UTF8)  # cmd.exe would run the mark as a command
    # Every line up to chcp 65001 is ASCII: cmd reads them before the code page is UTF-8.
    switch = next(i for i, line in enumerate(lines) if line.startswith(b"chcp 65001"))
    assert all(line.isascii() for line in lines[: switch + 1])
    text = bat.decode("utf-8")
    # The Python versions it looks for are exactly those the bundle has wheels for, 64-bit.
    assert re.findall(r"py -(3\.\d+)-64 -c", text) == sorted(bundle.PYTHONS, key=lambda v: tuple(map(int, v.split("."))), reverse=True)
    assert "(3, 10) <= sys.version_info[:2] <= (3, 13)" in text and "struct.calcsize('P') == 8" in text
    assert "--no-index" in text and "--upgrade" in text and " ".join(bundle.DISTRIBUTIONS) in text
    assert text.count("if defined WAIT pause") == 2  # success and failure both wait when double-clicked
    assert '"%HERE%wheels"' in text and '"%TARGET%\\venv"' in text  # quoted: paths with spaces
    sh = (tmp_path / "install.sh").read_bytes()
    assert b"\r" not in sh and sh.startswith(b"#!/bin/sh\n")
    assert subprocess.run(["sh", "-n", str(tmp_path / "install.sh")], capture_output=True).returncode == 0
    note = (tmp_path / "说明.txt").read_bytes()
    assert note.startswith(codecs.BOM_UTF8) and b"\r\n" in note and b"\n" not in note.replace(b"\r\n", b"")
    assert "3.10、3.11、3.12 或 3.13" in note.decode("utf-8-sig") and ".\\install.bat" in note.decode("utf-8-sig")
    assert (tmp_path / "examples" / "hunan" / "hecheng-dept-2020.toml").is_file()
    assert (tmp_path / "docs" / "officer-guide.md").is_file()


def test_building_without_the_build_front_end_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    # Run with a Python that cannot import build: the bundle folder must not be left behind.
    out = tmp_path / "bundle"
    code = (
        "import sys, runpy; sys.modules['build'] = None; sys.argv = ['offline_bundle.py', '-o', sys.argv[1]];"
        f"runpy.run_path({str(ROOT / 'packaging' / 'offline_bundle.py')!r}, run_name='__main__')"
    )
    done = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True)
    assert done.returncode != 0 and "pip install build" in done.stderr
    assert not out.exists()
