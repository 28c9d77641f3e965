"""Strategies for money and exact ratios (private module; import from grassroots.strategies)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from grassroots.money import from_fen, to_fen, yuan

_DEFAULT_MAX_FEN = 10**12  # ten billion yuan: beyond any community economy
_DEFAULT_MAX_YUAN = from_fen(_DEFAULT_MAX_FEN)


def fen_amounts(*, min_value: int = 0, max_value: int = _DEFAULT_MAX_FEN) -> st.SearchStrategy[int]:
    """Draw a whole number of fen (分) between ``min_value`` and ``max_value`` inclusive.

    Shrinks toward ``min_value`` (zero by default). Needs the ``hypothesis`` extra.

    Raises:
        InvalidArgument: ``min_value`` is greater than ``max_value``.
    """
    if min_value > max_value:
        raise InvalidArgument(f"min_value {min_value} is greater than max_value {max_value}")
    return st.integers(min_value=min_value, max_value=max_value)


def yuan_amounts(
    *,
    min_value: Decimal | int | str = 0,
    max_value: Decimal | int | str = _DEFAULT_MAX_YUAN,
) -> st.SearchStrategy[Decimal]:
    """Draw an amount of yuan (元) as a two-place ``Decimal`` between the bounds, inclusive.

    Every fen in the range can be drawn, one-fen amounts included. Shrinks
    toward ``min_value``. Needs the ``hypothesis`` extra.

    Raises:
        InvalidArgument: a bound has more than two places, or ``min_value`` is
            greater than ``max_value``.
    """
    try:
        low, high = to_fen(yuan(min_value)), to_fen(yuan(max_value))
    except ValueError as exc:
        raise InvalidArgument(str(exc)) from exc
    return fen_amounts(min_value=low, max_value=high).map(from_fen)


def fractions_between(
    *,
    min_value: Fraction = Fraction(0),
    max_value: Fraction = Fraction(1),
    max_denominator: int = 1_000,
) -> st.SearchStrategy[Fraction]:
    """Draw an exact ``Fraction`` in ``[min_value, max_value]``, inclusive.

    Shrinks toward ``min_value``. Needs the ``hypothesis`` extra.

    Raises:
        InvalidArgument: ``min_value`` is greater than ``max_value``.
    """
    if min_value > max_value:
        raise InvalidArgument(f"min_value {min_value} is greater than max_value {max_value}")
    return st.fractions(min_value=min_value, max_value=max_value, max_denominator=max_denominator)
