"""The frameworks of sichuan (rulesets/sichuan) go into the package at build time: see packaging/rulesets_build.py."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "packaging")]  # an sdist carries the helper beside this file

from rulesets_build import setup_with_rulesets  # noqa: E402

setup_with_rulesets("evalcore_sichuan", "sichuan")
