"""Every IRI the graph mints dereferences: ``https://w3id.org/nkru/id/…`` is served at
``/id/…``, and each named graph ``…/graph/…`` at ``/graph/…``.

One description, three faces: HTML for browsers, Turtle or JSON-LD (or N-Triples, RDF/XML)
by content negotiation (``negotiation.choose``, q-values honoured, 406 listing what we have),
or explicitly with ``?format=turtle|jsonld|ntriples|rdfxml``. The HTML page renders the very
triples the RDF carries (as a table), above a readable view of claims, entities and articles.

The answer is a direct 200 with ``Vary: Accept``, not a 303: the persistent IRIs live under
w3id.org, whose redirect to this service is already the hop from the name of a thing to a
document about it; a second hop would only cost a round trip. ``Content-Location`` names the
format-specific document, and a ``Link`` header lists the alternates.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, render_template, request

from .. import iris
from ..errors import NotAcceptable
from ..formats import RDFFormat
from . import context, get_store, queries
from .negotiation import GRAPH, Offer, choose, content_type
from .records import Reader, local_name

bp = Blueprint("linked_data", __name__)

HTML = "text/html"
OFFERS = (Offer(HTML, None),) + tuple(o for o in GRAPH
                                       if o.format not in (RDFFormat.TRIG, RDFFormat.NQUADS))
FORMAT_NAMES = {"turtle": RDFFormat.TURTLE, "ttl": RDFFormat.TURTLE,
                "jsonld": RDFFormat.JSONLD, "ntriples": RDFFormat.NTRIPLES,
                "nt": RDFFormat.NTRIPLES, "rdfxml": RDFFormat.RDFXML, "html": None}
PREFIXES = {"kg": iris.ONTOLOGY, "prov": "http://www.w3.org/ns/prov#",
            "oa": "http://www.w3.org/ns/oa#", "schema": "https://schema.org/",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "owl": "http://www.w3.org/2002/07/owl#", "xsd": "http://www.w3.org/2001/XMLSchema#",
            "wd": "http://www.wikidata.org/entity/"}
_PATH = re.compile(r"[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*")


def describe(iri: str) -> list[ox.Triple]:
    """The triples served for one resource, sorted so that every rendering is stable."""
    triples = set(get_store(current_app).query(queries.load("describe"),
                                               bindings={"resource": ox.NamedNode(iri)}))
    return sorted(triples, key=lambda t: (t.subject != ox.NamedNode(iri), str(t.subject),
                                          str(t.predicate), str(t.object)))


def representation() -> RDFFormat | None:
    """The format asked for: ``?format=`` first, then the Accept header (None = HTML)."""
    name = request.args.get("format")
    if name is not None:
        if name not in FORMAT_NAMES:
            raise NotAcceptable(f"unknown format {name!r}; use one of "
                                + ", ".join(FORMAT_NAMES), available=list(FORMAT_NAMES))
        return FORMAT_NAMES[name]
    return choose(request.accept_mimetypes, OFFERS, what="this resource").format


def serialize(triples: list[ox.Triple], fmt: RDFFormat) -> bytes:
    if fmt is RDFFormat.JSONLD:   # compacted against /context.jsonld, or expanded if asked
        return context.serialize(triples, context.options())
    prefixes = PREFIXES if fmt in (RDFFormat.TURTLE, RDFFormat.RDFXML) else None
    if prefixes:
        return ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes)
    return ox.serialize(triples, format=fmt.oxigraph)


def answer(triples: list[ox.Triple], fmt: RDFFormat | None, html) -> Response:
    path = request.path
    if fmt is None:
        resp = Response(html(), content_type=content_type(HTML))
    else:
        resp = Response(serialize(triples, fmt), content_type=content_type(fmt.media_type))
        resp.headers["Content-Location"] = f"{path}?format={fmt.key}"
    resp.headers["Vary"] = "Accept"
    resp.headers["Link"] = ", ".join(
        f'<{path}?format={k}>; rel="alternate"; type="{f.media_type}"'
        for k, f in (("turtle", RDFFormat.TURTLE), ("jsonld", RDFFormat.JSONLD)))
    return resp


@bp.get("/id/<path:rest>")
def resource(rest: str):
    if not _PATH.fullmatch(rest):
        abort(404)
    iri = iris.ID + rest
    fmt = representation()
    triples = describe(iri)
    if not triples:
        abort(404, description=f"the graph says nothing about {iri}")
    return answer(triples, fmt, lambda: render_resource(iri, rest, triples))


@bp.get("/ontology")
def ontology():
    """The ontology IRI (``…/ontology``, terms ``…/ontology#X``) serves the ontology graph."""
    return named_graph("ontology")


@bp.get("/graph/<path:rest>")
def named_graph(rest: str):
    if not _PATH.fullmatch(rest):
        abort(404)
    name = iris.GRAPH + rest
    fmt = representation()
    store = get_store(current_app)
    triples = list(store.query(queries.load("named_graph"), bindings={"g": ox.NamedNode(name)}))
    if not triples:
        abort(404, description=f"no named graph {name}")
    triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return answer(triples, fmt, lambda: render_template(
        "resource.html", iri=name, kind="graph", triples=_rows(triples[:5000]),
        truncated=len(triples) > 5000, view=None, labels={}))


@bp.errorhandler(404)
def not_found(err):
    """A browser gets a page; any other client the service's JSON error."""
    best = request.accept_mimetypes.best_match(["application/json", HTML])
    if best == HTML and request.accept_mimetypes[HTML] > request.accept_mimetypes["application/json"]:
        return render_template("not_found.html", message=err.description), 404
    return {"error": "NotFound", "message": err.description}, 404


def render_resource(iri: str, rest: str, triples: list[ox.Triple]) -> str:
    """The HTML face: a view by kind (claim, entity, article, event) and the triples."""
    kind = rest.split("/", 1)[0]
    reader = Reader(get_store(current_app))
    view = None
    if kind == "claim" and rest.count("/") == 1:
        view = reader.claim(iri)
        if view:
            view["article_text"] = (reader.article(view["article"]) or {}).get("text")
            view["article_title"] = reader.article_title(view["article"], view["headline"])
    elif kind in ("entity", "source"):
        view = reader.entity(iri)
        if view:
            view["claims"] = reader.claims(reader.claims_involving(iri)[:200])
    elif kind == "article":
        view = reader.article(iri)
        if view:
            view["claims"] = reader.claims(reader.article_claims(iri))
            view["title"] = reader.article_title(iri, view["headline"])
            view["outlet"] = reader.article_outlet(view["publisher"], view["url"])
    elif kind == "event":
        view = reader.event(iri)
        if view:
            for report in view["reports"]:
                report["article_title"] = reader.article_title(report["article"], report["headline"])
    labels = {t.subject.value: t.object.value for t in triples
              if t.predicate.value.endswith("rdf-schema#label")}
    return render_template("resource.html", iri=iri, kind=kind if view else "resource",
                           view=view, triples=_rows(triples), truncated=False, labels=labels)


def _rows(triples: list[ox.Triple]) -> list[dict]:
    return [{"s": t.subject.value, "p": t.predicate.value, "p_short": short(t.predicate.value),
             "o": t.object.value, "o_iri": isinstance(t.object, ox.NamedNode),
             "o_type": _literal_note(t.object)}
            for t in triples]


def _literal_note(term) -> str | None:
    """What the triples table writes after a literal: ``@en`` for a language-tagged string,
    the datatype (``xsd:date``) for a typed one, nothing for a plain string."""
    if not isinstance(term, ox.Literal):
        return None
    if term.language:
        return "@" + term.language
    if term.datatype and not term.datatype.value.endswith("#string"):
        return short(term.datatype.value)
    return None


def short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    if iri == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
        return "a"
    return iri


def local_href(iri: str) -> str:
    """Where a minted IRI dereferences on this service (others stay as they are)."""
    if iri.startswith(iris.BASE):
        return "/" + iri[len(iris.BASE):]
    return iri


_WEB = re.compile(r"https?://[^\s]", re.IGNORECASE)


def linkable(iri: str | None) -> bool:
    """Whether an IRI may become a link on a page: one minted here (served by this service)
    or an http(s) IRI. Any other scheme (``javascript:``, ``data:``, ``urn:``...) stays text."""
    return bool(iri) and (iri.startswith(iris.BASE) or _WEB.match(iri) is not None)


@bp.app_template_test("linkable")
def linkable_test(iri) -> bool:
    return isinstance(iri, str) and linkable(iri)


@bp.app_template_filter("href")
def href_filter(iri: str) -> str:
    """The link target of an IRI; never one of a scheme ``linkable`` refuses (templates
    only link what is ``linkable``; this is the second guard)."""
    if not linkable(iri):
        return "#"
    return local_href(iri)


@bp.app_template_filter("short")
def short_filter(iri: str) -> str:
    return short(iri)


@bp.app_template_filter("local")
def local_filter(iri: str) -> str:
    return local_name(iri)
