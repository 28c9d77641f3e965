"""grassroots: exact, typed rules for Chinese urban community self-governance.

Import the design-card classes and the value types from here; use the
submodules for the rest (:mod:`grassroots.serialization` for JSON,
:mod:`grassroots.strategies` for Hypothesis strategies).
"""

from __future__ import annotations

from typing import Any

from grassroots import errors
from grassroots.audit import Finding, raise_findings
from grassroots.money import apportion, yuan
from grassroots.threshold import Base, Threshold

__all__ = [
    "Base",
    "Finding",
    "Threshold",
    "apportion",
    "errors",
    "raise_findings",
    "yuan",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("grassroots")
    raise AttributeError(f"module 'grassroots' has no attribute {name!r}")
