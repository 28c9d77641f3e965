"""Public-revenue funds, deposits from the profit allocation, funding policies and settlement."""

from __future__ import annotations

from decimal import Decimal

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import errors
from grassroots.allocation import PeriodFigures, ProfitAllocation, ProjectResult
from grassroots.ledger import Scheme
from grassroots.programme import (
    EarnerGroup,
    FundingPolicy,
    Merchant,
    MovementKind,
    Participant,
    PointsProgramme,
    PublicRevenueFund,
    RedemptionRule,
    Reward,
    SettlementLine,
    VolunteerActivity,
    deposit_community_shares,
)
from grassroots.venture import (
    JointVenture,
    Project,
    ProjectKind,
    Shareholder,
    ShareholderKind,
    Shareholding,
)


def when(day: int, hour: int = 10, month: int = 11) -> pendulum.DateTime:
    """Return a time in 2026, Asia/Shanghai."""
    return pendulum.datetime(2026, month, day, hour, tz="Asia/Shanghai")


def allocation() -> ProfitAllocation:
    """Return October 2026 of a venture whose canteen made 12,500.00 and store 8,000.00."""
    soe = Shareholder(id="soe", name="国企", kind=ShareholderKind.STATE_OWNED)
    coll = Shareholder(id="coll", name="集体经济组织", kind=ShareholderKind.COLLECTIVE)
    venture = JointVenture(
        id="jv",
        name="合资公司",
        holdings=[
            Shareholding(shareholder=soe, subscribed=Decimal("510000")),
            Shareholding(shareholder=coll, subscribed=Decimal("490000")),
        ],
        projects=[
            Project(
                id="canteen",
                name="幸福食堂",
                kind=ProjectKind.HAPPINESS_CANTEEN,
                subcommunity="dongcheng",
            ),
            Project(
                id="store",
                name="24小时便利店",
                kind=ProjectKind.CONVENIENCE_STORE,
                subcommunity="xicheng",
            ),
        ],
    )
    return ProfitAllocation(
        venture=venture,
        figures=[
            PeriodFigures(
                period="2026-10",
                projects=[
                    ProjectResult(project="canteen", net_profit=Decimal("12500.00")),
                    ProjectResult(project="store", net_profit=Decimal("8000.00")),
                ],
            )
        ],
    )


class TestFund:
    def test_deposit_and_withdraw_exact(self) -> None:
        """1,250.00 in, 6.00 out leaves 1,244.00; the balance never goes below zero."""
        fund = PublicRevenueFund(id="f", subcommunity="dc")
        fund.deposit("1250.00", at=when(1), reference="a")
        fund.withdraw("6.00", at=when(2), reference="b")
        assert fund.balance == Decimal("1244.00")
        with pytest.raises(errors.FundInsufficient) as caught:
            fund.withdraw("1244.01", at=when(3), reference="c")
        assert caught.value.limit == Decimal("1244.00")
        assert fund.balance == Decimal("1244.00")
        assert [movement.kind for movement in fund.movements] == [
            MovementKind.DEPOSIT,
            MovementKind.DISCOUNT,
        ]

    def test_bad_amounts(self) -> None:
        """Zero, a third decimal place and floats are refused."""
        fund = PublicRevenueFund(id="f", subcommunity="dc")
        with pytest.raises(errors.InvalidValue):
            fund.deposit("0.00", at=when(1), reference="a")
        with pytest.raises(ValueError, match="more than two decimal places"):
            fund.deposit("1.005", at=when(1), reference="a")
        with pytest.raises(TypeError):
            fund.deposit(1.5, at=when(1), reference="a")  # type: ignore[arg-type]

    def test_retried_deposit(self) -> None:
        """The same reference and amount again changes nothing; another amount is refused."""
        fund = PublicRevenueFund(id="f", subcommunity="dc")
        fund.deposit("10.00", at=when(1), reference="a")
        fund.deposit("10.00", at=when(1), reference="a")
        assert fund.balance == Decimal("10.00")
        with pytest.raises(errors.DuplicateRecord):
            fund.deposit("11.00", at=when(1), reference="a")

    @given(st.lists(st.tuples(st.booleans(), st.integers(1, 100_000)), max_size=30))
    def test_never_negative(self, moves: list[tuple[bool, int]]) -> None:
        """Whatever is deposited and withdrawn, the fund never goes below zero."""
        fund = PublicRevenueFund(id="f", subcommunity="dc")
        model = 0
        for number, (deposit, fen) in enumerate(moves):
            amount = Decimal(fen) / 100
            if deposit:
                fund.deposit(amount, at=when(1), reference=f"m{number}")
                model += fen
            elif fen <= model:
                fund.withdraw(amount, at=when(1), reference=f"m{number}")
                model -= fen
            else:
                with pytest.raises(errors.FundInsufficient):
                    fund.withdraw(amount, at=when(1), reference=f"m{number}")
            assert fund.balance_fen == model >= 0


class TestDepositsFromTheAllocation:
    def test_one_call_deposits_each_compound_s_share(self) -> None:
        """10% of 12,500.00 goes to 东城 and 10% of 8,000.00 to 西城, once however often called."""
        east = PublicRevenueFund(id="f-east", subcommunity="dongcheng")
        west = PublicRevenueFund(id="f-west", subcommunity="xicheng")
        funds = {"dongcheng": east, "xicheng": west}
        period = allocation().periods[0]
        made = deposit_community_shares(period, funds, at=when(1))
        deposit_community_shares(period, funds, at=when(1))
        assert [movement.amount for movement in made] == [Decimal("1250.00"), Decimal("800.00")]
        assert (east.balance, west.balance) == (Decimal("1250.00"), Decimal("800.00"))

    def test_a_compound_without_fund_deposits_nothing(self) -> None:
        """A share for a compound with no fund refuses the whole call."""
        east = PublicRevenueFund(id="f-east", subcommunity="dongcheng")
        with pytest.raises(errors.UnknownReference):
            deposit_community_shares(allocation().periods[0], {"dongcheng": east}, at=when(1))
        assert east.balance == Decimal("0.00")


class TestFundingPolicy:
    def test_inconsistent_policies(self) -> None:
        """A fund policy without a fund, or a split of 1, is refused."""
        with pytest.raises(errors.InvalidValue):
            FundingPolicy.split("f", "1")
        with pytest.raises(errors.InvalidValue):
            FundingPolicy.split("f", "0")

    @given(st.integers(1, 99), st.integers(0, 10**9))
    def test_parts_sum_to_the_discount(self, percent: int, fen: int) -> None:
        """The fund's part is at most its share and the merchant's part makes up the rest."""
        policy = FundingPolicy.split("f", f"{percent}/100")
        part = policy.fund_fen(fen)
        assert 0 <= part <= fen * percent / 100
        assert fen * percent / 100 - part < 1


def world() -> PointsProgramme:
    """Return 东城 with the allocation's 1,250.00 deposited and wang holding 200 points."""
    built = PointsProgramme()
    built.add_scheme(Scheme(code="virtue"))
    built.register(Participant(id="wang", groups=[EarnerGroup.RESIDENT]))
    built.add_fund(PublicRevenueFund(id="f-east", subcommunity="dongcheng"))
    built.add_fund(PublicRevenueFund(id="f-west", subcommunity="xicheng"))
    built.deposit_allocation(allocation().periods[0], at=when(1))
    built.add_merchant(
        Merchant(
            id="canteen",
            name="幸福食堂",
            subcommunity="dongcheng",
            rule=RedemptionRule(points_per_yuan=10, max_share="1/2", schemes=["virtue"]),
            funding=FundingPolicy.from_fund("f-east"),
        )
    )
    built.add_merchant(
        Merchant(
            id="store",
            name="24小时便利店",
            subcommunity="dongcheng",
            rule=RedemptionRule(points_per_yuan=10, schemes=["virtue"]),
        )
    )
    built.publish(
        VolunteerActivity(
            id="a1",
            title="楼道清扫",
            organiser="branch",
            place="3号楼",
            subcommunity="dongcheng",
            start=when(2, 9),
            end=when(2, 11),
            rewards=[Reward(scheme="virtue", points=200)],
            capacity=1,
            eligible=[EarnerGroup.RESIDENT],
        ),
        by="branch",
    )
    built.claim("a1", "wang", by="wang", at=when(1))
    built.confirm("a1", ["wang"], by="branch", at=when(2, 12))
    return built


_LINE_FIELDS = (
    "merchant",
    "fund",
    "receipts",
    "points",
    "discounts",
    "fund_owes",
    "merchant_absorbs",
    "merchant_owes",
)


class TestSettlement:
    def redeemed(self) -> PointsProgramme:
        built = world()
        built.redeem(
            id="b1",
            resident="wang",
            merchant="canteen",
            scheme="virtue",
            bill="12.00",
            points=100,
            at=when(3),
        )
        built.redeem(
            id="b2",
            resident="wang",
            merchant="store",
            scheme="virtue",
            bill="3.50",
            points=20,
            at=when(4),
        )
        return built

    def test_per_merchant_and_fund(self) -> None:
        """The fund owes the canteen 6.00; the store absorbs its own 2.00."""
        settlement = self.redeemed().settle(when(1, 0), when(1, 0, month=12), at=when(1, 1, 12))
        canteen, store = settlement.lines
        assert (canteen.merchant, canteen.points, canteen.discounts, canteen.fund_owes) == (
            "canteen",
            60,
            Decimal("6.00"),
            Decimal("6.00"),
        )
        assert (store.fund, store.discounts, store.merchant_absorbs) == (
            None,
            Decimal("2.00"),
            Decimal("2.00"),
        )
        assert settlement.funds == (("f-east", Decimal("6.00")),)
        assert settlement.discounts == Decimal("8.00")

    def test_settles_only_once(self) -> None:
        """A second settlement of the same period settles nothing."""
        built = self.redeemed()
        built.settle(when(1, 0), when(1, 0, month=12), at=when(1, 1, 12))
        again = built.settle(when(1, 0), when(1, 0, month=12), at=when(1, 2, 12))
        assert again.lines == ()

    def test_refund_after_settlement_is_a_claim_back(self) -> None:
        """A refund after settlement makes the canteen owe the fund 6.00, collected next time."""
        built = self.redeemed()
        built.settle(when(1, 0), when(1, 0, month=12), at=when(1, 1, 12))
        fund = built.fund("f-east")
        assert fund.balance == Decimal("1244.00")
        record = built.refund("b1", id="r1", at=when(2, 10, 12))
        assert record.after_settlement
        assert built.pending_claims() == {"canteen": Decimal("6.00")}
        assert fund.balance == Decimal("1244.00")  # not before the merchant pays it back
        nxt = built.settle(when(1, 0, month=12), when(31, 0, month=12), at=when(31, 1, 12))
        (line,) = nxt.lines
        assert (line.merchant_owes, line.net_to_merchant) == (Decimal("6.00"), Decimal("-6.00"))
        assert fund.balance == Decimal("1250.00")
        assert built.pending_claims() == {}

    def test_refund_before_settlement_nets_out(self) -> None:
        """Half the meal refunded before settlement: the fund owes 3.00 for 30 points."""
        built = self.redeemed()
        built.refund("b1", id="r1", at=when(5), bill="6.00")
        settlement = built.settle(when(1, 0), when(1, 0, month=12), at=when(1, 1, 12))
        canteen = settlement.lines[0]
        assert (canteen.points, canteen.discounts, canteen.fund_owes) == (
            30,
            Decimal("3.00"),
            Decimal("3.00"),
        )
        assert built.fund("f-east").balance == Decimal("1247.00")

    def test_lines_are_what_the_checked_constructor_gives(self) -> None:
        """Each line, built from checked figures, equals the checked line digit for digit."""
        built = self.redeemed()
        built.refund("b1", id="r1", at=when(5), bill="6.00")
        settlement = built.settle(when(1, 0), when(1, 0, month=12), at=when(1, 1, 12))
        built.refund("b2", id="r2", at=when(2, 10, 12))
        later = built.settle(when(1, 0, month=12), when(31, 0, month=12), at=when(31, 1, 12))
        for line in (*settlement.lines, *later.lines):
            checked = SettlementLine(**{name: getattr(line, name) for name in _LINE_FIELDS})
            assert line == checked
            assert [repr(getattr(line, name)) for name in _LINE_FIELDS] == [
                repr(getattr(checked, name)) for name in _LINE_FIELDS
            ]
            assert type(line.receipts) is tuple

    def test_bad_period(self) -> None:
        """A period that ends before it starts is refused."""
        with pytest.raises(errors.WrongStep):
            self.redeemed().settle(when(2), when(1), at=when(3))


class TestRedemptionRefusedByTheFund:
    """A redemption the fund cannot take is refused before any point moves."""

    def test_a_reference_the_fund_already_has_changes_nothing(self) -> None:
        """The fund already holds a discount ``redeem/b1`` of another amount: refused, unchanged."""
        built = world()
        fund = built.fund("f-east")
        fund.withdraw("1.00", at=when(3), reference="redeem/b1")
        balance = built.ledger.balance("virtue:resident:wang")
        journal = len(built.ledger.journal)
        with pytest.raises(errors.DuplicateRecord):
            built.redeem(
                id="b1",
                resident="wang",
                merchant="canteen",
                scheme="virtue",
                bill="12.00",
                points=100,
                at=when(3),
            )
        assert built.ledger.balance("virtue:resident:wang") == balance == 200
        assert len(built.ledger.journal) == journal
        assert fund.balance == Decimal("1249.00")
        assert built.receipts == ()
        with pytest.raises(errors.UnknownReference):
            built.receipt("b1")

    def test_a_fund_short_of_the_discount_changes_nothing(self) -> None:
        """The fund holds 5.99 and the discount is 6.00 (refusing policy): nothing moves."""
        built = world()
        fund = built.fund("f-east")
        fund.withdraw("1244.01", at=when(3), reference="spent")
        journal = len(built.ledger.journal)
        with pytest.raises(errors.FundInsufficient):
            built.redeem(
                id="b1",
                resident="wang",
                merchant="canteen",
                scheme="virtue",
                bill="12.00",
                points=100,
                at=when(3),
            )
        assert built.ledger.balance("virtue:resident:wang") == 200
        assert len(built.ledger.journal) == journal
        assert fund.balance == Decimal("5.99")
        assert built.receipts == ()
