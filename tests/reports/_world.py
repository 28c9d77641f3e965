# ruff: noqa: E501
"""A small Tancheng year built through the public API, with figures worked by hand.

Three compounds (东城, 西城, 南城) covered by two branches; four rooms, three in use
by the venture's shops; a venture (国企 51%, 集体 49%) whose 2026 project profits are
86,000.00 (家政), 142,500.00 (便利店) and -21,750.00 (食堂), with -18,000.00 outside
the projects: profit 188,750.00; community shares 8,600.00 and 14,250.00 (none on the
canteen's loss); statutory reserve 16,590.00 (10% of 165,900.00); dividends 76,148.10
and 73,161.90 (51 : 49 of 149,310.00).

Points: 美德积分 (virtue) with 300 points issued to wang and li; wang redeems 100 at
the canteen (10 points a yuan, half paid by 东城's fund) and 20 at the store; one
settlement for the year. Suggestions: three, one adopted in the compound, one
declined, one still recorded. A weekly afternoon tea held three times of four; a mailbox of
two messages, one answered on time.
"""

from __future__ import annotations

from decimal import Decimal

import pendulum

from grassroots.allocation import PeriodFigures, ProfitAllocation, ProjectResult
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
    Place,
    Role,
    Roster,
    SeriesKind,
    SuggestionDetails,
    SuggestionPipeline,
    Triage,
)
from grassroots.ledger import Scheme
from grassroots.programme import (
    EarnerGroup,
    FundingPolicy,
    Merchant,
    Participant,
    PointsProgramme,
    PublicRevenueFund,
    RedemptionRule,
    Reward,
    VolunteerActivity,
)
from grassroots.reports import YearReport
from grassroots.resident import Resident
from grassroots.scenarios import Scenario, parse

ZONE = "Asia/Shanghai"
FIRST = pendulum.Date(2026, 1, 1)
LAST = pendulum.Date(2026, 12, 31)

SCENARIO = """
rooms = [
  { id = "room-1", subcommunity = "dongcheng", location = "底商", area = "80.00", status = "in_use", on = 2025-07-01, project = "housekeeping" },
  { id = "room-2", subcommunity = "xicheng", location = "底商", area = "118.00", status = "in_use", on = 2025-07-01, project = "store" },
  { id = "room-3", subcommunity = "nancheng", location = "底商", area = "118.00", status = "in_use", on = 2025-07-01, project = "canteen" },
  { id = "room-4", subcommunity = "nancheng", location = "架空层", area = "60.50", status = "handed_over", on = 2025-06-01 },
]

[county]
id = "tancheng"
name = "郯城县"

[[streets]]
id = "street-1"
name = "郯城街道"

[[communities]]
id = "sq-01"
name = "城关社区"
street = "street-1"
grids = [
  { id = "grid-1", name = "东城网格", buildings = ["dc-b1"], worker = "gw-1", since = 2025-01-01 },
  { id = "grid-2", name = "西城网格", buildings = ["xc-b1"], worker = "gw-2", since = 2025-01-01 },
  { id = "grid-3", name = "南城网格", buildings = ["nc-b1"], worker = "gw-3", since = 2025-01-01 },
]

[[subcommunities]]
id = "dongcheng"
name = "东城小区"
community = "sq-01"
kind = "commercial_residential"
buildings = [{ id = "dc-b1", name = "1号楼", units = 2 }]

[[subcommunities]]
id = "xicheng"
name = "西城小区"
community = "sq-01"
kind = "commercial_residential"
buildings = [{ id = "xc-b1", name = "1号楼", units = 2 }]

[[subcommunities]]
id = "nancheng"
name = "南城小区"
community = "sq-01"
kind = "commercial_residential"
buildings = [{ id = "nc-b1", name = "1号楼", units = 2 }]

[[branches]]
id = "branch-1"
name = "东西城小区党支部"
coverage = ["dongcheng", "xicheng"]
full_members = 5
secretary_source = "community_worker"
formed_on = 2025-03-01

[[branches]]
id = "branch-2"
name = "南城小区党支部"
coverage = ["nancheng"]
full_members = 3
secretary_source = "town_street_staff"
formed_on = 2025-03-01


[venture]
id = "tc-jv"
name = "郯城合资公司"
shareholders = [
  { id = "guoqi", name = "郯城县国有企业", kind = "state_owned", subscribed = "510000.00" },
  { id = "jiti", name = "社区集体经济组织", kind = "collective", subscribed = "490000.00" },
]
projects = [
  { id = "housekeeping", name = "家政服务公司", kind = "housekeeping", subcommunity = "dongcheng", room = "room-1" },
  { id = "store", name = "24小时便利店", kind = "convenience_store", subcommunity = "xicheng", room = "room-2" },
  { id = "canteen", name = "幸福食堂", kind = "happiness_canteen", subcommunity = "nancheng", room = "room-3" },
]
"""


def when(month: int, day: int, hour: int = 10) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, tz=ZONE)


def scenario() -> Scenario:
    return parse(SCENARIO)


def allocation(built: Scenario) -> ProfitAllocation:
    assert built.venture is not None
    return ProfitAllocation(
        venture=built.venture,
        figures=[
            PeriodFigures(
                period="2026",
                projects=[
                    ProjectResult(project="housekeeping", net_profit=Decimal("86000.00")),
                    ProjectResult(project="store", net_profit=Decimal("142500.00")),
                    ProjectResult(project="canteen", net_profit=Decimal("-21750.00")),
                ],
                other_profit=Decimal("-18000.00"),
            )
        ],
    )


def programme(allocated: ProfitAllocation) -> PointsProgramme:
    built = PointsProgramme()
    built.add_scheme(Scheme(code="virtue", name="美德积分"))
    built.add_scheme(Scheme(code="party", name="新新向党"))
    for resident in ("wang", "li"):
        built.register(Participant(id=resident, groups=[EarnerGroup.RESIDENT]))
    built.add_fund(PublicRevenueFund(id="f-dc", subcommunity="dongcheng", name="东城公共收益"))
    built.add_fund(PublicRevenueFund(id="f-xc", subcommunity="xicheng", name="西城公共收益"))
    built.deposit_allocation(allocated.periods[0], at=when(3, 31))
    built.add_merchant(
        Merchant(
            id="canteen",
            name="幸福食堂",
            subcommunity="dongcheng",
            rule=RedemptionRule(points_per_yuan=10, max_share="1/2", schemes=["virtue"]),
            funding=FundingPolicy.from_fund("f-dc"),
        )
    )
    built.add_merchant(
        Merchant(
            id="store",
            name="24小时便利店",
            subcommunity="xicheng",
            rule=RedemptionRule(points_per_yuan=10, schemes=["virtue"]),
        )
    )
    built.publish(
        VolunteerActivity(
            id="a1",
            title="楼道清扫",
            organiser="branch-1",
            place="1号楼",
            subcommunity="dongcheng",
            start=when(4, 2, 9),
            end=when(4, 2, 11),
            rewards=[Reward(scheme="virtue", points=150)],
            capacity=2,
            eligible=[EarnerGroup.RESIDENT],
        ),
        by="branch-1",
    )
    for resident in ("wang", "li"):
        built.claim("a1", resident, by=resident, at=when(4, 1))
    built.confirm("a1", ["wang", "li"], by="branch-1", at=when(4, 2, 12))
    built.redeem(
        id="b1",
        resident="wang",
        merchant="canteen",
        scheme="virtue",
        bill="12.00",
        points=100,
        at=when(5, 3),
    )
    built.redeem(
        id="b2",
        resident="wang",
        merchant="store",
        scheme="virtue",
        bill="3.50",
        points=20,
        at=when(5, 4),
    )
    built.settle(when(1, 1, 0), pendulum.datetime(2027, 1, 1, tz=ZONE), at=when(12, 31, 12))
    return built


REP = Resident(id="rep1", household_id="h1", born_on=pendulum.Date(1970, 1, 1))


def _reps(month: int, day: int) -> MeetingVote:
    return MeetingVote(
        kind=MeetingKind.REPRESENTATIVES_MEETING,
        held_on=pendulum.Date(2026, month, day),
        base=MeetingBase.REPRESENTATIVES,
        eligible=30,
        present=24,
        in_favour=20,
    )


def pipeline(built: Scenario) -> SuggestionPipeline:
    community = built.county.communities[0]
    roster = Roster.of(
        representatives=[REP], party_organisation="party", recorders=["rec"], committee=["jwh"]
    )
    p = SuggestionPipeline(community=community, roster=roster)
    grid = Actor.from_grid_worker(community.grids[0].assignments[-1].worker)
    rep = Actor.representative(REP)

    def details(category: str) -> SuggestionDetails:
        return SuggestionDetails(
            text="建议",
            place=Place(subcommunity_id="dongcheng"),
            category=category,
            channel=Channel.PATROL,
        )

    p.record("s1", details("楼道清理"), actor=grid, at=when(3, 1))
    p.shortlist("s1", vote=_reps(3, 3), actor=rep, at=when(3, 3))
    p.record("s2", details("加装电梯"), actor=grid, at=when(3, 10))
    p.decline("s2", vote=_reps(3, 12), actor=rep, at=when(3, 12), reason="重复诉求")
    p.record("s3", details("加装电梯"), actor=grid, at=when(11, 20))
    _ = Role
    return p


def meetings() -> tuple[MeetingSeries | MeetingRecord, ...]:
    tea = MeetingSeries(
        id="tea",
        name="书记下午茶",
        kind=SeriesKind.AFTERNOON_TEA,
        first_start=pendulum.datetime(2026, 3, 4, 15, tz=ZONE),
        duration_minutes=90,
        rule="FREQ=WEEKLY;BYDAY=WE",
        until=pendulum.Date(2026, 3, 31),
    )
    march = pendulum.interval(pendulum.Date(2026, 3, 1), pendulum.Date(2026, 3, 31))
    records = tuple(
        MeetingRecord(occurrence=o, attendees=12)
        for o in tea.occurrences(march)
        if o.start.day != 25
    )
    return (tea, *records)


def mailbox() -> Mailbox:
    box = Mailbox()
    box.receive(Message(id="m1", received_at=when(6, 2), channel=MessageChannel.BOX, text="路灯"))
    box.triage("m1", Triage.SERVICE_REQUEST, at=when(6, 3))
    box.answer("m1", at=when(6, 4), text="已修")
    box.receive(Message(id="m2", received_at=when(12, 1), channel=MessageChannel.BOX, text="噪音"))
    return box


def year_inputs() -> dict[str, object]:
    """Return the inputs of the small year, with the keys of ``YearReport.build``."""
    built = scenario()
    allocated = allocation(built)
    return {
        "scenario": built,
        "programme": programme(allocated),
        "allocations": [allocated],
        "settlements": None,
        "pipeline": pipeline(built),
        "meetings": meetings(),
        "mailbox": mailbox(),
        "start": FIRST,
        "end": LAST,
    }


def year_report() -> YearReport:
    return YearReport.build(**year_inputs())  # type: ignore[arg-type]
