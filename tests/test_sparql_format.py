"""``/sparql?format=`` and ``?output=`` (Fuseki's names) for clients that cannot set Accept;
an explicit Accept header wins when both are given."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from conftest import AUTH, WRITE_TOKEN
from graph_service.store import OxigraphStore
from graph_service.web import create_app

G = "https://w3id.org/nkru/graph/format-test"
INSERT = f"""INSERT DATA {{ GRAPH <{G}> {{
  <https://w3id.org/nkru/id/entity/a> <http://www.w3.org/2000/01/rdf-schema#label> "Alpha" .
  <https://w3id.org/nkru/id/entity/b> <http://www.w3.org/2000/01/rdf-schema#label> "Beta, \\"B\\"" .
}} }}"""
SELECT = ("SELECT ?e ?name WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?name } "
          "ORDER BY ?name")
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o }"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("format") / "store")
    client = create_app({"TESTING": True, "WRITE_TOKEN": WRITE_TOKEN}, store=store).test_client()
    assert client.post("/sparql", data=INSERT, headers={
        **AUTH, "Content-Type": "application/sparql-update"}).status_code == 204
    yield client
    store.close()


def get(client, query, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql?" + urlencode({"query": query, **params}), headers=headers)


@pytest.mark.parametrize("query,params,media", [
    (SELECT, {"format": "json"}, "application/sparql-results+json"),
    (SELECT, {"format": "xml"}, "application/sparql-results+xml"),
    (SELECT, {"format": "csv"}, "text/csv"),
    (SELECT, {"format": "tsv"}, "text/tab-separated-values"),
    (SELECT, {"output": "csv"}, "text/csv"),
    (SELECT, {"output": "JSON"}, "application/sparql-results+json"),
    (SELECT, {"format": "text/csv"}, "text/csv"),
    ("ASK {}", {"format": "xml"}, "application/sparql-results+xml"),
    (CONSTRUCT, {"format": "turtle"}, "text/turtle"),
    (CONSTRUCT, {"format": "ttl"}, "text/turtle"),
    (CONSTRUCT, {"format": "ntriples"}, "application/n-triples"),
    (CONSTRUCT, {"format": "jsonld"}, "application/ld+json"),
    (CONSTRUCT, {"format": "json"}, "application/ld+json"),
    (CONSTRUCT, {"format": "xml"}, "application/rdf+xml"),
    (CONSTRUCT, {"output": "nt"}, "application/n-triples"),
])
def test_a_format_parameter_chooses_the_format(seeded, query, params, media):
    for accept in (None, "*/*", BROWSER):   # no Accept, a wildcard, a browser's: the name wins
        resp = get(seeded, query, accept, **params)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        assert resp.mimetype == media, accept
        assert "Accept" in resp.headers["Vary"]


def test_the_csv_is_the_result(seeded):
    resp = get(seeded, SELECT, format="csv")
    assert resp.get_data(as_text=True).splitlines() == [
        "e,name", "https://w3id.org/nkru/id/entity/a,Alpha",
        'https://w3id.org/nkru/id/entity/b,"Beta, ""B"""']


@pytest.mark.parametrize("query,accept,params,media", [
    (SELECT, "application/sparql-results+json", {"format": "csv"}, "application/sparql-results+json"),
    (SELECT, "text/tab-separated-values", {"output": "xml"}, "text/tab-separated-values"),
    (CONSTRUCT, "text/turtle", {"format": "jsonld"}, "text/turtle"),
])
def test_an_explicit_accept_header_wins(seeded, query, accept, params, media):
    resp = get(seeded, query, accept, **params)
    assert resp.status_code == 200 and resp.mimetype == media


def test_a_form_post_may_name_the_format(seeded):
    resp = seeded.post("/sparql", data={"query": SELECT, "format": "tsv"})
    assert resp.status_code == 200 and resp.mimetype == "text/tab-separated-values"
    resp = seeded.post("/sparql?output=csv", data=SELECT,
                       headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 200 and resp.mimetype == "text/csv"


def test_the_service_description_may_name_its_format(seeded):
    resp = seeded.get("/sparql?format=ntriples")
    assert resp.status_code == 200 and resp.mimetype == "application/n-triples"


@pytest.mark.parametrize("query,params,status,says", [
    (SELECT, {"format": "turtle"}, 406, "csv"),
    (CONSTRUCT, {"format": "csv"}, 406, "turtle"),
    (SELECT, {"format": "parquet"}, 400, "unknown format"),
    (SELECT, {"format": "csv", "output": "json"}, 400, "more than one format"),
])
def test_a_format_that_cannot_be_given_is_refused(seeded, query, params, status, says):
    resp = get(seeded, query, **params)
    assert resp.status_code == status
    assert says in resp.get_json()["message"]


@pytest.mark.server
def test_pandas_reads_a_query_url(live_server, client):
    """pandas' read_csv(url) sends no Accept header a service could use: format= does it."""
    pandas = pytest.importorskip("pandas")
    assert client.post("/sparql", data=INSERT, headers={
        **AUTH, "Content-Type": "application/sparql-update"}).status_code == 204
    frame = pandas.read_csv(f"{live_server}/sparql?" + urlencode({"query": SELECT, "format": "csv"}))
    assert list(frame.columns) == ["e", "name"]
    assert frame["name"].tolist() == ["Alpha", 'Beta, "B"']
    frame = pandas.read_csv(f"{live_server}/sparql?" + urlencode({"query": SELECT, "output": "tsv"}),
                            sep="\t", quoting=3)   # csv.QUOTE_NONE: TSV terms are N-Triples
    assert frame["?name"].tolist() == ['"Alpha"', '"Beta, \\"B\\""']
