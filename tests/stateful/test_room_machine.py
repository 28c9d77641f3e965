"""The life of public-service rooms as a state machine, checked against a plain model."""

from __future__ import annotations

from decimal import Decimal

import pendulum
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from grassroots.errors import InvalidTransition, OwnersConsentMissing, RuleViolation
from grassroots.room import (
    ART_278_PARTICIPATION,
    ART_278_SPECIAL_APPROVAL,
    Ownership,
    OwnersVote,
    PublicServiceRoom,
    RoomStatus,
    room_inventory,
)

# The model: each room is a status name, its project, its area in hundredths of m²,
# whether it is an owners' common part, and how many steps it has taken.
_NEXT = {
    "found": {"verified"},
    "verified": {"cleared"},
    "cleared": {"handed_over"},
    "handed_over": {"in_use"},
    "in_use": {"released"},
    "released": {"in_use"},
}
_MOVES = ("verified", "cleared", "handed_over", "in_use", "released")


def _passing_vote(subcommunity_id: str, on: pendulum.Date) -> OwnersVote:
    owners, cents = 90, 900_000
    participating = ART_278_PARTICIPATION.minimum_of(owners)
    participating_cents = ART_278_PARTICIPATION.minimum_of(cents)
    return OwnersVote(
        subcommunity_id=subcommunity_id,
        held_on=on,
        matter="经营",
        total_area=Decimal(cents) / 100,
        total_owners=owners,
        participating_area=Decimal(participating_cents) / 100,
        participating_owners=participating,
        approving_area=Decimal(ART_278_SPECIAL_APPROVAL.minimum_of(participating_cents)) / 100,
        approving_owners=ART_278_SPECIAL_APPROVAL.minimum_of(participating),
    )


class RoomLife(RuleBasedStateMachine):
    """Rooms move through their life; the library and the model must agree after every step."""

    @initialize()
    def start(self) -> None:
        self.day = pendulum.Date(2023, 1, 1)
        self.rooms: dict[str, PublicServiceRoom] = {}
        self.model: dict[str, dict[str, object]] = {}
        self.owed: dict[str, int] = {}  # room id to fen the owners are owed, by hand
        self.library_owed: dict[str, int] = {}

    def _tick(self) -> pendulum.Date:
        self.day = self.day.add(days=1)
        return self.day

    @rule(cents=st.integers(1, 50_000), common=st.booleans(), compound=st.sampled_from("abc"))
    def find(self, cents: int, common: bool, compound: str) -> None:
        """A room is found in the survey."""
        room_id = f"r{len(self.rooms)}"
        self.rooms[room_id] = PublicServiceRoom.found(
            id=room_id,
            subcommunity_id=compound,
            location="底商",
            area=Decimal(cents) / 100,
            on=self._tick(),
            ownership=Ownership.OWNERS_COMMON if common else Ownership.COMMUNITY_FACILITY,
        )
        self.model[room_id] = {
            "status": "found",
            "project": None,
            "cents": cents,
            "common": common,
            "steps": 1,
        }

    @precondition(lambda self: bool(self.rooms))
    @rule(data=st.data(), goal=st.sampled_from(_MOVES), with_vote=st.booleans())
    def move(self, data: st.DataObject, goal: str, with_vote: bool) -> None:
        """Try any move on any room; it succeeds exactly when the model allows it."""
        room_id = data.draw(st.sampled_from(sorted(self.rooms)))
        room, entry = self.rooms[room_id], self.model[room_id]
        on = self._tick()
        allowed = goal in _NEXT[str(entry["status"])]
        needs_vote = goal == "in_use" and bool(entry["common"]) and not with_vote
        try:
            if goal == "verified":
                moved = room.verify(on=on)
            elif goal == "cleared":
                moved = room.clear(on=on)
            elif goal == "handed_over":
                moved = room.hand_over(on=on)
            elif goal == "in_use":
                vote = _passing_vote(room.subcommunity_id, on) if with_vote else None
                moved = room.put_in_use(f"project-{entry['steps']}", on=on, owners_vote=vote)
            else:
                moved = room.release(on=on)
        except InvalidTransition:
            assert not allowed
            return
        except OwnersConsentMissing:
            assert allowed
            assert needs_vote
            return
        assert allowed
        assert not needs_vote
        self.rooms[room_id] = moved
        entry["status"] = goal
        entry["project"] = f"project-{entry['steps']}" if goal == "in_use" else None
        entry["steps"] = int(str(entry["steps"])) + 1

    @precondition(lambda self: bool(self.rooms))
    @rule(data=st.data(), gross=st.integers(0, 10**8), costs=st.integers(0, 10**8))
    def earn(self, data: st.DataObject, gross: int, costs: int) -> None:
        """A room earns income: the owners are owed it after costs only for common parts."""
        room_id = data.draw(st.sampled_from(sorted(self.rooms)))
        room = self.rooms[room_id]
        try:
            income = room.common_part_income(
                period=f"p{len(self.owed)}",
                gross=Decimal(gross) / 100,
                reasonable_costs=Decimal(costs) / 100,
            )
        except RuleViolation:
            assert not self.model[room_id]["common"]
            return
        assert self.model[room_id]["common"]
        self.owed[room_id] = self.owed.get(room_id, 0) + max(0, gross - costs)
        net = int(income.net * 100)
        self.library_owed[room_id] = self.library_owed.get(room_id, 0) + net
        shares = income.shares({"101": "89.50", "102": "120.00", "103": "90.50"})
        assert sum(shares.values()) == income.net

    @invariant()
    def owners_income_agrees_with_the_model(self) -> None:
        """What the owners are owed, room by room, matches the hand count."""
        assert self.library_owed == self.owed

    @invariant()
    def rooms_agree_with_the_model(self) -> None:
        """Status, project and length of history match the model."""
        for room_id, room in self.rooms.items():
            entry = self.model[room_id]
            assert room.status is RoomStatus(entry["status"])
            assert room.project_id == entry["project"]
            assert len(room.history) == entry["steps"]

    @invariant()
    def inventory_agrees_with_the_model(self) -> None:
        """The inventory's totals and status counts match the model."""
        inventory = room_inventory(self.rooms.values())
        assert inventory.rooms == len(self.model)
        cents = sum(int(str(e["cents"])) for e in self.model.values())
        assert inventory.area == Decimal(cents) / 100
        for status in RoomStatus:
            expected = sum(1 for e in self.model.values() if e["status"] == status.value)
            assert inventory.status(status).rooms == expected


TestRoomLife = RoomLife.TestCase
