"""The HTML pages as the server sends them, on both store backends, against the API fixture
(``data/api-fixture.trig``). What scripts do in a browser is ``test_pages_browser.py``'s part;
every figure checked here is drawn or counted on the server.
"""

from __future__ import annotations

import re

import pytest

from page_elements import Elements

QUOTE = ("North Korea has deployed over 500 technical and medical support troops to "
         "Russian-occupied territories in Ukraine")
HEADLINES = ["North Korea deploys 500 troops to Russian-occupied Ukraine",
             "Seoul says 10,000 North Korean soldiers are in Russia",
             "Pentagon: up to 12,000 North Korean troops in Kursk"]


@pytest.fixture
def store(api_fixture_store):
    """Overrides conftest's store: the API fixture, on each backend."""
    return api_fixture_store


@pytest.fixture
def api(client):
    """``api(path)``: the JSON the API answers, to compare a page with."""
    def get(path: str) -> dict:
        r = client.get(path)
        assert r.status_code == 200, (path, r.get_data(as_text=True)[:300])
        return r.get_json()
    return get


def page(client, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code, r.get_data(as_text=True)[:300])
    assert r.mimetype == "text/html"
    return r.get_data(as_text=True)


def test_landing_page_counts_and_lists_articles(client, store):
    html = page(client, "/")
    counts = Elements(html).text
    assert (counts["count-articles"], counts["count-claims"], counts["count-events"]) \
        == ("3", "5", "1")
    assert int(counts["count-triples"]) == store.count()
    for headline in HEADLINES:
        assert headline in html
    assert html.count('href="/query?example=') == 4  # one link per shipped example


def test_articles_page_lists_each_article_with_its_claims(client, api):
    html = page(client, "/articles")
    assert "<h1>Articles (3)</h1>" in html
    for article in api("/api/articles")["items"]:
        assert f'href="/id/article/{article["id"]}"' in html
        n = article["claim_count"]
        assert f"{n} claim{'' if n == 1 else 's'}" in html


def test_entities_page_lists_what_the_api_lists(client, api):
    html = page(client, "/entities")
    hrefs = re.findall(r'<li><a href="(/id/[^"]+)"', html)
    listed = api("/api/entities?limit=200")["items"]
    assert hrefs == ["/id/" + e["id"] for e in listed] and len(hrefs) > 5
    assert f"<h1>Entities ({len(listed)})</h1>" in html


def _panel(html: str, key: str) -> str:
    start = html.index(f'id="panel-{key}"')
    end = html.find("<section", start + 1)
    return html[start:end if end > 0 else None]


def test_timeline_chart_draws_the_dated_figures(client):
    html = page(client, "/timeline")
    panel = _panel(html, "deployment")
    assert panel.count("<circle") == 3  # three dated troop figures in the fixture
    for source in ("National Intelligence Service", "Sabrina Singh", "a government official"):
        assert source in panel
    assert re.search(r'<line[^>]+y1="[\d.]+"[^>]+y2="[\d.]+"[^>]+stroke-width="3"', panel)


def test_timeline_places_undated_figures_at_their_report_date_one_chart_per_thing_counted(
        client, store):
    """The shells figure has no event date: it is drawn hollow at its report date, in a
    chart of its own, not on the troops' y-axis."""
    html = page(client, "/timeline")
    shells = _panel(html, "shells")
    assert shells.count("<circle") == 1 and 'class="estimated"' in shells
    assert "5.2 million rounds" in shells and "placed at the report date, reported 2024-09-19" in shells
    assert "5.2 million" not in _panel(html, "deployment")
    assert "No figures." in _panel(html, "missiles")
    # a troop figure loses its event date: still on the troops chart, now hollow
    store.update("DELETE WHERE { GRAPH ?g { <https://w3id.org/nkru/id/claim/c200000000000001/time> "
                 "?p ?o } }")
    troops = _panel(page(client, "/timeline"), "deployment")
    assert troops.count("<circle") == 3 and troops.count('class="estimated"') == 1
    assert "4 figures: 2 placed" in page(client, "/timeline")


def test_claim_page_marks_the_quote_at_its_offsets(client):
    html = page(client, "/id/claim/c100000000000001")
    text = Elements(html).text
    assert text["quote"] == QUOTE
    assert text["article-text"].index(QUOTE) == 94
    assert re.sub(r"\s+", " ", text["claimer"]).strip() == "a government official via TV Chosun"
    assert text["reported"].startswith("2024-09-19")


def test_entity_page_lists_its_claims(client):
    html = page(client, "/id/entity/north-korea")
    assert "<h1>North Korea</h1>" in html
    table = html[html.index('<table class="claims">'):]
    assert table[:table.index("</table>")].count("<tr>") == 1 + 5


def _query_page_config(html: str) -> dict:
    """The configuration the query page gives YASGUI (data-config, JSON)."""
    import html as html_module
    import json
    raw = re.search(r"data-config='([^']*)'", html).group(1)
    return json.loads(html_module.unescape(raw))


@pytest.mark.parametrize("example, rows", [(0, 3), (1, 4)])
def test_query_page_examples_run_on_the_endpoint(client, example, rows):
    """The query page hands YASGUI each example (a tab) and the one the address asks for; the
    query it gives answers on the endpoint it names."""
    config = _query_page_config(page(client, f"/query?example={example}"))
    assert config["example"] == example
    assert [e["title"] for e in config["examples"]][:2] == [
        "Troop figures for deployments, with who said them and when",
        "How many claims of each type, by status"]
    query = config["examples"][example]["query"]
    assert query.startswith("# ")
    r = client.post(config["endpoint"], data={"query": query},
                    headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert len(r.get_json()["results"]["bindings"]) == rows
    assert _query_page_config(page(client, "/query?example=99"))["example"] is None


def test_query_page_prefixes_are_the_json_ld_contexts(client):
    """YASGUI compacts IRIs with the prefixes of /context.jsonld (kg:, entity:, ...)."""
    from graph_service.web import context
    prefixes = _query_page_config(page(client, "/query"))["prefixes"]
    assert prefixes["kg"] == "https://w3id.org/nkru/ontology#"
    assert prefixes["entity"] == "https://w3id.org/nkru/id/entity/"
    assert prefixes == {**context.PREFIXES, **context.MINTED}


def test_query_page_serves_yasgui_locally_under_a_policy_loosened_only_for_its_styles(client):
    from graph_service.web import CONTENT_SECURITY_POLICY
    from graph_service.web.pages import YASGUI, YASGUI_STYLES
    html = page(client, "/query")
    for name in ("yasgui.min.js", "yasgui.min.css"):
        assert f'/static/{YASGUI}/{name}"' in html
        assert client.get(f"/static/{YASGUI}/{name}").status_code == 200
    assert "codemirror" not in html.lower()
    # the inline styles allowed by hash are the ones the vendored script makes
    script = client.get(f"/static/{YASGUI}/yasgui.min.js").get_data(as_text=True)
    # (the cursor while a column is dragged is built from the resizer's default dragCursor)
    built = {"*{cursor:col-resize!important}": ("`*{cursor:`+", "dragCursor:`col-resize`")}
    for text in YASGUI_STYLES:
        for part in built.get(text, (text,)):
            assert part in script, part[:60]
    policy = client.get("/query").headers["Content-Security-Policy"]
    assert policy.count("'sha256-") == len(YASGUI_STYLES)
    assert "unsafe-inline" not in policy and "script-src 'self';" in policy
    assert policy.replace(policy.split("; ")[2] + "; ", "") == \
        CONTENT_SECURITY_POLICY.replace("style-src 'self'; ", "")
    # every other page keeps the strict policy
    assert client.get("/").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_an_article_without_a_headline_is_named_by_its_first_line(client, store):
    """Articles whose metadata has no title (two of the seeds) are named by the first line of
    their text, on every page that names them; without an outlet, by their URL's host."""
    article = "https://w3id.org/nkru/id/article/cccc000000000003"
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ <{article}> <https://schema.org/headline> ?h }} }}")
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ <{article}> <https://schema.org/publisher> ?p }} }}")
    first = "Pentagon: up to 12,000 North Korean troops in Kursk"   # the text's first line
    for path in ("/", "/articles", "/id/article/cccc000000000003",
                 "/id/claim/c300000000000001", "/id/event/e000000000000001"):
        html = page(client, path)
        assert first in html and ">None<" not in html and "Untitled article" not in html, path
    assert "<small>example.org · 2024-11-12" in page(client, "/")
    assert "example.org · 2024-11-12" in page(client, "/articles")
    assert "<p>example.org" in page(client, "/id/article/cccc000000000003")


def test_first_line_names_only_a_heading():
    from graph_service.store.claim_index import first_line
    assert first_line("\n  Seoul says  10,000\n\nText.") == "Seoul says 10,000"
    assert first_line("x" * 201 + "\nmore") is None
    assert first_line("") is None


def test_claim_page_reads_at_a_glance(client, store):
    html = page(client, "/id/claim/c100000000000001")
    assert 'src="/static/claim.js"' in html
    assert "<small>@en</small>" in html and "langString" not in html
    entity = page(client, "/id/entity/tv-chosun")
    assert "(1 claim)" in entity
    event = page(client, "/id/event/e000000000000001")
    assert "2 reports, 2 independent" in event
    # a claim without a claimer says so
    claim = "https://w3id.org/nkru/id/claim/c100000000000002"
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ <{claim}> <https://w3id.org/nkru/ontology#claimedBy> ?c }} }}")
    text = Elements(page(client, "/id/claim/c100000000000002")).text
    assert text["claimer"].strip().startswith("not attributed in the article")


def test_api_docs_page_loads_the_vendored_swagger_ui(client):
    html = page(client, "/api/docs")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any("swagger-ui-bundle.js" in a for a in assets) and any(a.endswith("api-docs.js") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert 'data-spec-url="/openapi.json"' in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # no CDN


@pytest.mark.parametrize("path", ["/entities", "/articles"])
def test_list_pages_come_in_pages(client, monkeypatch, path):
    from graph_service.web import pages
    total = int(re.search(r"<h1>\w+ \((\d+)\)</h1>", page(client, path)).group(1))
    monkeypatch.setattr(pages, "LIST_PAGE", 2)
    seen = []
    for number in range(1, -(-total // 2) + 1):
        html = page(client, f"{path}?page={number}")
        rows = re.findall(r'<li><a href="([^"]+)"', html)
        assert len(rows) == min(2, total - len(seen)), html
        assert f"<h1>{'Entities' if path == '/entities' else 'Articles'} ({total})</h1>" in html
        assert ('rel="next"' in html) == (number * 2 < total)
        assert ('rel="prev"' in html) == (number > 1)
        seen += rows
    assert len(seen) == len(set(seen)) == total
    assert page(client, f"{path}?page=999") == page(client, f"{path}?page={-(-total // 2)}")
    assert page(client, f"{path}?page=x") == page(client, f"{path}?page=1")
