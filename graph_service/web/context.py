"""JSON-LD with a context: ``/context.jsonld`` and compacted output.

The context is built from the ontology (``ontology/kg.ttl``): every kg: class and property is
a short term (``Claim``, ``actor``, ``reportedOn``), object properties are typed ``@id`` and
datatype properties with a date, number or boolean range carry that datatype; the standard
terms the graph uses (``label``, ``wasDerivedFrom``, ``exact``, ``headline``, …) are short
terms too, and the standard prefixes (kg, prov, oa, schema, …) and one prefix per kind of
minted IRI (``claim:``, ``entity:``, ``article:``, …) make compact IRIs.

Linked-data documents and CONSTRUCT/DESCRIBE results in JSON-LD are compacted against it with
pyld: one object per node under ``@graph``, ``"@context"`` naming ``/context.jsonld``. A
request whose Accept names the expanded profile
(``application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"``) gets expanded
JSON-LD. Past ``COMPACT_LIMIT`` triples, compaction (pure Python) would take too long: the
answer is then expanded JSON-LD as Oxigraph writes it.

The JSON API's records are not RDF terms but JSON with keys of their own (``claim``,
``reported_on``, ``iri``): ``/api/context.jsonld`` maps the keys whose meaning is an
ontology term, and every API answer links to it (``Link: <…>; rel="…json-ld#context"``),
so that a JSON-LD processor turns the records into RDF.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from flask import Blueprint, Response, current_app, request
from pyld import jsonld
from rdflib.namespace import OWL, RDF, RDFS

from .. import iris
from ..resources import ONTOLOGY_FILE

bp = Blueprint("context", __name__)

MEDIA_TYPE = "application/ld+json"
EXPANDED = "http://www.w3.org/ns/json-ld#expanded"
CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
COMPACT_LIMIT = 20_000
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES = {
    "kg": iris.ONTOLOGY,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "time": "http://www.w3.org/2006/time#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": "http://www.wikidata.org/entity/",
}
# Minted IRIs as compact IRIs: claim:1fa4ddbd94deeae2, entity:north-korea, graph:events.
MINTED = {kind: iris.ID + kind + "/"
          for kind in ("claim", "entity", "source", "article", "event", "submission")}
MINTED["graph"] = iris.GRAPH

# Standard terms the graph uses, as short terms: term -> (prefixed IRI, type coercion).
STANDARD_TERMS = {
    "label": ("rdfs:label", None), "comment": ("rdfs:comment", None),
    "subClassOf": ("rdfs:subClassOf", "@id"), "subPropertyOf": ("rdfs:subPropertyOf", "@id"),
    "domain": ("rdfs:domain", "@id"), "range": ("rdfs:range", "@id"),
    "seeAlso": ("rdfs:seeAlso", "@id"),
    "sameAs": ("owl:sameAs", "@id"),
    "prefLabel": ("skos:prefLabel", None), "altLabel": ("skos:altLabel", None),
    "inScheme": ("skos:inScheme", "@id"), "definition": ("skos:definition", None),
    "wasDerivedFrom": ("prov:wasDerivedFrom", "@id"),
    "wasAttributedTo": ("prov:wasAttributedTo", "@id"),
    "qualifiedAttribution": ("prov:qualifiedAttribution", "@id"),
    "agent": ("prov:agent", "@id"), "hadRole": ("prov:hadRole", "@id"),
    "generatedAtTime": ("prov:generatedAtTime", "xsd:dateTime"),
    "hasSource": ("oa:hasSource", "@id"), "hasSelector": ("oa:hasSelector", "@id"),
    "exact": ("oa:exact", None), "prefix": ("oa:prefix", None), "suffix": ("oa:suffix", None),
    "start": ("oa:start", "xsd:nonNegativeInteger"), "end": ("oa:end", "xsd:nonNegativeInteger"),
    "headline": ("schema:headline", None), "datePublished": ("schema:datePublished", "xsd:date"),
    "publisher": ("schema:publisher", "@id"), "author": ("schema:author", None),
    "url": ("schema:url", "@id"), "inLanguage": ("schema:inLanguage", None),
    "text": ("schema:text", None), "description": ("schema:description", None),
}
_TYPED_RANGES = {"date", "dateTime", "integer", "nonNegativeInteger", "decimal", "boolean",
                 "double", "gYear", "gYearMonth"}


@functools.cache
def context() -> dict:
    """The context object (the value of ``@context``), built once from the ontology."""
    g = rdflib.Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    ctx: dict = {"@version": 1.1, "id": "@id", "type": "@type", **PREFIXES, **MINTED}
    for term, (iri, kind) in STANDARD_TERMS.items():
        ctx[term] = {"@id": iri, "@type": kind} if kind else iri
    kinds = {"class": {OWL.Class, RDFS.Class}, "object": {OWL.ObjectProperty},
             "data": {OWL.DatatypeProperty}, "annotation": {OWL.AnnotationProperty}}
    found: dict[str, tuple[str, str | None]] = {}
    for s, _, o in g.triples((None, RDF.type, None)):
        name = str(s)[len(iris.ONTOLOGY):] if str(s).startswith(iris.ONTOLOGY) else None
        if not name or not name.replace("_", "").isalnum():
            continue
        curie = "kg:" + name
        if o in kinds["object"]:
            found[name] = (curie, "@id")
        elif o in kinds["data"]:
            ranges = [str(r)[len(XSD):] for r in g.objects(s, RDFS.range) if str(r).startswith(XSD)]
            typed = ranges[0] if len(ranges) == 1 and ranges[0] in _TYPED_RANGES else None
            found.setdefault(name, (curie, "xsd:" + typed if typed else None))
        elif o in kinds["class"] or o in kinds["annotation"]:
            found.setdefault(name, (curie, None))
    for name in sorted(found):
        if name in ctx:   # a standard term or prefix of the same name keeps its place
            continue
        iri, kind = found[name]
        ctx[name] = {"@id": iri, "@type": kind} if kind else iri
    return ctx


@bp.get("/context.jsonld")
def context_document():
    return _json({"@context": context()})


def context_url() -> str:
    return request.url_root + "context.jsonld"


def wants_expanded() -> bool:
    """Does the Accept header ask for JSON-LD in the expanded profile (and prefer it)?"""
    best_plain = best_expanded = 0.0
    for value, q in request.accept_mimetypes:
        base, _, params = value.partition(";")
        if base.strip().lower() not in (MEDIA_TYPE, "application/json"):
            continue
        profile = next((p.split("=", 1)[1].strip().strip('"') for p in params.split(";")
                        if p.strip().lower().startswith("profile=")), "")
        if EXPANDED in profile.split():
            best_expanded = max(best_expanded, q)
        else:
            best_plain = max(best_plain, q)
    return best_expanded > 0 and best_expanded >= best_plain


def _expanded(triples: list[ox.Triple]) -> list:
    nquads = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return jsonld.from_rdf(nquads, {"format": "application/n-quads"})


@dataclass(frozen=True)
class Options:
    """How to write JSON-LD for one request (read from it on the request's thread, since
    query results are written on a worker thread)."""

    context_url: str
    expanded: bool


def options() -> Options:
    return Options(context_url(), wants_expanded())


def serialize(triples: list[ox.Triple], opts: Options) -> bytes:
    """Triples as JSON-LD: compacted against the context, or expanded when asked for (or past
    ``COMPACT_LIMIT``)."""
    if len(triples) > COMPACT_LIMIT:
        return ox.serialize(triples, format=ox.RdfFormat.JSON_LD)
    document = _expanded(triples)
    if not opts.expanded:
        document = jsonld.compact(document, {"@context": context()}, {"graph": True})
        document["@context"] = opts.context_url
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


# --- the JSON API's context ---------------------------------------------------------------

def api_context() -> dict:
    """The JSON API's record keys that mean an ontology term, for ``/api/context.jsonld``.

    Keys whose value is a label or a local name rather than the term's value (``actor``,
    ``status``, ``type`` of a claim record) are left out: a JSON-LD processor drops them."""
    return {
        "@version": 1.1, **PREFIXES, **MINTED,
        "items": "@graph",
        "claim": "@id", "iri": "@id",
        "event": {"@id": "kg:asserts", "@type": "@id"},
        "article": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
        "cluster": {"@id": "kg:reportsEvent", "@type": "@id"},
        "reported_on": {"@id": "kg:reportedOn", "@type": "xsd:date"},
        "label": "rdfs:label",
        "aliases": {"@id": "skos:altLabel", "@container": "@set"},
        "links": {"@id": "owl:sameAs", "@type": "@id", "@container": "@set"},
        "published": {"@id": "schema:datePublished", "@type": "xsd:date"},
        "url": {"@id": "schema:url", "@type": "@id"},
        "author": "schema:author",
        "text": "schema:text",
        "language": "schema:inLanguage",
        "reports": {"@reverse": "kg:reportsEvent"},
    }


@bp.get("/api/context.jsonld")
def api_context_document():
    return _json({"@context": api_context()})


def link_api_context(response: Response) -> Response:
    """Add the Link header that makes a JSON answer of the API JSON-LD."""
    if response.mimetype == "application/json":
        response.headers.add("Link", f'<{request.url_root}api/context.jsonld>; '
                                     f'rel="{CONTEXT_REL}"; type="{MEDIA_TYPE}"')
    return response


def _json(body: dict) -> Response:
    response = current_app.response_class(json.dumps(body, indent=1, ensure_ascii=False),
                                          content_type=f"{MEDIA_TYPE}; charset=utf-8")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
