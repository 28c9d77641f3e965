"""The exception tree of grassroots.

Every error the library raises on purpose is a
[`GrassrootsError`][grassroots.errors.GrassrootsError]. The families say what
went wrong, and each also inherits the builtin it resembles so that generic
handlers (``except ValueError``) keep working:

```
GrassrootsError(Exception)
├── RuleViolation(GrassrootsError, ValueError)      a rule of law, party rules or policy is broken
│   └── InvalidValue                                a malformed value (a blank id, a NUL)
├── InvalidTransition(GrassrootsError, ValueError)  a wrong step, actor or order
├── UnknownReference(GrassrootsError, LookupError)  an id that is not in this model
├── SerializationError(GrassrootsError, ValueError) input data that cannot be structured
└── StorageError(GrassrootsError)                   raised by storage adapters only
```

Every error carries a stable, machine-readable [`code`][grassroots.errors.GrassrootsError.code]
(dotted, such as ``"points.insufficient"``), and the facts behind its message as
attributes: [`value`][grassroots.errors.GrassrootsError.value] (what was given),
[`limit`][grassroots.errors.GrassrootsError.limit] (what the rule allows) and
[`rule`][grassroots.errors.GrassrootsError.rule] (the rule and its source, in words).

API misuse (a ``float`` for money, a wrong type) is a plain `TypeError`:
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

from typing import Any, ClassVar

__all__ = [
    "AccountClosed",
    "AccountNotEmpty",
    "ActivityFull",
    "AllocationError",
    "AllocationMismatch",
    "AlreadyReversed",
    "BatchRejected",
    "BranchTooLarge",
    "BranchTooSmall",
    "ConcurrencyConflict",
    "ConflictError",
    "CorruptRow",
    "CoverageGap",
    "CoverageOutsideCounty",
    "DoubleCoverage",
    "DuplicateId",
    "DuplicateRecord",
    "DuplicateTransfer",
    "EarningCapReached",
    "ExchangeLimitReached",
    "FundInsufficient",
    "GrassrootsError",
    "GridGap",
    "GridOverlap",
    "IllegalMove",
    "ImportRejected",
    "InsufficientPoints",
    "InvalidCommittee",
    "InvalidContribution",
    "InvalidJointBranch",
    "InvalidTransition",
    "InvalidValue",
    "JournalCorrupted",
    "LedgerImbalance",
    "MeetingOverdue",
    "NoExchangeRate",
    "NoRuleSet",
    "NoVotingRight",
    "NotEligible",
    "OutOfOrder",
    "OwnersConsentMissing",
    "PermissionDenied",
    "PointsExpired",
    "QuorumNotMet",
    "RedemptionRefused",
    "ResolutionNotPassed",
    "RuleViolation",
    "ScenarioError",
    "SchemaTooNew",
    "SchemeMismatch",
    "SerializationError",
    "SettlementMismatch",
    "ShareholderCountOutOfRange",
    "StateShareTooLow",
    "StorageError",
    "StorageUnavailable",
    "TermExpired",
    "TransferNotAllowed",
    "UnknownAccount",
    "UnknownMessage",
    "UnknownOccurrence",
    "UnknownRecord",
    "UnknownReference",
    "UnknownScheme",
    "UnknownSuggestion",
    "UnknownTransfer",
    "VoteNotCarried",
    "VotingRightsError",
    "WrongActor",
    "WrongStep",
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

    message: str
    """The one-sentence message, as ``str(error)`` gives it."""
    value: object
    """The offending value, as given."""
    limit: object
    """The bound or the expected value that the rule sets."""
    rule: str | None
    """The rule and its source, in words, citing the docs' rules page."""

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


class InvalidValue(RuleViolation):
    """Raised when a value is malformed: a blank id, text with control characters, a ratio.

    Also for a ratio with a zero denominator, or a number outside the range the
    model admits.

    The rule is the model's own integrity rule (see the rules page of the docs,
    "Model integrity"), not a rule of law.
    """

    code = "value"


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


class ScenarioError(SerializationError):
    """Raised when a scenario file is refused: every problem listed, each with its path.

    Attributes:
        problems: Every problem found, each as ``"message (rule) @ field.path"``.
    """

    code = "serialization.scenario"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_scenario,
            (self.message, self.problems, self.value, self.limit, self.rule),
        )


def _rebuild_scenario(
    message: str, problems: tuple[str, ...], value: object, limit: object, rule: str | None
) -> ScenarioError:
    return ScenarioError(message, problems=problems, value=value, limit=limit, rule=rule)


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
    """Raised when a journal's hash chain does not verify or does not replay.

    Its [`value`][grassroots.errors.GrassrootsError.value] is the position of the first bad entry.
    """

    code = "points.journal_corrupted"


class PointsExpired(InsufficientPoints):
    """Raised when a wallet holds enough points but too many of them have expired."""

    code = "points.expired"


class SchemeMismatch(RuleViolation):
    """Raised when a transfer or an exchange mixes accounts of the wrong schemes."""

    code = "points.scheme_mismatch"


class TransferNotAllowed(RuleViolation):
    """Raised when a kind of transfer is not allowed between the kinds of its accounts."""

    code = "points.transfer_not_allowed"


class LedgerImbalance(RuleViolation):
    """Raised when a ledger audit finds balances that do not add up."""

    code = "points.imbalance"


class AlreadyReversed(InvalidTransition):
    """Raised when a reversal would take back more than what is left of a transfer."""

    code = "points.already_reversed"


class OutOfOrder(InvalidTransition):
    """Raised when an entry is dated before the last entry of the journal."""

    code = "points.out_of_order"


class AccountNotEmpty(InvalidTransition):
    """Raised when a wallet that still holds points is closed."""

    code = "points.account_not_empty"


class DuplicateRecord(InvalidTransition):
    """Raised when a scheme, account or rate is recorded again with different content."""

    code = "points.duplicate_record"


class UnknownAccount(UnknownReference):
    """Raised when an account id names no account of the ledger."""

    code = "points.unknown_account"


class UnknownScheme(UnknownReference):
    """Raised when a scheme code names no scheme of the ledger."""

    code = "points.unknown_scheme"


class UnknownTransfer(UnknownReference):
    """Raised when a transfer id names no posted transfer."""

    code = "points.unknown_transfer"


class NoExchangeRate(UnknownReference):
    """Raised when no exchange rate between two schemes is in force at the time asked."""

    code = "points.no_rate"


class BatchRejected(GrassrootsError, ValueError):
    """Raised when one transfer of a batch is refused, so that none of the batch is applied.

    Attributes:
        index: The position of the refused transfer in the batch, from 0.
        transfer_id: The id of the refused transfer.
        reason: The error that refused it (also the ``__cause__``). The ledger
            always sets all three.
    """

    code = "points.batch_rejected"

    def __init__(
        self,
        message: str,
        *,
        index: int = -1,
        transfer_id: str = "",
        reason: GrassrootsError | None = None,
        value: object = None,
        limit: object = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(message, value=value, limit=limit, rule=rule)
        self.index = index
        self.transfer_id = transfer_id
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        fields = {
            "index": self.index,
            "transfer_id": self.transfer_id,
            "reason": self.reason,
            "value": self.value,
            "limit": self.limit,
            "rule": self.rule,
        }
        return (_rebuild_batch, (self.message, fields))


def _rebuild_batch(message: str, fields: dict[str, Any]) -> BatchRejected:
    return BatchRejected(message, **fields)


# --- joint ventures and profit allocation --------------------------------------


class StateShareTooLow(RuleViolation):
    """Raised when the state-owned share of a joint venture falls below its minimum."""

    code = "venture.state_share"


class AllocationError(RuleViolation):
    """Raised when a profit allocation's inputs or parts break a rule."""

    code = "allocation"


class AllocationMismatch(AllocationError):
    """Raised when the lines of an allocated period do not add up to its profit or balances."""

    code = "allocation.mismatch"


class ShareholderCountOutOfRange(RuleViolation):
    """Raised when a limited liability company would have no shareholder or more than 50."""

    code = "venture.shareholder_count"


class InvalidContribution(RuleViolation):
    """Raised when subscribed or paid-in capital is impossible (paid-in above subscribed, ...)."""

    code = "venture.contribution"


class VotingRightsError(RuleViolation):
    """Raised when voting rights are missing, negative, or given where capital decides them."""

    code = "venture.voting_rights"


class ResolutionNotPassed(RuleViolation):
    """Raised when a change needs a shareholders' resolution that the votes given do not carry."""

    code = "venture.resolution"


class DuplicateId(RuleViolation):
    """Raised when an id appears twice where it must be unique (shareholders, projects, staff)."""

    code = "venture.duplicate_id"


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


class GridGap(RuleViolation):
    """Raised when a unit (单元) of a community is in no grid (网格)."""

    code = "organisation.grid_gap"


class GridOverlap(RuleViolation):
    """Raised when a unit (单元) of a community is in more than one grid (网格)."""

    code = "organisation.grid_overlap"


class CoverageOutsideCounty(RuleViolation):
    """Raised when a party branch covers a subcommunity id that its county does not have."""

    code = "organisation.coverage_outside"


class BranchTooSmall(RuleViolation):
    """Raised when a party branch has fewer full members than it needs to exist."""

    code = "organisation.branch_too_small"


class BranchTooLarge(RuleViolation):
    """Raised when a party branch has more members than a branch normally has."""

    code = "organisation.branch_too_large"


class InvalidJointBranch(RuleViolation):
    """Raised when a joint party branch (联合党支部) breaks the rules for joining units."""

    code = "organisation.joint_branch"


class InvalidCommittee(RuleViolation):
    """Raised when a branch's committee or officers break the rules on who leads a branch."""

    code = "organisation.committee"


class TermExpired(RuleViolation):
    """Raised when a branch's term of office has run out and it is due for renewal."""

    code = "organisation.term_expired"


class NoVotingRight(RuleViolation):
    """Raised when someone without a vote (a probationary Party member) votes or stands."""

    code = "organisation.no_vote"


class OwnersConsentMissing(RuleViolation):
    """Raised when owners' common parts are put to business use without the owners' approval."""

    code = "organisation.owners_consent"


# --- points programme -----------------------------------------------------------


class PermissionDenied(InvalidTransition):
    """Raised when someone acts who may not: not the organiser, not the resident, not an admin."""

    code = "programme.permission"


class WrongStep(InvalidTransition):
    """Raised when a step of an activity, a redemption or a settlement comes at the wrong time.

    For example a claim after the start, a confirmation before the end, a
    withdrawal by a resident who has not claimed, or a refund of more than was paid.
    """

    code = "programme.wrong_step"


class NotEligible(RuleViolation):
    """Raised when a resident outside the activity's eligible groups claims a place."""

    code = "programme.not_eligible"


class ActivityFull(RuleViolation):
    """Raised when a claim would take an activity beyond its capacity."""

    code = "programme.activity_full"


class EarningCapReached(RuleViolation):
    """Raised when a credit would exceed a resident's earning cap under a refusing cap."""

    code = "programme.cap_reached"


class RedemptionRefused(RuleViolation):
    """Raised when a redemption breaks the merchant's rule: scheme, minimum bill, no discount."""

    code = "programme.redemption_refused"


class FundInsufficient(RuleViolation):
    """Raised when a public-revenue fund would go below zero."""

    code = "programme.fund_insufficient"


class ExchangeLimitReached(RuleViolation):
    """Raised when a conversion would exceed a resident's daily limit at the exchange window."""

    code = "programme.exchange_limit"


class SettlementMismatch(RuleViolation):
    """Raised when a settlement's receipts do not reconcile with the points ledger."""

    code = "programme.settlement_mismatch"


# --- deliberation: the suggestion pipeline, meetings and the wish mailbox -------


class IllegalMove(InvalidTransition):
    """Raised when a suggestion, a message or a meeting occurrence is moved along an edge it lacks.

    For example publishing a party review that was never drafted, or voting at
    the residents' assembly on a suggestion the party organisation has not
    approved.
    """

    code = "deliberation.illegal_move"


class WrongActor(PermissionDenied):
    """Raised when a step of the suggestion pipeline is taken by someone not entitled to it.

    A [`PermissionDenied`][grassroots.errors.PermissionDenied], so one handler
    catches a wrong actor in every area.

    Only a grid worker (网格员) of the place records, only a residents'
    representative (居民代表) moves a suggestion through the representatives'
    meeting, only the community party organisation (社区党组织) reviews, only the
    assembly's recorder enters the residents' meeting's vote, and only the
    residents' committee (居民委员会) implements and publishes.
    """

    code = "deliberation.wrong_actor"


class VoteNotCarried(RuleViolation):
    """Raised when a decision is entered with a vote that did not carry it."""

    code = "deliberation.not_carried"


class NoRuleSet(UnknownReference):
    """Raised when no rule set of the residents' committee law is in force on a date."""

    code = "deliberation.no_rule_set"


class UnknownSuggestion(UnknownReference):
    """Raised when a suggestion id names no suggestion of the pipeline."""

    code = "deliberation.unknown_suggestion"


class UnknownMessage(UnknownReference):
    """Raised when a message id names no message of the wish mailbox."""

    code = "deliberation.unknown_message"


class UnknownOccurrence(UnknownReference):
    """Raised when a time names no occurrence of a meeting series."""

    code = "deliberation.unknown_occurrence"


class MeetingOverdue(RuleViolation):
    """Raised when a party branch let a period pass without a meeting its rules ask for."""

    code = "organisation.meeting_overdue"


# --- storage ----------------------------------------------------------------------


class ConcurrencyConflict(ConflictError):
    """Raised when an append expected a head the stream has moved past: another writer won.

    Reload the stream and try again: nothing of the refused append was stored.
    ``value`` is the head the append expected, ``limit`` the head the store has.
    """

    code = "storage.concurrency"


class SchemaTooNew(StorageError):
    """Raised when a database was written by a newer schema version than this library knows.

    ``value`` is the database's version, ``limit`` the newest this library reads.
    """

    code = "storage.schema_too_new"


class CorruptRow(StorageError):
    """Raised when a stored row cannot be read back as what it claims to be.

    Attributes:
        stream: The stream the row belongs to, as ``county/community/name``.
        position: The row's journal position, or the record's revision.
    """

    code = "storage.corrupt_row"

    def __init__(
        self,
        message: str,
        *,
        stream: str = "",
        position: int = -1,
        value: object = None,
        limit: object = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(message, value=value, limit=limit, rule=rule)
        self.stream = stream
        self.position = position

    def __reduce__(self) -> tuple[object, ...]:
        fields = {
            "stream": self.stream,
            "position": self.position,
            "value": self.value,
            "limit": self.limit,
            "rule": self.rule,
        }
        return (_rebuild_corrupt_row, (self.message, fields))


class UnknownRecord(StorageError, LookupError):
    """Raised when a record id names no stored record of the stream."""

    code = "storage.unknown_record"


def _rebuild_corrupt_row(message: str, fields: dict[str, Any]) -> CorruptRow:
    return CorruptRow(message, **fields)


class ImportRejected(SerializationError):
    """Raised when a file of transfers has bad rows, so that none of it is posted.

    Attributes:
        problems: Every bad row, each as ``"line N: reason"``.
    """

    code = "storage.import_rejected"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_import,
            (self.message, self.problems, self.value, self.limit, self.rule),
        )


def _rebuild_import(
    message: str, problems: tuple[str, ...], value: object, limit: object, rule: str | None
) -> ImportRejected:
    return ImportRejected(message, problems=problems, value=value, limit=limit, rule=rule)
