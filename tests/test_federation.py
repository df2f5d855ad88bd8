"""SERVICE <https://query.wikidata.org/sparql> against the Wikidata-shaped fixture on loopback:
the IRI is allowlisted and rewritten to the local Oxigraph server, so nothing leaves the host."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import rdflib

from graph_service import iris
from graph_service.linking import wikidata
from graph_service.errors import LimitExceeded, QueryError, RemoteError
from graph_service.linking.federation import WIKIDATA_SPARQL, Federation, resolve_services, term
from graph_service.store import OxigraphStore
from wikidata_server import ENTITIES, wikidata_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.server

PREFIXES = """PREFIX kg: <https://w3id.org/nkru/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
"""
HEADS = PREFIXES + """
SELECT ?name ?headName ?ourHead WHERE {
  ?state a kg:State ; rdfs:label ?name ; owl:sameAs ?item .
  SERVICE <https://query.wikidata.org/sparql> {
    ?item wdt:P35 ?head . ?head rdfs:label ?headName FILTER(LANG(?headName) = "en")
  }
  OPTIONAL { ?ourHead owl:sameAs ?head }
} ORDER BY ?name"""
ENTITY = iris.ID + "entity/"


@pytest.fixture(scope="module")
def store(wikidata_server, tmp_path_factory):  # noqa: F811
    """Our entities, linked to the fixture's items (curated links from the project file)."""
    s = OxigraphStore(None)
    s.replace_graphs({iris.ENTITIES_GRAPH: rdflib.Graph().parse(ENTITIES)})
    wikidata.link(s, endpoint=wikidata_server.query_endpoint,
                  cache_dir=tmp_path_factory.mktemp("cache"))
    return s


@pytest.fixture
def federation(wikidata_server):  # noqa: F811
    return Federation(allowlist=frozenset([WIKIDATA_SPARQL]),
                      rewrite={WIKIDATA_SPARQL: wikidata_server.query_endpoint}, timeout=10)


@pytest.fixture
def silent_endpoint():
    """A port that accepts connections and never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield f"http://127.0.0.1:{s.getsockname()[1]}/sparql"


@pytest.fixture
def closed_endpoint():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/sparql"
    return url


def rows(store, query):
    return [{k: (r[k].value if r[k] is not None else None) for k in ("name", "headName", "ourHead")}
            for r in store.query(query)]


def test_heads_of_state_join_our_entities(store, federation):
    result = rows(store, federation.resolve(HEADS))
    assert result == [
        {"name": "North Korea", "headName": "Kim Jong Un", "ourHead": ENTITY + "kim-jong-un"},
        {"name": "Russia", "headName": "Vladimir Putin", "ourHead": ENTITY + "vladimir-putin"},
        {"name": "Ukraine", "headName": "Volodymyr Zelenskyy",
         "ourHead": ENTITY + "volodymyr-zelenskyy"},
    ]


def test_region_country_from_wikidata(store, federation):
    query = PREFIXES + """
    SELECT ?region ?country WHERE {
      ?region a kg:Region ; owl:sameAs ?item .
      SERVICE <https://query.wikidata.org/sparql> { ?item wdt:P17 ?c }
      ?country owl:sameAs ?c ; a kg:State .
    }"""
    found = {(r["region"].value, r["country"].value) for r in store.query(federation.resolve(query))}
    assert (ENTITY + "kursk-oblast", ENTITY + "russia") in found
    assert (ENTITY + "donetsk-oblast", ENTITY + "ukraine") in found


def test_config_mapping_and_the_one_call(store, wikidata_server):  # noqa: F811
    config = {"SERVICE_ALLOWLIST": WIKIDATA_SPARQL,
              "SERVICE_REWRITE": f"{WIKIDATA_SPARQL}={wikidata_server.query_endpoint}",
              "SERVICE_TIMEOUT": "5"}
    assert len(rows(store, resolve_services(HEADS, config))) == 3


def test_service_not_on_the_allowlist_is_refused(federation):
    query = "SELECT * WHERE {\n  SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="not allowed") as info:
        federation.resolve(query)
    assert (info.value.line, info.value.column) == (2, 3)


def test_service_variable_is_refused(federation):
    with pytest.raises(QueryError, match="not allowed"):
        federation.resolve("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }")


def test_query_without_service_is_untouched(federation):
    query = 'SELECT * WHERE { ?s ?p "SERVICE <x> { }" } # SERVICE <y> {}'
    assert federation.resolve(query) == query


def test_unreachable_service_fails_in_one_line(store, closed_endpoint):
    fed = Federation(allowlist=frozenset([WIKIDATA_SPARQL]),
                     rewrite={WIKIDATA_SPARQL: closed_endpoint}, timeout=5)
    with pytest.raises(RemoteError, match="cannot reach") as info:
        fed.resolve(HEADS)
    assert "\n" not in str(info.value) and WIKIDATA_SPARQL in str(info.value)
    assert info.value.http_status == 502


def test_silent_service_failure_is_one_empty_solution(store, closed_endpoint):
    fed = Federation(allowlist=frozenset([WIKIDATA_SPARQL]),
                     rewrite={WIKIDATA_SPARQL: closed_endpoint}, timeout=5)
    query = PREFIXES + """SELECT ?name ?head WHERE {
      ?state a kg:State ; rdfs:label ?name ; owl:sameAs ?item .
      OPTIONAL { SERVICE SILENT <https://query.wikidata.org/sparql> { ?item wdt:P35 ?head } }
    }"""
    result = list(store.query(fed.resolve(query)))
    assert len(result) == 6 and all(r["head"] is None for r in result)


def test_service_has_its_own_timeout(store, silent_endpoint):
    fed = Federation(allowlist=frozenset([WIKIDATA_SPARQL]),
                     rewrite={WIKIDATA_SPARQL: silent_endpoint}, timeout=0.5)
    with pytest.raises(RemoteError, match="KG_SERVICE_TIMEOUT"):
        fed.resolve(HEADS)


def test_too_many_solutions(store, wikidata_server):  # noqa: F811
    fed = Federation(allowlist=frozenset([WIKIDATA_SPARQL]),
                     rewrite={WIKIDATA_SPARQL: wikidata_server.query_endpoint}, max_rows=5)
    with pytest.raises(LimitExceeded, match="KG_SERVICE_MAX_ROWS"):
        fed.resolve("SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }")


@pytest.mark.parametrize("value, text", [
    ({"type": "uri", "value": "http://x/y"}, "<http://x/y>"),
    ({"type": "literal", "value": 'say "hi"\n\\', "xml:lang": "en"}, '"say \\"hi\\"\\n\\\\"@en'),
    ({"type": "literal", "value": "5", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
     '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    (None, "UNDEF"),
])
def test_terms_round_trip_into_values(value, text):
    assert term(value) == text
    if value is not None:  # and Oxigraph reads them back as the same term
        (row,) = OxigraphStore(None).query(f"SELECT ?x WHERE {{ VALUES ?x {{ {text} }} }}")
        assert row["x"].value == value["value"]


# ---------------------------------------------------------------- through /sparql


def _sparql_calls_federation() -> bool:
    import inspect

    from graph_service.web import sparql
    return "federation" in inspect.getsource(sparql)


@pytest.fixture
def app_config(wikidata_server):  # noqa: F811  (overrides conftest's)
    return {"SERVICE_ALLOWLIST": f"{WIKIDATA_SPARQL} {wikidata_server.query_endpoint}",
            "SERVICE_REWRITE": f"{WIKIDATA_SPARQL}={wikidata_server.query_endpoint}",
            "SERVICE_TIMEOUT": 5}


def _sparql(client, query):
    response = client.post("/sparql", data={"query": query},
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()} for b in response.get_json()["results"]["bindings"]]


def test_sparql_endpoint_with_an_allowlisted_local_service(client, wikidata_server):  # noqa: F811
    query = HEADS.replace(WIKIDATA_SPARQL, wikidata_server.query_endpoint)
    found = _sparql(client, query)
    assert [r["headName"] for r in found] == ["Kim Jong Un", "Vladimir Putin", "Volodymyr Zelenskyy"]


@pytest.mark.skipif(not _sparql_calls_federation(),
                    reason="web/sparql.py does not call graph_service.linking.federation yet; without it "
                           "Oxigraph would call the real Wikidata IRI")
def test_sparql_endpoint_with_the_wikidata_iri(client):
    found = _sparql(client, HEADS)
    assert [r["ourHead"] for r in found] == [ENTITY + "kim-jong-un", ENTITY + "vladimir-putin",
                                            ENTITY + "volodymyr-zelenskyy"]


def test_sparql_endpoint_refuses_other_services(client):
    response = client.post("/sparql", data={
        "query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert response.status_code == 400


def test_documented_example_joins_claims_with_heads_of_state(federation, tmp_path):
    """The query in docs/WIKIDATA.md, on the seed article's claims and the curated links."""
    from graph_service.rdfize import article_graph
    from sample_claims import seed_article, seed_claims

    doc = (Path(__file__).resolve().parents[1] / "docs" / "WIKIDATA.md").read_text()
    query = doc.split("<!-- federation-example -->\n```sparql\n", 1)[1].split("```", 1)[0]
    article = seed_article()
    s = OxigraphStore(None)
    s.replace_graphs({iris.ENTITIES_GRAPH: rdflib.Graph().parse(ENTITIES),
                      iris.CURATED_LINKS_GRAPH: wikidata.curated_graph(),
                      article.graph: article_graph(article, seed_claims(article))})
    found = {r["stateName"].value: (r["headName"].value, r["ourHead"].value if r["ourHead"] else None,
                                    int(r["claims"].value))
             for r in s.query(federation.resolve(query))}
    assert found["North Korea"] == ("Kim Jong Un", ENTITY + "kim-jong-un", 4)
    assert found["Russia"] == ("Vladimir Putin", ENTITY + "vladimir-putin", 1)
    assert found["Ukraine"][:2] == ("Volodymyr Zelenskyy", ENTITY + "volodymyr-zelenskyy")
