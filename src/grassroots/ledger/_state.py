"""The running projection replay rebuilds: per scheme and per account state (private)."""

from __future__ import annotations

import bisect
from array import array
from typing import Final, cast

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


POSITIONS_CODE: Final = "I"
"""The array type code of an account's journal positions while they fit 32 bits."""


def balances_code(bounded: bool) -> str:
    """Return the array type code of an account's balances while they fit 32 bits.

    A bounded account (wallet, merchant, expiry) never goes below zero, so its
    32 bits are unsigned; an issuer's or an exchange account's are signed.
    """
    return "I" if bounded else "i"


class _AccountState:
    __slots__ = (
        "account",
        "balance",
        "balances",
        "bounded",
        "closed",
        "code",
        "id",
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
        # entered as they are posted: 4 bytes each while they fit 32 bits, then 8 (see
        # ``widened``), no int objects kept. Positions, and the balances of a bounded
        # account, are never negative: their 32 bits are unsigned, so they stay 4 bytes
        # up to 4,294,967,295 rather than half that.
        self.positions: array[int] = array(POSITIONS_CODE)
        self.balances: array[int] | list[int] = array(balances_code(self.bounded))

    def __getstate__(self) -> dict[str, object]:
        """Return the state to pickle, its arrays as (type code, bytes): no ``array`` named."""
        state: dict[str, object] = {name: getattr(self, name) for name in self.__slots__}
        state["positions"] = (self.positions.typecode, self.positions.tobytes())
        if isinstance(self.balances, array):
            state["balances"] = (self.balances.typecode, self.balances.tobytes())
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            if name in ("positions", "balances"):
                if isinstance(value, bytes):  # pickled before the type code was kept
                    value = ("q", value)  # noqa: PLW2901 - the same, with its type code
                if isinstance(value, tuple):
                    kept: array[int] = array(value[0])
                    kept.frombytes(value[1])
                    value = kept  # noqa: PLW2901 - the array the bytes stand for
            setattr(self, name, value)

    def enter(self, position: int) -> None:
        """Note that the transfer at ``position`` touched the account, and its balance after."""
        try:
            self.positions.append(position)
        except OverflowError:
            self.positions = cast(array[int], widened(self.positions, position))
        try:
            self.balances.append(self.balance)
        except OverflowError:
            self.balances = widened(self.balances, self.balance)

    def forget(self, size: int) -> None:
        """Drop what ``enter`` noted for the transfers from position ``size`` on."""
        cut = bisect.bisect_left(self.positions, size)
        del self.positions[cut:]
        del self.balances[cut:]


def widened(numbers: array[int] | list[int], value: int) -> array[int] | list[int]:
    """Return ``numbers`` with ``value`` appended, in a wider store that holds it.

    A 32-bit array (signed or not) becomes a signed 64-bit one, and a 64-bit one
    a list (points are unbounded ints); a position always fits 64 bits.
    """
    if isinstance(numbers, array) and numbers.typecode != "q" and -(2**63) <= value < 2**63:
        wider: array[int] | list[int] = array("q", numbers)
    else:
        wider = list(numbers)
    wider.append(value)
    return wider
