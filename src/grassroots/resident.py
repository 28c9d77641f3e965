"""People: residents (居民), their households (户) and the groups they belong to.

Use this module to say who lives in a compound and which groups they belong
to — the groups that earn points, fill project jobs and attend meetings in the
cases: Party members (full 正式党员 or probationary 预备党员), staff of an
organisation (单位职工), new-employment workers (新就业群体: couriers, riders),
homemakers (家庭主妇), new graduates (毕业大学生) and veterans (退役军人).

Personal data is minimal: an opaque id, a household, a birth date (the age
decides who may attend the residents' meeting) and, optionally, a name. A
resident is named in a report only with an explicit opt-in
(``named_in_reports=True``); every report here uses
[`Resident.report_name`][grassroots.resident.Resident.report_name], which
otherwise gives an anonymous label.

Rule: residents aged 18 or more (十八周岁以上) attend the residents' meeting
(城市居民委员会组织法 art. 9). Personal information is not disclosed without
consent (志愿服务条例 art. 20; 个人信息保护法 art. 25: no publication without separate consent).

Examples:
    >>> import pendulum
    >>> alice = Resident(
    ...     id="r1",
    ...     household_id="h1",
    ...     born_on=pendulum.Date(2008, 5, 4),
    ...     groups=[ResidentGroup.GRADUATE],
    ... )
    >>> alice.is_adult_on(pendulum.Date(2026, 5, 3)), alice.is_adult_on(pendulum.Date(2026, 5, 4))
    (False, True)
    >>> alice.report_name()
    '居民 r1'
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable

import attrs
import pendulum

from grassroots._validators import (
    count,
    flag,
    identifier,
    instances_of,
    names,
    optional_identifier,
    optional_name,
    require_unique,
    to_date,
    to_frozenset,
    to_tuple,
)
from grassroots.errors import RuleViolation

__all__ = [
    "ADULT_AGE",
    "GroupCount",
    "Household",
    "Resident",
    "ResidentGroup",
    "ResidentReport",
    "resident_report",
]

ADULT_AGE = 18
"""十八周岁: the age from which a resident attends and votes at the residents' meeting.

Source: 城市居民委员会组织法 (2018) art. 9; 民法典 art. 17 (adults are 18 or more).
"""

CONSENT_RULE = "志愿服务条例 art. 20; 个人信息保护法 art. 25: no publication without consent"
"""The rule cited when a resident would be named without an opt-in."""


class ResidentGroup(enum.Enum):
    """A group a resident belongs to, as the cases count them."""

    PARTY_MEMBER_FULL = "party_member_full"
    """正式党员: a full member of the Communist Party of China."""
    PARTY_MEMBER_PROBATIONARY = "party_member_probationary"
    """预备党员: a probationary member (no vote, 党章 art. 7)."""
    ORGANISATION_STAFF = "organisation_staff"
    """单位职工: staff of an organisation (机关、企事业单位) registered in the community."""
    NEW_EMPLOYMENT_WORKER = "new_employment_worker"
    """新就业群体: couriers, delivery riders, ride-hailing drivers."""
    HOMEMAKER = "homemaker"
    """家庭主妇: a homemaker, hired first by the projects in the Tancheng case."""
    GRADUATE = "graduate"
    """毕业大学生: a new university graduate, hired first by the projects in the Tancheng case."""
    VETERAN = "veteran"
    """退役军人: a veteran."""

    @property
    def zh(self) -> str:
        """The Chinese name of the group."""
        return _GROUP_ZH[self]


_GROUP_ZH = {
    ResidentGroup.PARTY_MEMBER_FULL: "正式党员",
    ResidentGroup.PARTY_MEMBER_PROBATIONARY: "预备党员",
    ResidentGroup.ORGANISATION_STAFF: "单位职工",
    ResidentGroup.NEW_EMPLOYMENT_WORKER: "新就业群体",
    ResidentGroup.HOMEMAKER: "家庭主妇",
    ResidentGroup.GRADUATE: "毕业大学生",
    ResidentGroup.VETERAN: "退役军人",
}


@attrs.frozen(kw_only=True)
class Household:
    """A household (户): the people registered at one dwelling of a compound.

    Args:
        id: Stable, opaque id.
        subcommunity_id: The compound (小区) it lives in.
        unit_id: The unit (单元) of its dwelling, if recorded.
    """

    id: str = attrs.field(validator=identifier)
    subcommunity_id: str = attrs.field(validator=identifier)
    unit_id: str | None = attrs.field(default=None, validator=optional_identifier)


@attrs.frozen(kw_only=True)
class Resident:
    """A resident (居民) of a compound, with the least personal data the rules need.

    Rule: named in reports only with ``named_in_reports``; 18 or more attend the
    residents' meeting.

    Source: 城市居民委员会组织法 (2018) art. 9; 志愿服务条例 art. 20; 个人信息保护法 art. 25.

    Args:
        id: Stable, opaque id. Never an identity-card number or a phone number.
        household_id: The household (户) the resident belongs to.
        born_on: Date of birth; the age decides who attends the residents' meeting.
        groups: The groups the resident belongs to.
        name: The resident's name, if the community keeps it; shown in reports
            only with ``named_in_reports``.
        named_in_reports: The resident's explicit opt-in to being named in
            reports and on honour boards. Off unless given.

    Raises:
        RuleViolation: the resident is both a full and a probationary Party
            member, or opts in to being named without a name.
    """

    id: str = attrs.field(validator=identifier)
    household_id: str = attrs.field(validator=identifier)
    born_on: pendulum.Date = attrs.field(converter=to_date)
    groups: frozenset[ResidentGroup] = attrs.field(default=frozenset(), converter=to_frozenset)
    name: str | None = attrs.field(default=None, validator=optional_name)
    named_in_reports: bool = attrs.field(default=False, validator=flag)

    @groups.validator
    def _check_groups(
        self, _attribute: attrs.Attribute[frozenset[ResidentGroup]], value: frozenset[ResidentGroup]
    ) -> None:
        for group in value:
            if not isinstance(group, ResidentGroup):
                raise TypeError(f"groups must be ResidentGroup values, not {group!r}")
        both = {ResidentGroup.PARTY_MEMBER_FULL, ResidentGroup.PARTY_MEMBER_PROBATIONARY}
        if both <= value:
            raise RuleViolation(
                f"resident {self.id} is both a full and a probationary Party member",
                value=sorted(g.value for g in both),
                limit="one of them",
                rule="党章 art. 7: a probationary member becomes full on confirmation",
            )

    def __attrs_post_init__(self) -> None:
        if self.named_in_reports and self.name is None:
            raise RuleViolation(
                f"resident {self.id} opts in to being named but has no name",
                value=None,
                limit="a name",
                rule=CONSENT_RULE,
            )

    def age_on(self, on: pendulum.Date) -> int:
        """Return the age in full years (周岁) on ``on``.

        A person born on 29 February completes a year on 1 March in common years.

        Raises:
            RuleViolation: ``on`` is before the date of birth.
        """
        on = to_date(on)
        if on < self.born_on:
            raise RuleViolation(
                f"date {on} is before resident {self.id}'s birth",
                value=str(on),
                limit=str(self.born_on),
                rule="an age is counted from the date of birth",
            )
        years = on.year - self.born_on.year
        if (on.month, on.day) < (self.born_on.month, self.born_on.day):
            years -= 1
        return years

    def is_adult_on(self, on: pendulum.Date, *, adult_age: int = ADULT_AGE) -> bool:
        """Return whether the resident is ``adult_age`` or older on ``on``.

        Rule: 十八周岁以上 (inclusive, 民法典 art. 1259) attend the residents'
        meeting (城市居民委员会组织法 art. 9).

        Args:
            on: The day, such as the day of the meeting.
            adult_age: The age of majority; default
                [`ADULT_AGE`][grassroots.resident.ADULT_AGE] (18).
        """
        return on >= self.born_on and self.age_on(on) >= adult_age

    @property
    def is_party_member(self) -> bool:
        """Whether the resident is a full or probationary Party member."""
        return bool(
            self.groups & {ResidentGroup.PARTY_MEMBER_FULL, ResidentGroup.PARTY_MEMBER_PROBATIONARY}
        )

    def report_name(self) -> str:
        """Return how reports show this resident: the name only with the opt-in.

        Examples:
            >>> import pendulum
            >>> lin = Resident(
            ...     id="r7",
            ...     household_id="h3",
            ...     born_on=pendulum.Date(1970, 1, 1),
            ...     name="林某",
            ... )
            >>> lin.report_name(), attrs.evolve(lin, named_in_reports=True).report_name()
            ('居民 r7', '林某')
        """
        if self.named_in_reports and self.name is not None:
            return self.name
        return f"居民 {self.id}"

    def opt_in(self) -> Resident:
        """Return this resident with the opt-in to being named in reports."""
        return attrs.evolve(self, named_in_reports=True)

    def opt_out(self) -> Resident:
        """Return this resident without the opt-in; reports stop naming them."""
        return attrs.evolve(self, named_in_reports=False)


@attrs.frozen(kw_only=True)
class GroupCount:
    """How many residents belong to one group."""

    group: ResidentGroup = attrs.field(validator=attrs.validators.instance_of(ResidentGroup))
    residents: int = attrs.field(validator=count)


@attrs.frozen(kw_only=True)
class ResidentReport:
    """Counts of residents on a day, naming only those who opted in.

    Args:
        on: The day counted.
        residents: Residents counted.
        adults: Residents aged [`ADULT_AGE`][grassroots.resident.ADULT_AGE] or more on ``on``.
        households: Distinct households.
        by_group: Residents per group, in the order of
            [`ResidentGroup`][grassroots.resident.ResidentGroup].
        named: Names of the residents who opted in to being named, sorted.
    """

    on: pendulum.Date = attrs.field(converter=to_date)
    residents: int = attrs.field(validator=count)
    adults: int = attrs.field(validator=count)
    households: int = attrs.field(validator=count)
    by_group: tuple[GroupCount, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(GroupCount)
    )
    named: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=names)

    def group(self, group: ResidentGroup) -> int:
        """Return the number of residents in ``group``."""
        for line in self.by_group:
            if line.group is group:
                return line.residents
        return 0


def resident_report(
    residents: Iterable[Resident], *, on: pendulum.Date, adult_age: int = ADULT_AGE
) -> ResidentReport:
    """Count residents, adults, households and groups on ``on``; name only the opted-in.

    Rule: no resident is named without consent (志愿服务条例 art. 20; 个人信息保护法 art. 25).

    Args:
        residents: The residents, each once.
        on: The day of the count (ages are taken on it).
        adult_age: The age of majority; default [`ADULT_AGE`][grassroots.resident.ADULT_AGE] (18).

    Raises:
        RuleViolation: a resident id repeats.

    Examples:
        >>> import pendulum
        >>> people = [
        ...     Resident(
        ...         id="r1",
        ...         household_id="h1",
        ...         born_on=pendulum.Date(1980, 1, 1),
        ...         groups=[ResidentGroup.PARTY_MEMBER_FULL],
        ...         name="叶某",
        ...         named_in_reports=True,
        ...     ),
        ...     Resident(
        ...         id="r2", household_id="h1", born_on=pendulum.Date(2015, 1, 1), name="小叶"
        ...     ),
        ... ]
        >>> report = resident_report(people, on=pendulum.Date(2026, 1, 1))
        >>> report.adults, report.households, report.named
        (1, 1, ('叶某',))
    """
    people = to_tuple(residents)
    require_unique((r.id for r in people), what="resident", scope="the report")
    on = to_date(on)
    tally: Counter[ResidentGroup] = Counter(g for r in people for g in r.groups)
    return ResidentReport(
        on=on,
        residents=len(people),
        adults=sum(1 for r in people if r.is_adult_on(on, adult_age=adult_age)),
        households=len({r.household_id for r in people}),
        by_group=[GroupCount(group=g, residents=tally[g]) for g in ResidentGroup if tally[g]],
        named=sorted(r.report_name() for r in people if r.named_in_reports),
    )
