"""Public-service rooms (小区公共服务用房): their ownership, their life, and a county inventory.

Use this module to follow each room from the survey to a project and back:
found in the survey (摸底排查) → verified (研判核实) → cleared (清理) →
handed over (移交) → in use by a project (项目使用) → released (退出), and
from released into use again. Every other move is refused
([`InvalidTransition`][grassroots.errors.InvalidTransition]), so a room's history never
skips a step.

Whether a room is an owners' common part (业主共有部分, 民法典 art. 274), a
community facility (社区配套用房), state-owned, or unknown is a field: the
case does not say which of Tancheng's 441 rooms are which. Putting an owners'
common part to business use needs a recorded owners' vote that meets 民法典
art. 278: participation by owners of two thirds or more of the exclusive area
*and* two thirds or more of the owners, and approval by three quarters or more
of the participating area *and* of the participating owners. Other rooms need
no vote.

[`room_inventory()`][grassroots.room.room_inventory] counts rooms and area by status, by compound
and by
ownership; [`TaskForce`][grassroots.room.TaskForce] records the clearance task force (工作专班).

Examples:
    >>> import pendulum
    >>> room = PublicServiceRoom.found(
    ...     id="r001",
    ...     subcommunity_id="x001",
    ...     location="3栋底商",
    ...     area="118.00",
    ...     on=pendulum.Date(2023, 4, 1),
    ...     ownership=Ownership.COMMUNITY_FACILITY,
    ... )
    >>> room = room.verify(on=pendulum.Date(2023, 4, 10)).clear(on=pendulum.Date(2023, 5, 1))
    >>> room = room.hand_over(on=pendulum.Date(2023, 5, 20))
    >>> room = room.put_in_use("canteen-1", on=pendulum.Date(2023, 6, 1))
    >>> room.status, room.project_id
    (<RoomStatus.IN_USE: 'in_use'>, 'canteen-1')
    >>> room.release(on=pendulum.Date(2024, 6, 1)).verify(on=pendulum.Date(2024, 6, 2))
    Traceback (most recent call last):
    ...
    grassroots.errors.InvalidTransition: room r001 cannot go from released to verified ...
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs
import pendulum

from grassroots import _tabular
from grassroots._validators import (
    count,
    flag,
    identifier,
    identifiers,
    optional_identifier,
    require_unique,
    to_date,
    to_frozenset,
    to_tuple,
)
from grassroots._validators import name as name_text
from grassroots.branch import PartyBranch
from grassroots.errors import (
    InvalidTransition,
    InvalidValue,
    OwnersConsentMissing,
    QuorumNotMet,
    RuleViolation,
    UnknownReference,
)
from grassroots.money import apportion, from_fen, to_fen, yuan
from grassroots.subcommunity import County
from grassroots.threshold import THREE_QUARTERS, Base, Threshold

__all__ = [
    "ART_278_ORDINARY_APPROVAL",
    "ART_278_PARTICIPATION",
    "ART_278_SPECIAL_APPROVAL",
    "BUSINESS_USE_OF_COMMON_PARTS",
    "COMMON_INCOME_RULE",
    "INCOME_USE",
    "MAINTENANCE_FUND_RULE",
    "MAX_AREA",
    "ORDINARY_OWNERS_MATTER",
    "ROOM_TRANSITIONS",
    "SHANDONG_DISTRIBUTION_RULE",
    "VOTE_REQUIRED_FOR",
    "CommonPartIncome",
    "IncomeUse",
    "OwnersVote",
    "OwnersVoteRule",
    "Ownership",
    "OwnershipTally",
    "PublicServiceRoom",
    "RoomInventory",
    "RoomStatus",
    "RoomStep",
    "StatusTally",
    "SubcommunityTally",
    "Tally",
    "TaskForce",
    "room_inventory",
    "square_metres",
]

RULE_274 = (
    "民法典 art. 274: public places, facilities and property-service rooms are owners' common parts"
    " (docs: rules, rooms)"
)
RULE_278 = (
    "民法典 art. 278 (8): business use of common parts needs participation of >= 2/3 of the"
    " exclusive area and >= 2/3 of the owners, and approval of >= 3/4 of the participating"
    " area and >= 3/4 of the participating owners"
    " (docs: rules, rooms)"
)
RULE_LIFE = (
    "room life: found → verified → cleared → handed over → in use → released (→ in use again)"
    " (docs: rules, rooms)"
)
RULE_AREA = (
    "areas are exact square metres to 0.01 m² (房产测量规范 GB/T 17986.1) (docs: rules, rooms)"
)

AREA_QUANTUM = Decimal("0.01")
"""The precision of areas: 0.01 m², as house surveys record them (GB/T 17986.1)."""

MAX_AREA = Decimal("9999999999.99")
"""The largest area in m² the model admits, a sanity bound far above any county's rooms."""


def square_metres(value: Decimal | int | str) -> Decimal:
    """Return an area in square metres (平方米) as an exact two-place ``Decimal``.

    The door for every area: refuses ``float`` and ``bool``, NaN and
    infinities, and a third decimal place that is not zero.

    Raises:
        TypeError: ``value`` is a ``float``, a ``bool`` or another type.
        RuleViolation: ``value`` is not a finite number or has more than two places.
        InvalidValue: ``value`` is larger in magnitude than
            [`MAX_AREA`][grassroots.room.MAX_AREA].

    Examples:
        >>> square_metres("118.5"), square_metres(52_000)
        (Decimal('118.50'), Decimal('52000.00'))
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(
            f"an area must be Decimal, int or str, not {type(value).__name__} {value!r}"
            " (floats are inexact)"
        )
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise RuleViolation(
            f"area {value!r} is not a finite number", value=value, limit="m²", rule=RULE_AREA
        )
    if abs(number) > MAX_AREA:
        raise InvalidValue(
            f"area {value!r} is larger than the maximum {MAX_AREA} m² ({RULE_AREA})",
            value=value,
            limit=str(MAX_AREA),
            rule=RULE_AREA,
        )
    if number != number.quantize(AREA_QUANTUM, rounding=ROUND_HALF_UP):
        raise RuleViolation(
            f"area {number} m² has more than two decimal places ({RULE_AREA})",
            value=str(number),
            limit=str(AREA_QUANTUM),
            rule=RULE_AREA,
        )
    return number.quantize(AREA_QUANTUM, rounding=ROUND_HALF_UP)


def _non_negative_area(
    _instance: object, attribute: attrs.Attribute[Decimal], value: Decimal
) -> None:
    if value < 0:
        raise RuleViolation(
            f"{attribute.name} {value} m² is negative",
            value=str(value),
            limit="0",
            rule=RULE_AREA,
        )


# --- the owners' vote -----------------------------------------------------------------

ART_278_PARTICIPATION = Threshold(
    ratio=Fraction(2, 3), base=Base.AREA_AND_HEADCOUNT, inclusive=True
)
"""三分之二以上: participation of two thirds or more of the exclusive area and of the owners.

Source: 民法典 art. 278 ¶2; "以上" includes the bound (art. 1259).
"""

ART_278_SPECIAL_APPROVAL = THREE_QUARTERS
"""四分之三以上: approval by three quarters or more of the participating area and owners.

Source: 民法典 art. 278 ¶2, for items (6) to (8), including business use of common parts.
"""

ART_278_ORDINARY_APPROVAL = Threshold(
    ratio=Fraction(1, 2), base=Base.AREA_AND_HEADCOUNT, inclusive=False
)
"""过半数: approval by more than half of the participating area and owners.

Source: 民法典 art. 278 ¶2, for the other matters; "过" excludes the half (art. 1259).
"""


@attrs.frozen(kw_only=True)
class OwnersVoteRule:
    """What an owners' vote needs: a participation and an approval threshold.

    Each threshold applies twice, to the exclusive area and to the headcount of
    owners (民法典 art. 278: 专有部分面积 and 人数); both must be met.

    Args:
        participation: Of all the exclusive area and all the owners.
        approval: Of the participating area and the participating owners.
        matter: The matter, in words.
    """

    participation: Threshold = attrs.field(validator=attrs.validators.instance_of(Threshold))
    approval: Threshold = attrs.field(validator=attrs.validators.instance_of(Threshold))
    matter: str = attrs.field(validator=name_text)


BUSINESS_USE_OF_COMMON_PARTS = OwnersVoteRule(
    participation=ART_278_PARTICIPATION,
    approval=ART_278_SPECIAL_APPROVAL,
    matter="利用共有部分从事经营活动 (民法典 art. 278 (8))",
)
"""Business use of common parts: double two thirds to take part, double three quarters to approve.

Source: 民法典 art. 278 ¶1 (8) and ¶2.
"""

ORDINARY_OWNERS_MATTER = OwnersVoteRule(
    participation=ART_278_PARTICIPATION,
    approval=ART_278_ORDINARY_APPROVAL,
    matter="其他共同决定事项 (民法典 art. 278 ¶2)",
)
"""Other owners' matters: double two thirds to take part, more than half of both to approve."""


@attrs.frozen(kw_only=True)
class OwnersVote:
    """A recorded vote of a compound's owners (业主共同决定), with area and headcount.

    Rule: participation of two thirds or more of the exclusive area and of the
    owners; approval of business use by three quarters or more of both among
    those who took part (other matters: more than half of both).

    Source: 民法典 art. 278; counting words art. 1259.

    Args:
        subcommunity_id: The compound whose owners voted.
        held_on: The day the vote closed.
        matter: What was decided, in words.
        total_area: The exclusive area (专有部分面积) of all owners, in m².
        total_owners: All owners.
        participating_area: Exclusive area of the owners who took part.
        participating_owners: Owners who took part.
        approving_area: Exclusive area of the owners who approved.
        approving_owners: Owners who approved.

    Raises:
        RuleViolation: the figures are not ``approving <= participating <= total``
            (for area and for owners), or there are no owners.

    Examples:
        >>> import pendulum
        >>> vote = OwnersVote(
        ...     subcommunity_id="x001",
        ...     held_on=pendulum.Date(2023, 5, 25),
        ...     matter="底商用房开办幸福食堂",
        ...     total_area="30000.00",
        ...     total_owners=300,
        ...     participating_area="20000.00",
        ...     participating_owners=200,
        ...     approving_area="15000.00",
        ...     approving_owners=150,
        ... )
        >>> vote.participation_met(), vote.approved()
        (True, True)
        >>> attrs.evolve(vote, approving_owners=149).approved()
        False
    """

    subcommunity_id: str = attrs.field(validator=identifier)
    held_on: pendulum.Date = attrs.field(converter=to_date)
    matter: str = attrs.field(validator=name_text)
    total_area: Decimal = attrs.field(converter=square_metres, validator=_non_negative_area)
    total_owners: int = attrs.field(validator=count)
    participating_area: Decimal = attrs.field(converter=square_metres, validator=_non_negative_area)
    participating_owners: int = attrs.field(validator=count)
    approving_area: Decimal = attrs.field(converter=square_metres, validator=_non_negative_area)
    approving_owners: int = attrs.field(validator=count)

    def __attrs_post_init__(self) -> None:
        if self.total_owners == 0 or self.total_area == 0:
            raise RuleViolation(
                f"owners' vote in {self.subcommunity_id} has no owners or no area",
                value=(self.total_owners, str(self.total_area)),
                limit="at least one owner and some area",
                rule=RULE_278,
            )
        checks = (
            ("area", self.approving_area, self.participating_area, self.total_area),
            ("owners", self.approving_owners, self.participating_owners, self.total_owners),
        )
        for what, approving, participating, total in checks:
            if not 0 <= approving <= participating <= total:
                raise RuleViolation(
                    f"owners' vote in {self.subcommunity_id}: {what} approving {approving},"
                    f" participating {participating}, total {total} are not in order",
                    value=(str(approving), str(participating), str(total)),
                    limit="approving <= participating <= total",
                    rule=RULE_278,
                )

    def participation_met(self, rule: OwnersVoteRule = BUSINESS_USE_OF_COMMON_PARTS) -> bool:
        """Return whether enough owners took part, by area and by headcount."""
        return rule.participation.met(
            self.participating_area, self.total_area
        ) and rule.participation.met(self.participating_owners, self.total_owners)

    def approved(self, rule: OwnersVoteRule = BUSINESS_USE_OF_COMMON_PARTS) -> bool:
        """Return whether the matter is approved: participation met and approval met, both ways.

        Args:
            rule: Default
                [`BUSINESS_USE_OF_COMMON_PARTS`][grassroots.room.BUSINESS_USE_OF_COMMON_PARTS]
                (民法典 art. 278 (8)).
        """
        if not self.participation_met(rule):
            return False
        if self.participating_owners == 0:
            return False
        return rule.approval.met(
            self.approving_area, self.participating_area
        ) and rule.approval.met(self.approving_owners, self.participating_owners)

    def require(self, rule: OwnersVoteRule = BUSINESS_USE_OF_COMMON_PARTS) -> None:
        """Raise unless the vote approves the matter under ``rule``.

        Raises:
            QuorumNotMet: too little area or too few owners took part.
            OwnersConsentMissing: too little area or too few owners approved.
        """
        part_area = Fraction(self.participating_area) / Fraction(self.total_area)
        part_owners = Fraction(self.participating_owners, self.total_owners)
        if not self.participation_met(rule):
            raise QuorumNotMet(
                f"owners' vote in {self.subcommunity_id}: participation {part_area} of the area"
                f" and {part_owners} of the owners does not reach {rule.participation} by both"
                f" ({RULE_278})",
                value=(str(part_area), str(part_owners)),
                limit=str(rule.participation.ratio),
                rule=RULE_278,
            )
        if not self.approved(rule):
            raise OwnersConsentMissing(
                f"owners' vote in {self.subcommunity_id}: approval {self.approving_area} of"
                f" {self.participating_area} m² and {self.approving_owners} of"
                f" {self.participating_owners} owners does not reach {rule.approval} by both"
                f" ({RULE_278})",
                value=(str(self.approving_area), self.approving_owners),
                limit=str(rule.approval.ratio),
                rule=RULE_278,
            )


# --- income from the owners' common parts ---------------------------------------------

COMMON_INCOME_RULE = (
    "民法典 arts 282–283: income from the owners' common parts, after reasonable costs, belongs"
    " to the owners jointly and is shared as they agreed, else by their share of exclusive area"
    " (docs: rules, rooms)"
)
"""The rule cited when income from common parts is worked out or shared."""

MAINTENANCE_FUND_RULE = (
    "物业管理条例 art. 54: the owners' income from business use of common parts goes mainly to"
    " the special maintenance fund, or is used as the owners' assembly decides (docs: rules,"
    " rooms)"
)
"""The rule cited for where the owners' income goes."""

SHANDONG_DISTRIBUTION_RULE = (
    "山东省物业管理条例 (article number unverified: arts 49–50 or art. 57 ¶2 are cited): the"
    " owners' assembly decides how the income from common parts is used and distributed, and"
    " the accounts are posted publicly (docs: rules, rooms)"
)
"""The Shandong rule on distributing the owners' income; its article number is unverified."""


class IncomeUse(enum.Enum):
    """Where the owners' net income from common parts goes (物业管理条例 art. 54)."""

    MAINTENANCE_FUND = "maintenance_fund"
    """补充专项维修资金: into the special maintenance fund. The default."""
    AS_ASSEMBLY_DECIDES = "as_assembly_decides"
    """按照业主大会的决定使用: used as the owners' assembly decided (a vote is recorded)."""
    DISTRIBUTED = "distributed"
    """分配给业主: paid out to the owners, as the owners' assembly decided (a vote is recorded)."""


INCOME_USE = IncomeUse.MAINTENANCE_FUND
"""The default use of the owners' income: the special maintenance fund (物业管理条例 art. 54)."""


def _yuan(value: Decimal | int | str) -> Decimal:
    return yuan(value)


@attrs.frozen(kw_only=True)
class CommonPartIncome:
    """Income from one room that is an owners' common part (共有部分收益), for one period.

    Rule: 民法典 art. 282 — after reasonable costs (扣除合理成本), the income
    belongs to the owners jointly; art. 283 — shared as the owners agreed, or
    else by each owner's share of the exclusive area (专有部分面积所占比例);
    物业管理条例 art. 54 — it goes mainly to the special maintenance fund, or is
    used as the owners' assembly decides. Made by
    [`PublicServiceRoom.common_part_income`][grassroots.room.PublicServiceRoom.common_part_income],
    which refuses a room that is not an owners' common part.

    Args:
        room_id: The room the income comes from.
        subcommunity_id: The compound whose owners own it.
        period: A label for the period (``"2024"``).
        gross: What the room earned in yuan (the rent or fee paid for it).
        reasonable_costs: The reasonable costs of earning it (management,
            repairs, taxes), in yuan.
        use: Where the net income goes; default [`INCOME_USE`][grassroots.room.INCOME_USE].
        decided_by: The owners' vote that decided a use other than the
            maintenance fund (required then, 物业管理条例 art. 54; Shandong rules).

    Raises:
        RuleViolation: an amount is negative, or a use other than the fund has
            no approved owners' vote.

    Examples:
        >>> income = CommonPartIncome(
        ...     room_id="r1",
        ...     subcommunity_id="x1",
        ...     period="2024",
        ...     gross="12000",
        ...     reasonable_costs="2000",
        ... )
        >>> income.net
        Decimal('10000.00')
        >>> income.shares({"101": "89.50", "102": "120.00", "103": "90.50"})
        {'101': Decimal('2983.33'), '102': Decimal('4000.00'), '103': Decimal('3016.67')}
    """

    room_id: str = attrs.field(validator=identifier)
    subcommunity_id: str = attrs.field(validator=identifier)
    period: str = attrs.field(validator=identifier)
    gross: Decimal = attrs.field(converter=_yuan)
    reasonable_costs: Decimal = attrs.field(default=Decimal("0.00"), converter=_yuan)
    use: IncomeUse = attrs.field(
        default=INCOME_USE, validator=attrs.validators.instance_of(IncomeUse)
    )
    decided_by: OwnersVote | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(OwnersVote))
    )

    def __attrs_post_init__(self) -> None:
        for label, amount in (("gross", self.gross), ("reasonable costs", self.reasonable_costs)):
            if amount < 0:
                raise RuleViolation(
                    f"{label} {amount} of room {self.room_id} is negative; {COMMON_INCOME_RULE}",
                    value=amount,
                    limit=Decimal("0.00"),
                    rule=COMMON_INCOME_RULE,
                )
        if self.use is not IncomeUse.MAINTENANCE_FUND:
            vote = self.decided_by
            if vote is None or not vote.approved(ORDINARY_OWNERS_MATTER):
                raise OwnersConsentMissing(
                    f"room {self.room_id}: using the owners' income as {self.use.value} needs an"
                    f" approved decision of the owners' assembly; {MAINTENANCE_FUND_RULE};"
                    f" {SHANDONG_DISTRIBUTION_RULE}",
                    value=None if vote is None else vote.matter,
                    limit="an owners' vote approving the use",
                    rule=MAINTENANCE_FUND_RULE,
                )
            if vote.subcommunity_id != self.subcommunity_id:
                raise OwnersConsentMissing(
                    f"room {self.room_id}: the vote of {vote.subcommunity_id} does not decide for"
                    f" the owners of {self.subcommunity_id}; {MAINTENANCE_FUND_RULE}",
                    value=vote.subcommunity_id,
                    limit=self.subcommunity_id,
                    rule=MAINTENANCE_FUND_RULE,
                )

    @property
    def net(self) -> Decimal:
        """What the owners are owed: the income after reasonable costs, never below zero."""
        return max(self.gross - self.reasonable_costs, Decimal("0.00"))

    @property
    def to_maintenance_fund(self) -> Decimal:
        """The part that goes into the special maintenance fund (all of it by default)."""
        return self.net if self.use is IncomeUse.MAINTENANCE_FUND else Decimal("0.00")

    def shares(
        self,
        exclusive_areas: Mapping[str, Decimal | int | str],
        *,
        agreement: Mapping[str, int | Fraction] | None = None,
    ) -> dict[str, Decimal]:
        """Split the net income among the owners, exact to the fen.

        Rule: 民法典 art. 283 — by the owners' agreement if there is one,
        otherwise by each owner's share of the exclusive area. Largest
        remainder: each owner gets the floor or the ceiling of the exact share
        in fen, ties go to the owner listed first, and the parts sum to
        [`net`][grassroots.room.CommonPartIncome.net].

        Args:
            exclusive_areas: Each owner's (or flat's) exclusive area in m².
            agreement: The agreed weights per owner, in place of areas; every
                owner of ``exclusive_areas`` must have one.

        Raises:
            RuleViolation: no owner, a negative or all-zero area or weight, or
                an agreement that leaves out an owner or names a stranger.
        """
        owners = list(exclusive_areas)
        if agreement is None:
            weights = [Fraction(square_metres(exclusive_areas[o])) for o in owners]
        else:
            if set(agreement) != set(owners):
                raise RuleViolation(
                    f"the agreement covers {sorted(agreement)}, not the owners {sorted(owners)};"
                    f" {COMMON_INCOME_RULE}",
                    value=sorted(agreement),
                    limit=sorted(owners),
                    rule=COMMON_INCOME_RULE,
                )
            weights = [Fraction(agreement[o]) for o in owners]
        if not owners or any(w < 0 for w in weights) or not any(weights):
            raise RuleViolation(
                f"cannot share the income of room {self.room_id}: it needs owners with"
                f" non-negative weights, some positive; {COMMON_INCOME_RULE}",
                value=len(owners),
                limit="owners with some positive weight",
                rule=COMMON_INCOME_RULE,
            )
        parts = apportion(to_fen(self.net), weights)
        return {owner: from_fen(part) for owner, part in zip(owners, parts, strict=True)}


# --- the room and its life --------------------------------------------------------------


class Ownership(enum.Enum):
    """Who owns a public-service room."""

    OWNERS_COMMON = "owners_common"
    """业主共有部分: the owners' common part (民法典 art. 274); business use needs their vote."""
    COMMUNITY_FACILITY = "community_facility"
    """社区配套用房: a community facility handed to the community by the developer."""
    STATE_OWNED = "state_owned"
    """国有: state-owned."""
    UNKNOWN = "unknown"
    """Not yet established."""

    @property
    def zh(self) -> str:
        """The Chinese name of the ownership."""
        return {
            "owners_common": "业主共有",
            "community_facility": "社区配套用房",
            "state_owned": "国有",
            "unknown": "权属待查",
        }[self.value]


class RoomStatus(enum.Enum):
    """Where a room is in its life, in order."""

    FOUND = "found"
    """摸底发现: found in the survey (摸底排查)."""
    VERIFIED = "verified"
    """研判核实: verified (area, ownership, condition)."""
    CLEARED = "cleared"
    """清理: cleared of occupants and clutter."""
    HANDED_OVER = "handed_over"
    """移交: handed over for the compound's use."""
    IN_USE = "in_use"
    """项目使用: in use by a project (such as a 幸福食堂)."""
    RELEASED = "released"
    """退出: released by its project; may go into use again."""

    @property
    def zh(self) -> str:
        """The Chinese name of the status."""
        return {
            "found": "摸底发现",
            "verified": "研判核实",
            "cleared": "已清理",
            "handed_over": "已移交",
            "in_use": "项目使用",
            "released": "已退出",
        }[self.value]

    @property
    def rank(self) -> int:
        """The position in the life, from 0 (found) to 5 (released)."""
        return list(RoomStatus).index(self)


ROOM_TRANSITIONS: Mapping[RoomStatus, frozenset[RoomStatus]] = MappingProxyType(
    {
        RoomStatus.FOUND: frozenset({RoomStatus.VERIFIED}),
        RoomStatus.VERIFIED: frozenset({RoomStatus.CLEARED}),
        RoomStatus.CLEARED: frozenset({RoomStatus.HANDED_OVER}),
        RoomStatus.HANDED_OVER: frozenset({RoomStatus.IN_USE}),
        RoomStatus.IN_USE: frozenset({RoomStatus.RELEASED}),
        RoomStatus.RELEASED: frozenset({RoomStatus.IN_USE}),
    }
)
"""The moves a room may make: one step forward, or from released into use again."""

VOTE_REQUIRED_FOR: frozenset[Ownership] = frozenset({Ownership.OWNERS_COMMON})
"""The ownerships whose business use needs an owners' vote: owners' common parts only.

Source: 民法典 arts 274 and 278 (8). Add
[`Ownership.UNKNOWN`][grassroots.room.Ownership.UNKNOWN] for a cautious policy.
"""


@attrs.frozen(kw_only=True)
class RoomStep:
    """One step of a room's life: the status reached and the day it was reached.

    Args:
        status: The status reached.
        on: The day.
        project_id: For [`RoomStatus.IN_USE`][grassroots.room.RoomStatus.IN_USE], the project using
            the room.
        business_use: For [`RoomStatus.IN_USE`][grassroots.room.RoomStatus.IN_USE], whether the use
            is a
            business (经营活动), which for owners' common parts needs their vote.
        owners_vote: For [`RoomStatus.IN_USE`][grassroots.room.RoomStatus.IN_USE], the owners' vote,
            if held.

    Raises:
        RuleViolation: a project, business use or vote on a step other than in use,
            or an in-use step without a project.
    """

    status: RoomStatus = attrs.field(validator=attrs.validators.instance_of(RoomStatus))
    on: pendulum.Date = attrs.field(converter=to_date)
    project_id: str | None = attrs.field(default=None, validator=optional_identifier)
    business_use: bool = attrs.field(default=False, validator=flag)
    owners_vote: OwnersVote | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(OwnersVote)),
    )

    def __attrs_post_init__(self) -> None:
        in_use = self.status is RoomStatus.IN_USE
        if in_use and self.project_id is None:
            raise RuleViolation(
                f"a room in use on {self.on} names no project",
                value=None,
                limit="a project id",
                rule=RULE_LIFE,
            )
        if not in_use and (
            self.project_id is not None or self.business_use or self.owners_vote is not None
        ):
            raise RuleViolation(
                f"a {self.status.value} step on {self.on} carries a project, business use or"
                " vote; only an in-use step does",
                value=self.status.value,
                limit=RoomStatus.IN_USE.value,
                rule=RULE_LIFE,
            )


def _id_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(value)


def _steps(value: Iterable[RoomStep]) -> tuple[RoomStep, ...]:
    return to_tuple(value)


def _ownerships(value: Iterable[Ownership]) -> frozenset[Ownership]:
    return to_frozenset(value)


@attrs.frozen(kw_only=True)
class PublicServiceRoom:
    """A public-service room (小区公共服务用房) of a compound, with its whole life.

    Rule: the life moves one step at a time
        ([`ROOM_TRANSITIONS`][grassroots.room.ROOM_TRANSITIONS]); business
    use of an owners' common part needs an owners' vote meeting art. 278.

    Source: 民法典 arts 274 and 278; the Tancheng clearance campaign (441 rooms,
    52,000 m²).

    Args:
        id: Stable id.
        subcommunity_id: The compound (小区) the room belongs to.
        location: Where it is, in words (``"3栋底商"``).
        area: Exact area in m² ([`square_metres()`][grassroots.room.square_metres]); more than zero.
        ownership: Owners' common part, community facility, state-owned or unknown.
        history: The steps of its life, oldest first; starts with
            [`RoomStatus.FOUND`][grassroots.room.RoomStatus.FOUND]. Use
            [`found()`][grassroots.room.PublicServiceRoom.found] to start one.
        vote_required_for: Ownerships whose business use needs an owners' vote;
            default [`VOTE_REQUIRED_FOR`][grassroots.room.VOTE_REQUIRED_FOR].
        business_use_rule: The vote's thresholds; default
            [`BUSINESS_USE_OF_COMMON_PARTS`][grassroots.room.BUSINESS_USE_OF_COMMON_PARTS]
            (民法典 art. 278).

    Raises:
        InvalidTransition: the history skips a step, goes backwards, or runs
            back in time.
        QuorumNotMet: the current business use rests on a vote with too little
            participation (民法典 art. 278).
        OwnersConsentMissing: the current business use of an owners' common part
            has no vote, or a vote that did not approve it (民法典 art. 278).
        RuleViolation: the area is not positive; the vote is of another compound
            or later than the use.
    """

    id: str = attrs.field(validator=identifier)
    subcommunity_id: str = attrs.field(validator=identifier)
    location: str = attrs.field(validator=name_text)
    area: Decimal = attrs.field(converter=square_metres)
    ownership: Ownership = attrs.field(
        default=Ownership.UNKNOWN, validator=attrs.validators.instance_of(Ownership)
    )
    history: tuple[RoomStep, ...] = attrs.field(converter=_steps)
    vote_required_for: frozenset[Ownership] = attrs.field(
        default=VOTE_REQUIRED_FOR,
        converter=_ownerships,
        validator=attrs.validators.deep_iterable(attrs.validators.instance_of(Ownership)),
    )
    business_use_rule: OwnersVoteRule = attrs.field(
        default=BUSINESS_USE_OF_COMMON_PARTS,
        validator=attrs.validators.instance_of(OwnersVoteRule),
    )

    @area.validator
    def _check_area(self, _attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
        if value <= 0:
            raise RuleViolation(
                f"room {self.id} has area {value} m²; a room has a positive area",
                value=str(value),
                limit="more than 0",
                rule=RULE_AREA,
            )

    def __attrs_post_init__(self) -> None:
        if not self.history or self.history[0].status is not RoomStatus.FOUND:
            first = self.history[0].status.value if self.history else None
            raise InvalidTransition(
                f"room {self.id}'s life starts at {first}, not at found ({RULE_LIFE})",
                value=first,
                limit=RoomStatus.FOUND.value,
                rule=RULE_LIFE,
            )
        for before, after in zip(self.history, self.history[1:], strict=False):
            _check_move(self.id, before, after.status, after.on)
        self._check_business_use()

    def _check_business_use(self) -> None:
        step = self.history[-1]
        if step.status is not RoomStatus.IN_USE or not step.business_use:
            return
        vote = step.owners_vote
        if vote is not None:
            if vote.subcommunity_id != self.subcommunity_id:
                raise RuleViolation(
                    f"room {self.id} is in 小区 {self.subcommunity_id}, but its owners' vote was"
                    f" held in {vote.subcommunity_id}",
                    value=vote.subcommunity_id,
                    limit=self.subcommunity_id,
                    rule=RULE_278,
                )
            if vote.held_on > step.on:
                raise RuleViolation(
                    f"room {self.id}: the owners' vote of {vote.held_on} comes after the use"
                    f" began on {step.on}",
                    value=str(vote.held_on),
                    limit=str(step.on),
                    rule=RULE_278,
                )
        if self.ownership not in self.vote_required_for:
            return
        if vote is None:
            raise OwnersConsentMissing(
                f"room {self.id} ({self.ownership.zh}) needs a recorded owners' vote for its"
                f" business use by {step.project_id} ({RULE_278})",
                value=None,
                limit=str(self.business_use_rule.approval),
                rule=f"{RULE_274}; {RULE_278}",
            )
        vote.require(self.business_use_rule)

    @classmethod
    def found(
        cls,
        *,
        id: str,  # noqa: A002
        subcommunity_id: str,
        location: str,
        area: Decimal | int | str,
        on: pendulum.Date,
        ownership: Ownership = Ownership.UNKNOWN,
    ) -> PublicServiceRoom:
        """Return a room just found in the survey (摸底排查) on ``on``."""
        return cls(
            id=id,
            subcommunity_id=subcommunity_id,
            location=location,
            area=square_metres(area),
            ownership=ownership,
            history=(RoomStep(status=RoomStatus.FOUND, on=on),),
        )

    # --- state ------------------------------------------------------------------------

    @property
    def status(self) -> RoomStatus:
        """The current status."""
        return self.history[-1].status

    @property
    def since(self) -> pendulum.Date:
        """The day the current status was reached."""
        return self.history[-1].on

    @property
    def project_id(self) -> str | None:
        """The project using the room now, or ``None``."""
        return self.history[-1].project_id

    @property
    def needs_owners_vote(self) -> bool:
        """Whether business use of this room needs an owners' vote (民法典 art. 278)."""
        return self.ownership in self.vote_required_for

    def reached(self, status: RoomStatus) -> bool:
        """Return whether the room has ever reached ``status``."""
        return any(step.status is status for step in self.history)

    # --- moves ------------------------------------------------------------------------

    def _move(self, step: RoomStep) -> PublicServiceRoom:
        _check_move(self.id, self.history[-1], step.status, step.on)
        return attrs.evolve(self, history=(*self.history, step))

    def verify(self, *, on: pendulum.Date) -> PublicServiceRoom:
        """Return the room verified (研判核实) on ``on``.

        Raises:
            InvalidTransition: the room is not just found, or ``on`` is earlier than its last step.
        """
        return self._move(RoomStep(status=RoomStatus.VERIFIED, on=on))

    def clear(self, *, on: pendulum.Date) -> PublicServiceRoom:
        """Return the room cleared (清理) on ``on``.

        Raises:
            InvalidTransition: the room is not verified, or ``on`` is earlier than its last step.
        """
        return self._move(RoomStep(status=RoomStatus.CLEARED, on=on))

    def hand_over(self, *, on: pendulum.Date) -> PublicServiceRoom:
        """Return the room handed over (移交) on ``on``.

        Raises:
            InvalidTransition: the room is not cleared, or ``on`` is earlier than its last step.
        """
        return self._move(RoomStep(status=RoomStatus.HANDED_OVER, on=on))

    def put_in_use(
        self,
        project_id: str,
        *,
        on: pendulum.Date,
        business_use: bool = True,
        owners_vote: OwnersVote | None = None,
    ) -> PublicServiceRoom:
        """Return the room in use by project ``project_id`` from ``on``.

        Rule: business use of an owners' common part needs an owners' vote
        meeting 民法典 art. 278 (double 2/3 participation, double 3/4 approval).

        Args:
            project_id: The project (a venture project's id).
            on: The first day of use.
            business_use: Whether the use is a business (the case's projects are).
            owners_vote: The owners' vote, needed when the room is an owners'
                common part used for business.

        Raises:
            InvalidTransition: the room is not handed over or released, or ``on``
                is earlier than its last step.
            QuorumNotMet: the vote's participation is too low.
            OwnersConsentMissing: a vote is needed and missing or did not approve.
        """
        return self._move(
            RoomStep(
                status=RoomStatus.IN_USE,
                on=on,
                project_id=project_id,
                business_use=business_use,
                owners_vote=owners_vote,
            )
        )

    def release(self, *, on: pendulum.Date) -> PublicServiceRoom:
        """Return the room released (退出) by its project on ``on``.

        Raises:
            InvalidTransition: the room is not in use, or ``on`` is earlier than its last step.
        """
        return self._move(RoomStep(status=RoomStatus.RELEASED, on=on))

    def record_owners_vote(self, vote: OwnersVote) -> PublicServiceRoom:
        """Return the room with ``vote`` recorded on its current use (a later ratification).

        Raises:
            InvalidTransition: the room is not in use.
            QuorumNotMet, OwnersConsentMissing: the vote does not approve the use.
        """
        step = self.history[-1]
        if step.status is not RoomStatus.IN_USE:
            raise InvalidTransition(
                f"room {self.id} is {step.status.value}; a vote is recorded on a use",
                value=step.status.value,
                limit=RoomStatus.IN_USE.value,
                rule=RULE_278,
            )
        return attrs.evolve(
            self, history=(*self.history[:-1], attrs.evolve(step, owners_vote=vote))
        )

    def common_part_income(
        self,
        *,
        period: str,
        gross: Decimal | int | str,
        reasonable_costs: Decimal | int | str = Decimal("0.00"),
        use: IncomeUse = INCOME_USE,
        decided_by: OwnersVote | None = None,
    ) -> CommonPartIncome:
        """Return what the owners are owed from this room for ``period`` (民法典 arts 282–283).

        Only a room that is an owners' common part (``Ownership.OWNERS_COMMON``)
        earns income that belongs to the owners; for a community facility or a
        state-owned room the fee is the owner's, and a room whose ownership is
        unknown is refused until it is classified.

        Raises:
            RuleViolation: the room is not an owners' common part; an amount is
                negative; a use other than the maintenance fund has no approved vote.
        """
        if self.ownership is not Ownership.OWNERS_COMMON:
            raise RuleViolation(
                f"room {self.id} is {self.ownership.value}, not an owners' common part: its"
                f" income is not the owners'; {COMMON_INCOME_RULE}",
                value=self.ownership.value,
                limit=Ownership.OWNERS_COMMON.value,
                rule=COMMON_INCOME_RULE,
            )
        return CommonPartIncome(
            room_id=self.id,
            subcommunity_id=self.subcommunity_id,
            period=period,
            gross=gross,
            reasonable_costs=reasonable_costs,
            use=use,
            decided_by=decided_by,
        )

    def classify(self, ownership: Ownership) -> PublicServiceRoom:
        """Return the room with its ownership established.

        Raises:
            OwnersConsentMissing, QuorumNotMet: the room is in business use and
                the new ownership needs a vote that is not recorded.
        """
        return attrs.evolve(self, ownership=ownership)


def _check_move(room_id: str, before: RoomStep, status: RoomStatus, on: pendulum.Date) -> None:
    allowed = ROOM_TRANSITIONS[before.status]
    if status not in allowed:
        nexts = " or ".join(sorted(s.value for s in allowed))
        raise InvalidTransition(
            f"room {room_id} cannot go from {before.status.value} to {status.value}; next is"
            f" {nexts} ({RULE_LIFE})",
            value=status.value,
            limit=sorted(s.value for s in allowed),
            rule=RULE_LIFE,
        )
    if on < before.on:
        raise InvalidTransition(
            f"room {room_id}: {status.value} on {on} is before {before.status.value} on"
            f" {before.on}",
            value=str(on),
            limit=str(before.on),
            rule=RULE_LIFE,
        )


# --- the inventory --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Tally:
    """A count of rooms and their total area in m²."""

    rooms: int = attrs.field(validator=count)
    area: Decimal = attrs.field(converter=square_metres, validator=_non_negative_area)


@attrs.frozen(kw_only=True)
class StatusTally:
    """Rooms and area with one status."""

    status: RoomStatus = attrs.field(validator=attrs.validators.instance_of(RoomStatus))
    rooms: int = attrs.field(validator=count)
    area: Decimal = attrs.field(converter=square_metres, validator=_non_negative_area)


@attrs.frozen(kw_only=True)
class SubcommunityTally:
    """Rooms and area in one compound."""

    subcommunity_id: str = attrs.field(validator=identifier)
    rooms: int = attrs.field(validator=count)
    area: Decimal = attrs.field(converter=square_metres, validator=_non_negative_area)


@attrs.frozen(kw_only=True)
class OwnershipTally:
    """Rooms and area with one ownership."""

    ownership: Ownership = attrs.field(validator=attrs.validators.instance_of(Ownership))
    rooms: int = attrs.field(validator=count)
    area: Decimal = attrs.field(converter=square_metres, validator=_non_negative_area)


def _status_tallies(value: Iterable[StatusTally]) -> tuple[StatusTally, ...]:
    return to_tuple(value)


def _subcommunity_tallies(value: Iterable[SubcommunityTally]) -> tuple[SubcommunityTally, ...]:
    return to_tuple(value)


def _ownership_tallies(value: Iterable[OwnershipTally]) -> tuple[OwnershipTally, ...]:
    return to_tuple(value)


def _wan(area: Decimal) -> str:
    # 万平方米 to two places, ordinary 四舍五入 (ROUND_HALF_UP), trailing zeros dropped.
    wan = (area / 10_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{wan:f}"


@attrs.frozen(kw_only=True)
class RoomInventory:
    """Rooms and area of a county (or any set of rooms) by status, compound and ownership.

    Args:
        scope: The name of what was counted (a county's Chinese name).
        rooms: Rooms counted.
        area: Their total area in m².
        by_status: One line per status, in life order (zeros included).
        by_subcommunity: One line per compound, in county order (zeros
            included when a county was given), else in order of first room.
        by_ownership: One line per ownership, in enum order (zeros included).
    """

    scope: str = attrs.field(validator=name_text)
    rooms: int = attrs.field(validator=count)
    area: Decimal = attrs.field(converter=square_metres, validator=_non_negative_area)
    by_status: tuple[StatusTally, ...] = attrs.field(default=(), converter=_status_tallies)
    by_subcommunity: tuple[SubcommunityTally, ...] = attrs.field(
        default=(), converter=_subcommunity_tallies
    )
    by_ownership: tuple[OwnershipTally, ...] = attrs.field(default=(), converter=_ownership_tallies)

    def status(self, status: RoomStatus) -> Tally:
        """Return the rooms and area now in ``status``."""
        for line in self.by_status:
            if line.status is status:
                return Tally(rooms=line.rooms, area=line.area)
        return Tally(rooms=0, area=Decimal(0))

    def reached(self, status: RoomStatus) -> Tally:
        """Return the rooms and area at ``status`` or beyond in the life (handed over: 441).

        A released room has been in use and handed over, so it counts for both.
        """
        lines = [line for line in self.by_status if line.status.rank >= status.rank]
        return Tally(
            rooms=sum(line.rooms for line in lines),
            area=sum((line.area for line in lines), Decimal(0)),
        )

    def subcommunity(self, subcommunity_id: str) -> Tally:
        """Return the rooms and area of one compound (zero if it has none)."""
        for line in self.by_subcommunity:
            if line.subcommunity_id == subcommunity_id:
                return Tally(rooms=line.rooms, area=line.area)
        return Tally(rooms=0, area=Decimal(0))

    def ownership(self, ownership: Ownership) -> Tally:
        """Return the rooms and area of one ownership."""
        for line in self.by_ownership:
            if line.ownership is ownership:
                return Tally(rooms=line.rooms, area=line.area)
        return Tally(rooms=0, area=Decimal(0))

    def to_text(self) -> str:
        """Return the inventory as a few lines of Chinese.

        Examples:
            >>> inventory = RoomInventory(scope="郯城县", rooms=441, area="52000.00")
            >>> print(inventory.to_text())
            郯城县小区公共服务用房：共 441 处、52000.00 平方米（5.2 万平方米）。
        """
        head = (
            f"{self.scope}小区公共服务用房：共 {self.rooms} 处、{self.area} 平方米"
            f"（{_wan(self.area)} 万平方米）。"
        )
        lines = [head]
        if self.by_status:
            handed = self.reached(RoomStatus.HANDED_OVER)
            lines.append(
                "按状态："
                + "；".join(f"{s.status.zh} {s.rooms} 处、{s.area} 平方米" for s in self.by_status)
                + "。"
            )
            lines.append(f"累计清理移交 {handed.rooms} 处、{handed.area} 平方米。")
        return "\n".join(lines)

    def rows(self) -> list[dict[str, object]]:
        """Return every breakdown as plain dicts, one per status, compound and ownership.

        ``breakdown`` is ``"status"``, ``"subcommunity"`` or ``"ownership"``;
        ``key`` the status's or ownership's value or the compound's id;
        ``zh`` its Chinese name (the id for a compound); ``area`` exact m².
        """
        rows: list[dict[str, object]] = [
            {
                "breakdown": "status",
                "key": s.status.value,
                "zh": s.status.zh,
                "rooms": s.rooms,
                "area": s.area,
            }
            for s in self.by_status
        ]
        rows += [
            {
                "breakdown": "subcommunity",
                "key": s.subcommunity_id,
                "zh": s.subcommunity_id,
                "rooms": s.rooms,
                "area": s.area,
            }
            for s in self.by_subcommunity
        ]
        rows += [
            {
                "breakdown": "ownership",
                "key": o.ownership.value,
                "zh": o.ownership.zh,
                "rooms": o.rooms,
                "area": o.area,
            }
            for o in self.by_ownership
        ]
        return rows

    def to_dataframe(self) -> Any:
        """Return `rows()` as a ``pandas.DataFrame`` (the ``notebook`` extra).

        ``rooms`` is an ``Int64`` column and ``area`` exact ``Decimal`` m² (an
        ``object`` column, see Money and rounding in the docs); the scope and
        the totals are in ``DataFrame.attrs``.

        Raises:
            ModuleNotFoundError: pandas is not installed.
        """
        frame = _tabular.dataframe(self.rows(), _INVENTORY_COLUMNS)
        frame.attrs.update(scope=self.scope, rooms=self.rooms, area=self.area)
        return frame

    def _repr_html_(self) -> str:
        rows = self.rows()
        captions = {
            "status": "按状态 by status",
            "subcommunity": "按小区 by compound",
            "ownership": "按权属 by ownership",
        }
        tables = [
            _tabular.Table(
                caption=f"{self.scope}小区公共服务用房 rooms {self.rooms:,}, {self.area:,} m²"
                f" · {caption}",
                columns=_INVENTORY_COLUMNS[1:],
                rows=tuple(row for row in rows if row["breakdown"] == breakdown),
            )
            for breakdown, caption in captions.items()
            if any(row["breakdown"] == breakdown for row in rows)
        ]
        if not tables:
            tables.append(
                _tabular.Table(
                    caption=f"{self.scope}小区公共服务用房 rooms {self.rooms:,}, {self.area:,} m²",
                    columns=_INVENTORY_COLUMNS[1:],
                    rows=(),
                )
            )
        return _tabular.html_tables(tables, name="room-inventory")


_INVENTORY_COLUMNS = (
    _tabular.Column("breakdown", "分类"),
    _tabular.Column("key", "项"),
    _tabular.Column("zh", "名称"),
    _tabular.Column("rooms", "用房", "int"),
    _tabular.Column("area", "面积 m²", "decimal"),
)


def room_inventory(
    rooms: Iterable[PublicServiceRoom], *, county: County | None = None, scope: str | None = None
) -> RoomInventory:
    """Count rooms and area by status, by compound and by ownership.

    Promise (checked by property tests): every breakdown sums to the totals.

    Args:
        rooms: The rooms, each once.
        county: The county; when given, every room must be in one of its
            compounds, and every compound gets a line (zero if it has no room).
        scope: The name to print; defaults to the county's name, or "全部".

    Raises:
        UnknownReference: a room's compound is not in ``county``.
        RuleViolation: a room id repeats.

    Examples:
        >>> import pendulum
        >>> rooms = [
        ...     PublicServiceRoom.found(
        ...         id=f"r{n}",
        ...         subcommunity_id="x001",
        ...         location="底商",
        ...         area="59.50",
        ...         on=pendulum.Date(2023, 4, 1),
        ...     )
        ...     for n in range(2)
        ... ]
        >>> inventory = room_inventory(rooms, scope="某小区")
        >>> inventory.rooms, inventory.area, inventory.status(RoomStatus.FOUND).rooms
        (2, Decimal('119.00'), 2)
    """
    room_list = tuple(rooms)
    require_unique((r.id for r in room_list), what="room", scope="the inventory")
    order: list[str] = []
    if county is not None:
        known = county.subcommunity_ids
        for room in room_list:
            if room.subcommunity_id not in known:
                raise UnknownReference(
                    f"room {room.id} is in {room.subcommunity_id!r}, not a compound of"
                    f" {county.name}",
                    value=room.subcommunity_id,
                )
        order = [s.id for s in county.subcommunities]
    for room in room_list:
        if room.subcommunity_id not in order:
            order.append(room.subcommunity_id)
    zero = Decimal(0)
    by_status: dict[RoomStatus, list[Any]] = {s: [0, zero] for s in RoomStatus}
    by_sub: dict[str, list[Any]] = {s: [0, zero] for s in order}
    by_owner: dict[Ownership, list[Any]] = {o: [0, zero] for o in Ownership}
    for room in room_list:
        for bucket in (
            by_status[room.status],
            by_sub[room.subcommunity_id],
            by_owner[room.ownership],
        ):
            bucket[0] += 1
            bucket[1] += room.area
    return RoomInventory(
        scope=scope or (county.name if county is not None else "全部"),
        rooms=len(room_list),
        area=sum((r.area for r in room_list), zero),
        by_status=[StatusTally(status=s, rooms=n, area=a) for s, (n, a) in by_status.items()],
        by_subcommunity=[
            SubcommunityTally(subcommunity_id=s, rooms=n, area=a) for s, (n, a) in by_sub.items()
        ],
        by_ownership=[
            OwnershipTally(ownership=o, rooms=n, area=a) for o, (n, a) in by_owner.items()
        ],
    )


# --- the task force ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TaskForce:
    """A task force (工作专班) for clearing and handing over rooms.

    Tancheng's: the housing, civil-affairs and law-enforcement departments
    (住建、民政、综合执法) with 16 urban community Party organisations and the
    secretaries of 50 compound branches.

    Args:
        name: Chinese name.
        departments: County departments taking part.
        community_party_organisations: Names of the community Party organisations.
        branch_ids: Ids of the compound branches whose secretaries take part.
    """

    name: str = attrs.field(validator=name_text)
    departments: tuple[str, ...] = attrs.field(
        default=(), converter=_id_tuple, validator=identifiers
    )
    community_party_organisations: tuple[str, ...] = attrs.field(
        default=(), converter=_id_tuple, validator=identifiers
    )
    branch_ids: tuple[str, ...] = attrs.field(
        default=(), converter=_id_tuple, validator=identifiers
    )

    def __attrs_post_init__(self) -> None:
        require_unique(self.departments, what="department", scope=self.name)
        require_unique(self.community_party_organisations, what="organisation", scope=self.name)
        require_unique(self.branch_ids, what="branch", scope=self.name)

    @classmethod
    def of_county(
        cls,
        *,
        name: str,
        county: County,
        branches: Iterable[PartyBranch],
        departments: Iterable[str],
    ) -> TaskForce:
        """Return a task force of the county's Party organisations and branch secretaries.

        It takes ``departments``, every community Party organisation of
        ``county`` and every branch that has a secretary.
        """
        return cls(
            name=name,
            departments=tuple(departments),
            community_party_organisations=county.community_party_organisations,
            branch_ids=tuple(b.id for b in branches if b.secretary is not None),
        )

    @property
    def branch_secretaries(self) -> int:
        """Branch secretaries in the task force."""
        return len(self.branch_ids)
