"""With ``KG_QUERY_WORKERS=processes``, runaway queries stop at ``KG_QUERY_TIMEOUT``: their
worker processes are killed, the CPU is free again, and the service answers everyone
meanwhile (``graph_service.web.query_workers``).

A real server on loopback, on a store on disk. CPU is measured as CPU time of the server's
process tree (this process and the query workers under its fork server), not as wall time
of the service under load, so the checks hold on a loaded machine.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import psutil
import pytest
import requests

from graph_service import sandbox
from graph_service.errors import InputError
from graph_service.formats import RDFFormat
from graph_service.store import OxigraphStore
from graph_service.web import create_app
from graph_service.web.server import make_server, stop

FIXTURE = Path(__file__).parent / "data" / "api-fixture.trig"
G = "http://example.org/runaway"
# A four-way cartesian product of 200 triples, counted: 1.6 billion rows, minutes of work.
RUNAWAY = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G}> {{ ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . " \
          "?g ?s ?h } }"
LIGHT = f"ASK {{ GRAPH <{G}> {{ ?s ?p ?o }} }}"
JSON_RESULTS = {"Accept": "application/sparql-results+json"}


@pytest.fixture
def disk_store(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    store.bulk_load(FIXTURE.read_bytes(), RDFFormat.TRIG)
    rows = "\n".join(f'<http://example.org/s{i}> <http://example.org/p> "v{i}" .'
                     for i in range(200))
    store.update(f"INSERT DATA {{ GRAPH <{G}> {{ {rows} }} }}")
    yield store
    store.close()


def serve(store, **config):
    app = create_app({"TESTING": True, "QUERY_TIMEOUT": 1, "QUERY_WORKERS": "processes",
                      **config}, store=store)
    server = make_server(app, host="127.0.0.1", port=0, threads=16)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.effective_port}"


def workers() -> list[psutil.Process]:
    """The query workers: the children of this process's fork server."""
    found = []
    for child in psutil.Process().children():
        try:
            if any("forkserver" in part for part in child.cmdline()):
                found += child.children()
        except psutil.NoSuchProcess:
            pass
    return found


def tree_cpu() -> float:
    """CPU seconds used so far by this process and every process under it that still runs."""
    total = 0.0
    me = psutil.Process()
    for proc in [me, *me.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def light(url: str) -> tuple[int, float]:
    start = time.monotonic()
    response = requests.get(f"{url}/sparql", params={"query": LIGHT}, headers=JSON_RESULTS,
                            timeout=30)
    assert response.status_code != 200 or response.json()["boolean"] is True
    return response.status_code, time.monotonic() - start


def test_runaway_queries_are_stopped_and_others_answered_meanwhile(disk_store):
    server, thread, url = serve(disk_store)
    try:
        assert light(url)[0] == 200   # the fork server and a first worker are up
        runaways: list[requests.Response] = []

        def run_away() -> None:
            runaways.append(requests.get(f"{url}/sparql", params={"query": RUNAWAY},
                                         headers=JSON_RESULTS, timeout=60))

        senders = [threading.Thread(target=run_away) for _ in range(8)]
        for sender in senders:
            sender.start()
        seen: list[tuple[str, int, float]] = []
        started = time.monotonic()
        while any(s.is_alive() for s in senders) or time.monotonic() - started < 2.5:
            seen.append(("sparql", *light(url)))
            for path in ("/api/claims", "/articles"):
                start = time.monotonic()
                response = requests.get(url + path, timeout=30)
                seen.append((path, response.status_code, time.monotonic() - start))
            time.sleep(0.1)
            assert time.monotonic() - started < 30, "the runaway queries were not stopped"
        for sender in senders:
            sender.join()

        assert [r.status_code for r in runaways] == [503] * 8
        assert all("KG_QUERY_TIMEOUT" in r.json()["message"] for r in runaways), \
            [r.json()["message"] for r in runaways]
        slow = [entry for entry in seen if entry[1] != 200 or entry[2] >= 2.0]
        assert not slow, f"answers that failed or took 2 s or more: {slow}"

        # One second after the last 503, the tree's CPU use is back to idle: over the next
        # second it uses a fraction of what even one runaway query would (a whole core).
        time.sleep(1.0)
        before = tree_cpu()
        time.sleep(1.0)
        used = tree_cpu() - before
        assert used < 0.3, f"{used:.2f} CPU seconds used in one idle second"
        assert len(workers()) <= 8
    finally:
        stop(server, thread)


def test_a_worker_that_crashes_gives_a_clear_error_and_is_replaced(disk_store):
    server, thread, url = serve(disk_store, QUERY_TIMEOUT=60)
    try:
        assert light(url)[0] == 200
        box: dict = {}
        sender = threading.Thread(target=lambda: box.setdefault("response", requests.get(
            f"{url}/sparql", params={"query": RUNAWAY}, headers=JSON_RESULTS, timeout=60)))
        sender.start()
        busy = None
        for _ in range(100):   # the worker that evaluates it: the one using CPU
            time.sleep(0.1)
            busy = next((w for w in workers() if w.cpu_times().user > 0.3), None)
            if busy is not None:
                break
        assert busy is not None, "no worker took up the query"
        busy.send_signal(signal.SIGSEGV)
        sender.join(30)
        response = box["response"]
        assert response.status_code == 503
        assert "SIGSEGV" in response.json()["message"]
        assert light(url)[0] == 200
        gone, _ = psutil.wait_procs([busy], timeout=5)   # reaped: no zombie is left
        assert gone
    finally:
        stop(server, thread)


def test_workers_end_with_the_store(disk_store):
    server, thread, url = serve(disk_store)
    try:
        assert light(url)[0] == 200
        assert workers()
        checkpoints = disk_store.path.parent / f"{disk_store.path.name}.checkpoints"
        assert checkpoints.is_dir()
    finally:
        stop(server, thread)
    disk_store.close()
    deadline = time.monotonic() + 5
    while workers() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not workers()
    assert not checkpoints.exists()


def test_a_query_sees_the_update_before_it(disk_store):
    """Read-your-writes: the checkpoint is made again after each write."""
    server, thread, url = serve(disk_store, WRITE_TOKEN="t")
    try:
        ask = f"ASK {{ GRAPH <{G}> {{ <http://example.org/new> ?p ?o }} }}"
        for n in range(3):
            query = requests.get(f"{url}/sparql", params={"query": ask}, headers=JSON_RESULTS,
                                 timeout=30)
            assert query.json()["boolean"] is (n > 0)
            update = requests.post(f"{url}/sparql", data=f"INSERT DATA {{ GRAPH <{G}> {{ "
                                   f"<http://example.org/new> <http://example.org/p> {n} }} }}",
                                   headers={"Content-Type": "application/sparql-update",
                                            "Authorization": "Bearer t"}, timeout=30)
            assert update.status_code == 204
            count = requests.get(f"{url}/sparql", params={"query": (
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G}> {{ <http://example.org/new> ?p ?o }} }}")},
                headers=JSON_RESULTS, timeout=30)
            assert count.json()["results"]["bindings"][0]["n"]["value"] == str(n + 1)
    finally:
        stop(server, thread)


def test_threads_remain_available(disk_store):
    """KG_QUERY_WORKERS=threads: no worker processes; the time limit still answers 503 (and
    a query that streams rows stops at the next clock check)."""
    before = {w.pid for w in workers()}
    server, thread, url = serve(disk_store, QUERY_WORKERS="threads", MAX_ROWS=10**9)
    try:
        assert light(url)[0] == 200
        response = requests.get(f"{url}/sparql", params={"query": RUNAWAY.replace(
                                    "(COUNT(*) AS ?n)", "*")},
                                headers=JSON_RESULTS, timeout=30)
        assert response.status_code == 503
        assert {w.pid for w in workers()} <= before
    finally:
        stop(server, thread)


def test_threads_are_the_default_and_the_setting_is_checked(disk_store):
    app = create_app({"TESTING": True}, store=disk_store)
    assert app.extensions["kg_limits"].processes is None
    with pytest.raises(InputError, match="KG_QUERY_WORKERS"):
        create_app({"TESTING": True, "QUERY_WORKERS": "fork"}, store=disk_store)


def test_a_worker_keeps_the_row_cap_the_errors_and_the_negotiation(disk_store):
    server, thread, url = serve(disk_store, MAX_ROWS=5)
    try:
        def get(query: str, accept: str = "application/sparql-results+json"):
            return requests.get(f"{url}/sparql", params={"query": query},
                                headers={"Accept": accept}, timeout=30)

        capped = get(f"SELECT * WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")
        assert capped.status_code == 400 and "KG_MAX_ROWS" in capped.json()["message"]
        within = get(f"SELECT * WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }} LIMIT 5", "text/csv")
        assert within.status_code == 200 and within.headers["Content-Type"].startswith("text/csv")
        assert len(within.text.splitlines()) == 6
        text = "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }"
        broken = get(text)
        on_a_thread = create_app({"TESTING": True}, store=disk_store).test_client().get(
            "/sparql", query_string={"query": text})
        assert broken.status_code == 400 and broken.json()["line"] == 3
        assert broken.json() == on_a_thread.get_json()
        refused = get(f"CONSTRUCT WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }} LIMIT 1")
        assert refused.status_code == 406 and "text/turtle" in refused.json()["available"]
    finally:
        stop(server, thread)


@pytest.mark.skipif(not sandbox.supported(), reason="seccomp filters: Linux x86-64, AArch64")
def test_workers_cannot_connect(disk_store):
    """Each worker installs the seccomp filter of ``sandbox`` for its whole process."""
    server, thread, url = serve(disk_store)
    try:
        assert light(url)[0] == 200
        found = workers()
        assert found
        for worker in found:
            status = Path(f"/proc/{worker.pid}/status").read_text()
            assert "Seccomp:\t2" in status   # SECCOMP_MODE_FILTER
    finally:
        stop(server, thread)


def test_a_reviewers_query_of_pending_content_is_answered_beside_the_workers(tmp_path):
    """The workers hold checkpoints of the served store; a reviewer's query names staging
    graphs, which live in the staging store, and is answered from there."""
    import submission_data as d
    from graph_service import iris

    store = OxigraphStore(tmp_path / "store")
    d.seed(store)
    server, thread, url = serve(store, WRITE_TOKEN="t")
    auth = {"Authorization": "Bearer t"}
    try:
        g = d.claim_graph(item="crates held for review")
        sent = requests.post(f"{url}/api/submissions", data=d.turtle(g),
                             headers={"Content-Type": "text/turtle", **auth}, timeout=30)
        assert sent.status_code == 201, sent.text
        staging = iris.submission_graph(sent.json()["id"])
        ask = f"ASK {{ <{d.claim_iri(g)}> ?p ?o }}"
        seen = requests.get(f"{url}/sparql", params={"query": ask, "default-graph-uri": staging},
                            headers={**JSON_RESULTS, **auth}, timeout=30)
        assert seen.status_code == 200, seen.text
        assert seen.json()["boolean"] is True
        public = requests.get(f"{url}/sparql", params={"query": ask}, headers=JSON_RESULTS, timeout=30)
        assert public.json()["boolean"] is False
    finally:
        stop(server, thread)
        store.close()
