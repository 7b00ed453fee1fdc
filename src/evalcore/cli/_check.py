"""`evalcore check`: the command around the framework checker."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..model import EvalcoreError, Framework, display_path
from ..outputs import wrap
from ..plugin import Registry, get_registry
from ._common import width as width_of
from ._exit import ExitCode
from ._style import WIDTH, Choice

if TYPE_CHECKING:
    from ..checker import Finding

__all__ = ["check_command"]


def _targets(registry: Registry, names: tuple[str, ...]) -> tuple[list[Framework], list[str]]:
    frameworks: list[Framework] = []
    failures: list[str] = []
    if not names:
        loaded, failed = registry.all_frameworks()
        return loaded, [str(e) for e in failed]
    for name in names:
        path = Path(name)
        try:
            if path.is_dir() and not any(path.rglob("*.toml")):
                failures.append(f"{display_path(path)}: 目录中没有规则文件（*.toml）")
                continue
            if path.is_dir():
                for file in sorted(path.rglob("*.toml")):
                    try:
                        frameworks.append(registry.load_path(file))
                    except EvalcoreError as exc:
                        failures.append(str(exc))
            elif path.suffix == ".toml" or path.exists():
                frameworks.append(registry.load_path(path))
            else:
                frameworks.append(registry.framework(name))
        except EvalcoreError as exc:
            failures.append(str(exc))
    return frameworks, failures


def _finding_dict(framework: Framework, finding: Finding) -> dict[str, object]:
    return {
        "framework": framework.id,
        "severity": finding.severity,
        "code": finding.code,
        "file": finding.file,
        "line": finding.line,
        "path": list(finding.path),
        "message": finding.message,
        "counterexample": finding.counterexample,
    }


@click.command("check")
@click.argument("targets", nargs=-1, metavar="[框架编号或规则文件…]")
@click.option("--format", "fmt_name", type=Choice(["table", "json"]), default="table", help="输出格式（默认 table）")
@click.option("--strict", is_flag=True, help="有警告也以退出码 1 结束")
@click.option("--width", type=WIDTH, metavar="列数", default=None, help="输出宽度（默认为终端宽度，管道输出时为 80）")
def check_command(targets: tuple[str, ...], fmt_name: str, strict: bool, width: int | None) -> None:
    """检查评价框架本身：分值合计、得分范围、满分与 0 分能否取得、分档衔接、扣分方向、出处。

    不写参数时检查所有已安装的框架。退出码：0 没有错误；1 有错误（--strict 时有警告也算）；2 有框架无法加载。
    """
    from ..checker import CODE_TITLES, SEVERITIES, check_framework  # imported when a framework is checked

    registry = get_registry()
    frameworks, failures = _targets(registry, targets)
    results = [(framework, check_framework(framework)) for framework in frameworks]
    if fmt_name == "json":
        payload = {
            "frameworks": [
                {"id": fw.id, "file": fw.path, "findings": [_finding_dict(fw, f) for f in findings]} for fw, findings in results
            ],
            "load_errors": failures,
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        columns = width_of(width)
        for framework, findings in results:
            counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
            summary = "，".join(f"{counts[s]} 个{SEVERITIES[s]}" for s in SEVERITIES if counts[s]) or "没有发现问题"
            click.echo("\n".join(wrap(f"{framework.id}（{display_path(framework.path or '')}）：{summary}", columns)))
            for finding in findings:
                where = f"{finding.where} " if finding.where else ""
                path = "/".join(finding.path)
                title = CODE_TITLES.get(finding.code, finding.code)
                text = f"【{SEVERITIES[finding.severity]}·{title}（{finding.code}）】{where}{path + '：' if path else ''}{finding.message}"
                if finding.counterexample:
                    text += f"。反例：{finding.counterexample}"
                lines = wrap(text, columns - 2)
                click.echo("\n".join("  " + line for line in lines))
        for failure in failures:
            click.echo(f"无法加载：{failure}", err=True)
    errors = sum(1 for _, fs in results for f in fs if f.severity == "error")
    warnings = sum(1 for _, fs in results for f in fs if f.severity == "warning")
    if failures:
        raise SystemExit(ExitCode.BAD_INPUT)
    if errors or (strict and warnings):
        raise SystemExit(ExitCode.FINDINGS)
