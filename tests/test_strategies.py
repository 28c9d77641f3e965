"""The exported core strategies keep their promises, and st.from_type knows our types."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from grassroots import strategies as gst
from grassroots._hypothesis import TYPE_STRATEGIES


class TestMoneyStrategies:
    @given(gst.yuan_amounts(min_value="-0.05", max_value="0.05"))
    def test_yuan_bounds_and_places(self, amount: Decimal) -> None:
        """Drawn amounts stay within the bounds and have exactly two places."""
        assert Decimal("-0.05") <= amount <= Decimal("0.05")
        assert amount.as_tuple().exponent == -2

    @given(gst.fen_amounts(min_value=1, max_value=1))
    def test_fen_single_value(self, fen: int) -> None:
        """Equal bounds draw that value only."""
        assert fen == 1

    @given(gst.fractions_between(min_value=Fraction(1, 3), max_value=Fraction(2, 3)))
    def test_fraction_bounds(self, value: Fraction) -> None:
        """Drawn fractions stay within the bounds."""
        assert Fraction(1, 3) <= value <= Fraction(2, 3)

    @pytest.mark.parametrize(
        "build",
        [
            lambda: gst.fen_amounts(min_value=2, max_value=1),
            lambda: gst.yuan_amounts(min_value="1.00", max_value="0.99"),
            lambda: gst.yuan_amounts(min_value="0.001"),
            lambda: gst.fractions_between(min_value=Fraction(1), max_value=Fraction(0)),
        ],
    )
    def test_impossible_arguments_raise(
        self, build: Callable[[], st.SearchStrategy[object]]
    ) -> None:
        """Impossible bounds raise Hypothesis' InvalidArgument."""
        with pytest.raises(InvalidArgument):
            build().validate()


class TestFromType:
    @pytest.mark.parametrize(("module", "type_name", "strategy"), TYPE_STRATEGIES)
    @settings(max_examples=5)
    @given(data=st.data())
    def test_registered_types_draw_instances(
        self, module: str, type_name: str, strategy: str, data: st.DataObject
    ) -> None:
        """The entry point makes ``st.from_type`` draw valid instances of every public type."""
        cls = getattr(importlib.import_module(module), type_name)
        assert isinstance(data.draw(st.from_type(cls)), cls)
        assert strategy in gst.__all__
