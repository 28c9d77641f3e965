"""Thresholds of law: an exact fraction, the base it is taken of, and whether it includes the bound.

Chinese law counts its words precisely (民法典 art. 1259): "以上、以下、以内、届满"
include the number; "不满、超过、以外" exclude it. So 过半数 ("more than half") is
strict and 三分之二以上 ("two thirds or more") is inclusive. A
[`Threshold`][grassroots.threshold.Threshold] keeps all three facts, and
[`Threshold.met`][grassroots.threshold.Threshold.met] compares exactly, with
integers or fractions, never floats.

Examples:
    >>> MORE_THAN_HALF.met(50, 100), MORE_THAN_HALF.met(51, 100)
    (False, True)
    >>> TWO_THIRDS.met(2, 3), TWO_THIRDS.met(Decimal("66.66"), 100)
    (True, False)
    >>> str(TWO_THIRDS)
    'at least 2/3 of all voting rights'
"""

from __future__ import annotations

import enum
from decimal import Decimal
from fractions import Fraction

import attrs

from grassroots._validators import INTEGRITY_RULE, check_count
from grassroots._validators import ratio as _ratio
from grassroots.errors import InvalidValue

__all__ = [
    "AT_LEAST_HALF",
    "MORE_THAN_HALF",
    "THREE_QUARTERS",
    "TWO_THIRDS",
    "Base",
    "Threshold",
]


class Base(enum.Enum):
    """What a threshold is a fraction of."""

    ALL_ELIGIBLE = "all_eligible"
    """Everyone entitled to take part (all residents 18+, all voting members)."""
    PRESENT = "present"
    """Those present at the meeting."""
    ALL_VOTING_RIGHTS = "all_voting_rights"
    """All voting rights of a company's shareholders (公司法 art. 66)."""
    VOTING_RIGHTS_PRESENT = "voting_rights_present"
    """The voting rights of those present."""
    AREA_AND_HEADCOUNT = "area_and_headcount"
    """Both the exclusive area and the number of owners (民法典 art. 278)."""
    CAPITAL = "capital"
    """Registered or paid-in capital."""


def _exact(value: int | Fraction | Decimal, name: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
        raise TypeError(
            f"{name} must be int, Fraction or Decimal, not {type(value).__name__} {value!r}"
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidValue(
            f"{name} {value} is not a finite number ({INTEGRITY_RULE})",
            value=value,
            limit="a finite number",
            rule=INTEGRITY_RULE,
        )
    return Fraction(value)


@attrs.frozen(kw_only=True)
class Threshold:
    """A share that a count must reach: ``ratio`` of ``base``, inclusive or strict.

    Rule: 民法典 art. 1259 — "以上" includes the bound (``inclusive=True``),
    "超过" and "过半数" exclude it (``inclusive=False``).

    Args:
        ratio: The exact fraction, between 0 and 1: a ``Fraction``, an ``int``,
            a ``Decimal`` or text such as ``"2/3"``, never a ``float``.
        base: What the fraction is taken of.
        inclusive: Whether reaching the bound exactly is enough.

    Raises:
        TypeError: ``ratio`` is a ``float`` or a ``bool``, ``base`` is not a
            [`Base`][grassroots.threshold.Base], or ``inclusive`` is not a ``bool``.
        InvalidValue: ``ratio`` is not an exact ratio or lies outside ``[0, 1]``.
    """

    ratio: Fraction = attrs.field(converter=_ratio)
    base: Base = attrs.field(validator=attrs.validators.instance_of(Base))
    inclusive: bool = attrs.field(validator=attrs.validators.instance_of(bool))

    @ratio.validator
    def _check_ratio(self, _attribute: attrs.Attribute[Fraction], value: Fraction) -> None:
        if not 0 <= value <= 1:
            raise InvalidValue(
                f"threshold ratio {value} is outside [0, 1] ({INTEGRITY_RULE})",
                value=value,
                limit="0 <= ratio <= 1",
                rule=INTEGRITY_RULE,
            )

    def met(self, part: int | Fraction | Decimal, whole: int | Fraction | Decimal) -> bool:
        """Return whether ``part`` of ``whole`` reaches this threshold, exactly.

        Args:
            part: The count that voted, attended or holds the share.
            whole: The count of the base. Zero meets no threshold above zero.

        Raises:
            TypeError: ``part`` or ``whole`` is a ``float``, a ``bool`` or another type.
            InvalidValue: ``part`` is negative or greater than ``whole``, or a
                ``Decimal`` is not finite.
        """
        p = _exact(part, "part")
        w = _exact(whole, "whole")
        if p < 0 or w < 0 or p > w:
            raise InvalidValue(
                f"part {part} of whole {whole} is not a share (0 <= part <= whole;"
                f" {INTEGRITY_RULE})",
                value=(part, whole),
                limit="0 <= part <= whole",
                rule=INTEGRITY_RULE,
            )
        if w == 0:
            return self.ratio == 0 and self.inclusive
        share = p / w
        return share >= self.ratio if self.inclusive else share > self.ratio

    def minimum_of(self, whole: int) -> int:
        """Return the smallest whole count of ``whole`` that meets this threshold.

        Raises:
            TypeError: ``whole`` is not an ``int``, or is a ``bool``.
            InvalidValue: ``whole`` is negative.

        Examples:
            >>> MORE_THAN_HALF.minimum_of(10), TWO_THIRDS.minimum_of(10)
            (6, 7)
        """
        check_count(whole, "whole")
        exact = self.ratio * whole
        floor = exact.numerator // exact.denominator
        if self.inclusive:
            return floor if floor == exact else floor + 1
        return floor + 1

    def __str__(self) -> str:
        words = "at least" if self.inclusive else "more than"
        return f"{words} {self.ratio} of {self.base.value.replace('_', ' ')}"


MORE_THAN_HALF = Threshold(ratio=Fraction(1, 2), base=Base.ALL_ELIGIBLE, inclusive=False)
"""过半数: strictly more than one half (民法典 art. 1259: "过" excludes the half)."""

AT_LEAST_HALF = Threshold(ratio=Fraction(1, 2), base=Base.ALL_ELIGIBLE, inclusive=True)
"""半数以上: one half or more (民法典 art. 1259: "以上" includes the half)."""

TWO_THIRDS = Threshold(ratio=Fraction(2, 3), base=Base.ALL_VOTING_RIGHTS, inclusive=True)
"""三分之二以上: two thirds or more (公司法 art. 66 ¶3)."""

THREE_QUARTERS = Threshold(ratio=Fraction(3, 4), base=Base.AREA_AND_HEADCOUNT, inclusive=True)
"""四分之三以上: three quarters or more (民法典 art. 278)."""
