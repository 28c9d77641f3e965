"""The points ledger, hardened: each defect found in review, and every bad value refused.

Each test here names the defect it pins; on the ledger before the fix it fails.
"""

from __future__ import annotations

import copy
import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import errors, serialization
from grassroots.ledger import (
    Account,
    AccountKind,
    ExchangeRate,
    ExpiryPolicy,
    ExpiryRule,
    JournalEntry,
    PointsLedger,
    Scheme,
    Transfer,
    TransferKind,
)

SHANGHAI = pendulum.timezone("Asia/Shanghai")
T0 = pendulum.datetime(2025, 3, 1, 9, tz=SHANGHAI)


def new_ledger(
    *,
    expiry: ExpiryPolicy | None = None,
    unified_expiry: ExpiryPolicy | None = None,
    allow_resident_transfers: bool = False,
) -> PointsLedger:
    """Return a ledger with the schemes "virtue" and "unified" and the residents Wang and Li."""
    ledger = PointsLedger()
    policies = {
        "virtue": expiry or ExpiryPolicy.end_of_year(1),
        "unified": unified_expiry or expiry or ExpiryPolicy.end_of_year(1),
    }
    for code, policy in policies.items():
        # The setting is passed only when on, so this helper builds ledgers without it too.
        setting = {"allow_resident_transfers": True} if allow_resident_transfers else {}
        ledger.add_scheme(Scheme(code=code, expiry=policy, **setting))
        for kind in (AccountKind.ISSUER, AccountKind.EXPIRY, AccountKind.EXCHANGE):
            ledger.open_account(Account(id=f"{code}:{kind.value}", scheme=code, kind=kind))
        ledger.open_account(Account(id=f"{code}:store", scheme=code, kind=AccountKind.MERCHANT))
        for resident in ("wang", "li"):
            ledger.open_account(
                Account(id=f"{code}:{resident}", scheme=code, kind="wallet", owner=resident)
            )
    return ledger


def transfer(  # noqa: PLR0917 - a transfer's six fields, in their order
    tid: str,
    debit: str,
    credit: str,
    amount: int,
    kind: str,
    when: dt.datetime,
    **more: str,
) -> Transfer:
    """Return a virtue transfer (accounts named without their scheme prefix)."""
    return Transfer(
        id=tid,
        debit=f"virtue:{debit}",
        credit=f"virtue:{credit}",
        amount=amount,
        kind=kind,
        at=when,
        **more,
    )


def earn(ledger: PointsLedger, tid: str, amount: int, when: dt.datetime) -> int:
    """Credit ``amount`` virtue points to Wang."""
    return ledger.post(transfer(tid, "issuer", "wang", amount, "earn", when))


def redeem(ledger: PointsLedger, tid: str, amount: int, when: dt.datetime) -> int:
    """Spend ``amount`` of Wang's virtue points at the store."""
    return ledger.post(transfer(tid, "wang", "store", amount, "redeem", when))


class TestTimeRange:
    """Defects 1 and 3: the ledger records only the instants it can show and save."""

    def test_a_time_in_year_one_is_refused_not_recorded_as_1970(self) -> None:
        """0001-01-01T12:00+01:00 after a 1960 entry is refused, naming the earliest time."""
        ledger = new_ledger()
        earn(ledger, "a", 5, pendulum.datetime(1960, 5, 1, tz="UTC"))
        year_one = dt.datetime(1, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        with pytest.raises(errors.RuleViolation, match="earliest") as caught:
            earn(ledger, "b", 5, year_one)
        assert caught.value.limit == dt.datetime(1, 1, 3, tzinfo=dt.UTC)
        assert len(ledger) == 15  # nothing recorded: the setup and "a"
        with pytest.raises(errors.UnknownTransfer):
            ledger.transfer("b")

    def test_year_one_is_refused_in_an_empty_ledger_too(self) -> None:
        """The first entry is checked as well as the later ones."""
        ledger = new_ledger()
        with pytest.raises(errors.RuleViolation, match="earliest"):
            earn(ledger, "b", 5, dt.datetime(1, 1, 1, 12, tzinfo=dt.UTC))

    def test_far_future_is_refused_at_post(self) -> None:
        """9999-12-31T23:00-05:00 is past what any zone can show: refused, and the ledger saves."""
        ledger = new_ledger()
        far = dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
        with pytest.raises(errors.RuleViolation, match="latest") as caught:
            earn(ledger, "far", 5, far)
        assert caught.value.limit == dt.datetime(9999, 12, 30, tzinfo=dt.UTC)
        assert serialization.loads(serialization.dumps(ledger), PointsLedger) == ledger
        assert list(ledger.journal)  # still listed

    def test_far_future_expiry_policy_is_refused(self) -> None:
        """An expiry count that reaches past the calendar is refused with our error."""
        with pytest.raises(errors.RuleViolation):
            ExpiryPolicy.after_days(10**9)
        with pytest.raises(errors.RuleViolation):
            ExpiryPolicy.end_of_month(10**9)
        with pytest.raises(errors.RuleViolation):
            ExpiryPolicy(rule=ExpiryRule.END_OF_YEAR, count=10**6)

    def test_expires_at_refuses_a_time_the_ledger_cannot_record(self) -> None:
        """Asking a policy about 9999-12-31 raises our error, not OverflowError."""
        with pytest.raises(errors.RuleViolation, match="latest"):
            ExpiryPolicy.after_days(30).expires_at(
                dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
            )

    def test_an_expiry_past_the_range_never_comes_and_the_ledger_saves(self) -> None:
        """A lot earned near the last time, expiring after it, never expires; all saves."""
        ledger = new_ledger(expiry=ExpiryPolicy.after_days(30))
        late = pendulum.datetime(9999, 12, 29, tz="UTC")
        earn(ledger, "late", 5, late)
        (lot,) = ledger.lots("virtue:wang")
        assert lot.expires_at is None
        assert ledger.expire(as_of=late.add(hours=12)) == ()
        restored = serialization.loads(serialization.dumps(ledger), PointsLedger)
        assert restored == ledger
        assert restored.transfer("late").at == late

    def test_closure_and_rate_refuse_far_future(self) -> None:
        """Closing an account, like posting, refuses a time beyond the range."""
        ledger = new_ledger()
        far = dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
        with pytest.raises(errors.RuleViolation, match="latest"):
            ledger.close_account("virtue:li", at=far)
        with pytest.raises(errors.RuleViolation, match="latest"):
            ledger.record_rate(
                ExchangeRate(source="virtue", target="unified", rate=1, effective=far)
            )

    @given(
        st.datetimes(
            min_value=dt.datetime(1, 1, 4),  # noqa: DTZ001 - hypothesis takes naive bounds
            max_value=dt.datetime(9999, 12, 28),  # noqa: DTZ001
            timezones=st.sampled_from(
                [dt.UTC, SHANGHAI, dt.timezone(dt.timedelta(hours=-12, minutes=-30))]
            ),
        )
    )
    def test_every_time_in_range_is_recorded_as_given(self, when: dt.datetime) -> None:
        """Any time from year 1 to 9999 reads back as the very instant the transfer holds.

        (A wall time that does not exist in its zone, in a gap of a clock change,
        is normalised when the transfer is built; the ledger keeps that instant.)
        """
        ledger = new_ledger()
        posted = transfer("t", "issuer", "wang", 5, "earn", when)
        ledger.post(posted)
        restored = serialization.loads(serialization.dumps(ledger), PointsLedger)
        # Compared by instant and offset: Python never calls a time in a
        # daylight-saving fold equal to one in another zone (PEP 495), and
        # Shanghai kept daylight-saving time in 1940-1949 and 1986-1991.
        expected = (posted.at.timestamp(), posted.at.utcoffset())
        assert (
            ledger.transfer("t").at.timestamp(),
            ledger.transfer("t").at.utcoffset(),
        ) == expected
        assert (restored.transfer("t").at.timestamp(), restored.transfer("t").at.utcoffset()) == (
            expected
        )


class TestCopy:
    """Defect 2: a copy of a ledger is independent of it."""

    @pytest.mark.parametrize("copier", [copy.copy, copy.deepcopy])
    def test_posting_to_a_copy_leaves_the_original(self, copier: object) -> None:
        """The original keeps its entries, its chain and a dump that reads back."""
        ledger = new_ledger()
        earn(ledger, "e1", 10, T0)
        before = serialization.dumps(ledger)
        twin = copier(ledger)  # type: ignore[operator]
        assert twin == ledger
        earn(twin, "e2", 5, T0.add(hours=1))
        redeem(twin, "r1", 12, T0.add(hours=2))
        assert ledger.balance("virtue:wang") == 10
        assert len(ledger) == len(twin) - 2
        assert ledger.verify() == ledger.head
        assert serialization.dumps(ledger) == before
        assert serialization.loads(before, PointsLedger) == ledger
        assert twin.verify() == twin.head


class TestSelfReversal:
    """Defect 4: a reversal naming itself is refused with our error."""

    def test_post(self) -> None:
        """``reverses="r"`` on transfer ``r`` names no earlier transfer."""
        ledger = new_ledger()
        earn(ledger, "e1", 10, T0)
        with pytest.raises(errors.UnknownTransfer, match="itself"):
            ledger.post(transfer("r", "wang", "issuer", 1, "reverse", T0, reverses="r"))
        assert len(ledger) == 15

    def test_batch(self) -> None:
        """In a batch it is a BatchRejected, and nothing of the batch is posted."""
        ledger = new_ledger()
        with pytest.raises(errors.BatchRejected):
            ledger.post_batch(
                [
                    transfer("e1", "issuer", "wang", 10, "earn", T0),
                    transfer("r", "wang", "issuer", 1, "reverse", T0, reverses="r"),
                ]
            )
        assert ledger.balance("virtue:wang") == 0

    def test_load(self) -> None:
        """A journal holding one does not load: JournalCorrupted, not IndexError."""
        ledger = new_ledger()
        earn(ledger, "e1", 10, T0)
        entries = list(ledger.journal)
        forged = JournalEntry(
            position=len(entries),
            record=transfer("r", "wang", "issuer", 1, "reverse", T0, reverses="r"),
            previous=ledger.head,
            digest="0" * 64,
        )
        with pytest.raises(errors.JournalCorrupted):
            PointsLedger.replay([*entries, forged])


class TestExchangeKeepsExpiry:
    """Defect 5: converted points keep the expiry they had."""

    def test_converting_the_day_before_expiry_gives_no_fresh_days(self) -> None:
        """Earned under after_days(30) and converted on day 29, they still expire on day 30."""
        ledger = new_ledger(expiry=ExpiryPolicy.after_days(30))
        ledger.record_rate(ExchangeRate(source="virtue", target="unified", rate=1, effective=T0))
        ledger.record_rate(ExchangeRate(source="unified", target="virtue", rate=1, effective=T0))
        earn(ledger, "e1", 10, T0)
        ledger.exchange(
            id="x1", source="virtue:wang", target="unified:wang", points=10, at=T0.add(days=29)
        )
        (lot,) = ledger.lots("unified:wang")
        assert lot.expires_at == T0.add(days=30)
        # and back again: still day 30
        ledger.exchange(
            id="x2",
            source="unified:wang",
            target="virtue:wang",
            points=10,
            at=T0.add(days=29, hours=1),
        )
        (back,) = ledger.lots("virtue:wang")
        assert back.expires_at == T0.add(days=30)
        ledger.expire(as_of=T0.add(days=30))
        assert ledger.balance("virtue:wang") == 0
        assert PointsLedger.replay(ledger.journal) == ledger

    def test_several_lots_take_the_soonest_expiry(self) -> None:
        """Lots converted together open one lot expiring when the soonest of them does."""
        ledger = new_ledger(expiry=ExpiryPolicy.after_days(30))
        ledger.record_rate(ExchangeRate(source="virtue", target="unified", rate=1, effective=T0))
        earn(ledger, "e1", 4, T0)
        earn(ledger, "e2", 6, T0.add(days=10))
        ledger.exchange(
            id="x1", source="virtue:wang", target="unified:wang", points=10, at=T0.add(days=20)
        )
        (lot,) = ledger.lots("unified:wang")
        assert (lot.remaining, lot.expires_at) == (10, T0.add(days=30))

    def test_a_later_earning_still_sorts_by_expiry(self) -> None:
        """A converted lot that never expires is spent after lots that do."""
        ledger = new_ledger(expiry=ExpiryPolicy.never(), unified_expiry=ExpiryPolicy.after_days(30))
        ledger.record_rate(ExchangeRate(source="virtue", target="unified", rate=1, effective=T0))
        earn(ledger, "e1", 5, T0)
        ledger.exchange(id="x1", source="virtue:wang", target="unified:wang", points=5, at=T0)
        ledger.post(
            Transfer(
                id="u1",
                debit="unified:issuer",
                credit="unified:wang",
                amount=3,
                kind="earn",
                at=T0.add(days=1),
            )
        )
        assert [lot.origin for lot in ledger.lots("unified:wang")] == ["u1", "x1:in"]
        assert PointsLedger.replay(ledger.journal) == ledger


class TestNonNegative:
    """Defect 6: only an issuer (or an exchange account) may go below zero."""

    def test_settling_more_than_was_redeemed_is_refused(self) -> None:
        """A merchant settles at most what it holds."""
        ledger = new_ledger()
        earn(ledger, "e1", 10, T0)
        redeem(ledger, "r1", 4, T0.add(hours=1))
        with pytest.raises(errors.InsufficientPoints) as caught:
            ledger.post(transfer("s1", "store", "issuer", 5, "settle", T0.add(hours=2)))
        assert (caught.value.value, caught.value.limit) == (5, 4)
        ledger.post(transfer("s1", "store", "issuer", 4, "settle", T0.add(hours=2)))
        assert ledger.balance("virtue:store") == 0

    def test_reversing_a_settled_redemption_is_refused(self) -> None:
        """Once settled, the merchant has no points to give back."""
        ledger = new_ledger()
        earn(ledger, "e1", 10, T0)
        redeem(ledger, "r1", 4, T0.add(hours=1))
        ledger.post(transfer("s1", "store", "issuer", 4, "settle", T0.add(hours=2)))
        with pytest.raises(errors.InsufficientPoints):
            ledger.reverse("r1", id="rv", at=T0.add(hours=3))
        assert ledger.balance("virtue:store") == 0
        assert ledger.audit() == ()

    def test_audit_reports_a_merchant_below_zero(self) -> None:
        """Should a merchant be below zero (a state no command makes), audit says so."""
        ledger = new_ledger()
        ledger._accounts["virtue:store"].balance = -3  # as an older ledger could have left it
        ledger._accounts["virtue:issuer"].balance = 3
        (finding,) = ledger.audit()
        assert finding.subject == "virtue:store"
        assert "-3" in finding.message


class TestBalanceAndSpendable:
    """Defect 7: the two meanings side by side, in statements and totals."""

    def test_statement_and_totals_show_both(self) -> None:
        """Before the sweep the held balance counts expired points; spendable does not."""
        ledger = new_ledger(expiry=ExpiryPolicy.after_days(30))
        earn(ledger, "e1", 10, T0)
        earn(ledger, "e2", 5, T0.add(days=20))
        later = T0.add(days=31)
        statement = ledger.statement("virtue:wang", start=T0, end=later)
        assert (statement.closing, statement.spendable) == (15, 5)
        totals = ledger.totals("virtue", at=later)
        assert (totals.outstanding, totals.spendable) == (15, 5)
        ledger.expire(as_of=later)
        statement = ledger.statement("virtue:wang", start=T0, end=later.add(seconds=1))
        assert (statement.closing, statement.spendable) == (5, 5)
        assert ledger.statement("virtue:store", start=T0, end=later).spendable is None

    @given(
        st.lists(
            st.tuples(st.booleans(), st.integers(1, 30), st.integers(0, 40 * 24)),
            max_size=25,
        ),
        st.integers(0, 60 * 24),
    )
    def test_they_agree_after_a_sweep(
        self, operations: list[tuple[bool, int, int]], sweep_hours: int
    ) -> None:
        """After ``expire(as_of=t)`` every wallet's balance is what it can spend at t."""
        ledger = new_ledger(expiry=ExpiryPolicy.after_days(10))
        hours = 0
        for number, (earning, amount, step) in enumerate(operations):
            hours += step
            when = T0.add(hours=hours)
            try:
                if earning:
                    earn(ledger, f"e{number}", amount, when)
                else:
                    redeem(ledger, f"r{number}", amount, when)
            except errors.InsufficientPoints:
                pass
        sweep = T0.add(hours=hours + sweep_hours)
        ledger.expire(as_of=sweep)
        for wallet in ("virtue:wang", "virtue:li"):
            assert ledger.balance(wallet) == ledger.spendable(wallet, at=sweep)
        totals = ledger.totals("virtue", at=sweep)
        assert totals.outstanding == totals.spendable
        statement = ledger.statement("virtue:wang", start=T0, end=sweep.add(microseconds=1))
        assert statement.spendable == statement.closing


class TestRetries:
    """Defect 9: a retried command with the same id and content is a no-op."""

    def test_retried_full_reversal(self) -> None:
        """``reverse("e1", id="rv", at=t)`` twice posts one reversal."""
        ledger = new_ledger()
        earn(ledger, "e1", 10, T0)
        first = ledger.reverse("e1", id="rv", at=T0.add(hours=1))
        size = len(ledger)
        assert ledger.reverse("e1", id="rv", at=T0.add(hours=1)) == first
        assert len(ledger) == size

    def test_retried_partial_reversal(self) -> None:
        """With an amount too: the same reversal again is a no-op."""
        ledger = new_ledger()
        earn(ledger, "e1", 10, T0)
        redeem(ledger, "r1", 10, T0)
        first = ledger.reverse("r1", id="rv", at=T0.add(hours=1), amount=10)
        assert ledger.reverse("r1", id="rv", at=T0.add(hours=1), amount=10) == first

    def test_other_content_under_the_id_is_a_duplicate(self) -> None:
        """A different reversal under the same id is refused."""
        ledger = new_ledger()
        earn(ledger, "e1", 10, T0)
        ledger.reverse("e1", id="rv", at=T0.add(hours=1), amount=3)
        with pytest.raises(errors.DuplicateTransfer):
            ledger.reverse("e1", id="rv", at=T0.add(hours=1), amount=4)

    def test_a_fully_reversed_transfer_still_refuses_a_new_reversal(self) -> None:
        """A new id finds nothing left to reverse."""
        ledger = new_ledger()
        earn(ledger, "e1", 10, T0)
        ledger.reverse("e1", id="rv", at=T0.add(hours=1))
        with pytest.raises(errors.AlreadyReversed):
            ledger.reverse("e1", id="rv2", at=T0.add(hours=1))

    def test_retried_closure_and_exchange(self) -> None:
        """Closing again with the same content, or converting again, changes nothing."""
        ledger = new_ledger()
        position = ledger.close_account("virtue:li", at=T0)
        assert ledger.close_account("virtue:li", at=T0) == position
        with pytest.raises(errors.AccountClosed):
            ledger.close_account("virtue:li", at=T0, memo="other")
        ledger.record_rate(ExchangeRate(source="virtue", target="unified", rate=1, effective=T0))
        earn(ledger, "e1", 10, T0)
        done = ledger.exchange(id="x", source="virtue:wang", target="unified:wang", points=4, at=T0)
        size = len(ledger)
        again = ledger.exchange(
            id="x", source="virtue:wang", target="unified:wang", points=4, at=T0
        )
        assert (again, len(ledger)) == (done, size)


class TestReservedIds:
    """Defect 10: no caller can claim the expiry sweep's ids."""

    def test_a_caller_cannot_block_the_sweep(self) -> None:
        """The sweep's next id, posted by a caller, is refused; the sweep then runs."""
        ledger = new_ledger(expiry=ExpiryPolicy.after_days(1))
        earn(ledger, "e1", 10, T0)
        with pytest.raises(errors.InvalidValue, match="reserve"):
            ledger.post(transfer(f"expire:e1:{len(ledger)}", "issuer", "li", 1, "earn", T0))
        with pytest.raises(errors.InvalidValue):
            ledger.post(
                transfer(
                    f"expire:e1:{len(ledger) + 1}",
                    "wang",
                    "expiry",
                    10,
                    "expire",
                    T0.add(days=1),
                    reference="e1",
                )
            )
        (position,) = ledger.expire(as_of=T0.add(days=1))
        assert ledger.journal[position].record.id == f"expire:e1:{position}"
        assert PointsLedger.replay(ledger.journal) == ledger


class TestResidentTransfers:
    """Points rule 10: transfers between residents are a setting of the scheme, off by default."""

    def test_off_by_default(self) -> None:
        """A gift between wallets is refused unless the scheme allows it."""
        ledger = new_ledger()
        earn(ledger, "e1", 10, T0)
        with pytest.raises(errors.TransferNotAllowed, match="between residents"):
            ledger.post(transfer("g1", "wang", "li", 3, "gift", T0))
        assert Scheme(code="x").allow_resident_transfers is False

    def test_allowed_keeps_expiry(self) -> None:
        """Where allowed, given points move and keep the expiry they had."""
        ledger = new_ledger(expiry=ExpiryPolicy.after_days(30), allow_resident_transfers=True)
        earn(ledger, "e1", 10, T0)
        ledger.post(transfer("g1", "wang", "li", 3, "gift", T0.add(days=29)))
        (lot,) = ledger.lots("virtue:li")
        assert (lot.remaining, lot.expires_at) == (3, T0.add(days=30))
        assert ledger.totals("virtue").outstanding == 10
        assert PointsLedger.replay(ledger.journal) == ledger
        assert serialization.loads(serialization.dumps(ledger), PointsLedger) == ledger

    def test_the_setting_is_in_the_hash(self) -> None:
        """Two ledgers differing only in the setting have different heads."""
        assert new_ledger().head != new_ledger(allow_resident_transfers=True).head


class TestBadValues:
    """Every bad value raises a GrassrootsError subclass (a ValueError too), never a bare one."""

    @pytest.mark.parametrize(
        "changes",
        [
            {"id": ""},
            {"id": " "},
            {"id": "a\0b"},
            {"id": "a\ud800"},
            {"debit": "x\ny"},
            {"memo": "a\0"},
            {"memo": "\ud800"},
            {"kind": "steal"},
        ],
    )
    def test_transfer(self, changes: dict[str, object]) -> None:
        """Empty, blank, NUL, surrogate, an unknown kind: our error."""
        fields: dict[str, object] = {
            "id": "t",
            "debit": "a",
            "credit": "b",
            "amount": 1,
            "kind": "earn",
            "at": T0,
        }
        fields.update(changes)
        with pytest.raises(errors.GrassrootsError):
            Transfer(**fields)  # type: ignore[arg-type]

    @pytest.mark.parametrize("account_id", ["", " ", "\t", " x", "x\0"])
    def test_account_id(self, account_id: str) -> None:
        """A blank account id is refused."""
        with pytest.raises(errors.InvalidValue):
            Account(id=account_id, scheme="virtue", kind="wallet")

    def test_account_kind_and_expiry_rule(self) -> None:
        """Unknown enum values are our error, naming what is allowed."""
        with pytest.raises(errors.InvalidValue, match="wallet"):
            Account(id="a", scheme="virtue", kind="purse")
        with pytest.raises(errors.InvalidValue):
            ExpiryPolicy(rule="sometimes")

    def test_wrong_types_are_type_errors(self) -> None:
        """A wrong type stays a TypeError."""
        with pytest.raises(TypeError):
            Transfer(id=1, debit="a", credit="b", amount=1, kind="earn", at=T0)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            Transfer(id="t", debit="a", credit="b", amount=1.0, kind="earn", at=T0)  # type: ignore[arg-type]


def test_transfer_kind_table_is_complete() -> None:
    """Every kind is documented in the TransferKind table."""
    doc = TransferKind.__doc__ or ""
    for kind in TransferKind:
        assert f"``{kind.value}``" in doc
