"""Exact money: yuan as two-place ``Decimal``, fen as ``int``, and exact splits.

Use [`yuan`][grassroots.money.yuan] wherever money enters the library: it is the attrs converter
of every money field. Use [`apportion`][grassroots.money.apportion] to split a whole number of fen
among recipients so that the parts sum exactly to the whole.

Rounding is never left to the decimal context (whose default rounds half to
even): every site that rounds names its mode, and works in this module's own
context, precise enough that nothing up to [`MAX_YUAN`][grassroots.money.MAX_YUAN]
is ever rounded out of the fen. Larger amounts are refused: no community
economy comes near the bound, and below it every sum of a few million amounts
is exact even in Python's default decimal context.

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
from decimal import (
    ROUND_DOWN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction
from typing import Final

from grassroots._validators import INTEGRITY_RULE
from grassroots.errors import InvalidValue

__all__ = [
    "CENT",
    "MAX_FEN",
    "MAX_YUAN",
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

MAX_YUAN: Final = Decimal("9999999999999999.99")
"""The largest amount of yuan, in either sign, that the library admits: just under 10¹⁶.

Every money door ([`yuan`][grassroots.money.yuan],
[`from_fen`][grassroots.money.from_fen], [`quantize`][grassroots.money.quantize])
refuses a larger magnitude with [`InvalidValue`][grassroots.errors.InvalidValue].
An amount up to it has at most 18 significant digits, so sums of up to ten
billion amounts stay exact in any decimal context of the default 28 digits.
"""

MAX_FEN: Final = 999_999_999_999_999_999
"""[`MAX_YUAN`][grassroots.money.MAX_YUAN] in fen (分)."""

_MAX_TEXT: Final = 64  # longest money text read; the largest amount needs 20 characters

_CONTEXT: Final = Context(
    prec=40, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow]
)
"""The context of every money operation here: 40 digits, far above the 18 money needs."""

_MONEY_LIMIT: Final = f"a finite amount of at most {MAX_YUAN} yuan in magnitude, to the fen"


def _refuse(message: str, value: object) -> InvalidValue:
    return InvalidValue(
        f"{message} ({INTEGRITY_RULE})", value=value, limit=_MONEY_LIMIT, rule=INTEGRITY_RULE
    )


def _bounded(number: Decimal, value: object) -> Decimal:
    if abs(number) > MAX_YUAN:
        raise _refuse(f"money {_shown(value)} is larger than the maximum {MAX_YUAN} yuan", value)
    return number


def _shown(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def yuan(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as yuan (元): a ``Decimal`` with exactly two decimal places.

    Accepts ``Decimal``, ``int`` or decimal text in ASCII digits. Refuses
    ``float`` and ``bool`` (they are programming errors), NaN and infinities,
    amounts larger in magnitude than [`MAX_YUAN`][grassroots.money.MAX_YUAN],
    and a third decimal place that is not zero: money is never rounded silently.

    Args:
        value: The amount in yuan.

    Returns:
        The amount quantised to ``0.01``, so its text is stable (``"12.30"``).

    Raises:
        TypeError: ``value`` is a ``float``, a ``bool`` or another type.
        InvalidValue: ``value`` is not a finite number, is larger than
            [`MAX_YUAN`][grassroots.money.MAX_YUAN], or has more than two
            decimal places.

    Examples:
        >>> yuan(52000)
        Decimal('52000.00')
        >>> yuan(Decimal("-3.5"))
        Decimal('-3.50')
        >>> yuan("0.005")
        Traceback (most recent call last):
        ...
        grassroots.errors.InvalidValue: money '0.005' has more than two decimal places ...
        >>> yuan("1e26")
        Traceback (most recent call last):
        ...
        grassroots.errors.InvalidValue: money '1e26' is larger than the maximum ...
    """
    if type(value) is Decimal and value.is_finite() and -MAX_YUAN <= value <= MAX_YUAN:
        # The usual case, a finite Decimal within the bound: only the places are left to check.
        rounded = value.quantize(CENT, context=_CONTEXT)
        if rounded == value:
            return rounded
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(
            f"money must be Decimal, int or str, not {type(value).__name__} {value!r}"
            " (floats are inexact)"
        )
    if isinstance(value, str):
        text = value.strip()
        if len(text) > _MAX_TEXT or not text.isascii():
            raise _refuse(f"money {_shown(value)} is not a decimal number in ASCII digits", value)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _refuse(f"money {_shown(value)} is not a decimal number", value) from None
    else:
        number = Decimal(value)
    if not number.is_finite():
        raise _refuse(f"money {_shown(value)} is not a finite number", value)
    _bounded(number, value)
    rounded = number.quantize(CENT, context=_CONTEXT)
    if rounded != number:
        raise _refuse(
            f"money {_shown(value)} has more than two decimal places (1 fen is the smallest unit)",
            value,
        )
    return rounded


def to_fen(amount: Decimal) -> int:
    """Return a two-place yuan amount as an integer number of fen (分).

    Examples:
        >>> to_fen(Decimal("52000.00"))
        5200000
    """
    return int(yuan(amount).scaleb(2, _CONTEXT))


def from_fen(fen: int) -> Decimal:
    """Return an integer number of fen as two-place yuan.

    Raises:
        TypeError: ``fen`` is not an ``int``, or is a ``bool``.
        InvalidValue: ``fen`` is larger in magnitude than [`MAX_FEN`][grassroots.money.MAX_FEN].

    Examples:
        >>> from_fen(-1)
        Decimal('-0.01')
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"fen must be int, not {type(fen).__name__} {fen!r}")
    if abs(fen) > MAX_FEN:
        raise _refuse(f"{_shown(fen)} fen is larger than the maximum {MAX_FEN} fen", fen)
    return Decimal(fen).scaleb(-2, _CONTEXT).quantize(CENT, context=_CONTEXT)


def quantize(value: Decimal | Fraction, *, rounding: str) -> Decimal:
    """Round an exact amount of yuan to the fen with the named rounding mode.

    Args:
        value: An exact amount (a ``Fraction`` keeps products of rates exact).
        rounding: The mode, named at the call site: ``ROUND_HALF_UP`` for
            ordinary 四舍五入, ``ROUND_DOWN`` where a rule writes amounts down.

    Raises:
        InvalidValue: ``rounding`` is another mode, ``value`` is not finite, or the
            result is larger than [`MAX_YUAN`][grassroots.money.MAX_YUAN].

    Examples:
        >>> quantize(Fraction(1, 8), rounding=ROUND_HALF_UP)
        Decimal('0.13')
        >>> quantize(Fraction(1, 8), rounding=ROUND_DOWN)
        Decimal('0.12')
    """
    if rounding not in (ROUND_HALF_UP, ROUND_DOWN):
        raise InvalidValue(
            f"rounding mode {rounding!r} is not ROUND_HALF_UP or ROUND_DOWN ({INTEGRITY_RULE})",
            value=rounding,
            limit="ROUND_HALF_UP or ROUND_DOWN",
            rule=INTEGRITY_RULE,
        )
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _refuse(f"money {_shown(value)} is not a finite number", value)
        _bounded(value, value)
        return _bounded(value.quantize(CENT, rounding=rounding, context=_CONTEXT), value)
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
        InvalidValue: ``total`` is negative, a weight is negative, or all weights are zero.
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
        raise InvalidValue(
            f"total {total} is negative; only a non-negative whole can be split ({INTEGRITY_RULE})",
            value=total,
            limit=0,
            rule=INTEGRITY_RULE,
        )
    for weight in weights:
        if isinstance(weight, bool) or not isinstance(weight, int | Fraction):
            raise TypeError(
                f"weights must be int or Fraction, not {type(weight).__name__} {weight!r}"
            )
        if weight < 0:
            raise InvalidValue(
                f"weight {weight} is negative; weights must be non-negative ({INTEGRITY_RULE})",
                value=weight,
                limit=0,
                rule=INTEGRITY_RULE,
            )
    # Scale to a common integer denominator so every share is an exact integer ratio.
    numerators: list[int]
    if all(type(w) is int for w in weights):
        numerators = list(weights)  # type: ignore[arg-type]
    else:
        common = math.lcm(*(Fraction(w).denominator for w in weights))
        numerators = [int(Fraction(w) * common) for w in weights]
    denominator = sum(numerators)
    if denominator == 0:
        raise InvalidValue(
            f"all weights are zero; there is nothing to split by ({INTEGRITY_RULE})",
            value=tuple(weights),
            limit="a positive weight",
            rule=INTEGRITY_RULE,
        )
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
