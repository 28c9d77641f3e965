"""Tancheng county (郯城县): branches covering every compound, rooms handed over, talent brought in.

The case gives totals only: 50 compound branches (实体化小区党支部) cover all 124
commercial-residential compounds (商住小区); 16 urban community Party organisations
joined the task force; 441 public-service rooms of 52,000 m² were cleared and
handed over; 13 liaison events, 32 firms surveyed, 1,000+ items published online
and 79 talents brought in. Names, the spread over communities and the areas of
single rooms are illustrative; the totals are the case's.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import pendulum
import pytest

from grassroots.branch import (
    BranchKind,
    BranchMember,
    MemberStatus,
    Officer,
    PartyBranch,
    SecretarySource,
    coverage_report,
)
from grassroots.errors import CoverageGap, DoubleCoverage
from grassroots.money import yuan
from grassroots.room import (
    Ownership,
    PublicServiceRoom,
    RoomStatus,
    TaskForce,
    room_inventory,
)
from grassroots.subcommunity import Community, County, Street, Subcommunity, SubcommunityKind
from grassroots.talent import (
    Firm,
    FirmKind,
    Intermediary,
    IntermediaryKind,
    LiaisonEvent,
    ListItem,
    ListKind,
    RewardSchedule,
    Talent,
    TalentOrigin,
    TalentProgramme,
)

FORMED = pendulum.Date(2023, 3, 1)
SOURCES = [
    SecretarySource.TOWN_STREET_STAFF,
    SecretarySource.COMMUNITY_WORKER,
    SecretarySource.VETERAN_PUBLIC_WELFARE,
]
# Twelve communities of 8 compounds and four of 7: 124 compounds in 16 communities.
COMMUNITY_SIZES = [8] * 12 + [7] * 4
# How each community's compounds are grouped under branches: 50 branches in all.
BRANCH_PLANS = [[3, 3, 2]] * 10 + [[2, 2, 2, 2]] * 2 + [[3, 2, 2]] * 4


def tancheng() -> County:
    numbers = itertools.count(1)
    communities = []
    for c, size in enumerate(COMMUNITY_SIZES, start=1):
        compounds = [
            Subcommunity(
                id=f"tc-{n:03}",
                name=f"商住小区{n:03}",
                kind=SubcommunityKind.COMMERCIAL_RESIDENTIAL,
            )
            for n in itertools.islice(numbers, size)
        ]
        communities.append(
            Community(
                id=f"sq-{c:02}",
                name=f"城市社区{c:02}",
                subcommunities=compounds,
                party_organisation=f"城市社区{c:02}党委",
            )
        )
    return County(
        id="tancheng",
        name="郯城县",
        streets=[
            Street(id="street-1", name="街道一", communities=communities[:8]),
            Street(id="street-2", name="街道二", communities=communities[8:]),
        ],
    )


def branches(county: County) -> list[PartyBranch]:
    found: list[PartyBranch] = []
    for community, plan in zip(county.communities, BRANCH_PLANS, strict=True):
        ids = iter(s.id for s in community.subcommunities)
        for size in plan:
            n = len(found) + 1
            members = [
                BranchMember(person_id=f"b{n}-p{m}", status=MemberStatus.FULL, joined_on=FORMED)
                for m in range(3 + n % 4)
            ]
            found.append(
                PartyBranch(
                    id=f"branch-{n:02}",
                    name=f"小区党支部{n:02}",
                    kind=BranchKind.COMPOUND,
                    coverage=list(itertools.islice(ids, size)),
                    members=members,
                    secretary=Officer(
                        person_id=f"secretary-{n:02}", source=SOURCES[n % 3], since=FORMED
                    ),
                    formed_on=FORMED,
                )
            )
    return found


def rooms(county: County) -> list[PublicServiceRoom]:
    found: list[PublicServiceRoom] = []
    compounds = county.subcommunities
    for n in range(441):
        compound = compounds[n % len(compounds)]
        area = "80.00" if n == 0 else "118.00"
        room = PublicServiceRoom.found(
            id=f"room-{n + 1:03}",
            subcommunity_id=compound.id,
            location="底商",
            area=area,
            on=pendulum.Date(2023, 4, 1),
        )
        room = room.verify(on=pendulum.Date(2023, 4, 20)).clear(on=pendulum.Date(2023, 5, 10))
        room = room.hand_over(on=pendulum.Date(2023, 6, 1))
        if n < 3:  # a canteen, a store and a housekeeping office moved in
            room = room.put_in_use(f"project-{n + 1}", on=pendulum.Date(2023, 7, 1))
        found.append(room)
    return found


def programme() -> TalentProgramme:
    day = pendulum.Date(2023, 1, 1)
    firms = [
        Firm(
            id=f"firm-{n:02}",
            name=f"企业{n:02}",
            kind=FirmKind.LEAD_ENTERPRISE if n <= 20 else FirmKind.TALENT_ENTERPRISE,
        )
        for n in range(1, 33)
    ]
    station = Intermediary(
        id="sangzi", name="桑梓人才回引站", kind=IntermediaryKind.LIAISON_STATION
    )
    items = [
        ListItem(
            id=f"item-{n:04}",
            kind=list(ListKind)[n % 3],
            title="清单信息",
            published_on=day.add(days=n % 300),
        )
        for n in range(1_024)
    ]
    talents = [
        Talent(
            id=f"talent-{n:02}",
            field=["电子信息", "食品加工", "现代农业"][n % 3],
            origin=TalentOrigin.RETURNING_NATIVE if n % 2 else TalentOrigin.OTHER,
            brought_in_on=day.add(days=n * 4),
            firm_id=firms[n % 32].id,
            intermediary_id="sangzi" if n % 5 == 0 else None,
            intermediary_key_role=n % 5 == 0,
        )
        for n in range(79)
    ]
    events = [
        LiaisonEvent(id=f"event-{n:02}", held_on=day.add(days=n * 25), title="对接联系活动")
        for n in range(13)
    ]
    result = TalentProgramme(
        county_id="tancheng",
        items=items,
        events=events,
        firms=firms,
        intermediaries=[station],
        talents=talents,
    )
    for n, firm in enumerate(firms):
        result = result.visit(firm.id, on=day.add(days=n * 7))
    return result


class TestBranchCoverage:
    def test_fifty_branches_cover_all_124_compounds(self) -> None:
        """50 compound branches cover the 124 commercial-residential compounds, each once."""
        county = tancheng()
        report = coverage_report(
            county, branches(county), kinds=[SubcommunityKind.COMMERCIAL_RESIDENTIAL]
        )
        assert (report.branch_count, report.subcommunity_count) == (50, 124)
        assert report.complete
        assert report.coverage_ratio == 1
        assert report.findings == ()
        assert "党支部 50 个，小区 124 个" in report.to_text()
        assert "全覆盖" in report.to_text()

    def test_secretaries_come_from_the_three_sources(self) -> None:
        """Secretaries come from street staff, community workers and veterans."""
        county = tancheng()
        report = coverage_report(county, branches(county))
        assert {s.source for s in report.secretary_sources} == set(SOURCES)
        assert sum(s.secretaries for s in report.secretary_sources) == 50

    def test_one_branch_covers_several_compounds(self) -> None:
        """A compound branch may cover several compounds; it is not a joint branch."""
        found = branches(tancheng())
        assert max(len(b.coverage) for b in found) == 3
        assert all(b.kind is BranchKind.COMPOUND for b in found)

    def test_dropping_a_branch_shows_the_gap(self) -> None:
        """Without one branch, its compounds are listed as uncovered."""
        county = tancheng()
        found = branches(county)
        report = coverage_report(county, found[1:])
        assert set(report.uncovered) == set(found[0].coverage)
        assert {f.code for f in report.findings} == {CoverageGap.code}

    def test_a_compound_in_two_branches_is_listed(self) -> None:
        """A compound added to a second branch is listed as doubly covered."""
        county = tancheng()
        found = branches(county)
        found[1] = found[1].cover(next(iter(found[0].coverage)))
        report = coverage_report(county, found)
        assert len(report.doubly_covered) == 1
        assert [f.code for f in report.findings] == [DoubleCoverage.code]

    def test_sixteen_community_party_organisations(self) -> None:
        """16 urban community Party organisations and 50 branch secretaries form the task force."""
        county = tancheng()
        force = TaskForce.of_county(
            name="小区公共服务用房清理移交工作专班",
            county=county,
            branches=branches(county),
            departments=["住建", "民政", "综合执法"],
        )
        assert len(force.community_party_organisations) == 16
        assert force.branch_secretaries == 50


class TestRooms:
    def test_441_rooms_of_52000_square_metres(self) -> None:
        """441 rooms, 52,000 m², all cleared and handed over."""
        county = tancheng()
        inventory = room_inventory(rooms(county), county=county)
        assert (inventory.rooms, inventory.area) == (441, Decimal("52000.00"))
        handed = inventory.reached(RoomStatus.HANDED_OVER)
        assert (handed.rooms, handed.area) == (441, Decimal("52000.00"))
        assert inventory.status(RoomStatus.IN_USE).rooms == 3
        assert sum(t.rooms for t in inventory.by_subcommunity) == 441
        assert len(inventory.by_subcommunity) == 124
        assert inventory.ownership(Ownership.UNKNOWN).rooms == 441
        assert "共 441 处、52000.00 平方米（5.2 万平方米）" in inventory.to_text()


class TestTalent:
    def test_13_events_32_firms_1000_items_79_talents(self) -> None:
        """The programme reproduces the case's figures."""
        report = programme().report()
        assert report.events == 13
        assert report.firms_surveyed == 32
        assert report.items_published > 1_000
        assert report.talents == 79
        assert report.named_talents == ()

    @pytest.mark.parametrize("per_talent", ["1000.00", "5000.00"])
    def test_rewards_follow_the_schedule(self, per_talent: str) -> None:
        """The liaison station is owed for the 16 talents it brought with a key role."""
        (reward,) = programme().rewards(RewardSchedule(per_talent=yuan(per_talent)))
        assert len(reward.talent_ids) == 16
        assert reward.amount == yuan(per_talent) * 16
