"""The exception tree of grassroots.

Every error the library raises on purpose is a :class:`GrassrootsError`. The
families say what went wrong, and each also inherits the builtin it resembles
so that generic handlers (``except ValueError``) keep working:

```
GrassrootsError(Exception)
├── RuleViolation(GrassrootsError, ValueError)      a rule of law, party rules or policy is broken
├── InvalidTransition(GrassrootsError, ValueError)  a wrong step, actor or order
├── UnknownReference(GrassrootsError, LookupError)  an id that is not in this model
├── SerializationError(GrassrootsError, ValueError) input data that cannot be structured
└── StorageError(GrassrootsError)                   raised by storage adapters only
```

Every error carries a stable, machine-readable :attr:`~GrassrootsError.code`
(dotted, such as ``"points.insufficient"``), and the facts behind its message as
attributes: :attr:`~GrassrootsError.value` (what was given),
:attr:`~GrassrootsError.limit` (what the rule allows) and
:attr:`~GrassrootsError.rule` (the rule and its source, in words).

API misuse (a ``float`` for money, a wrong type) is a plain :class:`TypeError`:
a programming error, not a broken rule.

Examples:
    >>> from grassroots import errors
    >>> try:
    ...     raise errors.RuleViolation(
    ...         "state share 49/100 is below the minimum 51/100",
    ...         value="49/100",
    ...         limit="51/100",
    ...         rule="venture policy (Tancheng case)",
    ...     )
    ... except ValueError as exc:
    ...     print(exc.code, exc.limit)
    rule 51/100
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "AccountClosed",
    "AllocationError",
    "ConflictError",
    "CoverageGap",
    "DoubleCoverage",
    "DuplicateTransfer",
    "GrassrootsError",
    "InsufficientPoints",
    "InvalidTransition",
    "JournalCorrupted",
    "QuorumNotMet",
    "RuleViolation",
    "SerializationError",
    "StateShareTooLow",
    "StorageError",
    "StorageUnavailable",
    "UnknownReference",
]


class GrassrootsError(Exception):
    """Raised when grassroots refuses an operation; the base of every library error.

    Args:
        message: One sentence that names the offending value, the limit and the rule.
        value: The offending value, as given.
        limit: The bound or the expected value that the rule sets.
        rule: The rule and its source, in words (for example ``"公司法 art. 66 ¶3"``).
    """

    code: ClassVar[str] = "grassroots"
    """A stable, machine-readable identifier of the error's kind."""

    def __init__(
        self,
        message: str,
        *,
        value: object = None,
        limit: object = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.value = value
        self.limit = limit
        self.rule = rule

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments survive pickling (multiprocessing, pytest-xdist).
        return (_rebuild, (type(self), self.message, self.value, self.limit, self.rule))


def _rebuild(
    cls: type[GrassrootsError], message: str, value: object, limit: object, rule: str | None
) -> GrassrootsError:
    return cls(message, value=value, limit=limit, rule=rule)


# --- families -----------------------------------------------------------------


class RuleViolation(GrassrootsError, ValueError):
    """Raised when a value breaks a rule of law, of the Party's rules or of policy."""

    code = "rule"


class InvalidTransition(GrassrootsError, ValueError):
    """Raised when a step is taken out of order, by the wrong actor, or twice."""

    code = "transition"


class UnknownReference(GrassrootsError, LookupError):
    """Raised when an id names nothing in this model."""

    code = "unknown"


class SerializationError(GrassrootsError, ValueError):
    """Raised when input data cannot be structured into a grassroots object.

    Attributes:
        problems: Every problem found, each as ``"message @ $.path"``.
    """

    code = "serialization"

    def __init__(
        self,
        message: str,
        *,
        problems: tuple[str, ...] = (),
        value: object = None,
        limit: object = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(message, value=value, limit=limit, rule=rule)
        self.problems = tuple(problems)

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_serialization,
            (self.message, self.problems, self.value, self.limit, self.rule),
        )


def _rebuild_serialization(
    message: str, problems: tuple[str, ...], value: object, limit: object, rule: str | None
) -> SerializationError:
    return SerializationError(message, problems=problems, value=value, limit=limit, rule=rule)


class StorageError(GrassrootsError):
    """Raised when a storage adapter cannot do what was asked."""

    code = "storage"


class ConflictError(StorageError):
    """Raised when a write conflicts with what the store already holds."""

    code = "storage.conflict"


class StorageUnavailable(StorageError):
    """Raised when the store cannot be reached."""

    code = "storage.unavailable"


# --- points ledger -------------------------------------------------------------


class InsufficientPoints(RuleViolation):
    """Raised when a wallet would go below zero points."""

    code = "points.insufficient"


class AccountClosed(InvalidTransition):
    """Raised when a transfer names an account that has been closed."""

    code = "points.account_closed"


class DuplicateTransfer(InvalidTransition):
    """Raised when a transfer id is posted again with different content."""

    code = "points.duplicate_id"


class JournalCorrupted(GrassrootsError, ValueError):
    """Raised when a journal's hash chain does not verify or does not replay."""

    code = "points.journal_corrupted"


# --- joint ventures and profit allocation --------------------------------------


class StateShareTooLow(RuleViolation):
    """Raised when the state-owned share of a joint venture falls below its minimum."""

    code = "venture.state_share"


class AllocationError(RuleViolation):
    """Raised when a profit allocation's inputs or parts break a rule."""

    code = "allocation"


# --- organisation and deliberation ---------------------------------------------


class CoverageGap(RuleViolation):
    """Raised when a subcommunity is covered by no party branch."""

    code = "organisation.coverage_gap"


class DoubleCoverage(RuleViolation):
    """Raised when a subcommunity is covered by more than one party branch."""

    code = "organisation.double_coverage"


class QuorumNotMet(RuleViolation):
    """Raised when a meeting decides without the attendance its rules require."""

    code = "deliberation.quorum"
