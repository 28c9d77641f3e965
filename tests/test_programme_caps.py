"""Earning caps per resident and scheme per day, week and month, in Asia/Shanghai."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import errors
from grassroots.ledger import Scheme
from grassroots.programme import (
    CapBehaviour,
    CapBook,
    CapPeriod,
    EarnerGroup,
    EarningCap,
    Participant,
    PointsProgramme,
    Reward,
    VolunteerActivity,
    wallet_id,
)


def when(day: int, hour: int = 10) -> pendulum.DateTime:
    """Return a time in November 2026, Asia/Shanghai."""
    return pendulum.datetime(2026, 11, day, hour, tz="Asia/Shanghai")


class TestEarningCap:
    def test_needs_a_limit(self) -> None:
        """A cap limiting neither points nor credits is refused."""
        with pytest.raises(errors.InvalidValue):
            EarningCap(scheme="virtue", period=CapPeriod.DAY)

    def test_limits_are_positive(self) -> None:
        """A cap of zero points is refused, a float is a TypeError."""
        with pytest.raises(errors.InvalidValue):
            EarningCap(scheme="virtue", period=CapPeriod.DAY, points=0)
        with pytest.raises(TypeError):
            EarningCap(scheme="virtue", period=CapPeriod.DAY, points=1.5)  # type: ignore[arg-type]

    def test_the_day_is_shanghai_s(self) -> None:
        """23:30 UTC on 6 November is 7 November in Shanghai."""
        cap = EarningCap(scheme="virtue", period=CapPeriod.DAY, points=10)
        late = pendulum.datetime(2026, 11, 6, 23, 30, tz="UTC")
        assert cap.window(late) == cap.window(when(7))

    def test_week_runs_monday_to_sunday(self) -> None:
        """Sunday 8 November and Monday 9 November 2026 are in different ISO weeks."""
        cap = EarningCap(scheme="virtue", period=CapPeriod.WEEK, points=10)
        assert cap.window(when(2)) == cap.window(when(8, 23))
        assert cap.window(when(8, 23)) != cap.window(when(9, 0))


class TestCapBook:
    def test_credit_up_to_cap(self) -> None:
        """A 30-point daily cap credits 20, then 10, then nothing; the next day starts afresh."""
        caps = CapBook([EarningCap(scheme="virtue", period=CapPeriod.DAY, points=30)])
        assert caps.allowed("wang", "virtue", 20, at=when(7)) == 20
        caps.record("wang", "virtue", 20, at=when(7))
        assert caps.allowed("wang", "virtue", 20, at=when(7, 15)) == 10
        caps.record("wang", "virtue", 10, at=when(7, 15))
        assert caps.allowed("wang", "virtue", 20, at=when(7, 20)) == 0
        assert caps.allowed("wang", "virtue", 20, at=when(8)) == 20
        assert caps.allowed("li", "virtue", 20, at=when(7)) == 20  # per resident
        assert caps.allowed("wang", "party", 50, at=when(7)) == 50  # per scheme

    def test_refuse(self) -> None:
        """A refusing cap refuses a credit that passes it and allows one that meets it."""
        cap = EarningCap(
            scheme="virtue", period=CapPeriod.MONTH, points=30, behaviour=CapBehaviour.REFUSE
        )
        caps = CapBook([cap])
        caps.record("wang", "virtue", 20, at=when(1))
        assert caps.allowed("wang", "virtue", 10, at=when(30)) == 10
        with pytest.raises(errors.EarningCapReached) as caught:
            caps.allowed("wang", "virtue", 11, at=when(30))
        assert caught.value.limit == 30

    def test_count_of_credits(self) -> None:
        """Two credits a week: the third gets nothing."""
        caps = CapBook([EarningCap(scheme="virtue", period=CapPeriod.WEEK, credits=2)])
        caps.record("wang", "virtue", 5, at=when(2))
        caps.record("wang", "virtue", 5, at=when(3))
        assert caps.allowed("wang", "virtue", 5, at=when(4)) == 0

    def test_release_gives_room_back(self) -> None:
        """Releasing a credit frees its points in its own period."""
        caps = CapBook([EarningCap(scheme="virtue", period=CapPeriod.DAY, points=30)])
        caps.record("wang", "virtue", 30, at=when(7))
        caps.release("wang", "virtue", 30, at=when(7))
        assert caps.allowed("wang", "virtue", 30, at=when(7)) == 30

    @given(
        st.lists(
            st.tuples(st.integers(min_value=1, max_value=28), st.integers(0, 60)), max_size=40
        ),
        st.sampled_from(CapPeriod),
        st.integers(min_value=1, max_value=80),
    )
    def test_no_sequence_exceeds_the_cap(
        self, earnings: list[tuple[int, int]], period: CapPeriod, limit: int
    ) -> None:
        """Crediting only what is allowed keeps every period at or below the cap."""
        cap = EarningCap(scheme="virtue", period=period, points=limit)
        caps = CapBook([cap])
        totals: dict[tuple[int, int, int], int] = {}
        for day, points in earnings:
            granted = caps.allowed("wang", "virtue", points, at=when(day))
            assert 0 <= granted <= points
            caps.record("wang", "virtue", granted, at=when(day))
            key = cap.window(when(day))
            totals[key] = totals.get(key, 0) + granted
        assert all(total <= limit for total in totals.values())


class TestCapsInTheProgramme:
    def test_confirmation_at_the_cap_credits_what_is_left_and_records_attendance(self) -> None:
        """Two 20-point activities in a day under a 30-point cap credit 20 and 10."""
        built = PointsProgramme(caps=[EarningCap(scheme="virtue", period=CapPeriod.DAY, points=30)])
        built.add_scheme(Scheme(code="virtue"))
        built.register(Participant(id="wang", groups=[EarnerGroup.RESIDENT]))
        for number, hour in ((1, 8), (2, 14)):
            built.publish(
                VolunteerActivity(
                    id=f"a{number}",
                    title="巡逻",
                    organiser="branch",
                    place="北门",
                    subcommunity="dc",
                    start=when(7, hour),
                    end=when(7, hour + 2),
                    rewards=[Reward(scheme="virtue", points=20)],
                    capacity=5,
                    eligible=[EarnerGroup.RESIDENT],
                ),
                by="branch",
            )
            built.claim(f"a{number}", "wang", by="wang", at=when(6))
        built.confirm("a1", ["wang"], by="branch", at=when(7, 11))
        second = built.confirm("a2", ["wang"], by="branch", at=when(7, 17))[0]
        assert second.credited == (("virtue", 10),)
        assert second.confirmed
        assert built.ledger.balance(wallet_id("virtue", "wang")) == 30
