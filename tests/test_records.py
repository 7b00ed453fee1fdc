"""evalcore's classes are made by attrs with one shared __repr__: it must show what attrs' own
would, so that test failures and Hypothesis examples read the same."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from evalcore import evaluate, get_registry, load_data
from evalcore.model import Location, define, frozen

from .conftest import EXAMPLES


def pair(decorate: Any, theirs_decorate: Any) -> tuple[type, type]:
    """The same class made by attrs' decorator and by evalcore's."""

    def body() -> dict[str, Any]:
        return {
            "__annotations__": {"name": "str", "amount": "Decimal", "hidden": "int", "shown": "tuple[int, ...]", "later": "int"},
            "hidden": attrs.field(default=0, repr=False),
            "shown": attrs.field(default=(1, 2), repr=lambda value: f"<{len(value)} 项>"),
            "later": attrs.field(init=False, default=7),
        }

    theirs = theirs_decorate(type("Sample", (), body()))
    ours = decorate(type("Sample", (), body()))
    return theirs, ours


@pytest.mark.parametrize(("decorate", "theirs_decorate"), [(frozen, attrs.frozen), (define, attrs.define)], ids=["frozen", "define"])
def test_the_shared_repr_reads_as_attrs_own(decorate: Any, theirs_decorate: Any) -> None:
    theirs, ours = pair(decorate, theirs_decorate)
    assert repr(ours("一", Decimal("1.50"))) == repr(theirs("一", Decimal("1.50")))
    assert "hidden" not in repr(ours("一", Decimal(1))) and "<2 项>" in repr(ours("一", Decimal(1)))
    # Everything else is attrs' own.
    assert ours("一", Decimal(1)) == ours("一", Decimal(1)) and ours("一", Decimal(1)) != ours("二", Decimal(1))


def test_a_class_that_shows_itself_keeps_its_own_repr() -> None:
    @frozen
    class Shown:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

    assert repr(Shown("甲")) == "<甲>"


def test_a_cycle_is_shown_as_dots_and_the_real_classes_as_attrs_shows_them() -> None:
    @define
    class Node:
        name: str
        child: Any = None

    loop = Node("甲")
    loop.child = loop
    assert repr(loop) == "Node(name='甲', child=...)"
    assert repr(Location(file="a.toml", line=3)) == "Location(file='a.toml', line=3, key=None)"
    framework = get_registry().framework("hunan.hecheng.dept.2020")
    evaluation = evaluate(framework, load_data(EXAMPLES / "hunan" / "hecheng-dept-2020.toml", framework))
    leaf = next(iter(evaluation.leaves()))
    assert repr(leaf.indicator).startswith(f"Indicator(id={leaf.indicator.id!r}, ")


def test_evalcores_own_classes_are_made_with_the_shared_repr() -> None:
    """A class made with attrs' decorator directly would bring back the compiled __repr__ at import."""
    import re

    import evalcore

    source = Path(evalcore.__file__).parent
    made_by_attrs = re.compile(r"^from attrs? import [^\n]*\b(frozen|define|s|attrs)\b|^\s*@attrs?\.(frozen|define|s|attrs|mutable)\b", re.M)
    direct = [str(path.relative_to(source)) for path in source.rglob("*.py") if path.name != "_records.py" and made_by_attrs.search(path.read_text(encoding="utf-8"))]
    assert direct == []
