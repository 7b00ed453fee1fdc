"""evaluate(framework, data) -> Evaluation: pure, exact decimal arithmetic, no I/O; every point
explained by a Chinese trace, every problem a status or a flag rather than a silent number.

Each framework is compiled once into a scorer (compile_framework); evaluate_many scores a batch in
numpy columns where numpy is installed; evaluate_reference is the reference both are held to
(docs/engine.md, "Compiled scoring").

It imports evalcore.load (to read data given as a plain mapping), rules, forms and model; none of
rich, click, openpyxl or python-docx.
"""

from ._compiled import CompiledFramework, compile_framework, evaluate, evaluate_many
from ._evaluate import evaluate_in_full, evaluate_reference
from ._leaf import stated_differs

__all__ = ["CompiledFramework", "compile_framework", "evaluate", "evaluate_in_full", "evaluate_many", "evaluate_reference", "stated_differs"]
