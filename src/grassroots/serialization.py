"""JSON in and out: one cattrs converter for every public grassroots object.

Use [`dumps`][grassroots.serialization.dumps] and
[`loads`][grassroots.serialization.loads] for JSON text, or
[`unstructure`][grassroots.serialization.unstructure] and
[`structure`][grassroots.serialization.structure] for JSON-compatible data
(dicts, lists, strings, ints). To add your own hooks, build a fresh converter
with [`make_converter`][grassroots.serialization.make_converter];
[`configure_converter`][grassroots.serialization.configure_converter] registers
every grassroots hook on a converter of yours.

The wire contract. Output is canonical, and input is accepted only in the
canonical form that the output takes, so anything accepted unstructures back
to exactly the data it came from:

- ``Decimal`` (money, area) ↔ text with exactly two places (``"12.30"``),
  ASCII digits only, no exponent, no sign on zero. A JSON number is refused:
  a fraction may already be inexact, and an integer would not come back as
  the same JSON.
- ``Fraction`` ↔ ``"51/100"`` in lowest terms with a positive denominator;
  ``"2/4"``, ``"1/0"`` and JSON numbers are refused.
- ``int`` (points, counts) ↔ a JSON integer, never from ``true``/``false``,
  a number with a fraction, ``NaN``/``Infinity`` or text (``"3"``, ``"٣"``).
- ``str`` ↔ a JSON string, never from ``null``, a number, a list or an object.
- ``bool`` ↔ ``true``/``false`` only, never from ``"false"``, ``0`` or ``1``.
- Enums ↔ their values, exactly (``"present"``, never ``"PRESENT"``).
- ``pendulum.Date`` ↔ ISO date ``"2026-01-01"`` (no week or ordinal dates).
- ``pendulum.DateTime`` ↔ ISO 8601 with its UTC offset
  (``"2026-01-01T08:00:00+08:00"``); input without an offset is refused, and
  so is any other spelling of the same instant (``Z``, a space for ``T``).
- ``pendulum.Duration`` ↔ ISO 8601 duration (``"P1Y2M3DT4H5M6S"``).
- ``pendulum.Interval`` ↔ ``{"start": ..., "end": ...}`` of its endpoints.
- Collections: tuples ↔ lists; frozensets ↔ sorted lists without repeats, so
  output is deterministic and diffable. Input must be a JSON list: a bare
  string is never split into characters and an object never becomes its
  keys; a set given out of order or with a member twice is refused.
- Mappings ↔ JSON objects only.
- Unions of entry kinds carry a stable ``"type"`` tag.
- Unknown keys are refused (``forbid_extra_keys``).
- [`dumps`][grassroots.serialization.dumps] sorts keys and leaves Chinese
  text unescaped; [`loads`][grassroots.serialization.loads] refuses JSON
  numbers with a fraction or an exponent, ``NaN`` and ``Infinity``, and text
  nested deeper than [`MAX_DEPTH`][grassroots.serialization.MAX_DEPTH].

Any problem in the input raises
[`SerializationError`][grassroots.errors.SerializationError] listing the
problems as ``"message @ $.path"`` (at most
[`MAX_PROBLEMS`][grassroots.serialization.MAX_PROBLEMS], then one line saying
how many more there were), with the original exception as ``__cause__``;
nothing else escapes, not even a ``RecursionError``.

Examples:
    >>> from fractions import Fraction
    >>> from grassroots.threshold import TWO_THIRDS, Threshold
    >>> unstructure(TWO_THIRDS)
    {'ratio': '2/3', 'base': 'all_voting_rights', 'inclusive': True}
    >>> structure(unstructure(TWO_THIRDS), Threshold) == TWO_THIRDS
    True
    >>> structure({"ratio": "2/3", "base": "present", "inclusive": "false"}, Threshold)
    Traceback (most recent call last):
    ...
    grassroots.errors.SerializationError: cannot structure Threshold: expected true or false, ...
"""

from __future__ import annotations

import datetime as _dt
import enum
import itertools
import json
import re
import reprlib
import threading
import typing
from collections.abc import Callable, Mapping, MutableMapping, MutableSequence, MutableSet
from collections.abc import Sequence as AbcSequence
from collections.abc import Set as AbcSet
from decimal import Decimal
from fractions import Fraction
from math import gcd
from typing import Any, Final, TypeVar

import attrs
import cattrs
import pendulum
from cattrs.errors import BaseValidationError, IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn

from grassroots import _wire
from grassroots.errors import SerializationError

__all__ = [
    "MAX_DEPTH",
    "MAX_PROBLEMS",
    "configure_converter",
    "converter",
    "dumps",
    "loads",
    "make_converter",
    "structure",
    "unstructure",
]

T = TypeVar("T")

MAX_DEPTH: Final = 100
"""The deepest nesting of lists and objects that [`loads`][grassroots.serialization.loads] reads.

The deepest grassroots object (a county down to its units, a ledger down to
its draws) nests about a dozen levels; anything far deeper is hostile.
"""

MAX_PROBLEMS: Final = 20
"""The most problems a [`SerializationError`][grassroots.errors.SerializationError] lists.

Beyond it, one more line says how many more there were. A collection stops
being checked at its first ``MAX_PROBLEMS`` problems, and the message says
how many of its items were left unchecked, so a payload with a hundred
thousand bad items gives a short message, quickly.
"""

_MAX_MESSAGE: Final = 300
_REPR = reprlib.Repr()
_REPR.maxstring = 60
_REPR.maxother = 60
_REPR.maxlevel = 2
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = _REPR.maxfrozenset = 4


def _show(value: object) -> str:
    """Return a short repr of ``value`` for a message, safe on huge or deep data."""
    return _REPR.repr(value)


def _kind(value: object) -> str:
    """Return the JSON kind of ``value``, as a message names it."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


# --- strict primitives -------------------------------------------------------------


def _structure_int(value: object, _type: object) -> int:
    if type(value) is int:
        return value
    raise TypeError(f"expected a JSON integer, not {_kind(value)} {_show(value)}")


def _structure_str(value: object, _type: object) -> str:
    if type(value) is str:
        return value
    raise TypeError(f"expected a JSON string, not {_kind(value)} {_show(value)}")


def _structure_bool(value: object, _type: object) -> bool:
    if type(value) is bool:
        return value
    raise TypeError(f"expected true or false, not {_kind(value)} {_show(value)}")


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum)


def _enum_structure_factory(cls: type[enum.Enum]) -> Callable[[object, object], enum.Enum]:
    by_value: dict[object, enum.Enum] = {member.value: member for member in cls}
    kinds = {type(v) for v in by_value}
    shown = ", ".join(repr(v) for v in by_value)

    def structure_enum(value: object, _type: object) -> enum.Enum:
        if type(value) not in kinds:
            raise TypeError(
                f"expected one of {shown} for {cls.__name__}, not {_kind(value)} {_show(value)}"
            )
        member = by_value.get(value)
        if member is None:
            raise ValueError(
                f"{_show(value)} is not a valid {cls.__name__}; expected one of {shown}"
            )
        return member

    return structure_enum


# --- scalar hooks ------------------------------------------------------------------

_DECIMAL_TEXT: Final = re.compile(r"-?(?:0|[1-9][0-9]{0,39})\.[0-9]{2}")
_FRACTION_TEXT: Final = re.compile(r"(-?)(0|[1-9][0-9]{0,99})/([1-9][0-9]{0,99})")
_DATE_TEXT: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _structure_decimal(value: object, _type: object) -> Decimal:
    if type(value) is not str:
        raise TypeError(
            f'a decimal amount must be text with two places such as "12.30",'
            f" not {_kind(value)} {_show(value)}"
        )
    if not _DECIMAL_TEXT.fullmatch(value) or value == "-0.00":
        raise ValueError(
            f'{_show(value)} is not a decimal amount with exactly two places such as "12.30"'
            " (finite, ASCII digits, no exponent, no sign on zero)"
        )
    return Decimal(value)


def _structure_fraction(value: object, _type: object) -> Fraction:
    if type(value) is not str:
        raise TypeError(
            f'a fraction must be text such as "51/100", not {_kind(value)} {_show(value)}'
        )
    match = _FRACTION_TEXT.fullmatch(value)
    if match is None:
        raise ValueError(
            f'{_show(value)} is not a fraction such as "51/100" with a positive denominator'
        )
    sign, numerator, denominator = match[1], int(match[2]), int(match[3])
    if gcd(numerator, denominator) != 1 or (sign and numerator == 0):
        canonical = Fraction(numerator, denominator)
        raise ValueError(
            f"{_show(value)} is not in lowest terms; write"
            f" {_unstructure_fraction(-canonical if sign else canonical)!r}"
        )
    return Fraction(-numerator if sign else numerator, denominator)


def _unstructure_fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _structure_date(value: object, _type: object) -> pendulum.Date:
    if type(value) is not str:
        raise TypeError(f"a date must be ISO text such as 2026-01-01, not {_show(value)}")
    if _DATE_TEXT.fullmatch(value):
        try:
            return pendulum.Date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{_show(value)} is not an ISO date such as 2026-01-01")


def _structure_datetime(value: object, _type: object) -> pendulum.DateTime:
    if type(value) is not str:
        raise TypeError(f"a time must be ISO 8601 text with an offset, not {_show(value)}")
    try:
        parsed = _dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{_show(value)} is not an ISO 8601 date and time") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"{_show(value)} has no UTC offset; naive times are ambiguous")
    result = pendulum.instance(parsed)
    canonical = result.isoformat()
    if canonical != value:
        raise ValueError(f"{_show(value)} is not in the canonical form; write {canonical!r}")
    return result


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


def _structure_duration(value: object, _type: object) -> pendulum.Duration:
    if type(value) is not str:
        raise TypeError(f"a duration must be ISO 8601 text such as P30D, not {_show(value)}")
    try:
        parsed = pendulum.parse(value) if len(value) <= 64 and value.isascii() else None
        canonical = _unstructure_duration(parsed) if isinstance(parsed, pendulum.Duration) else None
    except Exception:  # noqa: BLE001 - pendulum's parser raises several kinds on nonsense
        canonical = None
    if canonical is None:
        raise ValueError(f"{_show(value)} is not an ISO 8601 duration such as P30D")
    if canonical != value:
        raise ValueError(f"{_show(value)} is not in the canonical form; write {canonical!r}")
    assert isinstance(parsed, pendulum.Duration)
    return parsed


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
        if type(value) is not dict or set(value) != {"start", "end"}:
            raise TypeError(f'an interval must be {{"start": ..., "end": ...}}, not {_show(value)}')
        start = conv.structure(value["start"], endpoint)
        end = conv.structure(value["end"], endpoint)
        if end < start:
            raise ValueError(f"interval end {end} is before its start {start}")
        return pendulum.interval(start, end)

    return structure_interval


# --- collections -------------------------------------------------------------------

_SEQUENCES: Final = frozenset({tuple, list, AbcSequence, MutableSequence})
_SETS: Final = frozenset({frozenset, set, AbcSet, MutableSet})
_MAPPINGS: Final = frozenset({dict, Mapping, MutableMapping})


def _origin(cls: Any) -> Any:
    return typing.get_origin(cls) or cls


def _is_collection(cls: Any) -> bool:
    try:
        return _origin(cls) in _SEQUENCES or _origin(cls) in _SETS
    except TypeError:  # an unhashable type argument
        return False


def _is_mapping(cls: Any) -> bool:
    try:
        return _origin(cls) in _MAPPINGS
    except TypeError:
        return False


class _Unchecked(ValueError):
    """The count of items left unchecked after a collection's first problems (private)."""


def _note(exc: Exception, index: Any, kind: Any) -> Exception:
    """Attach the path of ``exc`` (its index or key) the way cattrs reads it."""
    exc.__notes__ = [
        *getattr(exc, "__notes__", []),
        IterableValidationNote(f"Structuring @ {index!r}", index, kind),
    ]
    return exc


_MORE: Final = re.compile(r"and ([0-9]+) more items? (?:was|were) not checked")


def _fail(errors: list[Exception], unchecked: int, cls: Any) -> None:
    """Raise the problems of a collection, saying how many items were left unchecked."""
    if unchecked:
        were = "item was" if unchecked == 1 else "items were"
        errors.append(
            _Unchecked(
                f"and {unchecked} more {were} not checked after the first {MAX_PROBLEMS} problems"
            )
        )
    if errors:
        raise IterableValidationError(f"While structuring {_name(cls)}", errors, cls)


def _sort_key(item: object) -> tuple[str, str]:
    if isinstance(item, enum.Enum):
        item = item.value
    return (type(item).__name__, json.dumps(item, sort_keys=True, default=str))


def _collection_structure_factory(cls: Any, conv: cattrs.Converter) -> Callable[[object, Any], Any]:
    origin = _origin(cls)
    args = typing.get_args(cls)
    is_set = origin in _SETS
    build: Callable[[list[Any]], Any] = (
        frozenset
        if origin in (frozenset, AbcSet)
        else set
        if is_set
        else tuple
        if origin in (tuple, AbcSequence)
        else list
    )
    fixed: tuple[Any, ...] | None = None
    member: Any = Any
    if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
        fixed = () if args == ((),) else args
    elif args:
        member = args[0]
    hooks: dict[Any, Callable[[object, Any], Any]] = {}

    def hook_for(kind: Any) -> Callable[[object, Any], Any]:
        hook = hooks.get(kind)
        if hook is None:
            hook = hooks[kind] = conv.get_structure_hook(kind)
        return hook

    def structure_collection(value: object, _type: Any) -> Any:
        if type(value) is not list:
            raise TypeError(
                f"expected a JSON list for {_name(cls)}, not {_kind(value)} {_show(value)}"
            )
        if fixed is not None and len(value) != len(fixed):
            raise ValueError(f"expected a list of {len(fixed)} items, not {len(value)}")
        items: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            kind = member if fixed is None else fixed[index]
            try:
                items.append(hook_for(kind)(item, kind))
            except Exception as exc:  # noqa: BLE001 - every item's problem is reported, with its index
                errors.append(_note(exc, index, kind))
                if len(errors) == MAX_PROBLEMS:
                    _fail(errors, len(value) - index - 1, cls)
        _fail(errors, 0, cls)
        if is_set:
            keys = [_sort_key(item) for item in value]
            for index, (before, after) in enumerate(itertools.pairwise(keys), start=1):
                if before >= after:
                    problem = "repeats a member" if before == after else "is out of order"
                    raise ValueError(
                        f"a set {problem} at index {index}: {_show(value[index])};"
                        " list each member once, in sorted order"
                    )
        return build(items)

    return structure_collection


def _mapping_structure_factory(cls: Any, conv: cattrs.Converter) -> Callable[[object, Any], Any]:
    args = typing.get_args(cls)
    key_type: Any = args[0] if args else Any
    value_type: Any = args[1] if len(args) > 1 else Any

    def structure_mapping(value: object, _type: Any) -> dict[Any, Any]:
        if type(value) is not dict:
            raise TypeError(f"expected a JSON object, not {_kind(value)} {_show(value)}")
        keys, values = conv.get_structure_hook(key_type), conv.get_structure_hook(value_type)
        result: dict[Any, Any] = {}
        errors: list[Exception] = []
        for position, (key, item) in enumerate(value.items()):
            try:
                result[keys(key, key_type)] = values(item, value_type)
            except Exception as exc:  # noqa: BLE001 - every entry's problem is reported, with its key
                errors.append(_note(exc, key, value_type))
                if len(errors) == MAX_PROBLEMS:
                    _fail(errors, len(value) - position - 1, cls)
        _fail(errors, 0, cls)
        return result

    return structure_mapping


def _attrs_structure_factory(cls: Any, conv: cattrs.Converter) -> Callable[[object, Any], Any]:
    """Wrap cattrs' own hook for an attrs class with a check that the data is an object."""
    inner = make_dict_structure_fn(cls, conv)

    def structure_object(value: object, _type: Any) -> Any:
        if type(value) is not dict:
            raise TypeError(
                f"expected a JSON object for {_name(cls)}, not {_kind(value)} {_show(value)}"
            )
        return inner(value, _type)

    return structure_object


def _frozenset_unstructure_factory(
    cls: Any, conv: cattrs.Converter
) -> Callable[[frozenset[Any]], list[Any]]:
    args = typing.get_args(cls)
    member: Any = args[0] if args else Any

    def unstructure_frozenset(value: frozenset[Any]) -> list[Any]:
        items = [conv.unstructure(item, unstructure_as=member) for item in value]
        return sorted(items, key=_sort_key)

    return unstructure_frozenset


def _is_frozenset(cls: Any) -> bool:
    return cls is frozenset or typing.get_origin(cls) is frozenset


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


# --- the converter -----------------------------------------------------------------


def configure_converter(conv: cattrs.Converter) -> None:
    """Register every grassroots hook on ``conv``, strict primitives included.

    Use this to add grassroots types to a converter you already have; most
    callers want the ready-made module-level
    [`converter`][grassroots.serialization.converter] instead. The hooks for
    ``int``, ``str``, ``bool``, enums, collections and mappings replace
    cattrs' coercing defaults on ``conv`` (see the wire contract above).
    """
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook_factory(_is_enum, _enum_structure_factory)
    conv.register_structure_hook_factory(attrs.has, lambda cls: _attrs_structure_factory(cls, conv))
    conv.register_structure_hook_factory(
        _is_collection, lambda cls: _collection_structure_factory(cls, conv)
    )
    conv.register_structure_hook_factory(
        _is_mapping, lambda cls: _mapping_structure_factory(cls, conv)
    )
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
    for configure in _wire.domain_configurers():
        configure(conv)


def make_converter() -> cattrs.Converter:
    """Return a fresh converter with every grassroots hook, refusing unknown keys."""
    conv = cattrs.Converter(forbid_extra_keys=True)
    configure_converter(conv)
    return conv


converter: cattrs.Converter
"""The library's converter; treat it as read-only.

Build your own with [`make_converter`][grassroots.serialization.make_converter].

Built on first use, so that importing this module does not import every
domain module.
"""

_LOCK: Final = threading.Lock()


def _library_converter() -> cattrs.Converter:
    built = globals().get("converter")
    if built is None:
        with _LOCK:
            built = globals().get("converter")
            if built is None:
                built = globals()["converter"] = make_converter()
    return typing.cast("cattrs.Converter", built)


def __getattr__(name: str) -> Any:
    if name == "converter":
        return _library_converter()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def unstructure(obj: object, *, conv: cattrs.Converter | None = None) -> Any:
    """Return ``obj`` as JSON-compatible data (dicts, lists, strings, ints, bools)."""
    return (conv or _library_converter()).unstructure(obj)


def structure(data: object, cls: type[T], *, conv: cattrs.Converter | None = None) -> T:
    """Build a ``cls`` from JSON-compatible ``data``, checking every rule on the way.

    Raises:
        SerializationError: the data does not describe a valid ``cls``; its
            ``problems`` list the problems with their paths (at most
            [`MAX_PROBLEMS`][grassroots.serialization.MAX_PROBLEMS], then how
            many more there were).

    Examples:
        >>> from decimal import Decimal
        >>> structure("520.00", Decimal)
        Decimal('520.00')
        >>> structure([True], tuple[int, ...])
        Traceback (most recent call last):
        ...
        grassroots.errors.SerializationError: cannot structure tuple: expected a JSON integer, ...
    """
    try:
        return (conv or _library_converter()).structure(data, cls)
    except SerializationError:
        raise
    except RecursionError as exc:
        raise _error(cls, [_TOO_DEEP]) from exc
    except BaseValidationError as exc:
        try:
            problems = cattrs.transform_error(exc, path="$", format_exception=_describe)
        except RecursionError:
            problems = [_TOO_DEEP]
        raise _error(cls, problems) from exc
    except Exception as exc:  # every problem in the input becomes ours
        raise _error(cls, [f"{_describe(exc, None)} @ $"]) from exc


_TOO_DEEP: Final = f"the data is nested too deeply (more than {MAX_DEPTH} levels) @ $"


def _error(cls: object, problems: list[str]) -> SerializationError:
    if len(problems) > MAX_PROBLEMS + 1 or (
        len(problems) == MAX_PROBLEMS + 1 and not _MORE.match(problems[-1])
    ):
        hidden = problems[MAX_PROBLEMS:]
        unchecked = sum(int(m[1]) for p in hidden if (m := _MORE.match(p)))
        more = sum(1 for p in hidden if not _MORE.match(p))
        tail = [f"{more} more problems"] if more else []
        if unchecked:
            tail.append(f"{unchecked} more items not checked")
        problems = [*problems[:MAX_PROBLEMS], f"and {', and '.join(tail)} @ $"]
    return SerializationError(
        f"cannot structure {_name(cls)}: " + "; ".join(problems), problems=tuple(problems)
    )


def _describe(exc: BaseException, _type: object) -> str:
    if isinstance(exc, KeyError):
        message = f"required field missing: {exc.args[0]}" if exc.args else "required field missing"
    elif isinstance(exc, cattrs.ForbiddenExtraKeysError):
        message = f"unknown keys {_show(sorted(exc.extra_fields))}"
    else:
        message = str(exc)
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


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


def _depth(tree: object) -> int:
    """Return how deeply the parsed ``tree`` nests lists and objects, up to ``MAX_DEPTH + 1``.

    Walks one level at a time without recursion, keeping only the containers of
    the next level: a wide document (a journal of a million strings) costs one
    type test per value, and a deep one stops at ``MAX_DEPTH + 1``.
    """
    level: list[Any] = [tree] if type(tree) is list or type(tree) is dict else []
    depth = 0
    while level and depth <= MAX_DEPTH:
        depth += 1
        level = [
            value
            for container in level
            for value in (container.values() if type(container) is dict else container)
            if type(value) is list or type(value) is dict
        ]
    return depth


def loads(text: str | bytes, cls: type[T], *, conv: cattrs.Converter | None = None) -> T:
    """Build a ``cls`` from JSON text.

    ``loads`` owns the data it parses, so the hooks may release parts of it as
    they are read: a points ledger's journal strings are freed one by one as the
    ledger is rebuilt. For the lowest peak memory on a large file, pass its
    bytes (``path.read_bytes()``): the text decoded from them is then freed as
    soon as it is parsed, where a ``str`` you pass stays alive in your hands.

    Raises:
        SerializationError: the text is not JSON, nests deeper than
            [`MAX_DEPTH`][grassroots.serialization.MAX_DEPTH], holds a number
            with a fraction or an exponent, ``NaN`` or ``Infinity``, or does
            not describe a valid ``cls``.

    Examples:
        >>> from grassroots.threshold import Threshold
        >>> loads("[" * 1000 + "]" * 1000, Threshold)
        Traceback (most recent call last):
        ...
        grassroots.errors.SerializationError: cannot read JSON: it nests more than 100 levels ...
    """
    if not isinstance(text, str | bytes | bytearray):
        raise TypeError(f"JSON text must be str or bytes, not {type(text).__name__}")
    try:
        data = _read(text)
    except RecursionError as exc:
        problem = f"it nests more than {MAX_DEPTH} levels deep @ $"
        raise SerializationError(f"cannot read JSON: {problem}", problems=(problem,)) from exc
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        problem = f"{_describe(exc, None)} @ $"
        raise SerializationError(f"cannot read JSON: {problem}", problems=(problem,)) from exc
    with _wire.owning(data):  # nobody else holds ``data``: hooks may release what they read
        return structure(data, cls, conv=conv)


def _read(text: str | bytes | bytearray) -> object:
    """Parse JSON text, refusing floats, constants and nesting deeper than ``MAX_DEPTH``.

    The parser itself stops a document nested deeper than the interpreter's
    recursion limit (``loads`` turns that ``RecursionError`` into our error);
    the depth of what it returns is checked after parsing.
    """
    if not isinstance(text, str):
        text = bytes(text).decode(json.detect_encoding(text))
    tree = json.loads(text, parse_float=_refuse_float, parse_constant=_refuse_constant)
    if _depth(tree) > MAX_DEPTH:
        raise ValueError(f"it nests more than {MAX_DEPTH} levels deep")
    return tree


def _refuse_float(text: str) -> object:
    raise ValueError(
        f"JSON number {text[:40]} has a fraction or an exponent; money and ratios travel"
        ' as text such as "12.30" or "51/100", counts as integers'
    )


def _refuse_constant(text: str) -> object:
    raise ValueError(f"JSON has no {text}; numbers must be finite")
