"""Strategies for the points ledger (private module; import from grassroots.strategies).

Everything is built through the ledger's public constructors and commands, so
what these strategies draw is always valid. The ledger strategy draws a whole
history (earnings, redemptions, reversals, expiry sweeps and exchanges
between schemes) and applies it, so the ledger it returns carries that history
in its journal.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from decimal import Decimal
from fractions import Fraction
from typing import Final

import pendulum
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from grassroots.errors import GrassrootsError
from grassroots.ledger import (
    MAX_TRANSFER_POINTS,
    Account,
    AccountClosure,
    AccountKind,
    Draw,
    ExchangeRate,
    ExpiryPolicy,
    ExpiryRule,
    JournalEntry,
    Lot,
    PointsLedger,
    RedemptionQuote,
    Scheme,
    SchemeTotals,
    Statement,
    Transfer,
    TransferKind,
    quote_redemption,
)

DEFAULT_START: Final = pendulum.datetime(2024, 1, 1, 8, tz="Asia/Shanghai")
"""Where drawn ledger histories begin by default: 2024-01-01 08:00 in Asia/Shanghai."""

# The Tancheng case's schemes first, then plain codes for more.
_SCHEME_NAMES: Final = (
    ("party", "新新向党"),
    ("virtue", "美德积分"),
    ("unified", "积分兑换窗口"),
)
_SCHEME_CODES: Final = tuple(pair[0] for pair in _SCHEME_NAMES)
_MERCHANTS: Final = ("store", "housekeeping", "canteen")  # 便利店, 家政, 幸福食堂
_ZONES: Final = (
    pendulum.timezone("Asia/Shanghai"),
    pendulum.UTC,
    pendulum.FixedTimezone(8 * 3600),
)
# Free text: any character but the control characters the text rule refuses (line
# breaks and tabs are allowed) and lone surrogates.
_TEXT: Final = st.text(
    alphabet=st.characters(
        exclude_categories=["Cs"],
        exclude_characters="".join(
            chr(code) for code in [*range(0x20), *range(0x7F, 0xA0)] if chr(code) not in "\t\n\r"
        ),
    ),
    max_size=12,
)
# Ids: printable characters only, none of them whitespace (so none at either end), and
# never the expiry sweep's reserved prefix.
_IDS: Final = st.text(
    alphabet=st.characters(exclude_categories=["Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"]),
    min_size=1,
    max_size=12,
).filter(lambda text: text.strip() == text and not text.startswith("expire:"))


def _check_range(name: str, low: int, high: int, *, floor: int = 0) -> None:
    if low < floor:
        raise InvalidArgument(f"min_{name}={low} is below {floor}")
    if low > high:
        raise InvalidArgument(f"min_{name}={low} is greater than max_{name}={high}")


def ledger_times(
    *,
    min_value: _dt.datetime = DEFAULT_START,
    max_value: _dt.datetime = pendulum.datetime(2030, 12, 31, 23, 59, tz="Asia/Shanghai"),
) -> st.SearchStrategy[pendulum.DateTime]:
    """Draw a timezone-aware pendulum ``DateTime`` between the bounds, inclusive.

    Times come in Asia/Shanghai, UTC or a fixed +08:00 offset, so code under
    test meets the offsets that JSON round trips produce. Shrinks toward
    ``min_value`` in Asia/Shanghai. Needs the ``hypothesis`` extra.

    Raises:
        InvalidArgument: a bound is naive, or ``min_value`` is after ``max_value``.
    """
    for bound in (min_value, max_value):
        if bound.tzinfo is None or bound.utcoffset() is None:
            raise InvalidArgument(f"bound {bound!r} is naive; give timezone-aware bounds")
    low = pendulum.instance(min_value)
    high = pendulum.instance(max_value)
    if low > high:
        raise InvalidArgument(f"min_value {low} is after max_value {high}")
    span = int((high - low).total_seconds())
    return st.builds(
        lambda seconds, zone: low.add(seconds=seconds).in_timezone(zone),
        st.integers(min_value=0, max_value=span),
        st.sampled_from(_ZONES),
    )


def expiry_policies(
    *, rules: st.SearchStrategy[ExpiryRule] = st.sampled_from(ExpiryRule)
) -> st.SearchStrategy[ExpiryPolicy]:
    """Draw an expiry policy: never, N days, end of month or year.

    Draws [`ExpiryPolicy`][grassroots.ledger.ExpiryPolicy] values.

    Shrinks toward the first rule (never expires) and the smallest count.
    Needs the ``hypothesis`` extra.
    """

    def build(rule: ExpiryRule, count: int) -> ExpiryPolicy:
        if rule is ExpiryRule.NEVER:
            return ExpiryPolicy.never()
        if rule is ExpiryRule.AFTER_DAYS:
            return ExpiryPolicy.after_days(count + 1)
        return ExpiryPolicy(
            rule=rule, count=count % 13 if rule is ExpiryRule.END_OF_MONTH else count % 4
        )

    return st.builds(build, rules, st.integers(min_value=0, max_value=730))


def schemes(
    *,
    codes: st.SearchStrategy[str] = _IDS,
    names: st.SearchStrategy[str] = _TEXT,
    expiry: st.SearchStrategy[ExpiryPolicy] | None = None,
) -> st.SearchStrategy[Scheme]:
    """Draw a [`Scheme`][grassroots.ledger.Scheme] with a code, a name and an expiry policy.

    Shrinks toward one-character codes, empty names and points that never
    expire. Needs the ``hypothesis`` extra.
    """
    return st.builds(
        Scheme,
        code=codes,
        name=names,
        expiry=expiry_policies() if expiry is None else expiry,
    )


def accounts(
    *,
    ids: st.SearchStrategy[str] = _IDS,
    scheme_codes: st.SearchStrategy[str] = _IDS,
    kinds: st.SearchStrategy[AccountKind] = st.sampled_from(AccountKind),
    owners: st.SearchStrategy[str] = _TEXT,
) -> st.SearchStrategy[Account]:
    """Draw an [`Account`][grassroots.ledger.Account] value (not opened in any ledger).

    Shrinks toward short ids, a wallet and an empty owner. Needs the
    ``hypothesis`` extra.
    """
    return st.builds(Account, id=ids, scheme=scheme_codes, kind=kinds, owner=owners, name=_TEXT)


def transfers(
    *,
    ids: st.SearchStrategy[str] = _IDS,
    account_ids: st.SearchStrategy[str] = _IDS,
    kinds: st.SearchStrategy[TransferKind] = st.sampled_from(TransferKind),
    min_amount: int = 1,
    max_amount: int = MAX_TRANSFER_POINTS,
    times: st.SearchStrategy[pendulum.DateTime] | None = None,
) -> st.SearchStrategy[Transfer]:
    """Draw a [`Transfer`][grassroots.ledger.Transfer] value that is valid on its own.

    The transfer is not posted anywhere: its accounts need not exist. A
    ``reverse`` transfer names a drawn id as the transfer it reverses. Shrinks
    toward ``min_amount``, an ``earn`` and the earliest time. Needs the
    ``hypothesis`` extra.

    Raises:
        InvalidArgument: the amount bounds are empty or outside
            ``1..MAX_TRANSFER_POINTS``.
    """
    _check_range("amount", min_amount, max_amount, floor=1)
    if max_amount > MAX_TRANSFER_POINTS:
        raise InvalidArgument(f"max_amount={max_amount} is above {MAX_TRANSFER_POINTS}")

    @st.composite
    def draw_transfer(draw: st.DrawFn) -> Transfer:
        debit = draw(account_ids)
        credit = draw(account_ids.filter(lambda value: value != debit))
        kind = draw(kinds)
        return Transfer(
            id=draw(ids),
            debit=debit,
            credit=credit,
            amount=draw(st.integers(min_value=min_amount, max_value=max_amount)),
            kind=kind,
            at=draw(ledger_times() if times is None else times),
            reference=draw(_TEXT),
            memo=draw(_TEXT),
            reverses=draw(ids) if kind is TransferKind.REVERSE else None,
        )

    return draw_transfer()


def draws(*, lots: st.SearchStrategy[str] = _IDS) -> st.SearchStrategy[Draw]:
    """Draw a [`Draw`][grassroots.ledger.Draw]. Shrinks toward one point.

    Needs the ``hypothesis`` extra.
    """
    return st.builds(Draw, lot=lots, points=st.integers(min_value=1, max_value=10**6))


def exchange_rates(
    *,
    scheme_codes: st.SearchStrategy[str] = st.sampled_from(_SCHEME_CODES),
    times: st.SearchStrategy[pendulum.DateTime] | None = None,
) -> st.SearchStrategy[ExchangeRate]:
    """Draw an [`ExchangeRate`][grassroots.ledger.ExchangeRate] between two different schemes.

    Rates run from 1/100 to 100; shrinks toward a rate of 1/100 and the
    earliest time. Needs the ``hypothesis`` extra.
    """

    @st.composite
    def draw_rate(draw: st.DrawFn) -> ExchangeRate:
        source = draw(scheme_codes)
        target = draw(scheme_codes.filter(lambda code: code != source))
        return ExchangeRate(
            source=source,
            target=target,
            rate=draw(st.fractions(min_value=Fraction(1, 100), max_value=100, max_denominator=100)),
            effective=draw(ledger_times() if times is None else times),
            reference=draw(_TEXT),
        )

    return draw_rate()


def account_closures(
    *, account_ids: st.SearchStrategy[str] = _IDS
) -> st.SearchStrategy[AccountClosure]:
    """Draw an account closure. Shrinks toward the earliest time.

    Draws [`AccountClosure`][grassroots.ledger.AccountClosure] values.

    Needs the ``hypothesis`` extra.
    """
    return st.builds(AccountClosure, account=account_ids, at=ledger_times(), memo=_TEXT)


def redemption_quotes() -> st.SearchStrategy[RedemptionQuote]:
    """Draw a [`RedemptionQuote`][grassroots.ledger.RedemptionQuote] made by the quoting rule.

    Shrinks toward no points on a zero bill. Needs the ``hypothesis`` extra.
    """
    return st.builds(
        lambda points, fen, rate, cap: quote_redemption(
            points=points, bill=Decimal(fen) / 100, rate=rate, cap=cap
        ),
        st.integers(min_value=0, max_value=10_000),
        st.integers(min_value=0, max_value=1_000_000),
        st.fractions(min_value=Fraction(1, 100), max_value=10, max_denominator=100),
        st.fractions(min_value=0, max_value=1, max_denominator=100),
    )


# --- whole ledgers ---------------------------------------------------------------------------

_OPERATIONS: Final = ("earn", "redeem", "reverse", "expire", "exchange")


def points_ledgers(
    *,
    min_schemes: int = 1,
    max_schemes: int = 3,
    min_residents: int = 1,
    max_residents: int = 4,
    min_operations: int = 0,
    max_operations: int = 25,
    expiry: st.SearchStrategy[ExpiryPolicy] | None = None,
    start: st.SearchStrategy[pendulum.DateTime] = st.just(DEFAULT_START),
    reversals: bool = True,
    expiry_sweeps: bool = True,
    exchanges: bool = True,
) -> st.SearchStrategy[PointsLedger]:
    """Draw a [`PointsLedger`][grassroots.ledger.PointsLedger] together with a valid history.

    The ledger has ``min_schemes`` to ``max_schemes`` schemes (the Tancheng
    case's "新新向党", 美德积分 and the exchange window's unified points first),
    each with an issuer, an expiry account, an exchange account and one to three
    merchants (the convenience store, housekeeping and the canteen), and a
    wallet in every scheme for each of ``min_residents`` to ``max_residents``
    residents. Exchange rates are recorded from every scheme into the last one.
    Then ``min_operations`` to ``max_operations`` operations are drawn and
    applied in time order: earnings, redemptions of spendable points,
    reversals (full or partial), expiry sweeps and exchanges. The journal of
    the result is that history: ``[entry.record for entry in ledger.journal]``.

    An operation that the ledger refuses (say, reversing an earning whose
    points were spent) is left out, so fewer operations may appear than drawn.

    Shrinks toward one scheme whose points never expire, one resident, no
    operations, then earnings of one point, all at ``start``. Needs the
    ``hypothesis`` extra.

    Args:
        min_schemes: At least this many schemes (at least 1).
        max_schemes: At most this many schemes.
        min_residents: At least this many residents (at least 1).
        max_residents: At most this many residents.
        min_operations: At least this many operations drawn.
        max_operations: At most this many operations drawn.
        expiry: The schemes' expiry policies; ``expiry_policies`` by default.
        start: When the history begins.
        reversals: Whether to draw reversals.
        expiry_sweeps: Whether to draw expiry sweeps.
        exchanges: Whether to draw exchanges between schemes.

    Raises:
        InvalidArgument: a minimum is greater than its maximum, or below its floor.
    """
    _check_range("schemes", min_schemes, max_schemes, floor=1)
    _check_range("residents", min_residents, max_residents, floor=1)
    _check_range("operations", min_operations, max_operations)
    operations = [
        name
        for name, wanted in zip(
            _OPERATIONS, (True, True, reversals, expiry_sweeps, exchanges), strict=True
        )
        if wanted
    ]
    policies = expiry_policies() if expiry is None else expiry

    @st.composite
    def draw_ledger(draw: st.DrawFn) -> PointsLedger:
        ledger = PointsLedger()
        count = draw(st.integers(min_value=min_schemes, max_value=max_schemes))
        codes = [_scheme(ledger, number, draw(policies)) for number in range(count)]
        residents = [
            f"resident-{number}"
            for number in range(draw(st.integers(min_residents, max_residents)))
        ]
        merchants = _MERCHANTS[: draw(st.integers(min_value=1, max_value=len(_MERCHANTS)))]
        for code in codes:
            for kind in (AccountKind.ISSUER, AccountKind.EXPIRY, AccountKind.EXCHANGE):
                ledger.open_account(Account(id=f"{code}:{kind.value}", scheme=code, kind=kind))
            for merchant in merchants:
                ledger.open_account(
                    Account(id=f"{code}:{merchant}", scheme=code, kind=AccountKind.MERCHANT)
                )
            for resident in residents:
                ledger.open_account(
                    Account(
                        id=f"{code}:{resident}",
                        scheme=code,
                        kind=AccountKind.WALLET,
                        owner=resident,
                    )
                )
        now = draw(start)
        for code in codes[:-1]:
            ledger.record_rate(
                ExchangeRate(
                    source=code,
                    target=codes[-1],
                    rate=draw(st.fractions(Fraction(1, 4), 4, max_denominator=4)),
                    effective=now,
                    reference="residents' assembly",
                )
            )
        history = _History(ledger, codes, residents, merchants)
        for number in range(draw(st.integers(min_operations, max_operations))):
            now = now.add(seconds=draw(st.integers(min_value=0, max_value=120 * 86_400)))
            operation = draw(st.sampled_from(operations))
            # A refused operation leaves the ledger unchanged and is left out.
            with contextlib.suppress(GrassrootsError):
                history.apply(operation, number, now, draw)
        return ledger

    return draw_ledger()


def _scheme(ledger: PointsLedger, number: int, policy: ExpiryPolicy) -> str:
    code, name = _SCHEME_NAMES[number] if number < len(_SCHEME_NAMES) else (f"s{number}", "")
    ledger.add_scheme(Scheme(code=code, name=name, expiry=policy))
    return code


class _History:
    """Applies drawn operations to a ledger, choosing only what it can do."""

    def __init__(
        self,
        ledger: PointsLedger,
        codes: list[str],
        residents: list[str],
        merchants: tuple[str, ...],
    ) -> None:
        self.ledger = ledger
        self.codes = codes
        self.residents = residents
        self.merchants = merchants
        self.posted: list[str] = []

    def apply(self, operation: str, number: int, now: pendulum.DateTime, draw: st.DrawFn) -> None:
        ledger = self.ledger
        code = draw(st.sampled_from(self.codes))
        resident = draw(st.sampled_from(self.residents))
        wallet = f"{code}:{resident}"
        spendable = ledger.spendable(wallet, at=now)
        if operation == "redeem" and spendable:
            ledger.post(
                Transfer(
                    id=f"redeem-{number}",
                    debit=wallet,
                    credit=f"{code}:{draw(st.sampled_from(self.merchants))}",
                    amount=draw(st.integers(min_value=1, max_value=spendable)),
                    kind=TransferKind.REDEEM,
                    at=now,
                )
            )
            self.posted.append(f"redeem-{number}")
        elif operation == "reverse" and self.posted:
            original = draw(st.sampled_from(self.posted))
            left = ledger.transfer(original).amount - ledger.reversed_amount(original)
            if left:
                ledger.reverse(
                    original,
                    id=f"reverse-{number}",
                    at=now,
                    amount=draw(st.integers(min_value=1, max_value=left)),
                )
        elif operation == "expire":
            ledger.expire(as_of=now)
        elif operation == "exchange" and code != self.codes[-1] and spendable:
            ledger.exchange(
                id=f"exchange-{number}",
                source=wallet,
                target=f"{self.codes[-1]}:{resident}",
                points=draw(st.integers(min_value=1, max_value=spendable)),
                at=now,
            )
        else:  # earn, and whatever could not be done
            ledger.post(
                Transfer(
                    id=f"earn-{number}",
                    debit=f"{code}:issuer",
                    credit=wallet,
                    amount=draw(st.integers(min_value=1, max_value=500)),
                    kind=TransferKind.EARN,
                    at=now,
                    reference="volunteer activity",
                )
            )
            self.posted.append(f"earn-{number}")


def journal_entries(
    *, ledgers: st.SearchStrategy[PointsLedger] | None = None
) -> st.SearchStrategy[JournalEntry]:
    """Draw a [`JournalEntry`][grassroots.ledger.JournalEntry] out of a drawn ledger's journal.

    Shrinks toward the first entry of a small ledger. Needs the ``hypothesis`` extra.
    """
    source = points_ledgers() if ledgers is None else ledgers

    @st.composite
    def draw_entry(draw: st.DrawFn) -> JournalEntry:
        ledger = draw(source)
        return ledger.journal[draw(st.integers(min_value=0, max_value=len(ledger) - 1))]

    return draw_entry()


def lots(*, ledgers: st.SearchStrategy[PointsLedger] | None = None) -> st.SearchStrategy[Lot]:
    """Draw an open [`Lot`][grassroots.ledger.Lot] of a drawn ledger's wallets.

    The ledgers drawn have at least one earning. Shrinks toward the first lot
    of a small ledger. Needs the ``hypothesis`` extra.
    """
    source = points_ledgers(min_operations=1, reversals=False, expiry_sweeps=False)
    if ledgers is not None:
        source = ledgers

    @st.composite
    def draw_lot(draw: st.DrawFn) -> Lot:
        ledger = draw(source)
        found = [
            lot
            for account in ledger.accounts
            if account.kind is AccountKind.WALLET
            for lot in ledger.lots(account.id)
        ]
        return draw(st.sampled_from(found)) if found else draw(st.nothing())

    return draw_lot()


def statements(
    *, ledgers: st.SearchStrategy[PointsLedger] | None = None
) -> st.SearchStrategy[Statement]:
    """Draw the [`Statement`][grassroots.ledger.Statement] of an account of a drawn ledger.

    The period starts at a drawn time in 2024 and lasts up to a year. Shrinks
    toward the first account over a period of no length. Needs the
    ``hypothesis`` extra.
    """
    source = points_ledgers() if ledgers is None else ledgers

    @st.composite
    def draw_statement(draw: st.DrawFn) -> Statement:
        ledger = draw(source)
        account = draw(st.sampled_from(ledger.accounts))
        start = draw(ledger_times(max_value=pendulum.datetime(2024, 12, 31, tz="Asia/Shanghai")))
        end = start.add(days=draw(st.integers(min_value=0, max_value=366)))
        return ledger.statement(account.id, start=start, end=end)

    return draw_statement()


def scheme_totals(
    *, ledgers: st.SearchStrategy[PointsLedger] | None = None
) -> st.SearchStrategy[SchemeTotals]:
    """Draw the [`SchemeTotals`][grassroots.ledger.SchemeTotals] of a scheme of a drawn ledger.

    Shrinks toward the first scheme of a small ledger. Needs the ``hypothesis`` extra.
    """
    source = points_ledgers() if ledgers is None else ledgers

    @st.composite
    def draw_totals(draw: st.DrawFn) -> SchemeTotals:
        ledger = draw(source)
        return ledger.totals(draw(st.sampled_from(ledger.schemes)).code)

    return draw_totals()
