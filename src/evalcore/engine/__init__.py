"""evaluate(framework, data) -> Evaluation: pure, exact decimal arithmetic, no I/O; every point
explained by a Chinese trace, every problem a status or a flag rather than a silent number.

It imports evalcore.load (to read data given as a plain mapping), rules, forms and model; none of
rich, click, openpyxl or python-docx.
"""

from ._evaluate import evaluate, evaluate_in_full
from ._leaf import stated_differs

__all__ = ["evaluate", "evaluate_in_full", "stated_differs"]
