"""Properties of the points ledger that hold after any history, valid or not."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from grassroots import errors, serialization
from grassroots import strategies as gst
from grassroots.ledger import (
    MAX_TRANSFER_POINTS,
    Account,
    AccountClosure,
    AccountKind,
    Draw,
    ExchangeRate,
    ExpiryPolicy,
    JournalEntry,
    Lot,
    PointsLedger,
    RedemptionQuote,
    Scheme,
    SchemeTotals,
    Statement,
    Transfer,
    TransferKind,
    verify_journal,
)

ledgers = gst.points_ledgers()


def state(ledger: PointsLedger) -> object:
    """Return everything observable about a ledger, to compare before and after."""
    return (
        len(ledger),
        ledger.head,
        {a.id: ledger.balance(a.id) for a in ledger.accounts},
        {a.id: ledger.lots(a.id) for a in ledger.accounts if a.kind is AccountKind.WALLET},
        {a.id: ledger.is_closed(a.id) for a in ledger.accounts},
        [ledger.totals(s.code) for s in ledger.schemes],
        list(ledger.journal),
    )


def last_time(ledger: PointsLedger) -> pendulum.DateTime:
    """Return the time of the ledger's last dated entry, or the strategies' start."""
    for entry in reversed(ledger.journal):
        record = entry.record
        if isinstance(record, Transfer | AccountClosure):
            return record.at
    return pendulum.datetime(2024, 1, 1, 8, tz="Asia/Shanghai")


def wallets(ledger: PointsLedger) -> list[str]:
    """Return the ids of the ledger's wallets."""
    return [a.id for a in ledger.accounts if a.kind is AccountKind.WALLET]


def transfers_of(ledger: PointsLedger) -> list[Transfer]:
    """Return the transfers in the ledger's journal."""
    return [e.record for e in ledger.journal if isinstance(e.record, Transfer)]


def check_invariants(ledger: PointsLedger) -> None:
    """Assert what must hold after any history."""
    assert set(ledger.trial_balance().values()) <= {0}
    for wallet in wallets(ledger):
        assert ledger.balance(wallet) >= 0
        assert sum(lot.remaining for lot in ledger.lots(wallet)) == ledger.balance(wallet)
    assert ledger.audit() == ()


# --- random commands, valid or not ---------------------------------------------------------


@st.composite
def commands(draw: st.DrawFn, ledger: PointsLedger) -> list[tuple[Any, ...]]:
    """Draw operations on ``ledger`` with arguments that are often wrong."""
    account_ids = [a.id for a in ledger.accounts] + ["ghost"]
    known = [t.id for t in transfers_of(ledger)] or ["none"]
    ids = st.one_of(st.sampled_from(known), st.sampled_from([f"new-{n}" for n in range(6)]))
    accounts = st.sampled_from(account_ids)
    deltas = st.integers(min_value=-86_400, max_value=400 * 86_400)

    def post_spec() -> st.SearchStrategy[tuple[Any, ...]]:
        return st.tuples(
            ids,
            accounts,
            accounts,
            st.sampled_from(TransferKind),
            st.integers(min_value=1, max_value=600),
            deltas,
            st.sampled_from(known),
        )

    command = st.one_of(
        st.tuples(st.just("post"), post_spec()),
        st.tuples(st.just("batch"), st.lists(post_spec(), min_size=1, max_size=4)),
        st.tuples(
            st.just("reverse"),
            st.sampled_from(known),
            ids,
            st.none() | st.integers(min_value=1, max_value=600),
            deltas,
        ),
        st.tuples(st.just("expire"), deltas),
        st.tuples(
            st.just("exchange"),
            ids,
            accounts,
            accounts,
            st.integers(min_value=1, max_value=600),
            deltas,
        ),
        st.tuples(st.just("close"), accounts, deltas),
    )
    return draw(st.lists(command, max_size=12))


def build(spec: tuple[Any, ...], now: pendulum.DateTime) -> Transfer:
    """Build a transfer from a drawn spec (may raise for an invalid one)."""
    tid, debit, credit, kind, amount, delta, original = spec
    return Transfer(
        id=tid,
        debit=debit,
        credit=credit,
        amount=amount,
        kind=kind,
        at=now.add(seconds=delta),
        reverses=original if kind is TransferKind.REVERSE else None,
    )


def run(ledger: PointsLedger, command: tuple[Any, ...], now: pendulum.DateTime) -> None:
    """Apply one drawn command to the ledger."""
    name = command[0]
    if name == "post":
        ledger.post(build(command[1], now))
    elif name == "batch":
        ledger.post_batch([build(spec, now) for spec in command[1]])
    elif name == "reverse":
        _, original, tid, amount, delta = command
        ledger.reverse(original, id=tid, amount=amount, at=now.add(seconds=delta))
    elif name == "expire":
        ledger.expire(as_of=now.add(seconds=command[1]))
    elif name == "exchange":
        _, tid, source, target, points, delta = command
        ledger.exchange(
            id=tid, source=source, target=target, points=points, at=now.add(seconds=delta)
        )
    else:
        _, account, delta = command
        ledger.close_account(account, at=now.add(seconds=delta))


class TestConservation:
    @given(ledgers)
    def test_trial_balance_is_zero_in_every_scheme(self, ledger: PointsLedger) -> None:
        """Double entry: every scheme's balances sum to zero."""
        assert ledger.trial_balance() == {s.code: 0 for s in ledger.schemes}

    @given(ledgers)
    def test_lots_sum_to_the_balance(self, ledger: PointsLedger) -> None:
        """Every wallet's balance is the points left in its lots, none of them empty."""
        for wallet in wallets(ledger):
            lots = ledger.lots(wallet)
            assert all(0 < lot.remaining <= lot.amount for lot in lots)
            assert sum(lot.remaining for lot in lots) == ledger.balance(wallet)

    @given(ledgers)
    def test_totals_explain_the_outstanding_points(self, ledger: PointsLedger) -> None:
        """Outstanding points are what was issued, adjusted and exchanged in, less what left."""
        for scheme in ledger.schemes:
            t = ledger.totals(scheme.code)
            assert t.outstanding == (
                t.issued + t.adjusted + t.exchanged_in - t.redeemed - t.expired - t.exchanged_out
            )
            assert t.outstanding == sum(
                ledger.balance(a.id)
                for a in ledger.accounts
                if a.scheme == scheme.code and a.kind is AccountKind.WALLET
            )


class TestRefusals:
    @given(st.data())
    def test_rejected_operations_change_nothing(self, data: st.DataObject) -> None:
        """After any mix of valid and invalid operations, refused ones leave no trace."""
        ledger = data.draw(ledgers)
        for command in data.draw(commands(ledger)):
            before = state(ledger)
            try:
                run(ledger, command, last_time(ledger))
            except errors.GrassrootsError:
                assert state(ledger) == before
            check_invariants(ledger)

    @given(st.data())
    def test_batches_are_atomic(self, data: st.DataObject) -> None:
        """A batch applies whole, or not at all and names the first refused transfer."""
        ledger = data.draw(ledgers)
        now = last_time(ledger)
        specs = data.draw(commands(ledger).map(lambda cs: [c for c in cs if c[0] == "batch"]))
        for _, batch_specs in specs:
            try:
                batch = [build(spec, now) for spec in batch_specs]
            except errors.GrassrootsError:
                continue
            before = state(ledger)
            trial = PointsLedger.replay(ledger.journal)
            rejected: errors.BatchRejected | None = None
            positions: tuple[int, ...] = ()
            try:
                positions = ledger.post_batch(batch)
            except errors.BatchRejected as exc:
                rejected = exc
            if rejected is None:
                assert [ledger.journal[p].record for p in positions] == batch
            else:
                assert state(ledger) == before
                assert rejected.reason is not None
                assert batch[rejected.index].id == rejected.transfer_id
                for transfer in batch[: rejected.index]:
                    trial.post(transfer)  # the ones before it were fine
                with pytest.raises(type(rejected.reason)):
                    trial.post(batch[rejected.index])
            check_invariants(ledger)


class TestIdempotency:
    @given(ledgers)
    def test_reposting_changes_nothing(self, ledger: PointsLedger) -> None:
        """Posting any posted transfer again returns its position and changes nothing."""
        before = state(ledger)
        posted = [(e.position, e.record) for e in ledger.journal if isinstance(e.record, Transfer)]
        for position, transfer in posted:
            assert ledger.post(transfer) == position
        assert ledger.post_batch([t for _, t in posted]) == tuple(p for p, _ in posted)
        assert state(ledger) == before

    @given(ledgers, st.data())
    def test_same_id_other_content_is_refused(
        self, ledger: PointsLedger, data: st.DataObject
    ) -> None:
        """A posted id with any other content is a DuplicateTransfer and changes nothing."""
        posted = transfers_of(ledger)
        assume(posted)
        transfer = data.draw(st.sampled_from(posted))
        changed = attrs.evolve(transfer, memo=transfer.memo + "!")
        before = state(ledger)
        with pytest.raises(errors.DuplicateTransfer):
            ledger.post(changed)
        assert state(ledger) == before


class TestReversal:
    @given(ledgers)
    def test_reversed_amounts_never_exceed_the_original(self, ledger: PointsLedger) -> None:
        """Reversals of a transfer add up to at most its amount, and are counted."""
        reversed_sum: dict[str, int] = {}
        for transfer in transfers_of(ledger):
            if transfer.reverses is not None:
                reversed_sum[transfer.reverses] = (
                    reversed_sum.get(transfer.reverses, 0) + transfer.amount
                )
        for transfer in transfers_of(ledger):
            assert ledger.reversed_amount(transfer.id) == reversed_sum.get(transfer.id, 0)
            assert reversed_sum.get(transfer.id, 0) <= transfer.amount

    @given(ledgers, st.data())
    def test_a_transfer_is_reversed_at_most_once(
        self, ledger: PointsLedger, data: st.DataObject
    ) -> None:
        """After a full reversal, any further reversal is refused and changes nothing."""
        candidates = [
            t for t in transfers_of(ledger) if t.kind in {TransferKind.EARN, TransferKind.REDEEM}
        ]
        assume(candidates)
        original = data.draw(st.sampled_from(candidates))
        when = last_time(ledger)
        try:
            ledger.reverse(original.id, id="undo-all", at=when)
        except errors.AlreadyReversed:
            pass
        except errors.InsufficientPoints:
            assume(False)
        before = state(ledger)
        with pytest.raises(errors.AlreadyReversed):
            ledger.reverse(original.id, id="undo-again", at=when, amount=1)
        assert state(ledger) == before
        assert ledger.reversed_amount(original.id) == original.amount
        check_invariants(ledger)


class TestExpiry:
    @given(ledgers, st.integers(min_value=0, max_value=3 * 366 * 86_400))
    def test_expiry_moves_exactly_the_expired_remainder(
        self, ledger: PointsLedger, seconds: int
    ) -> None:
        """A sweep moves each expired lot's remainder to the expiry account, and nothing else."""
        as_of = last_time(ledger).add(seconds=seconds)
        expired = {
            wallet: sum(
                lot.remaining
                for lot in ledger.lots(wallet)
                if lot.expires_at is not None and lot.expires_at <= as_of
            )
            for wallet in wallets(ledger)
        }
        per_scheme: dict[str, int] = {}
        for wallet, points in expired.items():
            scheme = ledger.account(wallet).scheme
            per_scheme[scheme] = per_scheme.get(scheme, 0) + points
        balances = {a.id: ledger.balance(a.id) for a in ledger.accounts}
        ledger.expire(as_of=as_of)
        for account in ledger.accounts:
            change = ledger.balance(account.id) - balances[account.id]
            if account.kind is AccountKind.WALLET:
                assert change == -expired[account.id]
                assert all(
                    lot.expires_at is None or lot.expires_at > as_of
                    for lot in ledger.lots(account.id)
                )
            elif account.id == f"{account.scheme}:expiry":
                assert change == per_scheme.get(account.scheme, 0)
            else:
                assert change == 0
        before = state(ledger)
        assert ledger.expire(as_of=as_of) == ()
        assert state(ledger) == before
        check_invariants(ledger)


class TestJournal:
    @given(ledgers)
    def test_replay_gives_the_same_state_and_head(self, ledger: PointsLedger) -> None:
        """Rebuilding from the journal gives the same balances, lots, totals and head."""
        copy = PointsLedger.replay(ledger.journal)
        assert copy == ledger
        assert state(copy) == state(ledger)
        assert copy.verify() == ledger.verify() == ledger.head

    @given(gst.points_ledgers(min_operations=1), st.data())
    def test_changing_any_field_of_any_entry_is_named(
        self, ledger: PointsLedger, data: st.DataObject
    ) -> None:
        """Whatever field of whichever entry changes, verification names that entry."""
        entries = list(ledger.journal)
        position = data.draw(st.integers(min_value=0, max_value=len(entries) - 1))
        tampered = changed_entry(entries[position], data)
        assume(tampered != entries[position])
        entries[position] = tampered
        with pytest.raises(errors.JournalCorrupted) as caught:
            verify_journal(entries)
        assert caught.value.value == position
        with pytest.raises(errors.JournalCorrupted) as replayed:
            PointsLedger.replay(entries)
        assert replayed.value.value == position


def changed_entry(entry: JournalEntry, data: st.DataObject) -> JournalEntry:
    """Return ``entry`` with one drawn field changed to another valid value."""
    try:
        return _changed_entry(entry, data)
    except (ValueError, TypeError):
        assume(False)  # that change would not make a valid entry
        raise


def _changed_entry(entry: JournalEntry, data: st.DataObject) -> JournalEntry:
    field = data.draw(st.sampled_from(["position", "previous", "digest", "draws", "record"]))
    if field == "position":
        return attrs.evolve(entry, position=entry.position + 1)
    if field in {"previous", "digest"}:
        old = getattr(entry, field)
        return attrs.evolve(entry, **{field: ("1" if old[0] == "0" else "0") + old[1:]})
    if field == "draws":
        if entry.draws:
            first, *rest = entry.draws
            return attrs.evolve(entry, draws=(attrs.evolve(first, points=first.points + 1), *rest))
        return attrs.evolve(entry, draws=(Draw(lot="x", points=1),))
    record = entry.record
    name = data.draw(st.sampled_from([f.name for f in attrs.fields(type(record))]))
    new_value = changed(getattr(record, name), name, record)
    return attrs.evolve(entry, record=attrs.evolve(record, **{name: new_value}))


def changed(value: Any, name: str, record: Any) -> Any:  # noqa: PLR0911 - one case per type
    """Return another valid value of the same type as ``value``."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1 if value < MAX_TRANSFER_POINTS else value - 1
    if isinstance(value, str):
        return value + "x"
    if value is None:
        return "x"
    if isinstance(value, dt.datetime):
        return pendulum.instance(value).add(microseconds=1)
    if isinstance(value, Fraction):
        return value + 1
    if isinstance(value, TransferKind):
        others = [k for k in TransferKind if k is not value and k is not TransferKind.REVERSE]
        if value is TransferKind.REVERSE:
            raise ValueError("a reversal keeps its kind")
        return others[0]
    if isinstance(value, AccountKind):
        return next(k for k in AccountKind if k is not value)
    if isinstance(value, ExpiryPolicy):
        return (
            ExpiryPolicy.after_days(7)
            if value != ExpiryPolicy.after_days(7)
            else ExpiryPolicy.never()
        )
    raise AssertionError(f"no change for {name}={value!r} of {type(record).__name__}")


class TestJson:
    @given(ledgers)
    def test_ledger_round_trips(self, ledger: PointsLedger) -> None:
        """A ledger comes back from JSON equal, with the same head."""
        back = serialization.loads(serialization.dumps(ledger), PointsLedger)
        assert back == ledger
        assert back.head == ledger.head

    @pytest.mark.parametrize(
        ("strategy", "cls"),
        [
            (gst.schemes(), Scheme),
            (gst.accounts(), Account),
            (gst.transfers(), Transfer),
            (gst.exchange_rates(), ExchangeRate),
            (gst.account_closures(), AccountClosure),
            (gst.draws(), Draw),
            (gst.expiry_policies(), ExpiryPolicy),
            (gst.journal_entries(), JournalEntry),
            (gst.lots(), Lot),
            (gst.statements(), Statement),
            (gst.scheme_totals(), SchemeTotals),
            (gst.redemption_quotes(), RedemptionQuote),
        ],
    )
    def test_every_value_round_trips(self, strategy: st.SearchStrategy[Any], cls: type) -> None:
        """Every strategy draws values of its type, and each comes back from JSON equal."""

        @given(strategy)
        def round_trip(value: Any) -> None:
            assert isinstance(value, cls)
            assert serialization.loads(serialization.dumps(value), cls) == value

        round_trip()
