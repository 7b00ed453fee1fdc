"""A plugin whose output format fails when it renders."""

from collections.abc import Sequence

from evalcore import Evaluation, FormatOptions, Formatter, hookimpl


def _render(evaluation: Evaluation, options: FormatOptions) -> str:
    raise KeyError("插件输出格式内部的错误")


@hookimpl
def evalcore_formatters() -> Sequence[Formatter]:
    return [Formatter("faulty-md", "出错的格式", _render, suffix=".md")]
