"""Export a points ledger to Beancount and to CSV, for accountants and spreadsheets.

[`to_beancount`][grassroots.storage.export.to_beancount] writes one Beancount
account per ledger account (wallets and merchants under ``Assets``, the
issuer and the exchange under ``Equity``, expiry under ``Expenses``), one
commodity per scheme, one transaction per transfer dated by its local date in
Asia/Shanghai, and a ``balance`` assertion for every account at the end of
every month it was used in (Beancount checks a balance at the start of the
day it is dated, so the assertion for March is dated 1 April). The signs are
the ledger's: a wallet's balance is positive, the issuer's negative.

[`to_csv`][grassroots.storage.export.to_csv] writes one row per transfer, in
the columns [`grassroots.storage.importer`][grassroots.storage.importer] reads.

Examples:
    >>> import pendulum
    >>> from grassroots.ledger import Account, PointsLedger, Scheme, Transfer
    >>> ledger = PointsLedger()
    >>> _ = ledger.add_scheme(Scheme(code="virtue", name="美德积分"))
    >>> _ = ledger.open_account(Account(id="issuer", scheme="virtue", kind="issuer"))
    >>> _ = ledger.open_account(Account(id="wang", scheme="virtue", kind="wallet"))
    >>> at = pendulum.datetime(2025, 3, 1, 9, tz="Asia/Shanghai")
    >>> _ = ledger.post(
    ...     Transfer(id="earn-1", debit="issuer", credit="wang", amount=20, kind="earn", at=at)
    ... )
    >>> print(to_beancount(ledger).splitlines()[-1])
    2025-04-01 balance Assets:Wallet:Virtue:Wang  20 VIRTUE
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from typing import Final

import pendulum

from grassroots.ledger import AccountKind, PointsLedger, Transfer

__all__ = ["CSV_COLUMNS", "beancount_account", "to_beancount", "to_csv"]

CSV_COLUMNS: Final = (
    "id",
    "kind",
    "at",
    "debit",
    "credit",
    "amount",
    "reference",
    "memo",
    "reverses",
)
"""The columns of a transfers CSV file, in order."""

_ROOTS: Final = {
    AccountKind.WALLET: "Assets:Wallet",
    AccountKind.MERCHANT: "Assets:Merchant",
    AccountKind.ISSUER: "Equity:Issuer",
    AccountKind.EXCHANGE: "Equity:Exchange",
    AccountKind.EXPIRY: "Expenses:Expired",
}
_PLAIN: Final = re.compile(r"[A-Za-z0-9]")
_ZONE: Final = "Asia/Shanghai"


def _component(text: str) -> str:
    """Return ``text`` as a Beancount account component, one to one.

    ASCII letters and digits stay; any other character becomes ``-`` and its
    code point in six hex digits (so an escape starts ``-0`` or ``-1``). A
    lower-case first letter is upper-cased; an id that already starts with a
    capital gets ``U-`` in front, and one that starts otherwise ``N-``, so no
    two ids share a name.
    """
    body = "".join(c if _PLAIN.fullmatch(c) else f"-{ord(c):06X}" for c in text)
    if body[0].islower():
        return body[0].upper() + body[1:]
    return ("U-" if body[0].isupper() else "N-") + body


def beancount_account(kind: AccountKind, scheme: str, account_id: str) -> str:
    """Return the Beancount account name of a ledger account.

    Examples:
        >>> beancount_account(AccountKind.WALLET, "virtue", "wang")
        'Assets:Wallet:Virtue:Wang'
    """
    return f"{_ROOTS[kind]}:{_component(scheme)}:{_component(account_id)}"


def _commodity(scheme: str) -> str:
    code = re.sub(r"[^A-Z0-9]", "", scheme.upper())
    if not code or not code[0].isalpha():
        code = "P" + code
    return (code[:23] + "X") if len(code) > 23 else code  # Beancount's longest commodity


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def to_beancount(ledger: PointsLedger) -> str:
    """Return the ledger in Beancount syntax, with balance assertions at every month's end.

    Raises:
        TypeError: ``ledger`` is not a [`PointsLedger`][grassroots.ledger.PointsLedger].
    """
    if not isinstance(ledger, PointsLedger):
        raise TypeError(f"to_beancount takes a PointsLedger, not {type(ledger).__name__}")
    accounts = {account.id: account for account in ledger.accounts}
    names = {a.id: beancount_account(a.kind, a.scheme, a.id) for a in accounts.values()}
    commodities = {scheme.code: _commodity(scheme.code) for scheme in ledger.schemes}
    units = {a.id: commodities[a.scheme] for a in accounts.values()}
    transfers = [e.record for e in ledger.journal if isinstance(e.record, Transfer)]
    lines = ['option "title" "grassroots points ledger"']
    first = transfers[0].at.in_timezone(_ZONE).date() if transfers else pendulum.date(1970, 1, 1)
    lines.extend(f"{first.isoformat()} commodity {commodities[s.code]}" for s in ledger.schemes)
    for account in accounts.values():
        lines.append(f"{first.isoformat()} open {names[account.id]} {commodities[account.scheme]}")
        lines.append(f"  id: {_quote(account.id)}")
    balances: dict[str, int] = defaultdict(int)
    used: set[str] = set()
    month = None
    for transfer in transfers:
        day = transfer.at.in_timezone(_ZONE).date()
        if month is not None and (day.year, day.month) != month:
            lines.extend(_assertions(month, used, balances, names, units))
        month = (day.year, day.month)
        unit = commodities[accounts[transfer.debit].scheme]
        narration = transfer.memo or transfer.reference
        lines.append(f"{day.isoformat()} * {_quote(transfer.kind.value)} {_quote(narration)}")
        lines.append(f"  id: {_quote(transfer.id)}")
        lines.append(f"  {names[transfer.debit]}  -{transfer.amount} {unit}")
        lines.append(f"  {names[transfer.credit]}  {transfer.amount} {unit}")
        balances[transfer.debit] -= transfer.amount
        balances[transfer.credit] += transfer.amount
        used.update((transfer.debit, transfer.credit))
    if month is not None:
        lines.extend(_assertions(month, used, balances, names, units))
    return "\n".join(lines) + "\n"


def _assertions(
    month: tuple[int, int],
    used: set[str],
    balances: dict[str, int],
    names: dict[str, str],
    units: dict[str, str],
) -> list[str]:
    year, number = month
    after = pendulum.date(year + number // 12, number % 12 + 1, 1).isoformat()
    return [
        f"{after} balance {names[account]}  {balances[account]} {units[account]}"
        for account in sorted(used)
    ]


def to_csv(ledger: PointsLedger) -> str:
    """Return the ledger's transfers as CSV text, a header line first (see `CSV_COLUMNS`).

    Examples:
        >>> print(to_csv(PointsLedger()).strip())
        id,kind,at,debit,credit,amount,reference,memo,reverses
    """
    if not isinstance(ledger, PointsLedger):
        raise TypeError(f"to_csv takes a PointsLedger, not {type(ledger).__name__}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in ledger.journal:
        t = entry.record
        if isinstance(t, Transfer):
            writer.writerow(
                (
                    t.id,
                    t.kind.value,
                    t.at.isoformat(),
                    t.debit,
                    t.credit,
                    t.amount,
                    t.reference,
                    t.memo,
                    t.reverses or "",
                )
            )
    return out.getvalue()
