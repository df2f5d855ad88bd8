"""Shared fixtures: an app on a fresh temporary store, its test client, and a live server.

``app`` accepts writes with the bearer token ``WRITE_TOKEN``; request the ``app_config``
fixture in a module (override it) to change the configuration.
"""

from __future__ import annotations

import threading

import pytest

from graph_service.store import OxigraphStore
from graph_service.web import create_app
from graph_service.web.server import make_server, stop

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
    server = make_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    stop(server, thread)
