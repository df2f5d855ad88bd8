"""Cross-article corroboration: claims reporting one real-world event become one kg:EventCluster."""

from __future__ import annotations

import datetime as dt

import pytest
import rdflib
from rdflib import URIRef
from rdflib.namespace import RDF

from graph_service import events, iris
from graph_service.validation import shapes
from graph_service.articles import article_from_text
from graph_service.claims import Claim, Entity, Quantity, TimeSpec
from graph_service.rdfize import article_graph
from graph_service.store import OxigraphStore
from graph_service.vocab import KG

E = "https://w3id.org/nkru/id/entity/"
NK = Entity("North Korea", "State", iri=E + "north-korea")
RU = Entity("Russia", "State", iri=E + "russia")
KURSK = Entity("Kursk Oblast", "Region", iri=E + "kursk-oblast")
NIS = Entity("National Intelligence Service", "IntelligenceAgency", iri=E + "nis")
HUR = Entity("HUR", "IntelligenceAgency", iri=E + "hur")
YONHAP = Entity("Yonhap", "NewsOutlet", iri=E + "yonhap")
SOUTH_KOREA = Entity("South Korea", "State", iri=E + "south-korea")
AUTUMN = TimeSpec("in autumn", "2024-autumn", dt.date(2024, 9, 1), dt.date(2024, 11, 30))
NOVEMBER = TimeSpec("in November", "2024-11", dt.date(2024, 11, 1), dt.date(2024, 11, 30))
JANUARY = TimeSpec("in January", "2025-01", dt.date(2025, 1, 1), dt.date(2025, 1, 31))

# (outlet, text, [(quote, claim fields)])
ARTICLES = [
    ("Yonhap", "SEOUL - North Korea sent about 11,000 troops to Russia in autumn, the NIS said.", [
        ("North Korea sent about 11,000 troops to Russia in autumn",
         dict(type="deployment", actor=NK, target=RU, item="troops", claimed_by=NIS,
              quantity=Quantity("about 11,000", "approximately", 11000), event_time=AUTUMN)),
    ]),
    ("Reuters", "Some 12,000 North Korean soldiers are in Kursk since November, the NIS said, "
                "according to Yonhap. North Korea also sent workers in November.", [
        ("Some 12,000 North Korean soldiers are in Kursk since November",
         dict(type="deployment", actor=NK, target=KURSK, item="soldiers", claimed_by=NIS,
              via=(YONHAP,), quantity=Quantity("Some 12,000", "approximately", 12000),
              event_time=NOVEMBER)),
        ("North Korea also sent workers in November",
         dict(type="deployment", actor=NK, target=RU, item="construction workers",
              event_time=NOVEMBER)),
    ]),
    ("Kyiv Independent", "HUR: 11,000 North Korean troops fight in Kursk. Earlier, North Korea "
                         "shipped shells to Russia.", [
        ("11,000 North Korean troops fight in Kursk",
         dict(type="deployment", actor=NK, target=KURSK, item="troops", claimed_by=HUR,
              quantity=Quantity("11,000", "exact", 11000), event_time=NOVEMBER)),
        ("North Korea shipped shells to Russia",
         dict(type="transfer", actor=NK, target=RU, item="artillery shells")),
    ]),
    ("Daily NK", "North Korea sent 3,000 more troops to Russia in January.", [
        ("North Korea sent 3,000 more troops to Russia in January",
         dict(type="deployment", actor=NK, target=RU, item="troops",
              quantity=Quantity("3,000", "exact", 3000), event_time=JANUARY)),
    ]),
    ("Yonhap", "Pyongyang has shipped 152mm artillery shells to Russia, a South Korean official said.", [
        ("Pyongyang has shipped 152mm artillery shells to Russia",
         dict(type="transfer", actor=NK, target=RU, item="152mm artillery shells",
              claimed_by=Entity("a South Korean official", "AnonymousSource",
                                affiliation=SOUTH_KOREA))),
    ]),
    ("Reuters", "Russia and North Korea signed a treaty in June, a South Korean official said.", [
        ("Russia and North Korea signed a treaty in June",
         dict(type="treaty", actor=RU, target=NK, item="Treaty on Comprehensive Strategic Partnership",
              event_time=TimeSpec("in June", "2024-06", dt.date(2024, 6, 1), dt.date(2024, 6, 30)),
              claimed_by=Entity("a South Korean official", "AnonymousSource",
                                affiliation=SOUTH_KOREA))),
    ]),
    ("KCNA", "North Korea and Russia signed the treaty on June 19.", [
        ("North Korea and Russia signed the treaty on June 19",
         dict(type="treaty", actor=NK, target=RU, item="Treaty on Comprehensive Strategic Partnership",
              event_time=TimeSpec("on June 19", "2024-06-19", dt.date(2024, 6, 19), dt.date(2024, 6, 19)))),
    ]),
]


def build(claim_quote: str, article, fields) -> Claim:
    start = article.text.index(claim_quote)
    return Claim(quote=claim_quote, start=start, end=start + len(claim_quote), **fields)


@pytest.fixture
def store():
    s = OxigraphStore(None)
    entities = rdflib.Graph()
    entities.add((URIRef(KURSK.iri), KG.partOf, URIRef(RU.iri)))
    entities.add((URIRef(RU.iri), rdflib.RDFS.label, rdflib.Literal("Russia")))
    graphs = {iris.ENTITIES_GRAPH: entities}
    for outlet, text, specs in ARTICLES:
        article = article_from_text(text, meta={"outlet": outlet, "published": "2024-12-01"})
        graphs[article.graph] = article_graph(article, [build(q, article, f) for q, f in specs])
    s.replace_graphs(graphs)
    yield s
    s.close()


def claim_iri(quote: str) -> str:
    for outlet, text, specs in ARTICLES:
        for q, fields in specs:
            if q == quote:
                article = article_from_text(text, meta={"outlet": outlet, "published": "2024-12-01"})
                return build(q, article, fields).iri(article.id)
    raise KeyError(quote)


def cluster_of(g: rdflib.Graph, quote: str) -> URIRef:
    return g.value(URIRef(claim_iri(quote)), KG.reportsEvent)


def reports(g: rdflib.Graph, cluster: URIRef) -> set[str]:
    return {str(c) for c in g.subjects(KG.reportsEvent, cluster)}


def test_reports_of_one_deployment_are_one_event(store):
    g = events.cluster_events(store)
    node = cluster_of(g, "North Korea sent about 11,000 troops to Russia in autumn")
    assert reports(g, node) == {
        claim_iri("North Korea sent about 11,000 troops to Russia in autumn"),
        claim_iri("Some 12,000 North Korean soldiers are in Kursk since November"),
        claim_iri("11,000 North Korean troops fight in Kursk"),
    }
    assert g.value(node, KG.reportCount).toPython() == 3
    assert g.value(node, KG.articleCount).toPython() == 3
    assert g.value(node, KG.minFigure).toPython() == 11000
    assert g.value(node, KG.maxFigure).toPython() == 12000
    assert g.value(node, KG.eventType) == KG.Deployment


def test_outlet_repeating_a_claimer_is_not_independent(store):
    g = events.cluster_events(store)
    node = cluster_of(g, "North Korea sent about 11,000 troops to Russia in autumn")
    # NIS (directly, and again through Yonhap) and HUR: two sources behind three reports
    assert g.value(node, KG.independentSourceCount).toPython() == 2
    assert set(map(str, g.objects(node, KG.independentSource))) == {NIS.iri, HUR.iri}


@pytest.mark.parametrize("a, b", [
    ("North Korea sent 3,000 more troops to Russia in January",  # later, not overlapping
     "North Korea sent about 11,000 troops to Russia in autumn"),
    ("North Korea also sent workers in November",  # other item category
     "11,000 North Korean troops fight in Kursk"),
    ("North Korea shipped shells to Russia",  # other event type
     "North Korea sent about 11,000 troops to Russia in autumn"),
])
def test_distinct_events_stay_apart(store, a, b):
    g = events.cluster_events(store)
    assert cluster_of(g, a) != cluster_of(g, b)


def test_undated_transfers_with_no_figures_stay_apart_unless_figures_match(store):
    g = events.cluster_events(store)
    # neither is dated and neither has a figure: no evidence they are one event
    assert cluster_of(g, "North Korea shipped shells to Russia") != \
        cluster_of(g, "Pyongyang has shipped 152mm artillery shells to Russia")


def test_treaty_parties_in_either_order(store):
    g = events.cluster_events(store)
    node = cluster_of(g, "North Korea and Russia signed the treaty on June 19")
    assert node == cluster_of(g, "Russia and North Korea signed a treaty in June")
    # an anonymous official counts as the body it speaks for; KCNA publishes unattributed
    assert g.value(node, KG.independentSourceCount).toPython() == 2


def test_every_claim_has_exactly_one_event(store):
    g = events.cluster_events(store)
    claims = {claim_iri(q) for _, _, specs in ARTICLES for q, _ in specs}
    assert {str(c) for c in g.subjects(KG.reportsEvent, None)} == claims
    for c in claims:
        assert len(list(g.objects(URIRef(c), KG.reportsEvent))) == 1


def test_stable_and_written_to_graph_events(store):
    first = events.update_events(store)
    again = events.cluster_events(store)
    assert set(first) == set(again)
    assert all(str(n).startswith(iris.ID + "event/") for n in first.subjects(RDF.type, KG.EventCluster))
    stored = store.graph(iris.EVENTS_GRAPH)
    assert len(stored) == len(first)
    label = stored.value(cluster_of(stored, "North Korea sent about 11,000 troops to Russia in autumn"),
                         rdflib.RDFS.label)
    assert str(label) == "deployment: north-korea → kursk-oblast (troops), 3 reports"


def test_events_graph_conforms(store):
    g = events.cluster_events(store)
    assert shapes.validate(g).conforms, shapes.validate(g).text


def test_analyst_query_for_an_event(store):
    """The event, every report with its figure and source, from SPARQL over the store."""
    events.update_events(store)
    rows = list(store.query(f"""
        PREFIX kg: <{KG._NS}>
        SELECT ?claim ?value WHERE {{
          ?claim kg:reportsEvent ?event ; kg:asserts/kg:quantity/kg:value ?value .
          ?event kg:independentSourceCount 2 ; kg:eventType kg:Deployment .
        }} ORDER BY ?value"""))
    assert [int(r["value"].value) for r in rows] == [11000, 11000, 12000]


def test_item_category():
    assert events.item_category("152mm artillery shells") == "ammunition"
    assert events.item_category("KN-23 ballistic missiles") == "missiles"
    assert events.item_category("engineering troops") == "engineers"
    assert events.item_category("Something Else") == "something else"
    assert events.item_category(None) is None


def test_undated_report_of_a_named_treaty_joins_it():
    s = OxigraphStore(None)
    treaty = "Treaty on Comprehensive Strategic Partnership"
    graphs = {}
    for outlet, text, when in (("KCNA", "North Korea and Russia signed the treaty.", None),
                               ("TASS", "Russia and North Korea signed the treaty on June 19.",
                                TimeSpec("on June 19", "2024-06-19", dt.date(2024, 6, 19),
                                         dt.date(2024, 6, 19)))):
        article = article_from_text(text, meta={"outlet": outlet})
        quote = text.rstrip(".")
        c = Claim(type="treaty", actor=NK, target=RU, item=treaty, quote=quote, start=0,
                  end=len(quote), event_time=when)
        graphs[article.graph] = article_graph(article, [c])
    s.replace_graphs(graphs)
    g = events.cluster_events(s)
    (node,) = set(g.subjects(RDF.type, KG.EventCluster))
    assert g.value(node, KG.reportCount).toPython() == 2
    assert g.value(node, KG.independentSourceCount).toPython() == 2
    assert str(g.value(node, rdflib.RDFS.label)).startswith("treaty: north-korea → russia")
