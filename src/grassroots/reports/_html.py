"""The year report as one self-contained HTML file with inline SVG charts (private)."""

from __future__ import annotations

from html import escape

from grassroots.reports._labels import Lang, check_lang, label
from grassroots.reports._svg import points_svg, waterfall_svg
from grassroots.reports._tables import Section, Table, sections, title_text
from grassroots.reports._year import YearReport

FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",'
    ' "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif'
)
"""The CSS font stack: CJK fonts first, the ones shipped by each common system."""

_HTML_LANG = {"zh": "zh-CN", "en": "en"}

_STYLE = f"""
:root {{ color-scheme: light; }}
body {{ font-family: {FONT_STACK}; margin: 24px auto; max-width: 1100px; padding: 0 16px;
  color: #1b1b1b; background: #fff; line-height: 1.5; }}
h1 {{ font-size: 1.6rem; margin: 0 0 8px; }}
h2 {{ font-size: 1.25rem; border-bottom: 2px solid #2a9d8f; padding-bottom: 4px;
  margin-top: 28px; }}
h3 {{ font-size: 1.05rem; margin: 16px 0 6px; }}
figure {{ margin: 12px 0 20px; }}
figcaption {{ font-weight: 600; margin-bottom: 4px; }}
svg.chart text {{ font-family: {FONT_STACK}; fill: #1b1b1b; }}
table {{ border-collapse: collapse; margin: 6px 0 14px; font-size: 0.92rem; }}
caption {{ text-align: left; font-weight: 600; padding: 4px 0; white-space: nowrap; }}
th, td {{ border: 1px solid #d0d7de; padding: 4px 10px; }}
th {{ background: #f3f6f8; text-align: left; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
p.note {{ color: #555; font-style: italic; }}
p.caption {{ color: #333; margin-top: -8px; }}
"""


def _table(table: Table) -> str:
    if not table.columns:
        return f'<p class="note">{escape(table.title)}: {escape(table.caption)}</p>'
    right = [is_right for _, is_right in table.columns]
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name, _ in table.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{escape(cell)}</td>' if right[i] else f"<td>{escape(cell)}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in table.rows
    )
    caption = f'<p class="caption">{escape(table.caption)}</p>' if table.caption else ""
    return (
        f"<table><caption>{escape(table.title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>{caption}"
    )


def _section(section: Section) -> str:
    body = "".join(_table(table) for table in section.tables)
    note = f'<p class="note">{escape(section.note)}</p>' if section.note else ""
    return f'<section id="{section.key}"><h2>{escape(section.title)}</h2>{body}{note}</section>'


def _charts(report: YearReport, lang: Lang) -> str:
    figures: list[str] = []
    for v_index, venture in enumerate(report.ventures or ()):
        for p_index, period in enumerate(venture.periods):
            ident = f"waterfall-{v_index}-{p_index}"
            figures.append(
                f"<figure><figcaption>{escape(label('chart_waterfall', lang))} · "
                f"{escape(venture.name)} · {escape(period.period)}</figcaption>"
                f"{waterfall_svg(venture, period, lang, ident)}</figure>"
            )
    if report.points:
        figures.append(
            f"<figure><figcaption>{escape(label('chart_points', lang))}</figcaption>"
            f"{points_svg(report.points, lang, 'points-flows')}</figure>"
        )
    return "".join(figures)


def render_html(report: YearReport, lang: Lang = "zh") -> str:
    """Return ``report`` as one self-contained HTML page, in Chinese (the default) or English.

    The page needs no server, no network and no script: the styles are inline,
    with a CJK font stack, and the charts are inline SVG drawn by this library —
    the profit waterfall of each venture's period (each project's net profit,
    then the compounds' public revenue, the reserves and the shareholders, each
    bar labelled with its exact figure) and the points flows of each scheme.
    Each chart has a title and a description for screen readers.

    Args:
        report: The report.
        lang: ``"zh"`` or ``"en"``; also the page's ``lang`` attribute.

    Raises:
        ValueError: ``lang`` is not ``"zh"`` or ``"en"``.
    """
    if not isinstance(report, YearReport):
        raise TypeError(f"give a YearReport, not {type(report).__name__}")
    lang = check_lang(lang)
    title = title_text(report, lang)
    body = "".join(_section(section) for section in sections(report, lang))
    charts = _charts(report, lang)
    return (
        f'<!DOCTYPE html>\n<html lang="{_HTML_LANG[lang]}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(title)}</h1></header>\n<main>\n"
        f'<section id="charts">{charts}</section>\n{body}\n</main>\n</body>\n</html>\n'
    )
