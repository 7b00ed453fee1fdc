"""docs/plugin-guide.md (插件作者指南) is followed literally, in a temporary directory.

The guide builds the tutorial plugin evalcore-hechengdemo step by step. This test reads it top to
bottom and does what a reader does:

- a line ``文件：PATH`` right before a ```toml block: the block is the whole file PATH, relative to
  the plugin directory (the ``-o`` directory of ``evalcore new-plugin``); a later block for the same
  path replaces the earlier one;
- a ```console block: each line starting with ``$ `` is a command, the lines under it are the output
  the guide shows ("……" marks a cut). Commands run in order, in a fresh working directory:
  ``cd DIR`` changes it; ``evalcore …`` runs the evalcore under test (``python -m evalcore`` of this
  environment until the plugin is installed, then the fresh environment's ``evalcore``);
  the first ``pip install …`` creates a FRESH virtual environment and installs, in one step, the
  guide's prerequisites (this repository with its ``test`` extra and ``plugins/hunan``, §0 of the
  guide) together with the guide's own arguments (the plugin); later ``pip …`` and ``python …`` are
  that environment's. The tutorial plugin is never installed into the environment running this test;
- every command must exit 0, except the last command of a block when the first non-empty line after
  the block is ``（退出码 N）``: it must exit N;
- the first output line the guide shows for a command (skipping "……") must appear in the real output
  (stdout and stderr together, 80 columns, no colour, trailing spaces ignored).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import ROOT

GUIDE = ROOT / "docs" / "plugin-guide.md"
CUT = "……"
# The second tutorial (a target-form plugin) is followed on its own by tests/test_tutorial_targets.py.
TARGETS_TUTORIAL = "## 15. 教程二：绩效目标自评表插件"

_FENCE = re.compile(r"^```([\w-]*)[ \t]*$")
_FILE = re.compile(r"^文件：(\S+)$")
_EXIT = re.compile(r"^（退出码\s*(\d+)）")


@dataclass
class Command:
    line: int  # 1-based line of the "$ " line in the guide
    argv: list[str]
    shown: list[str] = field(default_factory=list)
    exit_code: int = 0

    @property
    def first_shown(self) -> str | None:
        for text in self.shown:
            if text.strip() and text.strip() != CUT:
                return text.rstrip()
        return None


@dataclass
class FileStep:
    line: int  # 1-based line of the "文件：" line
    path: str
    text: str


def _fence_end(lines: list[str], start: int) -> int:
    for index in range(start + 1, len(lines)):
        if lines[index].strip() == "```":
            return index
    raise AssertionError(f"plugin-guide.md:{start + 1}: code block is not closed")


def guide_steps(guide: Path = GUIDE, start: str | None = None, stop: str | None = TARGETS_TUTORIAL) -> list[Command | FileStep]:
    """The files and commands of the guide, in document order: from the heading `start` (the
    beginning when None) up to the heading `stop` (the end when None)."""
    lines = guide.read_text(encoding="utf-8").splitlines()
    steps: list[Command | FileStep] = []
    index = lines.index(start) if start is not None else 0
    end_of_part = lines.index(stop) if stop is not None and stop in lines else len(lines)
    while index < end_of_part:
        marker = _FILE.match(lines[index].strip())
        if marker:
            fence = _FENCE.match(lines[index + 1]) if index + 1 < len(lines) else None
            assert fence and fence.group(1) == "toml", f"plugin-guide.md:{index + 1}: “文件：” must be followed by a ```toml block"
            end = _fence_end(lines, index + 1)
            steps.append(FileStep(index + 1, marker.group(1), "\n".join(lines[index + 2 : end]) + "\n"))
            index = end + 1
            continue
        fence = _FENCE.match(lines[index])
        if not fence or not fence.group(1):
            index += 1
            continue
        end = _fence_end(lines, index)
        if fence.group(1) == "console":
            commands: list[Command] = []
            for number in range(index + 1, end):
                text = lines[number]
                if text.startswith("$ "):
                    commands.append(Command(number + 1, shlex.split(text[2:])))
                else:
                    assert commands, f"plugin-guide.md:{number + 1}: output before the first '$ ' line"
                    commands[-1].shown.append(text)
            assert commands, f"plugin-guide.md:{index + 1}: a console block without a '$ ' line"
            for after in lines[end + 1 :]:
                if after.strip():
                    found = _EXIT.match(after.strip())
                    if found:
                        commands[-1].exit_code = int(found.group(1))
                    break
            steps.extend(commands)
        index = end + 1
    return steps


def test_the_guide_is_well_formed() -> None:
    steps = guide_steps()
    commands = [s for s in steps if isinstance(s, Command)]
    files = [s for s in steps if isinstance(s, FileStep)]
    assert commands and files
    for command in commands:
        assert command.argv and command.argv[0] in ("evalcore", "cd", "pip", "python"), f"plugin-guide.md:{command.line}: unknown command {command.argv}"
    assert commands[0].argv[:2] == ["evalcore", "new-plugin"], "the guide starts by creating the plugin"
    names = [c.argv[:2] for c in commands]
    for wanted in (["pip", "install"], ["evalcore", "frameworks"], ["evalcore", "run"], ["evalcore", "test"], ["python", "-m"], ["evalcore", "diff"]):
        assert wanted in names, f"the guide has no {' '.join(wanted)} step"
    installed_at = names.index(["pip", "install"])
    assert all(c.argv[0] != "python" for c in commands[:installed_at]), "python runs only in the plugin's environment"


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME") and not k.startswith("PYTEST_")}
    env.update({"COLUMNS": "80", "NO_COLOR": "1", "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"})
    env.pop("TERM", None)
    return env


@pytest.mark.slow
def test_following_the_plugin_guide_builds_a_working_plugin(tmp_path: Path) -> None:
    follow(guide_steps(), tmp_path)


def follow(steps: list[Command | FileStep], tmp_path: Path) -> float:
    """Do what the steps say, as a reader does, in `tmp_path`; the seconds it took."""
    started = time.monotonic()
    env = _clean_env()
    cwd = tmp_path / "work"
    cwd.mkdir()
    venv = tmp_path / "venv"
    bin_dir = venv / "bin"
    plugin: Path | None = None
    installed = False

    for step in steps:
        if isinstance(step, FileStep):
            assert plugin is not None, f"plugin-guide.md:{step.line}: a file before `evalcore new-plugin`"
            target = plugin / step.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.text, encoding="utf-8")
            continue

        where = f"plugin-guide.md:{step.line}: $ {shlex.join(step.argv)}"
        program, args = step.argv[0], step.argv[1:]
        if program == "cd":
            assert len(args) == 1, where
            cwd = (cwd / args[0]).resolve()
            assert cwd.is_dir(), f"{where}: no such directory"
            continue
        timeout = 300
        if program == "evalcore":
            argv = [str(bin_dir / "evalcore"), *args] if installed else [sys.executable, "-m", "evalcore", *args]
            if args[:1] == ["new-plugin"]:
                plugin = cwd / args[args.index("-o") + 1]
        elif program == "pip" and not installed:
            assert args[:1] == ["install"], f"{where}: the first pip command must install the plugin"
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120, env=env)
            argv = [str(bin_dir / "pip"), "install", "-q", "-e", f"{ROOT}[test]", "-e", str(ROOT / "plugins" / "hunan"), *args[1:]]
            timeout = 900
            installed = True
        elif program in ("pip", "python"):
            assert installed, f"{where}: runs before the plugin's environment exists"
            argv = [str(bin_dir / program), *args]
        else:
            raise AssertionError(f"{where}: unknown command")

        result = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", cwd=cwd, timeout=timeout, env=env)
        output = result.stdout + result.stderr
        assert result.returncode == step.exit_code, f"{where}: exit code {result.returncode}, the guide says {step.exit_code}\n{output}"
        first = step.first_shown
        if first is not None:
            real = "\n".join(line.rstrip() for line in output.splitlines())
            assert first in real, f"{where}: the guide shows\n  {first}\nbut the command printed\n{output}"

    assert installed and plugin is not None
    elapsed = time.monotonic() - started
    assert elapsed < 600
    return elapsed
