"""The ledger's JSON hooks for the one converter (private)."""

from __future__ import annotations

from typing import Any

import cattrs
from cattrs.errors import BaseValidationError, ClassValidationError

from grassroots.errors import (
    JournalCorrupted,
)
from grassroots.ledger._aggregate import PointsLedger
from grassroots.ledger._checks import _invalid
from grassroots.ledger._journal import JournalEntry
from grassroots.ledger._values import _RECORD_TAGS, Record

# --- JSON ----------------------------------------------------------------------------------


def _configure_converter(conv: cattrs.Converter) -> None:
    """Register the ledger's hooks: the tagged union of records and the ledger itself."""
    from cattrs.gen import make_dict_unstructure_fn
    from cattrs.strategies import configure_tagged_union

    configure_tagged_union(
        Record, conv, tag_generator=lambda cls: _RECORD_TAGS[cls], tag_name="type"
    )
    unstructure_entry = make_dict_unstructure_fn(JournalEntry, conv)

    def unstructure_ledger(ledger: PointsLedger) -> dict[str, Any]:
        return {
            "head": ledger.head,
            "journal": [unstructure_entry(entry) for entry in ledger.journal],
        }

    def structure_ledger(data: object, _cls: type) -> PointsLedger:
        if not isinstance(data, dict):
            raise TypeError(f"a points ledger must be an object, not {type(data).__name__}")
        extra = set(data) - {"head", "journal"}
        if extra:
            raise _invalid(f"unknown keys {sorted(extra)} in a points ledger")
        if "journal" not in data or "head" not in data:
            raise _invalid("a points ledger needs its journal and head")
        try:
            entries = conv.structure(data["journal"], list[JournalEntry])
        except BaseValidationError as exc:
            raise ClassValidationError(
                "While structuring PointsLedger", [_at_journal(exc)], PointsLedger
            ) from None
        ledger = PointsLedger.replay(entries)
        if ledger.head != data["head"]:
            raise JournalCorrupted(
                f"the journal ends at digest {ledger.head[:12]}…, not at the recorded head"
                f" {str(data['head'])[:12]}…: entries are missing or added",
                value=len(ledger),
                rule="journal: hash chain",
            )
        return ledger

    conv.register_unstructure_hook(PointsLedger, unstructure_ledger)
    conv.register_structure_hook(PointsLedger, structure_ledger)


def _at_journal(exc: BaseValidationError) -> BaseValidationError:
    from cattrs.errors import AttributeValidationNote

    exc.__notes__ = [
        *getattr(exc, "__notes__", []),
        AttributeValidationNote(
            "Structuring class PointsLedger @ attribute journal", "journal", list[JournalEntry]
        ),
    ]
    return exc
