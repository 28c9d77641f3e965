"""The talent programme (人才振兴): the three lists, talents brought in, rewards to intermediaries.

Use this module to keep a county's talent programme as the Tancheng case
describes it: the three lists (需求、项目、资源三张清单 — needs, projects,
resources) whose items are published online and closed; liaison events
(对接联系活动) and surveys of lead firms (龙头企业) and high-level-talent firms
(高层次人才企业); talents brought in (引入创新创业人才), with their field,
whether they are returning natives (桑梓人才), the firm that took them and the
intermediary that brought them; and rewards to intermediaries (中介机构、社会
组织、商会、回引站) that played a direct and key role.

The county's award rules (《郯城县鼓励引进高层次人才奖励办法》) are not
public, so every reward amount is a parameter of
[`RewardSchedule`][grassroots.talent.RewardSchedule] with no
default. A report names a talent only with an explicit opt-in.

Examples:
    >>> import pendulum
    >>> day = pendulum.Date(2024, 3, 1)
    >>> programme = TalentProgramme(
    ...     county_id="tancheng",
    ...     intermediaries=[
    ...         Intermediary(id="sz", name="桑梓人才回引站", kind=IntermediaryKind.LIAISON_STATION)
    ...     ],
    ...     firms=[Firm(id="f1", name="某龙头企业", kind=FirmKind.LEAD_ENTERPRISE)],
    ... )
    >>> programme = programme.bring_in(
    ...     Talent(
    ...         id="t1",
    ...         field="食品加工",
    ...         origin=TalentOrigin.RETURNING_NATIVE,
    ...         brought_in_on=day,
    ...         firm_id="f1",
    ...         intermediary_id="sz",
    ...         intermediary_key_role=True,
    ...     )
    ... )
    >>> programme.report().talents, programme.report().returning_natives
    (1, 1)
    >>> schedule = RewardSchedule(per_talent=yuan("2000"), per_returning_native=yuan("3000"))
    >>> programme.rewards(schedule)[0].amount
    Decimal('3000.00')
"""

from __future__ import annotations

import enum
from collections import Counter
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from grassroots._validators import (
    count,
    flag,
    identifier,
    identifiers,
    instances_of,
    name,
    names,
    optional_identifier,
    optional_name,
    require_unique,
    to_date,
    to_optional_date,
    to_tuple,
)
from grassroots.errors import InvalidTransition, RuleViolation, UnknownReference
from grassroots.money import yuan

__all__ = [
    "FieldCount",
    "Firm",
    "FirmKind",
    "FirmVisit",
    "Intermediary",
    "IntermediaryKind",
    "IntermediaryReward",
    "LiaisonEvent",
    "ListItem",
    "ListKind",
    "RewardSchedule",
    "Talent",
    "TalentOrigin",
    "TalentProgramme",
    "TalentReport",
]

RULE_AWARD = (
    "郯城县鼓励引进高层次人才奖励办法: intermediaries that played a direct and key role in"
    " bringing talent are rewarded (amounts not public: parameters)"
)
RULE_CONSENT = "个人信息保护法 art. 25: a person is named in public only with consent"


class ListKind(enum.Enum):
    """Which of the three lists (三张清单) an item is on."""

    NEEDS = "needs"
    """需求清单: what firms and the county need (posts, skills)."""
    PROJECTS = "projects"
    """项目清单: projects open to talent."""
    RESOURCES = "resources"
    """资源清单: what the county offers (space, funds, policies)."""

    @property
    def zh(self) -> str:
        """The Chinese name of the list."""
        return {"needs": "需求清单", "projects": "项目清单", "resources": "资源清单"}[self.value]


class TalentOrigin(enum.Enum):
    """Where a talent comes from."""

    RETURNING_NATIVE = "returning_native"
    """桑梓人才: a native of the county returning home."""
    OTHER = "other"
    """Any other talent."""


class FirmKind(enum.Enum):
    """The kind of firm surveyed."""

    LEAD_ENTERPRISE = "lead_enterprise"
    """龙头企业: a leading firm of a local industry."""
    TALENT_ENTERPRISE = "talent_enterprise"
    """高层次人才企业: a firm founded or led by high-level talent."""
    OTHER = "other"
    """Any other firm."""


class IntermediaryKind(enum.Enum):
    """The kind of intermediary that brings talent in."""

    AGENCY = "agency"
    """中介机构: a recruitment or talent agency."""
    SOCIAL_ORGANISATION = "social_organisation"
    """社会组织: a social organisation."""
    CHAMBER_OF_COMMERCE = "chamber_of_commerce"
    """商会: a chamber of commerce of natives working elsewhere."""
    LIAISON_STATION = "liaison_station"
    """回引站 or 招才引智工作站: a talent liaison station (such as 桑梓人才回引站)."""
    PARTY_COMMITTEE_AWAY = "party_committee_away"
    """驻外流动党员党委: the Party committee of members working away from home."""


@attrs.frozen(kw_only=True)
class ListItem:
    """An item on one of the three lists: published on a day, closed on a later one.

    Args:
        id: Stable id.
        kind: Needs, projects or resources.
        title: What the item says, in words.
        published_on: The day it was published.
        online: Whether it was published online (the case counts online items).
        closed_on: The day it was closed (filled, withdrawn), if it is.

    Raises:
        RuleViolation: it closes before it was published.
    """

    id: str = attrs.field(validator=identifier)
    kind: ListKind = attrs.field(validator=attrs.validators.instance_of(ListKind))
    title: str = attrs.field(validator=name)
    published_on: pendulum.Date = attrs.field(converter=to_date)
    online: bool = attrs.field(default=True, validator=flag)
    closed_on: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)

    def __attrs_post_init__(self) -> None:
        if self.closed_on is not None and self.closed_on < self.published_on:
            raise RuleViolation(
                f"list item {self.id} closes on {self.closed_on}, before it was published on"
                f" {self.published_on}",
                value=str(self.closed_on),
                limit=str(self.published_on),
                rule="an item is closed after it is published",
            )

    def is_open_on(self, on: pendulum.Date) -> bool:
        """Return whether the item is published and not yet closed on ``on``."""
        return self.published_on <= on and (self.closed_on is None or on < self.closed_on)


@attrs.frozen(kw_only=True)
class LiaisonEvent:
    """A liaison event (对接联系活动) held with departments and firms.

    Args:
        id: Stable id.
        held_on: The day.
        title: What it was.
        partners: Departments and organisations that held it together.
    """

    id: str = attrs.field(validator=identifier)
    held_on: pendulum.Date = attrs.field(converter=to_date)
    title: str = attrs.field(validator=name)
    partners: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=names)


@attrs.frozen(kw_only=True)
class Firm:
    """A firm the programme works with: a lead firm or a high-level-talent firm."""

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name)
    kind: FirmKind = attrs.field(
        default=FirmKind.LEAD_ENTERPRISE, validator=attrs.validators.instance_of(FirmKind)
    )


@attrs.frozen(kw_only=True)
class FirmVisit:
    """A survey visit (调研摸排) to a firm, to update the three lists."""

    firm_id: str = attrs.field(validator=identifier)
    on: pendulum.Date = attrs.field(converter=to_date)


@attrs.frozen(kw_only=True)
class Intermediary:
    """An intermediary that brings talent in (中介机构、社会组织、商会、回引站…)."""

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name)
    kind: IntermediaryKind = attrs.field(validator=attrs.validators.instance_of(IntermediaryKind))


@attrs.frozen(kw_only=True)
class Talent:
    """A talent brought in (引入的创新创业人才).

    Args:
        id: Stable, opaque id.
        field: The field of work (产业 or 专业), in words.
        origin: Returning native (桑梓人才) or other.
        brought_in_on: The day the talent came.
        firm_id: The firm that took the talent, if any.
        intermediary_id: The intermediary that brought the talent, if any.
        intermediary_key_role: Whether the intermediary played a direct and
            key role (起直接、关键作用), which makes it eligible for a reward.
        name: The talent's name, if kept; shown only with ``named_in_reports``.
        named_in_reports: The talent's explicit opt-in to being named.

    Raises:
        RuleViolation: a key role without an intermediary, or an opt-in without a name.
    """

    id: str = attrs.field(validator=identifier)
    field: str = attrs.field(validator=name)
    origin: TalentOrigin = attrs.field(validator=attrs.validators.instance_of(TalentOrigin))
    brought_in_on: pendulum.Date = attrs.field(converter=to_date)
    firm_id: str | None = attrs.field(default=None, validator=optional_identifier)
    intermediary_id: str | None = attrs.field(default=None, validator=optional_identifier)
    intermediary_key_role: bool = attrs.field(default=False, validator=flag)
    name: str | None = attrs.field(default=None, validator=optional_name)
    named_in_reports: bool = attrs.field(default=False, validator=flag)

    def __attrs_post_init__(self) -> None:
        if self.intermediary_key_role and self.intermediary_id is None:
            raise RuleViolation(
                f"talent {self.id}: a key role is recorded but no intermediary",
                value=None,
                limit="an intermediary id",
                rule=RULE_AWARD,
            )
        if self.named_in_reports and self.name is None:
            raise RuleViolation(
                f"talent {self.id} opts in to being named but has no name",
                value=None,
                limit="a name",
                rule=RULE_CONSENT,
            )


def _non_negative_money(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if value < 0:
        raise RuleViolation(
            f"{attribute.name} {value} is negative; a reward is 0 or more",
            value=str(value),
            limit="0.00",
            rule=RULE_AWARD,
        )


def _optional_yuan(value: Decimal | int | str | None) -> Decimal | None:
    return None if value is None else yuan(value)


@attrs.frozen(kw_only=True)
class RewardSchedule:
    """The amounts paid to an intermediary for talents it brought in with a key role.

    Source: 《郯城县鼓励引进高层次人才奖励办法》, whose amounts are not public.

    The county's award rules are not public: every amount is given by the caller.

    Args:
        per_talent: Yuan per talent brought in.
        per_returning_native: Yuan per returning native (桑梓人才), if it differs;
            defaults to ``per_talent``.
        cap_per_intermediary: The most one intermediary receives in a report, if capped.
    """

    per_talent: Decimal = attrs.field(converter=yuan, validator=_non_negative_money)
    per_returning_native: Decimal | None = attrs.field(default=None, converter=_optional_yuan)
    cap_per_intermediary: Decimal | None = attrs.field(default=None, converter=_optional_yuan)

    @per_returning_native.validator
    @cap_per_intermediary.validator
    def _check_optional(
        self, attribute: attrs.Attribute[Decimal | None], value: Decimal | None
    ) -> None:
        if value is not None:
            _non_negative_money(self, attribute, value)

    def amount_for(self, talent: Talent) -> Decimal:
        """Return the reward for one talent."""
        if talent.origin is TalentOrigin.RETURNING_NATIVE and self.per_returning_native is not None:
            return self.per_returning_native
        return self.per_talent


@attrs.frozen(kw_only=True)
class IntermediaryReward:
    """What one intermediary is owed under a schedule, and for which talents."""

    intermediary_id: str = attrs.field(validator=identifier)
    talent_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=identifiers)
    amount: Decimal = attrs.field(converter=yuan, validator=_non_negative_money)
    capped: bool = attrs.field(default=False, validator=flag)


@attrs.frozen(kw_only=True)
class FieldCount:
    """Talents brought in for one field."""

    field: str = attrs.field(validator=name)
    talents: int = attrs.field(validator=count)


@attrs.frozen(kw_only=True)
class TalentReport:
    """The programme's figures for a period (Tancheng: 13 events, 32 firms, 1,000+ items, 79).

    Args:
        events: Liaison events held.
        firms_surveyed: Distinct firms visited.
        items_published: List items published online.
        items_closed: List items closed.
        talents: Talents brought in.
        returning_natives: Of which returning natives (桑梓人才).
        by_field: Talents per field, most first, then by field name.
        named_talents: Names of the talents who opted in to being named.
    """

    events: int = attrs.field(validator=count)
    firms_surveyed: int = attrs.field(validator=count)
    items_published: int = attrs.field(validator=count)
    items_closed: int = attrs.field(validator=count)
    talents: int = attrs.field(validator=count)
    returning_natives: int = attrs.field(validator=count)
    by_field: tuple[FieldCount, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(FieldCount)
    )
    named_talents: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=names)

    def to_text(self) -> str:
        """Return the figures as a sentence of Chinese.

        Examples:
            >>> print(
            ...     TalentReport(
            ...         events=13,
            ...         firms_surveyed=32,
            ...         items_published=1024,
            ...         items_closed=0,
            ...         talents=79,
            ...         returning_natives=0,
            ...     ).to_text()
            ... )
            开展对接联系活动 13 场次，调研企业 32 家，线上发布三张清单信息
            1024 条，引入创新创业人才 79 名。
        """
        return (
            f"开展对接联系活动 {self.events} 场次，调研企业 {self.firms_surveyed} 家，"
            f"线上发布三张清单信息 {self.items_published} 条，"
            f"引入创新创业人才 {self.talents} 名。"
        )


def _within(day: pendulum.Date, since: pendulum.Date | None, until: pendulum.Date | None) -> bool:
    return (since is None or since <= day) and (until is None or day <= until)


@attrs.frozen(kw_only=True)
class TalentProgramme:
    """A county's talent programme: the three lists, events, surveys, talents and intermediaries.

    Args:
        county_id: The county.
        items: Items of the three lists (三张清单).
        events: Liaison events (对接联系活动).
        firms: Firms the programme works with.
        visits: Survey visits to firms (调研摸排).
        intermediaries: Intermediaries (中介机构、商会、回引站…).
        talents: Talents brought in.

    Raises:
        RuleViolation: an id repeats.
        UnknownReference: a visit, talent or reward names a firm or intermediary
            the programme does not have.
    """

    county_id: str = attrs.field(validator=identifier)
    items: tuple[ListItem, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(ListItem)
    )
    events: tuple[LiaisonEvent, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(LiaisonEvent)
    )
    firms: tuple[Firm, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(Firm)
    )
    visits: tuple[FirmVisit, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(FirmVisit)
    )
    intermediaries: tuple[Intermediary, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(Intermediary)
    )
    talents: tuple[Talent, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(Talent)
    )

    def __attrs_post_init__(self) -> None:
        scope = f"talent programme {self.county_id}"
        require_unique((i.id for i in self.items), what="list item", scope=scope)
        require_unique((e.id for e in self.events), what="event", scope=scope)
        require_unique((f.id for f in self.firms), what="firm", scope=scope)
        require_unique((i.id for i in self.intermediaries), what="intermediary", scope=scope)
        require_unique((t.id for t in self.talents), what="talent", scope=scope)
        firm_ids = {f.id for f in self.firms}
        intermediary_ids = {i.id for i in self.intermediaries}
        for visit in self.visits:
            if visit.firm_id not in firm_ids:
                raise UnknownReference(
                    f"a visit on {visit.on} names firm {visit.firm_id!r}, not in the programme",
                    value=visit.firm_id,
                )
        for talent in self.talents:
            if talent.firm_id is not None and talent.firm_id not in firm_ids:
                raise UnknownReference(
                    f"talent {talent.id} names firm {talent.firm_id!r}, not in the programme",
                    value=talent.firm_id,
                )
            if (
                talent.intermediary_id is not None
                and talent.intermediary_id not in intermediary_ids
            ):
                raise UnknownReference(
                    f"talent {talent.id} names intermediary {talent.intermediary_id!r}, not in"
                    " the programme",
                    value=talent.intermediary_id,
                )

    # --- verbs --------------------------------------------------------------------------

    def publish(self, item: ListItem) -> TalentProgramme:
        """Return the programme with ``item`` published on its list."""
        return attrs.evolve(self, items=(*self.items, item))

    def close_item(self, item_id: str, *, on: pendulum.Date) -> TalentProgramme:
        """Return the programme with list item ``item_id`` closed on ``on``.

        Raises:
            UnknownReference: no such item.
            InvalidTransition: the item is already closed.
            RuleViolation: ``on`` is before the item was published.
        """
        for index, item in enumerate(self.items):
            if item.id == item_id:
                if item.closed_on is not None:
                    raise InvalidTransition(
                        f"list item {item_id} was already closed on {item.closed_on}",
                        value=str(item.closed_on),
                        limit="open",
                        rule="an item is closed once",
                    )
                closed = attrs.evolve(item, closed_on=on)
                return attrs.evolve(
                    self, items=(*self.items[:index], closed, *self.items[index + 1 :])
                )
        raise UnknownReference(f"no list item {item_id!r} in the programme", value=item_id)

    def hold_event(self, event: LiaisonEvent) -> TalentProgramme:
        """Return the programme with a liaison event recorded."""
        return attrs.evolve(self, events=(*self.events, event))

    def add_firm(self, firm: Firm) -> TalentProgramme:
        """Return the programme working with one more firm."""
        return attrs.evolve(self, firms=(*self.firms, firm))

    def visit(self, firm_id: str, *, on: pendulum.Date) -> TalentProgramme:
        """Return the programme with a survey visit to firm ``firm_id`` on ``on``.

        Raises:
            UnknownReference: no such firm.
        """
        return attrs.evolve(self, visits=(*self.visits, FirmVisit(firm_id=firm_id, on=on)))

    def add_intermediary(self, intermediary: Intermediary) -> TalentProgramme:
        """Return the programme working with one more intermediary."""
        return attrs.evolve(self, intermediaries=(*self.intermediaries, intermediary))

    def bring_in(self, talent: Talent) -> TalentProgramme:
        """Return the programme with ``talent`` brought in.

        Raises:
            UnknownReference: the talent names an unknown firm or intermediary.
        """
        return attrs.evolve(self, talents=(*self.talents, talent))

    # --- reports --------------------------------------------------------------------------

    def open_items(
        self, *, on: pendulum.Date, kind: ListKind | None = None
    ) -> tuple[ListItem, ...]:
        """Return the list items open on ``on``, of one list or all three."""
        return tuple(i for i in self.items if i.is_open_on(on) and (kind is None or i.kind is kind))

    def report(
        self, *, since: pendulum.Date | None = None, until: pendulum.Date | None = None
    ) -> TalentReport:
        """Return the programme's figures between ``since`` and ``until``, both inclusive.

        Args:
            since: First day counted; ``None`` counts from the start.
            until: Last day counted; ``None`` counts to the end.
        """
        talents = [t for t in self.talents if _within(t.brought_in_on, since, until)]
        fields = Counter(t.field for t in talents)
        return TalentReport(
            events=sum(1 for e in self.events if _within(e.held_on, since, until)),
            firms_surveyed=len({v.firm_id for v in self.visits if _within(v.on, since, until)}),
            items_published=sum(
                1 for i in self.items if i.online and _within(i.published_on, since, until)
            ),
            items_closed=sum(
                1
                for i in self.items
                if i.closed_on is not None and _within(i.closed_on, since, until)
            ),
            talents=len(talents),
            returning_natives=sum(1 for t in talents if t.origin is TalentOrigin.RETURNING_NATIVE),
            by_field=[
                FieldCount(field=f, talents=n)
                for f, n in sorted(fields.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            named_talents=sorted(
                t.name for t in talents if t.named_in_reports and t.name is not None
            ),
        )

    def rewards(
        self,
        schedule: RewardSchedule,
        *,
        since: pendulum.Date | None = None,
        until: pendulum.Date | None = None,
    ) -> tuple[IntermediaryReward, ...]:
        """Return the reward owed to each intermediary for talents it brought with a key role.

        Rule: 郯城县鼓励引进高层次人才奖励办法 — intermediaries that played a
        direct and key role (起直接、关键作用) are rewarded; the amounts are the
        schedule's, as the county's rules are not public.

        Args:
            schedule: The amounts.
            since: First day of arrival counted; ``None`` counts from the start.
            until: Last day of arrival counted; ``None`` counts to the end.

        Returns:
            One reward per intermediary with at least one eligible talent, in the
            order of `intermediaries`.
        """
        owed: dict[str, list[Talent]] = {}
        for talent in self.talents:
            if (
                talent.intermediary_id is not None
                and talent.intermediary_key_role
                and _within(talent.brought_in_on, since, until)
            ):
                owed.setdefault(talent.intermediary_id, []).append(talent)
        rewards: list[IntermediaryReward] = []
        for intermediary in self.intermediaries:
            talents = owed.get(intermediary.id)
            if not talents:
                continue
            total = sum((schedule.amount_for(t) for t in talents), Decimal(0))
            cap = schedule.cap_per_intermediary
            capped = cap is not None and total > cap
            rewards.append(
                IntermediaryReward(
                    intermediary_id=intermediary.id,
                    talent_ids=[t.id for t in talents],
                    amount=cap if capped and cap is not None else total,
                    capped=capped,
                )
            )
        return tuple(rewards)
