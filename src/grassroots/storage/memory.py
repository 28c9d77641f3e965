"""A store in the process's memory: the contract of every store, for tests and notebooks.

It keeps the same rows a database would (the journal entries encoded as
stored rows, the records as JSON), so what passes here passes the same way
on SQLite and PostgreSQL. Nothing survives the process.

Examples:
    >>> from grassroots.storage import Stream
    >>> from grassroots.storage.memory import MemoryStore
    >>> from grassroots.ledger import GENESIS
    >>> MemoryStore().head(Stream(county="郯城县", community="郯城街道", name="virtue")) == GENESIS
    True
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

from grassroots.ledger import GENESIS
from grassroots.storage import Stream
from grassroots.storage._base import BaseStore, RecordRow, SnapshotRow, conflict
from grassroots.storage._rows import Row

__all__ = ["MemoryStore"]

_Key = tuple[str, str, str]


class MemoryStore(BaseStore):
    """A store that keeps its rows in dicts of this process; safe across threads."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._journals: dict[_Key, list[Row]] = {}
        self._records: dict[tuple[_Key, str], list[RecordRow]] = {}
        self._snapshots: dict[_Key, dict[int, SnapshotRow]] = {}

    def close(self) -> None:
        """Do nothing: memory needs no releasing."""

    def _stored_head(self, stream: Stream) -> tuple[int, str]:
        with self._lock:
            rows = self._journals.get(stream.key, [])
            return (len(rows), rows[-1][3].hex() if rows else GENESIS)

    def _write_rows(self, stream: Stream, rows: Sequence[Row], expected: str, head: str) -> None:
        with self._lock:
            journal = self._journals.setdefault(stream.key, [])
            current = journal[-1][3].hex() if journal else GENESIS
            if current != expected or rows[0][0] != len(journal):
                raise conflict(stream, expected, current)
            journal.extend(rows)

    def _read_rows(self, stream: Stream, start: int) -> Iterator[tuple[Any, ...]]:
        with self._lock:
            rows = list(self._journals.get(stream.key, [])[start:])
        return iter(rows)

    def _digest_at(self, stream: Stream, position: int) -> str | None:
        with self._lock:
            rows = self._journals.get(stream.key, [])
            return rows[position][3].hex() if 0 <= position < len(rows) else None

    def _write_record(self, stream: Stream, key: str, row: RecordRow) -> None:
        with self._lock:
            revisions = self._records.setdefault((stream.key, key), [])
            if row[0] != len(revisions) + 1:
                raise conflict(stream, f"revision {row[0] - 1}", f"revision {len(revisions)}")
            revisions.append(row)

    def _read_records(self, stream: Stream, key: str) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._records.get((stream.key, key), []))

    def _write_snapshot(self, stream: Stream, row: SnapshotRow) -> None:
        with self._lock:
            self._snapshots.setdefault(stream.key, {})[row[0]] = row

    def _latest_snapshot(self, stream: Stream) -> tuple[Any, ...] | None:
        with self._lock:
            snapshots = self._snapshots.get(stream.key)
            return snapshots[max(snapshots)] if snapshots else None
