"""A batch's output folder: one batch at a time, never two runs' files mixed without a word,
--resume redoing only what changed (by content hashes), 汇总.xlsx always written, and a run killed
half-way leaving only complete files under their names."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from evalcore import EvalcoreError

from .conftest import EXAMPLES, ROOT
from .test_cli import run

HECHENG = EXAMPLES / "hunan" / "hecheng-dept-2020.toml"
# Named in the guides: the lock of a folder in use, and the manifest --resume reads.
LOCK_NAME = ".evalcore.lock"
MANIFEST_NAME = ".evalcore.manifest.jsonl"


def _units(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = HECHENG.read_text(encoding="utf-8")
    for n in range(count):
        (folder / f"单位{n:03d}.toml").write_text(text.replace("怀化市鹤城区社会保险服务中心", f"单位{n:03d}"), encoding="utf-8")
    return folder


def _visible(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")}


def _manifest(folder: Path) -> dict[str, dict[str, str]]:
    records = [json.loads(line) for line in (folder / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()]
    return {record["output"]: record for record in records}


def test_a_second_run_into_the_same_folder_is_refused_without_resume_or_force(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 2)
    out = tmp_path / "out"
    first = run("batch", str(source), "-o", str(out), "--format", "json")
    assert first.returncode == 0, first.stderr
    before = {name: (out / name).read_bytes() for name in _visible(out)}
    second = run("batch", str(source), "-o", str(out), "--format", "md")
    assert second.returncode == 2 and "已有上次批量计分的结果" in second.stderr and "--resume" in second.stderr and "--force" in second.stderr
    assert {name: (out / name).read_bytes() for name in _visible(out)} == before  # nothing written
    assert not (out / LOCK_NAME).exists()


def test_a_folder_of_other_files_is_refused_without_force(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 1)
    out = tmp_path / "out"
    out.mkdir()
    (out / "我的文件.docx").write_bytes(b"mine")
    for options in ((), ("--resume",)):
        refused = run("batch", str(source), "-o", str(out), *options)
        assert refused.returncode == 2 and "不是空目录" in refused.stderr
    forced = run("batch", str(source), "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert (out / "我的文件.docx").read_bytes() == b"mine" and (out / "汇总.xlsx").exists()


def test_resume_redoes_only_units_whose_input_or_output_changed(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 3)
    out = tmp_path / "out"
    assert run("batch", str(source), "-o", str(out), "--format", "json").returncode == 0
    records = _manifest(out)
    assert set(records) == {"单位000.json", "单位001.json", "单位002.json"}
    record = records["单位000.json"]
    assert record["framework"] == "hunan.hecheng.dept.2020" and "evalcore=" in record["versions"]
    assert len(record["input_sha256"]) == len(record["framework_sha256"]) == len(record["output_sha256"]) == 64
    # One unit's data changes (bytes, not the time stamp); another's output is edited by hand.
    changed = source / "单位001.toml"
    changed.write_text(changed.read_text(encoding="utf-8").replace('"编制数" = 37', '"编制数" = 38'), encoding="utf-8")
    (out / "单位002.json").write_text("{}", encoding="utf-8")
    untouched = (out / "单位000.json").stat().st_mtime_ns
    os.utime(source / "单位000.toml")  # a newer time stamp alone redoes nothing
    resumed = run("batch", str(source), "-o", str(out), "--format", "json", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "已保留 1 个已完成的文件" in resumed.stderr and "重新写出 1 个" in resumed.stderr
    assert (out / "单位000.json").stat().st_mtime_ns == untouched
    # The output edited by hand is the user's: left as it is, and said so.
    assert (out / "单位002.json").read_text(encoding="utf-8") == "{}" and "未覆盖：单位002.json：写出后被修改过" in resumed.stderr
    assert _manifest(out)["单位001.json"]["input_sha256"] != records["单位001.json"]["input_sha256"]


def test_resume_with_a_new_format_writes_only_that_format(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 2)
    out = tmp_path / "out"
    assert run("batch", str(source), "-o", str(out), "--format", "json").returncode == 0
    resumed = run("batch", str(source), "-o", str(out), "--format", "json", "--format", "md", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "已保留 2 个已完成的文件" in resumed.stderr and "重新写出 2 个" in resumed.stderr
    assert _visible(out) == {"汇总.xlsx", "汇总.json", "单位000.json", "单位001.json", "单位000.md", "单位001.md"}


def test_a_folder_in_use_is_refused(tmp_path: Path) -> None:
    from evalcore.batch import FolderLock
    from evalcore.batch._lock import process_start

    source = _units(tmp_path / "units", 1)
    out = tmp_path / "out"
    lock = FolderLock(out)
    # A process that runs, with its own start: as if another batch held the folder.
    lock.mine.update(pid=os.getppid(), process_start=process_start(os.getppid()))
    assert lock.mine["process_start"] is not None and lock.acquire() is None
    try:
        refused = run("batch", str(source), "-o", str(out))
        assert refused.returncode == 2 and "正由另一个 evalcore batch 使用" in refused.stderr and LOCK_NAME in refused.stderr
        assert not (out / "汇总.xlsx").exists()
    finally:
        lock.release()
    assert not (out / LOCK_NAME).exists()


def test_a_stale_lock_is_taken_over_with_a_note(tmp_path: Path) -> None:
    from evalcore.batch import LOCK_NAME as lock_name
    from evalcore.batch import MANIFEST_NAME as manifest_name
    from evalcore.batch import FolderLock

    assert (lock_name, manifest_name) == (LOCK_NAME, MANIFEST_NAME)
    out = tmp_path / "out"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    first = FolderLock(out)
    first.mine["pid"] = int(dead.stdout)  # a process that has ended
    first.acquire()
    second = FolderLock(out)
    note = second.acquire()
    assert note is not None and "已不在运行" in note and dead.stdout.strip() in note
    with pytest.raises(EvalcoreError, match="正由另一个"):
        FolderLock(out).acquire()
    second.release()
    assert not (out / LOCK_NAME).exists()


def _lock_of(pid: int, process_start: str | None) -> str:
    lock = {"pid": pid, "host": socket.gethostname(), "started": "2024-01-01T08:00:00"}
    return json.dumps(lock if process_start is None else {**lock, "process_start": process_start})


def test_a_lock_whose_process_id_now_belongs_to_another_program_is_taken_over(tmp_path: Path) -> None:
    # The lock's process has ended and the system gave its id to another program (here the test's
    # parent, which runs): the recorded start tells them apart.
    source = _units(tmp_path / "units", 1)
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text(_lock_of(os.getppid(), "another start"), encoding="utf-8")
    result = run("batch", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"进程 {os.getppid()}，开始于 2024-01-01T08:00:00）已不在运行（该进程号现由另一个程序使用），本次接管了它的锁" in result.stderr
    assert (out / "汇总.xlsx").is_file() and not (out / LOCK_NAME).exists()


def test_a_lock_of_a_running_process_or_without_a_recorded_start_is_respected(tmp_path: Path) -> None:
    from evalcore.batch._lock import process_start

    source = _units(tmp_path / "units", 1)
    # An older evalcore recorded no start: the running id alone keeps the folder taken.
    for recorded in (process_start(os.getppid()), None):
        out = tmp_path / f"out-{recorded is None}"
        out.mkdir()
        (out / LOCK_NAME).write_text(_lock_of(os.getppid(), recorded), encoding="utf-8")
        refused = run("batch", str(source), "-o", str(out))
        assert refused.returncode == 2 and "正由另一个 evalcore batch 使用" in refused.stderr
        assert not (out / "汇总.xlsx").exists() and (out / LOCK_NAME).exists()


@pytest.mark.parametrize(
    "inputs, output, said",
    [
        (["units"], "units", "输出目录就是输入目录 units"),
        (["units"], "units/结果", "输出目录在输入目录 units 之中"),
        (["units/sub"], "units", "输入目录 units/sub 在输出目录之中"),
        (["units/单位000.toml"], "units", "数据文件 units/单位000.toml 在输出目录之中"),
        (["other", "units/sub/单位000.toml"], "units/sub", "数据文件 units/sub/单位000.toml 在输出目录之中"),
    ],
)
def test_an_output_folder_overlapping_the_inputs_is_refused(tmp_path: Path, inputs: list[str], output: str, said: str) -> None:
    _units(tmp_path / "units", 1)
    _units(tmp_path / "units" / "sub", 1)
    _units(tmp_path / "other", 1)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = run("batch", *inputs, "-o", output, "--format", "json", cwd=tmp_path)
    assert result.returncode == 2 and said in result.stderr and "计分结果" in result.stderr and "请用 -o 指定输入目录之外的另一个目录" in result.stderr
    assert "没有找到数据文件" not in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing written


def test_the_summary_is_written_when_a_units_output_fails(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 2)
    sichuan = EXAMPLES / "sichuan" / "synthetic-2023.toml"
    (source / "四川.toml").write_bytes(sichuan.read_bytes())
    (source / "坏.toml").write_text("framework = \n", encoding="utf-8")
    out = tmp_path / "out"
    formats = ("json", "docx", "md")  # no report for the Sichuan form: only its docx fails
    result = run("batch", str(source), "-o", str(out), *(part for name in formats for part in ("--format", name)))
    assert result.returncode == 2
    said = "无法写出：某县示例局（合成）-基层业务骨干培训项目（合成示例）（docx 格式）：输出格式“docx”不适用于评价框架 sichuan.project-targets.2023"
    assert said in result.stderr and "全部格式" not in result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("无法写出")] == [said]
    sichuan_stem = "某县示例局（合成）-基层业务骨干培训项目（合成示例）"
    assert {f"{sichuan_stem}.json", f"{sichuan_stem}.md", "单位000-自评报告.docx", "单位000.json", "汇总.xlsx"} <= _visible(out)
    assert not [name for name in _visible(out) if name.startswith(sichuan_stem) and name.endswith(".docx")]
    from openpyxl import load_workbook

    rows = list(load_workbook(out / "汇总.xlsx")["问题"].iter_rows(values_only=True))
    assert [row[4] for row in rows if row[2] == "无法写出"] == [said.removeprefix("无法写出：")]
    assert "无法读取" in [row[2] for row in rows]


def test_unit_file_names_are_safe_and_distinct(tmp_path: Path) -> None:
    # A unit's files are named by the unit: a Windows device name, names differing only in case, a
    # slash, the summary's own name; a unit without a name is named by its data file.
    source = tmp_path / "units"
    source.mkdir()
    text = HECHENG.read_text(encoding="utf-8")
    for file, unit in (("1.toml", "CON"), ("2.toml", "a"), ("3.toml", "A"), ("4.toml", "甲/乙"), ("5.toml", "汇总"), ("6.toml", "a")):
        (source / file).write_text(text.replace("怀化市鹤城区社会保险服务中心", unit), encoding="utf-8")
    (source / "NUL.json").write_text(json.dumps({"framework": "hunan.hecheng.dept.2020"}), encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "json", "--format", "xlsx")
    assert result.returncode == 0, result.stderr
    names = {n.casefold() for n in _visible(out)}
    assert names == {
        n.casefold()
        for n in (
            *("_CON.json", "a.json", "A-2.json", "甲_乙.json", "汇总-单位.json", "a-3.json", "_NUL.json"),
            *("_CON-评分表.xlsx", "a-评分表.xlsx", "A-2-评分表.xlsx", "甲_乙-评分表.xlsx", "汇总-单位-评分表.xlsx", "a-3-评分表.xlsx", "_NUL-评分表.xlsx"),
            *("汇总.xlsx", "汇总.json"),
        )
    }
    # 汇总.json says which files are whose.
    summary = json.loads((out / "汇总.json").read_text(encoding="utf-8"))
    assert sorted(sorted(unit["files"]) for unit in summary["units"] if unit["unit"] == "甲/乙") == [["甲_乙-评分表.xlsx", "甲_乙.json"]]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_a_batch_killed_half_way_leaves_complete_files_and_resumes(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 60)
    out = tmp_path / "out"
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "EVALCORE_DEBUG")}
    command = [sys.executable, "-m", "evalcore", "batch", str(source), "-o", str(out), "--format", "xlsx", "--format", "json"]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Wait for a unit's file, not for a time: then kill the run in the middle of writing.
        deadline = time.monotonic() + 120
        while not any(p.suffix == ".xlsx" for p in out.glob("单位*")) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.005)
        assert process.poll() is None, "the batch ended before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    finished = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert finished and "汇总.xlsx" not in finished and "汇总.json" not in finished and len(finished) < 120
    for name in finished:  # whatever has a final name is complete
        path = out / name
        if name.endswith(".xlsx"):
            assert zipfile.is_zipfile(path) and zipfile.ZipFile(path).testzip() is None
        else:
            assert json.loads(path.read_text(encoding="utf-8"))["framework"] == "hunan.hecheng.dept.2020"
    # The journal is there from the start; every complete line names a file in place. A kill
    # between a file's rename and its line leaves that one file (files are written one at a time)
    # in place but unrecorded: the resumed run cannot vouch for it, writes it again and says so.
    recorded = set(_journal(out))
    unrecorded = {name for name in finished if name not in recorded}
    assert recorded <= set(finished) and len(unrecorded) <= 1
    assert (out / LOCK_NAME).exists()  # the killed run's lock: taken over below
    resumed = run("batch", str(source), "-o", str(out), "--format", "xlsx", "--format", "json", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "已不在运行" in resumed.stderr
    assert f"已保留 {len(recorded)} 个已完成的文件" in resumed.stderr and f"重新写出 {120 - len(recorded)} 个" in resumed.stderr
    assert ("未记入清单" in resumed.stderr) == bool(unrecorded) and all(name in resumed.stderr for name in unrecorded)
    assert len(_visible(out)) == 122 and not (out / LOCK_NAME).exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".evalcore-")]  # no temporary file left
    assert len(_manifest(out)) == 120


def _journal(folder: Path) -> list[str]:
    """The outputs of the journal's complete lines (a kill may cut the last one short)."""
    names = []
    for line in (folder / MANIFEST_NAME).read_text(encoding="utf-8").splitlines():
        try:
            names.append(json.loads(line)["output"])
        except ValueError:
            continue
    return names


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_or_a_link_to_nothing_named_like_a_data_file_is_reported_never_waited_on(tmp_path: Path) -> None:
    source = _units(tmp_path / "units", 1)
    os.mkfifo(source / "管道.toml")
    (source / "断开的链接.toml").symlink_to(tmp_path / "不存在.toml")
    (tmp_path / "共享").mkdir()
    (source / "共享目录").symlink_to(tmp_path / "共享", target_is_directory=True)  # a link to a folder is no data file
    result = run("batch", str(source))  # a pipe opened for reading would wait for ever: the run's timeout fails it
    said = (result.stdout + result.stderr).replace("\n", "")
    assert result.returncode == 2
    assert "管道.toml: 这不是普通文件（而是管道、设备等），无法作为数据文件读取" in said
    assert "断开的链接.toml: 这是一个快捷链接（符号链接），它指向的文件不存在" in said
    assert "已评价 1 个；无法读取或计分 2 个" in said
    ran = run("run", str(source / "管道.toml"))
    assert ran.returncode == 2 and "这不是普通文件" in ran.stderr
