"""Public-revenue funds (小区公共收益) and who pays for a discount.

Use this module to close the Tancheng loop: 10% of each project's net profit
goes to the compound's public revenue, which pays for the discounts residents
get with their volunteer points (profit → public revenue → discounts →
volunteering).

- A [`PublicRevenueFund`][grassroots.programme.fund.PublicRevenueFund] is money
  in exact yuan (kept in fen) with a list of movements; it never goes below
  zero, and a movement that would take it there is refused whole.
- [`deposit_community_shares`][grassroots.programme.fund.deposit_community_shares]
  turns one period of a [`ProfitAllocation`][grassroots.allocation.ProfitAllocation]
  into deposits, one per community-share line, in one call.
- A [`FundingPolicy`][grassroots.programme.fund.FundingPolicy] says who pays
  each merchant's discounts: the fund, the merchant itself, or both by a ratio.

Rule: points rule 8 (settlement is separate from the member ledger: each
redemption is a claim of the merchant on its funder); Tancheng case,
"项目纯利润的10%划归小区公共收益", spent on volunteer services.

Examples:
    >>> import pendulum
    >>> fund = PublicRevenueFund(id="fund:dongcheng", subcommunity="dongcheng")
    >>> at = pendulum.datetime(2026, 11, 1, tz="Asia/Shanghai")
    >>> fund.deposit("1250.00", at=at, reference="2026-10 community share")
    Decimal('1250.00')
    >>> fund.withdraw("6.00", at=at.add(days=1), reference="r-1")
    Decimal('1244.00')
    >>> FundingPolicy.split("fund:dongcheng", "1/2").fund_fen(601)
    300
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum

from grassroots import _validators as v
from grassroots._time import require_aware
from grassroots.allocation import PeriodAllocation, Step
from grassroots.errors import DuplicateRecord, FundInsufficient, InvalidValue, UnknownReference
from grassroots.money import from_fen, to_fen, yuan
from grassroots.programme._times import TimeKey, Times

__all__ = [
    "FUND_RULE",
    "FundMovement",
    "FundingKind",
    "FundingPolicy",
    "MovementKind",
    "PublicRevenueFund",
    "Shortfall",
    "deposit_community_shares",
]

FUND_RULE = (
    "points rule 8 and the Tancheng case: the compound's public revenue pays for discounts;"
    " a fund never goes below zero"
)
"""The rule cited when a fund would go below zero."""


class MovementKind(enum.Enum):
    """Why money moved in or out of a fund."""

    DEPOSIT = "deposit"
    """Money paid in, such as a period's community share."""
    DISCOUNT = "discount"
    """The fund's part of a discount granted at a merchant (owed to the merchant)."""
    REFUND = "refund"
    """The fund's part of a refunded discount not yet settled, given back."""
    CLAIM_REPAID = "claim_repaid"
    """A merchant paying back the fund's part of a discount refunded after settlement."""


_KINDS = tuple(MovementKind)
_KIND_INDEX = {kind: index for index, kind in enumerate(_KINDS)}
_DISCOUNT = _KIND_INDEX[MovementKind.DISCOUNT]
"""The index of a discount's kind, which every redemption records (an enum hashes in Python)."""


def _aware(value: object) -> pendulum.DateTime:
    return require_aware(value, "at")


@attrs.frozen(kw_only=True)
class FundMovement:
    """One movement of a fund.

    Args:
        kind: Why the money moved.
        amount: Yuan, positive; the kind says the direction.
        at: When.
        reference: What it refers to (a receipt, an allocation line).
        balance: The fund's balance after it.
    """

    kind: MovementKind = attrs.field(validator=attrs.validators.instance_of(MovementKind))
    amount: Decimal = attrs.field(converter=yuan)
    at: pendulum.DateTime = attrs.field(converter=_aware)
    reference: str = attrs.field(validator=v.text)
    balance: Decimal = attrs.field(converter=yuan)


class PublicRevenueFund:
    """A compound's public-revenue fund (小区公共收益): exact yuan that never go below zero.

    Args:
        id: A stable id.
        subcommunity: The compound whose public revenue it is.
        name: A display name.
    """

    def __init__(self, *, id: str, subcommunity: str, name: str = "") -> None:  # noqa: A002
        self.id = v.check_identifier(id, "id")
        self.subcommunity = v.check_identifier(subcommunity, "subcommunity")
        self.name = v.check_text(name, "name")
        self._fen = 0
        # Movements are kept as rows of strings and integers, which the garbage collector
        # stops tracking, and built into values when read:
        # (index of the kind in _KINDS, fen, time key, reference, balance in fen).
        self._rows: list[tuple[int, int, TimeKey, str, int]] = []
        self._times = Times()
        # Each kind's references → index of the row. One dict per kind, keyed by the
        # reference alone, so a movement adds no key tuple for the collector to track.
        self._references: dict[MovementKind, dict[str, int]] = {kind: {} for kind in MovementKind}
        self._discounts = self._references[MovementKind.DISCOUNT]  # the one redeem asks

    def __repr__(self) -> str:
        return f"PublicRevenueFund(id={self.id!r}, balance={self.balance})"

    @property
    def balance(self) -> Decimal:
        """The money in the fund, in yuan."""
        return from_fen(self._fen)

    @property
    def balance_fen(self) -> int:
        """The money in the fund, in fen."""
        return self._fen

    @property
    def movements(self) -> tuple[FundMovement, ...]:
        """Every movement, in order."""
        return tuple(self._movement(index) for index in range(len(self._rows)))

    def _movement(self, index: int) -> FundMovement:
        kind, fen, at, reference, balance = self._rows[index]
        return FundMovement(
            kind=_KINDS[kind],
            amount=from_fen(fen),
            at=self._times.time(at),
            reference=reference,
            balance=from_fen(balance),
        )

    def deposit(self, amount: Decimal | int | str, *, at: _dt.datetime, reference: str) -> Decimal:
        """Pay ``amount`` in; return the new balance.

        A deposit with a reference already deposited with the same amount changes
        nothing (a retried call).

        Raises:
            InvalidValue: the amount is not positive.
            DuplicateRecord: the reference was deposited with another amount.
        """
        return self._move(MovementKind.DEPOSIT, to_fen(yuan(amount)), at, reference)

    def withdraw(self, amount: Decimal | int | str, *, at: _dt.datetime, reference: str) -> Decimal:
        """Take ``amount`` out for a discount; return the new balance.

        Raises:
            FundInsufficient: the fund holds less than ``amount``.
        """
        return self._move(MovementKind.DISCOUNT, to_fen(yuan(amount)), at, reference)

    def check_withdrawal(self, fen: int) -> None:
        """Raise [`FundInsufficient`][grassroots.errors.FundInsufficient] if ``fen`` is too much."""
        if fen > self._fen:
            raise FundInsufficient(
                f"fund {self.id} holds {from_fen(self._fen)} yuan, less than the"
                f" {from_fen(fen)} yuan asked ({FUND_RULE})",
                value=from_fen(fen),
                limit=from_fen(self._fen),
                rule=FUND_RULE,
            )

    def _check_discount(self, fen: int, ref: str) -> None:
        """Raise unless a discount of ``fen`` (positive) under ``ref`` can be taken now.

        A redemption asks this before it posts to the ledger, so that a refusal
        here leaves the ledger, the fund and the programme as they were.

        Raises:
            DuplicateRecord: the fund already has a discount under ``ref``.
            FundInsufficient: the fund holds less than ``fen``.
        """
        known = self._discounts.get(ref)
        if known is not None:
            earlier = self._rows[known][1]
            raise DuplicateRecord(
                f"fund {self.id} already has a discount {ref!r} of {from_fen(earlier)} yuan",
                value=from_fen(fen),
                limit=from_fen(earlier),
                rule="one movement per reference",
            )
        self.check_withdrawal(fen)

    def _take_discount(self, fen: int, when: pendulum.DateTime, ref: str, moment: int) -> None:
        """Take a discount `_check_discount` allowed; ``moment`` is the instant of ``when``."""
        self._fen -= fen
        self._discounts[ref] = len(self._rows)
        self._rows.append(
            (
                _DISCOUNT,
                fen,
                self._times.key_of(moment, when),
                ref,
                self._fen,
            )
        )

    def _move(self, kind: MovementKind, fen: int, at: _dt.datetime, reference: str) -> Decimal:
        self._apply(kind, fen, require_aware(at, "at"), v.check_text(reference, "reference"))
        return self.balance

    def _apply(
        self,
        kind: MovementKind,
        fen: int,
        when: pendulum.DateTime,
        ref: str,
        moment: int | None = None,
    ) -> None:
        # ``when`` is aware and ``ref`` valid text: checked by the caller, who may give
        # the instant of ``when`` (``moment``) it has already worked out.
        if fen <= 0:
            raise InvalidValue(
                f"a fund movement of {from_fen(fen)} yuan is not positive",
                value=from_fen(fen),
                limit=Decimal("0.01"),
                rule=FUND_RULE,
            )
        known = self._references[kind].get(ref) if ref else None
        if known is not None:
            earlier = self._rows[known][1]
            if earlier == fen:
                return
            raise DuplicateRecord(
                f"fund {self.id} already has a {kind.value} {ref!r} of {from_fen(earlier)} yuan",
                value=from_fen(fen),
                limit=from_fen(earlier),
                rule="one movement per reference",
            )
        if kind is MovementKind.DISCOUNT:
            self.check_withdrawal(fen)
            self._fen -= fen
        else:
            self._fen += fen
        if ref:
            self._references[kind][ref] = len(self._rows)
        times = self._times
        at = times.key(when) if moment is None else times.key_of(moment, when)
        self._rows.append((_KIND_INDEX[kind], fen, at, ref, self._fen))

    def _give_back(self, fen: int, *, at: _dt.datetime, reference: str, repaid: bool) -> None:
        kind = MovementKind.CLAIM_REPAID if repaid else MovementKind.REFUND
        self._move(kind, fen, at, reference)


def deposit_community_shares(
    allocation: PeriodAllocation,
    funds: Mapping[str, PublicRevenueFund],
    *,
    at: _dt.datetime,
) -> tuple[FundMovement, ...]:
    """Deposit every community-share line of one allocation period into its compound's fund.

    The line's recipient is the compound; ``funds`` maps each compound to its
    fund. The reference of each deposit is ``"{period} {project} community share"``,
    so calling this again for the same period changes nothing. Every line is
    checked before any deposit is made.

    Args:
        allocation: One period of a [`ProfitAllocation`][grassroots.allocation.ProfitAllocation].
        funds: The fund of each compound, by the compound's id.
        at: When the money is paid in.

    Returns:
        The deposits made (empty for a period without community share).

    Raises:
        UnknownReference: a line's compound has no fund.
    """
    if not isinstance(allocation, PeriodAllocation):
        raise TypeError(f"give a PeriodAllocation, not {type(allocation).__name__}")
    lines = [
        line for line in allocation.lines if line.step is Step.COMMUNITY_SHARE and line.amount > 0
    ]
    for line in lines:
        if line.recipient not in funds:
            raise UnknownReference(
                f"community share of {line.amount} yuan goes to {line.recipient!r},"
                " which has no fund",
                value=line.recipient,
                rule=FUND_RULE,
            )
    made = []
    for line in lines:
        fund = funds[line.recipient]
        reference = f"{allocation.period} {line.project or 'venture'} community share"
        fund.deposit(line.amount, at=at, reference=reference)
        made.append(fund._movement(fund._references[MovementKind.DEPOSIT][reference]))
    return tuple(made)


class FundingKind(enum.Enum):
    """Who pays a merchant's discounts."""

    FUND = "fund"
    """The compound's public-revenue fund pays all of each discount."""
    MERCHANT = "merchant"
    """The merchant absorbs the discount."""
    SPLIT = "split"
    """The fund pays a share, the merchant the rest."""


class Shortfall(enum.Enum):
    """What happens when the fund cannot pay its part of a discount."""

    REFUSE = "refuse"
    """The redemption is refused; nothing changes."""
    MERCHANT_ABSORBS = "merchant_absorbs"
    """The merchant takes the fund's part; the fund is not touched."""


@attrs.frozen(kw_only=True)
class FundingPolicy:
    """Who pays a merchant's discounts, and what happens when the fund runs short.

    The fund's part of a discount is its share of the discount in fen, rounded
    down; the merchant takes the odd fen.

    Args:
        kind: Fund, merchant or split.
        fund: The fund's id (for ``FUND`` and ``SPLIT``).
        share: The fund's share: 1 for ``FUND``, 0 for ``MERCHANT``, strictly
            between for ``SPLIT``.
        shortfall: What happens when the fund cannot pay.
    """

    kind: FundingKind = attrs.field(validator=attrs.validators.instance_of(FundingKind))
    fund: str | None = attrs.field(default=None, validator=v.optional_identifier)
    share: Fraction = attrs.field(default=Fraction(0), converter=v.ratio)
    shortfall: Shortfall = attrs.field(
        default=Shortfall.REFUSE, validator=attrs.validators.instance_of(Shortfall)
    )

    def __attrs_post_init__(self) -> None:
        needs = {
            FundingKind.MERCHANT: ("no fund", "0"),
            FundingKind.FUND: ("a fund", "1"),
            FundingKind.SPLIT: ("a fund", "strictly between 0 and 1"),
        }[self.kind]
        if self.kind is FundingKind.MERCHANT:
            good = self.fund is None and self.share == 0
        elif self.kind is FundingKind.FUND:
            good = self.fund is not None and self.share == 1
        else:
            good = self.fund is not None and 0 < self.share < 1
        if not good:
            raise InvalidValue(
                f"a {self.kind.value} funding policy with fund {self.fund!r} and share"
                f" {self.share} is inconsistent; it needs {needs[0]} and a share of {needs[1]}",
                value=self.share,
                limit=needs[1],
                rule=FUND_RULE,
            )

    @classmethod
    def from_fund(cls, fund: str, *, shortfall: Shortfall = Shortfall.REFUSE) -> FundingPolicy:
        """Return the policy under which ``fund`` pays every discount."""
        return cls(kind=FundingKind.FUND, fund=fund, share=Fraction(1), shortfall=shortfall)

    @classmethod
    def merchant_absorbs(cls) -> FundingPolicy:
        """Return the policy under which the merchant absorbs every discount."""
        return cls(kind=FundingKind.MERCHANT)

    @classmethod
    def split(
        cls, fund: str, share: Fraction | str, *, shortfall: Shortfall = Shortfall.REFUSE
    ) -> FundingPolicy:
        """Return the policy under which ``fund`` pays ``share`` of each discount."""
        return cls(kind=FundingKind.SPLIT, fund=fund, share=v.ratio(share), shortfall=shortfall)

    def fund_fen(self, discount_fen: int) -> int:
        """Return the fund's part of a discount of ``discount_fen``, rounded down to the fen."""
        return _fund_part(discount_fen, self.share.numerator, self.share.denominator)


def _fund_part(discount_fen: int, numerator: int, denominator: int) -> int:
    """Return the fund's part of a discount at a share of ``numerator / denominator``.

    The part is rounded down to the fen: the merchant takes the odd fen. This is
    the one place of that rule; ``FundingPolicy.fund_fen`` and a redemption both
    use it.
    """
    return discount_fen * numerator // denominator
