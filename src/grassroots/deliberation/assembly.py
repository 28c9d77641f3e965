"""Residents' meetings (居民会议) and representatives' meetings (居民代表会议): quorum, petitions.

Use [`MeetingVote`][grassroots.deliberation.assembly.MeetingVote] to record a
vote of either body and ask whether the meeting could be held (its quorum) and
whether the motion carried; use
[`Petition`][grassroots.deliberation.assembly.Petition] to ask whether a
request obliges the residents' committee to convene a meeting
(城市居民委员会组织法 art. 10 ¶2). The meeting's date picks its
[`RuleSet`][grassroots.deliberation.rules.RuleSet]; a caller can pass another.

Rule: a residents' meeting needs more than half (过半数, strict) of the chosen
base present, and decides by more than half of those present
(城市居民委员会组织法 2018 art. 9 ¶3).

Examples:
    Longju's assembly under the 2018 law: 100 adults in the base, 50 present is
    no quorum, 51 is; 26 of the 51 carry the motion.

    >>> import pendulum
    >>> def vote(present, in_favour, on=pendulum.Date(2025, 6, 1)):
    ...     return MeetingVote(
    ...         kind=MeetingKind.RESIDENTS_MEETING,
    ...         held_on=on,
    ...         base=MeetingBase.ADULT_RESIDENTS,
    ...         eligible=100,
    ...         present=present,
    ...         in_favour=in_favour,
    ...     )
    >>> vote(50, 50).quorate, vote(51, 26).quorate, vote(51, 26).passed, vote(51, 25).passed
    (False, True, True, False)
"""

from __future__ import annotations

import functools
from fractions import Fraction

import attrs
import pendulum

from grassroots._validators import check_count, count, to_date
from grassroots.deliberation.rules import (
    MeetingBase,
    MeetingKind,
    PetitionBase,
    RuleSet,
    rules_for,
)
from grassroots.errors import InvalidValue, QuorumNotMet, VoteNotCarried

__all__ = ["MeetingVote", "Petition"]

_COUNTS_NEST = "a count of those present or in favour cannot exceed the whole it is taken of"


def _default_rules(instance: MeetingVote | Petition) -> RuleSet:
    return rules_for(instance.on if isinstance(instance, Petition) else instance.held_on)


def _rule_set(_instance: object, _attribute: attrs.Attribute[RuleSet], value: object) -> None:
    if not isinstance(value, RuleSet):
        raise TypeError(f"rules must be a RuleSet, not {type(value).__name__}")


@attrs.frozen(kw_only=True)
class MeetingVote:
    """A vote of a residents' meeting or a representatives' meeting, with its counts.

    A meeting without its quorum may be recorded (its turnout counts in
    reports) but decides nothing:
    [`require_carried`][grassroots.deliberation.assembly.MeetingVote.require_carried]
    raises [`QuorumNotMet`][grassroots.errors.QuorumNotMet].

    Rule: quorum — more than half of the chosen base present; passing — more
    than half of those present (城市居民委员会组织法 2018 art. 9 ¶3; the 2026 set
    is unverified, see the rules page).

    Args:
        kind: Residents' meeting or representatives' meeting.
        held_on: The day of the meeting (local date in Asia/Shanghai).
        base: Who makes up the meeting: residents 18+, household
            representatives, group representatives (art. 9 ¶2), or the
            representatives of a representatives' meeting.
        eligible: The size of that base (the whole of the quorum).
        present: How many of them attended.
        in_favour: How many of those present voted for the motion.
        rules: The rule set; default: the one in force on ``held_on``.

    Raises:
        InvalidValue: ``present`` exceeds ``eligible`` or ``in_favour`` exceeds
            ``present``; a representatives' meeting not made up of
            representatives, or a residents' meeting that is.
        NoRuleSet: no rule set governs ``held_on`` and none is given.
    """

    kind: MeetingKind = attrs.field(validator=attrs.validators.instance_of(MeetingKind))
    held_on: pendulum.Date = attrs.field(converter=to_date)
    base: MeetingBase = attrs.field(validator=attrs.validators.instance_of(MeetingBase))
    eligible: int = attrs.field(validator=count)
    present: int = attrs.field(validator=count)
    in_favour: int = attrs.field(validator=count)
    rules: RuleSet = attrs.field(
        default=attrs.Factory(_default_rules, takes_self=True), validator=_rule_set
    )

    def __attrs_post_init__(self) -> None:
        for part, whole, what in (
            (self.present, self.eligible, "present"),
            (self.in_favour, self.present, "in favour"),
        ):
            if part > whole:
                raise InvalidValue(
                    f"{part} {what} is more than the {whole} it is taken of ({_COUNTS_NEST})",
                    value=part,
                    limit=whole,
                    rule=_COUNTS_NEST,
                )
        representatives = self.base is MeetingBase.REPRESENTATIVES
        if representatives != (self.kind is MeetingKind.REPRESENTATIVES_MEETING):
            rule = "the representatives' meeting is made up of representatives (art. 9 ¶2)"
            raise InvalidValue(
                f"a {self.kind.zh} cannot be made up of {self.base.zh} ({rule})",
                value=self.base.value,
                limit=self.kind.value,
                rule=rule,
            )

    @property
    def turnout(self) -> Fraction:
        """Those present as an exact share of the base (0 when the base is empty)."""
        return Fraction(self.present, self.eligible) if self.eligible else Fraction(0)

    @functools.cached_property
    def quorate(self) -> bool:
        """Whether enough of the base attended for the meeting to be held."""
        return self.rules.quorum_for(self.base).met(self.present, self.eligible)

    @functools.cached_property
    def passed(self) -> bool:
        """Whether the meeting was quorate and the motion carried among those present."""
        return self.quorate and self.rules.passing_for(self.kind).met(self.in_favour, self.present)

    def require_quorum(self) -> MeetingVote:
        """Return this vote if the meeting was quorate.

        Raises:
            QuorumNotMet: fewer attended than the quorum.
        """
        if not self.quorate:
            quorum = self.rules.quorum_for(self.base)
            rule = f"{self.rules.source}: quorum {quorum} ({self.base.zh})"
            raise QuorumNotMet(
                f"{self.kind.zh} on {self.held_on}: {self.present} of {self.eligible} present,"
                f" {quorum.minimum_of(self.eligible)} needed ({rule})",
                value=self.present,
                limit=quorum.minimum_of(self.eligible),
                rule=rule,
            )
        return self

    def require_carried(self) -> MeetingVote:
        """Return this vote if the meeting was quorate and the motion carried.

        Raises:
            QuorumNotMet: fewer attended than the quorum.
            VoteNotCarried: the motion did not get the share of those present it needs.
        """
        self.require_quorum()
        if not self.passed:
            passing = self.rules.passing_for(self.kind)
            rule = f"{self.rules.source}: passing {passing}"
            raise VoteNotCarried(
                f"{self.kind.zh} on {self.held_on}: {self.in_favour} of {self.present} present"
                f" in favour, {passing.minimum_of(self.present)} needed ({rule})",
                value=self.in_favour,
                limit=passing.minimum_of(self.present),
                rule=rule,
            )
        return self


@attrs.frozen(kw_only=True)
class Petition:
    """A request that a meeting be convened, signed by part of a group.

    Rule: the residents' committee must convene the residents' meeting when
    1/5 or more of residents 18+, 1/5 or more of households, or 1/3 or more of
    residents' groups ask (城市居民委员会组织法 2018 art. 10 ¶2, 五分之一以上 and
    三分之一以上 inclusive).

    Args:
        meeting: The meeting asked for.
        base: Who signs: residents 18+, households, residents' groups or representatives.
        signed: How many of them signed.
        total: How many there are.
        on: The day the request is handed in.
        rules: The rule set; default: the one in force on ``on``.

    Raises:
        InvalidValue: ``signed`` exceeds ``total``.

    Examples:
        >>> import pendulum
        >>> day = pendulum.Date(2025, 3, 1)
        >>> ask = Petition(
        ...     meeting=MeetingKind.RESIDENTS_MEETING,
        ...     base=PetitionBase.RESIDENTS_GROUPS,
        ...     signed=4,
        ...     total=12,
        ...     on=day,
        ... )
        >>> ask.obliges_meeting, attrs.evolve(ask, signed=3).obliges_meeting
        (True, False)
    """

    meeting: MeetingKind = attrs.field(validator=attrs.validators.instance_of(MeetingKind))
    base: PetitionBase = attrs.field(validator=attrs.validators.instance_of(PetitionBase))
    signed: int = attrs.field(validator=count)
    total: int = attrs.field(validator=count)
    on: pendulum.Date = attrs.field(converter=to_date)
    rules: RuleSet = attrs.field(
        default=attrs.Factory(_default_rules, takes_self=True), validator=_rule_set
    )

    def __attrs_post_init__(self) -> None:
        check_count(self.signed, "signed")
        if self.signed > self.total:
            raise InvalidValue(
                f"{self.signed} signed is more than the {self.total} who may sign ({_COUNTS_NEST})",
                value=self.signed,
                limit=self.total,
                rule=_COUNTS_NEST,
            )

    @property
    def obliges_meeting(self) -> bool:
        """Whether the request obliges the committee to convene the meeting.

        ``False`` also when the rule set gives this group no right to require it.
        """
        threshold = self.rules.petition_for(self.meeting, self.base)
        return threshold is not None and threshold.met(self.signed, self.total)

    @property
    def needed(self) -> int | None:
        """The fewest signatures that oblige the meeting, or ``None`` if the group has no right."""
        threshold = self.rules.petition_for(self.meeting, self.base)
        return None if threshold is None else threshold.minimum_of(self.total)
