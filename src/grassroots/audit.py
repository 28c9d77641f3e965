"""Whole-model audits: every broken rule reported at once, as values.

Constructors raise at the first broken rule. An audit of a whole model (each
compound covered by exactly one branch, points conserved in every scheme)
instead returns every [`Finding`][grassroots.audit.Finding], so a report can list them all; call
[`raise_findings`][grassroots.audit.raise_findings] to turn them into one ``ExceptionGroup`` of
[`RuleViolation`][grassroots.errors.RuleViolation] for callers who prefer an exception.

Examples:
    >>> findings = (
    ...     Finding(
    ...         rule="coverage",
    ...         subject="小区 A",
    ...         message="小区 A is covered by no branch",
    ...         code="organisation.coverage_gap",
    ...     ),
    ... )
    >>> try:
    ...     raise_findings(findings)
    ... except ExceptionGroup as group:
    ...     print(type(group.exceptions[0]).__name__, group.exceptions[0])
    CoverageGap 小区 A is covered by no branch
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from grassroots._validators import to_tuple
from grassroots.errors import RuleViolation

__all__ = ["Finding", "raise_findings"]


@attrs.frozen(kw_only=True)
class Finding:
    """One broken rule found by an audit.

    Args:
        rule: The rule and its source, in words.
        subject: The id or name of what breaks it.
        message: One sentence naming the value, the limit and the rule.
        code: The [`code`][grassroots.errors.GrassrootsError.code] of the error a
            constructor would raise for it.
    """

    rule: str = attrs.field(validator=attrs.validators.instance_of(str))
    subject: str = attrs.field(validator=attrs.validators.instance_of(str))
    message: str = attrs.field(validator=attrs.validators.instance_of(str))
    code: str = attrs.field(default=RuleViolation.code)

    def to_error(self) -> RuleViolation:
        """Return this finding as the exception a constructor would raise."""
        return _error_class(self.code)(self.message, value=self.subject, rule=self.rule)


def _error_class(code: str) -> type[RuleViolation]:
    pending: list[type[RuleViolation]] = [RuleViolation]
    while pending:
        cls = pending.pop()
        if cls.code == code:
            return cls
        pending.extend(cls.__subclasses__())
    return RuleViolation


def raise_findings(findings: Iterable[Finding], *, message: str = "audit failed") -> None:
    """Raise every finding at once as an ``ExceptionGroup``; do nothing if there are none.

    Raises:
        ExceptionGroup: of [`RuleViolation`][grassroots.errors.RuleViolation], one per finding.
        TypeError: ``findings`` is a bare string or holds something that is not a
            [`Finding`][grassroots.audit.Finding].
    """
    errors = []
    for finding in to_tuple(findings):
        if not isinstance(finding, Finding):
            raise TypeError(f"findings must be Finding values, not {type(finding).__name__}")
        errors.append(finding.to_error())
    if errors:
        raise ExceptionGroup(message, errors)
