"""What /sparql does once per query text and once per process, not once per request: the facts
of a query text are remembered, workers are threads kept between queries, and a SELECT whose
own LIMIT keeps it under the row cap is written by Oxigraph directly. Each must give the same
answers and keep the same limits as the slow path.
"""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest

from graph_service.errors import LimitExceeded, QueryError
from graph_service.formats import ResultFormat
from graph_service.sparqltext import CACHED_TEXT, SparqlText, query_facts, top_limit
from graph_service.web.limits import Deadline, Limits, Workers
from graph_service.web.results import write_result

BASE = "http://localhost/sparql"


# -- facts of a query text ----------------------------------------------------------------------

def test_facts_are_read_once_per_text_and_base():
    q = "PREFIX e: <http://e/>\nSELECT * FROM e:g WHERE { ?s ?p ?o } LIMIT 5"
    first = query_facts(q, base_iri=BASE)
    assert query_facts(q, base_iri=BASE) is first
    assert query_facts(q, base_iri="http://other/sparql") is not first
    assert (first.form, first.limit, first.dataset()) == ("SELECT", 5, (["http://e/g"], []))


def test_long_texts_are_read_afresh():
    q = "SELECT * WHERE { ?s ?p ?o }" + " " * CACHED_TEXT
    assert query_facts(q) is not query_facts(q)


def test_facts_agree_with_the_tokens():
    q = ("PREFIX s: <http://a/>\nSELECT * WHERE { SERVICE s:sparql { ?s ?p ?o } "
         "SERVICE ?x { } }")
    facts, text = query_facts(q, base_iri=BASE), SparqlText(q, base_iri=BASE)
    assert [i for i, _ in facts.services()] == [i for i, _ in text.services()] \
        == ["http://a/sparql", None]


@pytest.mark.parametrize("query, limit", [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 10", 10),
    ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s limit  7 OFFSET 3", 7),
    ("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 2 } }", None),   # a subquery's
    ("SELECT * WHERE { ?s ?p 'LIMIT 3' }", None),
    ("SELECT * WHERE { ?s ?p ?o }", None),
])
def test_only_the_outer_limit_bounds_the_solutions(query, limit):
    assert top_limit(SparqlText(query)) == limit


def test_a_bad_from_is_reported_with_its_position_every_time():
    q = "SELECT *\nFROM ?g WHERE { ?s ?p ?o }"
    for _ in range(2):
        with pytest.raises(QueryError) as err:
            query_facts(q).dataset()
        assert (err.value.line, err.value.column) == (2, 1)


# -- workers ------------------------------------------------------------------------------------

def test_workers_are_reused_between_jobs():
    workers = Workers(4)
    threads = set()
    for _ in range(20):
        done = threading.Event()

        def job():
            threads.add(threading.current_thread())
            done.set()

        workers.submit(job)
        assert done.wait(5)
        time.sleep(0.005)
    # One thread, or a few when a job came in before the last one was idle again: not 20.
    assert len(threads) <= 3


def test_workers_run_jobs_side_by_side_and_idle_ones_end():
    workers = Workers(3, idle_seconds=0.05)
    barrier = threading.Barrier(4)
    threads = []

    def job():
        threads.append(threading.current_thread())
        barrier.wait(5)

    for _ in range(3):
        workers.submit(job)
    barrier.wait(5)  # all three jobs run at once, or this times out
    for thread in threads:
        thread.join(5)
    assert len(set(threads)) == 3 and not any(t.is_alive() for t in threads)
    done = threading.Event()
    workers.submit(done.set)  # and the pool starts threads again afterwards
    assert done.wait(5)


def test_an_error_in_a_job_reaches_the_request_without_killing_the_worker():
    limits = Limits(timeout=5, max_rows=10, allowlist=frozenset(), slots=1)
    with pytest.raises(ZeroDivisionError):
        limits.run(lambda deadline: 1 / 0)
    assert limits.run(lambda deadline: "ok") == "ok"


# -- writing results ----------------------------------------------------------------------------

@pytest.fixture
def oxstore() -> ox.Store:
    s = ox.Store()
    s.update('INSERT DATA { <http://e/a> <http://e/p> "x"@en , "tab\\there" , 3 , _:b . '
             '<http://e/b> <http://e/p> "y" }')
    return s


def _written(store: ox.Store, query: str, fmt: ResultFormat, *, limit: int | None,
             max_rows: int = 100) -> bytes:
    limits = Limits(timeout=5, max_rows=max_rows, allowlist=frozenset(), slots=1)
    body, size = write_result(store.query(query), fmt, limits=limits, limit=limit,
                              deadline=Deadline(time.monotonic() + 5, limits))
    data = body.read()
    assert len(data) == size
    return data


@pytest.mark.parametrize("fmt", list(ResultFormat))
def test_oxigraph_writes_a_limited_select_as_the_counted_path_does(oxstore, fmt):
    q = ("SELECT ?s ?o ?missing WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?missing } } "
         "ORDER BY ?s STR(?o) LIMIT 10")
    assert _written(oxstore, q, fmt, limit=10) == _written(oxstore, q, fmt, limit=None)


def test_a_limit_above_the_row_cap_still_meets_the_cap(oxstore):
    with pytest.raises(LimitExceeded):
        _written(oxstore, "SELECT * WHERE { ?s ?p ?o } LIMIT 1000", ResultFormat.JSON,
                 limit=1000, max_rows=3)
