"""Model-integrity rules at their boundaries: ids, names, free text, counts, ratios, uniqueness."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots._validators import (
    MAX_ID_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    check_count,
    check_identifier,
    check_name,
    check_text,
    ratio,
    require_unique,
    to_tuple,
)
from grassroots.errors import DuplicateId, InvalidValue


class TestIds:
    def test_the_longest_id_passes_and_one_more_character_fails(self) -> None:
        """128 characters are an id; 129 are not."""
        assert check_identifier("a" * MAX_ID_LENGTH) == "a" * 128
        with pytest.raises(InvalidValue, match="129 characters long"):
            check_identifier("a" * (MAX_ID_LENGTH + 1))

    def test_empty_blank_and_padded_ids_fail(self) -> None:
        """An id names something and has no whitespace at its ends; an inner space is allowed."""
        assert check_identifier("幸福 里") == "幸福 里"
        for bad in ("", " ", " x", "x "):
            with pytest.raises(InvalidValue):
                check_identifier(bad)

    def test_control_characters_fail(self) -> None:
        """No NUL, no line break, no lone surrogate in an id."""
        for bad in ("a\0b", "a\nb", "a\ud800b"):
            with pytest.raises(InvalidValue, match="control character"):
                check_identifier(bad)

    def test_a_non_string_is_a_type_error(self) -> None:
        """A number is a programming error."""
        with pytest.raises(TypeError):
            check_identifier(7)

    @given(st.text(min_size=1, max_size=MAX_ID_LENGTH))
    def test_any_text_is_accepted_or_refused_with_our_error(self, text: str) -> None:
        """Whatever the text, the answer is the text itself or InvalidValue."""
        valid = text.isprintable() and text.strip() == text and bool(text)
        if valid:
            assert check_identifier(text) == text
        else:
            with pytest.raises(InvalidValue, match="docs: rules and sources"):
                check_identifier(text)


class TestNamesAndText:
    def test_the_longest_name_passes_and_one_more_fails(self) -> None:
        """200 characters are a name; 201 are not; a blank name is not a name."""
        assert check_name("名" * MAX_NAME_LENGTH)
        with pytest.raises(InvalidValue):
            check_name("名" * (MAX_NAME_LENGTH + 1))
        with pytest.raises(InvalidValue, match="blank"):
            check_name("  ")

    def test_a_name_is_one_line(self) -> None:
        """A line break belongs in free text, not in a name."""
        with pytest.raises(InvalidValue):
            check_name("幸福\n食堂")
        assert check_text("幸福\n食堂\t") == "幸福\n食堂\t"

    def test_the_longest_text_passes_and_one_more_fails(self) -> None:
        """4000 characters of free text pass, 4001 fail; empty text passes."""
        assert check_text("") == ""
        assert check_text("x" * MAX_TEXT_LENGTH)
        with pytest.raises(InvalidValue):
            check_text("x" * (MAX_TEXT_LENGTH + 1))
        with pytest.raises(InvalidValue):
            check_text("a\0b")


class TestCountsRatiosCollections:
    def test_zero_is_a_count_and_minus_one_is_not(self) -> None:
        """Counts are 0 or more, and never a bool."""
        assert check_count(0) == 0
        with pytest.raises(InvalidValue):
            check_count(-1)
        with pytest.raises(TypeError):
            check_count(True)

    def test_ratios_are_exact(self) -> None:
        """Text, int and Decimal become exact fractions; floats and bad text are refused."""
        assert ratio("51/100") == Fraction(51, 100)
        assert ratio(Decimal("0.51")) == Fraction(51, 100)
        with pytest.raises(TypeError):
            ratio(0.51)
        with pytest.raises(InvalidValue):
            ratio("1/0")

    def test_a_bare_string_is_not_a_collection(self) -> None:
        """A bare "abc" would become three ids, so it is refused."""
        assert to_tuple(["abc"]) == ("abc",)
        with pytest.raises(TypeError):
            to_tuple("abc")


class TestUnique:
    def test_each_id_once(self) -> None:
        """Two distinct ids pass; the same id twice is refused, naming it."""
        require_unique(["a", "b"], what="member", scope="党支部 b1")
        with pytest.raises(DuplicateId, match="'a' appears more than once"):
            require_unique(["a", "b", "a"], what="member", scope="党支部 b1")
