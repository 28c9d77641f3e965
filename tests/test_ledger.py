"""The points ledger: value types, posting, lots, reversal, expiry, exchange, queries, journal."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import errors, serialization
from grassroots.ledger import (
    GENESIS,
    MAX_TRANSFER_POINTS,
    Account,
    AccountClosure,
    AccountKind,
    Draw,
    ExchangeRate,
    ExpiryPolicy,
    ExpiryRule,
    JournalEntry,
    Lot,
    PointsLedger,
    RedemptionQuote,
    Scheme,
    SchemeTotals,
    Statement,
    Transfer,
    TransferKind,
    quote_redemption,
    verify_journal,
)

SHANGHAI = pendulum.timezone("Asia/Shanghai")
T0 = pendulum.datetime(2025, 3, 1, 9, tz=SHANGHAI)


def at(days: float = 0, **more: float) -> pendulum.DateTime:
    """Return ``T0`` plus some days (and hours, minutes)."""
    return T0.add(days=int(days), **{k: int(v) for k, v in more.items()})


def new_ledger(*, expiry: ExpiryPolicy | None = None, merchants: int = 3) -> PointsLedger:
    """Return a ledger with the scheme "virtue" and the scheme "unified", and two residents."""
    ledger = PointsLedger()
    for code, name in (("virtue", "美德积分"), ("unified", "积分兑换窗口")):
        ledger.add_scheme(
            Scheme(code=code, name=name, expiry=expiry or ExpiryPolicy.end_of_year(1))
        )
        for kind in (AccountKind.ISSUER, AccountKind.EXPIRY, AccountKind.EXCHANGE):
            ledger.open_account(Account(id=f"{code}:{kind.value}", scheme=code, kind=kind))
        for merchant in ("store", "housekeeping", "canteen")[:merchants]:
            ledger.open_account(
                Account(id=f"{code}:{merchant}", scheme=code, kind=AccountKind.MERCHANT)
            )
        for resident in ("wang", "li"):
            ledger.open_account(
                Account(
                    id=f"{code}:{resident}", scheme=code, kind=AccountKind.WALLET, owner=resident
                )
            )
    return ledger


def earn(
    ledger: PointsLedger, tid: str, amount: int, when: pendulum.DateTime, *, wallet: str = "wang"
) -> int:
    """Credit ``amount`` virtue points to a resident."""
    return ledger.post(earn_transfer(tid, amount, when, wallet=wallet))


def earn_transfer(
    tid: str, amount: int, when: pendulum.DateTime, *, wallet: str = "wang"
) -> Transfer:
    """Return a transfer that credits ``amount`` virtue points to a resident."""
    return Transfer(
        id=tid,
        debit="virtue:issuer",
        credit=f"virtue:{wallet}",
        amount=amount,
        kind=TransferKind.EARN,
        at=when,
    )


def redeem(
    ledger: PointsLedger,
    tid: str,
    amount: int,
    when: pendulum.DateTime,
    *,
    wallet: str = "wang",
    merchant: str = "canteen",
) -> int:
    """Spend ``amount`` virtue points of a resident at a merchant."""
    return ledger.post(redeem_transfer(tid, amount, when, wallet=wallet, merchant=merchant))


def redeem_transfer(
    tid: str,
    amount: int,
    when: pendulum.DateTime,
    *,
    wallet: str = "wang",
    merchant: str = "canteen",
) -> Transfer:
    """Return a transfer that spends ``amount`` virtue points of a resident at a merchant."""
    return Transfer(
        id=tid,
        debit=f"virtue:{wallet}",
        credit=f"virtue:{merchant}",
        amount=amount,
        kind=TransferKind.REDEEM,
        at=when,
    )


def state(ledger: PointsLedger) -> object:
    """Return everything observable about a ledger, to compare before and after."""
    return (
        len(ledger),
        ledger.head,
        {a.id: ledger.balance(a.id) for a in ledger.accounts},
        {a.id: ledger.lots(a.id) for a in ledger.accounts if a.kind is AccountKind.WALLET},
        {a.id: ledger.is_closed(a.id) for a in ledger.accounts},
        [ledger.totals(s.code) for s in ledger.schemes],
        list(ledger.journal),
    )


@pytest.fixture
def ledger() -> PointsLedger:
    """A fresh ledger of two schemes whose points expire at the end of the next year."""
    return new_ledger()


class TestTransfer:
    def test_valid_transfer_keeps_its_fields(self) -> None:
        """A transfer is a frozen value with the caller's fields."""
        transfer = Transfer(
            id="t1", debit="a", credit="b", amount=5, kind="earn", at=T0, memo="清扫楼道"
        )
        assert transfer.kind is TransferKind.EARN
        assert transfer.memo == "清扫楼道"
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            transfer.amount = 6  # type: ignore[misc]

    @pytest.mark.parametrize("amount", [0, -1, MAX_TRANSFER_POINTS + 1])
    def test_amount_is_positive_and_bounded(self, amount: int) -> None:
        """A transfer moves a positive number of points, at most the sanity bound."""
        with pytest.raises(errors.RuleViolation, match="positive"):
            Transfer(id="t", debit="a", credit="b", amount=amount, kind="earn", at=T0)

    @pytest.mark.parametrize("amount", [1.0, True, Decimal(1), "1"])
    def test_points_are_ints(self, amount: object) -> None:
        """Floats, bools, decimals and strings are programming errors."""
        with pytest.raises(TypeError, match="whole number of points"):
            Transfer(id="t", debit="a", credit="b", amount=amount, kind="earn", at=T0)  # type: ignore[arg-type]

    def test_naive_time_is_refused(self) -> None:
        """The core reads no clock and guesses no zone."""
        with pytest.raises(TypeError, match="naive"):
            Transfer(
                id="t",
                debit="a",
                credit="b",
                amount=1,
                kind="earn",
                at=dt.datetime(2025, 1, 1),  # noqa: DTZ001 - naive on purpose
            )

    def test_stdlib_aware_time_becomes_pendulum(self) -> None:
        """An aware stdlib datetime is accepted and kept as the same instant."""
        moment = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        transfer = Transfer(id="t", debit="a", credit="b", amount=1, kind="earn", at=moment)
        assert isinstance(transfer.at, pendulum.DateTime)
        assert transfer.at == moment

    def test_debit_and_credit_differ(self) -> None:
        """A transfer moves points between two accounts."""
        with pytest.raises(errors.RuleViolation, match="to itself"):
            Transfer(id="t", debit="a", credit="a", amount=1, kind="earn", at=T0)

    def test_only_a_reversal_names_what_it_reverses(self) -> None:
        """``reverses`` goes with the kind ``reverse`` and nothing else."""
        with pytest.raises(errors.RuleViolation, match="reverses"):
            Transfer(id="t", debit="a", credit="b", amount=1, kind="reverse", at=T0)
        with pytest.raises(errors.RuleViolation, match="reverses"):
            Transfer(id="t", debit="a", credit="b", amount=1, kind="earn", at=T0, reverses="x")

    @pytest.mark.parametrize("field", ["id", "debit", "memo"])
    def test_text_has_no_nul(self, field: str) -> None:
        """NUL separates the fields of the canonical encoding, so text may not hold it."""
        fields: dict[str, object] = {
            "id": "t",
            "debit": "a",
            "credit": "b",
            "amount": 1,
            "kind": "earn",
            "at": T0,
        }
        fields[field] = "x\0y"
        with pytest.raises(ValueError, match="NUL"):
            Transfer(**fields)  # type: ignore[arg-type]

    def test_empty_id_is_refused(self) -> None:
        """Ids are idempotency keys and cannot be empty."""
        with pytest.raises(ValueError, match="empty"):
            Transfer(id="", debit="a", credit="b", amount=1, kind="earn", at=T0)


class TestExpiryPolicy:
    def test_never(self) -> None:
        """Points under the policy "never" have no expiry."""
        assert ExpiryPolicy.never().expires_at(T0) is None

    def test_after_days_is_exact_days(self) -> None:
        """N days after earning is N times 24 hours later."""
        assert ExpiryPolicy.after_days(30).expires_at(T0) == T0.add(days=30)

    def test_end_of_year_counts_calendar_years_in_shanghai(self) -> None:
        """The end of the Nth year after earning is 1 January 00:00 in Asia/Shanghai."""
        late = pendulum.datetime(2025, 12, 31, 23, 30, tz=SHANGHAI)
        assert ExpiryPolicy.end_of_year(0).expires_at(late) == pendulum.datetime(
            2026, 1, 1, tz=SHANGHAI
        )
        assert ExpiryPolicy.end_of_year(1).expires_at(late) == pendulum.datetime(
            2027, 1, 1, tz=SHANGHAI
        )

    def test_year_is_taken_in_shanghai_not_utc(self) -> None:
        """16:00 UTC on 31 December is already the next year in Shanghai."""
        utc_evening = pendulum.datetime(2025, 12, 31, 16, tz="UTC")
        assert ExpiryPolicy.end_of_year(0).expires_at(utc_evening) == pendulum.datetime(
            2027, 1, 1, tz=SHANGHAI
        )

    def test_end_of_month(self) -> None:
        """End of month counts calendar months, over the turn of the year."""
        november = pendulum.datetime(2025, 11, 15, tz=SHANGHAI)
        assert ExpiryPolicy.end_of_month(0).expires_at(november) == pendulum.datetime(
            2025, 12, 1, tz=SHANGHAI
        )
        assert ExpiryPolicy.end_of_month(2).expires_at(november) == pendulum.datetime(
            2026, 2, 1, tz=SHANGHAI
        )

    @pytest.mark.parametrize(("rule", "count"), [(ExpiryRule.NEVER, 1), (ExpiryRule.AFTER_DAYS, 0)])
    def test_inconsistent_counts_are_refused(self, rule: ExpiryRule, count: int) -> None:
        """The rule "never" takes no count, and "after days" takes at least one day."""
        with pytest.raises(ValueError, match=r"count|day"):
            ExpiryPolicy(rule=rule, count=count)


class TestSetup:
    def test_adding_a_scheme_twice_is_idempotent(self, ledger: PointsLedger) -> None:
        """The same scheme again changes nothing and returns its position."""
        before = len(ledger)
        assert ledger.add_scheme(ledger.schemes[0]) == 0
        assert len(ledger) == before

    def test_a_different_scheme_with_the_same_code_is_refused(self, ledger: PointsLedger) -> None:
        """A code names one scheme."""
        with pytest.raises(errors.DuplicateRecord):
            ledger.add_scheme(Scheme(code="virtue", name="other"))

    def test_an_account_needs_a_known_scheme(self, ledger: PointsLedger) -> None:
        """Accounts belong to a scheme of the ledger."""
        with pytest.raises(errors.UnknownScheme):
            ledger.open_account(Account(id="x", scheme="nope", kind=AccountKind.WALLET))

    def test_opening_an_account_twice(self, ledger: PointsLedger) -> None:
        """The same account again is a no-op; other content under its id is refused."""
        account = ledger.account("virtue:wang")
        position = ledger.open_account(account)
        assert ledger.journal[position].record == account
        with pytest.raises(errors.DuplicateRecord):
            ledger.open_account(attrs.evolve(account, owner="someone else"))

    def test_closed_account_takes_no_transfers(self, ledger: PointsLedger) -> None:
        """A closed account refuses new transfers, and closing it again is refused."""
        ledger.close_account("virtue:store", at=at(1), memo="shop closed")
        assert ledger.is_closed("virtue:store")
        earn(ledger, "e1", 10, at(2))
        with pytest.raises(errors.AccountClosed):
            redeem(ledger, "r1", 5, at(3), merchant="store")
        with pytest.raises(errors.AccountClosed):
            ledger.close_account("virtue:store", at=at(4))

    def test_a_wallet_is_closed_empty(self, ledger: PointsLedger) -> None:
        """A wallet that still holds points cannot be closed."""
        earn(ledger, "e1", 10, at(1))
        with pytest.raises(errors.AccountNotEmpty):
            ledger.close_account("virtue:wang", at=at(2))

    def test_unknown_account(self, ledger: PointsLedger) -> None:
        """An unknown account id is an UnknownAccount, also a LookupError."""
        with pytest.raises(LookupError):
            ledger.balance("nobody")


class TestPosting:
    def test_earning_and_redeeming(self, ledger: PointsLedger) -> None:
        """Points move from the issuer to a wallet, then to a merchant."""
        earn(ledger, "e1", 20, at(0))
        redeem(ledger, "r1", 5, at(0, hours=2))
        assert ledger.balance("virtue:wang") == 15
        assert ledger.balance("virtue:canteen") == 5
        assert ledger.balance("virtue:issuer") == -20
        assert ledger.trial_balance() == {"virtue": 0, "unified": 0}

    def test_the_same_transfer_again_changes_nothing(self, ledger: PointsLedger) -> None:
        """Posting the same id and content returns the original position."""
        first = earn(ledger, "e1", 20, at(0))
        before = state(ledger)
        assert earn(ledger, "e1", 20, at(0)) == first
        assert state(ledger) == before

    def test_same_instant_in_another_zone_is_the_same_content(self, ledger: PointsLedger) -> None:
        """Times are compared as instants, so a JSON round trip's offset does not matter."""
        first = earn(ledger, "e1", 20, at(0))
        assert earn(ledger, "e1", 20, at(0).in_timezone("UTC")) == first

    def test_same_id_with_other_content_is_refused(self, ledger: PointsLedger) -> None:
        """An idempotency key names one content."""
        earn(ledger, "e1", 20, at(0))
        before = state(ledger)
        with pytest.raises(errors.DuplicateTransfer):
            earn(ledger, "e1", 21, at(0))
        assert state(ledger) == before

    def test_wallet_never_goes_below_zero(self, ledger: PointsLedger) -> None:
        """Spending more than the wallet holds is refused and changes nothing."""
        earn(ledger, "e1", 20, at(0))
        before = state(ledger)
        with pytest.raises(errors.InsufficientPoints) as caught:
            redeem(ledger, "r1", 21, at(1))
        assert caught.value.limit == 20
        assert state(ledger) == before

    def test_expired_points_cannot_be_spent(self, ledger: PointsLedger) -> None:
        """Points still in the wallet but expired are refused as PointsExpired."""
        earn(ledger, "e1", 20, at(0))
        with pytest.raises(errors.PointsExpired):
            redeem(ledger, "r1", 5, pendulum.datetime(2027, 1, 1, tz=SHANGHAI))
        assert ledger.balance("virtue:wang") == 20

    @pytest.mark.parametrize(
        ("kind", "debit", "credit"),
        [
            ("redeem", "virtue:wang", "virtue:li"),  # between residents
            ("earn", "virtue:issuer", "virtue:canteen"),
            ("redeem", "virtue:issuer", "virtue:canteen"),
            ("expire", "virtue:wang", "virtue:canteen"),
            ("settle", "virtue:wang", "virtue:issuer"),
        ],
    )
    def test_kind_must_fit_the_accounts(
        self, ledger: PointsLedger, kind: str, debit: str, credit: str
    ) -> None:
        """Each kind of transfer runs only between certain kinds of account."""
        earn(ledger, "e0", 50, at(0))
        with pytest.raises(errors.TransferNotAllowed):
            ledger.post(Transfer(id="t", debit=debit, credit=credit, amount=1, kind=kind, at=at(1)))

    def test_schemes_do_not_mix(self, ledger: PointsLedger) -> None:
        """A transfer stays within one scheme; exchanges go through exchange accounts."""
        with pytest.raises(errors.SchemeMismatch):
            ledger.post(
                Transfer(
                    id="t",
                    debit="virtue:issuer",
                    credit="unified:wang",
                    amount=1,
                    kind="earn",
                    at=T0,
                )
            )

    def test_unknown_accounts_are_refused(self, ledger: PointsLedger) -> None:
        """A transfer names accounts of the ledger."""
        with pytest.raises(errors.UnknownAccount):
            ledger.post(
                Transfer(
                    id="t", debit="virtue:issuer", credit="ghost", amount=1, kind="earn", at=T0
                )
            )

    def test_journal_is_in_time_order(self, ledger: PointsLedger) -> None:
        """An entry dated before the last one is refused."""
        earn(ledger, "e1", 20, at(5))
        with pytest.raises(errors.OutOfOrder):
            earn(ledger, "e2", 20, at(4))

    def test_same_time_is_in_order(self, ledger: PointsLedger) -> None:
        """Several entries may share one time."""
        earn(ledger, "e1", 20, at(5))
        earn(ledger, "e2", 20, at(5).in_timezone("UTC"))
        assert ledger.balance("virtue:wang") == 40

    def test_post_takes_transfers_only(self, ledger: PointsLedger) -> None:
        """Posting something else is a programming error."""
        with pytest.raises(TypeError):
            ledger.post({"id": "t"})  # type: ignore[arg-type]

    def test_adjust_and_settle(self, ledger: PointsLedger) -> None:
        """The issuer corrects wallets, and merchants hand points back when paid."""
        earn(ledger, "e1", 20, at(0))
        ledger.post(
            Transfer(
                id="a1",
                debit="virtue:wang",
                credit="virtue:issuer",
                amount=3,
                kind="adjust",
                at=at(1),
                memo="counted twice",
            )
        )
        redeem(ledger, "r1", 10, at(2))
        ledger.post(
            Transfer(
                id="s1",
                debit="virtue:canteen",
                credit="virtue:issuer",
                amount=10,
                kind="settle",
                at=at(3),
            )
        )
        totals = ledger.totals("virtue")
        assert (totals.issued, totals.adjusted, totals.redeemed, totals.settled) == (20, -3, 10, 10)
        assert totals.outstanding == ledger.balance("virtue:wang") == 7


class TestLots:
    def test_each_credit_to_a_wallet_is_a_lot(self, ledger: PointsLedger) -> None:
        """A lot keeps its origin, amount, remaining points, earning and expiry times."""
        earn(ledger, "e1", 20, at(0))
        (lot,) = ledger.lots("virtue:wang")
        assert lot == Lot(
            account="virtue:wang",
            origin="e1",
            amount=20,
            remaining=20,
            earned_at=at(0),
            expires_at=pendulum.datetime(2027, 1, 1, tz=SHANGHAI),
        )

    def test_spending_takes_soonest_expiry_then_oldest(self) -> None:
        """Lots are drawn by expiry, then by posting, not by when points came back to them."""
        ledger = new_ledger(expiry=ExpiryPolicy.after_days(30))
        earn(ledger, "old", 5, at(0))  # expires on day 30
        redeem(ledger, "r1", 5, at(1))
        earn(ledger, "new", 5, at(5))  # expires on day 35
        ledger.reverse("r1", id="refund", at=at(6))  # "old" reopens, still expiring on day 30
        assert [lot.origin for lot in ledger.lots("virtue:wang")] == ["old", "new"]
        position = redeem(ledger, "r2", 7, at(7))
        assert ledger.journal[position].draws == (
            Draw(lot="old", points=5),
            Draw(lot="new", points=2),
        )

    def test_spending_crosses_lots(self, ledger: PointsLedger) -> None:
        """A spend larger than the first lot takes the next ones in order."""
        earn(ledger, "e1", 5, at(0))
        earn(ledger, "e2", 5, at(1))
        earn(ledger, "e3", 5, at(2))
        position = redeem(ledger, "r1", 7, at(3))
        assert ledger.journal[position].draws == (
            Draw(lot="e1", points=5),
            Draw(lot="e2", points=2),
        )
        assert [lot.remaining for lot in ledger.lots("virtue:wang")] == [3, 5]

    def test_balance_is_the_sum_of_lots(self, ledger: PointsLedger) -> None:
        """A wallet's balance always equals the points left in its lots."""
        for number in range(5):
            earn(ledger, f"e{number}", number + 1, at(number))
        redeem(ledger, "r", 7, at(6))
        assert sum(lot.remaining for lot in ledger.lots("virtue:wang")) == ledger.balance(
            "virtue:wang"
        )


class TestBatch:
    def test_a_batch_is_applied_whole(self, ledger: PointsLedger) -> None:
        """Every transfer of a valid batch is posted, in order."""
        positions = ledger.post_batch(
            [
                earn_transfer("e1", 5, T0),
                redeem_transfer("r1", 5, T0, merchant="store"),
            ]
        )
        assert positions == (len(ledger) - 2, len(ledger) - 1)
        assert ledger.balance("virtue:store") == 5

    def test_a_refused_transfer_refuses_the_whole_batch(self, ledger: PointsLedger) -> None:
        """Nothing of the batch is applied, and the error names the transfer."""
        earn(ledger, "e0", 10, at(0))
        before = state(ledger)
        batch = [
            earn_transfer("e1", 5, at(1)),
            redeem_transfer("r1", 12, at(1), merchant="store"),
            redeem_transfer("r2", 99, at(1), merchant="store"),
        ]
        with pytest.raises(errors.BatchRejected) as caught:
            ledger.post_batch(batch)
        assert (caught.value.index, caught.value.transfer_id) == (2, "r2")
        assert isinstance(caught.value.reason, errors.InsufficientPoints)
        assert caught.value.__cause__ is caught.value.reason
        assert state(ledger) == before

    def test_a_batch_posted_again_changes_nothing(self, ledger: PointsLedger) -> None:
        """Batches are idempotent too."""
        batch = [
            earn_transfer("e1", 5, T0),
        ]
        first = ledger.post_batch(batch)
        before = state(ledger)
        assert ledger.post_batch(batch) == first
        assert state(ledger) == before

    def test_a_batch_with_a_refused_reversal_is_undone(self, ledger: PointsLedger) -> None:
        """A reversal inside a refused batch is rolled back with the rest."""
        earn(ledger, "e0", 10, at(0))
        redeem(ledger, "r0", 6, at(1))
        before = state(ledger)
        batch = [
            Transfer(
                id="back",
                debit="virtue:canteen",
                credit="virtue:wang",
                amount=6,
                kind="reverse",
                at=at(2),
                reverses="r0",
            ),
            redeem_transfer("x", 99, at(2), merchant="store"),
        ]
        with pytest.raises(errors.BatchRejected):
            ledger.post_batch(batch)
        assert state(ledger) == before
        assert ledger.reversed_amount("r0") == 0

    def test_a_refused_batch_across_a_block_of_rows_is_undone(self) -> None:
        """Rows are kept in blocks of 1,024; a refused batch across a block's end is undone."""
        ledger = new_ledger(expiry=ExpiryPolicy.never())
        for number in range(1_020 - len(ledger)):
            earn(ledger, f"e{number}", 1, at(0))
        before = state(ledger)
        batch = [
            Transfer(
                id=f"b{number}",
                debit="virtue:issuer",
                credit="virtue:li",
                amount=1,
                kind="earn",
                at=at(1),
            )
            for number in range(10)
        ]
        batch.append(
            Transfer(
                id="too-much",
                debit="virtue:li",
                credit="virtue:store",
                amount=99,
                kind="redeem",
                at=at(1),
            )
        )
        with pytest.raises(errors.BatchRejected) as caught:
            ledger.post_batch(batch)
        assert caught.value.index == 10
        assert state(ledger) == before
        assert ledger.post_batch(batch[:10])[-1] == 1_029
        assert PointsLedger.replay(ledger.journal) == ledger
        assert ledger.verify() == ledger.head


class TestReversal:
    def test_full_reversal_of_a_redemption(self, ledger: PointsLedger) -> None:
        """A reversal moves the points back and gives them to the lots they came from."""
        earn(ledger, "e1", 10, at(0))
        redeem(ledger, "r1", 6, at(1))
        position = ledger.reverse("r1", id="undo-r1", at=at(2), memo="meal cancelled")
        entry = ledger.journal[position]
        assert isinstance(entry.record, Transfer)
        assert entry.record.reverses == "r1"
        assert entry.record.kind is TransferKind.REVERSE
        assert entry.draws == (Draw(lot="e1", points=6),)
        assert ledger.balance("virtue:wang") == 10
        assert ledger.lots("virtue:wang")[0].remaining == 10

    def test_a_transfer_is_reversed_at_most_once(self, ledger: PointsLedger) -> None:
        """A second full reversal is refused and changes nothing."""
        earn(ledger, "e1", 10, at(0))
        redeem(ledger, "r1", 6, at(1))
        ledger.reverse("r1", id="undo-1", at=at(2))
        before = state(ledger)
        with pytest.raises(errors.AlreadyReversed):
            ledger.reverse("r1", id="undo-2", at=at(3))
        with pytest.raises(errors.AlreadyReversed):
            ledger.post(
                Transfer(
                    id="undo-3",
                    debit="virtue:canteen",
                    credit="virtue:wang",
                    amount=1,
                    kind="reverse",
                    at=at(3),
                    reverses="r1",
                )
            )
        assert state(ledger) == before

    def test_partial_refund_is_proportional(self, ledger: PointsLedger) -> None:
        """A partial refund returns points to the drawn lots in proportion, by largest remainder."""
        earn(ledger, "e1", 20, at(0))
        earn(ledger, "e2", 30, at(1))
        redeem(ledger, "r1", 25, at(2))  # draws 20 from e1 and 5 from e2
        position = ledger.reverse("r1", id="part", at=at(3), amount=10)
        assert ledger.journal[position].draws == (
            Draw(lot="e1", points=8),
            Draw(lot="e2", points=2),
        )
        rest = ledger.reverse("r1", id="rest", at=at(4))
        assert ledger.journal[rest].draws == (
            Draw(lot="e1", points=12),
            Draw(lot="e2", points=3),
        )
        assert ledger.reversed_amount("r1") == 25
        assert [lot.remaining for lot in ledger.lots("virtue:wang")] == [20, 30]

    def test_reversing_an_earning_takes_its_own_lot_first(self, ledger: PointsLedger) -> None:
        """Points earned by mistake are taken back from the lot they opened."""
        earn(ledger, "e1", 10, at(0))
        earn(ledger, "e2", 10, at(1))
        position = ledger.reverse("e2", id="undo-e2", at=at(2))
        assert ledger.journal[position].draws == (Draw(lot="e2", points=10),)
        assert [lot.origin for lot in ledger.lots("virtue:wang")] == ["e1"]
        assert ledger.totals("virtue").issued == 10

    def test_reversing_a_spent_earning_needs_the_points(self, ledger: PointsLedger) -> None:
        """If the wallet no longer holds the points, the reversal is refused."""
        earn(ledger, "e1", 10, at(0))
        redeem(ledger, "r1", 10, at(1))
        with pytest.raises(errors.InsufficientPoints):
            ledger.reverse("e1", id="undo", at=at(2))

    def test_expiry_is_final(self, ledger: PointsLedger) -> None:
        """Expiry and exchange transfers are not reversed."""
        earn(ledger, "e1", 10, at(0))
        (position,) = ledger.expire(as_of=pendulum.datetime(2027, 1, 1, tz=SHANGHAI))
        record = ledger.journal[position].record
        assert isinstance(record, Transfer)
        with pytest.raises(errors.TransferNotAllowed):
            ledger.reverse(record.id, id="undo", at=pendulum.datetime(2027, 1, 2, tz=SHANGHAI))

    def test_refund_after_expiry_comes_back_expired(self, ledger: PointsLedger) -> None:
        """Refunded points keep their lot's expiry: after it, the next sweep takes them."""
        earn(ledger, "e1", 10, at(0))
        redeem(ledger, "r1", 4, at(1))
        later = pendulum.datetime(2027, 1, 1, tz=SHANGHAI)
        ledger.expire(as_of=later)
        ledger.reverse("r1", id="refund", at=later.add(days=1))
        assert ledger.balance("virtue:wang") == 4
        assert ledger.spendable("virtue:wang", at=later.add(days=1)) == 0
        ledger.expire(as_of=later.add(days=2))
        assert ledger.balance("virtue:wang") == 0
        assert ledger.totals("virtue").expired == 10

    def test_unknown_transfer(self, ledger: PointsLedger) -> None:
        """Only posted transfers can be reversed."""
        with pytest.raises(errors.UnknownTransfer):
            ledger.reverse("nope", id="undo", at=at(1))

    def test_reversal_must_go_the_other_way(self, ledger: PointsLedger) -> None:
        """A reversal moves the points exactly back."""
        earn(ledger, "e1", 10, at(0))
        redeem(ledger, "r1", 5, at(1))
        with pytest.raises(errors.TransferNotAllowed):
            ledger.post(
                Transfer(
                    id="x",
                    debit="virtue:store",
                    credit="virtue:wang",
                    amount=5,
                    kind="reverse",
                    at=at(2),
                    reverses="r1",
                )
            )


class TestExpire:
    def test_sweep_moves_expired_lots_to_the_expiry_account(self, ledger: PointsLedger) -> None:
        """Each expired lot becomes one expire transfer dated at the sweep."""
        earn(ledger, "e1", 10, at(0))
        earn(ledger, "e2", 7, pendulum.datetime(2026, 2, 1, tz=SHANGHAI))
        sweep = pendulum.datetime(2027, 1, 1, tz=SHANGHAI)
        positions = ledger.expire(as_of=sweep)
        assert len(positions) == 1
        record = ledger.journal[positions[0]].record
        assert isinstance(record, Transfer)
        assert (record.kind, record.amount, record.at, record.reference) == (
            TransferKind.EXPIRE,
            10,
            sweep,
            "e1",
        )
        assert ledger.balance("virtue:expiry") == 10
        assert ledger.balance("virtue:wang") == 7

    def test_sweeping_twice_writes_nothing(self, ledger: PointsLedger) -> None:
        """The sweep is idempotent."""
        earn(ledger, "e1", 10, at(0))
        sweep = pendulum.datetime(2027, 1, 1, tz=SHANGHAI)
        ledger.expire(as_of=sweep)
        before = state(ledger)
        assert ledger.expire(as_of=sweep) == ()
        assert state(ledger) == before

    def test_nothing_expires_before_its_time(self, ledger: PointsLedger) -> None:
        """One microsecond before the expiry instant the lot is still live."""
        earn(ledger, "e1", 10, at(0))
        assert (
            ledger.expire(as_of=pendulum.datetime(2026, 12, 31, 23, 59, 59, 999999, tz=SHANGHAI))
            == ()
        )

    def test_a_sweep_cannot_go_back_in_time(self, ledger: PointsLedger) -> None:
        """The sweep's transfers are dated at ``as_of``, so it must not precede the journal."""
        earn(ledger, "e1", 10, at(0))
        earn(ledger, "e2", 10, pendulum.datetime(2027, 6, 1, tz=SHANGHAI))
        with pytest.raises(errors.BatchRejected) as caught:
            ledger.expire(as_of=pendulum.datetime(2027, 1, 1, tz=SHANGHAI))
        assert isinstance(caught.value.reason, errors.OutOfOrder)


class TestExchange:
    def test_exchange_at_the_recorded_rate(self, ledger: PointsLedger) -> None:
        """Points convert at the rate in force, written down, spending the fewest points."""
        earn(ledger, "e1", 10, at(0))
        ledger.record_rate(
            ExchangeRate(source="virtue", target="unified", rate=Fraction(2, 3), effective=T0)
        )
        out, into = ledger.exchange(
            id="x1", source="virtue:wang", target="unified:wang", points=10, at=at(1)
        )
        assert ledger.balance("virtue:wang") == 1  # 9 points buy 6; the 10th would buy 2/3
        assert ledger.balance("unified:wang") == 6
        assert ledger.balance("virtue:exchange") == 9
        assert ledger.balance("unified:exchange") == -6
        out_record = ledger.journal[out].record
        assert isinstance(out_record, Transfer)
        assert out_record.reference == "x1"
        assert ledger.lots("unified:wang")[0].origin == "x1:in"
        assert into == out + 1

    def test_the_latest_effective_rate_applies(self, ledger: PointsLedger) -> None:
        """A later rate takes over from its effective time."""
        ledger.record_rate(ExchangeRate(source="virtue", target="unified", rate=1, effective=T0))
        ledger.record_rate(
            ExchangeRate(source="virtue", target="unified", rate=2, effective=at(10))
        )
        assert ledger.rate("virtue", "unified", at=at(9)).rate == 1
        assert ledger.rate("virtue", "unified", at=at(10)).rate == 2
        with pytest.raises(errors.NoExchangeRate):
            ledger.rate("virtue", "unified", at=at(-1))
        with pytest.raises(errors.NoExchangeRate):
            ledger.rate("unified", "virtue", at=at(1))

    def test_exchange_between_residents_is_refused(self, ledger: PointsLedger) -> None:
        """Only one owner's wallets exchange with each other."""
        earn(ledger, "e1", 10, at(0))
        ledger.record_rate(ExchangeRate(source="virtue", target="unified", rate=1, effective=T0))
        with pytest.raises(errors.TransferNotAllowed):
            ledger.exchange(id="x", source="virtue:wang", target="unified:li", points=5, at=at(1))

    def test_too_few_points_buy_nothing(self, ledger: PointsLedger) -> None:
        """An exchange that would give no point is refused."""
        earn(ledger, "e1", 10, at(0))
        ledger.record_rate(
            ExchangeRate(source="virtue", target="unified", rate=Fraction(1, 5), effective=T0)
        )
        with pytest.raises(errors.InsufficientPoints) as caught:
            ledger.exchange(id="x", source="virtue:wang", target="unified:wang", points=4, at=at(1))
        assert caught.value.limit == 5

    def test_a_rate_is_recorded_once(self, ledger: PointsLedger) -> None:
        """The same rate again is a no-op; another rate at the same time is refused."""
        rate = ExchangeRate(source="virtue", target="unified", rate=1, effective=T0)
        position = ledger.record_rate(rate)
        assert ledger.record_rate(rate) == position
        with pytest.raises(errors.DuplicateRecord):
            ledger.record_rate(attrs.evolve(rate, rate=Fraction(1, 2)))


class TestQueries:
    def test_balance_as_of_a_past_time(self, ledger: PointsLedger) -> None:
        """Past balances count every transfer at or before the time."""
        earn(ledger, "e1", 10, at(0))
        redeem(ledger, "r1", 3, at(2))
        assert ledger.balance("virtue:wang", as_of=at(-1)) == 0
        assert ledger.balance("virtue:wang", as_of=at(0)) == 10
        assert ledger.balance("virtue:wang", as_of=at(1)) == 10
        assert ledger.balance("virtue:wang", as_of=at(2)) == 7

    def test_statement_over_a_period(self, ledger: PointsLedger) -> None:
        """A statement has opening and closing balances and the lines between."""
        earn(ledger, "e1", 10, at(0))
        redeem(ledger, "r1", 3, at(2))
        earn(ledger, "e2", 5, at(5))
        statement = ledger.statement("virtue:wang", start=at(1), end=at(5))
        assert (statement.opening, statement.closing) == (10, 7)
        assert [line.transfer for line in statement.lines] == ["r1"]
        line = statement.lines[0]
        assert (line.change, line.balance, line.counterparty) == (-3, 7, "virtue:canteen")

    def test_statement_over_dates_covers_whole_days(self, ledger: PointsLedger) -> None:
        """A period of dates runs from the first day's midnight to the last day's end."""
        earn(ledger, "e1", 10, at(0))
        earn(ledger, "e2", 5, pendulum.datetime(2025, 3, 31, 23, 59, tz=SHANGHAI))
        earn(ledger, "e3", 1, pendulum.datetime(2025, 4, 1, tz=SHANGHAI))
        march = pendulum.Interval(pendulum.date(2025, 3, 1), pendulum.date(2025, 3, 31))
        statement = ledger.statement("virtue:wang", march)
        assert [line.transfer for line in statement.lines] == ["e1", "e2"]
        assert statement.closing == 15

    def test_statement_needs_one_period(self, ledger: PointsLedger) -> None:
        """A statement takes a period or start and end, not both and not neither."""
        with pytest.raises(TypeError):
            ledger.statement("virtue:wang")
        with pytest.raises(ValueError, match="before"):
            ledger.statement("virtue:wang", start=at(2), end=at(1))

    def test_totals_and_audit(self, ledger: PointsLedger) -> None:
        """Scheme totals add up and a healthy ledger audits clean."""
        earn(ledger, "e1", 10, at(0))
        redeem(ledger, "r1", 4, at(1))
        ledger.reverse("r1", id="b", at=at(2), amount=1)
        assert ledger.totals("virtue") == SchemeTotals(
            scheme="virtue",
            issued=10,
            adjusted=0,
            exchanged_in=0,
            exchanged_out=0,
            redeemed=3,
            expired=0,
            settled=0,
            outstanding=7,
        )
        assert ledger.audit() == ()

    def test_entry_and_transfer_lookup(self, ledger: PointsLedger) -> None:
        """Posted transfers are found by id."""
        earn(ledger, "e1", 10, at(0))
        assert ledger.transfer("e1").amount == 10
        assert ledger.entry("e1").record == ledger.transfer("e1")
        with pytest.raises(errors.UnknownTransfer):
            ledger.transfer("nope")


class TestJournal:
    def test_entries_chain(self, ledger: PointsLedger) -> None:
        """Each entry names the digest of the one before; the first names GENESIS."""
        earn(ledger, "e1", 10, at(0))
        entries = list(ledger.journal)
        assert entries[0].previous == GENESIS
        assert all(b.previous == a.digest for a, b in itertools.pairwise(entries))
        assert ledger.verify() == verify_journal(entries) == ledger.head == entries[-1].digest

    def test_journal_view(self, ledger: PointsLedger) -> None:
        """The journal is a sequence: length, negative index, slices."""
        journal = ledger.journal
        assert journal[-1] == journal[len(journal) - 1]
        assert list(journal[:2]) == [journal[0], journal[1]]
        with pytest.raises(IndexError):
            journal[len(journal)]

    @given(
        zones=st.lists(
            st.sampled_from(["Asia/Shanghai", "UTC", "Europe/London", "America/New_York"]),
            min_size=1,
            max_size=12,
        ),
        refused=st.integers(0, 12),
    )
    def test_entries_read_back_in_the_zone_they_were_written_in(
        self, zones: list[str], refused: int
    ) -> None:
        """Each time keeps its zone: read back, after a refused batch, replayed, through JSON."""
        ledger = new_ledger()
        written = [at(0, hours=index).in_timezone(zone) for index, zone in enumerate(zones)]
        for index, when in enumerate(written):
            earn(ledger, f"e{index}", 5, when)
        # A batch in another zone that is refused must leave no zone behind.
        batch = [
            earn_transfer(f"x{index}", 5, at(1, hours=index).in_timezone("Asia/Tokyo"))
            for index in range(refused)
        ]
        batch.append(earn_transfer("x-last", 5, at(1), wallet="nobody"))
        with pytest.raises(errors.BatchRejected):
            ledger.post_batch(batch)
        later = [when.add(days=2) for when in written]
        for index, when in enumerate(later):
            earn(ledger, f"late{index}", 5, when)

        def times(copy: PointsLedger) -> list[pendulum.DateTime]:
            return [entry.record.at for entry in copy.journal if isinstance(entry.record, Transfer)]

        expected = written + later
        for copy in (ledger, PointsLedger.replay(ledger.journal)):
            assert [(t.isoformat(), t.timezone_name) for t in times(copy)] == [
                (t.isoformat(), t.timezone_name) for t in expected
            ]
        # JSON writes times in ISO 8601, which keeps the offset, not the zone's name.
        back = serialization.loads(serialization.dumps(ledger), PointsLedger)
        assert [t.isoformat() for t in times(back)] == [t.isoformat() for t in expected]

    def test_the_offset_of_a_time_does_not_change_the_hash(self) -> None:
        """The hash covers instants, so two ledgers written in different zones agree."""
        first, second = new_ledger(), new_ledger()
        earn(first, "e1", 10, at(0))
        earn(second, "e1", 10, at(0).in_timezone("Europe/London"))
        assert first.head == second.head

    def test_verify_names_a_tampered_entry(self, ledger: PointsLedger) -> None:
        """Changing stored history makes verify name the changed entry."""
        earn(ledger, "e1", 10, at(0))
        earn(ledger, "e2", 10, at(1))
        position = ledger.entry("e1").position
        kept = ledger._rows.tail[position - ledger._rows.sealed]
        assert isinstance(kept, str)
        assert ledger._rows[position][4] == 10  # the amount
        tampered = kept.replace("\x0010\x00earn\x00", "\x0011\x00earn\x00")
        assert tampered != kept
        ledger._rows.tail[position - ledger._rows.sealed] = tampered
        assert ledger._rows[position][4] == 11
        with pytest.raises(errors.JournalCorrupted) as caught:
            ledger.verify()
        assert caught.value.value == position
        assert ledger.audit()

    def test_replay_rebuilds_the_ledger(self, ledger: PointsLedger) -> None:
        """Replaying the journal gives an equal ledger with the same head."""
        earn(ledger, "e1", 10, at(0))
        redeem(ledger, "r1", 4, at(1))
        copy = PointsLedger.replay(ledger.journal)
        assert copy == ledger
        assert copy.head == ledger.head
        assert copy.lots("virtue:wang") == ledger.lots("virtue:wang")

    def test_replay_refuses_a_journal_with_a_gap(self, ledger: PointsLedger) -> None:
        """Leaving an entry out breaks the chain at the next one."""
        earn(ledger, "e1", 10, at(0))
        entries = list(ledger.journal)
        with pytest.raises(errors.JournalCorrupted) as caught:
            PointsLedger.replay(entries[:3] + entries[4:])
        assert caught.value.value == 3

    def test_replay_refuses_recorded_draws_that_differ(self, ledger: PointsLedger) -> None:
        """An entry's draws must be the ones the ledger draws again."""
        earn(ledger, "e1", 10, at(0))
        earn(ledger, "e2", 10, at(1))
        position = redeem(ledger, "r1", 5, at(2))
        entries = list(ledger.journal)
        entries[position] = attrs.evolve(entries[position], draws=(Draw(lot="e2", points=5),))
        with pytest.raises(errors.JournalCorrupted) as caught:
            PointsLedger.replay(entries)
        assert caught.value.value == position

    def test_json_round_trip(self, ledger: PointsLedger) -> None:
        """A ledger travels as its journal and head, and comes back equal."""
        earn(ledger, "e1", 10, at(0))
        ledger.close_account("virtue:store", at=at(1))
        ledger.record_rate(ExchangeRate(source="virtue", target="unified", rate=1, effective=T0))
        text = serialization.dumps(ledger)
        data = json.loads(text)
        assert set(data) == {"digests", "format", "head", "journal", "zones"}
        assert data["format"] == 2
        assert data["journal"][0]["type"] == "scheme"
        back = serialization.loads(text, PointsLedger)
        assert back == ledger
        assert back.is_closed("virtue:store")

    def test_format_1_json_still_loads(self, ledger: PointsLedger) -> None:
        """A ledger written as format 1 (entries as objects, no format key) loads equal."""
        earn(ledger, "e1", 10, at(0))
        ledger.close_account("virtue:store", at=at(1))
        ledger.record_rate(ExchangeRate(source="virtue", target="unified", rate=1, effective=T0))
        data = _format_1(ledger)
        assert set(data) == {"head", "journal"}
        assert data["journal"][0]["record"]["type"] == "scheme"
        back = serialization.loads(json.dumps(data, ensure_ascii=False), PointsLedger)
        assert back == ledger
        assert back.is_closed("virtue:store")

    def test_tampered_json_names_the_entry(self, ledger: PointsLedger) -> None:
        """Changing a stored amount makes loading fail with the entry's position."""
        position = earn(ledger, "e1", 10, at(0))
        earn(ledger, "e2", 10, at(1))
        data = serialization.unstructure(ledger)
        fields = data["journal"][position].split("\b")
        fields[4] = "1000"
        data["journal"][position] = "\b".join(fields)
        format_1 = _format_1(ledger)
        format_1["journal"][position]["record"]["amount"] = 1000
        for tampered in (data, format_1):
            with pytest.raises(errors.SerializationError) as caught:
                serialization.structure(tampered, PointsLedger)
            cause = caught.value.__cause__
            assert isinstance(cause, errors.JournalCorrupted)
            assert cause.value == position

    def test_truncated_json_is_refused(self, ledger: PointsLedger) -> None:
        """Cutting entries off the end no longer matches the recorded head."""
        earn(ledger, "e1", 10, at(0))
        data = serialization.unstructure(ledger)
        data["journal"] = data["journal"][:-1]
        with pytest.raises(errors.SerializationError, match="head"):
            serialization.structure(data, PointsLedger)

    def test_bad_json_names_its_path(self) -> None:
        """A malformed entry is reported with its path."""
        data = {"head": GENESIS, "journal": [{"position": 0}]}
        with pytest.raises(errors.SerializationError) as caught:
            serialization.structure(data, PointsLedger)
        assert any("$.journal" in problem for problem in caught.value.problems)

    def test_unknown_keys_are_refused(self) -> None:
        """The wire format is closed."""
        with pytest.raises(errors.SerializationError, match="unknown"):
            serialization.structure({"head": GENESIS, "journal": [], "x": 1}, PointsLedger)

    @pytest.mark.parametrize(
        "value",
        [
            Scheme(code="party", name="新新向党", expiry=ExpiryPolicy.end_of_year(1)),
            Account(id="w", scheme="party", kind=AccountKind.WALLET, owner="王"),
            AccountClosure(account="w", at=T0, memo="moved away"),
            ExchangeRate(source="party", target="unified", rate=Fraction(1, 2), effective=T0),
            Transfer(id="t", debit="a", credit="b", amount=3, kind="reverse", at=T0, reverses="x"),
            Draw(lot="t", points=2),
            RedemptionQuote(points=60, discount=Decimal("6.00"), payable=Decimal("6.00")),
        ],
    )
    def test_values_round_trip(self, value: object) -> None:
        """Every value type comes back equal from JSON."""
        assert serialization.loads(serialization.dumps(value), type(value)) == value

    def test_entries_lots_statements_and_totals_round_trip(self, ledger: PointsLedger) -> None:
        """The ledger's answers come back equal from JSON."""
        earn(ledger, "e1", 10, at(0))
        redeem(ledger, "r1", 4, at(1))
        for value in (
            ledger.entry("r1"),
            ledger.lots("virtue:wang")[0],
            ledger.statement("virtue:wang", start=at(-1), end=at(3)),
            ledger.totals("virtue"),
        ):
            assert serialization.loads(serialization.dumps(value), type(value)) == value
        assert isinstance(ledger.entry("r1"), JournalEntry)
        assert isinstance(ledger.statement("virtue:wang", start=at(0), end=at(0)), Statement)


class TestRedemptionQuote:
    def test_capped_share_of_the_bill(self) -> None:
        """Points pay at most the capped share of the bill, using the fewest points."""
        quote = quote_redemption(points=100, bill="12.00", rate=Fraction(1, 10), cap=Fraction(1, 2))
        assert (quote.points, quote.discount, quote.payable) == (
            60,
            Decimal("6.00"),
            Decimal("6.00"),
        )

    def test_rounding_is_written_down(self) -> None:
        """A discount is written down to the fen and no point is spent on a fraction of one."""
        quote = quote_redemption(points=10, bill="100.00", rate=Fraction(1, 30))
        assert quote.discount == Decimal("0.33")
        assert quote.points == 10  # 9 points give 0.30, the 10th brings it to 0.333…

    def test_the_bill_caps_the_discount(self) -> None:
        """A discount never exceeds the bill."""
        quote = quote_redemption(points=10_000, bill="3.50", rate=Fraction(1, 10))
        assert (quote.points, quote.payable) == (35, Decimal("0.00"))

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"points": -1, "bill": "1.00", "rate": Fraction(1, 10)},
            {"points": 1, "bill": "1.00", "rate": Fraction(0)},
            {"points": 1, "bill": "1.00", "rate": Fraction(1, 10), "cap": Fraction(3, 2)},
        ],
    )
    def test_bad_inputs(self, kwargs: dict[str, object]) -> None:
        """Negative points, a zero rate and a cap above one are refused."""
        with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
            quote_redemption(**kwargs)  # type: ignore[arg-type]

    def test_rate_is_exact(self) -> None:
        """A float rate is a programming error."""
        with pytest.raises(TypeError):
            quote_redemption(points=1, bill="1.00", rate=0.1)  # type: ignore[arg-type]


def test_empty_ledger_repr_and_equality() -> None:
    """An empty ledger is equal to another empty one and says what it holds."""
    assert PointsLedger() == PointsLedger()
    assert PointsLedger() != new_ledger()
    assert "0 entries" in repr(PointsLedger())
    assert PointsLedger().verify() == GENESIS
    with pytest.raises(TypeError):
        hash(PointsLedger())


def _format_1(ledger: PointsLedger) -> dict[str, Any]:
    """Return a ledger as format 1 wrote it: its head and every entry as an object."""
    return {
        "head": ledger.head,
        "journal": [serialization.unstructure(entry) for entry in ledger.journal],
    }
