"""The exported strategies for joint ventures and profit allocations keep their promises."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from grassroots import errors
from grassroots import strategies as gst
from grassroots.allocation import AllocationPolicy, CarryForward, PeriodFigures, ProfitAllocation
from grassroots.serialization import dumps, loads
from grassroots.venture import (
    STATE_SHARE_MINIMUM,
    JointVenture,
    Project,
    Shareholder,
    ShareholderKind,
    Shareholding,
    VotingBasis,
)


class TestJointVentures:
    @given(
        gst.joint_ventures(min_shareholders=2, max_shareholders=4, min_projects=1, max_projects=2)
    )
    def test_bounds_hold(self, venture: JointVenture) -> None:
        """Shareholder and project counts stay within the bounds asked for."""
        assert 2 <= len(venture.holdings) <= 4
        assert 1 <= len(venture.projects) <= 2

    @given(
        gst.joint_ventures(max_shareholders=5, state_share_minimums=st.just(STATE_SHARE_MINIMUM))
    )
    def test_the_state_policy_holds(self, venture: JointVenture) -> None:
        """Every drawn venture meets its state-share policy."""
        assert venture.state_share() >= STATE_SHARE_MINIMUM.ratio

    @given(gst.joint_ventures(max_shareholders=5, voting_bases=st.just(VotingBasis.ARTICLES)))
    def test_voting_basis_is_respected(self, venture: JointVenture) -> None:
        """Ventures whose articles set votes give every holding a vote weight."""
        assert all(h.votes is not None for h in venture.holdings)

    @given(gst.joint_ventures(max_shareholders=5))
    def test_draws_round_trip(self, venture: JointVenture) -> None:
        """Drawn ventures survive JSON."""
        assert loads(dumps(venture), JointVenture) == venture

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"min_shareholders": 0},
            {"max_shareholders": 51},
            {"min_shareholders": 3, "max_shareholders": 2},
            {"min_projects": -1},
            {"min_projects": 2, "max_projects": 1},
            {"max_capital": "0.001"},
            {"max_capital": "0"},
        ],
    )
    def test_bad_arguments_raise(self, kwargs: dict[str, object]) -> None:
        """Impossible bounds raise InvalidArgument when the strategy is drawn from."""
        with pytest.raises(InvalidArgument):
            gst.joint_ventures(**kwargs)  # type: ignore[arg-type]


class TestParts:
    @given(gst.shareholders(kinds=st.just(ShareholderKind.COLLECTIVE)))
    def test_shareholders(self, holder: Shareholder) -> None:
        """Shareholders come with the kinds asked for."""
        assert holder.kind is ShareholderKind.COLLECTIVE

    @given(gst.projects(subcommunities=st.just("compound-a"), max_staff=2))
    def test_projects(self, project: Project) -> None:
        """Projects are in the compounds asked for, with at most max_staff hires."""
        assert project.subcommunity == "compound-a"
        assert len(project.staff) <= 2

    def test_projects_refuse_negative_staff(self) -> None:
        """A negative staff bound is an invalid argument."""
        with pytest.raises(InvalidArgument):
            gst.projects(max_staff=-1)

    @given(gst.joint_ventures(max_shareholders=4), st.data())
    def test_equity_changes_name_the_ventures_shareholders(
        self, venture: JointVenture, data: st.DataObject
    ) -> None:
        """A drawn change is accepted or refused with a grassroots error naming its rule."""
        change = data.draw(gst.equity_changes(venture))
        refusal: errors.GrassrootsError | None = None
        try:
            venture.apply(change)
        except errors.GrassrootsError as exc:
            refusal = exc
        assert refusal is None or refusal.rule

    def test_equity_changes_need_a_venture(self) -> None:
        """Passing something other than a venture is an invalid argument."""
        with pytest.raises(InvalidArgument):
            gst.equity_changes("jv")  # type: ignore[arg-type]

    @given(gst.joint_ventures(max_shareholders=3, min_projects=1), st.data())
    def test_period_figures_stay_in_bounds(
        self, venture: JointVenture, data: st.DataObject
    ) -> None:
        """Project profits and other profit lie within min_value and max_value."""
        figures: PeriodFigures = data.draw(
            gst.period_figures(venture, min_value="-100", max_value="100")
        )
        amounts = [r.net_profit for r in figures.projects] + [figures.other_profit]
        assert all(Decimal(-100) <= amount <= Decimal(100) for amount in amounts)
        assert {r.project for r in figures.projects} <= {p.id for p in venture.projects}

    def test_period_figures_refuse_crossed_bounds(self) -> None:
        """min_value above max_value is an invalid argument."""
        holder = Shareholder(id="soe", name="国企", kind=ShareholderKind.STATE_OWNED)
        venture = JointVenture(
            id="jv", name="jv", holdings=[Shareholding(shareholder=holder, subscribed=Decimal(1))]
        )
        with pytest.raises(InvalidArgument):
            gst.period_figures(venture, min_value=1, max_value=0)

    @given(gst.joint_ventures(max_shareholders=4), st.data())
    def test_policies_with_a_venture_may_agree_a_ratio(
        self, venture: JointVenture, data: st.DataObject
    ) -> None:
        """A drawn agreement is agreed by every shareholder of the venture."""
        policy: AllocationPolicy = data.draw(gst.allocation_policies(venture=venture))
        if policy.agreement is not None:
            policy.agreement.check(venture)

    @given(gst.carry_forwards(max_value=1000))
    def test_carry_forwards(self, carried: CarryForward) -> None:
        """Carried balances are within bounds and never a loss beside retained profit."""
        assert carried.loss == 0 or carried.retained == 0
        assert carried.statutory_reserve <= 1000

    def test_carry_forwards_refuse_negative_bounds(self) -> None:
        """A negative maximum is an invalid argument."""
        with pytest.raises(InvalidArgument):
            gst.carry_forwards(max_value=-1)


class TestProfitAllocations:
    @given(
        gst.profit_allocations(
            ventures=gst.joint_ventures(max_shareholders=3, max_projects=2),
            min_periods=2,
            max_periods=3,
        )
    )
    def test_period_count_and_labels(self, allocation: ProfitAllocation) -> None:
        """The number of periods lies within the bounds, labelled P1, P2, ..."""
        labels = [p.period for p in allocation.periods]
        assert labels in (["P1", "P2"], ["P1", "P2", "P3"])

    def test_bad_period_bounds(self) -> None:
        """min_periods above max_periods is an invalid argument."""
        with pytest.raises(InvalidArgument):
            gst.profit_allocations(min_periods=3, max_periods=2)

    def test_all_exported(self) -> None:
        """The venture strategies are listed in grassroots.strategies.__all__."""
        for name in (
            "allocation_policies",
            "carry_forwards",
            "equity_changes",
            "joint_ventures",
            "period_figures",
            "profit_allocations",
            "projects",
            "shareholders",
        ):
            assert name in gst.__all__


class TestVenturesWithoutProjects:
    @given(st.data())
    def test_period_figures_for_a_venture_without_projects(self, data: st.DataObject) -> None:
        """A venture drawn without projects still gets period figures, with no project results."""
        venture = data.draw(gst.joint_ventures(max_projects=0))
        figures = data.draw(gst.period_figures(venture))
        assert figures.projects == ()
