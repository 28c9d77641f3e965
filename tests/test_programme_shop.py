"""Redemption at the project shops: rules, receipts, refunds, and the audit of stray redemptions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import errors
from grassroots import strategies as gst
from grassroots.ledger import Scheme, Transfer, TransferKind
from grassroots.money import from_fen, to_fen, yuan
from grassroots.programme import (
    EarnerGroup,
    FundingPolicy,
    Merchant,
    Participant,
    PointsProgramme,
    PublicRevenueFund,
    RedemptionRule,
    Reward,
    Shortfall,
    VolunteerActivity,
    merchant_account_id,
    wallet_id,
)
from grassroots.programme.programme import _fen


def when(day: int, hour: int = 10) -> pendulum.DateTime:
    """Return a time in November 2026, Asia/Shanghai."""
    return pendulum.datetime(2026, 11, day, hour, tz="Asia/Shanghai")


CANTEEN = RedemptionRule(points_per_yuan=10, max_share="1/2", schemes=["virtue"])
HOUSEKEEPING = RedemptionRule(
    points_per_yuan=10, max_share="1/5", minimum_bill="50.00", schemes=["virtue"]
)


def programme(
    points: int = 100, *, fund: str = "500.00", policy: FundingPolicy | None = None
) -> PointsProgramme:
    """Return a programme where wang earned ``points`` virtue points and the fund holds ``fund``."""
    built = PointsProgramme(administrators=["admin"])
    built.add_scheme(Scheme(code="virtue", name="美德积分"))
    built.register(Participant(id="wang", groups=[EarnerGroup.RESIDENT]))
    money = PublicRevenueFund(id="fund:dc", subcommunity="dc")
    built.add_fund(money)
    if fund != "0.00":
        money.deposit(fund, at=when(1), reference="seed")
    built.add_merchant(
        Merchant(
            id="canteen",
            name="幸福食堂",
            subcommunity="dc",
            rule=CANTEEN,
            funding=policy or FundingPolicy.from_fund("fund:dc"),
        )
    )
    built.add_merchant(
        Merchant(id="housekeeping", name="家政公司", subcommunity="dc", rule=HOUSEKEEPING)
    )
    built.publish(
        VolunteerActivity(
            id="a1",
            title="楼道清扫",
            organiser="branch",
            place="3号楼",
            subcommunity="dc",
            start=when(2, 9),
            end=when(2, 11),
            rewards=[Reward(scheme="virtue", points=points)],
            capacity=1,
            eligible=[EarnerGroup.RESIDENT],
        ),
        by="branch",
    )
    built.claim("a1", "wang", by="wang", at=when(1))
    built.confirm("a1", ["wang"], by="branch", at=when(2, 12))
    return built


class TestRule:
    def test_out_of_range(self) -> None:
        """A share above 1, a zero rate or no scheme is refused; a float is a TypeError."""
        with pytest.raises(errors.InvalidValue):
            RedemptionRule(points_per_yuan=10, max_share="3/2", schemes=["virtue"])
        with pytest.raises(errors.InvalidValue):
            RedemptionRule(points_per_yuan=0, schemes=["virtue"])
        with pytest.raises(errors.InvalidValue):
            RedemptionRule(points_per_yuan=10, schemes=[])
        with pytest.raises(TypeError):
            RedemptionRule(points_per_yuan=0.1, schemes=["virtue"])  # type: ignore[arg-type]

    @given(gst.redemption_rules(), st.integers(0, 100_000), st.integers(0, 5_000))
    def test_quote_never_above_cap_and_uses_the_fewest_points(
        self, rule: RedemptionRule, bill_fen: int, points: int
    ) -> None:
        """The discount is at most the cap share of the bill, and one point fewer gives less."""
        bill = Decimal(bill_fen) / 100
        quote = rule.quote(bill=bill, points=points)
        assert quote.points <= points
        assert quote.discount <= bill * 1  # never above the bill
        assert Fraction(int(quote.discount * 100)) <= rule.max_share * bill_fen
        assert quote.discount + quote.payable == bill
        assert Fraction(quote.points) * 100 / rule.points_per_yuan >= int(quote.discount * 100)
        if quote.points:
            fewer = Fraction(quote.points - 1) * 100 / rule.points_per_yuan
            assert fewer < int(quote.discount * 100)

    @given(gst.redemption_rules(), st.integers(0, 10**7), st.integers(0, 10**6))
    def test_whole_number_quote_equals_the_ledger_s(
        self, rule: RedemptionRule, bill_fen: int, points: int
    ) -> None:
        """``quote_fen`` gives the same points and discount as ``quote_redemption``."""
        quote = rule.quote(bill=Decimal(bill_fen) / 100, points=points)
        assert rule.quote_fen(bill_fen, points) == (quote.points, int(quote.discount * 100))


class TestRedeem:
    def test_a_canteen_meal(self) -> None:
        """A 12-yuan meal with 100 points offered: 60 points, 6.00 off, 6.00 to pay."""
        built = programme()
        receipt = built.redeem(
            id="b1",
            resident="wang",
            merchant="canteen",
            scheme="virtue",
            bill="12.00",
            points=100,
            at=when(3),
        )
        assert (receipt.points, receipt.discount, receipt.payable) == (
            60,
            Decimal("6.00"),
            Decimal("6.00"),
        )
        assert receipt.fund_part == Decimal("6.00")
        assert built.ledger.balance(wallet_id("virtue", "wang")) == 40
        assert built.ledger.balance(merchant_account_id("virtue", "canteen")) == 60
        assert built.fund("fund:dc").balance == Decimal("494.00")

    def test_rounded_down_to_the_fen(self) -> None:
        """7 points at 3/20 yuan a point give 1.05, not 1.05 and a fraction."""
        built = programme()
        shop = Merchant(
            id="odd",
            name="小卖部",
            subcommunity="dc",
            rule=RedemptionRule(points_per_yuan=Fraction(20, 3), schemes=["virtue"]),
        )
        built.add_merchant(shop)
        receipt = built.redeem(
            id="b2",
            resident="wang",
            merchant="odd",
            scheme="virtue",
            bill="12.00",
            points=7,
            at=when(3),
        )
        assert (receipt.points, receipt.discount) == (7, Decimal("1.05"))

    def test_retry_returns_the_receipt_and_other_content_is_refused(self) -> None:
        """The same redemption again posts nothing; another under its id is refused."""
        built = programme()
        args = {
            "resident": "wang",
            "merchant": "canteen",
            "scheme": "virtue",
            "bill": "12.00",
            "at": when(3),
        }
        first = built.redeem(id="b1", points=100, **args)  # type: ignore[arg-type]
        length = len(built.ledger)
        assert built.redeem(id="b1", points=100, **args) == first  # type: ignore[arg-type]
        assert len(built.ledger) == length
        with pytest.raises(errors.DuplicateRecord):
            built.redeem(id="b1", points=99, **args)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("merchant", "bill", "points", "error"),
        [
            ("housekeeping", "49.99", 100, errors.RedemptionRefused),  # below the minimum bill
            ("canteen", "12.00", 101, errors.InsufficientPoints),  # more than held
            ("canteen", "0.00", 100, errors.RedemptionRefused),  # no discount on nothing
            ("nowhere", "12.00", 10, errors.UnknownReference),
        ],
    )
    def test_refusals_change_nothing(
        self, merchant: str, bill: str, points: int, error: type[Exception]
    ) -> None:
        """Each refused redemption leaves the ledger, the fund and the receipts as they were."""
        built = programme()
        length = len(built.ledger)
        with pytest.raises(error):
            built.redeem(
                id="b1",
                resident="wang",
                merchant=merchant,
                scheme="virtue",
                bill=bill,
                points=points,
                at=when(3),
            )
        assert len(built.ledger) == length
        assert built.receipts == ()
        assert built.fund("fund:dc").balance == Decimal("500.00")

    def test_housekeeping_at_its_minimum(self) -> None:
        """A 50-yuan housekeeping bill takes at most a fifth: 10.00 off for 100 points."""
        built = programme()
        receipt = built.redeem(
            id="h1",
            resident="wang",
            merchant="housekeeping",
            scheme="virtue",
            bill="50.00",
            points=100,
            at=when(3),
        )
        assert (receipt.points, receipt.discount, receipt.merchant_part) == (
            100,
            Decimal("10.00"),
            Decimal("10.00"),
        )

    def test_a_short_fund_refuses_or_falls_to_the_merchant(self) -> None:
        """A fund of 5.00 cannot pay 6.00: refused, or absorbed by the merchant by policy."""
        refusing = programme(fund="5.00")
        with pytest.raises(errors.FundInsufficient):
            refusing.redeem(
                id="b1",
                resident="wang",
                merchant="canteen",
                scheme="virtue",
                bill="12.00",
                points=100,
                at=when(3),
            )
        assert refusing.ledger.balance(wallet_id("virtue", "wang")) == 100
        absorbing = programme(
            fund="5.00",
            policy=FundingPolicy.from_fund("fund:dc", shortfall=Shortfall.MERCHANT_ABSORBS),
        )
        receipt = absorbing.redeem(
            id="b1",
            resident="wang",
            merchant="canteen",
            scheme="virtue",
            bill="12.00",
            points=100,
            at=when(3),
        )
        assert (receipt.fund_part, receipt.merchant_part) == (Decimal("0.00"), Decimal("6.00"))
        assert absorbing.fund("fund:dc").balance == Decimal("5.00")

    def test_split_policy(self) -> None:
        """Split 1/2: of 6.01 off, the fund pays 3.00 and the merchant the odd fen."""
        built = programme(policy=FundingPolicy.split("fund:dc", "1/2"))
        shop = Merchant(
            id="odd",
            name="小卖部",
            subcommunity="dc",
            rule=RedemptionRule(points_per_yuan=1, schemes=["virtue"]),
            funding=FundingPolicy.split("fund:dc", "1/2"),
        )
        built.add_merchant(shop)
        receipt = built.redeem(
            id="b1",
            resident="wang",
            merchant="odd",
            scheme="virtue",
            bill="6.01",
            points=100,
            at=when(3),
        )
        assert receipt.discount == Decimal("6.01")
        assert (receipt.fund_part, receipt.merchant_part) == (Decimal("3.00"), Decimal("3.01"))


class TestRefund:
    def redeemed(self) -> PointsProgramme:
        built = programme()
        built.redeem(
            id="b1",
            resident="wang",
            merchant="canteen",
            scheme="virtue",
            bill="12.00",
            points=100,
            at=when(3),
        )
        return built

    def test_full_refund_returns_every_point_and_fen(self) -> None:
        """A full refund gives back 60 points and 6.00 in money, and the fund its 6.00."""
        built = self.redeemed()
        record = built.refund("b1", id="r1", at=when(4))
        assert (record.points, record.discount, record.money) == (
            60,
            Decimal("6.00"),
            Decimal("6.00"),
        )
        assert built.ledger.balance(wallet_id("virtue", "wang")) == 100
        assert built.fund("fund:dc").balance == Decimal("500.00")
        with pytest.raises(errors.WrongStep):
            built.refund("b1", id="r2", at=when(4))

    def test_partial_refunds_add_up_to_a_full_one(self) -> None:
        """Refunding 5.00 then 7.00 returns 25 + 35 points and 2.50 + 3.50 of discount."""
        built = self.redeemed()
        first = built.refund("b1", id="r1", at=when(4), bill="5.00")
        second = built.refund("b1", id="r2", at=when(5), bill="7.00")
        assert (first.points, first.discount, first.money) == (25, Decimal("2.50"), Decimal("2.50"))
        assert (second.points, second.discount) == (35, Decimal("3.50"))
        assert built.ledger.reversed_amount("redeem/b1") == 60

    def test_refund_more_than_left_is_refused(self) -> None:
        """A refund of 12.01 on a 12.00 bill changes nothing."""
        built = self.redeemed()
        length = len(built.ledger)
        with pytest.raises(errors.WrongStep):
            built.refund("b1", id="r1", at=when(4), bill="12.01")
        assert len(built.ledger) == length
        assert built.refunds("b1") == ()

    def test_retried_refund(self) -> None:
        """The same refund id and amount again returns the first record."""
        built = self.redeemed()
        first = built.refund("b1", id="r1", at=when(4), bill="5.00")
        assert built.refund("b1", id="r1", at=when(4), bill="5.00") == first
        with pytest.raises(errors.DuplicateRecord):
            built.refund("b1", id="r1", at=when(4), bill="6.00")

    @given(st.lists(st.integers(min_value=1, max_value=1200), min_size=1, max_size=6))
    def test_any_partial_refunds_never_return_more_than_taken(self, parts: list[int]) -> None:
        """However a bill is refunded, points and money back never exceed what was taken."""
        built = self.redeemed()
        for number, fen in enumerate(parts):
            try:
                built.refund("b1", id=f"r{number}", at=when(4), bill=Decimal(fen) / 100)
            except errors.WrongStep:
                continue
        records = built.refunds("b1")
        assert sum(record.points for record in records) <= 60
        assert sum(record.money for record in records) <= Decimal("6.00")
        refunded = sum(record.bill for record in records)
        assert sum(record.discount + record.money for record in records) == refunded
        if refunded == Decimal("12.00"):
            assert sum(record.points for record in records) == 60


class TestAudit:
    def test_a_redemption_outside_redeem_is_flagged(self) -> None:
        """A REDEEM posted straight to the canteen's account is a finding; redeem()'s are not."""
        built = programme()
        built.redeem(
            id="b1",
            resident="wang",
            merchant="canteen",
            scheme="virtue",
            bill="12.00",
            points=10,
            at=when(3),
        )
        assert built.audit() == ()
        built.ledger.post(
            Transfer(
                id="stray",
                debit=wallet_id("virtue", "wang"),
                credit=merchant_account_id("virtue", "canteen"),
                amount=50,
                kind=TransferKind.REDEEM,
                at=when(4),
            )
        )
        findings = {finding.subject: finding.code for finding in built.audit()}
        assert findings == {
            "stray": errors.RedemptionRefused.code,
            merchant_account_id("virtue", "canteen"): errors.SettlementMismatch.code,
        }
        with pytest.raises(errors.SettlementMismatch):
            built.settle(when(1), when(30), at=when(30))


class TestBillInFen:
    """The fen of a bill that redeem works out once, without checking the yuan again."""

    @given(st.integers(min_value=-(10**12), max_value=10**12))
    def test_fen_of_checked_yuan_is_to_fen(self, fen: int) -> None:
        amount = from_fen(fen)
        assert _fen(amount) == to_fen(amount) == fen

    def test_whole_yuan_bill(self) -> None:
        assert _fen(yuan(20)) == 2000
