"""Many units at once (`evalcore batch`): find the data files, evaluate each (a bad one never stops
the rest), rank them per framework, and summarise every flag in 汇总.xlsx.

It imports evalcore.workbook, plugin, outputs, engine, load and model.
"""

from ._ranking import PARTLY_REVIEWED, render_ranking
from ._run import DATA_SUFFIXES, BatchResult, UnitOutcome, collect_files, held_results, run_batch
from ._summary import summary_workbook

__all__ = ["DATA_SUFFIXES", "PARTLY_REVIEWED", "BatchResult", "UnitOutcome", "collect_files", "held_results", "render_ranking", "run_batch", "summary_workbook"]
