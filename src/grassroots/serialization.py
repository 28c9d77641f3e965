"""JSON in and out: one cattrs converter for every public grassroots object.

Use :func:`dumps` and :func:`loads` for JSON text, or :func:`unstructure` and
:func:`structure` for JSON-compatible data (dicts, lists, strings, ints). To
add your own hooks, build a fresh converter with :func:`make_converter`;
:func:`configure_converter` registers every grassroots hook on a converter of
yours.

The wire contract:

- ``Decimal`` (money, area) ↔ its exact text, two places for money (``"12.30"``);
  a JSON number with a fraction is refused (it may already be inexact).
- ``Fraction`` ↔ ``"51/100"``.
- Points and other counts stay JSON integers.
- ``pendulum.Date`` ↔ ISO date ``"2026-01-01"``.
- ``pendulum.DateTime`` ↔ ISO 8601 with its UTC offset
  (``"2026-01-01T08:00:00+08:00"``); input without an offset is refused.
- ``pendulum.Duration`` ↔ ISO 8601 duration (``"P1Y2M3DT4H5M6S"``).
- ``pendulum.Interval`` ↔ ``{"start": ..., "end": ...}`` of its endpoints.
- Enums ↔ their values; tuples ↔ lists; frozensets ↔ sorted lists, so output
  is deterministic and diffable.
- Unions of entry kinds carry a stable ``"type"`` tag.
- Unknown keys are refused (``forbid_extra_keys``).
- :func:`dumps` sorts keys and leaves Chinese text unescaped.

Any problem in the input raises :class:`~grassroots.errors.SerializationError`
listing every problem as ``"message @ $.path"``, with the original exception as
``__cause__``; nothing else escapes.

Examples:
    >>> from fractions import Fraction
    >>> from grassroots.threshold import TWO_THIRDS, Threshold
    >>> unstructure(TWO_THIRDS)
    {'ratio': '2/3', 'base': 'all_voting_rights', 'inclusive': True}
    >>> structure(unstructure(TWO_THIRDS), Threshold) == TWO_THIRDS
    True
    >>> structure({"ratio": 0.5, "base": "present", "inclusive": True}, Threshold)
    Traceback (most recent call last):
    ...
    grassroots.errors.SerializationError: cannot structure Threshold: a fraction must be text ...
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import re
import typing
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, TypeVar

import cattrs
import pendulum
from cattrs.errors import BaseValidationError

from grassroots.errors import GrassrootsError, SerializationError

__all__ = [
    "configure_converter",
    "converter",
    "dumps",
    "loads",
    "make_converter",
    "structure",
    "unstructure",
]

T = TypeVar("T")


# --- scalar hooks ----------------------------------------------------------------


def _structure_decimal(value: object, _type: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(
            f'a decimal amount must be text such as "12.30" or an integer,'
            f" not {type(value).__name__} {value!r}"
        )
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _structure_fraction(value: object, _type: type) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(
            f'a fraction must be text such as "51/100", not {type(value).__name__} {value!r}'
        )
    if isinstance(value, int):
        return Fraction(value)
    if not re.fullmatch(r"\s*-?\d+(\s*/\s*\d+)?\s*", value):
        raise ValueError(f'{value!r} is not a fraction such as "51/100"')
    return Fraction(value.replace(" ", ""))


def _unstructure_fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _structure_date(value: object, _type: type) -> pendulum.Date:
    if not isinstance(value, str):
        raise TypeError(f"a date must be ISO text such as 2026-01-01, not {value!r}")
    try:
        return pendulum.Date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO date such as 2026-01-01") from None


def _structure_datetime(value: object, _type: type) -> pendulum.DateTime:
    if not isinstance(value, str):
        raise TypeError(f"a time must be ISO 8601 text with an offset, not {value!r}")
    try:
        parsed = _dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date and time") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"{value!r} has no UTC offset; naive times are ambiguous")
    return pendulum.instance(parsed)


def _unstructure_date(value: _dt.date) -> str:
    return value.isoformat()


def _unstructure_duration(value: pendulum.Duration) -> str:
    days = value.weeks * 7 + value.remaining_days
    date_part = "".join(
        f"{n}{unit}" for n, unit in ((value.years, "Y"), (value.months, "M"), (days, "D")) if n
    )
    seconds = Decimal(value.remaining_seconds) + Decimal(value.microseconds) / 1_000_000
    time_part = "".join(
        f"{n}{unit}"
        for n, unit in ((value.hours, "H"), (value.minutes, "M"), (seconds.normalize(), "S"))
        if n
    )
    text = "P" + date_part + ("T" + time_part if time_part else "")
    return text if text != "P" else "PT0S"


def _structure_duration(value: object, _type: type) -> pendulum.Duration:
    if not isinstance(value, str):
        raise TypeError(f"a duration must be ISO 8601 text such as P30D, not {value!r}")
    try:
        parsed = pendulum.parse(value)
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        raise ValueError(f"{value!r} is not an ISO 8601 duration such as P30D") from None
    if isinstance(parsed, pendulum.Duration):
        return parsed
    raise ValueError(f"{value!r} is not an ISO 8601 duration such as P30D")


def _is_interval(cls: Any) -> bool:
    return cls is pendulum.Interval or typing.get_origin(cls) is pendulum.Interval


def _interval_unstructure_factory(cls: Any) -> Callable[[pendulum.Interval[Any]], object]:
    def unstructure_interval(value: pendulum.Interval[Any]) -> dict[str, str]:
        return {"start": value.start.isoformat(), "end": value.end.isoformat()}

    return unstructure_interval


def _interval_structure_factory(
    cls: Any, conv: cattrs.Converter
) -> Callable[[object, Any], pendulum.Interval[Any]]:
    args = typing.get_args(cls)
    endpoint: Any = args[0] if args else pendulum.Date

    def structure_interval(value: object, _type: Any) -> pendulum.Interval[Any]:
        if not isinstance(value, dict) or set(value) != {"start", "end"}:
            raise TypeError(f'an interval must be {{"start": ..., "end": ...}}, not {value!r}')
        start = conv.structure(value["start"], endpoint)
        end = conv.structure(value["end"], endpoint)
        if end < start:
            raise ValueError(f"interval end {end} is before its start {start}")
        return pendulum.interval(start, end)

    return structure_interval


def _is_frozenset(cls: Any) -> bool:
    return cls is frozenset or typing.get_origin(cls) is frozenset


def _sort_key(item: object) -> tuple[str, str]:
    if isinstance(item, enum.Enum):
        item = item.value
    return (type(item).__name__, json.dumps(item, sort_keys=True, default=str))


def _frozenset_unstructure_factory(
    cls: Any, conv: cattrs.Converter
) -> Callable[[frozenset[Any]], list[Any]]:
    args = typing.get_args(cls)
    member: Any = args[0] if args else Any

    def unstructure_frozenset(value: frozenset[Any]) -> list[Any]:
        items = [conv.unstructure(item, unstructure_as=member) for item in value]
        return sorted(items, key=_sort_key)

    return unstructure_frozenset


def _is_tuple(cls: Any) -> bool:
    return cls is tuple or typing.get_origin(cls) is tuple


def _tuple_unstructure_factory(
    cls: Any, conv: cattrs.Converter
) -> Callable[[tuple[Any, ...]], list[Any]]:
    args = typing.get_args(cls)
    if len(args) == 2 and args[1] is Ellipsis:
        member: Any = args[0]

        def unstructure_homogeneous(value: tuple[Any, ...]) -> list[Any]:
            return [conv.unstructure(item, unstructure_as=member) for item in value]

        return unstructure_homogeneous

    def unstructure_tuple(value: tuple[Any, ...]) -> list[Any]:
        if args and len(args) == len(value):
            return [conv.unstructure(v, unstructure_as=a) for v, a in zip(value, args, strict=True)]
        return [conv.unstructure(item) for item in value]

    return unstructure_tuple


# --- the converter ----------------------------------------------------------------


def configure_converter(conv: cattrs.Converter) -> None:
    """Register every grassroots hook on ``conv``.

    Use this to add grassroots types to a converter you already have; most
    callers want the ready-made module-level :data:`converter` instead.
    """
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Fraction, _structure_fraction)
    conv.register_unstructure_hook(Fraction, _unstructure_fraction)
    conv.register_structure_hook(pendulum.Date, _structure_date)
    conv.register_structure_hook(pendulum.DateTime, _structure_datetime)
    conv.register_unstructure_hook(pendulum.Date, _unstructure_date)
    conv.register_unstructure_hook(pendulum.DateTime, _unstructure_date)
    conv.register_structure_hook(pendulum.Duration, _structure_duration)
    conv.register_unstructure_hook(pendulum.Duration, _unstructure_duration)
    # Interval subclasses Duration: register it after Duration so the more specific hook wins.
    conv.register_unstructure_hook(
        pendulum.Interval, _interval_unstructure_factory(pendulum.Interval)
    )
    conv.register_unstructure_hook_factory(_is_interval, _interval_unstructure_factory)
    conv.register_structure_hook_factory(
        _is_interval, lambda cls: _interval_structure_factory(cls, conv)
    )
    conv.register_unstructure_hook_factory(
        _is_frozenset, lambda cls: _frozenset_unstructure_factory(cls, conv)
    )
    conv.register_unstructure_hook_factory(
        _is_tuple, lambda cls: _tuple_unstructure_factory(cls, conv)
    )
    _configure_domain(conv)


def _configure_domain(conv: cattrs.Converter) -> None:
    """Register the hooks of the domain modules (tagged unions, aggregates)."""
    # Each domain module that needs hooks of its own exposes ``_configure_converter``.
    from grassroots import _wire

    for configure in _wire.domain_configurers():
        configure(conv)


def make_converter() -> cattrs.Converter:
    """Return a fresh converter with every grassroots hook, refusing unknown keys."""
    conv = cattrs.Converter(forbid_extra_keys=True)
    configure_converter(conv)
    return conv


converter: cattrs.Converter = make_converter()
"""The library's converter. Treat it as read-only; build your own with :func:`make_converter`."""


def unstructure(obj: object, *, conv: cattrs.Converter | None = None) -> Any:
    """Return ``obj`` as JSON-compatible data (dicts, lists, strings, ints, bools)."""
    return (conv or converter).unstructure(obj)


def structure(data: object, cls: type[T], *, conv: cattrs.Converter | None = None) -> T:
    """Build a ``cls`` from JSON-compatible ``data``, checking every rule on the way.

    Raises:
        SerializationError: the data does not describe a valid ``cls``; its
            ``problems`` list every problem with its path.
    """
    try:
        return (conv or converter).structure(data, cls)
    except BaseValidationError as exc:
        problems = tuple(cattrs.transform_error(exc, path="$", format_exception=_describe))
        raise SerializationError(
            f"cannot structure {_name(cls)}: " + "; ".join(problems), problems=problems
        ) from exc
    except (GrassrootsError, ValueError, TypeError, KeyError, AttributeError) as exc:
        if isinstance(exc, SerializationError):
            raise
        problem = f"{_describe(exc, None)} @ $"
        raise SerializationError(
            f"cannot structure {_name(cls)}: {problem}", problems=(problem,)
        ) from exc


def _describe(exc: BaseException, _type: object) -> str:
    if isinstance(exc, KeyError):
        return f"required field missing: {exc.args[0]}" if exc.args else "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown keys {sorted(exc.extra_fields)}"
    return str(exc)


def _name(cls: object) -> str:
    return getattr(cls, "__name__", None) or str(cls)


def dumps(obj: object, *, indent: int | None = None, conv: cattrs.Converter | None = None) -> str:
    """Return ``obj`` as JSON text with sorted keys and unescaped Chinese.

    Examples:
        >>> from grassroots.money import yuan
        >>> dumps({"小区公共收益": yuan("520.00")})
        '{"小区公共收益": "520.00"}'
    """
    return json.dumps(
        unstructure(obj, conv=conv), sort_keys=True, ensure_ascii=False, indent=indent
    )


def loads(text: str | bytes, cls: type[T], *, conv: cattrs.Converter | None = None) -> T:
    """Build a ``cls`` from JSON text.

    Raises:
        SerializationError: the text is not JSON, or does not describe a valid ``cls``.
    """
    try:
        data = json.loads(text, parse_float=_refuse_float)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SerializationError(
            f"cannot read JSON: {exc}", problems=(f"{exc} @ $",), value=text
        ) from exc
    except ValueError as exc:
        raise SerializationError(str(exc), problems=(f"{exc} @ $",)) from exc
    return structure(data, cls, conv=conv)


def _refuse_float(text: str) -> object:
    raise ValueError(
        f'JSON number {text} has a fraction; money and ratios travel as text such as "{text}"'
    )
