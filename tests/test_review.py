"""Review means review: a pending submission is seen by reviewers only, until accepted.

Through a real server on loopback, on both store backends: a pending submission's claim is
absent from every anonymous way of reading the graph (SELECT over the default graph,
``GRAPH ?g``, ``FROM`` / ``FROM NAMED`` and the protocol's dataset parameters naming its
staging graph, ``GET /store`` with and without ``?graph=``, the graph and resource pages, the
service description, ``/api/claims``); the write token shows it (``/sparql`` with the staging
graph as the dataset, ``/store?graph=``, ``/api/submissions/{id}``); after accept everyone
sees it, after reject nobody does.
"""

from __future__ import annotations

import urllib.parse

import pyoxigraph as ox
import pytest
import requests

import submission_data as d
from conftest import AUTH
from graph_service import iris
from graph_service.validation import submissions

pytestmark = pytest.mark.server

TTL = "text/turtle"
ITEM = "review-only crates of shells"  # a literal found nowhere else


@pytest.fixture
def store(backend_store):
    d.seed(backend_store)
    return backend_store


@pytest.fixture
def pending(live_server):
    """A submission sent with the write token, still pending: (id, claim IRI, staging graph)."""
    g = d.claim_graph(item=ITEM)
    r = requests.post(f"{live_server}/api/submissions", data=d.turtle(g),
                      headers={"Content-Type": TTL, **AUTH}, timeout=30)
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    return sid, d.claim_iri(g), iris.submission_graph(sid)


def sparql(url: str, query: str, *, headers: dict | None = None, **dataset) -> requests.Response:
    params = [("query", query)] + [(name.replace("_", "-"), value)
                                   for name, values in dataset.items() for value in values]
    return requests.get(f"{url}/sparql?{urllib.parse.urlencode(params)}", timeout=30,
                        headers={"Accept": "application/sparql-results+json", **(headers or {})})


def rows(resp: requests.Response) -> list[dict]:
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]["bindings"]


def graph_names(nquads: bytes) -> set[str]:
    return {q.graph_name.value for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
            if isinstance(q.graph_name, ox.NamedNode)}


def anonymous_reads(url: str, claim: str, staging: str) -> dict[str, requests.Response]:
    """Every anonymous way of reading the graph, by name."""
    about = f"SELECT ?p ?o WHERE {{ <{claim}> ?p ?o }}"
    page = iris.local_part(claim)
    return {
        "default graph": sparql(url, about),
        "literal": sparql(url, f'SELECT ?s WHERE {{ ?s ?p "{ITEM}" }}'),
        "GRAPH ?g": sparql(url, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{claim}> ?p ?o }} }}"),
        "graph list": sparql(url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"),
        "GRAPH <staging>": sparql(url, f"SELECT * WHERE {{ GRAPH <{staging}> {{ ?s ?p ?o }} }}"),
        "DESCRIBE": requests.get(f"{url}/sparql", params={"query": f"DESCRIBE <{claim}>"},
                                 headers={"Accept": "application/n-triples"}, timeout=30),
        "health": requests.get(f"{url}/health", timeout=30),
        "FROM": sparql(url, f"SELECT ?p ?o FROM <{staging}> WHERE {{ <{claim}> ?p ?o }}"),
        "FROM NAMED": sparql(url, f"SELECT ?g FROM NAMED <{staging}> "
                                  f"WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
        "default-graph-uri": sparql(url, about, default_graph_uri=[staging]),
        "named-graph-uri": sparql(url, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                  named_graph_uri=[staging]),
        "store": requests.get(f"{url}/store", headers={"Accept": "application/n-quads"},
                              timeout=30),
        "store graph": requests.get(f"{url}/store", params={"graph": staging}, timeout=30,
                                    headers={"Accept": "application/n-triples"}),
        "graph page": requests.get(f"{url}/{iris.local_part(staging)}", timeout=30),
        "claim page": requests.get(f"{url}/{page}", timeout=30,
                                   headers={"Accept": "application/n-triples"}),
        "service description": requests.get(f"{url}/sparql", timeout=30,
                                            headers={"Accept": "application/n-triples"}),
        "api claims": requests.get(f"{url}/api/claims", params={"limit": 200}, timeout=30),
        "submission": requests.get(f"{url}/api/submissions/{staging.rsplit('/', 1)[1]}",
                                   timeout=30),
    }


def test_a_pending_submission_is_not_served_anonymously(live_server, pending):
    sid, claim, staging = pending
    for name, resp in anonymous_reads(live_server, claim, staging).items():
        body = resp.text
        assert resp.status_code < 500, (name, body)
        assert ITEM not in body, name
        if resp.status_code == 200:  # (an error may repeat the IRI it was asked about)
            assert claim not in body, name
        if name in ("GRAPH ?g", "graph list", "service description"):
            assert staging not in body, name
    dump = anonymous_reads(live_server, claim, staging)["store"].content
    assert staging not in graph_names(dump)
    # naming the staging graph says who may see it
    reads = anonymous_reads(live_server, claim, staging)
    for name in ("FROM", "FROM NAMED", "default-graph-uri", "named-graph-uri", "store graph"):
        assert reads[name].status_code == 401, (name, reads[name].text)
        assert "reviewers" in reads[name].json()["message"]
    assert reads["graph page"].status_code == 404 and reads["claim page"].status_code == 404
    assert reads["submission"].json()["status"] == "pending"  # the record is public


def test_reviewers_see_the_staging_graph_with_the_token(live_server, pending):
    sid, claim, staging = pending
    about = f"SELECT ?p ?o WHERE {{ <{claim}> ?p ?o }}"
    assert rows(sparql(live_server, about, default_graph_uri=[staging], headers=AUTH))
    assert rows(sparql(live_server, f"SELECT ?p FROM <{staging}> WHERE {{ <{claim}> ?p ?o }}",
                       headers=AUTH))
    named = rows(sparql(live_server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                        named_graph_uri=[staging], headers=AUTH))
    assert [r["g"]["value"] for r in named] == [staging]
    got = requests.get(f"{live_server}/store", params={"graph": staging}, timeout=30,
                       headers={"Accept": "application/n-triples", **AUTH})
    assert got.status_code == 200 and claim in got.text and ITEM in got.text
    assert requests.head(f"{live_server}/store", params={"graph": staging}, headers=AUTH,
                         timeout=30).status_code == 200
    sub = requests.get(f"{live_server}/api/submissions/{sid}", headers=AUTH, timeout=30)
    assert claim in sub.json()["content"]
    # the token does not put pending content into the union default graph
    assert not rows(sparql(live_server, about, headers=AUTH))
    # a staging graph and a served graph together: two stores, so refused
    mixed = sparql(live_server, about, default_graph_uri=[staging, iris.ENTITIES_GRAPH],
                   headers=AUTH)
    assert mixed.status_code == 400 and "apart" in mixed.json()["message"]
    assert sparql(live_server, about, default_graph_uri=[staging],
                  headers={"Authorization": "Bearer nope"}).status_code == 401


def test_the_store_refuses_writes_to_staging_graphs(live_server, pending):
    sid, claim, staging = pending
    for method in ("PUT", "POST", "DELETE"):
        r = requests.request(method, f"{live_server}/store", params={"graph": staging},
                             data=b"", headers={"Content-Type": TTL, **AUTH}, timeout=30)
        assert r.status_code == 400, (method, r.text)
    assert claim in requests.get(f"{live_server}/api/submissions/{sid}", headers=AUTH,
                                 timeout=30).json()["content"]


def test_accepted_claims_are_served_to_everyone(live_server, pending):
    sid, claim, staging = pending
    r = requests.post(f"{live_server}/api/submissions/{sid}/accept", headers=AUTH, timeout=30)
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    accepted = submissions.ACCEPTED_PREFIX + sid
    assert rows(sparql(live_server, f"SELECT ?p ?o WHERE {{ <{claim}> ?p ?o }}"))
    graphs = rows(sparql(live_server, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{claim}> a ?t }} }}"))
    assert {r["g"]["value"] for r in graphs} == {accepted}
    dump = requests.get(f"{live_server}/store", headers={"Accept": "application/n-quads"},
                        timeout=30).content
    assert claim.encode() in dump and staging not in graph_names(dump)
    assert accepted in graph_names(dump)
    items = requests.get(f"{live_server}/api/claims", params={"limit": 200}, timeout=30).json()
    assert claim in {item["claim"] for item in items["items"]}
    assert ITEM in requests.get(f"{live_server}/api/submissions/{sid}", timeout=30).json()["content"]
    assert requests.get(f"{live_server}/store", params={"graph": staging}, headers=AUTH,
                        timeout=30).status_code == 404


def test_rejected_claims_stay_unserved(live_server, pending):
    sid, claim, staging = pending
    r = requests.post(f"{live_server}/api/submissions/{sid}/reject", json={"reason": "no source"},
                      headers=AUTH, timeout=30)
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    for name, resp in anonymous_reads(live_server, claim, staging).items():
        assert ITEM not in resp.text and (resp.status_code != 200 or claim not in resp.text), name
    assert not rows(sparql(live_server, f"SELECT ?p WHERE {{ <{claim}> ?p ?o }}",
                           default_graph_uri=[staging], headers=AUTH))


def test_the_remote_store_never_holds_pending_content(store, pending, oxigraph_server):
    """With --backend sparql the staging store is local: the remote store's own endpoint
    does not show pending content either."""
    sid, claim, staging = pending
    if not hasattr(store, "query_endpoint"):
        pytest.skip("the embedded store has no endpoint of its own")
    r = requests.get(oxigraph_server.query_endpoint, timeout=30,
                     params={"query": f"ASK {{ GRAPH ?g {{ <{claim}> ?p ?o }} }}"},
                     headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["boolean"] is False
