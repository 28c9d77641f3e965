"""The wire contract of the one converter, and its errors."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import strategies as gst
from grassroots.errors import SerializationError
from grassroots.serialization import (
    configure_converter,
    converter,
    dumps,
    loads,
    make_converter,
    structure,
    unstructure,
)
from grassroots.threshold import TWO_THIRDS, Base, Threshold


@attrs.frozen(kw_only=True)
class Sample:
    amount: Decimal
    ratio: Fraction
    day: pendulum.Date
    at: pendulum.DateTime
    term: pendulum.Duration
    period: pendulum.Interval[pendulum.Date]
    tags: frozenset[str]
    bases: tuple[Base, ...]


def _sample() -> Sample:
    return Sample(
        amount=Decimal("520.00"),
        ratio=Fraction(51, 100),
        day=pendulum.date(2026, 1, 1),
        at=pendulum.datetime(2026, 1, 1, 8, 30, tz="Asia/Shanghai"),
        term=pendulum.duration(days=30),
        period=pendulum.interval(pendulum.date(2026, 1, 1), pendulum.date(2026, 12, 31)),
        tags=frozenset({"幸福食堂", "便利店"}),
        bases=(Base.CAPITAL, Base.PRESENT),
    )


class TestWireContract:
    def test_every_scalar_has_its_text_form(self) -> None:
        """Decimals, fractions, dates, times, durations and intervals become text."""
        assert unstructure(_sample()) == {
            "amount": "520.00",
            "ratio": "51/100",
            "day": "2026-01-01",
            "at": "2026-01-01T08:30:00+08:00",
            "term": "P30D",
            "period": {"start": "2026-01-01", "end": "2026-12-31"},
            "tags": ["便利店", "幸福食堂"],
            "bases": ["capital", "present"],
        }

    def test_round_trip(self) -> None:
        """Structuring what was unstructured gives an equal object."""
        assert structure(unstructure(_sample()), Sample) == _sample()

    def test_dumps_sorts_keys_and_keeps_chinese(self) -> None:
        """JSON text is deterministic and readable."""
        text = dumps(_sample())
        assert list(json.loads(text)) == sorted(json.loads(text))
        assert "幸福食堂" in text
        assert loads(text, Sample) == _sample()

    @pytest.mark.parametrize(
        ("duration", "text"),
        [
            (pendulum.duration(days=30), "P30D"),
            (pendulum.duration(years=1, months=2, days=10), "P1Y2M10D"),
            (pendulum.duration(hours=4, minutes=5, seconds=6), "PT4H5M6S"),
            (pendulum.duration(seconds=1, microseconds=500_000), "PT1.5S"),
            (pendulum.duration(), "PT0S"),
        ],
    )
    def test_durations_are_iso_8601(self, duration: pendulum.Duration, text: str) -> None:
        """Durations travel as ISO 8601 and come back equal."""
        assert unstructure(duration) == text
        assert structure(text, pendulum.Duration) == duration


class TestRefusals:
    def _data(self, **changes: Any) -> dict[str, Any]:
        data: dict[str, Any] = unstructure(_sample())
        data.update(changes)
        return data

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("amount", 5.2, "float"),
            ("amount", "five", "not a decimal"),
            ("amount", "NaN", "two places"),
            ("amount", 12, "two places"),
            ("amount", "12.3", "two places"),
            ("ratio", 0.51, "float"),
            ("ratio", "51%", "not a fraction"),
            ("day", "2026-13-01", "not an ISO date"),
            ("day", 20260101, "ISO text"),
            ("at", "2026-01-01T08:30:00", "no UTC offset"),
            ("at", "yesterday", "not an ISO 8601"),
            ("term", "30 days", "not an ISO 8601 duration"),
            ("period", {"start": "2026-02-01", "end": "2026-01-01"}, "before its start"),
            ("period", {"from": "2026-01-01"}, "an interval must be"),
            ("bases", ["everyone"], "not a valid Base"),
        ],
    )
    def test_names_the_path_and_the_reason(self, field: str, value: object, message: str) -> None:
        """Each bad field is reported with its JSON path."""
        with pytest.raises(SerializationError) as info:
            structure(self._data(**{field: value}), Sample)
        assert any(message in p and f"$.{field}" in p for p in info.value.problems), (
            info.value.problems
        )
        assert info.value.__cause__ is not None

    def test_reports_every_problem(self) -> None:
        """Several bad fields give several problems, not just the first."""
        with pytest.raises(SerializationError) as info:
            structure(self._data(amount=1.5, ratio="x", extra=1), Sample)
        assert len(info.value.problems) == 3

    def test_missing_field(self) -> None:
        """A missing field is named."""
        data = self._data()
        del data["ratio"]
        with pytest.raises(SerializationError, match="ratio"):
            structure(data, Sample)

    def test_domain_rules_apply_while_structuring(self) -> None:
        """Structuring builds through the constructor, so its rules hold."""
        with pytest.raises(SerializationError, match="outside"):
            structure({"ratio": "3/2", "base": "present", "inclusive": True}, Threshold)

    @pytest.mark.parametrize("text", ["{", '{"ratio": 0.5}', b"\xff"])
    def test_loads_refuses_bad_json(self, text: str | bytes) -> None:
        """Broken JSON, JSON floats and undecodable bytes are SerializationErrors."""
        with pytest.raises(SerializationError):
            loads(text, Threshold)

    def test_not_a_mapping(self) -> None:
        """A list where an object is expected is a SerializationError."""
        with pytest.raises(SerializationError):
            structure([1, 2], Threshold)


class TestConverters:
    def test_make_converter_is_fresh(self) -> None:
        """A converter of one's own does not share hooks with the library's."""
        mine = make_converter()
        assert mine is not converter
        mine.register_unstructure_hook(Fraction, float)
        assert unstructure(TWO_THIRDS)["ratio"] == "2/3"
        assert unstructure(TWO_THIRDS, conv=mine)["ratio"] == pytest.approx(2 / 3)

    def test_configure_an_existing_converter(self) -> None:
        """configure_converter teaches another converter every grassroots type."""
        import cattrs

        mine = cattrs.Converter()
        configure_converter(mine)
        assert mine.unstructure(Fraction(1, 2)) == "1/2"


class TestProperties:
    @given(gst.yuan_amounts(min_value=-(10**9)))
    def test_money_round_trip(self, amount: Decimal) -> None:
        """Money comes back to the fen with its two places."""
        back = structure(unstructure(amount), Decimal)
        assert back == amount
        assert str(back) == str(amount)

    @given(st.fractions())
    def test_fraction_round_trip(self, value: Fraction) -> None:
        """Fractions come back exactly."""
        assert structure(unstructure(value), Fraction) == value

    @given(st.dates().map(lambda d: pendulum.date(d.year, d.month, d.day)))
    def test_date_round_trip(self, day: pendulum.Date) -> None:
        """Dates come back equal and as pendulum dates."""
        back = structure(unstructure(day), pendulum.Date)
        assert back == day
        assert isinstance(back, pendulum.Date)

    @given(
        st.datetimes(
            timezones=st.sampled_from(
                [pendulum.timezone("Asia/Shanghai"), pendulum.UTC, pendulum.timezone("Etc/GMT+5")]
            )
        ).map(pendulum.instance)
    )
    def test_datetime_round_trip(self, moment: pendulum.DateTime) -> None:
        """Aware times come back as the same instant with the same offset."""
        back = structure(unstructure(moment), pendulum.DateTime)
        assert back == moment
        assert back.utcoffset() == moment.utcoffset()

    @given(gst.thresholds())
    def test_threshold_round_trip(self, threshold: Threshold) -> None:
        """Thresholds survive JSON text."""
        assert loads(dumps(threshold), Threshold) == threshold
