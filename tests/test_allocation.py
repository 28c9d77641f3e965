"""Profit allocation: worked examples checked by hand, one per rule."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest

from grassroots import errors
from grassroots.allocation import (
    AgreedShare,
    AllocationLine,
    AllocationPolicy,
    CarryForward,
    CommunityShare,
    CommunityShareBase,
    CommunityShareForm,
    DividendAgreement,
    LossCover,
    PeriodAllocation,
    PeriodFigures,
    ProfitAllocation,
    ProjectResult,
    Step,
    max_reserve_conversion,
    owners_income,
    split,
)
from grassroots.money import ROUND_DOWN, apportion
from grassroots.room import Ownership, PublicServiceRoom
from grassroots.serialization import dumps, loads, structure, unstructure
from grassroots.venture import (
    JointVenture,
    Project,
    ProjectKind,
    Shareholder,
    ShareholderKind,
    Shareholding,
)

SOE = Shareholder(id="soe", name="国企", kind=ShareholderKind.STATE_OWNED)
COLL = Shareholder(id="coll", name="集体经济组织", kind=ShareholderKind.COLLECTIVE)
PROJECTS = (
    Project(
        id="store",
        name="24小时便利店",
        kind=ProjectKind.CONVENIENCE_STORE,
        subcommunity="dongcheng",
    ),
    Project(id="home", name="家政服务公司", kind=ProjectKind.HOUSEKEEPING, subcommunity="xicheng"),
    Project(
        id="canteen", name="幸福食堂", kind=ProjectKind.HAPPINESS_CANTEEN, subcommunity="nancheng"
    ),
)


def tancheng(soe_paid: str = "510000", coll_paid: str = "490000") -> JointVenture:
    """The case's venture: 510,000 state, 490,000 collective, three projects."""
    return JointVenture(
        id="jv",
        name="郯城合资公司",
        holdings=[
            Shareholding(shareholder=SOE, subscribed=Decimal(510000), paid_in=Decimal(soe_paid)),
            Shareholding(shareholder=COLL, subscribed=Decimal(490000), paid_in=Decimal(coll_paid)),
        ],
        projects=PROJECTS,
    )


def year(label: str, *results: tuple[str, str], other: str = "0") -> PeriodFigures:
    return PeriodFigures(
        period=label,
        projects=[ProjectResult(project=p, net_profit=Decimal(n)) for p, n in results],
        other_profit=Decimal(other),
    )


def run(*figures: PeriodFigures, **kwargs: object) -> ProfitAllocation:
    kwargs.setdefault("venture", tancheng())
    return ProfitAllocation(figures=figures, **kwargs)  # type: ignore[arg-type]


def y(text: str) -> Decimal:
    return Decimal(text)


class TestCommunityShare:
    def test_ten_percent_of_each_projects_net_profit(self) -> None:
        """Case rule: 10% of a project's after-tax net profit goes to its compound."""
        period = run(year("2024", ("store", "100000"), ("home", "40000"))).periods[0]
        assert period.community_shares() == {"dongcheng": y("10000.00"), "xicheng": y("4000.00")}
        line = period.lines[0]
        assert (line.step, line.base, line.rate, line.project) == (
            Step.COMMUNITY_SHARE,
            y("100000.00"),
            Fraction(1, 10),
            "store",
        )
        assert "contractual fee" in line.rule

    def test_never_on_a_loss(self) -> None:
        """A project with a loss pays no community share, and the line says why."""
        period = run(year("2024", ("store", "100000"), ("canteen", "-5000"))).periods[0]
        assert period.community_shares() == {"dongcheng": y("10000.00"), "nancheng": y("0.00")}
        assert period.lines[1].note == "no community share on a loss"

    def test_rounding_is_named(self) -> None:
        """10% of 33,333.35 is 3,333.335: half up gives .34, round down .33."""
        half_up = run(year("2024", ("home", "33333.35"))).periods[0]
        down = run(year("2024", ("home", "33333.35")), policy=AllocationPolicy(rounding=ROUND_DOWN))
        assert half_up.community_shares() == {"xicheng": y("3333.34")}
        assert down.periods[0].community_shares() == {"xicheng": y("3333.33")}

    def test_pre_tax_base(self) -> None:
        """With a pre-tax base, 10% of 120,000 pre-tax profit is 12,000."""
        policy = AllocationPolicy(
            community_share=CommunityShare(base=CommunityShareBase.PRE_TAX_PROFIT)
        )
        figures = PeriodFigures(
            period="2024",
            projects=[
                ProjectResult(project="store", net_profit=y("100000"), pre_tax_profit=y("120000"))
            ],
        )
        period = run(figures, policy=policy).periods[0]
        assert period.community_shares() == {"dongcheng": y("12000.00")}
        # waterfall on 100,000 - 12,000 = 88,000: reserve 8,800, dividends 79,200
        assert period.total(Step.STATUTORY_RESERVE) == y("8800.00")
        assert period.total(Step.DIVIDEND) == y("79200.00")

    def test_pre_tax_base_needs_pre_tax_figures(self) -> None:
        """A pre-tax base without a pre-tax figure is refused."""
        policy = AllocationPolicy(
            community_share=CommunityShare(base=CommunityShareBase.PRE_TAX_PROFIT)
        )
        with pytest.raises(errors.AllocationError, match="pre-tax"):
            run(year("2024", ("store", "1")), policy=policy)

    def test_distributable_base(self) -> None:
        """On distributable profit, the share follows the reserve and is split by project profit.

        Store 90,000 and housekeeping 10,000: profit 100,000, reserve 10,000,
        distributable 90,000, pool 9,000 split 9:1 = 8,100 and 900; dividends 81,000.
        """
        policy = AllocationPolicy(
            community_share=CommunityShare(
                base=CommunityShareBase.DISTRIBUTABLE_PROFIT,
                form=CommunityShareForm.DIVIDEND_ON_EQUITY,
            )
        )
        period = run(year("2024", ("store", "90000"), ("home", "10000")), policy=policy).periods[0]
        assert [line.step for line in period.lines] == [
            Step.LOSS_COVERED,
            Step.STATUTORY_RESERVE,
            Step.COMMUNITY_SHARE,
            Step.COMMUNITY_SHARE,
            Step.DIVIDEND,
            Step.DIVIDEND,
        ]
        assert period.total(Step.STATUTORY_RESERVE) == y("10000.00")
        assert period.community_shares() == {"dongcheng": y("8100.00"), "xicheng": y("900.00")}
        assert period.total(Step.DIVIDEND) == y("81000.00")

    def test_a_dividend_form_needs_a_distributable_base(self) -> None:
        """A dividend paid before losses and reserves would break art. 210 ¶4."""
        with pytest.raises(errors.AllocationError, match=r"art\. 210 ¶4"):
            CommunityShare(form=CommunityShareForm.DIVIDEND_ON_EQUITY)

    def test_the_rate_is_a_parameter(self) -> None:
        """An analyst can set the rate: 15% of 100,000 is 15,000."""
        policy = AllocationPolicy().with_community_rate(Fraction(15, 100))
        period = run(year("2024", ("store", "100000")), policy=policy).periods[0]
        assert period.community_shares() == {"dongcheng": y("15000.00")}

    def test_rates_outside_zero_to_one_are_refused(self) -> None:
        """A rate is a share of its base."""
        with pytest.raises(errors.AllocationError):
            CommunityShare(rate=Fraction(11, 10))
        with pytest.raises(TypeError, match="float"):
            CommunityShare(rate=0.1)  # type: ignore[arg-type]


class TestLosses:
    def test_a_loss_is_carried_forward(self) -> None:
        """A loss of 200,000 is carried; nothing is reserved or paid."""
        period = run(year("2023", ("store", "-200000"))).periods[0]
        assert [line.step for line in period.lines] == [Step.COMMUNITY_SHARE, Step.LOSS_CARRIED]
        assert period.total(Step.LOSS_CARRIED) == y("-200000.00")
        assert period.closing == CarryForward(loss=y("200000"))

    def test_later_profit_covers_the_loss_first(self) -> None:
        """Art. 210 ¶2: 270,000 after the community share covers 200,000 before the reserve.

        Profit 300,000; community 30,000; cover 200,000; reserve 10% of
        70,000 = 7,000; dividends 63,000 by 51:49 = 32,130 and 30,870.
        """
        second = run(year("2023", ("store", "-200000")), year("2024", ("store", "300000"))).periods[
            1
        ]
        assert second.total(Step.COMMUNITY_SHARE) == y("30000.00")
        assert second.total(Step.LOSS_COVERED) == y("200000.00")
        assert second.total(Step.STATUTORY_RESERVE) == y("7000.00")
        assert second.dividends() == {"soe": y("32130.00"), "coll": y("30870.00")}
        assert second.closing == CarryForward(statutory_reserve=y("7000"))

    def test_partial_cover_leaves_nothing_to_reserve_or_pay(self) -> None:
        """90,000 against a 200,000 loss covers 90,000; 110,000 stays carried."""
        second = run(year("2023", ("store", "-200000")), year("2024", ("store", "100000"))).periods[
            1
        ]
        assert second.total(Step.LOSS_COVERED) == y("90000.00")
        assert second.total(Step.STATUTORY_RESERVE) == 0
        assert second.total(Step.DIVIDEND) == 0
        assert second.closing.loss == y("110000.00")

    def test_the_compound_is_paid_even_when_the_venture_loses(self) -> None:
        """The contractual share of a profitable project is owed in a loss year of the venture."""
        period = run(year("2024", ("store", "10000"), ("canteen", "-50000"))).periods[0]
        assert period.community_shares() == {"dongcheng": y("1000.00"), "nancheng": y("0.00")}
        assert period.closing.loss == y("41000.00")

    def test_a_loss_first_absorbs_undistributed_profit(self) -> None:
        """With half kept in year one (45,000), a 60,000 loss absorbs it and carries 15,000."""
        policy = AllocationPolicy(payout_ratio=Fraction(1, 2))
        result = run(year("2023", other="100000"), year("2024", other="-60000"), policy=policy)
        first, second = result.periods
        assert first.total(Step.RETAINED) == y("45000.00")
        assert first.total(Step.DIVIDEND) == y("45000.00")
        assert second.total(Step.LOSS_ABSORBED) == y("-45000.00")
        assert second.total(Step.LOSS_CARRIED) == y("-15000.00")
        assert second.closing == CarryForward(loss=y("15000"), statutory_reserve=y("10000"))


class TestLossCover:
    """公司法 arts 210 ¶2 and 214 ¶2: the year's profit or the reserves cover past losses."""

    OPENING = CarryForward(loss=y("50000"), statutory_reserve=y("300000"))

    def _period(self, cover: LossCover, opening: CarryForward | None = None) -> PeriodAllocation:
        policy = AllocationPolicy(loss_cover=cover)
        return run(
            year("2024", other="100000"), opening=opening or self.OPENING, policy=policy
        ).periods[0]

    def test_profit_first_is_the_default(self) -> None:
        """Loss 50,000, reserve 300,000, profit 100,000: the profit covers the loss.

        Profit covers 50,000; 10% of the other 50,000 is reserved (5,000); 45,000
        is paid 51:49 (22,950 and 22,050).
        """
        period = run(year("2024", other="100000"), opening=self.OPENING).periods[0]
        assert AllocationPolicy().loss_cover is LossCover.PROFIT_FIRST
        assert period == self._period(LossCover.PROFIT_FIRST)
        assert period.total(Step.LOSS_COVERED) == y("50000.00")
        assert period.total(Step.STATUTORY_RESERVE) == y("5000.00")
        assert period.dividends() == {"soe": y("22950.00"), "coll": y("22050.00")}
        assert period.closing == CarryForward(statutory_reserve=y("305000"))

    def test_reserves_first(self) -> None:
        """The statutory reserve covers the loss and the whole profit is distributable.

        The reserve covers 50,000 (300,000 → 250,000); of the 100,000, 10,000 is
        reserved and 90,000 paid 51:49 (45,900 and 44,100).
        """
        period = self._period(LossCover.RESERVES_FIRST)
        assert [(line.step, line.recipient, line.amount) for line in period.lines[:2]] == [
            (Step.RESERVE_COVERS_LOSS, "statutory_reserve", y("50000.00")),
            (Step.LOSS_COVERED, "losses", y("0.00")),
        ]
        assert period.total(Step.STATUTORY_RESERVE) == y("10000.00")
        assert period.dividends() == {"soe": y("45900.00"), "coll": y("44100.00")}
        assert period.closing == CarryForward(statutory_reserve=y("260000"))

    def test_discretionary_and_statutory_before_capital_reserve(self) -> None:
        """Loss 50,000: discretionary 10,000, statutory 30,000, then 10,000 of capital reserve."""
        opening = CarryForward(
            loss=y("50000"),
            discretionary_reserve=y("10000"),
            statutory_reserve=y("30000"),
            capital_reserve=y("100000"),
        )
        period = self._period(LossCover.RESERVES_FIRST, opening)
        drawn = [
            (ln.recipient, ln.amount) for ln in period.lines if ln.step is Step.RESERVE_COVERS_LOSS
        ]
        assert drawn == [
            ("discretionary_reserve", y("10000.00")),
            ("statutory_reserve", y("30000.00")),
            ("capital_reserve", y("10000.00")),
        ]
        assert period.closing.capital_reserve == y("90000.00")
        assert period.closing.loss == 0
        assert period.total(Step.STATUTORY_RESERVE) == y("10000.00")

    def test_reserves_one_fen_short_leave_a_fen_to_the_profit(self) -> None:
        """Reserves of 49,999.99 against 50,000: the profit covers the last fen."""
        opening = CarryForward(loss=y("50000"), statutory_reserve=y("49999.99"))
        period = self._period(LossCover.RESERVES_FIRST, opening)
        assert period.total(Step.RESERVE_COVERS_LOSS) == y("49999.99")
        assert period.total(Step.LOSS_COVERED) == y("0.01")
        # 10% of 99,999.99 is 9,999.999, half up 10,000.00, onto an emptied reserve.
        assert period.closing.statutory_reserve == y("10000.00")

    def test_reserves_exactly_the_loss_leave_the_profit_whole(self) -> None:
        """Reserves of exactly 50,000 cover it all; the profit covers nothing."""
        opening = CarryForward(loss=y("50000"), statutory_reserve=y("50000"))
        period = self._period(LossCover.RESERVES_FIRST, opening)
        assert period.total(Step.LOSS_COVERED) == 0
        assert period.closing.statutory_reserve == y("10000.00")

    def test_reserve_cover_is_not_part_of_the_profit(self) -> None:
        """The profit lines still sum to the profit; the reserve line moves balances only."""
        period = self._period(LossCover.RESERVES_FIRST)
        profit_lines = [ln for ln in period.lines if ln.step is not Step.RESERVE_COVERS_LOSS]
        assert sum(ln.amount for ln in profit_lines) == period.profit
        assert period.lines[0].account == "losses:statutory_reserve"

    def test_reserves_first_in_a_loss_year_carries_the_new_loss(self) -> None:
        """The opening loss is covered by the reserve; the year's own loss is carried."""
        policy = AllocationPolicy(loss_cover=LossCover.RESERVES_FIRST)
        period = run(year("2024", other="-20000"), opening=self.OPENING, policy=policy).periods[0]
        assert period.closing == CarryForward(loss=y("20000"), statutory_reserve=y("250000"))

    def test_the_choice_round_trips(self) -> None:
        """The allocation with reserve cover survives JSON."""
        result = run(
            year("2024", other="100000"),
            opening=self.OPENING,
            policy=AllocationPolicy(loss_cover=LossCover.RESERVES_FIRST),
        )
        assert loads(dumps(result), ProfitAllocation) == result


class TestStatutoryReserve:
    def test_ten_percent_of_the_profit(self) -> None:
        """Art. 210 ¶1: 10% of 100,000 is 10,000."""
        period = run(year("2024", other="100000")).periods[0]
        assert period.total(Step.STATUTORY_RESERVE) == y("10000.00")

    def test_only_the_part_needed_in_the_period_the_cap_is_reached(self) -> None:
        """With 495,000 reserved and a 500,000 cap, 5,000 of the 10,000 due is taken."""
        opening = CarryForward(statutory_reserve=y("495000"))
        result = run(year("2024", other="100000"), year("2025", other="100000"), opening=opening)
        first, second = result.periods
        assert first.total(Step.STATUTORY_RESERVE) == y("5000.00")
        assert first.total(Step.DIVIDEND) == y("95000.00")
        assert "only the part needed" in first.lines[1].note
        assert second.total(Step.STATUTORY_RESERVE) == 0
        assert second.total(Step.DIVIDEND) == y("100000.00")

    def test_cap_is_rounded_up_to_the_fen(self) -> None:
        """Half of 0.03 yuan is 1.5 fen: the reserve stops at 2 fen, the least that reaches it."""
        tiny = JointVenture(
            id="t", name="t", holdings=[Shareholding(shareholder=SOE, subscribed=y("0.03"))]
        )
        period = run(year("2024", other="1"), venture=tiny).periods[0]
        assert period.total(Step.STATUTORY_RESERVE) == y("0.02")

    def test_cap_and_rate_are_parameters(self) -> None:
        """A sweep may change the rate and the cap."""
        policy = AllocationPolicy(statutory_reserve_rate=Fraction(1, 5))
        assert run(year("2024", other="100"), policy=policy).periods[0].total(
            Step.STATUTORY_RESERVE
        ) == y("20.00")


class TestDiscretionaryReserve:
    def test_resolved_rate_of_what_is_left(self) -> None:
        """Art. 210 ¶3: 5% of the 90,000 left after the statutory reserve is 4,500."""
        policy = AllocationPolicy(discretionary_reserve_rate=Fraction(1, 20))
        period = run(year("2024", other="100000"), policy=policy).periods[0]
        assert period.total(Step.DISCRETIONARY_RESERVE) == y("4500.00")
        assert period.total(Step.DIVIDEND) == y("85500.00")
        assert period.closing.discretionary_reserve == y("4500.00")


class TestDividends:
    def test_by_paid_in_not_subscribed_capital(self) -> None:
        """Art. 210 ¶4: 75,500 split by paid-in 510,000 : 245,000 is 51,000 and 24,500."""
        venture = tancheng(coll_paid="245000")
        period = run(year("2024", other="83888.89"), venture=venture).periods[0]
        assert period.total(Step.STATUTORY_RESERVE) == y("8388.89")
        assert period.dividends() == {"soe": y("51000.00"), "coll": y("24500.00")}

    def test_an_agreed_ratio_needs_everyone(self) -> None:
        """All shareholders may agree a 1:1 split; one missing agreement is refused."""
        shares = [
            AgreedShare(shareholder="soe", weight=Fraction(1)),
            AgreedShare(shareholder="coll", weight=Fraction(1)),
        ]
        agreed = AllocationPolicy(
            agreement=DividendAgreement(shares=shares, agreed_by={"soe", "coll"})
        )
        period = run(year("2024", other="100000"), policy=agreed).periods[0]
        assert period.dividends() == {"soe": y("45000.00"), "coll": y("45000.00")}
        assert "全体股东约定" in period.lines[-1].rule
        alone = AllocationPolicy(agreement=DividendAgreement(shares=shares, agreed_by={"soe"}))
        with pytest.raises(errors.AllocationError, match=r"did not agree"):
            run(year("2024", other="1"), policy=alone)

    def test_an_agreed_ratio_names_every_shareholder(self) -> None:
        """An agreed ratio missing a shareholder is refused."""
        agreement = DividendAgreement(
            shares=[AgreedShare(shareholder="soe", weight=Fraction(1))], agreed_by={"soe", "coll"}
        )
        with pytest.raises(errors.AllocationError, match="each shareholder"):
            run(year("2024", other="1"), policy=AllocationPolicy(agreement=agreement))

    def test_nothing_paid_in_means_nothing_paid_out(self) -> None:
        """Without paid-in capital there is no ratio: the profit is kept undistributed."""
        venture = tancheng(soe_paid="0", coll_paid="0")
        period = run(year("2024", other="100"), venture=venture).periods[0]
        assert period.total(Step.DIVIDEND) == 0
        assert period.total(Step.RETAINED) == y("90.00")

    def test_ties_go_to_the_earlier_shareholder(self) -> None:
        """One fen between equal holders goes to the first in holding order."""
        venture = JointVenture(
            id="e",
            name="e",
            holdings=[
                Shareholding(shareholder=SOE, subscribed=y("50")),
                Shareholding(shareholder=COLL, subscribed=y("50")),
            ],
            min_state_share=None,
        )
        policy = AllocationPolicy(statutory_reserve_rate=Fraction(0))
        period = run(year("2024", other="0.01"), venture=venture, policy=policy).periods[0]
        assert period.dividends() == {"soe": y("0.01"), "coll": y("0.00")}

    def test_payout_is_due_within_six_months(self) -> None:
        """Art. 212: a resolution on 2025-03-31 makes dividends due by 2025-09-30."""
        figures = PeriodFigures(
            period="2024", other_profit=y("1"), resolved_on=pendulum.Date(2025, 3, 31)
        )
        period = run(figures).periods[0]
        assert period.payout_due_on == pendulum.Date(2025, 9, 30)
        assert "2025-09-30" in period.to_text()


class TestOtherRules:
    def test_reserve_conversion_keeps_a_quarter_of_capital(self) -> None:
        """Art. 214 ¶3: from 300,000 reserve on 1,000,000 capital, at most 50,000 converts."""
        assert max_reserve_conversion(y("300000"), y("1000000")) == y("50000.00")
        assert max_reserve_conversion(y("0.01"), y("0.03")) == y("0.00")

    def test_split_conserves_every_fen(self) -> None:
        """A household split of 100 yuan among three equal flats gives 33.34, 33.33, 33.33."""
        parts = split(y("100"), {"1-101": 1, "1-102": 1, "1-103": 1})
        assert list(parts.values()) == [y("33.34"), y("33.33"), y("33.33")]

    def test_alabama_paradox_is_possible(self) -> None:
        """Balinski–Young: a larger total can give a recipient less (3 fen → 1, 4 fen → 0)."""
        assert apportion(3, [3, 3, 1])[2] == 1
        assert apportion(4, [3, 3, 1])[2] == 0


class TestValidation:
    def test_unknown_project(self) -> None:
        """Figures for a project the venture does not run are refused."""
        with pytest.raises(errors.UnknownReference):
            run(year("2024", ("nowhere", "1")))

    def test_duplicate_periods(self) -> None:
        """Each period is allocated once."""
        with pytest.raises(errors.AllocationError, match="twice"):
            run(year("2024"), year("2024"))

    def test_duplicate_project_results(self) -> None:
        """A project has one result per period."""
        with pytest.raises(errors.AllocationError):
            year("2024", ("store", "1"), ("store", "2"))

    def test_loss_and_retained_profit_are_not_carried_together(self) -> None:
        """A loss absorbs undistributed profit first, so both cannot be carried."""
        with pytest.raises(errors.AllocationError):
            CarryForward(loss=y("1"), retained=y("1"))

    def test_lines_have_the_right_sign(self) -> None:
        """Only loss lines are negative."""
        with pytest.raises(errors.AllocationMismatch):
            AllocationLine(
                step=Step.DIVIDEND,
                recipient="soe",
                rule="r",
                base=y("1"),
                base_label="b",
                amount=y("-1"),
            )

    def test_a_period_must_add_up(self) -> None:
        """A period whose lines do not add up to its profit is refused."""
        period = run(year("2024", other="100")).periods[0]
        data = unstructure(period)
        data["lines"][-1]["amount"] = "1.00"
        with pytest.raises(errors.SerializationError, match="add up"):
            structure(data, PeriodAllocation)


class TestPeriods:
    figures = (
        year("2023", ("store", "120000"), ("home", "-20000"), ("canteen", "30000")),
        year("2024", ("store", "-200000"), ("home", "10000")),
        year(
            "2025", ("store", "300000"), ("home", "50000"), ("canteen", "60000"), other="-12345.67"
        ),
    )

    def test_extend_equals_one_run(self) -> None:
        """Adding periods one by one gives the same result as running them together."""
        whole = run(*self.figures)
        stepwise = run(self.figures[0]).extend(self.figures[1:])
        assert stepwise == whole
        assert stepwise.periods == whole.periods

    def test_chaining_balances_equals_one_run(self) -> None:
        """A new allocation opened with the last closing continues where it ended."""
        whole = run(*self.figures)
        first = run(*self.figures[:2])
        rest = run(self.figures[2], opening=first.closing)
        assert rest.periods[0] == whole.periods[2]

    def test_each_period_starts_where_the_last_ended(self) -> None:
        """Opening balances equal the previous closing balances."""
        periods = run(*self.figures).periods
        assert all(b.opening == a.closing for a, b in itertools.pairwise(periods))

    def test_totals_over_periods(self) -> None:
        """Three years to each compound: 12,000 + 0 + 30,000 to dongcheng, and so on."""
        totals = run(*self.figures).totals()
        assert totals["public_revenue:dongcheng"] == y("42000.00")
        assert totals["public_revenue:xicheng"] == y("6000.00")
        assert totals["public_revenue:nancheng"] == y("9000.00")

    def test_cumulative_flows(self) -> None:
        """Cumulative flows after each period end at the totals."""
        result = run(*self.figures)
        cumulative = result.cumulative()
        assert len(cumulative) == 3
        assert cumulative[-1] == result.totals()

    def test_lookup_by_label(self) -> None:
        """A period is found by its label."""
        result = run(*self.figures)
        assert result.period("2024") is result.periods[1]
        with pytest.raises(errors.UnknownReference):
            result.period("1999")


class TestRendering:
    def result(self) -> ProfitAllocation:
        return run(year("2023", ("store", "-200000")), year("2024", ("store", "300000")))

    def test_text_table(self) -> None:
        """The text table names each step in Chinese, its rule, base, rate and amount."""
        text = str(self.result())
        assert "period 2024: profit 300000.00" in text
        for fragment in (
            "小区公共收益",
            "法定公积金",
            "弥补以前年度亏损",
            "股东分红",
            "公司法 art. 210 ¶1",
        ):
            assert fragment in text
        reserve = next(line for line in text.splitlines() if "法定公积金" in line and "art" in line)
        assert "70000.00" in reserve
        assert "10%" in reserve
        assert "7000.00" in reserve

    def test_html(self) -> None:
        """The HTML rendering is a table with escaped text."""
        html = self.result()._repr_html_()
        assert html.count("<table>") == 2
        assert "<td" in html

    def test_rows(self) -> None:
        """Rows are plain dicts with exact values."""
        rows = self.result().rows()
        assert rows[0]["period"] == "2023"
        assert set(rows[0]) >= {"step", "recipient", "rule", "base", "rate", "amount", "note"}
        assert all(isinstance(row["amount"], Decimal) for row in rows)

    def test_dataframe(self) -> None:
        """to_dataframe() gives one row per line (pandas comes with the notebook extra)."""
        pytest.importorskip("pandas")
        frame = self.result().to_dataframe()
        assert len(frame) == len(self.result().rows())
        assert frame.groupby("account")["amount"].sum()["shareholder:soe"] == y("32130.00")

    def test_no_periods(self) -> None:
        """An allocation with no figures renders as such."""
        assert run().to_text() == "(no periods)"


class TestSerialization:
    def test_round_trip_with_periods(self) -> None:
        """The JSON carries inputs and results, and reads back equal."""
        result = run(year("2023", ("store", "-200000")), year("2024", ("store", "300000")))
        text = dumps(result)
        assert '"periods"' in text
        assert loads(text, ProfitAllocation) == result

    def test_tampered_results_are_refused(self) -> None:
        """Results that do not follow from the figures do not load."""
        result = run(year("2024", ("store", "100000")))
        data = json.loads(dumps(result))
        data["figures"][0]["projects"][0]["net_profit"] = "100000.01"
        with pytest.raises(errors.SerializationError, match="do not match"):
            structure(data, ProfitAllocation)

    def test_inputs_alone_are_enough(self) -> None:
        """Without "periods", the periods are computed on reading."""
        result = run(year("2024", ("store", "100000")))
        data = unstructure(result)
        del data["periods"]
        assert structure(data, ProfitAllocation).periods == result.periods


class TestOwnersIncome:
    """民法典 arts 282–283: a fee for using the owners' common parts is the owners' income."""

    def _venture(self) -> JointVenture:
        canteen = Project(
            id="canteen",
            name="幸福食堂",
            kind=ProjectKind.HAPPINESS_CANTEEN,
            subcommunity="nancheng",
            room="r1",
        )
        store = Project(
            id="store",
            name="便利店",
            kind=ProjectKind.CONVENIENCE_STORE,
            subcommunity="dongcheng",
            room="r2",
        )
        return attrs_evolve_projects(tancheng(), canteen, store)

    def _room(self, room_id: str, ownership: Ownership) -> PublicServiceRoom:
        return PublicServiceRoom.found(
            id=room_id,
            subcommunity_id="nancheng" if room_id == "r1" else "dongcheng",
            location="底商",
            area="120.00",
            on=pendulum.Date(2023, 1, 5),
            ownership=ownership,
        )

    def _allocation(self, **kw: object) -> ProfitAllocation:
        return run(
            year("2024", ("canteen", "120000"), ("store", "50000")), venture=self._venture(), **kw
        )

    def test_the_fee_for_a_common_part_room_is_owed_to_the_owners(self) -> None:
        """10% of 120,000 is 12,000; less 2,000 of costs the owners are owed 10,000."""
        rooms = [
            self._room("r1", Ownership.OWNERS_COMMON),
            self._room("r2", Ownership.COMMUNITY_FACILITY),
        ]
        (income,) = owners_income(
            self._allocation(), "2024", rooms, reasonable_costs={"r1": "2000"}
        )
        assert (income.room_id, income.subcommunity_id) == ("r1", "nancheng")
        assert (income.gross, income.net) == (y("12000.00"), y("10000.00"))
        shares = income.shares({"101": "100.00", "102": "200.00"})
        assert shares == {"101": y("3333.33"), "102": y("6666.67")}

    def test_a_dividend_on_equity_is_not_income_from_common_parts(self) -> None:
        """With the community share as a dividend on equity, nothing is owed under art. 282."""
        share = CommunityShare(
            base=CommunityShareBase.DISTRIBUTABLE_PROFIT, form=CommunityShareForm.DIVIDEND_ON_EQUITY
        )
        allocation = self._allocation(policy=AllocationPolicy(community_share=share))
        rooms = [self._room("r1", Ownership.OWNERS_COMMON)]
        assert owners_income(allocation, "2024", rooms) == ()

    def test_rooms_that_are_not_common_parts_owe_nothing(self) -> None:
        """A community facility's fee is the community's, not the owners'."""
        rooms = [self._room(r, Ownership.COMMUNITY_FACILITY) for r in ("r1", "r2")]
        assert owners_income(self._allocation(), "2024", rooms) == ()

    def test_an_unknown_period_is_refused(self) -> None:
        """The period must be in the allocation."""
        with pytest.raises(errors.UnknownReference):
            owners_income(self._allocation(), "2030", [])


def attrs_evolve_projects(venture: JointVenture, *projects: Project) -> JointVenture:
    """Return ``venture`` running ``projects`` only."""
    import attrs

    return attrs.evolve(venture, projects=projects)


class TestDateOverflow:
    def test_a_payout_past_9999_is_our_error(self) -> None:
        """A resolution in September 9999 has no day six months later: AllocationError."""
        late = PeriodFigures(
            period="9999", other_profit=Decimal("100"), resolved_on=pendulum.Date(9999, 9, 1)
        )
        with pytest.raises(errors.AllocationError, match="past the last date"):
            run(late)

    def test_the_last_representable_payout(self) -> None:
        """A resolution on 9999-06-30 is paid by 9999-12-30."""
        figures = PeriodFigures(
            period="9999", other_profit=Decimal("100"), resolved_on=pendulum.Date(9999, 6, 30)
        )
        assert run(figures).periods[0].payout_due_on == pendulum.Date(9999, 12, 30)
