"""Joint ventures (合资公司): shareholders, capital, votes, the state share, projects and staff.

Use this module to model a limited liability company (有限责任公司) that a
state-owned enterprise (国有企业, 国企) and a community's collective economic
organisation (集体经济组织) set up to run projects in residential compounds
(小区): who holds how much capital, who can carry or block which resolution of
the shareholders' meeting (股东会), which projects run in which compound and
public-service room, and how many of the jobs went to residents.

A [`JointVenture`][grassroots.venture.JointVenture] is a value: equity changes
([`JointVenture.transfer()`][grassroots.venture.JointVenture.transfer],
[`JointVenture.increase_capital()`][grassroots.venture.JointVenture.increase_capital],
[`JointVenture.reduce_capital()`][grassroots.venture.JointVenture.reduce_capital],
[`JointVenture.pay_in()`][grassroots.venture.JointVenture.pay_in]) return a new venture, and one
that would break the
law or the venture's policy is refused with an error naming the rule, leaving
the original untouched. Compounds and rooms are referred to by their id strings.

Rule: 公司法 (2023 revision, in force 2024-07-01) arts 42, 47, 62, 65, 66, 265;
the 51% state share is the venture's policy (Tancheng case), not a statute.

Source: 《中华人民共和国公司法》(2023); 郯城县 case, 国企占股51%.

Examples:
    >>> from decimal import Decimal
    >>> state = Shareholder(id="soe", name="郯城县国企", kind=ShareholderKind.STATE_OWNED)
    >>> collective = Shareholder(id="coll", name="集体经济组织", kind=ShareholderKind.COLLECTIVE)
    >>> venture = JointVenture(
    ...     id="jv",
    ...     name="郯城合资公司",
    ...     holdings=[
    ...         Shareholding(shareholder=state, subscribed=Decimal("510000")),
    ...         Shareholding(shareholder=collective, subscribed=Decimal("490000")),
    ...     ],
    ... )
    >>> venture.state_share()
    Fraction(51, 100)
    >>> venture.vote(ResolutionKind.ORDINARY, in_favour={"soe"}).passed
    True
    >>> venture.vote(ResolutionKind.SPECIAL, in_favour={"soe"}).passed
    False
    >>> venture.blocking_coalitions(ResolutionKind.SPECIAL)
    (frozenset({'coll'}), frozenset({'soe'}))
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import cattrs
import pendulum

from grassroots._validators import (
    INTEGRITY_RULE,
    count,
    flag,
    identifier,
    optional_identifier,
    optional_ratio,
    ratio,
    to_date,
    to_frozenset,
    to_optional_date,
    to_tuple,
)
from grassroots._validators import name as name_text
from grassroots._validators import text as free_text
from grassroots.errors import (
    DuplicateId,
    InvalidContribution,
    InvalidTransition,
    InvalidValue,
    ResolutionNotPassed,
    ShareholderCountOutOfRange,
    StateShareTooLow,
    UnknownReference,
    VotingRightsError,
)
from grassroots.money import to_fen, yuan
from grassroots.threshold import TWO_THIRDS, Base, Threshold

__all__ = [
    "CAPITAL_PAYMENT_YEARS",
    "CONTROLLING_SHARE",
    "EXTRAORDINARY_MEETING",
    "MAX_SHAREHOLDERS",
    "MIN_SHAREHOLDERS",
    "ORDINARY_RESOLUTION",
    "SPECIAL_MATTERS",
    "SPECIAL_MATTER_RULE",
    "SPECIAL_RESOLUTION",
    "STATE_SHARE_MINIMUM",
    "Background",
    "CapitalIncrease",
    "CapitalPayment",
    "CapitalReduction",
    "EquityChange",
    "EquityTransfer",
    "Hire",
    "JointVenture",
    "Matter",
    "Project",
    "ProjectKind",
    "Resolution",
    "ResolutionKind",
    "Shareholder",
    "ShareholderKind",
    "Shareholding",
    "Staffing",
    "VotingBasis",
]

# --- rules and their sources ---------------------------------------------------------

STATE_SHARE_MINIMUM = Threshold(ratio=Fraction(51, 100), base=Base.CAPITAL, inclusive=True)
"""The state-owned share of registered capital is at least 51%.

A policy of the venture (Tancheng case: 国企占股51%), not a statute; a parameter
of [`JointVenture`][grassroots.venture.JointVenture] (``min_state_share``).
"""

ORDINARY_RESOLUTION = Threshold(ratio=Fraction(1, 2), base=Base.ALL_VOTING_RIGHTS, inclusive=False)
"""An ordinary resolution needs more than half (过半数, strict) of **all** voting rights.

Source: 公司法 art. 66 ¶2.
"""

SPECIAL_RESOLUTION = TWO_THIRDS
"""A special resolution needs two thirds or more (三分之二以上, inclusive) of all voting rights.

Needed to amend the articles, change the registered capital, merge, split,
dissolve or change the company's form. Source: 公司法 art. 66 ¶3.
"""

EXTRAORDINARY_MEETING = Threshold(
    ratio=Fraction(1, 10), base=Base.ALL_VOTING_RIGHTS, inclusive=True
)
"""Shareholders with one tenth or more (十分之一以上) of the votes may require a meeting.

Source: 公司法 art. 62.
"""

CONTROLLING_SHARE = Threshold(ratio=Fraction(1, 2), base=Base.CAPITAL, inclusive=False)
"""A controlling shareholder (控股股东) contributes more than 50% (超过) of the capital.

Source: 公司法 art. 265.
"""

MIN_SHAREHOLDERS = 1
"""A limited liability company has at least one shareholder (公司法 art. 42)."""

MAX_SHAREHOLDERS = 50
"""A limited liability company has at most fifty shareholders (公司法 art. 42)."""

CAPITAL_PAYMENT_YEARS = 5
"""Subscribed capital is paid in within five years of founding (公司法 art. 47)."""

_RULE_ART_42 = (
    "公司法 art. 42: a limited liability company has 1 to 50 shareholders (docs: rules, venture)"
)
_RULE_ART_47 = (
    "公司法 art. 47: paid-in capital cannot exceed the capital subscribed (docs: rules, venture)"
)
_RULE_ART_65 = (
    "公司法 art. 65: votes follow capital contributions unless the articles say otherwise"
    " (docs: rules, venture)"
)
_RULE_ART_66 = (
    "公司法 art. 66 ¶3: changing the registered capital needs a special resolution"
    " (docs: rules, venture)"
)
SPECIAL_MATTER_RULE = (
    "公司法 art. 66 ¶3: amending the articles, changing the registered capital, merger, split,"
    " dissolution and change of form are decided by a special resolution of two thirds or more"
    " of all voting rights (docs: rules, venture)"
)
"""The rule cited when a special matter is put to an ordinary resolution."""
_RULE_ART_47_DUE = (
    "公司法 art. 47: subscribed capital is paid in within five years of founding"
    " (docs: rules, venture)"
)
_RULE_STATE = (
    "venture policy (Tancheng case: the state-owned enterprise holds at least 51%)"
    " (docs: rules, venture)"
)
_RULE_UNIQUE = "each id names one thing in a venture"


# --- typed views of the shared converters ----------------------------------------------
# (the attrs mypy plugin reads a converter's type only from a named function)


def _hires(values: Iterable[Hire]) -> tuple[Hire, ...]:
    return to_tuple(values)


def _holdings(values: Iterable[Shareholding]) -> tuple[Shareholding, ...]:
    return to_tuple(values)


def _projects(values: Iterable[Project]) -> tuple[Project, ...]:
    return to_tuple(values)


def _ids(values: Iterable[str]) -> frozenset[str]:
    return to_frozenset(values)


# --- shareholders -----------------------------------------------------------------------


class ShareholderKind(enum.Enum):
    """What kind of body a shareholder is; only ``STATE_OWNED`` counts toward the state share."""

    STATE_OWNED = "state_owned"
    """A state-owned enterprise (国有企业, 国企)."""
    COLLECTIVE = "collective"
    """A community's collective economic organisation (集体经济组织)."""
    PRIVATE = "private"
    """A private enterprise (民营企业)."""
    INDIVIDUAL = "individual"
    """A natural person (自然人)."""
    OTHER = "other"
    """Any other body (社会组织, 事业单位, ...)."""


class VotingBasis(enum.Enum):
    """What votes at the shareholders' meeting follow (公司法 art. 65)."""

    SUBSCRIBED = "subscribed"
    """Subscribed capital (认缴出资), the statutory default: "按照出资比例"."""
    PAID_IN = "paid_in"
    """Paid-in capital (实缴出资), when the articles say so."""
    ARTICLES = "articles"
    """Weights written in the articles (公司章程另有规定), one per holding."""


@attrs.frozen(kw_only=True)
class Shareholder:
    """A shareholder (股东) of a joint venture: who it is and what kind of body.

    Args:
        id: A stable id, unique within the venture.
        name: The registered name.
        kind: State-owned enterprise, collective economic organisation, private, ...

    Examples:
        >>> Shareholder(id="soe", name="郯城县国企", kind=ShareholderKind.STATE_OWNED).kind.value
        'state_owned'
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name_text)
    kind: ShareholderKind = attrs.field(validator=attrs.validators.instance_of(ShareholderKind))


@attrs.frozen(kw_only=True)
class Shareholding:
    """A shareholder's contribution (出资): subscribed and paid-in capital, and any votes.

    Rule: 公司法 art. 47 — the registered capital (注册资本) is the capital all
    shareholders subscribed (认缴); each pays it in (实缴) within five years, so
    paid-in is never above subscribed.

    Args:
        shareholder: Who holds it.
        subscribed: Subscribed capital in yuan, more than zero.
        paid_in: Paid-in capital in yuan, from zero to ``subscribed``. Defaults
            to ``subscribed`` (fully paid in).
        votes: The holding's voting weight when the articles set weights
            ([`VotingBasis.ARTICLES`][grassroots.venture.VotingBasis.ARTICLES]); ``None`` when votes
            follow capital.

    Raises:
        InvalidContribution: subscribed is not positive, or paid-in is negative
            or above subscribed.
        VotingRightsError: ``votes`` is negative.

    Examples:
        >>> s = Shareholder(id="coll", name="集体", kind=ShareholderKind.COLLECTIVE)
        >>> Shareholding(
        ...     shareholder=s, subscribed=Decimal("490000"), paid_in=Decimal("100000")
        ... ).unpaid
        Decimal('390000.00')
    """

    shareholder: Shareholder = attrs.field(validator=attrs.validators.instance_of(Shareholder))
    subscribed: Decimal = attrs.field(converter=yuan)
    paid_in: Decimal = attrs.field(converter=yuan)
    votes: Fraction | None = attrs.field(default=None, converter=optional_ratio)

    @paid_in.default
    def _fully_paid(self) -> Decimal:
        return self.subscribed

    def __attrs_post_init__(self) -> None:
        if self.subscribed <= 0:
            raise InvalidContribution(
                f"subscribed capital {self.subscribed} of {self.shareholder.id} is not positive"
                f" ({_RULE_ART_47}; a shareholder contributes something)",
                value=self.subscribed,
                limit=Decimal("0.01"),
                rule=_RULE_ART_47,
            )
        if not Decimal(0) <= self.paid_in <= self.subscribed:
            raise InvalidContribution(
                f"paid-in capital {self.paid_in} of {self.shareholder.id} is outside 0 to"
                f" subscribed {self.subscribed} ({_RULE_ART_47})",
                value=self.paid_in,
                limit=self.subscribed,
                rule=_RULE_ART_47,
            )
        if self.votes is not None and self.votes < 0:
            raise VotingRightsError(
                f"votes {self.votes} of {self.shareholder.id} are negative ({_RULE_ART_65})",
                value=self.votes,
                limit=Fraction(0),
                rule=_RULE_ART_65,
            )

    @property
    def id(self) -> str:
        """The shareholder's id."""
        return self.shareholder.id

    @property
    def kind(self) -> ShareholderKind:
        """The shareholder's kind."""
        return self.shareholder.kind

    @property
    def unpaid(self) -> Decimal:
        """Subscribed capital not yet paid in (认缴未实缴)."""
        return self.subscribed - self.paid_in


# --- resolutions ---------------------------------------------------------------------------


class ResolutionKind(enum.Enum):
    """The two majorities of a shareholders' meeting (公司法 art. 66)."""

    ORDINARY = "ordinary"
    """普通决议: more than half of all voting rights (art. 66 ¶2)."""
    SPECIAL = "special"
    """特别决议: two thirds or more of all voting rights (art. 66 ¶3)."""


class Matter(enum.Enum):
    """What a resolution of the shareholders' meeting decides (公司法 arts 59, 66)."""

    ORDINARY_BUSINESS = "ordinary_business"
    """Any matter the law leaves to an ordinary resolution (a profit plan, a director)."""
    AMEND_ARTICLES = "amend_articles"
    """修改公司章程: amending the articles (art. 66 ¶3)."""
    INCREASE_CAPITAL = "increase_capital"
    """增加注册资本: increasing the registered capital (art. 66 ¶3)."""
    REDUCE_CAPITAL = "reduce_capital"
    """减少注册资本: reducing the registered capital (art. 66 ¶3)."""
    MERGE = "merge"
    """公司合并: a merger (art. 66 ¶3)."""
    SPLIT = "split"
    """公司分立: a split (art. 66 ¶3)."""
    DISSOLVE = "dissolve"
    """公司解散: dissolution (art. 66 ¶3)."""
    CHANGE_FORM = "change_form"
    """变更公司形式: a change of the company's form (art. 66 ¶3)."""

    @property
    def legal_kind(self) -> ResolutionKind:
        """The kind of resolution the law asks for this matter."""
        return ResolutionKind.SPECIAL if self in SPECIAL_MATTERS else ResolutionKind.ORDINARY


SPECIAL_MATTERS: frozenset[Matter] = frozenset(
    {
        Matter.AMEND_ARTICLES,
        Matter.INCREASE_CAPITAL,
        Matter.REDUCE_CAPITAL,
        Matter.MERGE,
        Matter.SPLIT,
        Matter.DISSOLVE,
        Matter.CHANGE_FORM,
    }
)
"""The matters that need a special resolution (特别决议). Source: 公司法 art. 66 ¶3."""


@attrs.frozen(kw_only=True)
class Resolution:
    """The outcome of a vote of the shareholders' meeting (股东会决议).

    Args:
        kind: Ordinary or special.
        in_favour: Ids of the shareholders who voted for it; everyone else's
            votes count against, since the base is all voting rights.
        votes_for: The share of all voting rights in favour, exact.
        threshold: The threshold applied.
        passed: Whether ``votes_for`` meets ``threshold``.
        matter: What it decides; ``None`` for a bare vote. A special matter
            ([`SPECIAL_MATTERS`][grassroots.venture.SPECIAL_MATTERS]) is refused as an ordinary
            resolution.
        held_on: The day of the meeting, if recorded.
        text: The resolution's words, if recorded.

    Raises:
        ResolutionNotPassed: a special matter is recorded as an ordinary
            resolution (art. 66 ¶3).
    """

    kind: ResolutionKind = attrs.field(validator=attrs.validators.instance_of(ResolutionKind))
    in_favour: frozenset[str] = attrs.field(converter=_ids)
    votes_for: Fraction = attrs.field(converter=ratio)
    threshold: Threshold = attrs.field(validator=attrs.validators.instance_of(Threshold))
    passed: bool = attrs.field(validator=flag)
    matter: Matter | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Matter))
    )
    held_on: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    text: str = attrs.field(default="", validator=free_text)

    def __attrs_post_init__(self) -> None:
        matter = self.matter
        special = matter is not None and matter.legal_kind is ResolutionKind.SPECIAL
        if matter is not None and special and self.kind is ResolutionKind.ORDINARY:
            raise ResolutionNotPassed(
                f"{matter.value} cannot be decided by an ordinary resolution;"
                f" {SPECIAL_MATTER_RULE}",
                value=self.kind.value,
                limit=ResolutionKind.SPECIAL.value,
                rule=SPECIAL_MATTER_RULE,
            )

    def __str__(self) -> str:
        verdict = "passes" if self.passed else "fails"
        return (
            f"{self.kind.value} resolution {verdict}:"
            f" {self.votes_for} in favour, needs {self.threshold}"
        )


# --- projects and staff ------------------------------------------------------------------


class ProjectKind(enum.Enum):
    """What a project of the venture does in a compound."""

    CONVENIENCE_STORE = "convenience_store"
    """A 24-hour convenience store (24小时便利店)."""
    HOUSEKEEPING = "housekeeping"
    """A housekeeping company (家政服务公司)."""
    HAPPINESS_CANTEEN = "happiness_canteen"
    """A "happiness canteen" (幸福食堂) serving meals to residents."""
    OTHER = "other"
    """Any other project."""


class Background(enum.Enum):
    """Where a hire comes from; the case hires homemakers and new graduates first."""

    HOMEMAKER = "homemaker"
    """A homemaker (家庭主妇)."""
    NEW_GRADUATE = "new_graduate"
    """A new university graduate (毕业大学生)."""
    OTHER = "other"
    """Anyone else."""


@attrs.frozen(kw_only=True)
class Hire:
    """One person hired to work in a project.

    Args:
        person: An id of the person, unique within the project.
        resident: Whether the person lives in the project's compound (小区居民).
        background: Homemaker, new graduate or other.
        role: What they do ("operator" by default, 运营人员).
    """

    person: str = attrs.field(validator=identifier)
    resident: bool = attrs.field(validator=flag)
    background: Background = attrs.field(
        default=Background.OTHER, validator=attrs.validators.instance_of(Background)
    )
    role: str = attrs.field(default="operator", validator=name_text)


@attrs.frozen(kw_only=True)
class Staffing:
    """Head counts of the jobs of a project or a whole venture.

    Args:
        jobs: Everyone hired.
        residents: Those living in the compound of their project.
        homemakers: Hires who were homemakers.
        new_graduates: Hires who were new graduates.

    Examples:
        >>> Staffing(jobs=4, residents=3, homemakers=2, new_graduates=1).residents_share
        Fraction(3, 4)
    """

    jobs: int = attrs.field(validator=count)
    residents: int = attrs.field(validator=count)
    homemakers: int = attrs.field(validator=count)
    new_graduates: int = attrs.field(validator=count)

    @property
    def residents_share(self) -> Fraction | None:
        """The residents' share of the jobs, exact; ``None`` when there are no jobs yet."""
        return Fraction(self.residents, self.jobs) if self.jobs else None

    def __add__(self, other: Staffing) -> Staffing:
        if not isinstance(other, Staffing):
            return NotImplemented
        return Staffing(
            jobs=self.jobs + other.jobs,
            residents=self.residents + other.residents,
            homemakers=self.homemakers + other.homemakers,
            new_graduates=self.new_graduates + other.new_graduates,
        )


_NO_STAFF = Staffing(jobs=0, residents=0, homemakers=0, new_graduates=0)


@attrs.frozen(kw_only=True)
class Project:
    """A project the venture runs in one compound (小区), perhaps in one public-service room.

    Args:
        id: Unique within the venture.
        name: For people (``"幸福食堂（东城小区）"``).
        kind: Convenience store, housekeeping company, happiness canteen, other.
        subcommunity: The id of the compound whose public revenue (小区公共收益)
            receives the project's community share.
        room: The id of the public-service room (小区公共服务用房) it uses, if any.
        staff: Who was hired.

    Raises:
        DuplicateId: a person appears twice in ``staff``.

    Examples:
        >>> canteen = Project(
        ...     id="canteen",
        ...     name="幸福食堂",
        ...     kind=ProjectKind.HAPPINESS_CANTEEN,
        ...     subcommunity="dongcheng",
        ...     room="dongcheng-101",
        ... )
        >>> canteen = canteen.hire(
        ...     Hire(person="wang", resident=True, background=Background.HOMEMAKER)
        ... )
        >>> canteen.hire(Hire(person="li", resident=False)).staffing().residents_share
        Fraction(1, 2)
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name_text)
    kind: ProjectKind = attrs.field(validator=attrs.validators.instance_of(ProjectKind))
    subcommunity: str = attrs.field(validator=identifier)
    room: str | None = attrs.field(default=None, validator=optional_identifier)
    staff: tuple[Hire, ...] = attrs.field(default=(), converter=_hires)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for hire in self.staff:
            if not isinstance(hire, Hire):
                raise TypeError(f"staff must be Hire values, not {type(hire).__name__}")
            if hire.person in seen:
                raise DuplicateId(
                    f"person {hire.person!r} is hired twice in project {self.id!r}"
                    f" ({_RULE_UNIQUE})",
                    value=hire.person,
                    rule=_RULE_UNIQUE,
                )
            seen.add(hire.person)

    def hire(self, hire: Hire) -> Project:
        """Return this project with ``hire`` added to its staff.

        Raises:
            DuplicateId: the person is already on the staff.
        """
        return attrs.evolve(self, staff=(*self.staff, hire))

    def staffing(self) -> Staffing:
        """Return the head counts of this project's staff."""
        return Staffing(
            jobs=len(self.staff),
            residents=sum(1 for h in self.staff if h.resident),
            homemakers=sum(1 for h in self.staff if h.background is Background.HOMEMAKER),
            new_graduates=sum(1 for h in self.staff if h.background is Background.NEW_GRADUATE),
        )


# --- equity changes --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class EquityTransfer:
    """A transfer of equity (股权转让) from one shareholder to another, new or existing.

    Transfers need no resolution (公司法 art. 84 asks for notice to the other
    shareholders and gives them a right of first refusal, which is not modelled).

    Args:
        seller: The id of the shareholder who gives up capital.
        buyer: Who receives it; a new shareholder if its id is not yet in the venture.
        subscribed: Subscribed capital moved, more than zero.
        paid_in: The paid-in part of it, from zero to ``subscribed``.
        votes: Under [`VotingBasis.ARTICLES`][grassroots.venture.VotingBasis.ARTICLES], the buyer's
            votes after the
            transfer (required for a new buyer; ``None`` keeps an existing
            buyer's). Must be ``None`` when votes follow capital.
    """

    seller: str = attrs.field(validator=identifier)
    buyer: Shareholder = attrs.field(validator=attrs.validators.instance_of(Shareholder))
    subscribed: Decimal = attrs.field(converter=yuan)
    paid_in: Decimal = attrs.field(converter=yuan)
    votes: Fraction | None = attrs.field(default=None, converter=optional_ratio)


@attrs.frozen(kw_only=True)
class CapitalIncrease:
    """An increase of registered capital (增资) subscribed by one shareholder, new or existing.

    Rule: 公司法 art. 66 ¶3 — a change of registered capital needs a special
    resolution, so ``approved_by`` must carry one in the venture before the change.

    Args:
        shareholder: Who subscribes the new capital.
        subscribed: New subscribed capital, more than zero.
        paid_in: The part paid in at once, from zero to ``subscribed``.
        approved_by: Ids of the shareholders who voted for the resolution.
        votes: Under [`VotingBasis.ARTICLES`][grassroots.venture.VotingBasis.ARTICLES], the
            shareholder's votes after
            the increase (required for a new shareholder).
    """

    shareholder: Shareholder = attrs.field(validator=attrs.validators.instance_of(Shareholder))
    subscribed: Decimal = attrs.field(converter=yuan)
    paid_in: Decimal = attrs.field(converter=yuan)
    approved_by: frozenset[str] = attrs.field(converter=_ids)
    votes: Fraction | None = attrs.field(default=None, converter=optional_ratio)


@attrs.frozen(kw_only=True)
class CapitalReduction:
    """A reduction of registered capital (减资) taken from one shareholder's holding.

    Rule: 公司法 art. 66 ¶3 — needs a special resolution. A holding reduced to
    zero leaves the venture (its paid-in capital must be returned with it).

    Args:
        shareholder: The id of the shareholder whose holding shrinks.
        subscribed: Subscribed capital removed, more than zero.
        paid_in: Paid-in capital returned, from zero to ``subscribed``.
        approved_by: Ids of the shareholders who voted for the resolution.
    """

    shareholder: str = attrs.field(validator=identifier)
    subscribed: Decimal = attrs.field(converter=yuan)
    paid_in: Decimal = attrs.field(converter=yuan)
    approved_by: frozenset[str] = attrs.field(converter=_ids)


@attrs.frozen(kw_only=True)
class CapitalPayment:
    """A payment of subscribed capital (实缴出资) by a shareholder.

    Rule: 公司法 art. 47 — subscribed capital is paid in within five years of
    founding; paid-in never exceeds subscribed.

    Args:
        shareholder: The id of the paying shareholder.
        amount: Yuan paid, more than zero.
    """

    shareholder: str = attrs.field(validator=identifier)
    amount: Decimal = attrs.field(converter=yuan)


EquityChange = EquityTransfer | CapitalIncrease | CapitalReduction | CapitalPayment
"""Any change of a venture's shareholding; JSON carries a ``"type"`` tag."""

_CHANGE_TAGS: dict[type, str] = {
    EquityTransfer: "transfer",
    CapitalIncrease: "capital_increase",
    CapitalReduction: "capital_reduction",
    CapitalPayment: "capital_payment",
}


def _years_after(day: pendulum.Date, years: int, rule: str) -> pendulum.Date:
    """Return ``day`` plus ``years`` whole years, or raise our error past the calendar's end."""
    try:
        return day.add(years=years)
    except (ValueError, OverflowError):
        raise InvalidValue(
            f"{years} years after {day} is past the last date the calendar holds (9999-12-31);"
            f" {rule}",
            value=str(day),
            limit="9999-12-31",
            rule=rule,
        ) from None


def _check_policy(_instance: object, attribute: object, value: object) -> None:
    if value is not None and not isinstance(value, Threshold):
        raise TypeError(f"min_state_share must be a Threshold or None, not {type(value).__name__}")


def _check_positive(what: str, amount: Decimal, rule: str) -> None:
    if amount <= 0:
        raise InvalidContribution(
            f"{what} {amount} is not positive ({rule})",
            value=amount,
            limit=Decimal("0.01"),
            rule=rule,
        )


# --- the venture ----------------------------------------------------------------------------


def _check_max_shareholders(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_shareholders must be int, not {type(value).__name__} {value!r}")
    if not MIN_SHAREHOLDERS <= value <= MAX_SHAREHOLDERS:
        raise ShareholderCountOutOfRange(
            f"max_shareholders {value} is outside 1 to 50 ({_RULE_ART_42}); the articles may"
            " only set a lower limit",
            value=value,
            limit=MAX_SHAREHOLDERS,
            rule=_RULE_ART_42,
        )


def _check_payment_years(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"capital_payment_years must be int, not {type(value).__name__}")
    if not 0 < value <= CAPITAL_PAYMENT_YEARS:
        raise InvalidContribution(
            f"capital_payment_years {value} is outside 1 to 5 (公司法 art. 47: within five years)",
            value=value,
            limit=CAPITAL_PAYMENT_YEARS,
            rule="公司法 art. 47",
        )


@attrs.frozen(kw_only=True)
class JointVenture:
    """A joint venture company (合资公司): its shareholders, capital, votes, policy and projects.

    A limited liability company (有限责任公司) with 1 to 50 shareholders. Its
    registered capital (注册资本) is the capital all shareholders subscribed;
    votes follow contributions unless the articles set weights; its policy
    requires the state-owned share of registered capital to stay at or above
    a minimum.

    Rule: 公司法 art. 42 (1–50 shareholders), art. 47 (registered capital is the
    subscribed capital, paid in within five years), art. 65 (votes follow
    contributions unless the articles say otherwise), art. 66 (ordinary and
    special resolutions over all voting rights); the state-share minimum is the
    venture's policy (Tancheng case: 国企占股51%).

    Source: 公司法 (2023) arts 42, 47, 65, 66; 郯城县 case.

    Args:
        id: A stable id.
        name: The registered name.
        holdings: One [`Shareholding`][grassroots.venture.Shareholding] per shareholder, in a stable
            order.
        projects: The projects it runs.
        voting: What votes follow; by subscribed capital unless the articles
            say otherwise (art. 65).
        min_state_share: The policy minimum of the state-owned share of
            registered capital, measured on subscribed capital; default at
            least 51%; ``None`` for a venture without such a policy.
        max_shareholders: 50 by law (art. 42); the articles may set fewer.
        ordinary_resolution: Default more than half of all voting rights (art. 66 ¶2).
        special_resolution: Default two thirds or more of all voting rights (art. 66 ¶3).
        extraordinary_meeting: Votes that may require an extraordinary meeting;
            default [`EXTRAORDINARY_MEETING`][grassroots.venture.EXTRAORDINARY_MEETING], one tenth
            or more (art. 62).
        controlling_share: Capital that makes a controlling shareholder; default
            [`CONTROLLING_SHARE`][grassroots.venture.CONTROLLING_SHARE], more than half (art. 265).
        founded_on: The founding date, if known, for the payment deadline of art. 47.
        capital_payment_years: Years to pay in subscribed capital; 5 by law, the
            articles may set fewer.

    Raises:
        ShareholderCountOutOfRange: no holding, or more than ``max_shareholders``.
        DuplicateId: a shareholder or a project id appears twice.
        VotingRightsError: votes are given where capital decides them, missing
            where the articles decide them, or there are no votes at all.
        StateShareTooLow: the state-owned share is below ``min_state_share``.

    Examples:
        >>> sole = Shareholder(id="soe", name="国企", kind=ShareholderKind.STATE_OWNED)
        >>> private = Shareholder(id="pvt", name="民企", kind=ShareholderKind.PRIVATE)
        >>> from grassroots.errors import StateShareTooLow
        >>> try:
        ...     JointVenture(
        ...         id="jv",
        ...         name="合资公司",
        ...         holdings=[
        ...             Shareholding(shareholder=sole, subscribed=Decimal("50")),
        ...             Shareholding(shareholder=private, subscribed=Decimal("50")),
        ...         ],
        ...     )
        ... except StateShareTooLow as exc:
        ...     print(exc.value, "<", exc.limit, "-", exc.rule)
        1/2 < 51/100 - venture policy (Tancheng case: the state-owned enterprise holds at least 51%)
        (docs: rules, venture)
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name_text)
    holdings: tuple[Shareholding, ...] = attrs.field(converter=_holdings)
    projects: tuple[Project, ...] = attrs.field(default=(), converter=_projects)
    voting: VotingBasis = attrs.field(
        default=VotingBasis.SUBSCRIBED, validator=attrs.validators.instance_of(VotingBasis)
    )
    min_state_share: Threshold | None = attrs.field(
        default=STATE_SHARE_MINIMUM,
        validator=_check_policy,
    )
    max_shareholders: int = attrs.field(default=MAX_SHAREHOLDERS, validator=_check_max_shareholders)
    ordinary_resolution: Threshold = attrs.field(
        default=ORDINARY_RESOLUTION, validator=attrs.validators.instance_of(Threshold)
    )
    special_resolution: Threshold = attrs.field(
        default=SPECIAL_RESOLUTION, validator=attrs.validators.instance_of(Threshold)
    )
    extraordinary_meeting: Threshold = attrs.field(
        default=EXTRAORDINARY_MEETING, validator=attrs.validators.instance_of(Threshold)
    )
    controlling_share: Threshold = attrs.field(
        default=CONTROLLING_SHARE, validator=attrs.validators.instance_of(Threshold)
    )
    founded_on: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    capital_payment_years: int = attrs.field(
        default=CAPITAL_PAYMENT_YEARS, validator=_check_payment_years
    )

    def __attrs_post_init__(self) -> None:
        self._check_count()
        self._check_unique()
        self._check_votes()
        self._check_state_share()

    # -- validation --------------------------------------------------------------------------

    def _check_count(self) -> None:
        count = len(self.holdings)
        if not MIN_SHAREHOLDERS <= count <= self.max_shareholders:
            raise ShareholderCountOutOfRange(
                f"{count} shareholders is outside 1 to {self.max_shareholders} ({_RULE_ART_42})",
                value=count,
                limit=self.max_shareholders if count else MIN_SHAREHOLDERS,
                rule=_RULE_ART_42,
            )

    def _check_unique(self) -> None:
        for label, ids in (
            ("shareholder", [self._holding_id(h) for h in self.holdings]),
            ("project", [self._project_id(p) for p in self.projects]),
        ):
            seen: set[str] = set()
            for item in ids:
                if item in seen:
                    raise DuplicateId(
                        f"{label} id {item!r} appears twice in venture {self.id!r}"
                        f" ({_RULE_UNIQUE})",
                        value=item,
                        rule=_RULE_UNIQUE,
                    )
                seen.add(item)

    @staticmethod
    def _holding_id(holding: object) -> str:
        if not isinstance(holding, Shareholding):
            raise TypeError(f"holdings must be Shareholding values, not {type(holding).__name__}")
        return holding.id

    @staticmethod
    def _project_id(project: object) -> str:
        if not isinstance(project, Project):
            raise TypeError(f"projects must be Project values, not {type(project).__name__}")
        return project.id

    def _check_votes(self) -> None:
        by_articles = self.voting is VotingBasis.ARTICLES
        for holding in self.holdings:
            if by_articles and holding.votes is None:
                raise VotingRightsError(
                    f"shareholder {holding.id!r} has no votes, but the articles set votes"
                    f" by holding ({_RULE_ART_65})",
                    value=None,
                    rule=_RULE_ART_65,
                )
            if not by_articles and holding.votes is not None:
                raise VotingRightsError(
                    f"shareholder {holding.id!r} has votes {holding.votes}, but votes follow"
                    f" {self.voting.value} capital here ({_RULE_ART_65})",
                    value=holding.votes,
                    rule=_RULE_ART_65,
                )
        if sum(self._weights().values()) == 0:
            raise VotingRightsError(
                f"no shareholder has any vote (votes follow {self.voting.value}; {_RULE_ART_65})",
                value=0,
                rule=_RULE_ART_65,
            )

    def _check_state_share(self) -> None:
        policy = self.min_state_share
        if policy is None:
            return
        state, total = self._state_and_total_fen()
        if not policy.met(state, total):
            raise StateShareTooLow(
                f"state share {Fraction(state, total)} of registered capital is below the"
                f" minimum, {policy} ({_RULE_STATE})",
                value=Fraction(state, total),
                limit=policy.ratio,
                rule=_RULE_STATE,
            )

    def _state_and_total_fen(self) -> tuple[int, int]:
        total = sum(to_fen(h.subscribed) for h in self.holdings)
        state = sum(
            to_fen(h.subscribed) for h in self.holdings if h.kind is ShareholderKind.STATE_OWNED
        )
        return state, total

    # -- capital ---------------------------------------------------------------------------

    @property
    def registered_capital(self) -> Decimal:
        """The registered capital (注册资本): all subscribed capital (公司法 art. 47)."""
        return sum((h.subscribed for h in self.holdings), Decimal("0.00"))

    @property
    def paid_in_capital(self) -> Decimal:
        """All capital paid in so far (实缴资本)."""
        return sum((h.paid_in for h in self.holdings), Decimal("0.00"))

    @property
    def shareholder_ids(self) -> tuple[str, ...]:
        """The shareholders' ids, in holding order."""
        return tuple(h.id for h in self.holdings)

    def holding(self, shareholder: str) -> Shareholding:
        """Return the holding of ``shareholder``.

        Raises:
            UnknownReference: no shareholder has that id.
        """
        for holding in self.holdings:
            if holding.id == shareholder:
                return holding
        raise UnknownReference(
            f"shareholder {shareholder!r} is not in venture {self.id!r}",
            value=shareholder,
            rule=_RULE_UNIQUE,
        )

    def state_share(self) -> Fraction:
        """Return the state-owned enterprises' exact share of registered capital.

        Examples:
            >>> from decimal import Decimal
            >>> s = Shareholder(id="soe", name="国企", kind=ShareholderKind.STATE_OWNED)
            >>> JointVenture(
            ...     id="jv",
            ...     name="jv",
            ...     holdings=[Shareholding(shareholder=s, subscribed=Decimal(1))],
            ... ).state_share()
            Fraction(1, 1)
        """
        state, total = self._state_and_total_fen()
        return Fraction(state, total)

    def capital_share(self, shareholder: str) -> Fraction:
        """Return ``shareholder``'s exact share of registered capital (出资比例)."""
        return Fraction(
            to_fen(self.holding(shareholder).subscribed), to_fen(self.registered_capital)
        )

    def controlling_shareholder(self) -> Shareholding | None:
        """Return the controlling shareholder (控股股东), if one holds more than 50% of the capital.

        Rule: 公司法 art. 265 — contribution above 50% of the capital. (A holder
        below 50% whose votes still decide resolutions is also controlling under
        art. 265; use [`can_carry()`][grassroots.venture.JointVenture.can_carry] for that.)
        """
        _state, total = self._state_and_total_fen()
        for holding in self.holdings:
            if self.controlling_share.met(to_fen(holding.subscribed), total):
                return holding
        return None

    @property
    def capital_due_on(self) -> pendulum.Date | None:
        """The day all subscribed capital is due (公司法 art. 47), if ``founded_on`` is known."""
        if self.founded_on is None:
            return None
        return _years_after(self.founded_on, self.capital_payment_years, _RULE_ART_47_DUE)

    def unpaid_after_deadline(self, on: pendulum.Date) -> tuple[Shareholding, ...]:
        """Return the holdings with capital still unpaid on ``on``, if that is after the deadline.

        Rule: 公司法 art. 47 — paid in within five years of founding.
        """
        day = to_date(on)
        due = self.capital_due_on
        if due is None or day <= due:
            return ()
        return tuple(h for h in self.holdings if h.unpaid > 0)

    # -- votes and resolutions --------------------------------------------------------------

    def _weights(self) -> dict[str, Fraction]:
        if self.voting is VotingBasis.SUBSCRIBED:
            return {h.id: Fraction(to_fen(h.subscribed)) for h in self.holdings}
        if self.voting is VotingBasis.PAID_IN:
            return {h.id: Fraction(to_fen(h.paid_in)) for h in self.holdings}
        return {h.id: h.votes or Fraction(0) for h in self.holdings}

    def voting_shares(self) -> dict[str, Fraction]:
        """Return each shareholder's exact share of all voting rights; the shares sum to 1.

        Rule: 公司法 art. 65 — by capital contribution unless the articles say otherwise.
        """
        weights = self._weights()
        total = sum(weights.values())
        return {key: weight / total for key, weight in weights.items()}

    def _coalition(self, coalition: Iterable[str]) -> frozenset[str]:
        members = _ids(coalition)
        known = set(self.shareholder_ids)
        for member in sorted(members):
            if member not in known:
                raise UnknownReference(
                    f"shareholder {member!r} is not in venture {self.id!r}",
                    value=member,
                    rule=_RULE_UNIQUE,
                )
        return members

    def threshold(self, kind: ResolutionKind) -> Threshold:
        """Return the threshold this venture applies to ``kind``."""
        if kind is ResolutionKind.ORDINARY:
            return self.ordinary_resolution
        return self.special_resolution

    def vote(self, kind: ResolutionKind, *, in_favour: Iterable[str]) -> Resolution:
        """Return the outcome of a resolution of ``kind`` with ``in_favour`` voting for it.

        Absent and abstaining shareholders count against: the base is all voting
        rights (公司法 art. 66: "经代表过半数表决权的股东通过").

        Raises:
            UnknownReference: an id in ``in_favour`` is not a shareholder.
        """
        members = self._coalition(in_favour)
        weights = self._weights()
        total = sum(weights.values())
        part = sum((weights[m] for m in members), Fraction(0))
        threshold = self.threshold(kind)
        return Resolution(
            kind=kind,
            in_favour=members,
            votes_for=part / total,
            threshold=threshold,
            passed=threshold.met(part, total),
        )

    def resolve(
        self,
        matter: Matter,
        *,
        in_favour: Iterable[str],
        kind: ResolutionKind | None = None,
        held_on: pendulum.Date | None = None,
        text: str = "",
    ) -> Resolution:
        """Put ``matter`` to the shareholders' meeting and return the recorded resolution.

        Rule: 公司法 art. 66 ¶3 — amending the articles, changing the registered
        capital, merger, split, dissolution and change of form need a special
        resolution, two thirds or more of all voting rights; other matters an
        ordinary one, more than half (art. 66 ¶2).

        Args:
            matter: What is decided.
            in_favour: Ids of the shareholders voting for it.
            kind: The kind of resolution put; default the matter's legal kind.
            held_on: The day of the meeting.
            text: The resolution's words.

        Returns:
            The resolution, passed or not.

        Raises:
            ResolutionNotPassed: a special matter is put to an ordinary resolution.
            UnknownReference: an id in ``in_favour`` is not a shareholder.

        Examples:
            >>> from decimal import Decimal
            >>> state = Shareholder(id="soe", name="国企", kind=ShareholderKind.STATE_OWNED)
            >>> coll = Shareholder(id="coll", name="集体", kind=ShareholderKind.COLLECTIVE)
            >>> jv = JointVenture(
            ...     id="jv",
            ...     name="郯城合资公司",
            ...     holdings=[
            ...         Shareholding(shareholder=state, subscribed=Decimal("510000")),
            ...         Shareholding(shareholder=coll, subscribed=Decimal("490000")),
            ...     ],
            ... )
            >>> jv.resolve(Matter.DISSOLVE, in_favour={"soe"}).passed  # 51% < 2/3
            False
            >>> jv.resolve(Matter.DISSOLVE, in_favour={"soe", "coll"}).passed
            True
        """
        if not isinstance(matter, Matter):
            raise TypeError(f"matter must be a Matter, not {type(matter).__name__}")
        chosen = matter.legal_kind if kind is None else kind
        if matter.legal_kind is ResolutionKind.SPECIAL and chosen is ResolutionKind.ORDINARY:
            raise ResolutionNotPassed(
                f"{matter.value} cannot be decided by an ordinary resolution;"
                f" {SPECIAL_MATTER_RULE}",
                value=chosen.value,
                limit=ResolutionKind.SPECIAL.value,
                rule=SPECIAL_MATTER_RULE,
            )
        outcome = self.vote(chosen, in_favour=in_favour)
        return attrs.evolve(outcome, matter=matter, held_on=held_on, text=text)

    def can_carry(self, kind: ResolutionKind, coalition: Iterable[str]) -> bool:
        """Return whether ``coalition`` carries a resolution of ``kind`` by its own votes."""
        return self.vote(kind, in_favour=coalition).passed

    def can_block(self, kind: ResolutionKind, coalition: Iterable[str]) -> bool:
        """Return whether ``coalition`` voting against stops a resolution of ``kind``.

        It blocks when all the other shareholders together cannot carry it.
        """
        members = self._coalition(coalition)
        return not self.can_carry(kind, set(self.shareholder_ids) - members)

    def may_require_meeting(self, coalition: Iterable[str]) -> bool:
        """Return whether ``coalition`` holds one tenth or more of the votes (公司法 art. 62).

        Such shareholders may require an extraordinary shareholders' meeting (临时股东会).
        """
        members = self._coalition(coalition)
        weights = self._weights()
        part = sum((weights[m] for m in members), Fraction(0))
        return self.extraordinary_meeting.met(part, sum(weights.values()))

    def carrying_coalitions(
        self, kind: ResolutionKind, *, limit: int = 10_000
    ) -> tuple[frozenset[str], ...]:
        """Return every minimal coalition that carries ``kind`` alone, smallest first.

        Minimal: without any one member it no longer carries. Shareholders with
        no votes are never members.

        Args:
            kind: Ordinary or special.
            limit: The most coalitions to list; fifty shareholders can form
                very many.

        Raises:
            InvalidValue: there are more than ``limit`` minimal coalitions.
        """
        threshold = self.threshold(kind)
        total = sum(self._weights().values())
        return self._minimal(lambda part: threshold.met(part, total), limit)

    def blocking_coalitions(
        self, kind: ResolutionKind, *, limit: int = 10_000
    ) -> tuple[frozenset[str], ...]:
        """Return every minimal coalition that blocks ``kind`` by voting against, smallest first.

        Raises:
            InvalidValue: there are more than ``limit`` minimal coalitions.
        """
        threshold = self.threshold(kind)
        total = sum(self._weights().values())
        return self._minimal(lambda part: not threshold.met(total - part, total), limit)

    def _minimal(
        self, reaches: Callable[[Fraction], bool], limit: int
    ) -> tuple[frozenset[str], ...]:
        weights = self._weights()
        items = sorted(
            ((key, weight) for key, weight in weights.items() if weight > 0),
            key=lambda item: (-item[1], item[0]),
        )
        suffix = [Fraction(0)] * (len(items) + 1)
        for index in range(len(items) - 1, -1, -1):
            suffix[index] = suffix[index + 1] + items[index][1]
        found: list[frozenset[str]] = []

        # Members are added in decreasing weight, and a branch stops as soon as it
        # reaches: the last member added is the lightest, and without it the
        # coalition did not reach, so every coalition found is minimal.
        def search(index: int, chosen: tuple[str, ...], part: Fraction) -> None:
            if reaches(part):
                found.append(frozenset(chosen))
                if len(found) > limit:
                    raise InvalidValue(
                        f"more than {limit} minimal coalitions; raise the limit",
                        value=len(found),
                        limit=limit,
                        rule="a listing of coalitions is bounded by its limit",
                    )
                return
            if index == len(items) or not reaches(part + suffix[index]):
                return
            key, weight = items[index]
            search(index + 1, (*chosen, key), part + weight)
            search(index + 1, chosen, part)

        search(0, (), Fraction(0))
        return tuple(sorted(found, key=lambda group: (len(group), sorted(group))))

    # -- equity changes ---------------------------------------------------------------------

    def apply(self, change: EquityChange) -> JointVenture:
        """Return the venture after ``change``; refuse it, changing nothing, if it breaks a rule.

        Raises:
            UnknownReference: the change names a shareholder not in the venture.
            InvalidContribution: more capital moves than is held, or paid-in
                would exceed subscribed.
            ResolutionNotPassed: a change of registered capital without a
                special resolution (公司法 art. 66 ¶3).
            StateShareTooLow: the state share would fall below the policy minimum.
            ShareholderCountOutOfRange: more than 50 shareholders, or none, would remain.
            VotingRightsError: votes missing or misplaced for the voting basis.
        """
        if isinstance(change, EquityTransfer):
            return self._transfer(change)
        if isinstance(change, CapitalIncrease):
            return self._increase(change)
        if isinstance(change, CapitalReduction):
            return self._reduce(change)
        if isinstance(change, CapitalPayment):
            return self._pay(change)
        raise TypeError(f"not an equity change: {type(change).__name__}")

    def transfer(
        self,
        seller: str,
        buyer: Shareholder,
        subscribed: Decimal | int | str,
        *,
        paid_in: Decimal | int | str | None = None,
        votes: Fraction | None = None,
    ) -> JointVenture:
        """Return the venture after ``seller`` transfers ``subscribed`` capital to ``buyer``.

        Args:
            seller: Id of the shareholder who transfers.
            buyer: The receiving shareholder, new or existing.
            subscribed: Subscribed capital transferred (yuan).
            paid_in: Its paid-in part; by default as much as possible of it is
                paid-in capital, ``min(subscribed, seller's paid-in)``.
            votes: See [`EquityTransfer`][grassroots.venture.EquityTransfer].

        Raises:
            StateShareTooLow: e.g. the state-owned enterprise sells below 51%.

        Examples:
            >>> from decimal import Decimal
            >>> sole = Shareholder(id="soe", name="国企", kind=ShareholderKind.STATE_OWNED)
            >>> jv = JointVenture(
            ...     id="jv",
            ...     name="jv",
            ...     holdings=[Shareholding(shareholder=sole, subscribed=Decimal(100))],
            ... )
            >>> coll = Shareholder(id="coll", name="集体", kind=ShareholderKind.COLLECTIVE)
            >>> jv.transfer("soe", coll, Decimal(49)).capital_share("coll")
            Fraction(49, 100)
            >>> from grassroots.errors import StateShareTooLow
            >>> try:
            ...     jv.transfer("soe", coll, Decimal(50))
            ... except StateShareTooLow as exc:
            ...     print(exc.code, exc.value, exc.limit)
            venture.state_share 1/2 51/100
        """
        amount = yuan(subscribed)
        paid = min(amount, self.holding(seller).paid_in) if paid_in is None else yuan(paid_in)
        return self.apply(
            EquityTransfer(seller=seller, buyer=buyer, subscribed=amount, paid_in=paid, votes=votes)
        )

    def increase_capital(
        self,
        shareholder: Shareholder,
        subscribed: Decimal | int | str,
        *,
        approved_by: Iterable[str],
        paid_in: Decimal | int | str = 0,
        votes: Fraction | None = None,
    ) -> JointVenture:
        """Return the venture after ``shareholder`` subscribes new capital (增资).

        Raises:
            ResolutionNotPassed: ``approved_by`` does not carry a special resolution.
        """
        return self.apply(
            CapitalIncrease(
                shareholder=shareholder,
                subscribed=yuan(subscribed),
                paid_in=yuan(paid_in),
                approved_by=_ids(approved_by),
                votes=votes,
            )
        )

    def reduce_capital(
        self,
        shareholder: str,
        subscribed: Decimal | int | str,
        *,
        approved_by: Iterable[str],
        paid_in: Decimal | int | str = 0,
    ) -> JointVenture:
        """Return the venture after ``shareholder``'s holding is reduced (减资).

        Raises:
            ResolutionNotPassed: ``approved_by`` does not carry a special resolution.
        """
        return self.apply(
            CapitalReduction(
                shareholder=shareholder,
                subscribed=yuan(subscribed),
                paid_in=yuan(paid_in),
                approved_by=_ids(approved_by),
            )
        )

    def pay_in(self, shareholder: str, amount: Decimal | int | str) -> JointVenture:
        """Return the venture after ``shareholder`` pays in ``amount`` of subscribed capital.

        Raises:
            InvalidContribution: paid-in would exceed subscribed capital.
        """
        return self.apply(CapitalPayment(shareholder=shareholder, amount=yuan(amount)))

    def _require_special(self, approved_by: frozenset[str], what: str) -> None:
        outcome = self.vote(ResolutionKind.SPECIAL, in_favour=approved_by)
        if not outcome.passed:
            raise ResolutionNotPassed(
                f"{what} has {outcome.votes_for} of all votes in favour, needs"
                f" {outcome.threshold} ({_RULE_ART_66})",
                value=outcome.votes_for,
                limit=outcome.threshold.ratio,
                rule=_RULE_ART_66,
            )

    def _check_votes_given(self, votes: Fraction | None, holder: str, *, new: bool) -> None:
        if self.voting is VotingBasis.ARTICLES:
            if new and votes is None:
                raise VotingRightsError(
                    f"new shareholder {holder!r} needs votes: the articles set votes by holding"
                    f" ({_RULE_ART_65})",
                    value=None,
                    rule=_RULE_ART_65,
                )
        elif votes is not None:
            raise VotingRightsError(
                f"votes {votes} given for {holder!r}, but votes follow {self.voting.value}"
                f" capital here ({_RULE_ART_65})",
                value=votes,
                rule=_RULE_ART_65,
            )

    def _receive(
        self,
        holdings: list[Shareholding],
        shareholder: Shareholder,
        subscribed: Decimal,
        paid_in: Decimal,
        votes: Fraction | None,
    ) -> None:
        for index, holding in enumerate(holdings):
            if holding.id == shareholder.id:
                if holding.shareholder != shareholder:
                    raise DuplicateId(
                        f"shareholder id {shareholder.id!r} already names"
                        f" {holding.shareholder.name!r} ({holding.kind.value}),"
                        f" not {shareholder.name!r} ({shareholder.kind.value})",
                        value=shareholder.id,
                        rule=_RULE_UNIQUE,
                    )
                self._check_votes_given(votes, shareholder.id, new=False)
                holdings[index] = attrs.evolve(
                    holding,
                    subscribed=holding.subscribed + subscribed,
                    paid_in=holding.paid_in + paid_in,
                    votes=holding.votes if votes is None else votes,
                )
                return
        self._check_votes_given(votes, shareholder.id, new=True)
        holdings.append(
            Shareholding(
                shareholder=shareholder, subscribed=subscribed, paid_in=paid_in, votes=votes
            )
        )

    def _give_up(
        self, holdings: list[Shareholding], shareholder: str, subscribed: Decimal, paid_in: Decimal
    ) -> None:
        holding = self.holding(shareholder)
        index = holdings.index(holding)
        left_subscribed = holding.subscribed - subscribed
        left_paid = holding.paid_in - paid_in
        if left_subscribed < 0 or left_paid < 0 or left_paid > left_subscribed:
            raise InvalidContribution(
                f"{shareholder!r} holds {holding.subscribed} subscribed ({holding.paid_in} paid in)"
                f" and cannot give up {subscribed} ({paid_in} paid in) ({_RULE_ART_47})",
                value=subscribed,
                limit=holding.subscribed,
                rule=_RULE_ART_47,
            )
        if left_subscribed == 0:
            del holdings[index]
        else:
            holdings[index] = attrs.evolve(holding, subscribed=left_subscribed, paid_in=left_paid)

    @staticmethod
    def _check_amounts(subscribed: Decimal, paid_in: Decimal) -> None:
        _check_positive("subscribed capital moved", subscribed, _RULE_ART_47)
        if not Decimal(0) <= paid_in <= subscribed:
            raise InvalidContribution(
                f"paid-in part {paid_in} is outside 0 to subscribed {subscribed} ({_RULE_ART_47})",
                value=paid_in,
                limit=subscribed,
                rule=_RULE_ART_47,
            )

    def _transfer(self, change: EquityTransfer) -> JointVenture:
        self._check_amounts(change.subscribed, change.paid_in)
        if change.seller == change.buyer.id:
            raise InvalidTransition(
                f"shareholder {change.seller!r} cannot transfer equity to itself",
                value=change.seller,
                rule="公司法 art. 84: a transfer goes to another person",
            )
        holdings = list(self.holdings)
        self._give_up(holdings, change.seller, change.subscribed, change.paid_in)
        self._receive(holdings, change.buyer, change.subscribed, change.paid_in, change.votes)
        return attrs.evolve(self, holdings=holdings)

    def _increase(self, change: CapitalIncrease) -> JointVenture:
        self._check_amounts(change.subscribed, change.paid_in)
        self._require_special(change.approved_by, "capital increase")
        holdings = list(self.holdings)
        self._receive(holdings, change.shareholder, change.subscribed, change.paid_in, change.votes)
        return attrs.evolve(self, holdings=holdings)

    def _reduce(self, change: CapitalReduction) -> JointVenture:
        self._check_amounts(change.subscribed, change.paid_in)
        self.holding(change.shareholder)
        self._require_special(change.approved_by, "capital reduction")
        holdings = list(self.holdings)
        self._give_up(holdings, change.shareholder, change.subscribed, change.paid_in)
        return attrs.evolve(self, holdings=holdings)

    def _pay(self, change: CapitalPayment) -> JointVenture:
        _check_positive("capital payment", change.amount, _RULE_ART_47)
        holding = self.holding(change.shareholder)
        if holding.paid_in + change.amount > holding.subscribed:
            raise InvalidContribution(
                f"payment {change.amount} would bring {change.shareholder!r}'s paid-in capital"
                f" above its subscribed {holding.subscribed} ({_RULE_ART_47})",
                value=holding.paid_in + change.amount,
                limit=holding.subscribed,
                rule=_RULE_ART_47,
            )
        holdings = [
            attrs.evolve(h, paid_in=h.paid_in + change.amount) if h is holding else h
            for h in self.holdings
        ]
        return attrs.evolve(self, holdings=holdings)

    # -- projects and staff ----------------------------------------------------------------

    def project(self, project: str) -> Project:
        """Return the project with id ``project``.

        Raises:
            UnknownReference: no project has that id.
        """
        for item in self.projects:
            if item.id == project:
                return item
        raise UnknownReference(
            f"project {project!r} is not run by venture {self.id!r}",
            value=project,
            rule=_RULE_UNIQUE,
        )

    def open_project(self, project: Project) -> JointVenture:
        """Return the venture running ``project`` as well.

        Raises:
            DuplicateId: a project with that id already exists.
        """
        return attrs.evolve(self, projects=(*self.projects, project))

    def hire(self, project: str, hire: Hire) -> JointVenture:
        """Return the venture with ``hire`` added to the staff of ``project``.

        Raises:
            UnknownReference: no project has that id.
            DuplicateId: the person is already on that project's staff.
        """
        target = self.project(project)
        return attrs.evolve(
            self,
            projects=tuple(p.hire(hire) if p is target else p for p in self.projects),
        )

    def staffing(self) -> Staffing:
        """Return the head counts over all projects, with the residents' share of jobs."""
        total = _NO_STAFF
        for project in self.projects:
            total = total + project.staffing()
        return total


# --- serialization hooks -------------------------------------------------------------------


def _configure_converter(converter: cattrs.Converter) -> None:
    """Give every equity change a ``"type"`` tag on the wire, and read the union by it.

    Tags: ``"transfer"``, ``"capital_increase"``, ``"capital_reduction"``,
    ``"capital_payment"``, through cattrs' tagged-union strategy. A change is
    written with its tag wherever it appears, and read back either as
    [`EquityChange`][grassroots.venture.EquityChange] (the tag decides the
    class) or as its own class (the tag, if given, must be its own).
    """
    from cattrs.strategies import configure_tagged_union

    plain = {cls: converter.get_structure_hook(cls) for cls in _CHANGE_TAGS}
    configure_tagged_union(
        EquityChange, converter, tag_generator=_CHANGE_TAGS.__getitem__, tag_name="type"
    )
    tagged = converter.get_unstructure_hook(EquityChange)
    for cls, tag in _CHANGE_TAGS.items():
        converter.register_unstructure_hook(cls, tagged)
        converter.register_structure_hook(cls, _own_tag(tag, plain[cls]))


def _own_tag(tag: str, structure: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def hook(data: Any, cls: Any) -> Any:
        if isinstance(data, dict) and "type" in data:
            if data["type"] != tag:
                raise InvalidValue(
                    f"type {data['type']!r} is not {tag!r}",
                    value=data["type"],
                    limit=tag,
                    rule=INTEGRITY_RULE,
                )
            data = {key: value for key, value in data.items() if key != "type"}
        return structure(data, cls)

    return hook
