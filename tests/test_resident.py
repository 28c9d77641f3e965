"""Residents: age, groups, households, and naming only with an opt-in."""

from __future__ import annotations

import json

import attrs
import pendulum
import pytest

from grassroots.errors import InvalidValue, RuleViolation, SerializationError
from grassroots.resident import (
    ADULT_AGE,
    Household,
    Resident,
    ResidentGroup,
    ResidentReport,
    resident_report,
)
from grassroots.serialization import dumps, loads

BORN = pendulum.Date(1990, 6, 15)


def _resident(rid: str = "r1", born: pendulum.Date = BORN, **kw: object) -> Resident:
    return Resident(id=rid, household_id=kw.pop("household_id", "h1"), born_on=born, **kw)  # type: ignore[arg-type]


class TestAge:
    def test_adult_from_the_eighteenth_birthday(self) -> None:
        """Eighteen full years (十八周岁) are reached on the birthday itself."""
        resident = _resident(born=pendulum.Date(2008, 5, 4))
        assert not resident.is_adult_on(pendulum.Date(2026, 5, 3))
        assert resident.is_adult_on(pendulum.Date(2026, 5, 4))
        assert ADULT_AGE == 18

    def test_leap_day_birthday(self) -> None:
        """Someone born on 29 February completes a year on 1 March in common years."""
        resident = _resident(born=pendulum.Date(2008, 2, 29))
        assert resident.age_on(pendulum.Date(2026, 2, 28)) == 17
        assert resident.age_on(pendulum.Date(2026, 3, 1)) == 18
        assert resident.age_on(pendulum.Date(2028, 2, 29)) == 20

    def test_age_before_birth_is_refused(self) -> None:
        """An age is not counted before birth."""
        with pytest.raises(RuleViolation, match="before resident r1's birth"):
            _resident().age_on(pendulum.Date(1980, 1, 1))

    def test_not_adult_before_birth(self) -> None:
        """Adulthood on a day before birth is simply false."""
        assert not _resident().is_adult_on(pendulum.Date(1980, 1, 1))

    def test_adult_age_is_a_parameter(self) -> None:
        """The age of majority can be changed by the caller."""
        resident = _resident(born=pendulum.Date(2010, 1, 1))
        assert resident.is_adult_on(pendulum.Date(2026, 1, 1), adult_age=16)


class TestGroups:
    def test_full_and_probationary_together_are_refused(self) -> None:
        """A Party member is either full or probationary, not both."""
        with pytest.raises(RuleViolation, match="both a full and a probationary"):
            _resident(
                groups=[
                    ResidentGroup.PARTY_MEMBER_FULL,
                    ResidentGroup.PARTY_MEMBER_PROBATIONARY,
                ]
            )

    def test_party_membership(self) -> None:
        """Full and probationary members are both Party members."""
        assert _resident(groups=[ResidentGroup.PARTY_MEMBER_PROBATIONARY]).is_party_member
        assert not _resident(groups=[ResidentGroup.VETERAN]).is_party_member

    def test_group_chinese_names(self) -> None:
        """Each group has its Chinese name."""
        assert ResidentGroup.NEW_EMPLOYMENT_WORKER.zh == "新就业群体"
        assert ResidentGroup.HOMEMAKER.zh == "家庭主妇"

    def test_groups_must_be_group_values(self) -> None:
        """A group given as text is a programming error."""
        with pytest.raises(TypeError, match="ResidentGroup"):
            _resident(groups=["veteran"])


class TestNaming:
    def test_not_named_without_opt_in(self) -> None:
        """A name kept by the community stays out of reports without the opt-in."""
        resident = _resident(name="林某")
        assert resident.report_name() == "居民 r1"
        assert resident.opt_in().report_name() == "林某"
        assert resident.opt_in().opt_out().report_name() == "居民 r1"

    def test_opt_in_needs_a_name(self) -> None:
        """Opting in without a name is refused."""
        with pytest.raises(RuleViolation, match="has no name"):
            _resident(named_in_reports=True)

    def test_report_names_only_the_opted_in(self) -> None:
        """The report counts everyone and names only those who opted in."""
        people = [
            _resident("r1", name="林某", named_in_reports=True, groups=[ResidentGroup.VETERAN]),
            _resident("r2", name="叶某", groups=[ResidentGroup.VETERAN]),
            _resident("r3", born=pendulum.Date(2015, 1, 1), household_id="h2"),
        ]
        report = resident_report(people, on=pendulum.Date(2026, 1, 1))
        assert (report.residents, report.adults, report.households) == (3, 2, 2)
        assert report.named == ("林某",)
        assert report.group(ResidentGroup.VETERAN) == 2
        assert report.group(ResidentGroup.GRADUATE) == 0
        assert "叶某" not in dumps(report)

    def test_report_refuses_duplicates(self) -> None:
        """A resident is counted once."""
        with pytest.raises(RuleViolation, match="resident id 'r1'"):
            resident_report([_resident(), _resident()], on=pendulum.Date(2026, 1, 1))


class TestSerialization:
    def test_round_trip(self) -> None:
        """Residents, households and reports survive JSON."""
        resident = _resident(groups=[ResidentGroup.GRADUATE, ResidentGroup.HOMEMAKER], name="甲")
        assert loads(dumps(resident), Resident) == resident
        household = Household(id="h1", subcommunity_id="x1", unit_id="b1-1")
        assert loads(dumps(household), Household) == household
        report = resident_report([resident], on=pendulum.Date(2026, 1, 1))
        assert loads(dumps(report), ResidentReport) == report

    def test_evolve_revalidates(self) -> None:
        """Changing a resident re-runs the rules."""
        with pytest.raises(RuleViolation):
            attrs.evolve(_resident(), named_in_reports=True)


class TestOneVocabulary:
    """Residents follow the shared rules for ids, names and collections."""

    @pytest.mark.parametrize("bad", ["", " ", "r\x001", "r\ud800", " r1"])
    def test_ids_are_invalid_values(self, bad: str) -> None:
        """A bad id raises InvalidValue, a GrassrootsError that is still a ValueError."""
        with pytest.raises(InvalidValue):
            _resident(bad)

    def test_a_bare_string_is_not_a_set_of_groups(self) -> None:
        """``groups="veteran"`` is refused, not split into characters."""
        with pytest.raises(TypeError, match="collection"):
            _resident(groups="veteran")

    def test_a_report_of_one_resident_needs_a_collection(self) -> None:
        """A single resident where a collection belongs is a TypeError."""
        with pytest.raises(TypeError):
            resident_report("r1", on=pendulum.Date(2026, 1, 1))  # type: ignore[arg-type]

    def test_the_wire_refuses_a_string_for_the_groups(self) -> None:
        """In JSON a string where the groups belong is refused with its path."""
        data = json.loads(dumps(_resident()))
        data["groups"] = "veteran"
        with pytest.raises(SerializationError) as info:
            loads(json.dumps(data), Resident)
        assert any(p.endswith("@ $.groups") for p in info.value.problems)

    def test_the_wire_refuses_text_for_a_flag(self) -> None:
        """``"named_in_reports": "false"`` is not a flag."""
        data = json.loads(dumps(_resident()))
        data["named_in_reports"] = "false"
        with pytest.raises(SerializationError, match=r"\$\.named_in_reports"):
            loads(json.dumps(data), Resident)
