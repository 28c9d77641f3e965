"""The points ledger aggregate (private): commands and queries, delegating to the parts.

[`PointsLedger`][grassroots.ledger.PointsLedger] validates every command first and
then applies it; it keeps its history in the journal (``_journal``), encodes every
entry through the codec (``_codec``), checks flows against the one table
(``_flows``), draws lots with the lot arithmetic (``_lots``) and keeps the running
projection (``_state``) that replay rebuilds.
"""

from __future__ import annotations

import bisect
import copy
import datetime as _dt
from array import array
from collections.abc import Iterable, Iterator
from typing import Any, Final, TypeAlias, TypeVar, cast

import pendulum

from grassroots._time import SHANGHAI, require_aware
from grassroots.audit import Finding
from grassroots.errors import (
    AccountClosed,
    AccountNotEmpty,
    AlreadyReversed,
    BatchRejected,
    DuplicateRecord,
    DuplicateTransfer,
    GrassrootsError,
    InsufficientPoints,
    InvalidValue,
    JournalCorrupted,
    LedgerImbalance,
    NoExchangeRate,
    OutOfOrder,
    PointsExpired,
    SchemeMismatch,
    TransferNotAllowed,
    UnknownAccount,
    UnknownScheme,
    UnknownTransfer,
)
from grassroots.ledger._checks import _points, _require_in_range
from grassroots.ledger._codec import (
    _AMOUNT,
    _CREDIT,
    _DEBIT,
    _DECIMAL,
    _DECIMALS,
    _DIGEST_SIZE,
    _FIRST_DRAW,
    _GENESIS_BYTES,
    _ID,
    _KEY,
    _KIND,
    _MEMO,
    _REFERENCE,
    _REVERSES,
    _ZONE,
    GENESIS,
    _digest,
    _hash,
    _record_body,
    _Row,
    draws_text,
    transfer_text,
    trusted_draw,
    trusted_transfer,
)
from grassroots.ledger._expiry import ExpiryClock
from grassroots.ledger._flows import (
    _ADJUSTED,
    _CONVERT,
    _CONVERTED,
    _EXCHANGE,
    _EXCHANGED_IN,
    _EXCHANGED_OUT,
    _EXPIRE_LOTS,
    _EXPIRED,
    _EXPIRY,
    _FLOWS,
    _GIFT,
    _ISSUED,
    _KINDS,
    _REDEEMED,
    _REVERSIBLE,
    _RULES,
    _SETTLED,
    _WALLET,
)
from grassroots.ledger._instants import (
    MAX_INSTANT,
    MIN_INSTANT,
    NEVER,
    Reader,
    Zone,
    instant,
    to_datetime,
)
from grassroots.ledger._journal import (
    _BLOCK,
    _BYTE_MAX,
    Journal,
    JournalEntry,
    Rows,
    trusted_entry,
)
from grassroots.ledger._lots import _LotRow, plan_draws, plan_reversal_draws, restore, take
from grassroots.ledger._rules import (
    NON_NEGATIVE_RULE,
    RESERVED_ID_RULE,
    RESERVED_PREFIX,
    RESIDENT_TRANSFER_RULE,
)
from grassroots.ledger._state import _AccountState, _SchemeState, widened
from grassroots.ledger._statements import SchemeTotals, Statement, StatementLine, _period_bounds
from grassroots.ledger._values import (
    _TRANSFER_KINDS,
    Account,
    AccountClosure,
    Draw,
    ExchangeRate,
    Lot,
    Record,
    Scheme,
    Transfer,
    TransferKind,
    plain,
    row_fields,
)
from grassroots.money import apportion

T = TypeVar("T")

_subtract = _dt.datetime.__sub__

_NEVER: Final = NEVER

Read: TypeAlias = tuple[int, Zone]

"""A transfer's instant and the ledger's zone it was written in, as loading reads them."""

_FIRST_FIELD: Final = 11  # the first draw's field in a transfer's text

_REVERSAL: Final = 0

"""How ``post`` posts a reversal: by ``_post_reversal``, not by the flows table's modes."""


def _expiry_text(key: int) -> str:
    return to_datetime(key, SHANGHAI).isoformat()


def _id_index() -> dict[str, int]:
    """Return an empty dict for the index of transfer ids.

    CPython keeps a dict whose keys have all been strings in a compact table
    that holds no hashes: a lookup that lands on another key reads that key's
    string to compare hashes, a cache miss of its own once a million ids are
    spread over memory. A dict that has held any other key keeps each hash
    beside its key, for good. This one is made so, and posting into a ledger of
    a million transfers gets faster by about a tenth of a microsecond.
    """
    index: dict[object, int] = {None: 0}
    del index[None]
    return cast(dict[str, int], index)


def _enter_reversal(
    source: _AccountState, sink: _AccountState, position: int, original: str, amount: int
) -> None:
    """Enter a reversal of a transfer of kind ``original`` in the positions and the flows."""
    source.enter(position)
    sink.enter(position)
    slot, sign = _FLOWS[original][sink.pair + source.code]  # the original's direction
    source.scheme.flows[slot] -= sign * amount


def _project(
    source: _AccountState,
    sink: _AccountState,
    position: int,
    amount: int,
    flow: tuple[int, int],
) -> None:
    """Project a posted transfer onto the balances, the as-of index and its scheme's flows.

    This is what [`balance`][grassroots.ledger.PointsLedger.balance] (also as of a
    time), statements and totals read, kept as it is posted: the same as
    ``_AccountState.enter`` for both accounts, written out for the hot path.
    """
    source.balance -= amount
    sink.balance += amount
    # Each append may outgrow its array's 32 bits (then 64): ``widened`` makes room.
    try:
        source.positions.append(position)
    except OverflowError:
        source.positions = cast(array[int], widened(source.positions, position))
    try:
        sink.positions.append(position)
    except OverflowError:
        sink.positions = cast(array[int], widened(sink.positions, position))
    try:
        source.balances.append(source.balance)
    except OverflowError:
        source.balances = widened(source.balances, source.balance)
    try:
        sink.balances.append(sink.balance)
    except OverflowError:
        sink.balances = widened(sink.balances, sink.balance)
    slot, sign = flow
    source.scheme.flows[slot] += sign * amount


def _take_draws(lots: list[_LotRow], takes: list[int] | None, amount: int, points: str) -> str:
    """Take ``amount`` (``points`` in decimal) from a wallet's lots as planned; encode the draws.

    Without a plan (no lot expired) the lots pay in turn from the front; the
    common case, the first lot paying it all, needs no loop.
    """
    if takes is not None:
        return draws_text(take(lots, takes))
    expires, origin, remaining = lots[0]
    if remaining >= amount:
        if remaining == amount:
            del lots[0]
        else:
            lots[0] = (expires, origin, remaining - amount)
        return f"\0{origin}\0{points}"
    need = amount
    index = 0
    while lots[index][2] < need:
        need -= lots[index][2]
        index += 1
    expires, last, remaining = lots[index]
    drawn = "".join([f"\0{lot}\0{points}" for _, lot, points in lots[:index]])
    if remaining == need:
        del lots[: index + 1]
    else:
        lots[index] = (expires, last, remaining - need)
        del lots[:index]
    return f"{drawn}\0{last}\0{need}"


def _open_lot(
    lots: list[_LotRow], clock: ExpiryClock, position: int, amount: int, key: int
) -> None:
    """Open the lot a transfer into a wallet credits, expiring by its scheme's policy.

    Every policy's expiry grows with the earning time, and the journal is in
    time order, so a new lot sorts after every lot the policy opened; only a
    wallet holding converted or given points (``_open_kept_lot``, which keeps
    the expiry they had) may need a search.
    """
    expiry = clock.expiry if clock.lo <= key < clock.hi else clock.expires(key)
    if lots and lots[-1][0] > expiry:
        bisect.insort(lots, (expiry, position, amount))
    else:
        lots.append((expiry, position, amount))


def _trusted(cls: type[T], **values: object) -> T:
    """Build a frozen attrs value from fields the ledger has already validated."""
    obj = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(obj, name, value)
    return obj


def _rejected(exc: GrassrootsError, index: int, tid: str) -> BatchRejected:
    """Return the error refusing a batch whose transfer at ``index`` the ledger refused."""
    return BatchRejected(
        f"batch refused at transfer {index} ({tid}); nothing was posted: {exc}",
        index=index,
        transfer_id=tid,
        reason=exc,
        value=exc.value,
        limit=exc.limit,
        rule=exc.rule,
    )


class _Snapshot:
    """What a batch may change, saved before it changes it, so that it can be undone.

    An account is saved the first time the batch touches it (its balance and a
    copy of its open lots), keyed by its state object: ``_post`` asks whether
    both accounts of a transfer are saved already, two identity lookups, and
    calls ``save`` only when one is not. Everything else (the rows, the ids, the
    digests, the as-of arrays) is appended to, and cut back to its length before.
    """

    __slots__ = (
        "accounts",
        "conversion",
        "flows",
        "head",
        "last_key",
        "owed",
        "reversals",
        "reversed",
        "rows",
    )

    def __init__(self, ledger: PointsLedger) -> None:
        self.rows = len(ledger._rows)
        self.head = ledger._head
        self.last_key = ledger._last_key
        self.conversion = ledger._conversion
        self.owed: dict[int, dict[int, int] | None] = {}
        self.accounts: dict[_AccountState, tuple[int, list[_LotRow] | None]] = {}
        self.reversed: dict[int, int | None] = {}
        self.reversals: dict[int, int | None] = {}
        self.flows: dict[_SchemeState, list[int]] = {}

    def save(self, source: _AccountState, sink: _AccountState) -> None:
        """Save the two accounts of a transfer, and their scheme's flows, unless saved already."""
        scheme = source.scheme  # the sink's too: a transfer is within one scheme
        if scheme not in self.flows:
            self.flows[scheme] = list(scheme.flows)
        accounts = self.accounts
        if source not in accounts:
            accounts[source] = (source.balance, None if source.lots is None else list(source.lots))
        if sink not in accounts:
            accounts[sink] = (sink.balance, None if sink.lots is None else list(sink.lots))

    def save_reversal(self, ledger: PointsLedger, original: int) -> None:
        if original not in self.reversed:
            self.reversed[original] = ledger._reversed.get(original)
            later = ledger._reversals.get(original)
            self.reversals[original] = None if later is None else len(later)
            owed = ledger._owed.get(original)
            self.owed[original] = None if owed is None else dict(owed)

    def restore(self, ledger: PointsLedger) -> None:
        rows = ledger._rows
        for row in rows.since(self.rows):
            ledger._ids.pop(row[_ID], None)
        rows.truncate(self.rows)
        ledger._head = self.head
        ledger._last_key = self.last_key
        self._restore_lots(ledger)
        del ledger._digests[self.rows * _DIGEST_SIZE :]
        for scheme, flows in self.flows.items():
            scheme.flows[:] = flows
        for state, (balance, lots) in self.accounts.items():
            state.forget(self.rows)
            state.balance = balance
            if lots is not None and state.lots is not None:
                state.lots[:] = lots
        for original, reversed_before in self.reversed.items():
            if reversed_before is None:
                ledger._reversed.pop(original, None)
            else:
                ledger._reversed[original] = reversed_before
        for original, count in self.reversals.items():
            if count is None:
                ledger._reversals.pop(original, None)
            else:
                del ledger._reversals[original][count:]

    def _restore_lots(self, ledger: PointsLedger) -> None:
        """Undo the batch's kept expiries, pending conversion and points owed back."""
        ledger._conversion = self.conversion
        for position in [p for p in ledger._lot_expiry if p >= self.rows]:
            del ledger._lot_expiry[position]
        for original, owed in self.owed.items():
            if owed is None:
                ledger._owed.pop(original, None)
            else:
                ledger._owed[original] = owed


# --- the ledger ----------------------------------------------------------------------------


class PointsLedger:
    """An append-only, double-entry ledger of points in several schemes (积分账本).

    Every command validates everything first and only then changes anything,
    so a refused command leaves no trace. Every change is a frozen
    [`JournalEntry`][grassroots.ledger.JournalEntry];
    [`replay`][grassroots.ledger.PointsLedger.replay] rebuilds the same ledger from them.
    Balances are kept as a running fold, so [`balance`][grassroots.ledger.PointsLedger.balance] is
    O(1).

    Times are given by the caller (the ledger reads no clock) and the journal
    is in time order: an entry dated before the last one is refused
    ([`OutOfOrder`][grassroots.errors.OutOfOrder]), so a balance "as of" a time is
    well defined. Exchange rates are the exception: they are recorded with the
    time from which they apply, which may lie in the past or the future.

    Rule: points rule 1 of the docs' rules page (append-only; each credit is a lot; each debit
    says which lots it drew; balance = sum of the lots).

    Examples:
        >>> ledger = PointsLedger()
        >>> len(ledger.journal), ledger.head == GENESIS
        (0, True)
    """

    __hash__ = None  # type: ignore[assignment]  # mutable: compared by content, not hashable

    def __init__(self) -> None:
        self._rows = Rows()
        self._digests = bytearray()  # the digest of every entry, 32 bytes each
        self._ids: dict[str, int] = _id_index()
        self._schemes: dict[str, _SchemeState] = {}
        self._accounts: dict[str, _AccountState] = {}
        self._wallets: list[_AccountState] = []
        self._head = _GENESIS_BYTES
        self._last_key = -(2**63)
        self._zones: dict[_dt.tzinfo, Zone] = {}
        self._zone_list: list[_dt.tzinfo] = []
        # The zone of the last time read: a cache, starting with a zone no caller can use.
        self._last_zone = Zone(_dt.timezone(_dt.timedelta(0), "unused"), -1)
        self._snapshot: _Snapshot | None = None  # set while a batch is being posted
        self._open: dict[str, _AccountState] = {}  # the accounts not closed
        self._reversed: dict[int, int] = {}
        self._reversals: dict[int, list[int]] = {}
        self._rates: dict[tuple[str, str], list[tuple[int, int]]] = {}
        # Lots whose expiry is not their scheme's policy (converted or given points).
        self._lot_expiry: dict[int, int] = {}
        # The last exchange out of a wallet: (position, reference, expiry its lot keeps).
        self._conversion: tuple[int, str, int | None] | None = None
        # Per reversed debit out of a wallet: points each lot is still owed back.
        self._owed: dict[int, dict[int, int]] = {}

    # --- reading -------------------------------------------------------------------------

    @property
    def journal(self) -> Journal:
        """The journal: every entry in order, as a live read-only sequence."""
        return Journal(self)

    @property
    def head(self) -> str:
        """The digest of the last entry in hex.

        [`GENESIS`][grassroots.ledger.GENESIS] for an empty ledger.
        """
        return self._head.hex()

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def schemes(self) -> tuple[Scheme, ...]:
        """The schemes, in the order they were added."""
        return tuple(state.scheme for state in self._schemes.values())

    @property
    def accounts(self) -> tuple[Account, ...]:
        """The accounts, in the order they were opened."""
        return tuple(state.account for state in self._accounts.values())

    def account(self, account_id: str) -> Account:
        """Return the account ``account_id``.

        Raises:
            UnknownAccount: there is no such account.
        """
        return self._account_state(account_id).account

    def is_closed(self, account_id: str) -> bool:
        """Return whether the account has been closed."""
        return self._account_state(account_id).closed

    def transfer(self, transfer_id: str) -> Transfer:
        """Return the posted transfer ``transfer_id``.

        Raises:
            UnknownTransfer: no transfer with that id was posted.
        """
        return self._transfer(self._position_of(transfer_id))

    def entry(self, transfer_id: str) -> JournalEntry:
        """Return the journal entry of the posted transfer ``transfer_id``.

        Raises:
            UnknownTransfer: no transfer with that id was posted.
        """
        return self._entry(self._position_of(transfer_id))

    def reversed_amount(self, transfer_id: str) -> int:
        """Return how many points of the transfer ``transfer_id`` have been reversed."""
        return self._reversed.get(self._position_of(transfer_id), 0)

    def balance(self, account_id: str, *, as_of: _dt.datetime | None = None) -> int:
        """Return the balance of an account (the points it holds), now or just after ``as_of``.

        The balance is what the journal's transfers add up to: a wallet's
        balance counts expired points until
        [`expire`][grassroots.ledger.PointsLedger.expire] moves them out.
        [`spendable`][grassroots.ledger.PointsLedger.spendable] is the other
        meaning, the points that can still be spent at a time; right after a
        sweep at ``t`` the two agree at ``t``.

        Args:
            account_id: The account.
            as_of: A time; the balance counts every transfer at or before it.

        Raises:
            UnknownAccount: there is no such account.
        """
        state = self._account_state(account_id)
        if as_of is None:
            return state.balance
        key = instant(require_aware(as_of, "as_of"))
        rows = self._rows
        index = bisect.bisect_right(state.positions, key, key=lambda p: rows[p][_KEY])
        return state.balances[index - 1] if index else 0

    def spendable(self, account_id: str, *, at: _dt.datetime) -> int:
        """Return the points of a wallet that have not expired at ``at``.

        Unlike [`balance`][grassroots.ledger.PointsLedger.balance], it leaves
        out expired points the sweep has not moved yet; for an account without
        lots (not a wallet) it is 0.

        Raises:
            UnknownAccount: there is no such account.
        """
        state = self._account_state(account_id)
        key = instant(require_aware(at, "at"))
        return sum(lot[2] for lot in state.lots or () if lot[0] > key)

    def lots(self, account_id: str) -> tuple[Lot, ...]:
        """Return the open lots of a wallet in spending order (soonest expiry, then oldest).

        Raises:
            UnknownAccount: there is no such account.
        """
        state = self._account_state(account_id)
        rows = self._rows
        result = []
        for expires, origin, remaining in state.lots or ():
            row = rows[origin]
            result.append(
                _trusted(
                    Lot,
                    account=state.id,
                    origin=row[_ID],
                    amount=row[_AMOUNT],
                    remaining=remaining,
                    earned_at=self._datetime(row),
                    expires_at=None if expires >= _NEVER else to_datetime(expires, SHANGHAI),
                )
            )
        return tuple(result)

    def statement(
        self,
        account_id: str,
        period: pendulum.Interval[Any] | None = None,
        *,
        start: _dt.datetime | None = None,
        end: _dt.datetime | None = None,
    ) -> Statement:
        """Return the statement of an account over a period.

        Give either ``period`` or both ``start`` and ``end``. A period of dates
        covers whole days in Asia/Shanghai, both ends included; a period of
        times, or ``start`` and ``end``, covers ``[start, end)``.

        Raises:
            UnknownAccount: there is no such account.
            TypeError: the period is missing, given twice, or of the wrong type.
            InvalidValue: the period ends before it starts.
        """
        state = self._account_state(account_id)
        first, last = _period_bounds(period, start, end)
        rows = self._rows
        positions = state.positions
        lo_key, hi_key = instant(first), instant(last)
        lo = bisect.bisect_left(positions, lo_key, key=lambda p: rows[p][_KEY])
        hi = bisect.bisect_left(positions, hi_key, key=lambda p: rows[p][_KEY])
        lines = []
        for index in range(lo, hi):
            row = rows[positions[index]]
            incoming = row[_CREDIT] == state.id
            lines.append(
                _trusted(
                    StatementLine,
                    position=positions[index],
                    transfer=row[_ID],
                    at=self._datetime(row),
                    kind=_KINDS[row[_KIND]],
                    counterparty=row[_DEBIT] if incoming else row[_CREDIT],
                    change=row[_AMOUNT] if incoming else -row[_AMOUNT],
                    balance=state.balances[index],
                )
            )
        return Statement(
            account=state.id,
            start=first,
            end=last,
            opening=state.balances[lo - 1] if lo else 0,
            closing=state.balances[hi - 1] if hi else 0,
            lines=tuple(lines),
            spendable=None if state.lots is None else self._spendable_then(state, hi, hi_key),
        )

    def _spendable_then(self, state: _AccountState, lines: int, key: int) -> int:
        """Return what a wallet could spend at ``key``, after its first ``lines`` transfers.

        Rebuilds the wallet's lots from the draws its transfers recorded.
        """
        rows = self._rows
        scheme = state.scheme
        lots: dict[int, list[int]] = {}  # lot origin -> [expires, remaining]
        for position in state.positions[:lines]:
            row = rows[position]
            flat = row[_FIRST_DRAW:]
            if row[_CREDIT] == state.id and row[_KIND] != "reverse":
                lots[position] = [self._expiry_of(position, scheme), row[_AMOUNT]]
                continue
            sign = 1 if row[_CREDIT] == state.id else -1  # a reversal gives back; else drawn
            for i in range(0, len(flat), 2):
                lots[flat[i]][1] += sign * flat[i + 1]
        return sum(remaining for expires, remaining in lots.values() if expires > key)

    def totals(self, scheme: str, *, at: _dt.datetime | None = None) -> SchemeTotals:
        """Return the totals of a scheme: issued, outstanding, spendable, redeemed, ….

        Args:
            scheme: The scheme's code.
            at: The time ``spendable`` is taken at; the time of the last entry
                of the journal by default.

        Raises:
            UnknownScheme: there is no such scheme.
        """
        state = self._scheme_state(scheme)
        key = self._last_key if at is None else instant(require_aware(at, "at"))
        flows = state.flows
        return SchemeTotals(
            scheme=state.code,
            issued=flows[_ISSUED],
            adjusted=flows[_ADJUSTED],
            exchanged_in=flows[_EXCHANGED_IN],
            exchanged_out=flows[_EXCHANGED_OUT],
            redeemed=flows[_REDEEMED],
            expired=flows[_EXPIRED],
            settled=flows[_SETTLED],
            outstanding=sum(wallet.balance for wallet in state.wallets),
            spendable=sum(
                lot[2] for wallet in state.wallets for lot in wallet.lots or () if lot[0] > key
            ),
        )

    def trial_balance(self) -> dict[str, int]:
        """Return, for each scheme, the sum of the balances of its accounts: always zero."""
        sums = dict.fromkeys(self._schemes, 0)
        for state in self._accounts.values():
            sums[state.scheme.code] += state.balance
        return sums

    def audit(self) -> tuple[Finding, ...]:
        """Check the whole ledger and return every broken rule found (none when healthy).

        Checks: the hash chain; the trial balance of each scheme is zero; no
        account but an issuer or an exchange account is below zero; each
        wallet's balance is the sum of its lots; each
        scheme's outstanding points match its totals.
        """
        findings: list[Finding] = []
        try:
            self.verify()
        except JournalCorrupted as exc:
            findings.append(
                Finding(
                    rule="journal: hash chain",
                    subject=f"entry {exc.value}",
                    message=str(exc),
                    code=LedgerImbalance.code,
                )
            )
        for code, total in self.trial_balance().items():
            if total:
                findings.append(
                    Finding(
                        rule="double entry: the balances of a scheme sum to zero",
                        subject=code,
                        message=f"the balances of scheme {code} sum to {total}, not 0",
                        code=LedgerImbalance.code,
                    )
                )
        findings.extend(
            Finding(
                rule=NON_NEGATIVE_RULE,
                subject=state.id,
                message=f"{state.account.kind.value} account {state.id} holds"
                f" {state.balance} points",
                code=InsufficientPoints.code,
            )
            for state in self._accounts.values()
            if state.kind != _WALLET and state.bounded and state.balance < 0
        )
        for wallet in self._wallets:
            lots = sum(lot[2] for lot in wallet.lots or ())
            if wallet.balance < 0:
                findings.append(
                    Finding(
                        rule="a wallet never goes below zero",
                        subject=wallet.id,
                        message=f"wallet {wallet.id} holds {wallet.balance} points",
                        code=InsufficientPoints.code,
                    )
                )
            if lots != wallet.balance:
                findings.append(
                    Finding(
                        rule="points rule 1: balance = sum of remaining in live lots",
                        subject=wallet.id,
                        message=f"wallet {wallet.id} holds {wallet.balance} points but its"
                        f" lots hold {lots}",
                        code=LedgerImbalance.code,
                    )
                )
        for code in self._schemes:
            totals = self.totals(code)
            expected = (
                totals.issued
                + totals.adjusted
                + totals.exchanged_in
                - totals.redeemed
                - totals.expired
                - totals.exchanged_out
            )
            if expected != totals.outstanding:
                findings.append(
                    Finding(
                        rule="outstanding = issued + adjusted + exchanged in - redeemed"
                        " - expired - exchanged out",
                        subject=code,
                        message=f"scheme {code} has {totals.outstanding} points outstanding,"
                        f" but its totals give {expected}",
                        code=LedgerImbalance.code,
                    )
                )
        return tuple(findings)

    def verify(self) -> str:
        """Recompute the hash chain of the journal and return the head digest.

        Raises:
            JournalCorrupted: an entry does not match its digest; ``value`` is
                the position of the first such entry.
        """
        previous = _GENESIS_BYTES
        rows = self._rows
        for position, kept in enumerate(rows.kept()):
            # A transfer is kept as the text it was hashed as; a record is encoded again.
            body = kept if isinstance(kept, str) else _record_body(position, kept[1])
            actual = _digest(previous, body)
            if actual != self._digest_at(position):
                raise JournalCorrupted(
                    f"journal entry {position} does not match its digest",
                    value=position,
                    rule="journal: hash chain",
                )
            previous = actual
        if previous != self._head:
            raise JournalCorrupted(
                f"the ledger's head is not the digest of its last entry {len(rows) - 1}",
                value=len(rows) - 1,
                rule="journal: hash chain",
            )
        return previous.hex()

    # --- setting up ------------------------------------------------------------------------

    def add_scheme(self, scheme: Scheme) -> int:
        """Add a points scheme and return its journal position.

        Adding the same scheme again changes nothing and returns the original position.

        Raises:
            DuplicateRecord: a different scheme has the same code.
        """
        if not isinstance(scheme, Scheme):
            raise TypeError(f"add_scheme takes a Scheme, not {type(scheme).__name__}")
        existing = self._schemes.get(scheme.code)
        if existing is not None:
            if existing.scheme == scheme:
                return self._record_position(existing.scheme)
            raise DuplicateRecord(
                f"scheme {scheme.code} is already in the ledger with other content",
                value=scheme.code,
                rule="a scheme code names one scheme",
            )
        position = self._append_record("scheme", scheme)
        self._schemes[scheme.code] = _SchemeState(scheme, len(self._schemes))
        return position

    def open_account(self, account: Account) -> int:
        """Open an account and return its journal position.

        Opening the same account again changes nothing and returns the original position.

        Raises:
            UnknownScheme: its scheme is not in the ledger.
            DuplicateRecord: a different account has the same id.
        """
        if not isinstance(account, Account):
            raise TypeError(f"open_account takes an Account, not {type(account).__name__}")
        existing = self._accounts.get(account.id)
        if existing is not None:
            if existing.account == account:
                return self._record_position(existing.account)
            raise DuplicateRecord(
                f"account {account.id} is already open with other content",
                value=account.id,
                rule="an account id names one account",
            )
        scheme = self._scheme_state(account.scheme)
        position = self._append_record("account", account)
        state = _AccountState(account, scheme)
        self._accounts[account.id] = state
        self._open[account.id] = state
        if state.kind == _WALLET:
            scheme.wallets.append(state)
            self._wallets.append(state)
        elif state.kind == _EXPIRY and scheme.expiry_account is None:
            scheme.expiry_account = account.id
        elif state.kind == _EXCHANGE and scheme.exchange_account is None:
            scheme.exchange_account = account.id
        return position

    def close_account(self, account_id: str, *, at: _dt.datetime, memo: str = "") -> int:
        """Close an account at ``at``; it takes no new transfers. Return the journal position.

        Raises:
            UnknownAccount: there is no such account.
            AccountClosed: it is already closed.
            AccountNotEmpty: it is a wallet that still holds points.
            OutOfOrder: ``at`` is before the last entry of the journal.
        """
        return self._close(AccountClosure(account=account_id, at=at, memo=memo))

    def record_rate(self, rate: ExchangeRate) -> int:
        """Record an exchange rate between two schemes and return its journal position.

        Recording the same rate again changes nothing and returns the original position.

        Raises:
            UnknownScheme: one of its schemes is not in the ledger.
            DuplicateRecord: another rate of the same pair has the same effective time.
        """
        if not isinstance(rate, ExchangeRate):
            raise TypeError(f"record_rate takes an ExchangeRate, not {type(rate).__name__}")
        self._scheme_state(rate.source)
        self._scheme_state(rate.target)
        key = instant(rate.effective)
        _require_in_range(key, rate.effective, "effective")
        pair = (rate.source, rate.target)
        known = self._rates.get(pair, [])
        for effective, position in known:
            if effective == key:
                if self._rows[position][1] == rate:
                    return position
                raise DuplicateRecord(
                    f"a rate from {rate.source} to {rate.target} effective at"
                    f" {rate.effective.isoformat()} is already recorded",
                    value=rate.rate,
                    rule="points rule 9: one recorded rate per pair and time",
                )
        position = self._append_record("rate", rate)
        bisect.insort(self._rates.setdefault(pair, known), (key, position))
        return position

    def rate(self, source: str, target: str, *, at: _dt.datetime) -> ExchangeRate:
        """Return the exchange rate from ``source`` to ``target`` in force at ``at``.

        Raises:
            NoExchangeRate: no rate of that pair is effective at ``at``.
        """
        key = self._instant(require_aware(at, "at"))
        known = self._rates.get((source, target), [])
        index = bisect.bisect_right(known, (key, len(self._rows)))
        if not index:
            raise NoExchangeRate(
                f"no exchange rate from {source} to {target} is in force at {at.isoformat()}",
                value=(source, target),
                rule="points rule 9: merged schemes convert at a dated, recorded rate",
            )
        return cast(ExchangeRate, self._rows[known[index - 1][1]][1])

    # --- posting ---------------------------------------------------------------------------

    def post(self, transfer: Transfer) -> int:
        """Post one transfer and return its journal position.

        Posting a transfer whose id is already posted with the same content
        changes nothing and returns the original position.

        A transfer out of a wallet draws from its lots, those that expire
        soonest first, then the oldest; lots already expired at the transfer's
        time are not spent. A transfer into a wallet opens a lot that expires
        by the scheme's policy; a reversal into a wallet gives the points back
        to the lots they came from, with those lots' own expiry. Converted and
        given points keep their expiry: the lot an exchange or a gift opens
        expires when the soonest lot it drew does (`EXPIRY_KEPT_RULE`).

        Raises:
            DuplicateTransfer: the id is posted with other content.
            UnknownAccount: an account does not exist.
            AccountClosed: an account is closed.
            SchemeMismatch: the accounts belong to different schemes.
            TransferNotAllowed: the kind is not allowed between these kinds of
                account, or it is a gift in a scheme that does not allow them.
            InsufficientPoints: a wallet, merchant or expiry account would go
                below zero ([`PointsExpired`][grassroots.errors.PointsExpired]
                if expired points are the reason).
            InvalidValue: the id is in the expiry sweep's reserved namespace, or
                the time is outside the range the ledger records.
            OutOfOrder: the transfer is dated before the last entry.
            UnknownTransfer, AlreadyReversed: for a reversal, the transfer
                reversed does not exist or has no points left to reverse.
        """
        if type(transfer) is not Transfer and not isinstance(transfer, Transfer):
            raise TypeError(f"post takes a Transfer, not {type(transfer).__name__}")
        return self._post(
            transfer,
            transfer.id,
            transfer.debit,
            transfer.credit,
            transfer.amount,
            transfer.kind,
            transfer.at,
            transfer.reference,
            transfer.memo,
            transfer.reverses,
        )

    def _post(  # noqa: PLR0917 - the transfer's fields, in their order
        self,
        transfer: Transfer | None,
        tid: str,
        debit: str,
        credit: str,
        amount: int,
        kind: TransferKind,
        at: pendulum.DateTime | None,
        reference: str,
        memo: str,
        reverses: str | None,
        read: Read | None = None,
    ) -> int:
        """Post one transfer given by its checked fields: the step every way of posting takes.

        ``transfer`` is the [`Transfer`][grassroots.ledger.Transfer] the fields are
        read from, or None when they come from a row (``post_rows``) or from stored
        text; the few paths that need a ``Transfer`` (a repost, a reversal) build one
        from the fields. A transfer read from stored text (loading) gives ``read``,
        its instant and zone, in place of ``at``: no time is built unless needed.
        """
        # The steps, each a method or function below: claim the id; check the accounts,
        # the kind and the time; plan the lot draws; then (nothing refused) take the draws
        # and open the lot, encode, append to the chain and project onto the balances.
        ids = self._ids
        rows = self._rows
        position = rows.sealed + len(rows.tail)
        known = ids.setdefault(tid, position)  # claims the id; given back if refused below
        if known != position:
            if transfer is None:
                transfer = trusted_transfer(
                    tid,
                    debit,
                    credit,
                    amount,
                    kind,
                    self._time(at, read),
                    reference,
                    memo,
                    reverses,
                )
            self._check_repost(known, transfer)
            return known
        try:
            source, sink, pair, mode, key = self._check(
                tid, debit, credit, amount, kind, at, reference, reverses, position, read
            )
            if mode == _REVERSAL:
                if transfer is None:
                    transfer = trusted_transfer(
                        tid,
                        debit,
                        credit,
                        amount,
                        kind,
                        self._time(at, read),
                        reference,
                        memo,
                        reverses,
                    )
                return self._post_reversal(transfer, source, sink)
            # Plan the lot draws. The fast case needs no plan: no lot of the wallet has
            # expired (lots sort by expiry, so the first has not), and its balance (checked)
            # pays from the front. Otherwise, or for an expiry, plan lot by lot.
            lots = source.lots
            takes = (
                self._plan_draws(tid, amount, kind, reverses, source, lots, mode, key)
                if lots and (lots[0][0] <= key or mode == _EXPIRE_LOTS)
                else None
            )
            kept = (
                None
                if mode <= _EXPIRE_LOTS
                else self._kept_expiry(tid, debit, credit, reference, mode, source, takes, position)
            )
            # --- everything is valid: apply ---
            snapshot = self._snapshot
            if snapshot is not None and (
                source not in snapshot.accounts or sink not in snapshot.accounts
            ):
                snapshot.save(source, sink)
            value = kind._value_
            points = _DECIMAL[amount] if amount < _DECIMALS else str(amount)
            draws = "" if lots is None else _take_draws(lots, takes, amount, points)
            if sink.lots is not None and mode > _EXPIRE_LOTS:  # converted or given points
                self._open_kept_lot(
                    sink.lots,
                    kept=kept,
                    position=position,
                    amount=amount,
                    scheme=sink.scheme,
                    key=key,
                )
            elif sink.lots is not None:
                _open_lot(sink.lots, sink.scheme.clock, position, amount, key)
            text = transfer_text(
                position, tid, debit, credit, points, value, key, reference, memo, "", draws
            )
            self._append_transfer(text, position, key)
            _project(source, sink, position, amount, _FLOWS[value][pair])
        except BaseException:
            del ids[tid]  # refused: give the id back
            raise
        return position

    def _check(  # noqa: PLR0917 - the transfer's fields, in their order
        self,
        tid: str,
        debit: str,
        credit: str,
        amount: int,
        kind: TransferKind,
        at: pendulum.DateTime | None,
        reference: str,
        reverses: str | None,
        position: int,
        read: Read | None = None,
    ) -> tuple[_AccountState, _AccountState, int, int, int]:
        """Check a transfer against the ledger; return source, sink, pair code, mode, instant.

        The accounts must be open and of one scheme, and the transfer's kind
        allowed between their kinds: one lookup in the flows table (``_flows``)
        checks all three, since a pair of accounts of two schemes finds no
        entry. A reversal has its own checks and gives the mode ``_REVERSAL``
        (and no instant). A bounded account (any but an issuer or an exchange)
        must hold the amount; a wallet's lots may still be short of it if some
        have expired, which ``_plan_draws`` finds.

        The time must not be before the last entry's nor out of range. Its
        instant is read through the zone of the last time read, whose cached
        local day (see ``_instants.Zone``) gives it in
        a subtraction; the zone read is left as the last one. A transfer read
        from stored text gives its instant and zone (``read``) and no time.
        """
        if ":" in tid and tid.startswith(RESERVED_PREFIX):
            self._check_reserved(tid, kind, reference, position)
        accounts = self._open  # open accounts only: a closed one is not found here
        source = accounts.get(debit)
        sink = accounts.get(credit)
        if source is None or sink is None:
            raise self._refusal(tid, debit, credit, kind)
        pair = source.pair + sink.code
        value = kind._value_
        mode = _RULES[value].get(pair)
        if mode is None:
            if value == "reverse" and sink.scheme is source.scheme:
                return source, sink, pair, _REVERSAL, 0
            raise self._refusal(tid, debit, credit, kind)
        if read is None:
            assert at is not None  # given unless read is
            zone = self._last_zone
            if at.tzinfo is not zone.tz:
                zone = self._zone(at.tzinfo)  # type: ignore[arg-type]  # a Transfer's is aware
            elapsed = _subtract(at, zone.start)  # wall-clock time since the cached midnight
            if elapsed.days == 0:
                key = zone.base + (elapsed.seconds * 1_000_000 + elapsed.microseconds)
            else:
                key = zone.refresh(at)
        else:
            key, self._last_zone = read
        if key < self._last_key:  # also catches a time outside the range (UNREPRESENTABLE)
            self._check_time(key, self._time(at, read))
        if source.balance < amount and source.bounded:
            if source.lots is None:
                raise self._overdrawn(tid, amount, source)
            raise self._insufficient(tid, amount, kind, reverses, source, key)
        return source, sink, pair, mode, key

    def _plan_draws(  # noqa: PLR0917 - the transfer's fields, then the wallet's
        self,
        tid: str,
        amount: int,
        kind: TransferKind,
        reverses: str | None,
        source: _AccountState,
        lots: list[_LotRow],
        mode: int,
        key: int,
    ) -> list[int]:
        """Plan a wallet's draws lot by lot: [index, points, ...], refusing if they are short.

        Spending skips the lots expired at ``key``; an expiry takes only those
        (``_lots.plan_draws``).
        """
        takes = plan_draws(lots, amount, key, expired=mode == _EXPIRE_LOTS)
        if takes is None:
            raise self._insufficient(tid, amount, kind, reverses, source, key)
        return takes

    def _append_transfer(self, text: str, position: int, key: int) -> None:
        """Append a transfer's stored text to the journal and to the hash chain.

        Its time zone is the last one read (by ``_check``); the text leaves it out.
        """
        digest = _hash(self._head + text.encode()).digest()
        rows = self._rows
        rows.tail.append(text)
        zone = self._last_zone.index
        if zone:
            zones = rows.zones
            if len(zones) == position - 1 and zone <= _BYTE_MAX:
                # ``Rows.set_zone`` for its usual case, inline: the entry before is of zone 0
                zones.append(0)
                zones.append(zone)
            else:
                rows.set_zone(position, zone)
        self._digests += digest
        self._head = digest
        self._last_key = key
        if len(rows.tail) >= _BLOCK:
            rows.seal()

    def post_batch(self, transfers: Iterable[Transfer]) -> tuple[int, ...]:
        """Post an ordered batch of transfers atomically and return their positions.

        Each transfer sees the ledger as the ones before it in the batch left
        it. If any transfer is refused, nothing of the batch is applied.

        Raises:
            BatchRejected: a transfer was refused; the error names its index and
                id, and its ``reason`` (also the ``__cause__``) says why.
            TypeError: an item is not a [`Transfer`][grassroots.ledger.Transfer].
        """
        batch = list(transfers)
        for index, transfer in enumerate(batch):
            if not isinstance(transfer, Transfer):
                raise TypeError(
                    f"batch item {index} is a {type(transfer).__name__}, not a Transfer"
                )
        snapshot = _Snapshot(self)
        positions: list[int] = []
        append = positions.append
        post = self._post
        self._snapshot = snapshot
        try:
            for transfer in batch:
                append(
                    post(
                        transfer,
                        transfer.id,
                        transfer.debit,
                        transfer.credit,
                        transfer.amount,
                        transfer.kind,
                        transfer.at,
                        transfer.reference,
                        transfer.memo,
                        transfer.reverses,
                    )
                )
        except GrassrootsError as exc:
            snapshot.restore(self)
            raise _rejected(exc, len(positions), batch[len(positions)].id) from exc
        except BaseException:
            snapshot.restore(self)
            raise
        finally:
            self._snapshot = None
        return tuple(positions)

    def post_rows(self, rows: Iterable[tuple[Any, ...]]) -> tuple[int, ...]:
        """Post an ordered batch of transfers given as rows, atomically; return their positions.

        The bulk path: each row is a plain tuple of a transfer's fields in the
        order of [`Transfer`][grassroots.ledger.Transfer]'s, ``(id, debit, credit,
        amount, kind, at, reference, memo, reverses)``, of which the last three
        may be left off (``""``, ``""``, None). No ``Transfer`` is built: each row
        is checked by the very checks its ``Transfer`` would run, then posted as
        [`post_batch`][grassroots.ledger.PointsLedger.post_batch] posts it.
        ``ledger.post_rows(rows)`` does what
        ``ledger.post_batch([Transfer(**dict(zip(FIELDS, row))) for row in rows])``
        does, with ``FIELDS`` the nine names above: the same journal, or the same
        refusal.

        It is atomic: if any row is refused, nothing of the batch is applied.
        As when every ``Transfer`` is built before the batch is posted, a row
        with a malformed field is refused with the error building its
        ``Transfer`` raises, whichever row the ledger would have refused first.

        Raises:
            TypeError: a row is not a tuple of six to nine fields, a field has
                the wrong type, or ``at`` is naive (as ``Transfer`` raises it).
            InvalidValue, RuleViolation: a field breaks its rule (as ``Transfer``
                raises them).
            BatchRejected: every row is well formed, and the ledger refused one;
                the error names its index and id, and its ``reason`` (also the
                ``__cause__``) says why.

        Examples:
            >>> import pendulum
            >>> from grassroots.ledger import Account, AccountKind, Scheme
            >>> ledger = PointsLedger()
            >>> _ = ledger.add_scheme(Scheme(code="virtue"))
            >>> _ = ledger.open_account(
            ...     Account(id="issuer", scheme="virtue", kind=AccountKind.ISSUER)
            ... )
            >>> _ = ledger.open_account(
            ...     Account(id="wang", scheme="virtue", kind=AccountKind.WALLET)
            ... )
            >>> at = pendulum.datetime(2025, 3, 1, 9, tz="Asia/Shanghai")
            >>> ledger.post_rows(
            ...     [
            ...         ("t1", "issuer", "wang", 30, "earn", at, "clean-up", ""),
            ...         ("t2", "issuer", "wang", 20, "earn", at.add(hours=1)),
            ...     ]
            ... )
            (3, 4)
            >>> ledger.balance("wang")
            50
        """
        batch = rows if type(rows) is list or type(rows) is tuple else list(rows)
        snapshot = _Snapshot(self)
        positions: list[int] = []
        append = positions.append
        post = self._post
        kinds = _TRANSFER_KINDS
        checked = 0  # the rows whose fields are checked; one more than posted while posting
        refused: GrassrootsError | None = None
        self._snapshot = snapshot
        try:
            for row in batch:
                # ``row_fields`` for its usual case, inline: a tuple of all nine fields that
                # plainly keep every rule (the one test ``Transfer`` runs first, ``plain``).
                if type(row) is tuple and len(row) == 9:
                    tid, debit, credit, amount, kind, at, reference, memo, reverses = row
                    if type(kind) is str:
                        kind = kinds.get(kind, kind)
                    if not plain(tid, debit, credit, amount, kind, at, reference, memo, reverses):
                        tid, debit, credit, amount, kind, at, reference, memo, reverses = (
                            row_fields(row)
                        )
                else:
                    tid, debit, credit, amount, kind, at, reference, memo, reverses = row_fields(
                        row
                    )
                checked += 1
                append(post(None, tid, debit, credit, amount, kind, at, reference, memo, reverses))
        except GrassrootsError as exc:
            snapshot.restore(self)
            if checked == len(positions):  # a row's field: refused as its Transfer is
                raise
            refused = exc
        except BaseException:
            snapshot.restore(self)
            raise
        finally:
            self._snapshot = None
        if refused is not None:
            # The ledger refused a row: a later row's malformed field is still the error,
            # since every Transfer would be built before the batch is posted.
            for later in batch[checked:]:
                row_fields(later)
            index = len(positions)
            raise _rejected(refused, index, batch[index][0]) from refused
        return tuple(positions)

    def reverse(
        self,
        transfer_id: str,
        *,
        id: str,  # noqa: A002 - the transfer's field is called id
        at: _dt.datetime,
        amount: int | None = None,
        reference: str = "",
        memo: str = "",
    ) -> int:
        """Reverse a posted transfer, in full or in part, by a new transfer the other way.

        A transfer is reversed at most once in full: partial reversals add up
        to at most its amount. Reversing a redemption gives the points back to
        the lots they were drawn from (in proportion to what each gave, by
        largest remainder), with those lots' original expiry: points whose lot
        has expired by then come back expired and leave at the next
        [`expire`][grassroots.ledger.PointsLedger.expire]. Reversing an earning takes the points
        from the lot it
        opened first, then in the usual spending order.

        Rule: points rule 7 of the docs' rules page (reversal by compensating entries only;
        partial refunds reverse proportionally; never take points twice).

        Args:
            transfer_id: The transfer to reverse (``earn``, ``redeem``,
                ``adjust`` or ``settle``).
            id: The id of the reversal.
            at: When the reversal happens.
            amount: How many points to reverse; all that is left by default.
            reference: What it refers to; the reversed transfer's id by default.
            memo: Why.

        Returns:
            The reversal's journal position.

        Raises:
            UnknownTransfer: no transfer ``transfer_id`` was posted.
            AlreadyReversed: nothing, or less than ``amount``, is left to reverse.
            TransferNotAllowed: transfers of that kind cannot be reversed.
            InsufficientPoints: the wallet no longer holds the points to give back.
        """
        position = self._position_of(transfer_id)
        row = self._rows[position]
        left = row[_AMOUNT] - self._reversed.get(position, 0)
        done = self._ids.get(id)
        if done is not None and amount is None:
            # A retry: the reversal posted under this id took what was left then. Posting
            # the same transfer again is a no-op; other content is a DuplicateTransfer.
            earlier = self._rows[done]
            if earlier[_KIND] == "reverse" and earlier[_REVERSES] == transfer_id:
                left = earlier[_AMOUNT]
        elif done is not None:
            left = max(left, 1)  # post() decides: the same reversal again, or a duplicate
        if left <= 0:
            raise AlreadyReversed(
                f"transfer {transfer_id} has already been reversed in full",
                value=transfer_id,
                limit=0,
                rule="points rule 7: a transfer is reversed at most once",
            )
        return self.post(
            Transfer(
                id=id,
                debit=row[_CREDIT],
                credit=row[_DEBIT],
                amount=left if amount is None else amount,
                kind=TransferKind.REVERSE,
                at=at,
                reference=reference or transfer_id,
                memo=memo,
                reverses=transfer_id,
            )
        )

    def exchange(
        self,
        *,
        id: str,  # noqa: A002 - the id of the exchange, prefix of its transfers' ids
        source: str,
        target: str,
        points: int,
        at: _dt.datetime,
        memo: str = "",
    ) -> tuple[int, int]:
        """Convert a resident's points of one scheme into another at the recorded rate.

        Two transfers are posted as one batch, each within its own scheme:
        ``{id}:out`` from the ``source`` wallet to its scheme's exchange
        account, and ``{id}:in`` from the target scheme's exchange account to
        the ``target`` wallet (opening a lot there). The points received are
        ``points × rate`` written down; the points spent are the fewest that
        give them, so the fraction of a point that buys nothing stays in the
        source wallet.

        Rule: points rule 9 of the docs' rules page (merged schemes convert at a dated, recorded
        rate; every conversion is an entry).

        Args:
            id: The id of the exchange; its transfers' ids are ``{id}:out`` and ``{id}:in``.
            source: The wallet converted from.
            target: The wallet converted into; same owner, another scheme.
            points: The points offered.
            at: When.
            memo: Free text.

        Returns:
            The journal positions of the two transfers.

        Raises:
            NoExchangeRate: no rate between the two schemes is in force at ``at``.
            SchemeMismatch: the wallets are of one scheme.
            TransferNotAllowed: an account is not a wallet, the wallets have
                different owners, or a scheme has no exchange account.
            InsufficientPoints: the points offered buy nothing, or the wallet lacks them.
        """
        offered = _points(points, "points")
        giver = self._account_state(source)
        taker = self._account_state(target)
        if (
            giver.kind != _WALLET
            or taker.kind != _WALLET
            or giver.account.owner != taker.account.owner
        ):
            raise TransferNotAllowed(
                f"exchange from {source} to {target}: both must be wallets of one owner",
                value=(source, target),
                rule="points rule 10: transfers between residents are off",
            )
        if giver.scheme is taker.scheme:
            raise SchemeMismatch(
                f"exchange from {source} to {target}: both wallets are of scheme"
                f" {giver.scheme.code}",
                value=giver.scheme.code,
                rule="an exchange converts between two schemes",
            )
        rate = self.rate(giver.scheme.code, taker.scheme.code, at=at)
        gained = offered * rate.rate.numerator // rate.rate.denominator
        if gained <= 0:
            needed = -(-rate.rate.denominator // rate.rate.numerator)
            raise InsufficientPoints(
                f"{offered} points of {giver.scheme.code} buy no point of {taker.scheme.code}"
                f" at rate {rate.rate}; at least {needed} are needed",
                value=offered,
                limit=needed,
                rule="points rule 9: conversion written down",
            )
        spent = -(-gained * rate.rate.denominator // rate.rate.numerator)
        out_account = giver.scheme.exchange_account
        in_account = taker.scheme.exchange_account
        if out_account is None or in_account is None:
            missing = giver.scheme.code if out_account is None else taker.scheme.code
            raise TransferNotAllowed(
                f"scheme {missing} has no exchange account",
                value=missing,
                rule="an exchange clears through each scheme's exchange account",
            )
        text = memo or (
            f"{spent} {giver.scheme.code} → {gained} {taker.scheme.code} at rate {rate.rate}"
            f" (effective {rate.effective.isoformat()})"
        )
        out_position, in_position = self.post_batch(
            [
                Transfer(
                    id=f"{id}:out",
                    debit=source,
                    credit=out_account,
                    amount=spent,
                    kind=TransferKind.EXCHANGE,
                    at=at,
                    reference=id,
                    memo=text,
                ),
                Transfer(
                    id=f"{id}:in",
                    debit=in_account,
                    credit=target,
                    amount=gained,
                    kind=TransferKind.EXCHANGE,
                    at=at,
                    reference=id,
                    memo=text,
                ),
            ]
        )
        return out_position, in_position

    def expire(self, *, as_of: _dt.datetime) -> tuple[int, ...]:
        """Move every lot expired at ``as_of`` to its scheme's expiry account.

        Each expired lot with points left becomes one ``expire`` transfer dated
        ``as_of`` with id ``expire:{lot}:{position}`` (``lot`` being the id of
        the transfer that opened it), all posted as one batch. Running it again
        writes nothing, since no expired lot is left.

        Rule: points rule 4 of the docs' rules page (an idempotent sweep writes expiry entries).

        Returns:
            The journal positions of the expiry transfers (empty if none).

        Raises:
            TransferNotAllowed: a scheme with expired lots has no expiry account.
            BatchRejected: the expiry account is closed, or ``as_of`` is before
                the last entry (the ``reason`` says which); nothing is written.

        Examples:
            >>> import pendulum
            >>> from grassroots.ledger import ExpiryPolicy
            >>> ledger = PointsLedger()
            >>> _ = ledger.add_scheme(Scheme(code="v", expiry=ExpiryPolicy.after_days(30)))
            >>> for account_id, kind in [
            ...     ("v:issuer", "issuer"),
            ...     ("v:expired", "expiry"),
            ...     ("v:wang", "wallet"),
            ... ]:
            ...     _ = ledger.open_account(Account(id=account_id, scheme="v", kind=kind))
            >>> earned = pendulum.datetime(2025, 3, 1, tz="Asia/Shanghai")
            >>> _ = ledger.post(
            ...     Transfer(
            ...         id="e1",
            ...         debit="v:issuer",
            ...         credit="v:wang",
            ...         amount=20,
            ...         kind="earn",
            ...         at=earned,
            ...     )
            ... )
            >>> ledger.expire(as_of=earned.add(days=29))
            ()
            >>> len(ledger.expire(as_of=earned.add(days=30))), ledger.balance("v:expired")
            (1, 20)
        """
        when = require_aware(as_of, "as_of")
        key = instant(when)
        rows = self._rows
        batch: list[Transfer] = []
        for wallet in self._wallets:
            for expires, origin, remaining in wallet.lots or ():
                if expires > key:
                    break
                sink = wallet.scheme.expiry_account
                if sink is None:
                    raise TransferNotAllowed(
                        f"scheme {wallet.scheme.code} has no expiry account",
                        value=wallet.scheme.code,
                        rule="points rule 4: expired points go to the expiry account",
                    )
                lot = rows[origin][_ID]
                batch.append(
                    Transfer(
                        id=f"expire:{lot}:{len(rows) + len(batch)}",
                        debit=wallet.id,
                        credit=sink,
                        amount=remaining,
                        kind=TransferKind.EXPIRE,
                        at=when,
                        reference=lot,
                        memo=f"lot {lot} expired at {_expiry_text(expires)}",
                    )
                )
        return self.post_batch(batch) if batch else ()

    # --- rebuilding ------------------------------------------------------------------------

    @classmethod
    def replay(cls, entries: Iterable[JournalEntry]) -> PointsLedger:
        """Rebuild a ledger from its journal, checking every entry on the way.

        Each entry is applied with the same checks as when it was first
        recorded; its lot draws must be the ones the ledger computes again, and
        its hash must chain. The result has the same balances, lots and head
        digest as the ledger the journal came from.

        Raises:
            JournalCorrupted: an entry is out of place, invalid, draws other
                lots, or does not match its digest; ``value`` is its position.
        """
        ledger = cls()
        post = ledger.post
        rows = ledger._rows
        head = GENESIS
        for expected, entry in enumerate(entries):
            if type(entry) is not JournalEntry and not isinstance(entry, JournalEntry):
                raise TypeError(f"journal item {expected} is a {type(entry).__name__}")
            if entry.position != expected:
                raise JournalCorrupted(
                    f"journal entry {expected} says it is at position {entry.position}",
                    value=expected,
                    rule="journal: entries are numbered from 0 without gaps",
                )
            if entry.previous != head:
                raise JournalCorrupted(
                    f"journal entry {expected} does not follow the entry before it",
                    value=expected,
                    rule="journal: hash chain",
                )
            record = entry.record
            try:
                if type(record) is Transfer:
                    post(record)
                else:
                    ledger._apply(record)
            except GrassrootsError as exc:
                raise JournalCorrupted(
                    f"journal entry {expected} cannot be applied: {exc}",
                    value=expected,
                    rule="journal: every entry is valid when replayed",
                ) from exc
            if len(rows) != expected + 1:
                raise JournalCorrupted(
                    f"journal entry {expected} repeats an earlier record",
                    value=expected,
                    rule="journal: every entry records something new",
                )
            if not ledger._draws_as_recorded(expected, entry.draws):
                raise JournalCorrupted(
                    f"journal entry {expected} says it drew {entry.draws}, but replaying it"
                    f" draws {ledger._draws(expected)}",
                    value=expected,
                    rule="points rule 1: each debit says which lots it drew",
                )
            head = ledger._head.hex()
            if head != entry.digest:
                raise JournalCorrupted(
                    f"journal entry {expected} does not match its digest",
                    value=expected,
                    rule="journal: hash chain",
                )
        return ledger

    def _draws_as_recorded(self, position: int, draws: tuple[Draw, ...]) -> bool:
        """Return whether the entry at ``position`` drew the lots ``draws`` say.

        Compares the kept text's draws (lot positions and points) with the
        recorded ones, positions found by id, without building a
        [`Draw`][grassroots.ledger.Draw] per lot; anything not plainly equal is
        decided by comparing the values themselves.
        """
        kept = self._rows.raw(position)
        if type(kept) is not str:
            return draws == ()
        # The text is _FIRST_FIELD fields, then a lot and its points for each draw,
        # all NUL-separated: the draws are its tail when it ends with them and
        # holds no other separators.
        separators = kept.count("\0")
        if not draws:
            return separators < _FIRST_FIELD
        ids = self._ids
        tail = []
        for draw in draws:
            if type(draw) is not Draw:
                return self._draws(position) == draws
            lot = ids.get(draw.lot)
            if lot is None or lot >= position:
                return False
            tail.append(f"\0{lot}\0{draw.points}")
        return (
            separators == _FIRST_FIELD - 1 + 2 * len(draws) and kept.endswith("".join(tail))
        ) or self._draws(position) == draws

    def _apply(self, record: Record) -> int:
        if isinstance(record, Transfer):
            return self.post(record)
        if isinstance(record, Scheme):
            return self.add_scheme(record)
        if isinstance(record, Account):
            return self.open_account(record)
        if isinstance(record, AccountClosure):
            return self._close(record)
        return self.record_rate(record)

    # --- comparing and printing -----------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PointsLedger):
            return NotImplemented
        # The kept texts leave out the zone a time was written in: the same instants are
        # the same, as in the hash.
        return self._digests == other._digests and all(
            mine == theirs
            for mine, theirs in zip(self._rows.kept(), other._rows.kept(), strict=True)
        )

    def __copy__(self) -> PointsLedger:
        """Return an independent copy: posting to it leaves this ledger as it is.

        The ledger is one aggregate with indexed state, so even a shallow copy
        copies that state; sharing it would let the copy break this ledger's chain.
        """
        return copy.deepcopy(self)

    def __repr__(self) -> str:
        return (
            f"<PointsLedger: {len(self._rows)} entries, {len(self._schemes)} schemes,"
            f" {len(self._accounts)} accounts, head {self.head[:12]}…>"
        )

    # --- internals ---------------------------------------------------------------------------

    def _account_state(self, account_id: str) -> _AccountState:
        state = self._accounts.get(account_id)
        if state is None:
            raise UnknownAccount(
                f"account {account_id!r} is not in the ledger",
                value=account_id,
                rule="a transfer names open accounts of the ledger",
            )
        return state

    def _scheme_state(self, code: str) -> _SchemeState:
        state = self._schemes.get(code)
        if state is None:
            raise UnknownScheme(
                f"scheme {code!r} is not in the ledger",
                value=code,
                rule="accounts and rates name schemes of the ledger",
            )
        return state

    def _position_of(self, transfer_id: str) -> int:
        position = self._ids.get(transfer_id)
        if position is None:
            raise UnknownTransfer(
                f"no transfer {transfer_id!r} was posted",
                value=transfer_id,
                rule="a reversal names a posted transfer",
            )
        return position

    def _record_position(self, record: Record) -> int:
        for position, kept in enumerate(self._rows.kept()):
            if not isinstance(kept, str) and kept[1] is record:
                return position
        raise AssertionError("record not in journal")  # pragma: no cover

    def _append_record(self, tag: str, record: Record) -> int:
        position = len(self._rows)
        digest = _digest(self._head, _record_body(position, record))
        self._rows.append((tag, record))
        self._digests += digest
        self._head = digest
        return position

    def _close(self, closure: AccountClosure) -> int:
        state = self._account_state(closure.account)
        if state.closed:
            for position, kept in enumerate(self._rows.kept()):
                if not isinstance(kept, str) and kept[1] == closure:
                    return position  # the same closure again: a retry, a no-op
            raise AccountClosed(
                f"account {state.id} is already closed",
                value=state.id,
                rule="a closed account takes no new entries",
            )
        if state.kind == _WALLET and state.balance:
            raise AccountNotEmpty(
                f"wallet {state.id} still holds {state.balance} points",
                value=state.balance,
                limit=0,
                rule="a wallet is closed empty (redeem, adjust or let its points expire first)",
            )
        key = instant(closure.at)
        self._check_time(key, closure.at)
        position = self._append_record("closure", closure)
        self._last_key = key
        state.closed = True
        del self._open[state.id]
        return position

    def _time(self, at: pendulum.DateTime | None, read: Read | None) -> pendulum.DateTime:
        """Return ``at``, or the time of a transfer read from stored text (``read``)."""
        if at is not None:
            return at
        assert read is not None  # one of the two is given
        key, zone = read
        return self._reader(zone.index).datetime(key)

    def _instant(self, at: pendulum.DateTime) -> int:
        """Return the exact instant of an aware ``at``, a query's time (nothing is recorded).

        A time in the zone of the last posting is read through that zone's day
        cache; any other, and one outside the recorded range, the exact way. No
        zone is added: a query leaves the ledger's zones as they were.
        """
        zone = self._last_zone
        return zone.exact(at) if at.tzinfo is zone.tz else instant(at)

    def _check_time(self, key: int, at: _dt.datetime) -> None:
        if key < MIN_INSTANT or key > MAX_INSTANT:
            try:
                exact = instant(at)
            except OverflowError:
                exact = MAX_INSTANT + 1
            _require_in_range(exact, at, "time")
        if key < self._last_key:
            last = to_datetime(self._last_key, SHANGHAI).isoformat()
            raise OutOfOrder(
                f"entry dated {at.isoformat()} is before the last entry of the journal ({last})",
                value=at,
                limit=last,
                rule="journal: entries are in time order",
            )

    def _zone(self, tz: _dt.tzinfo) -> Zone:
        zone = self._zones.get(tz)
        if zone is None:
            zone = Zone(tz, len(self._zone_list))
            self._zone_list.append(tz)
            self._zones[tz] = zone
        self._last_zone = zone
        return zone

    def _key(self, at: _dt.datetime) -> tuple[int, int]:
        tz = at.tzinfo
        assert tz is not None  # Transfer.at is always aware
        zone = self._zone(tz)
        return zone.key(at), zone.index

    def _digest_at(self, position: int) -> bytes:
        start = position * _DIGEST_SIZE
        return bytes(self._digests[start : start + _DIGEST_SIZE])

    def _datetime(self, row: _Row) -> pendulum.DateTime:
        return self._reader(row[_ZONE]).datetime(row[_KEY])

    def _reader(self, zone: int) -> Reader:
        """Return the reader of the zone with index ``zone`` (see ``_instants.Reader``)."""
        readers = self._rows.readers
        while len(readers) <= zone:
            readers.append(Reader(self._zone_list[len(readers)]))
        return readers[zone]

    def _transfer(self, position: int, row: _Row | None = None) -> Transfer:
        if row is None:
            row = self._rows[position]
        if row[_KIND] not in _KINDS:
            raise UnknownTransfer(
                f"journal entry {position} records a {row[0]}, not a transfer",
                value=position,
                rule="a transfer id names a transfer",
            )
        return trusted_transfer(
            row[_ID],
            row[_DEBIT],
            row[_CREDIT],
            row[_AMOUNT],
            _KINDS[row[_KIND]],
            self._datetime(row),
            row[_REFERENCE],
            row[_MEMO],
            row[_REVERSES],
        )

    def _draws(self, position: int, row: _Row | None = None) -> tuple[Draw, ...]:
        if row is None:
            row = self._rows[position]
        if row[_KIND] not in _KINDS:
            return ()
        flat = row[_FIRST_DRAW:]
        lot_id = self._lot_id
        return tuple([trusted_draw(lot_id(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)])

    def _lot_id(self, position: int) -> str:
        """Return the id of the transfer at ``position`` without decoding the rest of it."""
        kept = self._rows.raw(position)
        if type(kept) is str:
            return kept.split("\0", 3)[2]
        return cast(str, self._rows[position][_ID])

    def _entry(self, position: int) -> JournalEntry:
        rows = self._rows
        row = rows[position]
        previous = self._digest_at(position - 1).hex() if position else GENESIS
        if row[_KIND] in _KINDS:
            record: Record = self._transfer(position, row)
            draws = self._draws(position, row)
        else:
            record, draws = row[1], ()
        return trusted_entry(position, record, draws, previous, self._digest_at(position).hex())

    def _entries(self, stop: int) -> Iterator[JournalEntry]:
        """Yield the first ``stop`` entries in order: ``_entry`` for each, in one pass.

        One pass reads each digest once (an entry's digest is the next one's
        ``previous``), keeps the ids read so far for the draws, and decodes each
        kept text in place.
        """
        rows = self._rows
        readers = rows.readers
        digests = self._digests
        kinds = _KINDS
        ids: list[str] = []
        lot_ids = ids.__getitem__
        previous = GENESIS
        for position, (kept, zone) in enumerate(rows.kept_zoned()):
            if position >= stop:
                return
            digest = digests[position * _DIGEST_SIZE : (position + 1) * _DIGEST_SIZE].hex()
            if type(kept) is str:
                fields = kept.split("\0")
                reader = readers[zone] if zone < len(readers) else self._reader(zone)
                tid = fields[2]
                record: Record = trusted_transfer(
                    tid,
                    fields[3],
                    fields[4],
                    int(fields[5]),
                    kinds[fields[6]],
                    reader.datetime(int(fields[7])),
                    fields[8],
                    fields[9],
                    fields[10] or None,
                )
                ids.append(tid)
                if len(fields) > _FIRST_FIELD:
                    draws = tuple(
                        [
                            trusted_draw(lot_ids(int(fields[i])), int(fields[i + 1]))
                            for i in range(_FIRST_FIELD, len(fields), 2)
                        ]
                    )
                else:
                    draws = ()
            else:
                record = cast(Record, kept[1])
                ids.append("")
                draws = ()
            yield trusted_entry(position, record, draws, previous, digest)
            previous = digest

    def _check_repost(self, position: int, transfer: Transfer) -> None:
        row = self._rows[position]
        if row[_KIND] in _KINDS:
            key, _ = self._key(transfer.at)
            theirs = (
                transfer.debit,
                transfer.credit,
                transfer.amount,
                transfer.kind.value,
                key,
                transfer.reference,
                transfer.memo,
                transfer.reverses,
            )
            ours = (
                row[_DEBIT],
                row[_CREDIT],
                row[_AMOUNT],
                row[_KIND],
                row[_KEY],
                row[_REFERENCE],
                row[_MEMO],
                row[_REVERSES],
            )
            if theirs == ours:
                return
        raise DuplicateTransfer(
            f"transfer id {transfer.id} is already posted with other content",
            value=transfer.id,
            rule="idempotency: one id, one content",
        )

    def _check_reserved(self, tid: str, kind: TransferKind, reference: str, position: int) -> None:
        """Refuse an id in the sweep's namespace unless it is the sweep's own transfer."""
        own = f"{RESERVED_PREFIX}{reference}:{position}"
        if kind is TransferKind.EXPIRE and tid == own:
            return
        raise InvalidValue(
            f"transfer id {tid!r} is in the namespace the expiry sweep reserves"
            f" ({RESERVED_PREFIX}…); choose another id ({RESERVED_ID_RULE})",
            value=tid,
            limit=RESERVED_PREFIX,
            rule=RESERVED_ID_RULE,
        )

    def _overdrawn(self, tid: str, amount: int, account: _AccountState) -> InsufficientPoints:
        """Return the error refusing a transfer that takes an account without lots below zero."""
        return InsufficientPoints(
            f"transfer {tid} needs {amount} points from the"
            f" {account.account.kind.value} account {account.id}, which holds"
            f" {account.balance} ({NON_NEGATIVE_RULE})",
            value=amount,
            limit=account.balance,
            rule=NON_NEGATIVE_RULE,
        )

    def _kept_expiry(  # noqa: PLR0917 - the transfer's fields, then the draws'
        self,
        tid: str,
        debit: str,
        credit: str,
        reference: str,
        mode: int,
        source: _AccountState,
        takes: list[int] | None,
        position: int,
    ) -> int | None:
        """Return the expiry the lot a conversion or gift opens keeps (None: by the policy).

        The draws take the soonest live lot first, so the first lot drawn has the
        soonest expiry of the points that move (`EXPIRY_KEPT_RULE`).
        """
        if mode == _GIFT and not source.scheme.scheme.allow_resident_transfers:
            raise TransferNotAllowed(
                f"transfer {tid}: scheme {source.scheme.code} does not allow"
                f" transfers between residents ({RESIDENT_TRANSFER_RULE})",
                value=(debit, credit),
                rule=RESIDENT_TRANSFER_RULE,
            )
        if mode == _CONVERTED:
            pending = self._conversion
            if pending is not None and pending[0] == position - 1 and pending[1] == reference:
                return pending[2]
            return None
        lots = cast(list[_LotRow], source.lots)
        first = takes[0] if takes else 0
        kept = lots[first][0] if lots else None
        if mode == _CONVERT:  # noted for the in-leg; nothing can refuse the transfer after this
            self._conversion = (position, reference, kept)
        return kept

    def _open_kept_lot(
        self,
        lots: list[_LotRow],
        *,
        kept: int | None,
        position: int,
        amount: int,
        scheme: _SchemeState,
        key: int,
    ) -> None:
        """Open the lot of a conversion or gift, with the expiry it keeps."""
        if kept is None:
            kept = scheme.clock.expires(key)
        else:
            self._lot_expiry[position] = kept
        bisect.insort(lots, (kept, position, amount))

    def _expiry_of(self, origin: int, scheme: _SchemeState) -> int:
        """Return the expiry of the lot opened at ``origin``."""
        kept = self._lot_expiry.get(origin)
        return scheme.clock.expires(self._rows[origin][_KEY]) if kept is None else kept

    def _post_reversal(
        self,
        transfer: Transfer,
        source: _AccountState,
        sink: _AccountState,
    ) -> int:
        """Validate and apply a ``reverse`` transfer (the slow path)."""
        rows = self._rows
        original = self._reversed_position(transfer)
        row = rows[original]
        amount = transfer.amount
        done = self._reversed.get(original, 0)
        self._check_reversal(transfer, row, row[_AMOUNT] - done)
        key, zone = self._key(transfer.at)
        self._check_time(key, transfer.at)
        takes: list[int] | None = None
        restores: list[_LotRow] = []
        if source.lots is not None:  # an earning or adjustment into a wallet taken back
            takes = plan_reversal_draws(source.lots, original, amount, key)
            if takes is None:
                raise self._insufficient(
                    transfer.id, amount, transfer.kind, transfer.reverses, source, key
                )
        elif source.bounded and source.balance < amount:  # a merchant gives points back
            raise self._overdrawn(transfer.id, amount, source)
        if sink.lots is not None:  # a redemption or adjustment out of a wallet given back
            restores = self._plan_restores(original, amount, source.scheme)
        # --- everything is valid: apply ---
        snapshot = self._snapshot
        if snapshot is not None:
            snapshot.save(source, sink)
            snapshot.save_reversal(self, original)
        position = len(rows)
        if takes is not None:
            draws = take(cast(list[_LotRow], source.lots), takes)
        else:
            flat: list[int] = []
            owed = self._owed.get(original)
            for expires, origin, points in restores:
                restore(cast(list[_LotRow], sink.lots), expires, origin, points)
                flat += (origin, points)
                if owed is not None:
                    owed[origin] -= points
            draws = tuple(flat)
        reverses = row[_ID]
        body = transfer_text(
            position,
            transfer.id,
            source.id,
            sink.id,
            str(amount),
            "reverse",
            key,
            transfer.reference,
            transfer.memo,
            reverses,
            draws_text(draws),
        )
        digest = _digest(self._head, body)
        source.balance -= amount
        sink.balance += amount
        _enter_reversal(source, sink, position, row[_KIND], amount)
        rows.append(body)
        if zone:
            rows.set_zone(position, zone)
        self._ids[transfer.id] = position
        self._digests += digest
        self._head = digest
        self._last_key = key
        self._reversed[original] = done + amount
        self._reversals.setdefault(original, []).append(position)
        return position

    def _reversed_position(self, transfer: Transfer) -> int:
        """Return the position of the transfer a reversal reverses, refusing one naming itself."""
        if transfer.reverses == transfer.id:
            raise UnknownTransfer(
                f"reversal {transfer.id} names itself as the transfer it reverses; a reversal"
                " reverses an earlier transfer (points rule 7, docs: rules and sources, points)",
                value=transfer.reverses,
                rule="points rule 7: reversal by compensating entries",
            )
        return self._position_of(cast(str, transfer.reverses))

    def _check_reversal(self, transfer: Transfer, row: _Row, left: int) -> None:
        """Refuse a reversal of a final kind, the wrong way round, or of more than is left."""
        if row[_KIND] not in _REVERSIBLE:
            raise TransferNotAllowed(
                f"transfer {transfer.id}: a {row[_KIND]} transfer cannot be reversed",
                value=row[_KIND],
                limit=sorted(_REVERSIBLE),
                rule="points rule 7: earn, redeem, adjust and settle are reversed;"
                " an expiry or exchange is final",
            )
        if (transfer.debit, transfer.credit) != (row[_CREDIT], row[_DEBIT]):
            raise TransferNotAllowed(
                f"transfer {transfer.id} must move points from {row[_CREDIT]} back to"
                f" {row[_DEBIT]} to reverse {row[_ID]}",
                value=(transfer.debit, transfer.credit),
                limit=(row[_CREDIT], row[_DEBIT]),
                rule="points rule 7: reversal by compensating entries",
            )
        if transfer.amount > left:
            raise AlreadyReversed(
                f"transfer {transfer.id} would reverse {transfer.amount} points of {row[_ID]},"
                f" but only {left} of its {row[_AMOUNT]} are left to reverse",
                value=transfer.amount,
                limit=left,
                rule="points rule 7: a transfer is reversed at most once",
            )

    def _plan_restores(self, original: int, amount: int, scheme: _SchemeState) -> list[_LotRow]:
        """Return (expires, lot origin, points) to give back ``amount`` points of a debit.

        What each lot is still owed is kept per reversed transfer and updated by
        each partial reversal, so a long run of partial reversals stays linear.
        """
        owed = self._owed.get(original)
        if owed is None:
            flat = self._rows[original][_FIRST_DRAW:]
            owed = {}
            for i in range(0, len(flat), 2):
                owed[flat[i]] = owed.get(flat[i], 0) + flat[i + 1]
            self._owed[original] = owed
        origins = sorted(owed)
        parts = apportion(amount, [owed[origin] for origin in origins])
        return [
            (self._expiry_of(origin, scheme), origin, part)
            for origin, part in zip(origins, parts, strict=True)
            if part
        ]

    def _refusal(self, tid: str, debit: str, credit: str, kind: TransferKind) -> GrassrootsError:
        """Return the error that refuses a transfer for its accounts or its kind."""
        source = self._account_state(debit)
        sink = self._account_state(credit)
        for state in (source, sink):
            if state.closed:
                return AccountClosed(
                    f"transfer {tid}: account {state.id} is closed",
                    value=state.id,
                    rule="a closed account takes no new transfers",
                )
        if sink.scheme is not source.scheme:
            return SchemeMismatch(
                f"transfer {tid} moves points from scheme {source.scheme.code} to scheme"
                f" {sink.scheme.code}; convert them with an exchange",
                value=(source.scheme.code, sink.scheme.code),
                rule="double entry: both accounts of a transfer are of one scheme",
            )
        debit_kind = source.account.kind.value
        credit_kind = sink.account.kind.value
        return TransferNotAllowed(
            f"transfer {tid}: a {kind.value} transfer cannot move points from"
            f" a {debit_kind} account ({source.id}) to a {credit_kind} account ({sink.id})",
            value=(kind.value, debit_kind, credit_kind),
            rule="TransferKind table; points rule 10: no transfers between residents",
        )

    def _insufficient(  # noqa: PLR0917 - the transfer's fields, then the wallet's
        self,
        tid: str,
        amount: int,
        kind: TransferKind,
        reverses: str | None,
        wallet: _AccountState,
        key: int,
    ) -> InsufficientPoints:
        lots = wallet.lots or []
        if kind is TransferKind.EXPIRE:
            expired = sum(lot[2] for lot in lots if lot[0] <= key)
            return InsufficientPoints(
                f"transfer {tid} would expire {amount} points of wallet"
                f" {wallet.id}, but only {expired} have expired",
                value=amount,
                limit=expired,
                rule="points rule 4: only expired lots expire",
            )
        live = sum(lot[2] for lot in lots if lot[0] > key)
        if kind is TransferKind.REVERSE:  # the reversed lot counts even if expired
            own = self._ids.get(cast(str, reverses))
            live += sum(lot[2] for lot in lots if lot[0] <= key and lot[1] == own)
        if wallet.balance >= amount:
            return PointsExpired(
                f"transfer {tid} needs {amount} points from wallet {wallet.id},"
                f" which holds {wallet.balance} but only {live} that have not expired",
                value=amount,
                limit=live,
                rule="points rule 4: expired points cannot be spent",
            )
        return InsufficientPoints(
            f"transfer {tid} needs {amount} points from wallet {wallet.id},"
            f" which holds {wallet.balance}",
            value=amount,
            limit=wallet.balance,
            rule="a wallet never goes below zero",
        )
