"""The organisation strategies keep their promises: valid draws, bounds held, bad arguments fail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from grassroots import strategies as gst
from grassroots.branch import BranchKind, PartyBranch, coverage_report
from grassroots.resident import Resident
from grassroots.room import Ownership, OwnersVote, PublicServiceRoom, RoomStatus
from grassroots.subcommunity import County, Subcommunity, SubcommunityKind, grid_findings
from grassroots.talent import RewardSchedule, TalentProgramme


class TestCounties:
    @given(gst.counties(min_subcommunities=2, max_subcommunities=5, max_streets=2))
    def test_bounds_hold(self, county: County) -> None:
        """The county has between the bounds of compounds, and sound grids."""
        assert isinstance(county, County)
        assert 2 <= len(county.subcommunities) <= 5
        assert 1 <= len(county.streets) <= 2
        for community in county.communities:
            assert grid_findings(community.subcommunities, community.grids) == ()

    @given(gst.counties(kinds=st.just(SubcommunityKind.RESETTLEMENT), max_buildings=0))
    def test_kinds_and_buildings(self, county: County) -> None:
        """Kinds and building counts follow the arguments."""
        assert all(s.kind is SubcommunityKind.RESETTLEMENT for s in county.subcommunities)
        assert all(s.building_count == 0 for s in county.subcommunities)

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"min_subcommunities": 5, "max_subcommunities": 4},
            {"min_subcommunities": -1},
            {"max_streets": 0},
            {"max_communities": 0},
            {"max_units": 0},
            {"max_buildings": -1},
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, int]) -> None:
        """Impossible bounds raise InvalidArgument."""
        with pytest.raises(InvalidArgument):
            gst.counties(**kwargs)


class TestSubcommunities:
    @given(gst.subcommunities(max_buildings=2, max_units=2))
    def test_bounds_hold(self, compound: Subcommunity) -> None:
        """Buildings and units stay within their bounds."""
        assert compound.building_count <= 2
        assert all(1 <= len(b.units) <= 2 for b in compound.buildings)

    def test_bad_arguments(self) -> None:
        """Negative buildings or unit-less buildings are refused."""
        with pytest.raises(InvalidArgument):
            gst.subcommunities(max_buildings=-1)
        with pytest.raises(InvalidArgument):
            gst.subcommunities(max_units=0)


class TestPartyBranches:
    @given(gst.party_branches(min_full_members=4, max_full_members=8, max_probationary_members=1))
    def test_bounds_hold(self, branch: PartyBranch) -> None:
        """Full and probationary members stay within their bounds."""
        assert 4 <= branch.full_member_count <= 8
        assert branch.probationary_member_count <= 1

    @given(
        gst.party_branches(
            coverage=st.just(frozenset({"x1", "x2"})), kinds=st.just(BranchKind.COMPOUND)
        )
    )
    def test_coverage_and_kind(self, branch: PartyBranch) -> None:
        """Coverage and kind come from the strategies given."""
        assert branch.coverage == frozenset({"x1", "x2"})
        assert branch.kind is BranchKind.COMPOUND

    def test_bad_arguments(self) -> None:
        """Fewer than 3 full members, or crossed bounds, are refused."""
        with pytest.raises(InvalidArgument, match=r"art\. 4"):
            gst.party_branches(min_full_members=2)
        with pytest.raises(InvalidArgument):
            gst.party_branches(min_full_members=9, max_full_members=8)
        with pytest.raises(InvalidArgument):
            gst.party_branches(max_probationary_members=-1)

    @given(gst.counties(max_subcommunities=8).flatmap(gst.covering_branches))
    def test_covering_branches_are_compound_branches(self, found: tuple[PartyBranch, ...]) -> None:
        """Covering branches are compound branches with unique ids and 1 to 4 compounds."""
        assert all(b.kind is BranchKind.COMPOUND for b in found)
        assert len({b.id for b in found}) == len(found)
        assert all(1 <= len(b.coverage) <= 4 for b in found)

    @given(
        gst.counties(max_subcommunities=6).flatmap(
            lambda c: st.tuples(st.just(c), gst.covering_branches(c, max_per_branch=1))
        )
    )
    def test_one_compound_per_branch(self, pair: tuple[County, tuple[PartyBranch, ...]]) -> None:
        """With one compound per branch there are as many branches as compounds."""
        county, found = pair
        assert len(found) == len(county.subcommunities)
        assert coverage_report(county, found).complete

    def test_covering_bad_argument(self) -> None:
        """A branch covers at least one compound."""
        with pytest.raises(InvalidArgument):
            gst.covering_branches(County(id="k", name="县"), max_per_branch=0)


class TestRooms:
    @given(
        gst.public_service_rooms(
            statuses=st.just(RoomStatus.RELEASED),
            ownerships=st.just(Ownership.OWNERS_COMMON),
            min_area="10.00",
            max_area="20.00",
        )
    )
    def test_bounds_hold(self, room: PublicServiceRoom) -> None:
        """Status, ownership and area follow the arguments."""
        assert room.status is RoomStatus.RELEASED
        assert room.ownership is Ownership.OWNERS_COMMON
        assert Decimal("10.00") <= room.area <= Decimal("20.00")

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"min_area": "0"},
            {"min_area": "30", "max_area": "20"},
            {"min_area": "1.001"},
            {"max_area": 2.5},
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object]) -> None:
        """Non-positive, crossed or inexact areas are refused."""
        with pytest.raises(InvalidArgument):
            gst.public_service_rooms(**kwargs)  # type: ignore[arg-type]

    @given(gst.owners_votes(passing=True))
    def test_passing_votes_pass(self, vote: OwnersVote) -> None:
        """Votes asked to pass meet 民法典 art. 278."""
        assert vote.approved()

    @given(gst.owners_votes(passing=False))
    def test_failing_votes_fail(self, vote: OwnersVote) -> None:
        """Votes asked to fail do not."""
        assert not vote.approved()


class TestPeopleAndTalent:
    @given(gst.residents())
    def test_residents_are_valid(self, resident: Resident) -> None:
        """Residents opt in only with a name."""
        assert resident.name is not None or not resident.named_in_reports

    @given(gst.talent_programmes(max_items=3, max_talents=2))
    def test_programme_bounds(self, programme: TalentProgramme) -> None:
        """Items and talents stay within their bounds."""
        assert len(programme.items) <= 3
        assert len(programme.talents) <= 2

    def test_bad_arguments(self) -> None:
        """Negative maxima are refused."""
        with pytest.raises(InvalidArgument):
            gst.talent_programmes(max_items=-1)
        with pytest.raises(InvalidArgument):
            gst.talent_programmes(max_talents=-1)

    @given(gst.reward_schedules())
    def test_schedules_are_non_negative(self, schedule: RewardSchedule) -> None:
        """Reward amounts are never negative."""
        assert schedule.per_talent >= 0
