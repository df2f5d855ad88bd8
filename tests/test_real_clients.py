"""Real clients over a real socket: SPARQLWrapper and rdflib's SPARQLStore, both unchanged.

The app runs in waitress (``web.server.make_server``) on a free loopback port, on each store
backend.
"""

from __future__ import annotations

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

from conftest import WRITE_TOKEN

EX = rdflib.Namespace("http://example.org/")
GRAPH = "http://example.org/people"


@pytest.fixture
def store(backend_store):
    """Overrides conftest's store: an empty store on each backend."""
    return backend_store


def _seed(store) -> None:
    store.update(f"""INSERT DATA {{ GRAPH <{GRAPH}> {{
        <http://example.org/alice> <http://xmlns.com/foaf/0.1/name> "Alice" ;
                                   <http://xmlns.com/foaf/0.1/knows> <http://example.org/bob> .
        <http://example.org/bob> <http://xmlns.com/foaf/0.1/name> "Bob"@en .
    }} }}""")


def test_sparqlwrapper_select_ask_construct(live_server, store):
    _seed(store)
    sw = SPARQLWrapper(f"{live_server}/sparql")
    sw.setQuery("SELECT ?name WHERE { ?p <http://xmlns.com/foaf/0.1/name> ?name } ORDER BY ?name")
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert [(r["name"]["value"], r["name"].get("xml:lang")) for r in rows] == \
        [("Alice", None), ("Bob", "en")]

    sw.setReturnFormat(XML)
    sw.setQuery("ASK { <http://example.org/alice> ?p ?o }")
    doc = sw.query().convert()  # an xml.dom document
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "true"

    sw.setQuery("CONSTRUCT WHERE { <http://example.org/alice> ?p ?o }")
    sw.setReturnFormat(TURTLE)
    g = rdflib.Graph().parse(data=sw.query().convert(), format="turtle")
    assert (EX.alice, rdflib.URIRef("http://xmlns.com/foaf/0.1/knows"), EX.bob) in g
    assert len(g) == 2


def test_sparqlwrapper_update_with_bearer_token(live_server, store):
    sw = SPARQLWrapper(f"{live_server}/sparql")
    sw.setMethod(POST)
    sw.addCustomHttpHeader("Authorization", f"Bearer {WRITE_TOKEN}")
    sw.setQuery(f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://example.org/carol> '
                f'<http://xmlns.com/foaf/0.1/name> "Carol" }} }}')
    sw.query()
    assert store.has_graph(GRAPH)
    assert store.count() == 1


def test_rdflib_sparqlstore_query(live_server, store):
    _seed(store)
    graph = rdflib.Graph(store=SPARQLStore(f"{live_server}/sparql"))
    names = sorted(str(row.name) for row in graph.query(
        "SELECT ?name WHERE { ?p <http://xmlns.com/foaf/0.1/name> ?name }"))
    assert names == ["Alice", "Bob"]
    assert graph.query("ASK { <http://example.org/alice> ?p ?o }").askAnswer is True
    constructed = graph.query("CONSTRUCT WHERE { <http://example.org/bob> ?p ?o }").graph
    assert (EX.bob, rdflib.URIRef("http://xmlns.com/foaf/0.1/name"),
            rdflib.Literal("Bob", lang="en")) in constructed
    assert len(graph) == 3  # SPARQLStore's own COUNT query over the union default graph


def test_rdflib_sparqlupdatestore_writes_with_token(live_server, store):
    update_store = SPARQLUpdateStore(f"{live_server}/sparql", f"{live_server}/sparql",
                                     headers={"Authorization": f"Bearer {WRITE_TOKEN}"},
                                     autocommit=True)
    graph = rdflib.Graph(store=update_store, identifier=rdflib.URIRef(GRAPH))
    graph.add((EX.dave, rdflib.URIRef("http://xmlns.com/foaf/0.1/name"), rdflib.Literal("Dave")))
    assert store.has_graph(GRAPH)
    assert [str(r.n) for r in graph.query(
        "SELECT ?n WHERE { ?s <http://xmlns.com/foaf/0.1/name> ?n }")] == ["Dave"]
