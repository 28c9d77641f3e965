"""How one journal entry becomes a stored row and back (private).

This is the only place that knows the row layout of a journal entry, so that
it can be switched to another encoding in one change. A row is
``(position, kind, body, previous, digest)``: ``kind`` is the record's tag
(``"transfer"``, ``"scheme"``, ``"account"``, ``"closure"``, ``"rate"``),
``body`` the JSON text of the record and its lot draws as the library's one
converter writes it, and ``previous`` and ``digest`` the entry's place in the
hash chain, in hex.
"""

from __future__ import annotations

import json
from typing import Any, Final, TypeAlias

from grassroots import serialization
from grassroots.errors import CorruptRow, GrassrootsError
from grassroots.ledger import JournalEntry, Transfer

Row: TypeAlias = tuple[int, str, str, str, str]
"""A stored journal entry: (position, kind, body, previous, digest)."""

ROW_FORMAT: Final = 1
"""The version of the row layout that `entry_to_row` writes."""

_unstructure = serialization.converter.unstructure
_structure = serialization.structure


_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def entry_to_row(entry: JournalEntry) -> Row:
    """Return the stored row of a journal entry.

    A transfer, nearly every entry, is written out field by field: the same
    JSON the converter writes, without its generic dispatch.
    """
    record = entry.record
    if type(record) is Transfer:
        body: dict[str, Any] = {
            "record": {
                "amount": record.amount,
                "at": record.at.isoformat(),
                "credit": record.credit,
                "debit": record.debit,
                "id": record.id,
                "kind": record.kind.value,
                "memo": record.memo,
                "reference": record.reference,
                "reverses": record.reverses,
                "type": "transfer",
            },
            "draws": [{"lot": draw.lot, "points": draw.points} for draw in entry.draws],
        }
    else:
        data = _unstructure(entry)
        body = {"record": data["record"], "draws": data["draws"]}
    kind: str = body["record"]["type"]
    return (entry.position, kind, _dumps(body), entry.previous, entry.digest)


def _body(body: object, kind: object) -> dict[str, Any]:
    if not isinstance(body, str):
        raise TypeError(f"the body is a {type(body).__name__}, not text")
    data = json.loads(body)
    if not isinstance(data, dict) or not isinstance(data.get("record"), dict):
        raise TypeError("the body is not an object with a record")
    if data["record"].get("type") != kind:
        raise ValueError(f"the row says {kind!r}, its record {data['record'].get('type')!r}")
    return data


def row_to_entry(row: tuple[Any, ...], stream: str) -> JournalEntry:
    """Return the journal entry a stored row holds.

    Raises:
        CorruptRow: the row does not read back as a journal entry; the error
            names ``stream`` and the row's position, the cause says why.
    """
    position, kind, body, previous, digest = row
    try:
        data = _body(body, kind)
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
