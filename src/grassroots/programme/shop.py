"""Merchants (商户) and their redemption rules: points as discounts at the project shops.

Use this module to describe where points are spent: the joint venture's
project shops of the Tancheng case (the 24-hour convenience store, the
housekeeping company and the happiness canteen 幸福食堂) or any other
merchant, each with a [`RedemptionRule`][grassroots.programme.shop.RedemptionRule].

The discount of a redemption is ``min(points ÷ points_per_yuan, max_share ×
bill, bill)``, **written down to the fen** (the fraction of a fen is the
resident's loss, never the merchant's); the points used are the fewest that
give that discount, so a resident never pays points for a fraction of a fen.

A refund of part of a bill gives back the same share of everything: the
refunded share ``r`` of the bill returns ``ceil(points × r)`` points counted
over all refunds of the receipt so far (rounded up, in the resident's favour)
and ``floor(discount × r)`` of the discount (the rest of the refunded amount
is paid back in money). A full refund gives back every point and every fen
paid, so a refund never both returns money and keeps points.

Rule: points rule 6 (discount = min(points × rate, cap share × bill, bill);
points used = the fewest that give that discount; rounding written down) and
points rule 7 (a refund returns the points, never both money and points;
partial refunds reverse proportionally).

Examples:
    A canteen meal of 12 yuan, 10 points a yuan, at most half the bill:

    >>> rule = RedemptionRule(points_per_yuan=10, max_share="1/2", schemes=["unified"])
    >>> rule.quote(bill="12.00", points=100)
    RedemptionQuote(points=60, discount=Decimal('6.00'), payable=Decimal('6.00'))
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum

from grassroots import _validators as v
from grassroots._time import require_aware
from grassroots.errors import InvalidValue
from grassroots.ledger import RedemptionQuote, Transfer, quote_redemption
from grassroots.ledger._values import slot_setters
from grassroots.money import to_fen, yuan
from grassroots.programme.fund import FundingPolicy

__all__ = [
    "REDEMPTION_RULE",
    "REFUND_RULE",
    "Merchant",
    "RedemptionReceipt",
    "RedemptionRule",
    "RefundRecord",
    "refund_shares",
]

REDEMPTION_RULE = (
    "points rule 6: discount = min(points × rate, cap share × bill, bill), written down to"
    " the fen; the fewest points that give it"
)
"""The rule cited when a redemption is refused or audited."""

REFUND_RULE = (
    "points rule 7: a refund returns points to their lots; never both money and points;"
    " partial refunds reverse proportionally"
)
"""The rule cited when a refund is refused."""


def _schemes(value: Iterable[str]) -> frozenset[str]:
    schemes = v.to_frozenset(value)
    for scheme in schemes:
        v.check_identifier(scheme, "scheme")
    return schemes


def _aware(value: object) -> pendulum.DateTime:
    return require_aware(value, "at")


@attrs.frozen(kw_only=True)
class RedemptionRule:
    """How a merchant takes points: rate, largest share of a bill, minimum bill, schemes.

    Args:
        points_per_yuan: Points that make one yuan of discount (positive, exact;
            10 means a point is worth 1 jiao).
        max_share: The largest share of a bill points may pay (above 0, at most 1).
        minimum_bill: The smallest bill points may be used on, in yuan.
        schemes: The codes of the schemes the merchant takes.

    Raises:
        InvalidValue: a value is out of range, or no scheme is given.
    """

    points_per_yuan: Fraction = attrs.field(converter=v.ratio)
    max_share: Fraction = attrs.field(default=Fraction(1), converter=v.ratio)
    minimum_bill: Decimal = attrs.field(default=Decimal("0.00"), converter=yuan)
    schemes: frozenset[str] = attrs.field(converter=_schemes)

    def __attrs_post_init__(self) -> None:
        problems = []
        if self.points_per_yuan <= 0:
            problems.append(f"points per yuan {self.points_per_yuan} is not positive")
        if not 0 < self.max_share <= 1:
            problems.append(f"the largest share {self.max_share} is not above 0 and at most 1")
        if self.minimum_bill < 0:
            problems.append(f"the minimum bill {self.minimum_bill} is negative")
        if not self.schemes:
            problems.append("no scheme is accepted")
        if problems:
            raise InvalidValue(
                f"redemption rule: {'; '.join(problems)}",
                value=(self.points_per_yuan, self.max_share, self.minimum_bill),
                limit="positive rate, 0 < share ≤ 1, bill ≥ 0, a scheme",
                rule=REDEMPTION_RULE,
            )

    @property
    def yuan_per_point(self) -> Fraction:
        """The discount one point gives, in yuan."""
        return 1 / self.points_per_yuan

    def quote(self, *, bill: Decimal | int | str, points: int) -> RedemptionQuote:
        """Return the discount ``points`` give on ``bill`` and the fewest points that give it.

        The same figures as [`quote_redemption`][grassroots.ledger.quote_redemption]
        at this rule's rate and cap.
        """
        return quote_redemption(
            points=points, bill=bill, rate=self.yuan_per_point, cap=self.max_share
        )

    def quote_fen(self, bill_fen: int, points: int) -> tuple[int, int]:
        """Return ``(points used, discount in fen)`` for a bill in fen, in whole numbers.

        The same figures as [`quote`][grassroots.programme.shop.RedemptionRule.quote],
        computed without fractions: the discount is the least of ``points × 100 ÷
        points_per_yuan``, ``max_share × bill`` and the bill, each written down to the
        fen, and the points are the fewest whose value reaches it.
        """
        per = self.points_per_yuan
        share = self.max_share
        return _quote_fen(
            bill_fen, points, per.numerator, per.denominator, share.numerator, share.denominator
        )


def _quote_fen(  # noqa: PLR0917 - a bill, the points, and the rule's two fractions
    bill_fen: int,
    points: int,
    per_numerator: int,
    per_denominator: int,
    share_numerator: int,
    share_denominator: int,
) -> tuple[int, int]:
    """Return ``(points used, discount in fen)``: the one place of the discount's arithmetic.

    The rule's points per yuan and largest share are given as the numerators and
    denominators of their fractions, so that a redemption, which keeps them as
    integers per merchant, and
    [`RedemptionRule.quote_fen`][grassroots.programme.shop.RedemptionRule.quote_fen]
    share it.
    """
    by_points = points * 100 * per_denominator // per_numerator
    by_share = bill_fen * share_numerator // share_denominator
    discount = min(by_points, by_share, bill_fen)
    used = -(-discount * per_numerator // (100 * per_denominator))
    return used, discount


@attrs.frozen(kw_only=True)
class Merchant:
    """A merchant where points are spent as discounts (for example 幸福食堂).

    Args:
        id: A stable id.
        name: Its name.
        subcommunity: The compound it serves.
        rule: Its redemption rule.
        funding: Who pays its discounts.
    """

    id: str = attrs.field(validator=v.identifier)
    name: str = attrs.field(validator=v.name)
    subcommunity: str = attrs.field(validator=v.identifier)
    rule: RedemptionRule = attrs.field(validator=attrs.validators.instance_of(RedemptionRule))
    funding: FundingPolicy = attrs.field(
        factory=FundingPolicy.merchant_absorbs,
        validator=attrs.validators.instance_of(FundingPolicy),
    )


@attrs.frozen(kw_only=True)
class RefundRecord:
    """One refund of a redemption.

    Args:
        id: The refund's id.
        at: When.
        bill: The part of the bill refunded, in yuan.
        points: Points given back to the resident.
        discount: The part of the discount reversed, in yuan.
        money: Money paid back to the resident, in yuan.
        fund: The fund's part of the reversed discount, in yuan.
        after_settlement: Whether the receipt was already settled (the fund's
            part is then a claim of the fund on the merchant).
        transfer: The ledger reversal, or ``None`` if no point was due back.
    """

    id: str = attrs.field(validator=v.identifier)
    at: pendulum.DateTime = attrs.field(converter=_aware)
    bill: Decimal = attrs.field(converter=yuan)
    points: int = attrs.field(validator=v.count)
    discount: Decimal = attrs.field(converter=yuan)
    money: Decimal = attrs.field(converter=yuan)
    fund: Decimal = attrs.field(converter=yuan)
    after_settlement: bool = attrs.field(validator=v.flag)
    transfer: Transfer | None = attrs.field(default=None)


@attrs.frozen(kw_only=True)
class RedemptionReceipt:
    """What a redemption gave: the discount, what is left to pay, the points used, the transfer.

    Args:
        id: The receipt's id (the bill's number): the idempotency key.
        resident: Who redeemed.
        merchant: Where.
        scheme: Which scheme's points.
        at: When.
        bill: The bill, in yuan.
        offered: The points offered.
        points: The points used (the fewest that give the discount).
        discount: The discount, in yuan.
        payable: What is left to pay, in yuan.
        fund: The fund paying its part, or ``None``.
        fund_part: The fund's part of the discount, in yuan.
        merchant_part: The merchant's part of the discount, in yuan.
        transfer: The ledger's redemption transfer.
    """

    id: str = attrs.field(validator=v.identifier)
    resident: str = attrs.field(validator=v.identifier)
    merchant: str = attrs.field(validator=v.identifier)
    scheme: str = attrs.field(validator=v.identifier)
    at: pendulum.DateTime = attrs.field(converter=_aware)
    bill: Decimal = attrs.field(converter=yuan)
    offered: int = attrs.field(validator=v.count)
    points: int = attrs.field(validator=v.count)
    discount: Decimal = attrs.field(converter=yuan)
    payable: Decimal = attrs.field(converter=yuan)
    fund: str | None = attrs.field(validator=v.optional_identifier)
    fund_part: Decimal = attrs.field(converter=yuan)
    merchant_part: Decimal = attrs.field(converter=yuan)
    transfer: Transfer = attrs.field(validator=attrs.validators.instance_of(Transfer))

    def __attrs_post_init__(self) -> None:
        if (
            self.discount + self.payable != self.bill
            or self.fund_part + self.merchant_part != self.discount
        ):
            raise InvalidValue(
                f"receipt {self.id}: discount {self.discount} and payable {self.payable} must"
                f" add up to the bill {self.bill}, and the parts to the discount",
                value=self.discount + self.payable,
                limit=self.bill,
                rule=REDEMPTION_RULE,
            )


def refund_shares(
    receipt: RedemptionReceipt, refunded_bill: Decimal, fund_fen: int
) -> tuple[int, int, int]:
    """Return the points, discount fen and fund fen due back once ``refunded_bill`` is refunded.

    All three are counted over every refund of the receipt so far, so that
    successive partial refunds add up to a full one exactly: points rounded up,
    discount and the fund's part rounded down.

    Args:
        receipt: The redemption.
        refunded_bill: All of the bill refunded so far, this refund included.
        fund_fen: The fund's part of the discount, in fen.
    """
    bill = to_fen(receipt.bill)
    back = to_fen(refunded_bill)
    if bill == 0 or back >= bill:
        return receipt.points, to_fen(receipt.discount), fund_fen
    share = Fraction(back, bill)
    points = receipt.points * share
    discount = to_fen(receipt.discount) * share
    points_back = -(-points.numerator // points.denominator)
    discount_back = discount.numerator // discount.denominator
    fund_back = fund_fen * discount_back // to_fen(receipt.discount) if receipt.discount else 0
    return points_back, discount_back, fund_back


(
    _set_id,
    _set_resident,
    _set_merchant,
    _set_scheme,
    _set_at,
    _set_bill,
    _set_offered,
    _set_points,
    _set_discount,
    _set_payable,
    _set_fund,
    _set_fund_part,
    _set_merchant_part,
    _set_transfer,
) = slot_setters(RedemptionReceipt)


def _receipt(  # noqa: PLR0917 - the receipt's fields, in their order
    id: str,  # noqa: A002 - the field is called id
    resident: str,
    merchant: str,
    scheme: str,
    at: pendulum.DateTime,
    bill: Decimal,
    offered: int,
    points: int,
    discount: Decimal,
    payable: Decimal,
    fund: str | None,
    fund_part: Decimal,
    merchant_part: Decimal,
    transfer: Transfer,
) -> RedemptionReceipt:
    """Build a receipt from values ``redeem`` has already checked, without checking them again.

    The fields are given in the class's order and set through their own slots
    (see ``slot_setters``), each once.
    """
    receipt: RedemptionReceipt = object.__new__(RedemptionReceipt)
    _set_id(receipt, id)
    _set_resident(receipt, resident)
    _set_merchant(receipt, merchant)
    _set_scheme(receipt, scheme)
    _set_at(receipt, at)
    _set_bill(receipt, bill)
    _set_offered(receipt, offered)
    _set_points(receipt, points)
    _set_discount(receipt, discount)
    _set_payable(receipt, payable)
    _set_fund(receipt, fund)
    _set_fund_part(receipt, fund_part)
    _set_merchant_part(receipt, merchant_part)
    _set_transfer(receipt, transfer)
    return receipt
