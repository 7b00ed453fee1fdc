"""`evalcore new-plugin` creates a package that installs into a fresh virtual environment with the
core and passes `evalcore frameworks`, `evalcore check --strict` and its own tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_cli import run


def test_new_plugin_refuses_bad_names_and_non_empty_directories(tmp_path: Path) -> None:
    assert run("new-plugin", "Tao-Jiang", "-o", str(tmp_path / "x")).returncode == 2
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x", encoding="utf-8")
    result = run("new-plugin", "taojiang", "-o", str(tmp_path / "full"))
    assert result.returncode == 2 and "不为空" in result.stderr
    assert (tmp_path / "full" / "keep.txt").read_text(encoding="utf-8") == "x"


@pytest.mark.slow
def test_new_plugin_works_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    plugin = tmp_path / "evalcore-demo"
    created = run("new-plugin", "demo", "--region", "湖南省/益阳市/示例县", "--year", "2025", "-o", str(plugin))
    assert created.returncode == 0, created.stderr
    bin_dir, env, evalcore = _installed(tmp_path, plugin)

    frameworks = evalcore("frameworks")
    assert frameworks.returncode == 0 and "demo.dept.2025" in frameworks.stdout
    checked = evalcore("check", "--strict", "demo.dept.2025")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = evalcore("run", "examples/example.toml", "--format", "json")
    assert ran.returncode == 0 and '"total": "100"' in ran.stdout
    tests = subprocess.run([str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"], capture_output=True, text=True, cwd=plugin, timeout=300, env=env)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "demo.dept.2025::example" in subprocess.run(
        [str(bin_dir / "python"), "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"], capture_output=True, text=True, cwd=plugin, timeout=300, env=env
    ).stdout


def test_an_unknown_region_level_is_a_clear_error_listing_the_levels(tmp_path: Path) -> None:
    result = run("new-plugin", "demo", "--kind", "targets", "--region", "江川/临水市", "-o", str(tmp_path / "x"))
    assert result.returncode == 2
    assert "“江川”看不出是哪一级" in result.stderr and "省、" in result.stderr and "县" in result.stderr and "湖南省/益阳市/桃江县" in result.stderr
    assert not (tmp_path / "x").exists()


def test_the_target_form_skeleton_checks_clean_and_scores_its_example_as_worked_by_hand(tmp_path: Path) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from evalcore import check_framework, evaluate, load_data, load_framework
    from evalcore.testing import assert_sound, unit_data

    plugin = tmp_path / "evalcore-demo"
    created = run("new-plugin", "demo", "--kind", "targets", "--region", "江川省/临水市", "--year", "2025", "-o", str(plugin))
    assert created.returncode == 0, created.stderr
    assert "demo.project-targets.2025" in created.stdout
    framework = load_framework(plugin / "src" / "evalcore_demo" / "rulesets" / "demo.toml")
    assert framework.form is not None and framework.form.blocks, "the skeleton shows a block"
    assert [f.message for f in check_framework(framework) if f.severity != "info"] == []
    evaluation = evaluate(framework, load_data(plugin / "examples" / "example.toml", framework))
    # Worked by hand (财预〔2020〕10号 rule): 10 × 95% = 9.5; 20 × (100% + 90% + 100%) / 3 = 19.333… →
    # 19.33; 10 + 10 + 10; 30 × (94.44% + 100%) / 2 = 30 × 97.22% = 29.166 → 29.17; 10. Total 98.
    assert evaluation.complete and evaluation.total == Decimal(98) and evaluation.grade == "优"
    assert evaluation.leaf("产出指标/数量指标").score == Decimal("19.33")
    assert evaluation.leaf("效益指标").score == Decimal("29.17")
    assert not [f.message for f in evaluation.flags if f.kind in ("self_score_mismatch", "weight_mismatch", "year_mismatch", "rule_defect")]
    # The data template is the form's: a budget and rows, never an empty [inputs].
    template = (plugin / "examples" / "template.toml").read_text(encoding="utf-8")
    assert "[budget]" in template and "[[targets]]" in template and "[inputs]" not in template
    assert "各行共用 20 分" in template
    # The property test the skeleton ships holds for a form.
    case = (plugin / "tests" / "test_demo.py").read_text(encoding="utf-8")
    assert "unit_data(framework)" in case

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def sound(data: st.DataObject) -> None:
        assert_sound(framework, data.draw(unit_data(framework)))

    sound()


def test_the_dept_skeleton_writes_a_data_template_with_its_inputs(tmp_path: Path) -> None:
    plugin = tmp_path / "evalcore-demo"
    assert run("new-plugin", "demo", "--year", "2025", "-o", str(plugin)).returncode == 0
    template = (plugin / "examples" / "template.toml").read_text(encoding="utf-8")
    assert '# "编制数" = ' in template and '# "满意度" = ' in template


@pytest.mark.slow
def test_the_target_form_plugin_works_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    plugin = tmp_path / "evalcore-jcdemo"
    created = run("new-plugin", "jcdemo", "--kind", "targets", "--region", "江川省", "--year", "2025", "-o", str(plugin))
    assert created.returncode == 0, created.stderr
    bin_dir, env, evalcore = _installed(tmp_path, plugin)

    plugins = evalcore("plugins")
    assert plugins.returncode == 0 and "jcdemo" in plugins.stdout, plugins.stdout + plugins.stderr
    frameworks = evalcore("frameworks")
    assert frameworks.returncode == 0 and "jcdemo.project-targets.2025" in frameworks.stdout
    checked = evalcore("check", "--strict", "jcdemo.project-targets.2025")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = evalcore("run", "examples/example.toml", "--format", "json")
    assert ran.returncode == 0 and '"total": "98"' in ran.stdout, ran.stdout + ran.stderr
    tests = subprocess.run([str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"], capture_output=True, text=True, cwd=plugin, timeout=600, env=env)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout and "failed" not in tests.stdout
    collected = subprocess.run(
        [str(bin_dir / "python"), "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"], capture_output=True, text=True, cwd=plugin, timeout=300, env=env
    ).stdout
    assert "jcdemo.project-targets.2025::example" in collected and "test_scores_stay_within_weights_for_any_data" in collected


def _installed(tmp_path: Path, plugin: Path) -> tuple[Path, dict[str, str], Callable[..., subprocess.CompletedProcess[str]]]:
    """A fresh virtual environment with the core and the scaffolded plugin installed: its bin folder,
    the environment to run in, and `evalcore` run there from the plugin's folder."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    bin_dir = venv / "bin"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    install = subprocess.run(
        [str(bin_dir / "pip"), "install", "-q", "-e", f"{ROOT}[test]", "-e", str(plugin)], capture_output=True, text=True, timeout=900, env=env
    )
    assert install.returncode == 0, install.stdout + install.stderr

    def evalcore(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(bin_dir / "evalcore"), *args], capture_output=True, text=True, cwd=plugin, timeout=120, env=env)

    return bin_dir, env, evalcore
