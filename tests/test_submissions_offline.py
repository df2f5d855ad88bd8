"""Validation never reaches the network: no owl:imports fetching, no SPARQL SERVICE.

Python-level connections are refused by a fixture that records every attempt; a SERVICE call
made by Oxigraph (Rust, outside Python's socket module) is caught by a listening socket on
loopback that the SERVICE IRI points at: it must see no connection.
"""

from __future__ import annotations

import socket
import threading

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SH

from graph_service.validation import shapes, submissions
from graph_service.store import OxigraphStore
from graph_service.vocab import KG

import submission_data as d

SHAPES_ONTOLOGY = URIRef("https://w3id.org/nkru/shapes#")


@pytest.fixture
def attempts(monkeypatch) -> list:
    """Refuse and record every outbound connection made through Python's socket module."""
    seen: list = []
    real_connect = socket.socket.connect

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost"):
            seen.append(address)
            raise OSError(f"network access during validation: {address}")
        return real_connect(self, address)

    def getaddrinfo(host, *args, **kwargs):
        seen.append(host)
        raise OSError(f"name lookup during validation: {host}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return seen


@pytest.fixture
def shapes_with(monkeypatch):
    """Use the project's shapes plus some extra triples for one test."""
    real = shapes.load_shapes

    def install(extra: Graph) -> None:
        def load() -> Graph:
            g = real()
            g += extra
            return g
        monkeypatch.setattr(shapes, "load_shapes", load)
        shapes._prepared.cache_clear()

    yield install
    shapes._prepared.cache_clear()


@pytest.fixture
def seeded():
    store = OxigraphStore(None)
    d.seed(store)
    return store


class Listener:
    """A loopback server that counts and drops connections (an Oxigraph SERVICE call is one)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()  # the caller gets an error at once instead of waiting

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_owl_imports_in_the_shapes_are_not_fetched(seeded, attempts, shapes_with):
    extra = Graph()
    extra.add((SHAPES_ONTOLOGY, OWL.imports, URIRef("http://example.invalid/x")))
    shapes_with(extra)
    report = submissions.validate_submission(seeded, d.records(d.record()), "application/json")
    assert report.conforms, report.text
    bad = submissions.validate_submission(seeded, d.records(d.record(start=1)), "application/json")
    assert not bad.conforms  # validation really ran, offline
    assert attempts == []


def test_owl_imports_in_a_submission_are_refused_not_fetched(seeded, attempts):
    g = d.claim_graph()
    g.add((URIRef(d.claim_iri(g)), OWL.imports, URIRef("http://example.invalid/x")))
    report = submissions.validate_submission(seeded, d.turtle(g), "text/turtle")
    assert any(v["path"] == str(OWL.imports) for v in report.violations)
    assert attempts == []


def test_service_in_a_submitted_shape_is_refused(seeded, attempts, listener):
    port = listener.port
    body = f"""@prefix sh: <{SH}> .
    <https://example.org/s> a sh:NodeShape ; sh:targetClass <{KG.Claim}> ;
      sh:sparql [ sh:select "SELECT $this WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}" ] .
    """.encode()
    report = submissions.validate_submission(seeded, body, "text/turtle")
    service = [v for v in report.violations if v["path"] == str(SH.select)]
    assert service and "SERVICE" in service[0]["message"]
    assert listener.connections == 0 and attempts == []


def test_service_in_the_shapes_never_runs(seeded, attempts, listener, shapes_with):
    port = listener.port
    extra = Graph()
    shape, constraint = URIRef("https://example.org/shape"), URIRef("https://example.org/c")
    extra.add((shape, RDF.type, SH.NodeShape))
    extra.add((shape, SH.targetClass, KG.Claim))
    extra.add((shape, SH.sparql, constraint))
    extra.add((constraint, SH.select, Literal(
        f"SELECT $this WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ $this ?p ?o }} }}")))
    shapes_with(extra)
    try:
        submissions.validate_submission(seeded, d.records(d.record()), "application/json")
    except Exception:
        pass  # refusing the shape is fine; calling out is not
    assert listener.connections == 0 and attempts == []
