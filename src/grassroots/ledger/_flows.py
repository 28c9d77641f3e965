"""The one table of allowed flows (private).

kind × debit kind × credit kind → the totals slot it counts in; the posting
modes and the fast lookup are derived from it, never written twice.
"""

from __future__ import annotations

from typing import Final

from grassroots.ledger._values import AccountKind, TransferKind

_KINDS: Final = {kind.value: kind for kind in TransferKind}

_WALLET, _ISSUER, _MERCHANT, _EXPIRY, _EXCHANGE = range(5)

_ACCOUNT_CODES: Final = {
    AccountKind.WALLET: _WALLET,
    AccountKind.ISSUER: _ISSUER,
    AccountKind.MERCHANT: _MERCHANT,
    AccountKind.EXPIRY: _EXPIRY,
    AccountKind.EXCHANGE: _EXCHANGE,
}

# Flows of a scheme, net of reversals: the slots of SchemeTotals.
_ISSUED, _REDEEMED, _EXPIRED, _EXCHANGED_IN, _EXCHANGED_OUT, _ADJUSTED, _SETTLED, _UNCOUNTED = (
    range(8)
)


def _pair(debit: int, credit: int) -> int:
    return debit * 8 + credit


# For each kind: (debit kind, credit kind) -> (flow slot, sign), for the totals.
_FLOWS: Final[dict[str, dict[int, tuple[int, int]]]] = {
    "earn": {_pair(_ISSUER, _WALLET): (_ISSUED, 1)},
    "redeem": {_pair(_WALLET, _MERCHANT): (_REDEEMED, 1)},
    "expire": {_pair(_WALLET, _EXPIRY): (_EXPIRED, 1)},
    "exchange": {
        _pair(_WALLET, _EXCHANGE): (_EXCHANGED_OUT, 1),
        _pair(_EXCHANGE, _WALLET): (_EXCHANGED_IN, 1),
    },
    "adjust": {
        _pair(_ISSUER, _WALLET): (_ADJUSTED, 1),
        _pair(_WALLET, _ISSUER): (_ADJUSTED, -1),
        _pair(_ISSUER, _MERCHANT): (_UNCOUNTED, 1),
        _pair(_MERCHANT, _ISSUER): (_UNCOUNTED, 1),
    },
    "settle": {_pair(_MERCHANT, _ISSUER): (_SETTLED, 1)},
    "gift": {_pair(_WALLET, _WALLET): (_UNCOUNTED, 1)},
    "reverse": {},
}

# The hot path's view of the same table: (debit kind, credit kind) -> how to post it.
# _SPEND draws the soonest live lots; _EXPIRE_LOTS draws only expired ones; _CONVERT
# (an exchange out of a wallet) and _GIFT draw like _SPEND and note the soonest expiry
# drawn, which the lot they open keeps; _CONVERTED (an exchange into a wallet) opens
# a lot with the expiry its out-leg noted.
_SPEND, _EXPIRE_LOTS, _CONVERT, _CONVERTED, _GIFT = 1, 2, 3, 4, 5

_MODES: Final[dict[tuple[str, int], int]] = {
    ("expire", _pair(_WALLET, _EXPIRY)): _EXPIRE_LOTS,
    ("exchange", _pair(_WALLET, _EXCHANGE)): _CONVERT,
    ("exchange", _pair(_EXCHANGE, _WALLET)): _CONVERTED,
    ("gift", _pair(_WALLET, _WALLET)): _GIFT,
}

_RULES: Final[dict[str, dict[int, int]]] = {
    kind: {pair: _MODES.get((kind, pair), _SPEND) for pair in pairs}
    for kind, pairs in _FLOWS.items()
}

_SCHEME_STRIDE: Final = 64

_REVERSIBLE: Final = frozenset({"earn", "redeem", "adjust", "settle"})
