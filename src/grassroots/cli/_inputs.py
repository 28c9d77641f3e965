"""Reading the command's inputs through the library's public API (no click, no rich)."""

from __future__ import annotations

import json
from pathlib import Path

import attrs

from grassroots.allocation import AllocationPolicy, PeriodFigures, ProfitAllocation
from grassroots.audit import Finding
from grassroots.errors import GrassrootsError, JournalCorrupted, SerializationError, StorageError
from grassroots.ledger import JournalEntry, PointsLedger, verify_journal
from grassroots.serialization import loads
from grassroots.storage import Stream
from grassroots.storage._base import BaseStore
from grassroots.storage.sqlite import SqliteStore
from grassroots.venture import JointVenture


@attrs.frozen(kw_only=True)
class AllocationInput:
    """The JSON an ``allocate`` file holds: a venture, its figures and a policy."""

    venture: JointVenture
    figures: tuple[PeriodFigures, ...]
    policy: AllocationPolicy = attrs.field(factory=AllocationPolicy)


@attrs.frozen(kw_only=True)
class LedgerFile:
    """A points ledger as [`dumps`][grassroots.serialization.dumps] writes it."""

    head: str
    journal: tuple[JournalEntry, ...]


def read_allocation(text: str) -> ProfitAllocation:
    """Return the allocation the JSON ``text`` describes.

    Raises:
        SerializationError: the text is not a valid allocation input.
        AllocationError: a rule of the allocation refuses the figures.
    """
    given = loads(text, AllocationInput)
    return ProfitAllocation(venture=given.venture, figures=given.figures, policy=given.policy)


def _chain_finding(exc: GrassrootsError) -> Finding:
    return Finding(
        rule=exc.rule or "journal: hash chain",
        subject=f"entry {exc.value}",
        message=str(exc),
        code=exc.code,
    )


def verify_ledger(text: str) -> tuple[int, str, tuple[Finding, ...]]:
    """Check a ledger file: its chain, its replay, its recorded head and its audit.

    Returns:
        The number of entries, the head digest computed and every finding (the
        first problem first; none when the ledger is sound).

    Raises:
        SerializationError: the text is not a ledger file.
    """
    compact = _format_2(text)
    if compact is not None:
        return _verify_format_2(text, compact)
    given = loads(text, LedgerFile)
    entries = given.journal
    try:
        head = verify_journal(entries)
        ledger = PointsLedger.replay(entries)
    except GrassrootsError as exc:
        return len(entries), "", (_chain_finding(exc),)
    if head != given.head:
        return (
            len(entries),
            head,
            (
                Finding(
                    rule="journal: hash chain",
                    subject="head",
                    message=f"the journal ends at digest {head[:12]}…, not at the recorded"
                    f" head {given.head[:12]}…: entries are missing or added",
                ),
            ),
        )
    return len(entries), head, ledger.audit()


def _format_2(text: str) -> dict[str, object] | None:
    """Return the parsed ledger file if it is in the compact form (it has a ``format``)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None  # the checked reading below says what is wrong
    return data if isinstance(data, dict) and "format" in data else None


def _verify_format_2(text: str, data: dict[str, object]) -> tuple[int, str, tuple[Finding, ...]]:
    """Check a ledger file in the compact form: loading it replays and checks every entry."""
    try:
        ledger = loads(text, PointsLedger)
    except SerializationError as exc:
        cause = exc.__cause__
        if not isinstance(cause, JournalCorrupted):
            raise
        journal = data.get("journal")
        return len(journal) if isinstance(journal, list) else 0, "", (_chain_finding(cause),)
    return len(ledger), ledger.head, ledger.audit()


def read_ledger(text: str) -> PointsLedger:
    """Return the ledger a JSON file holds, replayed and checked.

    Raises:
        SerializationError: the text is not a valid ledger.
    """
    return loads(text, PointsLedger)


class BadInput(Exception):
    """Raised when a file cannot be read; its message says which and why."""


def read_text(path: Path) -> str:
    """Return the UTF-8 text of ``path``.

    Raises:
        BadInput: the file is missing, unreadable or not UTF-8.
    """
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BadInput(f"cannot read {path}: {reason}") from exc


URL_PREFIXES = ("postgresql://", "postgres://")
"""The prefixes that make ``--db`` a PostgreSQL URL rather than a SQLite file."""


def check_db(db: str) -> None:
    """Refuse a ``--db`` to read that is neither a PostgreSQL URL nor an existing file.

    Raises:
        BadInput: a SQLite file that does not exist.
    """
    if not db.startswith(URL_PREFIXES) and not Path(db).is_file():
        raise BadInput(f"cannot read {db}: no such database file")


def open_store(db: str, *, create: bool = False) -> BaseStore:
    """Return the store ``--db`` names: PostgreSQL for a URL, else a SQLite file.

    Args:
        db: A ``postgresql://`` URL or the path of a SQLite file.
        create: Whether a missing SQLite file is created (by ``simulate``);
            the commands that read refuse it, and create nothing.

    Raises:
        BadInput: a missing file to read, or a directory to write.
    """
    if db.startswith(URL_PREFIXES):
        from grassroots.storage.postgres import PostgresStore

        return PostgresStore.connect(db)
    path = Path(db)
    if not create:
        check_db(db)
    elif path.is_dir():
        raise BadInput(f"--db {db} is a directory, not a database file")
    return SqliteStore(path)


def _open(db: Path) -> BaseStore:
    return open_store(str(db))


def stored_findings(
    db: Path, stream: tuple[str, str, str]
) -> tuple[str, int, str, tuple[Finding, ...]]:
    """Check a stored stream: its hash chain, then the audit of its rebuilt ledger.

    Returns:
        Where it was found, the number of entries, the head and every finding.
    """
    where = Stream(county=stream[0], community=stream[1], name=stream[2])
    store = _open(db)
    with store:
        try:
            head = store.verify(where)
            ledger = store.load_ledger(where, snapshot=False)
        except StorageError:
            raise
        except GrassrootsError as exc:
            return f"{db} {where}", 0, "", (_chain_finding(exc),)
        return f"{db} {where}", len(ledger.journal), head, ledger.audit()


def stored_ledger(db: Path, stream: tuple[str, str, str]) -> PointsLedger:
    """Return the ledger of a stored stream, rebuilt from its journal."""
    where = Stream(county=stream[0], community=stream[1], name=stream[2])
    store = _open(db)
    with store:
        return store.load_ledger(where, snapshot=False)
