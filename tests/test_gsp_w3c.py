"""Every entry of the W3C Graph Store Protocol manifest for indirect identification, on /store.

One pytest case per ``mf:GraphStoreProtocolTest`` in
``tests/data/w3c/graph-store-protocol/manifest-indirect.ttl``: ``/gsp`` becomes ``/store``,
``$LOCATION$`` is the ``Location`` of an earlier response in the same case, statuses are
exact, the response Content-Type must equal the expected header, and a returned graph must be
isomorphic (rdflib) to the expected one. Each case starts on a fresh store, on each backend;
requests carry the write token. ``REMOTE_LIMITS`` names the entries the remote store cannot
pass and why.
"""

from __future__ import annotations

import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import AUTH
from graph_service.formats import RDFFormat
from w3c_manifest import W3C_DATA, load_cases

CASES = load_cases(W3C_DATA / "graph-store-protocol" / "manifest-indirect.ttl")


@pytest.fixture
def store(backend_store):
    """Overrides conftest's store: an empty store on each backend."""
    return backend_store

# Entries the remote backend cannot pass, each for a limitation of the store behind it (the
# service answers them 501 with a message that says so).
REMOTE_LIMITS = {
    "put_get_default": "the store's default graph is the union of its named graphs, and the "
                       "SPARQL protocol has no name for the graph it keeps as its own default "
                       "graph, so that graph cannot be read back on its own",
}


def _param(case):
    marks = [pytest.mark.embedded_only(REMOTE_LIMITS[case.name])] \
        if case.name in REMOTE_LIMITS else []
    return pytest.param(case, id=case.name, marks=marks)


def test_manifest_is_read_whole():
    assert [c.name for c in CASES] == [
        "put_get_repeat_indirect", "put_get_default", "put_delete_get_delete_indirect",
        "post_get_post_get_indirect", "post_get_new_graph", "head_existing_indirect",
        "head_non_existing_indirect", "put_get_uri_pct_encoded_indirect",
        "put_get_uri_pct_encoded_twice"]


def _rewrite(path: str, location: str | None) -> str:
    assert path.startswith("/gsp"), path
    if "$LOCATION$" in path:
        assert location, "no Location captured before it is used"
        path = path.replace("$LOCATION$", location)
    return "/store" + path[len("/gsp"):]


def _normal(header: str) -> str:
    return ";".join(part.strip().lower() for part in header.split(";"))


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_graph_store(case, client):
    location = None
    for i, req in enumerate(case.requests):
        response = client.open(_rewrite(req.path, location), method=req.method,
                               headers={**AUTH, **req.headers}, data=req.body)
        where = f"{case.name} request {i + 1} ({req.method} {req.path[:70]})"
        assert response.status_code in req.expected.statuses, \
            f"{where}: status {response.status_code}: {response.get_data(as_text=True)[:300]}"
        if req.expected.capture_location:
            location = response.headers.get("Location")
            assert location, f"{where}: no Location header"
        if req.expected.content_type:
            assert _normal(response.headers["Content-Type"]) == _normal(req.expected.content_type), where
        if req.expected.body is not None and req.method != "HEAD":
            fmt = RDFFormat.from_media_type(response.mimetype)
            got = rdflib.Graph().parse(data=response.data, format=fmt.rdflib_name)
            want = rdflib.Graph().parse(data=req.expected.body, format="turtle")
            assert len(want) > 0
            assert isomorphic(got, want), f"{where}: graph differs:\n{response.get_data(as_text=True)}"
