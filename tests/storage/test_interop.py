"""Beancount and CSV: exported ledgers pass bean-check with the same balances; imports check all."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _storage_helpers import WALLETS, earn, new_ledger, redeem
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.errors import ImportRejected
from grassroots.ledger import AccountKind, PointsLedger
from grassroots.storage.export import beancount_account, to_beancount, to_csv
from grassroots.storage.importer import import_transfers, read_transfers

HEADER = "id,kind,at,debit,credit,amount,reference,memo,reverses\n"


def _months() -> PointsLedger:
    """Earnings and a redemption over three months, worked by hand below."""
    ledger = new_ledger()
    ledger.post(earn("e1", "wang", 20, 0))  # 2025-03-01
    ledger.post(earn("e2", "li", 15, 60 * 24 * 31))  # 2025-04-01
    ledger.post(redeem("r1", "wang", 12, 60 * 24 * 45))  # 2025-04-15
    ledger.post(earn("e3", "zhang", 8, 60 * 24 * 62))  # 2025-05-02
    return ledger


class TestBeancount:
    def test_balances_at_month_ends_worked_by_hand(self) -> None:
        """March ends with wang 20; April with wang 8, li 15, canteen 12; issuer -35."""
        text = to_beancount(_months())
        assert "2025-04-01 balance Assets:Wallet:Virtue:Wang  20 VIRTUE" in text
        assert "2025-05-01 balance Assets:Wallet:Virtue:Wang  8 VIRTUE" in text
        assert "2025-05-01 balance Assets:Merchant:Virtue:Canteen  12 VIRTUE" in text
        assert "2025-05-01 balance Equity:Issuer:Virtue:Issuer  -35 VIRTUE" in text
        assert "2025-06-01 balance Assets:Wallet:Virtue:Zhang  8 VIRTUE" in text
        assert text.count(" * ") == 4

    def test_bean_check_passes(self, tmp_path: Path) -> None:
        """bean-check accepts the export: every balance assertion holds."""
        path = tmp_path / "points.beancount"
        path.write_text(to_beancount(_months()), encoding="utf-8")
        checker = shutil.which("bean-check") or str(Path(sys.executable).parent / "bean-check")
        result = subprocess.run([checker, str(path)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr

    def test_beancount_loader_sees_the_same_balances(self, tmp_path: Path) -> None:
        """Beancount's own loader finds the ledger's balance for every account."""
        from beancount import loader
        from beancount.core import realization

        ledger = _months()
        entries, errors, _ = loader.load_string(to_beancount(ledger))
        assert errors == []
        real = realization.realize(entries)
        for account in ledger.accounts:
            name = beancount_account(account.kind, account.scheme, account.id)
            balance = realization.get(real, name).balance
            units = balance.get_currency_units("VIRTUE").number
            assert units == ledger.balance(account.id)

    @settings(max_examples=25, deadline=None)
    @given(ids=st.lists(st.text(min_size=1, max_size=6), min_size=2, max_size=6, unique=True))
    def test_account_names_are_one_to_one(self, ids: list[str]) -> None:
        """Different ids, odd text included, never share a Beancount account name."""
        names = {beancount_account(AccountKind.WALLET, "virtue", i) for i in ids}
        assert len(names) == len(ids)
        for name in names:
            assert all(part[0].isupper() for part in name.split(":"))


class TestCsv:
    def test_round_trip(self) -> None:
        """A ledger's CSV imports into a fresh ledger with the same balances."""
        ledger = _months()
        fresh = new_ledger()
        positions = import_transfers(fresh, to_csv(ledger))
        assert len(positions) == 4
        assert [fresh.balance(w) for w in WALLETS] == [ledger.balance(w) for w in WALLETS]

    def test_bad_rows_refused_whole_with_every_line(self) -> None:
        """Every bad row is reported with its line number and reason; nothing is posted."""
        text = (
            HEADER
            + "ok1,earn,2025-03-01T09:00:00+08:00,issuer,wang,20,,,\n"
            + "bad1,earn,2025-03-01T09:00:00+08:00,issuer,wang,0,,,\n"
            + "bad2,steal,2025-03-01T09:00:00+08:00,issuer,wang,5,,,\n"
            + "bad3,earn,2025-03-01 09:00,issuer,wang,5,,,\n"
            + "ok1,earn,2025-03-01T10:00:00+08:00,issuer,li,5,,,\n"
            + "bad4,earn,2025-03-01T09:00:00+08:00,issuer,nobody,5,,,\n"
            + "short,earn\n"
            + "bad5,earn,2025-03-01T09:00:00+08:00,issuer,wang,2.5,,,\n"
        )
        ledger = new_ledger()
        before = ledger.head
        with pytest.raises(ImportRejected) as caught:
            import_transfers(ledger, text)
        lines = [problem.split(":")[0] for problem in caught.value.problems]
        assert lines == [f"line {n}" for n in (3, 4, 5, 6, 7, 8, 9)]
        assert "steal" in caught.value.problems[1]
        assert "repeats line 2" in caught.value.problems[3]
        assert ledger.head == before

    def test_ledger_refusal_names_the_line(self) -> None:
        """An overdraft the ledger refuses is reported with its line; nothing is posted."""
        text = (
            HEADER
            + "e1,earn,2025-03-01T09:00:00+08:00,issuer,wang,5,,,\n"
            + "r1,redeem,2025-03-01T10:00:00+08:00,wang,canteen,6,,,\n"
        )
        ledger = new_ledger()
        with pytest.raises(ImportRejected) as caught:
            import_transfers(ledger, text)
        assert caught.value.problems[0].startswith("line 3: ")
        assert ledger.balance("wang") == 0

    def test_wrong_header(self) -> None:
        """A file with another header is refused before any row is read."""
        with pytest.raises(ImportRejected, match="header"):
            read_transfers("id,amount\ne1,5\n")

    def test_id_already_in_the_ledger(self) -> None:
        """A row whose id the ledger already has is refused."""
        ledger = _months()
        with pytest.raises(ImportRejected, match="already in the ledger"):
            import_transfers(
                ledger, HEADER + "e1,earn,2025-06-01T09:00:00+08:00,issuer,wang,1,,,\n"
            )
