"""Properties of the points programme: idempotency, caps, discounts, funds, settlement, refusals."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import errors
from grassroots import strategies as gst
from grassroots.ledger import ExchangeRate, Scheme
from grassroots.money import to_fen
from grassroots.programme import (
    CapPeriod,
    EarnerGroup,
    EarningCap,
    FundingPolicy,
    Merchant,
    Participant,
    PointsProgramme,
    PublicRevenueFund,
    RedemptionRule,
    Reward,
    VolunteerActivity,
    wallet_id,
)

START = pendulum.datetime(2026, 11, 1, 8, tz="Asia/Shanghai")


def activity(number: int, day: int, points: int, *, capacity: int = 5) -> VolunteerActivity:
    """Return activity ``number`` on November ``day``, 09:00–11:00, paying ``points`` virtue."""
    start = START.add(days=day - 1, hours=1)
    return VolunteerActivity(
        id=f"a{number}",
        title="志愿服务",
        organiser="branch",
        place="小区",
        subcommunity="dc",
        start=start,
        end=start.add(hours=2),
        rewards=[Reward(scheme="virtue", points=points)],
        capacity=capacity,
        eligible=list(EarnerGroup),
    )


def rich(points: int, *, caps: tuple[EarningCap, ...] = (), fund: int = 0) -> PointsProgramme:
    """Return a programme where wang earned ``points`` virtue points and a fund of ``fund`` fen."""
    built = PointsProgramme(caps=caps)
    built.add_scheme(Scheme(code="virtue"))
    built.add_scheme(Scheme(code="party"))
    built.register(Participant(id="wang", groups=[EarnerGroup.RESIDENT]))
    money = PublicRevenueFund(id="fund", subcommunity="dc")
    built.add_fund(money)
    if fund:
        money.deposit(Decimal(fund) / 100, at=START, reference="seed")
    if points:
        built.publish(activity(0, 1, points), by="branch")
        built.claim("a0", "wang", by="wang", at=START)
        built.confirm("a0", ["wang"], by="branch", at=START.add(hours=4))
    return built


class TestConfirmation:
    @given(st.integers(min_value=1, max_value=10))
    def test_idempotent(self, repeats: int) -> None:
        """However often a resident is confirmed, the reward is credited once."""
        built = rich(0)
        built.publish(activity(1, 1, 25), by="branch")
        built.claim("a1", "wang", by="wang", at=START)
        for number in range(repeats):
            built.confirm("a1", ["wang"], by="branch", at=START.add(hours=4, minutes=number))
        assert built.ledger.balance(wallet_id("virtue", "wang")) == 25
        assert built.ledger.totals("virtue").issued == 25

    @given(
        st.lists(st.tuples(st.integers(1, 14), st.integers(1, 60)), min_size=1, max_size=12),
        st.sampled_from(CapPeriod),
        st.integers(min_value=1, max_value=100),
    )
    def test_caps_never_exceeded(
        self, plan: list[tuple[int, int]], period: CapPeriod, limit: int
    ) -> None:
        """Activities confirmed in any order of days never credit more than the cap per period."""
        cap = EarningCap(scheme="virtue", period=period, points=limit)
        built = rich(0, caps=(cap,))
        ordered = sorted(enumerate(plan), key=lambda item: item[1][0])
        for number, (day, points) in ordered:
            built.publish(activity(number + 1, day, points), by="branch")
            built.claim(f"a{number + 1}", "wang", by="wang", at=START)
        per_window: dict[tuple[int, int, int], int] = {}
        for number, (day, _points) in ordered:
            at = START.add(days=day - 1, hours=4)
            (record,) = built.confirm(f"a{number + 1}", ["wang"], by="branch", at=at)
            key = cap.window(at)
            per_window[key] = per_window.get(key, 0) + record.points
        assert all(total <= limit for total in per_window.values())
        assert built.ledger.balance(wallet_id("virtue", "wang")) == sum(per_window.values())


class TestRedemption:
    @given(
        gst.redemption_rules(schemes=st.just("virtue")),
        st.integers(min_value=0, max_value=50_000),
        st.integers(min_value=0, max_value=600),
    )
    def test_discount_within_the_rule_and_fewest_points(
        self, rule: RedemptionRule, bill_fen: int, offered: int
    ) -> None:
        """A discount is at most the cap share and the bill; one point fewer is too few."""
        built = rich(500)
        built.add_merchant(Merchant(id="shop", name="便利店", subcommunity="dc", rule=rule))
        bill = Decimal(bill_fen) / 100
        before = len(built.ledger)
        try:
            receipt = built.redeem(
                id="b",
                resident="wang",
                merchant="shop",
                scheme="virtue",
                bill=bill,
                points=offered,
                at=START.add(days=1),
            )
        except (errors.RedemptionRefused, errors.InsufficientPoints):
            assert len(built.ledger) == before
            return
        discount = to_fen(receipt.discount)
        assert receipt.points <= offered <= 500
        assert discount <= rule.max_share * bill_fen
        assert discount + to_fen(receipt.payable) == bill_fen
        assert Fraction(receipt.points) * 100 / rule.points_per_yuan >= discount
        assert Fraction(receipt.points - 1) * 100 / rule.points_per_yuan < discount
        assert built.ledger.balance(wallet_id("virtue", "wang")) == 500 - receipt.points

    @given(
        gst.funding_policies(funds=st.just("fund")),
        st.integers(min_value=0, max_value=3_000),
        st.lists(st.integers(min_value=100, max_value=5_000), min_size=1, max_size=10),
    )
    def test_funds_never_negative_and_settlement_reconciles(
        self, policy: FundingPolicy, fund: int, bills: list[int]
    ) -> None:
        """Redemptions never take a fund below zero; settlement equals the sum of receipts."""
        built = rich(2_000, fund=fund)
        rule = RedemptionRule(points_per_yuan=10, max_share="1/2", schemes=["virtue"])
        built.add_merchant(
            Merchant(id="shop", name="幸福食堂", subcommunity="dc", rule=rule, funding=policy)
        )
        receipts = []
        for number, bill in enumerate(bills):
            at = START.add(days=1, minutes=number)
            with contextlib.suppress(errors.FundInsufficient, errors.InsufficientPoints):
                receipts.append(
                    built.redeem(
                        id=f"b{number}",
                        resident="wang",
                        merchant="shop",
                        scheme="virtue",
                        bill=Decimal(bill) / 100,
                        points=200,
                        at=at,
                    )
                )
            assert built.fund("fund").balance_fen >= 0
        settlement = built.settle(START, START.add(days=30), at=START.add(days=30))
        assert settlement.discounts == sum((r.discount for r in receipts), Decimal("0.00"))
        assert settlement.points == sum(r.points for r in receipts)
        assert settlement.points == built.ledger.balance("virtue:merchant:shop")
        fund_paid = sum((r.fund_part for r in receipts), Decimal("0.00"))
        assert sum((line.fund_owes for line in settlement.lines), Decimal("0.00")) == fund_paid
        assert built.fund("fund").balance_fen == fund - to_fen(fund_paid)
        assert built.audit() == ()


class TestExchange:
    @given(
        st.integers(min_value=1, max_value=20),
        st.integers(min_value=1, max_value=20),
        st.lists(st.integers(min_value=0, max_value=300), max_size=6),
    )
    def test_conservation_per_scheme(self, num: int, den: int, offers: list[int]) -> None:
        """At any rate, every scheme's trial balance is zero and nothing is created or lost."""
        built = rich(500)
        built.window.set_rate(
            ExchangeRate(source="virtue", target="party", rate=Fraction(num, den), effective=START)
        )
        spent = received = 0
        for number, offer in enumerate(offers):
            try:
                receipt = built.exchange(
                    id=f"x{number}",
                    resident="wang",
                    source="virtue",
                    target="party",
                    points=offer,
                    at=START.add(days=1),
                )
            except errors.InsufficientPoints:
                continue
            assert receipt.received == receipt.spent * num // den == offer * num // den
            spent += receipt.spent
            received += receipt.received
        assert set(built.ledger.trial_balance().values()) == {0}
        assert built.ledger.balance(wallet_id("virtue", "wang")) == 500 - spent
        assert built.ledger.balance(wallet_id("party", "wang")) == received


class TestRefusals:
    @given(
        st.one_of(
            st.floats(allow_nan=True),
            st.booleans(),
            st.integers(max_value=-1),
            st.integers(min_value=10**30),
            st.text(max_size=5),
        )
    )
    def test_hostile_points_change_nothing(self, points: object) -> None:
        """Floats, booleans, negatives, huge numbers or text as points leave no trace."""
        built = rich(100)
        built.add_merchant(
            Merchant(
                id="shop",
                name="便利店",
                subcommunity="dc",
                rule=RedemptionRule(points_per_yuan=10, schemes=["virtue"]),
            )
        )
        before = (len(built.ledger), built.receipts)
        with pytest.raises((TypeError, errors.GrassrootsError)):
            built.redeem(
                id="b",
                resident="wang",
                merchant="shop",
                scheme="virtue",
                bill="10.00",
                points=points,
                at=START.add(days=1),  # type: ignore[arg-type]
            )
        assert (len(built.ledger), built.receipts) == before

    @given(st.text(min_size=0, max_size=8))
    def test_odd_ids(self, text: str) -> None:
        """Blank or control-character ids are refused; valid ones are taken."""
        try:
            participant = Participant(id=text, groups=[EarnerGroup.RESIDENT])
        except errors.InvalidValue:
            return
        built = rich(0)
        built.register(participant)
        assert built.ledger.balance(wallet_id("virtue", text)) == 0

    @given(st.sampled_from(["zhang", "admin", "branch", ""]))
    def test_other_viewers_are_refused(self, viewer: str) -> None:
        """Nobody but the resident (and no administrator is set here) sees a balance."""
        built = rich(10)
        with pytest.raises(errors.PermissionDenied):
            built.balance("wang", "virtue", viewer=viewer, at=START.add(days=1))
