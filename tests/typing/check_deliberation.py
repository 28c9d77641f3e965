"""Type-level checks of the deliberation API, run by mypy only (never executed)."""

from __future__ import annotations

from fractions import Fraction
from typing import assert_type

import pendulum

from grassroots.deliberation import (
    Mailbox,
    MailboxReport,
    MeetingBase,
    MeetingKind,
    MeetingSeries,
    MeetingVote,
    Move,
    Occurrence,
    RuleSet,
    Stage,
    SuggestionPipeline,
    rules_for,
)
from grassroots.threshold import Threshold

day = pendulum.Date(2026, 1, 1)
vote = MeetingVote(
    kind=MeetingKind.RESIDENTS_MEETING,
    held_on=day,
    base=MeetingBase.ADULT_RESIDENTS,
    eligible=100,
    present=51,
    in_favour=26,
)
assert_type(rules_for(day), RuleSet)
assert_type(vote.quorate, bool)
assert_type(vote.turnout, Fraction)
assert_type(rules_for(day).quorum_for(MeetingBase.HOUSEHOLDS), Threshold)


def check(pipeline: SuggestionPipeline, series: MeetingSeries, box: Mailbox) -> None:
    assert_type(pipeline.moves, tuple[Move, ...])
    assert_type(pipeline.get("s1").stage, Stage)
    assert_type(series.occurrences(pendulum.Interval(day, day)), tuple[Occurrence, ...])
    assert_type(series.to_ics(stamp=pendulum.datetime(2026, 1, 1)), str)
    assert_type(box.report(as_of=pendulum.datetime(2026, 1, 1)), MailboxReport)
