"""The wish mailbox (微愿留言): deadlines in local days, triage, answers, the report; 微愿郯."""

from __future__ import annotations

import pendulum
import pytest

from grassroots.deliberation import (
    ANSWER_DEADLINE_DAYS,
    Channel,
    Mailbox,
    Message,
    MessageChannel,
    MessageState,
    Place,
    Service,
    ServiceCorner,
    Triage,
    service_corner_report,
)
from grassroots.errors import DuplicateId, IllegalMove, InvalidValue, UnknownMessage

ZONE = "Asia/Shanghai"


def local(d: int, h: int = 10, mi: int = 0, s: int = 0, m: int = 3) -> pendulum.DateTime:
    return pendulum.datetime(2026, m, d, h, mi, s, tz=ZONE)


def message(mid: str = "m1", at: pendulum.DateTime | None = None) -> Message:
    return Message(
        id=mid, received_at=at or local(1), channel=MessageChannel.BOX, text="3栋路灯坏了"
    )


def box_with(*messages: Message, days: int = 7) -> Mailbox:
    box = Mailbox(deadline_days=days)
    for item in messages:
        box.receive(item)
    return box


class TestDeadline:
    def test_the_default_is_a_week(self) -> None:
        """The default deadline is the documented local policy."""
        assert Mailbox().deadline_days == ANSWER_DEADLINE_DAYS == 7

    def test_overdue_from_the_day_after_the_last_day(self) -> None:
        """Received 1 March: on time through 8 March 23:59:59 local, overdue at 9 March 00:00."""
        box = box_with(message())
        assert box.due_on("m1") == pendulum.Date(2026, 3, 8)
        assert not box.is_overdue("m1", as_of=local(8, 23, 59, 59))
        assert box.is_overdue("m1", as_of=local(9, 0, 0, 0))

    def test_days_are_counted_in_shanghai_not_utc(self) -> None:
        """A message at 00:30 local on 2 March (16:30 UTC on 1 March) is due on 9 March."""
        utc = pendulum.datetime(2026, 3, 1, 16, 30, tz="UTC")
        box = box_with(message(at=utc))
        assert box.due_on("m1") == pendulum.Date(2026, 3, 9)
        assert not box.is_overdue("m1", as_of=pendulum.datetime(2026, 3, 9, 15, 59, 59, tz="UTC"))
        assert box.is_overdue("m1", as_of=pendulum.datetime(2026, 3, 9, 16, 0, 0, tz="UTC"))

    def test_answer_on_the_last_day_is_on_time(self) -> None:
        """An answer at 23:59:59 on the last day is on time; at midnight it is late."""
        on_time = box_with(message())
        on_time.triage("m1", Triage.REPLY, at=local(2))
        on_time.answer("m1", at=local(8, 23, 59, 59), text="已报修")
        assert on_time.answered_on_time("m1") is True
        late = box_with(message())
        late.triage("m1", Triage.REPLY, at=local(2))
        late.answer("m1", at=local(9, 0), text="已报修")
        assert late.answered_on_time("m1") is False
        assert not late.is_overdue("m1", as_of=local(10))

    def test_a_zero_day_deadline_means_the_same_day(self) -> None:
        """With 0 days, an answer is due the day the message arrived."""
        box = box_with(message(), days=0)
        assert not box.is_overdue("m1", as_of=local(1, 23, 59, 59))
        assert box.is_overdue("m1", as_of=local(2, 0))

    def test_bad_deadlines(self) -> None:
        """Deadlines are whole days from 0 to 366."""
        with pytest.raises(InvalidValue):
            Mailbox(deadline_days=-1)
        with pytest.raises(InvalidValue):
            Mailbox(deadline_days=367)
        with pytest.raises(TypeError):
            Mailbox(deadline_days=7.0)  # type: ignore[arg-type]


class TestTriage:
    def test_triage_then_answer(self) -> None:
        """A message is triaged once, then answered once."""
        box = box_with(message())
        box.triage("m1", Triage.SUGGESTION, at=local(2), reference="s1")
        assert (box.state("m1"), box.triage_of("m1")) == (MessageState.TRIAGED, Triage.SUGGESTION)
        with pytest.raises(IllegalMove):
            box.triage("m1", Triage.REPLY, at=local(2))
        box.answer("m1", at=local(3), text="已转居民代表会议")
        with pytest.raises(IllegalMove):
            box.answer("m1", at=local(4), text="again")
        assert box.state("m1") is MessageState.ANSWERED

    def test_refusals_change_nothing(self) -> None:
        """Answering before triage, blank answers and time travel are refused."""
        box = box_with(message())
        with pytest.raises(IllegalMove):
            box.answer("m1", at=local(2), text="好的")
        with pytest.raises(IllegalMove):
            box.triage("m1", Triage.REPLY, at=local(1, 9))
        box.triage("m1", Triage.REPLY, at=local(2))
        with pytest.raises(InvalidValue):
            box.answer("m1", at=local(3), text="  ")
        with pytest.raises(IllegalMove):
            box.answer("m1", at=local(1, 11), text="好的")
        assert box.state("m1") is MessageState.TRIAGED

    def test_receive_is_idempotent_and_ids_unique(self) -> None:
        """The same message twice is one; another message under its id is refused."""
        box = box_with(message())
        box.receive(message())
        assert len(box) == 1
        with pytest.raises(DuplicateId):
            box.receive(message(at=local(2)))
        with pytest.raises(UnknownMessage):
            box.state("m9")
        with pytest.raises(TypeError):
            box.triage("m1", "reply", at=local(2))  # type: ignore[arg-type]


class TestAsSuggestion:
    def test_a_message_becomes_a_mailbox_suggestion(self) -> None:
        """The text, the mailbox channel and the message as source carry over."""
        note = Message(
            id="m7",
            received_at=local(1),
            channel=MessageChannel.WECHAT,
            text="小区门口加装减速带",
            subcommunity_id="longju",
        )
        details = note.as_suggestion(place=Place(subcommunity_id="longju"), category="交通安全")
        assert (details.text, details.channel, details.source) == (
            "小区门口加装减速带",
            Channel.MAILBOX,
            "m7",
        )
        with pytest.raises(InvalidValue):
            note.as_suggestion(place=Place(subcommunity_id="other"), category="交通安全")
        with pytest.raises(InvalidValue):
            Message(
                id="m8", received_at=local(1), channel=MessageChannel.BOX, text=" "
            ).as_suggestion(place=Place(subcommunity_id="longju"), category="交通安全")


class TestReport:
    def test_overdue_and_median(self) -> None:
        """Three answered after 1, 2 and 10 days and one overdue: the median wait is 2 days."""
        box = box_with(message("a", local(1)), message("b", local(1)), message("c", local(1)))
        box.receive(message("d", local(2)))
        for mid, day in (("a", 2), ("b", 3), ("c", 11)):
            box.triage(mid, Triage.REPLY, at=local(day))
            box.answer(mid, at=local(day), text="已答复")
        report = box.report(as_of=local(20))
        assert (report.received, report.answered, report.answered_on_time) == (4, 3, 2)
        assert report.overdue == ("d",)
        assert report.median_answer_seconds == 2 * 86_400
        assert report.on_time_share is not None
        assert report.on_time_share * 3 == 2
        assert dict(report.by_triage)[Triage.REPLY] == 3

    def test_even_count_takes_the_lower_middle(self) -> None:
        """Of waits of 1 and 3 days the report shows 1 day, a whole number of seconds."""
        box = box_with(message("a", local(1)), message("b", local(1)))
        for mid, day in (("a", 2), ("b", 4)):
            box.triage(mid, Triage.REPLY, at=local(day))
            box.answer(mid, at=local(day), text="已答复")
        assert box.report(as_of=local(20)).median_answer_seconds == 86_400

    def test_the_report_sees_only_the_past(self) -> None:
        """At an earlier moment, later messages and answers do not count."""
        box = box_with(message("a", local(1)), message("b", local(15)))
        box.triage("a", Triage.REPLY, at=local(12))
        box.answer("a", at=local(12), text="已答复")
        early = box.report(as_of=local(10))
        assert (early.received, early.answered, early.overdue) == (1, 0, ("a",))
        assert early.median_answer_seconds is None
        assert early.on_time_share is None
        since = box.report(as_of=local(20), since=local(14))
        assert since.received == 1


class TestServiceCorner:
    def test_standard_corner(self) -> None:
        """Tancheng's corner: first-aid kit, phone charging, drinking water."""
        corner = ServiceCorner.standard(shop_id="s1", shop_name="24小时便利店")
        assert [s.zh for s in corner.services] == ["急救箱", "手机充电", "饮用水"]

    def test_report_and_uniqueness(self) -> None:
        """Services are counted per corner; a shop is listed once; services kept once each."""
        corners = [
            ServiceCorner.standard(shop_id="s1", shop_name="便利店"),
            ServiceCorner(
                shop_id="s2",
                shop_name="幸福食堂",
                services=[Service.DRINKING_WATER, Service.UMBRELLA, Service.DRINKING_WATER],
            ),
        ]
        assert corners[1].services == (Service.DRINKING_WATER, Service.UMBRELLA)
        counts = dict(service_corner_report(corners))
        assert counts[Service.DRINKING_WATER] == 2
        assert counts[Service.REST_SEAT] == 0
        with pytest.raises(DuplicateId):
            service_corner_report([corners[0], corners[0]])
        with pytest.raises(TypeError):
            ServiceCorner(shop_id="s3", shop_name="家政", services=["饮用水"])  # type: ignore[list-item]
