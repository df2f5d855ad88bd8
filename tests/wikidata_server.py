"""A Wikidata stand-in on loopback: a real Oxigraph server loaded with tests/wikidata/fixture.ttl,
and a small proxy in front of it that counts requests, records User-Agents and can answer 429.

Import the fixtures into a test module: ``from wikidata_server import wikidata_server, proxy``.
"""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from oxigraph_server import oxigraph_binary, start_oxigraph_server

FIXTURE = Path(__file__).parent / "wikidata" / "fixture.ttl"
ENTITIES = Path(__file__).parent / "wikidata" / "entities.ttl"


def load_fixture(server) -> None:
    req = urllib.request.Request(server.url + "/store?default", data=FIXTURE.read_bytes(),
                                 headers={"Content-Type": "text/turtle"}, method="POST")
    with urllib.request.urlopen(req, timeout=30):
        pass


class Proxy:
    """Forwards every request to ``upstream``; counts them; answers 429 ``fail_429`` times."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.requests: list[dict] = []
        self.fail_429 = 0
        self.retry_after = "1"
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                self._forward()

            def do_POST(self):
                self._forward()

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with proxy.lock:
                    proxy.requests.append({"path": self.path, "method": self.command,
                                           "user_agent": self.headers.get("User-Agent"),
                                           "body": body})
                    refuse = proxy.fail_429 > 0
                    if refuse:
                        proxy.fail_429 -= 1
                if refuse:
                    self.send_response(429)
                    self.send_header("Retry-After", proxy.retry_after)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("content-type", "accept")}
                req = urllib.request.Request(proxy.upstream + _tail(self.path),
                                             data=body if self.command == "POST" else None,
                                             headers=headers, method=self.command)
                try:
                    with urllib.request.urlopen(req, timeout=30) as resp:
                        status, data, ctype = resp.status, resp.read(), resp.headers.get("Content-Type")
                except urllib.error.HTTPError as err:
                    status, data, ctype = err.code, err.read(), err.headers.get("Content-Type")
                self.send_response(status)
                self.send_header("Content-Type", ctype or "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sparql"

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.fail_429 = 0

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _tail(path: str) -> str:
    """``/sparql?x`` -> ``?x``: the proxy's one path maps onto the upstream query endpoint."""
    return path[len("/sparql"):] if path.startswith("/sparql") else path


@pytest.fixture(scope="session")
def wikidata_server():
    """An Oxigraph server holding the Wikidata-shaped fixture (read by every test, never written)."""
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    with start_oxigraph_server(union_default_graph=False) as server:
        load_fixture(server)
        yield server


@pytest.fixture
def proxy(wikidata_server):
    """A fresh counting proxy in front of the fixture server; its ``url`` is the endpoint."""
    p = Proxy(wikidata_server.query_endpoint)
    yield p
    p.close()
