"""The docs' rules pages agree with the code, both ways.

Every row of every table on ``docs/explanation/rules/*.md`` and on the index
``docs/explanation/rules-and-sources.md`` names code objects and tests that exist;
and every module-level ``Threshold`` constant and every module-level constant
whose name ends in ``_RULE`` in ``src/grassroots`` has a row that names it.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import attrs
import pytest

import grassroots
from grassroots.threshold import Threshold

ROOT = Path(__file__).resolve().parent.parent
INDEX = ROOT / "docs" / "explanation" / "rules-and-sources.md"
RULES_DIR = ROOT / "docs" / "explanation" / "rules"
SOURCE = ROOT / "src" / "grassroots"

COLUMNS = ("rule", "source", "what it says", "encoded as", "parameter (default)", "boundary test")
"""The columns of every rules table, in order."""

AREAS = ("organisation", "rooms", "venture", "allocation", "integrity")
"""The pages this branch's areas keep; other areas add their own pages."""

_TICKED = re.compile(r"`([^`]+)`")


@attrs.frozen
class Row:
    """One row of a rules table, with where it is."""

    page: str
    line: int
    cells: tuple[str, ...]

    @property
    def encoded_as(self) -> tuple[str, ...]:
        """The dotted paths in backticks of the "encoded as" cell."""
        return tuple(_TICKED.findall(self.cells[COLUMNS.index("encoded as")]))

    @property
    def boundary_tests(self) -> tuple[str, ...]:
        """The pytest node ids in backticks of the "boundary test" cell."""
        return tuple(_TICKED.findall(self.cells[COLUMNS.index("boundary test")]))


def _cells(line: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in line.strip().strip("|").split("|"))


def rule_tables(text: str, page: str) -> list[list[Row]]:
    """Return the rows of each rules table in ``text``, in order.

    A rules table is a Markdown table whose header is exactly [`COLUMNS`][];
    a table with another header is not a rules table.

    Raises:
        AssertionError: a row of a rules table has the wrong number of cells.
    """
    tables: list[list[Row]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.lstrip().startswith("|") and _cells(line) == COLUMNS:
            rows: list[Row] = []
            index += 2  # the header and its separator
            while index < len(lines) and lines[index].lstrip().startswith("|"):
                cells = _cells(lines[index])
                assert len(cells) == len(COLUMNS), (
                    f"{page}:{index + 1}: {len(cells)} cells, not {len(COLUMNS)}"
                )
                rows.append(Row(page=page, line=index + 1, cells=cells))
                index += 1
            tables.append(rows)
            continue
        index += 1
    return tables


def resolve(path: str) -> object:
    """Return the object a full dotted path names, importing the longest module prefix.

    Raises:
        LookupError: nothing by that name exists.
    """
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                raise LookupError(f"{path}: {'.'.join(parts[:cut])} has no {name!r} on the way")
            found = getattr(found, name)
        return found
    raise LookupError(f"{path}: no module to start from")


def test_node_exists(node: str) -> bool:
    """Return whether a pytest node id (``file::Class::test`` or ``file::test``) exists."""
    file, *names = node.split("::")
    source = ROOT / file
    if not names or not source.is_file():
        return False
    body: list[ast.stmt] = ast.parse(source.read_text(encoding="utf-8")).body
    for position, name in enumerate(names):
        bare = name.split("[", 1)[0]
        last = position == len(names) - 1
        match = [
            item
            for item in body
            if (isinstance(item, ast.FunctionDef) and last and bare.startswith("test"))
            or (isinstance(item, ast.ClassDef) and (not last or bare.startswith("Test")))
            if item.name == bare
        ]
        if not match and last and bare.startswith("Test"):
            # a whole test class made by assignment, such as a state machine's
            # ``TestMachine = Machine.TestCase``
            return any(
                isinstance(item, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == bare for t in item.targets)
                for item in body
            )
        if not match:
            return False
        if isinstance(match[0], ast.ClassDef):
            body = match[0].body
    return True


test_node_exists.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def pages() -> list[Path]:
    """Every rules page: the index and each page under ``docs/explanation/rules/``."""
    return [INDEX, *sorted(RULES_DIR.glob("*.md"))]


def all_rows() -> list[Row]:
    """Every row of every rules table on every page."""
    rows: list[Row] = []
    for page in pages():
        for table in rule_tables(page.read_text(encoding="utf-8"), page.name):
            rows.extend(table)
    return rows


def _modules() -> list[ModuleType]:
    names = [grassroots.__name__] + [
        info.name for info in pkgutil.walk_packages(grassroots.__path__, prefix="grassroots.")
    ]
    return [importlib.import_module(name) for name in sorted(names)]


def _assigned_names(module: ModuleType) -> list[str]:
    """Names a module assigns at its top level (not those it imports)."""
    file = getattr(module, "__file__", None)
    if file is None:
        return []
    tree = ast.parse(Path(file).read_text(encoding="utf-8"))
    names: list[str] = []
    for item in tree.body:
        targets: list[ast.expr] = []
        if isinstance(item, ast.Assign):
            targets = list(item.targets)
        elif isinstance(item, ast.AnnAssign):
            targets = [item.target]
        names.extend(t.id for t in targets if isinstance(t, ast.Name))
    return names


def rule_constants() -> list[str]:
    """Full dotted paths of every module-level ``Threshold`` and ``*_RULE`` constant."""
    found: list[str] = []
    for module in _modules():
        for name in _assigned_names(module):
            value = getattr(module, name, None)
            if isinstance(value, Threshold) or name.endswith("_RULE"):
                found.append(f"{module.__name__}.{name}")
    return found


# --- the checks ---------------------------------------------------------------------


class TestPages:
    def test_every_area_has_its_page_with_one_rules_table(self) -> None:
        """Each area's page exists and holds exactly one rules table with rows."""
        for area in AREAS:
            page = RULES_DIR / f"{area}.md"
            assert page.is_file(), f"missing rules page {page.name}"
            tables = rule_tables(page.read_text(encoding="utf-8"), page.name)
            assert len(tables) == 1, f"{page.name} has {len(tables)} rules tables, not 1"
            assert tables[0], f"{page.name}'s rules table is empty"

    def test_every_page_under_rules_has_one_rules_table(self) -> None:
        """Pages added by other areas follow the same format."""
        for page in sorted(RULES_DIR.glob("*.md")):
            assert len(rule_tables(page.read_text(encoding="utf-8"), page.name)) == 1, page.name

    def test_the_index_links_every_page(self) -> None:
        """The index links each rules page, so users can find it."""
        index = INDEX.read_text(encoding="utf-8")
        for page in sorted(RULES_DIR.glob("*.md")):
            assert f"rules/{page.name}" in index, f"the index does not link {page.name}"

    def test_every_row_names_code_and_a_boundary_test(self) -> None:
        """No row leaves its code or its boundary test empty."""
        for row in all_rows():
            assert row.encoded_as, f"{row.page}:{row.line}: no code object in backticks"
            assert row.boundary_tests, f"{row.page}:{row.line}: no boundary test in backticks"


class TestPagesToCode:
    def test_every_named_object_exists(self) -> None:
        """Each dotted path in an "encoded as" cell resolves to a real object."""
        missing = []
        for row in all_rows():
            for path in row.encoded_as:
                if not path.startswith("grassroots."):
                    missing.append(f"{row.page}:{row.line}: {path} is not a full dotted path")
                    continue
                try:
                    resolve(path)
                except LookupError as exc:
                    missing.append(f"{row.page}:{row.line}: {exc}")
        assert missing == []

    def test_every_named_test_exists(self) -> None:
        """Each node id in a "boundary test" cell names a test in the suite."""
        missing = [
            f"{row.page}:{row.line}: {node}"
            for row in all_rows()
            for node in row.boundary_tests
            if not test_node_exists(node)
        ]
        assert missing == []


class TestCodeToPages:
    def test_every_rule_constant_has_a_row(self) -> None:
        """Each module-level Threshold and *_RULE constant is named on some rules page."""
        named = {path for row in all_rows() for path in row.encoded_as}
        # a constant kept in a private module is named by its public path, the same object
        public = [resolve(path) for path in named]
        missing = [
            path
            for path in rule_constants()
            if path not in named and not any(resolve(path) is value for value in public)
        ]
        assert missing == []


class TestTheChecker:
    """The checker itself can fail: it catches what it is meant to catch."""

    PAGE = "\n".join(
        [
            "| " + " | ".join(COLUMNS) + " |",
            "|---|---|---|---|---|---|",
            (
                "| a | b | c | `grassroots.branch.MIN_FULL_MEMBERS` | 3 |"
                " `tests/test_branch.py::TestForming::test_two_full_members_do_not` |"
            ),
            (
                "| a | b | c | `grassroots.branch.NO_SUCH_THING` | — |"
                " `tests/test_branch.py::TestForming::test_no_such_test` |"
            ),
        ]
    )

    def test_rows_are_read(self) -> None:
        """The example page has one table of two rows."""
        (rows,) = rule_tables(self.PAGE, "example.md")
        assert [row.encoded_as for row in rows] == [
            ("grassroots.branch.MIN_FULL_MEMBERS",),
            ("grassroots.branch.NO_SUCH_THING",),
        ]

    def test_a_missing_object_is_caught(self) -> None:
        """A path to nothing raises LookupError; a real one resolves."""
        assert resolve("grassroots.branch.MIN_FULL_MEMBERS") == 3
        assert resolve("grassroots.branch.PartyBranch.assembly") is not None
        with pytest.raises(LookupError):
            resolve("grassroots.branch.NO_SUCH_THING")

    def test_a_missing_test_is_caught(self) -> None:
        """A node id is checked down to the class and the function."""
        assert test_node_exists("tests/test_branch.py::TestForming::test_two_full_members_do_not")
        assert not test_node_exists("tests/test_branch.py::TestForming::test_no_such_test")
        assert not test_node_exists(
            "tests/test_branch.py::NoSuchClass::test_two_full_members_do_not"
        )
        assert not test_node_exists("tests/no_such_file.py::test_x")

    def test_a_wrong_row_width_is_caught(self) -> None:
        """A row with a missing cell is an error, not a silently shorter row."""
        with pytest.raises(AssertionError, match="cells"):
            rule_tables(self.PAGE + "\n| a | b |", "example.md")

    def test_rule_constants_are_found(self) -> None:
        """The scan finds thresholds (aliases included) and *_RULE names, not imported names."""
        found = rule_constants()
        assert "grassroots.venture.SPECIAL_RESOLUTION" in found  # an alias of TWO_THIRDS
        assert "grassroots.threshold.TWO_THIRDS" in found
        assert "grassroots._validators.ID_RULE" in found
        assert "grassroots.venture.TWO_THIRDS" not in found  # imported, not defined there
