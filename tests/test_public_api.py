"""The public surface: exact ``__all__``, a lazy version, and a light core import."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

import grassroots

PUBLIC_MODULES = [
    "grassroots",
    "grassroots.errors",
    "grassroots.money",
    "grassroots.threshold",
    "grassroots.serialization",
    "grassroots.audit",
    "grassroots.strategies",
    "grassroots.ledger",
    "grassroots.venture",
    "grassroots.allocation",
    "grassroots.reports",
    "grassroots.subcommunity",
    "grassroots.resident",
    "grassroots.branch",
    "grassroots.room",
    "grassroots.talent",
    "grassroots.storage",
    "grassroots.storage.memory",
    "grassroots.storage.sqlite",
    "grassroots.storage.postgres",
    "grassroots.storage.export",
    "grassroots.storage.importer",
]

DESIGN_CARD = ["JointVenture", "PartyBranch", "PointsLedger", "ProfitAllocation", "Subcommunity"]


class TestAll:
    @pytest.mark.parametrize("name", PUBLIC_MODULES)
    def test_all_is_exact(self, name: str) -> None:
        """``__all__`` names only what exists, and every public class or function defined here."""
        module = importlib.import_module(name)
        exported = set(module.__all__)
        assert len(exported) == len(module.__all__)
        assert all(hasattr(module, attr) for attr in exported)
        defined_here = {
            attr
            for attr, value in vars(module).items()
            if not attr.startswith("_")
            and (inspect.isclass(value) or inspect.isfunction(value))
            and value.__module__ == name
        }
        assert defined_here <= exported

    @pytest.mark.parametrize("name", PUBLIC_MODULES)
    def test_every_public_name_has_a_docstring(self, name: str) -> None:
        """Public classes and functions say what they do."""
        module = importlib.import_module(name)
        assert module.__doc__
        for attr in module.__all__:
            value = getattr(module, attr)
            if inspect.isclass(value) or inspect.isfunction(value):
                assert value.__doc__, f"{name}.{attr} has no docstring"

    @pytest.mark.parametrize("name", DESIGN_CARD)
    def test_design_card_classes_import_from_the_top(self, name: str) -> None:
        """The five classes of the design card are importable from ``grassroots``."""
        assert name in grassroots.__all__
        assert inspect.isclass(getattr(grassroots, name))


class TestVersion:
    def test_version_comes_from_the_metadata(self) -> None:
        """``__version__`` is the installed distribution's version."""
        from importlib.metadata import version

        assert grassroots.__version__ == version("grassroots")

    def test_unknown_attribute(self) -> None:
        """Other missing names still raise AttributeError."""
        with pytest.raises(AttributeError, match="no_such_name"):
            _ = grassroots.no_such_name  # type: ignore[attr-defined]


class TestLightImport:
    def test_core_import_pulls_in_no_extra(self) -> None:
        """``import grassroots`` costs attrs, cattrs and pendulum only."""
        code = (
            "import sys, grassroots\n"
            "heavy = {'hypothesis', 'psycopg', 'click', 'pandas', 'matplotlib', 'numpy'}\n"
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "[]"
