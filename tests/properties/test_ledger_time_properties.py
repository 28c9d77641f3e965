"""Properties of the ledger's cached instants: the cache never changes an answer."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from grassroots.ledger import _instants as lt

# Zones with clock changes of an hour, of half an hour (Lord Howe), a zone that
# changed its offset for good (Samoa skipped 2011-12-30), and fixed offsets.
ZONES = (
    "Asia/Shanghai",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "UTC",
)

# Naive wall-clock times: each test puts them in a zone itself.
times = st.datetimes(
    min_value=dt.datetime(1990, 1, 1),  # noqa: DTZ001 - a wall time, placed in a zone below
    max_value=dt.datetime(2040, 12, 31),  # noqa: DTZ001
    allow_imaginary=True,
)


def _transitions(name: str) -> list[dt.datetime]:
    """The UTC hours in which the offset of zone ``name`` changed, 2008 to 2024."""
    tz = zoneinfo.ZoneInfo(name)
    found = []
    day = dt.datetime(2008, 1, 1, tzinfo=dt.UTC)
    while day.year < 2025:
        following = day + dt.timedelta(days=1)
        if day.astimezone(tz).utcoffset() != following.astimezone(tz).utcoffset():
            hour = day
            while hour.astimezone(tz).utcoffset() == day.astimezone(tz).utcoffset():
                hour += dt.timedelta(hours=1)
            found.append(hour)
        day = following
    return found


TRANSITIONS = {name: _transitions(name) for name in ZONES}


def exact(at: dt.datetime) -> int:
    """The instant of ``at`` by the standard library, with no cache."""
    utc = at.astimezone(dt.UTC)
    days = utc.toordinal() - dt.date(1970, 1, 1).toordinal()
    seconds = days * 86_400 + utc.hour * 3_600 + utc.minute * 60 + utc.second
    return seconds * 1_000_000 + utc.microsecond


@given(
    name=st.sampled_from(ZONES),
    walls=st.lists(times, min_size=1, max_size=40),
    folds=st.lists(st.integers(0, 1), min_size=40, max_size=40),
    use_pendulum=st.booleans(),
)
def test_the_cached_key_is_the_exact_instant(
    name: str, walls: list[dt.datetime], folds: list[int], use_pendulum: bool
) -> None:
    """Every time, in any order, around clock changes and folds, keys as its exact instant."""
    tz: dt.tzinfo = pendulum.timezone(name) if use_pendulum else zoneinfo.ZoneInfo(name)
    zone = lt.Zone(tz, 0)
    for wall, fold in zip(walls, folds, strict=False):
        at = wall.replace(tzinfo=tz, fold=fold)
        if use_pendulum:
            at = pendulum.instance(at, tz=tz)
        assert zone.key(at) == exact(at) == lt.instant(at)


@given(
    name=st.sampled_from(ZONES),
    first=times,
    steps=st.lists(st.integers(1, 6 * 3600 * 10**6), min_size=1, max_size=60),
)
def test_the_cached_key_follows_time_across_days(
    name: str, first: dt.datetime, steps: list[int]
) -> None:
    """Times moving forward through midnights and clock changes key as their exact instants."""
    tz = zoneinfo.ZoneInfo(name)
    zone = lt.Zone(tz, 0)
    moment = first.replace(tzinfo=dt.UTC)
    for step in steps:
        moment += dt.timedelta(microseconds=step)
        at = moment.astimezone(tz)
        assert zone.key(at) == exact(at)


@given(
    data=st.data(),
    name=st.sampled_from([name for name in ZONES if TRANSITIONS[name]]),
    use_pendulum=st.booleans(),
)
def test_the_cached_key_is_exact_on_the_day_of_a_clock_change(
    data: st.DataObject, name: str, use_pendulum: bool
) -> None:
    """Around a clock change, wall times before and after it, folds and gaps key exactly."""
    tz: dt.tzinfo = pendulum.timezone(name) if use_pendulum else zoneinfo.ZoneInfo(name)
    change = data.draw(st.sampled_from(TRANSITIONS[name]), label="change")
    local = change.astimezone(zoneinfo.ZoneInfo(name)).replace(tzinfo=None)
    zone = lt.Zone(tz, 0)
    hours = 30 * 3_600 * 10**6
    for delta in data.draw(st.lists(st.integers(-hours, hours), min_size=2), label="deltas"):
        wall = local + dt.timedelta(microseconds=delta)
        at = wall.replace(tzinfo=tz, fold=data.draw(st.integers(0, 1), label="fold"))
        if use_pendulum:
            at = pendulum.instance(at, tz=tz)
        assert zone.key(at) == exact(at)
