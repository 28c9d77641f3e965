"""Expiry policies (积分有效期) and the clock that dates the end of a lot fast (private)."""

from __future__ import annotations

import datetime as _dt
import enum

import attrs
import pendulum

from grassroots._time import SHANGHAI, require_aware
from grassroots.errors import (
    InvalidValue,
)
from grassroots.ledger._checks import _count, _enum_member, _require_in_range
from grassroots.ledger._instants import (
    _FAR,
    _LAST_YEAR,
    DAY,
    MAX_INSTANT,
    NEVER,
    instant,
    shanghai_date,
    shanghai_midnight,
    to_datetime,
)
from grassroots.ledger._rules import MAX_EXPIRY_COUNTS, TIME_RANGE_RULE


class ExpiryClock:
    """Computes the expiry instant of a lot from the instant it was earned, fast.

    ``rule`` is ``"never"``, ``"after_days"``, ``"end_of_month"`` or
    ``"end_of_year"`` and ``count`` its number of days, months or years. For the
    calendar rules the answer is the same for a whole local month or year, so
    the last window ``[lo, hi)`` and its answer are cached.
    """

    __slots__ = ("count", "delta", "expiry", "hi", "lo", "rule")

    def __init__(self, rule: str, count: int) -> None:
        self.rule = rule
        self.count = count
        self.delta = count * DAY if rule == "after_days" else 0
        # The window [lo, hi) of earning instants whose expiry is ``expiry``.
        self.lo, self.hi = (-_FAR, _FAR) if rule == "never" else (0, 0)
        self.expiry = NEVER

    def expires(self, earned: int) -> int:
        """Return the instant at which a lot earned at ``earned`` can no longer be spent."""
        rule = self.rule
        if rule == "never":
            return NEVER
        if rule == "after_days":
            expires = earned + self.delta
            # An expiry after the last recorded instant is never reached.
            return expires if expires <= MAX_INSTANT else NEVER
        if self.lo <= earned < self.hi:
            return self.expiry
        date = shanghai_date(earned)
        if rule == "end_of_year":
            lo, hi = (date.year, 1), (date.year + 1, 1)
            last = (date.year + self.count + 1, 1)
        else:  # end_of_month
            lo = (date.year, date.month)
            next_year, next_month = divmod(date.month, 12)
            hi = (date.year + next_year, next_month + 1)
            last_year, last_month = divmod(date.month + self.count, 12)
            last = (date.year + last_year, last_month + 1)
        self.lo = shanghai_midnight(*lo)
        self.hi = shanghai_midnight(*hi) if hi[0] <= _LAST_YEAR else _FAR
        # An expiry after the calendar's last year is never reached.
        self.expiry = shanghai_midnight(*last) if last[0] <= _LAST_YEAR else NEVER
        if self.expiry > MAX_INSTANT:
            self.expiry = NEVER
        return self.expiry


class ExpiryRule(enum.Enum):
    """How an expiry policy dates the end of a lot."""

    NEVER = "never"
    """The lot never expires."""
    AFTER_DAYS = "after_days"
    """``count`` days of 24 hours after the lot was earned."""
    END_OF_MONTH = "end_of_month"
    """The end of the ``count``-th calendar month after the month of earning (0: that month)."""
    END_OF_YEAR = "end_of_year"
    """The end of the ``count``-th calendar year after the year of earning (0: that year)."""


def _expiry_rule(value: object) -> ExpiryRule:
    return value if type(value) is ExpiryRule else _enum_member(ExpiryRule, value, "expiry rule")


@attrs.frozen(kw_only=True)
class ExpiryPolicy:
    """When the points of a lot expire (积分有效期), computed in Asia/Shanghai.

    Build one with [`never`][grassroots.ledger.ExpiryPolicy.never],
    [`after_days`][grassroots.ledger.ExpiryPolicy.after_days],
    [`end_of_month`][grassroots.ledger.ExpiryPolicy.end_of_month] or
    [`end_of_year`][grassroots.ledger.ExpiryPolicy.end_of_year]. A lot expires *at* the instant
    given by the policy: it
    can be spent strictly before that instant and not at or after it.

    Rule: points rule 4 of the docs' rules page (never; N days after earning; end of month; end
    of the Nth year; computed in Asia/Shanghai).

    Args:
        rule: The kind of policy.
        count: Days for ``AFTER_DAYS`` (at least 1), months for
            ``END_OF_MONTH``, years for ``END_OF_YEAR``; 0 for ``NEVER``.

    Examples:
        >>> import pendulum
        >>> earned = pendulum.datetime(2025, 6, 1, 10, tz="Asia/Shanghai")
        >>> ExpiryPolicy.end_of_year(1).expires_at(earned)
        DateTime(2027, 1, 1, 0, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        >>> ExpiryPolicy.after_days(30).expires_at(earned).to_date_string()
        '2025-07-01'
        >>> ExpiryPolicy.never().expires_at(earned) is None
        True
    """

    rule: ExpiryRule = attrs.field(default=ExpiryRule.NEVER, converter=_expiry_rule)
    count: int = attrs.field(default=0, validator=_count)

    def __attrs_post_init__(self) -> None:
        rule = "points rule 4: expiry policies (docs: rules and sources, points)"
        if self.rule is ExpiryRule.NEVER and self.count:
            raise InvalidValue(
                f"a policy that never expires takes no count, not {self.count} ({rule})",
                value=self.count,
                limit=0,
                rule=rule,
            )
        if self.rule is ExpiryRule.AFTER_DAYS and self.count < 1:
            raise InvalidValue(
                f"an expiry after {self.count} days is not at least one day ({rule})",
                value=self.count,
                limit=1,
                rule=rule,
            )
        largest = MAX_EXPIRY_COUNTS.get(self.rule.value, 0)
        if self.count > largest:
            raise InvalidValue(
                f"an expiry {self.rule.value} count of {self.count} is above {largest}, which"
                f" already reaches past the last time the ledger records ({TIME_RANGE_RULE})",
                value=self.count,
                limit=largest,
                rule=TIME_RANGE_RULE,
            )

    @classmethod
    def never(cls) -> ExpiryPolicy:
        """Return the policy under which points never expire."""
        return cls(rule=ExpiryRule.NEVER)

    @classmethod
    def after_days(cls, days: int) -> ExpiryPolicy:
        """Return the policy under which points expire ``days`` days after they were earned."""
        return cls(rule=ExpiryRule.AFTER_DAYS, count=days)

    @classmethod
    def end_of_month(cls, months_after: int = 0) -> ExpiryPolicy:
        """Return the policy: expire at the end of the ``months_after``-th month after earning."""
        return cls(rule=ExpiryRule.END_OF_MONTH, count=months_after)

    @classmethod
    def end_of_year(cls, years_after: int = 0) -> ExpiryPolicy:
        """Return the policy: expire at the end of the ``years_after``-th year after earning."""
        return cls(rule=ExpiryRule.END_OF_YEAR, count=years_after)

    def expires_at(self, earned_at: _dt.datetime) -> pendulum.DateTime | None:
        """Return the instant a lot earned at ``earned_at`` expires, or None if it never does.

        The instant is given in Asia/Shanghai.
        """
        earned = instant(require_aware(earned_at, "earned_at"))
        _require_in_range(earned, earned_at, "earned_at")
        key = ExpiryClock(self.rule.value, self.count).expires(earned)
        return None if key >= NEVER else to_datetime(key, SHANGHAI)
