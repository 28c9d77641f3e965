"""The points ledger's exported strategies keep their promises."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from grassroots import strategies as gst
from grassroots.ledger import (
    AccountKind,
    ExpiryPolicy,
    ExpiryRule,
    JournalEntry,
    PointsLedger,
    Transfer,
    TransferKind,
    verify_journal,
)


def kinds_posted(ledger: PointsLedger) -> set[TransferKind]:
    """Return the kinds of the transfers in a ledger's journal."""
    return {e.record.kind for e in ledger.journal if isinstance(e.record, Transfer)}


class TestPointsLedgers:
    @given(gst.points_ledgers())
    def test_draws_are_healthy_ledgers(self, ledger: PointsLedger) -> None:
        """A drawn ledger audits clean, verifies and replays to itself."""
        assert ledger.audit() == ()
        assert verify_journal(ledger.journal) == ledger.head
        assert PointsLedger.replay(ledger.journal) == ledger

    @given(gst.points_ledgers(min_schemes=2, max_schemes=3, min_residents=2, max_residents=3))
    def test_scheme_and_resident_bounds_hold(self, ledger: PointsLedger) -> None:
        """The numbers of schemes and of residents stay within the bounds."""
        assert 2 <= len(ledger.schemes) <= 3
        owners = {a.owner for a in ledger.accounts if a.kind is AccountKind.WALLET}
        assert 2 <= len(owners) <= 3
        assert [s.name for s in ledger.schemes][:2] == ["新新向党", "美德积分"]

    @given(
        gst.points_ledgers(
            min_operations=5,
            max_operations=5,
            reversals=False,
            expiry_sweeps=False,
            exchanges=False,
        )
    )
    def test_operation_bounds_hold(self, ledger: PointsLedger) -> None:
        """Earnings and redemptions are never refused, so exactly the operations drawn appear."""
        assert sum(isinstance(e.record, Transfer) for e in ledger.journal) == 5
        assert kinds_posted(ledger) <= {TransferKind.EARN, TransferKind.REDEEM}

    @given(gst.points_ledgers(max_operations=0))
    def test_no_operations_means_no_transfers(self, ledger: PointsLedger) -> None:
        """With no operations the ledger holds only its setup."""
        assert kinds_posted(ledger) == set()

    @settings(max_examples=30)
    @given(gst.points_ledgers(min_operations=10, reversals=False, exchanges=False))
    def test_switched_off_operations_do_not_appear(self, ledger: PointsLedger) -> None:
        """Reversals and exchanges can be left out."""
        assert TransferKind.REVERSE not in kinds_posted(ledger)
        assert TransferKind.EXCHANGE not in kinds_posted(ledger)

    @given(gst.points_ledgers(expiry=st.just(ExpiryPolicy.never())))
    def test_expiry_policies_can_be_fixed(self, ledger: PointsLedger) -> None:
        """A fixed policy is given as ``st.just``."""
        assert all(s.expiry == ExpiryPolicy.never() for s in ledger.schemes)

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"min_schemes": 0},
            {"min_schemes": 3, "max_schemes": 2},
            {"min_residents": 0},
            {"min_residents": 5, "max_residents": 4},
            {"min_operations": -1},
            {"min_operations": 3, "max_operations": 2},
        ],
    )
    def test_bad_arguments_raise(self, kwargs: dict[str, Any]) -> None:
        """Impossible bounds are refused at once."""
        with pytest.raises(InvalidArgument):
            gst.points_ledgers(**kwargs)


class TestValueStrategies:
    @given(gst.transfers(min_amount=10, max_amount=20))
    def test_transfer_amounts_stay_in_bounds(self, transfer: Transfer) -> None:
        """The amount bounds hold, and only reversals name what they reverse."""
        assert 10 <= transfer.amount <= 20
        assert (transfer.kind is TransferKind.REVERSE) == (transfer.reverses is not None)

    @given(gst.transfers(kinds=st.just(TransferKind.EARN), account_ids=st.sampled_from("ab")))
    def test_transfer_parts_are_strategies(self, transfer: Transfer) -> None:
        """Kinds and account ids come in as strategies."""
        assert transfer.kind is TransferKind.EARN
        assert {transfer.debit, transfer.credit} == {"a", "b"}

    @pytest.mark.parametrize(
        "kwargs", [{"min_amount": 0}, {"min_amount": 5, "max_amount": 4}, {"max_amount": 10**13}]
    )
    def test_bad_transfer_bounds_raise(self, kwargs: dict[str, Any]) -> None:
        """Amounts outside 1..MAX_TRANSFER_POINTS are refused."""
        with pytest.raises(InvalidArgument):
            gst.transfers(**kwargs)

    @given(
        gst.ledger_times(
            min_value=pendulum.datetime(2025, 1, 1, tz="Asia/Shanghai"),
            max_value=pendulum.datetime(2025, 1, 2, tz="Asia/Shanghai"),
        )
    )
    def test_times_stay_in_bounds(self, moment: pendulum.DateTime) -> None:
        """Drawn times are aware and within the bounds."""
        assert moment.utcoffset() is not None
        assert pendulum.datetime(2025, 1, 1, tz="Asia/Shanghai") <= moment
        assert moment <= pendulum.datetime(2025, 1, 2, tz="Asia/Shanghai")

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"min_value": dt.datetime(2025, 1, 1)},  # noqa: DTZ001 - naive on purpose
            {
                "min_value": pendulum.datetime(2025, 1, 2, tz="UTC"),
                "max_value": pendulum.datetime(2025, 1, 1, tz="UTC"),
            },
        ],
    )
    def test_bad_time_bounds_raise(self, kwargs: dict[str, Any]) -> None:
        """Naive or inverted bounds are refused."""
        with pytest.raises(InvalidArgument):
            gst.ledger_times(**kwargs)

    @given(gst.expiry_policies(rules=st.just(ExpiryRule.END_OF_YEAR)))
    def test_expiry_rules_can_be_chosen(self, policy: ExpiryPolicy) -> None:
        """The rules of drawn policies come from the given strategy."""
        assert policy.rule is ExpiryRule.END_OF_YEAR

    @given(gst.journal_entries(ledgers=gst.points_ledgers(min_operations=3)))
    def test_entries_come_from_real_journals(self, entry: JournalEntry) -> None:
        """A drawn entry is a link of a chain: its digests are hex of the right length."""
        assert len(entry.digest) == len(entry.previous) == 64
