"""Points ledger (积分账本): an exact, append-only, double-entry ledger of points.

Use this module to keep the points residents earn for volunteering and spend
as discounts at the compound's shops: party-member points ("新新向党"),
virtue points (美德积分) and the unified points of the one-stop exchange window
(积分兑换窗口) of the Tancheng case, or any other scheme (积分方案).

The model, in short:

- A [`Scheme`][grassroots.ledger.Scheme] is one points currency with an
  [`ExpiryPolicy`][grassroots.ledger.ExpiryPolicy].
  Points are whole numbers (``int``), never fractions or floats.
- An [`Account`][grassroots.ledger.Account] belongs to one scheme and has an
  [`AccountKind`][grassroots.ledger.AccountKind]: a
  resident's wallet (never below zero), the scheme's issuer (its negative
  balance is the points in circulation), a merchant (where redeemed points
  land), the expiry account, or the exchange account that clears conversions
  between schemes.
- Every movement is a [`Transfer`][grassroots.ledger.Transfer] of a positive ``amount`` out of its
  ``debit`` account into its ``credit`` account, both of the same scheme, so
  the balances of a scheme always sum to zero (the trial balance).
- Every credit to a wallet opens a [`Lot`][grassroots.ledger.Lot] that expires by the scheme's
  policy; spending takes the lots that expire soonest, then the oldest.
- Nothing is edited or deleted: a mistake is undone by a reversal, a new
  transfer the other way that names the one it reverses.
- [`PointsLedger`][grassroots.ledger.PointsLedger] keeps the [`Journal`][grassroots.ledger.Journal],
  a hash chain of
  [`JournalEntry`][grassroots.ledger.JournalEntry] values, and answers balances, statements and
  totals.

Rule: points rules 1, 4, 5, 6, 7, 9 and 10 of the docs' rules page (lots, expiry policies,
spending order, redemption at a merchant's rate, reversal by compensating
entries, dated conversion rates, no transfers between residents).

Source: Tancheng case (郯城县): party-member points and virtue points joined
into one exchange window; points redeemed as discounts at the convenience
store, the housekeeping company and the happiness canteen (幸福食堂).

Examples:
    >>> import pendulum
    >>> at = pendulum.datetime(2025, 3, 1, 9, tz="Asia/Shanghai")
    >>> ledger = PointsLedger()
    >>> ledger.add_scheme(Scheme(code="virtue", name="美德积分"))
    0
    >>> for account_id, kind in [
    ...     ("virtue:issuer", AccountKind.ISSUER),
    ...     ("virtue:wang", AccountKind.WALLET),
    ...     ("virtue:store", AccountKind.MERCHANT),
    ... ]:
    ...     _ = ledger.open_account(Account(id=account_id, scheme="virtue", kind=kind))
    >>> ledger.post(
    ...     Transfer(
    ...         id="earn-1",
    ...         debit="virtue:issuer",
    ...         credit="virtue:wang",
    ...         amount=20,
    ...         kind=TransferKind.EARN,
    ...         at=at,
    ...     )
    ... )
    4
    >>> ledger.post(
    ...     Transfer(
    ...         id="buy-1",
    ...         debit="virtue:wang",
    ...         credit="virtue:store",
    ...         amount=5,
    ...         kind=TransferKind.REDEEM,
    ...         at=at.add(hours=2),
    ...     )
    ... )
    5
    >>> ledger.balance("virtue:wang"), ledger.balance("virtue:issuer")
    (15, -20)
    >>> ledger.trial_balance()
    {'virtue': 0}
"""

from __future__ import annotations

from grassroots.ledger._aggregate import (
    PointsLedger,
)
from grassroots.ledger._codec import (
    GENESIS,
    HASH_ALGORITHM,
)
from grassroots.ledger._expiry import (
    ExpiryPolicy,
    ExpiryRule,
)
from grassroots.ledger._journal import (
    Journal,
    JournalEntry,
    verify_journal,
)

# The converter's hook (grassroots._wire registers it through this path).
from grassroots.ledger._json import (
    _configure_converter as _configure_converter,
)
from grassroots.ledger._redemption import (
    RedemptionQuote,
    quote_redemption,
)

# The rules the ledger cites (listed on the docs' rules page), re-exported by name.
from grassroots.ledger._rules import (
    ENCODING_RULE as ENCODING_RULE,
)
from grassroots.ledger._rules import (
    EXPIRY_KEPT_RULE as EXPIRY_KEPT_RULE,
)
from grassroots.ledger._rules import (
    MAX_EXPIRY_COUNTS as MAX_EXPIRY_COUNTS,
)
from grassroots.ledger._rules import (
    NON_NEGATIVE_RULE as NON_NEGATIVE_RULE,
)
from grassroots.ledger._rules import (
    RESERVED_ID_RULE as RESERVED_ID_RULE,
)
from grassroots.ledger._rules import (
    RESERVED_PREFIX as RESERVED_PREFIX,
)
from grassroots.ledger._rules import (
    RESIDENT_TRANSFER_RULE as RESIDENT_TRANSFER_RULE,
)
from grassroots.ledger._rules import (
    RULES_PAGE as RULES_PAGE,
)
from grassroots.ledger._rules import (
    TIME_RANGE_RULE as TIME_RANGE_RULE,
)
from grassroots.ledger._statements import (
    SchemeTotals,
    Statement,
    StatementLine,
)
from grassroots.ledger._values import (
    MAX_TRANSFER_POINTS,
    Account,
    AccountClosure,
    AccountKind,
    Draw,
    ExchangeRate,
    Lot,
    Record,
    Scheme,
    Transfer,
    TransferKind,
)

__all__ = [
    "GENESIS",
    "HASH_ALGORITHM",
    "MAX_TRANSFER_POINTS",
    "Account",
    "AccountClosure",
    "AccountKind",
    "Draw",
    "ExchangeRate",
    "ExpiryPolicy",
    "ExpiryRule",
    "Journal",
    "JournalEntry",
    "Lot",
    "PointsLedger",
    "Record",
    "RedemptionQuote",
    "Scheme",
    "SchemeTotals",
    "Statement",
    "StatementLine",
    "Transfer",
    "TransferKind",
    "quote_redemption",
    "verify_journal",
]
