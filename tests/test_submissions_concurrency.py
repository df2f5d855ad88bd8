"""16 submitters send 50 submissions each, at once, to a real waitress server on loopback.

Half of the bodies are invalid (a quote at the wrong offsets, or a record of an unknown type).
The valid ones are each sent by two submitters, so that identical submissions race. Afterwards
every valid submission is stored exactly once, no invalid one is stored, and the stored
submissions conform.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
import rdflib
import requests

from graph_service import iris
from graph_service.validation import submissions
from graph_service.vocab import KG

import submission_data as d
from conftest import AUTH

pytestmark = pytest.mark.server

FACTS = "application/json"
SUBMITTERS = 8
PER_SUBMITTER = 24


def body(t: int, i: int) -> tuple[str, str, bytes]:
    """Submitter ``t``'s ``i``-th body: even ones valid, odd ones invalid.

    Submitters t and t + 8 send the same valid bodies, one in the other's reverse order, so
    some identical submissions race and the rest arrive after the first copy was stored.
    """
    if i % 2 == 0:
        k = i if t < SUBMITTERS // 2 else PER_SUBMITTER - 2 - i
        return "valid", FACTS, d.records(d.record(item=f"lot {t % (SUBMITTERS // 2)}-{k}"))
    n = t * PER_SUBMITTER + i
    if i % 8 == 1:  # a quote at the wrong offsets
        return "invalid", FACTS, d.records(d.record(item=f"bad lot {n}", start=2,
                                                    end=len(d.QUOTE) + 2))
    if i % 8 == 5:  # an event whose actor is an entity that is not in the graph
        g = d.claim_graph(item=f"bad lot {n}")
        event = next(g.objects(None, KG.asserts))
        g.set((event, KG.actor, rdflib.URIRef(iris.entity_iri(f"nowhere {n}"))))
        return "invalid", "text/turtle", d.turtle(g)
    return "invalid", FACTS, d.records(d.record(item=f"bad lot {n}", type="invasion"))


def test_concurrent_submitters(store, live_server):
    d.seed(store)
    answers: list[tuple[str, bytes, int, dict]] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def submitter(t: int) -> None:
        try:
            with requests.Session() as http:
                for i in range(PER_SUBMITTER):
                    kind, media_type, data = body(t, i)
                    r = http.post(f"{live_server}/api/submissions", data=data, timeout=60,
                                  headers={**AUTH, "Content-Type": media_type})
                    with lock:
                        answers.append((kind, data, r.status_code, r.json()))
        except BaseException as err:  # reported below: a thread must not fail silently
            errors.append(err)

    threads = [threading.Thread(target=submitter, args=(t,)) for t in range(SUBMITTERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    assert not errors, errors
    assert len(answers) == SUBMITTERS * PER_SUBMITTER

    created = Counter()
    valid_iris = set()
    for kind, data, status, answer in answers:
        if kind == "invalid":
            assert status == 422 and answer["violations"], answer
            continue
        assert status in (200, 201), answer
        created[answer["iri"]] += status == 201
        valid_iris.add(answer["iri"])
    distinct_valid = {data for kind, data, _, _ in answers if kind == "valid"}
    assert len(valid_iris) == len(distinct_valid) == SUBMITTERS * PER_SUBMITTER // 4
    assert set(created.values()) == {1}  # each created exactly once, whoever won the race

    records = submissions.list_submissions(store)
    assert sorted(r["iri"] for r in records) == sorted(valid_iris)
    assert not [g for g in store.named_graphs() if g.startswith(submissions.STAGING_PREFIX)]
    staged = [g for g in store.staging.named_graphs()
              if g.startswith(submissions.STAGING_PREFIX)]
    assert sorted(staged) == sorted(iris.submission_graph(i.rsplit("/", 1)[-1]) for i in valid_iris)

    # exactly one claim per valid submission; nothing of the invalid ones anywhere
    items = Counter(row["item"].value for row in store.staging.query(
        f"SELECT ?item WHERE {{ GRAPH ?g {{ ?e <{KG.item}> ?item }} }}"))
    assert set(items.values()) == {1} and len(items) == len(valid_iris)
    assert not any(item.startswith("bad") for item in items)

    # the stored submissions, together, conform (shapes and checks, against the stored graph)
    data = rdflib.Graph()
    for graph in staged:
        data += store.staging.graph(graph)
    report = submissions.validate_graph(store, _as_submitted(data))
    assert report.conforms, report.text[:2000]


def _as_submitted(g: rdflib.Graph) -> rdflib.Graph:
    """Oxigraph hands xsd:nonNegativeInteger back as xsd:integer; restore the submitted type."""
    from rdflib.namespace import XSD
    from graph_service.vocab import OA

    out = rdflib.Graph()
    for s, p, o in g:
        if p in (OA.start, OA.end) and isinstance(o, rdflib.Literal) and o.datatype == XSD.integer:
            o = rdflib.Literal(int(o), datatype=XSD.nonNegativeInteger)
        out.add((s, p, o))
    return out
