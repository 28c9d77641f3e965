"""The talent programme: the three lists, events, surveys, talents, rewards and the report."""

from __future__ import annotations

from decimal import Decimal

import pendulum
import pytest

from grassroots.errors import InvalidTransition, InvalidValue, RuleViolation, UnknownReference
from grassroots.money import yuan
from grassroots.serialization import dumps, loads
from grassroots.talent import (
    Firm,
    FirmKind,
    Intermediary,
    IntermediaryKind,
    IntermediaryReward,
    LiaisonEvent,
    ListItem,
    ListKind,
    RewardSchedule,
    Talent,
    TalentOrigin,
    TalentProgramme,
    TalentReport,
)

DAY = pendulum.Date(2024, 3, 1)


def _day(n: int) -> pendulum.Date:
    return DAY.add(days=n)


def _programme() -> TalentProgramme:
    return TalentProgramme(
        county_id="tancheng",
        firms=[
            Firm(id="f1", name="龙头企业一", kind=FirmKind.LEAD_ENTERPRISE),
            Firm(id="f2", name="人才企业二", kind=FirmKind.TALENT_ENTERPRISE),
        ],
        intermediaries=[
            Intermediary(id="sz", name="桑梓人才回引站", kind=IntermediaryKind.LIAISON_STATION),
            Intermediary(id="cc", name="驻外商会", kind=IntermediaryKind.CHAMBER_OF_COMMERCE),
        ],
    )


def _talent(tid: str, **kw: object) -> Talent:
    kw.setdefault("origin", TalentOrigin.OTHER)
    return Talent(
        id=tid, field=str(kw.pop("field", "电子信息")), brought_in_on=kw.pop("on", DAY), **kw
    )  # type: ignore[arg-type]


class TestLists:
    def test_publish_and_close(self) -> None:
        """An item is open from publication until it is closed."""
        programme = _programme().publish(
            ListItem(id="i1", kind=ListKind.NEEDS, title="招聘工程师", published_on=DAY)
        )
        assert programme.open_items(on=_day(1)) == programme.items
        closed = programme.close_item("i1", on=_day(10))
        assert closed.open_items(on=_day(10)) == ()
        assert closed.open_items(on=_day(9), kind=ListKind.NEEDS)[0].id == "i1"
        assert closed.open_items(on=_day(9), kind=ListKind.RESOURCES) == ()

    def test_close_twice_is_refused(self) -> None:
        """An item is closed once."""
        programme = _programme().publish(
            ListItem(id="i1", kind=ListKind.PROJECTS, title="项目", published_on=DAY)
        )
        closed = programme.close_item("i1", on=_day(1))
        with pytest.raises(InvalidTransition, match="already closed"):
            closed.close_item("i1", on=_day(2))

    def test_close_before_publication_is_refused(self) -> None:
        """An item cannot close before it is published."""
        programme = _programme().publish(
            ListItem(id="i1", kind=ListKind.PROJECTS, title="项目", published_on=DAY)
        )
        with pytest.raises(RuleViolation, match="before it was published"):
            programme.close_item("i1", on=_day(-1))

    def test_close_unknown_item(self) -> None:
        """Closing an item the programme lacks is an unknown reference."""
        with pytest.raises(UnknownReference):
            _programme().close_item("nope", on=DAY)

    def test_list_names(self) -> None:
        """The three lists have their Chinese names."""
        assert [k.zh for k in ListKind] == ["需求清单", "项目清单", "资源清单"]


class TestTalents:
    def test_unknown_firm_or_intermediary(self) -> None:
        """A talent names only firms and intermediaries of the programme."""
        with pytest.raises(UnknownReference, match="firm 'f9'"):
            _programme().bring_in(_talent("t1", firm_id="f9"))
        with pytest.raises(UnknownReference, match="intermediary 'x'"):
            _programme().bring_in(_talent("t1", intermediary_id="x"))

    def test_key_role_needs_an_intermediary(self) -> None:
        """A key role is played by an intermediary."""
        with pytest.raises(RuleViolation, match="no intermediary"):
            _talent("t1", intermediary_key_role=True)

    def test_opt_in_needs_a_name(self) -> None:
        """A talent opts in to being named only with a name."""
        with pytest.raises(RuleViolation, match="no name"):
            _talent("t1", named_in_reports=True)

    def test_visit_unknown_firm(self) -> None:
        """Surveys visit firms the programme knows."""
        with pytest.raises(UnknownReference, match="firm 'f9'"):
            _programme().visit("f9", on=DAY)


class TestReport:
    def _busy(self) -> TalentProgramme:
        programme = _programme()
        for n in range(3):
            programme = programme.hold_event(
                LiaisonEvent(id=f"e{n}", held_on=_day(n * 40), title="对接联系活动")
            )
        programme = (
            programme.visit("f1", on=_day(1)).visit("f1", on=_day(50)).visit("f2", on=_day(90))
        )
        for n in range(4):
            programme = programme.publish(
                ListItem(
                    id=f"i{n}",
                    kind=ListKind.NEEDS,
                    title="信息",
                    published_on=_day(n * 30),
                    online=n != 3,
                )
            )
        programme = programme.close_item("i0", on=_day(10))
        programme = programme.bring_in(
            _talent("t1", origin=TalentOrigin.RETURNING_NATIVE, name="张某", named_in_reports=True)
        )
        programme = programme.bring_in(_talent("t2", field="食品加工", name="李某", on=_day(60)))
        return programme.bring_in(_talent("t3", on=_day(100)))

    def test_whole_period(self) -> None:
        """Events, firms surveyed, online items, talents and returning natives are counted."""
        report = self._busy().report()
        assert (
            report.events,
            report.firms_surveyed,
            report.items_published,
            report.items_closed,
            report.talents,
            report.returning_natives,
        ) == (3, 2, 3, 1, 3, 1)
        assert [(f.field, f.talents) for f in report.by_field] == [("电子信息", 2), ("食品加工", 1)]

    def test_period_bounds_are_inclusive(self) -> None:
        """Both ends of the period count."""
        report = self._busy().report(since=_day(40), until=_day(90))
        assert (report.events, report.firms_surveyed, report.talents) == (2, 2, 1)

    def test_names_only_the_opted_in(self) -> None:
        """Only talents who opted in are named."""
        report = self._busy().report()
        assert report.named_talents == ("张某",)
        assert "李某" not in dumps(report)

    def test_text(self) -> None:
        """The report reads as the case writes it."""
        text = self._busy().report().to_text()
        assert text == (
            "开展对接联系活动 3 场次，调研企业 2 家，"
            "线上发布三张清单信息 3 条，引入创新创业人才 3 名。"
        )


class TestRewards:
    def _programme(self) -> TalentProgramme:
        programme = _programme()
        programme = programme.bring_in(
            _talent(
                "t1",
                origin=TalentOrigin.RETURNING_NATIVE,
                intermediary_id="sz",
                intermediary_key_role=True,
            )
        )
        programme = programme.bring_in(
            _talent("t2", intermediary_id="sz", intermediary_key_role=True, on=_day(30))
        )
        programme = programme.bring_in(_talent("t3", intermediary_id="cc"))
        return programme.bring_in(_talent("t4", intermediary_id="cc", intermediary_key_role=True))

    def test_only_key_roles_are_rewarded(self) -> None:
        """Each intermediary is owed for the talents it brought with a key role."""
        schedule = RewardSchedule(per_talent=yuan(2000), per_returning_native=yuan(3000))
        rewards = self._programme().rewards(schedule)
        assert [(r.intermediary_id, r.talent_ids, r.amount) for r in rewards] == [
            ("sz", ("t1", "t2"), Decimal("5000.00")),
            ("cc", ("t4",), Decimal("2000.00")),
        ]

    def test_cap_per_intermediary(self) -> None:
        """A cap limits what one intermediary receives."""
        schedule = RewardSchedule(per_talent=yuan(2000), cap_per_intermediary=yuan(3000))
        rewards = self._programme().rewards(schedule)
        assert (rewards[0].amount, rewards[0].capped) == (Decimal("3000.00"), True)
        assert (rewards[1].amount, rewards[1].capped) == (Decimal("2000.00"), False)

    def test_period(self) -> None:
        """Rewards count talents who arrived within the period."""
        schedule = RewardSchedule(per_talent=yuan(100))
        rewards = self._programme().rewards(schedule, since=_day(1))
        assert [(r.intermediary_id, r.amount) for r in rewards] == [("sz", Decimal("100.00"))]

    def test_amounts_are_money(self) -> None:
        """Amounts are yuan: no floats, no negative rewards."""
        with pytest.raises(TypeError):
            RewardSchedule(per_talent=2000.0)  # type: ignore[arg-type]
        with pytest.raises(RuleViolation, match="negative"):
            RewardSchedule(per_talent=yuan(-1))
        with pytest.raises(RuleViolation, match="negative"):
            RewardSchedule(per_talent=yuan(1), cap_per_intermediary=yuan(-1))


class TestSerialization:
    def test_round_trip(self) -> None:
        """Programmes, reports and rewards survive JSON."""
        programme = TestReport()._busy()
        assert loads(dumps(programme), TalentProgramme) == programme
        report = programme.report()
        assert loads(dumps(report), TalentReport) == report
        reward = IntermediaryReward(intermediary_id="sz", talent_ids=["t1"], amount=yuan(10))
        assert loads(dumps(reward), IntermediaryReward) == reward
        schedule = RewardSchedule(per_talent=yuan(1), cap_per_intermediary=yuan(5))
        assert loads(dumps(schedule), RewardSchedule) == schedule


class TestOneVocabulary:
    """The talent programme follows the shared rules for ids, names and collections."""

    def test_a_bare_string_is_not_a_list_of_partners(self) -> None:
        """``partners="县委组织部"`` is refused, not split into characters."""
        with pytest.raises(TypeError, match="collection"):
            LiaisonEvent(id="e1", held_on=DAY, title="座谈会", partners="县委组织部")  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", ["", " t1", "t\x001", "t\ud800"])
    def test_ids_are_invalid_values(self, bad: str) -> None:
        """A bad talent id raises InvalidValue."""
        with pytest.raises(InvalidValue):
            _talent(bad)

    def test_a_wrong_member_type_is_a_type_error(self) -> None:
        """A programme's talents must be Talent values."""
        with pytest.raises(TypeError, match="must hold Talent values"):
            TalentProgramme(county_id="tancheng", talents=["t1"])  # type: ignore[list-item]

    def test_very_large_rewards_are_refused(self) -> None:
        """A reward past the money maximum is an InvalidValue, not decimal.InvalidOperation."""
        with pytest.raises(InvalidValue, match="larger than the maximum"):
            RewardSchedule(per_talent="1e26")
