"""The journal format page: its test vectors match the code, and the encoding is injective.

The encoder here is written from the page (docs/reference/journal-format.md),
not from the ledger's code, so that the page is shown to be enough to verify a
journal.
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import re
from fractions import Fraction

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from grassroots import serialization
from grassroots.ledger import (
    GENESIS,
    Account,
    AccountClosure,
    ExchangeRate,
    ExpiryPolicy,
    JournalEntry,
    PointsLedger,
    Scheme,
    Transfer,
    TransferKind,
    _codec,
    verify_journal,
)

PAGE = pathlib.Path(__file__).parent.parent / "docs" / "reference" / "journal-format.md"
EPOCH = pendulum.datetime(1970, 1, 1, tz="UTC")


def vectors() -> dict[str, object]:
    """Return the test vectors printed on the page."""
    text = PAGE.read_text(encoding="utf-8")
    match = re.search(r"<!-- journal-vectors -->\s*```json\n(.*?)```", text, re.DOTALL)
    assert match is not None, "the page has no test vectors"
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def tancheng_ledger() -> PointsLedger:
    """Return the small ledger the page's vectors were taken from."""
    at = pendulum.datetime(2025, 3, 1, 9, tz="Asia/Shanghai")
    ledger = PointsLedger()
    ledger.add_scheme(Scheme(code="virtue", name="美德积分", expiry=ExpiryPolicy.end_of_year(1)))
    ledger.add_scheme(Scheme(code="party", name="新新向党", allow_resident_transfers=True))
    for account_id, scheme, kind, owner in [
        ("virtue:issuer", "virtue", "issuer", ""),
        ("virtue:wang", "virtue", "wallet", "王"),
        ("virtue:canteen", "virtue", "merchant", ""),
        ("party:li", "party", "wallet", "李"),
    ]:
        ledger.open_account(Account(id=account_id, scheme=scheme, kind=kind, owner=owner))
    ledger.record_rate(
        ExchangeRate(
            source="party",
            target="virtue",
            rate=Fraction(1, 2),
            effective=at,
            reference="居委会 2025-02 会议纪要",
        )
    )
    ledger.post(
        Transfer(
            id="earn-1",
            debit="virtue:issuer",
            credit="virtue:wang",
            amount=20,
            kind="earn",
            at=at,
            reference="activity-7",
            memo="清扫楼道",
        )
    )
    ledger.post(
        Transfer(
            id="buy-1",
            debit="virtue:wang",
            credit="virtue:canteen",
            amount=5,
            kind="redeem",
            at=at.add(hours=2),
        )
    )
    ledger.reverse("buy-1", id="refund-1", at=at.add(hours=3), amount=2, memo="退一半")
    ledger.close_account("party:li", at=at.add(days=1))
    return ledger


def instant(at: pendulum.DateTime) -> str:
    """Return a time as the page writes it: microseconds since the epoch, in decimal."""
    delta = at - EPOCH
    return str((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)


def body(entry: JournalEntry, positions: dict[str, int]) -> str:
    """Encode one entry as the page says."""
    record = entry.record
    head = [type(record).__name__.lower(), str(entry.position)]
    if isinstance(record, Scheme):
        fields = [record.code, record.name, record.expiry.rule.value, str(record.expiry.count)]
        if record.allow_resident_transfers:
            fields.append("resident-transfers")
        head[0] = "scheme"
    elif isinstance(record, Account):
        fields = [record.id, record.scheme, record.kind.value, record.owner, record.name]
    elif isinstance(record, AccountClosure):
        head[0] = "closure"
        fields = [record.account, instant(record.at), record.memo]
    elif isinstance(record, ExchangeRate):
        head[0] = "rate"
        rate = f"{record.rate.numerator}/{record.rate.denominator}"
        fields = [record.source, record.target, rate, instant(record.effective), record.reference]
    else:
        fields = [
            record.id,
            record.debit,
            record.credit,
            str(record.amount),
            record.kind.value,
            instant(record.at),
            record.reference,
            record.memo,
            record.reverses or "",
        ]
        for draw in entry.draws:
            fields += [str(positions[draw.lot]), str(draw.points)]
    return "\0".join(head + fields)


def test_the_vectors_match_the_code() -> None:
    """The page's bodies, digests and head are what the ledger writes, and they chain."""
    printed = vectors()
    ledger = tancheng_ledger()
    entries = list(ledger.journal)
    rows = printed["entries"]
    assert isinstance(rows, list)
    assert len(rows) == len(entries)
    positions: dict[str, int] = {}
    previous = bytes(32)
    for entry, row in zip(entries, rows, strict=True):
        encoded = body(entry, positions)
        assert encoded == row["body"]
        digest = hashlib.blake2s(previous + encoded.encode(), digest_size=32).digest()
        assert digest.hex() == row["digest"] == entry.digest
        assert entry.previous == previous.hex()
        if isinstance(entry.record, Transfer):
            positions[entry.record.id] = entry.position
        previous = digest
    assert printed["head"] == ledger.head == previous.hex() == verify_journal(entries)
    assert printed["version"] == 2


def test_a_version_1_journal_still_verifies() -> None:
    """Without scheme flags a body is as version 1 wrote it, and its journal loads."""
    ledger = tancheng_ledger()
    first = ledger.journal[0]
    assert body(first, {}) == "scheme\x000\x00virtue\x00美德积分\x00end_of_year\x001"
    dumped = {  # format 1 of the JSON form, as a version-1 writer wrote it
        "head": ledger.head,
        "journal": [serialization.unstructure(entry) for entry in ledger.journal],
    }
    for entry in dumped["journal"]:  # a version-1 writer had no such key
        record = entry["record"]
        if record.get("allow_resident_transfers") is False:
            del record["allow_resident_transfers"]
    assert serialization.loads(json.dumps(dumped), PointsLedger).head == ledger.head


def test_an_empty_journal_is_genesis() -> None:
    """No entry: the head is GENESIS."""
    assert verify_journal([]) == GENESIS


# Hostile text: separators and look-alikes, digits and the characters the layout uses.
_HOSTILE = st.text(
    alphabet=st.sampled_from(
        ["a", "1", "-", "/", ":", "\t", "0", "\u2400", "\ufeff", "王", " ", "\n"]
    ),
    max_size=6,
)
_IDS = st.text(
    alphabet=st.sampled_from(["a", "1", "-", "/", ":", "0", "\u2400", "王"]), min_size=1, max_size=6
)
_KINDS = st.sampled_from([kind for kind in TransferKind if kind is not TransferKind.REVERSE])


@st.composite
def hostile_transfers(draw: st.DrawFn) -> Transfer:
    """Draw a transfer whose texts use every character the layout could confuse."""
    debit = draw(_IDS)
    return Transfer(
        id=draw(_IDS),
        debit=debit,
        credit=draw(_IDS.filter(lambda other: other != debit)),
        amount=draw(st.integers(1, 10**12)),
        kind=draw(_KINDS),
        at=draw(
            st.datetimes(
                min_value=pendulum.naive(1, 1, 4), max_value=pendulum.naive(9999, 12, 1)
            ).map(lambda moment: pendulum.instance(moment, tz="UTC"))
        ),
        reference=draw(_HOSTILE),
        memo=draw(_HOSTILE),
    )


def _fields(transfer: Transfer) -> tuple[object, ...]:
    return (
        transfer.id,
        transfer.debit,
        transfer.credit,
        transfer.amount,
        transfer.kind,
        instant(transfer.at),
        transfer.reference,
        transfer.memo,
        transfer.reverses,
    )


def _encode(transfer: Transfer, draws: list[tuple[int, int]]) -> str:
    entry = JournalEntry(position=3, record=transfer, previous=GENESIS, digest=GENESIS)
    text = body(entry, {})
    return text + "".join(f"\0{lot}\0{points}" for lot, points in draws)


_DRAWS = st.lists(st.tuples(st.integers(0, 9), st.integers(1, 99)), max_size=3)


@given(
    hostile_transfers(),
    st.one_of(st.none(), hostile_transfers()),
    _DRAWS,
    st.one_of(st.none(), _DRAWS),
)
def test_the_encoding_is_injective(
    first: Transfer,
    other: Transfer | None,
    first_draws: list[tuple[int, int]],
    other_draws: list[tuple[int, int]] | None,
) -> None:
    """Two transfers have the same body only if they are the same transfer with the same draws."""
    second = first if other is None else other
    second_draws = first_draws if other_draws is None else other_draws
    same = _encode(first, first_draws) == _encode(second, second_draws)
    assert same == (_fields(first) == _fields(second) and first_draws == second_draws)


@given(hostile_transfers(), st.lists(st.tuples(st.integers(0, 9), st.integers(1, 99)), max_size=3))
def test_the_ledger_decodes_what_it_encodes(
    transfer: Transfer, draws: list[tuple[int, int]]
) -> None:
    """The ledger's reader gives back every field of the body, draws included."""
    row = _codec.decode(_encode(transfer, draws), 0)
    assert row[:6] == (
        transfer.kind.value,
        transfer.id,
        transfer.debit,
        transfer.credit,
        transfer.amount,
        int(instant(transfer.at)),
    )
    assert row[7:10] == (transfer.reference, transfer.memo, None)
    assert list(row[10:]) == [value for pair in draws for value in pair]
