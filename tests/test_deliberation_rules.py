"""Rule sets of the residents' committee law, versioned by effective date."""

from __future__ import annotations

import itertools
from fractions import Fraction

import attrs
import pendulum
import pytest

from grassroots.deliberation import RULE_SETS, RULES_2018, RULES_2026, MeetingBase, rules_for
from grassroots.deliberation.rules import HOUSEHOLDS_QUORUM_2026, QUORUM_2018, RuleSet
from grassroots.errors import InvalidValue, NoRuleSet
from grassroots.serialization import dumps, loads
from grassroots.threshold import Base, Threshold


class TestRulesFor:
    def test_the_day_picks_the_set(self) -> None:
        """2025-12-31 is under the 2018 text, 2026-01-01 under the revised law."""
        assert rules_for(pendulum.Date(2025, 12, 31)) is RULES_2018
        assert rules_for(pendulum.Date(2026, 1, 1)) is RULES_2026
        assert rules_for(pendulum.Date(2026, 12, 2)) is RULES_2026

    def test_before_the_law_no_set(self) -> None:
        """The 1989 law came into force on 1990-01-01."""
        assert rules_for(pendulum.Date(1990, 1, 1)) is RULES_2018
        with pytest.raises(NoRuleSet):
            rules_for(pendulum.Date(1989, 12, 31))

    def test_overlapping_sets_are_refused(self) -> None:
        """Two sets for one day is a contradiction, not a choice."""
        twin = attrs.evolve(RULES_2026, name="charter")
        with pytest.raises(InvalidValue):
            rules_for(pendulum.Date(2026, 5, 1), [RULES_2026, twin])

    def test_a_string_is_not_a_collection_of_sets(self) -> None:
        """A bare string of sets is API misuse."""
        with pytest.raises(TypeError):
            rules_for(pendulum.Date(2026, 5, 1), "2026")  # type: ignore[arg-type]

    def test_shipped_sets_are_contiguous(self) -> None:
        """Each shipped set starts the day after the previous one ends."""
        for earlier, later in itertools.pairwise(RULE_SETS):
            assert earlier.effective_until is not None
            assert earlier.effective_until.add(days=1) == later.effective_from


class TestRuleSet:
    def test_2018_is_verified_and_2026_is_not(self) -> None:
        """Only the 2018 figures were checked against the official text."""
        assert (RULES_2018.verified, RULES_2026.verified) == (True, False)
        assert "unverified" in RULES_2026.source

    def test_figures(self) -> None:
        """The named constants hold the legal figures."""
        expected = Threshold(ratio=Fraction(1, 2), base=Base.ALL_ELIGIBLE, inclusive=False)
        assert expected == QUORUM_2018
        assert RULES_2026.quorum_for(MeetingBase.HOUSEHOLDS) == HOUSEHOLDS_QUORUM_2026
        assert HOUSEHOLDS_QUORUM_2026.inclusive
        assert HOUSEHOLDS_QUORUM_2026.ratio == Fraction(2, 3)

    def test_backwards_range_is_refused(self) -> None:
        """A set cannot end before it starts."""
        with pytest.raises(InvalidValue):
            attrs.evolve(RULES_2026, effective_until=pendulum.Date(2025, 1, 1))

    def test_wrong_base_is_refused(self) -> None:
        """A quorum is of the eligible, passing of those present."""
        with pytest.raises(InvalidValue):
            attrs.evolve(RULES_2018, passing=QUORUM_2018)
        with pytest.raises(InvalidValue):
            attrs.evolve(
                RULES_2018,
                quorum_adults=Threshold(ratio=Fraction(1, 2), base=Base.PRESENT, inclusive=False),
            )
        with pytest.raises(TypeError):
            attrs.evolve(RULES_2018, quorum_adults="1/2")

    def test_a_custom_set_round_trips(self) -> None:
        """A local charter's set survives JSON."""
        charter = RuleSet(
            name="charter",
            source="某社区居民自治章程",
            effective_from=pendulum.Date(2026, 1, 1),
            verified=False,
        )
        assert loads(dumps(charter), RuleSet) == charter
