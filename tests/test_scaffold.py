"""`evalcore new-plugin` creates a package that installs into a fresh virtual environment with the
core and passes `evalcore frameworks`, `evalcore check --strict` and its own tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_cli import run


def test_new_plugin_refuses_bad_names_and_non_empty_directories(tmp_path: Path) -> None:
    assert run("new-plugin", "Tao-Jiang", "-o", str(tmp_path / "x")).returncode == 2
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x", encoding="utf-8")
    result = run("new-plugin", "taojiang", "-o", str(tmp_path / "full"))
    assert result.returncode == 2 and "不为空" in result.stderr
    assert (tmp_path / "full" / "keep.txt").read_text(encoding="utf-8") == "x"


@pytest.mark.slow
def test_new_plugin_works_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    plugin = tmp_path / "evalcore-demo"
    created = run("new-plugin", "demo", "--region", "湖南省/益阳市/示例县", "--year", "2025", "-o", str(plugin))
    assert created.returncode == 0, created.stderr
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    bin_dir = venv / "bin"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    install = subprocess.run(
        [str(bin_dir / "pip"), "install", "-q", "-e", f"{ROOT}[test]", "-e", str(plugin)], capture_output=True, text=True, timeout=900, env=env
    )
    assert install.returncode == 0, install.stdout + install.stderr

    def evalcore(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(bin_dir / "evalcore"), *args], capture_output=True, text=True, cwd=plugin, timeout=120, env=env)

    frameworks = evalcore("frameworks")
    assert frameworks.returncode == 0 and "demo.dept.2025" in frameworks.stdout
    checked = evalcore("check", "--strict", "demo.dept.2025")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = evalcore("run", "examples/example.toml", "--format", "json")
    assert ran.returncode == 0 and '"total": "100"' in ran.stdout
    tests = subprocess.run([str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"], capture_output=True, text=True, cwd=plugin, timeout=300, env=env)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "demo.dept.2025::example" in subprocess.run(
        [str(bin_dir / "python"), "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"], capture_output=True, text=True, cwd=plugin, timeout=300, env=env
    ).stdout
