from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The storage tests and the writer processes they start share one helper module.
sys.path.insert(0, str(Path(__file__).parent))

from _storage_helpers import DSN_VARIABLE, Backend, postgres_dsn

ALL = ("memory", "sqlite", "postgres", "postgres-partitioned")
SQL = ("sqlite", "postgres", "postgres-partitioned")
SERVERS = ("sqlite", "postgres")


def _backend(kind: str, tmp_path: Path) -> Iterator[Backend]:
    dsn = None
    if kind.startswith("postgres"):
        dsn = postgres_dsn()
        if dsn is None:
            pytest.skip(f"no PostgreSQL server reachable at ${DSN_VARIABLE}")
    backend = Backend(kind, tmp_path, dsn)
    try:
        yield backend
    finally:
        backend.cleanup()


@pytest.fixture(params=ALL)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Every backend: memory, SQLite, PostgreSQL and PostgreSQL partitioned by county."""
    yield from _backend(request.param, tmp_path)


@pytest.fixture(params=SQL)
def sql_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """The backends with SQL behind them, which can be edited behind the library's back."""
    yield from _backend(request.param, tmp_path)


@pytest.fixture(params=SERVERS)
def durable_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """SQLite and PostgreSQL: the backends other processes can share."""
    yield from _backend(request.param, tmp_path)
