"""What the converter and the domain modules' hooks share (private).

- ``domain_configurers``: the domain modules that register converter hooks of
  their own. Each entry is a function ``(converter) -> None``: tagged unions of
  entry kinds, hooks for aggregates that are not attrs classes.
- ``owning``/``owned``: whether the data being structured was parsed by
  [`loads`][grassroots.serialization.loads] itself, so that a hook may release
  the parts it has read (a ledger's journal items) instead of holding the whole
  parsed document beside the objects built from it. Data a caller passes to
  [`structure`][grassroots.serialization.structure] is never owned, and never
  changed.

Kept apart from [`grassroots.serialization`][grassroots.serialization] so that
the domain modules and the converter do not import each other at import time.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Final

import cattrs

_OWNED: Final[contextvars.ContextVar[int | None]] = contextvars.ContextVar(
    "grassroots_owned_tree", default=None
)
"""The ``id`` of the parsed document ``loads`` is structuring in this context, if any."""


@contextlib.contextmanager
def owning(tree: object) -> Iterator[None]:
    """Mark ``tree`` as owned by the structuring that runs inside the ``with`` block.

    The mark is per context (thread or task) and is removed on leaving the
    block, whether or not structuring succeeded.
    """
    token = _OWNED.set(id(tree))
    try:
        yield
    finally:
        _OWNED.reset(token)


def owned(tree: object) -> bool:
    """Return whether ``tree`` is the document being structured under ``owning``.

    Only the top-level document is owned: a hook that receives a part of it
    (a ledger nested in a larger object) is told ``False`` and leaves it alone.
    """
    return _OWNED.get() == id(tree)


def domain_configurers() -> tuple[Callable[[cattrs.Converter], None], ...]:
    """Return the hook-registering functions of every domain module, in a fixed order."""
    from grassroots import allocation, ledger, venture

    return (
        ledger._configure_converter,
        venture._configure_converter,
        allocation._configure_converter,
    )
