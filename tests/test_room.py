"""Public-service rooms: areas, the room's life, the owners' vote, inventories and task forces."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pendulum
import pytest

from grassroots.branch import BranchMember, MemberStatus, Officer, PartyBranch
from grassroots.errors import (
    InvalidTransition,
    OwnersConsentMissing,
    QuorumNotMet,
    RuleViolation,
    UnknownReference,
)
from grassroots.room import (
    INCOME_USE,
    ORDINARY_OWNERS_MATTER,
    VOTE_REQUIRED_FOR,
    CommonPartIncome,
    IncomeUse,
    Ownership,
    OwnersVote,
    PublicServiceRoom,
    RoomInventory,
    RoomStatus,
    RoomStep,
    TaskForce,
    room_inventory,
    square_metres,
)
from grassroots.serialization import dumps, loads
from grassroots.subcommunity import Community, County, Street, Subcommunity, SubcommunityKind

DAY = pendulum.Date(2023, 4, 1)


def _day(n: int) -> pendulum.Date:
    return DAY.add(days=n)


def _room(ownership: Ownership = Ownership.COMMUNITY_FACILITY, **kw: object) -> PublicServiceRoom:
    return PublicServiceRoom.found(
        id=str(kw.get("id", "r1")),
        subcommunity_id=str(kw.get("subcommunity_id", "x1")),
        location="3栋底商",
        area=str(kw.get("area", "118.00")),
        on=DAY,
        ownership=ownership,
    )


def _handed_over(
    ownership: Ownership = Ownership.COMMUNITY_FACILITY, **kw: object
) -> PublicServiceRoom:
    return _room(ownership, **kw).verify(on=_day(1)).clear(on=_day(2)).hand_over(on=_day(3))


def _vote(**kw: object) -> OwnersVote:
    figures: dict[str, object] = {
        "subcommunity_id": "x1",
        "held_on": _day(3),
        "matter": "底商开办幸福食堂",
        "total_area": "3000.00",
        "total_owners": 300,
        "participating_area": "2000.00",
        "participating_owners": 200,
        "approving_area": "1500.00",
        "approving_owners": 150,
    }
    figures.update(kw)
    return OwnersVote(**figures)  # type: ignore[arg-type]


class TestArea:
    def test_exact_two_places(self) -> None:
        """Areas are exact decimals to 0.01 m²."""
        assert square_metres("118.5") == Decimal("118.50")
        assert square_metres(52_000) == Decimal("52000.00")
        assert square_metres(Decimal("0.010")) == Decimal("0.01")

    def test_floats_and_third_places_are_refused(self) -> None:
        """Floats are programming errors; a third place is not rounded away."""
        with pytest.raises(TypeError, match="floats are inexact"):
            square_metres(118.5)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            square_metres(True)
        with pytest.raises(RuleViolation, match="more than two decimal places"):
            square_metres("118.505")
        with pytest.raises(RuleViolation, match="not a finite number"):
            square_metres("abc")

    def test_a_room_has_a_positive_area(self) -> None:
        """A room of zero area is refused."""
        with pytest.raises(RuleViolation, match="positive area"):
            _room(area="0")


class TestLife:
    def test_the_whole_life(self) -> None:
        """Found → verified → cleared → handed over → in use → released → in use again."""
        room = _handed_over().put_in_use("canteen", on=_day(10))
        assert (room.status, room.project_id, room.since) == (
            RoomStatus.IN_USE,
            "canteen",
            _day(10),
        )
        room = room.release(on=_day(100)).put_in_use("store", on=_day(120))
        assert [s.status for s in room.history] == [
            RoomStatus.FOUND,
            RoomStatus.VERIFIED,
            RoomStatus.CLEARED,
            RoomStatus.HANDED_OVER,
            RoomStatus.IN_USE,
            RoomStatus.RELEASED,
            RoomStatus.IN_USE,
        ]
        assert room.reached(RoomStatus.RELEASED)
        assert room.project_id == "store"

    @pytest.mark.parametrize(
        ("move", "status_from"),
        [
            ("clear", "found"),
            ("hand_over", "found"),
            ("release", "found"),
            ("verify", "verified"),
        ],
    )
    def test_skipping_or_repeating_a_step_is_refused(self, move: str, status_from: str) -> None:
        """No step is skipped or repeated."""
        room = _room()
        if status_from == "verified":
            room = room.verify(on=_day(1))
        with pytest.raises(InvalidTransition, match=f"cannot go from {status_from}"):
            getattr(room, move)(on=_day(5))

    def test_in_use_only_after_hand_over(self) -> None:
        """A room goes into use only once handed over (or released)."""
        with pytest.raises(InvalidTransition, match="cannot go from cleared to in_use"):
            _room().verify(on=_day(1)).clear(on=_day(2)).put_in_use("p", on=_day(3))

    def test_time_runs_forward(self) -> None:
        """A step cannot be dated before the one it follows."""
        with pytest.raises(InvalidTransition, match="is before found"):
            _room().verify(on=_day(-1))

    def test_history_starts_with_found(self) -> None:
        """A history that starts anywhere but found is refused."""
        with pytest.raises(InvalidTransition, match="starts at verified"):
            PublicServiceRoom(
                id="r",
                subcommunity_id="x1",
                location="l",
                area="10",
                history=[RoomStep(status=RoomStatus.VERIFIED, on=DAY)],
            )

    def test_steps_carry_projects_only_when_in_use(self) -> None:
        """An in-use step names its project; other steps carry none."""
        with pytest.raises(RuleViolation, match="names no project"):
            RoomStep(status=RoomStatus.IN_USE, on=DAY)
        with pytest.raises(RuleViolation, match="only an in-use step"):
            RoomStep(status=RoomStatus.CLEARED, on=DAY, project_id="p")

    def test_the_refused_room_is_unchanged(self) -> None:
        """A refused move leaves the room as it was."""
        room = _room()
        with pytest.raises(InvalidTransition):
            room.hand_over(on=_day(1))
        assert room.status is RoomStatus.FOUND
        assert len(room.history) == 1


class TestOwnersVote:
    def test_exactly_two_thirds_and_three_quarters_pass(self) -> None:
        """The bounds are inclusive (三分之二以上, 四分之三以上)."""
        assert _vote().approved()

    def test_one_owner_short_of_two_thirds_fails(self) -> None:
        """199 of 300 owners is below two thirds, whatever the area."""
        vote = _vote(participating_owners=199, approving_owners=150)
        assert not vote.participation_met()
        with pytest.raises(QuorumNotMet, match="does not reach at least 2/3"):
            vote.require()

    def test_area_short_of_two_thirds_fails(self) -> None:
        """Both area and headcount must reach two thirds."""
        vote = _vote(participating_area="1999.99")
        with pytest.raises(QuorumNotMet):
            vote.require()

    def test_approval_short_of_three_quarters_fails(self) -> None:
        """149 of 200 participating owners is below three quarters."""
        vote = _vote(approving_owners=149)
        with pytest.raises(OwnersConsentMissing, match="does not reach at least 3/4"):
            vote.require()
        vote = _vote(approving_area="1499.99")
        assert not vote.approved()

    def test_ordinary_matters_need_more_than_half(self) -> None:
        """Other matters pass with more than half of both, not exactly half."""
        assert _vote(approving_owners=101, approving_area="1000.01").approved(
            ORDINARY_OWNERS_MATTER
        )
        assert not _vote(approving_owners=100, approving_area="1500").approved(
            ORDINARY_OWNERS_MATTER
        )

    def test_figures_must_be_in_order(self) -> None:
        """Approving cannot exceed participating, nor participating the total."""
        with pytest.raises(RuleViolation, match="not in order"):
            _vote(approving_owners=201)
        with pytest.raises(RuleViolation, match="not in order"):
            _vote(participating_area="3000.01")
        with pytest.raises(RuleViolation, match="no owners"):
            _vote(total_owners=0, participating_owners=0, approving_owners=0)


class TestBusinessUse:
    def test_common_part_needs_a_vote(self) -> None:
        """Business use of an owners' common part without a vote is refused."""
        room = _handed_over(Ownership.OWNERS_COMMON)
        with pytest.raises(OwnersConsentMissing, match="needs a recorded owners' vote"):
            room.put_in_use("canteen", on=_day(10))

    def test_common_part_with_a_passing_vote(self) -> None:
        """With a vote meeting art. 278, business use goes ahead."""
        room = _handed_over(Ownership.OWNERS_COMMON).put_in_use(
            "canteen", on=_day(10), owners_vote=_vote()
        )
        assert room.status is RoomStatus.IN_USE
        assert room.needs_owners_vote

    def test_common_part_with_a_failing_vote(self) -> None:
        """A vote that falls short is refused for what it lacks."""
        room = _handed_over(Ownership.OWNERS_COMMON)
        with pytest.raises(QuorumNotMet):
            room.put_in_use("c", on=_day(10), owners_vote=_vote(participating_owners=199))
        with pytest.raises(OwnersConsentMissing):
            room.put_in_use("c", on=_day(10), owners_vote=_vote(approving_owners=149))

    def test_non_business_use_needs_no_vote(self) -> None:
        """A common part used other than for business needs no vote."""
        room = _handed_over(Ownership.OWNERS_COMMON).put_in_use(
            "volunteer-corner", on=_day(10), business_use=False
        )
        assert room.status is RoomStatus.IN_USE

    @pytest.mark.parametrize(
        "ownership", [Ownership.COMMUNITY_FACILITY, Ownership.STATE_OWNED, Ownership.UNKNOWN]
    )
    def test_other_rooms_need_no_vote(self, ownership: Ownership) -> None:
        """Community facilities, state rooms and (by default) unknown ones need no vote."""
        assert _handed_over(ownership).put_in_use("c", on=_day(10)).status is RoomStatus.IN_USE
        assert ownership not in VOTE_REQUIRED_FOR

    def test_cautious_policy_for_unknown_ownership(self) -> None:
        """A county may require a vote for rooms of unknown ownership too."""
        cautious = attrs.evolve(
            _handed_over(Ownership.UNKNOWN),
            vote_required_for={Ownership.OWNERS_COMMON, Ownership.UNKNOWN},
        )
        with pytest.raises(OwnersConsentMissing):
            cautious.put_in_use("c", on=_day(10))

    def test_classifying_a_room_in_use_as_common_needs_its_vote(self) -> None:
        """Reclassifying a room in business use as a common part needs the vote first."""
        room = _handed_over(Ownership.UNKNOWN).put_in_use("c", on=_day(10))
        with pytest.raises(OwnersConsentMissing):
            room.classify(Ownership.OWNERS_COMMON)
        ratified = room.record_owners_vote(_vote()).classify(Ownership.OWNERS_COMMON)
        assert ratified.ownership is Ownership.OWNERS_COMMON

    def test_vote_recorded_only_on_a_use(self) -> None:
        """A vote is recorded on a room in use."""
        with pytest.raises(InvalidTransition, match="a vote is recorded on a use"):
            _handed_over().record_owners_vote(_vote())

    def test_vote_of_another_compound_is_refused(self) -> None:
        """The owners who vote are the room's compound's."""
        with pytest.raises(RuleViolation, match="held in x2"):
            _handed_over(Ownership.OWNERS_COMMON).put_in_use(
                "c", on=_day(10), owners_vote=_vote(subcommunity_id="x2")
            )

    def test_vote_after_the_use_began_is_refused(self) -> None:
        """The vote comes before the use."""
        with pytest.raises(RuleViolation, match="comes after the use"):
            _handed_over(Ownership.OWNERS_COMMON).put_in_use(
                "c", on=_day(10), owners_vote=_vote(held_on=_day(11))
            )


def _county() -> County:
    subs = [
        Subcommunity(id=i, name=f"{i}小区", kind=SubcommunityKind.COMMERCIAL_RESIDENTIAL)
        for i in ("x1", "x2", "x3")
    ]
    return County(
        id="k",
        name="某县",
        streets=[
            Street(
                id="s",
                name="街道",
                communities=[
                    Community(
                        id="c", name="社区", subcommunities=subs, party_organisation="社区党委"
                    )
                ],
            )
        ],
    )


class TestInventory:
    def _rooms(self) -> list[PublicServiceRoom]:
        return [
            _handed_over(id="r1", area="100.00"),
            _handed_over(id="r2", area="50.50").put_in_use("canteen", on=_day(9)),
            _room(id="r3", subcommunity_id="x2", area="20.00", ownership=Ownership.UNKNOWN),
            _handed_over(id="r4", subcommunity_id="x2", area="9.50")
            .put_in_use("store", on=_day(9))
            .release(on=_day(30)),
        ]

    def test_by_status_subcommunity_and_ownership(self) -> None:
        """Every breakdown sums to the totals."""
        inventory = room_inventory(self._rooms(), county=_county())
        assert (inventory.rooms, inventory.area) == (4, Decimal("180.00"))
        assert inventory.status(RoomStatus.HANDED_OVER).rooms == 1
        assert inventory.status(RoomStatus.IN_USE).area == Decimal("50.50")
        assert inventory.subcommunity("x2").rooms == 2
        assert inventory.subcommunity("x3").rooms == 0
        assert [t.subcommunity_id for t in inventory.by_subcommunity] == ["x1", "x2", "x3"]
        assert inventory.ownership(Ownership.UNKNOWN).area == Decimal("20.00")
        assert sum(t.rooms for t in inventory.by_status) == 4
        assert sum(t.area for t in inventory.by_ownership) == inventory.area

    def test_reached_counts_later_steps(self) -> None:
        """Handed over counts rooms in use and released too."""
        inventory = room_inventory(self._rooms())
        reached = inventory.reached(RoomStatus.HANDED_OVER)
        assert (reached.rooms, reached.area) == (3, Decimal("160.00"))
        assert inventory.reached(RoomStatus.FOUND).rooms == 4

    def test_room_outside_the_county_is_refused(self) -> None:
        """A room in a compound the county lacks is an unknown reference."""
        with pytest.raises(UnknownReference, match="not a compound of 某县"):
            room_inventory([_room(subcommunity_id="x9")], county=_county())

    def test_duplicate_rooms_are_refused(self) -> None:
        """A room is counted once."""
        with pytest.raises(RuleViolation, match="room id 'r1'"):
            room_inventory([_room(), _room()])

    def test_text_in_chinese(self) -> None:
        """The inventory reads in Chinese with 万平方米."""
        text = room_inventory(self._rooms(), scope="某县").to_text()
        assert text.startswith("某县小区公共服务用房：共 4 处、180.00 平方米（0.02 万平方米）。")
        assert "累计清理移交 3 处、160.00 平方米" in text

    def test_empty_inventory(self) -> None:
        """No rooms, zero totals."""
        inventory = room_inventory([])
        assert (inventory.rooms, inventory.area, inventory.scope) == (0, Decimal("0.00"), "全部")
        assert inventory.subcommunity("x1").rooms == 0
        assert RoomInventory(scope="s", rooms=0, area=0).status(RoomStatus.FOUND).rooms == 0


class TestTaskForce:
    def test_of_county(self) -> None:
        """The task force gathers departments, community organisations and branch secretaries."""
        day = pendulum.Date(2023, 1, 1)
        members = [
            BranchMember(person_id=f"p{n}", status=MemberStatus.FULL, joined_on=day)
            for n in range(3)
        ]
        with_secretary = PartyBranch(
            id="b1",
            name="一支部",
            coverage=["x1"],
            members=members,
            secretary=Officer(person_id="p0", since=day),
            formed_on=day,
        )
        without = attrs.evolve(with_secretary, id="b2", secretary=None)
        force = TaskForce.of_county(
            name="小区公共服务用房清理移交工作专班",
            county=_county(),
            branches=[with_secretary, without],
            departments=["住建", "民政", "综合执法"],
        )
        assert force.community_party_organisations == ("社区党委",)
        assert force.branch_ids == ("b1",)
        assert force.branch_secretaries == 1

    def test_duplicates_are_refused(self) -> None:
        """A department takes part once."""
        with pytest.raises(RuleViolation, match="department id"):
            TaskForce(name="专班", departments=["民政", "民政"])


class TestSerialization:
    def test_round_trip(self) -> None:
        """Rooms with votes and inventories survive JSON."""
        room = (
            _handed_over(Ownership.OWNERS_COMMON)
            .put_in_use("c", on=_day(10), owners_vote=_vote())
            .release(on=_day(40))
        )
        assert loads(dumps(room), PublicServiceRoom) == room
        inventory = room_inventory([room], county=_county())
        assert loads(dumps(inventory), RoomInventory) == inventory

    def test_loading_a_skipping_history_fails(self) -> None:
        """JSON whose history skips a step is refused."""
        room = _room().verify(on=_day(1))
        data = dumps(room).replace('"verified"', '"cleared"')
        with pytest.raises(Exception, match="cannot go from found to cleared"):
            loads(data, PublicServiceRoom)


AREAS = {"101": "89.50", "102": "120.00", "103": "90.50"}


class TestCommonPartIncome:
    """民法典 arts 282–283 and 物业管理条例 art. 54: the owners' income from common parts."""

    def _income(self, gross: str = "12000", costs: str = "2000", **kw: object) -> CommonPartIncome:
        return _room(Ownership.OWNERS_COMMON).common_part_income(
            period="2024",
            gross=gross,
            reasonable_costs=costs,
            **kw,  # type: ignore[arg-type]
        )

    def test_net_after_reasonable_costs_split_by_area(self) -> None:
        """12,000 less 2,000 is 10,000; by 89.5, 120 and 90.5 of 300 m² (worked by hand).

        101: 10,000 x 89.5/300 = 2,983.333 (floor 2,983.33, remainder 0.33 fen);
        102: exactly 4,000.00; 103: 3,016.666 (floor 3,016.66, remainder 0.67 fen);
        one fen is left and goes to the largest remainder, 103.
        """
        income = self._income()
        assert income.net == Decimal("10000.00")
        assert income.shares(AREAS) == {
            "101": Decimal("2983.33"),
            "102": Decimal("4000.00"),
            "103": Decimal("3016.67"),
        }

    def test_shared_by_agreement_when_there_is_one(self) -> None:
        """An agreement of 1:1:2 gives 2,500, 2,500 and 5,000, whatever the areas."""
        shares = self._income().shares(AREAS, agreement={"101": 1, "102": 1, "103": 2})
        assert list(shares.values()) == [Decimal("2500.00"), Decimal("2500.00"), Decimal("5000.00")]

    def test_an_agreement_must_cover_every_owner(self) -> None:
        """An agreement that leaves out an owner is refused."""
        with pytest.raises(RuleViolation, match="agreement covers"):
            self._income().shares(AREAS, agreement={"101": 1, "102": 1})

    def test_costs_equal_to_income_leave_nothing_and_a_fen_less_leaves_a_fen(self) -> None:
        """Costs of 12,000 leave 0; of 11,999.99 one fen, to 102 (0.4 fen beats 0.302, 0.298)."""
        assert self._income(costs="12000").net == 0
        one = self._income(costs="11999.99")
        assert one.net == Decimal("0.01")
        assert one.shares(AREAS) == {
            "101": Decimal("0.00"),
            "102": Decimal("0.01"),
            "103": Decimal("0.00"),
        }

    def test_costs_above_income_owe_nothing(self) -> None:
        """The owners are never owed a negative amount."""
        assert self._income(costs="15000").net == 0

    def test_only_owners_common_parts_earn_the_owners_income(self) -> None:
        """A community facility, a state-owned or an unclassified room is refused."""
        for ownership in (Ownership.COMMUNITY_FACILITY, Ownership.STATE_OWNED, Ownership.UNKNOWN):
            with pytest.raises(RuleViolation, match="not an owners' common part"):
                _room(ownership).common_part_income(period="2024", gross="100")

    def test_the_maintenance_fund_is_the_default_use(self) -> None:
        """物业管理条例 art. 54: mainly to the special maintenance fund."""
        income = self._income()
        assert (income.use, INCOME_USE) == (IncomeUse.MAINTENANCE_FUND, IncomeUse.MAINTENANCE_FUND)
        assert income.to_maintenance_fund == Decimal("10000.00")

    def test_distributing_needs_an_approved_owners_vote(self) -> None:
        """Without a vote, or with exactly half approving (过半数 is strict), it is refused."""
        with pytest.raises(OwnersConsentMissing, match="approved decision"):
            self._income(use=IncomeUse.DISTRIBUTED)
        half = _vote(approving_area="1000.00", approving_owners=100)
        with pytest.raises(OwnersConsentMissing):
            self._income(use=IncomeUse.DISTRIBUTED, decided_by=half)
        more = _vote(approving_area="1000.01", approving_owners=101)
        income = self._income(use=IncomeUse.DISTRIBUTED, decided_by=more)
        assert income.to_maintenance_fund == 0
        assert sum(income.shares(AREAS).values()) == income.net

    def test_another_compounds_vote_does_not_decide(self) -> None:
        """The vote must be of the owners of the room's compound."""
        with pytest.raises(OwnersConsentMissing, match="does not decide"):
            self._income(use=IncomeUse.AS_ASSEMBLY_DECIDES, decided_by=_vote(subcommunity_id="x2"))

    def test_negative_amounts_are_refused(self) -> None:
        """Income and costs are not negative."""
        with pytest.raises(RuleViolation, match="negative"):
            self._income(gross="-1")

    def test_no_owners_or_no_area_is_refused(self) -> None:
        """A split needs someone with some area."""
        with pytest.raises(RuleViolation):
            self._income().shares({})
        with pytest.raises(RuleViolation):
            self._income().shares({"101": "0"})

    def test_round_trip(self) -> None:
        """The income survives JSON."""
        income = self._income(use=IncomeUse.AS_ASSEMBLY_DECIDES, decided_by=_vote())
        assert loads(dumps(income), CommonPartIncome) == income
