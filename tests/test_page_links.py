"""Only http(s) IRIs and IRIs minted here become links on pages; any other scheme is text."""

from __future__ import annotations

import pytest

from graph_service.web.linked_data import linkable

ARTICLE = "https://w3id.org/nkru/id/article/cccc000000000003"
GRAPH = "https://w3id.org/nkru/graph/article/cccc000000000003"
EVIL = ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "vbscript:x",
        "urn:x:y"]


@pytest.fixture
def store(api_fixture_store):
    return api_fixture_store


@pytest.fixture
def evil_client(client, store):
    values = " ".join(f"<{iri}>" for iri in EVIL)
    store.update(f"""PREFIX schema: <https://schema.org/>
        DELETE {{ GRAPH <{GRAPH}> {{ <{ARTICLE}> schema:url ?u }} }}
        INSERT {{ GRAPH <{GRAPH}> {{ <{ARTICLE}> schema:url <{EVIL[0]}> ;
                                      <http://example.org/see> ?v }} }}
        WHERE {{ GRAPH <{GRAPH}> {{ <{ARTICLE}> schema:url ?u }} VALUES ?v {{ {values} }} }}""")
    return client


def test_links_are_http_or_local_only():
    assert linkable("https://example.org/a") and linkable("http://example.org/a")
    assert linkable("https://w3id.org/nkru/id/entity/x")
    for iri in EVIL + ["", "https:", "//example.org/a", " https://example.org/a"]:
        assert not linkable(iri), iri


@pytest.mark.parametrize("api_fixture_store", ["embedded"], indirect=True)
def test_stored_javascript_iris_are_shown_as_text(evil_client):
    html = evil_client.get("/id/article/cccc000000000003").get_data(as_text=True)
    for iri in EVIL:
        assert f'href="{iri}' not in html and f"href='{iri}" not in html
    assert "alert(1)" in html  # still shown, as text
    hrefs = [part.split('"')[0] for part in html.split('href="')[1:]]
    assert all(h.startswith(("/", "?", "#", "http://", "https://")) for h in hrefs), hrefs
