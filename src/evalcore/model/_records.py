"""attrs' class decorators as evalcore's classes use them: the same classes, with one __repr__.

attrs writes out and compiles the methods of every class it makes when the class is defined, and
its __repr__ is about a third of that work; a command imports some fifty of these classes before
it starts (measured: about 5 % of `evalcore run`). Here attrs makes every method but __repr__, and
one shared __repr__, read from the class's fields when it is called, prints what attrs' own would:
``Indicator(id='…', name='…', …)``. For the type checker these are attrs' decorators themselves.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import attrs

__all__ = ["define", "frozen"]

_REPRING = threading.local()  # the objects being shown on this thread: a cycle is shown as "..."


def _repr(self: Any) -> str:
    showing: set[int] = _REPRING.__dict__.setdefault("ids", set())
    if id(self) in showing:
        return "..."
    showing.add(id(self))
    try:
        parts = []
        for field in attrs.fields(type(self)):
            if field.repr is False:
                continue
            value = getattr(self, field.name, attrs.NOTHING)
            parts.append(f"{field.name}={value!r}" if field.repr is True else f"{field.name}={field.repr(value)}")
        return f"{type(self).__qualname__.rsplit('>.', 1)[-1]}({', '.join(parts)})"
    finally:
        showing.discard(id(self))


if TYPE_CHECKING:
    from attrs import define as define
    from attrs import frozen as frozen
else:

    def _shared_repr(decorate: Any) -> Any:
        def decorator(maybe_cls: type | None = None, **options: Any) -> Any:
            def made(cls: type) -> type:
                if "__repr__" in cls.__dict__ or options.get("repr") is not None:
                    return decorate(cls, **options)  # a class that shows itself its own way
                out = decorate(cls, repr=False, **options)
                out.__repr__ = _repr
                return out

            return made if maybe_cls is None else made(maybe_cls)

        decorator.__doc__ = decorate.__doc__
        return decorator

    define = _shared_repr(attrs.define)
    frozen = _shared_repr(attrs.frozen)
