"""A finding of the framework checker: severity, code, message, where, and a counterexample."""

from __future__ import annotations

from ..model import frozen

__all__ = ["SEVERITIES", "Finding"]

SEVERITIES = {"error": "错误", "warning": "警告", "info": "提示"}


@frozen
class Finding:
    """One problem in a framework."""

    severity: str  # error | warning | info
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    path: tuple[str, ...] = ()
    counterexample: str | None = None

    @property
    def where(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file
