"""One validation vocabulary for every grassroots class (private).

Every class checks ids, names, free text, counts, flags, ratios and collections
through the functions here, so one rule holds everywhere and a change to it is
made once. Wrong *types* raise ``TypeError`` (a programming error); wrong
*values* raise ``InvalidValue``, which is a
``RuleViolation`` and so also a ``ValueError``.

The rules (the docs' rules page lists them under "Model integrity"):

- An **id** is text of 1 to ``MAX_ID_LENGTH`` characters, every one
  printable (no control characters, no lone surrogates, no line breaks or tabs;
  an inner ASCII space is allowed), with no whitespace at either end.
- A **name** is one line of text of at most ``MAX_NAME_LENGTH``
  characters that is not blank: no control characters, no lone surrogates.
- **Free text** (a memo, a reason, a suggestion's body) may be empty and may
  hold line breaks and tabs, but no other control characters and no lone
  surrogates, and at most ``MAX_TEXT_LENGTH`` characters.
- A **ratio** is an exact ``Fraction`` built from a ``Fraction``, an ``int``,
  a ``Decimal`` or text such as ``"51/100"``; never from a ``float`` or a
  ``bool``.
- A **collection** (tuple or frozenset fields) comes from any iterable except
  a bare ``str``, ``bytes`` or a mapping, which would silently become its
  characters or its keys.

Attrs validators have the signature ``(instance, attribute, value)``; the
``check_*`` functions take ``(value, name)`` for code that is not an attrs
field (a hot path, a command argument) and return the value.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, TypeVar

import attrs
import pendulum

from grassroots._time import require_date
from grassroots.errors import DuplicateId, InvalidValue

T = TypeVar("T")

MAX_ID_LENGTH: Final = 128
"""The longest id, in characters."""

MAX_NAME_LENGTH: Final = 200
"""The longest name, in characters."""

MAX_TEXT_LENGTH: Final = 4000
"""The longest free text (memo, reason, body), in characters."""

INTEGRITY_RULE: Final = "grassroots model integrity, docs: rules and sources"
"""The rule cited when a value is malformed."""

ID_RULE: Final = (
    f"an id is 1-{MAX_ID_LENGTH} printable characters with no whitespace at either end"
    f" ({INTEGRITY_RULE})"
)
NAME_RULE: Final = (
    f"a name is one non-blank line of at most {MAX_NAME_LENGTH} characters"
    f" without control characters ({INTEGRITY_RULE})"
)
UNIQUE_RULE: Final = f"ids are unique in their scope ({INTEGRITY_RULE})"
TEXT_RULE: Final = (
    f"free text is at most {MAX_TEXT_LENGTH} characters without control characters"
    f" other than line breaks and tabs ({INTEGRITY_RULE})"
)

# Control characters (C0, DEL, C1) and lone surrogates; names also refuse line breaks.
_BAD_IN_NAME: Final = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_BAD_IN_TEXT: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _require_str(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, not {type(value).__name__} {value!r}")
    return value


def _shown(value: str) -> str:
    """Return ``value`` for a message: repr, cut to 60 characters."""
    return repr(value if len(value) <= 60 else value[:57] + "...")


def check_identifier(value: object, name: str = "id") -> str:
    """Return ``value`` if it is a valid id, else raise.

    Fast for the common case: two C-level string checks.

    Raises:
        TypeError: ``value`` is not a ``str``.
        InvalidValue: ``value`` breaks the id rule.
    """
    text = _require_str(value, name)
    if 0 < len(text) <= MAX_ID_LENGTH and text.isprintable() and text.strip() == text:
        return text
    if not text:
        problem = "is empty"
    elif len(text) > MAX_ID_LENGTH:
        problem = f"is {len(text)} characters long"
    elif text.strip() != text:
        problem = "has whitespace at an end" if text.strip() else "is blank"
    else:
        problem = "holds a control character, a line break or a lone surrogate"
    raise InvalidValue(
        f"{name} {_shown(text)} {problem}; {ID_RULE}", value=text, limit=ID_RULE, rule=ID_RULE
    )


def check_name(value: object, name: str = "name") -> str:
    """Return ``value`` if it is a valid name, else raise.

    Raises:
        TypeError: ``value`` is not a ``str``.
        InvalidValue: ``value`` breaks the name rule.
    """
    text = _require_str(value, name)
    if not text.strip():
        problem = "is blank"
    elif len(text) > MAX_NAME_LENGTH:
        problem = f"is {len(text)} characters long"
    elif _BAD_IN_NAME.search(text):
        problem = "holds a control character, a line break or a lone surrogate"
    else:
        return text
    raise InvalidValue(
        f"{name} {_shown(text)} {problem}; {NAME_RULE}", value=text, limit=NAME_RULE, rule=NAME_RULE
    )


def check_text(value: object, name: str = "text") -> str:
    """Return ``value`` if it is valid free text (possibly empty), else raise.

    Raises:
        TypeError: ``value`` is not a ``str``.
        InvalidValue: ``value`` breaks the free-text rule.
    """
    text = _require_str(value, name)
    if len(text) > MAX_TEXT_LENGTH:
        problem = f"is {len(text)} characters long"
    elif _BAD_IN_TEXT.search(text):
        problem = "holds a control character or a lone surrogate"
    else:
        return text
    raise InvalidValue(
        f"{name} {_shown(text)} {problem}; {TEXT_RULE}", value=text, limit=TEXT_RULE, rule=TEXT_RULE
    )


def check_count(value: object, name: str = "count") -> int:
    """Return ``value`` if it is a non-negative ``int`` (not a ``bool``), else raise.

    Raises:
        TypeError: ``value`` is not an ``int``, or is a ``bool``.
        InvalidValue: ``value`` is negative.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be int, not {type(value).__name__} {value!r}")
    if value < 0:
        raise InvalidValue(
            f"{name} {value} is negative; a count is 0 or more ({INTEGRITY_RULE})",
            value=value,
            limit=0,
            rule=INTEGRITY_RULE,
        )
    return value


def check_flag(value: object, name: str = "flag") -> bool:
    """Return ``value`` if it is a ``bool``, else raise ``TypeError``."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be bool, not {type(value).__name__} {value!r}")
    return value


# --- attrs validators --------------------------------------------------------------


def identifier(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a value that is not a valid id (attrs validator)."""
    check_identifier(value, attribute.name)


def optional_identifier(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a value that is neither ``None`` nor a valid id (attrs validator)."""
    if value is not None:
        check_identifier(value, attribute.name)


def identifiers(
    _instance: object, attribute: attrs.Attribute[Any], value: Iterable[object]
) -> None:
    """Refuse a collection holding anything but valid ids (attrs validator)."""
    for item in value:
        check_identifier(item, attribute.name)


def names(_instance: object, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    """Refuse a collection holding anything but valid names (attrs validator)."""
    for item in value:
        check_name(item, attribute.name)


def instances_of(
    kind: type | tuple[type, ...],
) -> Callable[[object, attrs.Attribute[Any], Iterable[object]], None]:
    """Return an attrs validator refusing a collection that holds anything but ``kind``.

    The validator raises ``TypeError`` (a wrong type is a programming error).
    """
    expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)

    def check_items(
        _instance: object, attribute: attrs.Attribute[Any], value: Iterable[object]
    ) -> None:
        for item in value:
            if not isinstance(item, kind):
                raise TypeError(
                    f"{attribute.name} must hold {expected} values,"
                    f" not {type(item).__name__} {item!r}"
                )

    return check_items


def name(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a value that is not a valid name (attrs validator)."""
    check_name(value, attribute.name)


def optional_name(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a value that is neither ``None`` nor a valid name (attrs validator)."""
    if value is not None:
        check_name(value, attribute.name)


def text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a value that is not valid free text (attrs validator)."""
    check_text(value, attribute.name)


def count(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a value that is not a non-negative ``int`` (attrs validator)."""
    check_count(value, attribute.name)


def optional_count(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a value that is neither ``None`` nor a non-negative ``int`` (attrs validator)."""
    if value is not None:
        check_count(value, attribute.name)


def flag(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a value that is not a ``bool`` (attrs validator)."""
    check_flag(value, attribute.name)


# --- converters --------------------------------------------------------------------


def ratio(value: object) -> Fraction:
    """Return ``value`` as an exact ``Fraction`` (attrs converter).

    Accepts a ``Fraction``, an ``int``, a ``Decimal`` or text such as
    ``"51/100"`` or ``"0.51"``.

    Raises:
        TypeError: ``value`` is a ``float``, a ``bool`` or another type.
        InvalidValue: the text is not a ratio, the denominator is zero, or the
            ``Decimal`` is not finite.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise TypeError(
            f"a ratio must be a Fraction, int, Decimal or text such as '51/100',"
            f" not {type(value).__name__} {value!r} (floats are inexact)"
        )
    if isinstance(value, str) and (len(value) > 100 or not value.isascii()):
        raise InvalidValue(
            f"{_shown(value)} is not an exact ratio such as '51/100' ({INTEGRITY_RULE})",
            value=value,
            limit="a ratio such as '51/100'",
            rule=INTEGRITY_RULE,
        )
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError, OverflowError, ArithmeticError):
        raise InvalidValue(
            f"{value!r} is not an exact ratio such as '51/100' ({INTEGRITY_RULE})",
            value=value,
            limit="a ratio such as '51/100' with a non-zero denominator",
            rule=INTEGRITY_RULE,
        ) from None


def optional_ratio(value: object) -> Fraction | None:
    """Return ``None`` or ``value`` as an exact ``Fraction`` (attrs converter)."""
    return None if value is None else ratio(value)


def _require_collection(value: object) -> Iterable[Any]:
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        raise TypeError(
            f"give a collection (a list, tuple or set), not {type(value).__name__} {value!r}"
            if not isinstance(value, str | bytes | bytearray)
            else f"give a collection of items, not the single {type(value).__name__} {value!r}"
        )
    return value


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Return ``value`` as a tuple, refusing a bare ``str``, ``bytes`` or mapping.

    Typed with ``Any`` rather than a type variable: the attrs mypy plugin
    copies a converter's argument type into ``__init__``, where a free type
    variable would be unbound.
    """
    if type(value) is tuple:
        return value
    return tuple(_require_collection(value))


def to_frozenset(value: Iterable[Any]) -> frozenset[Any]:
    """Return ``value`` as a frozenset, refusing a bare ``str``, ``bytes`` or mapping.

    Typed with ``Any``, as ``to_tuple`` is.
    """
    if type(value) is frozenset:
        return value
    return frozenset(_require_collection(value))


# --- dates and uniqueness ----------------------------------------------------------


def to_date(value: _dt.date) -> pendulum.Date:
    """Return ``value`` as a pendulum Date, refusing datetimes (attrs converter)."""
    return require_date(value, "date")


def to_optional_date(value: _dt.date | None) -> pendulum.Date | None:
    """Return ``value`` as a pendulum Date, or ``None`` (attrs converter)."""
    return None if value is None else require_date(value, "date")


def require_unique(ids: Iterable[str], *, what: str, scope: str) -> None:
    """Raise [`DuplicateId`][grassroots.errors.DuplicateId] naming the first id given twice.

    Args:
        ids: The ids, in order.
        what: What the ids name ("building", "member").
        scope: Where they must be unique ("subcommunity 龙居小区").
    """
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise DuplicateId(
                f"{what} id {item!r} appears more than once in {scope}; {UNIQUE_RULE}",
                value=item,
                limit="each id once",
                rule=UNIQUE_RULE,
            )
        seen.add(item)
