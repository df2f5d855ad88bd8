"""No connection to any host off the SERVICE allowlist, whatever the spelling.

A listener on loopback counts connections. Every entry of ``data/outbound-spellings.txt`` is
sent to a real server (queries anonymously, updates with the token) and must not reach it;
the same corpus run straight on Oxigraph, on a thread under ``sandbox.deny_network``, must not
reach it either (the second guard on its own), while outside the sandbox Oxigraph does call
(so the listener does see calls).
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from conftest import AUTH
from graph_service import outbound, sandbox

CORPUS = Path(__file__).with_name("data") / "outbound-spellings.txt"
ALLOWED = ("FROM", "GRAPH", "USING", "ADD", "COPY")   # name graphs only: answered, no call


def corpus() -> list[tuple[str, str, str]]:
    """(kind, name, text) of each entry, with @BASE@, @HOST@ and @PORT@ left in."""
    entries, head, lines = [], None, []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            if head:
                entries.append((*head, "\n".join(lines)))
            kind, _, name = line[4:].partition(": ")
            head, lines = (kind, name), []
        elif head:
            lines.append(line)
    entries.append((*head, "\n".join(lines)))
    return entries


class Listener:
    """A TCP listener on loopback that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.count = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.count += 1
            conn.close()

    def fill(self, text: str) -> str:
        host = f"127.0.0.1:{self.port}"
        return (text.replace("@BASE@", f"http://{host}/").replace("@HOST@", host)
                .replace("@PORT@", str(self.port)))


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.sock.close()


def test_the_corpus_is_large_and_varied():
    entries = corpus()
    assert len(entries) >= 50
    assert {kind for kind, _, _ in entries} == {"query", "update"}
    assert len({name for _, name, _ in entries}) == len(entries)


def test_no_spelling_reaches_the_listener_through_the_server(live_server, listener):
    statuses = {}
    for kind, name, text in corpus():
        headers = {"Content-Type": f"application/sparql-{kind}", **(AUTH if kind == "update" else {})}
        r = requests.post(live_server + "/sparql", data=listener.fill(text).encode("utf-8"),
                          headers=headers, timeout=30)
        statuses[name] = r.status_code
        expected = (200, 204) if name.split()[0] in ALLOWED else (400,)
        assert r.status_code in expected, (name, r.status_code, r.text[:300])
    assert listener.count == 0, statuses


def _evaluate(kind: str, text: str) -> None:
    """Run the text on an empty store; failures (refused connections included) are expected."""
    store = ox.Store()
    try:
        if kind == "update":
            store.update(text, base_iri="http://127.0.0.1:1/sparql")
        else:
            result = store.query(text, base_iri="http://127.0.0.1:1/sparql")
            if not isinstance(result, ox.QueryBoolean):
                for _ in result:
                    pass
            del result
    except Exception as err:  # noqa: BLE001  (unbound SERVICE variables, refused calls...)
        err.__traceback__ = None


@pytest.mark.skipif(not sandbox.supported(), reason="seccomp filters: Linux x86-64 or AArch64")
def test_oxigraph_cannot_connect_from_a_contained_thread(listener):
    entries = [(kind, listener.fill(text)) for kind, _, text in corpus()]
    installed = []

    def run() -> None:
        installed.append(sandbox.deny_network())
        for kind, text in entries:
            _evaluate(kind, text)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(60)
    assert installed == [True]
    assert listener.count == 0
    # Outside the filter, the same evaluator does call: the listener counts it.
    _evaluate("query", entries[0][1])
    assert listener.count == 1


def test_the_parser_reads_calls_the_tokenizer_misses():
    found = outbound.calls("PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
                           update=False)
    assert found.services == ("http://127.0.0.1:9/x",)
    found = outbound.calls("PREFIX : <http://h/> \\u004COAD:d", update=True)
    assert found.loads == ("http://h/d",)
    assert not outbound.may_call("SELECT ?servic WHERE { ?s <http://example.org/lo\\u0061> ?o }")
    assert outbound.may_call("SELECT * WHERE { \\u0073ervice <x> {} }")
    assert outbound.may_call("SELECT * WHERE { \u017fERVICE <x> {} }")   # long s upper-cases to S
