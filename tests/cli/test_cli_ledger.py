"""``grassroots ledger verify`` and ``grassroots export``, on a file and on SQLite."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from _cli_helpers import grassroots
from _ledgers import STREAM, write_db, write_file

from grassroots.ledger import PointsLedger
from grassroots.serialization import loads, unstructure

STREAM_OPTION = str(STREAM)


# Where a transfer's fields sit in its compact form (format 2): zone, id, debit, credit,
# amount, kind, instant, reference, memo, reverses.
_FIELDS = {"amount": 4, "memo": 8}


def _tamper(path: Path, position: int, key: str, value: object) -> Path:
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = data["journal"][position]
    if isinstance(entry, str):  # format 2: a transfer is one string of its fields
        fields = entry.split("\b")
        fields[_FIELDS[key]] = str(value)
        data["journal"][position] = "\b".join(fields)
    else:  # format 1: every entry an object
        entry["record"][key] = value
    out = path.with_name(f"tampered-{position}-{key}.json")
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


class TestVerifyFile:
    def test_a_sound_ledger_passes_in_chinese(self, tmp_path: Path) -> None:
        ledger = write_file(tmp_path / "virtue.json")
        result = grassroots("ledger", "verify", "--file", tmp_path / "virtue.json")
        assert result.code == 0, result.err
        assert "账本完好" in result.out
        assert f"{len(ledger.journal)} 条记录" in result.out
        assert ledger.head in result.out

    def test_english(self, tmp_path: Path) -> None:
        write_file(tmp_path / "virtue.json")
        result = grassroots("ledger", "verify", "--file", tmp_path / "virtue.json", "--lang", "en")
        assert result.code == 0
        assert "ledger is sound" in result.out
        assert "6 entries" in result.out

    @pytest.mark.parametrize(("position", "key", "value"), [(4, "amount", 25), (5, "memo", "x")])
    def test_an_edited_entry_is_named(
        self, tmp_path: Path, position: int, key: str, value: object
    ) -> None:
        write_file(tmp_path / "virtue.json")
        bad = _tamper(tmp_path / "virtue.json", position, key, value)
        result = grassroots("ledger", "verify", "--file", bad, "--lang", "en")
        assert result.code == 1
        assert result.out == ""
        (line,) = result.err.strip().splitlines()
        assert line.startswith("error: ledger has a problem")
        assert f"entry {position}" in line
        assert "hash chain" in line

    def test_a_format_1_file_still_verifies(self, tmp_path: Path) -> None:
        ledger = write_file(tmp_path / "virtue.json")
        old = {
            "head": ledger.head,
            "journal": [unstructure(entry) for entry in ledger.journal],
        }
        path = tmp_path / "old.json"
        path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
        result = grassroots("ledger", "verify", "--file", path, "--lang", "en")
        assert result.code == 0, result.err
        assert "ledger is sound" in result.out
        bad = _tamper(path, 4, "amount", 25)
        result = grassroots("ledger", "verify", "--file", bad, "--lang", "en")
        assert result.code == 1
        assert "entry 4" in result.err

    def test_a_dropped_last_entry_is_found_by_the_head(self, tmp_path: Path) -> None:
        write_file(tmp_path / "virtue.json")
        data = json.loads((tmp_path / "virtue.json").read_text(encoding="utf-8"))
        data["journal"].pop()
        short = tmp_path / "short.json"
        short.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = grassroots("ledger", "verify", "--file", short, "--lang", "en")
        assert result.code == 1
        assert "head" in result.err
        assert "missing or added" in result.err

    def test_not_a_ledger_is_bad_input(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.json"
        path.write_text('{"head": 1}', encoding="utf-8")
        result = grassroots("ledger", "verify", "--file", path)
        assert result.code == 2
        assert result.err.startswith("error: bad input: ")

    def test_no_source_is_bad_usage(self) -> None:
        result = grassroots("ledger", "verify")
        assert result.code == 2
        assert "--file" in result.err


class TestVerifyDatabase:
    def test_a_sound_stream_passes(self, tmp_path: Path) -> None:
        ledger = write_db(tmp_path / "g.db")
        result = grassroots(
            "ledger", "verify", "--db", tmp_path / "g.db", "--stream", STREAM_OPTION
        )
        assert result.code == 0, result.err
        assert ledger.head in result.out

    def test_an_edited_row_is_named(self, tmp_path: Path) -> None:
        write_db(tmp_path / "g.db")
        with sqlite3.connect(tmp_path / "g.db") as db:
            db.execute("UPDATE journal SET body = replace(body, '20', '25') WHERE position = 4")
        result = grassroots(
            "ledger", "verify", "--db", tmp_path / "g.db", "--stream", STREAM_OPTION
        )
        assert result.code == 1
        assert "entry 4" in result.err
        assert len(result.err.strip().splitlines()) == 1

    def test_a_missing_database_is_bad_input_and_is_not_created(self, tmp_path: Path) -> None:
        result = grassroots(
            "ledger", "verify", "--db", tmp_path / "none.db", "--stream", STREAM_OPTION
        )
        assert result.code == 2
        assert not (tmp_path / "none.db").exists()

    @pytest.mark.parametrize("stream", ["郯城县/virtue", "a//b", "a/b/c/d"])
    def test_a_malformed_stream_is_bad_usage(self, tmp_path: Path, stream: str) -> None:
        write_db(tmp_path / "g.db")
        result = grassroots("ledger", "verify", "--db", tmp_path / "g.db", "--stream", stream)
        assert result.code == 2
        assert "COUNTY/COMMUNITY/NAME" in result.err

    def test_file_and_db_together_is_bad_usage(self, tmp_path: Path) -> None:
        write_db(tmp_path / "g.db")
        write_file(tmp_path / "virtue.json")
        result = grassroots(
            "ledger",
            "verify",
            "--file",
            tmp_path / "virtue.json",
            "--db",
            tmp_path / "g.db",
            "--stream",
            STREAM_OPTION,
        )
        assert result.code == 2
        assert "not both" in result.err

    def test_db_without_stream_is_bad_usage(self, tmp_path: Path) -> None:
        write_db(tmp_path / "g.db")
        result = grassroots("ledger", "verify", "--db", tmp_path / "g.db")
        assert result.code == 2


class TestExport:
    def test_json_round_trips_to_the_same_ledger(self, tmp_path: Path) -> None:
        ledger = write_file(tmp_path / "virtue.json")
        result = grassroots("export", "--file", tmp_path / "virtue.json", "--format", "json")
        assert result.code == 0, result.err
        again = loads(result.out, PointsLedger)
        assert again.head == ledger.head
        assert again.balance("virtue:wang") == 15

    def test_csv_has_one_row_per_transfer(self, tmp_path: Path) -> None:
        write_db(tmp_path / "g.db")
        result = grassroots(
            "export", "--db", tmp_path / "g.db", "--stream", STREAM_OPTION, "--format", "csv"
        )
        assert result.code == 0, result.err
        rows = list(csv.DictReader(io.StringIO(result.out)))
        assert [(r["id"], r["amount"]) for r in rows] == [("earn-1", "20"), ("buy-1", "5")]

    def test_beancount_asserts_the_closing_balances(self, tmp_path: Path) -> None:
        write_file(tmp_path / "virtue.json")
        result = grassroots("export", "--file", tmp_path / "virtue.json", "--format", "beancount")
        assert result.code == 0, result.err
        assert "commodity VIRTUE" in result.out
        balances = [line for line in result.out.splitlines() if " balance " in line]
        assert any(line.endswith(" 15 VIRTUE") for line in balances)
        assert any(line.endswith(" -20 VIRTUE") for line in balances)

    def test_a_tampered_file_is_refused(self, tmp_path: Path) -> None:
        write_file(tmp_path / "virtue.json")
        bad = _tamper(tmp_path / "virtue.json", 4, "amount", 25)
        result = grassroots("export", "--file", bad, "--format", "csv")
        assert result.code == 2
        assert result.out == ""
        assert "entry 4" in result.err

    def test_an_unknown_format_is_bad_usage(self, tmp_path: Path) -> None:
        write_file(tmp_path / "virtue.json")
        result = grassroots("export", "--file", tmp_path / "virtue.json", "--format", "xlsx")
        assert result.code == 2
        assert "xlsx" in result.err
