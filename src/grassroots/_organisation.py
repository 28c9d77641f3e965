"""Shared field helpers for the organisation modules (private).

Converters and validators used by :mod:`grassroots.subcommunity`,
:mod:`grassroots.resident`, :mod:`grassroots.branch`, :mod:`grassroots.room`
and :mod:`grassroots.talent`. Nothing here is public API.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from grassroots._time import require_date
from grassroots.errors import RuleViolation

IDS_RULE = "grassroots model: stable ids are non-empty text, unique in their scope"
"""The model-integrity rule cited when an id is empty or repeated."""


def to_date(value: _dt.date) -> pendulum.Date:
    """Return ``value`` as a pendulum Date, refusing datetimes (attrs converter)."""
    return require_date(value, "date")


def to_optional_date(value: _dt.date | None) -> pendulum.Date | None:
    """Return ``value`` as a pendulum Date, or ``None`` (attrs converter)."""
    return None if value is None else require_date(value, "date")


def text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a non-string or blank id or name (attrs validator)."""
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be str, not {type(value).__name__} {value!r}")
    if not value.strip():
        raise RuleViolation(
            f"{attribute.name} {value!r} is blank; ids and names are non-empty text ({IDS_RULE})",
            value=value,
            limit="non-empty text",
            rule=IDS_RULE,
        )


def optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a blank string; ``None`` passes (attrs validator)."""
    if value is not None:
        text(instance, attribute, value)


def texts(_instance: object, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    """Refuse a collection holding a non-string or blank item (attrs validator)."""
    for item in value:
        text(None, attribute, item)


def count(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a count that is not a non-negative ``int`` (attrs validator)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{attribute.name} must be int, not {type(value).__name__} {value!r}")
    if value < 0:
        raise RuleViolation(
            f"{attribute.name} {value} is negative; a count is 0 or more",
            value=value,
            limit=0,
            rule="a count is a non-negative integer",
        )


def optional_count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a count that is not ``None`` or a non-negative ``int`` (attrs validator)."""
    if value is not None:
        count(instance, attribute, value)


def flag(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a flag that is not a ``bool`` (attrs validator)."""
    if not isinstance(value, bool):
        raise TypeError(f"{attribute.name} must be bool, not {type(value).__name__} {value!r}")


def require_unique(ids: Iterable[str], *, what: str, scope: str) -> None:
    """Raise :class:`RuleViolation` naming the first id that appears twice.

    Args:
        ids: The ids, in order.
        what: What the ids name ("building", "member").
        scope: Where they must be unique ("subcommunity 龙居小区").
    """
    repeated = [item for item, seen in Counter(ids).items() if seen > 1]
    if repeated:
        raise RuleViolation(
            f"{what} id {repeated[0]!r} appears more than once in {scope} ({IDS_RULE})",
            value=repeated[0],
            limit="each id once",
            rule=IDS_RULE,
        )


def str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """Return ``value`` as a tuple of strings (attrs converter)."""
    return tuple(value)


def str_frozenset(value: Iterable[str]) -> frozenset[str]:
    """Return ``value`` as a frozenset of strings (attrs converter)."""
    return frozenset(value)
