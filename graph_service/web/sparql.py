"""The SPARQL 1.1 Protocol endpoint, ``/sparql``: query, update and service description.

Spec: SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/) §2.1 query operation,
§2.2 update operation; SPARQL 1.1 Service Description §3 (GET without a query). Shape after
Oxigraph's server (``cli/src/main.rs``): ``read_operation`` is the one place that maps a request
(method, content type, parameters) to an operation, and every refusal is a (status, message).

Queries run on the store with the time limit and row cap of ``limits``; results are written
by Oxigraph (``results``). Updates need the bearer token (``auth``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from rdflib.namespace import RDF, VOID, XSD, Namespace
from werkzeug.datastructures import MultiDict

from ..errors import InputError, NotAcceptable, QueryError, StoreError
from ..formats import RDFFormat, ResultFormat
from . import context, query_workers, review
from .auth import require_write
from .limits import get_limits
from .negotiation import FORMAT_PARAMETERS, GRAPH, RESULTS, Offer, choose_format
from .problem import fail
from .query_workers import NotOffered, QueryJob
from .results import file_response, write_result, write_solutions
from ..sparqltext import QueryFacts, SparqlText, position, query_facts
from ..store.statistics import Statistics

bp = Blueprint("sparql", __name__)


@bp.record_once
def _init_federation(state) -> None:
    # SERVICE blocks are evaluated by graph_service.linking.federation (bounded calls, inlined as
    # VALUES); Oxigraph itself evaluates where it cannot call out. Configured once per app.
    from ..linking.federation import Federation
    state.app.extensions["kg_federation"] = Federation.from_config(state.app.config)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass
class Operation:
    """What a protocol request asks for, once read: a query or an update, and its dataset."""

    kind: str                                   # "query" or "update"
    text: str
    default: list[str] = field(default_factory=list)   # default-graph-uri / using-graph-uri
    named: list[str] = field(default_factory=list)     # named-graph-uri / using-named-graph-uri
    output: str | None = None                   # ?format= or ?output= (negotiation)

    @property
    def has_dataset(self) -> bool:
        return bool(self.default or self.named)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    op = read_operation()
    if op is None:
        return service_description()
    get_limits().check_nesting(op.text, syntax="sparql", what=f"the {op.kind}")
    try:
        if op.kind == "update":
            return run_update(op)
        return run_query(op)
    except QueryError as err:   # a syntax error: quote the line, mark the column
        raise err.mark(op.text) from None


# -- reading the request ------------------------------------------------------------------------

def read_operation() -> Operation | None:
    """The operation a request carries (None: a GET without a query), or a 4xx."""
    if request.method in ("GET", "HEAD"):
        params = request.args
        if "update" in params:
            fail(400, "an update must be sent with POST (SPARQL 1.1 Protocol §2.2), not GET",
                 headers={"Allow": "GET, POST"})
        if "query" not in params:
            return None
        return _operation("query", _single(params, "query"), params)

    media = request.mimetype
    if not request.headers.get("Content-Type"):
        fail(400, f"a POST needs a Content-Type: {QUERY_TYPE}, {UPDATE_TYPE} or {FORM_TYPE}")
    charset = request.mimetype_params.get("charset")
    if charset is not None and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        fail(415, f"only UTF-8 is accepted; the request says charset={charset}")

    if media == FORM_TYPE:
        params = MultiDict(list(request.args.items(multi=True)))
        try:
            pairs = parse_qsl(_utf8(_body()), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            fail(400, "a percent-encoded value in the form is not valid UTF-8")
        for name, value in pairs:
            params.add(name, value)
        has_query, has_update = "query" in params, "update" in params
        if has_query and has_update:
            fail(400, "the request has both query= and update=; send one operation")
        if not (has_query or has_update):
            fail(400, "the form has neither query= nor update=")
        kind = "query" if has_query else "update"
        return _operation(kind, _single(params, kind), params)
    if media in (QUERY_TYPE, UPDATE_TYPE):
        kind = "query" if media == QUERY_TYPE else "update"
        for name in ("query", "update"):
            if name in request.args:
                fail(400, f"the body is the {kind}; {name}= in the URL as well is ambiguous")
        return _operation(kind, _utf8(_body()), request.args)
    fail(415, f"unsupported Content-Type {media!r}; send {QUERY_TYPE}, {UPDATE_TYPE} or "
              f"{FORM_TYPE}")


def _operation(kind: str, text: str, params: MultiDict) -> Operation:
    if kind == "query":
        names = ("default-graph-uri", "named-graph-uri")
    else:
        names = ("using-graph-uri", "using-named-graph-uri")
    default, named = ([_iri(v, name) for v in params.getlist(name)] for name in names)
    return Operation(kind, text, default, named, output=_output(params))


def _output(params: MultiDict) -> str | None:
    """The format named by ``format=`` or ``output=`` (Fuseki's names), if any."""
    given = {value for name in FORMAT_PARAMETERS for value in params.getlist(name)}
    if len(given) > 1:
        fail(400, "the request names more than one format (format=, output=): "
                  + ", ".join(sorted(given)))
    return next(iter(given), None)


def _single(params: MultiDict, name: str) -> str:
    values = params.getlist(name)
    if len(values) > 1:
        fail(400, f"the request has {len(values)} {name}= parameters; send exactly one")
    return values[0]


def _iri(value: str, parameter: str) -> str:
    try:
        return ox.NamedNode(value).value
    except ValueError as err:
        raise InputError(f"{parameter}={value!r} is not an absolute IRI: {err}") from None


def _body() -> bytes:
    return request.get_data(cache=True)


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        fail(400, f"the body is not valid UTF-8 (byte {err.start})")


# -- query --------------------------------------------------------------------------------------

def run_query(op: Operation) -> Response:
    limits = get_limits()
    store = current_app.extensions["kg_store"]
    base = request.base_url
    facts = query_facts(op.text, base_iri=base)
    limits.check_outbound(facts, op.text, base_iri=base)
    if op.has_dataset:
        dataset: tuple[list[str] | None, list[str] | None] = (op.default, op.named)
    else:
        # Without FROM the default graph is the union of all graphs (store.query's default);
        # with FROM, the query's own dataset.
        dataset = facts.dataset() or (None, None)
    store = review.dataset_store(store, *dataset)  # staging graphs: reviewers only
    accept = request.accept_mimetypes
    federation = current_app.extensions["kg_federation"]
    form = facts.form

    def choose(accept, offers, *, what):
        return choose_format(accept, op.output, offers, what=what)

    if form is not None:  # refuse before running, when the form is plain from the text
        table = "results" if form in ("SELECT", "ASK") else "graph"
        offers = {"results": None, "graph": None,
                  table: choose(accept, RESULTS if table == "results" else GRAPH,
                                what=f"{form} queries")}
    else:
        offers = {"results": _offer(accept, op.output, RESULTS),
                  "graph": _offer(accept, op.output, GRAPH)}
    counted = _counted(facts, op)
    if counted is not None:
        offer = choose(accept, RESULTS, what="solutions results")
        body, size = limits.run(lambda deadline: write_solutions(
            [facts.count.variable], [[_integer(counted)]], offer.format, limits=limits,
            deadline=deadline))
        return file_response(body, size, offer.media_type)

    # Allowlisted SERVICE calls are made here, on the request's thread: the query itself is
    # evaluated where it cannot connect (query_workers).
    query = federation.resolve(op.text, base_iri=base) if facts.services() else op.text
    job = QueryJob(query, base, default_graph=dataset[0], named_graphs=dataset[1], offers=offers,
                   limit=facts.limit if form == "SELECT" else None, jsonld=context.options())
    try:
        media_type, body, size = query_workers.evaluate(store, job, limits)
    except NotOffered as refused:   # the client accepts no format for what the query gave
        choose(accept, GRAPH if refused.kind == "graph" else RESULTS,
               what=f"{refused.kind} results")
        raise
    return file_response(body, size, media_type)


def _offer(accept, output: str | None, offers) -> Offer | None:
    """The client's choice among ``offers``, or None when it accepts none of them."""
    try:
        return choose_format(accept, output, offers, what="results")
    except (NotAcceptable, InputError):
        return None


def _counted(facts: QueryFacts, op: Operation) -> int | None:
    """The answer of a whole-graph COUNT(*) from the statistics, when they have it current.

    Only for the exact shapes ``count_all`` recognizes, with no dataset from the request (the
    text has none, or it would not match): the default graph is then the union of all graphs.
    """
    stats: Statistics | None = current_app.extensions.get("kg_statistics")
    if stats is None or facts.count is None or op.has_dataset:
        return None
    count = facts.count
    if count.scope == "graph":
        return stats.graph(count.graph)
    totals = stats.totals()
    if totals is None:
        return None
    return totals.union if count.scope == "union" else totals.named


# -- update -------------------------------------------------------------------------------------

def run_update(op: Operation) -> Response:
    require_write()
    store = current_app.extensions["kg_store"]
    base = request.base_url
    text = SparqlText(op.text, base_iri=base)
    limits = get_limits()
    limits.check_outbound(text, op.text, update=True, base_iri=base)
    update = op.text
    if op.has_dataset:
        clause = text.has_dataset_clause()
        if clause is not None:
            raise QueryError(f"the update has a {clause.text.upper()} clause and the request "
                             "using-graph-uri/using-named-graph-uri: give the dataset one way "
                             "(SPARQL 1.1 Protocol §2.2.3)", **position(text.text, clause))
        update = text.with_using(op.default, op.named)
    if text.services():
        update = current_app.extensions["kg_federation"].resolve(update, base_iri=base)
    # Updates are not run under the query time limit: an update abandoned by the request
    # would still commit later, and only token holders can send one.
    try:
        limits.isolated(lambda: store.update(update, base_iri=base))
    except StoreError as err:
        if "Operation not permitted" in err.message:
            raise query_workers.refused_call() from None
        raise
    return Response(status=204)


# -- service description ------------------------------------------------------------------------

def service_description() -> Response:
    """SPARQL 1.1 Service Description of this endpoint, with a VoID description of the data."""
    limits = get_limits()
    store = current_app.extensions["kg_store"]
    offer = choose_format(request.accept_mimetypes, _output(request.args), GRAPH,
                          what="the service description")
    endpoint_iri = request.base_url
    allowlist = limits.allowlist
    stats = current_app.extensions.get("kg_statistics")
    jsonld = context.options()

    def work(deadline):
        triples = _description_triples(store, endpoint_iri, allowlist, stats)
        deadline.check()
        return write_result(triples, offer.format, limits=limits, deadline=deadline,
                            prefixes={"sd": str(SD), "void": str(VOID), "formats": str(FORMATS)},
                            jsonld=jsonld)

    body, size = limits.run(work)
    return file_response(body, size, offer.media_type)


def _description_triples(store, endpoint_iri: str, allowlist,
                         stats: Statistics | None = None) -> list[ox.Triple]:
    n = ox.NamedNode
    service, dataset = n(endpoint_iri + "#service"), n(endpoint_iri + "#dataset")
    default_graph = ox.BlankNode("defaultGraph")
    out: list[tuple] = [
        (service, RDF.type, SD.Service),
        (service, SD.endpoint, n(endpoint_iri)),
        (service, SD.supportedLanguage, SD.SPARQL11Query),
        (service, SD.supportedLanguage, SD.SPARQL11Update),
        (service, SD.feature, SD.UnionDefaultGraph),
        (service, SD.feature, SD.BasicFederatedQuery) if allowlist else None,
        (service, SD.defaultDataset, dataset),
        (dataset, RDF.type, SD.Dataset),
        (dataset, RDF.type, VOID.Dataset),
        (dataset, VOID.sparqlEndpoint, n(endpoint_iri)),
        (dataset, SD.defaultGraph, default_graph),
        (default_graph, RDF.type, SD.Graph),
    ]
    for fmt in ResultFormat:
        out.append((service, SD.resultFormat, FORMATS[_FORMAT_NAMES[fmt]]))
    for fmt in RDFFormat:
        out.append((service, SD.resultFormat, FORMATS[_FORMAT_NAMES[fmt]]))
        out.append((service, SD.inputFormat, FORMATS[_FORMAT_NAMES[fmt]]))

    total, per_graph = _void_counts(store, stats)
    out += [(dataset, VOID.triples, _integer(total)),
            (default_graph, VOID.triples, _integer(total))]
    for i, (name, n) in enumerate(per_graph):
        named, graph = ox.BlankNode(f"named{i}"), ox.BlankNode(f"graph{i}")
        out += [(dataset, SD.namedGraph, named), (named, RDF.type, SD.NamedGraph),
                (named, SD.name, ox.NamedNode(name)), (named, SD.graph, graph),
                (graph, RDF.type, SD.Graph), (graph, VOID.triples, _integer(n))]
    return [ox.Triple(*(t if isinstance(t, (ox.NamedNode, ox.BlankNode, ox.Literal))
                        else ox.NamedNode(str(t)) for t in triple))
            for triple in out if triple is not None]


def _void_counts(store, stats: Statistics | None) -> tuple[int, list[tuple[str, int]]]:
    """Quads of the union default graph, and of each non-empty named graph by IRI."""
    counts = stats.counts() if stats is not None else None
    if counts is not None:
        return sum(counts.values()), sorted((g, n) for g, n in counts.items() if g is not None)
    total = _count(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g "
                       "ORDER BY ?g")
    return total, [(row["g"].value, int(row["n"].value)) for row in rows
                   if isinstance(row["g"], ox.NamedNode)]


def _count(rows) -> int:
    return int(next(iter(rows))["n"].value)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(str(XSD.integer)))


# W3C's Unique URIs for File Formats (https://www.w3.org/ns/formats/).
_FORMAT_NAMES = {
    ResultFormat.JSON: "SPARQL_Results_JSON", ResultFormat.XML: "SPARQL_Results_XML",
    ResultFormat.CSV: "SPARQL_Results_CSV", ResultFormat.TSV: "SPARQL_Results_TSV",
    RDFFormat.TURTLE: "Turtle", RDFFormat.NTRIPLES: "N-Triples", RDFFormat.NQUADS: "N-Quads",
    RDFFormat.TRIG: "TriG", RDFFormat.JSONLD: "JSON-LD", RDFFormat.RDFXML: "RDF_XML",
}
