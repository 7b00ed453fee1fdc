"""The case-file harness itself: a wrong expectation fails with a per-indicator diff, both under
pytest (the plugin shipped in evalcore.testing) and under `evalcore test`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import EXAMPLES
from .test_cli import run

WRONG = """
framework = "hunan.hecheng.dept.2020"
name = "wrong"
data = "{data}"
source = "为测试而故意写错的预期"

[expect]
total = 98
grade = "良"
flags = ["division_by_zero"]

[expect.indicators]
"公用经费控制率" = {{ score = 2, status = "scored" }}
"""


def write_case(tmp_path: Path) -> Path:
    cases = tmp_path / "cases"
    cases.mkdir()
    path = cases / "wrong.toml"
    path.write_text(WRONG.format(data=(EXAMPLES / "hunan" / "hecheng-dept-2020.toml").as_posix()), encoding="utf-8")
    return path


def test_evalcore_test_reports_every_difference(tmp_path: Path) -> None:
    path = write_case(tmp_path)
    result = run("test", str(path))
    assert result.returncode == 1
    out = result.stdout
    assert "不通过 hunan.hecheng.dept.2020::wrong" in out
    assert "总分：预期 98，实际 99" in out
    assert "等级：预期 '良'，实际 '优'" in out
    assert "应有问题“division_by_zero”" in out
    assert "过程/预算执行/公用经费控制率：得分 预期 2 实际 3" in out and "90.02% ≤ 100%" in out


def _pytest(project: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options, str(project)], capture_output=True, text=True, cwd=project, timeout=120
    )


def test_pytest_collects_case_files_with_readable_ids_when_asked(tmp_path: Path) -> None:
    write_case(tmp_path)
    result = _pytest(tmp_path, "-p", "evalcore.testing")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "hunan.hecheng.dept.2020::wrong" in result.stdout
    assert "公用经费控制率：得分 预期 2 实际 3" in result.stdout
    # The same, asked for in the project's root conftest.py.
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["evalcore.testing"]\n', encoding="utf-8")
    assert "hunan.hecheng.dept.2020::wrong" in _pytest(tmp_path).stdout


def test_installing_evalcore_changes_no_other_projects_tests(tmp_path: Path) -> None:
    # An unrelated project with a tests/cases/config.toml and one test of its own.
    (tmp_path / "tests" / "cases").mkdir(parents=True)
    (tmp_path / "tests" / "cases" / "config.toml").write_text('name = "not an evalcore case"\n', encoding="utf-8")
    (tmp_path / "tests" / "test_own.py").write_text("def test_own() -> None:\n    assert True\n", encoding="utf-8")
    result = _pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout and "evalcore" not in result.stdout + result.stderr


def test_unreadable_case_file(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "bad.toml").write_text('framework = "x"\ndata = "y.toml"\n[expect]\ntotal = 1\n', encoding="utf-8")
    result = run("test", str(cases))
    assert result.returncode == 2 and "source" in result.stdout


def test_cases_of_a_framework_not_yet_installed(tmp_path: Path) -> None:
    from .helpers import staff_framework

    rules = tmp_path / "rules.toml"
    rules.write_text(staff_framework(), encoding="utf-8")
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "one.toml").write_text(
        'framework = "test.unit.2024"\nsource = "按规则手算：12 / 10 = 120%，超过 20 个百分点，扣 10 分，扣完为止"\n'
        '[data]\ninputs = { "编制数" = 10, "在职人员数" = 12 }\n[expect]\ntotal = 0\n',
        encoding="utf-8",
    )
    assert run("test", str(cases)).returncode == 1  # unknown framework until it is named
    result = run("test", str(cases), "--framework", str(rules))
    assert result.returncode == 0, result.stdout


def test_a_case_names_a_ruleset_file_instead_of_an_installed_id(tmp_path: Path) -> None:
    from .helpers import staff_framework

    (tmp_path / "variant.toml").write_text(staff_framework(), encoding="utf-8")
    cases = tmp_path / "cases"
    cases.mkdir()
    body = '[data]\ninputs = {{ "编制数" = 10, "在职人员数" = 12 }}\n[expect]\ntotal = {total}\n'
    head = 'framework = "../variant.toml"\nsource = "按规则手算：12 / 10 = 120%，超过 20 个百分点，扣 10 分，扣完为止"\n'
    (cases / "right.toml").write_text(head + body.format(total=0), encoding="utf-8")
    result = run("test", str(cases))
    assert result.returncode == 0, result.stdout
    assert "通过  ../variant.toml::right" in result.stdout
    (cases / "wrong.toml").write_text(head + body.format(total=10), encoding="utf-8")
    result = run("test", str(cases / "wrong.toml"))
    assert result.returncode == 1 and "总分：预期 10，实际 0" in result.stdout
    (cases / "gone.toml").write_text(head.replace("variant", "nowhere") + body.format(total=0), encoding="utf-8")
    result = run("test", str(cases / "gone.toml"))
    assert result.returncode == 2 and "找不到规则文件" in result.stdout and "nowhere.toml" in result.stdout
