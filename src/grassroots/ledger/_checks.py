"""Field checks of the ledger's values (private).

The id and text rules are those of ``grassroots._validators``, with a fast path;
this module adds the journal format's NUL rule and the bounds of recorded time.
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any, Final, TypeVar

import attrs
import pendulum

from grassroots import _validators
from grassroots._time import require_aware
from grassroots._validators import INTEGRITY_RULE
from grassroots.errors import (
    InvalidValue,
)
from grassroots.ledger._instants import FIRST, LAST, MAX_INSTANT, MIN_INSTANT
from grassroots.ledger._rules import ENCODING_RULE, TIME_RANGE_RULE

E = TypeVar("E", bound=enum.Enum)


def _no_separator(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse text holding NUL, the separator of the journal format (before the id/text rule)."""
    if type(value) is str and "\0" in value:
        raise InvalidValue(
            f"{attribute.name} {value!r} contains a NUL character, which the journal's"
            f" encoding uses as its separator ({ENCODING_RULE})",
            value=value,
            rule=ENCODING_RULE,
        )


# The id and text rules are grassroots._validators' own. Each validator below first
# accepts, in one expression, the values that plainly keep the rule (every character
# printable, which also rules out NUL, line breaks and lone surrogates), since a
# transfer has seven such fields and building one is what every caller pays; any
# other value goes to the shared check, which accepts it or raises its error.
_MAX_ID: Final = _validators.MAX_ID_LENGTH

_MAX_TEXT: Final = _validators.MAX_TEXT_LENGTH


def _identifier(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        type(value) is str
        and 0 < len(value) <= _MAX_ID
        and value.isprintable()
        and value.strip() == value
    ):
        return
    _no_separator(instance, attribute, value)
    _validators.identifier(instance, attribute, value)


def _optional_identifier(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _identifier(instance, attribute, value)


def _text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is str and (not value or (len(value) <= _MAX_TEXT and value.isprintable())):
        return
    _no_separator(instance, attribute, value)
    _validators.text(instance, attribute, value)


_count: Final = _validators.count


def _aware(value: object) -> pendulum.DateTime:
    return require_aware(value, "time")


def _enum_member(enum_type: type[E], value: object, what: str) -> E:
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        allowed = [member.value for member in enum_type]
        raise InvalidValue(
            f"{what} {value!r} is not one of {allowed} ({INTEGRITY_RULE})",
            value=value,
            limit=allowed,
            rule=INTEGRITY_RULE,
        ) from None


def _points(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{name} must be a whole number of points (int), not {type(value).__name__} {value!r}"
        )
    return value


def _invalid(message: str, value: object = None) -> InvalidValue:
    """Return the error for a malformed ledger value, citing the integrity rule."""
    return InvalidValue(f"{message} ({INTEGRITY_RULE})", value=value, rule=INTEGRITY_RULE)


def _require_in_range(key: int, at: _dt.datetime, name: str) -> None:
    """Refuse an instant outside the range the ledger records, naming the bound."""
    if key < MIN_INSTANT or key > MAX_INSTANT:
        bound = FIRST if key < MIN_INSTANT else LAST
        raise InvalidValue(
            f"{name} {at.isoformat()} is outside the times the ledger records; the"
            f" {'earliest' if bound is FIRST else 'latest'} is {bound.isoformat()}"
            f" ({TIME_RANGE_RULE})",
            value=at,
            limit=bound,
            rule=TIME_RANGE_RULE,
        )
