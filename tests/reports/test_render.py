"""The renderers: labels in both languages, exact JSON, rich text, one self-contained HTML page."""

from __future__ import annotations

import importlib
import itertools
import json
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from _world import allocation, scenario, year_report
from hypothesis import given
from hypothesis import strategies as st

from grassroots.allocation import PeriodFigures, ProfitAllocation, ProjectResult
from grassroots.errors import SerializationError
from grassroots.reports import (
    LABELS,
    YearReport,
    allocation_text,
    label,
    load_report,
    render_html,
    render_json,
    render_text,
)
from grassroots.reports._labels import ENUM_PREFIXES
from grassroots.reports._svg import COLOURS, waterfall_bars
from grassroots.reports._tables import names_of
from grassroots.strategies import profit_allocations

FIGURES = ("86,000.00", "142,500.00", "-21,750.00", "188,750.00", "8,600.00", "14,250.00")
SPLIT = ("16,590.00", "76,148.10", "73,161.90")


class TestLabels:
    def test_every_label_has_both_languages(self) -> None:
        """Every key has a Chinese and an English label, not blank and not the same."""
        for key, (zh, en) in LABELS.items():
            assert zh.strip(), key
            assert en.strip(), key
            assert zh != en or key.startswith("series."), key
            assert re.search(r"[\u4e00-\u9fff]", zh), key
            assert en.isascii() or "²" in en, key

    @pytest.mark.parametrize("prefix", sorted(ENUM_PREFIXES))
    def test_every_enum_member_shown_has_labels(self, prefix: str) -> None:
        """Each member of each enum a report shows has its label."""
        module, _, name = ENUM_PREFIXES[prefix].rpartition(".")
        members = getattr(importlib.import_module(module), name)
        keys = {key.partition(".")[2] for key in LABELS if key.startswith(f"{prefix}.")}
        assert keys == {member.value for member in members}

    def test_an_unknown_language_is_refused(self) -> None:
        """Only zh and en."""
        with pytest.raises(ValueError, match="fr"):
            label("period", "fr")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="fr"):
            render_text(year_report(), "fr")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="fr"):
            render_html(year_report(), "fr")  # type: ignore[arg-type]


class TestJson:
    def test_round_trip_is_exact(self) -> None:
        """The JSON reads back to an equal report, which writes the same JSON."""
        report = year_report()
        text = render_json(report)
        again = load_report(text)
        assert again == report
        assert render_json(again) == text

    def test_money_is_exact_text(self) -> None:
        """Amounts are two-place strings, shares fractions, counts integers."""
        data = json.loads(render_json(year_report()))
        (venture,) = data["ventures"]
        assert venture["state_share"] == "51/100"
        assert venture["periods"][0]["profit"] == "188750.00"
        assert venture["public_revenue"][0] == {
            "amount": "8600.00",
            "name": "东城小区",
            "subcommunity": "dongcheng",
        }
        assert data["points"][0]["issued"] == 300
        assert data["first_day"] == "2026-01-01"

    def test_a_float_for_money_is_refused(self) -> None:
        """JSON with a number where money belongs is not a report."""
        data = json.loads(render_json(year_report()))
        data["rooms"]["area"] = 376.5
        with pytest.raises(SerializationError, match=r"376\.5"):
            load_report(json.dumps(data))

    def test_a_number_for_an_amount_string_is_refused(self) -> None:
        """An integer where a two-place string belongs is refused with its path."""
        data = json.loads(render_json(year_report()))
        data["rooms"]["area"] = 376
        with pytest.raises(SerializationError, match="area"):
            load_report(json.dumps(data))

    def test_an_unknown_key_is_refused(self) -> None:
        """Extra keys are refused, not ignored."""
        data = json.loads(render_json(year_report()))
        data["extra"] = 1
        with pytest.raises(SerializationError):
            load_report(json.dumps(data))

    @given(
        st.sampled_from(
            ["coverage", "rooms", "ventures", "points", "funds", "meetings", "mailbox", "first_day"]
        ),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=8),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=6), inner, max_size=3)
            ),
            max_leaves=8,
        ),
    )
    def test_hostile_json_is_refused_with_our_error(self, key: str, value: object) -> None:
        """Any JSON put in place of a section is read, or refused as a SerializationError."""
        data = json.loads(render_json(year_report()))
        data[key] = value
        try:
            read = load_report(json.dumps(data))
        except SerializationError:
            return
        assert render_json(read) == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)

    @given(profit_allocations(max_periods=3))
    def test_any_allocation_round_trips(self, allocated: object) -> None:
        """Whatever the venture and its years, the report's JSON reads back equal."""
        report = YearReport.build(scenario=scenario(), allocations=allocated)  # type: ignore[arg-type]
        assert load_report(render_json(report)) == report


class TestText:
    def test_chinese_text_has_the_figures(self) -> None:
        """The default text is Chinese and has every figure with thousands separators."""
        text = render_text(year_report())
        for figure in (*FIGURES, *SPLIT, "8,594.00", "376.50"):
            assert figure in text, figure
        for word in (
            "郯城县 年度报告",
            "全覆盖",
            "小区公共收益",
            "美德积分",
            "书记下午茶",
            "微愿留言",
        ):
            assert word in text, word
        assert "annual report" not in text

    def test_english_text(self) -> None:
        """English labels, the same figures; the names stay Chinese."""
        text = render_text(year_report(), "en")
        for word in ("annual report", "full coverage", "statutory reserve", "points issued"):
            assert word in text, word
        for figure in (*FIGURES, *SPLIT):
            assert figure in text, figure
        assert "全覆盖" not in text

    def test_allocation_table(self) -> None:
        """The allocation's terminal table has every line with its rule."""
        text = allocation_text(allocation(scenario()))
        assert "利润分配 · 期间 2026 · 利润 188750.00" in text
        for cell in (
            "小区公共收益",
            "法定公积金",
            "16590.00",
            "76148.10",
            "51/100",
            "公司法 art. 210",
        ):
            assert cell in text, cell
        english = allocation_text(allocation(scenario()).periods[0], "en")
        assert "statutory reserve" in english
        assert "股东分红" not in english
        assert "小区公共收益" not in english

    def test_the_core_imports_no_terminal_library(self) -> None:
        """Importing the allocation and the reports loads neither rich nor click."""
        code = (
            "import sys, grassroots.allocation, grassroots.reports;"
            " from grassroots.allocation import ProfitAllocation;"
            " print(sorted(m for m in ('rich', 'click') if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "[]"


_VOID = {"meta", "br", "hr", "img", "input", "link", "col", "source", "wbr"}


class _Checker(HTMLParser):
    """Parses a page, checking that every element closes in order, and collects facts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.svg_text: list[str] = []
        self.titles: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "svg" in self.stack and self.stack[-1] == "text":
            self.svg_text.append(data)
        if "svg" in self.stack and self.stack[-1] == "title":
            self.titles.append(data)


def _parse(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.problems == []
    assert checker.stack == []
    return checker


class TestHtml:
    def test_well_formed_and_self_contained(self) -> None:
        """Every element closes; no script, no external file, no network address."""
        page = render_html(year_report())
        checker = _parse(page)
        names = [tag for tag, _ in checker.tags]
        assert names[0] == "html"
        assert "script" not in names
        assert "link" not in names
        for _, attributes in checker.tags:
            for key in ("src", "href"):
                assert key not in attributes
        assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "url(" not in page

    def test_language_and_fonts(self) -> None:
        """The page says its language and asks for a CJK font first."""
        zh = _parse(render_html(year_report()))
        assert zh.tags[0] == ("html", {"lang": "zh-CN"})
        en = _parse(render_html(year_report(), "en"))
        assert en.tags[0] == ("html", {"lang": "en"})
        assert '"Noto Sans CJK SC"' in render_html(year_report())

    def test_the_charts_carry_the_exact_figures(self) -> None:
        """The waterfall and the points flows are inline SVG labelled with exact figures."""
        checker = _parse(render_html(year_report()))
        svgs = [attributes for tag, attributes in checker.tags if tag == "svg"]
        assert [s["id"] for s in svgs] == ["waterfall-0-0", "points-flows"]
        assert all(s["role"] == "img" and s["aria-labelledby"] for s in svgs)
        for figure in (*FIGURES, *SPLIT, "-18,000.00"):
            assert figure in checker.svg_text, figure
        for figure in ("300", "80", "220"):
            assert figure in checker.svg_text, figure
        for words in (
            "家政服务公司",
            "小区公共收益 10% · 东城小区",
            "法定公积金",
            "股东分红 · 郯城县国有企业",
        ):
            assert words in checker.svg_text, words
        assert checker.titles[0].startswith("利润去向 · 郯城合资公司 · 期间 2026")
        assert "家政服务公司: 86,000.00" in checker.titles

    def test_the_english_charts(self) -> None:
        """English labels on the charts, the same figures."""
        checker = _parse(render_html(year_report(), "en"))
        assert "community share 10% · 东城小区" in checker.svg_text
        assert "美德积分 · issued" in checker.svg_text
        assert "188,750.00" in checker.svg_text

    def test_the_waterfall_ends_at_zero(self) -> None:
        """From the projects to the venture's profit, then down to zero: every fen placed."""
        (venture,) = year_report().ventures or ()
        bars = waterfall_bars(venture.periods[0], "zh")
        assert bars[3][2] == Decimal("188750.00")  # after 家政, 便利店, 食堂, other
        assert bars[-1][2] == Decimal("0.00")
        for before, after in itertools.pairwise(bars[4:]):
            assert after[1] == before[2]
        assert set(COLOURS) >= {colour for *_, colour in bars}

    def test_a_loss_year_carries_the_loss_back_to_zero(self) -> None:
        """A loss: the venture's profit is below zero and the loss carried brings it back."""
        built = scenario()
        assert built.venture is not None
        loss = PeriodFigures(
            period="2027",
            projects=[
                ProjectResult(project="housekeeping", net_profit=Decimal("40250.00")),
                ProjectResult(project="store", net_profit=Decimal("-195000.00")),
            ],
        )
        allocated = ProfitAllocation(venture=built.venture, figures=[loss])
        report = YearReport.build(scenario=built, allocations=allocated)
        (venture,) = report.ventures or ()
        (period,) = venture.periods
        assert period.loss_carried == Decimal("158775.00")  # 154,750.00 + the 4,025.00 share
        bars = waterfall_bars(period, "zh", names_of(venture))
        assert [bar[0] for bar in bars][-2:] == ["小区公共收益 10% · 东城小区", "亏损结转"]
        assert bars[-1][1:4] == (Decimal("-158775.00"), Decimal("0.00"), Decimal("-158775.00"))
        checker = _parse(render_html(report))
        assert "-158,775.00" in checker.svg_text
        assert "4,025.00" in checker.svg_text

    def test_absent_sections_say_so(self) -> None:
        """A scenario alone: no chart, and six sections saying they are not part of it."""
        page = render_html(YearReport.build(scenario=scenario()))
        checker = _parse(page)
        assert not [tag for tag, _ in checker.tags if tag == "svg"]
        assert page.count("本情景无此项数据") == 6

    def test_text_is_escaped(self) -> None:
        """A name with markup is shown as text, not as markup."""
        report = year_report()
        import attrs

        hostile = attrs.evolve(report, county_name="<script>alert(1)</script>")
        page = render_html(hostile)
        assert "<script>" not in page
        assert "&lt;script&gt;" in page
