"""The service killed with SIGKILL in the middle of a stream of submissions.

Four clients send valid submissions to a server running in its own process; once a dozen are
acknowledged the process is killed, mid-request for the others. The store must then open
cleanly, hold every submission acknowledged with 201, and hold no partial submission: each
record has its staged graph with exactly the triples it counts, and once the leftovers of the
kill are tidied (content written just before it, without its record) vice versa.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from graph_service.validation import submissions
from graph_service.store import OxigraphStore

import submission_data as d

pytestmark = pytest.mark.server

TOKEN = "crash-token"
CLIENTS = 4
PER_CLIENT = 40
KILL_AFTER = 12
RUNNER = Path(__file__).with_name("submission_server.py")


def _start(store_dir: Path) -> tuple[subprocess.Popen, str]:
    # the package of this checkout, not whichever one the interpreter has installed
    path = [str(RUNNER.parent), str(RUNNER.parent.parent), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in path if p)}
    proc = subprocess.Popen([sys.executable, str(RUNNER), str(store_dir), TOKEN],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    line = proc.stdout.readline()  # blocks until the server listens (or the process dies)
    if not line.startswith("port "):
        proc.kill()
        pytest.fail(f"the server did not start: {line!r}")
    return proc, f"http://127.0.0.1:{int(line.split()[1])}"


def test_sigkill_loses_no_acknowledged_submission(tmp_path):
    store_dir = tmp_path / "store"
    with OxigraphStore(store_dir) as store:
        d.seed(store)
    proc, url = _start(store_dir)
    acknowledged: dict[str, bytes] = {}
    lock = threading.Lock()
    enough = threading.Event()

    def client(c: int) -> None:
        with requests.Session() as http:
            for i in range(PER_CLIENT):
                data = d.records(d.record(item=f"crash lot {c}-{i}"))
                try:
                    r = http.post(f"{url}/api/submissions", data=data, timeout=30,
                                  headers={"Authorization": f"Bearer {TOKEN}",
                                           "Content-Type": "application/json"})
                except requests.RequestException:
                    return  # the server is gone: this one was never acknowledged
                assert r.status_code == 201, r.text
                with lock:
                    acknowledged[r.json()["iri"]] = data
                    if len(acknowledged) >= KILL_AFTER:
                        enough.set()

    threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
    try:
        for th in threads:
            th.start()
        assert enough.wait(timeout=120), "the server acknowledged too few submissions"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        proc.stdout.close()
        for th in threads:
            th.join(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert len(acknowledged) < CLIENTS * PER_CLIENT  # it really died in the middle

    with OxigraphStore(store_dir) as store:  # opens cleanly after the kill
        records = {r["iri"]: r for r in submissions.list_submissions(store)}
        staged = {g for g in store.staging.named_graphs()
                  if g.startswith(submissions.STAGING_PREFIX)}
        # every record has its staged content; the kill may leave content without a record
        # (written first), which the service drops when it starts (``tidy``)
        assert staged >= {r["graph"] for r in records.values()}
        assert submissions.tidy(store) == {"moved": 0, "dropped": len(staged) - len(records)}
        staged = set(store.staging.named_graphs())
        # none acknowledged is lost, with all its triples
        for iri, data in acknowledged.items():
            assert iri in records, iri
            expected = submissions.read_submission(store, data, "application/json").graph
            assert len(store.staging.graph(records[iri]["graph"])) == len(expected) > 0
        # no partial submission: records and staged graphs match one to one, counts agree
        assert staged == {r["graph"] for r in records.values()}
        for r in records.values():
            assert r["status"] == "pending"
            assert len(store.staging.graph(r["graph"])) == r["triples"]
        assert not [g for g in store.named_graphs() if g.startswith(submissions.STAGING_PREFIX)]
        assert store.count() > 0
