"""`evalcore review 汇总.xlsx`: the review loop closed — the 审核得分 and 审核意见 a reviewer typed
into a batch's summary read back, review scores that differ from the computed totals listed, and
each unit's 问题清单 written with the reviewer's notes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..model import EvalcoreError, Location, display_path, fmt
from ..outputs import output_path, write_output
from ..plugin import get_registry
from ._common import stderr
from ._exit import ExitCode

if TYPE_CHECKING:
    from ..batch import UnitReview

__all__ = ["review_command"]

# Where the 问题清单 go unless -o says otherwise: a folder beside 汇总.xlsx.
REVIEW_FOLDER = "审核意见"


@click.command("review")
@click.argument("summary", type=click.Path(path_type=Path), metavar="汇总.xlsx或目录")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), metavar="路径", help=f"写出各单位问题清单的目录（默认为汇总表旁的“{REVIEW_FOLDER}”目录）")
@click.option("--force", is_flag=True, help="目录中已有同名的问题清单时替换它们")
@click.option("--strict", is_flag=True, help="有审核得分与计算总分不同时以退出码 1 结束")
def review_command(summary: Path, out_dir: Path | None, force: bool, strict: bool) -> None:
    """读回审核人员在 evalcore batch 写出的汇总表中录入的审核得分和审核意见（也可以给出 batch 的输出目录）。

    在“排名”页的“审核得分”“审核意见”两列、“问题”页的“审核意见”一列录入后保存，再运行本命令：各单位按汇总表记录的数据文件重新计分，列出审核得分与计算总分不同的单位，并为每个单位写出“单位-问题清单.xlsx”，审核意见写在对应指标的“审核意见”一栏。
    汇总表中有填错的地方（审核得分不是数字或超出 0 到满分、改动了单位所在的行）时逐一指出页和单元格，什么也不写。

    退出码：0 已完成；1 使用 --strict 且有审核得分与计算总分不同；2 汇总表或数据文件有误、问题清单已存在；3 内部错误。
    """
    # The batch package (and openpyxl, which reads the summary) is imported when a review runs.
    from ..batch import ISSUES_DOCUMENT, SUMMARY, read_review, review_files

    if summary.is_dir():  # the batch's output folder
        summary = summary / SUMMARY
    review = read_review(summary, get_registry())
    folder = out_dir if out_dir is not None else summary.parent / REVIEW_FOLDER
    files = review_files(review)
    protected = [summary, *(unit.outcome.path for unit in review.units)]
    targets = [output_path(folder, name) for name, _payload in files]
    existing = [target for target in targets if target.exists()]
    if existing and not force:
        shown = "、".join(target.name for target in existing[:3]) + (f" 等 {len(existing)} 个" if len(existing) > 3 else "")
        raise EvalcoreError(
            f"目录中已有问题清单：{shown}",
            Location(file=display_path(folder)),
            hint="加 --force 替换它们（其中录入的单位说明会丢失），或用 -o 指定另一个目录",
        )
    _report(review)
    for target, (_name, payload) in zip(targets, files):
        write_output(target, payload, protected, replace=force)
    stderr(f"已写入 {len(files)} 份{ISSUES_DOCUMENT}到 {display_path(folder)}")
    if strict and any(unit.differs for unit in review.units):
        raise SystemExit(ExitCode.FINDINGS)


def _report(review: UnitReview) -> None:
    """The units whose review score differs from the computed total, then the counts."""
    for unit in review.units:
        if unit.changed:
            assert unit.recorded is not None
            stderr(f"注意：{unit.name} 的数据在写出汇总表后改动过，计算总分由 {fmt(unit.recorded)} 变为 {fmt(unit.evaluation.total)}，按现在的数据核对")
    differing = [unit for unit in review.units if unit.differs]
    reviewed = [unit for unit in review.units if unit.review is not None]
    noted = sum(1 for unit in review.units if unit.notes)
    if differing:
        click.echo(f"审核得分与计算总分不同的单位（{len(differing)} 个）：")
        for unit in differing:
            click.echo(f"  {unit.name}（{unit.cell}）：{unit.difference_text()}")
    click.echo(
        f"共 {len(review.units)} 个单位：录入审核得分 {len(reviewed)} 个，其中与计算总分不同 {len(differing)} 个；有审核意见的单位 {noted} 个。"
    )
