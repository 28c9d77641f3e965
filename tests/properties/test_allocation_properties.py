"""Properties of profit allocation: conservation, signs, exact shares, reserves, losses, JSON."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import strategies as gst
from grassroots.allocation import (
    AllocationLine,
    AllocationPolicy,
    CarryForward,
    CommunityShare,
    LossCover,
    PeriodAllocation,
    PeriodFigures,
    ProfitAllocation,
    Step,
    _largest_remainder,
    split,
)
from grassroots.money import ROUND_HALF_UP, apportion, to_fen
from grassroots.room import CommonPartIncome
from grassroots.serialization import dumps, loads

ALLOCATIONS = gst.profit_allocations(
    ventures=gst.joint_ventures(max_shareholders=6, min_projects=1, max_projects=4),
    max_periods=4,
)

PAID_OUT = (Step.STATUTORY_RESERVE, Step.DISCRETIONARY_RESERVE, Step.DIVIDEND, Step.RETAINED)


def fen(amount: Decimal) -> int:
    return to_fen(amount)


def cap_fen(allocation: ProfitAllocation) -> int:
    exact = allocation.policy.statutory_reserve_cap * fen(allocation.venture.registered_capital)
    return -(-exact.numerator // exact.denominator)


class TestConservation:
    @given(ALLOCATIONS)
    def test_every_fen_of_profit_goes_somewhere(self, allocation: ProfitAllocation) -> None:
        """Each period's lines add up exactly to its profit, to the fen."""
        for period, figures in zip(allocation.periods, allocation.figures, strict=True):
            assert period.profit == figures.profit
            assert sum(fen(line.amount) for line in period.lines) == fen(figures.profit)

    @given(ALLOCATIONS)
    def test_balances_move_only_by_the_lines(self, allocation: ProfitAllocation) -> None:
        """Each period opens where the last closed, and its lines explain the change."""
        opening = allocation.opening
        for period in allocation.periods:
            assert period.opening == opening
            closing = period.closing
            assert closing.statutory_reserve - opening.statutory_reserve == period.total(
                Step.STATUTORY_RESERVE
            )
            assert closing.loss - opening.loss == -(
                period.total(Step.LOSS_COVERED) + period.total(Step.LOSS_CARRIED)
            )
            opening = closing
        assert allocation.closing == opening

    @given(ALLOCATIONS)
    def test_dividends_come_only_from_this_periods_profit(
        self, allocation: ProfitAllocation
    ) -> None:
        """Dividends never exceed the period's profit after community shares, never capital."""
        for period in allocation.periods:
            before = sum(
                (line.amount for line in period.lines if line.step is Step.COMMUNITY_SHARE),
                Decimal(0),
            )
            waterfall = period.profit - (
                before if allocation.policy.community_share.before_waterfall else 0
            )
            assert period.total(Step.DIVIDEND) <= max(waterfall, Decimal(0))


class TestSigns:
    @given(ALLOCATIONS)
    def test_no_recipient_is_negative(self, allocation: ProfitAllocation) -> None:
        """Compounds, reserves and shareholders never receive a negative amount."""
        for period in allocation.periods:
            for line in period.lines:
                if line.step in (Step.LOSS_CARRIED, Step.LOSS_ABSORBED):
                    assert line.amount <= 0
                else:
                    assert line.amount >= 0
            for balance in (period.closing.loss, period.closing.retained):
                assert balance >= 0


class TestExactShares:
    @given(ALLOCATIONS)
    def test_each_dividend_is_within_one_fen_of_exact(self, allocation: ProfitAllocation) -> None:
        """A dividend is the floor or ceiling of paid × weight / total weight."""
        for period in allocation.periods:
            for line in period.lines:
                if line.step is Step.DIVIDEND and line.rate is not None:
                    exact = line.rate * fen(line.base)
                    assert abs(fen(line.amount) - exact) < 1

    @given(ALLOCATIONS)
    def test_each_community_share_is_within_one_fen_of_exact(
        self, allocation: ProfitAllocation
    ) -> None:
        """A community share before the waterfall is rate × base rounded by the named mode."""
        share = allocation.policy.community_share
        if not share.before_waterfall:
            return
        for period in allocation.periods:
            for line in period.lines:
                if line.step is Step.COMMUNITY_SHARE:
                    base = fen(line.base)
                    exact = share.rate * base if base > 0 else Fraction(0)
                    error = abs(fen(line.amount) - exact)
                    if allocation.policy.rounding == ROUND_HALF_UP:
                        assert error <= Fraction(1, 2)
                    else:
                        assert error < 1
                        assert fen(line.amount) <= exact

    @given(ALLOCATIONS)
    def test_community_never_shares_a_loss(self, allocation: ProfitAllocation) -> None:
        """A project with no profit pays its compound nothing."""
        for period, figures in zip(allocation.periods, allocation.figures, strict=True):
            losing = {r.project for r in figures.projects if r.net_profit <= 0}
            share = allocation.policy.community_share
            if share.base.value == "pre_tax_profit":
                losing = {
                    r.project
                    for r in figures.projects
                    if r.pre_tax_profit is not None and r.pre_tax_profit <= 0
                }
            for line in period.lines:
                if line.step is Step.COMMUNITY_SHARE and line.project in losing:
                    assert line.amount == 0

    @given(
        st.integers(min_value=0, max_value=10**12).map(lambda f: Decimal(f) / 100),
        st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30).filter(any),
    )
    def test_split_is_exact_and_within_quota(self, total: Decimal, weights: list[int]) -> None:
        """split() conserves the total and gives each the floor or ceiling of its quota."""
        parts = split(total, {str(i): w for i, w in enumerate(weights)})
        assert sum(parts.values()) == total
        whole = sum(weights)
        for key, part in parts.items():
            quota = Fraction(fen(total) * weights[int(key)], whole)
            assert quota - 1 < fen(part) < quota + 1

    @given(
        st.integers(min_value=0, max_value=10**9),
        st.integers(min_value=1, max_value=40),
    )
    def test_equal_weights_differ_by_at_most_one_fen(self, total: int, count: int) -> None:
        """Equal weights get parts at most one fen apart, the earlier ones larger."""
        parts = list(split(Decimal(total) / 100, {str(i): 1 for i in range(count)}).values())
        assert max(parts) - min(parts) <= Decimal("0.01")
        assert parts == sorted(parts, reverse=True)


class TestReserves:
    @given(ALLOCATIONS)
    def test_reserve_never_exceeds_its_cap(self, allocation: ProfitAllocation) -> None:
        """The statutory reserve stays at or below its cap (rounded up to the fen) once there."""
        cap = cap_fen(allocation)
        for period in allocation.periods:
            if fen(period.opening.statutory_reserve) <= cap:
                assert fen(period.closing.statutory_reserve) <= cap

    @given(ALLOCATIONS)
    def test_reserve_only_taken_while_below_the_cap(self, allocation: ProfitAllocation) -> None:
        """Nothing is added to a reserve that has reached its cap."""
        cap = cap_fen(allocation)
        for period in allocation.periods:
            if fen(period.opening.statutory_reserve) >= cap:
                assert period.total(Step.STATUTORY_RESERVE) == 0

    @given(ALLOCATIONS)
    def test_reserve_is_the_rate_of_what_is_left_or_what_reaches_the_cap(
        self, allocation: ProfitAllocation
    ) -> None:
        """Below the cap, the reserve is min(rate × profit after losses, room left)."""
        cap = cap_fen(allocation)
        policy = allocation.policy
        for period in allocation.periods:
            lines = [line for line in period.lines if line.step is Step.STATUTORY_RESERVE]
            if not lines or fen(period.opening.statutory_reserve) >= cap:
                continue
            (line,) = lines
            exact = policy.statutory_reserve_rate * fen(line.base)
            room = cap - fen(period.opening.statutory_reserve)
            taken = fen(line.amount)
            assert taken <= room
            if taken < room:
                assert abs(taken - exact) <= (
                    Fraction(1, 2) if policy.rounding == ROUND_HALF_UP else Fraction(1)
                )


class TestLossesFirst:
    @given(ALLOCATIONS)
    def test_losses_are_covered_before_anything_is_reserved_or_paid(
        self, allocation: ProfitAllocation
    ) -> None:
        """While a loss stays carried, nothing goes to reserves, shareholders or retained profit."""
        for period in allocation.periods:
            if period.closing.loss > 0:
                for step in PAID_OUT:
                    assert period.total(step) == 0
                if not allocation.policy.community_share.before_waterfall:
                    assert period.total(Step.COMMUNITY_SHARE) == 0

    @given(ALLOCATIONS)
    def test_a_loss_period_reserves_and_pays_nothing(self, allocation: ProfitAllocation) -> None:
        """A period with a loss after community shares only carries or absorbs it."""
        for period in allocation.periods:
            if period.total(Step.LOSS_CARRIED) < 0 or period.total(Step.LOSS_ABSORBED) < 0:
                assert all(period.total(step) == 0 for step in PAID_OUT)


class TestRoundTrip:
    @given(ALLOCATIONS)
    def test_allocation_round_trips(self, allocation: ProfitAllocation) -> None:
        """A profit allocation and each of its parts survive JSON unchanged."""
        assert loads(dumps(allocation), ProfitAllocation) == allocation
        assert loads(dumps(allocation.policy), AllocationPolicy) == allocation.policy
        assert loads(dumps(allocation.opening), CarryForward) == allocation.opening
        for figures in allocation.figures:
            assert loads(dumps(figures), PeriodFigures) == figures
        for period in allocation.periods:
            assert loads(dumps(period), PeriodAllocation) == period
            for line in period.lines:
                assert loads(dumps(line), AllocationLine) == line

    @given(gst.allocation_policies())
    def test_policy_round_trips(self, policy: AllocationPolicy) -> None:
        """Every drawable policy survives JSON."""
        assert loads(dumps(policy), AllocationPolicy) == policy
        assert loads(dumps(policy.community_share), CommunityShare) == policy.community_share


@pytest.mark.slow
class TestThorough:
    @given(
        gst.profit_allocations(
            ventures=gst.joint_ventures(max_projects=6), min_periods=3, max_periods=8
        )
    )
    def test_conservation_over_long_runs(self, allocation: ProfitAllocation) -> None:
        """Conservation and carry-forward hold over many periods and shareholders."""
        total = sum((p.profit for p in allocation.periods), Decimal(0))
        placed = sum((line.amount for p in allocation.periods for line in p.lines), Decimal(0))
        assert placed == total
        for before, after in zip(allocation.periods, allocation.periods[1:], strict=False):
            assert after.opening == before.closing


def _position(carry: CarryForward) -> Decimal:
    """What the balances are worth to the shareholders: reserves and kept profit, less losses."""
    return (
        carry.statutory_reserve
        + carry.discretionary_reserve
        + carry.capital_reserve
        + carry.retained
        - carry.loss
    )


@st.composite
def _either_cover(draw: st.DrawFn) -> ProfitAllocation:
    venture = draw(gst.joint_ventures(max_shareholders=4, max_projects=2))
    opening = draw(gst.carry_forwards())
    capital = draw(st.integers(min_value=0, max_value=10**9).map(lambda f: Decimal(f).scaleb(-2)))
    return ProfitAllocation(
        venture=venture,
        figures=[
            draw(gst.period_figures(venture, labels=st.just(f"P{n}")))
            for n in range(draw(st.integers(1, 3)))
        ],
        policy=draw(gst.allocation_policies(loss_covers=st.sampled_from(LossCover))),
        opening=attrs.evolve(opening, capital_reserve=capital),
    )


class TestLossCover:
    """公司法 arts 210 ¶2 and 214 ¶2, for every figure and either order."""

    @given(_either_cover())
    def test_the_shareholders_position_is_conserved(self, allocation: ProfitAllocation) -> None:
        """Balances move by the profit less what leaves the venture, whichever covers the loss."""
        for period in allocation.periods:
            left = period.total(Step.DIVIDEND) + period.total(Step.COMMUNITY_SHARE)
            assert _position(period.closing) == _position(period.opening) + period.profit - left

    @given(_either_cover())
    def test_reserves_cover_in_order_and_never_more_than_the_loss(
        self, allocation: ProfitAllocation
    ) -> None:
        """Discretionary, statutory, then capital reserve; together at most the loss."""
        for period in allocation.periods:
            drawn = [ln for ln in period.lines if ln.step is Step.RESERVE_COVERS_LOSS]
            if allocation.policy.loss_cover is LossCover.PROFIT_FIRST:
                assert drawn == []
                continue
            order = ["discretionary_reserve", "statutory_reserve", "capital_reserve"]
            assert [ln.recipient for ln in drawn] == sorted(
                (ln.recipient for ln in drawn), key=order.index
            )
            assert sum(ln.amount for ln in drawn) <= period.opening.loss
            opening = period.opening
            if opening.loss > sum(ln.amount for ln in drawn):
                # what is left of the loss means every reserve was used up
                for name in order:
                    used = sum((ln.amount for ln in drawn if ln.recipient == name), Decimal(0))
                    assert used == getattr(opening, name)

    @given(_either_cover())
    def test_profit_covers_only_what_the_reserves_cannot(
        self, allocation: ProfitAllocation
    ) -> None:
        """Reserves first: profit covers a loss only when every reserve is spent."""
        if allocation.policy.loss_cover is not LossCover.RESERVES_FIRST:
            return
        for period in allocation.periods:
            if period.total(Step.LOSS_COVERED) > 0:
                drawn = period.total(Step.RESERVE_COVERS_LOSS)
                opening = period.opening
                assert drawn == (
                    opening.discretionary_reserve
                    + opening.statutory_reserve
                    + opening.capital_reserve
                )


class TestOwnersShares:
    """民法典 art. 283 for all inputs: the owners' shares are exact to the fen."""

    @given(
        net=st.integers(min_value=0, max_value=10**10),
        areas=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=30).filter(
            any
        ),
    )
    def test_shares_sum_to_the_net_and_each_is_within_a_fen(
        self, net: int, areas: list[int]
    ) -> None:
        """Parts sum to what is owed; each is the floor or the ceiling of its exact share."""
        income = CommonPartIncome(
            room_id="r1", subcommunity_id="x1", period="P", gross=Decimal(net).scaleb(-2)
        )
        by_owner = {f"o{n}": Decimal(a).scaleb(-2) for n, a in enumerate(areas)}
        shares = income.shares(by_owner)
        assert sum(fen(v) for v in shares.values()) == net
        total = sum(areas)
        for area, value in zip(areas, shares.values(), strict=True):
            exact = Fraction(net * area, total)
            assert exact - 1 < fen(value) < exact + 1


class TestLinearSplit:
    """The linear split gives exactly the parts of the sort-based apportionment."""

    @given(
        total=st.integers(min_value=0, max_value=10**12),
        weights=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=60).filter(
            any
        ),
    )
    def test_same_parts_as_apportion(self, total: int, weights: list[int]) -> None:
        """Floors, leftover fen to the largest remainders, ties to the earlier: as apportion."""
        assert _largest_remainder(total, weights) == list(apportion(total, weights))

    @given(st.integers(min_value=1, max_value=5_000), st.integers(min_value=0, max_value=10**6))
    def test_equal_weights_many_recipients(self, count: int, total: int) -> None:
        """Many equal remainders (one boundary bucket holds them all) still match apportion."""
        assert _largest_remainder(total, [7] * count) == list(apportion(total, [7] * count))
