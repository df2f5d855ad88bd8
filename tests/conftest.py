"""Shared fixtures: an app on a fresh temporary store, its test client, and a live server.

``app`` accepts writes with the bearer token ``WRITE_TOKEN``; request the ``app_config``
fixture in a module (override it) to change the configuration. A module runs on both store
backends by overriding ``store`` with ``backend_store`` (see ``backends.py``).
"""

from __future__ import annotations

import pytest

from graph_service.store import OxigraphStore
from graph_service.web import create_app

# The backends' fixtures, for modules that run on both backends (see backends.py).
from backends import api_fixture_store, backend_of, backend_store  # noqa: F401
from oxigraph_server import oxigraph_server  # noqa: F401  (session fixture)
from serving import serving

WRITE_TOKEN = "test-token-5f2c"
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}


@pytest.fixture
def app_config() -> dict:
    """Configuration on top of the defaults; override in a test module to change it."""
    return {}


@pytest.fixture
def store(tmp_path):
    s = OxigraphStore(tmp_path / "store")
    yield s
    s.close()


@pytest.fixture
def app(store, app_config):
    config = {"TESTING": True, "WRITE_TOKEN": WRITE_TOKEN, "QUERY_TIMEOUT": 10,
              "SERVICE_ALLOWLIST": "", **app_config}
    return create_app(config, store=store)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def live_server(app):
    """The app served by waitress on a free loopback port; yields its base URL."""
    with serving(app) as url:
        yield url


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "embedded_only(reason): the remote variant is skipped, "
                                       "for the limitation of the remote store named by reason")


def pytest_collection_modifyitems(items) -> None:
    """Skip the remote variant of a test marked ``embedded_only(reason)``, with its reason."""
    for item in items:
        marker = item.get_closest_marker("embedded_only")
        if marker is not None and backend_of(item) == "remote":
            reason = marker.args[0] if marker.args else marker.kwargs["reason"]
            item.add_marker(pytest.mark.skip(reason=f"remote backend: {reason}"))
