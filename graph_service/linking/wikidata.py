"""Links to Wikidata: which item each entity is, how we know, and how sure we are.

``link(store)`` reconciles the graph's states, persons, organizations, places and treaties with
a Wikidata-shaped SPARQL endpoint (Wikidata's by default):

1. candidates: items whose ``rdfs:label`` or ``skos:altLabel`` equals one of the entity's labels
   or aliases, in the entity's language (one batched query per 40 names, with VALUES);
2. facts of the candidates (one batched query per 40 items): classes reached by
   ``wdt:P31/wdt:P279*`` among those ``ontology/links.ttl`` accepts for the entity's class,
   country ``P17``, located in ``P131``, citizenship ``P27``, jurisdiction of positions held
   ``P39/P1001``;
3. score: name (label or alias) x 0.5 + class x 0.25 + context x 0.25. A candidate of the wrong
   class is out. Context compares the candidate's country, citizenship or position with the
   items of the entity's ``kg:affiliation`` / ``kg:partOf`` chain;
4. the best candidate is linked when it reaches ``threshold`` and leads the runner-up by
   ``margin``; otherwise the entity and its candidates are kept for review (``review(store)``).

Curated links (``ontology/wikidata-curated.ttl``, checked by people) always win: the linker does
not look for an entity that has one. Each automatic link is ``owl:sameAs`` (``skos:exactMatch`` for
classes and concepts) with a ``kg:EntityLink`` that records method, score, the candidates that
lost, the endpoint and the date (terms in ``ontology/links.ttl``). Everything is written to
``graph/links`` in one atomic replace, and only when every request succeeded.

The client is polite (https://meta.wikimedia.org/wiki/User-Agent_policy and the Wikidata Query
Service usage rules): a descriptive User-Agent, few batched requests, a timeout, retries with
exponential back-off, and 429/503 answered by waiting ``Retry-After``. Answers are cached per name
and per item in JSON files, so a second run sends no request for what it already has.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import http.client
import json
import os
import socket
import time
import urllib.error
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper import __version__ as SPARQLWRAPPER_VERSION
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .. import __version__, iris, resources
from ..errors import InputError, RemoteError
from ..store import Store

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
USER_AGENT = (f"nkru-graph-service/{__version__} (https://w3id.org/nkru/; knowledge graph of "
              f"North Korea-Russia military cooperation; entity linking) "
              f"SPARQLWrapper/{SPARQLWRAPPER_VERSION}")

KG = rdflib.Namespace(iris.ONTOLOGY)
WD = rdflib.Namespace("http://www.wikidata.org/entity/")
LINKS_TTL = resources.ONTOLOGY_DIR / "links.ttl"
CURATED_TTL = resources.CURATED_LINKS_FILE
ENTITY_PREFIX = iris.ID + "entity/"

DEFAULT_THRESHOLD = 0.85
DEFAULT_MARGIN = 0.1
BATCH = 40
# Weights of the three parts of a score; the parts are each in [0, 1].
W_NAME, W_TYPE, W_CONTEXT = 0.5, 0.25, 0.25
NAME_FACTOR = {("label", "label"): 1.0, ("label", "alias"): 0.9,
               ("alias", "label"): 0.85, ("alias", "alias"): 0.7}
CONTEXT_MATCH, CONTEXT_NONE, CONTEXT_UNKNOWN, CONTEXT_CONFLICT = 1.0, 0.7, 0.3, 0.0
TYPE_UNCONSTRAINED = 0.5  # an entity whose class names no Wikidata class
# Which candidate facts speak to an entity's context, by the entity's class.
PERSON_KINDS = {"Person"}
PLACE_KINDS = {"Region", "City", "OccupiedTerritory", "Place", "Country"}
STATE_KINDS = {"State", "Country"}
CLASS_TYPES = {OWL.Class, RDFS.Class, SKOS.Concept}


# ---------------------------------------------------------------- data


@dataclass
class Entity:
    """An entity of the graph as the linker sees it."""

    iri: str
    kinds: set[str]
    names: list[tuple[str, str, str]] = field(default_factory=list)  # (text, lang, label|alias)
    context: set[str] = field(default_factory=set)     # IRIs of affiliation / partOf chain
    is_class: bool = False

    @property
    def label(self) -> str:
        return next((t for t, _, k in self.names if k == "label"), self.iri.rsplit("/", 1)[-1])


@dataclass
class Candidate:
    qid: str
    score: float = 0.0
    name: str = ""
    reasons: list[str] = field(default_factory=list)
    label: str | None = None
    description: str | None = None

    def record(self) -> dict:
        return {"qid": self.qid, "label": self.label, "description": self.description,
                "score": self.score, "matched_name": self.name, "reason": "; ".join(self.reasons)}


@dataclass
class Decision:
    entity: Entity
    candidates: list[Candidate]              # best first
    linked: Candidate | None = None
    reason: str = ""


@dataclass
class LinkReport:
    """What one run did (``str()`` gives the one-line summary the command prints)."""

    endpoint: str
    linked: dict[str, str]                   # entity IRI -> QID (automatic links)
    curated: dict[str, str]                  # entity IRI -> QID
    review: list[str]                        # entity IRIs kept for review
    requests: int
    cached: int

    def __str__(self) -> str:
        return (f"linked {len(self.linked)} entities, kept {len(self.curated)} curated links, "
                f"{len(self.review)} for review ({self.requests} requests to {self.endpoint}, "
                f"{self.cached} answers from the cache)")


# ---------------------------------------------------------------- HTTP client


class WikidataClient:
    """SELECT queries against one endpoint, politely: User-Agent, timeout, retries, Retry-After."""

    def __init__(self, endpoint: str = WIKIDATA_SPARQL, *, user_agent: str = USER_AGENT,
                 timeout: float = 30.0, retries: int = 3, backoff: float = 2.0,
                 max_wait: float = 120.0, sleep: Callable[[float], None] = time.sleep) -> None:
        self.endpoint = endpoint
        self.user_agent = user_agent
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep
        self.requests = 0

    def select(self, query: str) -> list[dict]:
        """The rows of a SELECT query, each ``{var: {"type":…, "value":…}}``; RemoteError if not."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._once(query)
            except urllib.error.HTTPError as err:
                if err.code not in (429, 502, 503, 504) or attempt > self.retries:
                    raise RemoteError(f"the endpoint answered HTTP {err.code} {err.reason}"
                                      + (" (rate limited; try again later)" if err.code == 429 else ""),
                                      where=self.endpoint) from None
                wait = retry_after(err.headers.get("Retry-After")) if err.headers else None
                wait = self.backoff * 2 ** (attempt - 1) if wait is None else wait
                if wait > self.max_wait:
                    raise RemoteError(f"the endpoint asks to wait {wait:.0f} s (Retry-After), "
                                      f"more than {self.max_wait:.0f} s; try again later",
                                      where=self.endpoint) from None
                self.sleep(wait)
            except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError,
                    http.client.HTTPException) as err:
                if attempt > self.retries:
                    reason = getattr(err, "reason", None) or err
                    raise RemoteError(f"cannot reach the endpoint ({_one_line(reason)}) after "
                                      f"{attempt} attempts; the links were left as they were",
                                      where=self.endpoint) from None
                self.sleep(self.backoff * 2 ** (attempt - 1))
            except SPARQLWrapperException as err:
                raise RemoteError(f"the endpoint refused the query: {_one_line(err)}",
                                  where=self.endpoint) from None

    def _once(self, query: str) -> list[dict]:
        self.requests += 1
        sw = SPARQLWrapper(self.endpoint, agent=self.user_agent)
        sw.setMethod(POST)
        sw.setReturnFormat(JSON)
        sw.timeout = self.timeout  # setTimeout() would truncate it to whole seconds
        sw.setQuery(query)
        result = sw.query()
        try:
            body = result.convert()
        except (ValueError, json.JSONDecodeError) as err:
            raise RemoteError(f"the endpoint did not answer SPARQL JSON results: {_one_line(err)}",
                              where=self.endpoint) from None
        finally:
            result.response.close()
        if not isinstance(body, dict) or "results" not in body:
            raise RemoteError("the endpoint did not answer SPARQL JSON results", where=self.endpoint)
        return body["results"]["bindings"]


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def _one_line(err: object) -> str:
    return " ".join(str(err).split())[:300]


# ---------------------------------------------------------------- cache


class Cache:
    """JSON files per endpoint: ``names/<digest>.json`` and ``items/<digest>/<QID>.json``."""

    def __init__(self, folder: Path, endpoint: str) -> None:
        self.folder = folder / iris.digest(endpoint)
        self.hits = 0

    def get(self, kind: str, key: str):
        path = self._path(kind, key)
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value) -> None:
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(value, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}.json"


def default_cache_dir() -> Path:
    """``KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/nkru/wikidata`` (``~/.cache/nkru/wikidata``)."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nkru" / "wikidata"


# ---------------------------------------------------------------- alignment tables


def match_classes(path: Path = LINKS_TTL) -> dict[str, set[str]]:
    """kg class local name -> QIDs of the Wikidata classes its instances may be linked to."""
    g = rdflib.Graph()
    for p in (path, resources.ONTOLOGY_FILE):
        if p.exists():
            g.parse(p, format="turtle")
    table: dict[str, set[str]] = {}
    for prop in (KG.wikidataMatchClass, KG.wikidataClass):
        for cls, wd in g.subject_objects(prop):
            if str(cls).startswith(iris.ONTOLOGY) and str(wd).startswith(str(WD)):
                table.setdefault(str(cls)[len(iris.ONTOLOGY):], set()).add(qid_of(wd))
    return table


def qid_of(iri: object) -> str:
    return str(iri).rsplit("/", 1)[-1]


def curated_links(path: Path = CURATED_TTL) -> dict[str, tuple[str, URIRef]]:
    """Entity IRI -> (QID, predicate) from the curated alignment file (empty if none)."""
    if not path.exists():
        return {}
    g = rdflib.Graph().parse(path, format="turtle")
    return {str(s): (qid_of(o), p) for p in (OWL.sameAs, SKOS.exactMatch)
            for s, o in g.subject_objects(p) if str(o).startswith(str(WD))}


def curated_graph(path: Path = CURATED_TTL) -> rdflib.Graph:
    g = rdflib.Graph()
    if path.exists():
        g.parse(path, format="turtle")
    return g


def curated_from_verified(records: Iterable[dict], entities: rdflib.Graph) -> rdflib.Graph:
    """The curated alignment graph from ``wikidata-verified.json`` records (``label``, ``qid``).

    A record names an entity by its label, one of its aliases, or the part of the label before
    or inside parentheses ("China (People's Republic of China)"); a record that names no entity
    of ``entities`` is kept for the IRI ``iris.entity_iri(label)``.
    """
    by_name: dict[str, URIRef] = {}
    for prop in (SKOS.altLabel, RDFS.label):  # labels win over aliases
        for s, o in entities.subject_objects(prop):
            by_name[str(o)] = s
    g = rdflib.Graph()
    g.bind("kg", KG), g.bind("wd", WD), g.bind("owl", OWL)
    for rec in records:
        label, qid = rec["label"], rec["qid"]
        names = [label, label.split(" (")[0]]
        if "(" in label:
            names.append(label.split("(", 1)[1].rstrip(")"))
        subject = next((by_name[n] for n in names if n in by_name),
                       URIRef(iris.entity_iri(label.split(" (")[0])))
        target = WD[qid]
        g.add((subject, OWL.sameAs, target))
        node = URIRef(f"{iris.ID}link/{iris.digest(subject, qid)}")
        g.add((node, RDF.type, KG.EntityLink))
        g.add((node, KG.linkSubject, subject))
        g.add((node, KG.linkTarget, target))
        g.add((node, KG.linkPredicate, OWL.sameAs))
        g.add((node, KG.linkMethod, KG.CuratedLink))
        g.add((node, KG.score, Literal(Decimal("1"), datatype=XSD.decimal)))
        g.add((node, KG.matchedName, Literal(label)))
        g.add((node, DCTERMS.source, Literal("wikidata-verified.json")))
    return g


# ---------------------------------------------------------------- reading the graph


def read_entities(store: Store, kinds: Iterable[str]) -> list[Entity]:
    """Entities under ``…/id/entity/`` of the given kg classes, with names and context."""
    kind_set = set(kinds)
    entities: dict[str, Entity] = {}
    rows = store.query(f"""
        SELECT DISTINCT ?e ?type WHERE {{
          GRAPH ?g {{ ?e a ?type }}
          FILTER(?g != <{iris.LINKS_GRAPH}> && ?g != <{iris.CURATED_LINKS_GRAPH}>)
          FILTER(isIRI(?e) && STRSTARTS(STR(?e), "{ENTITY_PREFIX}"))
        }}""")
    for row in rows:
        e, t = row["e"].value, row["type"].value
        ent = entities.setdefault(e, Entity(e, set()))
        if t.startswith(iris.ONTOLOGY) and t[len(iris.ONTOLOGY):] in kind_set:
            ent.kinds.add(t[len(iris.ONTOLOGY):])
        if URIRef(t) in CLASS_TYPES:
            ent.is_class = True
    entities = {k: v for k, v in entities.items() if v.kinds or v.is_class}
    for row in store.query(f"""
        PREFIX rdfs: <{RDFS}> PREFIX skos: <{SKOS}>
        SELECT DISTINCT ?e ?p ?n WHERE {{
          VALUES ?p {{ rdfs:label skos:altLabel }}
          ?e ?p ?n FILTER(isLiteral(?n) && STRSTARTS(STR(?e), "{ENTITY_PREFIX}"))
        }}"""):
        ent = entities.get(row["e"].value)
        if ent is not None:
            lit = row["n"]
            kind = "label" if row["p"].value == str(RDFS.label) else "alias"
            ent.names.append((lit.value, lit.language or "en", kind))
    for row in store.query(f"""
        PREFIX kg: <{iris.ONTOLOGY}>
        SELECT DISTINCT ?e ?c WHERE {{
          ?e (kg:affiliation|kg:partOf)+ ?c FILTER(STRSTARTS(STR(?e), "{ENTITY_PREFIX}"))
        }}"""):
        ent = entities.get(row["e"].value)
        if ent is not None:
            ent.context.add(row["c"].value)
    for ent in entities.values():
        ent.names.sort(key=lambda n: (n[2] != "label", n[0]))
    return sorted(entities.values(), key=lambda e: e.iri)


# ---------------------------------------------------------------- asking Wikidata


def _literal(text: str, lang: str) -> str:
    return json.dumps(text, ensure_ascii=False) + (f"@{lang}" if lang else "")


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _cached(cache: Cache, section: str, keys: Iterable, key_of) -> tuple[dict, list]:
    """(what the cache has, keyed as given; the keys it lacks, sorted, each once)."""
    out, missing = {}, []
    for key in sorted(set(keys)):
        hit = cache.get(section, key_of(key))
        if hit is None:
            missing.append(key)
        else:
            out[key] = hit
    return out, missing


def find_names(client: WikidataClient, cache: Cache,
               names: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[list[str]]]:
    """(text, lang) -> [[QID, "label"|"alias"], …], from the cache or in batched queries."""
    out, missing = _cached(cache, "names", names, lambda name: f"{name[1]}\x1f{name[0]}")
    for batch in _batches(missing):
        values = " ".join(_literal(t, lang) for t, lang in batch)
        rows = client.select(f"""PREFIX rdfs: <{RDFS}> PREFIX skos: <{SKOS}>
SELECT ?name ?item ?via WHERE {{
  VALUES ?name {{ {values} }}
  {{ ?item rdfs:label ?name BIND("label" AS ?via) }}
  UNION {{ ?item skos:altLabel ?name BIND("alias" AS ?via) }}
  FILTER(STRSTARTS(STR(?item), "{WD}Q"))
}}""")
        found: dict[tuple[str, str], list[list[str]]] = {n: [] for n in batch}
        for row in rows:
            key = (row["name"]["value"], row["name"].get("xml:lang", ""))
            key = key if key in found else next((n for n in found if n[0] == key[0]), key)
            pair = [qid_of(row["item"]["value"]), row["via"]["value"]]
            if key in found and pair not in found[key]:
                found[key].append(pair)
        for name, hits in found.items():
            hits.sort()
            cache.put("names", f"{name[1]}\x1f{name[0]}", hits)
            out[name] = hits
    return out


def item_facts(client: WikidataClient, cache: Cache, qids: Iterable[str],
               classes: set[str]) -> dict[str, dict[str, list[str]]]:
    """QID -> {"class": [...], "P17": [...], "P27": [...], "P39": [...], "P131": [...],
    "label": [...], "description": [...]}; ``class`` lists the accepted classes it reaches."""
    class_key = iris.digest(*sorted(classes))
    out, missing = _cached(cache, "items", qids, lambda qid: f"{class_key}\x1f{qid}")
    class_values = " ".join(f"wd:{c}" for c in sorted(classes))
    for batch in _batches(missing):
        values = " ".join(f"wd:{q}" for q in batch)
        rows = client.select(f"""PREFIX wd: <{WD}> PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <{RDFS}> PREFIX schema: <http://schema.org/>
SELECT ?item ?key ?value WHERE {{
  VALUES ?item {{ {values} }}
  {{ ?item wdt:P31/wdt:P279* ?value VALUES ?value {{ {class_values} }} BIND("class" AS ?key) }}
  UNION {{ ?item wdt:P17 ?value BIND("P17" AS ?key) }}
  UNION {{ ?item wdt:P131 ?value BIND("P131" AS ?key) }}
  UNION {{ ?item wdt:P27 ?value BIND("P27" AS ?key) }}
  UNION {{ ?item wdt:P39 ?position . ?position wdt:P1001 ?value BIND("P39" AS ?key) }}
  UNION {{ ?item rdfs:label ?value FILTER(LANG(?value) = "en") BIND("label" AS ?key) }}
  UNION {{ ?item schema:description ?value FILTER(LANG(?value) = "en") BIND("description" AS ?key) }}
}}""")
        found: dict[str, dict[str, list[str]]] = {q: {} for q in batch}
        for row in rows:
            qid, key = qid_of(row["item"]["value"]), row["key"]["value"]
            value = row["value"]["value"]
            value = qid_of(value) if row["value"]["type"] == "uri" else value
            bucket = found.setdefault(qid, {}).setdefault(key, [])
            if value not in bucket:
                bucket.append(value)
        for qid, facts in found.items():
            for values_ in facts.values():
                values_.sort()
            cache.put("items", f"{class_key}\x1f{qid}", facts)
            out[qid] = facts
    return out


# ---------------------------------------------------------------- scoring


def score_candidates(entity: Entity, hits: dict[str, tuple[str, str]],
                     facts: dict[str, dict[str, list[str]]], classes: dict[str, set[str]],
                     context_qids: set[str]) -> list[Candidate]:
    """Candidates best first; ``hits``: QID -> (our name kind, their name kind, name)."""
    accepted = set().union(*(classes.get(k, set()) for k in entity.kinds)) if entity.kinds else set()
    out = []
    for qid, (ours, theirs, name) in hits.items():
        f = facts.get(qid, {})
        c = Candidate(qid, name=name, label=(f.get("label") or [None])[0],
                      description=(f.get("description") or [None])[0])
        name_part = NAME_FACTOR[(ours, theirs)]
        c.reasons.append(f"{ours} = {theirs} {name!r}")
        if accepted:
            reached = accepted & set(f.get("class", []))
            if not reached:
                c.reasons.append("class: none of " + ", ".join(sorted(accepted)))
                c.score = 0.0
                out.append(c)
                continue
            type_part = 1.0
            c.reasons.append("class " + ", ".join(sorted(reached)))
        else:
            type_part = TYPE_UNCONSTRAINED
            c.reasons.append("class not checked")
        context_part = _context(entity, f, context_qids, c.reasons)
        c.score = round(W_NAME * name_part + W_TYPE * type_part + W_CONTEXT * context_part, 4)
        out.append(c)
    out.sort(key=lambda c: (-c.score, c.qid))
    return out


def _context(entity: Entity, facts: dict[str, list[str]], context_qids: set[str],
             reasons: list[str]) -> float:
    if not context_qids:
        reasons.append("no context")
        return CONTEXT_NONE
    if entity.kinds & PERSON_KINDS:
        keys = ("P27", "P39")
    elif entity.kinds & PLACE_KINDS:
        keys = ("P17", "P131")
    else:
        keys = ("P17",)
    theirs = {v for k in keys for v in facts.get(k, [])}
    if not theirs:
        reasons.append(f"context unknown ({'/'.join(keys)} absent)")
        return CONTEXT_UNKNOWN
    if theirs & context_qids:
        reasons.append(f"context {'/'.join(keys)} " + ", ".join(sorted(theirs & context_qids)))
        return CONTEXT_MATCH
    reasons.append(f"context conflict ({'/'.join(keys)} " + ", ".join(sorted(theirs)) + ")")
    return CONTEXT_CONFLICT


def decide(entity: Entity, candidates: list[Candidate], *, threshold: float,
           margin: float) -> Decision:
    if not candidates:
        return Decision(entity, [], reason="no candidate")
    best = candidates[0]
    runner = candidates[1].score if len(candidates) > 1 else 0.0
    if best.score < threshold:
        return Decision(entity, candidates, reason=f"best score {best.score} below {threshold}")
    if best.score - runner < margin:
        return Decision(entity, candidates,
                        reason=f"ambiguous: {best.qid} {best.score} vs {candidates[1].qid} {runner}")
    return Decision(entity, candidates, linked=best)


def _hits_for(entity: Entity, names: dict[tuple[str, str], list[list[str]]]
              ) -> dict[str, tuple[str, str, str]]:
    """QID -> the best (our kind, their kind, name) through which the entity found it."""
    best: dict[str, tuple[str, str, str]] = {}
    for text, lang, ours in entity.names:
        for qid, theirs in names.get((text, lang), []):
            cur = best.get(qid)
            if cur is None or NAME_FACTOR[(ours, theirs)] > NAME_FACTOR[cur[:2]]:
                best[qid] = (ours, theirs, text)
    return best


# ---------------------------------------------------------------- the run


def link(store: Store, *, endpoint: str = WIKIDATA_SPARQL, cache_dir: Path | None = None,
         threshold: float = DEFAULT_THRESHOLD, margin: float = DEFAULT_MARGIN,
         curated_path: Path | None = CURATED_TTL, client: WikidataClient | None = None,
         today: dt.date | None = None) -> LinkReport:
    """Link the graph's entities to Wikidata items; replace graph/links in one update.

    Raises RemoteError (the graph unchanged) when the endpoint cannot be reached.
    """
    if not 0 <= threshold <= 1:
        raise InputError(f"threshold {threshold} is not between 0 and 1")
    client = client or WikidataClient(endpoint)
    endpoint = client.endpoint
    cache = Cache(cache_dir or default_cache_dir(), endpoint)
    classes = match_classes()
    curated = curated_links(curated_path) if curated_path else {}
    entities = [e for e in read_entities(store, classes) if e.iri not in curated]
    names = find_names(client, cache, [(t, lang) for e in entities for t, lang, _ in e.names])
    hits = {e.iri: _hits_for(e, names) for e in entities}
    all_classes = set().union(*classes.values())
    facts = item_facts(client, cache, {q for h in hits.values() for q in h}, all_classes)
    qid_of_entity = {iri: q for iri, (q, _) in curated.items()}
    decisions: list[Decision] = []
    # States first, so that people and places can be judged by their state's item.
    for entity in sorted(entities, key=lambda e: (not (e.kinds & STATE_KINDS), e.iri)):
        context = {qid_of_entity[c] for c in entity.context if c in qid_of_entity}
        cands = score_candidates(entity, hits[entity.iri], facts, classes, context)
        d = decide(entity, cands, threshold=threshold, margin=margin)
        if d.linked:
            qid_of_entity[entity.iri] = d.linked.qid
        decisions.append(d)
    _one_entity_per_item(decisions, set(q for q, _ in curated.values()))
    today = today or dt.date.today()
    graph = links_graph(decisions, endpoint=endpoint, threshold=threshold, today=today)
    replace = {iris.LINKS_GRAPH: graph}
    if curated_path is not None:
        replace[iris.CURATED_LINKS_GRAPH] = curated_graph(curated_path)
    store.replace_graphs(replace)
    return LinkReport(endpoint=endpoint,
                      linked={d.entity.iri: d.linked.qid for d in decisions if d.linked},
                      curated={k: v[0] for k, v in curated.items()},
                      review=[d.entity.iri for d in decisions if not d.linked and d.candidates],
                      requests=client.requests, cached=cache.hits)


def _one_entity_per_item(decisions: list[Decision], curated_qids: set[str]) -> None:
    """An item already curated for another entity, or claimed by two entities, goes to review."""
    by_qid: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.linked:
            by_qid.setdefault(d.linked.qid, []).append(d)
    for qid, ds in by_qid.items():
        ds.sort(key=lambda d: -d.linked.score)
        losers = ds if qid in curated_qids else ds[1:]
        for d in losers:
            d.reason = (f"{qid} is curated for another entity" if qid in curated_qids
                        else f"{qid} fits {ds[0].entity.iri} better")
            d.linked = None


def links_graph(decisions: list[Decision], *, endpoint: str, threshold: float,
                today: dt.date) -> rdflib.Graph:
    """The links graph: owl:sameAs triples plus their kg:EntityLink / kg:LinkReview records."""
    g = rdflib.Graph()
    activity = URIRef(f"{iris.ID}linking/{iris.digest(endpoint, today.isoformat())}")
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, KG.endpoint, URIRef(endpoint)))
    g.add((activity, PROV.used, URIRef(endpoint)))
    g.add((activity, PROV.endedAtTime, Literal(today.isoformat(), datatype=XSD.date)))
    g.add((activity, KG.threshold, _decimal(threshold)))
    for d in decisions:
        subject = URIRef(d.entity.iri)
        if d.linked:
            predicate = SKOS.exactMatch if d.entity.is_class else OWL.sameAs
            g.add((subject, predicate, WD[d.linked.qid]))
            node = URIRef(f"{iris.ID}link/{iris.digest(d.entity.iri, d.linked.qid)}")
            g.add((node, RDF.type, KG.EntityLink))
            g.add((node, RDF.type, PROV.Entity))
            g.add((node, KG.linkTarget, WD[d.linked.qid]))
            g.add((node, KG.linkPredicate, predicate))
            g.add((node, KG.linkMethod, KG.LabelTypeContextMatch))
            g.add((node, KG.score, _decimal(d.linked.score)))
            g.add((node, KG.matchedName, Literal(d.linked.name)))
            g.add((node, KG.reason, Literal("; ".join(d.linked.reasons))))
            others, prop = [c for c in d.candidates if c is not d.linked], KG.rejectedCandidate
        elif d.candidates:
            node = URIRef(f"{iris.ID}link/{iris.digest(d.entity.iri, 'review')}")
            g.add((node, RDF.type, KG.LinkReview))
            g.add((node, RDF.type, PROV.Entity))
            g.add((node, KG.reason, Literal(d.reason)))
            others, prop = d.candidates, KG.candidate
        else:
            continue
        g.add((node, KG.linkSubject, subject))
        g.add((node, PROV.wasGeneratedBy, activity))
        g.add((node, PROV.generatedAtTime, Literal(today.isoformat(), datatype=XSD.date)))
        for c in others:
            cnode = URIRef(f"{node}/candidate/{c.qid}")
            g.add((node, prop, cnode))
            g.add((cnode, RDF.type, KG.LinkCandidate))
            g.add((cnode, KG.linkTarget, WD[c.qid]))
            g.add((cnode, KG.score, _decimal(c.score)))
            g.add((cnode, KG.matchedName, Literal(c.name)))
            g.add((cnode, KG.reason, Literal("; ".join(c.reasons))))
            if c.label:
                g.add((cnode, RDFS.label, Literal(c.label, lang="en")))
            if c.description:
                g.add((cnode, RDFS.comment, Literal(c.description, lang="en")))
    return g


def _decimal(x: float) -> Literal:
    return Literal(Decimal(str(round(x, 4))), datatype=XSD.decimal)


# ---------------------------------------------------------------- review


def review(store: Store) -> list[dict]:
    """Entities kept for review, each with its candidates (best first)."""
    rows = store.query(f"""
        PREFIX kg: <{iris.ONTOLOGY}> PREFIX rdfs: <{RDFS}>
        SELECT ?entity ?label ?reason ?qid ?score ?name ?why ?clabel ?cdesc WHERE {{
          GRAPH <{iris.LINKS_GRAPH}> {{
            ?r a kg:LinkReview ; kg:linkSubject ?entity ; kg:reason ?reason ; kg:candidate ?c .
            ?c kg:linkTarget ?qid ; kg:score ?score ; kg:matchedName ?name ; kg:reason ?why .
            OPTIONAL {{ ?c rdfs:label ?clabel }} OPTIONAL {{ ?c rdfs:comment ?cdesc }}
          }}
          OPTIONAL {{ ?entity rdfs:label ?label }}
        }}""")
    out: dict[str, dict] = {}
    for row in rows:
        e = row["entity"].value
        rec = out.setdefault(e, {"entity": e, "label": row["label"].value if row["label"] else None,
                                 "reason": row["reason"].value, "candidates": []})
        qid = qid_of(row["qid"].value)
        if any(c["qid"] == qid for c in rec["candidates"]):
            continue
        rec["candidates"].append({
            "qid": qid, "score": float(row["score"].value), "matched_name": row["name"].value,
            "label": row["clabel"].value if row["clabel"] else None,
            "description": row["cdesc"].value if row["cdesc"] else None,
            "reason": row["why"].value})
    for rec in out.values():
        rec["candidates"].sort(key=lambda c: (-c["score"], c["qid"]))
    return [out[k] for k in sorted(out)]


def links(store: Store) -> dict[str, str]:
    """Entity IRI -> QID for every link in the graph (curated and automatic)."""
    rows = store.query(f"""
        PREFIX owl: <{OWL}> PREFIX skos: <{SKOS}>
        SELECT ?e ?item WHERE {{
          VALUES ?g {{ <{iris.LINKS_GRAPH}> <{iris.CURATED_LINKS_GRAPH}> }}
          GRAPH ?g {{ ?e owl:sameAs|skos:exactMatch ?item }}
          FILTER(STRSTARTS(STR(?item), "{WD}"))
        }}""")
    return {row["e"].value: qid_of(row["item"].value) for row in rows}
