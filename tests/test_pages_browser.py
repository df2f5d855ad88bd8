"""The HTML pages as a user sees them: headless Chromium (Debian's ``chromium``) against a
real server on loopback, reading the DOM after scripts ran (``--dump-dom``) and looking at
a screenshot. What the server sends, before scripts run, is checked on both backends by
``test_pages.py``.

Without Chromium these tests skip, unless ``KG_REQUIRE_BROWSER=1``: then they fail.
"""

from __future__ import annotations

import csv
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


def _yasr_rows(dom: str) -> list[str]:
    """The body rows of YASGUI's results table, each as its text."""
    table = dom[dom.index('class="dataTable'):]
    body = table[table.index("<tbody"):table.index("</tbody>")]
    return [re.sub(r"<[^>]+>", "", row) for row in body.split("<tr")[1:]]


@pytest.mark.browser
@pytest.mark.server
def test_query_page_runs_a_query_and_shows_a_table(browser):
    """?query= opens YASGUI with the query and runs it against this service's /sparql; the
    minted IRI in the results shows compacted and links to its page here."""
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "SELECT ?s ?label WHERE { BIND(<https://w3id.org/nkru/id/entity/north-korea> AS ?s)"
             " ?s rdfs:label ?label }")
    dom = browser(f"/query?query={quote(query)}")
    page = Elements(dom)
    assert "query-error" not in page.text
    rows = _yasr_rows(dom)
    assert len(rows) == 1 and "North Korea" in rows[0], rows
    links = re.findall(r'<a class="iri"[^>]*href="([^"]*)"[^>]*>([^<]*)</a>', dom)
    assert ("/id/entity/north-korea", "entity:north-korea") in links, links
    assert page.classes.get("cm-keyword", 0) >= 2  # SELECT, WHERE: highlighted by the editor


@pytest.mark.browser
@pytest.mark.server
def test_query_page_shows_where_a_query_is_wrong(browser):
    wrong = "SELECT ?s WHERE { ?s ?p ?o }}"
    dom = browser("/query?query=" + quote(wrong))
    page = Elements(dom)
    assert 'class="dataTable' not in dom
    error = page.text["query-error"]
    assert "line 1, column" in error
    # the offending line quoted with a caret under the column, beside the editor
    assert wrong + "\n" in error and error.rstrip().endswith("^")
    wrapper = dom[dom.index('class="editorwrapper"'):]
    assert wrapper.index('id="query-error"') < wrapper.index('class="yasr')
    # and the place marked in the editor
    assert page.classes.get("cm-error-mark", 0) == 1
    assert page.classes.get("cm-error-line", 0) >= 1


@pytest.mark.browser
@pytest.mark.server
def test_query_page_example_runs(browser):
    """/query?example=1&run=1 (the landing page links to ?example=N) opens example 1's tab and
    runs it; IRIs show compacted with the project's prefixes."""
    dom = browser("/query?example=1&run=1")
    assert re.search(r'class="tabPanel active" id="example-1"', dom)
    rows = _yasr_rows(dom)
    assert len(rows) == 4, rows
    assert any("kg:Deployment" in row for row in rows), rows
    assert "https://w3id.org/nkru/ontology#Deployment" not in "".join(rows)
    # every example is a tab
    assert len(re.findall(r'aria-controls="example-\d"', dom)) == 4


@pytest.mark.browser
@pytest.mark.server
def test_query_page_links_only_http_and_minted_iris(browser, store):
    """IRIs of other schemes in results stay text on the query page, as on every page."""
    evil = ["javascript:alert(1)", "data:text/html,x", "urn:x:y"]
    values = " ".join(f"<{iri}>" for iri in evil)
    query = f"SELECT ?v WHERE {{ VALUES ?v {{ {values} <https://example.org/a> }} }}"
    dom = browser(f"/query?query={quote(query)}")
    assert len(_yasr_rows(dom)) == 4
    hrefs = re.findall(r'<a class="iri"[^>]*?href="([^"]*)"', dom)
    assert hrefs == ["https://example.org/a"], hrefs
    assert "alert(1)" in "".join(_yasr_rows(dom))  # still shown, as text


@pytest.mark.browser
@pytest.mark.server
def test_query_page_downloads_the_results_as_csv(live_server, tmp_path):
    """YASGUI's download button saves the table's results as CSV (Chromium driven over the
    DevTools protocol, so that the download lands in a folder)."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with DevTools(tmp_path) as tools:
        session = tools.open(live_server + "/query?example=1&run=1", downloads)
        tools.wait(session, "document.querySelectorAll('table.dataTable tbody tr').length === 4")
        tools.evaluate(session, "document.querySelector('.yasr_downloadIcon').click()")
        tools.wait_for(lambda: [p for p in downloads.iterdir() if p.suffix == ".csv"])
        assert not tools.violations(), tools.violations()
    (saved,) = [p for p in downloads.iterdir() if p.suffix == ".csv"]
    rows = list(csv.reader(saved.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["type", "status", "claims"], rows
    assert len(rows) == 1 + 4
    assert ["https://w3id.org/nkru/ontology#Deployment", "https://w3id.org/nkru/ontology#Confirmed",
            "2"] in rows, rows


@pytest.mark.browser
@pytest.mark.server
def test_query_page_tabs_kept_from_an_earlier_visit_do_not_hide_the_examples(live_server, tmp_path):
    """YASGUI keeps tabs in the browser; an example tab closed on an earlier visit comes back,
    beside the user's own tab."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    tabs = "Array.from(document.querySelectorAll('.tabsList a[role=tab]')).map(a => a.id).join(' ')"
    with DevTools(tmp_path) as tools:
        session = tools.open(live_server + "/query?example=1", tmp_path)
        tools.wait(session, "document.querySelectorAll('.tabsList a[role=tab]').length === 4")
        tools.evaluate(session, "document.querySelector('#tab-example-0 .closeTab').click()")
        tools.wait(session, "document.querySelectorAll('.tabsList a[role=tab]').length === 3")
        query = quote("SELECT ?s WHERE { ?s a ?c } LIMIT 1")
        tools.send("Page.navigate", {"url": f"{live_server}/query?query={query}"}, session=session)
        tools.wait(session, "document.querySelectorAll('table.dataTable tbody tr').length === 1")
        tools.send("Page.navigate", {"url": live_server + "/query"}, session=session)
        tools.wait(session, "document.querySelectorAll('.tabsList a[role=tab]').length === 5")
        ids = tools.evaluate(session, tabs).split()
        assert not tools.violations(), tools.violations()
    assert {"tab-example-0", "tab-example-1", "tab-example-2", "tab-example-3"} < set(ids), ids
    assert len(ids) == 5  # and the user's tab


class DevTools:
    """Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
    the browser reads commands on its fd 3 and writes answers on fd 4, NUL-separated JSON)."""

    def __init__(self, tmp_path: Path) -> None:
        import fcntl
        to_browser, self._out = os.pipe()
        self._in, from_browser = os.pipe()
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 100) for fd in (to_browser, from_browser)]

        def child() -> None:
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={tmp_path / 'devtools'}",
             "about:blank"], pass_fds=(3, 4), preexec_fn=child,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for fd in (to_browser, from_browser, *high):
            os.close(fd)
        self._buffer, self._id, self.events = b"", 0, []

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.send("Browser.close")
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        self.process.wait(timeout=30)
        os.close(self._out)
        os.close(self._in)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        import json
        import select
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                ready, _, _ = select.select([self._in], [], [], 60)
                assert ready, f"no answer from the browser to {method}"
                chunk = os.read(self._in, 1 << 16)
                assert chunk, "the browser closed its pipe"
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self._id:
                assert "error" not in answer, answer
                return answer.get("result", {})
            self.events.append(answer)

    def open(self, url: str, downloads: Path) -> str:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        self.send("Log.enable", session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        return session

    def evaluate(self, session: str, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                           session=session)
        return result.get("result", {}).get("value")

    def wait(self, session: str, expression: str) -> None:
        self.wait_for(lambda: self.evaluate(session, expression))

    def wait_for(self, condition) -> None:
        """Until ``condition()`` holds; a page that never gets there fails after a minute."""
        import time
        deadline = time.monotonic() + 60
        while not condition():
            assert time.monotonic() < deadline, "the page never got there"
            time.sleep(0.1)

    def violations(self) -> list[str]:
        return [e["params"]["entry"]["text"] for e in self.events
                if e.get("method") == "Log.entryAdded"
                and "Content Security Policy" in e["params"]["entry"]["text"]]


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
