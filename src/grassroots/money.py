"""Exact money: yuan as two-place ``Decimal``, fen as ``int``, and exact splits.

Use :func:`yuan` wherever money enters the library: it is the attrs converter
of every money field. Use :func:`apportion` to split a whole number of fen
among recipients so that the parts sum exactly to the whole.

Rounding is never left to the decimal context (whose default rounds half to
even): every site that rounds names its mode.

Examples:
    >>> yuan("12.3")
    Decimal('12.30')
    >>> to_fen(yuan("0.01")), from_fen(5_200_000)
    (1, Decimal('52000.00'))
    >>> apportion(100, [51, 49])
    (51, 49)
    >>> apportion(10, [1, 1, 1])
    (4, 3, 3)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

__all__ = [
    "CENT",
    "ROUND_DOWN",
    "ROUND_HALF_UP",
    "apportion",
    "from_fen",
    "quantize",
    "to_fen",
    "yuan",
]

CENT = Decimal("0.01")
"""One fen (分), the smallest unit of money the library keeps."""


def yuan(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as yuan (元): a ``Decimal`` with exactly two decimal places.

    Accepts ``Decimal``, ``int`` or a decimal string. Refuses ``float`` and
    ``bool`` (they are programming errors), NaN and infinities, and a third
    decimal place that is not zero: money is never rounded silently.

    Args:
        value: The amount in yuan.

    Returns:
        The amount quantised to ``0.01``, so its text is stable (``"12.30"``).

    Raises:
        TypeError: ``value`` is a ``float``, a ``bool`` or another type.
        ValueError: ``value`` is not finite, not a number, or has more than two
            decimal places.

    Examples:
        >>> yuan(52000)
        Decimal('52000.00')
        >>> yuan(Decimal("-3.5"))
        Decimal('-3.50')
        >>> yuan("0.005")
        Traceback (most recent call last):
        ...
        ValueError: money 0.005 has more than two decimal places (1 fen is the smallest unit)
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(
            f"money must be Decimal, int or str, not {type(value).__name__} {value!r}"
            " (floats are inexact)"
        )
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"money {value!r} is not a decimal number") from None
    else:
        number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"money {value!r} is not a finite number")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and number != number.quantize(CENT):
        raise ValueError(
            f"money {number} has more than two decimal places (1 fen is the smallest unit)"
        )
    return number.quantize(CENT)


def to_fen(amount: Decimal) -> int:
    """Return a two-place yuan amount as an integer number of fen (分).

    Examples:
        >>> to_fen(Decimal("52000.00"))
        5200000
    """
    return int(yuan(amount) * 100)


def from_fen(fen: int) -> Decimal:
    """Return an integer number of fen as two-place yuan.

    Examples:
        >>> from_fen(-1)
        Decimal('-0.01')
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"fen must be int, not {type(fen).__name__} {fen!r}")
    return (Decimal(fen) / 100).quantize(CENT)


def quantize(value: Decimal | Fraction, *, rounding: str) -> Decimal:
    """Round an exact amount of yuan to the fen with the named rounding mode.

    Args:
        value: An exact amount (a ``Fraction`` keeps products of rates exact).
        rounding: The mode, named at the call site: ``ROUND_HALF_UP`` for
            ordinary 四舍五入, ``ROUND_DOWN`` where a rule writes amounts down.

    Examples:
        >>> quantize(Fraction(1, 8), rounding=ROUND_HALF_UP)
        Decimal('0.13')
        >>> quantize(Fraction(1, 8), rounding=ROUND_DOWN)
        Decimal('0.12')
    """
    if rounding not in (ROUND_HALF_UP, ROUND_DOWN):
        raise ValueError(f"rounding mode {rounding!r} is not ROUND_HALF_UP or ROUND_DOWN")
    if isinstance(value, Decimal):
        return value.quantize(CENT, rounding=rounding)
    # Work in fen on the magnitude: both modes are symmetric about zero.
    magnitude = abs(value) * 100
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    if rounding == ROUND_HALF_UP and 2 * rest >= magnitude.denominator:
        whole += 1
    return from_fen(-whole if value < 0 else whole)


def apportion(total: int, weights: Sequence[int | Fraction]) -> tuple[int, ...]:
    """Split ``total`` whole units among ``weights`` by the largest-remainder method.

    Each part is the floor of its exact share ``total * w / sum(weights)``; the
    units left over go one each to the largest remainders. Ties go to the
    earlier recipient in ``weights`` order, so the result is deterministic.

    Promises (checked by property tests): the parts sum exactly to ``total``;
    every part is the floor or the ceiling of its exact share, so within one
    unit of it; a zero weight gets zero; equal weights get parts that differ by
    at most one. No method can also promise that a larger total never gives a
    recipient less (the Alabama paradox; Balinski and Young, 1982), and this
    one does not.

    Args:
        total: The whole to split, in integer units (fen, points). Non-negative.
        weights: Non-negative weights, not all zero. ``Fraction`` keeps exact ratios.

    Returns:
        The parts, in the order of ``weights``.

    Raises:
        ValueError: ``total`` is negative, a weight is negative, or all weights are zero.
        TypeError: a weight or the total is a ``float`` or ``bool``.

    Examples:
        >>> apportion(5_200_000, [Fraction(51, 100), Fraction(49, 100)])
        (2652000, 2548000)
        >>> apportion(1, [1, 1])
        (1, 0)
    """
    if isinstance(total, bool) or not isinstance(total, int):
        raise TypeError(f"total must be int, not {type(total).__name__} {total!r}")
    if total < 0:
        raise ValueError(f"total {total} is negative; only a non-negative whole can be split")
    for weight in weights:
        if isinstance(weight, bool) or not isinstance(weight, int | Fraction):
            raise TypeError(
                f"weights must be int or Fraction, not {type(weight).__name__} {weight!r}"
            )
        if weight < 0:
            raise ValueError(f"weight {weight} is negative; weights must be non-negative")
    # Scale to a common integer denominator so every share is an exact integer ratio.
    numerators: list[int]
    if all(type(w) is int for w in weights):
        numerators = list(weights)  # type: ignore[arg-type]
    else:
        common = math.lcm(*(Fraction(w).denominator for w in weights))
        numerators = [int(Fraction(w) * common) for w in weights]
    denominator = sum(numerators)
    if denominator == 0:
        raise ValueError("all weights are zero; there is nothing to split by")
    parts: list[int] = []
    remainders: list[int] = []
    for numerator in numerators:
        part, remainder = divmod(total * numerator, denominator)
        parts.append(part)
        remainders.append(remainder)
    left = total - sum(parts)
    if left:
        # The `left` largest remainders; a reversed sort is still stable, so ties
        # go to the earlier recipient.
        order = sorted(range(len(parts)), key=remainders.__getitem__, reverse=True)
        for index in order[:left]:
            parts[index] += 1
    return tuple(parts)
