"""Output files: names made from user text, paths that stay in their folder, atomic writes that
never replace a file without --force and never write through a special file."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from evalcore import EvalcoreError

from .conftest import EXAMPLES
from .test_cli import run

HECHENG = EXAMPLES / "hunan" / "hecheng-dept-2020.toml"


@pytest.mark.parametrize(
    "text, name",
    [
        ('a<b>c:d"e/f\\g|h?i*j', "a_b_c_d_e_f_g_h_i_j"),
        ("A\u0007B", "A_B"),
        ("CON", "_CON"),
        ("nul.xlsx", "_nul.xlsx"),
        ("com1", "_com1"),
        ("单位. ", "单位"),
        (" ..", "_"),
        ("..", "_"),
        ("", "_"),
        ("怀化市鹤城区社会保险服务中心", "怀化市鹤城区社会保险服务中心"),
    ],
)
def test_safe_names_are_valid_on_windows(text: str, name: str) -> None:
    from evalcore.outputs import safe_name

    assert safe_name(text) == name


def test_safe_names_are_bounded_in_bytes_between_characters() -> None:
    from evalcore.outputs import safe_name

    name = safe_name("鹤" * 200)
    assert len(name.encode("utf-8")) <= 150 and name == "鹤" * 50
    assert len(safe_name("a" * 300, max_bytes=20)) == 20


def test_duplicate_names_are_numbered_ignoring_case() -> None:
    from evalcore.outputs import UniqueNames

    names = UniqueNames(("汇总.xlsx",))
    assert [names.take("甲", ".xlsx"), names.take("甲", ".xlsx"), names.take("A", ".xlsx"), names.take("a", ".xlsx"), names.take("汇总", ".xlsx")] == [
        "甲.xlsx",
        "甲-2.xlsx",
        "A.xlsx",
        "a-2.xlsx",
        "汇总-2.xlsx",
    ]


@pytest.mark.parametrize("name", ["../x.md", "/etc/x.md", "a/b.md", "a\\b.md", "..", ".", ""])
def test_an_output_path_never_leaves_its_folder(tmp_path: Path, name: str) -> None:
    from evalcore.outputs import output_path

    with pytest.raises(EvalcoreError):
        output_path(tmp_path, name)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_an_output_path_through_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    from evalcore.outputs import output_path

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x.md").symlink_to(tmp_path / "elsewhere.md")
    with pytest.raises(EvalcoreError, match="目录之外"):
        output_path(tmp_path / "out", "x.md")
    assert output_path(tmp_path / "out", "y.md") == tmp_path / "out" / "y.md"


def test_write_output_refuses_an_existing_file_unless_asked_to_replace_it(tmp_path: Path) -> None:
    from evalcore.outputs import write_output

    target = tmp_path / "a.txt"
    write_output(target, "one", [], replace=False)
    with pytest.raises(EvalcoreError, match="文件已存在"):
        write_output(target, "two", [], replace=False)
    assert target.read_text(encoding="utf-8") == "one"
    write_output(target, "two", [])
    assert target.read_text(encoding="utf-8") == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary file left


def test_run_refuses_to_replace_a_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "评分表.json"
    target.write_text("手工修改过的文件", encoding="utf-8")
    refused = run("run", str(HECHENG), "-o", str(target))
    assert refused.returncode == 2 and "文件已存在" in refused.stderr and "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "手工修改过的文件"
    replaced = run("run", str(HECHENG), "-o", str(target), "--force")
    assert replaced.returncode == 0, replaced.stderr
    assert target.read_text(encoding="utf-8").startswith("{")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("force", [False, True])
def test_run_never_writes_through_a_named_pipe(tmp_path: Path, force: bool) -> None:
    pipe = tmp_path / "评分表.xlsx"
    os.mkfifo(pipe)
    result = run("run", str(HECHENG), "-o", str(pipe), *(["--force"] if force else []))
    assert result.returncode == 2 and "不是普通文件" in result.stderr
    assert pipe.is_fifo()


def test_run_refuses_a_directory_as_output(tmp_path: Path) -> None:
    (tmp_path / "评分表.xlsx").mkdir()
    result = run("run", str(HECHENG), "-o", str(tmp_path / "评分表.xlsx"), "--force")
    assert result.returncode == 2 and "是一个目录" in result.stderr


def _plugin_site(site: Path, ids: list[str]) -> None:
    """An installed plugin (a distribution on PYTHONPATH) providing one framework per id."""
    from .helpers import staff_framework

    rulesets = site / "evalcore_ids" / "rulesets"
    rulesets.mkdir(parents=True)
    (site / "evalcore_ids" / "__init__.py").write_text(
        "from pathlib import Path\n\nfrom evalcore import hookimpl\n\n\n@hookimpl\ndef evalcore_frameworks():\n    return [Path(__file__).parent / 'rulesets']\n", encoding="utf-8"
    )
    for number, framework_id in enumerate(ids):
        (rulesets / f"f{number}.toml").write_text(staff_framework().replace('id = "test.unit.2024"', f'id = "{framework_id}"'), encoding="utf-8")
    info = site / "evalcore_ids-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evalcore-ids\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[evalcore]\nids = evalcore_ids\n", encoding="utf-8")


def test_reference_pages_are_named_safely_distinctly_and_linked_as_written(tmp_path: Path) -> None:
    # CON is a device on Windows; AB.x and ab.x are one file where case is ignored (Windows, macOS);
    # README.md is the index's name.
    site = tmp_path / "site"
    _plugin_site(site, ["CON", "AB.x", "ab.x", "README"])
    out = tmp_path / "a" / "b"
    result = run("reference", "-o", str(out), env={"PYTHONPATH": os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])})
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in out.iterdir())
    assert {"_CON.md", "AB.x.md", "ab.x-2.md", "README-2.md", "README.md"} <= set(written)
    assert len({name.casefold() for name in written}) == len(written)  # none would overwrite another
    assert sorted(result.stdout.splitlines()) == sorted(str(out / name) for name in written)  # each written once, as said
    index = (out / "README.md").read_text(encoding="utf-8")
    links = dict(re.findall(r"\| \[([^]]+)\]\(([^)]+)\) \|", index))
    assert {framework_id: links[framework_id] for framework_id in ("CON", "AB.x", "ab.x", "README")} == {"CON": "_CON.md", "AB.x": "AB.x.md", "ab.x": "ab.x-2.md", "README": "README-2.md"}
    for framework_id, name in links.items():  # every link leads to that framework's page
        assert name in written and f"`{framework_id}`" in (out / name).read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.md")) and not list((tmp_path / "a").glob("*.md"))
