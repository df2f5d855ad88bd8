"""rdfize: claims -> the RDF shape of docs/ARCHITECTURE.md, and back to fact records."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
import pytest
import rdflib.namespace as rns
from rdflib.namespace import PROV, RDF, RDFS

from graph_service import rdfize
from graph_service.validation import shapes
from graph_service.vocab import KG, OA

from sample_claims import labels, seed_article, seed_claims


@pytest.fixture(scope="module")
def article():
    return seed_article()


@pytest.fixture(scope="module")
def claims(article):
    return seed_claims(article)


@pytest.fixture(scope="module")
def graph(article, claims):
    return rdfize.article_graph(article, claims)


def test_built_graph_conforms(graph):
    report = shapes.validate(graph)
    assert report.conforms, report.text


def test_no_blank_nodes(graph):
    assert not [t for t in graph if any(isinstance(x, BNode) for x in t)]


def test_iris_are_stable(article, claims, graph):
    again = rdfize.article_graph(article, seed_claims(article))
    assert set(again) == set(graph)
    assert {str(c) for c in graph.subjects(RDF.type, KG.Claim)} == {c.iri(article.id) for c in claims}


def test_article_node(article, graph):
    node = URIRef(article.iri)
    assert (node, RDF.type, rns.SDO.NewsArticle) in graph
    assert graph.value(node, rns.SDO.text) == Literal(article.text)
    assert str(graph.value(node, rns.SDO.datePublished)) == "2024-09-19"
    assert graph.value(graph.value(node, rns.SDO.publisher), RDFS.label) == Literal("Korea Daily")


def test_quote_at_offsets_within_three_steps(article, claims, graph):
    for c in claims:
        node = URIRef(c.iri(article.id))
        assert graph.value(node, PROV.wasDerivedFrom) == URIRef(article.iri)
        evidence = graph.value(node, KG.hasEvidence)
        selectors = set(graph.objects(evidence, OA.hasSelector))
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph)
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
        start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
        assert article.text[start:end] == str(graph.value(quote, OA.exact)) == c.quote
        assert article.text[:start].endswith(str(graph.value(quote, OA.prefix)))
        assert article.text[end:].startswith(str(graph.value(quote, OA.suffix)))
        assert len(str(graph.value(quote, OA.prefix))) == min(32, start)


def test_attribution_chain(article, claims, graph):
    node = URIRef(claims[0].iri(article.id))
    chain = {int(graph.value(a, KG.chainPosition)): (graph.value(a, PROV.hadRole), graph.value(a, PROV.agent))
             for a in graph.objects(node, PROV.qualifiedAttribution)}
    assert chain[0][0] == KG.Claimer and chain[1][0] == KG.Channel
    assert chain[1][1] == graph.value(node, KG.via)
    assert graph.value(node, KG.unattributed) == Literal(False)
    unattributed = URIRef(claims[4].iri(article.id))
    assert graph.value(unattributed, KG.unattributed) == Literal(True)
    assert graph.value(unattributed, KG.claimedBy) is None


def test_event_roles(article, claims, graph):
    deployment = graph.value(URIRef(claims[0].iri(article.id)), KG.asserts)
    assert (deployment, RDF.type, KG.Deployment) in graph
    assert graph.value(deployment, KG.sendingState) == graph.value(deployment, KG.actor)
    assert graph.value(deployment, KG.destination) == URIRef("https://w3id.org/nkru/id/entity/russian-occupied-ukraine")
    quantity = graph.value(deployment, KG.quantity)
    assert graph.value(quantity, KG.hedge) == KG.Over and graph.value(quantity, KG.value).toPython() == 500
    signing = graph.value(URIRef(claims[1].iri(article.id)), KG.asserts)
    assert len(set(graph.objects(signing, KG.party))) == 2
    assert graph.value(graph.value(signing, KG.eventTime), KG.earliest).toPython().isoformat() == "2024-06-19"
    casualty = graph.value(URIRef(claims[6].iri(article.id)), KG.asserts)
    assert graph.value(graph.value(casualty, KG.killed), KG.value).toPython() == 1500


def test_new_entities_are_described_reference_entities_are_not(graph):
    occupied = URIRef("https://w3id.org/nkru/id/entity/russian-occupied-ukraine")
    assert (occupied, RDF.type, KG.OccupiedTerritory) in graph
    assert graph.value(occupied, RDFS.label) == Literal("Russian-occupied Ukraine")
    chang = URIRef("https://w3id.org/nkru/id/entity/chang-ho-jin")
    assert graph.value(chang, KG.role) == Literal("South Korean National Security Advisor")
    north_korea = URIRef("https://w3id.org/nkru/id/entity/north-korea")
    assert not list(graph.predicate_objects(north_korea))


def test_anonymous_source_is_scoped_to_the_article(article, graph):
    sources = [s for s in graph.subjects(RDF.type, KG.AnonymousSource)]
    assert [str(s) for s in sources] == [f"https://w3id.org/nkru/id/source/{article.id}-a-government-official"]


def test_round_trip_to_fact_records(article, claims, graph):
    records = rdfize.claims_from_graph(graph, labels=labels())
    assert all(r.pop("article") == article.iri for r in records)
    want = sorted((c.fact_record(article_id=article.id) for c in claims),
                  key=lambda r: (r["start"], r["end"], r["type"], r["iri"]))
    for r in want:  # RDF keeps signatories as a set; the records give them sorted
        if "signatories" in r:
            r["signatories"] = sorted(r["signatories"])
    assert records == want


def test_bad_quote_is_caught_by_validation(article, claims):
    c = seed_claims(article)[0]
    c.start += 1
    report = shapes.validate(rdfize.article_graph(article, [c]))
    assert not report.conforms
    assert {v["source_constraint"] for v in report.violations} >= {
        "https://w3id.org/nkru/shapes#QuoteAtOffsets"}


def test_unknown_status_is_reported(article):
    c = seed_claims(article)[0]
    c.status = "rumoured"
    report = shapes.validate(rdfize.article_graph(article, [c]))
    assert [v["shape"] for v in report.violations] == ["https://w3id.org/nkru/shapes#Claim-status"]


def test_names_without_labels_come_from_the_iri(article, claims, graph):
    (record,) = [r for r in rdfize.claims_from_graph(graph) if r["type"] == "deployment"]
    assert record["actor"] == "North Korea"  # reference entity, no labels graph given
    assert record["target"] == "Russian-occupied Ukraine"  # minted here, labelled here
