"""Quorum, passing and petitions of the residents' meeting and the representatives' meeting."""

from __future__ import annotations

from fractions import Fraction

import attrs
import pendulum
import pytest

from grassroots.deliberation import (
    RULES_2018,
    RULES_2026,
    MeetingBase,
    MeetingKind,
    MeetingVote,
    Petition,
    PetitionBase,
    RuleSet,
)
from grassroots.errors import InvalidValue, QuorumNotMet, VoteNotCarried

LAST_2018_DAY = pendulum.Date(2025, 12, 31)
FIRST_2026_DAY = pendulum.Date(2026, 1, 1)

# (rule set, day, base, eligible, largest count that fails, smallest that meets), worked by hand:
# 2018 art. 9 ¶3: more than half of each base; 2026 (unverified): households two thirds or more.
QUORUM_EDGES = [
    (RULES_2018, LAST_2018_DAY, MeetingBase.ADULT_RESIDENTS, 100, 50, 51),
    (RULES_2018, LAST_2018_DAY, MeetingBase.HOUSEHOLDS, 100, 50, 51),
    (RULES_2018, LAST_2018_DAY, MeetingBase.GROUP_REPRESENTATIVES, 36, 18, 19),
    (RULES_2018, LAST_2018_DAY, MeetingBase.REPRESENTATIVES, 30, 19, 20),
    (RULES_2026, FIRST_2026_DAY, MeetingBase.ADULT_RESIDENTS, 100, 50, 51),
    (RULES_2026, FIRST_2026_DAY, MeetingBase.HOUSEHOLDS, 100, 66, 67),
    (RULES_2026, FIRST_2026_DAY, MeetingBase.GROUP_REPRESENTATIVES, 36, 18, 19),
    (RULES_2026, FIRST_2026_DAY, MeetingBase.REPRESENTATIVES, 30, 19, 20),
]


def vote(
    base: MeetingBase,
    eligible: int,
    present: int,
    in_favour: int = 0,
    on: pendulum.Date = LAST_2018_DAY,
    **rules: RuleSet,
) -> MeetingVote:
    kind = (
        MeetingKind.REPRESENTATIVES_MEETING
        if base is MeetingBase.REPRESENTATIVES
        else MeetingKind.RESIDENTS_MEETING
    )
    return MeetingVote(
        kind=kind,
        held_on=on,
        base=base,
        eligible=eligible,
        present=present,
        in_favour=in_favour,
        **rules,
    )


class TestQuorum:
    @pytest.mark.parametrize(("rules", "day", "base", "eligible", "short", "enough"), QUORUM_EDGES)
    def test_exact_boundary_for_every_base_and_rule_set(  # noqa: PLR0917 - parametrised
        self,
        rules: RuleSet,
        day: pendulum.Date,
        base: MeetingBase,
        eligible: int,
        short: int,
        enough: int,
    ) -> None:
        """One short of the quorum fails, the quorum itself meets it, and the day picks the set."""
        assert vote(base, eligible, short, on=day).rules is rules
        assert not vote(base, eligible, short, on=day).quorate
        assert vote(base, eligible, enough, on=day).quorate
        with pytest.raises(QuorumNotMet) as info:
            vote(base, eligible, short, on=day).require_quorum()
        assert (info.value.value, info.value.limit) == (short, enough)

    def test_fifty_of_a_hundred_adults_is_no_quorum_under_2018(self) -> None:
        """过半数 excludes the half: 50 of 100 fails, 51 meets it (2018 art. 9 ¶3)."""
        assert not vote(MeetingBase.ADULT_RESIDENTS, 100, 50).quorate
        assert vote(MeetingBase.ADULT_RESIDENTS, 100, 51).quorate

    def test_the_two_sides_of_new_year_2026_use_different_sets(self) -> None:
        """60 of 100 households: a quorum on 2025-12-31, not on 2026-01-01."""
        before = vote(MeetingBase.HOUSEHOLDS, 100, 60, on=LAST_2018_DAY)
        after = vote(MeetingBase.HOUSEHOLDS, 100, 60, on=FIRST_2026_DAY)
        assert (before.rules.name, after.rules.name) == ("2018", "2026")
        assert (before.quorate, after.quorate) == (True, False)

    def test_a_caller_can_pass_another_set(self) -> None:
        """A meeting in 2026 judged by the 2018 rules, as a caller may ask."""
        assert vote(MeetingBase.HOUSEHOLDS, 100, 60, on=FIRST_2026_DAY, rules=RULES_2018).quorate

    def test_an_empty_base_has_no_quorum(self) -> None:
        """A meeting of nobody decides nothing."""
        assert not vote(MeetingBase.ADULT_RESIDENTS, 0, 0).quorate
        assert vote(MeetingBase.ADULT_RESIDENTS, 0, 0).turnout == 0


class TestPassing:
    @pytest.mark.parametrize("day", [LAST_2018_DAY, FIRST_2026_DAY])
    def test_more_than_half_of_those_present(self, day: pendulum.Date) -> None:
        """Of 51 present, 25 fail and 26 carry, under both sets."""
        assert not vote(MeetingBase.ADULT_RESIDENTS, 100, 51, 25, on=day).passed
        assert vote(MeetingBase.ADULT_RESIDENTS, 100, 51, 26, on=day).passed
        with pytest.raises(VoteNotCarried) as info:
            vote(MeetingBase.ADULT_RESIDENTS, 100, 51, 25, on=day).require_carried()
        assert info.value.limit == 26

    def test_an_inquorate_meeting_passes_nothing(self) -> None:
        """Unanimity among too few is no decision."""
        inquorate = vote(MeetingBase.ADULT_RESIDENTS, 100, 50, 50)
        assert not inquorate.passed
        with pytest.raises(QuorumNotMet):
            inquorate.require_carried()

    def test_turnout_is_exact(self) -> None:
        """Turnout is a fraction, never a float."""
        assert vote(MeetingBase.ADULT_RESIDENTS, 300, 151).turnout == Fraction(151, 300)


class TestCounts:
    def test_counts_must_nest(self) -> None:
        """Present cannot exceed eligible, nor in favour exceed present."""
        with pytest.raises(InvalidValue):
            vote(MeetingBase.ADULT_RESIDENTS, 10, 11)
        with pytest.raises(InvalidValue):
            vote(MeetingBase.ADULT_RESIDENTS, 10, 5, 6)

    def test_bad_types(self) -> None:
        """Booleans, floats and strings are not counts; a date is not a datetime."""
        for bad in (True, 5.0, "5"):
            with pytest.raises(TypeError):
                vote(MeetingBase.ADULT_RESIDENTS, 10, bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            vote(MeetingBase.ADULT_RESIDENTS, 10, 5, on=pendulum.datetime(2026, 1, 1))  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            vote(MeetingBase.ADULT_RESIDENTS, 10, 5, rules="2018")  # type: ignore[arg-type]

    def test_kind_and_base_agree(self) -> None:
        """Representatives make up the representatives' meeting and only it."""
        with pytest.raises(InvalidValue):
            MeetingVote(
                kind=MeetingKind.RESIDENTS_MEETING,
                held_on=LAST_2018_DAY,
                base=MeetingBase.REPRESENTATIVES,
                eligible=30,
                present=20,
                in_favour=11,
            )
        with pytest.raises(InvalidValue):
            MeetingVote(
                kind=MeetingKind.REPRESENTATIVES_MEETING,
                held_on=LAST_2018_DAY,
                base=MeetingBase.HOUSEHOLDS,
                eligible=30,
                present=20,
                in_favour=11,
            )


def petition(
    base: PetitionBase,
    signed: int,
    total: int,
    on: pendulum.Date = LAST_2018_DAY,
    meeting: MeetingKind = MeetingKind.RESIDENTS_MEETING,
) -> Petition:
    return Petition(meeting=meeting, base=base, signed=signed, total=total, on=on)


class TestPetition:
    @pytest.mark.parametrize("day", [LAST_2018_DAY, FIRST_2026_DAY])
    @pytest.mark.parametrize(
        ("base", "total", "short", "enough"),
        [
            (PetitionBase.ADULT_RESIDENTS, 8_000, 1_599, 1_600),
            (PetitionBase.HOUSEHOLDS, 3_000, 599, 600),
            (PetitionBase.RESIDENTS_GROUPS, 12, 3, 4),
        ],
    )
    def test_art_10_boundaries(
        self, day: pendulum.Date, base: PetitionBase, total: int, short: int, enough: int
    ) -> None:
        """1/5 of adults or households, 1/3 of groups, inclusive (五分之一以上, 三分之一以上)."""
        assert not petition(base, short, total, day).obliges_meeting
        assert petition(base, enough, total, day).obliges_meeting
        assert petition(base, short, total, day).needed == enough

    def test_representatives_may_require_the_assembly_only_from_2026(self) -> None:
        """The 2018 law gives representatives no right; the 2026 set (unverified) gives 1/3."""
        assert not petition(PetitionBase.REPRESENTATIVES, 30, 30).obliges_meeting
        assert petition(PetitionBase.REPRESENTATIVES, 30, 30).needed is None
        assert not petition(PetitionBase.REPRESENTATIVES, 9, 30, FIRST_2026_DAY).obliges_meeting
        assert petition(PetitionBase.REPRESENTATIVES, 10, 30, FIRST_2026_DAY).obliges_meeting

    def test_representatives_meeting_on_a_fifth_of_representatives(self) -> None:
        """Local practice: 1/5 of representatives require their meeting; households cannot."""
        reps = MeetingKind.REPRESENTATIVES_MEETING
        assert not petition(PetitionBase.REPRESENTATIVES, 5, 30, meeting=reps).obliges_meeting
        assert petition(PetitionBase.REPRESENTATIVES, 6, 30, meeting=reps).obliges_meeting
        assert not petition(PetitionBase.HOUSEHOLDS, 3000, 3000, meeting=reps).obliges_meeting

    def test_signed_cannot_exceed_total(self) -> None:
        """More signatures than signers is malformed."""
        with pytest.raises(InvalidValue):
            petition(PetitionBase.HOUSEHOLDS, 11, 10)
        ok = petition(PetitionBase.HOUSEHOLDS, 2, 10)
        with pytest.raises(InvalidValue):
            attrs.evolve(ok, signed=12)
