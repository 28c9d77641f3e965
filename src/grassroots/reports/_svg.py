"""Inline SVG charts drawn by our own code: the profit waterfall and the points flows (private).

Each chart is a horizontal bar chart, one row per bar: the label on the left,
the bar, and the exact figure with thousands separators on its right. Every
chart has a ``<title>`` and a ``<desc>`` (``role="img"``), and every bar its
own ``<title>``, so a screen reader reads the figures. The figures stay exact ``Decimal`` and
``int`` values; only the pixel positions of the bars are rounded.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from html import escape

from grassroots.allocation import Step
from grassroots.reports._format import money, number, share
from grassroots.reports._labels import Lang, label
from grassroots.reports._tables import names_of
from grassroots.reports._year import PeriodResult, SchemePoints, VentureResult

COLOURS = {
    "profit": "#457b9d",
    "loss": "#e76f51",
    "venture": "#1d3557",
    "community_share": "#2a9d8f",
    "reserve": "#264653",
    "dividend": "#e9c46a",
    "losses": "#f4a261",
    "retained": "#8d99ae",
    "issued": "#2a9d8f",
    "redeemed": "#e9c46a",
    "expired": "#e76f51",
    "outstanding": "#457b9d",
}
"""The colours of the bars, by what they show."""

_STEP_COLOUR = {
    Step.COMMUNITY_SHARE: "community_share",
    Step.LOSS_ABSORBED: "losses",
    Step.LOSS_CARRIED: "losses",
    Step.LOSS_COVERED: "losses",
    Step.RESERVE_COVERS_LOSS: "losses",
    Step.STATUTORY_RESERVE: "reserve",
    Step.DISCRETIONARY_RESERVE: "reserve",
    Step.DIVIDEND: "dividend",
    Step.RETAINED: "retained",
}

_ROW = 30
_BAR = 20
_TOP = 14
_WIDTH = 1000
_FONT = 13


def _text_width(text: str) -> int:
    """Estimate the width of ``text`` in pixels at the chart's font size."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return int((wide * 1.0 + (len(text) - wide) * 0.58) * _FONT) + 1


class _Bar:
    __slots__ = ("colour", "end", "label", "start", "value")

    def __init__(self, label: str, start: Decimal, end: Decimal, value: str, colour: str) -> None:
        self.label = label
        self.start = start
        self.end = end
        self.value = value
        self.colour = colour


def _chart(ident: str, title: str, desc: str, bars: list[_Bar], *, connectors: bool = False) -> str:
    label_width = min(max([_text_width(b.label) for b in bars] + [80]) + 16, 380)
    value_width = max([_text_width(b.value) for b in bars] + [60]) + 16
    plot = _WIDTH - label_width - value_width - 8
    low = min([Decimal(0)] + [min(b.start, b.end) for b in bars])
    high = max([Decimal(0)] + [max(b.start, b.end) for b in bars])
    span = (high - low) or Decimal(1)

    def x(value: Decimal) -> float:
        return round(label_width + float((value - low) / span) * plot, 1)

    height = _TOP * 2 + _ROW * len(bars)
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{ident}" role="img"'
            f' viewBox="0 0 {_WIDTH} {height}" width="100%"'
            f' aria-labelledby="{ident}-title {ident}-desc">'
        ),
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]
    zero = x(Decimal(0))
    parts.append(
        f'<line x1="{zero}" y1="{_TOP - 6}" x2="{zero}" y2="{height - _TOP + 6}"'
        ' stroke="#333" stroke-width="1"/>'
    )
    for row, bar in enumerate(bars):
        top = _TOP + row * _ROW
        left, right = sorted((x(bar.start), x(bar.end)))
        width = max(right - left, 1.0)
        middle = top + _BAR / 2 + _FONT / 2 - 2
        parts.append(
            f'<g class="bar"><title>{escape(bar.label)}: {escape(bar.value)}</title>'
            f'<text x="{label_width - 8}" y="{middle}" text-anchor="end"'
            f' font-size="{_FONT}">{escape(bar.label)}</text>'
            f'<rect x="{left}" y="{top}" width="{round(width, 1)}" height="{_BAR}"'
            f' fill="{bar.colour}"/>'
            f'<text x="{round(left + width + 6, 1)}" y="{middle}" font-size="{_FONT}"'
            f' class="value">{escape(bar.value)}</text></g>'
        )
        if connectors and row + 1 < len(bars):  # a waterfall's line to the next bar
            parts.append(
                f'<line x1="{x(bar.end)}" y1="{top + _BAR}" x2="{x(bar.end)}"'
                f' y2="{top + _ROW}" stroke="#999" stroke-dasharray="2 2"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def waterfall_bars(
    period: PeriodResult, lang: Lang, names: dict[str, str] | None = None
) -> list[tuple[str, Decimal, Decimal, Decimal, str]]:
    """Return the waterfall's bars: (label, start, end, amount, colour key), all exact.

    Each project's net profit adds to the running total, then what is outside
    the projects; a full bar shows the venture's profit; then each allocation
    line takes its amount out (a loss carried puts it back), down to zero.
    Lines of zero yuan are left out.
    """
    bars: list[tuple[str, Decimal, Decimal, Decimal, str]] = []
    running = Decimal("0.00")
    for project in period.projects:
        after = running + project.net_profit
        colour = "profit" if project.net_profit >= 0 else "loss"
        bars.append((project.name, running, after, project.net_profit, colour))
        running = after
    if period.other_profit:
        after = running + period.other_profit
        bars.append(
            (
                label("other_profit", lang),
                running,
                after,
                period.other_profit,
                "profit" if period.other_profit >= 0 else "loss",
            )
        )
        running = after
    bars.append(
        (label("venture_profit", lang), Decimal("0.00"), period.profit, period.profit, "venture")
    )
    for flow in period.flows:
        if flow.amount == 0 or flow.step is Step.RESERVE_COVERS_LOSS:
            continue
        step = label(f"step.{flow.step.value}", lang)
        if flow.step is Step.COMMUNITY_SHARE and flow.rate is not None:
            step = f"{step} {share(flow.rate)}"  # the case's 10%
        named = flow.step in (Step.COMMUNITY_SHARE, Step.DIVIDEND)
        who = (names or {}).get(flow.recipient, flow.recipient)
        text = f"{step} · {who}" if named else step
        after = running - flow.amount
        bars.append((text, running, after, flow.amount, _STEP_COLOUR[flow.step]))
        running = after
    return bars


def waterfall_svg(venture: VentureResult, period: PeriodResult, lang: Lang, ident: str) -> str:
    """Return the profit waterfall of one period of a venture as inline SVG."""
    bars = [
        _Bar(text, start, end, money(amount), COLOURS[colour])
        for text, start, end, amount, colour in waterfall_bars(period, lang, names_of(venture))
    ]
    title = (
        f"{label('chart_waterfall', lang)} · {venture.name} · {label('period', lang)}"
        f" {period.period} · {label('venture_profit', lang)} {money(period.profit)}"
        f" {label('yuan', lang)}"
    )
    return _chart(ident, title, label("chart_waterfall_desc", lang), bars, connectors=True)


def points_svg(schemes: tuple[SchemePoints, ...], lang: Lang, ident: str) -> str:
    """Return the points flows of every scheme (issued, redeemed, expired, outstanding) as SVG."""
    bars = []
    for scheme in schemes:
        for key in ("issued", "redeemed", "expired", "outstanding"):
            value: int = getattr(scheme, key)
            bars.append(
                _Bar(
                    f"{scheme.name} · {label(key, lang)}",
                    Decimal(0),
                    Decimal(value),
                    number(value),
                    COLOURS[key],
                )
            )
    title = f"{label('chart_points', lang)} ({label('points_unit', lang)})"
    return _chart(ident, title, label("chart_points_desc", lang), bars)
