"""Strategies for deliberation: rule sets, votes, petitions, meeting series, messages (private).

Import them from [`grassroots.strategies`][grassroots.strategies].
"""

from __future__ import annotations

import datetime as _dt

import pendulum
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from grassroots.deliberation.assembly import MeetingVote, Petition
from grassroots.deliberation.mailbox import Message, MessageChannel
from grassroots.deliberation.meeting import MeetingSeries, SeriesKind
from grassroots.deliberation.pipeline import Actor, Role
from grassroots.deliberation.rules import (
    RULE_SETS,
    MeetingBase,
    MeetingKind,
    PetitionBase,
    RuleSet,
)
from grassroots.strategies._threshold import thresholds
from grassroots.threshold import Base

_FIRST_DAY = _dt.date(2019, 1, 1)
_LAST_DAY = _dt.date(2030, 12, 31)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _pendulum_date(day: _dt.date) -> pendulum.Date:
    return pendulum.Date(day.year, day.month, day.day)


def meeting_days(
    *, min_value: _dt.date = _FIRST_DAY, max_value: _dt.date = _LAST_DAY
) -> st.SearchStrategy[pendulum.Date]:
    """Draw a local day for a meeting, by default 2019 to 2030 (both rule sets).

    Shrinks toward ``min_value``. Needs the ``hypothesis`` extra.
    """
    if min_value > max_value:
        raise InvalidArgument(f"min_value {min_value} is after max_value {max_value}")
    return st.dates(min_value=min_value, max_value=max_value).map(_pendulum_date)


def rule_sets() -> st.SearchStrategy[RuleSet]:
    """Draw a shipped rule set or a custom one with arbitrary thresholds.

    A custom set governs every day from 2019. Shrinks toward the 2018 set.
    Needs the ``hypothesis`` extra.
    """
    eligible = thresholds(bases=st.just(Base.ALL_ELIGIBLE), max_denominator=12)
    present = thresholds(bases=st.just(Base.PRESENT), max_denominator=12)
    custom = st.builds(
        RuleSet,
        name=st.just("custom"),
        source=st.just("a local charter"),
        effective_from=st.just(pendulum.Date(2019, 1, 1)),
        verified=st.booleans(),
        quorum_adults=eligible,
        quorum_households=eligible,
        quorum_groups=eligible,
        passing=present,
        petition_adults=st.none() | eligible,
        petition_households=st.none() | eligible,
        petition_groups=st.none() | eligible,
        petition_representatives=st.none() | eligible,
        representatives_quorum=eligible,
        representatives_passing=present,
        representatives_petition=st.none() | eligible,
    )
    return st.sampled_from(RULE_SETS) | custom


_RESIDENT_BASES = (
    MeetingBase.ADULT_RESIDENTS,
    MeetingBase.HOUSEHOLDS,
    MeetingBase.GROUP_REPRESENTATIVES,
)


@st.composite
def _votes(
    draw: st.DrawFn,
    kinds: st.SearchStrategy[MeetingKind],
    days: st.SearchStrategy[pendulum.Date],
    max_eligible: int,
    rules: st.SearchStrategy[RuleSet] | None,
) -> MeetingVote:
    kind = draw(kinds)
    base = (
        MeetingBase.REPRESENTATIVES
        if kind is MeetingKind.REPRESENTATIVES_MEETING
        else draw(st.sampled_from(_RESIDENT_BASES))
    )
    eligible = draw(st.integers(min_value=0, max_value=max_eligible))
    present = draw(st.integers(min_value=0, max_value=eligible))
    in_favour = draw(st.integers(min_value=0, max_value=present))
    held_on = draw(days)
    extra = {} if rules is None else {"rules": draw(rules)}
    return MeetingVote(
        kind=kind,
        held_on=held_on,
        base=base,
        eligible=eligible,
        present=present,
        in_favour=in_favour,
        **extra,
    )


def meeting_votes(
    *,
    kinds: st.SearchStrategy[MeetingKind] = st.sampled_from(MeetingKind),
    days: st.SearchStrategy[pendulum.Date] = meeting_days(),
    max_eligible: int = 12_000,
    rules: st.SearchStrategy[RuleSet] | None = None,
) -> st.SearchStrategy[MeetingVote]:
    """Draw a vote of a residents' or representatives' meeting with consistent counts.

    Without ``rules`` the vote's day picks its rule set. Shrinks toward an
    empty meeting of residents 18+ on the first day. Needs the ``hypothesis`` extra.
    """
    if max_eligible < 0:
        raise InvalidArgument(f"max_eligible {max_eligible} is negative")
    return _votes(kinds, days, max_eligible, rules)


@st.composite
def _petitions(draw: st.DrawFn, max_total: int) -> Petition:
    total = draw(st.integers(min_value=0, max_value=max_total))
    return Petition(
        meeting=draw(st.sampled_from(MeetingKind)),
        base=draw(st.sampled_from(PetitionBase)),
        signed=draw(st.integers(min_value=0, max_value=total)),
        total=total,
        on=draw(meeting_days()),
    )


def petitions(*, max_total: int = 12_000) -> st.SearchStrategy[Petition]:
    """Draw a petition for a meeting, signed by part of its group.

    Shrinks toward an empty group. Needs the ``hypothesis`` extra.
    """
    if max_total < 0:
        raise InvalidArgument(f"max_total {max_total} is negative")
    return _petitions(max_total)


def _nth(day: _dt.date) -> int:
    return (day.day - 1) // 7 + 1


@st.composite
def _series(draw: st.DrawFn, days: st.SearchStrategy[pendulum.Date]) -> MeetingSeries:
    day = draw(days)
    hour = draw(st.integers(min_value=6, max_value=21))
    minute = draw(st.sampled_from((0, 15, 30, 45)))
    weekday = _WEEKDAYS[day.weekday()]
    rule = draw(
        st.sampled_from(
            (
                f"FREQ=WEEKLY;BYDAY={weekday}",
                f"FREQ=WEEKLY;INTERVAL=2;BYDAY={weekday}",
                f"FREQ=MONTHLY;BYDAY={_nth(day)}{weekday}",
                "FREQ=MONTHLY",
                "FREQ=MONTHLY;INTERVAL=3",
                "FREQ=DAILY",
                "FREQ=YEARLY",
            )
        )
    )
    kind = draw(st.sampled_from(SeriesKind))
    return MeetingSeries(
        id=draw(st.sampled_from(("tea", "baba", "night", "s-1"))),
        name=kind.zh,
        kind=kind,
        first_start=pendulum.datetime(
            day.year, day.month, day.day, hour, minute, tz="Asia/Shanghai"
        ),
        duration_minutes=draw(st.integers(min_value=1, max_value=240)),
        rule=rule,
        location=draw(st.sampled_from(("", "龙居社区广场", "党群服务中心, 二楼"))),
    )


def meeting_series(
    *, days: st.SearchStrategy[pendulum.Date] = meeting_days()
) -> st.SearchStrategy[MeetingSeries]:
    """Draw a meeting series whose first start is an occurrence of its rule.

    Rules: weekly, fortnightly, the nth weekday of each month, monthly,
    quarterly, daily and yearly. Shrinks toward a weekly series on the first
    day. Needs the ``hypothesis`` extra.
    """
    return _series(days)


def messages(
    *, times: st.SearchStrategy[pendulum.DateTime] | None = None
) -> st.SearchStrategy[Message]:
    """Draw a wish-mailbox message with an aware arrival time.

    Shrinks toward an empty text in the box. Needs the ``hypothesis`` extra.
    """
    arrivals = times or st.datetimes(
        min_value=_dt.datetime(2025, 1, 1),  # noqa: DTZ001 - bounds of a naive draw
        max_value=_dt.datetime(2027, 12, 31),  # noqa: DTZ001
        timezones=st.sampled_from((_dt.UTC, pendulum.timezone("Asia/Shanghai"))),
    ).map(pendulum.instance)
    return st.builds(
        Message,
        id=st.from_regex(r"m[0-9]{1,6}", fullmatch=True),
        received_at=arrivals,
        channel=st.sampled_from(MessageChannel),
        text=st.text(
            alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=40
        ),
    )


def actors(*, roles: st.SearchStrategy[Role] = st.sampled_from(Role)) -> st.SearchStrategy[Actor]:
    """Draw an actor in one role, with a short id.

    Shrinks toward a grid worker. Needs the ``hypothesis`` extra.
    """
    return st.builds(Actor, id=st.from_regex(r"[a-z]{1,3}[0-9]{0,2}", fullmatch=True), role=roles)
