"""/sparql beyond the W3C manifest: negotiation, service description, datasets, auth, limits.

Each limit is configured small through the ``app_config`` fixture and tested by breaching it.
A fake SPARQL endpoint on loopback records every request, so "never fetches" is checked by
its hit count, not assumed.
"""

from __future__ import annotations

import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import rdflib
import requests
from rdflib.query import Result

from conftest import AUTH
from graph_service.formats import RDFFormat
from graph_service.store.remote import SparqlStore
from graph_service.web import create_app
from jsonld_context import inline_context

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
G1, G2 = "http://example.org/g1", "http://example.org/g2"


@pytest.fixture
def store(backend_store):
    """Overrides conftest's store: an empty store on each backend."""
    return backend_store


def load(store, graph: str, n: int, *, tag: str = "v") -> None:
    triples = "\n".join(f'<http://example.org/s{i}> <http://example.org/p> "{tag}{i}" .'
                        for i in range(n))
    store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }}")


def select(client, query: str, **params):
    response = client.get("/sparql", query_string={"query": query, **params},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]["bindings"]


# -- content negotiation ------------------------------------------------------------------------

SELECT_Q = "SELECT ?o WHERE { ?s ?p ?o }"
CONSTRUCT_Q = "CONSTRUCT WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("accept, media", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv;q=0.9, application/sparql-results+xml;q=0.5", "text/csv"),
    ("application/sparql-results+xml;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
    ("application/sparql-results+json;q=0, */*;q=0.5", "application/sparql-results+xml"),
    ("text/*", "text/csv"),
    ("application/json", "application/json"),
])
def test_select_negotiation_honours_q_values(client, store, accept, media):
    load(store, G1, 2)
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": SELECT_Q}, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == media
    fmt = {"application/sparql-results+json": "json", "application/json": "json",
           "application/sparql-results+xml": "xml", "text/csv": "csv",
           "text/tab-separated-values": "tsv"}[media]
    result = Result.parse(io.BytesIO(response.data), format=fmt)
    assert sorted(str(row[0]) for row in result) == ["v0", "v1"]


@pytest.mark.parametrize("accept, media", [
    (None, "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/ld+json;q=1, text/turtle;q=0.5", "application/ld+json"),
    ("application/rdf+xml, text/turtle;q=0.2", "application/rdf+xml"),
    ("application/trig", "application/trig"),
    ("application/n-quads", "application/n-quads"),
])
def test_construct_negotiation(client, store, accept, media):
    load(store, G1, 3)
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": CONSTRUCT_Q}, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == media
    graph = rdflib.Dataset()
    data = response.get_data(as_text=True)
    if media == "application/ld+json":   # compacted against /context.jsonld
        data = inline_context(client, data)
    graph.parse(data=data, format=RDFFormat.from_media_type(media).rdflib_name)
    assert len(graph) == 3 or sum(1 for _ in graph.quads()) == 3


@pytest.mark.parametrize("query, expected", [
    (SELECT_Q, {"application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"}),
    (CONSTRUCT_Q, {"text/turtle", "application/n-triples", "application/ld+json",
                   "application/rdf+xml", "application/trig", "application/n-quads"}),
])
def test_nothing_acceptable_is_406_with_the_list(client, query, expected):
    response = client.get("/sparql", query_string={"query": query},
                          headers={"Accept": "text/html, application/xhtml+xml;q=0.9"})
    assert response.status_code == 406
    body = response.get_json()
    assert expected <= set(body["available"])
    assert "text/html" in body["message"]


# -- service description ------------------------------------------------------------------------

def test_get_without_query_is_a_service_description_with_void(client, store):
    load(store, G1, 3)
    load(store, G2, 2)
    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=response.data, format="turtle")
    endpoint = rdflib.URIRef("http://localhost/sparql")
    (service,) = list(g.subjects(SD.endpoint, endpoint))
    assert (service, rdflib.RDF.type, SD.Service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    dataset = g.value(service, SD.defaultDataset)
    assert (dataset, rdflib.RDF.type, VOID.Dataset) in g
    assert g.value(dataset, VOID.triples).toPython() == 5
    named = {g.value(n, SD.name): g.value(g.value(n, SD.graph), VOID.triples).toPython()
             for n in g.objects(dataset, SD.namedGraph)}
    assert named == {rdflib.URIRef(G1): 3, rdflib.URIRef(G2): 2}


def test_service_description_is_negotiated(client):
    response = client.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert response.mimetype == "application/rdf+xml"
    g = rdflib.Graph().parse(data=response.data, format="xml")
    assert (None, SD.endpoint, rdflib.URIRef("http://localhost/sparql")) in g


# -- dataset ------------------------------------------------------------------------------------

def test_default_graph_is_the_union_unless_a_dataset_is_named(client, store):
    load(store, G1, 2, tag="a")
    load(store, G2, 2, tag="b")
    values = lambda rows: sorted(r["o"]["value"] for r in rows)  # noqa: E731
    assert values(select(client, SELECT_Q)) == ["a0", "a1", "b0", "b1"]
    assert values(select(client, SELECT_Q, **{"default-graph-uri": G1})) == ["a0", "a1"]
    assert values(select(client, f"SELECT ?o FROM <{G2}> WHERE {{ ?s ?p ?o }}")) == ["b0", "b1"]
    named = "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert values(select(client, named, **{"named-graph-uri": G2})) == ["b0", "b1"]
    # the protocol's dataset wins over the query's FROM
    assert values(select(client, f"SELECT ?o FROM <{G2}> WHERE {{ ?s ?p ?o }}",
                         **{"default-graph-uri": G1})) == ["a0", "a1"]


def test_a_dataset_of_named_graphs_only_has_an_empty_default_graph(client, store):
    """SPARQL 1.1 section 13.2: FROM NAMED (or named-graph-uri) without FROM leaves the
    default graph empty, on both backends, even when the store's own default graph holds
    triples."""
    load(store, G1, 2, tag="a")
    store.update('INSERT DATA { <http://example.org/s> <http://example.org/p> "own" }')
    values = lambda rows: sorted(r["o"]["value"] for r in rows)  # noqa: E731
    assert values(select(client, f"SELECT ?o FROM NAMED <{G1}> WHERE {{ ?s ?p ?o }}")) == []
    assert values(select(client, SELECT_Q, **{"named-graph-uri": G1})) == []
    named = "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert values(select(client, named, **{"named-graph-uri": G1})) == ["a0", "a1"]


# -- updates and the token ----------------------------------------------------------------------

INSERT = 'INSERT DATA { GRAPH <http://example.org/w> { <http://example.org/s> <http://example.org/p> "w" } }'


@pytest.mark.parametrize("headers, status", [
    ({}, 401),
    ({"Authorization": "Bearer wrong-token"}, 401),
    ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
    (AUTH, 204),
])
def test_update_needs_the_bearer_token(client, store, headers, status):
    response = client.post("/sparql", data=INSERT, content_type="application/sparql-update",
                           headers=headers)
    assert response.status_code == status
    assert store.has_graph("http://example.org/w") is (status == 204)
    if status == 401:
        assert "Bearer" in response.headers["WWW-Authenticate"]
        assert response.get_json()["message"]


def test_without_a_configured_token_the_service_is_read_only(store):
    client = create_app({"WRITE_TOKEN": None}, store=store).test_client()
    for response in (
        client.post("/sparql", data=INSERT, content_type="application/sparql-update", headers=AUTH),
        client.post("/sparql", data={"update": INSERT}, headers=AUTH),
        client.put("/store?graph=http://example.org/x", data="<http://a> <http://b> <http://c> .",
                   content_type="application/n-triples", headers=AUTH),
    ):
        assert response.status_code == 403
        assert "KG_WRITE_TOKEN" in response.get_json()["message"]
    assert store.count() == 0
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_token_is_compared_in_constant_time(client, monkeypatch):
    import graph_service.web.auth as auth

    calls = []
    real = auth.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    client.post("/sparql", data=INSERT, content_type="application/sparql-update",
                headers={"Authorization": "Bearer guess"})
    assert calls == [(b"guess", AUTH["Authorization"].split()[1].encode())]


# -- errors carry where -------------------------------------------------------------------------

def test_syntax_error_is_json_with_line_and_column(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "QueryError"
    assert body["line"] == 3 and isinstance(body["column"], int)
    assert body["message"]


def test_update_dataset_conflict_names_the_clause(client):
    response = client.post("/sparql?using-graph-uri=http://example.org/g",
                           data="WITH <http://example.org/g>\nDELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                           content_type="application/sparql-update", headers=AUTH)
    assert response.status_code == 400
    body = response.get_json()
    assert "WITH" in body["message"] and body["line"] == 1 and body["column"] == 1


def test_update_dataset_works_or_the_store_says_it_cannot(client, store):
    """USING (and using-graph-uri, which becomes USING) on the embedded store; on the remote
    one, Oxigraph server under --union-default-graph refuses it: 501 and what to do instead."""
    load(store, G1, 2)
    update = (f"INSERT {{ GRAPH <{G2}> {{ ?s ?p ?o }} }} USING <{G1}> WHERE {{ ?s ?p ?o }}")
    for response in (
        client.post("/sparql", data=update, content_type="application/sparql-update",
                    headers=AUTH),
        client.post(f"/sparql?using-graph-uri={G1}", data=update.replace(f"USING <{G1}> ", ""),
                    content_type="application/sparql-update", headers=AUTH),
    ):
        if isinstance(store, SparqlStore):
            assert response.status_code == 501
            message = response.get_json()["message"]
            assert "USING" in message and "GRAPH <IRI>" in message
            assert not store.has_graph(G2)
        else:
            assert response.status_code == 204
            assert store.has_graph(G2)


# -- limits: time -------------------------------------------------------------------------------

CROSS_JOIN = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
CROSS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"


class TestTimeLimit:
    @pytest.fixture
    def app_config(self):
        return {"QUERY_TIMEOUT": 1, "QUERY_SLOTS": 1, "MAX_ROWS": 10**9}

    def test_slow_query_is_503_naming_the_limit_and_stops(self, client, store):
        load(store, G1, 200)  # 8 million rows
        response = client.get("/sparql", query_string={"query": CROSS_JOIN})
        assert response.status_code == 503
        message = response.get_json()["message"]
        assert "KG_QUERY_TIMEOUT" in message and "1 s" in message
        # With one query slot, the next query only runs once the abandoned worker has stopped
        # at a clock check; unchecked, it would run on for far longer than this loop.
        for _ in range(20):
            retry = client.get("/sparql", query_string={"query": "ASK {}"})
            if retry.status_code == 200:
                break
        assert retry.status_code == 200


class TestResponsiveness:
    @pytest.fixture
    def app_config(self):
        return {"QUERY_TIMEOUT": 1, "QUERY_SLOTS": 4}

    def test_server_answers_others_while_a_query_runs(self, live_server, store):
        """Oxigraph evaluates with the GIL released: a second client is answered meanwhile."""
        load(store, G1, 250)  # COUNT over 15 million rows: seconds of Oxigraph evaluation
        slow: dict = {}

        def run_slow():
            slow["response"] = requests.get(f"{live_server}/sparql",
                                            params={"query": CROSS_COUNT}, timeout=60)

        thread = threading.Thread(target=run_slow)
        thread.start()
        time.sleep(0.2)
        quick = requests.get(f"{live_server}/sparql", params={"query": f"ASK {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}"},
                             headers={"Accept": "application/sparql-results+json"}, timeout=60)
        graph = requests.get(f"{live_server}/store", params={"graph": G1},
                             headers={"Accept": "application/n-triples"}, timeout=60)
        assert thread.is_alive(), "the slow query was answered before the other client"
        assert quick.status_code == 200 and quick.json()["boolean"] is True
        assert graph.status_code == 200 and len(graph.text.splitlines()) == 250
        thread.join(60)
        assert slow["response"].status_code == 503
        assert "KG_QUERY_TIMEOUT" in slow["response"].json()["message"]


# -- limits: size -------------------------------------------------------------------------------

class TestSizeLimits:
    @pytest.fixture
    def app_config(self):
        return {"MAX_ROWS": 5, "MAX_BODY": 2000}

    def test_row_cap(self, client, store):
        load(store, G1, 10)
        for query in (SELECT_Q, CONSTRUCT_Q):
            response = client.get("/sparql", query_string={"query": query})
            assert response.status_code == 400
            assert "KG_MAX_ROWS" in response.get_json()["message"]
        assert len(select(client, SELECT_Q + " LIMIT 5")) == 5

    def test_body_cap_is_413(self, client):
        big = "ASK { " + "# padding\n" * 300 + "}"
        assert len(big.encode()) > 2000
        for response in (
            client.post("/sparql", data=big, content_type="application/sparql-query"),
            client.post("/sparql", data={"query": big}),
            client.put("/store?default", data=big, content_type="text/turtle", headers=AUTH),
        ):
            assert response.status_code == 413
            assert "KG_MAX_BODY" in response.get_json()["message"]
        small = client.post("/sparql", data="ASK {}", content_type="application/sparql-query")
        assert small.status_code == 200


# -- no outbound calls --------------------------------------------------------------------------

class _Recorder(BaseHTTPRequestHandler):
    hits: list = []

    def _answer(self):
        type(self).hits.append((self.command, self.path))
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
            {"x": {"type": "literal", "value": "remote"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        self._answer()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def log_message(self, *args):
        pass


@pytest.fixture
def remote():
    """A SPARQL endpoint on loopback that records every request it gets."""
    _Recorder.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", _Recorder.hits
    server.shutdown()


def test_service_outside_the_allowlist_is_refused(client, remote):
    url, hits = remote
    for query in (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }}",
                  f"PREFIX r: <{url.rsplit('/', 1)[0]}/>\nSELECT * WHERE {{ SERVICE SILENT r:sparql {{ ?x ?y ?z }} }}",
                  "SELECT * WHERE { BIND(<%s> AS ?e) SERVICE ?e { ?x ?y ?z } }" % url,
                  "SELECT * WHERE { \\u0053ERVICE <%s> { ?x ?y ?z } }" % url):
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 400, query
        body = response.get_json()
        assert "SERVICE" in body["message"] and "KG_SERVICE_ALLOWLIST" in body["message"]
        assert body["line"] >= 1
    assert hits == []


def test_service_on_the_allowlist_is_called(store, remote):
    url, hits = remote
    client = create_app({"SERVICE_ALLOWLIST": f"https://query.wikidata.org/sparql {url}"},
                        store=store).test_client()
    rows = select(client, f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }}")
    assert [r["x"]["value"] for r in rows] == ["remote"]
    assert len(hits) == 1


def test_service_words_in_strings_iris_and_comments_are_not_calls(client, store):
    load(store, G1, 1)
    query = ('# SERVICE <http://example.org/x>\nSELECT ?o WHERE { ?s ?p ?o '
             'FILTER(?o != "SERVICE <http://example.org/x> {}" && ?s != <http://example.org/SERVICE>) }')
    assert len(select(client, query)) == 1


def test_load_is_refused_and_fetches_nothing(client, store, remote):
    url, hits = remote
    response = client.post("/sparql", data=f"LOAD <{url}> INTO GRAPH <http://example.org/l>",
                           content_type="application/sparql-update", headers=AUTH)
    assert response.status_code == 400
    assert "LOAD" in response.get_json()["message"]
    assert hits == [] and not store.has_graph("http://example.org/l")


def test_from_a_remote_iri_fetches_nothing(client, remote):
    url, hits = remote
    for params in ({"query": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"},
                   {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": url},
                   {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": url}):
        response = client.get("/sparql", query_string=params,
                              headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200
        assert response.get_json()["results"]["bindings"] == []
    assert hits == []


def test_rdf_xml_external_entities_are_not_resolved(client, store, tmp_path, remote):
    url, hits = remote
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-41")
    for system in (secret.as_uri(), url):
        body = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "{system}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/s"><ex:p>&secret;</ex:p></rdf:Description>
</rdf:RDF>"""
        response = client.put("/store?graph=http://example.org/x", data=body,
                              content_type="application/rdf+xml", headers=AUTH)
        assert 400 <= response.status_code < 500
        assert response.get_json()["message"]
    dump = store.export(RDFFormat.NQUADS).decode()
    assert "TOP-SECRET" not in dump
    assert hits == []


# -- graph store details beyond the manifest ----------------------------------------------------

def test_graph_store_errors(client, store):
    nt = "<http://example.org/a> <http://example.org/b> <http://example.org/c> ."
    assert client.put(f"/store?graph={G1}", data=nt, content_type="application/n-triples"
                      ).status_code == 401
    assert client.delete(f"/store?graph={G1}", headers=AUTH).status_code == 404
    both = client.get(f"/store?graph={G1}&default")
    assert both.status_code == 400 and "default" in both.get_json()["message"]
    bad = client.put(f"/store?graph={G1}", data="<a> <b", content_type="text/turtle", headers=AUTH)
    assert bad.status_code == 400 and bad.get_json()["line"] == 1
    unsupported = client.put(f"/store?graph={G1}", data=nt, content_type="text/html", headers=AUTH)
    assert unsupported.status_code == 415
    assert client.put(f"/store?graph={G1}", data=nt, content_type="application/n-triples",
                      headers=AUTH).status_code == 201
    dataset = client.get("/store", headers={"Accept": "application/n-quads"})
    assert dataset.status_code == 200 and f"<{G1}>" in dataset.get_data(as_text=True)


def test_default_graph_of_the_graph_store(client, store):
    """The store's own default graph: written on both backends; read back on the embedded
    one, and refused (501, saying why) on the remote one, whose default graph is the union."""
    nt = "<http://example.org/a> <http://example.org/b> <http://example.org/c> ."
    assert client.put("/store?default", data=nt, content_type="application/n-triples",
                      headers=AUTH).status_code in (201, 204)
    assert len(select(client, SELECT_Q)) == 1  # the union includes it
    response = client.get("/store?default", headers={"Accept": "application/n-triples"})
    if isinstance(store, SparqlStore):
        assert response.status_code == 501
        assert "union" in response.get_json()["message"]
    else:
        assert response.status_code == 200 and response.get_data(as_text=True).strip() == nt
    assert client.delete("/store?default", headers=AUTH).status_code == 204
    assert select(client, SELECT_Q) == []


# -- request reading edge cases -----------------------------------------------------------------

def test_head_on_the_endpoint_matches_get(client):
    get = client.get("/sparql", query_string={"query": "ASK {}"})
    head = client.head("/sparql", query_string={"query": "ASK {}"})
    assert head.status_code == get.status_code == 200
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.data == b""


@pytest.mark.parametrize("kwargs, status, words", [
    ({"data": b"query=ASK%20%7B%7D%FF", "content_type": "application/x-www-form-urlencoded"},
     400, "UTF-8"),
    ({"data": b"ASK {} \xff", "content_type": "application/sparql-query"}, 400, "UTF-8"),
    ({"data": b"query=ASK%20%7B%7D&update=CLEAR%20ALL",
      "content_type": "application/x-www-form-urlencoded"}, 400, "both"),
    ({"data": b"ASK {}", "content_type": "application/sparql-query; charset=ISO-8859-1"},
     415, "UTF-8"),
    ({"data": b"ASK {}", "content_type": "application/sparql-query",
      "query_string": {"default-graph-uri": "not an iri"}}, 400, "default-graph-uri"),
])
def test_malformed_requests_are_4xx_saying_why(client, kwargs, status, words):
    response = client.post("/sparql", headers=AUTH, **kwargs)
    assert response.status_code == status
    assert words in response.get_json()["message"]


# -- configuration from the environment ---------------------------------------------------------

def test_limits_and_token_come_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("KG_WRITE_TOKEN", "from-env")
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("KG_MAX_ROWS", "7")
    monkeypatch.setenv("KG_MAX_BODY", "4096")
    monkeypatch.setenv("KG_SERVICE_ALLOWLIST", "https://query.wikidata.org/sparql, http://x/sparql")
    app = create_app(store=store)
    limits = app.extensions["kg_limits"]
    assert (limits.timeout, limits.max_rows) == (2.5, 7)
    assert limits.allowlist == {"https://query.wikidata.org/sparql", "http://x/sparql"}
    assert app.config["MAX_CONTENT_LENGTH"] == 4096
    ok = app.test_client().post("/sparql", data=INSERT, content_type="application/sparql-update",
                                headers={"Authorization": "Bearer from-env"})
    assert ok.status_code == 204


def test_a_bad_limit_in_the_environment_names_the_variable(store, monkeypatch):
    from graph_service.errors import InputError

    monkeypatch.setenv("KG_QUERY_TIMEOUT", "ten")
    with pytest.raises(InputError, match="KG_QUERY_TIMEOUT"):
        create_app(store=store)
