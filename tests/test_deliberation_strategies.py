"""The deliberation strategies keep their promises: valid draws, bounds held, bad arguments fail."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from grassroots import strategies as gst
from grassroots.deliberation import (
    Actor,
    MeetingKind,
    MeetingSeries,
    MeetingVote,
    Message,
    Petition,
    Role,
    RuleSet,
)
from grassroots.serialization import dumps, loads


class TestDraws:
    @given(gst.meeting_votes(kinds=st.just(MeetingKind.RESIDENTS_MEETING), max_eligible=50))
    def test_votes_nest_and_round_trip(self, vote: MeetingVote) -> None:
        """Counts nest, the kind is kept, and a vote survives JSON."""
        assert vote.in_favour <= vote.present <= vote.eligible <= 50
        assert vote.kind is MeetingKind.RESIDENTS_MEETING
        assert loads(dumps(vote), MeetingVote) == vote

    @given(gst.meeting_votes(rules=gst.rule_sets()))
    def test_votes_with_given_rules(self, vote: MeetingVote) -> None:
        """A vote drawn with rules uses them, whatever its day."""
        assert isinstance(vote.rules, RuleSet)
        assert isinstance(vote.quorate, bool)

    @given(gst.rule_sets())
    def test_rule_sets_round_trip(self, rules: RuleSet) -> None:
        """Shipped and custom sets survive JSON."""
        assert loads(dumps(rules), RuleSet) == rules

    @given(gst.petitions(max_total=30))
    def test_petitions(self, petition: Petition) -> None:
        """Signatures never exceed the group."""
        assert petition.signed <= petition.total <= 30

    @given(gst.meeting_series())
    def test_series_first_start_is_an_occurrence(self, series: MeetingSeries) -> None:
        """The first start is the first occurrence, and a series survives JSON."""
        start = series.first_start.date()
        (first,) = series.occurrences(pendulum.interval(start, start))
        assert first.start == series.first_start
        assert loads(dumps(series), MeetingSeries) == series

    @given(gst.messages())
    def test_messages(self, message: Message) -> None:
        """Messages are aware and round-trip."""
        assert message.received_at.utcoffset() is not None
        assert loads(dumps(message), Message) == message

    @given(gst.actors(roles=st.just(Role.COMMITTEE)))
    def test_actors(self, actor: Actor) -> None:
        """Actors keep the role asked for."""
        assert actor.role is Role.COMMITTEE

    @given(st.from_type(MeetingVote), st.from_type(RuleSet))
    def test_type_strategies_are_registered(self, vote: MeetingVote, rules: RuleSet) -> None:
        """``st.from_type`` works for the deliberation types with no setup."""
        assert isinstance(vote, MeetingVote)
        assert isinstance(rules, RuleSet)


class TestBadArguments:
    def test_bounds(self) -> None:
        """Impossible bounds raise InvalidArgument."""
        with pytest.raises(InvalidArgument):
            gst.meeting_votes(max_eligible=-1)
        with pytest.raises(InvalidArgument):
            gst.petitions(max_total=-1)
        with pytest.raises(InvalidArgument):
            gst.meeting_days(min_value=dt.date(2026, 1, 2), max_value=dt.date(2026, 1, 1))
