"""The one-stop exchange window: dated rates, rounding down, remainders, daily limits."""

from __future__ import annotations

from fractions import Fraction

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import errors
from grassroots.ledger import ExchangeRate, ExpiryPolicy, Scheme
from grassroots.programme import (
    DailyLimit,
    EarnerGroup,
    Participant,
    PointsProgramme,
    Reward,
    VolunteerActivity,
    wallet_id,
)


def when(day: int, hour: int = 10) -> pendulum.DateTime:
    """Return a time in November 2026, Asia/Shanghai."""
    return pendulum.datetime(2026, 11, day, hour, tz="Asia/Shanghai")


def programme(*, limits: tuple[DailyLimit, ...] = (), party: int = 100) -> PointsProgramme:
    """Return a window joining 新新向党 and 美德积分, where zhang earned ``party`` party points."""
    built = PointsProgramme(exchange_schemes=["party", "virtue"], exchange_limits=limits)
    built.add_scheme(Scheme(code="party", name="新新向党", expiry=ExpiryPolicy.end_of_year(1)))
    built.add_scheme(Scheme(code="virtue", name="美德积分", expiry=ExpiryPolicy.end_of_year(1)))
    built.add_scheme(Scheme(code="other", name="别的积分"))
    built.register(Participant(id="zhang", groups=[EarnerGroup.PARTY_MEMBER]))
    built.publish(
        VolunteerActivity(
            id="a1",
            title="党员先锋岗",
            organiser="branch",
            place="党群服务站",
            subcommunity="dc",
            start=when(2, 9),
            end=when(2, 11),
            rewards=[Reward(scheme="party", points=party)],
            capacity=1,
            eligible=[EarnerGroup.PARTY_MEMBER],
        ),
        by="branch",
    )
    built.claim("a1", "zhang", by="zhang", at=when(1))
    built.confirm("a1", ["zhang"], by="branch", at=when(2, 12))
    built.window.set_rate(
        ExchangeRate(source="party", target="virtue", rate=Fraction(2, 3), effective=when(1, 0))
    )
    built.window.set_rate(
        ExchangeRate(source="party", target="virtue", rate=Fraction(1, 2), effective=when(15, 0))
    )
    return built


class TestRates:
    def test_history_and_the_rate_in_force(self) -> None:
        """Both rates are kept; the 14th uses 2/3 and the 15th uses 1/2."""
        built = programme()
        assert [rate.rate for rate in built.window.history("party", "virtue")] == [
            Fraction(2, 3),
            Fraction(1, 2),
        ]
        assert built.window.rate("party", "virtue", at=when(14, 23)).rate == Fraction(2, 3)
        assert built.window.rate("party", "virtue", at=when(15, 0)).rate == Fraction(1, 2)

    def test_only_joined_schemes(self) -> None:
        """A rate or a conversion with a scheme outside the window is refused."""
        built = programme()
        with pytest.raises(errors.UnknownReference):
            built.window.set_rate(
                ExchangeRate(source="party", target="other", rate=Fraction(1), effective=when(1))
            )
        with pytest.raises(errors.UnknownReference):
            built.exchange(
                id="x", resident="zhang", source="party", target="other", points=10, at=when(3)
            )


class TestConvert:
    def test_rounded_down_with_the_remainder_kept(self) -> None:
        """10 party points at 2/3 give 6 virtue points for 9; the 10th point stays."""
        built = programme()
        receipt = built.exchange(
            id="x1", resident="zhang", source="party", target="virtue", points=10, at=when(3)
        )
        assert (receipt.spent, receipt.received, receipt.remainder) == (9, 6, 1)
        assert built.ledger.balance(wallet_id("party", "zhang")) == 91
        assert built.ledger.balance(wallet_id("virtue", "zhang")) == 6
        assert built.ledger.trial_balance() == {"party": 0, "virtue": 0, "other": 0}

    def test_the_rate_at_the_time(self) -> None:
        """On the 15th the same 10 points give 5."""
        built = programme()
        receipt = built.exchange(
            id="x1", resident="zhang", source="party", target="virtue", points=10, at=when(15)
        )
        assert (receipt.spent, receipt.received) == (10, 5)

    def test_too_few_points_buy_nothing_and_change_nothing(self) -> None:
        """One party point at 2/3 buys no virtue point; the ledger is unchanged."""
        built = programme()
        length = len(built.ledger)
        with pytest.raises(errors.InsufficientPoints):
            built.exchange(
                id="x1", resident="zhang", source="party", target="virtue", points=1, at=when(3)
            )
        assert len(built.ledger) == length

    def test_retry(self) -> None:
        """The same conversion again returns its receipt and posts nothing."""
        built = programme()
        first = built.exchange(
            id="x1", resident="zhang", source="party", target="virtue", points=10, at=when(3)
        )
        length = len(built.ledger)
        again = built.exchange(
            id="x1", resident="zhang", source="party", target="virtue", points=10, at=when(3)
        )
        assert again == first
        assert len(built.ledger) == length

    def test_daily_limit(self) -> None:
        """A 30-point daily limit: 27 spent, then 6 more refused, the next day allowed."""
        built = programme(limits=(DailyLimit(scheme="party", points=30),))
        built.exchange(
            id="x1", resident="zhang", source="party", target="virtue", points=27, at=when(3)
        )
        with pytest.raises(errors.ExchangeLimitReached):
            built.exchange(
                id="x2", resident="zhang", source="party", target="virtue", points=6, at=when(3, 20)
            )
        assert built.window.converted_today("zhang", "party", at=when(3)) == 27
        built.exchange(
            id="x3", resident="zhang", source="party", target="virtue", points=6, at=when(4)
        )

    @given(st.lists(st.integers(min_value=0, max_value=60), max_size=8))
    def test_points_are_conserved_in_every_scheme(self, offers: list[int]) -> None:
        """Whatever is converted, each scheme's trial balance is zero and totals add up."""
        built = programme()
        spent = received = 0
        for number, offer in enumerate(offers):
            try:
                receipt = built.exchange(
                    id=f"x{number}",
                    resident="zhang",
                    source="party",
                    target="virtue",
                    points=offer,
                    at=when(3),
                )
            except errors.InsufficientPoints:
                continue
            assert receipt.received == receipt.spent * 2 // 3
            spent += receipt.spent
            received += receipt.received
        assert built.ledger.balance(wallet_id("party", "zhang")) == 100 - spent
        assert built.ledger.balance(wallet_id("virtue", "zhang")) == received
        assert set(built.ledger.trial_balance().values()) == {0}
        party = built.ledger.totals("party")
        assert party.exchanged_out == spent
        assert built.ledger.totals("virtue").exchanged_in == received


class TestMoreThanTheWalletHolds:
    """The window's own refusal when the source wallet lacks the points; nothing changes."""

    def check_refused(self, built: PointsProgramme, at: pendulum.DateTime, held: int) -> None:
        length = len(built.ledger)
        balances = (
            built.ledger.balance(wallet_id("party", "zhang")),
            built.ledger.balance(wallet_id("virtue", "zhang")),
        )
        with pytest.raises(errors.InsufficientPoints) as caught:
            built.exchange(
                id="x1", resident="zhang", source="party", target="virtue", points=150, at=at
            )
        refusal = caught.value
        assert not isinstance(refusal, errors.BatchRejected)
        assert str(refusal).startswith(
            f"converting 150 points of party spends 150, but 'zhang' holds {held} spendable"
        )
        assert (refusal.value, refusal.limit) == (150, held)
        assert refusal.rule is not None
        assert refusal.rule.startswith("points rule 9")
        assert len(built.ledger) == length
        assert balances == (
            built.ledger.balance(wallet_id("party", "zhang")),
            built.ledger.balance(wallet_id("virtue", "zhang")),
        )
        assert built.window.converted_today("zhang", "party", at=at) == 0
        assert built.window.receipts == ()
        # The same id is free for a conversion the wallet can pay.
        receipt = built.exchange(
            id="x1", resident="zhang", source="party", target="virtue", points=held, at=at
        )
        assert receipt.spent <= held

    def test_more_than_the_balance(self) -> None:
        """Zhang holds 100 party points and offers 150: refused, naming the 100 held."""
        self.check_refused(programme(), when(3), 100)

    def test_more_than_the_spendable_points(self) -> None:
        """Zhang's 100 points are held but 40 have been spent: the refusal names the 60 left."""
        built = programme()
        built.exchange(
            id="x0", resident="zhang", source="party", target="virtue", points=40, at=when(3)
        )
        assert built.ledger.balance(wallet_id("party", "zhang")) == 61
        length = len(built.ledger)
        with pytest.raises(errors.InsufficientPoints) as caught:
            built.exchange(
                id="x1", resident="zhang", source="party", target="virtue", points=150, at=when(4)
            )
        assert str(caught.value).startswith(
            "converting 150 points of party spends 150, but 'zhang' holds 61 spendable"
        )
        assert len(built.ledger) == length
        assert [receipt.id for receipt in built.window.receipts] == ["x0"]

    def test_points_expired(self) -> None:
        """In 2028 (rate 1/2: 3 points spend 2) zhang's 2026 points are held but expired."""
        built = programme()
        later = pendulum.datetime(2028, 3, 1, 10, tz="Asia/Shanghai")
        assert built.ledger.spendable(wallet_id("party", "zhang"), at=later) == 0
        length = len(built.ledger)
        with pytest.raises(errors.InsufficientPoints) as caught:
            built.exchange(
                id="x1", resident="zhang", source="party", target="virtue", points=3, at=later
            )
        assert str(caught.value).startswith(
            "converting 3 points of party spends 2, but 'zhang' holds 0 spendable"
        )
        assert (caught.value.value, caught.value.limit) == (2, 0)
        assert len(built.ledger) == length
        assert built.window.receipts == ()
