"""Start the servers the benchmarks compare, each as its own process on loopback.

* ``kg``: our service, ``kg serve`` (waitress + the Flask app on the embedded store);
* ``oxigraph``: Oxigraph's own server, ``oxigraph serve --union-default-graph``;
* ``rdflib``: rdflib-endpoint over an rdflib ``Dataset(default_union=True)`` (``rdflib_server.py``);
* ``kg-remote``: ``kg serve --backend sparql`` in front of the Oxigraph server.

Every target answers the SPARQL 1.1 Protocol at ``sparql_url``; the ``kg`` ones also serve the
JSON API under ``base_url``. ``ready_seconds`` is the time from spawning the process to its
first answered query.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

from graph_service.web.server import DEFAULT_THREADS

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Target:
    name: str
    process: subprocess.Popen
    sparql_url: str
    base_url: str | None = None       # the JSON API, for our service
    ready_seconds: float = 0.0
    warm_seconds: float | None = None  # our service: until /health says its read models are built
    log: Path | None = None
    peak_rss: int = 0
    extra: dict = field(default_factory=dict)

    def rss(self) -> int:
        """Resident memory of the server process and its children, in bytes."""
        try:
            proc = psutil.Process(self.process.pid)
            total = proc.memory_info().rss
            for child in proc.children(recursive=True):
                total += child.memory_info().rss
            return total
        except psutil.Error:
            return 0

    def sample(self) -> None:
        self.peak_rss = max(self.peak_rss, self.rss())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_ready(target: Target, *, timeout: float, started: float) -> None:
    """Poll with a trivial ASK until the server answers 200."""
    def answers() -> bool:
        r = requests.post(target.sparql_url, data={"query": "ASK { ?s ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=5)
        return r.status_code == 200
    target.ready_seconds = _poll(target, answers, timeout=timeout, started=started,
                                 what="not ready", every=0.02)


def _poll(target: Target, check, *, timeout: float, started: float, what: str,
          every: float) -> float:
    """Seconds from ``started`` until ``check()`` is true (connection errors count as no)."""
    deadline = started + timeout
    while True:
        target.sample()     # peak memory while starting, read models included
        if target.process.poll() is not None:
            tail = target.log.read_text(errors="replace")[-3000:] if target.log else ""
            raise RuntimeError(f"{target.name} exited ({target.process.returncode}): {tail}")
        try:
            if check():
                return time.perf_counter() - started
        except requests.RequestException:
            pass
        if time.perf_counter() > deadline:
            raise RuntimeError(f"{target.name}: {what} after {timeout} s")
        time.sleep(every)


def _spawn(name: str, cmd: list[str], logdir: Path, env: dict | None = None) -> tuple:
    logdir.mkdir(parents=True, exist_ok=True)
    log = logdir / f"{name}.log"
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            env={**os.environ, **(env or {})})
    return proc, log, started


def start_kg(store: Path, *, logdir: Path, threads: int = DEFAULT_THREADS, timeout: float = 600,
             name: str = "kg", backend_args: list[str] | None = None) -> Target:
    port = free_port()
    cmd = [str(BIN / "kg"), "serve", "--port", str(port), "--threads", str(threads)]
    cmd += backend_args if backend_args else ["--store", str(store)]
    proc, log, started = _spawn(name, cmd, logdir)
    t = Target(name, proc, f"http://127.0.0.1:{port}/sparql", f"http://127.0.0.1:{port}", log=log)
    wait_ready(t, timeout=timeout, started=started)
    wait_warm(t, timeout=timeout, started=started)
    return t


def wait_warm(target: Target, *, timeout: float, started: float) -> None:
    """Wait until the claim index and the statistics, read in the background after a start,
    are built (``/health``'s ``ready``), so that their build does not fall on the timings."""
    def built() -> bool:
        ready = requests.get(target.base_url + "/health", timeout=30).json().get("ready", {})
        return bool(ready) and all(ready.values())
    target.warm_seconds = _poll(target, built, timeout=timeout, started=started,
                                what="read models not built", every=0.2)


def start_kg_remote(oxigraph: Target, *, logdir: Path, threads: int = DEFAULT_THREADS) -> Target:
    base = oxigraph.sparql_url.rsplit("/", 1)[0]
    return start_kg(Path("-"), logdir=logdir, threads=threads, name="kg-remote",
                    backend_args=["--backend", "sparql", "--query-endpoint", base + "/query",
                                  "--update-endpoint", base + "/update"])


class _Running:
    """A server started earlier, by pid: enough of Popen for Target (never stopped here)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def poll(self):
        return None if psutil.pid_exists(self.pid) else 0

    def terminate(self) -> None:
        pass

    def wait(self, timeout: float | None = None) -> int:
        return 0


def attach(name: str, sparql_url: str, pid: int) -> Target:
    """A target already running (e.g. rdflib-endpoint, whose load takes minutes)."""
    t = Target(name, _Running(pid), sparql_url)
    wait_ready(t, timeout=600, started=time.perf_counter())
    t.ready_seconds = float("nan")
    return t


def start_oxigraph(location: Path, *, logdir: Path, timeout: float = 600,
                   read_only: bool = False) -> Target:
    port = free_port()
    cmd = [str(BIN / "oxigraph"), "serve-read-only" if read_only else "serve",
           "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    proc, log, started = _spawn("oxigraph", cmd, logdir)
    t = Target("oxigraph", proc, f"http://127.0.0.1:{port}/query", log=log)
    wait_ready(t, timeout=timeout, started=started)
    return t


def start_rdflib(corpus: Path, *, logdir: Path, timeout: float = 3600) -> Target:
    port = free_port()
    cmd = [sys.executable, str(HERE / "rdflib_server.py"), str(corpus), "--port", str(port)]
    proc, log, started = _spawn("rdflib", cmd, logdir)
    t = Target("rdflib", proc, f"http://127.0.0.1:{port}/sparql", log=log)
    wait_ready(t, timeout=timeout, started=started)
    return t
