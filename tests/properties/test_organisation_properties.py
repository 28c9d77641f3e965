"""Properties of the organisation model: coverage, branch rules, votes, rooms, inventories, JSON."""

from __future__ import annotations

from decimal import Decimal

import pendulum
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grassroots import strategies as gst
from grassroots.branch import (
    AssemblyDecision,
    BranchMember,
    CoverageReport,
    MemberStatus,
    PartyBranch,
    coverage_report,
)
from grassroots.errors import (
    BranchTooSmall,
    InvalidCommittee,
    InvalidTransition,
    QuorumNotMet,
)
from grassroots.resident import Resident, resident_report
from grassroots.room import (
    ART_278_PARTICIPATION,
    ART_278_SPECIAL_APPROVAL,
    ROOM_TRANSITIONS,
    OwnersVote,
    PublicServiceRoom,
    RoomInventory,
    RoomStatus,
    room_inventory,
)
from grassroots.serialization import dumps, loads
from grassroots.subcommunity import County, grid_findings
from grassroots.talent import RewardSchedule, TalentProgramme, TalentReport

DAY = pendulum.Date(2023, 3, 1)


def _members(full: int, probationary: int) -> list[BranchMember]:
    return [
        BranchMember(person_id=f"p{n}", status=MemberStatus.FULL, joined_on=DAY)
        for n in range(full)
    ] + [
        BranchMember(person_id=f"q{n}", status=MemberStatus.PROBATIONARY, joined_on=DAY)
        for n in range(probationary)
    ]


@st.composite
def _county_and_branches(draw: st.DrawFn) -> tuple[County, list[PartyBranch]]:
    county = draw(gst.counties(max_subcommunities=10))
    ids = [*sorted(county.subcommunity_ids), "outside-1", "outside-2"]
    coverage = st.frozensets(st.sampled_from(ids), min_size=1, max_size=4)
    branches = draw(
        st.lists(gst.party_branches(coverage=coverage), max_size=6, unique_by=lambda b: b.id)
    )
    return county, branches


class TestCoverage:
    @given(_county_and_branches())
    def test_report_agrees_with_the_branches(self, pair: tuple[County, list[PartyBranch]]) -> None:
        """Each compound's line lists exactly the branches whose coverage names it."""
        county, branches = pair
        report = coverage_report(county, branches)
        assert [line.subcommunity_id for line in report.lines] == [
            s.id for s in county.subcommunities
        ]
        for line in report.lines:
            expected = [b.id for b in branches if line.subcommunity_id in b.coverage]
            assert sorted(line.branch_ids) == sorted(expected)
        outside = {
            (b.id, s) for b in branches for s in b.coverage if s not in county.subcommunity_ids
        }
        assert {(o.branch_id, o.subcommunity_id) for o in report.outside} == outside
        assert len(report.findings) == (
            len(report.uncovered) + len(report.doubly_covered) + len(report.outside)
        )
        assert report.complete == (not report.findings)
        assert len(report.covered) + len(report.uncovered) + len(report.doubly_covered) == len(
            report.lines
        )

    @given(gst.counties().flatmap(lambda c: st.tuples(st.just(c), gst.covering_branches(c))))
    def test_covering_branches_cover_exactly_once(
        self, pair: tuple[County, tuple[PartyBranch, ...]]
    ) -> None:
        """The covering strategy's branches leave no gap and no overlap."""
        county, branches = pair
        assert coverage_report(county, branches).complete

    @given(gst.counties())
    def test_every_unit_in_one_grid(self, county: County) -> None:
        """Generated communities put every unit in exactly one grid."""
        for community in county.communities:
            assert grid_findings(community.subcommunities, community.grids) == ()


class TestBranchBoundaries:
    @given(st.integers(0, 8), st.integers(0, 4))
    @example(2, 0)
    @example(3, 0)
    @example(2, 4)
    def test_three_full_members_to_form(self, full: int, probationary: int) -> None:
        """A branch forms exactly when it has 3 or more full members."""
        build = lambda: PartyBranch(  # noqa: E731
            id="b", name="支部", coverage=["x"], members=_members(full, probationary), formed_on=DAY
        )
        if full >= 3:
            assert build().full_member_count == full
        else:
            with pytest.raises(BranchTooSmall):
                build()

    @given(st.integers(3, 12), st.integers(0, 3))
    @example(6, 3)
    @example(7, 0)
    def test_committee_from_seven_full_members(self, full: int, probationary: int) -> None:
        """A committee may exist from 7 full members and is due from then on."""
        branch = PartyBranch(
            id="b", name="支部", coverage=["x"], members=_members(full, probationary), formed_on=DAY
        )
        assert branch.needs_committee == (full >= 7)
        if full >= 7:
            assert branch.elect_committee(["p0", "p1", "p2"], on=DAY).committee
        else:
            with pytest.raises(InvalidCommittee):
                branch.elect_committee(["p0", "p1", "p2"], on=DAY)

    @given(st.integers(7, 60), st.integers(0, 10))
    @example(40, 10)
    @example(41, 10)
    @example(50, 0)
    @example(51, 0)
    def test_warning_above_fifty_members(self, full: int, probationary: int) -> None:
        """The size warning appears exactly above 50 members, probationary included."""
        branch = PartyBranch(
            id="b",
            name="支部",
            coverage=["x"],
            members=_members(full, probationary),
            committee=["p0", "p1", "p2"],
            formed_on=DAY,
        )
        flagged = any(f.code == "organisation.branch_too_large" for f in branch.findings())
        assert flagged == (full + probationary > 50)

    @given(st.integers(1, 40).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
    def test_assembly_quorum_and_passing(self, pair: tuple[int, int]) -> None:
        """Quorum is half or more present; passing is more than half of those expected."""
        voting, present = pair
        branch = PartyBranch(
            id="b", name="支部", coverage=["x"], members=_members(max(voting, 3), 0), formed_on=DAY
        )
        voting = branch.full_member_count
        present_ids = [f"p{n}" for n in range(present)]
        if 2 * present < voting:
            with pytest.raises(QuorumNotMet):
                branch.assembly(on=DAY, motion="m", present=present_ids, in_favour=[])
            return
        for favour in {0, present // 2, voting // 2, voting // 2 + 1, present}:
            if favour > present:
                continue
            decision = branch.assembly(
                on=DAY, motion="m", present=present_ids, in_favour=present_ids[:favour]
            )
            assert decision.passed == (2 * favour > voting)


class TestOwnersVote:
    @given(gst.owners_votes())
    def test_double_thresholds_exactly(self, vote: OwnersVote) -> None:
        """Approval means 2/3 of area and owners took part and 3/4 of both approved."""
        cents = lambda d: int(d * 100)  # noqa: E731
        took_part = (
            3 * cents(vote.participating_area) >= 2 * cents(vote.total_area)
            and 3 * vote.participating_owners >= 2 * vote.total_owners
        )
        approved = (
            took_part
            and vote.participating_owners > 0
            and 4 * cents(vote.approving_area) >= 3 * cents(vote.participating_area)
            and 4 * vote.approving_owners >= 3 * vote.participating_owners
        )
        assert vote.participation_met() == took_part
        assert vote.approved() == approved

    @given(st.integers(1, 400), st.integers(100, 1_000_000))
    def test_the_minimums_pass_and_one_less_fails(self, owners: int, area_cents: int) -> None:
        """At the bound the vote passes; one owner or one hundredth of a m² short, it fails."""
        p_owners = ART_278_PARTICIPATION.minimum_of(owners)
        p_cents = ART_278_PARTICIPATION.minimum_of(area_cents)
        a_owners = ART_278_SPECIAL_APPROVAL.minimum_of(p_owners)
        a_cents = ART_278_SPECIAL_APPROVAL.minimum_of(p_cents)

        def vote(po: int, pc: int, ao: int, ac: int) -> OwnersVote:
            return OwnersVote(
                subcommunity_id="x",
                held_on=DAY,
                matter="经营",
                total_area=Decimal(area_cents) / 100,
                total_owners=owners,
                participating_area=Decimal(pc) / 100,
                participating_owners=po,
                approving_area=Decimal(ac) / 100,
                approving_owners=ao,
            )

        assert vote(p_owners, p_cents, a_owners, a_cents).approved()
        if a_owners > 0:
            assert not vote(p_owners, p_cents, a_owners - 1, a_cents).approved()
        if a_cents > 0:
            assert not vote(p_owners, p_cents, a_owners, a_cents - 1).approved()
        if p_owners > 0:
            assert not vote(p_owners - 1, p_cents, min(a_owners, p_owners - 1), a_cents).approved()
        if p_cents > 0:
            assert not vote(p_owners, p_cents - 1, a_owners, min(a_cents, p_cents - 1)).approved()


_MOVES = {
    RoomStatus.VERIFIED: lambda room, on: room.verify(on=on),
    RoomStatus.CLEARED: lambda room, on: room.clear(on=on),
    RoomStatus.HANDED_OVER: lambda room, on: room.hand_over(on=on),
    RoomStatus.IN_USE: lambda room, on: room.put_in_use("p", on=on),
    RoomStatus.RELEASED: lambda room, on: room.release(on=on),
}


class TestRoomLife:
    @given(st.lists(st.sampled_from(sorted(_MOVES, key=lambda s: s.rank)), max_size=15))
    def test_never_skips_a_step(self, attempts: list[RoomStatus]) -> None:
        """Every accepted move is an allowed next step; every other move changes nothing."""
        room = PublicServiceRoom.found(id="r", subcommunity_id="x", location="l", area="10", on=DAY)
        for day, target in enumerate(attempts, start=1):
            before = room
            try:
                room = _MOVES[target](room, DAY.add(days=day))
            except InvalidTransition:
                assert target not in ROOM_TRANSITIONS[before.status]
                assert room == before
            else:
                assert target in ROOM_TRANSITIONS[before.status]
        for earlier, later in zip(room.history, room.history[1:], strict=False):
            assert later.status in ROOM_TRANSITIONS[earlier.status]
            assert later.on >= earlier.on

    @given(gst.public_service_rooms())
    def test_drawn_rooms_have_lawful_histories(self, room: PublicServiceRoom) -> None:
        """Rooms from the strategy start found and move one step at a time."""
        assert room.history[0].status is RoomStatus.FOUND
        for earlier, later in zip(room.history, room.history[1:], strict=False):
            assert later.status in ROOM_TRANSITIONS[earlier.status]


class TestInventory:
    @given(st.lists(gst.public_service_rooms(), max_size=15, unique_by=lambda r: r.id))
    def test_totals_equal_the_sum_of_rooms(self, rooms: list[PublicServiceRoom]) -> None:
        """Totals, and every breakdown, equal the sum over the rooms."""
        inventory = room_inventory(rooms)
        total = sum((r.area for r in rooms), Decimal(0))
        assert (inventory.rooms, inventory.area) == (len(rooms), total)
        for lines in (inventory.by_status, inventory.by_subcommunity, inventory.by_ownership):
            assert sum(line.rooms for line in lines) == len(rooms)
            assert sum((line.area for line in lines), Decimal(0)) == total
        assert inventory.reached(RoomStatus.FOUND).rooms == len(rooms)
        handed = [r for r in rooms if r.reached(RoomStatus.HANDED_OVER)]
        assert inventory.reached(RoomStatus.HANDED_OVER).rooms == len(handed)


class TestJsonRoundTrip:
    @given(gst.counties())
    def test_counties(self, county: County) -> None:
        """Counties survive JSON."""
        assert loads(dumps(county), County) == county

    @given(gst.party_branches())
    def test_branches(self, branch: PartyBranch) -> None:
        """Branches survive JSON."""
        assert loads(dumps(branch), PartyBranch) == branch

    @given(_county_and_branches())
    def test_coverage_reports(self, pair: tuple[County, list[PartyBranch]]) -> None:
        """Coverage reports survive JSON."""
        report = coverage_report(*pair)
        assert loads(dumps(report), CoverageReport) == report

    @given(gst.party_branches(min_full_members=4))
    def test_assembly_decisions(self, branch: PartyBranch) -> None:
        """Assembly decisions survive JSON."""
        voters = [m.person_id for m in branch.members if m.votes]
        decision = branch.assembly(on=DAY, motion="m", present=voters, in_favour=voters[:2])
        assert loads(dumps(decision), AssemblyDecision) == decision

    @given(st.lists(gst.public_service_rooms(), max_size=5, unique_by=lambda r: r.id))
    def test_rooms_and_inventories(self, rooms: list[PublicServiceRoom]) -> None:
        """Rooms and inventories survive JSON."""
        for room in rooms:
            assert loads(dumps(room), PublicServiceRoom) == room
        inventory = room_inventory(rooms)
        assert loads(dumps(inventory), RoomInventory) == inventory

    @given(gst.owners_votes())
    def test_votes(self, vote: OwnersVote) -> None:
        """Owners' votes survive JSON."""
        assert loads(dumps(vote), OwnersVote) == vote

    @given(st.lists(gst.residents(), max_size=5, unique_by=lambda r: r.id))
    def test_residents(self, people: list[Resident]) -> None:
        """Residents and resident reports survive JSON."""
        for resident in people:
            assert loads(dumps(resident), Resident) == resident
        report = resident_report(people, on=pendulum.Date(2026, 1, 1))
        assert loads(dumps(report), type(report)) == report

    @given(gst.talent_programmes(), gst.reward_schedules())
    def test_talent(self, programme: TalentProgramme, schedule: RewardSchedule) -> None:
        """Programmes, reports, schedules and rewards survive JSON."""
        assert loads(dumps(programme), TalentProgramme) == programme
        report = programme.report()
        assert loads(dumps(report), TalentReport) == report
        assert loads(dumps(schedule), RewardSchedule) == schedule
        for reward in programme.rewards(schedule):
            assert loads(dumps(reward), type(reward)) == reward
