"""Terminal tables for people: the year report and the allocation (needs the ``cli`` extra).

rich is imported inside the functions, so importing
[`grassroots.reports`][grassroots.reports] does not need it.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING

from grassroots.allocation import PeriodAllocation, ProfitAllocation
from grassroots.reports._labels import Lang, check_lang, label
from grassroots.reports._tables import sections, title_text
from grassroots.reports._year import YearReport

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


def _rich() -> None:
    try:
        import rich  # noqa: F401
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError("text reports need rich: pip install 'grassroots[cli]'") from exc


def _console(width: int) -> Console:
    import io

    from rich.console import Console

    return Console(
        record=True,
        width=width,
        highlight=False,
        soft_wrap=True,
        color_system=None,
        file=io.StringIO(),
    )


def _fraction(value: Fraction | None) -> str:
    if value is None:
        return ""
    return f"{value.numerator}/{value.denominator}"


def allocation_tables(
    allocation: ProfitAllocation | PeriodAllocation | Iterable[PeriodAllocation],
    lang: Lang = "zh",
) -> list[Table]:
    """Return one rich ``Table`` per period of an allocation: every line with its rule.

    The columns: step (its Chinese term, or its English name), recipient,
    project, base, rate (exact), amount and the rule with its article. This is
    the table ``grassroots allocate`` prints.

    Args:
        allocation: A whole allocation, one period, or several periods.
        lang: ``"zh"`` (the default) or ``"en"``.

    Raises:
        ModuleNotFoundError: rich is not installed (the ``cli`` extra).
    """
    _rich()
    from rich.table import Table

    lang = check_lang(lang)
    if isinstance(allocation, ProfitAllocation):
        periods: tuple[PeriodAllocation, ...] = allocation.periods
    elif isinstance(allocation, PeriodAllocation):
        periods = (allocation,)
    else:
        periods = tuple(allocation)
    tables = []
    for period in periods:
        table = Table(
            title=f"{label('allocation', lang)} · {label('period', lang)} {period.period}"
            f" · {label('profit', lang)} {period.profit}"
        )
        for key in ("step", "recipient", "project", "base", "rate", "amount", "rule"):
            right = key in {"base", "rate", "amount"}
            table.add_column(label(key, lang), justify="right" if right else "left")
        for line in period.lines:
            table.add_row(
                label(f"step.{line.step.value}", lang),
                line.recipient,
                line.project or "",
                str(line.base),
                _fraction(line.rate),
                str(line.amount),
                line.rule,
            )
        tables.append(table)
    return tables


def allocation_text(
    allocation: ProfitAllocation | PeriodAllocation | Iterable[PeriodAllocation],
    lang: Lang = "zh",
    *,
    width: int = 160,
) -> str:
    """Return the tables of [`allocation_tables`][grassroots.reports.allocation_tables] as text.

    Raises:
        ModuleNotFoundError: rich is not installed (the ``cli`` extra).
    """
    console = _console(width)
    for table in allocation_tables(allocation, lang):
        console.print(table)
    return console.export_text()


def report_tables(report: YearReport, lang: Lang = "zh") -> list[object]:
    """Return the report as rich renderables: a title, then each section's tables."""
    _rich()
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    lang = check_lang(lang)
    out: list[object] = [Text(title_text(report, lang), style="bold")]
    for section in sections(report, lang):
        out.append(Rule(section.title, align="left"))
        for table in section.tables:
            if not table.columns:
                out.append(Text(f"{table.title}: {table.caption}"))
                continue
            shown = Table(title=table.title, caption=table.caption or None)
            for name, right in table.columns:
                shown.add_column(name, justify="right" if right else "left")
            for row in table.rows:
                shown.add_row(*row)
            out.append(shown)
        if section.note:
            out.append(Text(section.note))
    return out


def render_text(report: YearReport, lang: Lang = "zh", *, width: int = 120) -> str:
    """Return ``report`` as terminal tables, in Chinese (the default) or English.

    Figures have thousands separators (``188,750.00``); a section whose input
    was not given says so.

    Args:
        report: The report.
        lang: ``"zh"`` or ``"en"``.
        width: The width of the text, in terminal cells.

    Raises:
        ModuleNotFoundError: rich is not installed (the ``cli`` extra).
        ValueError: ``lang`` is not ``"zh"`` or ``"en"``.
    """
    if not isinstance(report, YearReport):
        raise TypeError(f"give a YearReport, not {type(report).__name__}")
    console = _console(width)
    for item in report_tables(report, lang):
        console.print(item)
    return console.export_text()
