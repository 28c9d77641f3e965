"""The deliberation report of a community for a period."""

from __future__ import annotations

from fractions import Fraction

import pendulum
import pytest

from grassroots.deliberation import (
    Actor,
    Channel,
    Mailbox,
    MeetingBase,
    MeetingKind,
    MeetingRecord,
    MeetingSeries,
    MeetingVote,
    Message,
    MessageChannel,
    Outcome,
    Place,
    ReviewDecision,
    Role,
    Roster,
    SeriesKind,
    Stage,
    SuggestionDetails,
    SuggestionPipeline,
    Triage,
    deliberation_report,
)
from grassroots.resident import Resident
from grassroots.subcommunity import (
    Building,
    Community,
    Grid,
    GridWorker,
    Subcommunity,
    SubcommunityKind,
)

ZONE = "Asia/Shanghai"
W = GridWorker(id="w1", name="网格员")
REP = Resident(id="rep1", household_id="h1", born_on=pendulum.Date(1970, 1, 1))
GRID = Actor.from_grid_worker(W)
REPRESENTATIVE = Actor.representative(REP)
PARTY = Actor(id="party", role=Role.PARTY_ORGANISATION)
RECORDER = Actor(id="rec", role=Role.ASSEMBLY_RECORDER)
COMMITTEE = Actor(id="jwh", role=Role.COMMITTEE)
MARCH = pendulum.interval(pendulum.Date(2026, 3, 1), pendulum.Date(2026, 3, 31))


def at(day: int, hour: int = 10, month: int = 3) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, tz=ZONE)


def pipeline() -> SuggestionPipeline:
    sub = Subcommunity(
        id="longju",
        name="龙居小区",
        kind=SubcommunityKind.RESETTLEMENT,
        buildings=[Building.numbered(id="b01", name="1栋", units=2)],
    )
    grid = Grid.staffed(
        id="g1", name="网格", worker=W, since=pendulum.Date(2024, 1, 1), buildings=["b01"]
    )
    community = Community(id="sq", name="龙居社区", subcommunities=[sub], grids=[grid])
    roster = Roster.of(
        representatives=[REP], party_organisation="party", recorders=["rec"], committee=["jwh"]
    )
    return SuggestionPipeline(community=community, roster=roster)


def details(category: str) -> SuggestionDetails:
    return SuggestionDetails(
        text="建议",
        place=Place(subcommunity_id="longju"),
        category=category,
        channel=Channel.PATROL,
    )


def reps(day: int) -> MeetingVote:
    return MeetingVote(
        kind=MeetingKind.REPRESENTATIVES_MEETING,
        held_on=pendulum.Date(2026, 3, day),
        base=MeetingBase.REPRESENTATIVES,
        eligible=30,
        present=24,
        in_favour=20,
    )


class TestReport:
    def test_a_month_by_hand(self) -> None:
        """Three suggestions in March, one from February; figures worked by hand."""
        p = pipeline()
        p.record("feb", details("楼道清理"), actor=GRID, at=at(20, month=2))
        p.record("small", details("楼道清理"), actor=GRID, at=at(1))
        p.shortlist("small", vote=reps(3), actor=REPRESENTATIVE, at=at(3))  # 2 days recorded
        p.record("big", details("加装电梯"), actor=GRID, at=at(2))
        p.shortlist("big", vote=reps(3), actor=REPRESENTATIVE, at=at(3))  # 1 day recorded
        p.draft_review("big", decision=ReviewDecision.APPROVE, actor=PARTY, at=at(5))
        p.publish_review("big", actor=PARTY, at=at(6))  # 3 days shortlisted
        vote = MeetingVote(
            kind=MeetingKind.RESIDENTS_MEETING,
            held_on=pendulum.Date(2026, 3, 20),
            base=MeetingBase.HOUSEHOLDS,
            eligible=300,
            present=210,
            in_favour=180,
        )
        p.assembly_vote("big", vote=vote, actor=RECORDER, at=at(20))  # 14 days approved
        p.record("no", details("加装电梯"), actor=GRID, at=at(10))
        p.decline("no", vote=reps(12), actor=REPRESENTATIVE, at=at(12), reason="重复诉求")
        report = deliberation_report(p, MARCH)
        assert report.recorded == 3
        assert report.stage(Stage.ADOPTED) == 2
        assert report.stage(Stage.DECLINED) == 1
        assert report.outcome(Outcome.SETTLED_IN_COMPOUND) == 1
        assert report.outcome(Outcome.ADOPTED_BY_ASSEMBLY) == 1
        assert report.settled_in_compound_share == Fraction(1, 2)
        times = {t.stage: t for t in report.time_in_stage}
        day = 86_400
        assert (times[Stage.RECORDED].visits, times[Stage.RECORDED].seconds) == (3, 5 * day)
        assert times[Stage.SHORTLISTED].seconds == 3 * day
        assert times[Stage.APPROVED].seconds == 14 * day
        # adopted from 3 March 10:00 and 20 March 10:00 until 1 April 00:00
        assert times[Stage.ADOPTED].seconds == (28 * day + 14 * 3600) + (11 * day + 14 * 3600)
        assert times[Stage.ADOPTED].mean_seconds == Fraction(
            (28 * day + 14 * 3600) + (11 * day + 14 * 3600), 2
        )
        (turnout,) = report.turnout
        assert (turnout.share, turnout.quorate) == (Fraction(7, 10), True)

    def test_the_report_stops_at_the_period_s_end(self) -> None:
        """Moves after the period do not count; the stage is as it stood at the end."""
        p = pipeline()
        p.record("s", details("楼道清理"), actor=GRID, at=at(30))
        p.shortlist("s", vote=reps(30), actor=REPRESENTATIVE, at=at(2, month=4))
        report = deliberation_report(p, MARCH)
        assert report.stage(Stage.RECORDED) == 1
        assert report.settled_in_compound_share is None
        assert report.outcome(Outcome.PENDING) == 1

    def test_meetings_and_mailbox(self) -> None:
        """Meetings held against scheduled, an inquorate assembly's turnout, the mailbox on time."""
        tea = MeetingSeries(
            id="tea",
            name="书记下午茶",
            kind=SeriesKind.AFTERNOON_TEA,
            first_start=at(4, 15),
            duration_minutes=90,
            rule="FREQ=WEEKLY;BYDAY=WE",
        ).cancel(at(25, 15))
        held = [
            MeetingRecord(occurrence=o, attendees=12)
            for o in tea.occurrences(MARCH)
            if o.start.day in (4, 11)
        ]
        box = Mailbox()
        box.receive(Message(id="m1", received_at=at(2), channel=MessageChannel.BOX, text="路灯"))
        box.triage("m1", Triage.SERVICE_REQUEST, at=at(3))
        box.answer("m1", at=at(4), text="已修")
        box.receive(Message(id="m2", received_at=at(20), channel=MessageChannel.BOX, text="噪音"))
        inquorate = MeetingVote(
            kind=MeetingKind.RESIDENTS_MEETING,
            held_on=pendulum.Date(2026, 3, 28),
            base=MeetingBase.ADULT_RESIDENTS,
            eligible=8_000,
            present=4_000,
            in_favour=3_900,
        )
        report = deliberation_report(
            pipeline(), MARCH, series=[tea], records=held, mailbox=box, assembly_votes=[inquorate]
        )
        (count,) = report.meetings
        assert (count.held, count.scheduled) == (2, 3)  # 4, 11, 18 stand; 25 cancelled
        (turnout,) = report.turnout
        assert (turnout.share, turnout.quorate) == (Fraction(1, 2), False)
        assert report.mailbox is not None
        assert (report.mailbox.received, report.mailbox.answered_on_time) == (2, 1)
        assert report.mailbox.overdue == ("m2",)

    def test_bad_period(self) -> None:
        """The period is an Interval of days."""
        with pytest.raises(TypeError):
            deliberation_report(pipeline(), (1, 2))  # type: ignore[arg-type]
