"""Tancheng (郯城县): the points cycle of a compound, worked through with the case's figures.

The case: existing platforms, "新新向党" party-member points and 美德积分 virtue
points, are joined into one exchange window (积分兑换窗口). The branch publishes
a volunteer activity, residents claim it and take part, points are credited
online, and they are redeemed offline as discounts at the venture's shops: the
24-hour convenience store, the housekeeping company and the happiness canteen
(幸福食堂). Party members, staff of organisations, new-employment groups
(couriers, riders) and residents all earn points. 10% of each project's net
profit goes to the compound's public revenue (小区公共收益), which pays for the
discounts: profit → public revenue → discounts → volunteering.

Assumptions the case leaves open, made explicit here: both old schemes convert
1:1 into the window's points; a point is worth 1 jiao (0.10 yuan) at every
shop; points may pay at most half a canteen meal and a fifth of a housekeeping
bill; points expire at the end of the year after they were earned.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest

from grassroots import errors
from grassroots.ledger import (
    Account,
    AccountKind,
    ExchangeRate,
    ExpiryPolicy,
    PointsLedger,
    Scheme,
    Transfer,
    TransferKind,
    quote_redemption,
)
from grassroots.money import apportion, from_fen, to_fen, yuan

SHANGHAI = "Asia/Shanghai"
YUAN_PER_POINT = Fraction(1, 10)  # assumption: 1 point = 1 jiao at every shop
COMMUNITY_SHARE = Fraction(10, 100)  # Tancheng case: 10% of each project's net profit
SHOPS = ("store", "housekeeping", "canteen")  # 便利店, 家政公司, 幸福食堂

# Who takes part (the case: party members, organisations' staff, new-employment groups, residents).
PEOPLE = {
    "zhang": "party member (党员)",
    "liu": "staff of an organisation in the compound",
    "chen": "courier of the new-employment groups (快递员)",
    "zhao": "resident, homemaker",
}
PARTY_MEMBERS = ("zhang",)


def when(month: int, day: int, hour: int = 10) -> pendulum.DateTime:
    """Return a time in 2025, Asia/Shanghai."""
    return pendulum.datetime(2025, month, day, hour, tz=SHANGHAI)


def set_up() -> PointsLedger:
    """Open the three schemes, their accounts, the shops and every participant's wallets."""
    ledger = PointsLedger()
    policy = ExpiryPolicy.end_of_year(1)
    for code, name in (("party", "新新向党"), ("virtue", "美德积分"), ("window", "积分兑换窗口")):
        ledger.add_scheme(Scheme(code=code, name=name, expiry=policy))
        for kind in (AccountKind.ISSUER, AccountKind.EXPIRY, AccountKind.EXCHANGE):
            ledger.open_account(Account(id=f"{code}:{kind.value}", scheme=code, kind=kind))
        for person, description in PEOPLE.items():
            if code != "party" or person in PARTY_MEMBERS:
                ledger.open_account(
                    Account(
                        id=f"{code}:{person}",
                        scheme=code,
                        kind=AccountKind.WALLET,
                        owner=person,
                        name=description,
                    )
                )
    for shop in SHOPS:
        ledger.open_account(
            Account(id=f"window:{shop}", scheme="window", kind=AccountKind.MERCHANT)
        )
    for source in ("party", "virtue"):
        ledger.record_rate(
            ExchangeRate(
                source=source,
                target="window",
                rate=Fraction(1),
                effective=when(1, 1, 0),
                reference="one-stop exchange window opened (assumed 1:1)",
            )
        )
    return ledger


class Activity:
    """A volunteer activity the branch publishes: residents claim it, the organiser confirms."""

    def __init__(self, code: str, scheme: str, points: int) -> None:
        self.code = code
        self.scheme = scheme
        self.points = points
        self.claims: list[str] = []

    def claim(self, person: str) -> None:
        """A resident claims the activity (认领)."""
        self.claims.append(person)

    def confirm(self, ledger: PointsLedger, at: pendulum.DateTime) -> tuple[int, ...]:
        """The organiser confirms attendance by sign-in; points are credited online."""
        return ledger.post_batch(
            Transfer(
                id=f"{self.code}:{person}",
                debit=f"{self.scheme}:issuer",
                credit=f"{self.scheme}:{person}",
                amount=self.points,
                kind=TransferKind.EARN,
                at=at,
                reference=self.code,
                memo="confirmed by sign-in",
            )
            for person in self.claims
        )


@pytest.fixture
def cycle() -> PointsLedger:
    """Run one season of the cycle: two activities, exchange at the window, three redemptions."""
    ledger = set_up()
    cleanup = Activity("2025-03 楼道清洁", "virtue", points=30)
    for person in PEOPLE:
        cleanup.claim(person)
    cleanup.confirm(ledger, when(3, 8, 17))
    study = Activity("2025-03 党员志愿服务", "party", points=50)
    study.claim("zhang")
    study.confirm(ledger, when(3, 15, 17))
    # A point added by hand is kept apart from sign-in points: an adjustment, with its reason.
    ledger.post(
        Transfer(
            id="hand-1",
            debit="virtue:issuer",
            credit="virtue:chen",
            amount=10,
            kind=TransferKind.ADJUST,
            at=when(3, 16),
            memo="added by hand: sign-in sheet lost, confirmed by the organiser",
        )
    )
    # At the exchange window the old points become window points.
    ledger.exchange(
        id="x-zhang-party", source="party:zhang", target="window:zhang", points=50, at=when(4, 1)
    )
    for person in PEOPLE:
        ledger.exchange(
            id=f"x-{person}",
            source=f"virtue:{person}",
            target=f"window:{person}",
            points=ledger.balance(f"virtue:{person}"),
            at=when(4, 1, 11),
        )
    return ledger


def redeem(
    ledger: PointsLedger,
    tid: str,
    *,
    person: str,
    shop: str,
    bill: str,
    cap: Fraction,
    at: pendulum.DateTime,
) -> Decimal:
    """Quote a discount at a shop's rate and post the redemption; return the discount."""
    quote = quote_redemption(
        points=ledger.spendable(f"window:{person}", at=at),
        bill=bill,
        rate=YUAN_PER_POINT,
        cap=cap,
    )
    ledger.post(
        Transfer(
            id=tid,
            debit=f"window:{person}",
            credit=f"window:{shop}",
            amount=quote.points,
            kind=TransferKind.REDEEM,
            at=at,
            reference=f"bill {bill}",
            memo=f"discount {quote.discount} yuan",
        )
    )
    return quote.discount


class TestEarning:
    def test_sign_in_points_and_hand_points_are_kept_apart(self, cycle: PointsLedger) -> None:
        """Points confirmed by sign-in are earnings; points added by hand are adjustments."""
        totals = cycle.totals("virtue")
        assert totals.issued == 30 * len(PEOPLE)
        assert totals.adjusted == 10
        assert cycle.totals("party").issued == 50

    def test_only_the_confirmer_turns_a_claim_into_points(self) -> None:
        """A claim alone credits nothing; confirmation does (points rule 2)."""
        ledger = set_up()
        activity = Activity("2025-05 助老", "virtue", points=20)
        activity.claim("chen")
        assert ledger.balance("virtue:chen") == 0
        activity.confirm(ledger, when(5, 6))
        assert ledger.balance("virtue:chen") == 20
        assert ledger.transfer("2025-05 助老:chen").reference == "2025-05 助老"

    def test_confirming_twice_credits_once(self, cycle: PointsLedger) -> None:
        """The activity and person make the id, so a repeated confirmation changes nothing."""
        head = cycle.head
        again = Activity("2025-03 楼道清洁", "virtue", points=30)
        for person in PEOPLE:
            again.claim(person)
        again.confirm(cycle, when(3, 8, 17))
        assert cycle.head == head


class TestExchangeWindow:
    def test_both_old_schemes_flow_into_the_window(self, cycle: PointsLedger) -> None:
        """Party and virtue points are converted, each conversion a pair of entries."""
        assert cycle.balance("window:zhang") == 50 + 30
        assert cycle.balance("window:chen") == 30 + 10
        assert cycle.totals("window").exchanged_in == 50 + 30 * len(PEOPLE) + 10
        assert cycle.totals("party").exchanged_out == 50
        assert all(cycle.balance(f"virtue:{person}") == 0 for person in PEOPLE)
        assert cycle.trial_balance() == {"party": 0, "virtue": 0, "window": 0}


class TestRedemption:
    def test_a_canteen_meal(self, cycle: PointsLedger) -> None:
        """A 15-yuan meal: points pay at most half, 75 points for 7.50 yuan."""
        discount = redeem(
            cycle,
            "meal-1",
            person="zhang",
            shop="canteen",
            bill="15.00",
            cap=Fraction(1, 2),
            at=when(4, 2, 12),
        )
        assert discount == yuan("7.50")
        assert cycle.balance("window:zhang") == 80 - 75

    def test_the_convenience_store_and_housekeeping(self, cycle: PointsLedger) -> None:
        """Points pay a whole small purchase, and a fifth of a housekeeping bill."""
        assert redeem(
            cycle,
            "shop-1",
            person="chen",
            shop="store",
            bill="3.20",
            cap=Fraction(1),
            at=when(4, 3),
        ) == yuan("3.20")
        assert cycle.balance("window:chen") == 40 - 32
        assert redeem(
            cycle,
            "home-1",
            person="zhao",
            shop="housekeeping",
            bill="60.00",
            cap=Fraction(1, 5),
            at=when(4, 4),
        ) == yuan("3.00")
        assert cycle.balance("window:zhao") == 0

    def test_a_cancelled_meal_gives_the_points_back(self, cycle: PointsLedger) -> None:
        """A refund returns the points to the lots they came from, never both money and points."""
        redeem(
            cycle,
            "meal-2",
            person="liu",
            shop="canteen",
            bill="12.00",
            cap=Fraction(1, 2),
            at=when(4, 5, 12),
        )
        cycle.reverse("meal-2", id="meal-2-refund", at=when(4, 5, 13), memo="meal cancelled")
        assert cycle.balance("window:liu") == 30
        with pytest.raises(errors.AlreadyReversed):
            cycle.reverse("meal-2", id="meal-2-refund-again", at=when(4, 5, 14))


class TestSettlementAndPublicRevenue:
    def test_public_revenue_pays_for_the_discounts(self, cycle: PointsLedger) -> None:
        """The 10% community share of the canteen's profit covers the season's discounts."""
        discounts = [
            redeem(
                cycle,
                "meal-3",
                person="zhang",
                shop="canteen",
                bill="15.00",
                cap=Fraction(1, 2),
                at=when(4, 6, 12),
            ),
            redeem(
                cycle,
                "shop-3",
                person="chen",
                shop="store",
                bill="3.20",
                cap=Fraction(1),
                at=when(4, 6, 13),
            ),
        ]
        canteen_net_profit = yuan("52000.00")  # an illustrative year for one project
        public_revenue = from_fen(
            to_fen(canteen_net_profit) * COMMUNITY_SHARE.numerator // COMMUNITY_SHARE.denominator
        )
        assert public_revenue == yuan("5200.00")
        assert sum(discounts) <= public_revenue
        # Each shop's redeemed points are its claim on the public revenue (points rule 8).
        claims = {shop: cycle.balance(f"window:{shop}") for shop in SHOPS}
        assert from_fen(sum(claims.values()) * 10) == sum(discounts)
        for shop, points in claims.items():
            if points:
                cycle.post(
                    Transfer(
                        id=f"settle-{shop}-2025-04",
                        debit=f"window:{shop}",
                        credit="window:issuer",
                        amount=points,
                        kind=TransferKind.SETTLE,
                        at=when(4, 30),
                        memo=f"paid {from_fen(points * 10)} yuan from the public revenue",
                    )
                )
        assert cycle.totals("window").settled == sum(claims.values())
        assert all(cycle.balance(f"window:{shop}") == 0 for shop in SHOPS)

    def test_a_shared_claim_splits_exactly(self) -> None:
        """A claim split among funders by largest remainder adds up to the fen."""
        assert sum(apportion(to_fen(yuan("10.70")), [1, 1, 1])) == 1070


class TestExpiryAndStatements:
    def test_unspent_points_expire_after_next_year(self, cycle: PointsLedger) -> None:
        """Points earned in 2025 expire at the start of 2027, in Asia/Shanghai."""
        lots = sum(len(cycle.lots(f"window:{person}")) for person in PEOPLE)
        assert lots == len(PEOPLE) + 1  # zhang brought party and virtue points
        assert cycle.expire(as_of=pendulum.datetime(2026, 12, 31, 23, 59, tz=SHANGHAI)) == ()
        swept = cycle.expire(as_of=pendulum.datetime(2027, 1, 1, tz=SHANGHAI))
        assert len(swept) == lots
        assert cycle.totals("window").expired == cycle.totals("window").exchanged_in
        assert cycle.audit() == ()

    def test_a_residents_statement_for_the_year(self, cycle: PointsLedger) -> None:
        """A resident sees every movement of the year with opening and closing balances."""
        redeem(
            cycle,
            "meal-4",
            person="zhang",
            shop="canteen",
            bill="15.00",
            cap=Fraction(1, 2),
            at=when(6, 1, 12),
        )
        year = pendulum.Interval(pendulum.date(2025, 1, 1), pendulum.date(2025, 12, 31))
        statement = cycle.statement("window:zhang", year)
        assert (statement.opening, statement.closing) == (0, 5)
        assert [line.kind for line in statement.lines] == [
            TransferKind.EXCHANGE,
            TransferKind.EXCHANGE,
            TransferKind.REDEEM,
        ]
