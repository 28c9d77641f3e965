"""The running projection keeps balances of any size, as of any time, through copies."""

from __future__ import annotations

import copy
import pickle

import pendulum

from grassroots.ledger import Account, AccountKind, PointsLedger, Scheme, Transfer

_START = pendulum.datetime(2025, 3, 1, 9, tz="Asia/Shanghai")


def _ledger() -> PointsLedger:
    ledger = PointsLedger()
    ledger.add_scheme(Scheme(code="virtue"))
    ledger.open_account(Account(id="issuer", scheme="virtue", kind=AccountKind.ISSUER))
    ledger.open_account(Account(id="wang", scheme="virtue", kind=AccountKind.WALLET))
    return ledger


def _earn(ledger: PointsLedger, number: int, amount: int) -> None:
    ledger.post(
        Transfer(
            id=f"e{number}",
            debit="issuer",
            credit="wang",
            amount=amount,
            kind="earn",
            at=_START.add(minutes=number),
        )
    )


class TestWideBalances:
    def test_balances_beyond_32_bits_read_back_as_of_every_time(self) -> None:
        """Balances that outgrow 32 bits are kept exactly, before and after they do."""
        ledger = _ledger()
        amounts = [5, 2**31 - 10, 10**12, 7, 10**12]
        for number, amount in enumerate(amounts):
            _earn(ledger, number, amount)
        for number in range(len(amounts)):
            held = sum(amounts[: number + 1])
            at = _START.add(minutes=number, seconds=30)
            assert ledger.balance("wang", as_of=at) == held
            assert ledger.balance("issuer", as_of=at) == -held
        assert ledger.balance("wang") == sum(amounts)

    def test_copies_and_pickles_keep_wide_and_narrow_balances(self) -> None:
        """A deep copy and a pickle of the ledger read the same balances as of each time."""
        ledger = _ledger()
        _earn(ledger, 0, 3)
        _earn(ledger, 1, 10**12)
        for other in (copy.deepcopy(ledger), pickle.loads(pickle.dumps(ledger))):
            assert other == ledger
            for number, held in ((0, 3), (1, 3 + 10**12)):
                at = _START.add(minutes=number, seconds=1)
                assert other.balance("wang", as_of=at) == held
            _earn(other, 2, 1)
            assert other.balance("wang") == 4 + 10**12
            assert ledger.balance("wang") == 3 + 10**12
