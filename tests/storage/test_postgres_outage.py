"""The server going away mid-batch: nothing acknowledged is lost, the next call reconnects."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from _storage_helpers import DSN_VARIABLE, STREAM, Backend, earn, new_ledger, postgres_dsn

from grassroots.errors import StorageError, StorageUnavailable
from grassroots.ledger import GENESIS
from grassroots.storage.postgres import PostgresStore


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    dsn = postgres_dsn()
    if dsn is None:
        pytest.skip(f"no PostgreSQL server reachable at ${DSN_VARIABLE}")
    backend = Backend("postgres", tmp_path, dsn)
    yield backend
    backend.cleanup()


def test_backend_killed_mid_batch(backend: Backend) -> None:
    """pg_terminate_backend during an append raises StorageUnavailable and loses only that batch."""
    import psycopg

    store = backend.open()
    assert isinstance(store, PostgresStore)
    ledger = new_ledger()
    ledger.post_batch(earn(f"e{n}", "wang", 2, n) for n in range(10))
    acknowledged = store.append(STREAM, ledger.journal, expected_head=GENESIS)
    start = len(ledger)
    ledger.post_batch(earn(f"late{n}", "li", 3, 100 + n) for n in range(500))
    assert store._db is not None
    victim = store._db.info.backend_pid
    assert backend.dsn is not None
    with psycopg.connect(backend.dsn) as blocker:
        blocker.execute(f'SET search_path TO "{backend.schema}"')
        blocker.execute("SELECT * FROM heads FOR UPDATE")  # the append will wait for this lock
        errors: list[BaseException] = []

        def append() -> None:
            try:
                store.append(STREAM, ledger.journal[start:], expected_head=acknowledged)
            except BaseException as exc:  # noqa: BLE001 - handed to the test thread
                errors.append(exc)

        writer = threading.Thread(target=append)
        writer.start()
        with psycopg.connect(backend.dsn, autocommit=True) as admin:
            for _ in range(200):
                waiting = admin.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (victim,)
                ).fetchone()
                if waiting and waiting[0] == "Lock":
                    break
                threading.Event().wait(0.02)
            admin.execute("SELECT pg_terminate_backend(%s)", (victim,))
        writer.join(timeout=30)
        blocker.rollback()
    assert len(errors) == 1
    assert isinstance(errors[0], StorageUnavailable)
    assert isinstance(errors[0].__cause__, psycopg.Error)
    # The next call reconnects; everything acknowledged is there, nothing of the lost batch.
    assert store.head(STREAM) == acknowledged
    assert len(store.load_ledger(STREAM)) == start
    assert store.append(STREAM, ledger.journal[start:], expected_head=acknowledged) == ledger.head
    assert backend.open().load_ledger(STREAM) == ledger


def test_unreachable_server_is_storage_unavailable() -> None:
    """A server that does not answer raises StorageUnavailable caused by psycopg's error."""
    with pytest.raises(StorageUnavailable) as caught:
        PostgresStore.connect("postgresql://nobody@127.0.0.1:1/none", connect_timeout=2)
    assert isinstance(caught.value, StorageError)
    assert caught.value.__cause__ is not None
