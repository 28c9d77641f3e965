"""Volunteer activities (志愿服务活动): publishing, claiming, attending and the volunteer record.

Use this module for the first half of the Tancheng points cycle: a party
branch (or another organiser) publishes an activity, residents claim a place
and take part, and the organiser confirms who attended. The values here are
frozen; the state of each activity (claims, sign-ins, confirmations) is kept
by [`ActivityBook`][grassroots.programme.activity.ActivityBook], which the
[`PointsProgramme`][grassroots.programme.programme.PointsProgramme] drives and which
credits points through the ledger.

Rule: 志愿服务条例 (2017) art. 19 (record each volunteer's service, content
and hours, truthfully; issue a record certificate free of charge on request)
and art. 20 (no disclosure of personal information without consent);
志愿服务记录与证明出具办法（试行） (民政部令第67号, in force 2021-02-01):
records true, accurate, complete, free and timely, and "whoever organises
records, whoever records certifies" (谁组织、谁记录、谁证明).

Examples:
    >>> import pendulum
    >>> start = pendulum.datetime(2026, 11, 7, 9, tz="Asia/Shanghai")
    >>> activity = VolunteerActivity(
    ...     id="clean-1107",
    ...     title="楼道清扫",
    ...     organiser="branch-dongcheng",
    ...     place="东城小区 3号楼",
    ...     subcommunity="dongcheng",
    ...     start=start,
    ...     end=start.add(hours=2),
    ...     rewards=[Reward(scheme="virtue", points=20)],
    ...     capacity=10,
    ...     eligible=[EarnerGroup.RESIDENT, EarnerGroup.PARTY_MEMBER],
    ... )
    >>> activity.scheduled_minutes, activity.reward("virtue")
    (120, 20)
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable

import attrs
import pendulum

from grassroots import _validators as v
from grassroots._time import require_aware
from grassroots.errors import (
    ActivityFull,
    InvalidValue,
    NotEligible,
    PermissionDenied,
    UnknownReference,
    WrongStep,
)
from grassroots.ledger._values import slot_setters
from grassroots.programme._times import TimeKey, Times, optional_time

__all__ = [
    "ACTIVITY_RULE",
    "CERTIFICATE_RULE",
    "HOURS_RULE",
    "ActivityBook",
    "Attendance",
    "CertificateLine",
    "EarnerGroup",
    "Participant",
    "Reward",
    "VolunteerActivity",
    "VolunteerCertificate",
]

ACTIVITY_RULE = (
    "points rule 2: claim → confirm → credit; only the organiser turns a claim into points"
)
"""The rule cited when a step of an activity is taken by the wrong person or out of order."""

HOURS_RULE = (
    "志愿服务记录与证明出具办法（试行） (2021): hours from sign-in and sign-out; hours added"
    " by hand kept apart, with a reason, at most the activity's scheduled length"
)
"""The rule cited for service hours."""

CERTIFICATE_RULE = (
    "志愿服务条例 art. 19; 志愿服务记录与证明出具办法（试行） (2021): whoever organises records,"
    " whoever records certifies; free of charge"
)
"""The rule cited when a volunteer record certificate is asked of someone who did not record."""


class EarnerGroup(enum.Enum):
    """Who earns points in the Tancheng case: the seed's four groups."""

    PARTY_MEMBER = "party_member"
    """党员: a member of the Communist Party of China."""
    ORGANISATION_STAFF = "organisation_staff"
    """单位职工: staff of an organisation (机关、企事业单位) in or near the compound."""
    NEW_EMPLOYMENT = "new_employment"
    """新就业群体: couriers, food-delivery riders and other new-employment workers."""
    RESIDENT = "resident"
    """居民: a resident of the compound."""


def _groups(value: Iterable[EarnerGroup]) -> frozenset[EarnerGroup]:
    groups = v.to_frozenset(value)
    for group in groups:
        if not isinstance(group, EarnerGroup):
            raise TypeError(f"an eligible group must be an EarnerGroup, not {group!r}")
    return groups


def _aware(value: object) -> pendulum.DateTime:
    return require_aware(value, "time")


def _credits(value: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    pairs: tuple[tuple[str, int], ...] = tuple(
        (v.check_identifier(scheme, "scheme"), v.check_count(points, "points"))
        for scheme, points in v.to_tuple(value)
    )
    return pairs


def _certificate_lines(value: Iterable[CertificateLine]) -> tuple[CertificateLine, ...]:
    return v.to_tuple(value)


def _positive(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    number = v.check_count(value, attribute.name)
    if number < 1:
        raise InvalidValue(
            f"{attribute.name} {number} is not positive; it must be at least 1",
            value=number,
            limit=1,
            rule=ACTIVITY_RULE,
        )


@attrs.frozen(kw_only=True)
class Participant:
    """Someone who may earn points: a resident, a party member, a courier, ….

    Args:
        id: An opaque, stable id (no name is needed to earn points).
        groups: The earner groups they belong to.
        honour_board: Whether they agreed to be named on honour boards (opt-in,
            志愿服务条例 art. 20); not named by default.
    """

    id: str = attrs.field(validator=v.identifier)
    groups: frozenset[EarnerGroup] = attrs.field(converter=_groups)
    honour_board: bool = attrs.field(default=False, validator=v.flag)


@attrs.frozen(kw_only=True)
class Reward:
    """The points an activity gives each confirmed participant in one scheme.

    Args:
        scheme: The scheme's code.
        points: Points per participant, at least 1.
    """

    scheme: str = attrs.field(validator=v.identifier)
    points: int = attrs.field(validator=_positive)


def _rewards(value: Iterable[Reward]) -> tuple[Reward, ...]:
    rewards = v.to_tuple(value)
    for reward in rewards:
        if not isinstance(reward, Reward):
            raise TypeError(f"a reward must be a Reward, not {type(reward).__name__}")
    return rewards


@attrs.frozen(kw_only=True)
class VolunteerActivity:
    """A volunteer activity as its organiser published it (志愿服务活动).

    Args:
        id: A stable id, unique in the programme.
        title: What it is called, as residents see it.
        organiser: Who publishes, confirms and certifies it: a party branch's
            id or another organiser's.
        place: Where it happens.
        subcommunity: The compound (小区) it serves.
        start: When it starts (timezone-aware); claims close then.
        end: When it ends; confirmation opens then.
        rewards: Points per participant, one per scheme.
        capacity: How many residents may claim a place.
        eligible: The groups who may take part.
        content: What the service is, for the volunteer record.

    Raises:
        InvalidValue: ``end`` is not after ``start``, no reward or no group is
            given, or a scheme is rewarded twice.
    """

    id: str = attrs.field(validator=v.identifier)
    title: str = attrs.field(validator=v.name)
    organiser: str = attrs.field(validator=v.identifier)
    place: str = attrs.field(validator=v.name)
    subcommunity: str = attrs.field(validator=v.identifier)
    start: pendulum.DateTime = attrs.field(converter=_aware)
    end: pendulum.DateTime = attrs.field(converter=_aware)
    rewards: tuple[Reward, ...] = attrs.field(converter=_rewards)
    capacity: int = attrs.field(validator=_positive)
    eligible: frozenset[EarnerGroup] = attrs.field(converter=_groups)
    content: str = attrs.field(default="", validator=v.text)

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidValue(
                f"activity {self.id} ends at {self.end.isoformat()}, not after its start"
                f" {self.start.isoformat()}",
                value=self.end.isoformat(),
                limit=self.start.isoformat(),
                rule=ACTIVITY_RULE,
            )
        if not self.rewards or not self.eligible:
            raise InvalidValue(
                f"activity {self.id} needs at least one reward and one eligible group",
                value=(len(self.rewards), len(self.eligible)),
                limit=1,
                rule=ACTIVITY_RULE,
            )
        v.require_unique(
            (reward.scheme for reward in self.rewards),
            what="rewarded scheme",
            scope=f"activity {self.id}",
        )

    @property
    def scheduled_minutes(self) -> int:
        """The activity's scheduled length in whole minutes (the cap on hours added by hand)."""
        return int((self.end - self.start).total_seconds()) // 60

    def reward(self, scheme: str) -> int:
        """Return the points per participant in ``scheme`` (0 if it rewards none)."""
        for reward in self.rewards:
            if reward.scheme == scheme:
                return reward.points
        return 0

    def admits(self, participant: Participant) -> bool:
        """Return whether ``participant`` belongs to one of the eligible groups."""
        return not self.eligible.isdisjoint(participant.groups)


@attrs.frozen(kw_only=True)
class Attendance:
    """What the record says of one resident at one activity.

    Args:
        activity: The activity's id.
        resident: The resident's id.
        signed_in: When they signed in, if they did.
        signed_out: When they signed out, if they did.
        manual_minutes: Minutes added by hand, kept apart from the signed ones.
        manual_reason: Why they were added.
        confirmed_at: When the organiser confirmed attendance, if so.
        credited: Points credited per scheme by the confirmation (after caps).
        reversed_at: When the confirmation was reversed, if it was.
        reversal_reason: Why.
    """

    activity: str = attrs.field(validator=v.identifier)
    resident: str = attrs.field(validator=v.identifier)
    signed_in: pendulum.DateTime | None = attrs.field(
        default=None, converter=attrs.converters.optional(_aware)
    )
    signed_out: pendulum.DateTime | None = attrs.field(
        default=None, converter=attrs.converters.optional(_aware)
    )
    manual_minutes: int = attrs.field(default=0, validator=v.count)
    manual_reason: str = attrs.field(default="", validator=v.text)
    confirmed_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=attrs.converters.optional(_aware)
    )
    credited: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_credits)
    reversed_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=attrs.converters.optional(_aware)
    )
    reversal_reason: str = attrs.field(default="", validator=v.text)

    @property
    def signed_minutes(self) -> int:
        """Whole minutes between sign-in and sign-out; 0 without both."""
        if self.signed_in is None or self.signed_out is None:
            return 0
        return int((self.signed_out - self.signed_in).total_seconds()) // 60

    @property
    def confirmed(self) -> bool:
        """Whether attendance is confirmed and not reversed."""
        return self.confirmed_at is not None and self.reversed_at is None

    @property
    def points(self) -> int:
        """All points credited by the confirmation, 0 if it was reversed."""
        return 0 if self.reversed_at is not None else sum(points for _, points in self.credited)


@attrs.frozen(kw_only=True)
class CertificateLine:
    """One activity on a volunteer record certificate.

    Args:
        activity: The activity's id.
        title: Its title.
        content: What the service was.
        start: When it took place.
        signed_minutes: Minutes from sign-in and sign-out.
        manual_minutes: Minutes added by hand (shown apart).
        points: Points credited, per scheme.
    """

    activity: str = attrs.field(validator=v.identifier)
    title: str = attrs.field(validator=v.name)
    content: str = attrs.field(validator=v.text)
    start: pendulum.DateTime = attrs.field(converter=_aware)
    signed_minutes: int = attrs.field(validator=v.count)
    manual_minutes: int = attrs.field(validator=v.count)
    points: tuple[tuple[str, int], ...] = attrs.field(converter=_credits)


@attrs.frozen(kw_only=True)
class VolunteerCertificate:
    """A volunteer record certificate (志愿服务记录证明), issued free of charge.

    Rule: 志愿服务条例 art. 19; 志愿服务记录与证明出具办法（试行） (2021):
    the organiser who recorded the service certifies it.

    Args:
        resident: Whom it certifies.
        issuer: The organiser who recorded the activities and issues it.
        issued_at: When it was issued.
        lines: The confirmed activities, in order of start.
    """

    resident: str = attrs.field(validator=v.identifier)
    issuer: str = attrs.field(validator=v.identifier)
    issued_at: pendulum.DateTime = attrs.field(converter=_aware)
    lines: tuple[CertificateLine, ...] = attrs.field(converter=_certificate_lines)

    @property
    def minutes(self) -> int:
        """All service minutes, signed and added by hand."""
        return sum(line.signed_minutes + line.manual_minutes for line in self.lines)

    @property
    def points(self) -> dict[str, int]:
        """All points credited, per scheme."""
        totals: dict[str, int] = {}
        for line in self.lines:
            for scheme, points in line.points:
                totals[scheme] = totals.get(scheme, 0) + points
        return totals


(
    _set_activity,
    _set_resident,
    _set_signed_in,
    _set_signed_out,
    _set_manual_minutes,
    _set_manual_reason,
    _set_confirmed_at,
    _set_credited,
    _set_reversed_at,
    _set_reversal_reason,
) = slot_setters(Attendance)

# An attendance record is kept as a row of strings, integers and time keys (see
# ``_times``), which the garbage collector stops tracking, and built into an
# ``Attendance`` only when read:
# (signed_in, signed_out, manual_minutes, manual_reason, confirmed_at, credited,
#  reversed_at, reversal_reason), each time a ``TimeKey`` or ``None``.
_Row = tuple[
    TimeKey | None,
    TimeKey | None,
    int,
    str,
    TimeKey | None,
    tuple[tuple[str, int], ...],
    TimeKey | None,
    str,
]
_BLANK: _Row = (None, None, 0, "", None, (), None, "")


def _attendance(values: tuple[object, ...]) -> Attendance:
    """Build an ``Attendance`` from values the book checked when it recorded them.

    The trusted path: every value was validated (or computed) on its way in,
    so the field validators and converters are not run again.
    """
    (
        activity,
        resident,
        signed_in,
        signed_out,
        manual_minutes,
        manual_reason,
        confirmed_at,
        credited,
        reversed_at,
        reversal_reason,
    ) = values  # the fields in the class's order, each set once through its own slot
    record: Attendance = object.__new__(Attendance)
    _set_activity(record, activity)
    _set_resident(record, resident)
    _set_signed_in(record, signed_in)
    _set_signed_out(record, signed_out)
    _set_manual_minutes(record, manual_minutes)
    _set_manual_reason(record, manual_reason)
    _set_confirmed_at(record, confirmed_at)
    _set_credited(record, credited)
    _set_reversed_at(record, reversed_at)
    _set_reversal_reason(record, reversal_reason)
    return record


class _State:
    __slots__ = ("activity", "attendance", "cancelled_at", "claims")

    def __init__(self, activity: VolunteerActivity) -> None:
        self.activity = activity
        self.claims: dict[str, None] = {}  # residents holding a place, in claim order
        self.attendance: dict[str, _Row] = {}
        self.cancelled_at: pendulum.DateTime | None = None


def _refuse_actor(actor: str, allowed: str, step: str) -> PermissionDenied:
    return PermissionDenied(
        f"{actor!r} may not {step}; only {allowed} may ({ACTIVITY_RULE})",
        value=actor,
        limit=allowed,
        rule=ACTIVITY_RULE,
    )


def _wrong_step(message: str, *, value: object, limit: object) -> WrongStep:
    return WrongStep(f"{message} ({ACTIVITY_RULE})", value=value, limit=limit, rule=ACTIVITY_RULE)


class ActivityBook:
    """The activities of a programme and the state of each: claims, sign-ins, confirmations.

    Every command checks who acts (``by``) and when (``at``), and changes
    nothing if it refuses. Crediting points is not done here but by
    [`PointsProgramme.confirm`][grassroots.programme.programme.PointsProgramme.confirm],
    which records the result with
    [`confirmed`][grassroots.programme.activity.ActivityBook.confirmed].
    """

    def __init__(self) -> None:
        self._states: dict[str, _State] = {}
        self._times = Times()

    # --- reading ----------------------------------------------------------------------------

    def activity(self, activity_id: str) -> VolunteerActivity:
        """Return the activity ``activity_id``.

        Raises:
            UnknownReference: there is no such activity.
        """
        return self._state(activity_id).activity

    @property
    def activities(self) -> tuple[VolunteerActivity, ...]:
        """Every activity, in the order published."""
        return tuple(state.activity for state in self._states.values())

    def claims(self, activity_id: str) -> tuple[str, ...]:
        """Return the residents holding a place at an activity, in claim order."""
        return tuple(self._state(activity_id).claims)

    def is_cancelled(self, activity_id: str) -> bool:
        """Return whether the activity was cancelled."""
        return self._state(activity_id).cancelled_at is not None

    def attendance(self, activity_id: str, resident: str) -> Attendance | None:
        """Return the attendance record of ``resident`` at an activity, if any."""
        state = self._state(activity_id)
        row = state.attendance.get(resident)
        return None if row is None else self._view(state, resident, row)

    def records(self, resident: str) -> tuple[Attendance, ...]:
        """Return every attendance record of ``resident``, in the order of publication."""
        return tuple(
            self._view(state, resident, state.attendance[resident])
            for state in self._states.values()
            if resident in state.attendance
        )

    def earned(self, scheme: str) -> dict[str, int]:
        """Return the points of ``scheme`` each resident's standing confirmations credited.

        Reversed confirmations count nothing; residents are in the order first confirmed.
        """
        totals: dict[str, int] = {}
        for state in self._states.values():
            for resident, row in state.attendance.items():
                if row[4] is None or row[6] is not None:
                    continue
                for code, points in row[5]:
                    if code == scheme:
                        totals[resident] = totals.get(resident, 0) + points
        return totals

    # --- commands ---------------------------------------------------------------------------

    def publish(self, activity: VolunteerActivity, *, by: str) -> None:
        """Publish an activity; publishing the same one again changes nothing.

        Raises:
            PermissionDenied: ``by`` is not the activity's organiser.
            WrongStep: another activity has the same id.
        """
        if not isinstance(activity, VolunteerActivity):
            raise TypeError(f"publish takes a VolunteerActivity, not {type(activity).__name__}")
        if by != activity.organiser:
            raise _refuse_actor(by, f"the organiser {activity.organiser!r}", "publish it")
        known = self._states.get(activity.id)
        if known is not None:
            if known.activity == activity:
                return
            raise _wrong_step(
                f"activity {activity.id} is already published with other content",
                value=activity.id,
                limit="one activity per id",
            )
        self._states[activity.id] = _State(activity)

    def claim(
        self, activity_id: str, participant: Participant, *, by: str, at: _dt.datetime
    ) -> None:
        """Claim a place for ``participant`` before the start.

        Raises:
            PermissionDenied: ``by`` is not the participant.
            WrongStep: the activity is cancelled or started, or the place is already claimed.
            NotEligible: the participant is in none of the eligible groups.
            ActivityFull: every place is taken.
        """
        state = self._open_state(activity_id, at, "claim a place")
        if by != participant.id:
            raise _refuse_actor(by, f"the resident {participant.id!r}", "claim a place for them")
        activity = state.activity
        if participant.id in state.claims:
            raise _wrong_step(
                f"{participant.id!r} already holds a place at {activity.id}",
                value=participant.id,
                limit="one claim per resident",
            )
        if not activity.admits(participant):
            groups = sorted(group.value for group in activity.eligible)
            raise NotEligible(
                f"{participant.id!r} is in none of the groups {groups} that activity"
                f" {activity.id} is open to ({ACTIVITY_RULE})",
                value=sorted(group.value for group in participant.groups),
                limit=groups,
                rule=ACTIVITY_RULE,
            )
        if len(state.claims) >= activity.capacity:
            raise ActivityFull(
                f"activity {activity.id} has all its {activity.capacity} places taken",
                value=len(state.claims) + 1,
                limit=activity.capacity,
                rule=ACTIVITY_RULE,
            )
        state.claims[participant.id] = None

    def withdraw(self, activity_id: str, resident: str, *, by: str, at: _dt.datetime) -> None:
        """Give up a claimed place before the start.

        Raises:
            PermissionDenied: ``by`` is not the resident.
            WrongStep: the activity is cancelled or started, or there is no claim.
        """
        state = self._open_state(activity_id, at, "withdraw")
        if by != resident:
            raise _refuse_actor(by, f"the resident {resident!r}", "withdraw their claim")
        if resident not in state.claims:
            raise _wrong_step(
                f"{resident!r} holds no place at {activity_id}", value=resident, limit="a claim"
            )
        del state.claims[resident]

    def cancel(self, activity_id: str, *, by: str, at: _dt.datetime) -> tuple[str, ...]:
        """Cancel an activity before the start, releasing every claim; return who held one.

        Raises:
            PermissionDenied: ``by`` is not the organiser.
            WrongStep: it is already cancelled or started.
        """
        state = self._open_state(activity_id, at, "cancel")
        if by != state.activity.organiser:
            raise _refuse_actor(by, f"the organiser {state.activity.organiser!r}", "cancel it")
        released = tuple(state.claims)
        state.claims.clear()
        state.cancelled_at = require_aware(at, "at")
        return released

    def sign_in(self, activity_id: str, resident: str, *, by: str, at: _dt.datetime) -> Attendance:
        """Record that a claimant signed in, by themselves or by the organiser.

        Raises:
            PermissionDenied: ``by`` is neither the resident nor the organiser.
            WrongStep: no claim, already signed in, or the activity is cancelled.
        """
        state, record = self._attending(activity_id, resident, by, "sign in")
        when = require_aware(at, "at")
        if record.signed_in is not None:
            raise _wrong_step(
                f"{resident!r} already signed in at {activity_id}", value=resident, limit="once"
            )
        updated = attrs.evolve(record, signed_in=when)
        self._store(state, updated)
        return updated

    def sign_out(self, activity_id: str, resident: str, *, by: str, at: _dt.datetime) -> Attendance:
        """Record that a claimant signed out; hours run from sign-in to sign-out.

        Raises:
            PermissionDenied: ``by`` is neither the resident nor the organiser.
            WrongStep: not signed in, already signed out, or signing out before signing in.
        """
        state, record = self._attending(activity_id, resident, by, "sign out")
        when = require_aware(at, "at")
        if record.signed_in is None or record.signed_out is not None or when < record.signed_in:
            raise _wrong_step(
                f"{resident!r} cannot sign out of {activity_id} at {when.isoformat()}: sign in"
                " first, once, and sign out after it",
                value=when.isoformat(),
                limit=None if record.signed_in is None else record.signed_in.isoformat(),
            )
        updated = attrs.evolve(record, signed_out=when)
        self._store(state, updated)
        return updated

    def add_minutes(
        self, activity_id: str, resident: str, minutes: int, *, by: str, reason: str
    ) -> Attendance:
        """Add service minutes by hand, kept apart from the signed ones.

        Rule: hours added by hand need a reason and, with the signed ones, are
        at most the activity's scheduled length (志愿服务记录与证明出具办法（试行）).

        Raises:
            PermissionDenied: ``by`` is not the organiser.
            InvalidValue: no reason, or the minutes are not positive.
            WrongStep: the total would exceed the scheduled length.
        """
        state = self._state(activity_id)
        activity = state.activity
        if by != activity.organiser:
            raise _refuse_actor(by, f"the organiser {activity.organiser!r}", "add hours by hand")
        number = v.check_count(minutes, "minutes")
        why = v.check_text(reason, "reason").strip()
        if number < 1 or not why:
            raise InvalidValue(
                f"{number} minutes added by hand need a positive number and a reason"
                f" ({HOURS_RULE})",
                value=number,
                limit=1,
                rule=HOURS_RULE,
            )
        if state.cancelled_at is not None or resident not in state.claims:
            raise _wrong_step(
                f"{resident!r} holds no place at {activity_id} (or it is cancelled)",
                value=resident,
                limit="a claim",
            )
        record = self._record(state, resident)
        total = record.signed_minutes + record.manual_minutes + number
        if total > activity.scheduled_minutes:
            raise WrongStep(
                f"{total} minutes for {resident!r} at {activity_id} exceed its scheduled"
                f" {activity.scheduled_minutes} minutes ({HOURS_RULE})",
                value=total,
                limit=activity.scheduled_minutes,
                rule=HOURS_RULE,
            )
        reasons = f"{record.manual_reason}; {why}" if record.manual_reason else why
        updated = attrs.evolve(
            record, manual_minutes=record.manual_minutes + number, manual_reason=reasons
        )
        self._store(state, updated)
        return updated

    def check_confirmer(self, activity_id: str, *, by: str, at: _dt.datetime) -> None:
        """Check that ``by`` may confirm attendance at the activity at ``at``.

        Raises:
            PermissionDenied: ``by`` is not the organiser.
            WrongStep: before the end, or the activity is cancelled.
        """
        state = self._state(activity_id)
        activity = state.activity
        if by != activity.organiser:
            raise _refuse_actor(by, f"the organiser {activity.organiser!r}", "confirm attendance")
        when = require_aware(at, "at")
        if state.cancelled_at is not None or when < activity.end:
            raise _wrong_step(
                f"attendance at {activity_id} is confirmed after its end"
                f" {activity.end.isoformat()} and not if cancelled, not at {when.isoformat()}",
                value=when.isoformat(),
                limit=activity.end.isoformat(),
            )

    def check_confirm(
        self, activity_id: str, resident: str, *, by: str, at: _dt.datetime
    ) -> Attendance | None:
        """Check that ``by`` may confirm ``resident`` now; return the existing confirmed record.

        Returns ``None`` when the resident is not yet confirmed (so points are due).

        Raises:
            PermissionDenied: ``by`` is not the organiser.
            WrongStep: before the end, cancelled, no claim, or the confirmation was reversed.
        """
        self.check_confirmer(activity_id, by=by, at=at)
        return self.check_claimants(activity_id, [resident])[resident]

    def check_claimants(
        self, activity_id: str, residents: Iterable[str]
    ) -> dict[str, Attendance | None]:
        """Check that each resident holds a place and was not reversed; return confirmed records.

        Call it after
        [`check_confirmer`][grassroots.programme.activity.ActivityBook.check_confirmer].
        Each resident maps to their confirmed record, or ``None`` if points are due.

        Raises:
            WrongStep: a resident holds no place, or their confirmation was reversed.
        """
        state = self._state(activity_id)
        claims = state.claims
        attendance = state.attendance
        found: dict[str, Attendance | None] = {}
        for resident in residents:
            if resident not in claims:
                raise _wrong_step(
                    f"{resident!r} did not claim a place at {activity_id}",
                    value=resident,
                    limit="a claim",
                )
            row = attendance.get(resident)
            if row is not None and row[6] is not None:
                raise _wrong_step(
                    f"the confirmation of {resident!r} at {activity_id} was reversed; it is not"
                    " confirmed again",
                    value=resident,
                    limit="one confirmation",
                )
            found[resident] = (
                self._view(state, resident, row) if row is not None and row[4] else None
            )
        return found

    def confirmed(
        self,
        activity_id: str,
        resident: str,
        *,
        at: _dt.datetime,
        credited: Iterable[tuple[str, int]],
    ) -> Attendance:
        """Record a confirmation that `check_confirm` allowed, with the points credited."""
        return self._confirmed(
            self._state(activity_id), resident, require_aware(at, "at"), _credits(credited)
        )

    def _confirmed(
        self,
        state: _State,
        resident: str,
        at: pendulum.DateTime,
        credited: tuple[tuple[str, int], ...],
    ) -> Attendance:
        # The values are checked: a claimant's id, an aware time, whole points per scheme.
        row = state.attendance.get(resident, _BLANK)
        key = self._times.key(at)
        state.attendance[resident] = (*row[:4], key, credited, *row[6:])
        if row is _BLANK:  # the usual case: nothing recorded before, no time to read back
            return _attendance(
                (state.activity.id, resident, None, None, 0, "", at, credited, None, "")
            )
        return self._view(state, resident, state.attendance[resident])

    def confirm_all(
        self,
        activity_id: str,
        plan: Iterable[tuple[str, tuple[tuple[str, int], ...]]],
        *,
        at: pendulum.DateTime,
    ) -> dict[str, Attendance]:
        """Record the confirmations `check_claimants` allowed, with the points each was credited."""
        state = self._state(activity_id)
        attendance = state.attendance
        key = self._times.key(at)
        code = state.activity.id
        recorded: dict[str, Attendance] = {}
        for resident, credited in plan:
            # The values are checked: a claimant's id, an aware time, whole points per scheme.
            row = attendance.get(resident)
            if row is None:  # the usual case: nothing recorded before, no time to read back
                attendance[resident] = (None, None, 0, "", key, credited, None, "")
                recorded[resident] = _attendance(
                    (code, resident, None, None, 0, "", at, credited, None, "")
                )
            else:
                attendance[resident] = (*row[:4], key, credited, *row[6:])
                recorded[resident] = self._view(state, resident, attendance[resident])
        return recorded

    def check_reversal(
        self, activity_id: str, resident: str, *, by: str, reason: str
    ) -> Attendance:
        """Check that ``by`` may reverse the confirmation of ``resident``; return its record.

        Raises:
            PermissionDenied: ``by`` is not the organiser.
            InvalidValue: no reason is given.
            WrongStep: the resident is not confirmed, or already reversed.
        """
        state = self._state(activity_id)
        if by != state.activity.organiser:
            raise _refuse_actor(
                by, f"the organiser {state.activity.organiser!r}", "reverse a confirmation"
            )
        if not v.check_text(reason, "reason").strip():
            raise InvalidValue(
                "a reversal of a confirmation needs a reason",
                value=reason,
                limit="a reason",
                rule=ACTIVITY_RULE,
            )
        row = state.attendance.get(resident)
        if row is None or row[4] is None or row[6] is not None:
            raise _wrong_step(
                f"{resident!r} has no confirmation at {activity_id} to reverse",
                value=resident,
                limit="a confirmation",
            )
        return self._view(state, resident, row)

    def reversed(
        self, activity_id: str, resident: str, *, at: _dt.datetime, reason: str
    ) -> Attendance:
        """Record a reversal that `check_reversal` allowed."""
        state = self._state(activity_id)
        record = self._view(state, resident, state.attendance[resident])
        updated = attrs.evolve(record, reversed_at=at, reversal_reason=reason)
        self._store(state, updated)
        return updated

    def certificate(self, resident: str, *, by: str, at: _dt.datetime) -> VolunteerCertificate:
        """Issue the volunteer record certificate of ``resident`` for what ``by`` organised.

        Whoever organises records, whoever records certifies: the certificate lists
        only confirmed activities the issuer organised, with content, hours (signed and
        by hand apart) and points. It is free.

        Raises:
            PermissionDenied: ``by`` organised no activity the resident is confirmed at.
        """
        when = require_aware(at, "at")
        lines = []
        for state in sorted(self._states.values(), key=lambda s: s.activity.start):
            row = state.attendance.get(resident)
            if state.activity.organiser != by or row is None or row[4] is None or row[6]:
                continue
            record = self._view(state, resident, row)
            lines.append(
                CertificateLine(
                    activity=state.activity.id,
                    title=state.activity.title,
                    content=state.activity.content,
                    start=state.activity.start,
                    signed_minutes=record.signed_minutes,
                    manual_minutes=record.manual_minutes,
                    points=record.credited,
                )
            )
        if not lines:
            raise PermissionDenied(
                f"{by!r} recorded no confirmed service of {resident!r}; {CERTIFICATE_RULE}",
                value=by,
                limit="the organiser who recorded it",
                rule=CERTIFICATE_RULE,
            )
        return VolunteerCertificate(resident=resident, issuer=by, issued_at=when, lines=lines)

    # --- helpers ----------------------------------------------------------------------------

    def _state(self, activity_id: str) -> _State:
        state = self._states.get(activity_id)
        if state is None:
            raise UnknownReference(
                f"no activity {activity_id!r} is published",
                value=activity_id,
                rule="an activity is published before it is used",
            )
        return state

    def _open_state(self, activity_id: str, at: _dt.datetime, step: str) -> _State:
        state = self._state(activity_id)
        when = require_aware(at, "at")
        if state.cancelled_at is not None or when >= state.activity.start:
            raise _wrong_step(
                f"cannot {step} at {activity_id} at {when.isoformat()}: only before its start"
                f" {state.activity.start.isoformat()} and while it is not cancelled",
                value=when.isoformat(),
                limit=state.activity.start.isoformat(),
            )
        return state

    def _attending(
        self, activity_id: str, resident: str, by: str, step: str
    ) -> tuple[_State, Attendance]:
        state = self._state(activity_id)
        if by not in (resident, state.activity.organiser):
            raise _refuse_actor(by, f"{resident!r} or the organiser", step)
        if state.cancelled_at is not None or resident not in state.claims:
            raise _wrong_step(
                f"{resident!r} holds no place at {activity_id} (or it is cancelled)",
                value=resident,
                limit="a claim",
            )
        return state, self._record(state, resident)

    def _record(self, state: _State, resident: str) -> Attendance:
        return self._view(state, resident, state.attendance.get(resident, _BLANK))

    def _view(self, state: _State, resident: str, row: _Row) -> Attendance:
        """Build the record of ``resident`` from its row (values checked when recorded)."""
        times = self._times
        signed_in, signed_out, minutes, reason, confirmed, credited, reversed_at, why = row
        return _attendance(
            (
                state.activity.id,
                resident,
                optional_time(times, signed_in),
                optional_time(times, signed_out),
                minutes,
                reason,
                optional_time(times, confirmed),
                credited,
                optional_time(times, reversed_at),
                why,
            )
        )

    def _store(self, state: _State, record: Attendance) -> None:
        """Keep ``record`` as a row (its values are checked: it is an ``Attendance``)."""
        times = self._times
        state.attendance[record.resident] = (
            None if record.signed_in is None else times.key(record.signed_in),
            None if record.signed_out is None else times.key(record.signed_out),
            record.manual_minutes,
            record.manual_reason,
            None if record.confirmed_at is None else times.key(record.confirmed_at),
            record.credited,
            None if record.reversed_at is None else times.key(record.reversed_at),
            record.reversal_reason,
        )
