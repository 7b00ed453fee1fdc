"""The batch's loop over its units, generated per framework: for each unit the column leaves
scored (their points summed in integers), the other leaves scored by the compiled Decimal code
written inline; then the Evaluations of the units with nothing else to report made together
(`make`). A unit with anything to report leaves its place empty and is scored the per-unit way
(see _batch.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from ..model import CONTEXT, EMPTY_ENTRY, Framework
from ._codegen import BUILTINS, Namespace, function, leaf_body, short_circuits
from ._leaf import stated_differs

__all__ = ["assembler"]

ZERO = Decimal(0)


def assembler(framework: Framework, others: Sequence[int], read: frozenset[str], records: Callable[..., Any], finish: Callable[..., Any], make: Callable[..., None], ungraded: str | None) -> Callable[..., None]:
    """`assemble(units, plain, bad, totals, batch, results)`: fills results[index] for each plain
    unit it can score, leaving None where the unit must be scored the per-unit way.

    `others`: the leaves not in columns; `read`: the inputs the columns read; `records(batch, row,
    *rest)`: a unit's records; `finish(data, batch, row, rest, raw_total, selfs)`: the evaluation
    of a unit with unit-wide findings to check (self-scores, year, stated grade, conversions);
    `make(batch, results, indexes, datas, raws, grades, rows, others)`: the evaluations of the other
    units, made together (`others`: a list per leaf not in columns of its records, unit by unit)."""
    ns = Namespace()
    rounding = framework.rounding
    leaves = list(framework.leaves())
    ns.values.update(
        {
            "ZERO": ZERO,
            "EMPTY": EMPTY_ENTRY,
            "stated_differs": stated_differs,
            "CTX": CONTEXT,
            "FW": framework,
            "MAX": framework.total,
            "COUNT": len(leaves),
            "RECORDS": records,
            "FINISH": finish,
            "UNGRADED": ungraded,
            "MAKE": make,
            "MADE": {},
            "__builtins__": dict(BUILTINS, enumerate=enumerate),
        }
    )
    mode = "" if rounding.mode == "half-up" else f", {ns.bind('MODE', rounding.context.rounding)}"
    value_round = ns.const(rounding.value_quantum) + mode
    lines = [
        "def assemble(units, plain, bad, totals, batch, results):",
        "    X = []",
        "    D = []",
        "    R = []",
        "    G = []",
        "    W = []",
        *(f"    O{n} = []" for n in others),
        "    for row, index in enumerate(plain):",
        "        if bad[row]:",
        "            continue",
        "        data = units[index]",
        "        I = data.inputs",
        "        E = data.entries",
        "        Qs = data.questions",
        "        eget = E.get",
        "        selfs = []",
    ]
    seen = set(read)
    for number in others:
        indicator = leaves[number]
        body = leaf_body(indicator, framework, ns, value_round)
        if body is None:
            raise ValueError("a leaf without a compiled form")  # the caller then scores unit by unit
        lines += [f"        e = eget({indicator.id!r}, EMPTY)", "        if e is not EMPTY and e.self_score is not None:", "            selfs.append(e.self_score)", f"        r{number} = None"]
        lines += ["        " + line for line in body]
        lines += ["            if s is not None:", f"                r{number} = ({indicator.rule.quick_status!r}, s, {'v' if indicator.formula is not None else 'None'})", f"                s{number} = s"]
        # A leaf the reference must score: the whole unit goes the per-unit way.
        lines += [f"        if r{number} is None:", "            continue"]
        if indicator.formula is not None and not short_circuits(indicator.formula.tree):
            seen |= indicator.formula.names
        seen |= indicator.rule.names()
    unread = frozenset(framework.required_inputs - seen)
    if unread:
        lines += [f"        if not {ns.bind('P', unread)} <= I.keys():", "            continue"]
    rest = "(" + "".join(f"r{n}, " for n in others) + ")"
    # The columns' points as a Decimal, from a table of those already made (a sum repeats often).
    total = " + ".join(["c", *(f"s{n}" for n in others)])
    lines += [
        "        t = totals[row]",
        "        c = MADE.get(t)",
        "        if c is None:",
        f"            c = Decimal(t).scaleb({-rounding.places}, CTX)",
        "            if len(MADE) < 65536:",
        "                MADE[t] = c",
        f"        raw = {total}",
        "        if selfs or data.encoding is not None or data.conversions or data.self_total is not None or data.year is not None or data.stated_grade is not None:",
        f"            results[index] = FINISH(data, batch, row, {rest}, raw, selfs)",
        "            continue",
        f"        G.append({_grade(framework, ns) if ungraded is None else 'None'})",
        "        X.append(index)",
        "        D.append(data)",
        "        R.append(raw)",
        "        W.append(row)",
        *(f"        O{n}.append(r{n})" for n in others),
        "    MAKE(batch, results, X, D, R, G, W, (" + "".join(f"O{n}, " for n in others) + "))",
    ]
    source = "\n".join(lines) + "\n"
    assemble: Callable[..., None] = function(source, hashlib.sha256(source.encode()).hexdigest(), ns.values, loop=True)
    return assemble


def _grade(framework: Framework, ns: Namespace) -> str:
    """Framework.grade_for written out: the first grade whose minimum the total reaches."""
    grades = framework.grades
    chain = "".join(f"{band.name!r} if raw >= {ns.const(band.min)} else " for band in grades)
    return f"({chain}{grades[-1].name!r})"
