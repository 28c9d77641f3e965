"""The command's groups and commands (needs the ``cli`` extra: click and rich)."""

from __future__ import annotations

import importlib
import json
import sys
import traceback
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from grassroots.cli._inputs import (
    BadInput,
    read_allocation,
    read_ledger,
    read_text,
    stored_findings,
    stored_ledger,
    verify_ledger,
)
from grassroots.cli._labels import LANGUAGES, Lang, label
from grassroots.cli._report import report
from grassroots.errors import GrassrootsError, ScenarioError, SerializationError
from grassroots.reports import allocation_tables

OK = 0
REFUSED = 1
BAD_INPUT = 2


class CheckFailed(Exception):
    """Raised when a check found a problem; its message names the first one."""


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True, width=200)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _serialization_line(exc: SerializationError) -> str:
    if not exc.problems:
        return _one_line(exc.message)
    more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
    return f"{_one_line(exc.problems[0])}{more}"


def _outcome(exc: Exception) -> tuple[int, str, bool] | None:
    """Return the exit code, the one-line message and whether a traceback helps."""
    outcome: tuple[int, str, bool] | None = None
    if isinstance(exc, click.UsageError):
        outcome = BAD_INPUT, f"{exc.format_message()} (see grassroots --help)", False
    elif isinstance(exc, click.Abort):
        outcome = REFUSED, "aborted", False
    elif isinstance(exc, click.ClickException):
        outcome = BAD_INPUT, exc.format_message(), True
    elif isinstance(exc, BadInput):
        outcome = BAD_INPUT, str(exc), True
    elif isinstance(exc, ScenarioError):
        listed = "".join(f"\n  - {_one_line(problem)}" for problem in exc.problems)
        outcome = BAD_INPUT, f"bad scenario: {len(exc.problems)} problems{listed}", True
    elif isinstance(exc, SerializationError):
        outcome = BAD_INPUT, f"bad input: {_serialization_line(exc)}", True
    elif isinstance(exc, CheckFailed):
        outcome = REFUSED, str(exc), False
    elif isinstance(exc, GrassrootsError):
        outcome = REFUSED, f"refused ({exc.code}): {_one_line(str(exc))}", True
    return outcome


def run(argv: Sequence[str]) -> int:
    """Run the command with ``argv`` and return its exit code (0, 1 or 2)."""
    debug = "--debug" in argv
    try:
        cli.main(args=list(argv), prog_name="grassroots", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except Exception as exc:
        outcome = _outcome(exc)
        if outcome is None:  # a bug, not a user's mistake: show it whole
            raise
        code, message, traceback_helps = outcome
        if debug and traceback_helps:
            traceback.print_exc(file=sys.stderr)
        sys.stderr.write(f"error: {message}\n")
        return code
    return OK


_LANG = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="zh",
    show_default=True,
    help="Language of the labels: zh (Chinese) or en (English).",
)
_FILE = click.option(
    "--file",
    "file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A JSON file.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Print the traceback of an error.")
@click.version_option(package_name="grassroots", prog_name="grassroots")
def cli(debug: bool) -> None:
    """Exact, typed rules for community self-governance and its small economy."""


# --- allocate ---------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    return str(value)


@cli.command()
@click.option(
    "--file",
    "file",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="JSON with the venture, its period figures and (optionally) the policy.",
)
@_LANG
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A table for people, or JSON for programs.",
)
def allocate(file: Path, lang: Lang, fmt: str) -> None:
    """Split a joint venture's profit: community share, reserves, dividends."""
    allocation = read_allocation(read_text(file))
    if fmt == "json":
        periods = [
            {
                "period": period.period,
                "profit": str(period.profit),
                "lines": [
                    {key: _text(value) for key, value in line.row().items()}
                    for line in period.lines
                ],
            }
            for period in allocation.periods
        ]
        click.echo(json.dumps({"periods": periods}, ensure_ascii=False, indent=2))
        return
    console = _console()
    for table in allocation_tables(allocation, lang):
        console.print(table)


# --- ledger -----------------------------------------------------------------------------


@cli.group()
def ledger() -> None:
    """Check a points ledger."""


_DB = click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A SQLite file written by grassroots.storage.sqlite.SqliteStore.",
)
_STREAM = click.option(
    "--stream",
    help="The stored stream, as COUNTY/COMMUNITY/NAME (with --db).",
)


@ledger.command()
@_FILE
@_DB
@_STREAM
@_LANG
def verify(file: Path | None, db: Path | None, stream: str | None, lang: Lang) -> None:
    """Check the hash chain and every invariant; name the first problem (exit 1)."""
    _one_source(file, db)
    if db is not None:
        where, count, head, findings = stored_findings(db, _stream_option(stream))
    elif file is not None:
        where = str(file)
        count, head, findings = verify_ledger(read_text(file))
    else:
        raise click.UsageError("give --file LEDGER.json, or --db PATH with --stream")
    if findings:
        first = findings[0]
        more = (
            f" ({label('more_problems', lang)}: {len(findings) - 1})" if len(findings) > 1 else ""
        )
        raise CheckFailed(
            f"{label('ledger_problem', lang)} {where}: {first.subject}: "
            f"{_one_line(first.message)} [{first.rule}]{more}"
        )
    click.echo(
        f"{label('ledger_ok', lang)}: {where}, {count} {label('entries', lang)},"
        f" {label('head', lang)} {head}"
    )


def _one_source(file: Path | None, db: Path | None) -> None:
    if file is not None and db is not None:
        raise click.UsageError("give --file or --db, not both")


def _stream_option(stream: str | None) -> tuple[str, str, str]:
    if stream is None:
        raise click.UsageError("--db needs --stream COUNTY/COMMUNITY/NAME")
    parts = stream.split("/")
    if len(parts) != 3 or not all(parts):
        raise click.UsageError(f"--stream {stream!r} is not COUNTY/COMMUNITY/NAME")
    return parts[0], parts[1], parts[2]


# --- export -----------------------------------------------------------------------------


@cli.command()
@_FILE
@_DB
@_STREAM
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["beancount", "csv", "json"]),
    default="json",
    show_default=True,
    help="Beancount for accountants, CSV for spreadsheets, JSON for programs.",
)
def export(file: Path | None, db: Path | None, stream: str | None, fmt: str) -> None:
    """Write a points ledger as Beancount, CSV or JSON on standard output."""
    _one_source(file, db)
    if db is not None:
        points = stored_ledger(db, _stream_option(stream))
    elif file is not None:
        points = read_ledger(read_text(file))
    else:
        raise click.UsageError("give --file LEDGER.json, or --db PATH with --stream")
    if fmt == "beancount":
        from grassroots.storage.export import to_beancount

        click.echo(to_beancount(points), nl=False)
    elif fmt == "csv":
        from grassroots.storage.export import to_csv

        click.echo(to_csv(points), nl=False)
    else:
        from grassroots.serialization import dumps

        click.echo(dumps(points, indent=2))


# --- scenario ---------------------------------------------------------------------------


@cli.group()
def scenario() -> None:
    """Check a scenario file (a county's organisation and its venture)."""


@scenario.command()
@click.argument("source")
@_LANG
def check(source: str, lang: Lang) -> None:
    """Check SOURCE (a TOML file, or a shipped scenario such as tancheng); summarise it."""
    from grassroots.scenarios import builtin, names, parse

    path = Path(source)
    if source in names() and not path.exists():
        text = builtin(source)
    elif not path.exists():
        shipped = ", ".join(names())
        raise BadInput(f"cannot read {source}: no such file, nor a shipped scenario ({shipped})")
    else:
        text = read_text(path)
    built = parse(text)
    county = built.county
    coverage = built.coverage()
    inventory = built.rooms_inventory()
    covered = sum(1 for line in coverage.lines if len(line.branch_ids) == 1)
    table = Table(title=f"{label('scenario', lang)} · {county.name}", show_header=False)
    table.add_column(label("kind", lang))
    table.add_column(label("count", lang), justify="right")
    rows: list[tuple[str, str]] = [
        (label("streets", lang), str(len(county.streets))),
        (label("communities", lang), str(len(county.communities))),
        (label("subcommunities", lang), str(len(county.subcommunities))),
        (label("buildings", lang), str(sum(len(s.buildings) for s in county.subcommunities))),
        (
            label("units", lang),
            str(sum(len(b.units) for s in county.subcommunities for b in s.buildings)),
        ),
        (label("branches", lang), str(len(built.branches))),
        (label("covered", lang), str(covered)),
        (label("uncovered", lang), str(len(coverage.lines) - covered)),
        (label("rooms", lang), str(inventory.rooms)),
        (label("area", lang), str(inventory.area)),
    ]
    if built.venture is not None:
        rows += [
            (label("venture", lang), built.venture.name),
            (label("state_share", lang), _text(built.venture.state_share())),
            (label("shareholders", lang), str(len(built.venture.holdings))),
            (label("projects", lang), str(len(built.venture.projects))),
        ]
    for row in rows:
        table.add_row(*row)
    _console().print(table)


cli.add_command(report)  # grassroots report: the year report (grassroots.cli._report)
cli.add_command(importlib.import_module("grassroots.cli._simulate").simulate_command)
