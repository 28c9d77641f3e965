"""Thresholds of law: exact comparison, inclusive or strict, at their boundaries."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import strategies as gst
from grassroots.errors import InvalidValue
from grassroots.threshold import (
    AT_LEAST_HALF,
    MORE_THAN_HALF,
    THREE_QUARTERS,
    TWO_THIRDS,
    Base,
    Threshold,
)


class TestMet:
    def test_more_than_half_is_strict(self) -> None:
        """过半数 excludes exactly one half (民法典 art. 1259)."""
        assert not MORE_THAN_HALF.met(5, 10)
        assert MORE_THAN_HALF.met(6, 10)

    def test_at_least_half_is_inclusive(self) -> None:
        """半数以上 includes exactly one half."""
        assert AT_LEAST_HALF.met(5, 10)
        assert not AT_LEAST_HALF.met(4, 10)

    def test_two_thirds_at_its_boundary(self) -> None:
        """Two thirds of capital exactly passes a special resolution; one fen less does not."""
        capital_fen = 300
        assert TWO_THIRDS.met(200, capital_fen)
        assert not TWO_THIRDS.met(199, capital_fen)

    def test_decimal_amounts_compare_exactly(self) -> None:
        """66.66 of 100 is below two thirds; 66.67 is above."""
        assert not TWO_THIRDS.met(Decimal("66.66"), 100)
        assert TWO_THIRDS.met(Decimal("66.67"), 100)

    def test_three_quarters(self) -> None:
        """Three quarters of participating owners, inclusive (民法典 art. 278)."""
        assert THREE_QUARTERS.met(3, 4)
        assert not THREE_QUARTERS.met(74, 100)

    def test_empty_base_meets_only_a_zero_inclusive_threshold(self) -> None:
        """Nobody of nobody is no majority."""
        assert not MORE_THAN_HALF.met(0, 0)
        assert Threshold(ratio=Fraction(0), base=Base.PRESENT, inclusive=True).met(0, 0)

    @pytest.mark.parametrize(("part", "whole"), [(-1, 10), (11, 10), (1, -1)])
    def test_refuses_a_part_that_is_not_a_share(self, part: int, whole: int) -> None:
        """A part must lie between zero and the whole."""
        with pytest.raises(ValueError, match="not a share"):
            MORE_THAN_HALF.met(part, whole)

    def test_refuses_floats(self) -> None:
        """Floats are inexact and a TypeError."""
        with pytest.raises(TypeError, match="float"):
            MORE_THAN_HALF.met(0.5, 1)  # type: ignore[arg-type]


class TestConstruction:
    def test_refuses_a_ratio_above_one(self) -> None:
        """A threshold is a share, between 0 and 1."""
        with pytest.raises(ValueError, match="outside"):
            Threshold(ratio=Fraction(3, 2), base=Base.PRESENT, inclusive=True)

    def test_refuses_a_float_ratio(self) -> None:
        """Ratios are exact fractions."""
        with pytest.raises(TypeError, match="float"):
            Threshold(ratio=0.51, base=Base.CAPITAL, inclusive=True)  # type: ignore[arg-type]

    def test_text(self) -> None:
        """The words say inclusive or strict and the base."""
        assert str(MORE_THAN_HALF) == "more than 1/2 of all eligible"
        assert str(TWO_THIRDS) == "at least 2/3 of all voting rights"


class TestMinimumOf:
    @pytest.mark.parametrize(
        ("threshold", "whole", "minimum"),
        [
            (MORE_THAN_HALF, 10, 6),
            (MORE_THAN_HALF, 11, 6),
            (AT_LEAST_HALF, 10, 5),
            (AT_LEAST_HALF, 11, 6),
            (TWO_THIRDS, 9, 6),
            (TWO_THIRDS, 10, 7),
            (MORE_THAN_HALF, 0, 1),
        ],
    )
    def test_examples(self, threshold: Threshold, whole: int, minimum: int) -> None:
        """The smallest count that meets the threshold."""
        assert threshold.minimum_of(whole) == minimum

    @given(gst.thresholds(), st.integers(min_value=1, max_value=10_000))
    def test_is_the_boundary(self, threshold: Threshold, whole: int) -> None:
        """minimum_of meets the threshold and one fewer does not."""
        minimum = threshold.minimum_of(whole)
        if minimum <= whole:
            assert threshold.met(minimum, whole)
        if 0 < minimum <= whole + 1:
            assert not threshold.met(minimum - 1, whole)


class TestOurErrors:
    """Bad values raise InvalidValue, wrong types TypeError."""

    def test_ratio_above_one_is_an_invalid_value(self) -> None:
        """The [0, 1] rule is ours, with the facts attached."""
        with pytest.raises(InvalidValue) as info:
            Threshold(ratio=Fraction(3, 2), base=Base.PRESENT, inclusive=True)
        assert info.value.value == Fraction(3, 2)

    @pytest.mark.parametrize("text", ["1/0", "abc", "٣/4"])
    def test_bad_ratio_text(self, text: str) -> None:
        """A zero denominator or non-ratio text is an InvalidValue, not ZeroDivisionError."""
        with pytest.raises(InvalidValue):
            Threshold(ratio=text, base=Base.PRESENT, inclusive=True)

    def test_ratio_from_text_and_decimal(self) -> None:
        """The one ratio converter takes text and Decimals exactly."""
        assert Threshold(ratio="2/3", base=Base.PRESENT, inclusive=True).ratio == Fraction(2, 3)
        assert Threshold(ratio=Decimal("0.51"), base=Base.CAPITAL, inclusive=True).ratio == (
            Fraction(51, 100)
        )

    @pytest.mark.parametrize(("part", "whole"), [(3, 2), (-1, 2), (1, -1), (Decimal("NaN"), 2)])
    def test_met_refuses_what_is_not_a_share(self, part: int | Decimal, whole: int) -> None:
        """A part outside its whole, or a NaN, is an InvalidValue."""
        with pytest.raises(InvalidValue):
            MORE_THAN_HALF.met(part, whole)

    def test_minimum_of_refuses_negative_and_wrong_types(self) -> None:
        """A negative whole is an InvalidValue; a bool or float whole a TypeError."""
        with pytest.raises(InvalidValue):
            MORE_THAN_HALF.minimum_of(-1)
        with pytest.raises(TypeError):
            MORE_THAN_HALF.minimum_of(True)
        with pytest.raises(TypeError):
            MORE_THAN_HALF.minimum_of(2.5)  # type: ignore[arg-type]
