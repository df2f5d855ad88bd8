"""Quad counts from statistics: which queries they answer, and that they equal a scan after
every kind of write (Graph Store Protocol, SPARQL Update, ingest, submissions, bulk load),
also for queries that arrive while a recount runs.

"Exact" is always checked against the store itself: the same COUNT queries, run by Oxigraph.
"""

from __future__ import annotations

import threading

import pytest

import submission_data as d
from conftest import AUTH
from graph_service import pipeline
from graph_service.validation import submissions
from graph_service.articles import iter_articles
from graph_service.formats import RDFFormat, ResultFormat
from graph_service.store.remote import SparqlStore
from graph_service.resources import SEEDS_DIR
from graph_service.sparqltext import CountAll, SparqlText, count_all
from graph_service.store.statistics import Statistics, watch
from graph_service.store import OxigraphStore

G1, G2 = "http://example.org/g1", "http://example.org/g2"
BASE = "http://localhost/sparql"
UNION = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NAMED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
ACCEPTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"]


# -- which queries are whole-store counts -------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    (UNION, CountAll("n", "union")),
    ("select (count ( * ) as $total) { ?s ?p ?o . }", CountAll("total", "union")),
    ("# all\nSELECT (COUNT(*) AS ?n) # of them\n WHERE {?a ?b ?c}", CountAll("n", "union")),
    (NAMED, CountAll("n", "named")),
    ("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o . } . }", CountAll("n", "named")),
    (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}",
     CountAll("n", "graph", G1)),
    ("PREFIX e: <http://example.org/>\nSELECT (COUNT(*) AS ?n) { GRAPH e:g1 { ?s ?p ?o } }",
     CountAll("n", "graph", G1)),
    ("SELECT (COUNT(*) AS ?n) { GRAPH <g1> { ?s ?p ?o } }",
     CountAll("n", "graph", "http://localhost/g1")),                  # relative to the base
    ("SELECT (\\u0043OUNT(*) AS ?n) WHERE { ?s ?p ?o }", CountAll("n", "union")),  # §19.2
    # Anything more is not a whole-store count.
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?s }", None),
    ("SELECT (COUNT(*) AS ?s) WHERE { ?s ?p ?o }", None),
    ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g ?p ?o } }", None),
    (f"SELECT (COUNT(*) AS ?n) FROM <{G1}> WHERE {{ ?s ?p ?o }}", None),
    (f"SELECT (COUNT(*) AS ?n) FROM NAMED <{G1}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", None),
    ("SELECT (COUNT(DISTINCT *) AS ?n) WHERE { ?s ?p ?o }", None),
    ("SELECT (COUNT(?s) AS ?n) WHERE { ?s ?p ?o }", None),
    ("SELECT DISTINCT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", None),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } LIMIT 1", None),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o != 1) }", None),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } VALUES ?s { <a> }", None),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }", None),
    ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o ?x } }", None),
    ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH u:x { ?s ?p ?o } }", None),  # unknown prefix
    ("SELECT ?n WHERE { ?s ?p ?o }", None),
    ("ASK { ?s ?p ?o }", None),
    ("SELECT * WHERE { ?s ?p 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' }", None),
])
def test_whole_store_counts_are_recognized_from_tokens(query, expected):
    assert count_all(SparqlText(query, base_iri=BASE)) == expected


# -- fixtures -----------------------------------------------------------------------------------

def scan(store) -> dict:
    """The counts as Oxigraph computes them by reading every quad."""
    def one(query, **kw):
        (row,) = list(store.query(query, **kw))
        return int(row["n"].value)
    per_graph = {row["g"].value: int(row["n"].value) for row in store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    return {"union": one(UNION), "named": one(NAMED), "default": one(UNION, own_default_graph=True),
            "graphs": per_graph}


def counted(stats: Statistics) -> dict:
    assert stats.wait(10), "the statistics did not become current"
    totals, counts = stats.totals(), stats.counts()
    assert totals.union == sum(counts.values())
    return {"union": totals.union, "named": totals.named, "default": totals.default,
            "graphs": {g: n for g, n in counts.items() if g is not None}}


def assert_exact(store, stats: Statistics) -> None:
    assert counted(stats) == scan(store)


def load(store, graph: str, n: int, *, tag: str = "v") -> None:
    triples = "\n".join(f'<http://example.org/s{i}> <http://example.org/p> "{tag}{i}" .'
                        for i in range(n))
    store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }}", changed=[graph])


def count_through(client, query: str, accept: str = ACCEPTS[0], **params) -> int:
    response = client.get("/sparql", query_string={"query": query, **params},
                          headers={"Accept": accept})
    assert response.status_code == 200, response.get_data(as_text=True)
    (row,) = response.get_json()["results"]["bindings"]
    return int(next(iter(row.values()))["value"])


@pytest.fixture
def stats(app) -> Statistics:
    s = app.extensions["kg_statistics"]
    assert s is not None
    return s


@pytest.fixture
def no_scans(store, monkeypatch):
    """Fails any whole-store COUNT the store is asked for: they must come from statistics."""
    real = store.query

    def query(sparql, **kw):
        ours = threading.current_thread().name == "kg-statistics"
        if not ours and kw.get("default_graph") is None \
                and count_all(SparqlText(sparql, base_iri=BASE)) is not None:
            raise AssertionError(f"the store was asked to count: {sparql}")
        return real(sparql, **kw)

    def allow() -> None:
        monkeypatch.setattr(store, "query", real)

    monkeypatch.setattr(store, "query", query)
    return allow


# -- the counts, and keeping them exact ---------------------------------------------------------

def test_counts_equal_a_scan_with_duplicates_and_the_default_graph(store, stats):
    store.update("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> . "
                 f"GRAPH <{G1}> {{ <http://e/a> <http://e/b> <http://e/c> . <http://e/x> "
                 f"<http://e/y> <http://e/z> }} GRAPH <{G2}> {{ <http://e/a> <http://e/b> "
                 "<http://e/c> } }")
    assert counted(stats) == scan(store) == {"union": 4, "named": 3, "default": 1,
                                             "graphs": {G1: 2, G2: 1}}


def test_statistics_read_at_start_on_a_filled_store(tmp_path):
    store = OxigraphStore(None)
    load(store, G1, 5)
    load(store, G2, 3)
    assert_exact(store, watch(store))


WRITES = {
    "gsp put": lambda c: c.put(f"/store?graph={G1}", data="<http://e/a> <http://e/b> \"1\" .",
                               content_type="application/n-triples", headers=AUTH),
    "gsp post": lambda c: c.post(f"/store?graph={G2}", data="<http://e/a> <http://e/b> \"2\" .",
                                 content_type="application/n-triples", headers=AUTH),
    "gsp post to a new graph": lambda c: c.post(
        "/store?graph=http://example.org/g3", data="<http://e/a> <http://e/b> \"3\" .",
        content_type="application/n-triples", headers=AUTH),
    "gsp delete": lambda c: c.delete(f"/store?graph={G1}", headers=AUTH),
    "gsp put default": lambda c: c.put("/store?default", data="<http://e/d> <http://e/b> \"1\" .",
                                       content_type="application/n-triples", headers=AUTH),
    "sparql update": lambda c: c.post(
        "/sparql", data=f"DELETE WHERE {{ GRAPH <{G2}> {{ <http://example.org/s1> ?p ?o }} }} ;"
        f" INSERT DATA {{ GRAPH <{G1}> {{ <http://e/n> <http://e/m> 9 }} }}",
        content_type="application/sparql-update", headers=AUTH),
    "sparql update of the default graph": lambda c: c.post(
        "/sparql", data="INSERT DATA { <http://e/d> <http://e/m> 9 }",
        content_type="application/sparql-update", headers=AUTH),
    "sparql update form": lambda c: c.post(
        "/sparql", data={"update": f"CLEAR GRAPH <{G1}>"}, headers=AUTH),
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_counts_are_exact_right_after_each_write_through_the_service(store, client, stats,
                                                                     write):
    load(store, G1, 4)
    load(store, G2, 6)
    assert stats.wait(10)
    response = WRITES[write](client)
    assert response.status_code in (200, 201, 204), response.get_data(as_text=True)
    # Read your writes: the count right after the response is the new one ...
    after = scan(store)
    assert count_through(client, UNION) == after["union"]
    assert count_through(client, NAMED) == after["named"]
    for graph, n in {G1: 0, G2: 0, **after["graphs"]}.items():
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        assert count_through(client, q) == after["graphs"].get(graph, 0)
    # ... and the statistics catch up with the store.
    assert_exact(store, stats)


def test_ingest_and_bulk_load_keep_counts_exact(store, stats):
    pipeline.ingest(store, iter_articles(SEEDS_DIR)[0], relink=False)
    assert_exact(store, stats)
    store.bulk_load(f"<http://e/a> <http://e/b> <http://e/c> <{G2}> .\n".encode(),
                    RDFFormat.NQUADS)
    assert_exact(store, stats)
    store.drop_graphs([G2])
    assert_exact(store, stats)


def test_submission_accept_keeps_counts_exact(store, client, stats):
    d.seed(store)
    assert_exact(store, stats)
    sid = client.post("/api/submissions", data=d.turtle(d.claim_graph()),
                      content_type="text/turtle", headers=AUTH).get_json()["id"]
    assert count_through(client, NAMED) == scan(store)["named"]
    assert client.post(f"/api/submissions/{sid}/accept", headers=AUTH).status_code == 200
    assert submissions.ACCEPTED_PREFIX + sid in counted(stats)["graphs"]
    assert count_through(client, UNION) == scan(store)["union"]
    assert_exact(store, stats)


def test_queries_during_a_recount_get_the_store_s_answer(store, client, stats, monkeypatch):
    load(store, G1, 4)
    assert stats.wait(10)
    release, started = threading.Event(), threading.Event()
    real = Statistics._count_graph

    def slow_count(self, graph, epoch, versions):
        started.set()
        release.wait(10)
        return real(self, graph, epoch, versions)

    monkeypatch.setattr(Statistics, "_count_graph", slow_count)
    load(store, G1, 7, tag="w")            # 7 more triples in G1, recounted in the background
    assert started.wait(10)
    assert not stats.current and stats.totals() is None and stats.graph(G1) is None
    assert count_through(client, UNION) == 11
    assert count_through(client, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}") \
        == 11
    release.set()
    assert counted(stats)["union"] == 11


def test_a_write_during_a_full_count_is_counted(store, stats, monkeypatch):
    load(store, G1, 2)
    assert stats.wait(10)
    release, started = threading.Event(), threading.Event()
    real = Statistics._count_all

    def slow_count(self, epoch, versions):
        started.set()
        release.wait(10)
        return real(self, epoch, versions)

    monkeypatch.setattr(Statistics, "_count_all", slow_count)
    store.update(f"INSERT DATA {{ GRAPH <{G2}> {{ <http://e/a> <http://e/b> 1 }} }}")  # unknown
    assert started.wait(10)
    load(store, G1, 5, tag="w")             # a known graph written while everything is counted
    release.set()
    assert_exact(store, stats)


# -- where the statistics answer ----------------------------------------------------------------

@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("query", [UNION, NAMED, "SELECT (COUNT(*) AS ?triples) { ?s ?p ?o }",
                                   f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}",
                                   "SELECT (COUNT(*) AS ?n) { GRAPH <http://e/none> {?s ?p ?o} }"])
def test_sparql_answers_counts_from_statistics_as_the_store_would(store, client, stats, no_scans,
                                                                  query, accept):
    load(store, G1, 4)
    store.update("INSERT DATA { <http://e/a> <http://e/b> 1 }")
    assert stats.wait(10)
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    expected = store.oxigraph.query(query, use_default_graph_as_union=True, base_iri=BASE)
    fmt = next(f for f in ResultFormat if f.media_type == accept)
    assert response.get_data() == expected.serialize(format=fmt.oxigraph)
    assert response.mimetype == accept


def test_a_request_dataset_is_answered_by_the_store(store, client, stats):
    load(store, G1, 4)
    load(store, G2, 2)
    assert stats.wait(10)
    assert count_through(client, UNION, **{"default-graph-uri": G2}) == 2
    assert count_through(client, NAMED, **{"named-graph-uri": G1}) == 4


def test_health_counts_from_statistics(store, client, stats, no_scans, monkeypatch):
    load(store, G1, 4)
    load(store, G2, 2)
    assert stats.wait(10)
    monkeypatch.setattr(store, "count", lambda: pytest.fail("health scanned the store"))
    body = client.get("/health").get_json()
    assert {k: body[k] for k in ("status", "triples", "graphs")} == \
        {"status": "ok", "triples": 6, "graphs": 2}
    assert body["ready"]["statistics"] is True


def test_service_description_counts_from_statistics(store, client, stats, no_scans):
    load(store, G1, 4)
    load(store, G2, 2)
    assert stats.wait(10)
    response = client.get("/sparql", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.count('"6"^^<http://www.w3.org/2001/XMLSchema#integer>') == 2  # dataset, default
    assert '"4"^^<http://www.w3.org/2001/XMLSchema#integer>' in body
    assert '"2"^^<http://www.w3.org/2001/XMLSchema#integer>' in body


def test_only_the_embedded_store_gets_statistics():
    remote = SparqlStore("http://127.0.0.1:9/query", "http://127.0.0.1:9/update", check=False)
    assert watch(remote) is None
