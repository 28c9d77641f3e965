"""Properties of exact money: conversion round trips and exact splits."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from grassroots import strategies as gst
from grassroots.money import ROUND_DOWN, ROUND_HALF_UP, apportion, from_fen, quantize, to_fen

weights = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=10**6),
        st.fractions(min_value=0, max_value=10**3, max_denominator=10**4),
    ),
    min_size=1,
    max_size=40,
).filter(lambda ws: sum(ws) > 0)


class TestConversion:
    @given(gst.fen_amounts(min_value=-(10**12)))
    def test_fen_round_trip(self, fen: int) -> None:
        """Fen to yuan and back is the identity."""
        assert to_fen(from_fen(fen)) == fen

    @given(gst.yuan_amounts(min_value=-(10**9), max_value=10**9))
    def test_yuan_text_has_two_places(self, amount: object) -> None:
        """Every amount prints with exactly two decimal places."""
        text = str(amount)
        assert "." in text
        assert len(text.split(".")[1]) == 2

    @given(st.fractions(min_value=-(10**6), max_value=10**6))
    def test_quantize_is_within_a_fen(self, value: Fraction) -> None:
        """Both rounding modes land within one fen of the exact value, down never above it."""
        for mode in (ROUND_HALF_UP, ROUND_DOWN):
            rounded = Fraction(quantize(value, rounding=mode))
            assert abs(rounded - value) < Fraction(1, 100)
        assert abs(Fraction(quantize(value, rounding=ROUND_DOWN))) <= abs(value)
        assert abs(Fraction(quantize(value, rounding=ROUND_HALF_UP)) - value) <= Fraction(1, 200)


class TestApportion:
    @given(st.integers(min_value=0, max_value=10**12), weights)
    def test_parts_sum_to_the_whole(self, total: int, ws: list[int | Fraction]) -> None:
        """Conservation: the parts add up exactly to the total."""
        assert sum(apportion(total, ws)) == total

    @given(st.integers(min_value=0, max_value=10**12), weights)
    def test_each_part_is_floor_or_ceiling_of_its_share(
        self, total: int, ws: list[int | Fraction]
    ) -> None:
        """Quota: every part is within one unit of its exact share, never negative."""
        weight_sum = sum(ws, Fraction(0))
        for part, weight in zip(apportion(total, ws), ws, strict=True):
            exact = Fraction(total) * weight / weight_sum
            assert part >= 0
            assert exact - 1 < part < exact + 1

    @given(st.integers(min_value=0, max_value=10**6), weights)
    def test_zero_weights_get_zero(self, total: int, ws: list[int | Fraction]) -> None:
        """A recipient with no weight never receives anything."""
        for part, weight in zip(apportion(total, ws), ws, strict=True):
            if weight == 0:
                assert part == 0

    @given(
        st.integers(min_value=0, max_value=10**9),
        st.integers(min_value=1, max_value=50),
        st.integers(min_value=1, max_value=10**6),
    )
    def test_equal_weights_differ_by_at_most_one(self, total: int, n: int, weight: int) -> None:
        """Equal claims get equal parts, give or take one unit."""
        parts = apportion(total, [weight] * n)
        assert max(parts) - min(parts) <= 1

    @given(st.integers(min_value=0, max_value=10**9), weights)
    def test_deterministic(self, total: int, ws: list[int | Fraction]) -> None:
        """The same split twice gives the same parts."""
        assert apportion(total, ws) == apportion(total, list(ws))
