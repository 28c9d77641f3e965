"""Rule sets of the residents' committee law (城市居民委员会组织法), versioned by effective date.

Use this module to find which quorum, passing and petition rules govern a
residents' meeting (居民会议) or a residents' representatives' meeting
(居民代表会议) held on a given day. A [`RuleSet`][grassroots.deliberation.rules.RuleSet]
holds every threshold as a [`Threshold`][grassroots.threshold.Threshold], with
its base and its counting word (民法典 art. 1259), and the dates it governs.
[`rules_for`][grassroots.deliberation.rules.rules_for] picks the set in force
on a day; a caller with a local charter passes its own set instead.

Two sets ship:

- [`RULES_2018`][grassroots.deliberation.rules.RULES_2018]: the 1989 law as
  amended on 2018-12-29, for meetings up to 2025-12-31. Arts 9 and 10 are
  verified: a meeting needs more than half (过半数, strict) of the chosen base
  present and decides by more than half of those present; it must be convened
  when 1/5 or more (五分之一以上, inclusive) of residents 18+, 1/5 or more of
  households, or 1/3 or more of residents' groups ask. The law has no
  representatives' meeting; the set carries the figures of local charters
  (copied from 村民委员会组织法 arts 25–26) as local practice.
- [`RULES_2026`][grassroots.deliberation.rules.RULES_2026]: the law as revised
  on 2025-10-28 (7 chapters, 50 articles; chapter 4 is 居民会议和居民代表会议),
  in force from 2026-01-01, so the default for a meeting held today. The
  figures of its chapter 4 are **unverified** here: the set mirrors the village
  committee law (村民委员会组织法 arts 21–22 for the meeting, 25–26 for the
  representatives' meeting) and keeps the 2018 petition figures. Check them
  against the official text and pass a corrected set where they differ.

Examples:
    >>> import pendulum
    >>> rules_for(pendulum.Date(2025, 12, 31)).name, rules_for(pendulum.Date(2026, 1, 1)).name
    ('2018', '2026')
    >>> quorum = RULES_2018.quorum_for(MeetingBase.ADULT_RESIDENTS)
    >>> quorum.met(50, 100), quorum.met(51, 100)
    (False, True)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from fractions import Fraction
from typing import Final

import attrs
import pendulum

from grassroots._validators import flag, name, text, to_date, to_optional_date, to_tuple
from grassroots.errors import InvalidValue, NoRuleSet
from grassroots.threshold import Base, Threshold

__all__ = [
    "HOUSEHOLDS_QUORUM_2026",
    "LAW_2018_RULE",
    "LAW_2026_RULE",
    "PASSING_2018",
    "PETITION_ADULTS_2018",
    "PETITION_GROUPS_2018",
    "PETITION_HOUSEHOLDS_2018",
    "PETITION_REPRESENTATIVES_2026",
    "QUORUM_2018",
    "REPRESENTATIVES_PASSING_PRACTICE",
    "REPRESENTATIVES_PETITION_PRACTICE",
    "REPRESENTATIVES_PRACTICE_RULE",
    "REPRESENTATIVES_QUORUM_PRACTICE",
    "RULES_2018",
    "RULES_2026",
    "RULE_SETS",
    "SEPARATION_RULE",
    "MeetingBase",
    "MeetingKind",
    "PetitionBase",
    "RuleSet",
    "rules_for",
]

LAW_2018_RULE: Final = "城市居民委员会组织法 (1989, amended 2018) arts 9-10"
"""The source cited for the 2018 rule set."""

LAW_2026_RULE: Final = (
    "城市居民委员会组织法 (revised 2025-10-28, in force 2026-01-01) ch. 4;"
    " figures unverified, modelled on 村民委员会组织法 arts 21-22, 25-26"
)
"""The source cited for the 2026 rule set, with its unverified status."""

REPRESENTATIVES_PRACTICE_RULE: Final = (
    "residents' representatives' meeting as in local charters (村民委员会组织法 arts 25-26);"
    " local practice, unverified"
)
"""The source cited for a representatives' meeting under the 2018 law, which has none."""

SEPARATION_RULE: Final = (
    "a rule set governs a date range; sets in force never overlap (立法法 art. 104: no"
    " retroactivity, a law governs from its day in force)"
)
"""The rule that a date falls under at most one rule set."""

LAW_2018_FROM: Final = pendulum.Date(1990, 1, 1)
"""The day the 1989 law came into force (its arts 9 and 10 were not changed in 2018)."""

LAW_2026_FROM: Final = pendulum.Date(2026, 1, 1)
"""The day the revised law comes into force."""


class MeetingKind(enum.Enum):
    """The body that meets."""

    RESIDENTS_MEETING = "residents_meeting"
    """居民会议: the residents' meeting (the assembly), 城市居民委员会组织法 art. 9."""
    REPRESENTATIVES_MEETING = "representatives_meeting"
    """居民代表会议: the residents' representatives' meeting."""

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return {"residents_meeting": "居民会议", "representatives_meeting": "居民代表会议"}[
            self.value
        ]


class MeetingBase(enum.Enum):
    """Who makes up a residents' meeting, and so what its quorum counts (art. 9 ¶2)."""

    ADULT_RESIDENTS = "adult_residents"
    """全体十八周岁以上的居民: all residents aged 18 or more."""
    HOUSEHOLDS = "households"
    """每户派代表: one representative per household."""
    GROUP_REPRESENTATIVES = "group_representatives"
    """居民小组选举的代表: two or three chosen by each residents' group."""
    REPRESENTATIVES = "representatives"
    """居民代表: the members of the representatives' meeting."""

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return {
            "adult_residents": "十八周岁以上的居民",
            "households": "户的代表",
            "group_representatives": "居民小组选举的代表",
            "representatives": "居民代表",
        }[self.value]


class PetitionBase(enum.Enum):
    """Who signs a request that a meeting be convened (art. 10 ¶2)."""

    ADULT_RESIDENTS = "adult_residents"
    """Residents aged 18 or more."""
    HOUSEHOLDS = "households"
    """Households (户)."""
    RESIDENTS_GROUPS = "residents_groups"
    """Residents' groups (居民小组)."""
    REPRESENTATIVES = "representatives"
    """Residents' representatives (居民代表)."""


def _strict(numerator: int, denominator: int, base: Base) -> Threshold:
    return Threshold(ratio=Fraction(numerator, denominator), base=base, inclusive=False)


def _inclusive(numerator: int, denominator: int, base: Base) -> Threshold:
    return Threshold(ratio=Fraction(numerator, denominator), base=base, inclusive=True)


QUORUM_2018 = _strict(1, 2, Base.ALL_ELIGIBLE)
"""过半数出席: more than half of the chosen base present (城市居民委员会组织法 2018 art. 9 ¶3)."""

PASSING_2018 = _strict(1, 2, Base.PRESENT)
"""由出席人的过半数通过: more than half of those present (城市居民委员会组织法 2018 art. 9 ¶3)."""

PETITION_ADULTS_2018 = _inclusive(1, 5, Base.ALL_ELIGIBLE)
"""五分之一以上的十八周岁以上的居民 (城市居民委员会组织法 2018 art. 10 ¶2)."""

PETITION_HOUSEHOLDS_2018 = _inclusive(1, 5, Base.ALL_ELIGIBLE)
"""五分之一以上的户 (城市居民委员会组织法 2018 art. 10 ¶2)."""

PETITION_GROUPS_2018 = _inclusive(1, 3, Base.ALL_ELIGIBLE)
"""三分之一以上的居民小组 (城市居民委员会组织法 2018 art. 10 ¶2)."""

REPRESENTATIVES_QUORUM_PRACTICE = _inclusive(2, 3, Base.ALL_ELIGIBLE)
"""三分之二以上的组成人员参加: local practice, after 村民委员会组织法 art. 26 (unverified)."""

REPRESENTATIVES_PASSING_PRACTICE = _strict(1, 2, Base.PRESENT)
"""到会人员的过半数同意: local practice, after 村民委员会组织法 art. 26 (unverified)."""

REPRESENTATIVES_PETITION_PRACTICE = _inclusive(1, 5, Base.ALL_ELIGIBLE)
"""五分之一以上的代表提议: local practice, after 村民委员会组织法 art. 26 (unverified)."""

HOUSEHOLDS_QUORUM_2026 = _inclusive(2, 3, Base.ALL_ELIGIBLE)
"""三分之二以上的户的代表: revised law ch. 4, unverified, after 村民委员会组织法 art. 22."""

PETITION_REPRESENTATIVES_2026 = _inclusive(1, 3, Base.ALL_ELIGIBLE)
"""三分之一以上的居民代表提议: revised law ch. 4, unverified, after 村民委员会组织法 art. 21."""


@attrs.frozen(kw_only=True)
class RuleSet:
    """The meeting rules of the residents' committee law in force over a range of dates.

    Every figure is a [`Threshold`][grassroots.threshold.Threshold]; a ``None``
    petition threshold means the set gives that group no right to require the
    meeting.

    Args:
        name: A short name, such as ``"2018"``.
        source: The law and articles, in words.
        effective_from: The first day the set governs.
        effective_until: The last day it governs (inclusive), or ``None`` while in force.
        verified: Whether the residents' meeting figures were checked against
            the official text (``False`` marks a parameter set to confirm).
        quorum_adults: Quorum when all residents 18+ make up the meeting (art. 9 ¶3).
        quorum_households: Quorum when each household sends one (art. 9 ¶3).
        quorum_groups: Quorum when each residents' group sends 2-3 (art. 9 ¶3).
        passing: The share of those present that carries a decision (art. 9 ¶3).
        petition_adults: Share of residents 18+ that obliges a meeting (art. 10 ¶2).
        petition_households: Share of households that obliges a meeting (art. 10 ¶2).
        petition_groups: Share of residents' groups that obliges a meeting (art. 10 ¶2).
        petition_representatives: Share of representatives that obliges a
            residents' meeting, if the set gives them the right.
        representatives_source: The source of the representatives' meeting figures.
        representatives_verified: Whether those figures are verified.
        representatives_quorum: Share of representatives who must attend.
        representatives_passing: Share of those present that carries a decision.
        representatives_petition: Share of representatives that obliges a
            representatives' meeting.

    Raises:
        InvalidValue: the range ends before it starts, or a threshold has the
            wrong base (quorum and petitions are of all eligible, passing of those present).
    """

    name: str = attrs.field(validator=name)
    source: str = attrs.field(validator=text)
    effective_from: pendulum.Date = attrs.field(converter=to_date)
    effective_until: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    verified: bool = attrs.field(validator=flag)
    quorum_adults: Threshold = QUORUM_2018
    quorum_households: Threshold = QUORUM_2018
    quorum_groups: Threshold = QUORUM_2018
    passing: Threshold = PASSING_2018
    petition_adults: Threshold | None = PETITION_ADULTS_2018
    petition_households: Threshold | None = PETITION_HOUSEHOLDS_2018
    petition_groups: Threshold | None = PETITION_GROUPS_2018
    petition_representatives: Threshold | None = None
    representatives_source: str = attrs.field(default=REPRESENTATIVES_PRACTICE_RULE, validator=text)
    representatives_verified: bool = attrs.field(default=False, validator=flag)
    representatives_quorum: Threshold = REPRESENTATIVES_QUORUM_PRACTICE
    representatives_passing: Threshold = REPRESENTATIVES_PASSING_PRACTICE
    representatives_petition: Threshold | None = REPRESENTATIVES_PETITION_PRACTICE

    def __attrs_post_init__(self) -> None:
        if self.effective_until is not None and self.effective_until < self.effective_from:
            raise InvalidValue(
                f"rule set {self.name} ends {self.effective_until} before it starts"
                f" {self.effective_from}; {SEPARATION_RULE}",
                value=str(self.effective_until),
                limit=str(self.effective_from),
                rule=SEPARATION_RULE,
            )
        eligible = {
            "quorum_adults": self.quorum_adults,
            "quorum_households": self.quorum_households,
            "quorum_groups": self.quorum_groups,
            "representatives_quorum": self.representatives_quorum,
            "petition_adults": self.petition_adults,
            "petition_households": self.petition_households,
            "petition_groups": self.petition_groups,
            "petition_representatives": self.petition_representatives,
            "representatives_petition": self.representatives_petition,
        }
        present = {"passing": self.passing, "representatives_passing": self.representatives_passing}
        for expected, fields in ((Base.ALL_ELIGIBLE, eligible), (Base.PRESENT, present)):
            for field_name, threshold in fields.items():
                if threshold is None:
                    continue
                if not isinstance(threshold, Threshold):
                    raise TypeError(
                        f"{field_name} must be a Threshold, not {type(threshold).__name__}"
                    )
                if threshold.base is not expected:
                    rule = "art. 9 ¶3: quorum of the chosen base, passing of those present"
                    raise InvalidValue(
                        f"rule set {self.name}: {field_name} is taken of {threshold.base.value},"
                        f" not {expected.value} ({rule})",
                        value=threshold.base.value,
                        limit=expected.value,
                        rule=rule,
                    )

    def governs(self, on: pendulum.Date) -> bool:
        """Return whether a meeting held on ``on`` falls under this set."""
        on = to_date(on)
        return self.effective_from <= on and (
            self.effective_until is None or on <= self.effective_until
        )

    def quorum_for(self, base: MeetingBase) -> Threshold:
        """Return the quorum of a meeting made up of ``base``.

        Examples:
            >>> RULES_2026.quorum_for(MeetingBase.HOUSEHOLDS).minimum_of(300)
            200
        """
        if not isinstance(base, MeetingBase):
            raise TypeError(f"base must be a MeetingBase, not {type(base).__name__}")
        return {
            MeetingBase.ADULT_RESIDENTS: self.quorum_adults,
            MeetingBase.HOUSEHOLDS: self.quorum_households,
            MeetingBase.GROUP_REPRESENTATIVES: self.quorum_groups,
            MeetingBase.REPRESENTATIVES: self.representatives_quorum,
        }[base]

    def passing_for(self, kind: MeetingKind) -> Threshold:
        """Return the share of those present that carries a decision of ``kind``."""
        if kind is MeetingKind.REPRESENTATIVES_MEETING:
            return self.representatives_passing
        return self.passing

    def petition_for(self, kind: MeetingKind, base: PetitionBase) -> Threshold | None:
        """Return the share of ``base`` whose request obliges a meeting of ``kind``, or ``None``.

        ``None`` means the set gives that group no right to require that meeting.
        """
        if kind is MeetingKind.REPRESENTATIVES_MEETING:
            return self.representatives_petition if base is PetitionBase.REPRESENTATIVES else None
        return {
            PetitionBase.ADULT_RESIDENTS: self.petition_adults,
            PetitionBase.HOUSEHOLDS: self.petition_households,
            PetitionBase.RESIDENTS_GROUPS: self.petition_groups,
            PetitionBase.REPRESENTATIVES: self.petition_representatives,
        }[base]


RULES_2018 = RuleSet(
    name="2018",
    source=LAW_2018_RULE,
    effective_from=LAW_2018_FROM,
    effective_until=LAW_2026_FROM.subtract(days=1),
    verified=True,
)
"""The 1989 law as amended in 2018, arts 9-10, for meetings up to 2025-12-31 (verified)."""

RULES_2026 = RuleSet(
    name="2026",
    source=LAW_2026_RULE,
    effective_from=LAW_2026_FROM,
    verified=False,
    quorum_households=HOUSEHOLDS_QUORUM_2026,
    petition_representatives=PETITION_REPRESENTATIVES_2026,
    representatives_source=LAW_2026_RULE,
)
"""The revised law (in force 2026-01-01), ch. 4; figures unverified, a parameter set."""

RULE_SETS: Final = (RULES_2018, RULES_2026)
"""The shipped rule sets, oldest first."""


def rules_for(on: pendulum.Date, rule_sets: Iterable[RuleSet] = RULE_SETS) -> RuleSet:
    """Return the one rule set that governs a meeting held on ``on``.

    Args:
        on: The day of the meeting (a local date in Asia/Shanghai).
        rule_sets: The sets to choose from; default
            [`RULE_SETS`][grassroots.deliberation.rules.RULE_SETS].

    Raises:
        NoRuleSet: no set governs ``on``.
        InvalidValue: more than one set governs ``on``.

    Examples:
        >>> import pendulum
        >>> rules_for(pendulum.Date(2026, 12, 2)).verified
        False
    """
    on = to_date(on)
    sets: tuple[RuleSet, ...] = to_tuple(rule_sets)
    matching = [s for s in sets if s.governs(on)]
    if not matching:
        raise NoRuleSet(
            f"no rule set of the residents' committee law governs {on}"
            f" (sets: {', '.join(s.name for s in sets) or 'none'})",
            value=str(on),
            limit=[f"{s.effective_from}..{s.effective_until or ''}" for s in sets],
            rule=SEPARATION_RULE,
        )
    if len(matching) > 1:
        raise InvalidValue(
            f"{len(matching)} rule sets govern {on}: {', '.join(s.name for s in matching)};"
            f" {SEPARATION_RULE}",
            value=[s.name for s in matching],
            limit=1,
            rule=SEPARATION_RULE,
        )
    return matching[0]
