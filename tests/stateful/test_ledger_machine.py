"""A rule-based machine that drives the points ledger against a small reference model.

The model is a few dicts of ints: each account's balance, and each wallet's lots
as ``[expires on day, remaining, ...]`` in the order they were earned. It knows
nothing of the ledger's internals; after every step the two must agree.
"""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from grassroots import errors
from grassroots.ledger import (
    Account,
    AccountKind,
    ExpiryPolicy,
    PointsLedger,
    Scheme,
    Transfer,
    TransferKind,
)

START = pendulum.datetime(2025, 1, 1, 9, tz="Asia/Shanghai")
NEVER = 10**9
LIFETIME = {"party": NEVER, "virtue": 10}  # days a lot lives in each scheme
RESIDENTS = ("a", "b")
SCHEMES = st.sampled_from(sorted(LIFETIME))


class LedgerMachine(RuleBasedStateMachine):
    """Posts earnings, redemptions, reversals and expiry sweeps; compares with the model."""

    def __init__(self) -> None:
        super().__init__()
        self.ledger = PointsLedger()
        self.day = 0
        self.count = 0
        self.balance: dict[str, int] = {}
        # wallet -> lots in earning order: [expires on day, remaining, id of the earning]
        self.lots: dict[str, list[list[int | str]]] = {}
        # id -> (kind, debit, credit, amount, draws as [(lot index, points)])
        self.posted: dict[str, tuple[str, str, str, int, list[tuple[int, int]]]] = {}
        self.reversed: dict[str, int] = {}

    @initialize()
    def set_up(self) -> None:
        """Open two schemes, each with an issuer, an expiry account, a canteen and two wallets."""
        self.ledger.add_scheme(Scheme(code="party", name="新新向党", expiry=ExpiryPolicy.never()))
        self.ledger.add_scheme(
            Scheme(code="virtue", name="美德积分", expiry=ExpiryPolicy.after_days(10))
        )
        for scheme in LIFETIME:
            for name, kind in (
                ("issuer", AccountKind.ISSUER),
                ("expiry", AccountKind.EXPIRY),
                ("canteen", AccountKind.MERCHANT),
            ):
                self._open(f"{scheme}:{name}", scheme, kind)
            for resident in RESIDENTS:
                self._open(f"{scheme}:{resident}", scheme, AccountKind.WALLET)
                self.lots[f"{scheme}:{resident}"] = []

    def _open(self, account_id: str, scheme: str, kind: AccountKind) -> None:
        self.ledger.open_account(Account(id=account_id, scheme=scheme, kind=kind))
        self.balance[account_id] = 0

    # --- helpers --------------------------------------------------------------------------

    @property
    def now(self) -> pendulum.DateTime:
        return START.add(days=self.day)

    def _new_id(self) -> str:
        self.count += 1
        return f"t{self.count}"

    def _live(self, wallet: str) -> int:
        return sum(int(lot[1]) for lot in self.lots[wallet] if int(lot[0]) > self.day)

    def _move(self, debit: str, credit: str, amount: int) -> None:
        self.balance[debit] -= amount
        self.balance[credit] += amount

    def _take(self, wallet: str, amount: int, first: int | None = None) -> list[tuple[int, int]]:
        """Take points from a wallet's lots and return the draws.

        The lot ``first`` (if given) pays first, whatever its expiry; then live lots in order.
        """
        lots = self.lots[wallet]
        order = ([first] if first is not None else []) + [
            i for i, lot in enumerate(lots) if i != first and int(lot[0]) > self.day
        ]
        draws = []
        for index in order:
            take = min(int(lots[index][1]), amount)
            if take:
                lots[index][1] = int(lots[index][1]) - take
                draws.append((index, take))
                amount -= take
        assert amount == 0
        return draws

    # --- rules ----------------------------------------------------------------------------

    @rule(days=st.integers(min_value=0, max_value=6))
    def advance(self, days: int) -> None:
        """Time passes."""
        self.day += days

    @rule(scheme=SCHEMES, resident=st.sampled_from(RESIDENTS), amount=st.integers(1, 50))
    def earn(self, scheme: str, resident: str, amount: int) -> None:
        """A confirmed activity credits points to a resident's wallet."""
        tid, wallet = self._new_id(), f"{scheme}:{resident}"
        self.ledger.post(
            Transfer(
                id=tid,
                debit=f"{scheme}:issuer",
                credit=wallet,
                amount=amount,
                kind=TransferKind.EARN,
                at=self.now,
            )
        )
        self._move(f"{scheme}:issuer", wallet, amount)
        self.lots[wallet].append([self.day + LIFETIME[scheme], amount, tid])
        self.posted[tid] = ("earn", f"{scheme}:issuer", wallet, amount, [])

    @rule(scheme=SCHEMES, resident=st.sampled_from(RESIDENTS), amount=st.integers(1, 80))
    def redeem(self, scheme: str, resident: str, amount: int) -> None:
        """A resident spends points at the canteen, if enough of them are live."""
        tid, wallet, canteen = self._new_id(), f"{scheme}:{resident}", f"{scheme}:canteen"
        transfer = Transfer(
            id=tid,
            debit=wallet,
            credit=canteen,
            amount=amount,
            kind=TransferKind.REDEEM,
            at=self.now,
        )
        if amount > self._live(wallet):
            with pytest.raises(errors.InsufficientPoints):
                self.ledger.post(transfer)
            return
        self.ledger.post(transfer)
        self._move(wallet, canteen, amount)
        self.posted[tid] = ("redeem", wallet, canteen, amount, self._take(wallet, amount))

    @precondition(lambda self: self.posted)
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        """An earning or a redemption is reversed in full, at most once."""
        original = data.draw(st.sampled_from(sorted(self.posted)))
        kind, debit, credit, amount, draws = self.posted[original]
        tid = self._new_id()
        left = amount - self.reversed.get(original, 0)
        if not left:
            with pytest.raises(errors.AlreadyReversed):
                self.ledger.reverse(original, id=tid, at=self.now)
            return
        if kind == "earn":
            lots = self.lots[credit]
            own = next(i for i, lot in enumerate(lots) if lot[2] == original)
            if (
                int(lots[own][1])
                + self._live(credit)
                - (int(lots[own][1]) if int(lots[own][0]) > self.day else 0)
                < left
            ):
                with pytest.raises(errors.InsufficientPoints):
                    self.ledger.reverse(original, id=tid, at=self.now)
                return
            self.ledger.reverse(original, id=tid, at=self.now)
            self._take(credit, left, first=own)
        else:
            self.ledger.reverse(original, id=tid, at=self.now)
            for index, points in draws:
                self.lots[debit][index][1] = int(self.lots[debit][index][1]) + points
        self._move(credit, debit, left)
        self.reversed[original] = amount

    @rule()
    def expire(self) -> None:
        """The sweep moves every expired lot's remainder to the expiry account."""
        self.ledger.expire(as_of=self.now)
        for wallet, lots in self.lots.items():
            for lot in lots:
                if int(lot[0]) <= self.day and int(lot[1]):
                    self._move(wallet, f"{wallet.split(':')[0]}:expiry", int(lot[1]))
                    lot[1] = 0

    @precondition(lambda self: self.posted)
    @rule(data=st.data())
    def repost(self, data: st.DataObject) -> None:
        """Posting a posted transfer again changes nothing."""
        original = data.draw(st.sampled_from(sorted(self.posted)))
        head = self.ledger.head
        self.ledger.post(self.ledger.transfer(original))
        assert self.ledger.head == head

    @rule(scheme=SCHEMES, amount=st.integers(1, 10))
    def resident_to_resident(self, scheme: str, amount: int) -> None:
        """Points never move between residents."""
        with pytest.raises(errors.TransferNotAllowed):
            self.ledger.post(
                Transfer(
                    id=self._new_id(),
                    debit=f"{scheme}:a",
                    credit=f"{scheme}:b",
                    amount=amount,
                    kind=TransferKind.REDEEM,
                    at=self.now,
                )
            )

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def balances_agree(self) -> None:
        """Every account holds what the model says."""
        for account_id, expected in self.balance.items():
            assert self.ledger.balance(account_id) == expected, account_id

    @invariant()
    def lots_agree(self) -> None:
        """Every wallet's open lots are the model's, in order, and sum to its balance."""
        for wallet, lots in self.lots.items():
            expected = [(lot[2], lot[1]) for lot in lots if int(lot[1])]
            assert [(lot.origin, lot.remaining) for lot in self.ledger.lots(wallet)] == expected
            assert self.ledger.spendable(wallet, at=self.now) == self._live(wallet)

    @invariant()
    def trial_balance_is_zero(self) -> None:
        """Double entry holds in every scheme."""
        assert set(self.ledger.trial_balance().values()) <= {0}

    @invariant()
    def journal_verifies(self) -> None:
        """The hash chain holds."""
        assert self.ledger.verify() == self.ledger.head


TestLedgerMachine = LedgerMachine.TestCase
