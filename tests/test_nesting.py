"""Deep nesting is refused (400, naming KG_MAX_NESTING) before any parser sees it.

Each body below crashed the process (SIGSEGV in a parser's recursion) or kept a CPU busy for
minutes before the bound; each is sent to a real server, which must answer 400 and keep
serving.
"""

from __future__ import annotations

import json

import pytest
import requests

from conftest import AUTH
from graph_service import nesting

LIMIT = "KG_MAX_NESTING"


def _deep_jsonld(n: int) -> str:
    doc = '"x"'
    for _ in range(n):
        doc = '{"http://example.org/p": %s}' % doc
    return doc


CASES = [
    # (name, method, path, content type, body, needs the token)
    ("ASK with 3,000 nested groups", "POST", "/sparql", "application/sparql-query",
     "ASK " + "{" * 3000 + "}" * 3000, False),
    ("5,000 nested parentheses", "POST", "/sparql", "application/sparql-query",
     "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", False),
    ("escaped braces", "POST", "/sparql", "application/sparql-query",
     "ASK " + "\\u007B" * 3000 + "\\u007D" * 3000, False),
    ("a property path in 20,000 parentheses", "POST", "/sparql", "application/sparql-query",
     "SELECT * WHERE { ?s " + "(" * 20000 + "<http://example.org/p>" + ")" * 20000 + " ?o }",
     False),
    ("an update with 5,000 nested groups", "POST", "/sparql", "application/sparql-update",
     "INSERT { <http://e/a> <http://e/b> <http://e/c> } WHERE " + "{" * 5000 + "}" * 5000,
     True),
    ("JSON-LD nested 5,000 deep", "POST", "/api/validate", "application/ld+json",
     _deep_jsonld(5000), False),
    ("Turtle collections nested 5,000 deep", "POST", "/api/validate", "text/turtle",
     "<http://e/a> <http://e/b> " + "(" * 5000 + ")" * 5000 + " .", False),
    ("Turtle blank nodes nested 5,000 deep", "POST", "/api/validate", "text/turtle",
     "<http://e/a> <http://e/b> " + "[ <http://e/b> " * 5000 + "]" * 5000 + " .", False),
    ("RDF/XML nested 5,000 deep", "POST", "/api/validate", "application/rdf+xml",
     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
     + "<a>" * 5000 + "</a>" * 5000 + "</rdf:RDF>", False),
    ("fact records nested 5,000 deep", "POST", "/api/submissions", "application/json",
     "[" * 5000 + "]" * 5000, True),
    ("a graph nested 5,000 deep", "PUT", "/store?graph=http://e/g", "text/turtle",
     "<http://e/a> <http://e/b> " + "(" * 5000 + ")" * 5000 + " .", True),
    ("reconciliation queries nested 5,000 deep", "POST", "/reconcile", "application/json",
     '{"queries": ' + "[" * 5000 + "]" * 5000 + "}", False),
]


@pytest.mark.parametrize("name, method, path, media, body, token", CASES,
                         ids=[c[0] for c in CASES])
def test_deep_nesting_is_refused_before_parsing(live_server, name, method, path, media, body,
                                                token):
    headers = {"Content-Type": media, **(AUTH if token else {})}
    r = requests.request(method, live_server + path, data=body.encode("utf-8"),
                         headers=headers, timeout=30)
    assert r.status_code == 400, r.text[:300]
    assert LIMIT in r.json()["message"]
    assert requests.get(live_server + "/health", timeout=10).status_code == 200


def test_nesting_under_the_bound_is_answered(live_server):
    query = "ASK " + "{" * 100 + "}" * 100
    r = requests.post(live_server + "/sparql", data=query,
                      headers={"Content-Type": "application/sparql-query",
                               "Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text[:300]
    r = requests.post(live_server + "/sparql", data="ASK " + "{" * 101 + "}" * 101,
                      headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert r.status_code == 400 and "101" in r.json()["message"]


@pytest.mark.parametrize("app_config", [{"MAX_NESTING": 3}])
def test_the_bound_is_a_setting(client, app_config):
    r = client.post("/sparql", data="ASK { { { { } } } }",
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400
    assert "the limit is 3" in r.get_json()["message"]


def test_closing_brackets_in_strings_comments_and_iris_do_not_lower_the_count():
    text = 'ASK { "}" { # }\n <http://e/a#)> { """}}""" { } } } }'
    assert nesting.depth(text, syntax="sparql") == 4
    # a comment runs to the end of its line, as for the parser
    assert nesting.depth('ASK { # {\n }', syntax="sparql") == 2
    assert nesting.depth('[["]]", [ ]]]', syntax="json") == 3
    assert nesting.xml_depth(b'<a><!-- </a></a> --><b><c/></b></a>') == 2


# -- the count never falls below the real depth (property tests, bounded) ----------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

_NOISE = st.text(alphabet='{}()[]"\'#<>\\\n x', max_size=6)


def _sparql_tree(depth_left: int):
    leaf = st.sampled_from(["?s ?p ?o .", "", "FILTER(1)"])
    if depth_left == 0:
        return leaf
    return st.one_of(leaf, st.lists(_sparql_tree(depth_left - 1), max_size=3).map(tuple))


def _render(tree, noise) -> tuple[str, int]:
    """SPARQL-ish text of the tree (groups in braces) with closing brackets hidden in
    strings, comments and IRIs, and its real group depth."""
    if isinstance(tree, str):
        return tree, 0
    parts, deepest = [], 0
    for child in tree:
        text, d = _render(child, noise)
        parts.append(text)
        deepest = max(deepest, d)
    hidden = noise.replace('"', "").replace("\n", "")
    inner = f' "{hidden}" # {hidden}\n <http://e/a#{"".join(c for c in hidden if c in ")]")}> '
    return "{" + inner + " ".join(parts) + "}", deepest + 1


@settings(max_examples=150, deadline=None)
@given(_sparql_tree(6), _NOISE)
def test_sparql_depth_is_never_underestimated(tree, noise):
    text, real = _render(tree if isinstance(tree, tuple) else (tree,), noise)
    assert nesting.depth("ASK " + text, syntax="sparql") >= real


_JSON = st.recursive(st.text(alphabet='{}[]"\\ab', max_size=5) | st.integers(),
                     lambda kids: st.lists(kids, max_size=3)
                     | st.dictionaries(st.text(alphabet='{}[]"a', max_size=3), kids, max_size=3),
                     max_leaves=40)


def _json_depth(value) -> int:
    if isinstance(value, list):
        return 1 + max((_json_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_json_depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=150, deadline=None)
@given(_JSON)
def test_json_depth_is_never_underestimated(value):
    assert nesting.depth(json.dumps(value), syntax="json") >= _json_depth(value)
