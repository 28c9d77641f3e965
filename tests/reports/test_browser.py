"""The HTML report in a real browser: headless Chromium's screenshot shows the charts."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from _world import year_report

from grassroots.reports import render_html
from grassroots.reports._svg import COLOURS

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no chromium or chromium-browser on PATH (CI installs chromium)"
)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Return the width, height and RGB rows of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0), (depth, interlace)
    assert colour in (2, 6), colour
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
        previous = line
        rgb = line if channels == 3 else bytes(b for i, b in enumerate(line) if i % 4 != 3)
        rows.append(bytes(rgb))
    return width, height, rows


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _near(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
    return all(abs(p - c) <= 6 for p, c in zip(pixel, colour, strict=True))


def test_the_screenshot_shows_the_charts(tmp_path: Path) -> None:
    """The page opens from a file with no server, and chart colours fill a good share of it."""
    page = tmp_path / "report.html"
    page.write_text(render_html(year_report()), encoding="utf-8")
    shot = tmp_path / "report.png"
    assert BROWSER is not None
    subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            page.as_uri(),
        ],
        capture_output=True,
        check=True,
        timeout=180,
        cwd=tmp_path,
    )
    width, height, rows = decode_png(shot.read_bytes())
    assert (width, height) == (1200, 1600)
    colours = sorted({_rgb(value) for value in COLOURS.values()})
    counts = dict.fromkeys(colours, 0)
    for row in rows:
        for x in range(0, width * 3, 3):
            pixel = (row[x], row[x + 1], row[x + 2])
            for colour in colours:
                if _near(pixel, colour):
                    counts[colour] += 1
                    break
    charted = sum(counts.values())
    # the bars of the waterfall and of the points chart cover several per cent of the page
    assert charted / (width * height) > 0.03, counts
    for name in ("venture", "community_share", "reserve", "dividend", "loss", "outstanding"):
        assert counts[_rgb(COLOURS[name])] > 500, (name, counts)
