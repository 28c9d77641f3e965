"""Report values as tables: rows to an HTML table and to a pandas DataFrame (private).

Every report value of the library (statements, scheme totals, coverage,
inventories, settlements, deliberation reports, loop reports) gives its rows
as plain dicts of exact values and describes its columns with
[`Column`][grassroots._tabular.Column]; this module turns them into the
``_repr_html_`` a notebook shows and the frame ``to_dataframe()`` returns.

The dtypes of a frame (see docs/explanation/money-and-rounding.md):

- money and areas (``Column.kind == "decimal"``) stay ``decimal.Decimal``
  values in an ``object`` column: exact to the fen, and ``sum()`` and
  ``groupby().sum()`` add them as ``Decimal``;
- points and counts (``"int"``) are pandas' nullable ``Int64``, so a missing
  value is ``<NA>`` and never turns the column into floats; yes/no columns
  (``"flag"``) are the nullable ``boolean``;
- text, enums (as their values), ids, fractions and times keep their Python
  values (``"text"``, ``"fraction"``, ``"time"``; pandas reads aware times as
  ``datetime64`` with their zone).

pandas is imported only inside [`dataframe`][grassroots._tabular.dataframe],
so importing the library never imports it.
"""

from __future__ import annotations

import datetime as _dt
import enum
import html
import importlib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import attrs

Kind = Literal["text", "int", "decimal", "fraction", "time", "flag"]
"""How a column's values are shown and typed."""

_NUMERIC: frozenset[str] = frozenset({"int", "decimal", "fraction"})


@attrs.frozen
class Column:
    """One column of a report table.

    Args:
        key: The row key and the DataFrame's column name (English, stable).
        zh: The Chinese heading shown above the key in HTML.
        kind: How its values are typed and shown.
    """

    key: str
    zh: str
    kind: Kind = "text"


@attrs.frozen
class Table:
    """One HTML table: a caption, its columns and rows, and notes below it."""

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Mapping[str, object], ...]
    notes: tuple[str, ...] = ()


def cell(value: object) -> str:  # noqa: PLR0911 - one return per kind of value
    """Return ``value`` as the text of a cell: thousands separators, exact figures.

    Examples:
        >>> cell(Decimal("52000.00")), cell(1234), cell(Fraction(1, 10)), cell(None)
        ('52,000.00', '1,234', '1/10', '')
        >>> cell(("b1", "b2")), cell(True)
        ('b1、b2', '是 yes')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    if isinstance(value, int | Decimal):
        return f"{value:,}"
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "、".join(cell(item) for item in value)
    return str(value)


def html_tables(tables: Iterable[Table], *, name: str) -> str:
    """Return the tables as one HTML fragment, every text escaped.

    Args:
        tables: The tables, in order.
        name: The report's kind, used in the ``grassroots-<name>`` CSS class.
    """
    parts = [f'<div class="grassroots-{html.escape(name, quote=True)}">']
    for table in tables:
        parts.append(f"<table><caption>{html.escape(table.caption)}</caption><thead><tr>")
        parts.extend(
            f"<th>{html.escape(column.zh)}<br><small>{html.escape(column.key)}</small></th>"
            for column in table.columns
        )
        parts.append("</tr></thead><tbody>")
        for row in table.rows:
            parts.append("<tr>")
            for column in table.columns:
                align = "right" if column.kind in _NUMERIC else "left"
                text = html.escape(cell(row.get(column.key)))
                parts.append(f'<td style="text-align:{align}">{text}</td>')
            parts.append("</tr>")
        parts.append("</tbody></table>")
        parts.extend(f"<p>{html.escape(note)}</p>" for note in table.notes)
    parts.append("</div>")
    return "".join(parts)


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(
            "to_dataframe() needs pandas: pip install 'grassroots[notebook]'"
        ) from exc


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    return value


def dataframe(rows: Sequence[Mapping[str, object]], columns: Sequence[Column]) -> Any:
    """Return ``rows`` as a ``pandas.DataFrame`` with the dtypes of the module docstring.

    Raises:
        ModuleNotFoundError: pandas is not installed (the ``notebook`` extra).
    """
    pandas = _pandas()
    data: dict[str, Any] = {}
    for column in columns:
        values = [_plain(row.get(column.key)) for row in rows]
        if column.kind == "int":
            data[column.key] = pandas.array(values, dtype="Int64")
        elif column.kind == "flag":
            data[column.key] = pandas.array(values, dtype="boolean")
        elif column.kind == "time":
            data[column.key] = pandas.Series(values, dtype=None if values else "object")
        else:
            data[column.key] = pandas.Series(values, dtype="object")
    return pandas.DataFrame(data, columns=[column.key for column in columns])
