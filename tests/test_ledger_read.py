"""The ledger's read path: times read back through the day cache, and the JSON format 2."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import errors, serialization
from grassroots import strategies as gst
from grassroots.ledger import Account, AccountKind, ExpiryPolicy, PointsLedger, Scheme, Transfer
from grassroots.ledger._instants import MAX_INSTANT, MIN_INSTANT, Reader, instant, to_datetime

SHANGHAI = pendulum.timezone("Asia/Shanghai")
T0 = pendulum.datetime(2025, 3, 1, 9, tz=SHANGHAI)

ZONES = (
    SHANGHAI,
    pendulum.timezone("Europe/London"),
    pendulum.timezone("America/New_York"),
    pendulum.timezone("Australia/Lord_Howe"),  # a clock change of half an hour
    pendulum.FixedTimezone(5 * 3600 + 45 * 60),
    dt.timezone(dt.timedelta(hours=-3, minutes=-30)),
    dt.UTC,
)

# Instants around the clock changes of 2025 in London, New York and Lord Howe, and anywhere.
_CHANGES = [
    instant(pendulum.datetime(2025, 3, 30, 1, tz="UTC")),
    instant(pendulum.datetime(2025, 10, 26, 1, tz="UTC")),
    instant(pendulum.datetime(2025, 3, 9, 7, tz="UTC")),
    instant(pendulum.datetime(2025, 11, 2, 6, tz="UTC")),
    instant(pendulum.datetime(2025, 4, 5, 15, tz="UTC")),
    instant(pendulum.datetime(2025, 10, 4, 15, 30, tz="UTC")),
]
_HOURS = 3_600_000_000

instants = st.one_of(
    st.builds(
        lambda change, shift: change + shift,
        st.sampled_from(_CHANGES),
        st.integers(-30 * _HOURS, 30 * _HOURS),
    ),
    st.integers(MIN_INSTANT + 2 * 86_400_000_000, MAX_INSTANT - 2 * 86_400_000_000),
)


@given(zone=st.sampled_from(ZONES), keys=st.lists(instants, min_size=1, max_size=30))
def test_the_reader_gives_what_to_datetime_gives(zone: dt.tzinfo, keys: list[int]) -> None:
    """Through its day cache, a reader gives the very time, zone and fold to_datetime gives."""
    reader = Reader(zone)
    for key in [*keys, *(k + 1 for k in keys), *sorted(keys)]:
        mine, exact = reader.datetime(key), to_datetime(key, zone)
        assert type(mine) is type(exact) is pendulum.DateTime
        assert mine == exact
        assert mine.isoformat() == exact.isoformat()
        assert mine.tzinfo is exact.tzinfo or mine.tzinfo == exact.tzinfo
        assert mine.fold == exact.fold
        assert instant(mine) == key


def new_ledger() -> PointsLedger:
    """Return a ledger with one scheme, its issuer, a shop and two wallets."""
    ledger = PointsLedger()
    ledger.add_scheme(Scheme(code="v", name="美德积分", expiry=ExpiryPolicy.after_days(30)))
    for account_id, kind in (("v:issuer", "issuer"), ("v:store", "merchant")):
        ledger.open_account(Account(id=account_id, scheme="v", kind=kind))
    for resident in ("wang", "li"):
        ledger.open_account(Account(id=f"v:{resident}", scheme="v", kind=AccountKind.WALLET))
    return ledger


def busy_ledger() -> PointsLedger:
    """Return a ledger whose transfers are written in three zones, with draws and a reversal."""
    ledger = new_ledger()
    zones = (SHANGHAI, dt.timezone(dt.timedelta(hours=8)), pendulum.timezone("Europe/London"))
    for number in range(12):
        at = T0.add(hours=number).astimezone(zones[number % 3])
        ledger.post(
            Transfer(
                id=f"e{number}",
                debit="v:issuer",
                credit="v:wang",
                amount=5,
                kind="earn",
                at=at,
                memo="清扫楼道\n第二行" if number == 3 else "志愿巡逻",
            )
        )
    ledger.post(
        Transfer(
            id="r1", debit="v:wang", credit="v:store", amount=12, kind="redeem", at=T0.add(days=1)
        )
    )
    ledger.reverse("r1", id="rv1", at=T0.add(days=1, hours=1), amount=7)
    return ledger


def test_format_2_round_trips_exactly() -> None:
    """Dumping what was loaded gives the same text; times keep their zones' offsets."""
    ledger = busy_ledger()
    text = serialization.dumps(ledger)
    back = serialization.loads(text, PointsLedger)
    assert back == ledger
    assert serialization.dumps(back) == text
    for mine, theirs in zip(back.journal, ledger.journal, strict=True):
        assert mine == theirs
        at = getattr(mine.record, "at", None)
        if at is not None:
            assert at.isoformat() == theirs.record.at.isoformat()  # type: ignore[union-attr]
    assert back.lots("v:wang") == ledger.lots("v:wang")
    assert back.balance("v:store") == ledger.balance("v:store") == 5


def test_format_2_keeps_a_transfer_as_its_text() -> None:
    """A transfer is one string: zone, then the canonical fields from the id on."""
    ledger = busy_ledger()
    data = serialization.unstructure(ledger)
    assert data["format"] == 2
    assert data["zones"] == ["Asia/Shanghai", "+08:00", "Europe/London"]
    position = ledger.entry("e1").position
    assert data["journal"][position].split("\b")[:7] == [
        "1",
        "e1",
        "v:issuer",
        "v:wang",
        "5",
        "earn",
        str(instant(T0.add(hours=1))),
    ]
    assert base64.b64decode(data["digests"])[-32:].hex() == ledger.head


def test_format_2_is_smaller_than_format_1() -> None:
    """The compact form takes well under half the bytes of the entry objects."""
    ledger = busy_ledger()
    compact = len(serialization.dumps(ledger).encode())
    entries = [serialization.unstructure(entry) for entry in ledger.journal]
    objects = len(json.dumps({"head": ledger.head, "journal": entries}).encode())
    assert compact * 2 < objects


def _tampered(change: Any) -> dict[str, Any]:
    data = serialization.unstructure(busy_ledger())
    change(data)
    return data  # type: ignore[no-any-return]


def _field(position: int, index: int, value: str) -> Any:
    def change(data: dict[str, Any]) -> None:
        fields = data["journal"][position].split("\b")
        fields[index] = value
        data["journal"][position] = "\b".join(fields)

    return change


def _set(key: str, value: object) -> Any:
    def change(data: dict[str, Any]) -> None:
        data[key] = value

    return change


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (_field(6, 4, "05"), "$.journal[6]"),  # an amount with a leading zero
        (_field(6, 4, "+5"), "$.journal[6]"),
        (_field(6, 4, "0"), "$.journal[6]"),
        (_field(6, 4, "٥"), "$.journal[6]"),  # an Arabic-Indic digit
        (_field(6, 6, "1e3"), "$.journal[6]"),
        (_field(6, 6, str(MAX_INSTANT + 1)), "$.journal[6]"),
        (_field(6, 0, "7"), "$.journal[6]"),  # no such zone
        (_field(6, 0, "01"), "$.journal[6]"),
        (_field(6, 5, "steal"), "$.journal[6]"),
        (_field(6, 1, " e1"), "$.journal[6]"),
        (_field(6, 8, "bell\x07"), "$.journal[6]"),
        (_field(6, 9, "e0"), "$.journal[6]"),  # reverses on an earning
        (_field(6, 3, "v:issuer"), "$.journal[6]"),  # debit = credit
        (_field(6, 1, "e1\0x"), "$.journal[6]"),
        (lambda data: data["journal"].__setitem__(6, "1\bshort"), "$.journal[6]"),
        (lambda data: data["journal"].__setitem__(6, 5), "$.journal[6]"),
        (lambda data: data["journal"].__setitem__(0, {"type": "scheme"}), "$.journal[0]"),
        (_set("zones", ["Asia/Nowhere", "+08:00", "Europe/London"]), "$.zones[0]"),
        (_set("zones", ["Asia/Shanghai", "+8:00", "Europe/London"]), "$.zones[1]"),
        (_set("zones", ["Asia/Shanghai", "+08:00", "Asia/Shanghai"]), "$.zones[2]"),
        (_set("zones", ["Asia/Shanghai", 8, "Europe/London"]), "$.zones[1]"),
        (_set("zones", "Asia/Shanghai"), "$.zones"),
        (_set("digests", "not base64!"), "$.digests"),
        (_set("digests", 0), "$.digests"),
        (_set("format", 3), "$.format"),
        (_set("format", True), "$.format"),
        (_set("journal", {}), "$.journal"),
        (_set("head", 1), "$.head"),
    ],
)
def test_format_2_refuses_bad_fields_with_their_path(change: Any, path: str) -> None:
    """A malformed field is refused, never coerced, with the path of what holds it."""
    with pytest.raises(errors.SerializationError) as caught:
        serialization.structure(_tampered(change), PointsLedger)
    assert any(f"@ {path}" in problem for problem in caught.value.problems), caught.value.problems


def test_format_2_refuses_other_draws() -> None:
    """A transfer that says it drew other lots than replaying it draws is refused by position."""
    ledger = busy_ledger()
    data = serialization.unstructure(ledger)
    position = ledger.entry("r1").position
    fields = data["journal"][position].split("\b")
    fields[10:] = ["6", "12"]  # all from the second lot instead of the first ones
    data["journal"][position] = "\b".join(fields)
    with pytest.raises(errors.SerializationError) as caught:
        serialization.structure(data, PointsLedger)
    cause = caught.value.__cause__
    assert isinstance(cause, errors.JournalCorrupted)
    assert cause.value == position


def test_format_2_names_the_time_of_an_entry_dated_too_early() -> None:
    """Loading reads an entry's time only when it must: an early one is named in its zone."""
    ledger = busy_ledger()
    data = serialization.unstructure(ledger)
    position = ledger.entry("e7").position  # written at +08:00, the second zone
    fields = data["journal"][position].split("\b")
    fields[6] = str(instant(T0) - 3_600_000_000)  # an hour before the first earning
    data["journal"][position] = "\b".join(fields)
    with pytest.raises(errors.SerializationError) as caught:
        serialization.structure(data, PointsLedger)
    cause = caught.value.__cause__
    assert isinstance(cause, errors.JournalCorrupted)
    assert cause.value == position
    assert isinstance(cause.__cause__, errors.OutOfOrder)
    # 09:00 in Shanghai less an hour, as the entry's own zone writes it; e6 was at 15:00.
    assert "entry dated 2025-03-01T08:00:00+08:00 is before" in str(cause)
    assert "(2025-03-01T15:00:00+08:00)" in str(cause)


def test_format_2_refuses_an_id_repeated_with_other_content() -> None:
    """A later entry that reuses an earlier id is the duplicate it would be when posted."""
    ledger = busy_ledger()
    data = serialization.unstructure(ledger)
    position = ledger.entry("e5").position
    fields = data["journal"][position].split("\b")
    fields[1] = "e2"
    data["journal"][position] = "\b".join(fields)
    with pytest.raises(errors.SerializationError) as caught:
        serialization.structure(data, PointsLedger)
    cause = caught.value.__cause__
    assert isinstance(cause, errors.JournalCorrupted)
    assert cause.value == position
    assert isinstance(cause.__cause__, errors.DuplicateTransfer)


def test_format_2_names_an_entry_that_does_not_match_its_digest() -> None:
    """A changed memo, digests left as they were: the entry's position is named."""
    ledger = busy_ledger()
    data = serialization.unstructure(ledger)
    position = ledger.entry("e4").position
    fields = data["journal"][position].split("\b")
    fields[8] = "另一个备注"
    data["journal"][position] = "\b".join(fields)
    with pytest.raises(errors.SerializationError) as caught:
        serialization.structure(data, PointsLedger)
    cause = caught.value.__cause__
    assert isinstance(cause, errors.JournalCorrupted)
    assert cause.value == position


def test_format_2_refuses_digests_for_more_entries() -> None:
    """Digests for an entry the journal does not hold are refused."""
    ledger = busy_ledger()
    data = serialization.unstructure(ledger)
    data["digests"] = base64.b64encode(base64.b64decode(data["digests"]) + bytes(32)).decode()
    with pytest.raises(errors.SerializationError, match="digests"):
        serialization.structure(data, PointsLedger)


class _Odd(dt.tzinfo):
    """A zone of its own kind, which format 2 cannot name."""

    def utcoffset(self, _moment: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(hours=8)

    def dst(self, _moment: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)

    def tzname(self, _moment: dt.datetime | None) -> str:
        return "odd"


def test_a_zone_format_2_cannot_name_is_written_in_format_1() -> None:
    """A ledger with such a zone is written as format 1, and loads back equal."""
    ledger = new_ledger()
    at = pendulum.DateTime(2025, 3, 1, 9, tzinfo=_Odd())
    ledger.post(Transfer(id="e", debit="v:issuer", credit="v:wang", amount=5, kind="earn", at=at))
    data = serialization.unstructure(ledger)
    assert set(data) == {"head", "journal"}
    assert serialization.loads(serialization.dumps(ledger), PointsLedger) == ledger


def test_iterating_the_journal_gives_each_entry_as_indexing_does() -> None:
    """The one-pass iteration gives the entries, digests, draws and times of indexing."""
    ledger = busy_ledger()
    listed = list(ledger.journal)
    assert listed == [ledger.journal[position] for position in range(len(ledger))]
    for entry in listed:
        indexed = ledger.journal[entry.position]
        assert entry.previous == indexed.previous
        assert entry.draws == indexed.draws
        at = getattr(entry.record, "at", None)
        if at is not None:
            assert at.isoformat() == indexed.record.at.isoformat()  # type: ignore[union-attr]
    assert listed[-1].digest == ledger.head


class TestLoadsReleasesWhatItOwns:
    """``loads`` may free the journal it parsed as it reads it; ``structure`` leaves input alone."""

    @given(gst.points_ledgers())
    def test_structure_leaves_the_callers_data_unchanged(self, ledger: PointsLedger) -> None:
        data = serialization.unstructure(ledger)
        kept = copy.deepcopy(data)
        rebuilt = serialization.structure(data, PointsLedger)
        assert data == kept
        assert rebuilt.head == ledger.head
        assert list(rebuilt.journal) == list(ledger.journal)

    @given(gst.points_ledgers())
    def test_loads_gives_the_ledger_structure_gives(self, ledger: PointsLedger) -> None:
        text = serialization.dumps(ledger)
        loaded = serialization.loads(text, PointsLedger)
        structured = serialization.structure(json.loads(text), PointsLedger)
        assert loaded.head == structured.head == ledger.head
        assert list(loaded.journal) == list(structured.journal)
        assert serialization.dumps(loaded) == text

    def test_a_ledger_inside_other_data_is_not_released(self) -> None:
        """Only the document ``loads`` parsed is owned: data a hook is handed is not."""
        from grassroots import _wire

        ledger = busy_ledger()
        outer = {"ledger": serialization.unstructure(ledger)}
        kept = copy.deepcopy(outer)
        with _wire.owning(outer):
            rebuilt = serialization.structure(outer["ledger"], PointsLedger)
        assert outer == kept
        assert rebuilt.head == ledger.head

    def test_the_mark_is_gone_after_a_refusal(self) -> None:
        from grassroots import _wire

        text = serialization.dumps(busy_ledger())
        broken = text.replace('"head": "', '"head": "0', 1)
        with pytest.raises(errors.SerializationError):
            serialization.loads(broken, PointsLedger)
        data = json.loads(text)
        assert not _wire.owned(data)
        assert _wire._OWNED.get() is None

    def test_an_owned_journal_is_released_as_it_is_read(self) -> None:
        from grassroots import _wire

        ledger = busy_ledger()
        data = serialization.unstructure(ledger)
        with _wire.owning(data):
            rebuilt = serialization.structure(data, PointsLedger)
        assert data["journal"] == [None] * len(ledger)
        assert rebuilt.head == ledger.head


@given(st.one_of(st.integers(-(10**40) + 1, 10**40 - 1).map(str), st.text(max_size=44)))
def test_a_decimal_field_is_read_only_in_canonical_form(field: str) -> None:
    """Exactly what ``str(int)`` gives, up to 40 digits, is read: not ``+1``, ``01``, ``1_0``."""
    from grassroots.ledger._json import _decimal

    try:
        expected: int | None = int(field)
    except ValueError:
        expected = None
    canonical = expected is not None and str(expected) == field and len(field.lstrip("-")) <= 40
    if canonical:
        assert _decimal(field, "amount") == expected
    else:
        with pytest.raises(errors.InvalidValue, match="canonical decimal"):
            _decimal(field, "amount")


@given(st.one_of(st.integers(-5, 1_200).map(str), st.text(max_size=5)))
def test_an_amount_read_by_lookup_is_only_a_canonical_one(field: str) -> None:
    """The amounts taken from the table are the canonical texts of 1 to 999, nothing else."""
    from grassroots.ledger._json import _SMALL_AMOUNTS

    value = _SMALL_AMOUNTS.get(field)
    if field.isascii() and field.isdigit() and str(int(field)) == field and 0 < int(field) < 1000:
        assert value == int(field)
    else:
        assert value is None


@pytest.mark.parametrize(
    "field", ["+1", "01", "-0", "1_000", " 1", "1 ", "\u0663", "²", "", "-", "1" * 41]
)
def test_non_canonical_decimals_are_refused(field: str) -> None:
    from grassroots.ledger._json import _decimal

    with pytest.raises(errors.InvalidValue, match="canonical decimal"):
        _decimal(field, "instant")


def test_a_restored_snapshot_keeps_the_as_of_layout_of_posting() -> None:
    """Positions and a bounded account's balances are unsigned 32-bit; an issuer's are signed."""
    from grassroots.ledger import _snapshot

    ledger = busy_ledger()
    restored = _snapshot.restore(_snapshot.dump(ledger))
    assert restored is not None
    assert restored.head == ledger.head
    for account, state in ledger._accounts.items():
        again = restored._accounts[account]
        assert again.positions.typecode == state.positions.typecode == "I"
        assert type(again.balances) is type(state.balances)
        assert getattr(again.balances, "typecode", None) == getattr(
            state.balances, "typecode", None
        )
        assert list(again.positions) == list(state.positions)
        assert list(again.balances) == list(state.balances)
    assert {state.balances.typecode for state in ledger._accounts.values()} == {"I", "i"}  # type: ignore[union-attr]
