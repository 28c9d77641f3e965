"""The stored forms of a ledger (private): its entries as rows, its projection as a snapshot.

A stored journal entry is the entry's canonical text, exactly as the ledger
keeps and hashes it (the codec, ``_codec``), beside the name of the time zone
its time was written in, which the text leaves out. A snapshot is the ledger's
running projection in a versioned layout that names no Python class; the
storage reference page specifies both.

This module reads the ledger's private state; it changes nothing in the
other modules of the ledger.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import re
import struct
import zoneinfo
from array import array
from collections.abc import Iterator, Mapping
from fractions import Fraction
from itertools import accumulate, pairwise
from typing import Any, Final

import attrs
import pendulum

from grassroots.ledger._aggregate import PointsLedger, _id_index
from grassroots.ledger._codec import (
    _DIGEST_SIZE,
    _GENESIS_BYTES,
    _hash,
    _record_body,
    _transfer_body,
    transfer_text,
)
from grassroots.ledger._expiry import ExpiryPolicy
from grassroots.ledger._instants import (
    EPOCH,
    ONE_MICROSECOND,
    UNREPRESENTABLE,
    Zone,
    to_datetime,
)
from grassroots.ledger._journal import BLOCK, JournalEntry, Rows
from grassroots.ledger._state import POSITIONS_CODE, _AccountState, _SchemeState, balances_code
from grassroots.ledger._values import (
    Account,
    AccountClosure,
    ExchangeRate,
    Record,
    Scheme,
    Transfer,
)

FORMAT: Final = 2
"""The snapshot layout `dump` writes. Format 1 was a pickle of the ledger; it is never read."""

MAGIC: Final = b"grassroots-snapshot\n"
"""The first bytes of every snapshot body."""

# The fields each record's canonical text holds. A field added to a record class and
# not to its text would be lost in storage, so encoding refuses a class that has one.
_RECORD_FIELDS: Final[dict[type, tuple[str, ...]]] = {
    Transfer: ("id", "debit", "credit", "amount", "kind", "at", "reference", "memo", "reverses"),
    Scheme: ("code", "name", "expiry", "allow_resident_transfers"),
    Account: ("id", "scheme", "kind", "owner", "name"),
    AccountClosure: ("account", "at", "memo"),
    ExchangeRate: ("source", "target", "rate", "effective", "reference"),
}

# The ledger state a snapshot holds or rebuilds; any other attribute (the ledger grew
# a new part) makes `dump` refuse and `restore` give up, so nothing is silently lost.
_LEDGER_STATE: Final = frozenset(
    {
        "_rows",
        "_digests",
        "_ids",
        "_schemes",
        "_accounts",
        "_wallets",
        "_head",
        "_last_key",
        "_zones",
        "_zone_list",
        "_last_zone",
        "_snapshot",
        "_open",
        "_reversed",
        "_reversals",
        "_rates",
        "_lot_expiry",
        "_conversion",
        "_owed",
    }
)
_ROWS_STATE: Final = frozenset({"blocks", "readers", "sealed", "tail", "zones"})
"""The journal rows' slots this format knows (``readers`` is a cache, rebuilt on use)."""
_ACCOUNT_STATE: Final = frozenset(
    {
        "account",
        "balance",
        "balances",
        "bounded",
        "closed",
        "code",
        "id",
        "kind",
        "lots",
        "pair",
        "positions",
        "scheme",
    }
)
_SCHEME_STATE: Final = frozenset(
    {"clock", "code", "exchange_account", "expiry_account", "flows", "index", "scheme", "wallets"}
)

# --- time zones ------------------------------------------------------------------------------

_subtract = _dt.datetime.__sub__
# Per zone (by identity, the zone kept so its id is not reused): its cached day, so that
# instants read fast, and its stored name.
_clocks: dict[int, tuple[_dt.tzinfo, Zone, str]] = {}
_OFFSET: Final = re.compile(r"([+-])(\d\d):(\d\d)(?::(\d\d))?")
_names: dict[_dt.tzinfo, str] = {}
_zones: dict[str, _dt.tzinfo] = {}


def _offset_name(offset: _dt.timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02}:{minutes:02}" + (f":{seconds:02}" if seconds else "")


def zone_name(at: _dt.datetime) -> str:
    """Return the name a time's zone is stored under: an IANA name, or a fixed UTC offset."""
    tz = at.tzinfo
    assert tz is not None  # the ledger's times are aware
    name = _names.get(tz)
    if name is not None:
        return name
    if isinstance(tz, zoneinfo.ZoneInfo) and tz.key:
        name = tz.key
    elif isinstance(tz, _dt.timezone | pendulum.FixedTimezone):
        offset = tz.utcoffset(at)
        assert offset is not None
        name = _offset_name(offset)
    else:  # another kind of zone: keep the offset the time was written with
        written = at.utcoffset()
        assert written is not None
        return _offset_name(written)
    _names[tz] = name
    return name


def zone_of(name: str) -> _dt.tzinfo:
    """Return the zone stored under ``name``.

    Raises:
        ValueError: no zone has that name.
    """
    tz = _zones.get(name)
    if tz is not None:
        return tz
    match = _OFFSET.fullmatch(name)
    if match:
        sign, hours, minutes, seconds = match.groups()
        total = int(hours) * 3600 + int(minutes) * 60 + int(seconds or 0)
        if total >= 86_400:
            raise ValueError(f"UTC offset {name!r} is not less than a day")
        tz = pendulum.FixedTimezone(-total if sign == "-" else total)
    else:
        try:
            tz = pendulum.timezone(name)
        except Exception as exc:  # pendulum raises its own errors for unknown names
            raise ValueError(f"{name!r} names no time zone") from exc
    _zones[name] = tz
    return tz


# --- entries as rows -------------------------------------------------------------------------


def _check_fields(cls: type) -> None:
    names = tuple(field.name for field in attrs.fields(cls))
    if sorted(names) != sorted(_RECORD_FIELDS[cls]):
        raise TypeError(
            f"{cls.__name__} has the fields {names}; the stored layout knows {_RECORD_FIELDS[cls]}"
        )


for _cls in _RECORD_FIELDS:
    _check_fields(_cls)


def entry_text(entry: JournalEntry, lots: Mapping[str, int]) -> tuple[str, str]:
    """Return an entry's canonical text and the name of its time's zone ("" if it has none).

    ``lots`` maps the ids of earlier transfers to their positions: a draw is
    encoded as the position of the lot's transfer.

    Raises:
        KeyError: a draw names a lot ``lots`` does not have (its id is the key).
    """
    record = entry.record
    if type(record) is Transfer:
        draws = [(lots[draw.lot], draw.points) for draw in entry.draws]
        return _transfer_body(entry.position, record, draws), zone_name(record.at)
    return record_text(entry.position, record)


def record_text(position: int, record: Record) -> tuple[str, str]:
    """Return the canonical text of a record other than a transfer, and its zone's name."""
    body = _record_body(position, record)
    if isinstance(record, AccountClosure):
        return body, zone_name(record.at)
    if isinstance(record, ExchangeRate):
        return body, zone_name(record.effective)
    return body, ""


def _time(field: str, zone: str) -> pendulum.DateTime:
    try:
        return to_datetime(int(field), zone_of(zone))
    except OverflowError as exc:
        raise ValueError(f"instant {field} is outside the recorded range") from exc


def transfer_of(fields: list[str], zone: str) -> Transfer:
    """Return the transfer of a transfer's text split at NUL (the draws are not read)."""
    return Transfer(
        id=fields[2],
        debit=fields[3],
        credit=fields[4],
        amount=int(fields[5]),
        kind=fields[6],
        at=_time(fields[7], zone),
        reference=fields[8],
        memo=fields[9],
        reverses=fields[10] or None,
    )


def record_of(text: str, zone: str, position: int) -> Record:
    """Return the record the canonical ``text`` of the entry at ``position`` encodes.

    The record is encoded again and must give back ``text`` exactly, so a
    text that is not canonical (an amount written ``007``) is refused.

    Raises:
        ValueError: the text is not the canonical text of a record at ``position``.
        TypeError: a field has the wrong type.
        GrassrootsError: a field breaks its record's rules.
    """
    fields = text.split("\0")
    tag = fields[0]
    record: Record
    if tag == "transfer":
        if len(fields) < 11 or len(fields) % 2 == 0:
            raise ValueError(f"a transfer's text has {len(fields)} fields")
        record = transfer_of(fields, zone)
        pairs = fields[11:]
        draws = [(int(pairs[i]), int(pairs[i + 1])) for i in range(0, len(pairs), 2)]
        again = _transfer_body(position, record, draws)
    else:
        record = _record_fields(tag, fields, zone)
        again = _record_body(position, record)
    if again != text:
        raise ValueError(f"the text is not the canonical encoding of entry {position}")
    return record


def draw_positions(text: str) -> list[tuple[int, int]]:
    """Return the (lot position, points) draws of a transfer's text."""
    fields = text.split("\0")
    pairs = fields[11:]
    return [(int(pairs[i]), int(pairs[i + 1])) for i in range(0, len(pairs), 2)]


def _record_fields(tag: str, fields: list[str], zone: str) -> Record:
    if tag == "scheme" and len(fields) in {6, 7}:
        flags = fields[6:]
        if flags not in ([], ["resident-transfers"]):
            raise ValueError(f"unknown scheme flags {flags}")
        return Scheme(
            code=fields[2],
            name=fields[3],
            expiry=ExpiryPolicy(rule=fields[4], count=int(fields[5])),
            allow_resident_transfers=bool(flags),
        )
    if tag == "account" and len(fields) == 7:
        return Account(
            id=fields[2], scheme=fields[3], kind=fields[4], owner=fields[5], name=fields[6]
        )
    if tag == "closure" and len(fields) == 5:
        return AccountClosure(account=fields[2], at=_time(fields[3], zone), memo=fields[4])
    if tag == "rate" and len(fields) == 7:
        numerator, _, denominator = fields[4].partition("/")
        return ExchangeRate(
            source=fields[2],
            target=fields[3],
            rate=Fraction(int(numerator), int(denominator)),
            effective=_time(fields[5], zone),
            reference=fields[6],
        )
    raise ValueError(f"no record is encoded as {tag!r} with {len(fields)} fields")


def kept_text(ledger: PointsLedger, position: int) -> str:
    """Return the canonical text of the ledger's entry at ``position``."""
    kept = ledger._rows.raw(position)
    if type(kept) is str:
        return kept
    record: Record = kept[1]  # type: ignore[assignment]  # a record row
    return _record_body(position, record)


def digest_bytes(ledger: PointsLedger, start: int = 0) -> bytes:
    """Return the digests of the ledger's entries from ``start``, 32 bytes each."""
    return bytes(ledger._digests[start * _DIGEST_SIZE :])


def transfer_ids(ledger: PointsLedger) -> dict[str, int]:
    """Return the ledger's index of transfer ids to positions (its own dict: do not change it)."""
    return ledger._ids


# --- snapshots ------------------------------------------------------------------------------

_HEADER: Final = struct.Struct("<Q")


def _check_state(names: set[str], known: frozenset[str], what: str) -> None:
    if names != known:
        extra = sorted(names - known)
        missing = sorted(known - names)
        raise TypeError(
            f"the {what} has state the snapshot format does not know"
            f" (new: {extra}, gone: {missing})"
        )


def _int64(values: Any) -> bytes:
    return array("q", values).tobytes()


def dump(ledger: PointsLedger) -> bytes:
    """Return the snapshot of ``ledger`` in format `FORMAT`.

    Raises:
        TypeError: the ledger holds state this format does not know, or is in
            the middle of a batch.
    """
    _check_state(set(vars(ledger)), _LEDGER_STATE, "ledger")
    _check_state(set(Rows.__slots__), _ROWS_STATE, "journal rows")
    if ledger._snapshot is not None:
        raise TypeError("a ledger in the middle of a batch cannot be snapshot")
    rows = ledger._rows
    texts: list[str] = []
    records: list[list[Any]] = []
    transfers: list[int] = []
    for position, kept in enumerate(rows.kept()):
        if type(kept) is str:
            texts.append(kept)
            transfers.append(position)
        else:
            record: Record = kept[1]  # type: ignore[assignment]  # a record row
            text, zone = record_text(position, record)
            texts.append(text)
            records.append([position, zone])
    by_position = {position: tid for tid, position in ledger._ids.items()}
    ids = [by_position[position] for position in transfers]
    accounts: list[dict[str, Any]] = []
    positions: list[bytes] = []
    balances: list[bytes] = []
    lots: list[int] = []
    for state in ledger._accounts.values():
        _check_state(set(_AccountState.__slots__), _ACCOUNT_STATE, "account state")
        item: dict[str, Any] = {
            "position": _record_position(ledger, state.account),
            "balance": state.balance,
            "closed": state.closed,
            "entries": len(state.positions),
        }
        positions.append(_wide(state.positions))
        if isinstance(state.balances, array):
            balances.append(_wide(state.balances))
        else:
            item["wide_balances"] = [str(value) for value in state.balances]
        if state.lots is not None:
            item["lots"] = len(state.lots)
            for lot in state.lots:
                lots.extend(lot)
        accounts.append(item)
    schemes = []
    for scheme in ledger._schemes.values():
        _check_state(set(_SchemeState.__slots__), _SCHEME_STATE, "scheme state")
        schemes.append(
            {
                "position": _record_position(ledger, scheme.scheme),
                "flows": scheme.flows,
                "expiry_account": scheme.expiry_account,
                "exchange_account": scheme.exchange_account,
            }
        )
    zoned, zone_indices = rows.zoned()
    sections = [
        "".join(texts).encode(),
        array("I", [len(text) for text in texts]).tobytes(),
        bytes(ledger._digests),
        "\0".join(ids).encode(),
        _int64(transfers),
        _int64(zoned),
        _int64(zone_indices),
        b"".join(positions),
        b"".join(balances),
        _int64(lots),
    ]
    header = {
        "format": FORMAT,
        "length": len(rows),
        "head": ledger.head,
        "last_key": ledger._last_key,
        "zones": [_zone_text(tz) for tz in ledger._zone_list],
        "records": records,
        "schemes": schemes,
        "accounts": accounts,
        "reversed": sorted(ledger._reversed.items()),
        "reversals": sorted(ledger._reversals.items()),
        "rates": [[source, target, known] for (source, target), known in ledger._rates.items()],
        "lot_expiry": sorted(ledger._lot_expiry.items()),
        "conversion": ledger._conversion,
        "owed": [[original, sorted(owed.items())] for original, owed in ledger._owed.items()],
        "sections": [len(section) for section in sections],
    }
    encoded = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    return b"".join([MAGIC, _HEADER.pack(len(encoded)), encoded, *sections])


def _zone_text(tz: _dt.tzinfo) -> str:
    if isinstance(tz, zoneinfo.ZoneInfo) and tz.key:
        return tz.key
    offset = tz.utcoffset(None)
    if offset is None:  # a zone whose offset varies, of no known kind: keep it as of now
        raise TypeError(f"time zone {tz!r} cannot be named in a snapshot")
    return _offset_name(offset)


def _record_position(ledger: PointsLedger, record: Record) -> int:
    return ledger._record_position(record)


class _PendingRows:
    """The entry texts of a restored snapshot, cut into entries when first read.

    ``texts`` is every text, one after the other, and ``lengths`` their lengths.
    """

    __slots__ = ("length", "lengths", "records", "texts")

    def __init__(
        self,
        texts: str,
        lengths: array[int],
        records: dict[int, tuple[str, Record]],
    ) -> None:
        self.texts = texts
        self.lengths = lengths
        self.records = records
        self.length = len(lengths)

    def fill(self, rows: Rows) -> None:
        texts = self.texts
        kept: list[Any] = [texts[a:b] for a, b in pairwise(accumulate(self.lengths, initial=0))]
        for position, record in self.records.items():
            kept[position] = record
        whole = len(kept) - len(kept) % BLOCK
        _BLOCKS_SLOT.__set__(rows, [tuple(kept[i : i + BLOCK]) for i in range(0, whole, BLOCK)])
        _SEALED_SLOT.__set__(rows, whole)
        _PENDING_SLOT.__set__(rows, kept[whole:])

    def __len__(self) -> int:
        return self.length


_BLOCKS_SLOT: Final[Any] = Rows.__dict__["blocks"]
_SEALED_SLOT: Final[Any] = Rows.__dict__["sealed"]
_PENDING_SLOT: Final[Any] = Rows.__dict__["tail"]  # holds the pending texts until filled


class _LazyRows(Rows):
    """Rows whose entry texts are cut from the snapshot when something first reads them.

    Opening a ledger from a snapshot need not build a million strings that a
    balance query never reads. The first read of ``blocks``, ``tail`` or
    ``sealed`` (any method of the rows) cuts them and turns the object into
    plain ``Rows``, so nothing is slower later.
    """

    __slots__ = ()

    def _fill(self) -> None:
        pending = _PENDING_SLOT.__get__(self)
        if isinstance(pending, _PendingRows):
            pending.fill(self)
        self.__class__ = Rows  # type: ignore[assignment]

    @property
    def blocks(self) -> list[tuple[Any, ...]]:  # type: ignore[override]
        self._fill()
        return _BLOCKS_SLOT.__get__(self)  # type: ignore[no-any-return,unused-ignore]

    @property
    def tail(self) -> list[Any]:  # type: ignore[override]
        self._fill()
        return _PENDING_SLOT.__get__(self)  # type: ignore[no-any-return,unused-ignore]

    @property
    def sealed(self) -> int:  # type: ignore[override]
        self._fill()
        return _SEALED_SLOT.__get__(self)  # type: ignore[no-any-return,unused-ignore]

    def __len__(self) -> int:
        pending = _PENDING_SLOT.__get__(self)
        if isinstance(pending, _PendingRows):
            return len(pending)
        return super().__len__()

    def __reduce_ex__(self, protocol: Any) -> Any:
        self._fill()  # now plain Rows, which copies and pickles as such
        return self.__reduce_ex__(protocol)


class _LazyIds(dict[str, int]):
    """The index of transfer ids, built from the snapshot when something first looks one up.

    The first use builds the ledger's own index, puts it in the ledger's place
    of this one, and answers from it; every later call of the ledger uses the
    plain dict.
    """

    __slots__ = ("_ledger", "_names", "_positions", "_real")

    def __init__(self, ledger: PointsLedger, names: bytes, positions: array[int]) -> None:
        super().__init__()
        self._ledger = ledger
        self._names = names
        self._positions = positions
        self._real: dict[str, int] | None = None

    def real(self) -> dict[str, int]:
        real = self._real
        if real is None:
            names = self._names.decode().split("\0") if self._names else []
            positions = self._positions.tolist()
            # Straight into the ledger's kind of index (see _id_index): one build, and the
            # index keeps the hash beside each key as the ledger's own does.
            index = _id_index()
            index.update(zip(names, positions, strict=True))
            real = self._real = index
            self._names = b""
            if self._ledger._ids is self:
                self._ledger._ids = real
        return real

    def get(self, key: str, default: Any = None) -> Any:
        return self.real().get(key, default)

    def setdefault(self, key: str, default: int) -> int:  # type: ignore[override,unused-ignore]
        return self.real().setdefault(key, default)

    def pop(self, key: str, *default: Any) -> Any:
        return self.real().pop(key, *default)

    def __getitem__(self, key: str) -> int:
        return self.real()[key]

    def __setitem__(self, key: str, value: int) -> None:
        self.real()[key] = value

    def __delitem__(self, key: str) -> None:
        del self.real()[key]

    def __contains__(self, key: object) -> bool:
        return key in self.real()

    def __iter__(self) -> Iterator[str]:
        return iter(self.real())

    def __len__(self) -> int:
        return len(self.real())

    def keys(self) -> Any:
        return self.real().keys()

    def values(self) -> Any:
        return self.real().values()

    def items(self) -> Any:
        return self.real().items()

    def __eq__(self, other: object) -> bool:
        return self.real() == other

    __hash__ = None  # type: ignore[assignment,unused-ignore]

    def __repr__(self) -> str:
        return repr(self.real())

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, int]:
        return dict(self.real())

    def __reduce__(self) -> Any:
        return (dict, (dict(self.real()),))


def _wide(numbers: array[int]) -> bytes:
    """Return an account's as-of numbers as a snapshot keeps them: 64-bit, whatever the store."""
    return (numbers if numbers.typecode == "q" else array("q", numbers)).tobytes()


def _narrow(numbers: array[int], code: str) -> array[int]:
    """Return 64-bit numbers read back in the 32-bit store ``code`` when they all fit it.

    ``code`` is the type code a new account state uses (``POSITIONS_CODE``,
    ``balances_code``), so a ledger read from a snapshot keeps the layout of one
    that posted its journal.
    """
    try:
        return array(code, numbers)
    except OverflowError:
        return numbers


def _ints(data: memoryview, code: str = "q") -> array[int]:
    values: array[int] = array(code)
    values.frombytes(data)
    return values


def restore(body: bytes) -> PointsLedger | None:
    """Return the ledger a snapshot of format 2 holds, or None if this ledger cannot hold it.

    None means the ledger's state has changed shape since this format was
    defined: the caller replays the journal instead.

    Raises:
        ValueError: the body is not a well-formed snapshot (the cause says why).
    """
    ledger = PointsLedger()
    if set(vars(ledger)) != _LEDGER_STATE:
        return None
    if (
        set(_AccountState.__slots__) != _ACCOUNT_STATE
        or set(_SchemeState.__slots__) != _SCHEME_STATE
    ):
        return None
    try:
        _restore(ledger, memoryview(body))
    except (KeyError, IndexError, TypeError, AttributeError, struct.error, OverflowError) as exc:
        raise ValueError(f"{type(exc).__name__}: {exc}") from exc
    return ledger


def _restore(ledger: PointsLedger, body: memoryview) -> None:  # noqa: PLR0912, PLR0915 - one layout, read in order
    if bytes(body[: len(MAGIC)]) != MAGIC:
        raise ValueError("it does not start with the snapshot marker")
    start = len(MAGIC)
    (size,) = _HEADER.unpack_from(body, start)
    start += _HEADER.size
    header = json.loads(bytes(body[start : start + size]))
    start += size
    if header["format"] != FORMAT:
        raise ValueError(f"it says format {header['format']}, not {FORMAT}")
    sections = []
    for length in header["sections"]:
        sections.append(body[start : start + length])
        start += length
    if start != len(body) or len(sections) != 10:
        raise ValueError("its sections do not add up to its length")
    (
        text_blob,
        text_lengths,
        digests,
        id_blob,
        transfer_positions,
        zone_positions,
        zone_indices,
        account_positions,
        account_balances,
        lot_values,
    ) = sections
    length = header["length"]
    texts = str(text_blob, "utf-8")  # checked now; cut into entries when first read
    lengths = _ints(text_lengths, "I")
    if len(lengths) != length or len(digests) != length * _DIGEST_SIZE:
        raise ValueError("it holds another number of entries than it says")
    if sum(lengths) != len(texts):
        raise ValueError("its entry texts do not add up")
    last = max((position for position, _ in header["records"]), default=-1)
    offsets = list(itertools.islice(accumulate(lengths, initial=0), last + 2))
    kept: dict[int, tuple[str, Record]] = {}
    for position, zone in header["records"]:
        text = texts[offsets[position] : offsets[position + 1]]
        kept[position] = (text.split("\0", 1)[0], record_of(text, zone, position))
    rows = _LazyRows.__new__(_LazyRows)
    ledger._rows = rows
    zoned, indices = _ints(zone_positions), _ints(zone_indices)
    if zoned and (min(zoned) < 0 or max(zoned) >= length):
        raise ValueError("it holds a zone for a position outside its journal")
    if indices and (min(indices) < 0 or max(indices) >= len(header["zones"])):
        raise ValueError("it holds a zone index outside its list of zones")
    rows.set_zones(zoned, indices)
    rows.readers = []
    _PENDING_SLOT.__set__(rows, _PendingRows(texts, lengths, kept))
    ledger._digests = bytearray(digests)
    ledger._head = bytes(digests[-_DIGEST_SIZE:]) if length else _GENESIS_BYTES
    if ledger._head.hex() != header["head"]:
        raise ValueError("its last digest is not the head it claims")
    ledger._last_key = int(header["last_key"])
    zones = [zone_of(name) for name in header["zones"]]
    ledger._zone_list = zones
    ledger._zones = {tz: Zone(tz, index) for index, tz in enumerate(zones)}
    names = bytes(id_blob)
    positions = _ints(transfer_positions)
    if (names.count(b"\0") + 1 if names else 0) != len(positions):
        raise ValueError("it holds another number of transfer ids than of their positions")
    names.decode()  # checked now, split when first looked up
    ledger._ids = _LazyIds(ledger, names, positions)
    schemes = ledger._schemes
    for index, item in enumerate(header["schemes"]):
        scheme = kept[item["position"]][1]
        if not isinstance(scheme, Scheme):
            raise TypeError(f"entry {item['position']} is not a scheme")
        scheme_entry = _SchemeState(scheme, index)
        scheme_entry.flows = [int(value) for value in item["flows"]]
        scheme_entry.expiry_account = item["expiry_account"]
        scheme_entry.exchange_account = item["exchange_account"]
        schemes[scheme.code] = scheme_entry
    every_position = _ints(account_positions)
    every_balance = _ints(account_balances)
    every_lot = _ints(lot_values).tolist()
    taken = balances_taken = lots_taken = 0
    for item in header["accounts"]:
        account = kept[item["position"]][1]
        if not isinstance(account, Account):
            raise TypeError(f"entry {item['position']} is not an account")
        scheme_state = schemes[account.scheme]
        state = _AccountState(account, scheme_state)
        state.balance = int(item["balance"])
        state.closed = bool(item["closed"])
        count = int(item["entries"])
        state.positions = _narrow(every_position[taken : taken + count], POSITIONS_CODE)
        taken += count
        if "wide_balances" in item:
            state.balances = [int(value) for value in item["wide_balances"]]
        else:
            state.balances = _narrow(
                every_balance[balances_taken : balances_taken + count],
                balances_code(state.bounded),
            )
            balances_taken += count
        if len(state.balances) != count:
            raise ValueError(f"account {account.id} has another number of balances")
        if state.lots is not None:
            flat = every_lot[lots_taken : lots_taken + 3 * int(item["lots"])]
            lots_taken += len(flat)
            state.lots = list(zip(flat[0::3], flat[1::3], flat[2::3], strict=True))
            scheme_state.wallets.append(state)
            ledger._wallets.append(state)
        ledger._accounts[account.id] = state
        if not state.closed:
            ledger._open[account.id] = state
    if (taken, balances_taken, lots_taken) != (
        len(every_position),
        len(every_balance),
        len(every_lot),
    ):
        raise ValueError("its accounts' positions, balances or lots do not add up")
    ledger._reversed = {int(k): int(v) for k, v in header["reversed"]}
    ledger._reversals = {int(k): [int(p) for p in v] for k, v in header["reversals"]}
    ledger._rates = {
        (source, target): [(int(key), int(position)) for key, position in known]
        for source, target, known in header["rates"]
    }
    ledger._lot_expiry = {int(k): int(v) for k, v in header["lot_expiry"]}
    conversion = header["conversion"]
    ledger._conversion = (
        None
        if conversion is None
        else (
            int(conversion[0]),
            str(conversion[1]),
            None if conversion[2] is None else int(conversion[2]),
        )
    )
    ledger._owed = {int(k): {int(a): int(b) for a, b in v} for k, v in header["owed"]}


def encode_batch(  # noqa: PLR0912, PLR0915 - the append's hot loop, inline on purpose
    entries: list[JournalEntry],
    lots: Mapping[str, int],
    previous: bytes,
    known: dict[str, int] | None = None,
) -> tuple[list[tuple[int, bytes, str, bytes]], dict[str, int]]:
    """Return the stored rows of consecutive ``entries``: (position, text, zone, digest).

    Also returns the ids of the batch's transfers and their positions. A lot
    is looked up in the batch, then in ``known``, then in ``lots``.

    The text is encoded by the codec (``transfer_text`` and ``_record_body``, as
    posting encodes it) and every digest is checked: it must be the hash of
    the digest before (``previous`` for the first) and the entry's text.

    Raises:
        KeyError: an entry draws from a lot neither ``lots`` nor the batch has.
        ValueError: an entry is out of place or does not match its digest; its
            position is the first argument.
    """
    rows: list[tuple[int, bytes, str, bytes]] = []
    append = rows.append
    clocks = _clocks
    batch: dict[str, int] = {}
    find = (known if known is not None else batch).get
    expected = entries[0].position
    chain = previous.hex()
    for entry in entries:
        position = entry.position
        if position != expected:
            raise ValueError(position, f"entry {position} does not follow entry {expected - 1}")
        if entry.previous != chain:
            raise ValueError(position, f"entry {position} does not chain onto {chain[:12]}…")
        record = entry.record
        if type(record) is Transfer:
            draws = entry.draws
            tail = ""
            if draws:
                parts = []
                for draw in draws:
                    lot = batch.get(draw.lot)
                    if lot is None:
                        lot = find(draw.lot)
                    if lot is None:
                        lot = lots[draw.lot]
                    parts.append(f"\0{lot}\0{draw.points}")
                tail = "".join(parts)
            at = record.at
            tz: _dt.tzinfo = at.tzinfo  # type: ignore[assignment]  # always aware
            # Looked up by identity: a pendulum zone hashes in Python, slowly.
            cached = clocks.get(id(tz))
            if cached is None or cached[0] is not tz:
                cached = clocks[id(tz)] = (tz, Zone(tz, 0), zone_name(at))
            _tz, clock, zone = cached
            # The instant through the zone's cached day (see Zone), as posting reads it.
            elapsed = _subtract(at, clock.start)
            if elapsed.days == 0:
                key = clock.base + (elapsed.seconds * 1_000_000 + elapsed.microseconds)
            else:
                key = clock.refresh(at)
                if key == UNREPRESENTABLE:
                    key = _subtract(at, EPOCH) // ONE_MICROSECOND
            text = transfer_text(
                position,
                record.id,
                record.debit,
                record.credit,
                str(record.amount),
                record.kind._value_,
                key,
                record.reference,
                record.memo,
                record.reverses or "",
                tail,
            )
            batch[record.id] = position
        else:
            text, zone = record_text(position, record)
        body = text.encode()
        digest = _hash(previous + body).digest()
        chain = digest.hex()
        if chain != entry.digest:
            raise ValueError(position, f"entry {position} does not match its digest")
        append((position, body, zone, digest))
        previous = digest
        expected = position + 1
    return rows, batch
