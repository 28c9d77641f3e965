"""Volunteer activities: publishing, claims, sign-in hours, confirmation, reversal, records."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import errors
from grassroots import strategies as gst
from grassroots.ledger import Scheme
from grassroots.programme import (
    EarnerGroup,
    Merchant,
    Participant,
    PointsProgramme,
    RedemptionRule,
    Reward,
    VolunteerActivity,
    wallet_id,
)
from grassroots.programme.activity import Attendance

BRANCH = "branch-dongcheng"


def when(day: int, hour: int = 10, minute: int = 0) -> pendulum.DateTime:
    """Return a time in November 2026, Asia/Shanghai."""
    return pendulum.datetime(2026, 11, day, hour, minute, tz="Asia/Shanghai")


def activity(**changes: object) -> VolunteerActivity:
    """Return the compound's Saturday stairwell clean-up, 09:00–11:00 on 7 November."""
    values: dict[str, object] = {
        "id": "clean-1107",
        "title": "楼道清扫",
        "organiser": BRANCH,
        "place": "东城小区 3号楼",
        "subcommunity": "dongcheng",
        "start": when(7, 9),
        "end": when(7, 11),
        "rewards": [Reward(scheme="virtue", points=20), Reward(scheme="party", points=10)],
        "capacity": 2,
        "eligible": [EarnerGroup.RESIDENT, EarnerGroup.PARTY_MEMBER],
        "content": "清扫楼道、清理小广告",
    }
    values.update(changes)
    return VolunteerActivity(**values)  # type: ignore[arg-type]


def programme() -> PointsProgramme:
    """Return a programme with two schemes and four people from the case's groups."""
    built = PointsProgramme(administrators=["admin"])
    built.add_scheme(Scheme(code="virtue", name="美德积分"))
    built.add_scheme(Scheme(code="party", name="新新向党"))
    for pid, group in [
        ("zhang", EarnerGroup.PARTY_MEMBER),
        ("zhao", EarnerGroup.RESIDENT),
        ("chen", EarnerGroup.NEW_EMPLOYMENT),
        ("liu", EarnerGroup.RESIDENT),
    ]:
        built.register(Participant(id=pid, groups=[group], honour_board=pid == "zhang"))
    built.publish(activity(), by=BRANCH)
    return built


class TestActivity:
    def test_end_must_follow_start(self) -> None:
        """An activity that ends when it starts is refused."""
        with pytest.raises(errors.InvalidValue, match="not after its start"):
            activity(end=when(7, 9))

    def test_a_scheme_is_rewarded_once(self) -> None:
        """Two rewards in one scheme are refused."""
        with pytest.raises(errors.DuplicateId):
            activity(rewards=[Reward(scheme="virtue", points=1), Reward(scheme="virtue", points=2)])

    def test_reward_points_are_positive(self) -> None:
        """A reward of zero points is refused."""
        with pytest.raises(errors.InvalidValue):
            Reward(scheme="virtue", points=0)

    def test_wrong_types(self) -> None:
        """A float capacity or a bare string of groups is a TypeError."""
        with pytest.raises(TypeError):
            activity(capacity=2.0)
        with pytest.raises(TypeError):
            activity(eligible="resident")

    def test_scheduled_minutes(self) -> None:
        """Two hours are 120 minutes."""
        assert activity().scheduled_minutes == 120

    @given(gst.volunteer_activities())
    def test_drawn_activities_are_valid(self, drawn: VolunteerActivity) -> None:
        """Every drawn activity ends after it starts and rewards each scheme once."""
        assert drawn.end > drawn.start
        assert len({reward.scheme for reward in drawn.rewards}) == len(drawn.rewards)


class TestPublish:
    def test_only_the_organiser_publishes(self) -> None:
        """Someone else publishing the branch's activity is refused."""
        built = PointsProgramme()
        built.add_scheme(Scheme(code="virtue"))
        built.add_scheme(Scheme(code="party"))
        with pytest.raises(errors.PermissionDenied):
            built.publish(activity(), by="zhang")
        assert built.activities.activities == ()

    def test_republishing_is_a_no_op_and_other_content_is_refused(self) -> None:
        """The same activity again changes nothing; another under its id is refused."""
        built = programme()
        built.publish(activity(), by=BRANCH)
        assert len(built.activities.activities) == 1
        with pytest.raises(errors.WrongStep):
            built.publish(activity(title="另一个"), by=BRANCH)

    def test_a_reward_in_an_unknown_scheme_is_refused(self) -> None:
        """An activity rewarding a scheme the ledger lacks is refused."""
        built = programme()
        with pytest.raises(errors.UnknownReference):
            built.publish(activity(id="x", rewards=[Reward(scheme="nope", points=1)]), by=BRANCH)


class TestClaim:
    def test_claim_withdraw_and_capacity(self) -> None:
        """Two places: the third claim is refused until someone withdraws."""
        built = programme()
        built.claim("clean-1107", "zhang", by="zhang", at=when(5))
        built.claim("clean-1107", "zhao", by="zhao", at=when(5))
        with pytest.raises(errors.ActivityFull):
            built.claim("clean-1107", "liu", by="liu", at=when(5))
        built.withdraw("clean-1107", "zhao", by="zhao", at=when(6))
        built.claim("clean-1107", "liu", by="liu", at=when(6))
        assert built.activities.claims("clean-1107") == ("zhang", "liu")

    def test_not_twice(self) -> None:
        """A second claim by the same resident is refused."""
        built = programme()
        built.claim("clean-1107", "zhang", by="zhang", at=when(5))
        with pytest.raises(errors.WrongStep):
            built.claim("clean-1107", "zhang", by="zhang", at=when(5))

    def test_only_if_eligible(self) -> None:
        """A courier cannot claim an activity open to residents and party members only."""
        built = programme()
        with pytest.raises(errors.NotEligible):
            built.claim("clean-1107", "chen", by="chen", at=when(5))

    def test_only_before_the_start(self) -> None:
        """A claim at the start is refused; one a second before is taken."""
        built = programme()
        with pytest.raises(errors.WrongStep):
            built.claim("clean-1107", "zhang", by="zhang", at=when(7, 9))
        built.claim("clean-1107", "zhang", by="zhang", at=when(7, 9).subtract(seconds=1))

    def test_only_the_resident_claims_and_withdraws(self) -> None:
        """Claiming or withdrawing for someone else is a permission error."""
        built = programme()
        with pytest.raises(errors.PermissionDenied):
            built.claim("clean-1107", "zhang", by="zhao", at=when(5))
        built.claim("clean-1107", "zhang", by="zhang", at=when(5))
        with pytest.raises(errors.PermissionDenied):
            built.withdraw("clean-1107", "zhang", by=BRANCH, at=when(5))

    def test_cancel_releases_every_claim(self) -> None:
        """Cancelling before the start releases the claims; then no one can claim or confirm."""
        built = programme()
        built.claim("clean-1107", "zhang", by="zhang", at=when(5))
        with pytest.raises(errors.PermissionDenied):
            built.cancel("clean-1107", by="zhang", at=when(6))
        assert built.cancel("clean-1107", by=BRANCH, at=when(6)) == ("zhang",)
        assert built.activities.claims("clean-1107") == ()
        with pytest.raises(errors.WrongStep):
            built.claim("clean-1107", "zhao", by="zhao", at=when(6))
        with pytest.raises(errors.WrongStep):
            built.confirm("clean-1107", ["zhang"], by=BRANCH, at=when(8))


class TestConfirm:
    def claimed(self) -> PointsProgramme:
        built = programme()
        built.claim("clean-1107", "zhang", by="zhang", at=when(5))
        built.claim("clean-1107", "zhao", by="zhao", at=when(5))
        return built

    def test_only_the_organiser_after_the_end(self) -> None:
        """A resident confirming, or the organiser before the end, is refused."""
        built = self.claimed()
        with pytest.raises(errors.PermissionDenied):
            built.confirm("clean-1107", ["zhang"], by="zhang", at=when(8))
        with pytest.raises(errors.WrongStep):
            built.confirm("clean-1107", ["zhang"], by=BRANCH, at=when(7, 10, 59))
        assert built.ledger.balance(wallet_id("virtue", "zhang")) == 0

    def test_credits_exactly_once(self) -> None:
        """Confirming zhang three times credits 20 virtue and 10 party points once."""
        built = self.claimed()
        for hour in (12, 13, 14):
            built.confirm("clean-1107", ["zhang"], by=BRANCH, at=when(7, hour))
        assert built.ledger.balance(wallet_id("virtue", "zhang")) == 20
        assert built.ledger.balance(wallet_id("party", "zhang")) == 10
        assert built.ledger.balance(wallet_id("virtue", "zhao")) == 0  # a no-show earns nothing

    def test_one_bad_name_confirms_nobody(self) -> None:
        """A list naming someone without a claim is refused whole."""
        built = self.claimed()
        before = len(built.ledger)
        with pytest.raises(errors.WrongStep):
            built.confirm("clean-1107", ["zhang", "liu"], by=BRANCH, at=when(8))
        assert len(built.ledger) == before
        assert built.activities.attendance("clean-1107", "zhang") is None

    def test_reversal_with_a_reason(self) -> None:
        """A reversed confirmation takes the points back and cannot be confirmed again."""
        built = self.claimed()
        built.confirm("clean-1107", ["zhang"], by=BRANCH, at=when(8))
        with pytest.raises(errors.InvalidValue):
            built.reverse_confirmation("clean-1107", "zhang", by=BRANCH, at=when(9), reason=" ")
        with pytest.raises(errors.PermissionDenied):
            built.reverse_confirmation("clean-1107", "zhang", by="zhang", at=when(9), reason="x")
        record = built.reverse_confirmation(
            "clean-1107", "zhang", by=BRANCH, at=when(9), reason="未实际参加"
        )
        assert record.points == 0
        assert record.reversal_reason == "未实际参加"
        assert built.ledger.balance(wallet_id("virtue", "zhang")) == 0
        assert built.ledger.trial_balance() == {"virtue": 0, "party": 0}
        with pytest.raises(errors.WrongStep):
            built.confirm("clean-1107", ["zhang"], by=BRANCH, at=when(10))
        with pytest.raises(errors.WrongStep):
            built.reverse_confirmation("clean-1107", "zhang", by=BRANCH, at=when(10), reason="x")

    def test_spent_points_cannot_be_reversed(self) -> None:
        """Once zhang has spent his 20 virtue points, the reversal is refused, changing nothing."""
        built = self.claimed()
        built.confirm("clean-1107", ["zhang"], by=BRANCH, at=when(8))
        built.add_merchant(
            Merchant(
                id="store",
                name="便利店",
                subcommunity="dongcheng",
                rule=RedemptionRule(points_per_yuan=10, schemes=["virtue"]),
            )
        )
        built.redeem(
            id="b1",
            resident="zhang",
            merchant="store",
            scheme="virtue",
            bill="5.00",
            points=20,
            at=when(8, 12),
        )
        length = len(built.ledger)
        with pytest.raises(errors.InsufficientPoints):
            built.reverse_confirmation("clean-1107", "zhang", by=BRANCH, at=when(9), reason="误记")
        assert len(built.ledger) == length
        record = built.activities.attendance("clean-1107", "zhang")
        assert record is not None
        assert record.confirmed


class TestHours:
    def test_signed_and_manual_hours_are_kept_apart_and_capped(self) -> None:
        """90 signed minutes plus 30 by hand fill the 120 scheduled; one more is refused."""
        built = programme()
        built.claim("clean-1107", "zhang", by="zhang", at=when(5))
        built.sign_in("clean-1107", "zhang", by="zhang", at=when(7, 9, 30))
        record = built.sign_out("clean-1107", "zhang", by=BRANCH, at=when(7, 11))
        assert record.signed_minutes == 90
        with pytest.raises(errors.InvalidValue):
            built.add_minutes("clean-1107", "zhang", 30, by=BRANCH, reason="")
        with pytest.raises(errors.PermissionDenied):
            built.add_minutes("clean-1107", "zhang", 30, by="zhang", reason="忘记签到")
        record = built.add_minutes("clean-1107", "zhang", 30, by=BRANCH, reason="提前到场布置")
        assert (record.signed_minutes, record.manual_minutes) == (90, 30)
        with pytest.raises(errors.WrongStep):
            built.add_minutes("clean-1107", "zhang", 1, by=BRANCH, reason="x")

    def test_sign_out_needs_a_sign_in_and_a_later_time(self) -> None:
        """Signing out first, or before signing in, is refused."""
        built = programme()
        built.claim("clean-1107", "zhang", by="zhang", at=when(5))
        with pytest.raises(errors.WrongStep):
            built.sign_out("clean-1107", "zhang", by="zhang", at=when(7, 11))
        built.sign_in("clean-1107", "zhang", by="zhang", at=when(7, 9))
        with pytest.raises(errors.WrongStep):
            built.sign_out("clean-1107", "zhang", by="zhang", at=when(7, 8))
        with pytest.raises(errors.PermissionDenied):
            built.sign_in("clean-1107", "zhang", by="zhao", at=when(7, 9))

    @given(st.integers(min_value=1, max_value=400))
    def test_manual_minutes_never_exceed_the_schedule(self, minutes: int) -> None:
        """Whatever is added by hand, the total stays within the 120 scheduled minutes."""
        built = programme()
        built.claim("clean-1107", "zhao", by="zhao", at=when(5))
        try:
            built.add_minutes("clean-1107", "zhao", minutes, by=BRANCH, reason="补录")
        except errors.WrongStep:
            assert minutes > 120
        record = built.activities.attendance("clean-1107", "zhao")
        assert record is None or record.manual_minutes <= 120


class TestRecordsAndPrivacy:
    def confirmed(self) -> PointsProgramme:
        built = programme()
        built.claim("clean-1107", "zhang", by="zhang", at=when(5))
        built.claim("clean-1107", "zhao", by="zhao", at=when(5))
        built.sign_in("clean-1107", "zhang", by="zhang", at=when(7, 9))
        built.sign_out("clean-1107", "zhang", by="zhang", at=when(7, 11))
        built.confirm("clean-1107", ["zhang", "zhao"], by=BRANCH, at=when(7, 12))
        return built

    def test_certificate_by_the_organiser_who_recorded(self) -> None:
        """The branch certifies 120 minutes and 30 points; anyone else is refused."""
        built = self.confirmed()
        certificate = built.certificate("zhang", by=BRANCH, at=when(30))
        assert certificate.minutes == 120
        assert certificate.points == {"virtue": 20, "party": 10}
        assert certificate.lines[0].content == "清扫楼道、清理小广告"
        with pytest.raises(errors.PermissionDenied):
            built.certificate("zhang", by="another-organiser", at=when(30))

    def test_balances_and_records_only_to_the_resident_and_admins(self) -> None:
        """The resident zhang and the administrator see zhang's balance; zhao does not."""
        built = self.confirmed()
        assert built.balance("zhang", "virtue", viewer="zhang", at=when(8)) == 20
        assert built.balance("zhang", "virtue", viewer="admin", at=when(8)) == 20
        with pytest.raises(errors.PermissionDenied):
            built.balance("zhang", "virtue", viewer="zhao", at=when(8))
        with pytest.raises(errors.PermissionDenied):
            built.records("zhang", viewer=BRANCH)
        assert len(built.records("zhao", viewer="zhao")) == 1

    def test_honour_board_names_only_those_who_opted_in(self) -> None:
        """The resident zhao earned as much as zhang but did not opt in, so only zhang is named."""
        built = self.confirmed()
        board = built.honour_board("virtue")
        assert [line.resident for line in board] == ["zhang"]
        assert board[0].points == 20

    def test_honour_board_drops_a_reversed_confirmation(self) -> None:
        """Once zhang's confirmation is reversed, zhang has earned nothing to be named for."""
        built = self.confirmed()
        built.reverse_confirmation("clean-1107", "zhang", by=BRANCH, at=when(9), reason="误记")
        assert built.honour_board("virtue") == ()
        assert built.honour_board("party") == ()


class TestCreditsAreNotCoerced:
    """Points credited per scheme are checked as given, never converted."""

    @pytest.mark.parametrize(
        "credited",
        [[("virtue", "5")], [("virtue", 5.0)], [("virtue", True)], [(5, 5)], "virtue"],
    )
    def test_wrong_types_raise_type_error(self, credited: object) -> None:
        """A points count given as text, a float or a bool, or a scheme given as a number."""
        with pytest.raises(TypeError):
            Attendance(activity="a1", resident="r1", credited=credited)  # type: ignore[arg-type]

    @pytest.mark.parametrize("credited", [[("virtue", -1)], [("", 5)], [("virtue\x00", 5)]])
    def test_bad_values_raise_our_error(self, credited: list[tuple[str, int]]) -> None:
        """A negative count or a malformed scheme id is refused with InvalidValue."""
        with pytest.raises(errors.InvalidValue):
            Attendance(activity="a1", resident="r1", credited=credited)

    def test_valid_credits_are_kept(self) -> None:
        """Valid pairs are kept as they are."""
        kept = Attendance(activity="a1", resident="r1", credited=[("virtue", 5)])
        assert kept.credited == (("virtue", 5),)
