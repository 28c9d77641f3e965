"""The running projection replay rebuilds: per scheme and per account state (private)."""

from __future__ import annotations

from grassroots.ledger._expiry import ExpiryClock
from grassroots.ledger._flows import _ACCOUNT_CODES, _EXCHANGE, _ISSUER, _SCHEME_STRIDE, _WALLET
from grassroots.ledger._lots import _LotRow
from grassroots.ledger._values import Account, Scheme

# --- internal state ----------------------------------------------------------------------


class _SchemeState:
    __slots__ = (
        "clock",
        "code",
        "exchange_account",
        "expiry_account",
        "flows",
        "index",
        "scheme",
        "wallets",
    )

    def __init__(self, scheme: Scheme, index: int) -> None:
        self.scheme = scheme
        self.index = index
        self.code = scheme.code
        self.clock = ExpiryClock(scheme.expiry.rule.value, scheme.expiry.count)
        self.flows = [0] * 8
        self.wallets: list[_AccountState] = []
        self.expiry_account: str | None = None
        self.exchange_account: str | None = None


class _AccountState:
    __slots__ = (
        "account",
        "balance",
        "balances",
        "bounded",
        "closed",
        "code",
        "id",
        "indexed",
        "kind",
        "lots",
        "pair",
        "positions",
        "scheme",
    )

    def __init__(self, account: Account, scheme: _SchemeState) -> None:
        self.account = account
        self.id = account.id
        self.scheme = scheme
        self.kind = _ACCOUNT_CODES[account.kind]
        # (debit kind, credit kind) pair codes for the hot path: ``debit.pair + credit.code``
        # is ``debit kind * 8 + credit kind`` when both are of one scheme, and far outside
        # the table's keys (0 to 36) when they are not, so one lookup checks both.
        self.pair = self.kind * 8 + scheme.index * _SCHEME_STRIDE
        self.code = self.kind - scheme.index * _SCHEME_STRIDE
        self.closed = False
        self.balance = 0
        # Open lots of a wallet, sorted: (expires, origin position, remaining points).
        self.lots: list[_LotRow] | None = [] if self.kind == _WALLET else None
        # Wallets, merchants and expiry accounts never go below zero (NON_NEGATIVE_RULE).
        self.bounded = self.kind not in (_ISSUER, _EXCHANGE)
        # Journal positions of the transfers touching it and its balance after each,
        # indexed lazily (see PointsLedger._index); ``indexed`` is the balance they reach.
        self.positions: list[int] = []
        self.balances: list[int] = []
        self.indexed = 0
