"""Properties of joint ventures: state share after equity changes, thresholds, coalitions."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import errors
from grassroots import strategies as gst
from grassroots.money import from_fen, to_fen
from grassroots.serialization import dumps, loads
from grassroots.venture import (
    SPECIAL_MATTERS,
    CapitalIncrease,
    CapitalPayment,
    CapitalReduction,
    EquityChange,
    EquityTransfer,
    JointVenture,
    Matter,
    Project,
    ResolutionKind,
    Shareholder,
    ShareholderKind,
    Shareholding,
    VotingBasis,
)

VENTURES = gst.joint_ventures(max_shareholders=8)
ORDINARY, SPECIAL = ResolutionKind.ORDINARY, ResolutionKind.SPECIAL


def two_holders(first_fen: int, second_fen: int) -> JointVenture:
    return JointVenture(
        id="jv",
        name="jv",
        holdings=[
            Shareholding(
                shareholder=Shareholder(id="a", name="A", kind=ShareholderKind.STATE_OWNED),
                subscribed=from_fen(first_fen),
            ),
            Shareholding(
                shareholder=Shareholder(id="b", name="B", kind=ShareholderKind.COLLECTIVE),
                subscribed=from_fen(second_fen),
            ),
        ],
        min_state_share=None,
    )


def policy_holds(venture: JointVenture) -> bool:
    policy = venture.min_state_share
    if policy is None:
        return True
    state = sum(
        to_fen(h.subscribed) for h in venture.holdings if h.kind is ShareholderKind.STATE_OWNED
    )
    return policy.met(state, to_fen(venture.registered_capital))


class TestStateShare:
    @given(VENTURES, st.data())
    def test_policy_holds_after_any_accepted_sequence(
        self, venture: JointVenture, data: st.DataObject
    ) -> None:
        """Whatever equity changes are accepted, the state-share policy and art. 42 still hold."""
        for _ in range(data.draw(st.integers(min_value=1, max_value=8), label="steps")):
            change = data.draw(gst.equity_changes(venture), label="change")
            try:
                after = venture.apply(change)
            except errors.GrassrootsError:
                continue  # refused: the venture is a value and is unchanged
            assert policy_holds(after)
            assert 1 <= len(after.holdings) <= 50
            assert all(0 <= h.paid_in <= h.subscribed for h in after.holdings)
            venture = after

    @given(VENTURES, st.data())
    def test_accepted_changes_move_capital_as_they_say(
        self, venture: JointVenture, data: st.DataObject
    ) -> None:
        """Transfers and payments keep registered capital; increases and reductions change it."""
        change: EquityChange = data.draw(gst.equity_changes(venture))
        try:
            after = venture.apply(change)
        except errors.GrassrootsError:
            return
        before = venture.registered_capital
        if isinstance(change, EquityTransfer | CapitalPayment):
            assert after.registered_capital == before
        elif isinstance(change, CapitalIncrease):
            assert after.registered_capital == before + change.subscribed
        elif isinstance(change, CapitalReduction):
            assert after.registered_capital == before - change.subscribed
        if isinstance(change, CapitalPayment):
            assert after.paid_in_capital == venture.paid_in_capital + change.amount

    @given(VENTURES, st.data())
    def test_capital_changes_need_a_special_resolution(
        self, venture: JointVenture, data: st.DataObject
    ) -> None:
        """An accepted increase or reduction was approved by at least two thirds of the votes."""
        change = data.draw(gst.equity_changes(venture))
        try:
            venture.apply(change)
        except errors.GrassrootsError:
            return
        if isinstance(change, CapitalIncrease | CapitalReduction):
            assert venture.can_carry(SPECIAL, change.approved_by)


class TestThresholds:
    @given(st.integers(min_value=1, max_value=10**10))
    def test_exactly_half_does_not_carry_an_ordinary_resolution(self, half: int) -> None:
        """50% is not more than half (art. 66 ¶2); each side blocks the other."""
        venture = two_holders(half, half)
        assert not venture.can_carry(ORDINARY, {"a"})
        assert venture.can_block(ORDINARY, {"b"})
        assert venture.can_carry(ORDINARY, {"a", "b"})

    @given(st.integers(min_value=1, max_value=10**10))
    def test_half_plus_one_fen_carries_an_ordinary_resolution(self, half: int) -> None:
        """50% of the capital plus one fen carries an ordinary resolution alone."""
        venture = two_holders(half + 1, half)
        assert venture.can_carry(ORDINARY, {"a"})
        assert not venture.can_block(ORDINARY, {"b"})

    @given(st.integers(min_value=1, max_value=10**10))
    def test_exactly_two_thirds_carries_a_special_resolution(self, third: int) -> None:
        """Two thirds or more carries a special resolution (art. 66 ¶3, inclusive)."""
        venture = two_holders(2 * third, third)
        assert venture.can_carry(SPECIAL, {"a"})
        assert not venture.can_block(SPECIAL, {"b"})

    @given(st.integers(min_value=1, max_value=10**10))
    def test_two_thirds_less_one_fen_does_not(self, third: int) -> None:
        """One fen below two thirds fails, and the other side blocks."""
        venture = two_holders(2 * third - 1, third + 1)
        assert not venture.can_carry(SPECIAL, {"a"})
        assert venture.can_block(SPECIAL, {"b"})

    @given(VENTURES)
    def test_vote_share_is_exact(self, venture: JointVenture) -> None:
        """Voting shares are exact fractions summing to one."""
        shares = venture.voting_shares()
        assert sum(shares.values()) == 1
        if venture.voting is VotingBasis.SUBSCRIBED:
            for holding in venture.holdings:
                assert shares[holding.id] == venture.capital_share(holding.id)


class TestCoalitions:
    @given(gst.joint_ventures(max_shareholders=6), st.sampled_from(ResolutionKind))
    def test_minimal_coalitions_match_brute_force(
        self, venture: JointVenture, kind: ResolutionKind
    ) -> None:
        """The listed minimal carrying and blocking coalitions are exactly those found by search."""
        ids = venture.shareholder_ids
        groups = [frozenset(c) for r in range(len(ids) + 1) for c in itertools.combinations(ids, r)]
        for listed, test in (
            (venture.carrying_coalitions(kind), venture.can_carry),
            (venture.blocking_coalitions(kind), venture.can_block),
        ):
            winning = {g for g in groups if test(kind, g)}
            minimal = {g for g in winning if not any(test(kind, g - {m}) for m in g)}
            assert set(listed) == minimal
            assert len(listed) == len(set(listed))

    @given(gst.joint_ventures(max_shareholders=6), st.data())
    def test_blocking_is_the_complement_failing(
        self, venture: JointVenture, data: st.DataObject
    ) -> None:
        """A coalition blocks exactly when the others cannot carry."""
        ids = venture.shareholder_ids
        coalition = data.draw(st.frozensets(st.sampled_from(ids)))
        for kind in ResolutionKind:
            assert venture.can_block(kind, coalition) == (
                not venture.can_carry(kind, set(ids) - coalition)
            )


class TestRoundTrip:
    @given(VENTURES)
    def test_venture_round_trips(self, venture: JointVenture) -> None:
        """A venture and its parts survive JSON unchanged."""
        assert loads(dumps(venture), JointVenture) == venture
        for holding in venture.holdings:
            assert loads(dumps(holding), Shareholding) == holding
        for project in venture.projects:
            assert loads(dumps(project), Project) == project

    @given(VENTURES, st.data())
    def test_changes_round_trip(self, venture: JointVenture, data: st.DataObject) -> None:
        """Every equity change survives JSON, read as the union or as its own class."""
        change = data.draw(gst.equity_changes(venture))
        text = dumps(change)
        union: Any = EquityChange
        assert loads(text, union) == change
        assert loads(text, type(change)) == change

    @given(VENTURES, st.sampled_from(ResolutionKind), st.data())
    def test_resolutions_round_trip(
        self, venture: JointVenture, kind: ResolutionKind, data: st.DataObject
    ) -> None:
        """A resolution's outcome survives JSON."""
        voters = data.draw(st.frozensets(st.sampled_from(venture.shareholder_ids)))
        outcome = venture.vote(kind, in_favour=voters)
        assert loads(dumps(outcome), type(outcome)) == outcome
        assert outcome.votes_for == sum((venture.voting_shares()[v] for v in voters), Fraction(0))
        staffing = venture.staffing()
        assert loads(dumps(staffing), type(staffing)) == staffing
        assert isinstance(venture.registered_capital, Decimal)


class TestSpecialMattersForAll:
    """公司法 art. 66 ¶3 for every venture and coalition."""

    @given(gst.joint_ventures(max_shareholders=6), st.data())
    def test_a_special_matter_passes_exactly_with_two_thirds(
        self, venture: Any, data: st.DataObject
    ) -> None:
        """A special matter passes iff the coalition has two thirds or more of all votes."""
        matter = data.draw(st.sampled_from(sorted(SPECIAL_MATTERS, key=lambda m: m.value)))
        coalition = data.draw(st.sets(st.sampled_from(venture.shareholder_ids)))
        shares = venture.voting_shares()
        part = sum((shares[c] for c in coalition), Fraction(0))
        outcome = venture.resolve(matter, in_favour=coalition)
        assert outcome.passed == (part >= Fraction(2, 3))
        assert outcome.matter is matter
        assert isinstance(matter, Matter)

    @given(gst.joint_ventures(max_shareholders=6), st.data())
    def test_an_ordinary_kind_is_always_refused_for_a_special_matter(
        self, venture: Any, data: st.DataObject
    ) -> None:
        """Whatever the votes, a special matter is never decided by an ordinary resolution."""
        matter = data.draw(st.sampled_from(sorted(SPECIAL_MATTERS, key=lambda m: m.value)))
        coalition = data.draw(st.sets(st.sampled_from(venture.shareholder_ids)))
        with pytest.raises(errors.ResolutionNotPassed, match=r"art\. 66 ¶3"):
            venture.resolve(matter, in_favour=coalition, kind=ResolutionKind.ORDINARY)
