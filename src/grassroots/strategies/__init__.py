"""Hypothesis strategies for valid grassroots objects, for testing your own code.

Needs the ``hypothesis`` extra (``pip install grassroots[hypothesis]``). Every
strategy builds its objects through the public constructors, so what it draws
is always valid; each one's docstring says what it shrinks toward.

Examples:
    >>> from hypothesis import given
    >>> from grassroots import strategies as gst
    >>> @given(gst.yuan_amounts(min_value=0))
    ... def test_never_negative(amount):
    ...     assert amount >= 0
    >>> test_never_negative()
"""

from __future__ import annotations

from grassroots.strategies._money import fen_amounts, fractions_between, yuan_amounts
from grassroots.strategies._threshold import thresholds

# --- points ledger (each area re-exports its strategies here) ---

# --- joint ventures and profit allocation ---

# --- organisation ---

__all__ = [
    "fen_amounts",
    "fractions_between",
    "thresholds",
    "yuan_amounts",
]
