"""Submissions: a table of bodies -> expected status and where the violations point.

Each case is one POST /api/validate; the same table is then used for POST /api/submissions,
which must store exactly the conforming ones and leave no trace of the others. Every test
runs on both store backends (``backends.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from graph_service import iris
from graph_service.validation import submissions
from graph_service.articles import article_from_text
from graph_service.errors import ParseError
from graph_service.vocab import KG, OA
from graph_service.web import create_app

import submission_data as d
from backends import load_trig

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MAX_BODY = 100_000
TTL, NT, TRIG, JSONLD, FACTS = ("text/turtle", "application/n-triples", "application/trig",
                                "application/ld+json", "application/json")

NEW = article_from_text(d.NEW_TEXT, meta=d.NEW_META)
NEW_QUOTE = "Kim Jong Un met Vladimir Putin"


# ---------------------------------------------------------------- bodies

def _mutated(change: Callable[[rdflib.Graph], None], **kw) -> bytes:
    g = d.claim_graph(**kw)
    change(g)
    return d.turtle(g)


def _quote_node(g: rdflib.Graph):
    return next(g.subjects(RDF.type, OA.TextQuoteSelector))


def _set_exact(g: rdflib.Graph, text: str) -> None:
    g.set((_quote_node(g), OA.exact, Literal(text)))


def _point_actor_at(g: rdflib.Graph, iri: str) -> None:
    event = next(g.objects(None, KG.asserts))
    g.set((event, KG.actor, URIRef(iri)))


def _assert_to(g: rdflib.Graph, iri: str) -> None:
    claim = URIRef(d.claim_iri(g))
    g.set((claim, KG.asserts, URIRef(iri)))


def _new_article_claim(**kw) -> rdflib.Graph:
    return d.claim_graph(article=NEW, with_article=True, quote=NEW_QUOTE, start=0, **kw)


def _new_without_text() -> bytes:
    g = _new_article_claim()
    g.remove((URIRef(NEW.iri), None, None))
    return d.turtle(g)


def _new_with_wrong_iri() -> bytes:
    g = _new_article_claim()
    wrong = URIRef(iris.article_iri("0" * 16))
    for s, p, o in list(g):
        if URIRef(NEW.iri) in (s, o):
            g.remove((s, p, o))
            g.add((wrong if s == URIRef(NEW.iri) else s, p, wrong if o == URIRef(NEW.iri) else o))
    return d.turtle(g)


def _trig_into(graph: str) -> bytes:
    return (f"<{graph}> {{\n" + d.claim_graph().serialize(format="nt") + "}\n").encode()


SHAPE_WITH_SERVICE = f"""
@prefix sh: <{SH}> .
<https://example.org/s> a sh:NodeShape ; sh:targetClass <{KG.Claim}> ;
  sh:sparql [ sh:select "SELECT $this WHERE {{ SERVICE <http://example.invalid/sparql> {{ ?s ?p ?o }} }}" ] .
""".encode()


@dataclass(frozen=True)
class Case:
    id: str
    media_type: str
    body: Callable[[], bytes]
    status: int
    where: tuple[tuple[str | None, str | None], ...] = ()  # (focus, path) that must be reported
    line: int | None = None


CASES = [
    # conforming
    Case("facts-stored-article", FACTS, lambda: d.records(d.record()), 200),
    Case("facts-new-article", FACTS, lambda: d.records(d.record(
        article=..., article_text=d.NEW_TEXT, article_meta=d.NEW_META, actor="Kim Jong Un",
        target="Vladimir Putin", type="meeting", quantity=None, claimed_by=None,
        quote=NEW_QUOTE, start=0, end=len(NEW_QUOTE))), 200),
    Case("turtle-claim", TTL, lambda: d.turtle(d.claim_graph()), 200),
    Case("ntriples-claim", NT, lambda: d.claim_graph().serialize(format="nt").encode(), 200),
    Case("jsonld-claim", JSONLD, lambda: d.claim_graph().serialize(format="json-ld").encode(), 200),
    Case("rdfxml-claim", "application/rdf+xml",
         lambda: d.claim_graph().serialize(format="xml").encode(), 200),
    Case("turtle-new-article", TTL, lambda: d.turtle(_new_article_claim()), 200),
    # evidence
    Case("facts-wrong-offsets", FACTS, lambda: d.records(d.record(start=1, end=len(d.QUOTE) + 1)),
         422, ((None, str(OA.exact)),)),
    Case("turtle-quote-not-at-offsets", TTL,
         lambda: _mutated(lambda g: _set_exact(g, "Russia shipped oil to North Korea")),
         422, ((None, str(OA.exact)),)),
    Case("facts-unknown-article", FACTS,
         lambda: d.records(d.record(article=iris.article_iri("f" * 16))), 422, (("#/0", "article"),)),
    Case("turtle-unknown-article-without-text", TTL, _new_without_text, 422,
         ((None, str(OA.hasSource)),)),
    Case("turtle-new-article-wrong-iri", TTL, _new_with_wrong_iri, 422,
         ((iris.article_iri("0" * 16), "https://schema.org/text"),)),
    # fact records that cannot become claims
    Case("facts-bad-type", FACTS, lambda: d.records(d.record(type="invasion")), 422,
         (("#/0", "type"),)),
    Case("facts-no-quote", FACTS, lambda: d.records(d.record(quote=...)), 422, (("#/0", "quote"),)),
    Case("facts-no-article", FACTS, lambda: d.records(d.record(article=...)), 422,
         (("#/0", "article"),)),
    Case("facts-second-record-bad", FACTS,
         lambda: d.records(d.record(), d.record(item="oil", start=-1)), 422, (("#/1", "start"),)),
    # references resolve to entities of the expected class
    Case("turtle-unresolved-entity", TTL,
         lambda: _mutated(lambda g: _point_actor_at(g, iris.entity_iri("Nowhere Land"))),
         422, ((None, str(KG.actor)),)),
    Case("turtle-asserts-an-entity", TTL,
         lambda: _mutated(lambda g: _assert_to(g, d.NORTH_KOREA)), 422, ((None, str(KG.asserts)),)),
    # no tampering
    Case("turtle-changes-stored-article", TTL,
         lambda: _mutated(lambda g: g.add((URIRef(d.ARTICLE.iri), RDFS.label, Literal("x")))),
         422, ((d.ARTICLE.iri, None),)),
    Case("turtle-changes-ontology", TTL,
         lambda: _mutated(lambda g: g.add((KG.Claim, RDFS.subClassOf, OWL.Thing))),
         422, ((str(KG.Claim), None),)),
    Case("trig-writes-article-graph", TRIG, lambda: _trig_into(d.ARTICLE.graph), 422,
         ((d.ARTICLE.graph, None),)),
    Case("trig-writes-shapes-graph", TRIG, lambda: _trig_into(iris.SHAPES_GRAPH), 422,
         ((iris.SHAPES_GRAPH, None),)),
    Case("turtle-shape-with-service", TTL, lambda: SHAPE_WITH_SERVICE, 422,
         ((None, str(SH.select)),)),
    Case("turtle-owl-imports", TTL,
         lambda: _mutated(lambda g: g.add((URIRef(d.claim_iri(g)), OWL.imports,
                                           URIRef("http://example.invalid/x")))),
         422, ((None, str(OWL.imports)),)),
    Case("turtle-sets-the-submitter", TTL,
         lambda: _mutated(lambda g: g.add((URIRef(d.claim_iri(g)), rdflib.namespace.PROV.wasAttributedTo,
                                           URIRef(submissions.agent_iri("someone else"))))),
         422, ((None, str(rdflib.namespace.PROV.wasAttributedTo)),)),
    Case("turtle-forges-a-submission-record", TTL,
         lambda: f"<{iris.submission_iri('ab' * 16)}> <{submissions.SUBMISSION_STATUS}> "
                 f"<{submissions.STATUS_TERMS['accepted']}> .".encode(), 422,
         ((iris.submission_iri("ab" * 16), None),)),
    # unreadable, wrong type
    Case("jsonld-remote-context-not-fetched", JSONLD,
         lambda: b'{"@context": "http://example.invalid/context.jsonld", "@id": "http://a", "b": 1}', 400),
    Case("turtle-syntax-error", TTL, lambda: b"@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b \"x .\n",
         400, line=3),
    Case("ntriples-syntax-error", NT, lambda: b"<http://a> <http://b> <http://c> .\n<http://a> <http://b> c .\n",
         400, line=2),
    Case("jsonld-syntax-error", JSONLD, lambda: b'{"@id": "http://a",\n "http://b": [1,}', 400, line=2),
    Case("facts-json-syntax-error", FACTS, lambda: b'[{"type": "deployment",\n  "actor": }]', 400, line=2),
    Case("facts-not-a-list", FACTS, lambda: b'{"type": "deployment"}', 400),
    Case("relative-iri", TTL, lambda: b"<a> <b> <c> .", 400),
    Case("wrong-content-type", "text/csv", lambda: b"a,b,c\n", 415),
    Case("oversized", TTL, lambda: b"#" * (MAX_BODY + 1), 413),
]


# ---------------------------------------------------------------- fixtures

@pytest.fixture
def store(backend_store):
    """Overrides conftest's store: an empty store on each backend (``kg submit`` serves it)."""
    return backend_store


@pytest.fixture
def sub_store(request, store):
    """The store, seeded (``submission_data.seed``)."""
    load_trig(request, store, d.seed_trig())
    return store


@pytest.fixture
def sub_client(sub_store):
    app = create_app({"TESTING": True, "WRITE_TOKEN": TOKEN, "MAX_BODY": MAX_BODY},
                     store=sub_store)
    return app.test_client()


def _content_graphs(store) -> list[str]:
    """Staging graphs: in the staging store, never in the served dataset."""
    assert not [g for g in store.named_graphs() if g.startswith(submissions.STAGING_PREFIX)]
    return [g for g in store.staging.named_graphs() if g.startswith(submissions.STAGING_PREFIX)]


def _check_answer(case: Case, resp) -> None:
    assert resp.status_code == case.status, resp.get_data(as_text=True)
    body = resp.get_json()
    if case.status == 422:
        assert body["conforms"] is False
        for focus, path in case.where:
            assert any((focus is None or v["focus"] == focus) and (path is None or v["path"] == path)
                       for v in body["violations"]), (focus, path, body["violations"])
        for v in body["violations"]:
            assert v["message"] and set(v) >= {"focus", "path", "value", "shape", "severity"}
    if case.line is not None:
        assert body["line"] == case.line and isinstance(body["column"], int), body


# ---------------------------------------------------------------- the table, twice

@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_validate(sub_client, sub_store, case: Case):
    before = sub_store.count()
    resp = sub_client.post("/api/validate", data=case.body(), content_type=case.media_type)
    _check_answer(case, resp)
    if case.status == 200:
        assert resp.get_json() == {"conforms": True}
    assert sub_store.count() == before  # a dry run stores nothing


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_submit(sub_client, sub_store, case: Case):
    before = sub_store.count()
    resp = sub_client.post("/api/submissions", data=case.body(), content_type=case.media_type,
                           headers=AUTH)
    expected = 201 if case.status == 200 else case.status
    _check_answer(Case(case.id, case.media_type, case.body, expected, case.where, case.line), resp)
    if expected == 201:
        body = resp.get_json()
        assert resp.headers["Location"].endswith("/api/submissions/" + body["id"])
        assert body["iri"] == iris.submission_iri(body["id"]) and body["created"] is True
        assert _content_graphs(sub_store) == [iris.submission_graph(body["id"])]
        record = submissions.get(sub_store, body["id"])
        assert record["status"] == "pending" and record["submitter"] == "maintainers"
    else:
        assert sub_store.count() == before and not _content_graphs(sub_store)
        assert submissions.list_submissions(sub_store) == []


# ---------------------------------------------------------------- behaviour beyond the table

def test_repeat_is_stored_once(sub_client, sub_store):
    body = d.turtle(d.claim_graph())
    first = sub_client.post("/api/submissions", data=body, content_type=TTL, headers=AUTH)
    count = sub_store.count()
    again = sub_client.post("/api/submissions", data=body, content_type=TTL, headers=AUTH)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["iri"] == again.get_json()["iri"]
    assert again.get_json()["created"] is False and again.headers["Location"] == first.headers["Location"]
    assert sub_store.count() == count and len(submissions.list_submissions(sub_store)) == 1


def test_same_triples_in_another_syntax_are_the_same_submission(sub_client):
    g = d.claim_graph()
    a = sub_client.post("/api/submissions", data=d.turtle(g), content_type=TTL, headers=AUTH)
    b = sub_client.post("/api/submissions", data=g.serialize(format="nt").encode(),
                        content_type=NT, headers=AUTH)
    assert a.get_json()["iri"] == b.get_json()["iri"] and b.status_code == 200


@pytest.mark.parametrize("headers,status", [({}, 401), ({"Authorization": "Bearer nope"}, 401),
                                            ({"Authorization": "Basic " + TOKEN}, 401)])
def test_submit_needs_the_token(sub_client, sub_store, headers, status):
    resp = sub_client.post("/api/submissions", data=d.turtle(d.claim_graph()), content_type=TTL,
                           headers=headers)
    assert resp.status_code == status and not _content_graphs(sub_store)


def test_read_only_service_takes_no_submissions(sub_store):
    client = create_app({"TESTING": True, "WRITE_TOKEN": None}, store=sub_store).test_client()
    resp = client.post("/api/submissions", data=d.turtle(d.claim_graph()), content_type=TTL,
                       headers=AUTH)
    assert resp.status_code == 403


@pytest.mark.parametrize("accept,parse_as", [("text/turtle", "turtle"),
                                             ("application/ld+json", "json-ld")])
def test_report_by_content_negotiation(sub_client, accept, parse_as):
    body = d.records(d.record(start=1, end=len(d.QUOTE) + 1))
    resp = sub_client.post("/api/validate", data=body, content_type=FACTS, headers={"Accept": accept})
    assert resp.status_code == 422 and resp.mimetype == accept
    report = rdflib.Graph().parse(data=resp.get_data(as_text=True), format=parse_as)
    node = next(report.subjects(RDF.type, SH.ValidationReport))
    assert report.value(node, SH.conforms).toPython() is False
    paths = {report.value(r, SH.resultPath) for r in report.objects(node, SH.result)}
    assert OA.exact in paths


def test_report_not_acceptable(sub_client):
    resp = sub_client.post("/api/validate", data=d.records(d.record()), content_type=FACTS,
                           headers={"Accept": "image/png"})
    assert resp.status_code == 406 and "text/turtle" in resp.get_json()["available"]


def test_accept_moves_claims_into_the_graph_with_the_submitter(sub_client, sub_store):
    g = d.claim_graph()
    sid = sub_client.post("/api/submissions", data=d.turtle(g), content_type=TTL,
                          headers=AUTH).get_json()["id"]
    assert sub_client.post(f"/api/submissions/{sid}/accept").status_code == 401
    resp = sub_client.post(f"/api/submissions/{sid}/accept", headers=AUTH)
    assert resp.status_code == 200 and resp.get_json()["status"] == "accepted"
    accepted = submissions.ACCEPTED_PREFIX + sid
    assert not _content_graphs(sub_store)
    stored = sub_store.graph(accepted)
    claim = URIRef(d.claim_iri(g))
    agent = URIRef(submissions.agent_iri("maintainers"))
    assert (claim, rdflib.namespace.PROV.wasAttributedTo, agent) in stored
    assert len(stored) == len(g) + 2
    again = sub_client.post(f"/api/submissions/{sid}/accept", headers=AUTH)
    assert again.status_code == 200 and len(sub_store.graph(accepted)) == len(stored)
    assert sub_client.post(f"/api/submissions/{sid}/reject", json={"reason": "late"},
                           headers=AUTH).status_code == 409


def test_reject_keeps_the_reason_and_drops_the_content(sub_client, sub_store):
    sid = sub_client.post("/api/submissions", data=d.turtle(d.claim_graph()), content_type=TTL,
                          headers=AUTH).get_json()["id"]
    assert sub_client.post(f"/api/submissions/{sid}/reject", json={}, headers=AUTH).status_code == 400
    resp = sub_client.post(f"/api/submissions/{sid}/reject", json={"reason": "duplicate of c1"},
                           headers=AUTH)
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "rejected" and resp.get_json()["reason"] == "duplicate of c1"
    assert not _content_graphs(sub_store)
    assert sub_client.post(f"/api/submissions/{sid}/accept", headers=AUTH).status_code == 409
    listed = sub_client.get("/api/submissions?status=rejected").get_json()
    assert [r["id"] for r in listed] == [sid]
    assert sub_client.get("/api/submissions?status=pending").get_json() == []


def test_get_submission_status_and_content(sub_client):
    g = d.claim_graph()
    sid = sub_client.post("/api/submissions", data=d.turtle(g), content_type=TTL,
                          headers=AUTH).get_json()["id"]
    rec = sub_client.get(f"/api/submissions/{sid}", headers=AUTH).get_json()
    assert rec["status"] == "pending" and rec["triples"] == len(g)
    assert len(rdflib.Graph().parse(data=rec["content"], format="turtle")) == len(g)
    ttl = sub_client.get(f"/api/submissions/{sid}", headers={"Accept": "text/turtle", **AUTH})
    assert ttl.mimetype == "text/turtle"
    assert len(rdflib.Graph().parse(data=ttl.get_data(as_text=True), format="turtle")) == len(g)
    assert sub_client.get("/api/submissions/" + "0" * 32).status_code == 404
    assert sub_client.get("/api/submissions/not-an-id").status_code == 404
    assert [r["id"] for r in sub_client.get("/api/submissions").get_json()] == [sid]


def test_pending_content_is_for_reviewers_and_its_submitter(sub_store):
    """The record is public; a pending submission's content needs the write token or the
    token it was sent with; once accepted it is public."""
    tokens = {"ana": "ana-token", "bo": "bo-token"}
    client = create_app({"TESTING": True, "WRITE_TOKEN": TOKEN, "SUBMIT_TOKENS": tokens},
                        store=sub_store).test_client()
    g = d.claim_graph()
    sent = client.post("/api/submissions", data=d.turtle(g), content_type=TTL,
                       headers={"Authorization": "Bearer ana-token"})
    assert sent.status_code == 201, sent.get_json()
    url = f"/api/submissions/{sent.get_json()['id']}"

    def content(headers: dict) -> str | None:
        resp = client.get(url, headers=headers)
        assert resp.status_code == 200 and resp.get_json()["status"] in ("pending", "accepted")
        assert "Authorization" in resp.headers["Vary"]
        return resp.get_json().get("content")

    claim = d.claim_iri(g)
    assert content({}) is None
    assert content({"Authorization": "Bearer bo-token"}) is None  # another submitter's
    assert claim in content({"Authorization": "Bearer ana-token"})
    assert claim in content(AUTH)
    for headers, status in (({}, 401), ({"Authorization": "Bearer bo-token"}, 401),
                            ({"Authorization": "Bearer wrong"}, 401)):
        resp = client.get(url, headers={"Accept": "text/turtle", **headers})
        assert resp.status_code == status and claim not in resp.get_data(as_text=True)
    assert client.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert claim not in client.get("/api/submissions").get_data(as_text=True)
    assert client.post(url + "/accept", headers=AUTH).status_code == 200
    assert claim in content({})


def test_fact_records_and_their_claims_get_the_same_checks_as_rdf(sub_store):
    report = submissions.validate_submission(sub_store, d.records(d.record()), FACTS)
    assert report.conforms
    sub = submissions.read_submission(sub_store, d.records(d.record()), FACTS)
    # the stored article is cited, not restated
    assert (URIRef(d.ARTICLE.iri), None, None) not in sub.graph
    assert (None, rdflib.namespace.PROV.wasDerivedFrom, URIRef(d.ARTICLE.iri)) in sub.graph


@pytest.mark.parametrize("media_type,body,line,column", [
    (TTL, b"<http://a> <http://b> <http://c> .\n<http://a> <http://b> \"open .\n", 2, None),
    (NT, b"<http://a> <http://b> <http://c> .\n\n<http://a> <http://b> c .\n", 3, 23),
    (TRIG, b"<http://g> { <http://a> <http://b> <http://c> }\n}\n", 2, 1),
])
def test_parse_errors_carry_line_and_column(sub_store, media_type, body, line, column):
    with pytest.raises(ParseError) as info:
        submissions.read_submission(sub_store, body, media_type)
    assert info.value.line == line
    assert info.value.column == column if column is not None else isinstance(info.value.column, int)
    assert info.value.to_json()["line"] == line


def test_neighbourhood_is_the_touched_part_only(sub_store):
    g = d.claim_graph()
    near = submissions.neighbourhood(sub_store, g)
    assert (URIRef(d.ARTICLE.iri), rdflib.namespace.SDO.text, Literal(d.TEXT)) in near
    assert (URIRef(d.NORTH_KOREA), RDF.type, KG.State) in near
    assert (URIRef(iris.entity_iri("Sergei Shoigu")), None, None) not in near
    assert len(near) < sub_store.count() / 5


# ---------------------------------------------------------------- kg submit

SUBMIT_FILES = [
    ("facts.json", lambda: d.records(d.record()), None, 0, "stored as"),
    ("claim.ttl", lambda: d.turtle(d.claim_graph(item="shells")), None, 0, "stored as"),
    ("wrong-quote.json", lambda: d.records(d.record(start=3)), None, 1, "violation"),
    ("broken.ttl", lambda: b"<http://a> <http://b> .\n", None, 2, "line 1"),
    ("data.csv", lambda: b"a,b\n", None, 2, "extension"),
    ("facts.json", lambda: d.records(d.record()), "wrong-token", 2, "401"),
    ("facts.json", lambda: d.records(d.record()), "unreachable", 2, "cannot reach"),
]


@pytest.mark.server
@pytest.mark.parametrize("name,body,variant,code,says", SUBMIT_FILES,
                         ids=[f"{n}-{c}-{v or 'ok'}" for n, _, v, c, _s in SUBMIT_FILES])
def test_kg_submit(sub_store, live_server, tmp_path, name, body, variant, code, says):
    import io

    from conftest import WRITE_TOKEN
    from graph_service.client import submit_file

    path = tmp_path / name
    path.write_bytes(body())
    url = "http://127.0.0.1:9" if variant == "unreachable" else live_server
    token = "nope" if variant == "wrong-token" else WRITE_TOKEN
    out = io.StringIO()
    assert submit_file(path, url=url, token=token, out=out) == code, out.getvalue()
    assert says in out.getvalue()
    if code == 0:
        assert len(submissions.list_submissions(sub_store)) == 1
        again = io.StringIO()
        assert submit_file(path, url=url, token=token, out=again) == 0
        assert "already stored" in again.getvalue()
    else:
        assert submissions.list_submissions(sub_store) == []


def test_pending_claims_are_not_served_until_accepted(sub_client, sub_store):
    resp = sub_client.post("/api/submissions", data=d.records(d.record()), content_type=FACTS,
                           headers=AUTH)
    assert resp.status_code == 201
    sid = resp.get_json()["id"]
    claim = next(iter(sub_store.staging.graph(submissions.STAGING_PREFIX + sid)
                      .subjects(RDF.type, KG.Claim)))

    def listed() -> set[str]:
        items = sub_client.get("/api/claims?limit=200").get_json()["items"]
        return {item["claim"] for item in items}

    assert str(claim) not in listed()
    assert sub_client.post(f"/api/submissions/{sid}/accept", headers=AUTH).status_code == 200
    assert str(claim) in listed()


def test_a_submission_with_blank_nodes_can_be_accepted(sub_client, sub_store):
    """Blank nodes are stored as IRIs under the submission (``…/node/c14n<n>``); accepting
    checks the content again, and must not take those IRIs for tampering."""
    g = d.claim_graph(item="blank-node crates")
    quantity = next(g.objects(None, KG.quantity))
    node = rdflib.BNode()
    for p, o in list(g.predicate_objects(quantity)):
        g.remove((quantity, p, o))
        g.add((node, p, o))
    for s, p in list(g.subject_predicates(quantity)):
        g.remove((s, p, quantity))
        g.add((s, p, node))
    sent = sub_client.post("/api/submissions", data=d.turtle(g), content_type=TTL, headers=AUTH)
    assert sent.status_code == 201, sent.get_json()
    sid = sent.get_json()["id"]
    resp = sub_client.post(f"/api/submissions/{sid}/accept", headers=AUTH)
    assert resp.status_code == 200, resp.get_json()
    stored = sub_store.graph(submissions.ACCEPTED_PREFIX + sid)
    skolem = next(stored.objects(None, KG.quantity))
    assert str(skolem).startswith(iris.submission_iri(sid) + "/node/")
    assert (skolem, KG.value, None) in stored and len(stored) == len(g) + 2


def test_tidy_moves_old_staging_graphs_out_and_drops_leftovers(sub_client, sub_store):
    """A store written before the staging store had its staging graphs in the served
    dataset; a crash may leave staged content without a record. Starting the service
    (``tidy``) puts both in order."""
    sid = sub_client.post("/api/submissions", data=d.turtle(d.claim_graph()), content_type=TTL,
                          headers=AUTH).get_json()["id"]
    staging = iris.submission_graph(sid)
    content = sub_store.staging.graph(staging)
    sub_store.replace_graphs({staging: content})  # where an older version kept it
    sub_store.staging.drop_graphs([staging])
    orphan = iris.submission_graph("f" * 32)
    sub_store.staging.replace_graphs({orphan: d.claim_graph(item="orphan")})
    create_app({"TESTING": True, "WRITE_TOKEN": TOKEN}, store=sub_store)
    assert _content_graphs(sub_store) == [staging]  # and none in the served dataset
    assert len(sub_store.staging.graph(staging)) == len(content)
    assert submissions.tidy(sub_store) == {"moved": 0, "dropped": 0}
    assert sub_client.post(f"/api/submissions/{sid}/accept", headers=AUTH).status_code == 200
