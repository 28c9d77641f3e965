"""Times kept as plain numbers in the programme's records (private).

The programme keeps what it records (attendance, receipts, fund movements) as
tuples of strings and integers, which the cyclic garbage collector stops
tracking, instead of objects it would walk on every full pass. A time is kept
as a key ``(instant, zone)``: the exact instant in microseconds since
1970-01-01T00:00Z (the ledger's own instants) and the index of its time zone in a
``Times`` table, so the value read back is the
same instant shown in the same zone as the one recorded.
"""

from __future__ import annotations

import datetime as _dt

import pendulum

from grassroots.ledger._instants import MAX_INSTANT, MIN_INSTANT, Zone, to_datetime

TimeKey = tuple[int, int]
"""A recorded time: ``(instant in microseconds, index of its zone)``."""


class Times:
    """The zones of the times one record book keeps, and the keys of those times.

    Each zone's instants are read through a ledger ``Zone``, which caches the
    zone's offset for one local day, so a time of a day already seen costs a
    subtraction of two times of the same zone, not a look-up of its offset.
    """

    __slots__ = ("_far", "_index", "_last", "_last_zone", "_zones")

    def __init__(self) -> None:
        self._zones: list[Zone] = []
        # Times outside the range the ledger records, kept as given: an instant near
        # year 1 or 9999 may lie where ``datetime`` cannot hold it in UTC, so it could
        # not be read back from the instant. The ledger refuses such times; a record
        # book (a sign-in, say) keeps them, and reads them back as they were.
        self._far: dict[TimeKey, pendulum.DateTime] = {}
        self._index: dict[_dt.tzinfo, Zone] = {}
        self._last: tuple[_dt.datetime | None, TimeKey] = (None, (0, 0))
        # The zone looked up last: a book's times are nearly all in one zone, and a
        # pendulum zone hashes in Python, so the dict is asked only on a change.
        self._last_zone: Zone | None = None

    def _zone(self, tz: _dt.tzinfo) -> Zone:
        """Return the ``Zone`` of ``tz``, adding it the first time it is seen."""
        zone = self._last_zone
        if zone is not None and tz is zone.tz:
            return zone
        zone = self._index.get(tz)
        if zone is None:
            zone = self._index[tz] = Zone(tz, len(self._zones))
            self._zones.append(zone)
        self._last_zone = zone
        return zone

    def zone(self, tz: _dt.tzinfo) -> int:
        """Return the index of ``tz``, adding it the first time it is seen."""
        return self._zone(tz).index

    def key(self, at: pendulum.DateTime) -> TimeKey:
        """Return the key of an aware pendulum ``at`` (checked by the caller)."""
        last, key = self._last
        if at is not last:
            tz = at.tzinfo
            assert tz is not None  # aware, checked by the caller
            zone = self._zone(tz)
            moment = zone.exact(at)
            key = (moment, zone.index)
            if not MIN_INSTANT <= moment <= MAX_INSTANT:
                self._far[key] = at
            self._last = (at, key)
        return key

    def key_of(self, moment: int, at: pendulum.DateTime) -> TimeKey:
        """Return the key of ``at`` whose instant ``moment`` the caller already has."""
        tz = at.tzinfo
        assert tz is not None  # aware, checked by the caller
        key = (moment, self._zone(tz).index)
        if not MIN_INSTANT <= moment <= MAX_INSTANT:
            self._far[key] = at
        return key

    def time(self, key: TimeKey) -> pendulum.DateTime:
        """Return the time of ``key``: the recorded instant in the recorded zone."""
        moment, zone = key
        if MIN_INSTANT <= moment <= MAX_INSTANT:
            return to_datetime(moment, self._zones[zone].tz)
        return self._far[key]


def optional_time(times: Times, key: TimeKey | None) -> pendulum.DateTime | None:
    """Return the time of ``key``, or ``None`` for no key."""
    return None if key is None else times.time(key)
