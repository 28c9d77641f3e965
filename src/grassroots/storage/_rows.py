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

import datetime as dt
import json
from typing import Any, Final, TypeAlias

import pendulum

from grassroots import serialization
from grassroots.errors import CorruptRow, GrassrootsError
from grassroots.ledger import Draw, JournalEntry, Transfer

Row: TypeAlias = tuple[int, str, str, str, str]
"""A stored journal entry: (position, kind, body, previous, digest)."""

ROW_FORMAT: Final = 1
"""The version of the row layout that `entry_to_row` writes."""

_unstructure = serialization.converter.unstructure
_structure = serialization.structure


_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_quote = json.encoder.encode_basestring  # the C escaper
# The standard library's own isoformat, in C; pendulum's DateTime.isoformat writes the
# same text the slow way. The row test checks that the two agree.
_time = dt.datetime.isoformat


def entry_to_row(entry: JournalEntry) -> Row:
    """Return the stored row of a journal entry.

    A transfer, nearly every entry, is written out field by field: the same
    JSON the converter writes (keys sorted, no spaces), without its generic
    dispatch.
    """
    record = entry.record
    if type(record) is Transfer:
        draws = ",".join(
            f'{{"lot":{_quote(draw.lot)},"points":{draw.points}}}' for draw in entry.draws
        )
        reverses = "null" if record.reverses is None else _quote(record.reverses)
        body = (
            f'{{"draws":[{draws}],"record":{{"amount":{record.amount},"at":"{_time(record.at)}",'
            f'"credit":{_quote(record.credit)},"debit":{_quote(record.debit)},'
            f'"id":{_quote(record.id)},"kind":"{record.kind.value}",'
            f'"memo":{_quote(record.memo)},"reference":{_quote(record.reference)},'
            f'"reverses":{reverses},"type":"transfer"}}}}'
        )
        return (entry.position, "transfer", body, entry.previous, entry.digest)
    data = _unstructure(entry)
    kind: str = data["record"]["type"]
    text = _dumps({"record": data["record"], "draws": data["draws"]})
    return (entry.position, kind, text, entry.previous, entry.digest)


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


def row_to_entry(row: tuple[Any, ...], stream: str) -> JournalEntry:
    """Return the journal entry a stored row holds.

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
