"""A real Oxigraph server on loopback, for tests of the remote store and the benchmarks.

``start_oxigraph_server()`` is a context manager usable anywhere; ``oxigraph_server`` is a
session fixture (one server for the run; tests empty it with ``DROP ALL`` as they need).
Import the fixture into a test module or conftest: ``from oxigraph_server import oxigraph_server``.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command from the ``oxigraph`` package, beside this Python first."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class OxigraphServer:
    process: subprocess.Popen
    port: int
    location: Path | None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_endpoint(self) -> str:
        return self.url + "/query"

    @property
    def update_endpoint(self) -> str:
        return self.url + "/update"

    def update(self, sparql: str) -> None:
        """Run an update directly (to set up or empty the store behind the code under test)."""
        req = urllib.request.Request(self.update_endpoint, data=sparql.encode("utf-8"),
                                     headers={"Content-Type": "application/sparql-update"})
        with urllib.request.urlopen(req, timeout=30):
            pass

    def clear(self) -> None:
        self.update("DROP ALL")


def _wait_ready(server: OxigraphServer, *, timeout: float) -> None:
    url = server.query_endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited with code {server.process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph serve not ready after {timeout} s") from None
            time.sleep(0.05)


@contextlib.contextmanager
def start_oxigraph_server(location: Path | None = None, *, union_default_graph: bool = True,
                          read_only: bool = False, timeout: float = 60.0):
    """Run ``oxigraph serve`` on a free loopback port until the block ends.

    ``location=None`` keeps the data in memory; ``read_only`` uses ``serve-read-only``.
    """
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    cmd = [binary, "serve-read-only" if read_only else "serve",
           "--bind", f"127.0.0.1:{port}"]
    if location is not None:
        cmd += ["--location", str(location)]
    if union_default_graph:
        cmd.append("--union-default-graph")
    log = tempfile.TemporaryFile()  # a file, not a pipe: a chatty server never blocks on it
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
    server = OxigraphServer(process, port, location)
    try:
        try:
            _wait_ready(server, timeout=timeout)
        except RuntimeError as err:
            log.seek(0)
            raise RuntimeError(f"{err}: {log.read()[-2000:].decode('utf-8', 'replace')}") from None
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def oxigraph_server():
    """One in-memory Oxigraph server (union default graph) for the whole test session."""
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    with start_oxigraph_server() as server:
        yield server


@pytest.fixture
def empty_oxigraph_server(oxigraph_server):
    """The session server, emptied before the test."""
    oxigraph_server.clear()
    return oxigraph_server
