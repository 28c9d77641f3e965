"""How one journal entry becomes a stored row and back (private).

A row of schema version 3 is ``(position, body, zone, digest)``: ``body`` the
UTF-8 bytes of the entry's canonical text, exactly what the ledger keeps and
hashes (the ledger's codec), ``zone`` the name of the time zone its time was
written in (the text holds the instant only; empty for a scheme or an
account), and ``digest`` the 32 bytes of its hash. The digest of a row is
the hash of the digest before it followed by its body, so a stored journal
verifies without decoding a row.

Rows of schema version 2 and older held the converter's JSON of the entry;
`legacy_entry` still reads them, to migrate them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, Final, TypeAlias

import pendulum

from grassroots import serialization
from grassroots.errors import CorruptRow, GrassrootsError
from grassroots.ledger import Draw, JournalEntry, Transfer
from grassroots.ledger._codec import _hash
from grassroots.ledger._snapshot import entry_text, record_of

Row: TypeAlias = tuple[int, bytes, str, bytes]
"""A stored journal entry: (position, body, zone, digest)."""

ROW_FORMAT: Final = 3
"""The schema version whose row layout `entry_to_row` writes."""

_structure = serialization.structure


def entry_to_row(entry: JournalEntry, lots: Mapping[str, int], previous: bytes) -> Row:
    """Return the stored row of a journal entry, checking its digest.

    ``lots`` maps the ids of the transfers before it to their positions and
    ``previous`` is the digest before it.

    Raises:
        KeyError: the entry draws from a lot ``lots`` does not have.
        ValueError: the entry's digest is not the hash of ``previous`` and its text.
    """
    text, zone = entry_text(entry, lots)
    body = text.encode()
    digest = _hash(previous + body).digest()
    if digest.hex() != entry.digest:
        raise ValueError(f"entry {entry.position}'s digest is not the hash of its encoding")
    return (entry.position, body, zone, digest)


def _text(body: object, zone: object) -> str:
    if not isinstance(body, bytes | bytearray | memoryview) or not isinstance(zone, str):
        raise TypeError("the body is not bytes or the zone not text")
    return bytes(body).decode()


def row_to_entry(row: tuple[Any, ...], stream: str, lot_ids: Mapping[int, str]) -> JournalEntry:
    """Return the journal entry a stored row holds; ``lot_ids`` gives earlier transfers' ids.

    The ``previous`` of the entry is left as its own digest's predecessor by
    the caller: this returns it with ``previous`` taken from ``row[4]``.

    Raises:
        CorruptRow: the row does not read back as a journal entry; the error
            names ``stream`` and the row's position, the cause says why.
    """
    position, body, zone, digest, previous = row
    try:
        text = _text(body, zone)
        record = record_of(text, zone, position)
        draws = []
        if isinstance(record, Transfer):
            pairs = text.split("\0")[11:]
            draws = [
                Draw(lot=lot_ids[int(pairs[i])], points=int(pairs[i + 1]))
                for i in range(0, len(pairs), 2)
            ]
        return JournalEntry(
            position=position,
            record=record,
            draws=draws,
            previous=previous,
            digest=bytes(digest).hex(),
        )
    except (GrassrootsError, TypeError, ValueError, KeyError, IndexError) as exc:
        raise CorruptRow(
            f"stored journal entry {position} of stream {stream} cannot be read back: {exc}",
            stream=stream,
            position=position if isinstance(position, int) else -1,
            value=body,
            rule="storage: a row reads back as the entry it was written from",
        ) from exc


def _body(body: object, kind: object) -> dict[str, Any]:
    if not isinstance(body, str):
        raise TypeError(f"the body is a {type(body).__name__}, not text")
    data = json.loads(body)
    if not isinstance(data, dict) or not isinstance(data.get("record"), dict):
        raise TypeError("the body is not an object with a record")
    if data["record"].get("type") != kind:
        raise ValueError(f"the row says {kind!r}, its record {data['record'].get('type')!r}")
    return data


_TRANSFER_TEXTS: Final = ("id", "debit", "credit", "kind", "at", "reference", "memo")
_TRANSFER_KEYS: Final = frozenset({*_TRANSFER_TEXTS, "amount", "reverses", "type"})
_DRAW_KEYS: Final = frozenset({"lot", "points"})
_zones: dict[dt.timedelta, dt.tzinfo | None] = {}  # offset -> the zone pendulum.instance gives


def _fast_entry(
    position: object, data: dict[str, Any], previous: object, digest: object
) -> JournalEntry | None:
    """Build a transfer's entry straight from its JSON when every field has its plain type.

    Anything unusual (a missing or extra key, a value of another type) returns
    None, and the caller goes the converter's way, which explains the problem.
    """
    record, draws = data["record"], data.get("draws", [])
    if record.keys() != _TRANSFER_KEYS or type(draws) is not list:
        return None
    if any(type(record[name]) is not str for name in _TRANSFER_TEXTS):
        return None
    amount, reverses = record["amount"], record["reverses"]
    if type(amount) is not int or not (reverses is None or type(reverses) is str):
        return None
    if not all(
        type(d) is dict and d.keys() == _DRAW_KEYS and type(d["points"]) is int for d in draws
    ):
        return None
    at = dt.datetime.fromisoformat(record["at"])
    offset = at.utcoffset()
    if offset is None:
        return None
    zone = _zones.get(offset)
    if zone is None:
        zone = _zones[offset] = pendulum.instance(at).tzinfo
    transfer = Transfer(
        id=record["id"],
        debit=record["debit"],
        credit=record["credit"],
        amount=amount,
        kind=record["kind"],
        # What pendulum.instance(at) returns, without its slow path.
        at=pendulum.DateTime(
            at.year,
            at.month,
            at.day,
            at.hour,
            at.minute,
            at.second,
            at.microsecond,
            tzinfo=zone,
            fold=at.fold,
        ),
        reference=record["reference"],
        memo=record["memo"],
        reverses=reverses,
    )
    return JournalEntry(
        position=position,  # type: ignore[arg-type]  # checked by JournalEntry
        record=transfer,
        draws=[Draw(lot=d["lot"], points=d["points"]) for d in draws],
        previous=previous,  # type: ignore[arg-type]
        digest=digest,  # type: ignore[arg-type]
    )


def legacy_entry(row: tuple[Any, ...], stream: str) -> JournalEntry:
    """Return the journal entry a row of schema version 2 or older holds (for migrating).

    Raises:
        CorruptRow: the row does not read back as a journal entry; the error
            names ``stream`` and the row's position, the cause says why.
    """
    position, kind, body, previous, digest = row
    try:
        data = _body(body, kind)
        fast = _fast_entry(position, data, previous, digest) if kind == "transfer" else None
        if fast is not None:
            return fast
        return _structure(
            {
                "position": position,
                "record": data["record"],
                "draws": data.get("draws", []),
                "previous": previous,
                "digest": digest,
            },
            JournalEntry,
        )
    except (GrassrootsError, TypeError, ValueError, KeyError) as exc:
        raise CorruptRow(
            f"stored journal entry {position} of stream {stream} cannot be read back: {exc}",
            stream=stream,
            position=position if isinstance(position, int) else -1,
            value=body,
            rule="storage: a row reads back as the entry it was written from",
        ) from exc
