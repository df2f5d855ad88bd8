"""The HTML pages as a user sees them: headless Chromium (Debian's ``chromium``) against a
real server on loopback, reading the DOM after scripts ran (``--dump-dom``) and looking at
a screenshot. What the server sends, before scripts run, is checked on both backends by
``test_pages.py``.

Without Chromium these tests skip, unless ``KG_REQUIRE_BROWSER=1``: then they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest

from page_elements import Elements

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium"
                                        if Path("/usr/bin/chromium").exists() else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
QUOTE = ("North Korea has deployed over 500 technical and medical support troops to "
         "Russian-occupied territories in Ukraine")
MARK_RGB = (0xFF, 0xE5, 0x8A)  # the highlight colour of <mark> in style.css


@pytest.fixture
def browser(live_server, tmp_path):
    """``browser(path, **options)``: Chromium on a page of the live server (see ``chromium``)."""
    if CHROMIUM is None:
        if os.environ.get("KG_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed and KG_REQUIRE_BROWSER=1")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return lambda path, **options: chromium(live_server + path, tmp_path, **options)


# The browser is slow to start: these run on the embedded store only; test_pages.py checks the
# same pages over HTTP on both backends.
pytestmark = pytest.mark.parametrize("api_fixture_store", ["embedded"], indirect=True)


@pytest.fixture
def store(api_fixture_store):
    """Overrides conftest's store: the API fixture (live_server serves it)."""
    return api_fixture_store


def chromium(url: str, tmp_path: Path, *, screenshot: Path | None = None,
             size: str = "1280,1400", console: list | None = None) -> str:
    """The DOM after the page's scripts ran (or a screenshot written to ``screenshot``).

    Every page is checked for Content-Security-Policy violations (the browser reports them
    on its console); ``console``, when given, receives the console lines instead.
    """
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    args = [CHROMIUM, *FLAGS, f"--window-size={size}", f"--user-data-dir={profile}",
            "--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0"]
    args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
    done = subprocess.run([*args, url], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    if console is not None:
        console.extend(lines)
    else:
        violations = [line for line in lines if "Content Security Policy" in line]
        assert not violations, violations
    return done.stdout


PAGES = ["/", "/query?example=1&run=1", "/timeline", "/articles", "/entities",
         "/id/entity/north-korea", "/id/claim/c100000000000001", "/no/such/page"]


@pytest.mark.browser
@pytest.mark.server
def test_every_page_works_under_its_content_security_policy(browser, live_server):
    import requests
    for path in PAGES:
        head = requests.get(live_server + path, timeout=10).headers
        assert "script-src 'self'" in head["Content-Security-Policy"], path
        assert "frame-ancestors 'none'" in head["Content-Security-Policy"], path
        assert head["X-Content-Type-Options"] == "nosniff"
        assert head["Referrer-Policy"] == "same-origin"
        browser(path)  # asserts that the console reports no violation


@pytest.mark.browser
def test_the_violation_check_sees_violations(api_fixture_store, tmp_path):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    lines: list = []
    chromium("data:text/html,<meta http-equiv='Content-Security-Policy' "
             "content=\"script-src 'self'\"><script>document.title='x'</script>",
             tmp_path, console=lines)
    assert any("Content Security Policy" in line for line in lines), lines


@pytest.mark.browser
@pytest.mark.server
def test_landing_page_lists_counts(browser):
    page = Elements(browser("/"))
    assert page.text["count-articles"].strip() == "3"
    assert page.text["count-claims"].strip() == "5"
    assert page.text["count-events"].strip() == "1"
    assert int(page.text["count-triples"]) > 100


@pytest.mark.browser
@pytest.mark.server
def test_query_page_runs_a_query_and_shows_a_table(browser):
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "SELECT ?label WHERE { <https://w3id.org/nkru/id/entity/north-korea> rdfs:label ?label }")
    dom = browser(f"/query?run=1&query={quote(query)}")
    page = Elements(dom)
    assert "results-table" in page.text, page.text.get("query-error")
    assert page.text["results-table"] == "?labelNorth Korea"  # header cell, then one row
    assert page.text["status"] == "1 rows"
    assert page.classes.get("cm-keyword", 0) >= 2  # SELECT, WHERE: highlighted by CodeMirror


@pytest.mark.browser
@pytest.mark.server
def test_query_page_shows_where_a_query_is_wrong(browser):
    wrong = "SELECT ?s WHERE { ?s ?p ?o }}"
    dom = browser("/query?run=1&query=" + quote(wrong))
    page = Elements(dom)
    assert "results-table" not in page.text
    error = page.text["query-error"]
    assert "line 1, column" in error
    # the offending line quoted with a caret under the column, beside the editor
    assert wrong + "\n" in error and error.rstrip().endswith("^")
    pane = dom[dom.index('class="editor-pane"'):dom.index('id="results"')]
    assert 'id="query-error"' in pane
    # and the place marked in the editor
    assert page.classes.get("cm-error-mark", 0) == 1
    assert page.classes.get("cm-error-line", 0) >= 1


@pytest.mark.browser
@pytest.mark.server
def test_query_page_example_runs(browser):
    page = Elements(browser("/query?example=1&run=1"))
    assert page.text["status"] == "4 rows"
    assert "deployment" in page.text["results-table"].lower()


@pytest.mark.browser
@pytest.mark.server
def test_claim_page_highlights_the_quote(browser):
    dom = browser("/id/claim/c100000000000001")
    page = Elements(dom)
    assert page.text["quote"] == QUOTE
    assert re.search(r"<mark id=\"quote\"[^>]*>" + re.escape(QUOTE) + "</mark>", dom)
    article = page.text["article-text"]
    assert article.index(QUOTE) == 94  # the mark sits at the oa:TextPositionSelector offsets
    assert re.sub(r"\s+", " ", page.text["claimer"]).strip() == "a government official via TV Chosun"
    assert page.text["reported"].startswith("2024-09-19")


@pytest.mark.browser
@pytest.mark.server
def test_claim_page_screenshot_shows_the_highlight(browser, tmp_path):
    shot = tmp_path / "claim.png"
    browser("/id/claim/c100000000000001", screenshot=shot,
            size="1000,700")  # small: the PNG is decoded in pure Python
    width, height, pixels = read_png(shot.read_bytes())
    assert (width, height) == (1000, 700)
    highlighted = sum(1 for p in pixels if p == MARK_RGB)
    assert highlighted > 2000  # a couple of lines of yellow


@pytest.mark.browser
@pytest.mark.server
def test_timeline_chart_renders_marks(browser):
    dom = browser("/timeline")
    panel = dom[dom.index('id="panel-deployment"'):dom.index('id="panel-shells"')]
    assert panel.count("<circle") == 3  # three dated troop figures in the fixture
    assert "<svg" in panel
    for source in ("National Intelligence Service", "Sabrina Singh", "a government official"):
        assert source in panel
    assert re.search(r'<line[^>]+y1="[\d.]+"[^>]+y2="[\d.]+"[^>]+stroke-width="3"', panel)


@pytest.mark.browser
@pytest.mark.server
def test_entity_page_lists_its_claims(browser):
    dom = browser("/id/entity/north-korea")
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


@pytest.mark.browser
@pytest.mark.server
def test_api_docs_render_the_openapi_document(browser):
    dom = browser("/api/docs")
    for path in ("/api/claims", "/api/events", "/api/entities/{id}", "/sparql"):
        assert f'data-path="{path}"' in dom, path
    assert "opblock-tag" in dom
