"""Writing a batch's files into its output folder: one safe, distinct name per unit and format,
each file written atomically and recorded in the manifest, the complete ones kept on `--resume`,
a failing unit or format never costing the others their files, and no earlier output left
looking current when it no longer is."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from attrs import evolve, field

from ..model import EvalcoreError, Evaluation, FormatOptions, Framework, PluginError, define
from ..outputs import Removal, UniqueNames, output_path, removal_lines, removed_characters, safe_name, write_output
from ..plugin import Registry
from ._folder import Manifest, OutputRecord, evalcore_versions, file_hash
from ._run import BatchResult, UnitOutcome, where
from ._summary import Problem

__all__ = ["EDITED", "SUMMARY", "SUMMARY_JSON", "OutputReport", "UnitNames", "UnitWriter", "output_names"]

SUMMARY = "汇总.xlsx"
# The same rows for a reviewer's script, with exact decimals (schema: batch.schema.json).
SUMMARY_JSON = "汇总.json"
# A unit's stem in UTF-8 bytes (36 Chinese characters): NAME_BYTES less a document word and a format name.
STEM_BYTES = 110

# An output changed by hand since it was written, as --resume tells of it (screen and 汇总).
EDITED = "写出后被修改过，本次没有覆盖（修改保留）；要按本次数据重新生成，请先移走该文件，或改用 --force"
# Said besides when the unit's data, framework or versions changed since: its figures are old.
STALE_EDITED = "数据、框架或版本已变，该文件中的得分已过期"


@define
class OutputReport:
    """What writing the units' files came to."""

    written: int = 0
    kept: int = 0  # complete from an earlier run (--resume)
    failed: bool = False  # a format that does not apply, a file that could not be written
    internal: bool = False  # evalcore's defect while drawing a file
    problems: list[Problem] = field(factory=list)  # for the 问题 sheet
    removed: list[tuple[str, Removal]] = field(factory=list)  # (file, removal)
    unrecorded: list[str] = field(factory=list)  # in place but not in the manifest (a kill between the two): written again
    retired: list[tuple[str, str]] = field(factory=list)  # (file, why): earlier outputs out of date, deleted
    outdated: list[tuple[str, str]] = field(factory=list)  # (file, why): out of date but edited since, left in place
    edited: list[tuple[str, str]] = field(factory=list)  # (file, what to say): changed by hand since written, left as they are
    # Each scored unit's files in the folder (written or kept), by id() of its row (UnitRow).
    files: dict[int, list[str]] = field(factory=dict)


class UnitNames:
    """A distinct, safe file stem per unit, given in the batch's order (output_names)."""

    def __init__(self, inputs: Sequence[Path]) -> None:
        self._roots = [p.resolve() for p in inputs if p.is_dir()]
        self._taken = UniqueNames()

    def take(self, unit: UnitOutcome) -> str:
        row = unit.row
        if row is not None and row.unit:
            stem = "-".join(part for part in (row.unit, row.project) if part)
        else:
            path = unit.path.resolve()
            root = next((r for r in self._roots if r in path.parents), None)
            relative = path.relative_to(root).with_suffix("") if root is not None else Path(path.stem)
            stem = "-".join(relative.parts)
            if unit.label is not None:
                stem = f"{stem}-{unit.label.replace('!', '-').replace(' ', '')}"
        # Room is left for "-评分表", "-sichuan-xlsx" and a number within the file-name limit.
        stem = safe_name(stem, max_bytes=STEM_BYTES).rstrip("-_") or safe_name(unit.path.stem, max_bytes=STEM_BYTES)
        if stem.casefold() == Path(SUMMARY).stem.casefold():
            stem += "-单位"
        return self._taken.take(stem)


def output_names(result: BatchResult, inputs: Sequence[Path]) -> list[str]:
    """A distinct, safe file stem per unit: the unit's name (with the project's, for a project
    evaluation), as the files are filed; for a unit without a name, its data file's path relative to
    the input directory (and the row of a 多单位 sheet). What Windows refuses in a name is
    replaced; a second unit of the same name is numbered; never 汇总."""
    names = UnitNames(inputs)
    return [names.take(unit) for unit in result.units]


class UnitWriter:
    """Each scored unit's files in each format, a file's units at a time as the batch scores them
    (`write`), then what the run leaves of earlier outputs (`finish`). With `resume`, a file made
    from the same input, framework and versions and unchanged since is kept as it is."""

    def __init__(self, registry: Registry, folder: Path, formats: Sequence[str], protected: list[Path], manifest: Manifest, resume: bool, inputs: Sequence[Path] = ()) -> None:
        self.report = OutputReport()
        self._registry, self._folder, self._formats, self._protected, self._manifest, self._resume = registry, folder, formats, protected, manifest, resume
        self._names = UnitNames(inputs)
        self._versions = evalcore_versions((plugin.name, plugin.version) for plugin in registry.plugins)
        self._hashes: dict[Path, str] = {}
        self._files = UniqueNames((SUMMARY, SUMMARY_JSON))

    def write(self, units: Sequence[UnitOutcome]) -> None:
        """One data file's units, with their evaluations, in the batch's order."""
        for unit in units:
            stem = self._names.take(unit)
            if unit.evaluation is not None:
                self.write_unit(unit, unit.evaluation, stem)

    def write_unit(self, unit: UnitOutcome, evaluation: Evaluation, stem: str) -> None:
        report, manifest, folder, registry = self.report, self._manifest, self._folder, self._registry
        key = id(unit.row)
        written: set[tuple[str, str]] = set()
        for name in self._formats:
            formatter = registry.formatter(name, evaluation.framework)
            if formatter is None:
                # Only this format is missing for the unit: its other formats are written.
                _problem(report, unit, f"{stem}（{name} 格式）", f"输出格式“{name}”不适用于评价框架 {evaluation.framework.id}")
                continue
            # "{单位}-评分表.xlsx"; two formats writing one document (xlsx and sichuan-xlsx) apart.
            base = safe_name(f"{stem}-{formatter.document}") if formatter.document else stem
            if (base, formatter.suffix) in written:
                base = safe_name(f"{base}-{name}")
            written.add((base, formatter.suffix))
            target = self._files.take(base, formatter.suffix)
            try:
                wanted = OutputRecord(
                    output=target,
                    format=name,
                    input=str(unit.path),
                    label=unit.label,
                    input_sha256=_input_hash(unit.path, self._hashes),
                    framework=evaluation.framework.id,
                    framework_sha256=_framework_hash(evaluation.framework, registry, self._hashes),
                    versions=self._versions,
                    output_sha256="",
                )
                if self._resume and manifest.complete(wanted, folder):
                    manifest.kept(target)
                    report.kept += 1
                    report.files.setdefault(key, []).append(target)
                    continue
                if self._resume and manifest.edited(target, folder):
                    # Changed by hand since it was written: the changes are the user's, not ours to lose.
                    manifest.kept(target)  # recorded as written, so that the next run tells of it again
                    stale = not manifest.previous[target].made_from(wanted)
                    said = f"{EDITED}；{STALE_EDITED}" if stale else EDITED
                    report.edited.append((target, said))
                    report.problems.append((evaluation.data.unit, where(unit), "已修改", "全表", f"{target}：{said}"))
                    report.files.setdefault(key, []).append(target)
                    continue
                if self._resume and target not in manifest.previous and (folder / target).is_file():
                    report.unrecorded.append(target)
                with removed_characters() as removed:
                    payload = registry.render(formatter, evaluation, FormatOptions(width=100))
                data = write_output(output_path(folder, target), payload, self._protected)
                manifest.record(evolve(wanted, output_sha256=hashlib.sha256(data).hexdigest()))
                report.written += 1
                report.files.setdefault(key, []).append(target)
                report.removed.extend((target, removal) for removal in removed)
                report.problems.extend((evaluation.data.unit, where(unit), "控制字符", "全表", f"{target}：{line}") for line in removal_lines(removed))
            except PluginError as exc:
                # A plugin's format failed: a program fault (exit 3), named as the plugin's; the rest is written.
                _problem(report, unit, target, str(exc), internal=True)
            except EvalcoreError as exc:
                _problem(report, unit, target, str(exc))
            except Exception as exc:  # noqa: BLE001 - reported, then the batch goes on
                _problem(report, unit, target, f"内部错误 {type(exc).__name__}: {exc}", internal=True)

    def finish(self, result: BatchResult) -> OutputReport:
        """Once every unit is written: earlier outputs kept (--resume) or retired."""
        if self._resume:  # --force starts the folder afresh: only what this run asks for stays
            _keep_other_formats(result, self._registry, self._manifest, self._folder, self._versions, self._hashes, self.report)
        _retire_stale(result, self._manifest, self._folder, self._formats, self._protected, self.report)
        return self.report


def _keep_other_formats(
    result: BatchResult, registry: Registry, manifest: Manifest, folder: Path, versions: str, hashes: dict[Path, str], report: OutputReport
) -> None:
    """An earlier output in a format not asked for this time is still current when its unit was
    scored from the same input, framework and versions and the file is as written: it stays (a
    forgotten --format must not cost the reviewer files that are right)."""
    units = {(str(unit.path), unit.label): unit for unit in result.units}
    for record in manifest.stale():
        unit = units.get((record.input, record.label))
        if unit is None or unit.row is None or not unit.path.is_file():
            continue
        framework = registry.framework(unit.row.framework.id)
        now = evolve(record, input_sha256=_input_hash(unit.path, hashes), framework=framework.id, framework_sha256=_framework_hash(framework, registry, hashes), versions=versions)
        if manifest.complete(now, folder):
            manifest.kept(record.output)
            report.kept += 1


def _retire_stale(result: BatchResult, manifest: Manifest, folder: Path, formats: Sequence[str], protected: list[Path], report: OutputReport) -> None:
    """Earlier outputs this run did not write again (a format no longer asked for, an input gone
    or no longer scored) must not stay looking current: deleted when they are as evalcore wrote
    them (the manifest's hash), otherwise (edited since) left in place, recorded and reported."""
    units = {(str(unit.path), unit.label): unit for unit in result.units}
    inputs = {path.resolve() for path in protected if path.exists()}
    for record in manifest.stale():
        try:
            path = output_path(folder, record.output)  # a name that leaves the folder is not evalcore's
        except (EvalcoreError, TypeError, ValueError):
            continue
        if not path.is_file() or path.is_symlink() or path.resolve() in inputs:
            continue
        why = _why_stale(record, formats, units)
        try:
            if file_hash(path) == record.output_sha256:
                path.unlink()
                report.retired.append((record.output, why))
                continue
            reason = f"{why}；写出后被改动过，evalcore 没有删除它"
        except OSError as exc:
            reason = f"{why}；无法删除：{exc.strerror or exc}"
        manifest.carry(record)
        report.outdated.append((record.output, reason))
        report.problems.append((None, record.input, "已过期", "全表", f"{record.output}：{reason}"))


def _why_stale(record: OutputRecord, formats: Sequence[str], units: dict[tuple[str, str | None], UnitOutcome]) -> str:
    unit = units.get((record.input, record.label))
    if record.format not in formats and unit is not None and unit.row is not None:
        return f"数据、框架或版本已变，而本次没有要求 {record.format} 格式，没有重新写出"
    if unit is None:
        return f"数据文件 {record.input}{f' [{record.label}]' if record.label else ''} 不在本次的输入中"
    if unit.row is None:
        return "数据文件本次无法计分"
    return "本次没有写出此文件"


def _problem(report: OutputReport, unit: UnitOutcome, target: str, message: str, internal: bool = False) -> None:
    report.failed = True
    report.internal = report.internal or internal
    report.problems.append((unit.row.unit if unit.row is not None else None, where(unit), "无法写出", "全表", f"{target}：{message}"))


def _input_hash(path: Path, hashes: dict[Path, str]) -> str:
    # A 多单位 workbook holds many units: its bytes are hashed once.
    if path not in hashes:
        hashes[path] = file_hash(path)
    return hashes[path]


def _framework_hash(framework: Framework, registry: Registry, hashes: dict[Path, str]) -> str:
    """The framework's file and the files of the frameworks it extends, hashed together."""
    paths = [Path(framework.path)] if framework.path else []
    paths += [registry.entries[base].path for base in framework.extends if base in registry.entries]
    digest = hashlib.sha256()
    for path in paths:
        digest.update(_input_hash(path, hashes).encode("ascii"))
    return digest.hexdigest()
