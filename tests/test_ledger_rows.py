"""`PointsLedger.post_rows` posts, and refuses, exactly as building `Transfer`s and `post_batch`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.errors import BatchRejected, InvalidValue, RuleViolation
from grassroots.ledger import (
    Account,
    AccountKind,
    ExpiryPolicy,
    PointsLedger,
    Scheme,
    Transfer,
    TransferKind,
)
from grassroots.ledger._values import _check_transfer, plain

FIELDS = ("id", "debit", "credit", "amount", "kind", "at", "reference", "memo", "reverses")
START = pendulum.datetime(2025, 3, 1, 9, tz="Asia/Shanghai")


def _ledger() -> PointsLedger:
    """Two schemes, their issuers, two wallets, a shop, and one earning already posted."""
    ledger = PointsLedger()
    ledger.add_scheme(Scheme(code="virtue", expiry=ExpiryPolicy.end_of_year(1)))
    ledger.add_scheme(Scheme(code="party", allow_resident_transfers=True))
    for account_id, scheme, kind in (
        ("issuer", "virtue", AccountKind.ISSUER),
        ("wang", "virtue", AccountKind.WALLET),
        ("li", "virtue", AccountKind.WALLET),
        ("shop", "virtue", AccountKind.MERCHANT),
        ("party:issuer", "party", AccountKind.ISSUER),
        ("party:wang", "party", AccountKind.WALLET),
    ):
        ledger.open_account(Account(id=account_id, scheme=scheme, kind=kind))
    ledger.post(
        Transfer(id="seed", debit="issuer", credit="wang", amount=50, kind="earn", at=START)
    )
    return ledger


def _as_transfer(row: Any) -> Transfer:
    """Build the `Transfer` a row stands for: its fields by name, in `Transfer`'s order."""
    if not isinstance(row, tuple) or not 6 <= len(row) <= 9:
        raise TypeError(f"not a transfer row: {row!r}")
    return Transfer(**dict(zip(FIELDS, row, strict=False)))


def _outcome(ledger: PointsLedger, call: Callable[[], tuple[int, ...]]) -> tuple[object, ...]:
    try:
        positions = call()
    except Exception as exc:  # noqa: BLE001 - the outcome is compared, whatever it is
        reason = exc.reason if isinstance(exc, BatchRejected) else None
        return ("error", type(exc), str(exc), type(reason))
    return ("ok", positions, ledger.head)


def _state(ledger: PointsLedger) -> tuple[object, ...]:
    """What a refusal must leave as it was: the journal, balances, lots and as-of balances."""
    accounts = [account.id for account in ledger.accounts]
    return (
        ledger.head,
        len(ledger),
        tuple(ledger.journal),
        tuple(ledger.balance(a) for a in accounts),
        tuple(ledger.lots(a) for a in accounts if ledger.account(a).kind is AccountKind.WALLET),
        tuple(ledger.balance(a, as_of=START.add(hours=5)) for a in accounts),
        ledger.totals("virtue"),
    )


_TEXT = st.one_of(
    st.sampled_from(["", "a", " a", "a ", "美德", "x\0y", "x\ny", "\t", "\u3000", "expire:x"]),
    st.text(max_size=4),
    st.text(min_size=120, max_size=130),
)
_ACCOUNT = st.one_of(
    st.sampled_from(["issuer", "wang", "li", "shop", "party:issuer", "party:wang", "nobody"]),
    _TEXT,
    st.just(7),
)
_AMOUNT = st.one_of(
    st.integers(1, 80),
    st.integers(-2, 0),
    st.sampled_from([10**12, 10**12 + 1, 10**30, True, False, 1.0, "5", None]),
)
_KIND = st.one_of(
    st.sampled_from(TransferKind),
    st.sampled_from(["earn", "redeem", "gift", "reverse", "adjust", "x", "EARN"]),
    st.just(3),
)
_REFERENCE = st.one_of(st.just(""), st.sampled_from(["activity", "bill"]), _TEXT, st.just(None))
_REVERSES = st.one_of(st.none(), st.sampled_from(["seed", "t0", "nothing"]), _TEXT)


_TIME = st.sampled_from(
    [
        START.add(hours=3).astimezone(dt.UTC),
        dt.datetime(2025, 3, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        dt.datetime(2025, 3, 1, 12),  # noqa: DTZ001 - naive on purpose
        pendulum.naive(2025, 3, 1, 12),
        START.subtract(days=1),  # before the journal's last entry
        pendulum.datetime(1, 1, 1, tz="UTC"),  # outside the recorded range
        START.isoformat(),
    ]
)
_HOSTILE = (
    st.one_of(st.just("seed"), st.just("t0"), _TEXT, st.just(5)),  # id
    _ACCOUNT,  # debit
    _ACCOUNT,  # credit
    _AMOUNT,  # amount
    _KIND,  # kind
    _TIME,  # at
    _REFERENCE,  # reference
    _REFERENCE,  # memo
    _REVERSES,  # reverses
)


@st.composite
def _rows(draw: st.DrawFn) -> list[Any]:
    """A batch of rows: well formed, or with one to three fields, or the shape, made hostile."""
    rows: list[Any] = []
    for number in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["earn", "redeem", "gift", "reverse"]))
        debit, credit = {
            "earn": ("issuer", "wang"),
            "redeem": ("wang", "shop"),
            "gift": ("wang", "li"),
            "reverse": ("wang", "issuer"),
        }[kind]
        fields: list[Any] = [
            f"t{number}",
            debit,
            credit,
            draw(st.integers(1, 40)),
            kind,
            START.add(minutes=10 * (number + 1)),
            "activity",
            "幸福食堂午餐",
            "seed" if kind == "reverse" else None,
        ]
        hostile = draw(st.integers(0, 2)) == 0
        for field in draw(st.lists(st.integers(0, 8), min_size=1, max_size=3)) if hostile else ():
            fields[field] = draw(_HOSTILE[field])
        size = draw(st.sampled_from([9] * 12 + [8, 7, 6, 5, 10, 0]))
        row: tuple[Any, ...] = tuple(fields[:size]) if size <= 9 else (*fields, "extra")
        rows.append(list(row) if draw(st.integers(0, 49)) == 0 else row)
    return rows


class TestPostRows:
    @settings(max_examples=300, deadline=None)
    @given(_rows())
    def test_rows_post_and_refuse_as_transfers_and_post_batch(self, rows: list[Any]) -> None:
        """The same journal (head digest) or the same error; a refusal changes nothing."""
        by_rows, by_transfers = _ledger(), _ledger()
        before = _state(by_rows)
        mine = _outcome(by_rows, lambda: by_rows.post_rows(rows))
        theirs = _outcome(
            by_transfers,
            lambda: by_transfers.post_batch([_as_transfer(row) for row in rows]),
        )
        shape = any(not isinstance(row, tuple) or not 6 <= len(row) <= 9 for row in rows)
        if shape and theirs[0] == "error" and "not a transfer row" in str(theirs[2]):
            assert mine[:2] == theirs[:2]  # the row's shape: a TypeError either way
        else:
            assert mine == theirs
        if mine[0] == "error":
            assert _state(by_rows) == before
        else:
            assert by_rows == by_transfers
            assert _state(by_rows) == _state(by_transfers)
        # Whatever happened, the two ledgers go on alike: nothing half-done is left behind.
        follow = Transfer(
            id="after", debit="issuer", credit="li", amount=3, kind="earn", at=START.add(days=1)
        )
        assert by_rows.post(follow) == by_transfers.post(follow)
        assert by_rows.head == by_transfers.head


@st.composite
def _valid_rows(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    """Earnings and redemptions the ledger accepts, some of them short rows or given twice."""
    rows: list[tuple[Any, ...]] = []
    for number in range(draw(st.integers(1, 6))):
        if rows and draw(st.integers(0, 4)) == 0:
            rows.append(draw(st.sampled_from(rows)))  # the same transfer again, in the batch
            continue
        debit, credit, kind = draw(
            st.sampled_from([("issuer", "wang", "earn"), ("wang", "shop", "redeem")])
        )
        row = (
            f"r{number}",
            debit,
            credit,
            draw(st.integers(1, 5)),
            kind,
            START.add(minutes=10 * (number + 1)),
            "bill",
            draw(st.sampled_from(["", "幸福食堂午餐", "24小时便利店"])),
            None,
        )
        rows.append(row[: draw(st.sampled_from([6, 7, 8, 9]))])
    return rows


class TestPostRowsRetried:
    @settings(max_examples=100, deadline=None)
    @given(_valid_rows())
    def test_a_retried_batch_is_a_no_op_that_gives_the_same_positions(
        self, rows: list[Any]
    ) -> None:
        """Posting the same rows again changes nothing and returns what the first call did."""
        ledger = _ledger()
        first = _outcome(ledger, lambda: ledger.post_rows(rows))
        assert first[0] == "ok", first
        head, state = ledger.head, _state(ledger)
        assert ledger.post_rows(rows) == first[1]
        assert ledger.post_rows(list(rows)) == first[1]
        assert ledger.head == head
        assert _state(ledger) == state


class TestPostRowsExamples:
    def test_short_rows_take_the_defaults(self) -> None:
        ledger, other = _ledger(), _ledger()
        ledger.post_rows([("t1", "issuer", "wang", 5, "earn", START.add(hours=1))])
        other.post(
            Transfer(
                id="t1", debit="issuer", credit="wang", amount=5, kind="earn", at=START.add(hours=1)
            )
        )
        assert ledger.head == other.head
        assert ledger.transfer("t1").reference == ""
        assert ledger.transfer("t1").reverses is None

    def test_a_refusal_names_the_row_and_changes_nothing(self) -> None:
        ledger = _ledger()
        head = ledger.head
        with pytest.raises(BatchRejected, match=r"transfer 1 \(t2\)") as caught:
            ledger.post_rows(
                [
                    ("t1", "issuer", "wang", 5, "earn", START.add(hours=1)),
                    ("t2", "wang", "shop", 500, "redeem", START.add(hours=2)),
                ]
            )
        assert caught.value.index == 1
        assert ledger.head == head
        assert ledger.balance("wang") == 50

    def test_a_malformed_later_row_is_the_error_even_after_a_refused_one(self) -> None:
        """As when every Transfer is built first: the field error wins over the ledger's."""
        ledger = _ledger()
        with pytest.raises(RuleViolation, match="positive number"):
            ledger.post_rows(
                [
                    ("t1", "wang", "shop", 500, "redeem", START.add(hours=1)),
                    ("t2", "issuer", "wang", -1, "earn", START.add(hours=2)),
                ]
            )
        assert len(ledger) == 9  # two schemes, six accounts, the seed

    def test_a_bool_amount_and_a_naive_time_are_refused_as_transfer_refuses_them(self) -> None:
        ledger = _ledger()
        with pytest.raises(TypeError, match="whole number of points"):
            ledger.post_rows([("t1", "issuer", "wang", True, "earn", START.add(hours=1))])
        with pytest.raises(TypeError):
            ledger.post_rows([("t1", "issuer", "wang", 1, "earn", dt.datetime(2025, 3, 2))])  # noqa: DTZ001
        with pytest.raises(InvalidValue):
            ledger.post_rows([("t1", "issuer", "wang", 1, "x", START.add(hours=1))])
        with pytest.raises(TypeError, match="6 to 9 fields"):
            ledger.post_rows([("t1", "issuer", "wang", 1, "earn")])
        assert len(ledger) == 9  # two schemes, six accounts, the seed


@st.composite
def _fields(draw: st.DrawFn) -> tuple[Any, ...]:
    """A transfer's nine fields: well formed, with none to three of them made hostile."""
    kind = draw(st.sampled_from([*TransferKind, "earn", "reverse"]))
    fields: list[Any] = [
        draw(st.sampled_from(["t1", "美德:1", "a b"])),
        "issuer",
        draw(st.sampled_from(["wang", "li"])),
        draw(st.integers(1, 10**12)),
        kind,
        draw(st.sampled_from([START, START.astimezone(dt.UTC)])),
        draw(st.sampled_from(["", "activity", "幸福食堂"])),
        draw(st.sampled_from(["", "午餐 两份"])),
        "seed" if kind in {"reverse", TransferKind.REVERSE} else None,
    ]
    for field in draw(st.lists(st.integers(0, 8), max_size=3)):
        fields[field] = draw(_HOSTILE[field])
    return tuple(fields)


class TestPlain:
    @given(_fields())
    def test_plain_accepts_only_what_the_field_checks_accept_unchanged(
        self, fields: tuple[Any, ...]
    ) -> None:
        """``plain`` (post_rows' fast test, written out in ``Transfer``) is never looser."""
        tid, debit, credit, amount, kind, at, reference, memo, reverses = fields
        if type(kind) is str:
            kind = {member.value: member for member in TransferKind}.get(kind, kind)
        if plain(tid, debit, credit, amount, kind, at, reference, memo, reverses):
            assert _check_transfer(*fields) == (kind, at)
            built = _as_transfer(fields)
            assert tuple(getattr(built, name) for name in FIELDS) == (
                tid,
                debit,
                credit,
                amount,
                kind,
                at,
                reference,
                memo,
                reverses,
            )
