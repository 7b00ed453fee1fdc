"""The `evalcore` command as a user runs it: real processes, real files, stdout piped."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from .conftest import EXAMPLES, ROOT
from .helpers import staff_framework, write

HECHENG = EXAMPLES / "hunan" / "hecheng-dept-2020.toml"


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "EVALCORE_DEBUG")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "evalcore", *args], capture_output=True, text=True, cwd=cwd, env=environment, timeout=60)


def test_run_prints_the_evaluation_aligned_at_80_columns() -> None:
    result = run("run", str(HECHENG))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out  # piped: no colour codes
    assert all(cell_len(line) <= 80 for line in out.splitlines())
    assert "计算总分：99 / 100 分" in out
    assert "单位自评总分：98 分" in out
    assert "评价等级：优" in out
    assert "31 / 37" in out
    # The columns line up: every leaf row puts its weight in the same cell columns as the header.
    header = next(line for line in out.splitlines() if line.startswith("指标"))
    weight_end = cell_len(header[: header.index("分值") + 2])
    row = next(line for line in out.splitlines() if "在职人员控制率" in line and "［" in line)
    assert cell_len(row[: row.index(" 2 ") + 2]) == weight_end


def test_run_json_is_the_stable_interface() -> None:
    result = run("run", str(HECHENG), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["framework"] == "hunan.hecheng.dept.2020"
    assert (data["total"], data["max"], data["grade"], data["complete"]) == ("99", "100", "优", True)
    leaf = next(i for i in data["indicators"] if i["path"][-1] == "在职人员控制率")
    assert leaf["path"] == ["投入", "预算配置", "在职人员控制率"]
    assert (leaf["weight"], leaf["score"], leaf["status"], leaf["value"], leaf["self_score"]) == ("2", "2", "scored", "83.78", "2")
    assert leaf["trace"][0].startswith("在职人员控制率 = ")
    assert {f["kind"] for f in data["flags"]} >= {"self_score_mismatch", "stated_mismatch", "assessed"}
    assert all(set(f) >= {"kind", "path", "message"} for f in data["flags"])


def test_run_markdown_and_csv() -> None:
    md = run("run", str(HECHENG), "--format", "md")
    assert md.returncode == 0 and "| 投入 | 预算配置 | 在职人员控制率 | 2 | 2 | 2 | 计算 |" in md.stdout
    csv = run("run", str(HECHENG), "--format", "csv")
    assert csv.returncode == 0 and csv.stdout.splitlines()[0].startswith("指标路径,分值,得分")


def test_output_file_is_written_and_never_overwrites_the_input(tmp_path: Path) -> None:
    data = tmp_path / "unit.toml"
    data.write_bytes(HECHENG.read_bytes())
    before = data.read_bytes()
    refused = run("run", str(data), "-o", str(data))
    assert refused.returncode == 2 and "不能是输入文件" in refused.stderr
    assert data.read_bytes() == before
    result = run("run", str(data), "--format", "json", "-o", str(tmp_path / "out" / "result.json"))
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "out" / "result.json").read_text(encoding="utf-8"))["total"] == "99"


@pytest.mark.parametrize(
    "content, words",
    [
        ('framework = "hunan.hecheng.dept.2020"\n[inputs]\n"编制" = 1\n', "没有名为“编制”的输入"),
        ('framework = "no.such.framework"\n', "没有编号为“no.such.framework”的评价框架"),
        ("[inputs]\n", "没有写明所用的评价框架"),
        ('framework = "hunan.hecheng.dept.2020"\n编制数 = 1\n', "中文键名需要用英文引号"),
    ],
)
def test_bad_data_exits_2_with_a_chinese_message_and_no_traceback(tmp_path: Path, content: str, words: str) -> None:
    path = write(tmp_path, "unit.toml", content)
    result = run("run", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and words in result.stderr
    assert "unit.toml" in result.stderr


def test_missing_data_file(tmp_path: Path) -> None:
    result = run("run", str(tmp_path / "none.toml"))
    assert result.returncode == 2 and "找不到文件" in result.stderr and "Traceback" not in result.stderr


def test_bad_ruleset_given_with_framework_option(tmp_path: Path) -> None:
    rules = write(tmp_path, "rules.toml", staff_framework().replace("在职人员数 / 编制数", "__import__('os').system('id')"))
    data = write(tmp_path, "unit.toml", 'framework = "test.unit.2024"\n')
    result = run("run", str(data), "--framework", str(rules))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "rules.toml:" in result.stderr and "formula" in result.stderr


def test_frameworks_lists_the_shipped_framework() -> None:
    table = run("frameworks")
    assert table.returncode == 0 and "hunan.hecheng.dept.2020" in table.stdout
    listing = json.loads(run("frameworks", "--format", "json").stdout)
    entry = next(e for e in listing if e["id"] == "hunan.hecheng.dept.2020")
    assert (entry["kind"], entry["year"], entry["region"]) == ("dept", 2020, "湖南省怀化市鹤城区")
    assert entry["source"]


def test_narrow_and_ascii_tables_stay_within_width() -> None:
    result = run("run", str(HECHENG), "--width", "60", "--ascii")
    assert result.returncode == 0
    assert all(cell_len(line) <= 60 for line in result.stdout.splitlines())
    assert "─" not in result.stdout


@pytest.mark.parametrize("width", [120, 80, 60, 40])
def test_table_at_every_width_keeps_its_labels(width: int) -> None:
    result = run("run", str(HECHENG), "--width", str(width))
    assert result.returncode == 0
    out = result.stdout
    assert all(cell_len(line) <= width for line in out.splitlines())
    assert "\x1b[" not in out
    if width >= 70:
        header = next(line for line in out.splitlines() if line.startswith("指标"))
        for title in ("指标", "分值", "得分", "自评", "计分依据"):
            assert title in header
    else:
        # One block per indicator: every label is spelled out instead of dropped columns.
        import re

        joined = re.sub(r"\s+", "", out)  # undo the wrapping of each block's lines
        assert "在职人员控制率分值2·得分2·自评2·计算" in joined
        for label in ("分值", "得分", "自评"):
            assert label in out
    assert "计算总分：99/100分" in "".join(out.split())


def test_no_color_and_color_on_a_terminal_are_respected() -> None:
    from evalcore import FormatOptions, evaluate, get_registry, load_data
    from evalcore.outputs import render_table

    framework = get_registry().framework("hunan.hecheng.dept.2020")
    evaluation = evaluate(framework, load_data(HECHENG, framework))
    assert "\x1b[" in render_table(evaluation, FormatOptions(width=80, color=True))
    assert "\x1b[" not in render_table(evaluation, FormatOptions(width=80, color=False))


def test_help_and_usage_errors_are_chinese() -> None:
    helped = run("run", "--help", env={"COLUMNS": "60"})
    assert helped.returncode == 0
    assert helped.stdout.startswith("用法：evalcore run [选项] 数据文件") and "选项：" in helped.stdout and "显示此帮助并退出" in helped.stdout
    assert "Usage" not in helped.stdout and "Options" not in helped.stdout and "default" not in helped.stdout
    for args, words in ((("run", "--nope"), "没有选项“--nope”"), (("run",), "缺少参数 数据文件"), (("run", "x.toml", "--width", "10"), "10 不在 40 到 400 之间")):
        result = run(*args)
        assert result.returncode == 2 and words in result.stderr and "Error" not in result.stderr


def test_strict_exit_code() -> None:
    assert run("run", str(HECHENG), "--strict").returncode == 1


def test_review_scores_are_summed_and_counted(tmp_path: Path) -> None:
    data = write(tmp_path, "r.toml", 'framework = "hunan.hecheng.dept.2020"\n[inputs]\n"编制数" = 37\n"在职人员数" = 31\n[indicators."在职人员控制率"]\nreview = 2\n[indicators."公用经费控制率"]\nreview = 2.5\n')
    result = run("run", str(data))
    assert result.returncode == 0 and "审核得分合计：4.5 分（已审核 2 / 28 项）" in result.stdout


def test_the_same_data_give_equal_evaluations() -> None:
    from evalcore import evaluate, get_registry, load_data

    framework = get_registry().framework("hunan.hecheng.dept.2020")
    first = evaluate(framework, load_data(HECHENG, framework))
    second = evaluate(framework, load_data(HECHENG, framework))
    assert list(first.leaves()) == list(second.leaves())
    assert [leaf.trace for leaf in first.leaves()] == [leaf.trace for leaf in second.leaves()]


@pytest.mark.parametrize("width", [120, 80, 77, 76, 60, 40])
def test_the_ranking_shows_review_scores_once_entered_at_every_width(tmp_path: Path, width: int) -> None:
    source = tmp_path / "units"
    source.mkdir()
    text = HECHENG.read_text(encoding="utf-8")
    (source / "乙.toml").write_text(text.replace('unit = "怀化市鹤城区社会保险服务中心"', 'unit = "乙单位"'), encoding="utf-8")
    # The reviewer has scored one indicator of 28: its 2 points are the review total so far.
    (source / "甲.toml").write_text(text.replace('[indicators."三公经费变动率"]\nself = 2', '[indicators."三公经费变动率"]\nself = 2\nreview = 2'), encoding="utf-8")
    result = run("batch", str(source), "--width", str(width))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(cell_len(line) <= width for line in lines)
    if width >= 77:
        header = next(line for line in lines if line.startswith("排名"))
        assert all(title in header for title in ("排名", "评价单位", "计算总分", "自评", "差额", "审核", "等级", "问题"))
        row = next(line for line in lines if "怀化市" in line)
        assert row.split()[5] == "2*"
    else:
        assert "审核2*" in "".join(result.stdout.split())  # one block per unit
    assert "只审核了部分指标" in result.stdout


def test_the_ranking_has_no_review_column_before_reviews_are_entered(tmp_path: Path) -> None:
    source = tmp_path / "units"
    source.mkdir()
    (source / "甲.toml").write_text(HECHENG.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("batch", str(source), "--width", "80")
    header = next(line for line in result.stdout.splitlines() if line.startswith("排名"))
    assert "审核" not in header and "只审核了部分指标" not in result.stdout


@pytest.mark.parametrize("width", [40, 60, 80])
def test_a_mismatched_self_score_is_marked_and_coloured_at_every_width(width: int) -> None:
    # 鹤城 2020 self-scored 公用经费控制率 2; its figures give 77.98 / 86.63 = 90.02% ≤ 100%: 3 points.
    from evalcore import evaluate, get_registry, load_data
    from evalcore.model import FormatOptions
    from evalcore.outputs import render_table

    piped = run("run", str(HECHENG), "--width", str(width))
    assert piped.returncode == 0
    assert piped.stdout.count("≠") == 2 and "≠ 自评得分与按评分标准计算的得分不一致" in piped.stdout  # the mark and its legend
    assert all(cell_len(line) <= width for line in piped.stdout.splitlines())
    framework = get_registry().framework("hunan.hecheng.dept.2020")
    evaluation = evaluate(framework, load_data(HECHENG, framework))
    coloured = render_table(evaluation, FormatOptions(width=width, color=True))
    # The self-score and its mark inside one span of bold red.
    assert re.search(r"\x1b\[1;31m[^\x1b]*2≠\x1b\[0m", coloured), coloured
