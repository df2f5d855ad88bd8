"""Every entry of the W3C SPARQL 1.1 Protocol manifest, run against /sparql.

One pytest case per ``mf:ProtocolTest`` in ``tests/data/w3c/protocol/manifest.ttl``. Paths
under ``/sparql/`` go to our ``/sparql``; each case gets a fresh store with its ``ut:graphData``
loaded under the IRIs of their labels; every request carries the write token (the suite
tests the protocol, not authorisation, which ``test_sparql_endpoint.py`` covers).
Results are read back with rdflib's parsers, not Oxigraph's, so the check is independent.
Each case runs on both store backends; ``REMOTE_LIMITS`` names the entries the remote store
cannot pass and why.
"""

from __future__ import annotations

import io

import pytest
import rdflib
from rdflib.query import Result

from conftest import AUTH
from graph_service.formats import RDFFormat
from w3c_manifest import W3C_DATA, load_cases

MANIFEST = W3C_DATA / "protocol" / "manifest.ttl"
CASES = load_cases(MANIFEST)

BOOLEAN_TYPES = {"application/sparql-results+json": "json",
                 "application/sparql-results+xml": "xml"}
TABULAR_TYPES = {**BOOLEAN_TYPES, "text/csv": "csv", "text/tab-separated-values": "tsv"}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples"}


@pytest.fixture
def store(backend_store):
    """Overrides conftest's store: an empty store on each backend."""
    return backend_store


@pytest.fixture(params=["threads", "processes"])
def app_config(request):
    """Each case under both query designs (``KG_QUERY_WORKERS``): worker processes read a
    checkpoint of the store, made again after each update, which these cases (an update,
    then a query) check. Processes apply to the embedded store only."""
    if request.param == "processes" and request.node.callspec.params.get("backend_store") \
            == "remote":
        pytest.skip("the remote store is queried over HTTP: there are no worker processes")
    return {"QUERY_WORKERS": request.param}

# Entries the remote backend cannot pass, each for a limitation of the store behind it (the
# service answers them 501 with a message that says so).
USING_REFUSED = ("Oxigraph server under --union-default-graph refuses an update with USING, "
                 "which is what using-graph-uri/using-named-graph-uri become")
REMOTE_LIMITS = {
    "update_dataset_default_graph": USING_REFUSED,
    "update_dataset_default_graphs": USING_REFUSED,
    "update_dataset_named_graphs": USING_REFUSED,
    "update_dataset_full": USING_REFUSED,
}


def _param(case):
    marks = [pytest.mark.embedded_only(REMOTE_LIMITS[case.name])] \
        if case.name in REMOTE_LIMITS else []
    return pytest.param(case, id=case.name, marks=marks)


def test_manifest_is_read_whole():
    assert len(CASES) == 34
    assert len({c.name for c in CASES}) == 34
    assert set(REMOTE_LIMITS) <= {c.name for c in CASES}


def _rewrite(path: str) -> str:
    assert path.startswith("/sparql/"), path
    return "/sparql" + path[len("/sparql/"):]


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_protocol(case, client, store):
    for path, graph in case.graph_data:
        store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {path.read_text()} }} }}")
    for i, req in enumerate(case.requests):
        headers = {**AUTH, **req.headers}
        response = client.open(_rewrite(req.path), method=req.method, headers=headers,
                               data=req.body)
        where = f"{case.name} request {i + 1} ({req.method} {req.path[:60]})"
        assert response.status_code in req.expected.statuses, \
            f"{where}: status {response.status_code}: {response.get_data(as_text=True)[:300]}"
        if response.status_code >= 400:
            body = response.get_json()
            assert body and body["message"], f"{where}: error without a JSON message"
        _check_format(req.expected, response, where)


def _check_format(expected, response, where: str) -> None:
    media = response.mimetype
    if expected.format == "boolean":
        assert media in BOOLEAN_TYPES, f"{where}: {media} is not a boolean result type"
        result = Result.parse(io.BytesIO(response.data), format=BOOLEAN_TYPES[media])
        assert result.type == "ASK"
        if expected.boolean is not None:
            assert result.askAnswer is expected.boolean, where
    elif expected.format == "tabular":
        assert media in TABULAR_TYPES, f"{where}: {media} is not a tabular result type"
        result = Result.parse(io.BytesIO(response.data), format=TABULAR_TYPES[media])
        assert result.type == "SELECT"
        assert [str(v) for v in result.vars] == ["value"]
        assert [int(row[0]) for row in result] == [1]
    elif expected.format == "RDF":
        assert media in RDF_TYPES, f"{where}: {media} is not an RDF type"
        rdflib.Graph().parse(data=response.data, format=RDFFormat.from_media_type(media).rdflib_name)
