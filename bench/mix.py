"""The fixed query mix: what users of the graph actually ask, as SPARQL and as JSON API calls.

Shapes are chosen to be fast on Oxigraph: aggregates with GROUP BY/HAVING instead of
self-joins, selective patterns first, and LIMIT where a page would show a page.
Parameters (an entity, an event with several reports, an article) are picked from the data
once, before timing, by ``pick_parameters``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph_service import iris

PREFIXES = """PREFIX kg: <https://w3id.org/nkru/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

ENTITY = iris.entity_iri("Kyrylo Budanov")        # a person who claims and is claimed about
PLACE = iris.entity_iri("Kursk Oblast")
NORTH_KOREA = iris.entity_iri("North Korea")
SHELLS = "artillery shells"


@dataclass(frozen=True)
class Query:
    name: str
    what: str
    sparql: str

    @property
    def construct(self) -> bool:
        return self.sparql.lstrip().upper().startswith(("CONSTRUCT", "DESCRIBE")) or \
            "\nCONSTRUCT" in self.sparql


def _days(first: dt.date, last: dt.date) -> str:
    # A date range as a VALUES list: Oxigraph looks each day up in its object index instead
    # of scanning every date in the store through a FILTER.
    n = (last - first).days + 1
    return " ".join(f'"{first + dt.timedelta(days=i)}"^^xsd:date' for i in range(n))


def sparql_mix(p: dict) -> list[Query]:
    """The SPARQL part of the mix, with parameters from ``pick_parameters``."""
    return [
        Query("entity_claims", "an entity's claims with provenance (newest 50)", PREFIXES + f"""
SELECT ?claim ?type ?quote ?article ?headline ?published ?publisher WHERE {{
  {{ ?event kg:actor <{ENTITY}> }} UNION {{ ?event kg:target <{ENTITY}> }}
  UNION {{ ?claim kg:claimedBy <{ENTITY}> . ?claim kg:asserts ?event }}
  ?claim kg:asserts ?event ; prov:wasDerivedFrom ?article ;
         kg:hasEvidence/oa:hasSelector ?sel .
  ?sel oa:exact ?quote .
  ?event a ?type .
  ?article schema:headline ?headline ; schema:datePublished ?published ;
           schema:publisher ?publisher .
}} ORDER BY DESC(?published) LIMIT 50"""),
        Query("deployments_by_month", "deployments North Korea -> Kursk Oblast: claims, "
              "articles and outlets per month", PREFIXES + f"""
SELECT ?month (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?article) AS ?articles)
       (GROUP_CONCAT(DISTINCT STR(?outlet); separator=" ") AS ?outlets) (MAX(?v) AS ?highest)
WHERE {{
  ?event kg:target <{PLACE}> ; kg:actor <{NORTH_KOREA}> ; a kg:Deployment .
  ?event kg:eventTime ?t . ?t kg:earliest ?from .
  ?claim kg:asserts ?event ; prov:wasDerivedFrom ?article .
  ?article schema:publisher ?outlet .
  OPTIONAL {{ ?event kg:quantity ?q . ?q kg:value ?v }}
  BIND(SUBSTR(STR(?from), 1, 7) AS ?month)
}} GROUP BY ?month ORDER BY ?month"""),
        Query("figures_by_claimer", "shell-delivery figures by who claims them", PREFIXES + f"""
SELECT ?claimer (COUNT(?claim) AS ?claims) (MIN(?v) AS ?lowest) (MAX(?v) AS ?highest)
       (AVG(?v) AS ?mean) WHERE {{
  ?event kg:item "{SHELLS}" ; a kg:Transfer ; kg:quantity ?q . ?q kg:value ?v .
  ?claim kg:asserts ?event ; kg:claimedBy ?claimer .
}} GROUP BY ?claimer ORDER BY DESC(?claims) LIMIT 100"""),
        Query("conflicting_estimates", "the figures each report gives for one event",
              PREFIXES + f"""
SELECT ?claim ?value ?hedge ?asWritten ?claimer ?published ?publisher WHERE {{
  ?claim kg:reportsEvent <{p['event']}> .
  ?claim kg:asserts ?event . ?event kg:quantity ?q . ?claim prov:wasDerivedFrom ?article .
  ?q kg:value ?value ; kg:hedge ?hedge ; kg:asWritten ?asWritten .
  ?article schema:datePublished ?published ; schema:publisher ?publisher .
  OPTIONAL {{ ?claim kg:claimedBy ?claimer }}
}} ORDER BY ?value"""),
        Query("events_in_dispute", "events whose reports disagree by more than 2x (HAVING)",
              PREFIXES + f"""
SELECT ?event (COUNT(?claim) AS ?reports) (MIN(?v) AS ?low) (MAX(?v) AS ?high) WHERE {{
  ?claim kg:reportsEvent ?event ; kg:asserts ?e .
  ?e a kg:Deployment ; kg:target <{PLACE}> ; kg:quantity/kg:value ?v .
}} GROUP BY ?event HAVING (COUNT(?claim) > 1 && MAX(?v) > 2 * MIN(?v))
ORDER BY DESC(?reports) LIMIT 50"""),
        Query("timeline", "what happened from October to December 2024 (first 200)",
              PREFIXES + f"""
SELECT ?earliest ?type ?claim ?quote WHERE {{
  VALUES ?earliest {{ {_days(dt.date(2024, 10, 1), dt.date(2024, 12, 31))} }}
  ?time kg:earliest ?earliest .
  ?event kg:eventTime ?time ; a ?type .
  ?claim kg:asserts ?event ; kg:hasEvidence ?evidence . ?evidence oa:hasSelector ?sel .
  ?sel oa:exact ?quote .
}} ORDER BY ?earliest ?claim LIMIT 200"""),
        Query("label_search", "entities whose label contains 'kim'", PREFIXES + """
SELECT DISTINCT ?entity ?label WHERE {
  ?entity rdfs:label ?label .
  FILTER(CONTAINS(LCASE(STR(?label)), "kim"))
} LIMIT 50"""),
        Query("entity_construct", "one entity as RDF: its description and what points to it",
              PREFIXES + f"""
CONSTRUCT {{ <{ENTITY}> ?p ?o . ?s ?q <{ENTITY}> }} WHERE {{
  {{ <{ENTITY}> ?p ?o }} UNION {{ ?s ?q <{ENTITY}> }}
}}"""),
        Query("claims_by_type", "a count over everything: claims by event type", PREFIXES + """
SELECT ?type (COUNT(?event) AS ?claims) WHERE {
  VALUES ?type { kg:Deployment kg:Transfer kg:CasualtyReport kg:Statement kg:Meeting
                 kg:TreatySigning }
  ?event a ?type .
} GROUP BY ?type ORDER BY DESC(?claims)"""),
        Query("count_triples", "a count over everything: all triples", """
SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"""),
    ]


def api_mix(p: dict) -> list[tuple[str, str]]:
    """Every GET route of the JSON API the pages use: (name, path)."""
    entity_id = ENTITY.rsplit("/", 1)[-1]
    return [
        ("api_claims", "/api/claims?limit=50"),
        ("api_claims_filtered", "/api/claims?type=deployment&target=kursk-oblast&limit=50"),
        ("api_timeline", "/api/timeline?event_from=2024-10-01&event_to=2024-12-31&limit=50"),
        ("api_entities", "/api/entities?q=kim&limit=50"),
        ("api_entity", f"/api/entities/{entity_id}?limit=20"),
        ("api_articles", "/api/articles?limit=50"),
        ("api_article", f"/api/articles/{p['article_id']}"),
        ("api_event", f"/api/events/{p['event'].rsplit('/', 1)[-1]}"),
        ("health", "/health"),
    ]


PICK_EVENT = PREFIXES + """
SELECT ?event (COUNT(?claim) AS ?n) WHERE {
  ?claim kg:reportsEvent ?event ; kg:asserts/kg:quantity ?q .
} GROUP BY ?event ORDER BY DESC(?n) ?event LIMIT 1"""
PICK_ARTICLE = PREFIXES + """
SELECT ?article WHERE { ?article a kg:Article ; schema:datePublished ?d }
ORDER BY DESC(?d) ?article LIMIT 1"""


def pick_parameters(store) -> dict:
    """An event with the most figures and the newest article, read from the store."""
    (event,) = list(store.query(PICK_EVENT))
    (article,) = list(store.query(PICK_ARTICLE))
    return {"event": event["event"].value, "event_reports": int(event["n"].value),
            "article_id": article["article"].value.rsplit("/", 1)[-1]}
