"""A SPARQL syntax error answers 400 with the line and column, and the offending line quoted
with a caret under the column."""

from __future__ import annotations

import pytest

from conftest import AUTH
from graph_service.errors import excerpt


@pytest.mark.parametrize("query,line,column,shown", [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT x", 1, 35, "SELECT * WHERE { ?s ?p ?o } LIMIT x\n" + " " * 34 + "^"),
    # a multi-line query: whatever line the parser names is the one quoted
    ("PREFIX ex: <http://example.org/>\nSELECT * WHERE {\n  ?s ex:p ?o ) .\n}", None, None, None),
])
def test_a_syntax_error_quotes_its_line(client, query, line, column, shown):
    resp = client.post("/sparql", data={"query": query})
    assert resp.status_code == 400
    body = resp.get_json()
    line = line or body["line"]
    assert body["line"] == line and f"line {line}, column {body['column']}" in body["message"]
    if column is not None:
        assert body["column"] == column
    lines = body["excerpt"].split("\n")
    assert lines[0] == query.splitlines()[line - 1]
    assert lines[1] == " " * (body["column"] - 1) + "^"
    if shown is not None:
        assert body["excerpt"] == shown


def test_an_update_error_is_marked_too(client):
    resp = client.post("/sparql", data="INSERT DATA { <a:b> <a:c> }",
                       headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert resp.status_code == 400
    assert resp.get_json()["excerpt"].startswith("INSERT DATA { <a:b> <a:c> }\n")


def test_excerpt_cuts_a_long_line_around_the_column():
    text = "x" * 300 + "!" + "y" * 300
    shown, caret = excerpt(text, 1, 301).split("\n")
    assert len(shown) == 100 and shown[caret.index("^")] == "!"
    assert excerpt("a\nb", 5, 1) is None
