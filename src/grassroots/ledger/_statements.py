"""Statements (积分明细) and scheme totals: what the ledger reports (private)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from grassroots import _tabular, _validators
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

    def row(self) -> dict[str, object]:
        """Return the line as a plain dict of its exact values (the kind as its value)."""
        return {
            "position": self.position,
            "transfer": self.transfer,
            "at": self.at,
            "kind": self.kind.value,
            "counterparty": self.counterparty,
            "change": self.change,
            "balance": self.balance,
        }

    def to_dataframe(self) -> Any:
        """Return the line as a one-row ``pandas.DataFrame`` (the ``notebook`` extra).

        Points are ``Int64`` columns (see Money and rounding in the docs).

        Raises:
            ModuleNotFoundError: pandas is not installed.
        """
        return _tabular.dataframe([self.row()], _LINE_COLUMNS)

    def _repr_html_(self) -> str:
        table = _tabular.Table(
            caption=f"积分明细 statement line {self.position}",
            columns=_LINE_COLUMNS,
            rows=(self.row(),),
        )
        return _tabular.html_tables([table], name="statement")


_LINE_COLUMNS = (
    _tabular.Column("position", "序号", "int"),
    _tabular.Column("transfer", "转账"),
    _tabular.Column("at", "时间", "time"),
    _tabular.Column("kind", "类型"),
    _tabular.Column("counterparty", "对方账户"),
    _tabular.Column("change", "变动", "int"),
    _tabular.Column("balance", "余额", "int"),
)
_STATEMENT_COLUMNS = (_tabular.Column("account", "账户"), *_LINE_COLUMNS)


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

    def rows(self) -> list[dict[str, object]]:
        """Return the lines as plain dicts, each with the statement's account."""
        return [{"account": self.account, **line.row()} for line in self.lines]

    def to_dataframe(self) -> Any:
        """Return `rows()` as a ``pandas.DataFrame``, one row per line (the ``notebook`` extra).

        Points are ``Int64`` columns and times aware ``datetime64`` (see Money
        and rounding in the docs); the balances are in ``DataFrame.attrs``
        (``opening``, ``closing``, ``spendable``).

        Raises:
            ModuleNotFoundError: pandas is not installed.
        """
        frame = _tabular.dataframe(self.rows(), _STATEMENT_COLUMNS)
        frame.attrs.update(
            account=self.account,
            start=self.start,
            end=self.end,
            opening=self.opening,
            closing=self.closing,
            spendable=self.spendable,
        )
        return frame

    def _repr_html_(self) -> str:
        notes = [f"期初 opening {self.opening:,} · 期末 closing {self.closing:,}"]
        if self.spendable is not None:
            notes.append(f"可用 spendable {self.spendable:,}")
        table = _tabular.Table(
            caption=(
                f"积分明细 statement of {self.account}:"
                f" {self.start.isoformat()} – {self.end.isoformat()}"
            ),
            columns=_STATEMENT_COLUMNS,
            rows=tuple(self.rows()),
            notes=tuple(notes),
        )
        return _tabular.html_tables([table], name="statement")


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

    def row(self) -> dict[str, object]:
        """Return the totals as a plain dict of exact points."""
        return {column.key: getattr(self, column.key) for column in _TOTALS_COLUMNS}

    def to_dataframe(self) -> Any:
        """Return the totals as a one-row ``pandas.DataFrame`` of ``Int64`` columns.

        Concatenate several schemes' frames with ``pandas.concat``.

        Raises:
            ModuleNotFoundError: pandas is not installed (the ``notebook`` extra).
        """
        return _tabular.dataframe([self.row()], _TOTALS_COLUMNS)

    def _repr_html_(self) -> str:
        table = _tabular.Table(
            caption=f"积分方案合计 totals of scheme {self.scheme}",
            columns=_TOTALS_COLUMNS,
            rows=(self.row(),),
        )
        return _tabular.html_tables([table], name="scheme-totals")


_TOTALS_COLUMNS = (
    _tabular.Column("scheme", "积分方案"),
    _tabular.Column("issued", "发放", "int"),
    _tabular.Column("adjusted", "调整", "int"),
    _tabular.Column("exchanged_in", "兑入", "int"),
    _tabular.Column("exchanged_out", "兑出", "int"),
    _tabular.Column("redeemed", "兑换使用", "int"),
    _tabular.Column("expired", "过期", "int"),
    _tabular.Column("settled", "结算", "int"),
    _tabular.Column("outstanding", "未用余额", "int"),
    _tabular.Column("spendable", "可用", "int"),
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
