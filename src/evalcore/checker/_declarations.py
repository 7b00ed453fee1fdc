"""Checks of what a framework declares besides its rules: the domains of its inputs and the tiers
of its judgments (which end of a shared boundary belongs to which tier)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..model import Framework, Tier, fmt
from ..rules import JudgmentRule
from ._finding import Finding

__all__ = ["declaration_findings"]


def declaration_findings(framework: Framework) -> Iterator[Finding]:
    yield from _domains(framework)
    if framework.form is not None:
        yield from _tiers(framework.form.tiers, "定性指标评定档次", framework.path, None, ())
    for leaf in framework.leaves():
        if isinstance(leaf.rule, JudgmentRule) and leaf.rule.tiers:
            yield from _tiers(leaf.rule.tiers, "评定档次", leaf.file or framework.path, leaf.line, leaf.path)


def _domains(framework: Framework) -> Iterator[Finding]:
    for spec in framework.inputs:
        if spec.type in ("bool", "text"):
            continue
        if spec.domain.max is None:
            # Without an upper bound a slip of units (元 typed as 万元) or of the decimal point passes
            # as a number and is scored.
            yield Finding(
                "warning",
                "input-domain",
                f"输入“{spec.id}”没有声明最大值（max）：单位或小数点录错的值（如多写了三个 0）不会被发现；请按其含义写明 max，如金额 10000000、人数 100000、百分比 100",
                spec.file or framework.path,
                spec.line,
            )


def _tiers(tiers: tuple[Tier, ...], what: str, file: str | None, line: int | None, path: tuple[str, ...]) -> Iterator[Finding]:
    """Every share of the weight from 0 to 100 % belongs to exactly one tier; where two tiers meet,
    say which one the framework gives the boundary to (printed tiers rarely do)."""
    points = sorted({tier.low for tier in tiers} | {tier.high for tier in tiers} | {Decimal(0), Decimal(100)})
    probes = points + [(a + b) / 2 for a, b in zip(points, points[1:])]
    for probe in sorted(probes):
        holders = [tier for tier in tiers if _holds(tier, probe)]
        if len(holders) > 1:
            names = "、".join(f"“{t.name}”（{t.describe()}）" for t in holders)
            yield Finding("error", "tiers-overlap", f"{what}重叠：得分为分值的 {fmt(probe)}% 时同时属于 {names}；请用 below / above 写明交界处属于哪一档", file, line, path)
        elif not holders:
            yield Finding("warning", "tiers-gap", f"{what}有空档：得分为分值的 {fmt(probe)}% 时不属于任何档次", file, line, path)
    for low, high in ((a, b) for a in tiers for b in tiers if a is not b and a.high == b.low):
        if low.high_inclusive == high.low_inclusive:
            continue  # both (an overlap) or neither (a gap): reported above
        owner = low.name if low.high_inclusive else high.name
        if owner:
            yield Finding("info", "tiers-declared", f"{what}“{low.name}”与“{high.name}”交界于分值的 {fmt(low.high)}%：本框架规定属于“{owner}”", file, line, path)


def _holds(tier: Tier, share: Decimal) -> bool:
    above = share >= tier.low if tier.low_inclusive else share > tier.low
    below = share <= tier.high if tier.high_inclusive else share < tier.high
    return above and below
