"""A year report as titled tables of text, shared by the text and the HTML renderers (private)."""

from __future__ import annotations

from decimal import Decimal

import attrs

from grassroots.allocation import Step
from grassroots.reports._format import hours, money, number, share
from grassroots.reports._labels import Lang, label
from grassroots.reports._year import VentureResult, YearReport


@attrs.frozen
class Table:
    """One table: a title, its columns (label, right-aligned) and its rows of text."""

    title: str
    columns: tuple[tuple[str, bool], ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@attrs.frozen
class Section:
    """One section of the report: a key, a title, its tables, or a note saying why none."""

    key: str
    title: str
    tables: tuple[Table, ...] = ()
    note: str = ""


def period_text(report: YearReport, lang: Lang) -> str:
    """Return the report's period, or that none was given."""
    if report.first_day is None and report.last_day is None:
        return label("no_period", lang)
    first = "…" if report.first_day is None else str(report.first_day)
    last = "…" if report.last_day is None else str(report.last_day)
    return f"{first} – {last}"


def title_text(report: YearReport, lang: Lang) -> str:
    """Return the report's title: the county, the words and the period."""
    return f"{report.county_name} {label('year_report', lang)} · {period_text(report, lang)}"


def _pairs(title: str, pairs: list[tuple[str, str]], lang: Lang) -> Table:
    return Table(
        title=title,
        columns=((label("kind", lang), False), (label("count", lang), True)),
        rows=tuple(pairs),
    )


def _coverage(report: YearReport, lang: Lang) -> Section:
    c = report.coverage
    verdict = label("complete" if c.complete else "incomplete", lang)
    rows = [
        (label("branches", lang), number(c.branches)),
        (label("subcommunities", lang), number(c.subcommunities)),
        (label("covered", lang), number(c.covered)),
        (label("uncovered", lang), number(len(c.uncovered))),
        (label("doubly_covered", lang), number(len(c.doubly_covered))),
    ]
    if c.outside:
        rows.append((label("outside", lang), number(c.outside)))
    tables = [_pairs(verdict, rows, lang)]
    if c.secretary_sources:
        tables.append(
            Table(
                title=label("secretary_source", lang),
                columns=(
                    (label("secretary_source", lang), False),
                    (label("secretaries", lang), True),
                ),
                rows=tuple(
                    (label(f"source.{s.source.value}", lang), number(s.secretaries))
                    for s in c.secretary_sources
                ),
            )
        )
    note = ""
    if c.uncovered:
        note = f"{label('uncovered', lang)}: {', '.join(c.uncovered)}"
    return Section("coverage", label("coverage", lang), tuple(tables), note)


def _rooms(report: YearReport, lang: Lang) -> Section:
    r = report.rooms
    rows = [
        (label(f"room.{t.status.value}", lang), number(t.rooms), money(t.area)) for t in r.by_status
    ]
    rows.append((label("total", lang), number(r.rooms), money(r.area)))
    table = Table(
        title=f"{label('handed_over_or_beyond', lang)}: {number(r.handed_over)}",
        columns=(
            (label("status", lang), False),
            (label("room_count", lang), True),
            (label("area", lang), True),
        ),
        rows=tuple(rows),
    )
    return Section("rooms", label("rooms", lang), (table,))


def names_of(v: VentureResult) -> dict[str, str]:
    """Return the names of a venture's compounds and shareholders, by id."""
    names = {c.subcommunity: c.name for c in v.public_revenue}
    names.update({d.shareholder: d.name for d in v.dividends})
    return names


def flow_recipient(step: Step, recipient: str, names: dict[str, str]) -> str:
    """Return who received a flow: a compound's or shareholder's name; blank for an account."""
    if step in (Step.COMMUNITY_SHARE, Step.DIVIDEND):
        return names.get(recipient, recipient)
    return ""


def _venture_tables(v: VentureResult, lang: Lang) -> list[Table]:
    tables: list[Table] = []
    names = names_of(v)
    head = f"{v.name} · {label('state_share', lang)} {share(v.state_share)}"
    for period in v.periods:
        rows = [
            (
                p.name,
                names.get(p.subcommunity, p.subcommunity),
                money(p.net_profit),
                money(p.public_revenue),
            )
            for p in period.projects
        ]
        rows.append((label("other_profit", lang), "", money(period.other_profit), ""))
        rows.append(
            (
                label("venture_profit", lang),
                "",
                money(period.profit),
                money(sum((p.public_revenue for p in period.projects), Decimal("0.00"))),
            )
        )
        tables.append(
            Table(
                title=f"{head} · {label('period', lang)} {period.period}",
                columns=(
                    (label("project", lang), False),
                    (label("subcommunity", lang), False),
                    (label("net_profit", lang), True),
                    (label("public_revenue", lang), True),
                ),
                rows=tuple(rows),
            )
        )
        flows = tuple(
            (
                label(f"step.{f.step.value}", lang),
                flow_recipient(f.step, f.recipient, names),
                money(f.amount),
            )
            for f in period.flows
        )
        tables.append(
            Table(
                title=f"{label('allocation', lang)} · {label('period', lang)} {period.period}",
                columns=(
                    (label("step", lang), False),
                    (label("recipient", lang), False),
                    (label("amount", lang), True),
                ),
                rows=flows,
                caption=f"{label('closing_loss', lang)}: {money(period.loss_carried)}",
            )
        )
    if not v.periods:
        tables.append(Table(title=head, columns=(), rows=(), caption=label("no_periods", lang)))
    tables.append(
        Table(
            title=f"{v.name} · {label('public_revenue_by_compound', lang)}",
            columns=(
                (label("subcommunity", lang), False),
                (label("public_revenue", lang), True),
            ),
            rows=tuple((f"{c.name} ({c.subcommunity})", money(c.amount)) for c in v.public_revenue),
        )
    )
    tables.append(
        Table(
            title=f"{v.name} · {label('dividends', lang)}",
            columns=((label("shareholder", lang), False), (label("dividends", lang), True)),
            rows=(
                *((d.name, money(d.amount)) for d in v.dividends),
                (label("step.statutory_reserve", lang), money(v.statutory_reserve)),
                (label("step.discretionary_reserve", lang), money(v.discretionary_reserve)),
            ),
        )
    )
    return tables


def _ventures(report: YearReport, lang: Lang) -> Section:
    title = label("ventures", lang)
    if report.ventures is None:
        return Section("ventures", title, note=label("absent", lang))
    tables = [t for v in report.ventures for t in _venture_tables(v, lang)]
    return Section("ventures", title, tuple(tables), "" if tables else label("absent", lang))


def _points(report: YearReport, lang: Lang) -> Section:
    title = label("points", lang)
    if report.points is None:
        return Section("points", title, note=label("absent", lang))
    keys = ("issued", "redeemed", "expired", "outstanding", "exchanged_in", "exchanged_out")
    table = Table(
        title=title,
        columns=((label("scheme", lang), False), *((label(k, lang), True) for k in keys)),
        rows=tuple(
            (f"{s.name} ({s.scheme})", *(number(getattr(s, k)) for k in keys))
            for s in report.points
        ),
    )
    return Section("points", title, (table,), "" if report.points else label("absent", lang))


def _funds(report: YearReport, lang: Lang) -> Section:
    title = label("funds", lang)
    f = report.funds
    if f is None:
        return Section("funds", title, note=label("absent", lang))
    tables = []
    notes = []
    if f.funds:
        tables.append(
            Table(
                title=label("fund", lang),
                columns=(
                    (label("fund", lang), False),
                    (label("subcommunity", lang), False),
                    (label("deposited", lang), True),
                    (label("discounts", lang), True),
                    (label("returned", lang), True),
                    (label("balance", lang), True),
                ),
                rows=tuple(
                    (
                        line.name,
                        line.subcommunity,
                        money(line.deposited),
                        money(line.discounts),
                        money(line.returned),
                        money(line.balance),
                    )
                    for line in f.funds
                ),
            )
        )
    else:
        notes.append(label("no_funds", lang))
    if f.settlements:
        tables.append(
            Table(
                title=label("settlements", lang),
                columns=(
                    (label("settlement_period", lang), False),
                    (label("merchants", lang), True),
                    (label("receipts", lang), True),
                    (label("points_settled", lang), True),
                    (label("discounts", lang), True),
                    (label("fund_owes", lang), True),
                    (label("merchant_absorbs", lang), True),
                    (label("merchant_owes", lang), True),
                ),
                rows=tuple(
                    (
                        f"{s.start.to_date_string()} – {s.end.to_date_string()}",
                        number(s.merchants),
                        number(s.receipts),
                        number(s.points),
                        money(s.discounts),
                        money(s.fund_owes),
                        money(s.merchant_absorbs),
                        money(s.merchant_owes),
                    )
                    for s in f.settlements
                ),
            )
        )
    else:
        notes.append(label("no_settlements", lang))
    return Section("funds", title, tuple(tables), "; ".join(notes))


def _suggestions(report: YearReport, lang: Lang) -> Section:
    title = label("suggestions", lang)
    s = report.suggestions
    if s is None:
        return Section("suggestions", title, note=label("absent", lang))
    if not s.recorded:
        return Section("suggestions", title, note=label("none_in_period", lang))
    rows = [(label(f"stage.{c.stage.value}", lang), number(c.count)) for c in s.by_stage]
    rows.append((label("recorded", lang), number(s.recorded)))
    tables = [
        Table(
            title=title,
            columns=((label("stage", lang), False), (label("count", lang), True)),
            rows=tuple(rows),
            caption=f"{label('settled_in_compound_share', lang)}: "
            f"{share(s.settled_in_compound_share)}",
        )
    ]
    if s.by_outcome:
        tables.append(
            Table(
                title=label("outcome", lang),
                columns=((label("outcome", lang), False), (label("count", lang), True)),
                rows=tuple(
                    (label(f"outcome.{c.outcome.value}", lang), number(c.count))
                    for c in s.by_outcome
                ),
            )
        )
    return Section("suggestions", title, tuple(tables))


def _meetings(report: YearReport, lang: Lang) -> Section:
    title = label("meetings", lang)
    if report.meetings is None:
        return Section("meetings", title, note=label("absent", lang))
    if not report.meetings:
        return Section("meetings", title, note=label("none_in_period", lang))
    table = Table(
        title=title,
        columns=(
            (label("series", lang), False),
            (label("kind", lang), False),
            (label("held", lang), True),
            (label("scheduled", lang), True),
        ),
        rows=tuple(
            (
                m.name,
                label(f"series.{m.kind.value}", lang),
                number(m.held),
                "—" if m.scheduled is None else number(m.scheduled),
            )
            for m in report.meetings
        ),
    )
    return Section("meetings", title, (table,))


def _mailbox(report: YearReport, lang: Lang) -> Section:
    title = label("mailbox", lang)
    m = report.mailbox
    if m is None:
        return Section("mailbox", title, note=label("absent", lang))
    if not m.received:
        return Section("mailbox", title, note=label("none_in_period", lang))
    rows = [
        (label("received", lang), number(m.received)),
        (label("answered", lang), number(m.answered)),
        (label("answered_on_time", lang), number(m.answered_on_time)),
        (label("on_time_share", lang), share(m.on_time_share)),
        (label("overdue", lang), number(m.overdue)),
        (
            f"{label('median_answer', lang)} ({label('hours', lang)})",
            hours(m.median_answer_seconds),
        ),
    ]
    as_of = f"{label('as_of', lang)} {m.as_of.in_timezone('Asia/Shanghai').to_date_string()}"
    return Section("mailbox", title, (_pairs(f"{title} · {as_of}", rows, lang),))


def sections(report: YearReport, lang: Lang) -> tuple[Section, ...]:
    """Return every section of ``report`` in the order of the issue's list."""
    return (
        _coverage(report, lang),
        _rooms(report, lang),
        _ventures(report, lang),
        _points(report, lang),
        _funds(report, lang),
        _suggestions(report, lang),
        _meetings(report, lang),
        _mailbox(report, lang),
    )
