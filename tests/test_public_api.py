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
    "grassroots.deliberation",
    "grassroots.deliberation.rules",
    "grassroots.deliberation.assembly",
    "grassroots.deliberation.pipeline",
    "grassroots.deliberation.meeting",
    "grassroots.deliberation.mailbox",
    "grassroots.deliberation.report",
    "grassroots.programme",
    "grassroots.programme.activity",
    "grassroots.programme.caps",
    "grassroots.programme.shop",
    "grassroots.programme.fund",
    "grassroots.programme.window",
    "grassroots.programme.programme",
    "grassroots.storage",
    "grassroots.storage.memory",
    "grassroots.storage.sqlite",
    "grassroots.storage.postgres",
    "grassroots.storage.export",
    "grassroots.storage.importer",
    "grassroots.cli",
    "grassroots.scenarios",
    "grassroots.simulation",
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
            "heavy = {'hypothesis', 'psycopg', 'click', 'rich', 'pandas', 'matplotlib', 'numpy'}\n"
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "[]"


def _typed_imports() -> dict[str, str]:
    """Return the names the ``TYPE_CHECKING`` block of ``grassroots/__init__.py`` imports."""
    import ast

    assert grassroots.__file__ is not None
    with open(grassroots.__file__, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    blocks = [
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    ]
    assert len(blocks) == 1
    typed: dict[str, str] = {}
    for node in blocks[0].body:
        assert isinstance(node, ast.ImportFrom)
        assert node.module is not None
        for alias in node.names:
            assert alias.asname == alias.name, "re-export explicitly: `import X as X`"
            is_module = node.module == "grassroots"
            typed[alias.name] = f"grassroots.{alias.name}" if is_module else node.module
    return typed


def _modules_after(code: str) -> set[str]:
    """Return the grassroots modules loaded after running ``code`` in a fresh interpreter."""
    script = (
        f"import sys\n{code}\nprint(' '.join(m for m in sys.modules if m.startswith('grassroots')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


class TestLazyExports:
    def test_all_is_sorted_and_matches_the_table(self) -> None:
        """``__all__`` is sorted and names exactly the table's entries."""
        assert grassroots.__all__ == sorted(grassroots.__all__)
        assert grassroots.__all__ == sorted(grassroots._EXPORTS)

    def test_typed_imports_mirror_the_table(self) -> None:
        """The ``TYPE_CHECKING`` imports name the same modules as the table, name for name."""
        assert _typed_imports() == grassroots._EXPORTS

    @pytest.mark.parametrize("name", sorted(grassroots._EXPORTS))
    def test_each_name_resolves_to_its_module(self, name: str) -> None:
        """Every public name loads from the module the table names."""
        value = getattr(grassroots, name)
        module = grassroots._EXPORTS[name]
        if inspect.ismodule(value):
            assert value.__name__ == module
        else:
            assert value is getattr(importlib.import_module(module), name)

    def test_dir_lists_every_public_name(self) -> None:
        """``dir(grassroots)`` shows the public names before they are loaded."""
        listed = _modules_after(
            "import grassroots\nassert set(grassroots.__all__) <= set(dir(grassroots))"
        )
        assert listed == {"grassroots"}

    def test_import_loads_no_area(self) -> None:
        """``import grassroots`` loads the package alone, no domain module."""
        assert _modules_after("import grassroots") == {"grassroots"}

    def test_one_area_loads_only_what_it_needs(self) -> None:
        """Using the threshold type does not load the ledger, the venture or the rooms."""
        loaded = _modules_after("import grassroots\ngrassroots.Threshold")
        assert "grassroots.threshold" in loaded
        heavy = {"grassroots.ledger", "grassroots.venture", "grassroots.allocation"}
        assert not loaded & (heavy | {"grassroots.branch", "grassroots.room"})

    def test_serialization_builds_its_converter_on_first_use(self) -> None:
        """Importing the converter's module loads no domain module until it is used."""
        loaded = _modules_after("import grassroots.serialization")
        assert not loaded & {"grassroots.ledger", "grassroots.venture", "grassroots.allocation"}
        used = _modules_after(
            "from grassroots.serialization import converter\nassert converter is not None"
        )
        assert {"grassroots.ledger", "grassroots.venture"} <= used

    def test_import_costs_less_than_its_dependencies(self) -> None:
        """``import grassroots`` loads at most 1.3 times the modules its three dependencies do."""
        count = "print(len(sys.modules))"
        base = subprocess.run(
            [sys.executable, "-c", f"import sys\nimport attrs, cattrs, pendulum\n{count}"],
            capture_output=True,
            text=True,
            check=True,
        )
        ours = subprocess.run(
            [sys.executable, "-c", f"import sys\nimport grassroots\n{count}"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert int(ours.stdout) <= 1.3 * int(base.stdout)
