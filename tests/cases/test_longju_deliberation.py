"""Longju community (龙居社区) deliberates for a year: tea, 坝坝会, 龙居夜话, the four steps.

The case's figures: 17 buildings and 39 units covered by grid workers, over
10,000 residents, 6 merged villages; the secretary's afternoon tea on
Wednesdays, a monthly 坝坝会, a quarterly 龙居夜话; suggestions go grid worker
→ representatives → party organisation → residents' meeting. Headcounts of
meetings and the suggestions themselves are illustrative.
"""

from __future__ import annotations

from fractions import Fraction

import pendulum
import pytest

from grassroots.deliberation import (
    Actor,
    Channel,
    MeetingBase,
    MeetingKind,
    MeetingRecord,
    MeetingSeries,
    MeetingVote,
    Outcome,
    Petition,
    PetitionBase,
    Place,
    ReviewDecision,
    Role,
    Roster,
    SeriesKind,
    Stage,
    SuggestionDetails,
    SuggestionPipeline,
    deliberation_report,
)
from grassroots.errors import QuorumNotMet
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
YEAR = pendulum.interval(pendulum.Date(2026, 1, 1), pendulum.Date(2026, 12, 31))
WORKERS = [GridWorker(id=f"worker-{g}", name=f"网格员{g}") for g in range(1, 5)]
REPRESENTATIVES = [
    Resident(id=f"rep-{n:02}", household_id=f"h-{n:02}", born_on=pendulum.Date(1965, 5, n))
    for n in range(1, 31)
]
PARTY = Actor(id="longju-party", role=Role.PARTY_ORGANISATION, name="龙居社区党委")
RECORDER = Actor(id="recorder", role=Role.ASSEMBLY_RECORDER)
COMMITTEE = Actor(id="jwh-director", role=Role.COMMITTEE)


def longju() -> Community:
    # 5 buildings of 3 units and 12 of 2: 17 buildings, 39 units.
    buildings = [
        Building.numbered(id=f"lj-{n:02}", name=f"{n}栋", units=3 if n <= 5 else 2)
        for n in range(1, 18)
    ]
    compound = Subcommunity(
        id="longju",
        name="龙居小区",
        kind=SubcommunityKind.RESETTLEMENT,
        buildings=buildings,
        residents=10_200,
        merged_villages=[f"拆迁村{n}" for n in range(1, 7)],
    )
    groups = [range(1, 5), range(5, 9), range(9, 13), range(13, 18)]
    grids = [
        Grid.staffed(
            id=f"grid-{g}",
            name=f"龙居{g}号网格",
            worker=WORKERS[min(g, 4) - 1],
            since=pendulum.Date(2022, 1, 1),
            buildings=[f"lj-{n:02}" for n in numbers],
        )
        for g, numbers in enumerate(groups, start=1)
    ]
    return Community(id="longju-sq", name="龙居社区", subcommunities=[compound], grids=grids)


def pipeline() -> SuggestionPipeline:
    roster = Roster.of(
        representatives=REPRESENTATIVES,
        party_organisation="longju-party",
        recorders=["recorder"],
        committee=["jwh-director"],
    )
    return SuggestionPipeline(community=longju(), roster=roster)


def local(month: int, day: int, hour: int = 10) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, tz=ZONE)


def series() -> list[MeetingSeries]:
    tea = MeetingSeries(
        id="tea",
        name="书记下午茶",
        kind=SeriesKind.AFTERNOON_TEA,
        first_start=local(1, 7, 15),
        duration_minutes=90,
        rule="FREQ=WEEKLY;BYDAY=WE",
        location="龙居社区党群服务中心",
    )
    baba = MeetingSeries(
        id="baba",
        name="坝坝会",
        kind=SeriesKind.OPEN_AIR,
        first_start=local(1, 10, 19),
        duration_minutes=120,
        rule="FREQ=MONTHLY;BYDAY=2SA",
        location="龙居小区中心广场",
    )
    night = MeetingSeries(
        id="night",
        name="龙居夜话",
        kind=SeriesKind.EVENING_TALK,
        first_start=local(1, 30, 19),
        duration_minutes=150,
        rule="FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR",
        location="龙居社区议事厅",
    )
    return [tea, baba, night]


def representatives_meeting(month: int, day: int, present: int = 26) -> MeetingVote:
    return MeetingVote(
        kind=MeetingKind.REPRESENTATIVES_MEETING,
        held_on=pendulum.Date(2026, month, day),
        base=MeetingBase.REPRESENTATIVES,
        eligible=30,
        present=present,
        in_favour=present - 3,
    )


class TestPlaces:
    def test_figures(self) -> None:
        """17 buildings, 39 units, over 10,000 residents, 6 merged villages."""
        community = longju()
        compound = community.subcommunity("longju")
        assert (community.building_count, community.unit_count) == (17, 39)
        assert compound.residents is not None
        assert compound.residents > 10_000
        assert len(compound.merged_villages) == 6


class TestMeetings:
    def test_a_year_of_meetings(self) -> None:
        """2026: 52 Wednesdays of tea, 12 坝坝会, 4 龙居夜话."""
        tea, baba, night = series()
        assert len(tea.occurrences(YEAR)) == 52
        assert [o.start.day for o in baba.occurrences(YEAR)][:3] == [10, 14, 14]
        assert [o.start.to_date_string() for o in night.occurrences(YEAR)] == [
            "2026-01-30",
            "2026-04-24",
            "2026-07-31",
            "2026-10-30",
        ]

    def test_spring_festival_tea_is_cancelled_and_one_moved(self) -> None:
        """The tea of 18 February (春节) is cancelled; that of 30 September moves to the 29th."""
        tea = (
            series()[0]
            .cancel(local(2, 18, 15), reason="春节")
            .move(local(9, 30, 15), to=local(9, 29, 15), reason="国庆前安全检查")
        )
        assert len(tea.occurrences(YEAR)) == 51
        ics = tea.to_ics(stamp=pendulum.datetime(2026, 12, 2, tz="UTC"))
        assert "EXDATE;TZID=Asia/Shanghai:20260218T150000" in ics
        assert "RECURRENCE-ID;TZID=Asia/Shanghai:20260930T150000" in ics


class TestTheFourSteps:
    def test_a_suggestion_from_the_tea_to_the_assembly(self) -> None:
        """Raised at tea, recorded, shortlisted, approved, then voted by the households."""
        tea = series()[0]
        (occurrence,) = tea.occurrences(
            pendulum.interval(pendulum.Date(2026, 3, 4), pendulum.Date(2026, 3, 4))
        )
        raised = SuggestionDetails(
            text="3栋2单元加装电梯，费用按楼层分摊",
            place=Place(subcommunity_id="longju", building_id="lj-03", unit_id="lj-03-2"),
            category="加装电梯",
            channel=Channel.MEETING,
            raised_by="3栋居民",
            source=occurrence.id,
        )
        record = MeetingRecord(
            occurrence=occurrence, attendees=18, departments=["汉州街道"], suggestions=[raised]
        )
        p = pipeline()
        grid_worker = Actor.from_grid_worker(p.community.grid_of("lj-03-2").worker)
        p.record("lift-3-2", record.suggestions[0], actor=grid_worker, at=local(3, 5))
        p.shortlist(
            "lift-3-2",
            vote=representatives_meeting(3, 12),
            actor=Actor.representative(REPRESENTATIVES[0]),
            at=local(3, 12, 21),
        )
        p.draft_review("lift-3-2", decision=ReviewDecision.APPROVE, actor=PARTY, at=local(3, 16))
        p.publish_review("lift-3-2", actor=PARTY, at=local(3, 18))
        # The households' meeting: 2,400 households; under the 2026 set (unverified) two thirds
        # or more must attend: 1,599 is short, 1,600 meets it.
        short = MeetingVote(
            kind=MeetingKind.RESIDENTS_MEETING,
            held_on=pendulum.Date(2026, 4, 11),
            base=MeetingBase.HOUSEHOLDS,
            eligible=2_400,
            present=1_599,
            in_favour=1_500,
        )
        with pytest.raises(QuorumNotMet):
            p.assembly_vote("lift-3-2", vote=short, actor=RECORDER, at=local(4, 11, 21))
        enough = MeetingVote(
            kind=MeetingKind.RESIDENTS_MEETING,
            held_on=pendulum.Date(2026, 4, 11),
            base=MeetingBase.HOUSEHOLDS,
            eligible=2_400,
            present=1_600,
            in_favour=801,
        )
        s = p.assembly_vote("lift-3-2", vote=enough, actor=RECORDER, at=local(4, 11, 21))
        assert s.stage is Stage.ADOPTED
        assert s.decided_by is not None
        assert s.decided_by.rules.name == "2026"

    def test_small_matters_stay_in_the_compound(self) -> None:
        """A stairwell clean-up is settled by the representatives; a lift goes to the assembly."""
        p = pipeline()
        worker = Actor.from_grid_worker(WORKERS[0])
        clean = SuggestionDetails(
            text="1栋楼道堆放杂物",
            place=Place(subcommunity_id="longju", building_id="lj-01"),
            category="楼道清理",
            channel=Channel.PATROL,
        )
        p.record("stairs-1", clean, actor=worker, at=local(5, 6))
        rep = Actor.representative(REPRESENTATIVES[1])
        p.shortlist("stairs-1", vote=representatives_meeting(5, 8), actor=rep, at=local(5, 8, 20))
        p.assign("stairs-1", to="物业公司", actor=COMMITTEE, at=local(5, 9))
        p.complete("stairs-1", actor=COMMITTEE, at=local(5, 11), reason="已清理，张贴公告")
        report = deliberation_report(p, YEAR)
        assert report.outcome(Outcome.SETTLED_IN_COMPOUND) == 1
        assert report.settled_in_compound_share == Fraction(1, 1)


class TestPetitions:
    def test_a_fifth_of_households_oblige_a_meeting(self) -> None:
        """Of 2,400 households, 479 signatures fall short, 480 oblige the meeting (art. 10 ¶2)."""
        day = pendulum.Date(2026, 6, 1)

        def ask(signed: int) -> Petition:
            return Petition(
                meeting=MeetingKind.RESIDENTS_MEETING,
                base=PetitionBase.HOUSEHOLDS,
                signed=signed,
                total=2_400,
                on=day,
            )

        assert not ask(479).obliges_meeting
        assert ask(480).obliges_meeting
