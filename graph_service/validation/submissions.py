"""Submissions: facts that users send, checked before anything enters the graph.

A submission body is RDF (any ``RDFFormat``, chosen by media type) or a JSON list of fact
records (``eval/FORMAT.md``, media type ``application/json``), which is turned into claims and
then into triples by ``rdfize`` first. It is validated together with the part of the stored
graph it touches (``neighbourhood``), never against the whole store, so validation time follows
the size of the submission, not of the graph.

On top of the SHACL shapes, three checks:

* evidence: a claim citing an article already in the graph quotes it exactly at the given
  offsets; a claim citing an unknown article carries that article (metadata and text);
* references: IRIs pointing into ``…/id/`` resolve to stored (or submitted) resources of the
  class the property's ``rdfs:range`` expects;
* no tampering: only the submission's own staging graph may be named, and no triple may
  describe an existing article, claim, ontology term or shape; no SHACL, no ``owl:imports``.

A conforming submission waits for review in the staging store (``Store.staging``, a dataset
apart from the served one), in ``graph/submission/<digest>`` (the digest of its canonical
N-Triples, so the same content is stored once), with a PROV record (status, submitter, time,
triple count) in ``graph/submissions`` of the served store. ``accept`` moves the content into
``graph/accepted/<digest>`` of the served store, with the submitter as the claims' source;
``reject`` marks it rejected with a reason and drops its content.

Each step writes the served store in one update and the staging store in another, in an order
that leaves at worst staged content no record points at (content first, record second;
record first, content dropped second): never a pending record without its content.
``tidy`` drops such leftovers, and moves the staging graphs of a store written before the
staging store existed out of the served dataset; the service runs it when it starts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD

from .. import iris, resources
from ..articles import Article, article_from_text
from ..claims import (COUNT_KINDS, ENTITY_KINDS, EVENT_TYPES, HEDGES, STATUSES, Claim, Entity,
                      Quantity, TimeSpec)
from ..errors import (ArticleError, InputError, KGError, LimitExceeded, ParseError,
                      ShapeViolation, UnsupportedFormat)
from ..formats import RDFFormat
from ..rdfio import load_graph, parse_quads
from ..rdfize import article_graph
from ..store import Store, replace_graphs_update
from ..vocab import KG, OA

# The media type of a JSON list of fact records. JSON-LD must be sent as application/ld+json.
FACT_RECORDS = "application/json"
MEDIA_TYPES = (FACT_RECORDS, *(f.media_type for f in RDFFormat))

STAGING_PREFIX = iris.GRAPH + "submission/"
ACCEPTED_PREFIX = iris.GRAPH + "accepted/"
ARTICLE_GRAPH_PREFIX = iris.GRAPH + "article/"
AGENT_PREFIX = iris.ID + "agent/"

SUBMISSION = KG.Submission
SUBMISSION_STATUS = KG.submissionStatus
STATUS_TERMS = {"pending": KG.Pending, "accepted": KG.Accepted, "rejected": KG.Rejected}
STATUS_OF_TERM = {str(v): k for k, v in STATUS_TERMS.items()}
STAGING_GRAPH = KG.stagingGraph
ACCEPTED_GRAPH = KG.acceptedGraph
REJECTION_REASON = KG.rejectionReason
TRIPLE_COUNT = KG.tripleCount
FROM_SUBMISSION = KG.fromSubmission

MAX_RECORDS = 10_000
# Blank nodes per submission (KG_MAX_BLANK_NODES through the web service). Canonicalising
# blank nodes (for the content digest) grows steeply with symmetric structures: a cycle of 50
# takes Oxigraph's RDFC-1.0 about 0.1 s, of 200 several seconds.
MAX_BLANK_NODES = 50
_WRITE_LOCK = threading.Lock()  # check-then-write of one process; the updates are atomic anyway
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


# ---------------------------------------------------------------- results

@dataclass
class Report:
    """What validation found: the shape of ``shapes.Report`` (conforms, violations, text, graph)."""

    conforms: bool
    violations: list[dict]
    text: str
    graph: rdflib.Graph
    repeats: list[str] = field(default_factory=list)  # claims stated again, already in the graph

    def to_json(self) -> dict:
        if self.conforms:
            return {"conforms": True, **({"in_graph": self.repeats} if self.repeats else {})}
        return {"conforms": False, "violations": self.violations}


@dataclass(frozen=True)
class SubmissionResult:
    """What a submission became: a new or repeated submission (``iri`` is the submission's), or,
    when every claim it states is already in the graph, those claims (``iri`` is the first)."""

    iri: str
    created: bool
    claims: tuple[str, ...] = ()     # stored claims the submission repeats exactly (left out)

    @property
    def id(self) -> str | None:
        if self.iri.startswith(iris.ID + "claim/"):
            return None  # no submission was made: the claims are in the graph already
        return self.iri.rsplit("/", 1)[-1]


@dataclass
class Submission:
    """A parsed body: its triples, the graph names it used and its content digest."""

    graph: rdflib.Graph
    media_type: str
    graph_names: set[str] = field(default_factory=set)
    problems: list[dict] = field(default_factory=list)  # found while reading fact records
    digest: str = ""
    repeats: list[str] = field(default_factory=list)  # stored claims stated again, left out

    @property
    def iri(self) -> str:
        return iris.submission_iri(self.digest)

    @property
    def staging_graph(self) -> str:
        return iris.submission_graph(self.digest)


class SubmissionNotFound(KGError):
    """No submission with that id."""

    exit_code = 2
    http_status = 404


class SubmissionConflict(KGError):
    """The submission is not in a state that allows the request (accepting a rejected one...)."""

    exit_code = 1
    http_status = 409


def violation(focus, path, value, message: str, *, constraint: str) -> dict:
    """A violation found by a check of this module, in the form ``shapes.validate`` uses."""
    return {"focus": _s(focus), "path": _s(path), "value": _s(value), "shape": None,
            "severity": str(SH.Violation), "message": message, "constraint": constraint}


# A report quotes at most this many characters of any value or message: a 1 MB literal in a
# submission must not come back several times over in its report.
CLIP = 300


def clip(text: str | None, limit: int = CLIP) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[:limit] + f"… ({len(text):,} characters)"


def _clipped(v: dict) -> dict:
    return {k: clip(x) if isinstance(x, str) and k in ("focus", "path", "value", "message")
            else x for k, x in v.items()}


def _s(term) -> str | None:
    return None if term is None else str(term)


# ---------------------------------------------------------------- reading a body

def body_format(media_type: str) -> RDFFormat | None:
    """The RDF format of a body, or None for fact records; UnsupportedFormat (415) otherwise."""
    base = (media_type or "").split(";")[0].strip().lower()
    if not base:
        raise UnsupportedFormat("no Content-Type; send one of " + ", ".join(MEDIA_TYPES))
    if base == FACT_RECORDS:
        return None
    try:
        return RDFFormat.from_media_type(base)
    except UnsupportedFormat:
        raise UnsupportedFormat(f"unsupported media type {base!r}; send one of "
                                + ", ".join(MEDIA_TYPES)) from None


def read_submission(store: Store, body: bytes, media_type: str, *,
                    max_blank_nodes: int = MAX_BLANK_NODES) -> Submission:
    """Parse a body into a Submission; ParseError (with line and column) if it cannot be read,
    LimitExceeded (413) with more than ``max_blank_nodes`` blank nodes."""
    fmt = body_format(media_type)
    if fmt is None:
        graph, problems, repeats = facts_graph(store, _json_records(body))
        sub = Submission(graph=graph, media_type=FACT_RECORDS, problems=problems, repeats=repeats)
    else:
        graph, names = _rdf_graph(body, fmt, max_blank_nodes)
        sub = Submission(graph=graph, media_type=fmt.media_type, graph_names=names)
        sub.repeats = without_repeated_claims(store, sub.graph)
    sub.digest = content_digest(sub.graph)
    return sub


def _rdf_graph(body: bytes, fmt: RDFFormat,
               max_blank_nodes: int = MAX_BLANK_NODES) -> tuple[rdflib.Graph, set[str]]:
    quads = parse_quads(body, fmt, where="submission")
    blanks = {t for q in quads for t in (q.subject, q.object, q.graph_name)
              if isinstance(t, ox.BlankNode)}
    if len(blanks) > max_blank_nodes:
        raise LimitExceeded(f"the submission has {len(blanks):,} blank nodes; the limit is "
                            f"{max_blank_nodes:,}, set by KG_MAX_BLANK_NODES (give the nodes "
                            "IRIs)", limit="KG_MAX_BLANK_NODES", http_status=413)
    names = {q.graph_name.value for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    g = rdflib.Graph()
    for q in quads:
        g.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    return g, names


def _term(t):
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == str(XSD.string):
            return Literal(t.value)  # rdflib's plain literal is the same term in RDF 1.1
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    raise ParseError("RDF-star triple terms are not accepted in submissions", where="submission")


def content_digest(graph: rdflib.Graph) -> str:
    """The digest of the canonical N-Triples of the graph (blank nodes canonicalised with
    RDFC-1.0, by Oxigraph)."""
    if any(isinstance(t, BNode) for triple in graph for t in triple):
        data = ox.serialize(_canonical(graph), format=ox.RdfFormat.N_QUADS).decode("utf-8")
        lines = sorted(data.splitlines())
        return hashlib.sha256("\n".join(x for x in lines if x.strip()).encode("utf-8")
                              ).hexdigest()[:32]
    lines = sorted(graph.serialize(format="nt").splitlines())
    return hashlib.sha256("\n".join(x for x in lines if x.strip()).encode("utf-8")).hexdigest()[:32]


# ---------------------------------------------------------------- fact records

def _json_records(body: bytes) -> list:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise ParseError(f"fact records are not UTF-8 (bad byte at offset {err.start})",
                         where="submission") from None
    except json.JSONDecodeError as err:
        raise ParseError(f"fact records are not valid JSON: {err.msg}", where="submission",
                         line=err.lineno, column=err.colno) from None
    if not isinstance(data, list):
        raise InputError("fact records must be a JSON list of objects (eval/FORMAT.md); "
                         "send JSON-LD as application/ld+json", where="submission")
    if len(data) > MAX_RECORDS:
        raise InputError(f"{len(data):,} fact records; send at most {MAX_RECORDS:,} at a time",
                         where="submission")
    return data


def facts_graph(store: Store, records: list) -> tuple[rdflib.Graph, list[dict], list[str]]:
    """Fact records -> claims -> triples, one article at a time; problems as violations.

    A record cites an article in the graph by ``article`` (its IRI), or carries it as
    ``article_text`` with metadata (``article_meta``: title, outlet, published, url, ...).
    Triples about an article already in the graph are left out: it is stored already. So is a
    record of a claim already in the graph (the same article and every field the same, hence
    the same IRI): its IRI is returned among the repeats.
    """
    problems: list[dict] = []
    groups: dict[str, tuple[Article, bool, list[Claim]]] = {}
    names = _EntityNames(store)
    for i, rec in enumerate(records):
        where = f"#/{i}"
        if not isinstance(rec, dict):
            problems.append(violation(where, None, None, "a fact record must be a JSON object",
                                      constraint="record"))
            continue
        found = _record_article(store, rec, where, problems)
        if found is None:
            continue
        article, known = found
        claim = _record_claim(rec, names, where, problems)
        if claim is not None:
            groups.setdefault(article.iri, (article, known, []))[2].append(claim)
    stored = stored_claims(store, [c.iri(a.id) for a, known, cs in groups.values() if known
                                   for c in cs])
    repeats: list[str] = []
    graph = rdflib.Graph()
    for article, known, claims in groups.values():
        new = [c for c in claims if c.iri(article.id) not in stored]
        repeats += [c.iri(article.id) for c in claims if c.iri(article.id) in stored]
        if known and not new:
            continue
        g = article_graph(article, new)
        if known:
            g.remove((URIRef(article.iri), None, None))
        graph += g
    return graph, problems, list(dict.fromkeys(repeats))


def stored_claims(store: Store, claim_iris: Iterable[str]) -> set[str]:
    """Which of these claims are in the graph: in an article graph or an accepted submission."""
    homes = _homes(store, [URIRef(i) for i in set(claim_iris)])
    return {c for c, graphs in homes.items()
            if any(g.startswith((ARTICLE_GRAPH_PREFIX, ACCEPTED_PREFIX)) for g in graphs)}


def without_repeated_claims(store: Store, graph: rdflib.Graph) -> list[str]:
    """Take out of ``graph`` the stored claims it states again exactly (every triple about the
    claim and its parts, ``<claim>/…``, already stored); return their IRIs. A stored claim
    stated with any difference stays, for ``check_tampering`` to refuse."""
    claims = {str(c) for c in graph.subjects(RDF.type, KG.Claim) if isinstance(c, URIRef)}
    stored = stored_claims(store, claims)
    if not stored:
        return []
    near = neighbourhood(store, graph)
    repeats = []
    for claim in sorted(stored):
        mine = [t for t in graph if isinstance(t[0], URIRef)
                and (str(t[0]) == claim or str(t[0]).startswith(claim + "/"))]
        if all(_stored(t, near) for t in mine):
            repeats.append(claim)
            for t in mine:
                graph.remove(t)
    return repeats


def _record_article(store: Store, rec: dict, where: str,
                    problems: list[dict]) -> tuple[Article, bool] | None:
    if rec.get("article"):
        iri = rec["article"]
        if not _is_iri(iri):
            problems.append(violation(where, "article", _s(iri),
                                      "'article' must be the IRI of an article in the graph",
                                      constraint="record"))
            return None
        article = stored_article(store, iri)
        if article is None:
            problems.append(violation(where, "article", iri,
                                      f"article {iri} is not in the graph; give its IRI as stored, "
                                      "or send its text as article_text with article_meta",
                                      constraint="evidence"))
            return None
        return article, True
    text = rec.get("article_text")
    if not isinstance(text, str):
        problems.append(violation(where, "article", None,
                                  "a fact record must name its article: 'article' (the IRI of an "
                                  "article in the graph) or 'article_text' with 'article_meta'",
                                  constraint="evidence"))
        return None
    meta = rec.get("article_meta")
    if meta is not None and not isinstance(meta, dict):
        problems.append(violation(where, "article_meta", None,
                                  "'article_meta' must be an object (title, outlet, published, "
                                  "url, ...)", constraint="record"))
        return None
    if meta is None:
        meta = {k: rec[k] for k in ("title", "outlet", "author", "published", "url",
                                    "published_precision", "language") if k in rec}
    try:
        article = article_from_text(text, meta=meta, name=where)
    except ArticleError as err:
        problems.append(violation(where, "article_text", None, err.message, constraint="evidence"))
        return None
    return article, stored_article(store, article.iri) is not None


def _record_claim(rec: dict, names: "_EntityNames", where: str,
                  problems: list[dict]) -> Claim | None:
    before = len(problems)

    def bad(key: str, message: str) -> None:
        problems.append(violation(where, key, _s(rec.get(key)), message, constraint="record"))

    for key, allowed in (("type", EVENT_TYPES), ("status", STATUSES)):
        if rec.get(key, "reported" if key == "status" else None) not in allowed:
            bad(key, f"'{key}' must be one of {', '.join(allowed)}")
    if not isinstance(rec.get("actor"), str) or not rec["actor"].strip():
        bad("actor", "'actor' must name who does it (a state, person or body)")
    if not isinstance(rec.get("quote"), str) or not rec["quote"]:
        bad("quote", "'quote' must be the exact words of the article that state the fact")
    for key in ("start", "end"):
        if not isinstance(rec.get(key), int) or isinstance(rec.get(key), bool) or rec[key] < 0:
            bad(key, f"'{key}' must be a character offset into the article text "
                     "(a non-negative integer; end is exclusive)")
    for key in ("target", "claimed_by", "via", "location", "item", "event_time"):
        if rec.get(key) is not None and not isinstance(rec[key], str):
            bad(key, f"'{key}' must be a string (or left out)")
    signatories = rec.get("signatories")
    if signatories is not None and (not isinstance(signatories, list)
                                    or not all(isinstance(x, str) for x in signatories)):
        bad("signatories", "'signatories' must be a list of names")
    quantity = _record_quantity(rec.get("quantity"), bad)
    counts = {}
    if rec.get("counts") is not None and not isinstance(rec["counts"], dict):
        bad("counts", f"counts must be an object mapping {', '.join(COUNT_KINDS)} to numbers")
    for kind, n in (rec.get("counts") if isinstance(rec.get("counts"), dict) else {}).items():
        if kind not in COUNT_KINDS or not isinstance(n, (int, float)) or isinstance(n, bool):
            bad("counts", f"counts must map {', '.join(COUNT_KINDS)} to numbers")
            break
        counts[kind] = Quantity(text=str(n), qualifier="exact", value=n)
    if len(problems) > before:
        return None
    time = rec.get("event_time")
    return Claim(
        type=rec["type"], actor=names.entity(rec["actor"], "Agent"), quote=rec["quote"],
        start=rec["start"], end=rec["end"], status=rec.get("status", "reported"),
        target=names.entity(rec["target"], "Place") if rec.get("target") else None,
        item=rec.get("item") or None, quantity=quantity, counts=counts,
        event_time=TimeSpec(text=time, normalized=time) if isinstance(time, str) and time else None,
        claimed_by=names.source(rec["claimed_by"]) if rec.get("claimed_by") else None,
        via=tuple(names.entity(v.strip(), "NewsOutlet")
                  for v in (rec.get("via") or "").split(" / ") if v.strip()),
        signatories=tuple(names.entity(s, "Person") for s in rec.get("signatories") or ()),
        location=names.entity(rec["location"], "Place") if rec.get("location") else None,
    )


def _is_iri(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def _record_quantity(q, bad) -> Quantity | None:
    if q is None:
        return None
    if not isinstance(q, dict) or q.get("qualifier") not in HEDGES:
        bad("quantity", "quantity must be an object with a qualifier: " + ", ".join(HEDGES))
        return None
    nums = {k: q.get(k) for k in ("value", "lower", "upper")}
    if any(v is not None and (not isinstance(v, (int, float)) or isinstance(v, bool))
           for v in nums.values()):
        bad("quantity", "quantity value, lower and upper must be numbers or null")
        return None
    if q.get("text") is not None and not isinstance(q["text"], str):
        bad("quantity", "quantity text must be a string")
        return None
    text = q.get("text") or " ".join(str(v) for v in (nums["value"], nums["upper"]) if v is not None)
    return Quantity(text=text or q["qualifier"], qualifier=q["qualifier"], value=nums["value"],
                    lower=nums["lower"], upper=nums["upper"])


class _EntityNames:
    """Names in fact records -> reference entities of the stored entities graph."""

    QUERY = """SELECT ?e ?type ?name WHERE { GRAPH <%s> { ?e ?lp ?label ; a ?type }
        FILTER(?lp IN (rdfs:label, skos:altLabel, skos:prefLabel)
               && LCASE(STR(?label)) = ?name) } LIMIT 1""" % iris.ENTITIES_GRAPH

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[str, tuple[str, str] | None] = {}

    def lookup(self, name: str) -> tuple[str, str] | None:
        key = name.strip().lower()
        if key not in self.cache:
            rows = list(self.store.query(
                "PREFIX rdfs: <%s> PREFIX skos: <%s> %s" % (RDFS, SKOS, self.QUERY),
                bindings={"name": ox.Literal(key)}))
            self.cache[key] = (rows[0]["e"].value, rows[0]["type"].value) if rows else None
        return self.cache[key]

    def entity(self, name: str, default_kind: str) -> Entity:
        found = self.lookup(name)
        if found:
            kind = found[1].removeprefix(iris.ONTOLOGY)
            return Entity(label=name, kind=kind if kind in ENTITY_KINDS else default_kind,
                          iri=found[0])
        return Entity(label=name, kind=default_kind)

    def source(self, name: str) -> Entity:
        if self.lookup(name) is None and re.match(r"(?i)(a|an|some|two|three|several)\s", name):
            return Entity(label=name, kind="AnonymousSource")
        return self.entity(name, "Organization")


def stored_article(store: Store, iri: str) -> Article | None:
    """An article already in the graph (text and metadata), or None."""
    rows = list(store.query(
        f"""SELECT ?a ?text ?headline ?published WHERE {{ GRAPH ?g {{
              ?a a <{KG.Article}> ; <{SDO.text}> ?text .
              OPTIONAL {{ ?a <{SDO.headline}> ?headline }}
              OPTIONAL {{ ?a <{SDO.datePublished}> ?published }} }}
              FILTER(STRSTARTS(STR(?g), "{ARTICLE_GRAPH_PREFIX}")) }} LIMIT 1""",
        bindings={"a": ox.NamedNode(iri)}))
    if not rows:
        return None
    row = rows[0]
    published = row["published"]
    try:
        day = dt.date.fromisoformat(published.value[:10]) if published is not None else None
    except ValueError:
        day = None
    return Article(text=row["text"].value,
                   title=row["headline"].value if row["headline"] is not None else None,
                   published=day)


# ---------------------------------------------------------------- the neighbourhood

def submission_iris(graph: rdflib.Graph) -> set[URIRef]:
    """Every IRI a submission mentions as subject or object (not predicates, not datatypes)."""
    out = {s for s in graph.subjects() if isinstance(s, URIRef)}
    out |= {o for o in graph.objects() if isinstance(o, URIRef)}
    return out


def neighbourhood(store: Store, graph: rdflib.Graph) -> rdflib.Graph:
    """The stored triples about the IRIs the submission mentions, from outside staging graphs.

    One bounded CONSTRUCT with VALUES: the cited articles with their schema:text, the types,
    labels and other statements of referenced entities. Pending submissions are not included.
    """
    values = " ".join(f"<{i}>" for i in sorted(submission_iris(graph))
                      if str(i).startswith(iris.ID) and _plain_iri(i))
    out = rdflib.Graph()
    if not values:
        return out
    triples = store.query(
        f"""CONSTRUCT {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {values} }}
              GRAPH ?g {{ ?x ?p ?o }} FILTER(!STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}""")
    for t in triples:
        out.add((_term(t.subject), _term(t.predicate), _term(t.object)))
    return out


def _plain_iri(i: URIRef) -> bool:
    # IRIs that cannot be written between <> in SPARQL are refused by the parser anyway
    return not any(c in str(i) for c in '<>"{}|^`\\ ')


def _homes(store: Store, subjects: Iterable[URIRef]) -> dict[str, set[str]]:
    """For each subject: the non-staging graphs it is described in."""
    values = " ".join(f"<{s}>" for s in sorted(subjects) if _plain_iri(s))
    homes: dict[str, set[str]] = {}
    if not values:
        return homes
    for row in store.query(
            f"""SELECT DISTINCT ?x ?g WHERE {{ VALUES ?x {{ {values} }}
                  GRAPH ?g {{ ?x ?p ?o }} FILTER(!STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}"""):
        homes.setdefault(row["x"].value, set()).add(row["g"].value)
    return homes


@lru_cache(maxsize=1)
def ontology() -> rdflib.Graph:
    """The ontology (class and property hierarchy, ranges), read once from ontology/kg.ttl."""
    return load_graph(resources.ONTOLOGY_FILE)


# ---------------------------------------------------------------- checks

def check_content(sub: Submission, *, stored: set = frozenset()) -> list[dict]:
    """Something to review: not empty; every subject a node of the graph's own space
    (``…/id/``: claims, articles, entities, sources) or a blank node inside the submission;
    and every subject part of a claim of the submission (reachable from it: its event,
    evidence, article, the new entities it names) or a node of the graph (``stored``: e.g. a
    label for an entity the graph has)."""
    if not len(sub.graph):
        if sub.problems or sub.repeats:
            return []  # the records' own problems say why nothing came of them, or all is stored
        return [violation(None, None, None, "the submission holds no triples: send claims "
                          "(RDF or fact records) to review", constraint="content")]
    found = []
    outside = set()
    for s in sorted({s for s in sub.graph.subjects() if isinstance(s, URIRef)}):
        if not str(s).startswith(iris.ID):
            outside.add(s)
            found.append(violation(s, None, None, f"{clip(str(s), 120)} is not a node of this "
                                   f"graph: a submission describes claims, their articles and "
                                   f"the entities and sources they name, all under {iris.ID} "
                                   "(or blank nodes)", constraint="content"))
    reached = _reachable(sub.graph, set(sub.graph.subjects(RDF.type, KG.Claim)))
    for s in sorted(set(sub.graph.subjects()) - reached - stored - outside, key=str):
        found.append(violation(s if isinstance(s, URIRef) else None, None, None,
                               f"{clip(str(s), 120) if isinstance(s, URIRef) else 'a blank node'}"
                               " is neither part of a claim of the submission nor a node of the "
                               "graph: send it with the claim that names it", constraint="content"))
    return found


def _reachable(graph: rdflib.Graph, start: set) -> set:
    """The nodes reached from ``start`` along the graph's triples (subject to object)."""
    seen, todo = set(start), list(start)
    while todo:
        for o in graph.objects(todo.pop(), None):
            if isinstance(o, (URIRef, BNode)) and o not in seen:
                seen.add(o)
                todo.append(o)
    return seen


def check_tampering(store: Store, sub: Submission) -> list[dict]:
    """Only the own staging graph; nothing about stored articles, claims, ontology, shapes."""
    found = []
    for name in sorted(sub.graph_names - {sub.staging_graph}):
        found.append(violation(name, None, None,
                               f"a submission may not write to graph {name}; send plain triples "
                               "(Turtle, N-Triples) or only the default graph", constraint="tampering"))
    subjects = {s for s in sub.graph.subjects() if isinstance(s, URIRef)}
    homes = _homes(store, subjects)
    protected = (iris.ONTOLOGY_GRAPH, iris.SHAPES_GRAPH)
    for s in sorted(subjects):
        where = homes.get(str(s), set())
        if str(s).startswith(iris.ONTOLOGY) or str(s) == iris.ONTOLOGY_IRI or where & set(protected):
            found.append(violation(s, None, None, f"{s} is an ontology term or shape; a submission "
                                   "may not change the ontology or the shapes", constraint="tampering"))
        elif str(s).startswith(sub.iri + "/node/"):
            continue  # its own blank nodes, as stored (``_skolemized``): checked on accept
        elif str(s).startswith((iris.ID + "submission/", AGENT_PREFIX)):
            found.append(violation(s, None, None, f"{s} is a submission record or submitter; only "
                                   "the service writes those", constraint="tampering"))
        elif any(g.startswith((ARTICLE_GRAPH_PREFIX, ACCEPTED_PREFIX)) for g in where) and (
                str(s).startswith(iris.ID + "article/") or str(s).startswith(iris.ID + "claim/")):
            found.append(violation(s, None, None, f"{s} is already in the graph (an article or one of "
                                   "its claims); a submission may add new claims but not change "
                                   "stored ones", constraint="tampering"))
    for s, p, o in sub.graph:
        if str(p).startswith(str(SH)) or (p == RDF.type and str(o).startswith(str(SH))):
            service = isinstance(o, Literal) and _SERVICE.search(str(o))
            found.append(violation(s, p, o if service else None,
                                   "a SPARQL SERVICE call is not allowed: validation never reaches "
                                   "the network" if service else
                                   "a submission may not carry SHACL shapes or constraints",
                                   constraint="tampering"))
        elif p == OWL.imports:
            found.append(violation(s, p, o, "owl:imports is not allowed in a submission; "
                                   "nothing is fetched from the network", constraint="tampering"))
        elif p in (PROV.wasAttributedTo, FROM_SUBMISSION):
            found.append(violation(s, p, o, f"{_short(p)} is set by the service when a submission "
                                   "is accepted (the submitter becomes the source); leave it out",
                                   constraint="tampering"))
    return _dedupe(found)


def check_evidence(data: rdflib.Graph, sub: Submission, stored: set[str]) -> list[dict]:
    """Quotes match the cited article's text at their offsets; unknown articles come with text."""
    found = []
    for evidence, source in sub.graph.subject_objects(OA.hasSource):
        text = data.value(source, SDO.text)
        if text is None:
            found.append(violation(evidence, OA.hasSource, source,
                                   f"article {source} is not in the graph; a claim citing a new "
                                   "article must carry it: kg:Article with schema:text, headline, "
                                   "publisher and datePublished", constraint="evidence"))
            continue
        text = str(text)
        exact, start, end, quote_node, pos_node = None, None, None, None, None
        for sel in sub.graph.objects(evidence, OA.hasSelector):
            if (sel, OA.exact, None) in sub.graph:
                quote_node, exact = sel, str(sub.graph.value(sel, OA.exact))
            if (sel, OA.start, None) in sub.graph:
                pos_node = sel
                start, end = _int(sub.graph.value(sel, OA.start)), _int(sub.graph.value(sel, OA.end))
        if exact is None:
            continue  # the shapes say a quote is required
        if start is None or end is None:
            if exact not in text:
                found.append(violation(quote_node, OA.exact, exact,
                                       f"the quote is not in the text of {source}",
                                       constraint="evidence"))
        elif not 0 <= start <= end <= len(text):
            found.append(violation(pos_node, OA.end, end,
                                   f"offsets {start}..{end} lie outside the text of {source} "
                                   f"({len(text)} characters)", constraint="evidence"))
        elif text[start:end] != exact:
            at = text.find(exact)
            hint = (f"; the quote is found at {at}..{at + len(exact)}" if at >= 0
                    else "; the quote is not in the text at all")
            found.append(violation(quote_node, OA.exact, exact,
                                   f"the quote does not match the text of {source} at {start}..{end}, "
                                   f"which reads {text[start:end][:80]!r}{hint}",
                                   constraint="evidence"))
    for article in set(sub.graph.subjects(RDF.type, KG.Article)):
        if str(article) in stored:
            continue
        text = sub.graph.value(article, SDO.text)
        if text is not None and str(article) != iris.article_iri(iris.article_id(str(text))):
            found.append(violation(article, SDO.text, None,
                                   "a new article's IRI is derived from its text: it must be "
                                   f"{iris.article_iri(iris.article_id(str(text)))}",
                                   constraint="evidence"))
    return found


def check_references(data: rdflib.Graph, sub: Submission) -> list[dict]:
    """IRIs into …/id/ resolve (stored or submitted) to a resource of the range's class."""
    onto = ontology()
    found = []
    described = set(data.subjects())
    for s, p, o in sub.graph:
        if not isinstance(o, URIRef) or not str(o).startswith(iris.ID) or p == RDF.type:
            continue
        if o not in described:
            found.append(violation(s, p, o, f"{o} does not resolve: it is neither in the graph nor "
                                   "described in the submission", constraint="reference"))
            continue
        for rng in onto.objects(p, RDFS.range):
            if isinstance(rng, URIRef) and not str(rng).startswith(str(XSD)) \
                    and not _has_class(data, onto, o, rng):
                found.append(violation(s, p, o, f"{o} is not a {_short(rng)}, which {_short(p)} "
                                       "expects", constraint="reference"))
    return _dedupe(found)


def _has_class(data: rdflib.Graph, onto: rdflib.Graph, node, cls) -> bool:
    for t in data.objects(node, RDF.type):
        if t == cls or cls in onto.transitive_objects(t, RDFS.subClassOf):
            return True
    return False


def _short(term) -> str:
    return str(term).replace(iris.ONTOLOGY, "kg:")


def _int(lit) -> int | None:
    try:
        return int(lit)
    except (TypeError, ValueError):
        return None


def _dedupe(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for v in items:
        key = (v["focus"], v["path"], v["value"], v["message"])
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


# ---------------------------------------------------------------- validation

def validate_submission(store: Store, body: bytes, media_type: str, *,
                        max_blank_nodes: int = MAX_BLANK_NODES) -> Report:
    """Parse and validate a body against the shapes and the graph it touches; stores nothing."""
    return _validate(store, read_submission(store, body, media_type,
                                            max_blank_nodes=max_blank_nodes))


def validate_graph(store: Store, graph: rdflib.Graph) -> Report:
    """Validate triples as if they were submitted (e.g. stored submissions, for audits)."""
    return _validate(store, Submission(graph=graph, media_type="application/n-triples",
                                       digest=content_digest(graph)))


def _validate(store: Store, sub: Submission, *, with_shapes: bool = True) -> Report:
    from .shapes import validate  # the shapes module is the step this one builds on

    found = list(sub.problems)
    near = neighbourhood(store, sub.graph)
    found += check_content(sub, stored=set(near.subjects()))
    found += check_tampering(store, sub)
    data = rdflib.Graph()
    data += sub.graph
    data += near
    stored = {str(s) for s in near.subjects(RDF.type, KG.Article)}
    found += check_evidence(data, sub, stored)
    found += check_references(data, sub)
    mine = {str(s) for s in sub.graph.subjects()}
    if not with_shapes or not len(sub.graph):  # nothing for the shapes to look at
        report = _report(found, rdflib.Graph(), mine)
    else:
        shape_report = validate(data)
        # results about stored nodes of the neighbourhood are not the submitter's to fix
        kept = [v for v in shape_report.violations
                if v.get("focus") in mine or not str(v.get("focus", "")).startswith("http")]
        report = _report(found + kept, shape_report.graph, mine)
    report.repeats = list(sub.repeats)
    return report


def _report(violations: list[dict], shape_graph: rdflib.Graph, mine: set[str]) -> Report:
    """One SHACL validation report: the shapes' results on the submission plus these checks."""
    violations = [_clipped(v) for v in violations]
    g = rdflib.Graph()
    g.bind("sh", SH)
    node = BNode()
    g.add((node, RDF.type, SH.ValidationReport))
    for result in shape_graph.subjects(RDF.type, SH.ValidationResult):
        focus = shape_graph.value(result, SH.focusNode)
        if focus is not None and (str(focus) in mine or not isinstance(focus, URIRef)):
            g.add((node, SH.result, result))
            for rs, rp, ro in shape_graph.triples((result, None, None)):
                if isinstance(ro, Literal) and len(ro) > CLIP:
                    ro = Literal(clip(str(ro)))
                g.add((rs, rp, ro))
    for v in violations:
        if v["constraint"] in ("tampering", "evidence", "reference", "record", "content"):
            result = BNode()
            g.add((node, SH.result, result))
            g.add((result, RDF.type, SH.ValidationResult))
            g.add((result, SH.resultSeverity, SH.Violation))
            g.add((result, SH.resultMessage, Literal(v["message"])))
            if v["focus"] is not None:
                g.add((result, SH.focusNode, _node(v["focus"])))
            if v["path"]:
                g.add((result, SH.resultPath, _node(v["path"])))
            if v["value"] is not None:
                g.add((result, SH.value, _node(v["value"])))
    text = "Conforms" if not violations else "\n".join(
        f"{v['severity']}: {v['message']} (focus {v['focus']}, path {v['path']})" for v in violations)
    conforms = not any(v["severity"] == str(SH.Violation) for v in violations)
    g.set((node, SH.conforms, Literal(conforms)))
    return Report(conforms=conforms, violations=violations, text=text, graph=g)


def _node(value: str):
    return URIRef(value) if value.startswith(("http://", "https://", "urn:")) else Literal(value)


# ---------------------------------------------------------------- storing

def agent_iri(submitter: str) -> str:
    """The PROV agent that stands for a submitter (a token's owner)."""
    return AGENT_PREFIX + iris.slug(submitter)


def submit(store: Store, body: bytes, media_type: str, *, submitter: str,
           max_blank_nodes: int = MAX_BLANK_NODES,
           now: dt.datetime | None = None) -> SubmissionResult:
    """Validate and, if it conforms, store the submission whole; ShapeViolation if it does not.

    The same content sent again is stored once: the result then has ``created=False``. So
    has a submission that only states claims already in the graph: nothing is stored, and the
    result names those claims.
    """
    sub = read_submission(store, body, media_type, max_blank_nodes=max_blank_nodes)
    if sub.repeats and not sub.problems and _nothing_new(store, sub.graph):
        return SubmissionResult(sub.repeats[0], created=False, claims=tuple(sub.repeats))
    if _status(store, sub.iri) is not None:
        return SubmissionResult(sub.iri, created=False, claims=tuple(sub.repeats))
    report = _validate(store, sub)  # outside the lock: validations run side by side
    if not report.conforms:
        raise ShapeViolation(f"the submission does not conform: {len(report.violations)} "
                             "violation(s)", violations=report.violations,
                             report_text=report.text)
    with _WRITE_LOCK:
        if _status(store, sub.iri) is not None:
            return SubmissionResult(sub.iri, created=False, claims=tuple(sub.repeats))
        # the content first: a crash between the two leaves content without a record (dropped
        # by ``tidy``), never a pending record without its content
        store.staging.replace_graphs({sub.staging_graph: _skolemized(sub)})
        store.update(_record_update(sub, submitter, now or dt.datetime.now(dt.timezone.utc)),
                     changed=[iris.SUBMISSIONS_GRAPH])
    return SubmissionResult(sub.iri, created=True, claims=tuple(sub.repeats))


def _nothing_new(store: Store, graph: rdflib.Graph) -> bool:
    """Every triple (left after the repeated claims) is stored already: entity labels, types."""
    if any(isinstance(t, BNode) for triple in graph for t in triple):
        return False
    near = neighbourhood(store, graph)
    return all(_stored(t, near) for t in graph)


def _stored(triple: tuple, near: rdflib.Graph) -> bool:
    """The triple is among the stored ones, literals compared by value: the store keeps
    ``"41"^^xsd:nonNegativeInteger`` as ``41`` (xsd:integer)."""
    s, p, o = triple
    if not isinstance(o, Literal):
        return triple in near
    return any(isinstance(x, Literal) and (x == o or _same_number(x, o))
               for x in near.objects(s, p))


def _same_number(a: Literal, b: Literal) -> bool:
    va, vb = a.toPython(), b.toPython()
    numbers = (int, float, Decimal)
    return (isinstance(va, numbers) and isinstance(vb, numbers)
            and not isinstance(va, bool) and not isinstance(vb, bool) and va == vb)


def _record_update(sub: Submission, submitter: str, when: dt.datetime) -> str:
    """The submission's record, written only if absent."""
    record = rdflib.Graph()
    s, agent = URIRef(sub.iri), URIRef(agent_iri(submitter))
    record.add((s, RDF.type, SUBMISSION))
    record.add((s, RDF.type, PROV.Entity))
    record.add((s, PROV.wasAttributedTo, agent))
    record.add((s, PROV.generatedAtTime, Literal(when.isoformat(), datatype=XSD.dateTime)))
    record.add((s, SUBMISSION_STATUS, STATUS_TERMS["pending"]))
    record.add((s, STAGING_GRAPH, URIRef(sub.staging_graph)))
    record.add((s, TRIPLE_COUNT, Literal(len(sub.graph))))
    record.add((agent, RDF.type, PROV.Agent))
    record.add((agent, RDFS.label, Literal(submitter)))
    return (f"INSERT {{ GRAPH <{iris.SUBMISSIONS_GRAPH}> {{\n{record.serialize(format='nt')}\n}} }}\n"
            f"WHERE {{ FILTER NOT EXISTS {{ GRAPH <{iris.SUBMISSIONS_GRAPH}> "
            f"{{ <{sub.iri}> a <{SUBMISSION}> }} }} }}")


def _canonical(graph: rdflib.Graph) -> ox.Dataset:
    """The graph as an Oxigraph dataset with its blank nodes relabelled by RDFC-1.0 (W3C RDF
    Dataset Canonicalization): c14n0, c14n1, ..."""
    data = graph.serialize(format="nt", encoding="utf-8")
    dataset = ox.Dataset(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def _skolemized(sub: Submission) -> str:
    """N-Triples of the content; blank nodes become IRIs under the submission (stable, no bnodes)."""
    if not any(isinstance(t, BNode) for tr in sub.graph for t in tr):
        return sub.graph.serialize(format="nt")

    def skolem(t):
        return ox.NamedNode(f"{sub.iri}/node/{t.value}") if isinstance(t, ox.BlankNode) else t

    triples = [ox.Triple(skolem(q.subject), q.predicate, skolem(q.object))
               for q in _canonical(sub.graph)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def _status(store: Store, iri: str) -> str | None:
    rows = list(store.query(
        f"SELECT ?s ?st WHERE {{ GRAPH <{iris.SUBMISSIONS_GRAPH}> {{ ?s <{SUBMISSION_STATUS}> ?st }} }}",
        bindings={"s": ox.NamedNode(iri)}))
    return STATUS_OF_TERM.get(rows[0]["st"].value) if rows else None


def _iri_of(sid: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{8,64}", sid or ""):
        raise SubmissionNotFound(f"no submission {sid!r}: ids are hex digests")
    return iris.submission_iri(sid)


def accept(store: Store, sid: str) -> dict:
    """Move a pending submission into the main graph, attributed to its submitter (one update).

    The checks that depend on the stored graph (evidence, references, tampering) run again
    first, against the graph as it is now; the content itself passed the shapes when submitted.
    (Stored literals come back canonicalised by Oxigraph, e.g. xsd:nonNegativeInteger as
    xsd:integer, so the shapes are not run again on the stored copy.)
    """
    iri = _iri_of(sid)
    with _WRITE_LOCK:
        rec = get(store, sid)
        if rec["status"] == "accepted":
            return rec
        if rec["status"] != "pending":
            raise SubmissionConflict(f"submission {sid} is {rec['status']}; only a pending "
                                     "submission can be accepted")
        staging, accepted = iris.submission_graph(sid), ACCEPTED_PREFIX + sid
        content = store.staging.graph(staging)
        if not len(content):
            raise SubmissionConflict(f"submission {sid} is pending but its content is not in "
                                     "the staging store; reject it, or have it sent again")
        sub = Submission(graph=content, media_type="application/n-triples", digest=sid,
                         graph_names=set())
        report = _validate(store, sub, with_shapes=False)
        if not report.conforms:
            raise ShapeViolation(f"submission {sid} no longer conforms to the graph: "
                                 f"{len(report.violations)} violation(s)",
                                 violations=report.violations, report_text=report.text)
        agent = URIRef(rec["submitter_iri"])
        for claim in set(content.subjects(RDF.type, KG.Claim)):
            content.add((claim, PROV.wasAttributedTo, agent))
            content.add((claim, FROM_SUBMISSION, URIRef(iri)))
        store.update(replace_graphs_update({accepted: content}) + " ;\n"
                     + _status_update(iri, "accepted", {ACCEPTED_GRAPH: URIRef(accepted)}),
                     changed=[accepted, iris.SUBMISSIONS_GRAPH])
        store.staging.drop_graphs([staging])  # after the record: see the module's docstring
    return get(store, sid)


def reject(store: Store, sid: str, reason: str) -> dict:
    """Mark a pending submission rejected, keep the reason, drop its staged content (one update)."""
    iri = _iri_of(sid)
    if not reason or not reason.strip():
        raise InputError("give a reason for rejecting the submission")
    with _WRITE_LOCK:
        rec = get(store, sid)
        if rec["status"] != "pending":
            raise SubmissionConflict(f"submission {sid} is {rec['status']}; only a pending "
                                     "submission can be rejected")
        store.update(_status_update(iri, "rejected", {REJECTION_REASON: Literal(reason.strip())}),
                     changed=[iris.SUBMISSIONS_GRAPH])
        store.staging.drop_graphs([iris.submission_graph(sid)])
    return get(store, sid)


def _status_update(iri: str, status: str, extra: dict) -> str:
    adds = " ".join(f"<{iri}> <{p}> {o.n3()} ." for p, o in extra.items())
    return (f"DELETE {{ GRAPH <{iris.SUBMISSIONS_GRAPH}> {{ <{iri}> <{SUBMISSION_STATUS}> ?old }} }}\n"
            f"INSERT {{ GRAPH <{iris.SUBMISSIONS_GRAPH}> {{ <{iri}> <{SUBMISSION_STATUS}> "
            f"<{STATUS_TERMS[status]}> . {adds} }} }}\n"
            f"WHERE {{ GRAPH <{iris.SUBMISSIONS_GRAPH}> {{ <{iri}> <{SUBMISSION_STATUS}> ?old }} }}")


# ---------------------------------------------------------------- reading records

_RECORDS = f"""SELECT ?s ?status ?agent ?name ?when ?reason ?n WHERE {{
  GRAPH <{iris.SUBMISSIONS_GRAPH}> {{
    ?s a <{SUBMISSION}> ; <{SUBMISSION_STATUS}> ?status ; <{PROV.wasAttributedTo}> ?agent ;
       <{PROV.generatedAtTime}> ?when .
    OPTIONAL {{ ?agent <{RDFS.label}> ?name }}
    OPTIONAL {{ ?s <{REJECTION_REASON}> ?reason }}
    OPTIONAL {{ ?s <{TRIPLE_COUNT}> ?n }} }} }}"""


def _record(row) -> dict:
    iri = row["s"].value
    sid = iri.rsplit("/", 1)[-1]
    status = STATUS_OF_TERM.get(row["status"].value, row["status"].value)
    rec = {"id": sid, "iri": iri, "status": status,
           "submitter": row["name"].value if row["name"] is not None else None,
           "submitter_iri": row["agent"].value, "submitted": row["when"].value,
           "triples": int(row["n"].value) if row["n"] is not None else None,
           "graph": (ACCEPTED_PREFIX + sid) if status == "accepted"
           else None if status == "rejected" else iris.submission_graph(sid)}
    if row["reason"] is not None:
        rec["reason"] = row["reason"].value
    return rec


def list_submissions(store: Store, *, status: str | None = None) -> list[dict]:
    """Every submission record, newest first (optionally only those with ``status``)."""
    if status is not None and status not in STATUS_TERMS:
        raise InputError(f"status must be one of {', '.join(STATUS_TERMS)}")
    bindings = {"status": ox.NamedNode(str(STATUS_TERMS[status]))} if status else None
    recs = [_record(r) for r in store.query(_RECORDS, bindings=bindings)]
    return sorted(recs, key=lambda r: (r["submitted"], r["id"]), reverse=True)


def get(store: Store, sid: str) -> dict:
    """One submission record; SubmissionNotFound if there is none."""
    iri = _iri_of(sid)
    rows = list(store.query(_RECORDS, bindings={"s": ox.NamedNode(iri)}))
    if not rows:
        raise SubmissionNotFound(f"no submission {sid}", where=iri)
    return _record(rows[0])


def content(store: Store, sid: str) -> rdflib.Graph:
    """What a submission holds now: staged (pending), accepted, or nothing (rejected)."""
    rec = get(store, sid)
    if rec["status"] == "pending":
        return store.staging.graph(rec["graph"])
    return store.graph(rec["graph"]) if rec["graph"] else rdflib.Graph()


def is_staging_graph(name: str) -> bool:
    """A graph of the staging store: one pending submission's content."""
    return name.startswith(STAGING_PREFIX)


def _served_staging_graphs(store: Store, pending: set[str]) -> list[str]:
    """The pending submissions' graphs that the served store holds. Asked graph by graph
    when they are few: listing every named graph of a large store takes a while (0.2-0.4 s
    at 10M triples), and this runs at every start, before the service answers."""
    staged = sorted(g for g in pending if g and is_staging_graph(g))
    if len(staged) <= 100:
        return [g for g in staged if store.has_graph(g)]
    return [g for g in store.named_graphs() if g in pending]


def tidy(store: Store) -> dict[str, int]:
    """Put the staging store in order after a crash or an upgrade; say what was done.

    Staging graphs in the served store (written there before the staging store existed) move
    to the staging store if their submission is pending; staged content whose submission is
    not pending (a crash between the two writes of ``submit``, ``accept`` or ``reject``) is
    dropped. Staging graphs in the served store that no pending record names are left alone:
    only a write-token holder can have put them there.
    """
    done = {"moved": 0, "dropped": 0}
    with _WRITE_LOCK:  # no submit, accept or reject between reading the records and writing
        pending = {r["graph"] for r in list_submissions(store, status="pending")}
        for name in _served_staging_graphs(store, pending):
            store.staging.replace_graphs({name: store.graph(name)})
            store.drop_graphs([name])
            done["moved"] += 1
        leftovers = [g for g in store.staging.named_graphs() if g not in pending]
        store.staging.drop_graphs(leftovers)
        done["dropped"] = len(leftovers)
    return done
