"""`evalcore test`: run case files without knowing pytest."""

from __future__ import annotations

from pathlib import Path

import click

from ..model import EvalcoreError, display_path
from ..plugin import get_registry
from ._exit import ExitCode

__all__ = ["test_command"]


@click.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="用例文件或目录…")
@click.option("--framework", "rulesets", multiple=True, type=click.Path(path_type=Path), metavar="规则文件", help="用尚未安装的规则文件计分（可写多次）")
def test_command(paths: tuple[Path, ...], rulesets: tuple[Path, ...]) -> None:
    """运行用例文件：按预期核对每个用例的总分、各指标得分和状态、问题类别。

    用例文件是 TOML，写明数据、预期结果和预期数字的出处；目录下的 *.toml 都会运行。
    退出码：0 全部通过；1 有用例不通过；2 有用例文件无法读取。
    """
    from ..testing import load_case, run_case  # imported when cases are run

    registry = get_registry()
    for ruleset in rulesets:
        registry.add(registry.load_path(ruleset))
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.toml")) if path.is_dir() else [path])
    failed = broken = 0
    for file in files:
        try:
            case = load_case(file)
        except EvalcoreError as exc:
            broken += 1
            click.echo(f"无法读取 {display_path(file)}：{exc}")
            continue
        result = run_case(case)
        if result.passed:
            click.echo(f"通过  {case.id}")
        else:
            failed += 1
            click.echo(f"不通过 {result.report()}")
    click.echo(f"共 {len(files)} 个用例：通过 {len(files) - failed - broken} 个，不通过 {failed} 个，无法读取 {broken} 个。")
    if broken:
        raise SystemExit(ExitCode.BAD_INPUT)
    if failed:
        raise SystemExit(ExitCode.FINDINGS)
