"""Ledgers and backends shared by the storage tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pendulum

from grassroots.ledger import Account, AccountKind, PointsLedger, Scheme, Transfer, TransferKind
from grassroots.storage import Stream
from grassroots.storage._base import BaseStore

DSN_VARIABLE = "GRASSROOTS_TEST_POSTGRES_DSN"
STREAM = Stream(county="郯城县", community="郯城街道", name="virtue")
START = pendulum.datetime(2025, 3, 1, 9, tz="Asia/Shanghai")
WALLETS = ("wang", "li", "zhang")


def new_ledger(wallets: Sequence[str] = WALLETS) -> PointsLedger:
    """Return a ledger with the virtue scheme, its issuer, a canteen and ``wallets``."""
    ledger = PointsLedger()
    ledger.add_scheme(Scheme(code="virtue", name="美德积分"))
    ledger.open_account(Account(id="issuer", scheme="virtue", kind=AccountKind.ISSUER))
    ledger.open_account(Account(id="canteen", scheme="virtue", kind=AccountKind.MERCHANT))
    for wallet in wallets:
        ledger.open_account(Account(id=wallet, scheme="virtue", kind=AccountKind.WALLET))
    return ledger


def earn(tid: str, wallet: str, amount: int, minutes: int) -> Transfer:
    """Return an earning of ``amount`` points by ``wallet``, ``minutes`` after START."""
    return Transfer(
        id=tid,
        debit="issuer",
        credit=wallet,
        amount=amount,
        kind=TransferKind.EARN,
        at=START.add(minutes=minutes),
    )


def redeem(tid: str, wallet: str, amount: int, minutes: int) -> Transfer:
    """Return a redemption of ``amount`` points at the canteen by ``wallet``."""
    return Transfer(
        id=tid,
        debit=wallet,
        credit="canteen",
        amount=amount,
        kind=TransferKind.REDEEM,
        at=START.add(minutes=minutes),
    )


def postgres_dsn() -> str | None:
    """Return the test server's DSN, or None when it is not set or not reachable."""
    dsn = os.environ.get(DSN_VARIABLE)
    if not dsn:
        return None
    import psycopg

    try:
        psycopg.connect(dsn, connect_timeout=3).close()
    except psycopg.Error:
        return None
    return dsn


class Backend:
    """One place to keep data: opens stores on it and runs raw SQL on it."""

    def __init__(self, kind: str, tmp: Path, dsn: str | None) -> None:
        self.kind = kind
        self.path = tmp / "store.db"
        self.dsn = dsn
        self.schema = f"t_{uuid.uuid4().hex[:16]}"
        self.partitions = 4 if kind == "postgres-partitioned" else 0
        self._memory: BaseStore | None = None
        self.opened: list[BaseStore] = []

    @property
    def is_sql(self) -> bool:
        return self.kind != "memory"

    def open(self) -> BaseStore:
        """Open a store on this backend (memory: the same store every time)."""
        from grassroots.storage.memory import MemoryStore
        from grassroots.storage.sqlite import SqliteStore

        if self.kind == "memory":
            if self._memory is None:
                self._memory = MemoryStore()
            return self._memory
        if self.kind == "sqlite":
            store: BaseStore = SqliteStore(self.path)
        else:
            from grassroots.storage.postgres import PostgresStore

            assert self.dsn is not None
            store = PostgresStore.connect(self.dsn, schema=self.schema, partitions=self.partitions)
        self.opened.append(store)
        return store

    def spec(self) -> dict[str, Any]:
        """What a child process needs to open a store on this backend."""
        return {
            "kind": self.kind,
            "path": str(self.path),
            "dsn": self.dsn,
            "schema": self.schema,
            "partitions": self.partitions,
        }

    def sql(self, statement: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """Run ``statement`` (``?`` placeholders) behind the library's back."""
        if self.kind == "sqlite":
            import sqlite3

            with sqlite3.connect(self.path) as db:
                return db.execute(statement, parameters).fetchall()
        import psycopg

        assert self.dsn is not None
        with psycopg.connect(self.dsn, autocommit=True) as db:
            db.execute(f'SET search_path TO "{self.schema}"')
            cursor = db.execute(statement.replace("?", "%s"), parameters)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def cleanup(self) -> None:
        for store in self.opened:
            store.close()
        if self.kind.startswith("postgres") and self.dsn:
            import psycopg

            with psycopg.connect(self.dsn, autocommit=True) as db:
                db.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')


def open_spec(spec: dict[str, Any]) -> BaseStore:
    """Open a store from ``Backend.spec()`` (in a child process)."""
    from grassroots.storage.sqlite import SqliteStore

    if spec["kind"] == "sqlite":
        return SqliteStore(spec["path"])
    from grassroots.storage.postgres import PostgresStore

    return PostgresStore.connect(spec["dsn"], schema=spec["schema"], partitions=spec["partitions"])
