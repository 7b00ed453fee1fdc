"""Every command shown in the two user guides runs, and prints what the guide shows.

docs/officer-guide.md (单位财务人员指南) and docs/reviewer-guide.md (财政审核人员指南) show the
commands with their real output. This test keeps them honest:

- every fenced block with the language ``console`` holds one or more command lines ``$ evalcore …``,
  each followed by the output the guide shows ("……" marks a cut);
- the commands of one block run in order, as real processes (``python -m evalcore``), in a fresh
  working directory that holds copies of the repository's ``examples/`` and ``tests/fixtures/`` and
  of the scratch files the guides describe (see below), with stdout piped (80 columns, no colour);
- each command must exit 0, except the last command of a block when the line right after the block
  says ``（退出码 N）``: it must exit N;
- every output line the guide shows for a command must appear in its real output, in the order
  shown (stderr then stdout, trailing spaces ignored; "……" cuts a line or skips lines);
- ``/tmp/…`` in a command is the scratch placeholder: the test runs it with a private temporary
  directory instead, and writes that directory back as ``/tmp`` before comparing output.

The scratch files (the officer's filled 基础数据表.xlsx and its faulty copies, small data files with
mistakes, the reviewer's copies with 审核得分) are built once, from the guides themselves, in
document order (officer guide first). An HTML comment in the Markdown, invisible when rendered,
says what the next block or table is:

- ``<!-- 文件 NAME -->`` before a ```toml block: the block is the whole file NAME;
- ``<!-- 改写 NAME 底稿 SOURCE -->`` before a ```toml block: NAME is a copy of SOURCE (a repository
  path or an earlier scratch file) in which every table the block shows (``[inputs]``,
  ``[indicators."…"]``, and the top-level keys when the block starts with them) is replaced by the
  block's version; tables SOURCE does not have are appended;
- ``<!-- 填表 NAME 页 SHEET [底稿 BASE | 模板 FRAMEWORK [--multi]] -->`` before a Markdown table:
  the cells are typed into sheet SHEET of workbook NAME, which starts as a copy of the scratch
  workbook BASE, or as ``evalcore template FRAMEWORK [--multi] -o NAME``. The table's first column
  names the row (matched against column A of the sheet; rows of the 多单位 sheet are appended), the
  other headers name the sheet's columns. A cell is typed as a person types it into Excel: ``37`` and
  ``77.98`` become numbers, ``95%`` becomes 0.95 shown as a percentage, anything else stays text; an
  empty cell is left alone and ``（清空）`` empties the cell.

A block whose commands neither read a scratch file nor write into the working directory (``-o``
outside ``/tmp/``) runs in the repository root, as the guides say (paths such as
``rulesets/hunan/…`` in the output are then the ones the guides show). Any other block runs in its own
temporary directory with copies of ``examples/``, ``tests/fixtures/`` and the scratch files, except
those that one of its commands writes with ``-o`` (unless it also reads them), so that
``evalcore template … -o 基础数据表.xlsx`` starts from a directory without that file.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import ROOT

GUIDES = [ROOT / "docs" / "officer-guide.md", ROOT / "docs" / "reviewer-guide.md"]
SCRATCH_PLACEHOLDER = "/tmp"
COPIED_TREES = ["examples", "tests/fixtures"]
MULTI_SHEET = "多单位"
CLEAR = "（清空）"

_FENCE = re.compile(r"^```([\w-]*)[ \t]*$")
_MARKER = re.compile(r"^<!--\s*(文件|改写|填表)\s+(.*?)\s*-->\s*$")
_EXIT = re.compile(r"^（退出码\s*(\d+)）")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_PERCENT = re.compile(r"^([+-]?\d+(?:\.\d+)?)%$")
_HEADER = re.compile(r"^\s*\[")


# ---------------------------------------------------------------------------------------------
# Reading the guides
# ---------------------------------------------------------------------------------------------


@dataclass
class Command:
    line: int  # 1-based line of the "$ evalcore" line in the guide
    argv: list[str]  # the arguments after "evalcore"
    shown: list[str]  # the output lines the guide shows under it


@dataclass
class Block:
    guide: Path
    line: int
    commands: list[Command]
    exit_code: int = 0

    @property
    def id(self) -> str:
        return f"{self.guide.name}:{self.line}"


@dataclass
class Scratch:
    """A scratch file described by a marker: what to build, from what, with what."""

    verb: str  # 文件 / 改写 / 填表
    name: str
    options: dict[str, str]
    line: int
    text: str = ""  # the toml block
    table: list[list[str]] = field(default_factory=list)  # header row first


def _lines(guide: Path) -> list[str]:
    return guide.read_text(encoding="utf-8").splitlines()


def _fence_end(lines: list[str], start: int, where: str) -> int:
    for index in range(start + 1, len(lines)):
        if lines[index].strip() == "```":
            return index
    raise AssertionError(f"{where}: code block is not closed")


def console_blocks(guide: Path) -> list[Block]:
    lines = _lines(guide)
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if not fence or not fence.group(1):
            index += 1
            continue
        end = _fence_end(lines, index, f"{guide.name}:{index + 1}")
        if fence.group(1) == "console":
            blocks.append(_console_block(guide, lines, index, end))
        index = end + 1
    return blocks


def _console_block(guide: Path, lines: list[str], start: int, end: int) -> Block:
    commands: list[Command] = []
    for number in range(start + 1, end):
        text = lines[number]
        if text.startswith("$"):
            assert text.startswith("$ evalcore"), f"{guide.name}:{number + 1}: a command line must start with '$ evalcore'"
            commands.append(Command(number + 1, shlex.split(text[len("$ evalcore") :]), []))
        else:
            assert commands, f"{guide.name}:{number + 1}: output before the first '$ evalcore' line"
            commands[-1].shown.append(text.rstrip())
    assert commands, f"{guide.name}:{start + 1}: a console block without a '$ evalcore' line"
    exit_code = 0
    for after in lines[end + 1 :]:
        if after.strip():
            found = _EXIT.match(after.strip())
            exit_code = int(found.group(1)) if found else 0
            break
    return Block(guide, commands[0].line, commands, exit_code)


def scratch_files(guide: Path) -> list[Scratch]:
    lines = _lines(guide)
    found: list[Scratch] = []
    for index, text in enumerate(lines):
        marker = _MARKER.match(text.strip())
        if not marker:
            continue
        where = f"{guide.name}:{index + 1}"
        verb, words = marker.group(1), marker.group(2).split()
        assert words, f"{where}: the marker names no file"
        options: dict[str, str] = {}
        rest = words[1:]
        while rest:
            key = rest.pop(0)
            if key == "--multi":
                options["multi"] = "yes"
                continue
            assert rest, f"{where}: “{key}” has no value"
            options[key] = rest.pop(0)
        item = Scratch(verb, words[0], options, index + 1)
        following = next((n for n in range(index + 1, len(lines)) if lines[n].strip()), len(lines))
        if verb in ("文件", "改写"):
            assert following < len(lines) and lines[following].strip() == "```toml", f"{where}: a ```toml block must follow"
            end = _fence_end(lines, following, where)
            item.text = "\n".join(lines[following + 1 : end]) + "\n"
        else:
            assert "页" in options, f"{where}: 填表 needs 页 SHEET"
            rows = []
            for text_line in lines[following:]:
                if not text_line.strip().startswith("|"):
                    break
                rows.append([cell.strip().strip("`").strip() for cell in text_line.strip().strip("|").split("|")])
            assert len(rows) >= 3, f"{where}: a Markdown table must follow"
            item.table = [rows[0]] + rows[2:]  # drop the |---| line
        found.append(item)
    return found


BLOCKS = [block for guide in GUIDES if guide.exists() for block in console_blocks(guide)]


# ---------------------------------------------------------------------------------------------
# Building the scratch files
# ---------------------------------------------------------------------------------------------


def _environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("EVALCORE_DEBUG", "NO_COLOR", "TERM")}
    environment.update({"COLUMNS": "80", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    return environment


def evalcore(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "evalcore", *argv], check=False, capture_output=True, text=True, cwd=cwd, env=_environment(), timeout=120)


def _sections(text: str) -> list[tuple[str, list[str]]]:
    """A TOML text as (table header, lines) pairs; the top-level keys have the header ""."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        if _HEADER.match(line):
            sections.append((line.strip(), []))
        else:
            sections[-1][1].append(line)
    return sections


def rewrite(source: str, changes: str) -> str:
    sections = _sections(source)
    for header, body in _sections(changes):
        if not header and not any(line.strip() and not line.strip().startswith("#") for line in body):
            continue
        for number, (existing, _) in enumerate(sections):
            if existing == header:
                sections[number] = (header, body + [""])
                break
        else:
            sections.append((header, body + [""]))
    out: list[str] = []
    for header, body in sections:
        if header:
            out.append(header)
        out.extend(body)
    return "\n".join(out).rstrip("\n") + "\n"


def typed(text: str) -> tuple[object, str]:
    """What Excel stores when a person types `text` into a fresh cell: value and number format."""
    if text == CLEAR:
        return None, "General"
    if _NUMBER.match(text):
        return (int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)), "General"
    percent = _PERCENT.match(text)
    if percent:
        digits = percent.group(1)
        return float(digits) / 100, "0%" if "." not in digits else "0." + "0" * len(digits.split(".")[1]) + "%"
    return text, "General"


def fill(path: Path, sheet_name: str, table: list[list[str]], where: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    assert sheet_name in book.sheetnames, f"{where}: {path.name} has no sheet “{sheet_name}”"
    sheet = book[sheet_name]
    columns = {str(cell.value).strip(): cell.column for cell in sheet[1] if cell.value is not None}
    header, rows = table[0], table[1:]
    assert header[0] == str(sheet.cell(row=1, column=1).value).strip(), f"{where}: the first column must be “{sheet.cell(row=1, column=1).value}”"
    for name in header[1:]:
        assert name in columns, f"{where}: sheet “{sheet_name}” has no column “{name}”"
    keys = {str(sheet.cell(row=r, column=1).value).strip(): r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value is not None}
    for cells in rows:
        assert len(cells) == len(header), f"{where}: row {cells} does not have {len(header)} cells"
        row = keys.get(cells[0])
        if row is None:
            assert sheet_name == MULTI_SHEET, f"{where}: sheet “{sheet_name}” has no row “{cells[0]}”"
            row = sheet.max_row + 1
            sheet.cell(row=row, column=1).value = cells[0]
            keys[cells[0]] = row
        for name, text in zip(header[1:], cells[1:]):
            if not text:
                continue
            cell = sheet.cell(row=row, column=columns[name])
            cell.value, cell.number_format = typed(text)
    book.save(path)


def build_scratch(seed: Path) -> None:
    for guide in GUIDES:
        if not guide.exists():
            continue
        for item in scratch_files(guide):
            where = f"{guide.name}:{item.line}"
            target = seed / item.name
            if item.verb == "文件":
                target.write_text(item.text, encoding="utf-8")
            elif item.verb == "改写":
                source_name = item.options.get("底稿")
                assert source_name, f"{where}: 改写 needs 底稿 SOURCE"
                source = seed / source_name if (seed / source_name).exists() else ROOT / source_name
                target.write_text(rewrite(source.read_text(encoding="utf-8"), item.text), encoding="utf-8")
            else:
                if not target.exists():
                    if "模板" in item.options:
                        argv = ["template", item.options["模板"], "-o", item.name] + (["--multi"] if "multi" in item.options else [])
                        made = evalcore(argv, seed)
                        assert made.returncode == 0, f"{where}: {made.stderr}"
                    else:
                        base = item.options.get("底稿")
                        assert base and (seed / base).exists(), f"{where}: 填表 of a new file needs 底稿 (an earlier scratch workbook) or 模板"
                        shutil.copyfile(seed / base, target)
                fill(target, item.options["页"], item.table, where)


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("guide-scratch")
    build_scratch(directory)
    return directory


# ---------------------------------------------------------------------------------------------
# Running the blocks
# ---------------------------------------------------------------------------------------------


def _written(argv: list[str]) -> set[str]:
    """Files a command writes with -o that it does not also read."""
    out = {argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg in ("-o", "--output")}
    read = {arg for i, arg in enumerate(argv) if not arg.startswith("-") and (i == 0 or argv[i - 1] not in ("-o", "--output"))}
    return out - read


def _isolated(block: Block, seed: Path) -> bool:
    """Whether a block reads a scratch file or writes into its working directory."""
    names = {item.name for item in seed.iterdir()}
    for command in block.commands:
        targets = [command.argv[i + 1] for i, arg in enumerate(command.argv[:-1]) if arg in ("-o", "--output")]
        if any(not t.startswith(SCRATCH_PLACEHOLDER + "/") for t in targets) or names & set(command.argv):
            return True
    return False


def _workdir(tmp_path: Path, seed: Path, block: Block) -> tuple[Path, Path]:
    """The working directory for a block (the repository root when it is safe) and its /tmp."""
    work, scratch = tmp_path / "work", tmp_path / "scratch"
    scratch.mkdir()
    if not _isolated(block, seed):
        return ROOT, scratch
    work.mkdir()
    for tree in COPIED_TREES:
        shutil.copytree(ROOT / tree, work / tree, ignore=shutil.ignore_patterns("__pycache__"))
    skip = set().union(*(_written(c.argv) for c in block.commands))
    for item in seed.iterdir():
        if item.is_file() and item.name not in skip:
            shutil.copyfile(item, work / item.name)
    return work, scratch


def _placeholder(arg: str, scratch: Path) -> str:
    if arg == SCRATCH_PLACEHOLDER or arg.startswith(SCRATCH_PLACEHOLDER + "/"):
        return str(scratch) + arg[len(SCRATCH_PLACEHOLDER) :]
    return arg


def _shown_pieces(command: Command) -> list[str]:
    """The output a guide shows for a command, as the pieces that must appear in order: each line
    stripped, a line cut with "……" split at the cut, the cuts themselves and empty lines dropped."""
    pieces: list[str] = []
    for text in command.shown:
        pieces.extend(piece.strip() for piece in text.split("……") if piece.strip())
    return pieces


def _missing_piece(pieces: list[str], output: str) -> str | None:
    """The first piece not found in the output after the previous one; None when all are there."""
    at = 0
    for piece in pieces:
        found = output.find(piece, at)
        if found < 0:
            return piece
        at = found + len(piece)
    return None


# EVALCORE_UPDATE_GUIDES=1 rewrites the output a guide shows where it no longer matches: the real
# output, cut where the guide cut it (the same number of lines before the first "……" and after the
# last). Read the diff before committing it, as with the golden files.
UPDATE = bool(os.environ.get("EVALCORE_UPDATE_GUIDES"))
_REWRITES: dict[Path, dict[int, tuple[int, list[str]]]] = {}


def _reshown(shown: list[str], output: str) -> list[str]:
    """The real output, cut where the guide cut it: each run of lines between "……" kept where it
    still appears (in order), else replaced by as many real lines from where its first line's
    words now are; a run whose first line is gone is dropped, and one ending the block runs on to
    the end of the output."""
    real = output.strip("\n").splitlines()
    runs: list[list[str]] = [[]]
    for text in shown:
        if text.strip() == "……":
            runs.append([])
        else:
            runs[-1].append(text)
    new: list[str] = []
    at = 0
    for number, run in enumerate(runs):
        if number:
            new.append("……")
        lines = [text for text in run if text.strip()]
        if not lines:
            new.extend(run)
            continue
        found = _found_at(run, real, at)
        if found is not None:
            new.extend(run)
            at = found
            continue
        anchor = lines[0].strip()[:6]
        start = next((i for i in range(at, len(real)) if real[i].strip().startswith(anchor)), None)
        if start is None and number == 0:
            start = 0
        if start is None:
            continue
        end = len(real) if number == len(runs) - 1 else min(len(real), start + len(run))
        new.extend(real[start:end])
        at = end
    while new and new[-1] == "……" and len(runs) > 1 and runs[-1]:
        new.pop()
    return new


def _found_at(run: list[str], real: list[str], at: int) -> int | None:
    """The real line after a run of shown lines found in order from line `at`, or None."""
    text = "\n".join(real[at:])
    pieces = [piece.strip() for line in run for piece in line.split("……") if piece.strip()]
    position = 0
    for piece in pieces:
        found = text.find(piece, position)
        if found < 0:
            return None
        position = found + len(piece)
    return at + text[:position].count("\n") + 1


@pytest.fixture(scope="module", autouse=True)
def _rewrite_guides() -> Iterator[None]:
    yield
    for guide, rewrites in _REWRITES.items():
        lines = _lines(guide)
        for line in sorted(rewrites, reverse=True):
            count, new = rewrites[line]
            lines[line : line + count] = new
        guide.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_guides_show_commands() -> None:
    for guide in GUIDES:
        assert guide.exists(), f"{guide} is missing"
        assert len(console_blocks(guide)) >= 10, f"{guide.name} shows fewer than 10 commands"


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_guide_command(block: Block, seed: Path, tmp_path: Path) -> None:
    work, scratch = _workdir(tmp_path, seed, block)
    for number, command in enumerate(block.commands):
        last = number == len(block.commands) - 1
        expected = block.exit_code if last else 0
        argv = [_placeholder(arg, scratch) for arg in command.argv]
        result = evalcore(argv, work)
        # Warnings and errors come first, as a terminal shows them before the table they precede.
        output = (result.stderr + result.stdout).replace(str(scratch), SCRATCH_PLACEHOLDER)
        output = "\n".join(line.rstrip() for line in output.splitlines())
        where = f"{block.guide.name}:{command.line}: evalcore {shlex.join(command.argv)}"
        assert result.returncode == expected, f"{where}\nexit code {result.returncode}, the guide says {expected}\n{output}"
        missing = _missing_piece(_shown_pieces(command), output)
        if missing is not None and UPDATE:
            _REWRITES.setdefault(block.guide, {})[command.line] = (len(command.shown), _reshown(command.shown, output))
            continue
        assert missing is None, f"{where}\nthe guide shows “{missing}” (in this order), the command printed:\n{output}"
