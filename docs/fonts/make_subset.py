"""Make the site's CJK subset font from Noto Sans CJK SC (SIL Open Font License 1.1).

Keeps only the Chinese characters and CJK punctuation the docs use (the
Markdown pages, the notebooks, the docstrings of src/ that the reference
pages render, and the README), renamed "grassroots CJK" as the licence asks of
a modified font, as WOFF. Run it again after adding Chinese to the docs:

    python docs/fonts/make_subset.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

(Debian and Ubuntu ship the font in the package ``fonts-noto-cjk``.)
"""

from __future__ import annotations

import pathlib
import re
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "fonts" / "grassroots-cjk-subset.woff"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
FAMILY = "grassroots CJK"


def characters() -> str:
    """Return every CJK character of the docs' sources, sorted."""
    paths = [
        *ROOT.joinpath("docs").rglob("*.md"),
        *ROOT.joinpath("docs").rglob("*.ipynb"),
        *ROOT.joinpath("src").rglob("*.py"),
        ROOT / "README.md",
        ROOT / "mkdocs.yml",
    ]
    found: set[str] = set()
    for path in paths:
        found.update(CJK.findall(path.read_text(encoding="utf-8")))
    return "".join(sorted(found))


def main(source: str) -> None:
    collection = TTCollection(source)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16, 21):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 3:
            names.setName(f"{FAMILY} subset", 3, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName(
                "grassrootsCJK-Regular", 6, record.platformID, record.platEncID, record.langID
            )
    font.flavor = "woff"
    font.save(OUT)
    print(f"{OUT.name}: {len(characters())} characters, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(
        sys.argv[1]
        if len(sys.argv) > 1
        else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    )
