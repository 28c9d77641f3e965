"""``grassroots allocate``: the Tancheng venture's 2024 split, worked by hand.

Figures: project profits 60,000 + 30,000 + 10,000 = 100,000 yuan. Community shares are
10% of each (6,000, 3,000, 1,000); the statutory reserve is 10% of the remaining
90,000 (9,000); the 81,000 left goes 51:49 by paid-in capital (41,310 and 39,690).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _cli_helpers import EXAMPLES, grassroots

from grassroots.cli._labels import all_labels, all_steps_en

SPLIT = EXAMPLES / "split.json"

EXPECTED = {
    ("community_share", "东城小区"): "6000.00",
    ("community_share", "西城小区"): "3000.00",
    ("community_share", "南城小区"): "1000.00",
    ("loss_covered", "losses"): "0.00",
    ("statutory_reserve", "statutory_reserve"): "9000.00",
    ("dividend", "国企"): "41310.00",
    ("dividend", "集体"): "39690.00",
}


def _lines(out: str) -> dict[tuple[str, str], str]:
    data = json.loads(out)
    (period,) = data["periods"]
    assert period["period"] == "2024"
    assert period["profit"] == "100000.00"
    return {(line["step"], line["recipient"]): line["amount"] for line in period["lines"]}


class TestAllocate:
    def test_json_gives_every_line_worked_by_hand(self) -> None:
        result = grassroots("allocate", "--file", SPLIT, "--format", "json")
        assert result.code == 0, result.err
        assert _lines(result.out) == EXPECTED

    def test_the_lines_sum_to_the_profit(self) -> None:
        result = grassroots("allocate", "--file", SPLIT, "--format", "json")
        amounts = [v for (step, _), v in _lines(result.out).items() if step != "loss_covered"]
        assert sum(int(v.replace(".", "")) for v in amounts) == 100_000_00

    def test_chinese_table_is_the_default(self) -> None:
        result = grassroots("allocate", "--file", SPLIT)
        assert result.code == 0, result.err
        for text in ("利润分配", "期间", "金额(元)", "小区公共收益", "法定公积金", "股东分红"):
            assert text in result.out
        for amount in EXPECTED.values():
            assert amount in result.out
        assert "statutory reserve" not in result.out

    def test_english_table(self) -> None:
        result = grassroots("allocate", "--file", SPLIT, "--lang", "en")
        assert result.code == 0, result.err
        for text in ("profit allocation", "amount (yuan)", "community share", "dividend"):
            assert text in result.out
        assert "小区公共收益" not in result.out
        assert "41310.00" in result.out

    def test_every_label_has_both_languages(self) -> None:
        for key, (zh, en) in all_labels().items():
            assert zh.strip(), key
            assert en.strip(), key
            assert zh != en, key
        from grassroots.allocation import Step

        assert set(all_steps_en()) == {step.value for step in Step}


class TestAllocateRefuses:
    def test_missing_file_is_bad_input(self, tmp_path: Path) -> None:
        result = grassroots("allocate", "--file", tmp_path / "none.json")
        assert result.code == 2
        assert result.err.startswith("error: cannot read")
        assert len(result.err.strip().splitlines()) == 1

    @pytest.mark.parametrize(
        "text",
        ["not json", "{}", "[]", '{"venture": 1, "figures": []}', "{" * 500],
    )
    def test_malformed_input_is_bad_input(self, tmp_path: Path, text: str) -> None:
        path = tmp_path / "bad.json"
        path.write_text(text, encoding="utf-8")
        result = grassroots("allocate", "--file", path)
        assert result.code == 2
        assert result.out == ""
        lines = result.err.strip().splitlines()
        assert len(lines) == 1
        assert lines[0].startswith("error: bad input: ")
        assert "@ $" in lines[0]

    def test_a_float_for_money_is_bad_input(self, tmp_path: Path) -> None:
        data = json.loads(SPLIT.read_text(encoding="utf-8"))
        data["figures"][0]["projects"][0]["net_profit"] = 60000.5
        path = tmp_path / "float.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = grassroots("allocate", "--file", path)
        assert result.code == 2
        assert "fraction" in result.err

    def test_a_figure_for_an_unknown_project_is_refused_by_the_rules(self, tmp_path: Path) -> None:
        data = json.loads(SPLIT.read_text(encoding="utf-8"))
        data["figures"][0]["projects"][0]["project"] = "洗衣店"
        path = tmp_path / "unknown.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = grassroots("allocate", "--file", path)
        assert result.code == 1, result.err
        assert result.err.startswith("error: refused (")
        assert "洗衣店" in result.err
        assert "Traceback" not in result.err

    def test_debug_adds_the_traceback(self, tmp_path: Path) -> None:
        data = json.loads(SPLIT.read_text(encoding="utf-8"))
        data["figures"][0]["projects"][0]["project"] = "洗衣店"
        path = tmp_path / "unknown.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = grassroots("--debug", "allocate", "--file", path)
        assert result.code == 1
        assert "Traceback" in result.err
        assert result.err.strip().splitlines()[-1].startswith("error: refused (")
