"""The docs site: its config, the copy button's prompt stripping, the notebook's outputs, fonts."""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import tomllib

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def nav_files(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [f for item in node for f in nav_files(item)]
    if isinstance(node, dict):
        return [f for value in node.values() for f in nav_files(value)]
    return []


def test_every_nav_page_exists() -> None:
    """Every page of the nav is a file of docs/, and none appears twice."""
    files = nav_files(CONFIG["nav"])
    assert [f for f in files if not (DOCS / f).is_file()] == []
    assert len(files) == len(set(files))


def test_notebook_is_a_page() -> None:
    """The notebook is rendered by mkdocs-jupyter from its committed outputs, and in the nav."""
    plugins = {next(iter(p)) if isinstance(p, dict) else p: p for p in CONFIG["plugins"]}
    assert plugins["mkdocs-jupyter"]["mkdocs-jupyter"]["execute"] is False
    assert "notebooks/profit-splits.ipynb" in nav_files(CONFIG["nav"])
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert any(dep.startswith("mkdocs-jupyter") for dep in extras["dev"])


def test_notebook_is_committed_executed() -> None:
    """Every code cell has its outputs, and the three charts are images."""
    notebook = json.loads((DOCS / "notebooks" / "profit-splits.ipynb").read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert [n for n, cell in enumerate(code) if n > 0 and not cell["outputs"]] == []
    images = [
        output
        for cell in code
        for output in cell["outputs"]
        if "image/png" in output.get("data", {})
    ]
    assert len(images) >= 3
    errors = [o for cell in code for o in cell["outputs"] if o["output_type"] == "error"]
    assert errors == []


def test_no_outside_font_and_cjk_fallbacks() -> None:
    """No web font from a network; the stylesheet names CJK system fonts and the subset."""
    assert CONFIG["theme"]["font"] is False
    assert "stylesheets/cjk.css" in CONFIG["extra_css"]
    css = (DOCS / "stylesheets" / "cjk.css").read_text()
    for family in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "grassroots CJK"):
        assert f'"{family}"' in css
    # the theme sets its font variables on body, so they must be set there to win
    assert re.search(r"body\s*\{[^}]*--md-text-font-family:[^;]*\"grassroots CJK\"", css)
    (url,) = re.findall(r'url\("([^"]+)"\)', css)
    assert (DOCS / "stylesheets" / url).resolve().is_file()
    assert "http" not in css


def test_subset_font_covers_home_and_glossary() -> None:
    """The shipped subset has a glyph for every Chinese character of the home page and glossary."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    font = ttlib.TTFont(DOCS / "fonts" / "grassroots-cjk-subset.woff")
    cmap = font.getBestCmap()
    assert font["name"].getDebugName(1) == "grassroots CJK"
    text = (DOCS / "index.md").read_text() + (DOCS / "explanation" / "domain.md").read_text()
    missing = sorted({ch for ch in CJK.findall(text) if ord(ch) not in cmap})
    assert missing == [], "run docs/fonts/make_subset.py"


def test_copy_button_is_configured() -> None:
    """The theme's copy button is on, and the prompt-stripping script is loaded."""
    assert "content.code.copy" in CONFIG["theme"]["features"]
    assert "javascripts/copy-prompts.js" in CONFIG["extra_javascript"]
    assert (DOCS / "javascripts" / "copy-prompts.js").is_file()


@pytest.mark.parametrize(
    ("shown", "copied"),
    [
        (">>> x = 1\n>>> x + 1\n2\n", "x = 1\nx + 1\n"),
        (
            ">>> for n in range(2):\n...     print(n)\n0\n1\n>>> done = True\n",
            "for n in range(2):\n    print(n)\ndone = True\n",
        ),
        (">>> f(\n...     1,\n... )\n...\n>>> g()\n", "f(\n    1,\n)\n\ng()\n"),
        (">>> s = '''\n... >>> not a prompt\n... '''\n", "s = '''\n>>> not a prompt\n'''\n"),
    ],
)
def test_copy_strips_prompts_and_outputs(shown: str, copied: str) -> None:
    """The copied text of a doctest block is its input without prompts or outputs."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the script's function cannot be run")
    script = DOCS / "javascripts" / "copy-prompts.js"
    program = (
        f"const {{ inputLines }} = require({json.dumps(str(script))});"
        f"process.stdout.write(JSON.stringify(inputLines({json.dumps(shown)})));"
    )
    out = subprocess.run([node, "-e", program], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == copied


def test_plain_blocks_are_copied_as_they_are() -> None:
    """A block with no >>> prompt is left to the theme (the function says None)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the script's function cannot be run")
    script = DOCS / "javascripts" / "copy-prompts.js"
    program = (
        f"const {{ inputLines }} = require({json.dumps(str(script))});"
        "process.stdout.write(JSON.stringify(inputLines('pip install grassroots\\n')));"
    )
    out = subprocess.run([node, "-e", program], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) is None


def test_no_rest_roles_in_docstrings() -> None:
    """Docstrings use mkdocstrings cross-references, never reST roles, which print raw."""
    role = re.compile(r":(class|meth|func|attr|mod|exc|data|obj):`")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "src").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if role.search(line)
    ]
    assert found == []
