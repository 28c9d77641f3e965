"""Only the PostgreSQL module imports psycopg; the core never imports storage."""

from __future__ import annotations

import subprocess
import sys


def _loaded(code: str) -> str:
    script = (
        f"import sys\n{code}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'psycopg', 'beancount'}"
        " or m.startswith('grassroots.storage')))"
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout


def test_core_import_stays_out_of_storage() -> None:
    """Importing grassroots loads no storage module, psycopg or beancount."""
    assert _loaded("import grassroots, grassroots.ledger").strip() == "[]"


def test_embedded_stores_need_no_psycopg() -> None:
    """The memory and SQLite stores, the export and the import load neither driver nor Beancount."""
    loaded = _loaded(
        "import grassroots.storage.memory, grassroots.storage.sqlite,"
        " grassroots.storage.export, grassroots.storage.importer"
    )
    assert "psycopg" not in loaded
    assert "beancount" not in loaded
    assert "grassroots.storage.sqlite" in loaded
