"""Statements (积分明细) and scheme totals: what the ledger reports (private)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from grassroots import _validators
from grassroots._time import SHANGHAI, require_aware
from grassroots._validators import to_tuple
from grassroots.errors import (
    LedgerImbalance,
)
from grassroots.ledger._checks import _aware, _count, _identifier, _invalid
from grassroots.ledger._values import TransferKind, _transfer_kind


def _lines(value: Iterable[StatementLine]) -> tuple[StatementLine, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class StatementLine:
    """One transfer on an account's statement.

    Args:
        position: The journal position of the transfer.
        transfer: The transfer's id.
        at: When it happened.
        kind: Its kind.
        counterparty: The other account of the transfer.
        change: What it did to this account: positive in, negative out.
        balance: The account's balance after it.
    """

    position: int = attrs.field(validator=_count)
    transfer: str = attrs.field(validator=_identifier)
    at: pendulum.DateTime = attrs.field(converter=_aware)
    kind: TransferKind = attrs.field(converter=_transfer_kind)
    counterparty: str = attrs.field(validator=_identifier)
    change: int = attrs.field(validator=attrs.validators.instance_of(int))
    balance: int = attrs.field(validator=attrs.validators.instance_of(int))


@attrs.frozen(kw_only=True)
class Statement:
    """An account statement (积分明细) over a period ``[start, end)``.

    Args:
        account: The account.
        start: The first instant of the period.
        end: The instant the period ends (not included).
        opening: The balance just before ``start``.
        closing: The balance just before ``end``: the points held, counting
            expired points the sweep has not moved out yet.
        lines: The transfers of the period, in journal order.
        spendable: For a wallet, the part of ``closing`` that has not expired
            at ``end`` (what the resident can still spend); for another
            account, None. After [`expire`][grassroots.ledger.PointsLedger.expire]
            has swept at ``end``, it equals ``closing``.

    Raises:
        LedgerImbalance: ``opening`` plus the lines' changes is not ``closing``.
        InvalidValue: ``spendable`` is negative or above ``closing``.
    """

    account: str = attrs.field(validator=_identifier)
    start: pendulum.DateTime = attrs.field(converter=_aware)
    end: pendulum.DateTime = attrs.field(converter=_aware)
    opening: int = attrs.field(validator=attrs.validators.instance_of(int))
    closing: int = attrs.field(validator=attrs.validators.instance_of(int))
    lines: tuple[StatementLine, ...] = attrs.field(default=(), converter=_lines)
    spendable: int | None = attrs.field(default=None, validator=_validators.optional_count)

    def __attrs_post_init__(self) -> None:
        if self.spendable is not None and self.spendable > self.closing:
            raise _invalid(
                f"statement of {self.account}: {self.spendable} spendable points are more than"
                f" the {self.closing} it holds",
                self.spendable,
            )
        if self.end < self.start:
            raise _invalid(f"statement period ends at {self.end}, before its start {self.start}")
        if self.opening + sum(line.change for line in self.lines) != self.closing:
            raise LedgerImbalance(
                f"statement of {self.account}: opening {self.opening} plus the changes of its"
                f" lines is not the closing balance {self.closing}",
                value=self.closing,
                rule="a statement adds up",
            )


@attrs.frozen(kw_only=True)
class SchemeTotals:
    """The totals of one scheme, net of reversals.

    ``outstanding`` (the points residents hold) always equals ``issued +
    adjusted + exchanged_in - redeemed - expired - exchanged_out``. It counts
    expired points until the sweep moves them out; ``spendable`` does not.

    Args:
        scheme: The scheme's code.
        issued: Points earned by residents.
        adjusted: Net points added to wallets by corrections (may be negative).
        exchanged_in: Points converted into this scheme.
        exchanged_out: Points converted out of this scheme.
        redeemed: Points spent at merchants.
        expired: Points that expired.
        settled: Points merchants handed back to the issuer.
        outstanding: Points held in wallets now, expired or not (the sum of
            [`balance`][grassroots.ledger.PointsLedger.balance] over the wallets).
        spendable: The part of ``outstanding`` not expired at the time the
            totals were taken for (the sum of
            [`spendable`][grassroots.ledger.PointsLedger.spendable]); None if
            not computed. Equality leaves it out, since it depends on the time.
    """

    scheme: str = attrs.field(validator=_identifier)
    issued: int = attrs.field(validator=attrs.validators.instance_of(int))
    adjusted: int = attrs.field(validator=attrs.validators.instance_of(int))
    exchanged_in: int = attrs.field(validator=attrs.validators.instance_of(int))
    exchanged_out: int = attrs.field(validator=attrs.validators.instance_of(int))
    redeemed: int = attrs.field(validator=attrs.validators.instance_of(int))
    expired: int = attrs.field(validator=attrs.validators.instance_of(int))
    settled: int = attrs.field(validator=attrs.validators.instance_of(int))
    outstanding: int = attrs.field(validator=attrs.validators.instance_of(int))
    # Not compared: it is a view at the time asked for, not part of the scheme's flows.
    spendable: int | None = attrs.field(
        default=None,
        eq=False,
        validator=attrs.validators.optional(attrs.validators.instance_of(int)),
    )


def _period_bounds(
    period: pendulum.Interval[Any] | None,
    start: _dt.datetime | None,
    end: _dt.datetime | None,
) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    if period is not None:
        if start is not None or end is not None:
            raise TypeError("give a period or start and end, not both")
        first: object = period.start
        last: object = period.end
        if not isinstance(first, _dt.datetime) and isinstance(first, _dt.date):
            assert isinstance(last, _dt.date)  # an interval's ends share a type
            begin = pendulum.datetime(first.year, first.month, first.day, tz=SHANGHAI)
            after = pendulum.datetime(last.year, last.month, last.day, tz=SHANGHAI).add(days=1)
            return begin, after
    else:
        if start is None or end is None:
            raise TypeError("a statement needs a period, or both start and end")
        first, last = start, end
    begin = require_aware(first, "start")
    after = require_aware(last, "end")
    if after < begin:
        raise _invalid(f"period ends at {after.isoformat()}, before it starts")
    return begin, after
