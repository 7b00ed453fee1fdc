"""The layout the architecture relies on: packages by layer, no import cycle (deferred imports and
type-only imports included), packages reached through their front doors, a light `import evalcore`,
a pinned public API with deprecated aliases for the names that moved, and a versioned plugin API.

The layer contracts themselves are import-linter's (pyproject.toml, run by .ci/run and below).
"""

from __future__ import annotations

import ast
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import evalcore
from evalcore import Registry, hookimpl

from .conftest import ROOT

SRC = ROOT / "src" / "evalcore"
PACKAGES = ("batch", "checker", "cli", "engine", "forms", "load", "model", "outputs", "plugin", "rules", "testing", "workbook")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(SRC.rglob("*.py"))}


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every evalcore module `name` imports, anywhere in it (inside functions and under
    TYPE_CHECKING too), with the line."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            # `from pkg import sub` imports the submodule; `from pkg import name`, the package.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target:
                yield target, node.lineno


GRAPH = {name: {target: line for target, line in _imports(name, path)} for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module, and modules importing themselves."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in GRAPH[node]:
                found.append(sorted(component))

    for node in GRAPH:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_deferred_and_type_only_imports_included() -> None:
    assert _cycles() == []


def test_the_cycle_finder_finds_a_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    # The check above can fail: a deferred import of the engine from the model is a cycle.
    monkeypatch.setitem(GRAPH, "evalcore.model._results", {**GRAPH["evalcore.model._results"], "evalcore.engine._tree": 1})
    assert any("evalcore.model._results" in cycle for cycle in _cycles())


def test_packages_are_reached_through_their_front_doors() -> None:
    # A package's private modules are its own: others import what its __init__ exports.
    reached_around = [
        f"{name}:{line} imports {target}"
        for name, targets in GRAPH.items()
        for target, line in targets.items()
        if target.rpartition(".")[2].startswith("_") and target.count(".") == 2 and not name.startswith(target.rpartition(".")[0] + ".") and name != target.rpartition(".")[0]
    ]
    assert reached_around == []


def test_the_root_holds_only_the_front_door_packages_and_data() -> None:
    files = sorted(p.name for p in SRC.iterdir() if not p.is_dir() and p.name != "__pycache__")
    assert files == ["__init__.py", "__main__.py", "py.typed"]
    folders = sorted(p.name for p in SRC.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == sorted((*PACKAGES, "scaffold"))  # the national rulesets are copied in when a wheel is built


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_says_what_lives_there_and_what_it_may_import(package: str) -> None:
    doc = ast.get_docstring(ast.parse((SRC / package / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert len(doc.splitlines()) >= 2
    assert "import" in doc, f"evalcore.{package}: the docstring should say what the package may import"


def test_modules_stay_small() -> None:
    large = {name: n for name, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500}
    assert large == {}


def test_import_evalcore_loads_no_drawing_or_document_library() -> None:
    code = "import sys, evalcore; print(sorted(m for m in ('rich', 'click', 'openpyxl', 'docx') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_front_door_is_pinned() -> None:
    assert evalcore.__all__ == [
        "API_VERSION",
        "DataError",
        "EvalcoreError",
        "Evaluation",
        "Finding",
        "Flag",
        "FormatOptions",
        "Formatter",
        "Framework",
        "GroupResult",
        "Indicator",
        "IndicatorEntry",
        "LeafResult",
        "LoadContext",
        "Outcome",
        "Registry",
        "Rule",
        "RulesetError",
        "ScoringContext",
        "Table",
        "UnitData",
        "check_framework",
        "evaluate",
        "fmt",
        "get_registry",
        "hookimpl",
        "load_data",
        "load_framework",
        "loads_data",
        "loads_framework",
    ]
    assert all(hasattr(evalcore, name) for name in evalcore.__all__)


@pytest.mark.parametrize("name", sorted(evalcore.MOVED))
def test_a_moved_name_still_works_with_a_deprecation_warning(name: str) -> None:
    import importlib

    with pytest.warns(DeprecationWarning, match=rf"evalcore\.{name} moved to {evalcore.MOVED[name]}"):
        old = getattr(evalcore, name)
    assert old is getattr(importlib.import_module(evalcore.MOVED[name]), name)


def test_a_name_never_exported_is_an_attribute_error() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError):
            evalcore.NoSuchName  # noqa: B018


class _Plugin:
    """A plugin module stand-in declaring the plugin API versions it works with."""

    def __init__(self, api: str | None) -> None:
        if api is not None:
            self.EVALCORE_API = api

    @hookimpl
    def evalcore_frameworks(self) -> list[Path]:
        return [ROOT / "rulesets" / "hunan" / "hecheng-dept-2020.toml"]


@pytest.mark.parametrize(
    ("api", "accepted"),
    [
        (None, True),
        (">=1.0,<2", True),
        (f"=={evalcore.API_VERSION}", True),
        (">=2", False),
        ("<1.0", False),
        ("版本一", False),
    ],
)
def test_a_plugin_is_used_only_with_the_api_versions_it_declares(api: str | None, accepted: bool) -> None:
    registry = Registry.build(entry_points=False, extra=[("county", _Plugin(api))])
    assert ("hunan.hecheng.dept.2020" in registry.entries) is accepted
    county = next(plugin for plugin in registry.plugins if plugin.name == "county")
    if accepted:
        assert county.errors == ()
    else:
        assert len(county.errors) == 1
        assert "EVALCORE_API" in county.errors[0] or evalcore.API_VERSION in county.errors[0]


def test_the_province_plugins_declare_the_api_they_work_with() -> None:
    import evalcore_hunan
    import evalcore_sichuan
    from evalcore.plugin import api_refusal

    for plugin in (evalcore_hunan, evalcore_sichuan):
        assert isinstance(getattr(plugin, "EVALCORE_API", None), str)
        assert api_refusal(plugin) is None


def test_a_file_of_an_installed_package_is_named_by_its_package(tmp_path: Path) -> None:
    from evalcore.model import display_path

    installed = tmp_path / "venv" / "lib" / "python3.11" / "site-packages" / "evalcore_hunan" / "rulesets" / "hecheng-dept-2020.toml"
    assert display_path(installed) == "evalcore_hunan: rulesets/hecheng-dept-2020.toml"
    windows = Path("C:/Users/财务科/evalcore/Lib/site-packages/evalcore_sichuan/rulesets/project-targets-2023.toml")
    assert display_path(windows) == "evalcore_sichuan: rulesets/project-targets-2023.toml"


def test_names_imported_when_first_used_are_listed_and_resolve() -> None:
    """The target form's names are imported from their modules on first use: dir() lists them
    before, and each is its module's object after."""
    import importlib

    for package, module, name in (("evalcore.model", "evalcore.model._target_form", "FormData"), ("evalcore.rules", "evalcore.rules._targets", "TargetRule"), ("evalcore.forms", "evalcore.forms._targets", "parse_target"), ("evalcore.load", "evalcore.load._form", "read_form_data")):
        front = importlib.import_module(package)
        assert name in dir(front) and name in front.__all__
        assert getattr(front, name) is getattr(importlib.import_module(module), name)
    with pytest.raises(AttributeError):
        importlib.import_module("evalcore.model").NoSuchName  # noqa: B018
