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
        """Aware times come back as the same instant with the same offset.

        Instants are compared by timestamp: Python never calls a time in a
        daylight-saving fold equal to one in another zone (PEP 495), and
        Shanghai kept daylight-saving time from 1986 to 1991.
        """
        back = structure(unstructure(moment), pendulum.DateTime)
        assert back.timestamp() == moment.timestamp()
        assert back.utcoffset() == moment.utcoffset()
        assert unstructure(back) == unstructure(moment)

    @given(gst.thresholds())
    def test_threshold_round_trip(self, threshold: Threshold) -> None:
        """Thresholds survive JSON text."""
        assert loads(dumps(threshold), Threshold) == threshold


def _threshold(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = unstructure(TWO_THIRDS)
    data.update(changes)
    return data


def _problems(data: object, cls: Any) -> tuple[str, ...]:
    with pytest.raises(SerializationError) as info:
        structure(data, cls)
    assert info.value.problems
    assert all(" @ $" in problem for problem in info.value.problems)
    return info.value.problems


class TestNoCoercion:
    """What cattrs' default hooks coerced is refused, naming the path."""

    @pytest.mark.parametrize("flag", ["false", "true", 0, 1, None])
    def test_bool_only_from_true_or_false(self, flag: object) -> None:
        """``{"inclusive": "false"}`` used to become True."""
        problems = _problems(_threshold(inclusive=flag), Threshold)
        assert problems[0].endswith("@ $.inclusive")

    @pytest.mark.parametrize("count", [True, False, 5.7, "3", "٣", None, [3]])
    def test_int_never_from_bool_float_or_text(self, count: object) -> None:
        """``true``, ``5.7``, ``"3"`` and ``"٣"`` are not counts."""
        problems = _problems([1, count], tuple[int, ...])
        assert problems == (problems[0],)
        assert problems[0].endswith("@ $[1]")

    @pytest.mark.parametrize("text", [None, 1, 1.5, True, {"k": [1]}, ["x"]])
    def test_str_never_from_null_number_or_object(self, text: object) -> None:
        """``"id": null`` used to become the id ``'None'``; an object used to become its repr."""
        problems = _problems({"ok": "a", "bad": text}, dict[str, str])
        assert problems[0].endswith("@ $['bad']")

    @pytest.mark.parametrize("value", ["x0001", {"x0001": 1}, 7, None])
    def test_collection_only_from_a_list(self, value: object) -> None:
        """A bare string is never split into characters, an object never becomes its keys."""
        for cls in (tuple[str, ...], frozenset[str], list[str]):
            problems = _problems({"tags": value}, dict[str, cls])  # type: ignore[valid-type]
            assert "expected a JSON list" in problems[0]
            assert problems[0].endswith("@ $['tags']")

    def test_sets_are_sorted_without_repeats(self) -> None:
        """A frozenset given twice a member or out of order would not dump back the same."""
        assert structure(["a", "b"], frozenset[str]) == frozenset({"a", "b"})
        assert "repeats" in _problems(["a", "a"], frozenset[str])[0]
        assert "out of order" in _problems(["b", "a"], frozenset[str])[0]

    def test_tuples_of_attrs_classes(self) -> None:
        """Each member of a tuple of attrs classes is checked, with its index."""
        good = unstructure(TWO_THIRDS)
        problems = _problems([good, {**good, "inclusive": "no"}, "x"], tuple[Threshold, ...])
        assert problems == (
            "expected true or false, not str 'no' @ $[1].inclusive",
            "expected a JSON object for Threshold, not str 'x' @ $[2]",
        )

    def test_enum_values_exactly(self) -> None:
        """An enum comes only from its exact value."""
        assert "not a valid Base" in _problems(_threshold(base="PRESENT"), Threshold)[0]
        assert "expected one of" in _problems(_threshold(base=1), Threshold)[0]

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("1/0", "positive denominator"),
            ("2/4", "lowest terms"),
            ("-0/1", "lowest terms"),
            ("1/-2", "positive denominator"),
            ("٣/4", "positive denominator"),
            ("1" * 200 + "/3", "positive denominator"),
        ],
    )
    def test_fractions_are_canonical(self, text: str, reason: str) -> None:
        """``structure("1/0", Fraction)`` is our error, not ZeroDivisionError."""
        assert reason in _problems(text, Fraction)[0]

    @pytest.mark.parametrize(
        "amount", [12, "12", "12.3", "12.345", "1e3", "-0.00", "٣.00", "+1.00"]
    )
    def test_money_is_two_place_text(self, amount: object) -> None:
        """Money comes only as the two-place text it is written as."""
        assert _problems(amount, Decimal)[0].endswith("@ $")

    def test_very_large_money_is_our_error(self) -> None:
        """An amount past the maximum is refused by the money door, with the path."""
        from grassroots.money import MAX_YUAN
        from grassroots.talent import RewardSchedule

        schedule = unstructure(RewardSchedule(per_talent=MAX_YUAN))
        assert structure(schedule, RewardSchedule).per_talent == MAX_YUAN
        schedule["per_talent"] = "1" + "0" * 25 + ".00"
        assert "larger than the maximum" in _problems(schedule, RewardSchedule)[0]

    @pytest.mark.parametrize(
        "moment",
        ["2026-01-01T08:00:00Z", "2026-01-01 08:00:00+08:00", "2026-01-01T08:00+08:00"],
    )
    def test_times_are_canonical(self, moment: str) -> None:
        """An instant is read only as ``isoformat()`` writes it."""
        assert "canonical" in _problems(moment, pendulum.DateTime)[0]

    @pytest.mark.parametrize("day", ["20260101", "2026-W01-1", "2026-001", "٢٠٢٦-01-01"])
    def test_dates_are_canonical(self, day: str) -> None:
        """A date is read only as ``YYYY-MM-DD``."""
        assert "ISO date" in _problems(day, pendulum.Date)[0]

    def test_durations_are_canonical(self) -> None:
        """A duration is read only as it is written."""
        assert "canonical" in _problems("P1W", pendulum.Duration)[0]
        assert structure("P7D", pendulum.Duration) == pendulum.duration(days=7)


class TestHostileInput:
    def test_deep_nesting_is_our_error(self) -> None:
        """``loads("[" * 1000 + "]" * 1000, Threshold)`` raises SerializationError."""
        with pytest.raises(SerializationError, match="nests more than 100 levels"):
            loads("[" * 1000 + "]" * 1000, Threshold)

    def test_nesting_past_the_parser_is_our_error(self) -> None:
        """Nesting past Python's recursion limit never raises RecursionError."""
        with pytest.raises(SerializationError):
            loads('{"a": ' * 200_000 + "1" + "}" * 200_000, Threshold)

    def test_brackets_inside_strings_do_not_count(self) -> None:
        """Depth counts structure, not the text of strings."""
        data = _threshold()
        text = json.dumps({**data, "base": "[" * 500})
        with pytest.raises(SerializationError) as info:
            loads(text, Threshold)
        assert info.value.problems[0].endswith("@ $.base")

    def test_deep_python_data_is_our_error(self) -> None:
        """Deep data handed to structure() directly gives a short message."""
        nested: Any = []
        for _ in range(100_000):
            nested = [nested]
        problems = _problems(nested, Threshold)
        assert len("".join(problems)) < 1_000

    @pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e309", "5.7", "1E3"])
    def test_non_finite_and_float_numbers(self, text: str) -> None:
        """JSON's extra constants and fractional numbers are refused before structuring."""
        with pytest.raises(SerializationError, match="cannot read JSON"):
            loads(f'{{"ratio": "2/3", "base": "present", "inclusive": {text}}}', Threshold)

    def test_problems_are_capped(self) -> None:
        """A 128k-item list of bad draws gives a short message that counts the rest."""
        from grassroots.ledger import JournalEntry
        from grassroots.serialization import MAX_PROBLEMS

        with pytest.raises(SerializationError) as info:
            structure({"draws": list(range(128_000))}, JournalEntry)
        problems = info.value.problems
        assert len(problems) == MAX_PROBLEMS + 1
        assert "127980 more items not checked" in problems[-1]
        assert len(str(info.value)) < 5_000

    def test_a_long_collection_says_how_many_were_left(self) -> None:
        """Within one collection, the line after the first problems names the rest."""
        from grassroots.serialization import MAX_PROBLEMS

        problems = _problems(["x"] * (MAX_PROBLEMS + 7), tuple[int, ...])
        assert problems[-1] == "and 7 more items were not checked after the first 20 problems @ $"

    @pytest.mark.parametrize("text", ["\ud800", "x\x00", "x" * 100_000])
    def test_odd_text_in_an_id(self, text: str) -> None:
        """Lone surrogates, NUL and very long ids are refused by the id rule, with the path."""
        from grassroots.resident import Resident

        resident = {"id": text, "household_id": "h1", "born_on": "1990-01-01"}
        problems = _problems(resident, Resident)
        assert problems[0].endswith("@ $")
        assert len(problems[0]) < 400

    def test_lazy_converter_is_one_object(self) -> None:
        """The module's converter is built once and is the one structure() uses."""
        import grassroots.serialization as module

        assert module.converter is converter
        assert isinstance(converter, type(make_converter()))


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ax\u4e2d', max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet='[]{}"\\k', max_size=4), children, max_size=3)
    ),
    max_leaves=12,
)


def _true_depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_true_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_true_depth(v) for v in value.values()), default=0)
    return 0


class TestDepthScan:
    @given(_JSON_VALUES, st.integers(min_value=0, max_value=120))
    def test_depth_counts_structure_not_strings(self, value: object, wraps: int) -> None:
        """The depth check finds the true depth, however strings hold brackets and quotes."""
        from grassroots.serialization import MAX_DEPTH, _depth

        for _ in range(wraps):
            value = [value, '[{\\"', {"]": "}"}]
        text = json.dumps(value, ensure_ascii=False)
        assert _depth(json.loads(text)) == min(_true_depth(value), MAX_DEPTH + 1)

    @pytest.mark.parametrize(("depth", "refused"), [(100, False), (101, True)])
    def test_loads_refuses_one_level_beyond_the_limit(self, depth: int, refused: bool) -> None:
        """``MAX_DEPTH`` levels are parsed (then refused as no threshold); one more is too deep."""
        from grassroots.serialization import MAX_DEPTH
        from grassroots.threshold import Threshold

        assert MAX_DEPTH == 100
        text = "[" * depth + '"[{"' + "]" * depth
        with pytest.raises(SerializationError) as caught:
            loads(text, Threshold)
        assert ("levels deep" in str(caught.value)) is refused


class TestTheIssueExamples:
    """The coercions found by a hostile client, each now a SerializationError with its path."""

    def test_a_hire_resident_flag_from_text(self) -> None:
        """``Hire.resident: "false"`` used to become True, inflating the residents' share."""
        from grassroots.venture import Background, Hire

        data = unstructure(Hire(person="p1", resident=False, background=Background.HOMEMAKER))
        data["resident"] = "false"
        assert _problems(data, Hire) == ("expected true or false, not str 'false' @ $.resident",)

    @given(gst.owners_votes())
    def test_owners_vote_counts_from_true(self, vote: Any) -> None:
        """An owners'-vote count given as ``true`` used to become 1."""
        data = unstructure(vote)
        counts = [key for key, value in data.items() if type(value) is int]
        assert counts
        for key in counts:
            problems = _problems({**data, key: True}, type(vote))
            assert problems == (f"expected a JSON integer, not bool True @ $.{key}",)

    @given(gst.transfers())
    def test_a_transfer_amount_from_true_or_a_digit_in_another_script(self, transfer: Any) -> None:
        """``"amount": true`` used to become 1 and ``"amount": "٣"`` 3."""
        data = unstructure(transfer)
        for bad in (True, "٣", 5.7):
            problems = _problems({**data, "amount": bad}, type(transfer))
            assert problems[0].endswith("@ $.amount")

    @given(gst.transfers())
    def test_a_memo_from_an_object(self, transfer: Any) -> None:
        """``"memo": {"k": [1]}`` used to become the text "{'k': [1]}"."""
        data = unstructure(transfer)
        problems = _problems({**data, "memo": {"k": [1]}}, type(transfer))
        assert problems[0].endswith("@ $.memo")

    @given(gst.transfers())
    def test_an_id_from_null(self, transfer: Any) -> None:
        """``"id": null`` used to become the id 'None'."""
        data = unstructure(transfer)
        assert _problems({**data, "id": None}, type(transfer))[0].endswith("@ $.id")

    def test_an_amount_with_a_fraction_through_structure(self) -> None:
        """Through structure(), ``amount: 5.7`` used to become 5."""
        assert _problems(5.7, int) == ("expected a JSON integer, not float 5.7 @ $",)


@pytest.mark.parametrize("depth", [101, 1_000, 100_000])
def test_too_deep_is_refused_with_a_path_at_every_depth(depth: int) -> None:
    """Past the limit and past the parser's own recursion limit alike, the problem has its path."""
    from grassroots.threshold import Threshold

    with pytest.raises(SerializationError) as caught:
        loads("[" * depth + "]" * depth, Threshold)
    assert caught.value.problems == ("it nests more than 100 levels deep @ $",)
