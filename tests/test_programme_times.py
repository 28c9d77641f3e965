"""The programme's record books keep each time as the instant and zone it was given."""

from __future__ import annotations

import datetime as _dt
import zoneinfo

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.ledger import Scheme
from grassroots.ledger._instants import instant
from grassroots.programme import (
    EarnerGroup,
    Participant,
    PointsProgramme,
    Reward,
    VolunteerActivity,
)
from grassroots.programme._times import Times

_ZONES = [
    pendulum.timezone("Asia/Shanghai"),
    pendulum.timezone("America/New_York"),  # clock changes twice a year
    pendulum.timezone("Australia/Lord_Howe"),  # a half-hour change
    pendulum.timezone("UTC"),
    pendulum.FixedTimezone(-5 * 3600),
    pendulum.FixedTimezone(14 * 3600),
]
_INSTANTS = st.one_of(
    st.integers(0, 2**40),  # within a few days of the epoch, around many midnights
    st.integers(-(2**55), 2**57),  # 1970 ± over a thousand years
    st.sampled_from(  # the clock changes of 2026 in New York, to the microsecond
        [
            instant(_dt.datetime(2026, 3, 8, 7, tzinfo=_dt.UTC)) + delta
            for delta in (-1, 0, 1, 3_600_000_000)
        ]
        + [instant(_dt.datetime(2026, 11, 1, 6, tzinfo=_dt.UTC)) + delta for delta in (-1, 0, 1)]
    ),
)
# The far ends: year 1 and year 9999, which the ledger refuses but a record book keeps,
# some of them instants that ``datetime`` cannot hold in UTC (10000-01-01T04:00Z).
_FAR = st.sampled_from(
    [
        pendulum.datetime(1, 1, 1, 12, tz=pendulum.FixedTimezone(3600)),
        pendulum.datetime(1, 1, 2, 0, 30, tz="UTC"),
        pendulum.datetime(9999, 12, 31, 23, tz=pendulum.FixedTimezone(-5 * 3600)),
        pendulum.datetime(9999, 12, 31, 23, 59, tz=pendulum.timezone("America/New_York")),
        pendulum.datetime(1, 1, 1, 0, 30, tz=pendulum.FixedTimezone(3600)),
        pendulum.datetime(9999, 12, 31, 23, 59, 59, 999999, tz="UTC"),
    ]
)


def _time(moment: int, zone: _dt.tzinfo) -> pendulum.DateTime:
    utc = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC) + _dt.timedelta(microseconds=moment)
    return pendulum.instance(utc).in_timezone(zone)  # type: ignore[arg-type]


@settings(max_examples=300)
@given(
    times=st.lists(
        st.one_of(
            st.builds(_time, _INSTANTS, st.sampled_from(_ZONES)),
            _FAR,
        ),
        min_size=1,
        max_size=30,
    )
)
def test_each_time_reads_back_as_the_instant_and_zone_given(
    times: list[pendulum.DateTime],
) -> None:
    """Keys are the exact instants, and each reads back in its own zone, in any order."""
    book = Times()
    keys = [book.key(at) for at in times]
    for at, key in zip(times, keys, strict=True):
        assert key[0] == instant(at)
        back = book.time(key)
        assert back == at
        assert back.utcoffset() == at.utcoffset()
        assert back.tzinfo == at.tzinfo
    # Asking again, after every zone and day was seen, gives the same keys.
    assert [book.key(at) for at in reversed(times)] == keys[::-1]


def test_zones_are_numbered_as_first_seen_and_an_equal_zone_shares_its_number() -> None:
    """Each zone gets the next index the first time; an equal zone object gets the same."""
    book = Times()
    first = pendulum.datetime(2026, 11, 7, 12, tz="Asia/Shanghai")
    tokyo = pendulum.datetime(2026, 11, 7, 13, tz="Asia/Tokyo")
    fixed = _dt.datetime(2026, 11, 7, 12, tzinfo=_dt.timezone(_dt.timedelta(hours=8)))
    same_fixed = pendulum.FixedTimezone(8 * 3600)
    assert book.key(first) == (instant(first), 0)
    assert book.key(tokyo) == (instant(first), 1)
    assert book.key(first) == (instant(first), 0)
    assert book.key(pendulum.instance(fixed)) == (instant(first), 2)
    assert same_fixed is not pendulum.instance(fixed).tzinfo
    assert book.zone(same_fixed) == 2
    assert book.zone(zoneinfo.ZoneInfo("Europe/Paris")) == 3


def test_a_sign_in_at_the_far_end_of_time_reads_back() -> None:
    """A record at 9999-12-31T20:10-05:00, past what ``datetime`` holds in UTC, reads back.

    The ledger never records such a time, but an activity's book may: its
    records must read back as given, not raise while being read.
    """
    zone = pendulum.FixedTimezone(-5 * 3600)
    programme = PointsProgramme(administrators=["admin"])
    programme.add_scheme(Scheme(code="virtue", name="美德积分"))
    programme.register(Participant(id="wang", groups=[EarnerGroup.RESIDENT]))
    start = pendulum.datetime(9999, 12, 31, 20, tz=zone)
    programme.publish(
        VolunteerActivity(
            id="a1",
            title="守岁",
            organiser="branch",
            place="小区",
            subcommunity="c0",
            start=start,
            end=pendulum.datetime(9999, 12, 31, 23, tz=zone),
            rewards=[Reward(scheme="virtue", points=5)],
            capacity=3,
            eligible=[EarnerGroup.RESIDENT],
        ),
        by="branch",
    )
    programme.claim("a1", "wang", by="wang", at=pendulum.datetime(9999, 12, 31, 19, tz=zone))
    signed_in = pendulum.datetime(9999, 12, 31, 20, 10, tz=zone)
    signed_out = pendulum.datetime(9999, 12, 31, 22, 59, tz=zone)
    programme.sign_in("a1", "wang", by="branch", at=signed_in)
    programme.sign_out("a1", "wang", by="branch", at=signed_out)
    (record,) = programme.records("wang", viewer="wang")
    assert record.signed_in == signed_in
    assert record.signed_out == signed_out
    assert record.signed_out.utcoffset() == signed_out.utcoffset()
