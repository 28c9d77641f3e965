"""Instants and expiry dates for the points ledger (private).

The ledger keeps every time as an integer instant: microseconds since
1970-01-01T00:00:00Z. Integers compare and sort fast and exactly, and they are
what the journal's hash covers, so a time keeps its hash when it travels
through JSON with another UTC offset. Reading the instant of a pendulum
``DateTime`` through its zone is slow (pendulum's ``DateTime`` is a subclass,
which takes the zone database's slow path), so :class:`Zone` caches the UTC
offset of one local day at a time and falls back to the exact computation on
the day of a clock change.

Expiry dates are computed in Asia/Shanghai (see :class:`ExpiryClock`).
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


def instant(at: _dt.datetime) -> int:
    """Return the exact instant of an aware ``at`` in microseconds since the Unix epoch."""
    return _subtract(at, EPOCH) // ONE_MICROSECOND


def to_datetime(key: int, tz: _dt.tzinfo) -> pendulum.DateTime:
    """Return the instant ``key`` as a pendulum ``DateTime`` in the zone ``tz``."""
    moment = (EPOCH + _dt.timedelta(microseconds=key)).astimezone(tz)
    return pendulum.instance(moment, tz=tz)


class Zone:
    """The UTC offset of one time zone, cached for one local day at a time.

    ``local`` is the wall-clock time of a datetime in microseconds since
    1970-01-01 00:00 *local*, found by subtracting :attr:`anchor` (same zone
    object, so no offset is consulted). Inside ``[lo, hi)`` the offset is known;
    outside it, :meth:`refresh` computes the exact instant and the next window.
    """

    __slots__ = ("anchor", "fixed", "hi", "index", "lo", "offset", "tz")

    def __init__(self, tz: _dt.tzinfo, index: int) -> None:
        self.tz = tz
        self.index = index
        self.anchor = _dt.datetime(1970, 1, 1, tzinfo=tz)
        self.fixed = isinstance(tz, _dt.timezone | pendulum.FixedTimezone)
        self.lo = 0
        self.hi = 0
        self.offset = 0

    def local(self, at: _dt.datetime) -> int:
        """Return the wall-clock time of ``at`` (which must be in this zone) in microseconds."""
        return _subtract(at, self.anchor) // ONE_MICROSECOND

    def key(self, at: _dt.datetime) -> int:
        """Return the exact instant of ``at``, a datetime in this zone."""
        local = _subtract(at, self.anchor) // ONE_MICROSECOND
        if self.lo <= local < self.hi:
            return local - self.offset
        return self.refresh(at, local)

    def refresh(self, at: _dt.datetime, local: int) -> int:
        """Return the exact instant of ``at`` and cache the offset of its local day."""
        key = instant(at)
        offset = local - key
        if self.fixed:
            self.lo, self.hi, self.offset = -_FAR, _FAR, offset
            return key
        day_lo = local - local % DAY
        day_hi = day_lo + DAY
        if all(
            self._offset_at(wall, fold) == offset for wall in (day_lo, day_hi) for fold in (0, 1)
        ):
            self.lo, self.hi, self.offset = day_lo, day_hi, offset
        else:  # a day with a clock change: no cache, every time takes the exact path
            self.lo = self.hi = 0
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


class ExpiryClock:
    """Computes the expiry instant of a lot from the instant it was earned, fast.

    ``rule`` is ``"never"``, ``"after_days"``, ``"end_of_month"`` or
    ``"end_of_year"`` and ``count`` its number of days, months or years. For the
    calendar rules the answer is the same for a whole local month or year, so
    the last window ``[lo, hi)`` and its answer are cached.
    """

    __slots__ = ("count", "delta", "expiry", "hi", "lo", "rule")

    def __init__(self, rule: str, count: int) -> None:
        self.rule = rule
        self.count = count
        self.delta = count * DAY if rule == "after_days" else 0
        # The window [lo, hi) of earning instants whose expiry is ``expiry``.
        self.lo, self.hi = (-_FAR, _FAR) if rule == "never" else (0, 0)
        self.expiry = NEVER

    def expires(self, earned: int) -> int:
        """Return the instant at which a lot earned at ``earned`` can no longer be spent."""
        rule = self.rule
        if rule == "never":
            return NEVER
        if rule == "after_days":
            return earned + self.delta
        if self.lo <= earned < self.hi:
            return self.expiry
        date = shanghai_date(earned)
        if rule == "end_of_year":
            lo, hi = (date.year, 1), (date.year + 1, 1)
            last = (date.year + self.count + 1, 1)
        else:  # end_of_month
            lo = (date.year, date.month)
            next_year, next_month = divmod(date.month, 12)
            hi = (date.year + next_year, next_month + 1)
            last_year, last_month = divmod(date.month + self.count, 12)
            last = (date.year + last_year, last_month + 1)
        self.lo = shanghai_midnight(*lo)
        self.hi = shanghai_midnight(*hi) if hi[0] <= _LAST_YEAR else _FAR
        # An expiry after the calendar's last year is never reached.
        self.expiry = shanghai_midnight(*last) if last[0] <= _LAST_YEAR else NEVER
        return self.expiry
