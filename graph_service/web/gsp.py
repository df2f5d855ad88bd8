"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``, with indirect graph identification.

Spec: https://www.w3.org/TR/sparql11-http-rdf-update/ §4.2 (``?graph=<IRI>`` and ``?default``),
§5.2–5.6 (GET, PUT, DELETE, POST, HEAD), §5.5 (POST to the store itself creates a graph and
answers 201 with its IRI in ``Location``). The ``graph`` parameter is percent-decoded once,
by werkzeug, and never again. "The default graph" here is the store's own default graph;
what a SPARQL query sees by default is the union of all graphs, this one included. A remote
store (``--backend sparql``) takes writes to it, but cannot give it back on its own: its
default graph is the union, and the SPARQL protocol has no name for the graph underneath, so
GET and HEAD of ``?default`` answer 501 there instead of a wrong graph.

Reads are open; PUT, POST and DELETE need the bearer token. A pending submission's staging
graph (``?graph=…/graph/submission/<id>``) is not in the dataset: GET and HEAD of it read the
staging store and need the token (``review``); writes to it are refused. Bodies are parsed
by Oxigraph (``rdfio.parse_quads``: line and column on syntax errors, no XML external
entities).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from ..errors import InputError
from ..formats import RDFFormat
from ..iris import GRAPH
from ..rdfio import parse_quads
from . import review
from .auth import require_write
from .limits import check_body, get_limits
from .negotiation import DATASET, SINGLE_GRAPH, choose, content_type
from .problem import fail
from .results import file_response, write_result

bp = Blueprint("gsp", __name__)

NEW_GRAPHS = GRAPH + "store/"   # graphs created by POST to /store


@dataclass(frozen=True)
class Target:
    """The graph a request is about: a named graph, the default graph, or (None) the store."""

    graph: str | None
    default: bool = False

    def label(self) -> str:
        return "the default graph" if self.default else f"graph <{self.graph}>"


@bp.route("/store", methods=["GET", "PUT", "POST", "DELETE"])
def graph_store() -> Response:
    target = read_target()
    staged = target is not None and review.names_staging([target.graph])
    if request.method in ("GET", "HEAD"):
        if staged:  # a pending submission: in the staging store, for reviewers
            review.require_reviewer("a pending submission's staging graph")
            return get_graph(target, store=_store().staging)
        return get_dataset() if target is None else get_graph(target)
    require_write()
    if staged:
        fail(400, f"graph <{target.graph}> is a pending submission's staging graph; it is "
                  "written by /api/submissions and emptied by accept or reject, not by /store")
    if target is None:
        if request.method != "POST":
            fail(400, f"{request.method} needs ?graph=<IRI> or ?default")
        return create_graph()
    if request.method == "DELETE":
        return delete_graph(target)
    return write_graph(target, replace=request.method == "PUT")


def read_target() -> Target | None:
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if graphs and default:
        fail(400, "give either ?graph=<IRI> or ?default, not both")
    if len(graphs) > 1:
        fail(400, f"the request names {len(graphs)} graphs; give one ?graph=")
    if default:
        return Target(None, default=True)
    if not graphs:
        return None
    try:
        return Target(ox.NamedNode(graphs[0]).value)
    except ValueError as err:
        raise InputError(f"?graph={graphs[0]!r} is not an absolute IRI: {err}") from None


def _store():
    return current_app.extensions["kg_store"]


def _exists(target: Target, store=None) -> bool:
    return target.default or (store or _store()).has_graph(target.graph)


# -- reads --------------------------------------------------------------------------------------

def get_graph(target: Target, *, store=None) -> Response:
    offer = choose(request.accept_mimetypes, SINGLE_GRAPH, what="a graph")
    store = store or _store()
    if not _exists(target, store):
        fail(404, f"there is no {target.label()} in the store")
    limits = get_limits()
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { %s }"

    def work(deadline):
        if target.default:
            triples = store.query(construct % "?s ?p ?o", own_default_graph=True)
        else:
            triples = store.query(construct % "GRAPH ?g { ?s ?p ?o }",
                                  bindings={"g": ox.NamedNode(target.graph)})
        return write_result(triples, offer.format, limits=limits, deadline=deadline)

    body, size = limits.run(work)
    return file_response(body, size, offer.media_type)


def get_dataset() -> Response:
    offer = choose(request.accept_mimetypes, DATASET, what="the whole dataset")
    return _send(_store().export(offer.format), offer.media_type)


def _send(data: bytes, media_type: str) -> Response:
    response = Response(data, content_type=content_type(media_type))
    response.vary.add("Accept")
    return response


# -- writes -------------------------------------------------------------------------------------

def write_graph(target: Target, *, replace: bool) -> Response:
    triples = read_body(base_iri=target.graph or request.base_url)
    existed = _exists(target)
    where = "DEFAULT" if target.default else f"GRAPH <{target.graph}>"
    data = triples if target.default else f"GRAPH <{target.graph}> {{\n{triples}\n}}"
    update = f"INSERT DATA {{\n{data}\n}}"
    if replace:
        update = f"DROP SILENT {where} ;\n{update}"
    _store().update(update, changed=None if target.default else [target.graph])
    return Response(status=204 if existed else 201)


def create_graph() -> Response:
    graph = NEW_GRAPHS + uuid.uuid4().hex
    triples = read_body(base_iri=graph)
    _store().update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{triples}\n}} }}", changed=[graph])
    return Response(status=201, headers={"Location": graph})


def delete_graph(target: Target) -> Response:
    if not _exists(target):
        fail(404, f"there is no {target.label()} in the store")
    _store().update("DROP SILENT DEFAULT" if target.default else f"DROP GRAPH <{target.graph}>",
                    changed=None if target.default else [target.graph])
    return Response(status=204)


def read_body(*, base_iri: str) -> str:
    """The request's RDF (one document, or every part of a multipart/form-data body) as
    N-Triples text for an INSERT DATA block."""
    if request.mimetype == "multipart/form-data":
        parts = [(p.content_type or "", p.read()) for p in request.files.values()]
        if not parts:
            fail(400, "the multipart/form-data body has no file parts")
    else:
        if not request.headers.get("Content-Type"):
            fail(400, "the body needs a Content-Type (text/turtle, application/n-triples, ...)")
        parts = [(request.headers["Content-Type"], request.get_data())]
    triples: list[ox.Triple] = []
    for media, data in parts:
        fmt = RDFFormat.from_media_type(media)
        _check_charset(media)
        check_body(data, fmt)
        for quad in parse_quads(data, fmt, where="request body", base_iri=base_iri):
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                fail(400, f"the body names graph {quad.graph_name}; a graph holds triples only, "
                          "send a triple format or use /sparql for quads")
            triples.append(quad.triple)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def _check_charset(media: str) -> None:
    for param in media.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and \
                value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            fail(415, f"only UTF-8 is accepted; the body says charset={value.strip()}")
