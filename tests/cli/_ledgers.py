"""A small Tancheng virtue-points ledger: 20 points earned by 王, 5 redeemed at the store."""

from __future__ import annotations

from pathlib import Path

import pendulum

from grassroots.ledger import Account, AccountKind, PointsLedger, Scheme, Transfer, TransferKind
from grassroots.serialization import dumps
from grassroots.storage import Stream
from grassroots.storage.sqlite import SqliteStore

STREAM = Stream(county="郯城县", community="郯城街道", name="virtue")


def virtue_ledger() -> PointsLedger:
    at = pendulum.datetime(2025, 3, 1, 9, tz="Asia/Shanghai")
    ledger = PointsLedger()
    ledger.add_scheme(Scheme(code="virtue", name="美德积分"))
    for account_id, kind in [
        ("virtue:issuer", AccountKind.ISSUER),
        ("virtue:wang", AccountKind.WALLET),
        ("virtue:store", AccountKind.MERCHANT),
    ]:
        ledger.open_account(Account(id=account_id, scheme="virtue", kind=kind))
    ledger.post(
        Transfer(
            id="earn-1",
            debit="virtue:issuer",
            credit="virtue:wang",
            amount=20,
            kind=TransferKind.EARN,
            at=at,
        )
    )
    ledger.post(
        Transfer(
            id="buy-1",
            debit="virtue:wang",
            credit="virtue:store",
            amount=5,
            kind=TransferKind.REDEEM,
            at=at.add(hours=2),
        )
    )
    return ledger


def write_file(path: Path) -> PointsLedger:
    ledger = virtue_ledger()
    path.write_text(dumps(ledger, indent=2), encoding="utf-8")
    return ledger


def write_db(path: Path) -> PointsLedger:
    ledger = virtue_ledger()
    with SqliteStore(path) as store:
        store.append(STREAM, ledger.journal, expected_head=store.head(STREAM))
    return ledger
