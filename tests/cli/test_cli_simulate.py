"""``grassroots simulate``: the year run, stored and summarised; bad input refused with exit 2."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from _cli_helpers import grassroots

from grassroots.scenarios import builtin, parse
from grassroots.simulation import load, simulate, summarise
from grassroots.storage.sqlite import SqliteStore


def _rows(out: str) -> dict[str, str]:
    return {
        cells[0]: cells[1]
        for line in out.splitlines()
        if len(cells := [c.strip() for c in line.strip("│ ").split("│")]) == 2
    }


class TestSimulate:
    def test_a_longju_quarter_is_stored_and_summarised(self, tmp_path: Path) -> None:
        db = tmp_path / "longju.sqlite"
        result = grassroots("simulate", "longju", "--months", "3", "--seed", "9", "--db", db)
        assert result.code == 0, result.err
        rows = _rows(result.out)
        assert rows["期间"] == "2025-01-01 – 2025-03-31 (3 月)"
        expected = simulate(parse(builtin("longju")), months=3, seed=9)
        assert rows["事件"] == f"{expected.events:,}"
        assert rows["居民建议"] == f"{len(expected.suggestions):,}"
        assert "3/3" in result.err  # the progress bar, on standard error
        assert f"已保存: {db}" in result.out
        with SqliteStore(db) as store:
            assert summarise(load(store)) == summarise(expected)

    def test_english_labels_and_the_default_file(self, tmp_path: Path) -> None:
        cwd = Path.cwd()
        os.chdir(tmp_path)
        try:
            result = grassroots("simulate", "tancheng", "--months", "1", "--lang", "en")
        finally:
            os.chdir(cwd)
        assert result.code == 0, result.err
        rows = _rows(result.out)
        assert rows["period"] == "2025-01-01 – 2025-01-31 (1 months)"
        assert int(rows["points issued · 美德积分"].replace(",", "")) > 0
        assert (tmp_path / "tancheng.sqlite").is_file()

    def test_a_second_run_into_the_same_file_is_refused(self, tmp_path: Path) -> None:
        db = tmp_path / "y.sqlite"
        assert grassroots("simulate", "longju", "--months", "1", "--db", db).code == 0
        again = grassroots("simulate", "longju", "--months", "1", "--db", db)
        assert again.code == 2
        assert "already holds a simulated year of guanghan" in again.err
        assert again.out == ""

    def test_a_bad_scenario_is_refused_and_nothing_is_written(self, tmp_path: Path) -> None:
        text = (
            builtin("longju")
            .replace('attendance = "4/5"', "attendance = 0.8")
            .replace("households = 3400\ncompound", 'households = "many"\ncompound')
        )
        source = tmp_path / "bad.toml"
        source.write_text(text, encoding="utf-8")
        db = tmp_path / "bad.sqlite"
        result = grassroots("simulate", source, "--db", db)
        assert result.code == 2
        assert "bad scenario: 2 problems" in result.err
        assert "@ year.attendance" in result.err
        assert "@ deliberation.households" in result.err
        assert not db.exists()

    def test_a_scenario_without_a_year_is_refused(self, tmp_path: Path) -> None:
        text = builtin("longju")
        source = tmp_path / "noyear.toml"
        source.write_text(text[: text.index("[year]")], encoding="utf-8")
        result = grassroots("simulate", source, "--db", tmp_path / "n.sqlite")
        assert result.code == 2
        assert "no [year] model" in result.err

    @pytest.mark.parametrize(
        "args",
        [
            ("simulate", "nowhere"),
            ("simulate", "longju", "--months", "0"),
            ("simulate", "longju", "--seed", "-1"),
            ("simulate",),
        ],
    )
    def test_bad_usage_is_exit_2(self, args: tuple[str, ...], tmp_path: Path) -> None:
        result = grassroots(*args, "--db", tmp_path / "u.sqlite")
        assert result.code == 2
        assert result.err.startswith("error: ")
        assert len(result.err.strip().splitlines()) == 1

    def test_postgres_url(self, tmp_path: Path) -> None:
        dsn = os.environ.get("GRASSROOTS_TEST_POSTGRES_DSN")
        if not dsn:
            pytest.skip("GRASSROOTS_TEST_POSTGRES_DSN is not set")
        pytest.importorskip("psycopg")
        from grassroots.storage.postgres import PostgresStore

        county = f"gh-{uuid.uuid4().hex[:10]}"  # streams of their own in the shared database
        source = tmp_path / "longju.toml"
        source.write_text(builtin("longju").replace('id = "guanghan"', f'id = "{county}"', 1))
        result = grassroots("simulate", source, "--months", "1", "--seed", "4", "--db", dsn)
        assert result.code == 0, result.err
        with PostgresStore(dsn) as store:
            back = load(store, county=county)
        assert summarise(back) == summarise(simulate(parse(source.read_text()), months=1, seed=4))
        again = grassroots("simulate", source, "--months", "1", "--db", dsn)
        assert again.code == 2
        assert f"already holds a simulated year of {county}" in again.err


class TestPostgresRoundTrip:
    def test_save_and_load_in_a_fresh_schema(self) -> None:
        dsn = os.environ.get("GRASSROOTS_TEST_POSTGRES_DSN")
        if not dsn:
            pytest.skip("GRASSROOTS_TEST_POSTGRES_DSN is not set")
        pytest.importorskip("psycopg")
        from grassroots.simulation import save
        from grassroots.storage.postgres import PostgresStore

        year = simulate(parse(builtin("longju")), months=1, seed=5)
        with PostgresStore(dsn, schema=f"sim_{uuid.uuid4().hex[:10]}") as store:
            save(year, store)
            assert summarise(load(store)) == summarise(year)
