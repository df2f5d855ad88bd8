"""The ontology: documented terms, standard alignments, and OWL 2 RL consistency."""

from __future__ import annotations

from pathlib import Path

import owlrl
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph_service import rdfize
from graph_service.validation import shapes
from graph_service.vocab import KG

from sample_claims import seed_article, seed_claims

ROOT = Path(__file__).resolve().parents[1]
ENTITIES = ROOT / "ontology" / "entities.ttl"
ERRNS = "http://www.daml.org/2002/03/agents/agent-ont#"  # where owlrl writes inconsistencies
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
DEFINITIONS = (RDFS.comment, SKOS.definition)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return shapes.load_ontology()


@pytest.fixture(scope="module")
def built_graph() -> rdflib.Graph:
    article = seed_article()
    return rdfize.article_graph(article, seed_claims(article))


def kg_terms(g: rdflib.Graph) -> list[rdflib.URIRef]:
    return sorted({s for t in TERM_TYPES for s in g.subjects(RDF.type, t)
                   if str(s).startswith(str(KG._NS))})


def test_header(ontology):
    onto = rdflib.URIRef("https://w3id.org/nkru/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionIRI) is not None
    assert ontology.value(onto, RDFS.label) is not None
    assert not list(ontology.objects(onto, OWL.imports)), "nothing may be fetched"


def test_every_class_and_property_has_label_and_definition(ontology):
    terms = kg_terms(ontology)
    assert len(terms) > 80
    missing = [str(t) for t in terms
               if ontology.value(t, RDFS.label) is None
               or not any(ontology.value(t, d) is not None for d in DEFINITIONS)]
    assert missing == []


@pytest.mark.parametrize("cls", ["State", "Person", "GovernmentBody", "ArmedForce", "MilitaryUnit",
                                 "IntelligenceAgency", "NewsOutlet", "AnonymousSource",
                                 "Organization", "PoliticalParty", "Place", "Country", "Region",
                                 "City", "OccupiedTerritory", "Treaty", "Event", "Deployment",
                                 "Transfer", "TreatySigning", "Meeting", "CasualtyReport",
                                 "Statement", "Quantity", "TimeSpec", "Claim", "Article",
                                 "EventCluster"])
def test_class_is_declared(ontology, cls):
    assert (KG[cls], RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize("sub, sup", [
    (KG.Claim, "http://www.w3.org/ns/prov#Entity"),
    (KG.Article, "https://schema.org/NewsArticle"),
    (KG.Article, "http://www.w3.org/ns/prov#Entity"),
    (KG.Event, "http://semanticweb.cs.vu.nl/2009/11/sem/Event"),
    (KG.TimeSpec, "http://www.w3.org/2006/time#ProperInterval"),
    (KG.Person, "http://www.w3.org/ns/prov#Person"),
])
def test_class_alignment(ontology, sub, sup):
    assert (sub, RDFS.subClassOf, rdflib.URIRef(sup)) in ontology


@pytest.mark.parametrize("sub", [KG.claimedBy, KG.via])
def test_attribution_is_prov(ontology, sub):
    assert (sub, RDFS.subPropertyOf, rdflib.URIRef("http://www.w3.org/ns/prov#wasAttributedTo")) in ontology


def test_concept_schemes(ontology):
    statuses = set(ontology.subjects(SKOS.inScheme, KG.ClaimStatusScheme))
    assert statuses == {KG.Reported, KG.Planned, KG.Confirmed, KG.Denied, KG.Possible}
    hedges = set(ontology.subjects(SKOS.inScheme, KG.HedgeScheme))
    assert hedges == {KG.Exact, KG.AtLeast, KG.Over, KG.Approximately, KG.UpTo, KG.Range, KG.Vague}


def test_wikidata_alignment(ontology):
    wd = "http://www.wikidata.org/entity/"
    assert (KG.Country, KG.wikidataClass, rdflib.URIRef(wd + "Q6256")) in ontology
    assert (KG.Person, KG.wikidataClass, rdflib.URIRef(wd + "Q5")) in ontology


def inconsistencies(g: rdflib.Graph) -> list:
    """Closes ``g`` under OWL 2 RL; what lands in owl:Nothing and what owlrl flags as an error."""
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(g)
    nothing = [str(s) for s in g.subjects(RDF.type, OWL.Nothing)]
    errors = [str(o) for s, p, o in g if str(p).startswith(ERRNS)]
    return nothing + errors


def test_owl_rl_closure_is_consistent(ontology, built_graph):
    g = rdflib.Graph()
    g += ontology
    g += built_graph
    g += rdflib.Graph().parse(Path(__file__).parent / "data" / "shapes" / "good.ttl")
    assert inconsistencies(g) == []


@pytest.mark.skipif(not ENTITIES.exists(), reason="ontology/entities.ttl is not there yet")
def test_owl_rl_closure_with_reference_entities_is_consistent(ontology, built_graph):
    g = rdflib.Graph()
    g += ontology
    g += built_graph
    g.parse(ENTITIES)
    assert inconsistencies(g) == []


def test_closure_detects_a_clash(ontology):
    """The check above can fail: a person that is also a place is flagged."""
    g = rdflib.Graph()
    g += ontology
    x = rdflib.URIRef("https://w3id.org/nkru/id/entity/x")
    g.add((x, RDF.type, KG.Person))
    g.add((x, RDF.type, KG.City))
    assert inconsistencies(g)
