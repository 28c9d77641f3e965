"""Instants for the points ledger (private).

The ledger keeps every time as an integer instant: microseconds since
1970-01-01T00:00:00Z. Integers compare and sort fast and exactly, and they are
what the journal's hash covers, so a time keeps its hash when it travels
through JSON with another UTC offset. Reading the instant of a pendulum
``DateTime`` through its zone is slow, so ``Zone`` caches the UTC offset of one
local day at a time and falls back to the exact computation on the day of a
clock change.
"""

from __future__ import annotations

import datetime as _dt
from typing import Final

import pendulum

from grassroots._time import SHANGHAI

EPOCH: Final = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)

ONE_MICROSECOND: Final = _dt.timedelta(microseconds=1)

DAY: Final = 86_400_000_000

"""One day of 24 hours, in microseconds."""

NEVER: Final = 2**62

"""The instant of a lot that never expires: later than any real time."""

_FAR: Final = 2**63

_LAST_YEAR: Final = 9999
_subtract = _dt.datetime.__sub__

FIRST: Final = _dt.datetime(1, 1, 3, tzinfo=_dt.UTC)

"""The earliest time the ledger records: 0001-01-03T00:00Z (any zone can still show it)."""

LAST: Final = _dt.datetime(9999, 12, 30, tzinfo=_dt.UTC)

"""The latest time the ledger records: 9999-12-30T00:00Z (any zone can still show it)."""

UNREPRESENTABLE: Final = -(2**70)

"""Below every instant the ledger keeps: what [`Zone.key`][grassroots.ledger.Zone.key] gives a time
outside the range.

The ledger's order check compares every new instant with the last one, so an
instant this low is always caught there, and the check then names the range.
"""


def instant(at: _dt.datetime) -> int:
    """Return the exact instant of an aware ``at`` in microseconds since the Unix epoch."""
    return _subtract(at, EPOCH) // ONE_MICROSECOND


MIN_INSTANT: Final = (FIRST - EPOCH) // ONE_MICROSECOND

MAX_INSTANT: Final = (LAST - EPOCH) // ONE_MICROSECOND


def in_range(key: int) -> bool:
    """Return whether the instant ``key`` lies in the range the ledger records."""
    return MIN_INSTANT <= key <= MAX_INSTANT


_PENDULUM_ZONES: Final = (pendulum.Timezone, pendulum.FixedTimezone)


def to_datetime(key: int, tz: _dt.tzinfo) -> pendulum.DateTime:
    """Return the instant ``key`` as a pendulum ``DateTime`` in the zone ``tz``.

    A pendulum zone is used as it is, so the ``DateTime`` is built directly
    (about four times faster than ``pendulum.instance``, which reads a journal
    faster); any other zone goes through ``pendulum.instance``, which turns it
    into a pendulum zone.
    """
    moment = (EPOCH + _dt.timedelta(microseconds=key)).astimezone(tz)
    if isinstance(tz, _PENDULUM_ZONES):
        return pendulum.DateTime(
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
            moment.microsecond,
            tzinfo=tz,
            fold=moment.fold,
        )
    return pendulum.instance(moment, tz=tz)


class Zone:
    """The UTC offset of one time zone, cached for one local day at a time.

    ``start`` is midnight of the cached local day, a datetime with the very
    same ``tzinfo`` object, so subtracting it from a time of this zone is
    wall-clock arithmetic that consults no offset. A time less than a day after
    it is ``base`` (the instant of that midnight) plus the elapsed wall
    time; any other time goes through ``refresh``, which computes the exact
    instant and caches the offset of its day. A day on which the offset changes
    is not cached: each of its times takes the exact path.
    """

    __slots__ = ("anchor", "base", "fixed", "index", "nowhere", "start", "tz")

    def __init__(self, tz: _dt.tzinfo, index: int) -> None:
        self.tz = tz
        self.index = index
        self.anchor = _dt.datetime(1970, 1, 1, tzinfo=tz)
        # A day outside the recorded range: a time in it reads as UNREPRESENTABLE plus
        # the wall time elapsed, still below every real instant, so the order check
        # refuses it. Never a day whose times read as some other, valid instant.
        self.nowhere = _dt.datetime(1, 1, 1, tzinfo=tz)
        self.fixed = isinstance(tz, _dt.timezone | pendulum.FixedTimezone)
        self.start = self.nowhere
        self.base = UNREPRESENTABLE

    def key(self, at: _dt.datetime) -> int:
        """Return the exact instant of ``at``, a datetime in this zone."""
        elapsed = _subtract(at, self.start)
        if elapsed.days == 0:
            return self.base + (elapsed.seconds * 1_000_000 + elapsed.microseconds)
        return self.refresh(at)

    def exact(self, at: _dt.datetime) -> int:
        """Return the exact instant of ``at``, a datetime in this zone, also outside the range.

        A time in the recorded range is read through the day cache (``key``);
        one outside it, which ``key`` gives as below every real instant, is
        worked out the exact way.
        """
        key = self.key(at)
        return key if key >= MIN_INSTANT else instant(at)

    def refresh(self, at: _dt.datetime) -> int:
        """Return the exact instant of ``at`` and cache the offset of its local day.

        A time outside the recorded range gives ``UNREPRESENTABLE``, and a
        day that is not wholly inside the range is not cached.
        """
        try:
            key = instant(at)
        except OverflowError:  # an offset that takes the time beyond what datetime holds
            return UNREPRESENTABLE
        if not MIN_INSTANT <= key <= MAX_INSTANT:
            return UNREPRESENTABLE
        local = _subtract(at, self.anchor) // ONE_MICROSECOND
        offset = local - key
        day_lo = local - local % DAY
        if not MIN_INSTANT <= day_lo - offset <= MAX_INSTANT - DAY:
            self.start = self.nowhere
            self.base = UNREPRESENTABLE
        elif self.fixed or all(
            self._offset_at(wall, fold) == offset
            for wall in (day_lo, day_lo + DAY)
            for fold in (0, 1)
        ):
            self.start = self.anchor + _dt.timedelta(microseconds=day_lo)
            self.base = day_lo - offset
        else:  # a day with a clock change: no cache, every time takes the exact path
            self.start = self.nowhere
            self.base = UNREPRESENTABLE
        return key

    def _offset_at(self, wall: int, fold: int) -> int | None:
        moment = (self.anchor + _dt.timedelta(microseconds=wall)).replace(fold=fold)
        offset = moment.utcoffset()
        return None if offset is None else offset // ONE_MICROSECOND


def shanghai_midnight(year: int, month: int, day: int = 1) -> int:
    """Return the instant of 00:00 Asia/Shanghai on the given local date."""
    return instant(_dt.datetime(year, month, day, tzinfo=SHANGHAI))


def shanghai_date(key: int) -> _dt.date:
    """Return the calendar date in Asia/Shanghai of the instant ``key``."""
    return (EPOCH + _dt.timedelta(microseconds=key)).astimezone(SHANGHAI).date()


_new_datetime = _dt.datetime.__new__

_PendulumDateTime = pendulum.DateTime


class Reader:
    """Turns instants back into pendulum ``DateTime`` values in one zone, a local day cached.

    ``to_datetime`` goes through ``astimezone`` and the zone's Python code for
    every instant. A reader keeps the local day of the last instant it read:
    the instants ``lo`` to ``hi`` (exclusive) of that day, whose UTC offset
    does not change, and its date. An instant of that day is its date plus the
    time elapsed since ``lo``, three integer divisions and one constructor
    call; any other instant takes the exact path, which caches its day unless
    the offset changes during it (as ``Zone`` does, it compares the offsets of
    the day's first and last instants). A zone that is not a pendulum zone is
    read in the pendulum zone ``pendulum.instance`` would give it, when that
    zone does not depend on the instant (a fixed offset, a named zone);
    otherwise every instant takes ``to_datetime``. A property test holds the
    reader to ``to_datetime`` around clock changes.
    """

    __slots__ = ("day", "hi", "lo", "tz", "zone")

    def __init__(self, tz: _dt.tzinfo) -> None:
        self.tz = tz
        self.zone: _dt.tzinfo | None = _reading_zone(tz)
        self.lo = 1
        self.hi = 0  # empty: the first read fills it
        self.day = (1970, 1, 1)

    def datetime(self, key: int) -> pendulum.DateTime:
        """Return the instant ``key`` as a ``DateTime`` in this zone, as ``to_datetime`` does."""
        lo = self.lo
        if lo <= key < self.hi:
            seconds, micro = divmod(key - lo, 1_000_000)
            minutes, second = divmod(seconds, 60)
            hour, minute = divmod(minutes, 60)
            year, month, day = self.day
            return _new_datetime(
                _PendulumDateTime, year, month, day, hour, minute, second, micro, self.zone
            )
        return self._refresh(key)

    def _refresh(self, key: int) -> pendulum.DateTime:
        zone = self.zone
        if zone is None:
            return to_datetime(key, self.tz)
        moment = (EPOCH + _dt.timedelta(microseconds=key)).astimezone(zone)
        offset = moment.utcoffset()
        if offset is None:  # pragma: no cover - a pendulum zone always has an offset
            return to_datetime(key, self.tz)
        shift = offset // ONE_MICROSECOND
        wall = key + shift
        day_wall = wall - wall % DAY
        lo = day_wall - shift
        # Cache the day only if its offset holds from its first to its last instant.
        if (
            lo >= MIN_INSTANT
            and lo + DAY <= MAX_INSTANT
            and _offset_of(lo, zone) == shift
            and _offset_of(lo + DAY - 1, zone) == shift
        ):
            self.lo = lo
            self.hi = lo + DAY
            self.day = (moment.year, moment.month, moment.day)
        return _new_datetime(
            _PendulumDateTime,
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
            moment.microsecond,
            zone,
            fold=moment.fold,
        )


def _reading_zone(tz: _dt.tzinfo) -> _dt.tzinfo | None:
    """Return the pendulum zone ``to_datetime`` reads ``tz`` in, if it never depends on the time."""
    if isinstance(tz, _PENDULUM_ZONES):
        return tz
    if type(tz) is _dt.timezone or hasattr(tz, "key"):
        moment = pendulum.instance(EPOCH.astimezone(tz), tz=tz)
        return moment.tzinfo
    return None


def _offset_of(key: int, zone: _dt.tzinfo) -> int | None:
    offset = (EPOCH + _dt.timedelta(microseconds=key)).astimezone(zone).utcoffset()
    return None if offset is None else offset // ONE_MICROSECOND
