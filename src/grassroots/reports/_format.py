"""Figures as people read them: thousands separators, exact shares (private)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def money(amount: Decimal) -> str:
    """Return two-place yuan with thousands separators: ``"188,750.00"``, ``"-21,750.00"``."""
    return f"{amount:,.2f}"


def number(value: int) -> str:
    """Return a count or points with thousands separators: ``"12,500"``."""
    return f"{value:,d}"


def share(value: Fraction | None) -> str:
    """Return an exact share: ``"51%"`` when a whole percent, else ``"1/3"``; ``"—"`` for none."""
    if value is None:
        return "—"
    percent = value * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{value.numerator}/{value.denominator}"


def hours(seconds: int | None) -> str:
    """Return whole seconds as hours with one decimal, rounded half up; ``"—"`` for none."""
    if seconds is None:
        return "—"
    tenths = (seconds * 10 + 1800) // 3600
    return f"{tenths // 10}.{tenths % 10}"
