"""The Store contract, run against the embedded Oxigraph store and a real Oxigraph server.

The remote backend talks to ``oxigraph serve --union-default-graph`` on loopback; what holds
for one backend must hold for the other (same result types, same atomicity, same bindings).
"""

from __future__ import annotations

import http.server
import json
import threading

import pyoxigraph as ox
import pytest
import rdflib

from graph_service.errors import InputError, KGError, QueryError, RemoteError, StoreError
from graph_service.formats import RDFFormat
from graph_service.store.remote import SparqlStore, bind_values, query_form
from graph_service.store import OxigraphStore, open_store, replace_graphs_update
from oxigraph_server import oxigraph_server, start_oxigraph_server  # noqa: F401 (fixture)

EX = "http://example.org/"
G1, G2, G3 = EX + "graph/1", EX + "graph/2", EX + "graph/3"
P = ox.NamedNode(EX + "p")


def nt(*triples: tuple[str, str, str]) -> str:
    return "\n".join(f"<{EX}{s}> <{EX}{p}> {o} ." for s, p, o in triples)


@pytest.fixture
def store(backend_store):
    """An empty store on each backend (``backends.py``)."""
    return backend_store


@pytest.fixture
def filled(store):
    store.replace_graphs({
        G1: nt(("a", "p", '"one"'), ("a", "q", f"<{EX}b>")),
        G2: nt(("b", "p", '"two"@en'), ("c", "p", "3")),
    })
    return store


# -- writes -------------------------------------------------------------------------------

def test_replace_graphs_writes_each_graph(filled):
    assert filled.named_graphs() == [G1, G2]
    assert filled.count() == 4
    assert filled.has_graph(G1) and not filled.has_graph(G3)


def test_replace_graphs_replaces_rather_than_adds(filled):
    filled.replace_graphs({G1: nt(("z", "p", '"new"'))})
    rows = filled.query(f"SELECT ?s ?o WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
    assert [(r["s"].value, r["o"].value) for r in rows] == [(EX + "z", "new")]
    assert filled.count() == 3


def test_replace_graphs_accepts_rdflib_graphs(store):
    g = rdflib.Graph()
    g.add((rdflib.URIRef(EX + "s"), rdflib.URIRef(EX + "p"), rdflib.Literal('quote " and \\')))
    store.replace_graphs({G3: g})
    (row,) = list(store.query("SELECT ?o WHERE { ?s ?p ?o }"))
    assert row["o"].value == 'quote " and \\'


def test_a_failing_update_leaves_nothing(filled):
    update = (replace_graphs_update({G1: nt(("x", "p", '"half"')), G3: nt(("y", "p", "1"))})
              + f" ;\nDROP GRAPH <{EX}graph/does-not-exist>")
    with pytest.raises((KGError, RuntimeError)):
        filled.update(update)
    assert filled.named_graphs() == [G1, G2]
    assert filled.count() == 4
    assert not filled.has_graph(G3)
    assert bool(filled.query(f'ASK {{ GRAPH <{G1}> {{ <{EX}a> <{EX}p> "one" }} }}'))


def test_a_malformed_update_is_a_query_error(filled):
    with pytest.raises(QueryError):
        filled.update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> } }")
    assert filled.count() == 4


def test_drop_graphs(filled):
    filled.drop_graphs([G1, G3])
    assert filled.named_graphs() == [G2]


# -- reads --------------------------------------------------------------------------------

def test_result_types_match_the_embedded_store(filled):
    assert isinstance(filled.query("SELECT * WHERE { ?s ?p ?o }"), ox.QuerySolutions)
    assert isinstance(filled.query("ASK { ?s ?p ?o }"), ox.QueryBoolean)
    assert isinstance(filled.query("CONSTRUCT WHERE { ?s ?p ?o }"), ox.QueryTriples)
    assert isinstance(filled.query(f"DESCRIBE <{EX}a>"), ox.QueryTriples)
    sols = filled.query("SELECT ?s ?o WHERE { ?s ?p ?o }")
    assert [v.value for v in sols.variables] == ["s", "o"]
    body = filled.query("SELECT ?s WHERE { ?s ?p ?o }").serialize(
        format=ox.QueryResultsFormat.JSON)
    assert len(json.loads(body)["results"]["bindings"]) == 4


def test_default_graph_is_the_union_of_named_graphs(filled):
    (row,) = list(filled.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert row["n"].value == "4"


def test_literals_keep_language_and_datatype(filled):
    rows = {r["s"].value: r["o"] for r in filled.query(f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }}")}
    assert rows[EX + "b"] == ox.Literal("two", language="en")
    assert rows[EX + "c"] == ox.Literal("3", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))


def test_dataset_arguments_restrict_the_query(filled):
    rows = filled.query("SELECT ?s WHERE { ?s ?p ?o }", default_graph=[G2])
    assert sorted(r["s"].value for r in rows) == [EX + "b", EX + "c"]
    rows = filled.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[G1])
    assert {r["g"].value for r in rows} == {G1}


def test_graph_as_rdflib(filled):
    g = filled.graph(G1)
    assert len(g) == 2
    assert (rdflib.URIRef(EX + "a"), rdflib.URIRef(EX + "p"), rdflib.Literal("one")) in g


def test_export_round_trips_as_nquads(filled):
    data = filled.export(RDFFormat.NQUADS)
    copy = ox.Store()
    copy.load(data, format=ox.RdfFormat.N_QUADS)
    assert len(copy) == 4
    assert {q.graph_name.value for q in copy} == {G1, G2}


def test_export_refuses_a_triple_format(filled):
    with pytest.raises(StoreError):
        filled.export(RDFFormat.TURTLE)


def test_a_malformed_query_is_a_query_error_with_position(filled):
    with pytest.raises(QueryError) as info:
        filled.query("SELECT * WHERE { ?s ?p }")
    assert info.value.line == 1 and info.value.column is not None


def test_error_positions_ignore_the_base_we_add(filled):
    with pytest.raises(QueryError) as info:
        filled.query("SELECT * WHERE {\n  ?s ?p \n}", base_iri="http://example.org/base/")
    assert info.value.line == 3


# -- bindings -----------------------------------------------------------------------------

def test_binding_an_iri(filled):
    rows = filled.query("SELECT ?s ?o WHERE { ?s ?p ?o }",
                        bindings={"s": ox.NamedNode(EX + "a")})
    assert sorted(r["o"].value for r in rows) == [EX + "b", "one"]


def test_bound_variable_is_in_the_results(filled):
    rows = list(filled.query("SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"o": ox.Literal("one")}))
    assert [(r["s"].value, r["o"].value) for r in rows] == [(EX + "a", "one")]


def test_binding_in_an_aggregate_ask_and_construct(filled):
    a = ox.NamedNode(EX + "a")
    (row,) = list(filled.query("SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s",
                               bindings={"s": a}))
    assert row["n"].value == "2"
    assert bool(filled.query("ASK { ?s ?p ?o }", bindings={"o": ox.Literal("two", language="en")}))
    assert not bool(filled.query("ASK { ?s ?p ?o }", bindings={"o": ox.Literal("two")}))
    triples = list(filled.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", bindings={"s": a}))
    assert len(triples) == 2


@pytest.mark.parametrize("hostile", [
    '"} } ; DROP ALL ; #',
    "one' } #",
    'line\nbreak "quoted" \\ backslash',
    "> } DROP ALL",
])
def test_binding_a_hostile_literal_is_data_not_syntax(filled, hostile):
    rows = list(filled.query("SELECT ?s ?o WHERE { ?s ?p ?o }",
                             bindings={"o": ox.Literal(hostile)}))
    assert rows == []
    assert filled.count() == 4


# -- the remote backend only ----------------------------------------------------------------

def test_open_store_switches_backend(oxigraph_server, tmp_path):
    oxigraph_server.clear()
    s = open_store(backend="sparql", query_endpoint=oxigraph_server.query_endpoint,
                   update_endpoint=oxigraph_server.update_endpoint)
    assert isinstance(s, SparqlStore)
    assert isinstance(open_store(tmp_path / "s"), OxigraphStore)
    with pytest.raises(InputError):
        open_store(backend="postgres")


def test_a_store_without_union_default_graph_is_refused():
    with start_oxigraph_server(union_default_graph=False) as server:
        server.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}a> <{EX}p> 1 }} }}")
        with pytest.raises(StoreError, match="union"):
            SparqlStore(server.query_endpoint, server.update_endpoint)
        server.clear()  # an empty store is probed by a write that is dropped again
        with pytest.raises(StoreError, match="union"):
            SparqlStore(server.query_endpoint, server.update_endpoint)
        assert SparqlStore(server.query_endpoint, server.update_endpoint,
                           check=False).named_graphs() == []


def test_the_union_probe_leaves_no_trace(oxigraph_server):
    oxigraph_server.clear()
    s = SparqlStore(oxigraph_server.query_endpoint, oxigraph_server.update_endpoint)
    assert s.named_graphs() == [] and s.count() == 0


def test_read_only_needs_no_update_endpoint_and_refuses_writes(oxigraph_server):
    oxigraph_server.clear()
    s = SparqlStore(oxigraph_server.query_endpoint, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        s.replace_graphs({G1: nt(("a", "p", "1"))})
    with pytest.raises(InputError, match="update endpoint"):
        SparqlStore(oxigraph_server.query_endpoint)


def test_an_unreachable_store_is_a_remote_error():
    from oxigraph_server import free_port
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(RemoteError, match="cannot reach"):
        SparqlStore(url, read_only=True)


@pytest.mark.parametrize("query,form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX select: <urn:x:> # ASK in a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ('BASE <urn:ask> ask {}', "ASK"),
    ("describe <urn:x>", "DESCRIBE"),
])
def test_query_form(query, form):
    assert query_form(query) == form


@pytest.mark.parametrize("query,expected", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { VALUES (?s) { (<urn:x>) }  ?s ?p ?o }"),
    ("SELECT * { ?s ?p ?o }", "SELECT * { VALUES (?s) { (<urn:x>) }  ?s ?p ?o }"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
     "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<urn:x>) }  ?s ?p ?o }"),
    ('# WHERE {\nSELECT ?s ("WHERE {" AS ?x) FROM <urn:where> WHERE { ?s ?p ?o }',
     '# WHERE {\nSELECT ?s ("WHERE {" AS ?x) FROM <urn:where> '
     'WHERE { VALUES (?s) { (<urn:x>) }  ?s ?p ?o }'),
    ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }",
     "SELECT ?s WHERE { VALUES (?s) { (<urn:x>) }  { SELECT ?s WHERE { ?s ?p ?o } } }"),
    ("PREFIX ex: <urn:ex:> SELECT * WHERE { ?s ex:where ?o }",
     "PREFIX ex: <urn:ex:> SELECT * WHERE { VALUES (?s) { (<urn:x>) }  ?s ex:where ?o }"),
])
def test_bindings_become_a_values_block_in_the_where_group(query, expected):
    assert bind_values(query, {"s": ox.NamedNode("urn:x")}) == expected


@pytest.mark.parametrize("bindings,error", [
    ({"s } DROP ALL #": ox.NamedNode("urn:x")}, "variable name"),
    ({"s": ox.BlankNode()}, "IRI or a literal"),
    ({"s": "urn:a plain string"}, "IRI or a literal"),
])
def test_bad_bindings_are_refused(bindings, error):
    with pytest.raises(QueryError, match=error):
        bind_values("SELECT * WHERE { ?s ?p ?o }", bindings)


def test_binding_a_variable_the_select_does_not_project_is_refused(filled):
    with pytest.raises((QueryError, RuntimeError)):
        filled.query("SELECT ?o WHERE { ?s ?p ?o }", bindings={"s": ox.NamedNode(EX + "a")})


@pytest.mark.parametrize("query,projected", [
    ("SELECT ?s ?o WHERE { ?s ?p ?o }", {"s", "o"}),
    ("SELECT DISTINCT ?s (COUNT(?o) AS ?n) (STR(?x) AS ?y) { ?s ?p ?o }", {"s", "n", "y"}),
    ("SELECT * WHERE { ?s ?p ?o }", None),
    ("SELECT ?s FROM <urn:g> WHERE { ?s ?p ?o }", {"s"}),
    ("ASK { ?s ?p ?o }", None),
])
def test_projection(query, projected):
    from graph_service.store.remote import _projection
    assert _projection(query) == projected


def test_rdflib_terms_are_accepted_as_bindings():
    out = bind_values("ASK { ?s ?p ?o }", {"o": rdflib.Literal("x", lang="en")})
    assert 'VALUES (?o) { ("x"@en) }' in out


# -- credentials --------------------------------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every query with ``true`` (or 401 without credentials) and keeps the headers."""

    seen: list = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).seen.append(self.headers.get("Authorization"))
        if self.headers.get("Authorization") is None:
            self.send_response(401)
            self.end_headers()
            return
        body = b'{"head":{},"boolean":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("env,header", [
    ({"KG_SPARQL_TOKEN": "t0ken"}, "Bearer t0ken"),
    ({"KG_SPARQL_USER": "kg", "KG_SPARQL_PASSWORD": "s3cret"}, "Basic a2c6czNjcmV0"),
])
def test_credentials_come_from_the_environment(recorder, monkeypatch, env, header):
    for k in ("KG_SPARQL_TOKEN", "KG_SPARQL_USER", "KG_SPARQL_PASSWORD"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    s = SparqlStore(recorder, read_only=True, check=False)
    assert bool(s.query("ASK {}"))
    assert _Recorder.seen == [header]


def test_missing_credentials_say_which_variables_to_set(recorder, monkeypatch):
    for k in ("KG_SPARQL_TOKEN", "KG_SPARQL_USER", "KG_SPARQL_PASSWORD"):
        monkeypatch.delenv(k, raising=False)
    s = SparqlStore(recorder, read_only=True, check=False)
    with pytest.raises(RemoteError, match="KG_SPARQL_USER"):
        s.query("ASK {}")


def test_half_credentials_are_refused(monkeypatch):
    monkeypatch.delenv("KG_SPARQL_TOKEN", raising=False)
    monkeypatch.setenv("KG_SPARQL_USER", "kg")
    monkeypatch.delenv("KG_SPARQL_PASSWORD", raising=False)
    with pytest.raises(InputError, match="KG_SPARQL_PASSWORD"):
        SparqlStore("http://127.0.0.1:9/query", read_only=True, check=False)


# -- solutions as they arrive -------------------------------------------------------------

def test_solutions_are_read_as_they_arrive(oxigraph_server):
    """The first rows of a huge cross join come at once, without waiting for the other 27
    million, and dropping the rest closes the connection at once."""
    oxigraph_server.clear()
    s = SparqlStore(oxigraph_server.query_endpoint, oxigraph_server.update_endpoint)
    s.replace_graphs({G1: "\n".join(f'<{EX}s{i}> <{EX}p> "{i}" .' for i in range(300))})
    rows = iter(s.query("SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"))  # 27 million
    assert all(next(rows) is not None for _ in range(100))
    del rows
    assert s.count() == 300


class _BrokenOff(http.server.BaseHTTPRequestHandler):
    """Promises a long SELECT answer and hangs up after its first solution."""

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = (b'{"head":{"vars":["x"]},"results":{"bindings":['
                b'{"x":{"type":"literal","value":"1"}},')
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body) + 10_000))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_an_answer_broken_off_is_a_remote_error():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BrokenOff)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        s = SparqlStore(f"http://127.0.0.1:{server.server_address[1]}/sparql", read_only=True,
                        check=False)
        with pytest.raises(RemoteError, match="broke off its answer"):
            list(s.query("SELECT ?x WHERE { ?x ?p ?o }"))
    finally:
        server.shutdown()
        server.server_close()
