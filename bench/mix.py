"""The fixed query mix: what users of the graph actually ask, as SPARQL and as JSON API calls.

Shapes are chosen to be fast on Oxigraph: aggregates with GROUP BY/HAVING instead of
self-joins, selective patterns first, and LIMIT where a page would show a page. Two costs
of Oxigraph (0.5) decide the rest, measured on the 10M corpus:

- A pattern joined row by row costs an index seek per row (10-40 microseconds at 10M), so a
  query costs roughly its rows times its patterns; a scan is far cheaper per row.
- ``ORDER BY`` on IRIs reads both IRIs' strings for every comparison, so sorting thousands of
  claims by IRI costs seconds. A page is sorted on cheap keys, over no more rows than the
  page can come from, and the display columns are joined for the page only (``timeline``,
  ``entity_claims``).

Shapes change the speed only: each query means what it meant, whatever order the engine
evaluates it in. Parameters (an entity, an event with several reports, an article) are picked
from the data once, before timing, by ``pick_parameters``.
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


def _timeline(first: dt.date, last: dt.date, limit: int) -> str:
    """The claims whose event time starts in [first, last]: date, event type, claim, quote,
    ordered by date then claim, the first ``limit``.

    Sorting every claim of the range by (date, claim IRI) made this slow: 21,570 claims at
    10M, and Oxigraph reads both IRIs' strings for every comparison. So, in three steps:
    (1) ``?last``, the date of the ``limit``-th claim in date order: every order of the ties
    agrees on it, and dates compare without reading strings; (2) only the claims dated up to
    ``?last`` (they hold the page) are sorted by date and claim, through keys bound once per
    claim: the IRI cut into 15-character pieces, short enough (in ASCII) for Oxigraph to keep
    and compare inline, then the IRI itself should the first 45 characters be equal. Piece by
    piece is the same order as the whole string, which is how SPARQL orders IRIs. (3) Event
    type and quote are joined for the page only. The same rows as sorting everything, as
    long as every claim has an event type and a quote, as the shapes require
    (kgsh:Claim-asserts, Claim-evidence, Evidence-quote, Quote-exact); the final LIMIT keeps
    the page at ``limit`` rows should an event have two types.
    """
    days = _days(first, last)
    return PREFIXES + f"""
SELECT ?earliest ?type ?claim ?quote WHERE {{
  {{ SELECT ?earliest ?claim ?event WHERE {{
      {{ SELECT (MAX(?day) AS ?last) WHERE {{
          {{ SELECT ?day WHERE {{
              VALUES ?day {{ {days} }}
              ?t kg:earliest ?day . ?e kg:eventTime ?t . ?c kg:asserts ?e .
          }} ORDER BY ?day LIMIT {limit} }}
      }} }}
      VALUES ?earliest {{ {days} }}
      FILTER(?earliest <= ?last)
      ?time kg:earliest ?earliest . ?event kg:eventTime ?time . ?claim kg:asserts ?event .
      BIND(STR(?claim) AS ?iri)
      BIND(SUBSTR(?iri, 1, 15) AS ?k1) BIND(SUBSTR(?iri, 16, 15) AS ?k2)
      BIND(SUBSTR(?iri, 31, 15) AS ?k3)
  }} ORDER BY ?earliest ?k1 ?k2 ?k3 ?claim LIMIT {limit} }}
  ?event a ?type .
  ?claim kg:hasEvidence ?evidence . ?evidence oa:hasSelector ?sel . ?sel oa:exact ?quote .
}} ORDER BY ?earliest ?claim LIMIT {limit}"""


def sparql_mix(p: dict) -> list[Query]:
    """The SPARQL part of the mix, with parameters from ``pick_parameters``."""
    return [
        # The page of 50 is picked in the sub-SELECT from what the sort and the article's
        # optional columns need, then quote and event type (which the shapes require of every
        # claim) are joined for those 50 only, not for all 4,670 claims about the entity at 10M.
        Query("entity_claims", "an entity's claims with provenance (newest 50)", PREFIXES + f"""
SELECT ?claim ?type ?quote ?article ?headline ?published ?publisher WHERE {{
  {{ SELECT ?claim ?event ?article ?headline ?published ?publisher WHERE {{
      {{ ?event kg:actor <{ENTITY}> }} UNION {{ ?event kg:target <{ENTITY}> }}
      UNION {{ ?claim kg:claimedBy <{ENTITY}> . ?claim kg:asserts ?event }}
      ?claim kg:asserts ?event ; prov:wasDerivedFrom ?article .
      ?article schema:headline ?headline ; schema:datePublished ?published ;
               schema:publisher ?publisher .
  }} ORDER BY DESC(?published) LIMIT 50 }}
  ?claim kg:hasEvidence/oa:hasSelector ?sel .
  ?sel oa:exact ?quote .
  ?event a ?type .
}} ORDER BY DESC(?published) LIMIT 50"""),
        # Per claim, as the question is asked of the reports. Not per event cluster: a
        # cluster's kg:earliest is the earliest of its reports, so one "earlier this year"
        # report files the whole event under January (49 of the 122 clusters of this pair at
        # 1M, holding 221 of its 484 reports; 63 of the claims themselves). What it costs is
        # a few index seeks per claim (5,435 claims at 10M); hashing the type and actor
        # patterns in sub-SELECTs, the quantity as a path, or the publishers as a sub-SELECT
        # measured no faster on Oxigraph, so the plain shape stays.
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
              _timeline(dt.date(2024, 10, 1), dt.date(2024, 12, 31), 200)),
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
