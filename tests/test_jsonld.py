"""JSON-LD with a context: /context.jsonld from the ontology, compacted linked-data documents
and CONSTRUCT results, the expanded profile on request, and API records that a JSON-LD
processor (pyld) turns into RDF."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
import rdflib
import requests
from pyld import jsonld
from rdflib.compare import to_isomorphic

from graph_service import iris
from graph_service.formats import RDFFormat
from graph_service.resources import ONTOLOGY_FILE
from graph_service.store import OxigraphStore

FIXTURE = Path(__file__).parent / "data" / "api-fixture.trig"
CLAIM = iris.ID + "claim/c100000000000001"
ARTICLE = iris.ID + "article/aaaa000000000001"
KG = iris.ONTOLOGY
EXPANDED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'


@pytest.fixture
def store(tmp_path):
    """Overrides conftest's store: the API fixture in the embedded store."""
    s = OxigraphStore(tmp_path / "store")
    s.bulk_load(FIXTURE.read_bytes(), RDFFormat.TRIG)
    yield s
    s.close()


def loader_for(client):
    """A pyld document loader that reads the service's documents through the test client."""
    def load(url, options=None):
        path = url.split("://", 1)[1].split("/", 1)[1]
        resp = client.get("/" + path)
        assert resp.status_code == 200, url
        return {"contentType": "application/ld+json", "contextUrl": None,
                "documentUrl": url, "document": json.loads(resp.get_data(as_text=True))}
    return load


def to_graph(document, client) -> rdflib.Graph:
    """JSON-LD -> RDF with pyld (the context fetched from the service), parsed by rdflib."""
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads",
                                      "documentLoader": loader_for(client)})
    return rdflib.Graph().parse(data=nquads, format="nt")


def turtle(client, path) -> rdflib.Graph:
    resp = client.get(path, headers={"Accept": "text/turtle"})
    assert resp.status_code == 200
    return rdflib.Graph().parse(data=resp.get_data(as_text=True), format="turtle")


def test_the_context_is_built_from_the_ontology(client):
    resp = client.get("/context.jsonld")
    assert resp.status_code == 200 and resp.mimetype == "application/ld+json"
    ctx = resp.get_json()["@context"]
    assert ctx["kg"] == KG and ctx["prov"] == "http://www.w3.org/ns/prov#"
    assert ctx["Claim"] == "kg:Claim"
    assert ctx["actor"] == {"@id": "kg:actor", "@type": "@id"}
    assert ctx["reportedOn"] == {"@id": "kg:reportedOn", "@type": "xsd:date"}
    assert ctx["label"] == "rdfs:label" and ctx["claim"] == iris.ID + "claim/"
    ontology = rdflib.Graph().parse(ONTOLOGY_FILE)
    kinds = (rdflib.OWL.Class, rdflib.OWL.ObjectProperty, rdflib.OWL.DatatypeProperty)
    names = {str(s)[len(KG):] for kind in kinds for s in ontology.subjects(rdflib.RDF.type, kind)
             if str(s).startswith(KG)}
    assert len(names) > 80
    missing = {n for n in names if n not in ctx}
    assert not missing
    # Every term expands to the ontology's IRI (pyld processes the context as given).
    expanded = jsonld.expand({"@context": ctx, "@id": CLAIM, "claimedBy": "entity:x",
                              "type": "Claim"})
    assert expanded[0]["@type"] == [KG + "Claim"]
    assert expanded[0][KG + "claimedBy"] == [{"@id": iris.ID + "entity/x"}]


@pytest.mark.parametrize("path", ["/id/claim/c100000000000001", "/id/entity/north-korea",
                                  "/id/claim/c100000000000001?format=jsonld"])
def test_linked_data_is_compacted_against_the_context(client, path):
    resp = client.get(path, headers={"Accept": "application/ld+json"})
    assert resp.status_code == 200 and resp.mimetype == "application/ld+json"
    doc = resp.get_json()
    assert doc["@context"] == "http://localhost/context.jsonld"
    nodes = doc["@graph"]
    ids = [n["id"] for n in nodes]
    assert len(ids) == len(set(ids))       # one object per node
    for node in nodes:
        assert not [k for k in node if k.startswith("http")], node   # short keys
    reference = turtle(client, path.split("?")[0])
    assert set(ids) == {_compact_id(str(s)) for s in reference.subjects()}
    assert to_isomorphic(to_graph(doc, client)) == to_isomorphic(reference)


def _compact_id(iri: str) -> str:
    for kind in ("claim", "entity", "source", "article", "event"):
        if iri.startswith(iris.ID + kind + "/"):
            return f"{kind}:{iri[len(iris.ID + kind + '/'):]}"
    return iri


def test_a_claim_reads_with_short_terms(client):
    doc = client.get("/id/claim/c100000000000001", headers={"Accept": "application/ld+json"}).get_json()
    claim = next(n for n in doc["@graph"] if n["id"] == "claim:c100000000000001")
    assert claim["type"] == "Claim"
    assert claim["wasDerivedFrom"] == "article:aaaa000000000001"
    assert claim["reportedOn"] == "2024-09-19"
    assert claim["status"] == "kg:Confirmed"
    event = next(n for n in doc["@graph"] if n["id"] == "claim:c100000000000001/event")
    assert event["actor"] == "entity:north-korea" and event["type"] == "Deployment"


def test_the_expanded_profile_gets_expanded_json_ld(client):
    resp = client.get("/id/claim/c100000000000001", headers={"Accept": EXPANDED})
    assert resp.status_code == 200 and resp.mimetype == "application/ld+json"
    doc = resp.get_json()
    assert isinstance(doc, list)
    claim = next(n for n in doc if n["@id"] == CLAIM)
    assert claim["http://www.w3.org/ns/prov#wasDerivedFrom"] == [{"@id": ARTICLE}]
    assert to_isomorphic(to_graph(doc, client)) == to_isomorphic(
        turtle(client, "/id/claim/c100000000000001"))


CONSTRUCT = f"CONSTRUCT {{ ?c ?p ?o }} WHERE {{ VALUES ?c {{ <{CLAIM}> }} ?c ?p ?o }}"


@pytest.mark.parametrize("how", ["accept", "format"])
def test_construct_results_are_compacted(client, how):
    if how == "accept":
        resp = client.get("/sparql?query=" + quote(CONSTRUCT), headers={"Accept": "application/ld+json"})
    else:
        resp = client.get("/sparql?format=jsonld&query=" + quote(CONSTRUCT))
    assert resp.status_code == 200 and resp.mimetype == "application/ld+json"
    doc = resp.get_json()
    assert doc["@context"] == "http://localhost/context.jsonld"
    [claim] = doc["@graph"]
    assert claim["id"] == "claim:c100000000000001" and claim["type"] == "Claim"
    assert len(to_graph(doc, client)) == 10


def test_construct_in_the_expanded_profile(client):
    resp = client.get("/sparql?query=" + quote(CONSTRUCT), headers={"Accept": EXPANDED})
    doc = resp.get_json()
    assert isinstance(doc, list) and doc[0]["@id"] == CLAIM


def test_api_answers_link_their_context(client):
    resp = client.get("/api/claims?limit=1")
    assert 'rel="http://www.w3.org/ns/json-ld#context"' in resp.headers["Link"]
    assert "/api/context.jsonld" in resp.headers["Link"]
    ctx = client.get("/api/context.jsonld")
    assert ctx.status_code == 200 and ctx.get_json()["@context"]["claim"] == "@id"


@pytest.mark.server
def test_pyld_turns_api_records_into_rdf(live_server):
    """pyld's own loader follows the Link header of the JSON answer to the context."""
    with requests.Session() as session:   # closed after: no keep-alive left to the server
        options = {"documentLoader": jsonld.requests_document_loader(session=session)}
        expanded = jsonld.expand(f"{live_server}/api/claims?limit=2", options)
        entity = jsonld.expand(f"{live_server}/api/entities/north-korea", options)
    g = rdflib.Graph().parse(data=jsonld.to_rdf(expanded, {"format": "application/n-quads"}),
                             format="nt")
    claim = rdflib.URIRef(CLAIM)
    assert (claim, rdflib.PROV.wasDerivedFrom, rdflib.URIRef(ARTICLE)) in g
    assert (claim, rdflib.URIRef(KG + "reportedOn"),
            rdflib.Literal("2024-09-19", datatype=rdflib.XSD.date)) in g
    assert (claim, rdflib.URIRef(KG + "asserts"), rdflib.URIRef(CLAIM + "/event")) in g
    assert len(set(g.subjects())) == 2
    g = rdflib.Graph().parse(data=jsonld.to_rdf(entity, {"format": "application/n-quads"}),
                             format="nt")
    nk = rdflib.URIRef(iris.ID + "entity/north-korea")
    assert (nk, rdflib.RDFS.label, None) in g
    assert (nk, rdflib.OWL.sameAs, rdflib.URIRef("http://www.wikidata.org/entity/Q423")) in g
