"""The redemption quote: what points buy at a merchant's rate (points rule 6) (private)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs

from grassroots.ledger._checks import _count, _invalid, _points
from grassroots.money import from_fen, to_fen, yuan


def _fraction(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, Fraction | int):
        raise TypeError(f"a rate must be a Fraction or int, not {type(value).__name__} {value!r}")
    return Fraction(value)


@attrs.frozen(kw_only=True)
class RedemptionQuote:
    """What a redemption at a merchant gives: the discount and the points it uses.

    Args:
        points: The points used.
        discount: The discount in yuan (元).
        payable: What is left to pay in yuan.
    """

    points: int = attrs.field(validator=_count)
    discount: Decimal = attrs.field(converter=yuan)
    payable: Decimal = attrs.field(converter=yuan)


def quote_redemption(
    *,
    points: int,
    bill: Decimal | int | str,
    rate: Fraction,
    cap: Fraction = Fraction(1),
) -> RedemptionQuote:
    """Return the discount that ``points`` buy on ``bill`` at a merchant's ``rate``.

    The discount is ``min(points × rate, cap × bill, bill)``, written down to the
    fen; the points used are the fewest that give that discount, so a resident
    never pays points for a fraction of a fen.

    Rule: points rule 6 of the docs' rules page (redemption at a merchant's rate; rounding
    written down).

    Args:
        points: The points the resident offers (at most their spendable balance).
        bill: The bill in yuan.
        rate: Yuan of discount per point (for example ``Fraction(1, 10)``: 1 jiao).
        cap: The largest share of the bill points may pay; all of it by default.

    Returns:
        The points to redeem and the discount they give.

    Raises:
        TypeError: ``points`` is not an int, or ``rate`` or ``cap`` not exact.
        InvalidValue: a value is negative, ``rate`` is not positive or ``cap`` is above 1.

    Examples:
        A canteen meal of 12 yuan, with 1 jiao per point and at most half the bill:

        >>> quote_redemption(points=100, bill="12.00", rate=Fraction(1, 10), cap=Fraction(1, 2))
        RedemptionQuote(points=60, discount=Decimal('6.00'), payable=Decimal('6.00'))
        >>> quote_redemption(points=7, bill="12.00", rate=Fraction(3, 20))
        RedemptionQuote(points=7, discount=Decimal('1.05'), payable=Decimal('10.95'))
    """
    offered = _points(points, "points")
    amount = yuan(bill)
    per_point = _fraction(rate)
    share = _fraction(cap)
    if offered < 0 or amount < 0:
        raise _invalid(f"points {offered} and bill {amount} must not be negative")
    if per_point <= 0:
        raise _invalid(f"redemption rate {per_point} yuan per point is not positive")
    if not 0 <= share <= 1:
        raise _invalid(f"cap {share} is not a share of the bill between 0 and 1")
    bill_fen = to_fen(amount)
    fen_per_point = per_point * 100
    best = min(offered * fen_per_point, share * bill_fen, Fraction(bill_fen))
    discount_fen = best.numerator // best.denominator  # written down to the fen
    needed = discount_fen / fen_per_point
    used = -(-needed.numerator // needed.denominator)
    return RedemptionQuote(
        points=used, discount=from_fen(discount_fen), payable=from_fen(bill_fen - discount_fen)
    )
