"""evalcore-faulty: one module per way a plugin can fail (see tests/corpus/plugins/README.md)."""

from pathlib import Path

RULESETS = Path(__file__).resolve().parent / "rulesets"
