"""``grassroots report``: the year report of a stored simulation, as text, JSON or HTML."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

import click

from grassroots.cli._inputs import BadInput, check_db, open_store
from grassroots.reports import (
    LANGUAGES,
    YearReport,
    render_html,
    render_json,
    render_text,
)
from grassroots.reports._labels import check_lang

FORMATS = ("text", "json", "html")
"""The formats of ``grassroots report``."""


def stored_report(db: str) -> YearReport:
    """Return the year report of the simulation stored in ``db``.

    The simulation's ``load(store)`` rebuilds the year; its ``report_inputs()``
    are the keyword arguments of
    [`YearReport.build`][grassroots.reports.YearReport.build].

    Raises:
        BadInput: the database cannot be read, or the simulation is not installed.
    """
    check_db(db)
    if importlib.util.find_spec("grassroots.simulation") is None:
        raise BadInput("grassroots report --db needs grassroots.simulation, which is missing")
    simulation: Any = importlib.import_module("grassroots.simulation")
    store = open_store(db)
    with store:
        year = simulation.load(store)
    return YearReport.build(**year.report_inputs())


def render(report: YearReport, fmt: str, lang: str) -> str:
    """Return ``report`` in ``fmt`` (text, json or html) and ``lang``."""
    chosen = check_lang(lang)
    if fmt == "json":
        return render_json(report) + "\n"
    if fmt == "html":
        return render_html(report, chosen)
    return render_text(report, chosen)


@click.command()
@click.option(
    "--db",
    required=True,
    help="The stored year: a SQLite file, or a postgresql:// URL.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="zh",
    show_default=True,
    help="Language of the report: zh (Chinese) or en (English).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Tables for people, JSON for programs, or one HTML page with charts.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, writable=True),
    help="Write the report to this file instead of standard output.",
)
def report(db: str, lang: str, fmt: str, output: Path | None) -> None:
    """Report a stored year: coverage, rooms, venture, points, funds, suggestions, meetings."""
    text = render(stored_report(db), fmt, lang)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"cannot write {output}: {exc.strerror or exc}") from exc
