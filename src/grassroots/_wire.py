"""The list of domain modules that register converter hooks of their own (private).

Each entry is a function ``(converter) -> None`` from a domain module: tagged
unions of entry kinds, hooks for aggregates that are not attrs classes. Kept
apart from [`grassroots.serialization`][grassroots.serialization] so that the domain modules and the
converter do not import each other at import time.
"""

from __future__ import annotations

from collections.abc import Callable

import cattrs


def domain_configurers() -> tuple[Callable[[cattrs.Converter], None], ...]:
    """Return the hook-registering functions of every domain module, in a fixed order."""
    from grassroots import allocation, ledger, venture

    return (
        ledger._configure_converter,
        venture._configure_converter,
        allocation._configure_converter,
    )
