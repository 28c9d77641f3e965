"""The one-stop exchange window (一站式积分兑换窗口): converting points between schemes.

Use this module to join several schemes ("新新向党" party-member points,
美德积分 virtue points, …) in one window where a resident converts points of
one scheme into another. Rates are exact ``Fraction`` values that change from
a date on; the window keeps every rate ever set, and a conversion uses the
rate in force at its time.

A conversion is the ledger's own
[`PointsLedger.exchange`][grassroots.ledger.PointsLedger.exchange]: one atomic,
linked pair of transfers through the two schemes' exchange accounts. The
points received are ``offered × rate`` rounded down; the points spent are the
fewest that give them, and the unconverted remainder stays in the source
wallet. Converted points keep the expiry they had (the ledger carries it).
A window may limit, per resident and source scheme, the points converted per
day (Asia/Shanghai).

Rule: points rule 9 (merged schemes convert at a dated, recorded rate; every
conversion is an entry); Tancheng case: the existing platforms joined into one
exchange window.

Examples:
    >>> DailyLimit(scheme="party", points=200).points
    200
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable

import attrs
import pendulum

from grassroots import _validators as v
from grassroots._time import SHANGHAI, require_aware
from grassroots.errors import (
    BatchRejected,
    ExchangeLimitReached,
    InsufficientPoints,
    InvalidValue,
    UnknownReference,
)
from grassroots.ledger import ExchangeRate, PointsLedger
from grassroots.ledger._values import slot_setters
from grassroots.programme._times import TimeKey, Times

__all__ = ["EXCHANGE_RULE", "DailyLimit", "ExchangeReceipt", "ExchangeWindow"]

EXCHANGE_RULE = (
    "points rule 9: merged schemes convert at a dated, recorded rate; received points"
    " rounded down, the remainder stays"
)
"""The rule cited when a conversion is refused."""


def _aware(value: object) -> pendulum.DateTime:
    return require_aware(value, "at")


def _positions(value: Iterable[int]) -> tuple[int, int]:
    first, second = v.to_tuple(value)
    return (first, second)


@attrs.frozen(kw_only=True)
class DailyLimit:
    """The most points of one scheme a resident may convert per day (Asia/Shanghai).

    Args:
        scheme: The source scheme's code.
        points: The most points spent out of it per resident and day (at least 1).
    """

    scheme: str = attrs.field(validator=v.identifier)
    points: int = attrs.field(validator=v.count)

    def __attrs_post_init__(self) -> None:
        if self.points < 1:
            raise InvalidValue(
                f"a daily limit of {self.points} points is not positive",
                value=self.points,
                limit=1,
                rule=EXCHANGE_RULE,
            )


@attrs.frozen(kw_only=True)
class ExchangeReceipt:
    """What a conversion did.

    Args:
        id: The conversion's id.
        resident: Who converted.
        source: The scheme converted from.
        target: The scheme converted into.
        at: When.
        rate: The rate in force then.
        offered: The points offered.
        spent: The points taken out of the source wallet.
        received: The points put into the target wallet.
        positions: The journal positions of the two transfers.
    """

    id: str = attrs.field(validator=v.identifier)
    resident: str = attrs.field(validator=v.identifier)
    source: str = attrs.field(validator=v.identifier)
    target: str = attrs.field(validator=v.identifier)
    at: pendulum.DateTime = attrs.field(converter=_aware)
    rate: ExchangeRate = attrs.field(validator=attrs.validators.instance_of(ExchangeRate))
    offered: int = attrs.field(validator=v.count)
    spent: int = attrs.field(validator=v.count)
    received: int = attrs.field(validator=v.count)
    positions: tuple[int, int] = attrs.field(converter=_positions)

    @property
    def remainder(self) -> int:
        """The points offered that were not converted and stayed in the source wallet."""
        return self.offered - self.spent


_Conversion = tuple[str, str, str, TimeKey, int, int, int, int, int, int]

(
    _set_id,
    _set_resident,
    _set_source,
    _set_target,
    _set_at,
    _set_rate,
    _set_offered,
    _set_spent,
    _set_received,
    _set_positions,
) = slot_setters(ExchangeReceipt)


def _exchange_receipt(  # noqa: PLR0917 - the receipt's fields, in their order
    id: str,  # noqa: A002 - the field is called id
    resident: str,
    source: str,
    target: str,
    at: pendulum.DateTime,
    rate: ExchangeRate,
    offered: int,
    spent: int,
    received: int,
    positions: tuple[int, int],
) -> ExchangeReceipt:
    """Build a receipt from values ``convert`` has checked or computed, not checking them again.

    The trusted path: the window builds every receipt from its own checked
    values, given in the class's field order and set through their own slots.
    """
    receipt: ExchangeReceipt = object.__new__(ExchangeReceipt)
    _set_id(receipt, id)
    _set_resident(receipt, resident)
    _set_source(receipt, source)
    _set_target(receipt, target)
    _set_at(receipt, at)
    _set_rate(receipt, rate)
    _set_offered(receipt, offered)
    _set_spent(receipt, spent)
    _set_received(receipt, received)
    _set_positions(receipt, positions)
    return receipt


def _limits(value: Iterable[DailyLimit]) -> tuple[DailyLimit, ...]:
    limits = v.to_tuple(value)
    for limit in limits:
        if not isinstance(limit, DailyLimit):
            raise TypeError(f"a limit must be a DailyLimit, not {type(limit).__name__}")
    v.require_unique((limit.scheme for limit in limits), what="daily limit", scope="the window")
    return limits


class ExchangeWindow:
    """The exchange window over one ledger: the joined schemes, their rates and limits.

    Wallet ids come from ``wallet(scheme, resident)``, so the window works with
    whatever naming the programme uses.

    Args:
        ledger: The points ledger.
        schemes: The codes of the schemes joined in the window.
        wallet: Gives the wallet id of a resident in a scheme.
        limits: Optional daily limits per source scheme.
    """

    def __init__(
        self,
        ledger: PointsLedger,
        *,
        schemes: Iterable[str],
        wallet: Callable[[str, str], str],
        limits: Iterable[DailyLimit] = (),
    ) -> None:
        if not isinstance(ledger, PointsLedger):
            raise TypeError(f"give a PointsLedger, not {type(ledger).__name__}")
        self.ledger = ledger
        self.schemes = frozenset(
            v.check_identifier(code, "scheme") for code in v.to_frozenset(schemes)
        )
        self.limits = {limit.scheme: limit for limit in _limits(limits)}
        self._wallet = wallet
        self._history: dict[tuple[str, str], list[ExchangeRate]] = {}
        # (resident, scheme, local day as (year, month, day)) → points converted that day.
        self._used: dict[tuple[str, str, tuple[int, int, int]], int] = {}
        # Conversions are kept as rows of strings and integers, which the garbage collector
        # stops tracking, and built into receipts when read: (resident, source, target,
        # time key, index of the rate, offered, spent, received, first and second position).
        self._receipts: dict[str, _Conversion] = {}
        self._rates: list[ExchangeRate] = []  # the rates conversions used, each once
        self._rate_index: dict[ExchangeRate, int] = {}
        # The rate used last and its index: the ledger gives the same rate object until a
        # new one is in force, and a rate hashes its fraction and time in Python.
        self._last_rate: tuple[ExchangeRate | None, int] = (None, 0)
        self._times = Times()

    def set_rate(self, rate: ExchangeRate) -> None:
        """Record a rate from its effective time on; earlier rates stay in the history.

        Raises:
            UnknownReference: a scheme of the rate is not joined in the window.
            DuplicateRecord: another rate of the pair has the same effective time.
        """
        if not isinstance(rate, ExchangeRate):
            raise TypeError(f"set_rate takes an ExchangeRate, not {type(rate).__name__}")
        for code in (rate.source, rate.target):
            self._joined(code)
        self.ledger.record_rate(rate)
        history = self._history.setdefault((rate.source, rate.target), [])
        if rate not in history:
            history.append(rate)
            history.sort(key=lambda known: known.effective)

    def history(self, source: str, target: str) -> tuple[ExchangeRate, ...]:
        """Return every rate set from ``source`` to ``target``, in order of effective time."""
        return tuple(self._history.get((source, target), ()))

    def rate(self, source: str, target: str, *, at: _dt.datetime) -> ExchangeRate:
        """Return the rate in force at ``at``.

        Raises:
            NoExchangeRate: none is in force then.
        """
        return self.ledger.rate(source, target, at=at)

    def converted_today(self, resident: str, scheme: str, *, at: _dt.datetime) -> int:
        """Return the points of ``scheme`` ``resident`` converted on the local day of ``at``."""
        return self._used.get((resident, scheme, _day(at)), 0)

    def convert(
        self,
        *,
        id: str,  # noqa: A002 - the conversion's id
        resident: str,
        source: str,
        target: str,
        points: int,
        at: _dt.datetime,
    ) -> ExchangeReceipt:
        """Convert ``points`` of ``resident`` from ``source`` into ``target``; return the receipt.

        Converting again with the same id and the same content returns the first receipt.

        Raises:
            UnknownReference: a scheme is not joined in the window.
            ExchangeLimitReached: the daily limit would be passed.
            NoExchangeRate: no rate is in force at ``at``.
            InsufficientPoints: the points buy nothing, or the wallet lacks them.
        """
        key = v.check_identifier(id, "id")
        offered = v.check_count(points, "points")
        known = self._receipts.get(key)
        if known is not None and (known[0], known[1], known[2], known[5]) == (
            resident,
            source,
            target,
            offered,
        ):
            return self._view(key, known)
        self._joined(source)
        self._joined(target)
        rate = self.rate(source, target, at=at)
        spent_estimate = _spent(offered, rate)
        day_key = _day(at)
        limit = self.limits.get(source)
        used = self._used.get((resident, source, day_key), 0)
        if limit is not None and used + spent_estimate > limit.points:
            raise ExchangeLimitReached(
                f"converting {spent_estimate} points of {source} would take {resident!r} to"
                f" {used + spent_estimate} on {_dt.date(*day_key)},"
                f" above the daily limit {limit.points}"
                f" ({EXCHANGE_RULE})",
                value=used + spent_estimate,
                limit=limit.points,
                rule=EXCHANGE_RULE,
            )
        giver = self._wallet(source, resident)
        # The ledger refuses, changing nothing, to take out of the wallet more than it can
        # spend at ``at``: that refusal is the check, told in the window's own terms.
        try:
            positions = self.ledger.exchange(
                id=f"xchg/{key}",
                source=giver,
                target=self._wallet(target, resident),
                points=offered,
                at=at,
            )
        except BatchRejected as refused:
            if refused.index != 0 or not isinstance(refused.reason, InsufficientPoints):
                raise
            held = self.ledger.spendable(giver, at=at)
            raise InsufficientPoints(
                f"converting {offered} points of {source} spends {spent_estimate}, but"
                f" {resident!r} holds {held} spendable ({EXCHANGE_RULE})",
                value=spent_estimate,
                limit=held,
                rule=EXCHANGE_RULE,
            ) from refused
        # The ledger's own rule: received written down, spent the fewest that give it.
        spent = spent_estimate
        received = offered * rate.rate.numerator // rate.rate.denominator
        self._used[(resident, source, day_key)] = used + spent
        when = require_aware(at, "at")
        receipt = _exchange_receipt(  # every value checked or computed exactly above
            key,
            resident,
            source,
            target,
            when,
            rate,
            offered,
            spent,
            received,
            (positions[0], positions[1]),
        )
        index = self._rate_number(rate)
        self._receipts[key] = (
            resident,
            source,
            target,
            self._times.key(when),
            index,
            offered,
            spent,
            received,
            positions[0],
            positions[1],
        )
        return receipt

    @property
    def receipts(self) -> tuple[ExchangeReceipt, ...]:
        """Every conversion, in order."""
        return tuple(self._view(key, row) for key, row in self._receipts.items())

    def _view(self, key: str, row: _Conversion) -> ExchangeReceipt:
        resident, source, target, at, rate, offered, spent, received, first, second = row
        return _exchange_receipt(  # every value was checked or computed when converted
            key,
            resident,
            source,
            target,
            self._times.time(at),
            self._rates[rate],
            offered,
            spent,
            received,
            (first, second),
        )

    def _rate_number(self, rate: ExchangeRate) -> int:
        """Return the index of ``rate`` among the rates conversions used, adding it if new."""
        last, index = self._last_rate
        if rate is last:
            return index
        known = self._rate_index.get(rate)
        if known is None:
            known = self._rate_index[rate] = len(self._rates)
            self._rates.append(rate)
        self._last_rate = (rate, known)
        return known

    def _joined(self, code: str) -> None:
        if code not in self.schemes:
            raise UnknownReference(
                f"scheme {code!r} is not joined in the exchange window {sorted(self.schemes)}",
                value=code,
                limit=sorted(self.schemes),
                rule=EXCHANGE_RULE,
            )


def _spent(offered: int, rate: ExchangeRate) -> int:
    gained = offered * rate.rate.numerator // rate.rate.denominator
    return -(-gained * rate.rate.denominator // rate.rate.numerator)


def _day(at: _dt.datetime) -> tuple[int, int, int]:
    """Return the local day (Asia/Shanghai) of ``at`` as ``(year, month, day)``."""
    local = _dt.datetime.astimezone(require_aware(at, "at"), SHANGHAI)
    return (local.year, local.month, local.day)
