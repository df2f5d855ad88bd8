"""A quad store reached over HTTP: any SPARQL 1.1 store (Oxigraph server, Fuseki, GraphDB, Virtuoso).

Follows the SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/): queries go to the
query endpoint, updates to the update endpoint, both through SPARQLWrapper. Results come back
as SPARQL JSON (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE) and are parsed with pyoxigraph,
so callers get the same ``QuerySolutions``, ``QueryBoolean`` and ``QueryTriples`` objects as
from the embedded store.

Two things the store must do for us:

* one update request is one transaction, so that ``replace_graphs`` (one request per article)
  lands an article whole or not at all;
* the default graph is the union of all named graphs (Oxigraph ``--union-default-graph``,
  Fuseki ``tdb2:unionDefaultGraph true``; GraphDB and Virtuoso do this by default).
  ``check_union_default_graph`` probes it when the store is opened.

Two things follow from the union default graph, and are refused with ``UnsupportedByStore``
(HTTP 501) rather than answered wrongly: the graph a store keeps as its own default graph
cannot be read on its own (the protocol has no name for it), and a store may refuse an update
with ``USING`` (Oxigraph server does, under ``--union-default-graph``).

SELECT solutions are read from the response as they arrive, so a caller that stops iterating
(the service's query time limit) closes the connection and the store stops sending.

Pending submissions are not sent to the remote store: they wait for review in a local Oxigraph
folder (``Store.staging``, at ``staging_path``; ``KG_STAGING_STORE`` or ``./data/staging`` from
``open_sparql_store``), so the remote store's own endpoint never shows them either.

Credentials come from ``KG_SPARQL_TOKEN`` (a bearer token) or ``KG_SPARQL_USER`` and
``KG_SPARQL_PASSWORD`` (HTTP basic), never from the command line.
"""

from __future__ import annotations

import ast
import http.client
import io
import os
import re
import socket
import urllib.error
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
import rdflib
from SPARQLWrapper import POST, POSTDIRECTLY, URLENCODED, SPARQLWrapper
from SPARQLWrapper import SPARQLExceptions as swe

from .. import iris
from ..errors import InputError, QueryError, RemoteError, StoreError, UnsupportedByStore
from .base import DEFAULT_STAGING, ENV_STAGING, Store, _position

ENV_USER = "KG_SPARQL_USER"
ENV_PASSWORD = "KG_SPARQL_PASSWORD"
ENV_TOKEN = "KG_SPARQL_TOKEN"
DEFAULT_TIMEOUT = 120  # seconds per request

# A graph nothing is ever written to: asking for it as the default graph gives the empty
# default graph (the protocol has no other way to say "the store's own default graph only").
EMPTY_GRAPH = iris.GRAPH + "none"
PROBE_GRAPH = iris.GRAPH + "probe"


_RESULTS_MEDIA = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_MEDIA = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_ACCEPT_RESULTS = ("application/sparql-results+json, "
                   "application/sparql-results+xml;q=0.9")
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"


class SparqlStore(Store):
    """A SPARQL 1.1 store behind a query endpoint and (unless read-only) an update endpoint."""

    def __init__(self, query_endpoint: str, update_endpoint: str | None = None, *,
                 read_only: bool = False, user: str | None = None,
                 password: str | None = None, token: str | None = None,
                 timeout: int = DEFAULT_TIMEOUT, check: bool = True,
                 staging_path: Path | None = None) -> None:
        if not query_endpoint:
            raise InputError("the sparql backend needs a query endpoint URL")
        if not read_only and not update_endpoint:
            raise InputError("the sparql backend needs an update endpoint URL to write; "
                             "give one, or open the store read-only")
        self.query_endpoint = query_endpoint
        self.update_endpoint = update_endpoint
        self.read_only = read_only
        self.timeout = timeout
        self.staging_path = staging_path
        self._auth = _credentials(user, password, token)
        if check:
            self.check_union_default_graph()

    # -- requests ---------------------------------------------------------------------------

    def _wrapper(self, text: str, *, update: bool) -> SPARQLWrapper:
        # A fresh wrapper per request: SPARQLWrapper objects hold per-query state, and the
        # web server calls the store from several threads.
        sw = SPARQLWrapper(self.query_endpoint, updateEndpoint=self.update_endpoint)
        sw.setOnlyConneg(True)       # no format=/output= parameters: some stores refuse them
        sw.setMethod(POST)
        sw.setTimeout(self.timeout)
        sw.setQuery(text)
        if update:
            sw.setRequestMethod(POSTDIRECTLY)   # body is application/sparql-update
            if not sw.isSparqlUpdateRequest():  # SPARQLWrapper guesses from the first keyword
                sw.queryType = "INSERT"
        else:
            sw.setRequestMethod(URLENCODED)
        if self._auth is not None:
            kind, a, b = self._auth
            if kind == "bearer":
                sw.addCustomHttpHeader("Authorization", f"Bearer {a}")
            else:
                sw.setCredentials(a, b)     # HTTP basic
        return sw

    def _open(self, sw: SPARQLWrapper, *, where: str,
              lines_added: int = 0) -> http.client.HTTPResponse:
        """Send a request; the open response, or a typed error that names the endpoint.

        ``lines_added``: lines put before the caller's text (a BASE), taken off error positions.
        """
        try:
            return sw.query().response
        except swe.QueryBadFormed as err:
            message = _server_message(err)
            at = _position(SyntaxError(message))
            if at["line"] is not None:
                at["line"] = max(1, at["line"] - lines_added)
            raise QueryError(message, **at) from None
        except swe.Unauthorized:
            raise RemoteError(_auth_hint(self._auth), where=where) from None
        except swe.EndPointNotFound:
            raise RemoteError("no SPARQL endpoint at this URL (HTTP 404)", where=where) from None
        except swe.SPARQLWrapperException as err:
            raise RemoteError(f"the SPARQL store failed: {_server_message(err)}",
                              where=where) from None
        except urllib.error.HTTPError as err:
            if err.code == 403:
                raise RemoteError(_auth_hint(self._auth), where=where) from None
            body = err.read().decode("utf-8", "replace")[:500]
            raise RemoteError(f"the SPARQL store answered HTTP {err.code}: {body}",
                              where=where) from None
        except (urllib.error.URLError, ConnectionError, socket.timeout) as err:
            raise _unreachable(err, where) from None

    def _send(self, sw: SPARQLWrapper, *, where: str,
              lines_added: int = 0) -> tuple[bytes, str]:
        """Send a request and read the whole answer: (body, media type)."""
        with _Stream(self._open(sw, where=where, lines_added=lines_added), where) as body:
            return body.read(), body.media_type

    # -- Store ------------------------------------------------------------------------------

    def query(self, sparql, *, default_graph=None, named_graphs=None, bindings=None,
              base_iri=None, own_default_graph=False):
        if own_default_graph:
            raise UnsupportedByStore(
                "the SPARQL store's default graph is the union of its named graphs, so the "
                "graph it keeps as its own default graph cannot be read on its own; read a "
                "named graph (?graph=<IRI>) or query the union at /sparql",
                where=self.query_endpoint)
        form = query_form(sparql)
        if bindings:
            sparql = bind_values(sparql, bindings)
        if base_iri:
            sparql = f"BASE <{ox.NamedNode(base_iri).value}>\n{sparql}"
        sw = self._wrapper(sparql, update=False)
        if default_graph is not None:
            for g in default_graph or [EMPTY_GRAPH]:
                sw.addDefaultGraph(g)
        if named_graphs is not None:
            for g in named_graphs:
                sw.addNamedGraph(g)
        graph_result = form in ("CONSTRUCT", "DESCRIBE")
        sw.addCustomHttpHeader("Accept", _ACCEPT_GRAPH if graph_result else _ACCEPT_RESULTS)
        where, lines_added = self.query_endpoint, 1 if base_iri else 0
        try:
            if graph_result:
                body, media = self._send(sw, where=where, lines_added=lines_added)
                return _query_triples(body, _GRAPH_MEDIA.get(media, ox.RdfFormat.N_TRIPLES))
            return _query_results(_Stream(self._open(sw, where=where, lines_added=lines_added),
                                          where))
        except SyntaxError as err:
            raise RemoteError(f"the SPARQL store answered with unreadable results: {err}",
                              where=where) from None

    def _execute_update(self, sparql, *, base_iri=None):
        if self.read_only:
            raise StoreError("the store is open read-only", where=self.query_endpoint)
        if base_iri:
            sparql = f"BASE <{ox.NamedNode(base_iri).value}>\n{sparql}"
        try:
            self._send(self._wrapper(sparql, update=True), where=self.update_endpoint,
                       lines_added=1 if base_iri else 0)
        except QueryError as err:
            if err.line is None and _has_using(sparql):
                # Not a syntax error (those carry a position): the store refuses USING itself.
                raise UnsupportedByStore(
                    f"the SPARQL store refused the update's USING clause ({err.message}); a "
                    "store whose default graph is the union of its named graphs may take no "
                    "USING or using-graph-uri (Oxigraph server --union-default-graph does "
                    "not): name the graphs with GRAPH <IRI> { ... } in the WHERE clause "
                    "instead", where=self.update_endpoint) from None
            raise

    def _open_staging(self) -> Store:
        from .embedded import OxigraphStore
        path = self.staging_path
        if path is None or (self.read_only and not path.is_dir()):
            return OxigraphStore(None)
        return OxigraphStore(path, read_only=self.read_only)

    def named_graphs(self):
        # GRAPH ?g {} gives one row per named graph in the dataset, without reading triples.
        rows = self.query("SELECT ?g WHERE { GRAPH ?g { } }")
        return sorted({row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode)})

    def export(self, fmt):
        if not fmt.quads:
            raise StoreError(f"{fmt.key} holds one graph; export the dataset as nquads or trig")
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
        return ox.serialize(quads, format=fmt.oxigraph)

    # -- start-up check ---------------------------------------------------------------------

    def check_union_default_graph(self) -> None:
        """Fail unless the default graph is the union of the named graphs.

        With data in the store, one quad is read from a named graph and looked up in the
        default graph. An empty store is probed by writing one triple to a probe graph and
        dropping it again (skipped when read-only: there is nothing to serve yet).
        """
        rows = list(self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"))
        if rows:
            s, p, o = rows[0]["s"], rows[0]["p"], rows[0]["o"]
            if isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode):
                return  # blank nodes cannot be asked about by name; we mint none ourselves
            found = bool(self.query("ASK { ?s ?p ?o }", bindings={"s": s, "p": p, "o": o}))
        elif self.read_only:
            return
        else:
            probe = ox.NamedNode(PROBE_GRAPH)
            self.update(f"INSERT DATA {{ GRAPH {probe} {{ {probe} {probe} {probe} }} }}")
            try:
                found = bool(self.query("ASK { ?s ?s ?s }", bindings={"s": probe}))
            finally:
                self.update(f"DROP SILENT GRAPH {probe}")
        if not found:
            raise StoreError(
                "the SPARQL store's default graph is not the union of its named graphs; "
                "turn that on (Oxigraph: `oxigraph serve --union-default-graph`; Fuseki: "
                "`tdb2:unionDefaultGraph true` on the dataset)", where=self.query_endpoint)


def open_sparql_store(query_endpoint: str | None, update_endpoint: str | None = None, *,
                      read_only: bool = False, staging_path: Path | None = None) -> SparqlStore:
    """The remote store behind these endpoints, with credentials from the environment; its
    pending submissions in ``staging_path`` (default ``KG_STAGING_STORE`` or ./data/staging)."""
    staging_path = staging_path or Path(os.environ.get(ENV_STAGING) or DEFAULT_STAGING)
    return SparqlStore(query_endpoint or "", update_endpoint, read_only=read_only,
                       staging_path=staging_path)


# -- credentials ------------------------------------------------------------------------------

def _credentials(user: str | None, password: str | None,
                 token: str | None) -> tuple[str, str, str] | None:
    """("bearer", token, "") or ("basic", user, password) or None; arguments beat the env."""
    token = token or os.environ.get(ENV_TOKEN) or None
    user = user or os.environ.get(ENV_USER) or None
    password = password or os.environ.get(ENV_PASSWORD) or None
    if token and user:
        raise InputError(f"give either {ENV_TOKEN} or {ENV_USER}/{ENV_PASSWORD}, not both")
    if token:
        return ("bearer", token, "")
    if user or password:
        if not (user and password):
            raise InputError(f"HTTP basic authentication needs both {ENV_USER} "
                             f"and {ENV_PASSWORD}")
        return ("basic", user, password)
    return None


def _auth_hint(auth: tuple[str, str, str] | None) -> str:
    if auth is None:
        return (f"the SPARQL store wants credentials: set {ENV_USER} and {ENV_PASSWORD} "
                f"(HTTP basic) or {ENV_TOKEN} (bearer)")
    return "the SPARQL store refused the credentials (HTTP 401/403); check them"


def _server_message(err: swe.SPARQLWrapperException) -> str:
    """The response body SPARQLWrapper folded into its message, as text."""
    text = str(err)
    _, sep, body = text.partition("Response:\n")
    if not sep:
        return text
    try:
        raw = ast.literal_eval(body.strip())
        body = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    except (ValueError, SyntaxError):
        pass
    return body.strip()[:1000]


# -- results ----------------------------------------------------------------------------------

class _Stream(io.RawIOBase):
    """An HTTP response body as a binary stream whose read errors name the store."""

    def __init__(self, response: http.client.HTTPResponse, where: str) -> None:
        super().__init__()
        self._response = response
        self._where = where
        self.media_type = response.headers.get_content_type()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            n = self._response.readinto(buffer)
        except (http.client.HTTPException, ConnectionError, socket.timeout) as err:
            raise _unreachable(err, self._where) from None
        if n == 0 and len(buffer) and self._response.length:
            # http.client ends a body cut short of its Content-Length silently.
            raise RemoteError(f"the SPARQL store broke off its answer, {self._response.length} "
                              "bytes short", where=self._where)
        return n

    def close(self) -> None:
        # Closing mid-body drops the connection, which is how the store learns to stop.
        self._response.close()
        super().close()


def _unreachable(err: Exception, where: str) -> RemoteError:
    reason = getattr(err, "reason", None) or err
    return RemoteError(f"cannot reach the SPARQL store: {reason}", where=where)


def _query_results(body: _Stream) -> ox.QuerySolutions | ox.QueryBoolean:
    """Solutions parsed as they are read (the stream closes when they are dropped), or a
    boolean (read whole)."""
    fmt = _RESULTS_MEDIA.get(body.media_type, ox.QueryResultsFormat.JSON)
    try:
        results = ox.parse_query_results(body, format=fmt)
    except BaseException:
        body.close()
        raise
    if isinstance(results, ox.QueryBoolean):
        body.close()
    return results


def _query_triples(body: bytes, fmt: ox.RdfFormat) -> ox.QueryTriples:
    """Triples as a real ``QueryTriples``, the type the embedded store returns."""
    mem = ox.Store()
    mem.load(body, format=fmt, to_graph=ox.DefaultGraph())
    return mem.query("CONSTRUCT WHERE { ?s ?p ?o }")


# -- bindings as VALUES -----------------------------------------------------------------------

_TOKEN = re.compile(r'''
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7-\uffff]+)
  | (?P<word>(?:[\w:\-\u00b7-\uffff]|\.(?=[\w:\-]))+)
  | (?P<punct>.)
''', re.X | re.S)
_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_VAR_NAME = re.compile(r"[A-Za-z_0-9\u00b7-\uffff]+")


def _tokens(sparql: str):
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup not in ("ws", "comment"):
            yield m.lastgroup, m.group(), m.end()


def query_form(sparql: str) -> str | None:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first query-form keyword outside strings and IRIs."""
    for kind, text, _ in _tokens(sparql):
        if kind == "word" and text.upper() in _FORMS:
            return text.upper()
    return None


def _has_using(sparql: str) -> bool:
    """Whether an update has a USING clause (outside strings, IRIs and comments)."""
    return any(kind == "word" and text.upper() == "USING" for kind, text, _ in _tokens(sparql))


def _where_brace(sparql: str) -> int:
    """Offset just after the ``{`` that opens the query's outermost WHERE group."""
    form, depth, after_where, first_brace = None, 0, False, None
    for kind, text, end in _tokens(sparql):
        if kind == "word" and depth == 0:
            word = text.upper()
            if form is None and word in _FORMS:
                form = word
            elif word == "WHERE":
                after_where = True
        elif kind == "punct" and text in "{(":
            if depth == 0 and text == "{" and form is not None:
                if after_where:
                    return end
                if first_brace is None and form != "CONSTRUCT":
                    first_brace = end
            depth += 1
        elif kind == "punct" and text in "})":
            depth -= 1
    if first_brace is None:
        raise QueryError("cannot bind variables: no WHERE clause found in the query")
    return first_brace


def _projection(sparql: str) -> set[str] | None:
    """The variables a SELECT query projects; None for ``SELECT *`` and other forms."""
    names: set[str] = set()
    in_select, depth, previous = False, 0, ""
    for kind, text, _ in _tokens(sparql):
        word = text.upper() if kind == "word" else ""
        if not in_select:
            if word in _FORMS:
                if word != "SELECT":
                    return None
                in_select = True
            continue
        if depth == 0 and (word in ("WHERE", "FROM") or text == "{"):
            return names
        if text == "*" and depth == 0:
            return None
        if kind == "var" and (depth == 0 or previous == "AS"):
            names.add(text[1:])
        depth += text == "("
        depth -= text == ")"
        previous = word
    return names


def sparql_term(value) -> str:
    """A term as SPARQL text, escaped by pyoxigraph's N-Triples writer (never raw strings)."""
    if isinstance(value, rdflib.URIRef):
        value = ox.NamedNode(str(value))
    elif isinstance(value, rdflib.Literal):
        value = ox.Literal(str(value), language=value.language,
                           datatype=ox.NamedNode(str(value.datatype)) if value.datatype else None)
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return str(value)
    raise QueryError(f"a binding must be an IRI or a literal, not {type(value).__name__}")


def bind_values(sparql: str, bindings: Mapping[str, object]) -> str:
    """Bind variables by a VALUES block at the start of the outermost WHERE group.

    Joined first, a one-row VALUES block restricts every solution to the given terms, which
    is what binding (pre-substitution) means for the queries we run.
    """
    names = []
    for name in bindings:
        if not _VAR_NAME.fullmatch(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
        names.append(name)
    projected = _projection(sparql)
    missing = [n for n in names if projected is not None and n not in projected]
    if missing:
        # The embedded store refuses this too; refusing it here keeps the backends alike.
        raise QueryError(f"cannot bind ?{missing[0]}: the SELECT projection does not contain it")
    row = " ".join(sparql_term(bindings[n]) for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    at = _where_brace(sparql)
    return sparql[:at] + block + sparql[at:]
