"""``grassroots scenario check``: the Tancheng summary, and a wrong file refused whole."""

from __future__ import annotations

from pathlib import Path

from _cli_helpers import grassroots

from grassroots.scenarios import builtin


def _rows(out: str) -> dict[str, str]:
    return {
        cells[0]: cells[1]
        for line in out.splitlines()
        if len(cells := [c.strip() for c in line.strip("│ ").split("│")]) == 2
    }


class TestCheck:
    def test_tancheng_in_chinese(self) -> None:
        result = grassroots("scenario", "check", "tancheng")
        assert result.code == 0, result.err
        rows = _rows(result.out)
        assert rows["小区"] == "124"
        assert rows["党支部"] == "50"
        assert rows["已覆盖小区"] == "124"
        assert rows["未覆盖小区"] == "0"
        assert rows["公共服务用房"] == "441"
        assert rows["面积(平方米)"] == "52000.00"
        assert rows["国有股比例"] == "51/100"

    def test_tancheng_in_english_from_a_file(self, tmp_path: Path) -> None:
        path = tmp_path / "county.toml"
        path.write_text(builtin("tancheng"), encoding="utf-8")
        result = grassroots("scenario", "check", path, "--lang", "en")
        assert result.code == 0, result.err
        assert "public-service rooms" in result.out
        assert "52000.00" in result.out
        assert "党支部" not in result.out.replace("小区党支部", "")

    def test_a_coverage_gap_is_reported_not_refused(self, tmp_path: Path) -> None:
        text = builtin("tancheng").replace(
            'coverage = ["tc-123", "tc-124"]', 'coverage = ["tc-123"]'
        )
        assert text != builtin("tancheng")
        path = tmp_path / "gap.toml"
        path.write_text(text, encoding="utf-8")
        result = grassroots("scenario", "check", path, "--lang", "en")
        assert result.code == 0, result.err
        rows = _rows(result.out)
        assert rows["subcommunities covered"] == "123"
        assert rows["subcommunities not covered"] == "1"


class TestRefuses:
    def test_every_problem_is_listed_and_the_code_is_2(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.toml"
        path.write_text('[county]\nid = "x"\nname = 1\nmotto = "?"\n', encoding="utf-8")
        result = grassroots("scenario", "check", path)
        assert result.code == 2
        assert result.out == ""
        lines = result.err.strip().splitlines()
        assert lines[0] == "error: bad scenario: 6 problems"
        assert "  - unknown key 'motto'; expected one of ['id', 'name'] @ county" in lines
        assert "  - expected a string, not an integer @ county.name" in lines
        for section in ("streets", "communities", "subcommunities", "branches"):
            assert f"  - missing an array of tables @ {section}" in lines

    def test_a_broken_rule_names_it(self, tmp_path: Path) -> None:
        text = builtin("tancheng").replace('subscribed = "510000.00"', 'subscribed = "480000.00"')
        path = tmp_path / "share.toml"
        path.write_text(text, encoding="utf-8")
        result = grassroots("scenario", "check", path)
        assert result.code == 2
        assert "@ venture" in result.err
        assert "51/100" in result.err

    def test_an_unknown_name_is_bad_input(self) -> None:
        result = grassroots("scenario", "check", "atlantis")
        assert result.code == 2
        (line,) = result.err.strip().splitlines()
        assert "atlantis" in line
        assert "tancheng" in line

    def test_not_utf8_is_bad_input(self, tmp_path: Path) -> None:
        path = tmp_path / "latin.toml"
        path.write_bytes(b"name = '\xff'\n")
        result = grassroots("scenario", "check", path)
        assert result.code == 2
        assert result.err.startswith("error: cannot read")

    def test_no_argument_is_bad_usage(self) -> None:
        result = grassroots("scenario", "check")
        assert result.code == 2
        assert "SOURCE" in result.err
