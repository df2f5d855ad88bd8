"""The two store backends, for service tests that must pass unchanged on both: the embedded
Oxigraph store, and a real Oxigraph server on loopback behind the SPARQL backend
(``SparqlStore``).

A test module runs on both by making one of these fixtures its ``store`` (conftest's ``app``
and ``client`` then serve it)::

    @pytest.fixture
    def store(backend_store):
        return backend_store

Every test gets a fresh store: a new embedded store, or the session's Oxigraph server
emptied. A test the remote store cannot pass for a limitation of the store itself is
marked ``@pytest.mark.embedded_only("what the store cannot do")``; conftest skips its remote
variant with that reason.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from graph_service.formats import RDFFormat
from graph_service.store.remote import SparqlStore
from graph_service.store import OxigraphStore, Store

BACKENDS = ["embedded", "remote"]
# The fixtures parametrized by BACKENDS; conftest reads a test's backend from them.
BACKEND_FIXTURES = ("backend_store", "api_fixture_store")


def fresh_store(request: pytest.FixtureRequest, *, on_disk: bool = False) -> Store:
    """An empty store of the backend ``request.param``; the caller closes it.

    ``on_disk``: the embedded store in the test's temporary folder (as ``kg serve`` runs it),
    not in memory.
    """
    if request.param == "embedded":
        return OxigraphStore(request.getfixturevalue("tmp_path") / "store" if on_disk else None)
    server = request.getfixturevalue("oxigraph_server")
    server.clear()
    return SparqlStore(server.query_endpoint, server.update_endpoint)


def loaded_store(request: pytest.FixtureRequest, trig: bytes, *, on_disk: bool = False) -> Store:
    """A store of the backend ``request.param`` holding ``trig``; the caller closes it."""
    store = fresh_store(request, on_disk=on_disk)
    load_trig(request, store, trig)
    return store


def load_trig(request: pytest.FixtureRequest, store: Store, trig: bytes) -> None:
    """Put ``trig`` into a fresh ``store`` fast: a bulk load into the embedded store, one POST
    to the server's Graph Store endpoint for the remote one (parsing TriG is several times
    quicker than parsing the same data as a SPARQL update)."""
    if isinstance(store, OxigraphStore):
        store.bulk_load(trig, RDFFormat.TRIG)
        return
    server = request.getfixturevalue("oxigraph_server")
    load = urllib.request.Request(server.url + "/store", data=trig, method="POST",
                                  headers={"Content-Type": "application/trig"})
    with urllib.request.urlopen(load, timeout=30):
        pass


def backend_of(item: pytest.Item) -> str | None:
    """"embedded" or "remote" for a test parametrized over the backends, else None."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    return next((params[name] for name in BACKEND_FIXTURES if name in params), None)


@pytest.fixture(params=BACKENDS)
def backend_store(request):
    """An empty store on each backend (the embedded one on disk)."""
    s = fresh_store(request, on_disk=True)
    yield s
    s.close()


API_FIXTURE = Path(__file__).parent / "data" / "api-fixture.trig"


@pytest.fixture(params=BACKENDS)
def api_fixture_store(request):
    """The hand-written API fixture (``data/api-fixture.trig``) on each backend."""
    s = loaded_store(request, API_FIXTURE.read_bytes())
    yield s
    s.close()
