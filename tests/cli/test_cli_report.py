"""``grassroots report``: the year report of a stored simulation, through the console script."""

from __future__ import annotations

import importlib.util
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _cli_helpers import grassroots

SIMULATION = importlib.util.find_spec("grassroots.simulation") is not None
needs_simulation = pytest.mark.skipif(
    not SIMULATION,
    reason="grassroots.simulation (grassroots simulate, load) is not on this branch yet",
)


class TestReportUsage:
    def test_help_lists_the_options(self) -> None:
        result = grassroots("report", "--help")
        assert result.code == 0, result.err
        for option in ("--db", "--lang", "--format", "--output", "text", "json", "html"):
            assert option in result.out

    def test_db_is_required(self) -> None:
        result = grassroots("report")
        assert result.code == 2
        assert "--db" in result.err

    def test_a_wrong_format_is_bad_usage(self, tmp_path: Path) -> None:
        result = grassroots("report", "--db", tmp_path / "x.db", "--format", "pdf")
        assert result.code == 2
        assert result.err.startswith("error:")

    def test_a_missing_database_is_bad_input(self, tmp_path: Path) -> None:
        result = grassroots("report", "--db", tmp_path / "none.db")
        assert result.code == 2
        lines = result.err.strip().splitlines()
        assert len(lines) == 1
        assert lines[0] == f"error: cannot read {tmp_path / 'none.db'}: no such database file"
        assert not (tmp_path / "none.db").exists()

    @pytest.mark.skipif(SIMULATION, reason="the simulation is installed")
    def test_without_the_simulation_the_command_says_so(self, tmp_path: Path) -> None:
        db = tmp_path / "year.db"
        db.write_bytes(b"")
        result = grassroots("report", "--db", db)
        assert result.code == 2
        assert "grassroots.simulation" in result.err


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A month of the Tancheng year, stored by ``grassroots simulate``."""
    path = tmp_path_factory.mktemp("year") / "tancheng.db"
    result = grassroots("simulate", "tancheng", "--months", "1", "--seed", "1", "--db", path)
    assert result.code == 0, result.err
    return path


@needs_simulation
class TestReportOfASimulatedYear:
    def test_chinese_text_is_the_default(self, db: Path) -> None:
        result = grassroots("report", "--db", db)
        assert result.code == 0, result.err
        for words in (
            "郯城县 年度报告",
            "小区党组织覆盖",
            "全覆盖",
            "小区公共服务用房",
            "积分发放与兑换",
        ):
            assert words in result.out, words

    def test_english_text(self, db: Path) -> None:
        result = grassroots("report", "--db", db, "--lang", "en")
        assert result.code == 0, result.err
        assert "coverage of compounds by party branches" in result.out
        assert "全覆盖" not in result.out

    def test_json_has_the_case_figures(self, db: Path) -> None:
        result = grassroots("report", "--db", db, "--format", "json")
        assert result.code == 0, result.err
        data = json.loads(result.out)
        assert data["county_name"] == "郯城县"
        assert data["coverage"]["subcommunities"] == 124
        assert data["coverage"]["covered"] == 124
        assert data["rooms"]["rooms"] == 441
        assert data["rooms"]["area"] == "52000.00"

    def test_html_to_a_file(self, db: Path, tmp_path: Path) -> None:
        page = tmp_path / "report.html"
        result = grassroots("report", "--db", db, "--format", "html", "--output", page)
        assert result.code == 0, result.err
        assert result.out == ""
        text = page.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>")
        parser = HTMLParser()
        parser.feed(text)
        parser.close()
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in text
