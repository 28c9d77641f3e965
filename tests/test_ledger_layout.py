"""The ledger subpackage keeps its public face: the same names, importable from the same path."""

from __future__ import annotations

import importlib
import subprocess
import sys

import grassroots
import grassroots.ledger

PUBLIC = [
    "GENESIS",
    "HASH_ALGORITHM",
    "MAX_TRANSFER_POINTS",
    "Account",
    "AccountClosure",
    "AccountKind",
    "Draw",
    "ExchangeRate",
    "ExpiryPolicy",
    "ExpiryRule",
    "Journal",
    "JournalEntry",
    "Lot",
    "PointsLedger",
    "Record",
    "RedemptionQuote",
    "Scheme",
    "SchemeTotals",
    "Statement",
    "StatementLine",
    "Transfer",
    "TransferKind",
    "quote_redemption",
    "verify_journal",
]


def test_all_is_exactly_as_before() -> None:
    """``grassroots.ledger.__all__`` lists the same names in the same order."""
    assert grassroots.ledger.__all__ == PUBLIC


def test_every_public_name_imports_from_the_package() -> None:
    """``from grassroots.ledger import X`` works for every public name, in a fresh interpreter."""
    names = ", ".join(PUBLIC)
    code = f"from grassroots.ledger import {names}; print('ok')"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "ok"


def test_the_top_level_re_exports_are_the_same_objects() -> None:
    """What ``grassroots`` re-exports from the ledger is the ledger's own object."""
    for name in PUBLIC:
        if hasattr(grassroots, name):
            assert getattr(grassroots, name) is getattr(grassroots.ledger, name)


def test_the_rule_constants_and_converter_hook_stay_reachable() -> None:
    """The rules page and the converter name these through the package path."""
    for name in (
        "ENCODING_RULE",
        "TIME_RANGE_RULE",
        "NON_NEGATIVE_RULE",
        "RESERVED_ID_RULE",
        "RESIDENT_TRANSFER_RULE",
        "EXPIRY_KEPT_RULE",
        "RESERVED_PREFIX",
        "_configure_converter",
    ):
        assert hasattr(grassroots.ledger, name), name


def test_one_concept_per_module() -> None:
    """Each part of the package imports and says in its docstring which concept it holds."""
    for part in (
        "_rules",
        "_instants",
        "_checks",
        "_expiry",
        "_values",
        "_flows",
        "_codec",
        "_journal",
        "_lots",
        "_state",
        "_statements",
        "_redemption",
        "_aggregate",
        "_json",
    ):
        module = importlib.import_module(f"grassroots.ledger.{part}")
        assert (module.__doc__ or "").strip(), f"{part} says what it holds"


def test_docstrings_cite_the_docs_and_use_mkdocstrings_links() -> None:
    """No reST roles and no internal rule file in the ledger's code; rules cite the docs."""
    import pathlib

    package = pathlib.Path(grassroots.ledger.__file__).parent
    sources = [*package.glob("*.py"), package.parent / "strategies" / "_ledger.py"]
    for source in sources:
        text = source.read_text(encoding="utf-8")
        for forbidden in (":class:`", ":meth:`", ":func:`", ":mod:`", ":data:`", "RULES" + ".md"):
            assert forbidden not in text, f"{source.name} holds {forbidden}"
