"""Malformed and deeply nested input on every SPARQL, Graph Store, validation and submission
route of a real server: never a 5xx, the server keeps answering, memory stays bounded.

Bounded: 120 generated requests (hypothesis, derandomized so CI runs the same ones), each
with a 10 s client timeout; peak memory of the process may grow by at most 300 MB.
"""

from __future__ import annotations

import resource

import pytest
import requests
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import AUTH

MEMORY_BOUND_MB = 300

SAMPLES = {
    "application/sparql-query": "PREFIX e: <http://e/> SELECT * WHERE { ?s e:p ?o FILTER(?o > 1) } LIMIT 5",
    "application/sparql-update": "INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> 1 } }",
    "text/turtle": '@prefix e: <http://e/> . e:a e:p ( 1 2 [ e:q "x" ] ) .',
    "application/n-triples": '<http://e/a> <http://e/p> "x"@en .',
    "application/trig": "<http://e/g> { <http://e/a> <http://e/p> <http://e/b> }",
    "application/n-quads": "<http://e/a> <http://e/p> <http://e/b> <http://e/g> .",
    "application/ld+json": '{"@id": "http://e/a", "http://e/p": [{"@value": "x"}]}',
    "application/rdf+xml": '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                           '<rdf:Description rdf:about="http://e/a"/></rdf:RDF>',
    "application/json": '[{"type": "deployment", "actor": "North Korea", "quote": "x", '
                        '"start": 0, "end": 1, "article": "http://e/a"}]',
}
ROUTES = {  # media type -> (method, path, needs the token)
    "application/sparql-query": [("POST", "/sparql", False)],
    "application/sparql-update": [("POST", "/sparql", True)],
}
RDF_ROUTES = [("POST", "/api/validate", False), ("POST", "/api/submissions", True),
              ("PUT", "/store?graph=http://e/fuzz", True)]


def _routes(media: str):
    if media in ROUTES:
        return ROUTES[media]
    if media == "application/json":
        return RDF_ROUTES[:2]
    return RDF_ROUTES if media not in ("application/trig", "application/n-quads") else RDF_ROUTES[:2]


def _mutate(draw_text: str, cut: int, insert: str, nest: int, opener: str) -> str:
    text = draw_text[:cut] + insert + draw_text[cut:]
    closer = {"{": "}", "(": ")", "[": "]", "<a>": "</a>"}[opener]
    return opener * nest + text + closer * nest


bodies = st.sampled_from(sorted(SAMPLES)).flatmap(lambda media: st.tuples(
    st.just(media),
    st.one_of(
        st.builds(_mutate, st.just(SAMPLES[media]), st.integers(0, len(SAMPLES[media])),
                  st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
                  st.sampled_from([0, 1, 5, 99, 101, 3000]),
                  st.sampled_from(["{", "(", "[", "<a>"])),
        st.text(max_size=200),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    ),
    st.integers(0, 2)))


@pytest.fixture(scope="module")
def memory_at_start():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=bodies)
def test_no_input_gets_a_5xx(live_server, memory_at_start, case):
    media, text, which = case
    method, path, token = _routes(media)[which % len(_routes(media))]
    headers = {"Content-Type": media, **(AUTH if token else {})}
    r = requests.request(method, live_server + path, data=text.encode("utf-8", "surrogatepass"),
                         headers=headers, timeout=10)
    assert r.status_code < 500, (media, path, r.status_code, r.text[:300])
    assert requests.get(live_server + "/health", timeout=10).status_code == 200
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 - memory_at_start
    assert grown < MEMORY_BOUND_MB, f"peak memory grew by {grown} MB"
