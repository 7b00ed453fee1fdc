"""Chinese help and usage errors for click: headings, usage lines, help options, and wrapping by
terminal cells (a Chinese character takes two), at the terminal's width."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from ..model import did_you_mean
from ..outputs import display_width, wrap

__all__ = ["FOLDER", "INTEGER", "WIDTH", "ChineseCommand", "ChineseGroup", "Choice", "usage_error_text"]


class Width(click.ParamType):  # type: ignore[type-arg]
    """A terminal width in columns, 40 to 400."""

    name = "列数"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(f"“{value}”不是整数", param, ctx)
        if not 40 <= number <= 400:
            self.fail(f"{number} 不在 40 到 400 之间", param, ctx)
        return number


WIDTH = Width()


class Choice(click.Choice):  # type: ignore[type-arg]
    """One of fixed words, refused in Chinese with the closest ones."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in self.choices:
            return value
        words = [str(c) for c in self.choices]
        self.fail(f"“{value}”不是可选的值；{did_you_mean(str(value), words) or ''}可选：{'、'.join(words)}", param, ctx)


class Integer(click.ParamType):  # type: ignore[type-arg]
    """A whole number, such as a year."""

    name = "整数"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            self.fail(f"“{value}”不是整数", param, ctx)


INTEGER = Integer()


class Folder(click.ParamType):  # type: ignore[type-arg]
    """A folder: refused when the path names a file."""

    name = "目录"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        path = Path(value)
        if path.is_file():
            self.fail(f"{value} 是文件，这里要写目录", param, ctx)
        return path


FOLDER = Folder()

_SECTIONS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}


class ChineseFormatter(click.HelpFormatter):
    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        import shutil  # help is drawn: with its compression modules, not imported by every command

        columns = width or min(shutil.get_terminal_size((80, 24)).columns, max_width or 100)
        super().__init__(indent_increment, columns, max_width)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        self.write(f"{' ' * self.current_indent}用法：{prog} {args}\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{' ' * self.current_indent}{heading}：\n")

    def section(self, name: str) -> Any:
        return super().section(_SECTIONS.get(name, name))

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for paragraph in text.split("\n"):
            if not paragraph.strip():
                self.write("\n")
                continue
            lead = len(paragraph) - len(paragraph.lstrip(" "))
            for line in wrap(paragraph.strip(), max(20, self.width - self.current_indent - lead)):
                self.write(f"{indent}{' ' * lead}{line}\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max((display_width(term) for term, _ in rows), default=0), col_max)
        indent = " " * self.current_indent
        text_width = max(20, self.width - self.current_indent - first - col_spacing)
        for term, text in rows:
            # click appends "[required]" / "[default: x]" in English; say it in Chinese.
            text = re.sub(r"\s*\[required\]", "（必填）", text)
            text = re.sub(r"\s*\[default: ([^\]]*)\]", r"（默认 \1）", text)
            lines = wrap(text, text_width) if text else [""]
            if display_width(term) > first:
                self.write(f"{indent}{term}\n")
                pad = " " * (self.current_indent + first + col_spacing)
                lines_out = [pad + line for line in lines]
            else:
                gap = " " * (first - display_width(term) + col_spacing)
                lines_out = [f"{indent}{term}{gap}{lines[0]}"] + [" " * (self.current_indent + first + col_spacing) + line for line in lines[1:]]
            self.write("\n".join(lines_out).rstrip() + "\n")


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


class _Chinese:
    context_class: type[click.Context] = ChineseContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "显示此帮助并退出"
        return option  # type: ignore[no-any-return]


class ChineseCommand(_Chinese, click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class ChineseGroup(_Chinese, click.Group):
    command_class = ChineseCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not isinstance(cmd, ChineseCommand):
            cmd.__class__ = type("Chinese" + type(cmd).__name__, (_Chinese, type(cmd)), {})
            cmd.options_metavar = "[选项]"
        super().add_command(cmd, name)


def usage_error_text(error: click.UsageError) -> str:
    """A usage error in Chinese, with the usage line and where to find help."""
    if isinstance(error, click.NoSuchOption):
        message = f"没有选项“{error.option_name}”"
        if error.possibilities:
            message += "。您是不是要找：" + "、".join(f"“{name}”" for name in sorted(error.possibilities)) + "？"
    elif isinstance(error, click.MissingParameter):
        param = error.param
        name = (param.make_metavar(error.ctx) if param is not None and error.ctx is not None and isinstance(param, click.Argument) else None) or (param.opts[0] if param is not None else "")
        message = f"缺少参数 {name}"
    elif isinstance(error, click.BadParameter):
        param = error.param
        hint = param.opts[0] if param is not None and param.opts else "参数"
        message = f"{hint} 的值不对：{error.message}"
    elif isinstance(error, click.BadOptionUsage):
        translated = _parser_message(error.message)
        message = translated if translated != error.message else f"选项“{error.option_name}”用法不对：{error.message}"
    elif error.message.startswith("No such command"):
        name = error.message.split("'")[1] if "'" in error.message else ""
        message = f"没有命令“{name}”"
        if error.ctx is not None and isinstance(error.ctx.command, click.Group):
            close = did_you_mean(name, error.ctx.command.list_commands(error.ctx))
            if close:
                message += f"。{close}"
    else:
        message = _parser_message(error.message)
    lines = []
    if error.ctx is not None:
        lines.append(f"用法：{error.ctx.command_path} {' '.join(error.ctx.command.collect_usage_pieces(error.ctx))}")
        lines.append(f"运行 {error.ctx.command_path} --help 查看帮助。")
    lines.append(f"错误：{message}")
    return "\n".join(lines)


# The command-line parser's own messages (click), in Chinese; anything else is shown as it is.
_PARSER_MESSAGES = [
    (re.compile(r"Option '([^']+)' requires an argument\."), r"选项“\1”后面要写一个值"),
    (re.compile(r"Option '([^']+)' requires (\d+) arguments\."), r"选项“\1”后面要写 \2 个值"),
    (re.compile(r"Option '([^']+)' does not take a value\."), r"选项“\1”不带值"),
    (re.compile(r"Argument '([^']+)' takes (\d+) values\."), r"参数“\1”要写 \2 个值"),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"), r"多余的参数：\1（含空格的路径请用英文引号括起来）"),
    (re.compile(r"Missing command\."), "缺少命令"),
]


def _parser_message(message: str) -> str:
    for pattern, chinese in _PARSER_MESSAGES:
        found = pattern.fullmatch(message.strip())
        if found:
            return found.expand(chinese)
    return message
