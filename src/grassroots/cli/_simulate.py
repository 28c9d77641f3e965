"""``grassroots simulate``: run a scenario's year, store it, and print what it did."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Final

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from grassroots.cli._inputs import URL_PREFIXES, BadInput, open_store, read_text
from grassroots.cli._labels import LANGUAGES, Lang
from grassroots.ledger import GENESIS
from grassroots.programme import MovementKind
from grassroots.simulation import Year, save, simulate
from grassroots.storage import Stream

_WORDS: Final[dict[str, tuple[str, str]]] = {
    "title": ("模拟年度", "simulated year"),
    "period": ("期间", "period"),
    "events": ("事件", "events"),
    "entries": ("账本记录", "ledger entries"),
    "issued": ("发放积分", "points issued"),
    "redeemed": ("兑换积分", "points redeemed"),
    "exchanged": ("转出 / 转入积分", "points exchanged out / in"),
    "outstanding": ("未用积分", "points outstanding"),
    "receipts": ("兑换笔数", "redemptions"),
    "discounts": ("抵扣金额(元)", "discounts (yuan)"),
    "public_revenue": ("小区公共收益(元)", "public revenue (yuan)"),
    "funds": ("公共收益余额(元)", "public revenue held (yuan)"),
    "settlements": ("结算次数", "settlements"),
    "suggestions": ("居民建议", "suggestions"),
    "done": ("已办结", "implemented"),
    "meetings": ("议事会议", "meetings held"),
    "messages": ("微愿留言", "mailbox messages"),
    "on_time": ("按时答复", "answered on time"),
    "refusals": ("被规则拒绝", "refused by a rule"),
    "stored": ("已保存", "stored in"),
    "months": ("月", "months"),
}


def _word(key: str, lang: Lang) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def _scenario_text(source: str) -> str:
    from grassroots.scenarios import builtin, names

    path = Path(source)
    if source in names() and not path.exists():
        return builtin(source)
    if not path.exists():
        shipped = ", ".join(names())
        raise BadInput(f"cannot read {source}: no such file, nor a shipped scenario ({shipped})")
    return read_text(path)


def _print_year(year: Year, lang: Lang) -> None:
    """Print the simulation's own figures (events, entries, refusals, totals)."""
    ledger = year.programme.ledger
    totals = [ledger.totals(s.code, at=year.last_moment) for s in ledger.schemes]
    receipts = year.programme.receipts
    funds = year.programme.funds
    revenue = sum(
        (
            m.amount
            for fund in funds
            for m in fund.movements
            if m.kind is MovementKind.DEPOSIT and m.reference != "opening"
        ),
        Decimal("0.00"),
    )
    report = year.mailbox_report()
    start, end = year.period
    table = Table(title=f"{_word('title', lang)} · {year.scenario.county.name}", show_header=False)
    table.add_column("")
    table.add_column("", justify="right")
    rows: list[tuple[str, str]] = [
        (
            _word("period", lang),
            (
                f"{start.to_date_string()} – {end.subtract(days=1).to_date_string()}"
                f" ({year.months} {_word('months', lang)})"
            ),
        ),
        (_word("events", lang), f"{year.events:,}"),
        (_word("entries", lang), f"{len(ledger.journal):,}"),
    ]
    for line in totals:
        name = next(s.name for s in ledger.schemes if s.code == line.scheme) or line.scheme
        rows += [
            (f"{_word('issued', lang)} · {name}", f"{line.issued:,}"),
            (f"{_word('redeemed', lang)} · {name}", f"{line.redeemed:,}"),
            (
                f"{_word('exchanged', lang)} · {name}",
                f"{line.exchanged_out:,} / {line.exchanged_in:,}",
            ),
            (f"{_word('outstanding', lang)} · {name}", f"{line.outstanding:,}"),
        ]
    rows += [
        (_word("receipts", lang), f"{len(receipts):,}"),
        (_word("discounts", lang), f"{sum((r.discount for r in receipts), Decimal('0.00')):,}"),
        (_word("public_revenue", lang), f"{revenue:,}"),
        (_word("funds", lang), f"{sum((f.balance for f in funds), Decimal('0.00')):,}"),
        (_word("settlements", lang), f"{len(year.settlements):,}"),
    ]
    if year.pipeline is not None:
        done = sum(1 for s in year.suggestions if s.stage.value == "done")
        rows += [
            (_word("suggestions", lang), f"{len(year.suggestions):,}"),
            (_word("done", lang), f"{done:,}"),
            (_word("meetings", lang), f"{len(year.meeting_records):,}"),
        ]
    rows += [
        (_word("messages", lang), f"{report.received:,}"),
        (_word("on_time", lang), f"{report.answered_on_time:,} / {report.answered:,}"),
        (_word("refusals", lang), f"{len(year.refusals):,}"),
    ]
    for row in rows:
        table.add_row(*row)
    Console(highlight=False, soft_wrap=True, width=200).print(table)


def _print_report(year: Year, lang: Lang) -> None:
    """Print the year's report (the one ``grassroots report --db`` gives) on standard output."""
    from grassroots.reports import YearReport, render_text

    report = YearReport.build(**year.report_inputs())  # type: ignore[arg-type]
    click.echo(render_text(report, lang))


@click.command(name="simulate")
@click.argument("source")
@click.option(
    "--months",
    type=click.IntRange(1, 120),
    default=12,
    show_default=True,
    help="How many months to simulate.",
)
@click.option(
    "--seed", type=click.IntRange(0), help="The seed of the draws (the scenario's own by default)."
)
@click.option(
    "--db",
    help="Where to store the year: a SQLite file (SOURCE.sqlite here by default) or a"
    " postgresql:// URL.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="zh",
    show_default=True,
    help="Language of the labels: zh (Chinese) or en (English).",
)
def simulate_command(
    source: str, months: int, seed: int | None, db: str | None, lang: Lang
) -> None:
    """Simulate SOURCE's year (a shipped scenario such as tancheng, or a TOML file) and store it."""
    from grassroots.scenarios import parse

    scenario = parse(_scenario_text(source))
    if scenario.year is None:
        raise BadInput(f"scenario {source} has no [year] model to simulate")
    target = db if db is not None else f"{Path(source).stem}.sqlite"
    points = Stream(county=scenario.county.id, community="simulation", name="points")
    if target.startswith(URL_PREFIXES) or Path(target).exists():
        store = open_store(target, create=True)
        try:
            if store.head(points) != GENESIS:
                raise BadInput(
                    f"{target} already holds a simulated year of {scenario.county.id};"
                    " remove it or give another --db"
                )
        finally:
            store.close()
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task(f"{scenario.county.name} · {_word('months', lang)}", total=months)
        year = simulate(
            scenario,
            months=months,
            seed=seed,
            progress=lambda done, _all: bar.update(task, completed=done),
        )
    store = open_store(target, create=True)
    try:
        save(year, store)
    finally:
        store.close()
    _print_year(year, lang)
    _print_report(year, lang)
    click.echo(f"{_word('stored', lang)}: {target}")
