"""The documentation is checked against the code: every example loads, every accepted key is described.

- every ```toml block of docs/ruleset-reference.md that contains "[framework]" is a complete framework
  that loads without warnings, and together they use every built-in rule kind;
- every ```toml block of the reference that starts with `framework =` is a data file for one of those
  frameworks, and it loads and is scored;
- every ```toml block of docs/user-guide.md that starts with `framework =` loads as data against its
  framework from the registry (the installed province plugins);
- every key the loaders accept (ruleset tables, rule kinds, data files) is mentioned in the docs,
  so that the reference cannot silently fall behind the code.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

import evalcore
from evalcore.load import FRAMEWORK_KEYS, _data
from evalcore.load import _framework as _loader
from evalcore.model import UNITS, _results
from evalcore.rules import BUILTIN_RULE_KINDS

from .conftest import ROOT

DOCS = ROOT / "docs"
REFERENCE = DOCS / "ruleset-reference.md"
GUIDE = DOCS / "user-guide.md"

_FENCE = re.compile(r"^```toml[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
_ID = re.compile(r'^\s*id\s*=\s*"([^"]+)"', re.M)
_FRAMEWORK = re.compile(r'^framework\s*=\s*"([^"]+)"', re.M)


class Block:
    """A ```toml block of a document, with the line its text starts on."""

    def __init__(self, doc: Path, line: int, text: str):
        self.doc = doc
        self.line = line
        self.text = text

    @property
    def is_framework(self) -> bool:
        return "[framework]" in self.text

    @property
    def is_data(self) -> bool:
        return self.text.startswith("framework =")

    @property
    def name(self) -> str:
        """A readable test id: the document, the line and the framework id the block defines or uses."""
        found = (_ID if self.is_framework else _FRAMEWORK).search(self.text)
        return f"{self.doc.name}:{self.line}:{found.group(1) if found else '?'}"


def toml_blocks(doc: Path) -> list[Block]:
    text = doc.read_text(encoding="utf-8")
    return [Block(doc, text.count("\n", 0, match.start(1)) + 1, match.group(1)) for match in _FENCE.finditer(text)]


def _blocks(doc: Path, kind: str) -> list[Block]:
    if not doc.exists():  # reported by test_docs_exist, not as a collection error
        return []
    return [b for b in toml_blocks(doc) if getattr(b, kind)]


FRAMEWORK_BLOCKS = _blocks(REFERENCE, "is_framework")
REFERENCE_DATA_BLOCKS = _blocks(REFERENCE, "is_data")
GUIDE_DATA_BLOCKS = _blocks(GUIDE, "is_data")


def _ids(blocks: list[Block]) -> list[str]:
    return [b.name for b in blocks]


def test_docs_exist() -> None:
    assert REFERENCE.is_file() and GUIDE.is_file()
    assert FRAMEWORK_BLOCKS, "the ruleset reference has no complete framework example"
    assert GUIDE_DATA_BLOCKS, "the user guide has no complete data file example"


# -- the ruleset reference ----------------------------------------------------------------------


@pytest.mark.parametrize("block", FRAMEWORK_BLOCKS, ids=_ids(FRAMEWORK_BLOCKS))
def test_reference_framework_example_loads_without_warnings(block: Block) -> None:
    framework = evalcore.loads_framework(block.text, name=block.name)
    assert framework.warnings == (), framework.warnings


def _reference_frameworks() -> dict[str, evalcore.Framework]:
    frameworks = {}
    for block in FRAMEWORK_BLOCKS:
        framework = evalcore.loads_framework(block.text, name=block.name)
        assert framework.id not in frameworks, f"{block.name}: framework id used twice in the reference"
        frameworks[framework.id] = framework
    return frameworks


def test_reference_examples_cover_every_builtin_rule_kind() -> None:
    used = {leaf.rule.kind for framework in _reference_frameworks().values() for leaf in framework.leaves()}
    builtin = {kind.kind for kind in BUILTIN_RULE_KINDS}
    assert builtin - used == set(), f"rule kinds without a complete example: {sorted(builtin - used)}"


def test_the_example_of_every_key_uses_every_key_and_checks_clean() -> None:
    from evalcore.checker import check_framework

    block = next(b for b in FRAMEWORK_BLOCKS if "id = \"demo.keys.2024\"" in b.text)
    written = set(re.findall(r"^(\w+)\s*=", block.text, re.M))
    assert set(_loader.INPUT_KEYS) - written == set()
    framework = evalcore.loads_framework(block.text, name="demo.toml")
    assert [(f.code, f.message) for f in check_framework(framework)] == []


@pytest.mark.parametrize("block", REFERENCE_DATA_BLOCKS, ids=_ids(REFERENCE_DATA_BLOCKS))
def test_reference_data_example_is_scored(block: Block) -> None:
    framework_id = _FRAMEWORK.search(block.text)
    assert framework_id is not None
    framework = _reference_frameworks().get(framework_id.group(1))
    assert framework is not None, f"{block.name}: no framework example in the reference has this id"
    evaluation = evalcore.evaluate(framework, evalcore.loads_data(block.text, framework))
    # The examples show a scored indicator with its trace: none of them may be missing or in error.
    assert evaluation.complete and evaluation.missing == (), [leaf.trace for leaf in evaluation.leaves()]


# -- the user guide -----------------------------------------------------------------------------


@pytest.mark.parametrize("block", GUIDE_DATA_BLOCKS, ids=_ids(GUIDE_DATA_BLOCKS))
def test_user_guide_data_example_loads_against_its_framework(block: Block) -> None:
    framework_id = _FRAMEWORK.search(block.text)
    assert framework_id is not None
    framework = evalcore.get_registry().framework(framework_id.group(1))
    data = evalcore.loads_data(block.text, framework)
    assert data.framework == framework.id
    evalcore.evaluate(framework, data)


# -- every accepted key is documented -----------------------------------------------------------


def _mentioned(key: str, text: str) -> bool:
    """`key`, `[key]`, `[[key]]`, `[key.…` or `table[].key` in backquotes, or `key =` starting a line."""
    escaped = re.escape(key)
    return re.search(rf"`(?:[^`\s]*[.\]])?\[*{escaped}(?![\w-])", text) is not None or re.search(rf"^\s*{escaped}\s*=", text, re.M) is not None


def _check_keys_literals(source: str) -> set[str]:
    """The string keys in every `….check_keys([...])` call written as a literal list in `source`."""
    keys: set[str] = set()
    for node in ast.walk(ast.parse(textwrap.dedent(source))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "check_keys":
            for arg in node.args:
                if isinstance(arg, (ast.List, ast.Tuple)):
                    keys |= {elt.value for elt in arg.elts if isinstance(elt, ast.Constant) and isinstance(elt.value, str)}
    return keys


def _docs_text() -> str:
    return REFERENCE.read_text(encoding="utf-8") + "\n" + GUIDE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name, keys",
    [
        pytest.param("FRAMEWORK_KEYS", FRAMEWORK_KEYS, id="FRAMEWORK_KEYS"),
        pytest.param("INPUT_KEYS", _loader.INPUT_KEYS, id="INPUT_KEYS"),
        pytest.param("GROUP_KEYS", _loader.GROUP_KEYS, id="GROUP_KEYS"),
        pytest.param("INDICATOR_KEYS", _loader.INDICATOR_KEYS, id="INDICATOR_KEYS"),
        # rounding, grades, zero_division and the top level: keys checked with a literal list
        pytest.param("nested", sorted(_check_keys_literals(inspect.getsource(_loader))), id="nested-tables"),
    ],
)
def test_every_ruleset_key_is_in_the_reference(name: str, keys: list[str]) -> None:
    assert keys, f"{name}: no keys found — has the loader changed shape?"
    text = REFERENCE.read_text(encoding="utf-8")
    assert [key for key in keys if not _mentioned(key, text)] == []


@pytest.mark.parametrize("kind", BUILTIN_RULE_KINDS, ids=[k.kind for k in BUILTIN_RULE_KINDS])
def test_every_rule_kind_and_its_keys_are_in_the_reference(kind: type[evalcore.Rule]) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    assert f"`{kind.kind}`" in text and kind.title in text
    keys = _check_keys_literals(inspect.getsource(kind.from_table))
    assert "kind" in keys, f"{kind.kind}: could not read the keys its loader accepts"
    assert sorted(key for key in keys if not _mentioned(key, text)) == []


def test_every_data_file_key_is_in_the_user_guide() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert [key for key in _data.ENTRY_KEYS if not _mentioned(key, text)] == []
    top_level = getattr(_data, "DATA_KEYS", None) or sorted(_check_keys_literals(inspect.getsource(_data._read)))
    assert top_level and [key for key in top_level if not _mentioned(key, text)] == []
    nested = _check_keys_literals(inspect.getsource(_data)) - set(top_level) - set(_data.ENTRY_KEYS)
    assert sorted(key for key in nested if not _mentioned(key, text)) == []


def test_every_flag_kind_and_status_is_in_the_user_guide() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert [k for k, title in _results.FLAG_KINDS.items() if f"`{k}`" not in text or title not in text] == []
    assert [k for k, word in _results.STATUSES.items() if f"`{k}`" not in text or word not in text] == []


def test_every_unit_is_in_the_reference() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    assert [unit for unit in UNITS if f"`{unit}`" not in text] == []


def test_docs_quote_the_hecheng_example_as_it_runs(registry) -> None:  # type: ignore[no-untyped-def]
    """The numbers the user guide quotes for 鹤城 are the ones evalcore gives."""
    framework = registry.framework("hunan.hecheng.dept.2020")
    evaluation = evalcore.evaluate(framework, evalcore.load_data(ROOT / "examples" / "hunan" / "hecheng-dept-2020.toml", framework))
    text = _docs_text()
    staff = evaluation.leaf("在职人员控制率")
    funds = evaluation.leaf("公用经费控制率")
    assert staff.value == Decimal("83.78") and staff.score == 2 and "31 / 37 × 100 ≈ 83.78%" in staff.trace[0]
    assert "77.98 / 86.63 × 100 ≈ 90.02%" in funds.trace[0] and funds.score == 3 and funds.self_score == 2
    assert (evaluation.total, evaluation.stated_self_total) == (99, 98)
    for quoted in ("31 / 37 × 100 ≈ 83.78%", "77.98 / 86.63 × 100 ≈ 90.02%", "计算总分：99 / 100 分", "单位自评总分：98 分（计算总分与之相差 +1 分）"):
        assert quoted in text


_TOC_ENTRY = re.compile(r"^\d+\. \[(.+)\]\(#([^)]+)\)$", re.M)


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces become hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


@pytest.mark.parametrize("name", ["ruleset-reference.md", "plugin-guide.md"])
def test_table_of_contents_lists_every_section_in_heading_order(name: str) -> None:
    text = (DOCS / name).read_text(encoding="utf-8")
    toc = _TOC_ENTRY.findall(text)
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert toc, f"{name} has no table of contents"
    assert [title for title, _ in toc] == [re.sub(r"^\d+\. ", "", h) for h in headings]
    assert [anchor for _, anchor in toc] == [_anchor(h) for h in headings]
    numbers = [int(h.split(".")[0]) for h in headings]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
