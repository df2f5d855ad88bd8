"""The HTML pages as a user sees them: headless Chromium (Debian's ``chromium``) against a
real server on loopback, reading the DOM after scripts ran (``--dump-dom``) and looking at
a screenshot.

Without Chromium these tests skip, unless ``KG_REQUIRE_BROWSER=1``: then they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from graph_service.formats import RDFFormat
from graph_service.store import OxigraphStore

pytestmark = [pytest.mark.browser, pytest.mark.server]

FIXTURE = Path(__file__).parent / "data" / "api-fixture.trig"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium"
                                        if Path("/usr/bin/chromium").exists() else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
QUOTE = ("North Korea has deployed over 500 technical and medical support troops to "
         "Russian-occupied territories in Ukraine")
MARK_RGB = (0xFF, 0xE5, 0x8A)  # the highlight colour of <mark> in style.css


@pytest.fixture(autouse=True)
def need_chromium():
    if CHROMIUM is None:
        if os.environ.get("KG_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed and KG_REQUIRE_BROWSER=1")
        pytest.skip("chromium is not installed (apt-get install chromium)")


@pytest.fixture
def store():
    """Overrides conftest's store: in memory, with the fixture loaded (live_server serves it)."""
    s = OxigraphStore(None)
    s.bulk_load(FIXTURE.read_bytes(), RDFFormat.TRIG)
    yield s
    s.close()


def chromium(url: str, tmp_path: Path, *, screenshot: Path | None = None,
             size: str = "1280,1400") -> str:
    """The DOM after the page's scripts ran (or a screenshot written to ``screenshot``)."""
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    args = [CHROMIUM, *FLAGS, f"--window-size={size}", f"--user-data-dir={profile}",
            "--virtual-time-budget=5000"]
    args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
    done = subprocess.run([*args, url], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Elements(HTMLParser):
    """id -> text content, plus a count of each tag, from a dumped DOM."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self.tags: dict[str, int] = {}
        self.classes: dict[str, int] = {}
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for c in (attrs.get("class") or "").split():
            self.classes[c] = self.classes.get(c, 0) + 1
        if tag not in ("br", "img", "input", "meta", "link", "hr", "circle", "line", "path"):
            self._open.append((tag, attrs.get("id")))
            if attrs.get("id"):
                self.text[attrs["id"]] = ""

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _, ident in self._open:
            if ident:
                self.text[ident] += data


def test_landing_page_lists_counts(live_server, tmp_path):
    page = Elements(chromium(live_server + "/", tmp_path))
    assert page.text["count-articles"].strip() == "3"
    assert page.text["count-claims"].strip() == "5"
    assert page.text["count-events"].strip() == "1"
    assert int(page.text["count-triples"]) > 100


def test_query_page_runs_a_query_and_shows_a_table(live_server, tmp_path):
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "SELECT ?label WHERE { <https://w3id.org/nkru/id/entity/north-korea> rdfs:label ?label }")
    dom = chromium(f"{live_server}/query?run=1&query={quote(query)}", tmp_path)
    page = Elements(dom)
    assert "results-table" in page.text, page.text.get("query-error")
    assert page.text["results-table"] == "?labelNorth Korea"  # header cell, then one row
    assert page.text["status"] == "1 rows"
    assert page.classes.get("cm-keyword", 0) >= 2  # SELECT, WHERE: highlighted by CodeMirror


def test_query_page_shows_where_a_query_is_wrong(live_server, tmp_path):
    page = Elements(chromium(f"{live_server}/query?run=1&query={quote('SELECT WHERE {')}",
                             tmp_path))
    assert "results-table" not in page.text
    assert "line 1, column" in page.text["query-error"]


def test_query_page_example_runs(live_server, tmp_path):
    page = Elements(chromium(f"{live_server}/query?example=1&run=1", tmp_path))
    assert page.text["status"] == "4 rows"
    assert "deployment" in page.text["results-table"].lower()


def test_claim_page_highlights_the_quote(live_server, tmp_path):
    dom = chromium(f"{live_server}/id/claim/c100000000000001", tmp_path)
    page = Elements(dom)
    assert page.text["quote"] == QUOTE
    article = page.text["article-text"]
    assert article.index(QUOTE) == 94  # the mark sits at the oa:TextPositionSelector offsets
    assert re.sub(r"\s+", " ", page.text["claimer"]).strip() == "a government official via TV Chosun"
    assert page.text["reported"].startswith("2024-09-19")


def test_claim_page_screenshot_shows_the_highlight(live_server, tmp_path):
    shot = tmp_path / "claim.png"
    chromium(f"{live_server}/id/claim/c100000000000001", tmp_path, screenshot=shot,
             size="1000,700")  # small: the PNG is decoded in pure Python
    width, height, pixels = read_png(shot.read_bytes())
    assert (width, height) == (1000, 700)
    highlighted = sum(1 for p in pixels if p == MARK_RGB)
    assert highlighted > 2000  # a couple of lines of yellow


def test_timeline_chart_renders_marks(live_server, tmp_path):
    dom = chromium(f"{live_server}/timeline", tmp_path)
    panel = dom[dom.index('id="panel-deployment"'):dom.index('id="panel-transfer"')]
    assert panel.count("<circle") == 3  # three dated troop figures in the fixture
    assert "<svg" in panel
    for source in ("National Intelligence Service", "Sabrina Singh", "a government official"):
        assert source in panel
    assert re.search(r'<line[^>]+y1="[\d.]+"[^>]+y2="[\d.]+"[^>]+stroke-width="3"', panel)


def test_entity_page_lists_its_claims(live_server, tmp_path):
    dom = chromium(f"{live_server}/id/entity/north-korea", tmp_path)
    assert "<h1>North Korea</h1>" in dom
    table = dom[dom.index('<table class="claims">'):]
    table = table[:table.index("</table>")]
    assert table.count("<tr>") == 1 + 5  # header + the five claims that involve North Korea


def read_png(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Width, height and RGB pixels of an 8-bit RGB or RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    prev, pixels, i = bytearray(stride), [], 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        pixels.extend(tuple(line[x:x + 3]) for x in range(0, stride, bpp))
        prev = line
    return width, height, pixels
