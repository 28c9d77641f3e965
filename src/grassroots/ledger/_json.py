"""The ledger's JSON hooks for the one converter (private).

A ledger travels as its journal and head. Format 2 (what ``dumps`` writes) keeps
a transfer as one string, its canonical text in the form ``_codec.wire_text``
gives it, and a record (scheme, account, closure, rate) as an object; format 1
(every entry an object with its digests, no ``format`` key) is still read. Both
are read strictly: every field is checked, every entry replayed, and the chain
must end at the recorded head.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import re
from typing import Any, Final, TypeAlias

import cattrs
import pendulum
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)

from grassroots import _validators, _wire
from grassroots.errors import GrassrootsError, InvalidValue, JournalCorrupted
from grassroots.ledger._aggregate import PointsLedger, Read
from grassroots.ledger._checks import _invalid
from grassroots.ledger._codec import (
    _DECIMAL,
    _DIGEST_SIZE,
    WIRE_SEPARATOR,
    kept_text,
    wire_text,
)
from grassroots.ledger._flows import _KINDS
from grassroots.ledger._instants import MAX_INSTANT, MIN_INSTANT, Reader, Zone
from grassroots.ledger._journal import JournalEntry
from grassroots.ledger._rules import TIME_RANGE_RULE
from grassroots.ledger._values import (
    _RECORD_TAGS,
    MAX_TRANSFER_POINTS,
    Record,
    Transfer,
    TransferKind,
)

FORMAT: Final = 2

"""The version of the ledger's JSON form that ``dumps`` writes."""

_FORMAT_2_KEYS: Final = frozenset({"digests", "format", "head", "journal", "zones"})

_MAX_ID: Final = _validators.MAX_ID_LENGTH

_MAX_TEXT: Final = _validators.MAX_TEXT_LENGTH

_REVERSE: Final = TransferKind.REVERSE

_OFFSET: Final = re.compile(r"([+-])([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")

# --- zones ---------------------------------------------------------------------------------


def zone_name(tz: _dt.tzinfo) -> str | None:
    """Return how format 2 names a zone: an IANA name, or a fixed offset such as ``+08:00``.

    None for a zone it cannot name (a ``tzinfo`` of another kind); such a
    ledger is written in format 1, which writes every time with its offset.
    """
    if isinstance(tz, pendulum.FixedTimezone) or type(tz) is _dt.timezone:
        return _offset_text(tz.utcoffset(None))
    key = getattr(tz, "key", None)
    return key if type(key) is str else None


def _offset_text(offset: _dt.timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, second = divmod(rest, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    return f"{text}:{second:02d}" if second else text


def _zone(name: object) -> _dt.tzinfo:
    """Return the zone a format-2 zone name stands for, refusing any other value."""
    if type(name) is not str:
        raise TypeError(f"a zone is an IANA name or an offset such as '+08:00', not {name!r}")
    match = _OFFSET.fullmatch(name)
    if match is not None:
        sign, hours, minutes, seconds = match.groups()
        total = int(hours) * 3600 + int(minutes) * 60 + int(seconds or 0)
        zone = pendulum.FixedTimezone(-total if sign == "-" else total)
        if total >= 86_400 or zone_name(zone) != name:
            raise _invalid(f"zone {name!r} is not an offset in canonical form")
        return zone
    if name.startswith(("+", "-")) or not name.isprintable():
        raise _invalid(f"zone {name!r} is not an offset in canonical form")
    try:
        named = pendulum.timezone(name)
    except Exception as exc:
        raise _invalid(f"zone {name!r} is not a time zone of the zone database") from exc
    if zone_name(named) != name:
        raise _invalid(f"zone {name!r} is not a time zone of the zone database")
    return named


# --- writing -------------------------------------------------------------------------------


def _dump(ledger: PointsLedger, unstructure_record: Any) -> dict[str, Any] | None:
    """Return the format-2 form of a ledger, or None if one of its zones has no name."""
    names: list[str] = []
    index: dict[str, int] = {}
    wire_zone: list[int] = []  # the ledger's zone index -> the index in ``names``
    for tz in ledger._zone_list:
        name = zone_name(tz)
        if name is None:
            return None
        wire_zone.append(index.setdefault(name, len(names)))
        if len(names) < len(index):
            names.append(name)
    journal: list[object] = []
    append = journal.append
    first = f"{wire_zone[0]}" if wire_zone else "0"
    for kept, zone in ledger._rows.kept_zoned():
        if type(kept) is str:
            append(wire_text(kept, wire_zone[zone] if zone else first))  # type: ignore[arg-type]
        else:
            append(unstructure_record(kept[1]))
    return {
        "digests": base64.b64encode(ledger._digests).decode("ascii"),
        "format": FORMAT,
        "head": ledger.head,
        "journal": journal,
        "zones": names,
    }


# --- reading -------------------------------------------------------------------------------


def _with_note(exc: Exception, note: Any) -> Exception:
    exc.__notes__ = [*getattr(exc, "__notes__", []), note]
    return exc


def _at(field: str, exc: Exception, index: int | None = None) -> ClassValidationError:
    """Return ``exc`` as the error of the ledger's ``field`` (its item ``index``), with its path."""
    if index is not None:
        exc = IterableValidationError(
            f"While structuring {field}",
            [_with_note(exc, IterableValidationNote(f"Structuring @ index {index}", index, Any))],
            list,
        )
    _with_note(exc, AttributeValidationNote(f"Structuring PointsLedger @ {field}", field, Any))
    return ClassValidationError("While structuring PointsLedger", [exc], PointsLedger)


Posting: TypeAlias = tuple[
    Transfer | None,
    str,
    str,
    str,
    int,
    TransferKind,
    "pendulum.DateTime | None",
    str,
    str,
    "str | None",
    Read,
]

"""The arguments of ``PointsLedger._post`` for a transfer read from its stored text."""


def _load(data: dict[str, Any], conv: cattrs.Converter) -> PointsLedger:
    """Read the format-2 form of a ledger, checking every field and replaying every entry.

    When ``loads`` parsed ``data`` itself (nobody else holds it), each journal
    item is released once it is read, so that the parsed strings do not sit
    beside the ledger built from them: loading a large journal then needs
    little more memory than the ledger it gives.
    """
    head, journal, names = _parts(data)
    recorded = _digests(data["digests"])
    ledger = PointsLedger()
    zones = _read_zones(ledger, names)
    zone_fields = {str(number): number for number in range(len(names))}
    release = _wire.owned(data)
    for position, item in enumerate(journal):
        if release:
            journal[position] = None
        if type(item) is str:
            try:
                fields, zone = _transfer(item, zone_fields, zones)
            except (TypeError, ValueError) as exc:
                raise _at("journal", exc, position) from None
            _replay(ledger, position, recorded, ledger._post, *fields)
            if ledger._rows.raw(position) != kept_text(item, zone, position):
                raise JournalCorrupted(
                    f"journal entry {position} says it drew other lots than replaying it draws",
                    value=position,
                    rule="points rule 1: each debit says which lots it drew",
                )
        elif type(item) is not dict:
            problem = TypeError(
                "a journal entry is a transfer's text or a record's object,"
                f" not {type(item).__name__}"
            )
            raise _at("journal", problem, position)
        else:
            try:
                record: Record = conv.structure(item, Record)  # type: ignore[arg-type]
            except (BaseValidationError, TypeError, ValueError) as exc:
                raise _at("journal", exc, position) from None
            _replay(ledger, position, recorded, ledger._apply, record)
    _check_head(ledger, head)
    if len(recorded) != len(ledger._digests):
        raise _at(
            "digests",
            _invalid(
                f"the digests hold {len(recorded)} bytes, not {_DIGEST_SIZE} for each of"
                f" {len(journal)} entries"
            ),
        )
    return ledger


def _parts(data: dict[str, Any]) -> tuple[str, list[object], list[object]]:
    """Return the head, journal and zones of a format-2 ledger, refusing any other shape."""
    extra = set(data) - _FORMAT_2_KEYS
    if extra:
        raise _invalid(f"unknown keys {sorted(extra)} in a points ledger")
    missing = _FORMAT_2_KEYS - set(data)
    if missing:
        raise _invalid(f"a points ledger of format 2 needs {sorted(missing)}")
    head, journal, names = data["head"], data["journal"], data["zones"]
    if type(head) is not str:
        raise _at("head", TypeError(f"the head is a digest in hex, not {head!r}"))
    if type(journal) is not list:
        raise _at("journal", TypeError(f"the journal is a list, not {type(journal).__name__}"))
    if type(names) is not list:
        raise _at("zones", TypeError(f"the zones are a list, not {type(names).__name__}"))
    return head, journal, names


def _read_zones(ledger: PointsLedger, names: list[object]) -> list[Zone]:
    """Enter the listed zones in the new ledger in their order; return each one entered."""
    zones: list[Zone] = []
    seen: set[object] = set()
    for number, name in enumerate(names):
        try:
            tz = _zone(name)
            if name in seen:
                raise _invalid(f"zone {name!r} is listed twice")
        except (TypeError, ValueError) as exc:
            raise _at("zones", exc, number) from None
        seen.add(name)
        zones.append(ledger._zone(tz))  # the zones in their order, so each keeps its index
    return zones


def _replay(
    ledger: PointsLedger, position: int, recorded: bytes, action: Any, *arguments: object
) -> None:
    """Apply one entry as ``action(*arguments)``; it must be new and match its recorded digest."""
    try:
        action(*arguments)
    except GrassrootsError as exc:
        raise JournalCorrupted(
            f"journal entry {position} cannot be applied: {exc}",
            value=position,
            rule="journal: every entry is valid when replayed",
        ) from exc
    if len(ledger._rows) != position + 1:
        raise JournalCorrupted(
            f"journal entry {position} repeats an earlier record",
            value=position,
            rule="journal: every entry records something new",
        )
    if not recorded.startswith(ledger._head, position * _DIGEST_SIZE):
        raise JournalCorrupted(
            f"journal entry {position} does not match its digest",
            value=position,
            rule="journal: hash chain",
        )


def _digests(text: object) -> bytes:
    """Return the recorded digests: 32 bytes an entry, in canonical base64."""
    if type(text) is not str:
        raise _at("digests", TypeError(f"the digests are base64 text, not {type(text).__name__}"))
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _at("digests", _invalid(f"the digests are not base64: {exc}")) from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise _at("digests", _invalid("the digests are not base64 in canonical form"))
    return raw


def _check_head(ledger: PointsLedger, head: object) -> None:
    if ledger.head != head:
        raise JournalCorrupted(
            f"the journal ends at digest {ledger.head[:12]}…, not at the recorded head"
            f" {str(head)[:12]}…: entries are missing or added",
            value=len(ledger),
            rule="journal: hash chain",
        )


def _transfer(item: str, zone_fields: dict[str, int], zones: list[Zone]) -> tuple[Posting, str]:
    """Return what posting the transfer a format-2 string describes takes, and its zone field.

    Every field is checked: the ids and texts by their rules, the amount and
    the instant as canonical decimal integers in range, the zone by its index.
    A field that plainly keeps its rule is taken as it is; any other goes
    through the checked constructor of [`Transfer`][grassroots.ledger.Transfer],
    which refuses it with its own error. The debit and credit need no check of
    their own: posting finds them among the ledger's accounts, whose ids were
    checked when they were opened, or refuses the transfer. The draws are
    checked after posting: the text the ledger records must be the one given.

    The plain case builds neither a ``Transfer`` nor its time: posting takes
    the checked fields and the instant with its zone (``PointsLedger._post``'s
    arguments, in order), and builds the time only if it needs it.
    """
    if "\0" in item:
        raise _invalid("a transfer's text holds a NUL character", item[:60])
    fields = item.split(WIRE_SEPARATOR)
    if len(fields) < 10 or len(fields) % 2:
        raise _invalid(
            f"a transfer has ten fields and then pairs of lot and points, not {len(fields)} fields",
            item[:60],
        )
    (
        zone_field,
        tid,
        debit,
        credit,
        amount_field,
        kind_field,
        key_field,
        reference,
        memo,
        reverses_field,
    ) = fields[:10]
    zone = zone_fields.get(zone_field)
    if zone is None:
        raise _invalid(f"zone {zone_field!r} is not the index of a listed zone", zone_field)
    kind = _KINDS.get(kind_field)
    amount = _SMALL_AMOUNTS.get(amount_field)
    if amount is None:
        amount = _decimal(amount_field, "amount")
    key = _decimal(key_field, "instant")
    if not MIN_INSTANT <= key <= MAX_INSTANT:
        raise InvalidValue(
            f"instant {key} is outside the times the ledger records",
            value=key,
            limit=(MIN_INSTANT, MAX_INSTANT),
            rule=TIME_RANGE_RULE,
        )
    read = (key, zones[zone])
    reverses = reverses_field or None
    if (
        kind is not None
        and 0 < amount <= MAX_TRANSFER_POINTS
        and debit != credit
        and (kind is _REVERSE) == (reverses is not None)
        and 0 < len(tid) <= _MAX_ID
        and tid.isprintable()
        and tid.strip() == tid
        and (reverses is None or _plain_id(reverses))
        and (not reference or (len(reference) <= _MAX_TEXT and reference.isprintable()))
        and (not memo or (len(memo) <= _MAX_TEXT and memo.isprintable()))
    ):
        transfer, at = None, None  # the plain case: neither a Transfer nor its time is built
    else:  # the checked constructor refuses what breaks a rule, with its own error
        transfer = Transfer(
            id=tid,
            debit=debit,
            credit=credit,
            amount=amount,
            kind=kind_field,
            at=Reader(zones[zone].tz).datetime(key),
            reference=reference,
            memo=memo,
            reverses=reverses,
        )
        kind, at = transfer.kind, transfer.at
    posting = (transfer, tid, debit, credit, amount, kind, at, reference, memo, reverses, read)
    return posting, zone_field


def _plain_id(value: str) -> bool:
    return 0 < len(value) <= _MAX_ID and value.isprintable() and value.strip() == value


_MAX_DIGITS: Final = 40  # far more than any amount or instant the ledger records

# The canonical text of each amount below 1,000 (the codec's ``_DECIMAL``), and its value:
# one lookup reads the usual amount, and only a text found here is taken without checks.
_SMALL_AMOUNTS: Final = {text: number for number, text in enumerate(_DECIMAL) if number}


def _decimal(field: str, name: str) -> int:
    """Return ``field`` as an integer if it is one in canonical decimal, else refuse it.

    Canonical: ASCII digits with an optional leading ``-``, no leading zero but
    in ``0`` itself, no ``-0``, no sign ``+``, spaces or underscores (which
    ``int`` would accept), at most ``_MAX_DIGITS`` digits.
    """
    if field.isdigit() and field.isascii() and len(field) <= _MAX_DIGITS and field[0] != "0":
        return int(field)  # the usual case, a positive number
    digits = field[1:] if field[:1] == "-" else field
    if (
        digits.isascii()
        and digits.isdigit()
        and len(digits) <= _MAX_DIGITS
        and (digits[0] != "0" or field == "0")
    ):
        return int(field)
    raise _invalid(
        f"{name} {field[:40]!r} is not an integer in canonical decimal of at most"
        f" {_MAX_DIGITS} digits",
        field[:40],
    )


# --- the hooks -----------------------------------------------------------------------------


def _configure_converter(conv: cattrs.Converter) -> None:
    """Register the ledger's hooks: the tagged union of records and the ledger itself."""
    from cattrs.gen import make_dict_unstructure_fn
    from cattrs.strategies import configure_tagged_union

    configure_tagged_union(
        Record, conv, tag_generator=lambda cls: _RECORD_TAGS[cls], tag_name="type"
    )
    unstructure_entry = make_dict_unstructure_fn(JournalEntry, conv)

    def unstructure_record(record: Record) -> Any:
        return conv.unstructure(record, Record)

    def unstructure_ledger(ledger: PointsLedger) -> dict[str, Any]:
        compact = _dump(ledger, unstructure_record)
        if compact is not None:
            return compact
        return {  # format 1: a zone format 2 cannot name
            "head": ledger.head,
            "journal": [unstructure_entry(entry) for entry in ledger.journal],
        }

    def structure_ledger(data: object, _cls: type) -> PointsLedger:
        if not isinstance(data, dict):
            raise TypeError(f"a points ledger must be an object, not {type(data).__name__}")
        if "format" in data:
            if type(data["format"]) is not int or data["format"] != FORMAT:
                raise _at("format", _invalid(f"format {data['format']!r} is not {FORMAT}"))
            return _load(data, conv)
        return _load_format_1(data, conv)

    conv.register_unstructure_hook(PointsLedger, unstructure_ledger)
    conv.register_structure_hook(PointsLedger, structure_ledger)


def _load_format_1(data: dict[str, Any], conv: cattrs.Converter) -> PointsLedger:
    """Read format 1: every entry an object with its record, draws and digests."""
    extra = set(data) - {"head", "journal"}
    if extra:
        raise _invalid(f"unknown keys {sorted(extra)} in a points ledger")
    if "journal" not in data or "head" not in data:
        raise _invalid("a points ledger needs its journal and head")
    try:
        entries = conv.structure(data["journal"], list[JournalEntry])
    except BaseValidationError as exc:
        raise ClassValidationError(
            "While structuring PointsLedger", [_at_journal(exc)], PointsLedger
        ) from None
    ledger = PointsLedger.replay(entries)
    _check_head(ledger, data["head"])
    return ledger


def _at_journal(exc: BaseValidationError) -> BaseValidationError:
    exc.__notes__ = [
        *getattr(exc, "__notes__", []),
        AttributeValidationNote(
            "Structuring class PointsLedger @ attribute journal", "journal", list[JournalEntry]
        ),
    ]
    return exc
