"""The codec (private): the only code that knows the stored text layout of an entry.

Posting, reversal, verification, replay and JSON all encode and decode through
it. The layout is specified on the docs' journal format page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, Final, TypeAlias

import attrs
import pendulum

from grassroots.ledger._checks import _invalid
from grassroots.ledger._instants import instant
from grassroots.ledger._values import (
    Account,
    AccountClosure,
    Draw,
    ExchangeRate,
    Record,
    Scheme,
    Transfer,
    TransferKind,
    slot_setters,
)

Row: TypeAlias = tuple[Any, ...]

"""One journal entry as the ledger reads it.

A transfer reads as ``(kind, id, debit, credit, amount, instant, zone, reference,
memo, reverses, lot, points, lot, points, ...)``, ``reverses`` being None when
it reverses nothing, ``zone`` the index of the time zone it was written in;
a record reads as ``(tag, record)``.
"""


def decode(text: str, zone: int) -> Row:
    """Decode a transfer's canonical text into its row.

    The text is ``transfer␀position␀id␀debit␀credit␀amount␀kind␀instant␀reference
    ␀memo␀reverses[␀lot␀points]...``; text fields hold no NUL, so splitting at
    NUL gives the fields back.
    """
    fields = text.split("\0")
    return (
        fields[6],
        fields[2],
        fields[3],
        fields[4],
        int(fields[5]),
        int(fields[7]),
        zone,
        fields[8],
        fields[9],
        fields[10] or None,
        *map(int, fields[11:]),
    )


def draws_text(draws: tuple[int, ...]) -> str:
    """Return the encoding of flat draws (lot position, points, ...): each one NUL, then it."""
    return "".join([f"\0{value}" for value in draws])


HASH_ALGORITHM: Final = "blake2s-256"

"""The hash of the journal's chain: BLAKE2s with a 32-byte digest (``hashlib.blake2s``)."""

GENESIS: Final = "00" * 32

"""The ``previous`` digest of the first journal entry: 32 zero bytes, in hex."""

_DIGEST_SIZE: Final = 32

_GENESIS_BYTES: Final = bytes(_DIGEST_SIZE)

_hash = hashlib.blake2s

_HEX_DIGITS: Final = frozenset("0123456789abcdef")


def _hex_digest(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be str, not {type(value).__name__} {value!r}")
    if len(value) != 64 or not _HEX_DIGITS.issuperset(value):
        raise _invalid(f"{attribute.name} {value!r} is not 64 lower-case hex digits")


# --- canonical encoding and the hash chain -------------------------------------------------

# A transfer row: what the ledger reads of a transfer. It keeps the transfer as its
# canonical text (see verify_journal), a string the cyclic garbage collector never
# tracks, and decodes it into this tuple when it reads it (``decode`` below).
(
    _KIND,
    _ID,
    _DEBIT,
    _CREDIT,
    _AMOUNT,
    _KEY,
    _ZONE,
    _REFERENCE,
    _MEMO,
    _REVERSES,
    _FIRST_DRAW,
) = range(11)

# The draws follow, flat: lot origin position, points, lot origin position, points, ...
# A record row (scheme, account, closure, rate) is (tag, record), kept as it is read.
# Digests are not in the rows: all of them, 32 bytes each, sit in one bytearray, which
# costs less than a bytes object each.

_Row: TypeAlias = Row

_DECIMALS: Final = 1_000

# The decimal text of the amounts below 1,000: most amounts need not be written out anew.
_DECIMAL: Final = tuple(str(number) for number in range(_DECIMALS))


def _digest(previous: bytes, body: str) -> bytes:
    return _hash(previous + body.encode()).digest()


def _record_body(position: int, record: Record) -> str:
    """Return the canonical encoding of a record other than a transfer."""
    if isinstance(record, Scheme):
        policy = record.expiry
        body = (
            f"scheme\0{position}\0{record.code}\0{record.name}\0{policy.rule.value}\0{policy.count}"
        )
        # Format version 2 adds the scheme's flags as trailing fields, written only when
        # set, so every version-1 body is a version-2 body unchanged.
        return f"{body}\0resident-transfers" if record.allow_resident_transfers else body
    if isinstance(record, Account):
        return (
            f"account\0{position}\0{record.id}\0{record.scheme}\0{record.kind.value}"
            f"\0{record.owner}\0{record.name}"
        )
    if isinstance(record, AccountClosure):
        return f"closure\0{position}\0{record.account}\0{instant(record.at)}\0{record.memo}"
    if isinstance(record, ExchangeRate):
        rate = record.rate
        return (
            f"rate\0{position}\0{record.source}\0{record.target}\0{rate.numerator}/"
            f"{rate.denominator}\0{instant(record.effective)}\0{record.reference}"
        )
    raise TypeError(f"not a journal record: {type(record).__name__}")


def transfer_text(  # noqa: PLR0917 - the layout's fields, in their order
    position: int,
    tid: str,
    debit: str,
    credit: str,
    amount: str,
    kind: str,
    key: int,
    reference: str,
    memo: str,
    reverses: str,
    draws: str,
) -> str:
    """Return the stored text of a transfer: the one place its layout is written.

    ``amount`` is already in decimal, ``reverses`` is empty for a transfer
    that reverses nothing, and ``draws`` is the encoded draws (see
    ``draws_text``), each pair preceded by NUL. Posting, reversal and
    verification all build a transfer's text here; ``decode`` reads it back.
    """
    return (
        f"transfer\0{position}\0{tid}\0{debit}\0{credit}\0{amount}\0{kind}"
        f"\0{key}\0{reference}\0{memo}\0{reverses}{draws}"
    )


def _transfer_body(position: int, transfer: Transfer, draws: Iterable[tuple[int, int]]) -> str:
    """Return the stored text of a transfer and its draws, from the transfer itself."""
    tail = "".join(f"\0{lot}\0{points}" for lot, points in draws)
    return transfer_text(
        position,
        transfer.id,
        transfer.debit,
        transfer.credit,
        str(transfer.amount),
        transfer.kind.value,
        instant(transfer.at),
        transfer.reference,
        transfer.memo,
        transfer.reverses or "",
        tail,
    )


# --- the trusted path for decoded data -----------------------------------------------------

# Reading an entry back builds its values from fields the ledger checked when it
# recorded them (or, loading, checked field by field before posting). These builders
# are the one place that skips the values' own validators: they set the slots of the
# frozen attrs classes directly, which costs a fraction of the checked constructor.

_new = object.__new__


(
    _set_id,
    _set_debit,
    _set_credit,
    _set_amount,
    _set_kind,
    _set_at,
    _set_reference,
    _set_memo,
    _set_reverses,
) = slot_setters(Transfer)

_set_lot, _set_points = slot_setters(Draw)


def trusted_transfer(  # noqa: PLR0917 - the transfer's fields, in their order
    tid: str,
    debit: str,
    credit: str,
    amount: int,
    kind: TransferKind,
    at: pendulum.DateTime,
    reference: str,
    memo: str,
    reverses: str | None,
) -> Transfer:
    """Return a [`Transfer`][grassroots.ledger.Transfer] of fields already checked."""
    transfer: Transfer = _new(Transfer)
    _set_id(transfer, tid)
    _set_debit(transfer, debit)
    _set_credit(transfer, credit)
    _set_amount(transfer, amount)
    _set_kind(transfer, kind)
    _set_at(transfer, at)
    _set_reference(transfer, reference)
    _set_memo(transfer, memo)
    _set_reverses(transfer, reverses)
    return transfer


def trusted_draw(lot: str, points: int) -> Draw:
    """Return a [`Draw`][grassroots.ledger.Draw] of fields already checked."""
    draw: Draw = _new(Draw)
    _set_lot(draw, lot)
    _set_points(draw, points)
    return draw


# --- the JSON form of a transfer (ledger JSON format 2) -----------------------------------

WIRE_SEPARATOR: Final = "\b"

"""The separator of a transfer's fields in JSON: backspace, U+0008.

No id or text may hold it (the id and free-text rules refuse control
characters other than line breaks and tabs), and JSON writes it in two
characters (``\\b``) where NUL takes six (``\\u0000``).
"""

_PREFIX: Final = len("transfer\0")


def wire_text(kept: str, zone: int) -> str:
    """Return the JSON form of a kept transfer text written in the zone of index ``zone``.

    The canonical text without its tag and position (the JSON list gives
    both), the zone's index in front, every NUL a backspace:
    ``zone␈id␈debit␈credit␈amount␈kind␈instant␈reference␈memo␈reverses[␈lot␈points]...``.
    """
    rest = kept[kept.index("\0", _PREFIX) + 1 :]
    return f"{zone}\b{rest.replace(chr(0), WIRE_SEPARATOR)}"


def kept_text(wire: str, zone_field: str, position: int) -> str:
    """Return the canonical text a transfer's JSON form ``wire`` stands for at ``position``."""
    rest = wire[len(zone_field) + 1 :].replace(WIRE_SEPARATOR, "\0")
    return f"transfer\0{position}\0{rest}"
