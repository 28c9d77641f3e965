"""The wish mailbox (微愿留言) with its answer deadline, and the service corner (微愿郯).

Residents leave messages; each must be answered within a deadline counted in
whole local days in Asia/Shanghai. Triage turns a message into a suggestion
(which a grid worker then records in the pipeline), a service request, or a
plain reply. [`Mailbox.report`][grassroots.deliberation.mailbox.Mailbox.report]
lists what is overdue and the median time to answer. A
[`ServiceCorner`][grassroots.deliberation.mailbox.ServiceCorner] is the list
of free services in a project shop (Tancheng's 微愿郯: first-aid kit, phone
charging, drinking water).

Rule: a message received on local day *d* is answered on time when answered on
or before local day *d* +
[`ANSWER_DEADLINE_DAYS`][grassroots.deliberation.mailbox.ANSWER_DEADLINE_DAYS]
(the case says only "answered quickly": the number of days is local policy, a parameter).

Examples:
    >>> import pendulum
    >>> box = Mailbox(deadline_days=7)
    >>> arrived = pendulum.datetime(2026, 3, 1, 10, 0, tz="Asia/Shanghai")
    >>> _ = box.receive(
    ...     Message(id="m1", received_at=arrived, channel=MessageChannel.WECHAT, text="路灯坏了")
    ... )
    >>> box.due_on("m1")
    Date(2026, 3, 8)
    >>> box.is_overdue("m1", as_of=pendulum.datetime(2026, 3, 8, 23, 59, 59, tz="Asia/Shanghai"))
    False
    >>> box.is_overdue("m1", as_of=pendulum.datetime(2026, 3, 9, 0, 0, tz="Asia/Shanghai"))
    True
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from fractions import Fraction
from typing import Final

import attrs
import pendulum

from grassroots._time import local_date, require_aware
from grassroots._validators import (
    check_count,
    check_text,
    count,
    identifier,
    name,
    optional_identifier,
    require_unique,
    text,
    to_tuple,
)
from grassroots.deliberation.pipeline import Channel, Place, SuggestionDetails
from grassroots.errors import DuplicateId, IllegalMove, InvalidValue, UnknownMessage

__all__ = [
    "ANSWER_DEADLINE_DAYS",
    "ANSWER_RULE",
    "Mailbox",
    "MailboxReport",
    "Message",
    "MessageChannel",
    "MessageState",
    "Service",
    "ServiceCorner",
    "Triage",
    "service_corner_report",
]

ANSWER_DEADLINE_DAYS: Final = 7
"""Days to answer a wish-mailbox message, counted in local days (local policy, unverified).

Source: the Tancheng case says each message "must be answered quickly"; the
number of days is a community's own rule, so a parameter.
"""

ANSWER_RULE: Final = (
    "微愿留言: each message is answered within the deadline, counted in whole local days in"
    " Asia/Shanghai from the day it arrived (local policy)"
)
"""The rule cited for the answer deadline."""

_MAX_DEADLINE_DAYS: Final = 366


class MessageChannel(enum.Enum):
    """How a message arrived."""

    BOX = "box"
    """The paper mailbox in the compound."""
    WECHAT = "wechat"
    """The community's WeChat group or mini-program."""
    PHONE = "phone"
    """A phone call."""
    IN_PERSON = "in_person"
    """Told in person, at the service corner or on patrol."""


class Triage(enum.Enum):
    """What a message becomes."""

    SUGGESTION = "suggestion"
    """A suggestion for the pipeline (step 1)."""
    SERVICE_REQUEST = "service_request"
    """A request for a service (a repair, a visit)."""
    REPLY = "reply"
    """A question or opinion that a reply settles."""


class MessageState(enum.Enum):
    """Where a message stands."""

    RECEIVED = "received"
    TRIAGED = "triaged"
    ANSWERED = "answered"


def _received_at(value: object) -> pendulum.DateTime:
    return require_aware(value, "received_at")


@attrs.frozen(kw_only=True)
class Message:
    """A message left in the wish mailbox (微愿留言).

    Args:
        id: Stable id.
        received_at: When it arrived (timezone-aware).
        channel: How it arrived.
        text: What it says.
        subcommunity_id: The compound it is about, if known.
        author_id: The resident who left it, if they gave their id.
    """

    id: str = attrs.field(validator=identifier)
    received_at: pendulum.DateTime = attrs.field(converter=_received_at)
    channel: MessageChannel = attrs.field(validator=attrs.validators.instance_of(MessageChannel))
    text: str = attrs.field(validator=text)
    subcommunity_id: str | None = attrs.field(default=None, validator=optional_identifier)
    author_id: str | None = attrs.field(default=None, validator=optional_identifier)

    def as_suggestion(self, *, place: Place, category: str) -> SuggestionDetails:
        """Return this message as a suggestion for step 1 of the pipeline (channel: mailbox).

        A grid worker then records it with
        [`SuggestionPipeline.record`][grassroots.deliberation.pipeline.SuggestionPipeline.record].

        Raises:
            InvalidValue: the message is blank, or the place is in another compound.
        """
        if self.subcommunity_id is not None and place.subcommunity_id != self.subcommunity_id:
            raise InvalidValue(
                f"message {self.id} is about 小区 {self.subcommunity_id}, not"
                f" {place.subcommunity_id}",
                value=place.subcommunity_id,
                limit=self.subcommunity_id,
                rule=ANSWER_RULE,
            )
        return SuggestionDetails(
            text=self.text,
            place=place,
            category=category,
            channel=Channel.MAILBOX,
            source=self.id,
        )


@attrs.frozen(kw_only=True)
class _Entry:
    message: Message
    state: MessageState = MessageState.RECEIVED
    triage: Triage | None = None
    triaged_at: pendulum.DateTime | None = None
    reference: str | None = None
    answered_at: pendulum.DateTime | None = None
    answer: str = ""


@attrs.frozen(kw_only=True)
class MailboxReport:
    """What the mailbox looks like at a moment.

    Args:
        as_of: The moment.
        received: Messages received by then.
        answered: Messages answered.
        answered_on_time: Messages answered within the deadline.
        overdue: Ids of unanswered messages past their deadline, oldest first.
        median_answer_seconds: Median time from arrival to answer, in whole
            seconds (the lower middle of an even count), or ``None`` if none answered.
        by_triage: Messages per triage outcome, in the order of
            [`Triage`][grassroots.deliberation.mailbox.Triage].
    """

    as_of: pendulum.DateTime
    received: int
    answered: int
    answered_on_time: int
    overdue: tuple[str, ...]
    median_answer_seconds: int | None
    by_triage: tuple[tuple[Triage, int], ...]

    @property
    def on_time_share(self) -> Fraction | None:
        """Answered on time as an exact share of those answered, or ``None`` if none were."""
        return Fraction(self.answered_on_time, self.answered) if self.answered else None


class Mailbox:
    """The wish mailbox of a community: messages, their triage and their answers.

    Every command validates first and changes after; a refused one leaves the
    mailbox as it was.

    Args:
        deadline_days: Days to answer; default
            [`ANSWER_DEADLINE_DAYS`][grassroots.deliberation.mailbox.ANSWER_DEADLINE_DAYS].
    """

    def __init__(self, *, deadline_days: int = ANSWER_DEADLINE_DAYS) -> None:
        check_count(deadline_days, "deadline_days")
        if deadline_days > _MAX_DEADLINE_DAYS:
            raise InvalidValue(
                f"answer deadline {deadline_days} days is more than {_MAX_DEADLINE_DAYS}",
                value=deadline_days,
                limit=_MAX_DEADLINE_DAYS,
                rule=ANSWER_RULE,
            )
        self.deadline_days: Final = deadline_days
        self._entries: dict[str, _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def _entry(self, message_id: str) -> _Entry:
        try:
            return self._entries[message_id]
        except KeyError:
            raise UnknownMessage(
                f"the mailbox has no message {message_id!r}", value=message_id, rule=ANSWER_RULE
            ) from None

    def message(self, message_id: str) -> Message:
        """Return the message with this id.

        Raises:
            UnknownMessage: there is none.
        """
        return self._entry(message_id).message

    def state(self, message_id: str) -> MessageState:
        """Return where the message stands."""
        return self._entry(message_id).state

    def triage_of(self, message_id: str) -> Triage | None:
        """Return what the message was triaged as, or ``None`` before triage."""
        return self._entry(message_id).triage

    def receive(self, message: Message) -> Message:
        """Add a message.

        Raises:
            DuplicateId: the id is taken by a different message (the same message again is a no-op).
        """
        if not isinstance(message, Message):
            raise TypeError(f"message must be a Message, not {type(message).__name__}")
        known = self._entries.get(message.id)
        if known is not None:
            if known.message == message:
                return message
            raise DuplicateId(
                f"message id {message.id!r} is taken by another message",
                value=message.id,
                limit="each id once",
                rule=ANSWER_RULE,
            )
        self._entries[message.id] = _Entry(message=message)
        return message

    def triage(
        self,
        message_id: str,
        outcome: Triage,
        *,
        at: pendulum.DateTime,
        reference: str | None = None,
    ) -> None:
        """Say what a message becomes.

        Args:
            message_id: The message.
            outcome: Suggestion, service request or reply.
            at: When.
            reference: The suggestion's or the service request's id, if any.

        Raises:
            IllegalMove: the message was already triaged, or ``at`` is before it arrived.
        """
        entry = self._entry(message_id)
        if not isinstance(outcome, Triage):
            raise TypeError(f"outcome must be a Triage, not {type(outcome).__name__}")
        at = require_aware(at, "at")
        if reference is not None:
            optional_identifier(None, attrs.fields(_Entry).reference, reference)
        if entry.state is not MessageState.RECEIVED:
            raise IllegalMove(
                f"message {message_id} is already {entry.state.value}; triage happens once",
                value=entry.state.value,
                limit=MessageState.RECEIVED.value,
                rule=ANSWER_RULE,
            )
        self._check_after(entry, at)
        self._entries[message_id] = attrs.evolve(
            entry, state=MessageState.TRIAGED, triage=outcome, triaged_at=at, reference=reference
        )

    def answer(self, message_id: str, *, at: pendulum.DateTime, text: str) -> None:
        """Record the answer given to the resident.

        Raises:
            IllegalMove: the message is not triaged yet, is already answered, or
                ``at`` is before it was triaged.
            InvalidValue: the answer is blank.
        """
        entry = self._entry(message_id)
        at = require_aware(at, "at")
        check_text(text, "answer")
        if not text.strip():
            raise InvalidValue(
                f"message {message_id}: the answer is blank",
                value=text,
                limit="an answer",
                rule=ANSWER_RULE,
            )
        if entry.state is not MessageState.TRIAGED:
            raise IllegalMove(
                f"message {message_id} is {entry.state.value}; it is answered once, after triage",
                value=entry.state.value,
                limit=MessageState.TRIAGED.value,
                rule=ANSWER_RULE,
            )
        self._check_after(entry, at)
        self._entries[message_id] = attrs.evolve(
            entry, state=MessageState.ANSWERED, answered_at=at, answer=text
        )

    @staticmethod
    def _check_after(entry: _Entry, at: pendulum.DateTime) -> None:
        last = entry.triaged_at or entry.message.received_at
        if at < last:
            raise IllegalMove(
                f"message {entry.message.id}: {at.isoformat()} is before {last.isoformat()}",
                value=at.isoformat(),
                limit=last.isoformat(),
                rule=ANSWER_RULE,
            )

    def due_on(self, message_id: str) -> pendulum.Date:
        """Return the last local day on which an answer is on time."""
        arrived = local_date(self._entry(message_id).message.received_at)
        return arrived.add(days=self.deadline_days)

    def is_overdue(self, message_id: str, *, as_of: pendulum.DateTime) -> bool:
        """Return whether the message is unanswered at ``as_of`` and past its last day.

        An answer given after ``as_of`` does not count at ``as_of``.
        """
        entry = self._entry(message_id)
        as_of = require_aware(as_of, "as_of")
        answered = entry.answered_at is not None and entry.answered_at <= as_of
        return (
            entry.message.received_at <= as_of
            and not answered
            and local_date(as_of) > self.due_on(message_id)
        )

    def answered_on_time(self, message_id: str) -> bool | None:
        """Return whether the answer came by the last day, or ``None`` if unanswered."""
        entry = self._entry(message_id)
        if entry.answered_at is None:
            return None
        return local_date(entry.answered_at) <= self.due_on(message_id)

    def report(
        self, *, as_of: pendulum.DateTime, since: pendulum.DateTime | None = None
    ) -> MailboxReport:
        """Return what is overdue, answered and on time at ``as_of``, and the median answer time.

        Only messages received by ``as_of`` (and at or after ``since``, if
        given) count, and only answers given by ``as_of``.
        """
        as_of = require_aware(as_of, "as_of")
        start = None if since is None else require_aware(since, "since")
        entries = [
            e
            for e in self._entries.values()
            if e.message.received_at <= as_of and (start is None or start <= e.message.received_at)
        ]
        answered = [e for e in entries if e.answered_at is not None and e.answered_at <= as_of]
        waits = sorted(
            int((e.answered_at - e.message.received_at).total_seconds())  # type: ignore[operator]
            for e in answered
        )
        median = waits[(len(waits) - 1) // 2] if waits else None
        overdue = sorted(
            (e for e in entries if self.is_overdue(e.message.id, as_of=as_of)),
            key=lambda e: (e.message.received_at, e.message.id),
        )
        triaged = [e.triage for e in entries if e.triaged_at is not None and e.triaged_at <= as_of]
        return MailboxReport(
            as_of=as_of,
            received=len(entries),
            answered=len(answered),
            answered_on_time=sum(1 for e in answered if self.answered_on_time(e.message.id)),
            overdue=tuple(e.message.id for e in overdue),
            median_answer_seconds=median,
            by_triage=tuple((t, triaged.count(t)) for t in Triage),
        )


class Service(enum.Enum):
    """A free service of the corner (微愿郯)."""

    FIRST_AID_KIT = "first_aid_kit"
    """急救箱."""
    PHONE_CHARGING = "phone_charging"
    """手机充电."""
    DRINKING_WATER = "drinking_water"
    """饮用水."""
    UMBRELLA = "umbrella"
    """爱心雨伞."""
    REST_SEAT = "rest_seat"
    """休息座椅."""

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return {
            "first_aid_kit": "急救箱",
            "phone_charging": "手机充电",
            "drinking_water": "饮用水",
            "umbrella": "爱心雨伞",
            "rest_seat": "休息座椅",
        }[self.value]


def _services(value: Iterable[Service]) -> tuple[Service, ...]:
    items = to_tuple(value)
    for item in items:
        if not isinstance(item, Service):
            raise TypeError(f"services must be Service values, not {item!r}")
    return tuple(sorted(set(items), key=list(Service).index))


@attrs.frozen(kw_only=True)
class ServiceCorner:
    """The service corner (微愿郯) of one project shop, with the services it offers.

    Args:
        shop_id: The project shop (a convenience store, a canteen).
        shop_name: Its name.
        services: The services offered, kept once each in the order of
            [`Service`][grassroots.deliberation.mailbox.Service].
        visits: Residents served, if counted.
    """

    shop_id: str = attrs.field(validator=identifier)
    shop_name: str = attrs.field(validator=name)
    services: tuple[Service, ...] = attrs.field(converter=_services)
    visits: int = attrs.field(default=0, validator=count)

    @classmethod
    def standard(cls, *, shop_id: str, shop_name: str) -> ServiceCorner:
        """Return a corner with Tancheng's three services: first-aid kit, charging, water."""
        return cls(
            shop_id=shop_id,
            shop_name=shop_name,
            services=(Service.FIRST_AID_KIT, Service.PHONE_CHARGING, Service.DRINKING_WATER),
        )


def service_corner_report(corners: Iterable[ServiceCorner]) -> tuple[tuple[Service, int], ...]:
    """Return how many corners offer each service.

    In the order of [`Service`][grassroots.deliberation.mailbox.Service].

    Raises:
        DuplicateId: a shop appears twice.

    Examples:
        >>> shops = [
        ...     ServiceCorner.standard(shop_id="s1", shop_name="便利店"),
        ...     ServiceCorner(
        ...         shop_id="s2", shop_name="幸福食堂", services=[Service.DRINKING_WATER]
        ...     ),
        ... ]
        >>> [(s.zh, n) for s, n in service_corner_report(shops)][:3]
        [('急救箱', 1), ('手机充电', 1), ('饮用水', 2)]
    """
    items = to_tuple(corners)
    require_unique((c.shop_id for c in items), what="shop", scope="the service corners")
    return tuple((s, sum(1 for c in items if s in c.services)) for s in Service)
