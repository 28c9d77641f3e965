"""Audit findings and raising them as a group."""

from __future__ import annotations

import pytest

from grassroots import errors
from grassroots.audit import Finding, raise_findings
from grassroots.serialization import structure, unstructure


class TestFinding:
    def test_to_error_picks_the_class_by_code(self) -> None:
        """A finding becomes the error a constructor would raise."""
        finding = Finding(rule="r", subject="小区 7", message="m", code="organisation.coverage_gap")
        error = finding.to_error()
        assert isinstance(error, errors.CoverageGap)
        assert (error.value, error.rule) == ("小区 7", "r")

    def test_unknown_code_falls_back_to_rule_violation(self) -> None:
        """A code from a newer version still raises a RuleViolation."""
        error = Finding(rule="r", subject="s", message="m", code="future.rule").to_error()
        assert type(error) is errors.RuleViolation

    def test_round_trip(self) -> None:
        """Findings travel as JSON."""
        finding = Finding(rule="r", subject="s", message="m", code="points.insufficient")
        assert structure(unstructure(finding), Finding) == finding


class TestRaiseFindings:
    def test_nothing_to_raise(self) -> None:
        """No findings, no exception."""
        raise_findings([])

    def test_raises_every_finding(self) -> None:
        """All findings are raised together, in order."""
        findings = [
            Finding(rule="r", subject=str(i), message=f"m{i}", code="organisation.double_coverage")
            for i in range(3)
        ]
        with pytest.raises(ExceptionGroup) as info:
            raise_findings(findings, message="coverage")
        assert [str(e) for e in info.value.exceptions] == ["m0", "m1", "m2"]
        assert all(isinstance(e, errors.DoubleCoverage) for e in info.value.exceptions)
