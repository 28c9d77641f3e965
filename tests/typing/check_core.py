"""Type-level checks of the public API, run by mypy only (never executed)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import assert_type

from grassroots import Threshold, apportion, yuan
from grassroots.serialization import dumps, loads, structure, unstructure
from grassroots.threshold import MORE_THAN_HALF

assert_type(yuan("52000"), Decimal)
assert_type(apportion(100, [Fraction(51, 100), Fraction(49, 100)]), tuple[int, ...])
assert_type(MORE_THAN_HALF.met(6, 10), bool)
assert_type(loads(dumps(MORE_THAN_HALF), Threshold), Threshold)
assert_type(structure(unstructure(MORE_THAN_HALF), Threshold), Threshold)
