"""Malformed input is a 4xx with a reason, never a 500; reports stay small; tokens are exact."""

from __future__ import annotations


import pytest

import submission_data as d
from graph_service.store import OxigraphStore
from graph_service.web import create_app

TOKEN = "tok-9d1e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FACTS, NT, TTL = "application/json", "application/n-triples", "text/turtle"


@pytest.fixture(scope="module")
def client():
    store = OxigraphStore(None)
    d.seed(store)
    app = create_app({"TESTING": True, "WRITE_TOKEN": TOKEN, "PROPAGATE_EXCEPTIONS": False},
                     store=store)
    return app.test_client()


BAD_FIELDS = [("target", 5), ("via", 5), ("via", ["a"]), ("claimed_by", 5), ("counts", [1]),
              ("counts", "x"), ("article", "not an iri"), ("article", 5), ("item", {"a": 1}),
              ("signatories", "Kim"), ("signatories", [1]), ("location", 3), ("event_time", 5),
              ("quantity", {"qualifier": "exact", "value": 1, "text": 5})]


@pytest.mark.parametrize("key, value", BAD_FIELDS, ids=[f"{k}={v!r}" for k, v in BAD_FIELDS])
def test_fact_record_fields_of_the_wrong_type(client, key, value):
    r = client.post("/api/validate", data=d.records(d.record(**{key: value})), content_type=FACTS)
    assert r.status_code == 422, r.get_data(as_text=True)
    assert any(v["path"] == key.split("=")[0] for v in r.get_json()["violations"])


@pytest.mark.parametrize("body", [b'[[{"type": "deployment"}]]', b'[{"a": {"b": [1]}}]', b"[1]"])
def test_nested_or_non_object_records(client, body):
    r = client.post("/api/validate", data=body, content_type=FACTS)
    assert r.status_code == 422


@pytest.mark.parametrize("path, headers", [("/api/validate", {}), ("/api/submissions", AUTH)])
def test_empty_submission_is_refused(client, path, headers):
    for body, media in [(b"", TTL), (b"[]", FACTS), (b"# nothing\n", TTL)]:
        r = client.post(path, data=body, content_type=media, headers=headers)
        assert r.status_code == 422, (body, r.get_data(as_text=True))
        assert "no triples" in r.get_json()["violations"][0]["message"]


@pytest.mark.parametrize("body", [b"<urn:anything> <urn:p> <urn:o> .",
                                  b"<x:y> <http://e/p> <http://e/o> .",
                                  b"<http://example.org/a> <http://e/p> \"v\" ."])
def test_triples_about_unrelated_iris_are_refused(client, body):
    r = client.post("/api/submissions", data=body, content_type=NT, headers=AUTH)
    assert r.status_code == 422, r.get_data(as_text=True)
    assert r.get_json()["violations"][0]["constraint"] == "content"


ID = "https://w3id.org/nkru/id/"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
UNATTACHED = [f'<{ID}foo/bar> <http://e/p> "v" .',                  # in the space, about nothing
              f'<{ID}entity/brand-new> {LABEL} "New" .',            # an entity no claim names
              '_:a <http://e/p> "v" .',                              # a blank node on its own
              f'<{ID}entity/north-korea> {LABEL} "DPRK" .\n'        # beside a stored entity,
              f'<{ID}source/x-someone> {LABEL} "someone" .']         # one nothing names


@pytest.mark.parametrize("body", UNATTACHED, ids=["in-space", "new-entity", "blank", "beside"])
def test_triples_that_describe_no_claim_and_no_stored_node_are_refused(client, body):
    r = client.post("/api/submissions", data=body.encode(), content_type=NT, headers=AUTH)
    assert r.status_code == 422, r.get_data(as_text=True)
    found = [v for v in r.get_json()["violations"] if v["constraint"] == "content"]
    assert len(found) == 1 and "neither part of a claim" in found[0]["message"]


def test_a_label_for_a_stored_entity_is_a_submission(client):
    body = f'<{ID}entity/north-korea> {LABEL} "DPRK" .'.encode()
    r = client.post("/api/validate", data=body, content_type=NT)
    assert r.status_code == 200, r.get_data(as_text=True)


def test_a_large_quote_gives_a_small_report(client):
    quote = "q" * 1_000_000
    r = client.post("/api/validate", data=d.records(d.record(quote=quote)), content_type=FACTS)
    assert r.status_code == 422
    assert len(r.data) < 20_000
    r = client.post("/api/validate", data=d.records(d.record(quote=quote)), content_type=FACTS,
                    headers={"Accept": "text/turtle"})
    assert r.status_code == 422 and len(r.data) < 20_000


def test_unknown_extension_function_is_a_bad_query(client):
    r = client.post("/sparql", data="SELECT (<http://example.org/f>(1) AS ?x) {}",
                    content_type="application/sparql-query")
    assert r.status_code == 400
    assert "example.org/f" in r.get_json()["message"]


@pytest.mark.parametrize("given", [TOKEN + "\t", TOKEN + "\u00a0", " " + TOKEN, TOKEN + " ",
                                   TOKEN.upper()])
def test_tokens_are_compared_exactly(client, given):
    header = {"Authorization": "Bearer " + given}
    r = client.post("/sparql", data="INSERT DATA {}", content_type="application/sparql-update",
                    headers=header)
    assert r.status_code == 401
    r = client.post("/api/submissions", data=d.turtle(d.claim_graph()), content_type=TTL,
                    headers=header)
    assert r.status_code == 401
    r = client.put("/store?graph=http://example.org/g", data=b"", content_type=TTL,
                   headers=header)
    assert r.status_code == 401
    r = client.post("/sparql", data="INSERT DATA {}", content_type="application/sparql-update",
                    headers=AUTH)
    assert r.status_code == 204


def _cycle(n: int) -> bytes:
    return "".join(f"_:b{i} <http://e/p> _:b{(i + 1) % n} .\n" for i in range(n)).encode()


@pytest.mark.parametrize("path, headers", [("/api/validate", {}), ("/api/submissions", AUTH)])
def test_blank_nodes_per_submission_are_bounded(client, path, headers):
    import time
    started = time.monotonic()
    r = client.post(path, data=_cycle(200), content_type=NT, headers=headers)
    assert r.status_code == 413, r.get_data(as_text=True)[:300]
    assert "KG_MAX_BLANK_NODES" in r.get_json()["message"]
    assert time.monotonic() - started < 2


def test_blank_nodes_up_to_the_bound_are_digested_quickly():
    """A cycle (the worst shape for canonicalisation) and identical leaves at the bound."""
    import time
    import rdflib
    from graph_service.validation import submissions
    n = submissions.MAX_BLANK_NODES
    leaves = "".join(f'<http://e/c> <http://e/q> _:b{i} .\n_:b{i} <http://e/v> "x" .\n'
                     for i in range(n)).encode()
    for body in (_cycle(n), leaves):
        g = rdflib.Graph().parse(data=body, format="nt")
        started = time.monotonic()
        digest = submissions.content_digest(g)
        assert time.monotonic() - started < 1.5
        relabelled = rdflib.Graph().parse(data=body.replace(b"_:b", b"_:x"), format="nt")
        assert submissions.content_digest(relabelled) == digest


@pytest.mark.parametrize("path, headers", [("/api/validate", {}), ("/api/submissions", AUTH)])
def test_fact_records_per_body_are_bounded(client, path, headers):
    from graph_service.validation import submissions
    n = submissions.MAX_RECORDS
    over = client.post(path, data=b"[" + b",".join([b"1"] * (n + 1)) + b"]",
                       content_type=FACTS, headers=headers)
    assert over.status_code == 400, over.get_data(as_text=True)[:300]
    assert f"at most {n:,}" in over.get_json()["message"]
    at = client.post(path, data=b"[" + b",".join([b"1"] * n) + b"]", content_type=FACTS,
                     headers=headers)
    assert at.status_code == 422  # read, and each record refused for itself
    assert len(at.get_json()["violations"]) == n


def test_another_submissions_node_iris_are_refused(client):
    """A submission's blank nodes become IRIs under it when stored; nobody else may use
    them."""
    other = "https://w3id.org/nkru/id/submission/" + "0" * 32 + "/node/c14n0"
    body = f'<{other}> <https://w3id.org/nkru/ontology#value> "1" .'.encode()
    r = client.post("/api/validate", data=body, content_type=NT)
    assert r.status_code == 422
    assert any(v["constraint"] == "tampering" and v["focus"] == other
               for v in r.get_json()["violations"])


@pytest.mark.server
def test_tokens_are_compared_exactly_over_http():
    """Through waitress: HTTP drops spaces and tabs at the ends of a header value (RFC 9110
    section 5.5), so those cannot make another token; everything else that differs does."""
    import socket
    from serving import serving
    app = create_app({"WRITE_TOKEN": TOKEN}, store=OxigraphStore(None))
    body = b"INSERT DATA {}"
    with serving(app) as url:
        port = int(url.rsplit(":", 1)[1])
        for given, status in [(TOKEN, b"204"), (" " + TOKEN, b"401"), (TOKEN + "\u00a0", b"401"),
                              (TOKEN.upper(), b"401"), (TOKEN[:-1], b"401"), (TOKEN + "x", b"401")]:
            request = (b"POST /sparql HTTP/1.1\r\nHost: kg\r\nConnection: close\r\n"
                       b"Content-Type: application/sparql-update\r\n"
                       b"Authorization: Bearer " + given.encode("utf-8") + b"\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(body) + body)
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                conn.sendall(request)
                assert conn.recv(64).split(b" ")[1] == status, repr(given)


@pytest.mark.parametrize("config", [{"WRITE_TOKEN": TOKEN + " "}, {"WRITE_TOKEN": "\t" + TOKEN},
                                    {"WRITE_TOKEN": TOKEN + "\n"},
                                    {"SUBMIT_TOKENS": {"ana": "ana-token "}}])
def test_a_token_http_cannot_carry_is_refused_at_start(config):
    from graph_service.errors import InputError
    with pytest.raises(InputError, match="no request could present this token"):
        create_app(config, store=OxigraphStore(None))
