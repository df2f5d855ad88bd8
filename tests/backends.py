"""The two store backends, loaded with the same TriG fixture, for service tests that must
pass unchanged on both: the embedded Oxigraph store, and a real Oxigraph server on loopback
behind the SPARQL backend (``SparqlStore``)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from graph_service.formats import RDFFormat
from graph_service.remote_store import SparqlStore
from graph_service.store import OxigraphStore, Store

BACKENDS = ["embedded", "remote"]


def loaded_store(request: pytest.FixtureRequest, trig: bytes) -> Store:
    """A store of the backend ``request.param`` holding ``trig``; the caller closes it."""
    if request.param == "embedded":
        store = OxigraphStore(None)
        store.bulk_load(trig, RDFFormat.TRIG)
        return store
    server = request.getfixturevalue("oxigraph_server")
    server.clear()
    load = urllib.request.Request(server.url + "/store", data=trig, method="POST",
                                  headers={"Content-Type": "application/trig"})
    with urllib.request.urlopen(load, timeout=30):
        pass
    return SparqlStore(server.query_endpoint, server.update_endpoint)


API_FIXTURE = Path(__file__).parent / "data" / "api-fixture.trig"


@pytest.fixture(params=BACKENDS)
def api_fixture_store(request):
    """The hand-written API fixture (``data/api-fixture.trig``) on each backend."""
    s = loaded_store(request, API_FIXTURE.read_bytes())
    yield s
    s.close()
