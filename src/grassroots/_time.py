"""Time helpers for the core (private): the local zone and checks on caller-given times.

The core never reads a clock: every time is an argument. Local dates (the end
of a calendar year for points expiry, the day of a meeting) are taken in
Asia/Shanghai, the zone of every case in this library.
"""

from __future__ import annotations

import datetime as _dt
import zoneinfo
from typing import Final

import pendulum

SHANGHAI = pendulum.timezone("Asia/Shanghai")
"""China Standard Time, UTC+8 with no daylight saving since 1991."""

ALWAYS_AWARE: Final = frozenset(
    {_dt.timezone, zoneinfo.ZoneInfo, pendulum.Timezone, pendulum.FixedTimezone}
)
"""The zone types whose ``utcoffset`` always gives an offset.

A time in one of them is aware, and asking it for its offset (slow for a
pendulum ``DateTime``) is not needed to know so.
"""


def require_aware(value: object, name: str) -> pendulum.DateTime:
    """Return ``value`` as a pendulum DateTime, refusing naive or non-datetime values.

    Raises:
        TypeError: ``value`` is not a ``datetime``, or it has no UTC offset.
    """
    if type(value) is pendulum.DateTime and type(value.tzinfo) in ALWAYS_AWARE:
        return value  # the usual case, aware by its zone's type
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"{name} must be a timezone-aware DateTime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise TypeError(f"{name} {value.isoformat()} is naive; give a timezone-aware DateTime")
    if isinstance(value, pendulum.DateTime):
        return value
    return pendulum.instance(value)


def require_date(value: object, name: str) -> pendulum.Date:
    """Return ``value`` as a pendulum Date, refusing datetimes and other types.

    Raises:
        TypeError: ``value`` is not a ``date`` or is a ``datetime``.
    """
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise TypeError(f"{name} must be a Date, not {type(value).__name__} {value!r}")
    if isinstance(value, pendulum.Date):
        return value
    return pendulum.Date(value.year, value.month, value.day)


def local_date(value: _dt.datetime) -> pendulum.Date:
    """Return the calendar date of ``value`` in Asia/Shanghai."""
    moment = require_aware(value, "time").in_timezone(SHANGHAI)
    return pendulum.Date(moment.year, moment.month, moment.day)
