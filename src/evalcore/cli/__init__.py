"""The `evalcore` command: one module per command, the exit codes defined once (`_exit`), Chinese
help and usage errors (`_style`). Results go to stdout, diagnostics to stderr.

Nothing imports this package; it imports everything below it.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Any

import click

from ..model import EvalcoreError, PluginError
from ..plugin import CORE_DISTRIBUTION
from ._common import stderr
from ._exit import ExitCode
from ._limits import apply_limits, limit_options
from ._style import ChineseGroup, usage_error_text

__all__ = ["cli", "console", "main"]

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# Each command's module, imported when the command is used (or help lists them all), so that
# `evalcore run` does not import what `batch` or `check` need.
_COMMANDS = {
    "frameworks": "_frameworks",
    "template": "_template",
    "run": "_run",
    "check": "_check",
    "show": "_show",
    "explain": "_explain",
    "plugins": "_plugins",
    "batch": "_batch",
    "review": "_review",
    "test": "_test",
    "diff": "_diff",
    "new-plugin": "_new_plugin",
    "reference": "_reference",
}


class _LazyGroup(ChineseGroup):
    """The command group, each command's module imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _COMMANDS:
            module = importlib.import_module(f"{__name__}.{_COMMANDS[cmd_name]}")
            self.add_command(getattr(module, _COMMANDS[cmd_name].lstrip("_") + "_command"))
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name=CORE_DISTRIBUTION, message="evalcore %(version)s", help="显示版本号并退出")
@limit_options
def cli(**given: int | None) -> None:
    """evalcore：预算绩效评价自动计分。

    \b
    常用命令：
      evalcore frameworks              列出已安装的评价框架
      evalcore run 数据文件.toml        按框架计分，给出每一分的依据

    读取文件的上限（--max-…）写在命令名之前，如 evalcore --max-cells 500000 batch 目录；说明见 docs/security.md。
    """
    apply_limits(given)


def _never_fail_to_print() -> None:
    """A character the console's encoding lacks is shown as "?" rather than ending the run.

    On a Chinese Windows a redirect (evalcore run … > 结果.txt) or an old console writes in the
    code page GBK, which has no "✓" or "≠"; the score must still be printed, and written files are
    UTF-8 whatever the console.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "encoding", "") or "").lower().replace("-", "") not in ("utf8", "utf8sig"):
            reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> Any:
    """Entry point: every EvalcoreError becomes a Chinese message and exit code 2."""
    _never_fail_to_print()
    try:
        return cli.main(args=argv, prog_name="evalcore", standalone_mode=False)
    except PluginError as exc:
        # A plugin's code failed: a program fault (3), told as the plugin's, not as evalcore's.
        stderr(f"错误：{exc}")
        raise SystemExit(ExitCode.INTERNAL) from None
    except EvalcoreError as exc:
        stderr(f"错误：{exc}")
        raise SystemExit(ExitCode.BAD_INPUT) from None
    except click.exceptions.Abort:
        stderr("已中止")
        raise SystemExit(ExitCode.INTERRUPTED) from None
    except click.UsageError as exc:
        stderr(usage_error_text(exc))
        raise SystemExit(ExitCode.BAD_INPUT) from None
    except click.ClickException as exc:
        stderr(f"错误：{exc.format_message()}")
        raise SystemExit(ExitCode.BAD_INPUT) from None
    except BrokenPipeError:
        raise SystemExit(ExitCode.OK) from None
    except KeyboardInterrupt:
        raise SystemExit(ExitCode.INTERRUPTED) from None
    except Exception as exc:  # noqa: BLE001 - a user must never see a traceback
        if os.environ.get("EVALCORE_DEBUG"):
            raise
        stderr(f"内部错误：{type(exc).__name__}: {exc}\n请设置环境变量 EVALCORE_DEBUG=1 重新运行，并把输出报告给 evalcore 维护者。")
        raise SystemExit(ExitCode.INTERNAL) from None


def console() -> Any:
    """The `evalcore` program: `main` as a process of its own (the installed command and
    ``python -m evalcore``); tools and tests that call `main` in their own process use `main`.

    What was imported to get here lives as long as the process, so it is set aside from the
    collector's scans (``gc.freeze``): the command's own collections then look only at what the
    command makes. At the end everything is set aside again, so that the interpreter's last
    collection does not scan, for nothing, objects that are all freed with the process: together
    about a tenth of `evalcore run`'s time (docs/performance.md). Nothing is skipped at exit:
    files are closed and flushed, exit handlers run.
    """
    gc.freeze()
    try:
        return main()
    finally:
        gc.freeze()
