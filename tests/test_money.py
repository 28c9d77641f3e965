"""Unit behaviour of grassroots.money: the door for money, fen conversion and rounding."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.errors import InvalidValue
from grassroots.money import (
    MAX_FEN,
    MAX_YUAN,
    ROUND_DOWN,
    ROUND_HALF_UP,
    apportion,
    from_fen,
    quantize,
    to_fen,
    yuan,
)


class TestYuan:
    def test_accepts_decimal_int_and_text(self) -> None:
        """Decimal, int and decimal text all become two-place Decimals."""
        assert yuan(Decimal("1.5")) == Decimal("1.50")
        assert str(yuan(52000)) == "52000.00"
        assert str(yuan(" 12.3 ")) == "12.30"

    def test_trailing_zeros_beyond_two_places_are_exact(self) -> None:
        """A third decimal place of zero is not rounding, so it is accepted."""
        assert yuan("1.230") == Decimal("1.23")

    @pytest.mark.parametrize("bad", [0.1, 1.0, True, None, [1]])
    def test_refuses_floats_bools_and_other_types(self, bad: object) -> None:
        """Floats and bools are programming errors and raise TypeError naming the value."""
        with pytest.raises(TypeError, match=type(bad).__name__):
            yuan(bad)  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", ["0.005", "1.001", Decimal("2.999")])
    def test_refuses_a_third_decimal_place(self, bad: str | Decimal) -> None:
        """Money is never rounded silently."""
        with pytest.raises(ValueError, match="more than two decimal places"):
            yuan(bad)

    @pytest.mark.parametrize("bad", ["NaN", "Infinity", "-inf", "abc", ""])
    def test_refuses_non_finite_and_non_numbers(self, bad: str) -> None:
        """NaN, infinities and text that is not a number are refused."""
        with pytest.raises(ValueError, match="money"):
            yuan(bad)


class TestFen:
    def test_round_trip_of_the_case_area(self) -> None:
        """52,000 yuan is 5,200,000 fen and back."""
        assert to_fen(yuan(52000)) == 5_200_000
        assert from_fen(5_200_000) == Decimal("52000.00")

    def test_negative_fen(self) -> None:
        """Losses are negative amounts and convert like any other."""
        assert from_fen(-1) == Decimal("-0.01")
        assert to_fen(Decimal("-0.01")) == -1

    def test_from_fen_refuses_non_integers(self) -> None:
        """Fen are whole numbers."""
        with pytest.raises(TypeError):
            from_fen(1.5)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            from_fen(True)


class TestQuantize:
    @pytest.mark.parametrize(
        ("value", "half_up", "down"),
        [
            (Fraction(1, 8), "0.13", "0.12"),
            (Fraction(-1, 8), "-0.13", "-0.12"),
            (Fraction(1, 200), "0.01", "0.00"),
            (Fraction(1, 3), "0.33", "0.33"),
            (Fraction(2, 3), "0.67", "0.66"),
            (Decimal("2.675"), "2.68", "2.67"),
            (Decimal("-2.675"), "-2.68", "-2.67"),
        ],
    )
    def test_named_modes(self, value: Fraction | Decimal, half_up: str, down: str) -> None:
        """Half-up rounds halves away from zero; down truncates toward zero."""
        assert quantize(value, rounding=ROUND_HALF_UP) == Decimal(half_up)
        assert quantize(value, rounding=ROUND_DOWN) == Decimal(down)

    def test_refuses_an_unnamed_mode(self) -> None:
        """Only the two documented modes are accepted."""
        with pytest.raises(ValueError, match="rounding mode"):
            quantize(Fraction(1, 3), rounding="ROUND_HALF_EVEN")


class TestApportion:
    def test_state_and_collective_split(self) -> None:
        """A 51/49 split of 52,000.00 yuan gives 26,520.00 and 25,480.00."""
        assert apportion(5_200_000, [Fraction(51, 100), Fraction(49, 100)]) == (
            2_652_000,
            2_548_000,
        )

    def test_ties_go_to_the_earlier_recipient(self) -> None:
        """The leftover unit of an even tie goes to the first listed."""
        assert apportion(1, [1, 1]) == (1, 0)
        assert apportion(2, [1, 1, 1]) == (1, 1, 0)

    def test_largest_remainder_wins_the_leftover(self) -> None:
        """The recipient with the largest remainder gets the leftover fen."""
        # exact shares: 3.3, 3.6, 3.1 -> floors 3, 3, 3 and one fen to the 0.6 remainder
        assert apportion(10, [33, 36, 31]) == (3, 4, 3)

    def test_zero_weight_gets_nothing(self) -> None:
        """A recipient with no weight receives no fen."""
        assert apportion(7, [0, 1, 0]) == (0, 7, 0)

    def test_zero_total(self) -> None:
        """Nothing to split gives every recipient zero."""
        assert apportion(0, [1, 2]) == (0, 0)

    @pytest.mark.parametrize(
        ("total", "weights", "message"),
        [
            (-1, [1], "negative"),
            (1, [0, 0], "all weights are zero"),
            (1, [1, -1], "negative"),
        ],
    )
    def test_refuses_bad_input(self, total: int, weights: list[int], message: str) -> None:
        """Negative totals, negative weights and all-zero weights are refused."""
        with pytest.raises(ValueError, match=message):
            apportion(total, weights)

    def test_refuses_float_weights(self) -> None:
        """Float weights are inexact and raise TypeError."""
        with pytest.raises(TypeError, match="float"):
            apportion(1, [0.5, 0.5])  # type: ignore[list-item]


class TestBounds:
    """Money is exact up to MAX_YUAN and refused with our error beyond it."""

    def test_the_maximum_is_exact(self) -> None:
        """The largest amount keeps every fen through yuan, fen and back."""
        assert yuan(MAX_YUAN) == MAX_YUAN
        assert to_fen(MAX_YUAN) == MAX_FEN
        assert from_fen(MAX_FEN) == MAX_YUAN
        assert from_fen(-MAX_FEN) == -MAX_YUAN

    @pytest.mark.parametrize(
        "bad", ["1e26", "-1e26", "10000000000000000.00", Decimal("1E+26"), 10**16, "9" * 60]
    )
    def test_larger_amounts_are_invalid_values(self, bad: Decimal | int | str) -> None:
        """``yuan("1e26")`` raises InvalidValue, not decimal.InvalidOperation."""
        with pytest.raises(InvalidValue, match="larger than the maximum") as info:
            yuan(bad)
        assert info.value.value == bad
        assert info.value.rule

    def test_from_fen_refuses_past_the_maximum(self) -> None:
        """One fen more than MAX_FEN is refused."""
        with pytest.raises(InvalidValue):
            from_fen(MAX_FEN + 1)

    def test_quantize_refuses_past_the_maximum(self) -> None:
        """Rounding up past the maximum is refused, never wrapped or rounded away."""
        with pytest.raises(InvalidValue):
            quantize(MAX_YUAN + Decimal("0.005"), rounding=ROUND_HALF_UP)
        with pytest.raises(InvalidValue):
            quantize(Decimal("1e30"), rounding=ROUND_DOWN)

    def test_sums_below_the_bound_keep_every_fen(self) -> None:
        """Two maximal holdings sum exactly, even in the default decimal context."""
        assert Decimal("19999999999999999.98") == MAX_YUAN + MAX_YUAN

    @pytest.mark.parametrize("bad", ["٣", "１２.００", "x" * 100])
    def test_text_must_be_ascii_decimal(self, bad: str) -> None:
        """Other scripts' digits and very long text are refused, not read."""
        with pytest.raises(InvalidValue, match="ASCII"):
            yuan(bad)

    def test_errors_are_ours(self) -> None:
        """Every refusal of a bad value is an InvalidValue with the facts."""
        for call in (
            lambda: yuan("0.005"),
            lambda: yuan("NaN"),
            lambda: apportion(-1, [1]),
            lambda: apportion(1, [0]),
            lambda: quantize(Decimal(1), rounding="ROUND_CEILING"),
        ):
            with pytest.raises(InvalidValue):
                call()


# Decimals of every shape a caller may hand in: signed zeros, one to many places, the
# bound and just past it, huge and tiny exponents, NaN, signalling NaN and infinities.
_DECIMALS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-MAX_YUAN, max_value=MAX_YUAN, places=2),
    st.decimals(min_value=-(10**6), max_value=10**6, places=4),
    st.builds(
        lambda digits, exponent, sign: Decimal((sign, digits, exponent)),
        st.lists(st.integers(0, 9), min_size=1, max_size=30).map(tuple),
        st.integers(-40, 20),
        st.integers(0, 1),
    ),
    st.sampled_from(
        [
            Decimal("-0"),
            Decimal("-0.00"),
            Decimal("0E+5"),
            Decimal("1E-30"),
            MAX_YUAN,
            -MAX_YUAN,
            MAX_YUAN + Decimal("0.01"),
            Decimal("1.230"),
            Decimal("1.235"),
            Decimal("sNaN"),
            Decimal("-Infinity"),
        ]
    ),
)


@settings(max_examples=500)
@given(value=_DECIMALS)
def test_a_decimal_is_taken_exactly_when_the_rule_says(value: Decimal) -> None:
    """``yuan`` of a Decimal follows the rule as written, for hostile Decimals too.

    The rule, worked here without the library: a finite amount of at most
    ``MAX_YUAN`` in magnitude whose places past the second are all zero is
    taken as itself with exactly two places; anything else is refused.
    """
    with localcontext(prec=200):  # wide enough that scaling by a hundred is exact
        scaled = value.scaleb(2) if value.is_finite() else value
        taken = (
            value.is_finite() and abs(value) <= MAX_YUAN and scaled == scaled.to_integral_value()
        )
    if not taken:
        with pytest.raises(InvalidValue):
            yuan(value)
        return
    got = yuan(value)
    assert got == value
    assert got.as_tuple().exponent == -2
    assert str(got) == f"{value:.2f}"
