"""Many units at once (`evalcore batch`): find the data files, evaluate each (a bad one never stops
the rest), rank them per framework (keeping of each unit one small row, UnitRow, once its files are written), summarise every flag in 汇总.xlsx (and 汇总.json for scripts), and write the units' files
into an output folder held by one batch at a time, with a manifest for `--resume`. A reviewed
汇总.xlsx is read back (`read_review`) into each unit's 问题清单 with the reviewer's notes.

It imports evalcore.workbook, plugin, outputs, engine, load and model.
"""

from ._folder import MANIFEST_NAME, Manifest, OutputRecord, leftover_entries, remove_temporary_files
from ._lock import LOCK_NAME, FolderLock
from ._ranking import PARTLY_REVIEWED, render_ranking
from ._review import ISSUES_DOCUMENT, ReviewedUnit, UnitReview, carry_review, read_review, review_files
from ._row import FrameworkFacts, UnitRow
from ._run import DATA_SUFFIXES, BatchResult, UnitOutcome, collect_files, run_batch, score_files
from ._summary import Problem, render_summary_json, summary_dict, summary_workbook
from ._write import EDITED, SUMMARY, SUMMARY_JSON, OutputReport, UnitNames, UnitWriter, output_names

__all__ = [
    "DATA_SUFFIXES",
    "EDITED",
    "ISSUES_DOCUMENT",
    "LOCK_NAME",
    "MANIFEST_NAME",
    "PARTLY_REVIEWED",
    "SUMMARY",
    "SUMMARY_JSON",
    "BatchResult",
    "FolderLock",
    "FrameworkFacts",
    "Manifest",
    "OutputRecord",
    "OutputReport",
    "Problem",
    "ReviewedUnit",
    "UnitNames",
    "UnitOutcome",
    "UnitReview",
    "UnitRow",
    "UnitWriter",
    "carry_review",
    "collect_files",
    "leftover_entries",
    "output_names",
    "read_review",
    "remove_temporary_files",
    "render_ranking",
    "render_summary_json",
    "review_files",
    "run_batch",
    "score_files",
    "summary_dict",
    "summary_workbook",
]
