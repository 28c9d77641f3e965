"""Party branches (党支部) of residential compounds, their rules, and a county's coverage report.

Use this module to record a [`PartyBranch`][grassroots.branch.PartyBranch] — its members, secretary
and
committee, the compounds it covers — and to check it against the 中国共产党支部
工作条例（试行） (2018), the intra-Party rules on branches; and to check with
[`coverage_report()`][grassroots.branch.coverage_report] that every compound of a county is covered
by exactly
one branch.

Two kinds of branch matter here. A compound branch (实体化小区党支部) is set
up in residential compounds; one may cover several compounds (Tancheng: 50
branches cover 124 commercial-residential compounds), which makes it a
*regional* branch, not a joint one. A joint branch (联合党支部) joins units
(单位, organisations) that each have fewer than 3 full members.

Intra-Party rules are kept apart from state law: they bind the Party's
organisations, and the library cites them as such.

Hard rules (a constructor or verb raises):

- at least 3 full members (正式党员3人以上) — art. 4
([`BranchTooSmall`][grassroots.errors.BranchTooSmall]);
- no committee below 7 full members; a committee has at least 3 members, all
  full members of the branch — ch. 6 ([`InvalidCommittee`][grassroots.errors.InvalidCommittee]);
- probationary members (预备党员) neither vote nor hold office — 党章 art. 7
  ([`NoVotingRight`][grassroots.errors.NoVotingRight]);
- a member-assembly decision needs half or more of the voting members present
  and passes with more than half of the voting members who should attend —
  art. 11 ([`QuorumNotMet`][grassroots.errors.QuorumNotMet]).

Soft rules ([`PartyBranch.findings()`][grassroots.branch.PartyBranch.findings] reports them; a
branch may exist
while they are open):

- 7 or more full members and no committee yet; a committee above 5 (usual) or
  above 7 (normal maximum) — ch. 6;
- no secretary; a secretary outside a committee that exists — ch. 6;
- more than 50 members (a general branch may be formed); 100 or more (a base
  committee may be formed) — art. 4, 农村基层组织工作条例 art. 5 and practice;
- a joint branch over more than 5 units, or with a unit that has 3 full
  members of its own — art. 5;
- the term (5 years for community branches) has run out — art. 21.

Examples:
    >>> import pendulum
    >>> day = pendulum.Date(2023, 3, 1)
    >>> branch = PartyBranch(
    ...     id="b01",
    ...     name="幸福里小区党支部",
    ...     coverage=["x001", "x002", "x003"],
    ...     members=[
    ...         BranchMember(person_id=f"p{n}", status=MemberStatus.FULL, joined_on=day)
    ...         for n in range(1, 6)
    ...     ],
    ...     secretary=Officer(person_id="p1", source=SecretarySource.TOWN_STREET_STAFF, since=day),
    ...     formed_on=day,
    ... )
    >>> branch.full_member_count, branch.renewal_due_on
    (5, Date(2028, 3, 1))
    >>> branch.findings(on=pendulum.Date(2026, 1, 1))
    ()
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from fractions import Fraction
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
    to_optional_date,
    to_tuple,
)
from grassroots._validators import name as name_text
from grassroots._validators import text as free_text
from grassroots.audit import Finding
from grassroots.errors import (
    BranchTooLarge,
    BranchTooSmall,
    CoverageGap,
    CoverageOutsideCounty,
    DoubleCoverage,
    InvalidCommittee,
    InvalidJointBranch,
    InvalidTransition,
    InvalidValue,
    MeetingOverdue,
    NoVotingRight,
    QuorumNotMet,
    RuleViolation,
    TermExpired,
    UnknownReference,
)
from grassroots.subcommunity import County, SubcommunityKind
from grassroots.threshold import Base, Threshold

# Named, typed views of the shared collection converters (the attrs mypy plugin
# reads a converter's type only from a named function).


def _id_set(value: Iterable[str]) -> frozenset[str]:
    return to_frozenset(value)


def _id_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(value)


def _kind_set(value: Iterable[AbsenceKind]) -> frozenset[AbsenceKind]:
    return to_frozenset(value)


def _member_tuple(value: Iterable[BranchMember]) -> tuple[BranchMember, ...]:
    return to_tuple(value)


def _absence_tuple(value: Iterable[Absence]) -> tuple[Absence, ...]:
    return to_tuple(value)


def _coverageline_tuple(value: Iterable[CoverageLine]) -> tuple[CoverageLine, ...]:
    return to_tuple(value)


def _coverageoutside_tuple(value: Iterable[CoverageOutside]) -> tuple[CoverageOutside, ...]:
    return to_tuple(value)


def _sourcecount_tuple(value: Iterable[SourceCount]) -> tuple[SourceCount, ...]:
    return to_tuple(value)


__all__ = [
    "ALLOWED_ABSENCE_KINDS",
    "ASSEMBLY_EVERY_MONTHS",
    "ASSEMBLY_PASSING",
    "ASSEMBLY_QUORUM",
    "BASE_COMMITTEE_FROM_MEMBERS",
    "COMMITTEE_FROM_FULL_MEMBERS",
    "COMMITTEE_MEETING_EVERY_MONTHS",
    "COMMITTEE_MEETING_QUORUM",
    "COMMITTEE_SIZE_MAX",
    "COMMITTEE_SIZE_MIN",
    "COMMITTEE_SIZE_USUAL_MAX",
    "COMMUNITY_BRANCH_RULES",
    "COMMUNITY_BRANCH_TERM_YEARS",
    "JOINT_BRANCH_MAX_UNITS",
    "MIN_FULL_MEMBERS",
    "OTHER_BRANCH_RULES",
    "OTHER_BRANCH_TERM_YEARS",
    "USUAL_MAX_MEMBERS",
    "Absence",
    "AbsenceKind",
    "AssemblyDecision",
    "BranchKind",
    "BranchMeeting",
    "BranchMember",
    "BranchRules",
    "CoverageLine",
    "CoverageOutside",
    "CoverageReport",
    "MeetingKind",
    "MemberStatus",
    "Officer",
    "PartyBranch",
    "SecretarySource",
    "SourceCount",
    "coverage_report",
]

# --- the rules and their sources ---------------------------------------------------

RULE_FORM = (
    "支部工作条例 art. 4: a branch needs 3 or more full members (正式党员3人以上)"
    " (docs: rules, organisation)"
)
RULE_SIZE = (
    "支部工作条例 art. 4: a branch normally has at most 50 members (一般不超过50人)"
    " (docs: rules, organisation)"
)
RULE_GENERAL = (
    "农村基层组织工作条例 art. 5 and practice: over 50 members may form a general branch"
    " (党总支), 100 or more a base committee (基层党委), with approval"
    " (docs: rules, organisation)"
)
RULE_JOINT = (
    "支部工作条例 art. 5: units with fewer than 3 full members form a joint branch"
    " (联合党支部) covering normally at most 5 units"
    " (docs: rules, organisation)"
)
RULE_COMMITTEE = (
    "支部工作条例 ch. 6: 7 or more full members elect a committee of 3 to 5 (normally at"
    " most 7); fewer have a secretary and, if needed, a deputy"
    " (docs: rules, organisation)"
)
RULE_TERM = (
    "支部工作条例 art. 21: community branches serve 5-year terms, other branches 3"
    " (docs: rules, organisation)"
)
RULE_ASSEMBLY = (
    "支部工作条例 art. 11: half or more of the voting members present (半数以上到会);"
    " passes with more than half of the voting members who should attend"
    " (docs: rules, organisation)"
)
RULE_VOTE = (
    "党章 art. 7: probationary members (预备党员) have no vote and cannot stand"
    " (docs: rules, organisation)"
)
RULE_COVERAGE = (
    "each compound (小区) is covered by exactly one party branch (Tancheng: 全覆盖)"
    " (docs: rules, organisation)"
)
RULE_SHOULD_ATTEND = (
    "支部工作条例 art. 11 and the Organisation Department's guidance: an absent member leaves"
    " the base of those who should attend (应到会) only for an allowed kind of absence approved"
    " by the higher Party organisation (docs: rules, organisation)"
)
RULE_SECRETARY = (
    "支部工作条例 art. 21: the secretary is reported to and approved by the higher Party"
    " organisation, which may also appoint one (docs: rules, organisation)"
)
RULE_ASSEMBLY_CADENCE = (
    "支部工作条例 art. 11: the member assembly (党员大会) meets normally once a quarter"
    " (docs: rules, organisation)"
)
RULE_COMMITTEE_MEETING = (
    "支部工作条例 art. 12: the branch committee meets normally once a month, with half or more"
    " of its members present (docs: rules, organisation)"
)

MIN_FULL_MEMBERS = 3
"""正式党员3人以上: full members needed to form a branch (inclusive).

Source: 支部工作条例 art. 4.
"""

USUAL_MAX_MEMBERS = 50
"""一般不超过50人: members a branch normally has at most; above, a general branch may be formed.

Source: 支部工作条例 art. 4; 农村基层组织工作条例 art. 5 and practice (超过50人, strict).
"""

BASE_COMMITTEE_FROM_MEMBERS = 100
"""100人以上: members from which a base committee (基层党委) may be formed, with approval.

Source: 农村基层组织工作条例 art. 5 and practice (inclusive).
"""

COMMITTEE_FROM_FULL_MEMBERS = 7
"""正式党员7人以上: full members from which a branch committee is required (inclusive).

Source: 支部工作条例 ch. 6.
"""

COMMITTEE_SIZE_MIN = 3
"""由3至5人组成: the smallest committee. Source: 支部工作条例 ch. 6."""

COMMITTEE_SIZE_USUAL_MAX = 5
"""由3至5人组成: the usual largest committee. Source: 支部工作条例 ch. 6."""

COMMITTEE_SIZE_MAX = 7
"""一般不超过7人: the normal largest committee. Source: 支部工作条例 ch. 6."""

JOINT_BRANCH_MAX_UNITS = 5
"""一般不超过5个: units a joint branch normally covers at most. Source: 支部工作条例 art. 5."""

COMMUNITY_BRANCH_TERM_YEARS = 5
"""村、社区党支部每届任期5年: the term of village and community branches.

Source: 支部工作条例 art. 21.
"""

OTHER_BRANCH_TERM_YEARS = 3
"""其他党支部每届任期3年: the term of other branches. Source: 支部工作条例 art. 21."""

ASSEMBLY_QUORUM = Threshold(ratio=Fraction(1, 2), base=Base.ALL_ELIGIBLE, inclusive=True)
"""半数以上有表决权的党员到会: half or more of all voting members present (inclusive).

Source: 支部工作条例 art. 11; "以上" includes the half (民法典 art. 1259).
"""

ASSEMBLY_PASSING = Threshold(ratio=Fraction(1, 2), base=Base.ALL_ELIGIBLE, inclusive=False)
"""超过应到会有表决权的党员的半数: more than half of the voting members who should attend.

Source: 支部工作条例 art. 11; "超过" excludes the half (民法典 art. 1259).
"""


COMMITTEE_MEETING_QUORUM = Threshold(ratio=Fraction(1, 2), base=Base.ALL_ELIGIBLE, inclusive=True)
"""半数以上委员到会: half or more of the committee members present at a committee meeting.

Source: 支部工作条例 art. 12; "以上" includes the half (民法典 art. 1259).
"""

ASSEMBLY_EVERY_MONTHS = 3
"""党员大会一般每季度召开1次: the member assembly meets normally once a quarter.

Source: 支部工作条例 art. 11. A calendar quarter without an assembly is reported.
"""

COMMITTEE_MEETING_EVERY_MONTHS = 1
"""支部委员会会议一般每月召开1次: the committee meets normally once a month.

Source: 支部工作条例 art. 12. A calendar month without a committee meeting is reported
for a branch that has a committee.
"""


class AbsenceKind(enum.Enum):
    """Why a member with a vote is absent from a member assembly.

    Only the kinds in [`BranchRules.absences_leaving_base`][grassroots.branch.BranchRules]
    (by default [`ALLOWED_ABSENCE_KINDS`][grassroots.branch.ALLOWED_ABSENCE_KINDS]), approved
    by the higher Party organisation, take a member out of the base of those who
    should attend (应到会); every other absence still counts against a motion.
    """

    LONG_ILLNESS = "long_illness"
    """因病长期不能参加: a long illness."""
    WORKING_AWAY = "working_away"
    """外出务工经商、工作: working away from the branch for a long time."""
    STUDYING_AWAY = "studying_away"
    """外出学习: studying away from the branch for a long time."""
    ABROAD = "abroad"
    """出国（境）: abroad for a long time."""
    OTHER = "other"
    """Any other reason (business that day, travel): the member still should attend."""


ALLOWED_ABSENCE_KINDS: frozenset[AbsenceKind] = frozenset(
    {
        AbsenceKind.LONG_ILLNESS,
        AbsenceKind.WORKING_AWAY,
        AbsenceKind.STUDYING_AWAY,
        AbsenceKind.ABROAD,
    }
)
"""The kinds of absence that may leave the base of those who should attend (应到会).

Source: 支部工作条例 art. 11 read with the Organisation Department's guidance (long
illness, working or studying away for long, abroad, and the like), each with the
higher organisation's approval. Data, not law: a county whose guidance differs
passes its own set as ``BranchRules.absences_leaving_base``.
"""


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    count(_instance, attribute, value)
    if value < 1:
        raise RuleViolation(
            f"{attribute.name} {value} is below 1",
            value=value,
            limit=1,
            rule="branch rule parameters are positive counts",
        )


@attrs.frozen(kw_only=True)
class BranchRules:
    """The parameters of the branch rules, each defaulting to the 2018 条例 value.

    Args:
        min_full_members: Full members to form a branch; default
            `MIN_FULL_MEMBERS` (art. 4).
        usual_max_members: Members a branch normally has at most; default
            `USUAL_MAX_MEMBERS` (art. 4).
        base_committee_from_members: Default `BASE_COMMITTEE_FROM_MEMBERS`.
        committee_from_full_members: Default `COMMITTEE_FROM_FULL_MEMBERS` (ch. 6).
        committee_size_min: Default `COMMITTEE_SIZE_MIN` (ch. 6).
        committee_size_usual_max: Default `COMMITTEE_SIZE_USUAL_MAX` (ch. 6).
        committee_size_max: Default `COMMITTEE_SIZE_MAX` (ch. 6).
        joint_branch_max_units: Default `JOINT_BRANCH_MAX_UNITS` (art. 5).
        term_years: Default `COMMUNITY_BRANCH_TERM_YEARS` (art. 21); use
            `OTHER_BRANCH_RULES` for 3 years.
        assembly_quorum: Default `ASSEMBLY_QUORUM` (art. 11).
        assembly_passing: Default `ASSEMBLY_PASSING` (art. 11).
        absences_leaving_base: Kinds of approved absence that leave the base
            of those who should attend; default `ALLOWED_ABSENCE_KINDS` (art. 11).
        assembly_every_months: Default `ASSEMBLY_EVERY_MONTHS` (art. 11).
        committee_meeting_every_months: Default `COMMITTEE_MEETING_EVERY_MONTHS` (art. 12).
        committee_meeting_quorum: Default `COMMITTEE_MEETING_QUORUM` (art. 12).

    Raises:
        RuleViolation: a count is below 1, or the committee sizes are out of order.
    """

    min_full_members: int = attrs.field(default=MIN_FULL_MEMBERS, validator=_positive)
    usual_max_members: int = attrs.field(default=USUAL_MAX_MEMBERS, validator=_positive)
    base_committee_from_members: int = attrs.field(
        default=BASE_COMMITTEE_FROM_MEMBERS, validator=_positive
    )
    committee_from_full_members: int = attrs.field(
        default=COMMITTEE_FROM_FULL_MEMBERS, validator=_positive
    )
    committee_size_min: int = attrs.field(default=COMMITTEE_SIZE_MIN, validator=_positive)
    committee_size_usual_max: int = attrs.field(
        default=COMMITTEE_SIZE_USUAL_MAX, validator=_positive
    )
    committee_size_max: int = attrs.field(default=COMMITTEE_SIZE_MAX, validator=_positive)
    joint_branch_max_units: int = attrs.field(default=JOINT_BRANCH_MAX_UNITS, validator=_positive)
    term_years: int = attrs.field(default=COMMUNITY_BRANCH_TERM_YEARS, validator=_positive)
    assembly_quorum: Threshold = attrs.field(
        default=ASSEMBLY_QUORUM, validator=attrs.validators.instance_of(Threshold)
    )
    assembly_passing: Threshold = attrs.field(
        default=ASSEMBLY_PASSING, validator=attrs.validators.instance_of(Threshold)
    )
    absences_leaving_base: frozenset[AbsenceKind] = attrs.field(
        default=ALLOWED_ABSENCE_KINDS,
        converter=_kind_set,
        validator=attrs.validators.deep_iterable(attrs.validators.instance_of(AbsenceKind)),
    )
    assembly_every_months: int = attrs.field(default=ASSEMBLY_EVERY_MONTHS, validator=_positive)
    committee_meeting_every_months: int = attrs.field(
        default=COMMITTEE_MEETING_EVERY_MONTHS, validator=_positive
    )
    committee_meeting_quorum: Threshold = attrs.field(
        default=COMMITTEE_MEETING_QUORUM, validator=attrs.validators.instance_of(Threshold)
    )

    def __attrs_post_init__(self) -> None:
        sizes = (self.committee_size_min, self.committee_size_usual_max, self.committee_size_max)
        if not sizes[0] <= sizes[1] <= sizes[2]:
            raise RuleViolation(
                f"committee sizes {sizes} are not in order (minimum <= usual <= normal maximum)",
                value=sizes,
                limit="minimum <= usual maximum <= maximum",
                rule=RULE_COMMITTEE,
            )


COMMUNITY_BRANCH_RULES = BranchRules()
"""The 2018 条例 rules for a community (and compound) branch: 5-year term."""

OTHER_BRANCH_RULES = BranchRules(term_years=OTHER_BRANCH_TERM_YEARS)
"""The 2018 条例 rules for other branches: 3-year term."""


class BranchKind(enum.Enum):
    """The kind of party branch."""

    COMPOUND = "compound"
    """实体化小区党支部: a branch set up in one or more residential compounds."""
    JOINT = "joint"
    """联合党支部: a branch joining units with fewer than 3 full members each."""

    @property
    def zh(self) -> str:
        """The Chinese name of the kind."""
        return {"compound": "实体化小区党支部", "joint": "联合党支部"}[self.value]


class MemberStatus(enum.Enum):
    """A member's standing in the Party."""

    FULL = "full"
    """正式党员: votes, elects and may be elected."""
    PROBATIONARY = "probationary"
    """预备党员: takes part but has no vote (党章 art. 7)."""


class SecretarySource(enum.Enum):
    """Where a compound branch's secretary comes from (the Tancheng case's three sources)."""

    TOWN_STREET_STAFF = "town_street_staff"
    """乡镇（街道）在编在岗人员: town or street staff on the payroll and in post."""
    COMMUNITY_WORKER = "community_worker"
    """社区专职工作者: a full-time community worker."""
    VETERAN_PUBLIC_WELFARE = "veteran_public_welfare"
    """退役军人公益性岗位人员: a veteran in a public-welfare post."""
    OTHER = "other"
    """Any other source, such as a resident Party member elected by the branch."""

    @property
    def zh(self) -> str:
        """The Chinese name of the source."""
        return {
            "town_street_staff": "乡镇（街道）在编在岗人员",
            "community_worker": "社区专职工作者",
            "veteran_public_welfare": "退役军人公益性岗位人员",
            "other": "其他",
        }[self.value]


@attrs.frozen(kw_only=True)
class BranchMember:
    """A member of a branch: full (正式党员) or probationary (预备党员), with the date joined.

    Args:
        person_id: Stable id of the person (a resident id where the member lives
            in the compound).
        status: Full or probationary.
        joined_on: The day the person joined the Party (for a probationary
            member, the day admitted).
        full_on: The day a probationary member became full, if known.
        unit: For a joint branch, the unit (单位) the member belongs to.
    """

    person_id: str = attrs.field(validator=identifier)
    status: MemberStatus = attrs.field(validator=attrs.validators.instance_of(MemberStatus))
    joined_on: pendulum.Date = attrs.field(converter=to_date)
    full_on: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    unit: str | None = attrs.field(default=None, validator=optional_identifier)

    def __attrs_post_init__(self) -> None:
        if self.full_on is not None:
            if self.status is MemberStatus.PROBATIONARY:
                raise RuleViolation(
                    f"member {self.person_id} is probationary but has a full-membership date"
                    f" {self.full_on}",
                    value=str(self.full_on),
                    limit=None,
                    rule=RULE_VOTE,
                )
            if self.full_on < self.joined_on:
                raise RuleViolation(
                    f"member {self.person_id} became full on {self.full_on}, before joining on"
                    f" {self.joined_on}",
                    value=str(self.full_on),
                    limit=str(self.joined_on),
                    rule="党章 art. 7: full membership follows the probation",
                )

    @property
    def votes(self) -> bool:
        """Whether the member has a vote (full members only)."""
        return self.status is MemberStatus.FULL


@attrs.frozen(kw_only=True)
class Officer:
    """A branch secretary (书记) or deputy secretary (副书记), and where they come from.

    The higher Party organisation approves a secretary and may appoint one
    (选派), so a secretary need not be a member of the branch (Tancheng chose
    secretaries from town and street staff, community workers and veterans).

    Rule: 支部工作条例 art. 21 — the secretary is reported to the higher Party
    organisation for approval (报上级党组织批准), and the higher organisation may
    appoint one (上级党组织可以指派); the record keeps who approved or appointed.

    Args:
        person_id: Stable id of the person.
        source: Where the officer comes from.
        since: First day in office.
        approved_by: The id of the higher Party organisation that approved (or
            appointed) the officer, once it has; ``None`` while not recorded.
        appointed: Whether the higher organisation appointed the officer (指派,
            选派) rather than approving the branch's choice; needs ``approved_by``.

    Raises:
        RuleViolation: ``appointed`` without ``approved_by``.
    """

    person_id: str = attrs.field(validator=identifier)
    source: SecretarySource = attrs.field(
        default=SecretarySource.OTHER, validator=attrs.validators.instance_of(SecretarySource)
    )
    since: pendulum.Date = attrs.field(converter=to_date)
    approved_by: str | None = attrs.field(default=None, validator=optional_identifier)
    appointed: bool = attrs.field(default=False, validator=flag)

    def __attrs_post_init__(self) -> None:
        if self.appointed and self.approved_by is None:
            raise RuleViolation(
                f"officer {self.person_id} is recorded as appointed but not by whom;"
                f" {RULE_SECRETARY}",
                value=None,
                limit="the id of the higher Party organisation",
                rule=RULE_SECRETARY,
            )

    @property
    def approved(self) -> bool:
        """Whether the higher Party organisation's approval (or appointment) is recorded."""
        return self.approved_by is not None


@attrs.frozen(kw_only=True)
class Absence:
    """A voting member's absence from a member assembly, and whether it was approved.

    Rule: 支部工作条例 art. 11 — the passing base is the voting members who
    should attend (应到会); an absence takes a member out of it only when it is
    of an allowed kind (``BranchRules.absences_leaving_base``) and approved by
    the higher Party organisation. A member who comes anyway is present and
    should attend.

    Args:
        person_id: The absent member.
        kind: Why the member is absent; default
            [`AbsenceKind.OTHER`][grassroots.branch.AbsenceKind].
        approved_by: The id of the higher Party organisation that approved the
            absence; ``None`` when not approved.
    """

    person_id: str = attrs.field(validator=identifier)
    kind: AbsenceKind = attrs.field(
        default=AbsenceKind.OTHER, validator=attrs.validators.instance_of(AbsenceKind)
    )
    approved_by: str | None = attrs.field(default=None, validator=optional_identifier)

    def leaves_base(self, rules: BranchRules) -> bool:
        """Whether this absence takes the member out of the base under ``rules``."""
        return self.approved_by is not None and self.kind in rules.absences_leaving_base


def _absence(value: object) -> Absence:
    if isinstance(value, Absence):
        return value
    if isinstance(value, str):
        return Absence(person_id=value)
    raise TypeError(f"an absence is an Absence or a member id, not {type(value).__name__}")


def _absences(value: Iterable[object]) -> tuple[Absence, ...]:
    return tuple(_absence(item) for item in to_tuple(value))


class MeetingKind(enum.Enum):
    """The kind of a branch meeting recorded for the cadence of arts 11 and 12."""

    ASSEMBLY = "assembly"
    """党员大会: the member assembly (art. 11)."""
    COMMITTEE = "committee"
    """支部委员会会议: the branch committee meeting (art. 12)."""


@attrs.frozen(kw_only=True)
class BranchMeeting:
    """A meeting a branch held: an assembly or a committee meeting, and who was present.

    Made by [`PartyBranch.committee_meeting`][grassroots.branch.PartyBranch.committee_meeting]
    or [`AssemblyDecision.meeting`][grassroots.branch.AssemblyDecision.meeting], and read by
    [`PartyBranch.meeting_findings`][grassroots.branch.PartyBranch.meeting_findings].

    Args:
        branch_id: The branch.
        kind: Assembly or committee meeting.
        held_on: The day of the meeting.
        present: Ids of the members present.
        topic: What the meeting dealt with (free text).
    """

    branch_id: str = attrs.field(validator=identifier)
    kind: MeetingKind = attrs.field(validator=attrs.validators.instance_of(MeetingKind))
    held_on: pendulum.Date = attrs.field(converter=to_date)
    present: frozenset[str] = attrs.field(
        default=frozenset(), converter=_id_set, validator=identifiers
    )
    topic: str = attrs.field(default="", validator=free_text)


def _period_index(day: pendulum.Date, months: int) -> int:
    return (day.year * 12 + day.month - 1) // months


def _period_start(index: int, months: int) -> tuple[int, int]:
    first = index * months
    return first // 12, first % 12 + 1


def _periods_without(
    held: Iterable[pendulum.Date], *, since: pendulum.Date, on: pendulum.Date, months: int
) -> list[tuple[int, int]]:
    """Return the whole calendar periods from ``since``, ended before ``on``, with no meeting."""
    first = _period_index(since, months)
    if since.day != 1 or (since.year * 12 + since.month - 1) % months:
        first += 1  # a period the branch did not see from its start is not judged
    last = _period_index(on, months) - 1  # the period holding ``on`` has not ended
    met = {_period_index(day, months) for day in held}
    return [_period_start(i, months) for i in range(first, last + 1) if i not in met]


def _formed_on(branch: PartyBranch) -> pendulum.Date:
    return branch.formed_on


@attrs.frozen(kw_only=True)
class PartyBranch:
    """A party branch (党支部): members, secretary, committee, and the compounds it covers.

    Rule: at least 3 full members; a committee from 7 full members, otherwise a
    secretary; probationary members hold no office (see the module for all).

    Source: 中国共产党支部工作条例（试行） (2018) arts 4, 5, 11, 21 and ch. 6;
    党章 art. 7; the Tancheng case for the secretary sources.

    Args:
        id: Stable id.
        name: Chinese name, such as ``"幸福里小区党支部"``.
        kind: Compound branch (实体化小区党支部, default) or joint branch (联合党支部).
        coverage: Ids of the compounds (小区) the branch covers; a compound branch
            covers at least one. One branch may cover several.
        units: For a joint branch, the ids of the units (单位) it joins (two or more).
        members: Full and probationary members, each once.
        secretary: The secretary (书记), with the source.
        deputy: The deputy secretary (副书记), if any.
        committee: Person ids of the branch committee (支部委员会), if one is elected.
        formed_on: The day the branch was formed.
        term_started_on: The first day of the current term (the last election);
            defaults to ``formed_on``.
        rules: The rule parameters; default
            [`COMMUNITY_BRANCH_RULES`][grassroots.branch.COMMUNITY_BRANCH_RULES].

    Raises:
        BranchTooSmall: fewer full members than ``rules.min_full_members`` (art. 4).
        InvalidCommittee: a committee with fewer full members than
            ``rules.committee_from_full_members``, smaller than
            ``rules.committee_size_min``, or with someone not a full member (ch. 6).
        NoVotingRight: a probationary member holds an office (党章 art. 7).
        InvalidJointBranch: a joint branch joins fewer than two units, or has a
            member from outside them (art. 5).
        RuleViolation: a compound branch covers nothing; an id repeats; the
            term starts before the branch was formed.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name_text)
    kind: BranchKind = attrs.field(
        default=BranchKind.COMPOUND, validator=attrs.validators.instance_of(BranchKind)
    )
    coverage: frozenset[str] = attrs.field(
        default=frozenset(), converter=_id_set, validator=identifiers
    )
    units: tuple[str, ...] = attrs.field(default=(), converter=_id_tuple, validator=identifiers)
    members: tuple[BranchMember, ...] = attrs.field(converter=_member_tuple)
    secretary: Officer | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Officer))
    )
    deputy: Officer | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Officer))
    )
    committee: frozenset[str] = attrs.field(
        default=frozenset(), converter=_id_set, validator=identifiers
    )
    formed_on: pendulum.Date = attrs.field(converter=to_date)
    term_started_on: pendulum.Date = attrs.field(
        default=attrs.Factory(_formed_on, takes_self=True), converter=to_date
    )
    rules: BranchRules = attrs.field(
        default=COMMUNITY_BRANCH_RULES, validator=attrs.validators.instance_of(BranchRules)
    )

    def __attrs_post_init__(self) -> None:
        scope = f"党支部 {self.id}"
        require_unique((m.person_id for m in self.members), what="member", scope=scope)
        require_unique(self.units, what="unit", scope=scope)
        self._check_size()
        self._check_kind()
        self._check_offices()
        if self.term_started_on < self.formed_on:
            raise RuleViolation(
                f"党支部 {self.id}: term starts {self.term_started_on}, before the branch was"
                f" formed on {self.formed_on}",
                value=str(self.term_started_on),
                limit=str(self.formed_on),
                rule=RULE_TERM,
            )

    def _check_size(self) -> None:
        full = self.full_member_count
        if full < self.rules.min_full_members:
            raise BranchTooSmall(
                f"党支部 {self.id} has {full} full members; a branch needs at least"
                f" {self.rules.min_full_members} ({RULE_FORM})",
                value=full,
                limit=self.rules.min_full_members,
                rule=RULE_FORM,
            )

    def _check_kind(self) -> None:
        if self.kind is BranchKind.COMPOUND:
            if not self.coverage:
                raise RuleViolation(
                    f"compound branch {self.id} covers no compound; it covers at least one",
                    value=0,
                    limit=1,
                    rule=RULE_COVERAGE,
                )
            return
        if len(self.units) < 2:  # a joint branch joins two units or more
            raise InvalidJointBranch(
                f"joint branch {self.id} joins {len(self.units)} unit(s); a joint branch joins"
                f" two or more ({RULE_JOINT})",
                value=len(self.units),
                limit=2,
                rule=RULE_JOINT,
            )
        for member in self.members:
            if member.unit not in self.units:
                raise InvalidJointBranch(
                    f"member {member.person_id} of joint branch {self.id} is from unit"
                    f" {member.unit!r}, which the branch does not join ({RULE_JOINT})",
                    value=member.unit,
                    limit=list(self.units),
                    rule=RULE_JOINT,
                )

    def _check_offices(self) -> None:
        statuses = {m.person_id: m.status for m in self.members}
        officers = [o for o in (self.secretary, self.deputy) if o is not None]
        if len(officers) == 2 and officers[0].person_id == officers[1].person_id:
            raise InvalidCommittee(
                f"党支部 {self.id}: {officers[0].person_id} cannot be both secretary and deputy",
                value=officers[0].person_id,
                limit="two different people",
                rule=RULE_COMMITTEE,
            )
        for officer in officers:
            if statuses.get(officer.person_id) is MemberStatus.PROBATIONARY:
                raise NoVotingRight(
                    f"党支部 {self.id}: probationary member {officer.person_id} cannot hold"
                    f" office ({RULE_VOTE})",
                    value=officer.person_id,
                    limit=MemberStatus.FULL.value,
                    rule=RULE_VOTE,
                )
        if not self.committee:
            return
        full = self.full_member_count
        if full < self.rules.committee_from_full_members:
            raise InvalidCommittee(
                f"党支部 {self.id} has {full} full members, fewer than"
                f" {self.rules.committee_from_full_members}: it has a secretary, not a"
                f" committee ({RULE_COMMITTEE})",
                value=full,
                limit=self.rules.committee_from_full_members,
                rule=RULE_COMMITTEE,
            )
        if len(self.committee) < self.rules.committee_size_min:
            raise InvalidCommittee(
                f"党支部 {self.id}: a committee of {len(self.committee)} is below the minimum"
                f" {self.rules.committee_size_min} ({RULE_COMMITTEE})",
                value=len(self.committee),
                limit=self.rules.committee_size_min,
                rule=RULE_COMMITTEE,
            )
        for person_id in sorted(self.committee):
            status = statuses.get(person_id)
            if status is MemberStatus.PROBATIONARY:
                raise NoVotingRight(
                    f"党支部 {self.id}: probationary member {person_id} cannot sit on the"
                    f" committee ({RULE_VOTE})",
                    value=person_id,
                    limit=MemberStatus.FULL.value,
                    rule=RULE_VOTE,
                )
            if status is None:
                raise InvalidCommittee(
                    f"党支部 {self.id}: committee member {person_id} is not a member of the"
                    f" branch ({RULE_COMMITTEE})",
                    value=person_id,
                    limit="a full member of the branch",
                    rule=RULE_COMMITTEE,
                )

    # --- counts and dates ---------------------------------------------------------

    @property
    def full_member_count(self) -> int:
        """Full members (正式党员): those with a vote."""
        return sum(1 for m in self.members if m.status is MemberStatus.FULL)

    @property
    def probationary_member_count(self) -> int:
        """Probationary members (预备党员)."""
        return sum(1 for m in self.members if m.status is MemberStatus.PROBATIONARY)

    @property
    def member_count(self) -> int:
        """All members, full and probationary."""
        return len(self.members)

    @property
    def needs_committee(self) -> bool:
        """Whether the branch must elect a committee (7 or more full members, ch. 6)."""
        return self.full_member_count >= self.rules.committee_from_full_members

    @property
    def renewal_due_on(self) -> pendulum.Date:
        """The day the current term runs out (届满) and the branch is due for renewal.

        The term counts in whole years from ``term_started_on`` (art. 21); a term
        started on 29 February runs out on 28 February of a common year.
        """
        try:
            return self.term_started_on.add(years=self.rules.term_years)
        except (ValueError, OverflowError):
            raise InvalidValue(
                f"党支部 {self.id}: a {self.rules.term_years}-year term from"
                f" {self.term_started_on} runs out past the last date the calendar holds"
                f" (9999-12-31); {RULE_TERM}",
                value=str(self.term_started_on),
                limit="9999-12-31",
                rule=RULE_TERM,
            ) from None

    def member(self, person_id: str) -> BranchMember:
        """Return the member with this id.

        Raises:
            UnknownReference: the person is not a member of this branch.
        """
        for member in self.members:
            if member.person_id == person_id:
                return member
        raise UnknownReference(
            f"{person_id!r} is not a member of 党支部 {self.id}", value=person_id
        )

    # --- soft rules -------------------------------------------------------------------

    def findings(self, *, on: pendulum.Date | None = None) -> tuple[Finding, ...]:
        """Return every soft rule the branch breaks, as findings (empty when all is well).

        Args:
            on: The day to check the term against; without it the term is not checked.

        Returns:
            Findings with the codes of [`InvalidCommittee`][grassroots.errors.InvalidCommittee],
            [`BranchTooLarge`][grassroots.errors.BranchTooLarge],
            [`InvalidJointBranch`][grassroots.errors.InvalidJointBranch] and
            [`TermExpired`][grassroots.errors.TermExpired].
        """
        found: list[Finding] = []

        def add(code: str, rule: str, message: str) -> None:
            found.append(
                Finding(
                    rule=rule, subject=self.id, message=f"党支部 {self.id}: {message}", code=code
                )
            )

        rules = self.rules
        full = self.full_member_count
        if self.needs_committee and not self.committee:
            add(
                InvalidCommittee.code,
                RULE_COMMITTEE,
                f"{full} full members (at least {rules.committee_from_full_members}) and no"
                " committee yet; one is to be elected",
            )
        size = len(self.committee)
        if size > rules.committee_size_max:
            add(
                InvalidCommittee.code,
                RULE_COMMITTEE,
                f"a committee of {size} is above the normal maximum {rules.committee_size_max}",
            )
        elif size > rules.committee_size_usual_max:
            add(
                InvalidCommittee.code,
                RULE_COMMITTEE,
                f"a committee of {size} is above the usual {rules.committee_size_min} to"
                f" {rules.committee_size_usual_max}",
            )
        if self.secretary is None:
            add(InvalidCommittee.code, RULE_COMMITTEE, "no secretary")
        elif self.committee and self.secretary.person_id not in self.committee:
            add(
                InvalidCommittee.code,
                RULE_COMMITTEE,
                f"secretary {self.secretary.person_id} is not on the committee",
            )
        members = self.member_count
        if members >= rules.base_committee_from_members:
            add(
                BranchTooLarge.code,
                RULE_GENERAL,
                f"{members} members (at least {rules.base_committee_from_members}): a base"
                " committee may be formed, with approval",
            )
        elif members > rules.usual_max_members:
            add(
                BranchTooLarge.code,
                RULE_SIZE,
                f"{members} members, more than the usual {rules.usual_max_members}: a general"
                " branch may be formed",
            )
        if self.kind is BranchKind.JOINT:
            if len(self.units) > rules.joint_branch_max_units:
                add(
                    InvalidJointBranch.code,
                    RULE_JOINT,
                    f"joins {len(self.units)} units, more than the usual"
                    f" {rules.joint_branch_max_units}",
                )
            per_unit = Counter(m.unit for m in self.members if m.status is MemberStatus.FULL)
            for unit in self.units:
                if per_unit[unit] >= rules.min_full_members:
                    add(
                        InvalidJointBranch.code,
                        RULE_JOINT,
                        f"unit {unit} has {per_unit[unit]} full members (at least"
                        f" {rules.min_full_members}) and should form its own branch",
                    )
        if on is not None and to_date(on) >= self.renewal_due_on:
            add(
                TermExpired.code,
                RULE_TERM,
                f"the {rules.term_years}-year term from {self.term_started_on} ran out on"
                f" {self.renewal_due_on}; renewal (换届) is due",
            )
        return tuple(found)

    # --- verbs ----------------------------------------------------------------------

    def admit(self, member: BranchMember) -> PartyBranch:
        """Return this branch with ``member`` added.

        Raises:
            RuleViolation: the person is already a member.
        """
        return attrs.evolve(self, members=(*self.members, member))

    def remove(self, person_id: str) -> PartyBranch:
        """Return this branch without the member ``person_id`` (transferred out, deceased).

        Raises:
            UnknownReference: the person is not a member.
            InvalidTransition: the person holds an office or sits on the committee;
                replace them first.
            BranchTooSmall: fewer than the minimum full members would remain.
        """
        self.member(person_id)
        holders = {o.person_id for o in (self.secretary, self.deputy) if o is not None}
        if person_id in holders or person_id in self.committee:
            raise InvalidTransition(
                f"{person_id} holds office in 党支部 {self.id}; appoint a successor first",
                value=person_id,
                rule=RULE_COMMITTEE,
            )
        return attrs.evolve(
            self, members=tuple(m for m in self.members if m.person_id != person_id)
        )

    def make_full(self, person_id: str, *, on: pendulum.Date) -> PartyBranch:
        """Return this branch with probationary member ``person_id`` made full on ``on``.

        Raises:
            UnknownReference: the person is not a member.
            InvalidTransition: the member is already full.
            RuleViolation: ``on`` is before the day the member joined.
        """
        member = self.member(person_id)
        if member.status is MemberStatus.FULL:
            raise InvalidTransition(
                f"{person_id} is already a full member of 党支部 {self.id}",
                value=member.status.value,
                limit=MemberStatus.PROBATIONARY.value,
                rule=RULE_VOTE,
            )
        full = attrs.evolve(member, status=MemberStatus.FULL, full_on=on)
        return attrs.evolve(
            self, members=tuple(full if m.person_id == person_id else m for m in self.members)
        )

    def appoint_secretary(self, officer: Officer) -> PartyBranch:
        """Return this branch with ``officer`` as secretary (书记)."""
        return attrs.evolve(self, secretary=officer)

    def appoint_deputy(self, officer: Officer | None) -> PartyBranch:
        """Return this branch with ``officer`` as deputy secretary (副书记), or none."""
        return attrs.evolve(self, deputy=officer)

    def elect_committee(self, person_ids: Iterable[str], *, on: pendulum.Date) -> PartyBranch:
        """Return this branch with a newly elected committee and a new term from ``on``.

        Raises:
            InvalidCommittee: the branch has too few full members for a committee,
                the committee is too small, or has someone not a full member.
            NoVotingRight: a probationary member is elected.
        """
        return attrs.evolve(self, committee=frozenset(person_ids), term_started_on=on)

    def renew(self, *, on: pendulum.Date) -> PartyBranch:
        """Return this branch with a new term from ``on`` (换届 of a branch without committee)."""
        return attrs.evolve(self, term_started_on=on)

    def cover(self, *subcommunity_ids: str) -> PartyBranch:
        """Return this branch also covering the given compounds."""
        return attrs.evolve(self, coverage=self.coverage | frozenset(subcommunity_ids))

    def uncover(self, *subcommunity_ids: str) -> PartyBranch:
        """Return this branch no longer covering the given compounds.

        Raises:
            RuleViolation: a compound branch would cover nothing.
        """
        return attrs.evolve(self, coverage=self.coverage - frozenset(subcommunity_ids))

    # --- the member assembly ------------------------------------------------------------

    def assembly(
        self,
        *,
        on: pendulum.Date,
        motion: str,
        present: Iterable[str],
        in_favour: Iterable[str],
        excused: Iterable[Absence | str] = (),
    ) -> AssemblyDecision:
        """Decide ``motion`` at a member assembly (党员大会) and return the decision.

        Rule: 支部工作条例 art. 11 — a vote needs half or more of the members with
        a vote present (半数以上, inclusive); it passes when those in favour are
        more than half (超过半数, strict) of the members with a vote who should
        attend. Probationary members attend but do not vote (党章 art. 7).

        Args:
            on: The day of the assembly.
            motion: What is decided, in words.
            present: Ids of the members present (probationary ones included).
            in_favour: Ids of the members voting in favour; all present, all full.
            excused: The absences of voting members, as
                [`Absence`][grassroots.branch.Absence] values; a bare id is an
                absence of no allowed kind and without approval. Only an absence of
                a kind in ``rules.absences_leaving_base`` approved by the higher
                organisation takes the member out of the base; every other
                absent member still should attend (art. 11).

        Raises:
            UnknownReference: an id is not a member.
            NoVotingRight: a probationary member is counted in favour.
            RuleViolation: someone in favour is not present.
            QuorumNotMet: fewer than half of the voting members who should
                attend are present (the same base as for passing).

        Examples:
            >>> import pendulum
            >>> day = pendulum.Date(2023, 3, 1)
            >>> branch = PartyBranch(
            ...     id="b01",
            ...     name="幸福里小区党支部",
            ...     coverage=["x001"],
            ...     members=[
            ...         BranchMember(person_id=f"p{n}", status=MemberStatus.FULL, joined_on=day)
            ...         for n in range(1, 7)
            ...     ],
            ...     formed_on=day,
            ... )
            >>> decision = branch.assembly(
            ...     on=pendulum.Date(2024, 1, 10),
            ...     motion="开设幸福食堂",
            ...     present=["p1", "p2", "p3"],
            ...     in_favour=["p1", "p2", "p3"],
            ... )
            >>> decision.passed  # 3 of 6 is half, not more than half
            False
        """
        present_ids = to_frozenset(present)
        favour_ids = to_frozenset(in_favour)
        absences = _absences(excused)
        require_unique(
            (a.person_id for a in absences), what="absent member", scope=f"党支部 {self.id}"
        )
        excused_ids = frozenset(a.person_id for a in absences)
        for person_id in sorted(present_ids | favour_ids | excused_ids):
            self.member(person_id)
        for person_id in sorted(favour_ids):
            if not self.member(person_id).votes:
                raise NoVotingRight(
                    f"probationary member {person_id} of 党支部 {self.id} has no vote"
                    f" ({RULE_VOTE})",
                    value=person_id,
                    limit=MemberStatus.FULL.value,
                    rule=RULE_VOTE,
                )
        absent_in_favour = sorted(favour_ids - present_ids)
        if absent_in_favour:
            raise RuleViolation(
                f"{absent_in_favour[0]} voted in favour but is not present",
                value=absent_in_favour[0],
                limit="present members",
                rule=RULE_ASSEMBLY,
            )
        voting = frozenset(m.person_id for m in self.members if m.votes)
        leaving = frozenset(
            a.person_id for a in absences if a.leaves_base(self.rules) and a.person_id in voting
        )
        expected = voting - (leaving - present_ids)
        return AssemblyDecision(
            branch_id=self.id,
            held_on=on,
            motion=motion,
            voting_members=len(voting),
            expected=len(expected),
            present=len(present_ids & voting),
            in_favour=len(favour_ids),
            quorum=self.rules.assembly_quorum,
            passing=self.rules.assembly_passing,
            absences=absences,
            attendees=present_ids,
        )

    # --- meetings and their cadence (arts 11, 12) ------------------------------------

    def committee_meeting(
        self, *, on: pendulum.Date, present: Iterable[str], topic: str = ""
    ) -> BranchMeeting:
        """Record a meeting of the branch committee (支部委员会会议) and return it.

        Rule: 支部工作条例 art. 12 — the committee meets normally once a month,
        with half or more of its members present (半数以上, inclusive).

        Args:
            on: The day of the meeting.
            present: Ids of the committee members present.
            topic: What it dealt with.

        Raises:
            InvalidTransition: the branch has no committee.
            InvalidCommittee: someone present is not on the committee.
            QuorumNotMet: fewer than half of the committee is present.

        Examples:
            >>> import pendulum
            >>> day = pendulum.Date(2023, 3, 1)
            >>> branch = PartyBranch(
            ...     id="b01",
            ...     name="幸福里小区党支部",
            ...     coverage=["x001"],
            ...     members=[
            ...         BranchMember(person_id=f"p{n}", status=MemberStatus.FULL, joined_on=day)
            ...         for n in range(1, 8)
            ...     ],
            ...     committee=["p1", "p2", "p3", "p4"],
            ...     formed_on=day,
            ... )
            >>> branch.committee_meeting(on=day, present=["p1", "p2"]).kind.value
            'committee'
        """
        if not self.committee:
            raise InvalidTransition(
                f"党支部 {self.id} has no committee to meet; {RULE_COMMITTEE_MEETING}",
                value=0,
                limit=self.rules.committee_size_min,
                rule=RULE_COMMITTEE_MEETING,
            )
        present_ids = to_frozenset(present)
        for person_id in sorted(present_ids - self.committee):
            raise InvalidCommittee(
                f"{person_id} is not on the committee of 党支部 {self.id};"
                f" {RULE_COMMITTEE_MEETING}",
                value=person_id,
                limit=sorted(self.committee),
                rule=RULE_COMMITTEE_MEETING,
            )
        quorum = self.rules.committee_meeting_quorum
        if not quorum.met(len(present_ids), len(self.committee)):
            needed = quorum.minimum_of(len(self.committee))
            raise QuorumNotMet(
                f"党支部 {self.id}: {len(present_ids)} of {len(self.committee)} committee members"
                f" present, fewer than the {needed} needed ({quorum}; {RULE_COMMITTEE_MEETING})",
                value=len(present_ids),
                limit=needed,
                rule=RULE_COMMITTEE_MEETING,
            )
        return BranchMeeting(
            branch_id=self.id,
            kind=MeetingKind.COMMITTEE,
            held_on=on,
            present=present_ids,
            topic=topic,
        )

    def meeting_findings(
        self,
        meetings: Iterable[BranchMeeting | AssemblyDecision],
        *,
        on: pendulum.Date,
        since: pendulum.Date | None = None,
    ) -> tuple[Finding, ...]:
        """Report each whole period that passed without the meetings arts 11 and 12 ask for.

        Rule: 支部工作条例 art. 11 — a member assembly normally every quarter
        (``rules.assembly_every_months``, calendar quarters); art. 12 — a
        committee meeting normally every month (``rules.committee_meeting_every_months``)
        for a branch with a committee. Only whole calendar periods from
        ``since`` that ended before ``on`` are judged; the period holding ``on``
        is still open. These are soft rules ("一般"): findings, not errors.

        Args:
            meetings: The branch's recorded meetings and assembly decisions
                (others' are ignored).
            on: The day of the check.
            since: The first day judged; default the start of the current term.

        Returns:
            One finding (code of [`MeetingOverdue`][grassroots.errors.MeetingOverdue])
            per period without a meeting, oldest first, assemblies before committee meetings.

        Examples:
            >>> import pendulum
            >>> day = pendulum.Date(2024, 1, 1)
            >>> branch = PartyBranch(
            ...     id="b01",
            ...     name="幸福里小区党支部",
            ...     coverage=["x001"],
            ...     members=[
            ...         BranchMember(person_id=f"p{n}", status=MemberStatus.FULL, joined_on=day)
            ...         for n in range(1, 4)
            ...     ],
            ...     formed_on=day,
            ... )
            >>> held = branch.assembly(
            ...     on=pendulum.Date(2024, 2, 5),
            ...     motion="年度计划",
            ...     present=["p1", "p2"],
            ...     in_favour=[],
            ... )
            >>> [f.message for f in branch.meeting_findings([held], on=pendulum.Date(2024, 7, 1))]
            ['党支部 b01: no member assembly (党员大会) in the quarter from 2024-04-01']
        """
        day = to_date(on)
        start = self.term_started_on if since is None else to_date(since)
        assemblies: list[pendulum.Date] = []
        committee: list[pendulum.Date] = []
        for meeting in to_tuple(meetings):
            if isinstance(meeting, AssemblyDecision):
                if meeting.branch_id == self.id:
                    assemblies.append(meeting.held_on)
            elif isinstance(meeting, BranchMeeting):
                if meeting.branch_id == self.id:
                    kind = meeting.kind
                    (assemblies if kind is MeetingKind.ASSEMBLY else committee).append(
                        meeting.held_on
                    )
            else:
                raise TypeError(
                    f"meetings are BranchMeeting or AssemblyDecision values, not"
                    f" {type(meeting).__name__}"
                )
        found: list[Finding] = []
        rules = self.rules
        checks = [
            (
                assemblies,
                rules.assembly_every_months,
                "member assembly (党员大会)",
                RULE_ASSEMBLY_CADENCE,
            ),
        ]
        if self.committee:
            checks.append(
                (
                    committee,
                    rules.committee_meeting_every_months,
                    "committee meeting (支部委员会会议)",
                    RULE_COMMITTEE_MEETING,
                )
            )
        for held, months, what, rule in checks:
            span = {1: "month", 3: "quarter", 6: "half year", 12: "year"}.get(
                months, f"{months} months"
            )
            for year, month in _periods_without(held, since=start, on=day, months=months):
                found.append(
                    Finding(
                        rule=rule,
                        subject=self.id,
                        message=f"党支部 {self.id}: no {what} in the {span} from"
                        f" {year:04}-{month:02}-01",
                        code=MeetingOverdue.code,
                    )
                )
        return tuple(found)

    def secretary_findings(self) -> tuple[Finding, ...]:
        """Report a secretary or deputy whose approval by the higher organisation is not recorded.

        Rule: 支部工作条例 art. 21 — the branch's secretary and deputy are
        reported to the higher Party organisation for approval, and it may
        appoint them; [`Officer.approved_by`][grassroots.branch.Officer] records who.
        """
        return tuple(
            Finding(
                rule=RULE_SECRETARY,
                subject=self.id,
                message=f"党支部 {self.id}: the {role} {officer.person_id} has no recorded"
                " approval by the higher Party organisation",
                code=InvalidCommittee.code,
            )
            for role, officer in (("secretary", self.secretary), ("deputy", self.deputy))
            if officer is not None and not officer.approved
        )


@attrs.frozen(kw_only=True)
class AssemblyDecision:
    """A decision of a branch member assembly (党员大会), with the counts that decide it.

    Rule: 支部工作条例 art. 11 — quorum: ``present`` meets ``quorum`` of
    ``voting_members`` (半数以上, inclusive); passing: ``in_favour`` meets
    ``passing`` of ``expected`` (超过应到会有表决权的党员的半数, strict).

    Args:
        branch_id: The branch.
        held_on: The day of the assembly.
        motion: What was decided.
        voting_members: Full members (with a vote).
        expected: Voting members who should attend (not excused, or present).
        present: Voting members present.
        in_favour: Voting members in favour.
        quorum: Default [`ASSEMBLY_QUORUM`][grassroots.branch.ASSEMBLY_QUORUM], of ``expected``.
        passing: Default [`ASSEMBLY_PASSING`][grassroots.branch.ASSEMBLY_PASSING], of ``expected``.
        absences: The absences given, each with its kind and who approved it,
            kept as the record of why ``expected`` is what it is.
        attendees: Ids of the members present (probationary ones included).

    Raises:
        QuorumNotMet: fewer than half of the voting members who should attend
            are present (the same base as for passing, art. 11).
        RuleViolation: the counts are inconsistent
            (``in_favour <= present <= expected <= voting_members``).
    """

    branch_id: str = attrs.field(validator=identifier)
    held_on: pendulum.Date = attrs.field(converter=to_date)
    motion: str = attrs.field(validator=free_text)
    voting_members: int = attrs.field(validator=count)
    expected: int = attrs.field(validator=count)
    present: int = attrs.field(validator=count)
    in_favour: int = attrs.field(validator=count)
    quorum: Threshold = attrs.field(
        default=ASSEMBLY_QUORUM, validator=attrs.validators.instance_of(Threshold)
    )
    passing: Threshold = attrs.field(
        default=ASSEMBLY_PASSING, validator=attrs.validators.instance_of(Threshold)
    )
    absences: tuple[Absence, ...] = attrs.field(
        default=(),
        converter=_absence_tuple,
        validator=attrs.validators.deep_iterable(attrs.validators.instance_of(Absence)),
    )
    attendees: frozenset[str] = attrs.field(
        default=frozenset(), converter=_id_set, validator=identifiers
    )

    def __attrs_post_init__(self) -> None:
        if not self.in_favour <= self.present <= self.expected <= self.voting_members:
            raise RuleViolation(
                f"assembly counts in favour {self.in_favour}, present {self.present}, expected"
                f" {self.expected}, voting {self.voting_members} are not in order",
                value=(self.in_favour, self.present, self.expected, self.voting_members),
                limit="in_favour <= present <= expected <= voting_members",
                rule=RULE_ASSEMBLY,
            )
        if not self.quorum.met(self.present, self.expected):
            needed = self.quorum.minimum_of(self.expected)
            away = self.voting_members - self.expected
            raise QuorumNotMet(
                f"党支部 {self.branch_id}: {self.present} of {self.expected} voting members"
                f" present ({away} away with approval), fewer than the {needed} needed"
                f" ({self.quorum}; {RULE_ASSEMBLY})",
                value=self.present,
                limit=needed,
                rule=RULE_ASSEMBLY,
            )

    @property
    def passed(self) -> bool:
        """Whether the motion passed: more than half of those who should attend in favour."""
        return self.passing.met(self.in_favour, self.expected)

    @property
    def votes_needed(self) -> int:
        """The fewest votes in favour that pass the motion."""
        return self.passing.minimum_of(self.expected)

    def meeting(self) -> BranchMeeting:
        """Return the assembly as a recorded meeting, for the cadence of art. 11."""
        return BranchMeeting(
            branch_id=self.branch_id,
            kind=MeetingKind.ASSEMBLY,
            held_on=self.held_on,
            present=self.attendees,
            topic=self.motion,
        )


# --- coverage of a county ---------------------------------------------------------


@attrs.frozen(kw_only=True)
class CoverageLine:
    """One compound of a coverage report and the branches that cover it."""

    subcommunity_id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name_text)
    branch_ids: tuple[str, ...] = attrs.field(
        default=(), converter=_id_tuple, validator=identifiers
    )


@attrs.frozen(kw_only=True)
class CoverageOutside:
    """A branch's coverage of a compound id that the county does not have."""

    branch_id: str = attrs.field(validator=identifier)
    subcommunity_id: str = attrs.field(validator=identifier)


@attrs.frozen(kw_only=True)
class SourceCount:
    """How many branch secretaries come from one source."""

    source: SecretarySource = attrs.field(validator=attrs.validators.instance_of(SecretarySource))
    secretaries: int = attrs.field(validator=count)


@attrs.frozen(kw_only=True)
class CoverageReport:
    """Which branch covers which compound of a county, with every gap and overlap.

    Rule: each compound is covered by exactly one party branch (Tancheng: 50
    实体化小区党支部 cover all 124 商住小区, 全覆盖).

    Args:
        county_id: The county.
        county_name: Its Chinese name.
        branch_count: Branches in the report.
        lines: One line per compound in scope, in county order.
        outside: Coverage of compound ids the county does not have.
        secretary_sources: Secretaries per source, in the order of
            [`SecretarySource`][grassroots.branch.SecretarySource], for the branches that have one.
    """

    county_id: str = attrs.field(validator=identifier)
    county_name: str = attrs.field(validator=name_text)
    branch_count: int = attrs.field(validator=count)
    lines: tuple[CoverageLine, ...] = attrs.field(default=(), converter=_coverageline_tuple)
    outside: tuple[CoverageOutside, ...] = attrs.field(default=(), converter=_coverageoutside_tuple)
    secretary_sources: tuple[SourceCount, ...] = attrs.field(
        default=(), converter=_sourcecount_tuple
    )

    @property
    def subcommunity_count(self) -> int:
        """Compounds in scope."""
        return len(self.lines)

    @property
    def covered(self) -> tuple[str, ...]:
        """Ids of the compounds covered by exactly one branch."""
        return tuple(line.subcommunity_id for line in self.lines if len(line.branch_ids) == 1)

    @property
    def uncovered(self) -> tuple[str, ...]:
        """Ids of the compounds covered by no branch."""
        return tuple(line.subcommunity_id for line in self.lines if not line.branch_ids)

    @property
    def doubly_covered(self) -> tuple[CoverageLine, ...]:
        """Lines of the compounds covered by more than one branch."""
        return tuple(line for line in self.lines if len(line.branch_ids) > 1)

    @property
    def complete(self) -> bool:
        """Whether every compound is covered exactly once and nothing outside is covered."""
        return len(self.covered) == len(self.lines) and not self.outside

    @property
    def coverage_ratio(self) -> Fraction:
        """Compounds covered (by one branch or more) over compounds in scope; 1 when none."""
        if not self.lines:
            return Fraction(1)
        return Fraction(sum(1 for line in self.lines if line.branch_ids), len(self.lines))

    def branches_of(self, subcommunity_id: str) -> tuple[str, ...]:
        """Return the ids of the branches covering this compound.

        Raises:
            UnknownReference: the compound is not in the report.
        """
        for line in self.lines:
            if line.subcommunity_id == subcommunity_id:
                return line.branch_ids
        raise UnknownReference(
            f"{subcommunity_id!r} is not in the coverage report", value=subcommunity_id
        )

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every uncovered, doubly covered and outside compound, as findings."""
        found: list[Finding] = []
        for line in self.lines:
            if not line.branch_ids:
                found.append(
                    Finding(
                        rule=RULE_COVERAGE,
                        subject=line.subcommunity_id,
                        message=f"小区 {line.name} ({line.subcommunity_id}) is covered by no"
                        " party branch",
                        code=CoverageGap.code,
                    )
                )
            elif len(line.branch_ids) > 1:
                found.append(
                    Finding(
                        rule=RULE_COVERAGE,
                        subject=line.subcommunity_id,
                        message=f"小区 {line.name} ({line.subcommunity_id}) is covered by"
                        f" {len(line.branch_ids)} party branches {list(line.branch_ids)}",
                        code=DoubleCoverage.code,
                    )
                )
        found.extend(
            Finding(
                rule=RULE_COVERAGE,
                subject=item.subcommunity_id,
                message=f"党支部 {item.branch_id} covers {item.subcommunity_id!r}, which is not a"
                f" compound of {self.county_name}",
                code=CoverageOutsideCounty.code,
            )
            for item in self.outside
        )
        return tuple(found)

    def to_text(self) -> str:
        """Return the report as a few lines of Chinese, for a notice or a log.

        Examples:
            >>> report = CoverageReport(
            ...     county_id="tancheng",
            ...     county_name="郯城县",
            ...     branch_count=1,
            ...     lines=[CoverageLine(subcommunity_id="x1", name="甲小区", branch_ids=["b1"])],
            ... )
            >>> print(report.to_text())
            郯城县小区党组织覆盖情况：党支部 1 个，小区 1 个。
            由一个党支部覆盖 1 个，未覆盖 0 个，重复覆盖 0 个：全覆盖。
        """
        head = (
            f"{self.county_name}小区党组织覆盖情况：党支部 {self.branch_count} 个，"
            f"小区 {self.subcommunity_count} 个。"
        )
        verdict = "全覆盖" if self.complete else "未实现全覆盖"
        body = (
            f"由一个党支部覆盖 {len(self.covered)} 个，未覆盖 {len(self.uncovered)} 个，"
            f"重复覆盖 {len(self.doubly_covered)} 个：{verdict}。"
        )
        lines = [head, body]
        lines += [f"未覆盖：{line}" for line in self.uncovered]
        lines += [
            f"重复覆盖：{line.subcommunity_id}（{'、'.join(line.branch_ids)}）"
            for line in self.doubly_covered
        ]
        lines += [f"县外小区：{o.branch_id} → {o.subcommunity_id}" for o in self.outside]
        return "\n".join(lines)

    def rows(self) -> list[dict[str, object]]:
        """Return one plain dict per compound: its branches, how many, and its status.

        ``status`` is ``"covered"`` (by exactly one branch), ``"uncovered"``
        or ``"doubly_covered"``.
        """
        return [
            {
                "subcommunity_id": line.subcommunity_id,
                "name": line.name,
                "branch_ids": line.branch_ids,
                "branches": len(line.branch_ids),
                "status": _COVERAGE_STATUS[min(len(line.branch_ids), 2)],
            }
            for line in self.lines
        ]

    def to_dataframe(self) -> Any:
        """Return `rows()` as a ``pandas.DataFrame`` (the ``notebook`` extra).

        ``branches`` is an ``Int64`` column, ``branch_ids`` holds tuples; the
        county, the branch count and whether the coverage is complete are in
        ``DataFrame.attrs``.

        Raises:
            ModuleNotFoundError: pandas is not installed.
        """
        frame = _tabular.dataframe(self.rows(), _COVERAGE_COLUMNS)
        frame.attrs.update(
            county_id=self.county_id,
            county_name=self.county_name,
            branch_count=self.branch_count,
            complete=self.complete,
        )
        return frame

    def _repr_html_(self) -> str:
        verdict = "全覆盖 complete" if self.complete else "未实现全覆盖 incomplete"
        tables = [
            _tabular.Table(
                caption=(
                    f"{self.county_name}小区党组织覆盖情况 coverage: 党支部 branches"
                    f" {self.branch_count:,}, 小区 compounds {self.subcommunity_count:,}"
                ),
                columns=_COVERAGE_COLUMNS,
                rows=tuple(self.rows()),
                notes=(
                    (
                        f"{verdict}: 未覆盖 uncovered {len(self.uncovered):,},"
                        f" 重复覆盖 doubly covered {len(self.doubly_covered):,}"
                    ),
                ),
            )
        ]
        if self.outside:
            tables.append(
                _tabular.Table(
                    caption="县外小区 coverage outside the county",
                    columns=(
                        _tabular.Column("branch_id", "党支部"),
                        _tabular.Column("subcommunity_id", "小区"),
                    ),
                    rows=tuple(
                        {"branch_id": o.branch_id, "subcommunity_id": o.subcommunity_id}
                        for o in self.outside
                    ),
                )
            )
        if self.secretary_sources:
            tables.append(
                _tabular.Table(
                    caption="书记来源 where the secretaries come from",
                    columns=(
                        _tabular.Column("source", "来源"),
                        _tabular.Column("secretaries", "书记", "int"),
                    ),
                    rows=tuple(
                        {"source": f"{c.source.zh} {c.source.value}", "secretaries": c.secretaries}
                        for c in self.secretary_sources
                    ),
                )
            )
        return _tabular.html_tables(tables, name="coverage")


_COVERAGE_STATUS = ("uncovered", "covered", "doubly_covered")
_COVERAGE_COLUMNS = (
    _tabular.Column("subcommunity_id", "小区编号"),
    _tabular.Column("name", "小区"),
    _tabular.Column("branch_ids", "党支部"),
    _tabular.Column("branches", "党支部数", "int"),
    _tabular.Column("status", "状态"),
)


def coverage_report(
    county: County,
    branches: Iterable[PartyBranch],
    *,
    kinds: Iterable[SubcommunityKind] | None = None,
) -> CoverageReport:
    """Report which branch covers each compound of ``county``, listing every gap and overlap.

    Rule: each compound is covered by exactly one party branch (Tancheng: 50
    实体化小区党支部 cover all 124 商住小区). Every uncovered and doubly covered
    compound is listed; the report never stops at the first.

    Args:
        county: The county.
        branches: Its party branches, each once.
        kinds: The kinds of compound in scope (Tancheng counts its 商住小区);
            ``None`` means every kind.

    Returns:
        The report; [`CoverageReport.findings`][grassroots.branch.CoverageReport.findings] lists
        what is wrong and
        [`raise_findings()`][grassroots.audit.raise_findings] raises it.

    Raises:
        RuleViolation: a branch id repeats.
    """
    branch_list = tuple(branches)
    require_unique((b.id for b in branch_list), what="branch", scope=f"county {county.id}")
    scope = None if kinds is None else frozenset(kinds)
    holders: dict[str, list[str]] = {}
    for branch in branch_list:
        for sub_id in sorted(branch.coverage):
            holders.setdefault(sub_id, []).append(branch.id)
    known = county.subcommunity_ids
    lines = [
        CoverageLine(subcommunity_id=s.id, name=s.name, branch_ids=holders.get(s.id, ()))
        for s in county.subcommunities
        if scope is None or s.kind in scope
    ]
    outside = [
        CoverageOutside(branch_id=b.id, subcommunity_id=sub_id)
        for b in branch_list
        for sub_id in sorted(b.coverage - known)
    ]
    tally = Counter(b.secretary.source for b in branch_list if b.secretary is not None)
    return CoverageReport(
        county_id=county.id,
        county_name=county.name,
        branch_count=len(branch_list),
        lines=lines,
        outside=outside,
        secretary_sources=[
            SourceCount(source=s, secretaries=tally[s]) for s in SecretarySource if tally[s]
        ],
    )
