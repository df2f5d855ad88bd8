"""The JSON API (/api, /health, /openapi.json) against a hand-written fixture
(tests/data/api-fixture.trig) and, when the pipeline can build them, the real seeds.

Cases are data: one row per request with the expected status and what the answer must hold.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from graph_service.errors import KGError
from graph_service.store import OxigraphStore
from graph_service.web import create_app
from graph_service.web.params import query_parameters
from backends import api_fixture_store  # noqa: F401  (fixture)
from oxigraph_server import oxigraph_server  # noqa: F401  (session fixture)

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "api-fixture.trig"
C = "https://w3id.org/nkru/id/claim/"
# The fixture's claims, short names -> IRIs.
NK500, SHELLS, NIS10K, PENTAGON, KILLED = (C + s for s in (
    "c100000000000001", "c100000000000002", "c200000000000001", "c300000000000001",
    "c300000000000002"))
ALL = [NK500, SHELLS, NIS10K, PENTAGON, KILLED]


@pytest.fixture
def store(api_fixture_store):
    """Overrides conftest's store: the API fixture, on each backend (conftest's ``app`` and
    ``client`` then serve it)."""
    return api_fixture_store


@pytest.fixture
def fixture_store(store):
    return store


@pytest.fixture
def api(client):
    return client


def claims_of(body: dict) -> list[str]:
    return [item["claim"] for item in body["items"]]


# (request, expected claims in order) -- one filter each.
FILTER_CASES = [
    ("/api/claims", ALL),
    ("/api/claims?type=deployment", [NK500, NIS10K, PENTAGON]),
    ("/api/claims?type=transfer", [SHELLS]),
    ("/api/claims?type=casualties", [KILLED]),
    ("/api/claims?type=meeting", []),
    ("/api/claims?actor=north-korea", ALL),
    ("/api/claims?actor=entity/russia", []),
    ("/api/claims?actor=https://w3id.org/nkru/id/entity/north-korea", ALL),
    ("/api/claims?target=russia", [SHELLS, NIS10K]),
    ("/api/claims?target=kursk-oblast", [PENTAGON]),
    ("/api/claims?claimer=sabrina-singh", [PENTAGON, KILLED]),
    ("/api/claims?claimer=source/aaaa000000000001-a-government-official", [NK500]),
    ("/api/claims?via=tv-chosun", [NK500]),
    ("/api/claims?status=confirmed", [NK500, PENTAGON]),
    ("/api/claims?status=denied", []),
    ("/api/claims?event_from=2024-10-15", [NIS10K, PENTAGON]),
    ("/api/claims?event_to=2024-07-01", [NK500]),
    ("/api/claims?event_from=2024-10-02&event_to=2024-10-03", [NIS10K]),
    ("/api/claims?reported_from=2024-10-01", [NIS10K, PENTAGON, KILLED]),
    ("/api/claims?reported_to=2024-09-30", [NK500, SHELLS]),
    ("/api/claims?reported_from=2024-10-29&reported_to=2024-10-29", [NIS10K]),
    ("/api/claims?article=bbbb000000000002", [NIS10K]),
    ("/api/claims?article=https://w3id.org/nkru/id/article/cccc000000000003", [PENTAGON, KILLED]),
    ("/api/claims?limit=2", [NK500, SHELLS]),
    ("/api/claims?limit=2&offset=4", [KILLED]),
    ("/api/claims?offset=10", []),
    # the timeline: dated claims only, by earliest event date
    ("/api/timeline", [NK500, NIS10K, PENTAGON]),
    ("/api/timeline?type=deployment&target=russia", [NIS10K]),
    ("/api/timeline?event_from=2024-11-01", [PENTAGON]),
    ("/api/timeline?claimer=national-intelligence-service", [NIS10K]),
]


@pytest.mark.parametrize("url,expected", FILTER_CASES, ids=[c[0] for c in FILTER_CASES])
def test_claim_filters(api, url, expected):
    r = api.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)
    body = r.get_json()
    assert claims_of(body) == expected
    if "limit" not in url and "offset" not in url:
        assert body["total"] == len(expected)


# (request, the parameter the 400 must name)
BAD_CASES = [
    ("/api/claims?foo=1", "foo"),
    ("/api/claims?type=invasion", "type"),
    ("/api/claims?status=rumoured", "status"),
    ("/api/claims?limit=0", "limit"),
    ("/api/claims?limit=100000", "limit"),
    ("/api/claims?limit=ten", "limit"),
    ("/api/claims?offset=-1", "offset"),
    ("/api/claims?event_from=2024-13-01", "event_from"),
    ("/api/claims?event_to=yesterday", "event_to"),
    ("/api/claims?reported_from=2024-1-1", "reported_from"),
    ("/api/claims?reported_to=", "reported_to"),
    ("/api/claims?article=not-an-id", "article"),
    ("/api/claims?actor=" + quote('x" } ; DROP ALL #'), "actor"),
    ("/api/claims?target=" + quote("<http://evil>"), "target"),
    ("/api/claims?type=deployment&type=transfer", "type"),
    ("/api/timeline?q=x", "q"),
    ("/api/entities?type=Dragon", "type"),
    ("/api/entities?actor=north-korea", "actor"),
    ("/api/articles?limit=-5", "limit"),
    ("/api/articles/aaaa000000000001?status=confirmed", "status"),
    ("/api/articles/XYZ", "id"),
    ("/api/events/" + quote("e1;DROP", safe=""), "id"),
    ("/api/entities/" + quote('x" } ; DROP ALL #'), "id"),
]


@pytest.mark.parametrize("url,parameter", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_parameters_are_400_naming_them(api, url, parameter):
    r = api.get(url)
    assert r.status_code == 400, r.get_data(as_text=True)
    body = r.get_json()
    assert body["parameter"] == parameter
    assert parameter in body["message"]


def test_injection_in_free_text_is_bound_not_spliced(api, fixture_store):
    before = fixture_store.count()
    r = api.get("/api/entities", query_string={"q": 'x" } ; DROP ALL #'})
    assert r.status_code == 200
    assert r.get_json()["total"] == 0
    r = api.get("/api/entities", query_string={"q": "\") || true || (\""})
    assert r.get_json()["total"] == 0
    assert fixture_store.count() == before
    assert api.get("/api/claims").get_json()["total"] == len(ALL)


def test_claim_record_fields(api):
    body = api.get("/api/claims?limit=1").get_json()
    rec = body["items"][0]
    assert {k: rec[k] for k in ("type", "actor", "target", "item", "status", "event_time",
                                "claimed_by", "via", "start", "end")} == {
        "type": "deployment", "actor": "North Korea", "target": "Russian-occupied Ukraine",
        "item": "technical and medical support troops", "status": "confirmed",
        "event_time": "before 2024-06-19 to 2024-09", "claimed_by": "a government official",
        "via": "TV Chosun", "start": 94, "end": 207}
    assert rec["quantity"] == {"value": 500, "qualifier": "over", "upper": None,
                               "lower": 500, "text": "over 500"}
    assert rec["quote"].startswith("North Korea has deployed over 500")
    assert rec["counts"] is None
    assert rec["claim"] == NK500
    assert rec["event"] == NK500 + "/event"
    assert rec["article"] == "https://w3id.org/nkru/id/article/aaaa000000000001"
    assert rec["iris"]["actor"] == "https://w3id.org/nkru/id/entity/north-korea"
    assert rec["iris"]["via"] == ["https://w3id.org/nkru/id/entity/tv-chosun"]
    # Wikidata ids both ways: owl:sameAs in graph/links, and a kg:wikidataId literal
    assert rec["wikidata"]["actor"] == "Q423"
    pentagon = api.get("/api/claims?target=kursk-oblast").get_json()["items"][0]
    assert pentagon["wikidata"]["target"] == "Q2108"
    assert pentagon["quantity"]["qualifier"] == "range"
    assert pentagon["quantity"]["upper"] == 12000
    assert pentagon["publisher"] == "Defense News"
    assert pentagon["cluster"] == "https://w3id.org/nkru/id/event/e000000000000001"


def test_casualty_counts(api):
    (rec,) = api.get("/api/claims?type=casualties").get_json()["items"]
    assert rec["counts"] == {"killed": 40}
    assert rec["quantity"] is None


def test_quote_offsets_point_into_the_article_text(api):
    for rec in api.get("/api/claims").get_json()["items"]:
        text = api.get(f"/api/articles/{rec['article_id']}").get_json()["text"]
        assert text[rec["start"]:rec["end"]] == rec["quote"]


def test_pagination_links(api):
    first = api.get("/api/claims?limit=2&type=deployment").get_json()
    assert first["total"] == 3 and first["prev"] is None
    second = api.get(first["next"]).get_json()
    assert claims_of(second) == [PENTAGON]
    assert second["next"] is None and second["prev"] is not None
    assert "type=deployment" in first["next"]


ENTITY_CASES = [
    ("/api/entities?q=dprk", ["entity/north-korea"]),
    ("/api/entities?q=KURSK", ["entity/kursk-oblast"]),
    ("/api/entities?q=nis", ["entity/national-intelligence-service"]),
    ("/api/entities?type=NewsOutlet&q=tv", ["entity/tv-chosun"]),
    ("/api/entities?type=AnonymousSource", ["source/aaaa000000000001-a-government-official"]),
    ("/api/entities?q=nobody-by-that-name", []),
]


@pytest.mark.parametrize("url,expected", ENTITY_CASES, ids=[c[0] for c in ENTITY_CASES])
def test_entity_search(api, url, expected):
    body = api.get(url).get_json()
    assert [e["id"] for e in body["items"]] == expected


def test_entities_are_paginated_and_ranked_by_claims(api):
    body = api.get("/api/entities?limit=1").get_json()
    assert body["total"] > 5
    assert body["items"][0]["id"] == "entity/north-korea"
    assert body["items"][0]["claim_count"] == len(ALL)
    assert body["next"]


def test_entity_detail(api):
    body = api.get("/api/entities/north-korea?limit=2").get_json()
    assert body["label"] == "North Korea"
    assert set(body["aliases"]) == {"DPRK", "Pyongyang"}
    assert body["types"] == ["State"]
    assert body["wikidata"] == "Q423"
    assert "http://www.wikidata.org/entity/Q423" in body["links"]
    assert body["claims"]["total"] == len(ALL)
    assert claims_of(body["claims"]) == [NK500, SHELLS]
    assert body["claims"]["next"].startswith("/api/entities/north-korea?")
    assert api.get("/api/entities/kursk-oblast").get_json()["wikidata"] == "Q2108"
    outlet = api.get("/api/entities/entity/tv-chosun").get_json()
    assert claims_of(outlet["claims"]) == [NK500]


def test_articles(api):
    body = api.get("/api/articles").get_json()
    assert [a["id"] for a in body["items"]] == [
        "cccc000000000003", "bbbb000000000002", "aaaa000000000001"]
    assert body["items"][0]["claim_count"] == 2
    assert body["items"][0]["publisher"] == "Defense News"
    one = api.get("/api/articles/aaaa000000000001").get_json()
    assert one["headline"].startswith("North Korea deploys 500")
    assert one["published"] == "2024-09-19"
    assert claims_of(one["claims"]) == [NK500, SHELLS]


def test_event_reports_side_by_side(api):
    body = api.get("/api/events/e000000000000001").get_json()
    assert [r["claim"] for r in body["reports"]] == [NIS10K, PENTAGON]
    assert body["figures"] == {"min": 10000, "max": 12000}
    assert body["independent_sources"] == 2
    assert body["summary"] == "2 reports, 2 independent"
    assert body["sources"] == ["National Intelligence Service", "Sabrina Singh"]


NOT_FOUND = ["/api/entities/no-such-entity", "/api/articles/0000000000000000",
             "/api/events/0000000000000000"]


@pytest.mark.parametrize("url", NOT_FOUND)
def test_unknown_ids_are_404(api, url):
    r = api.get(url)
    assert r.status_code == 404
    assert r.get_json()["error"] == "NotFound"


def test_health(api, fixture_store):
    body = api.get("/health").get_json()
    assert body["status"] == "ok"
    assert body["triples"] == fixture_store.count() > 100


def test_openapi_document_describes_the_routes(api):
    doc = api.get("/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/claims", "/api/timeline", "/api/entities", "/api/entities/{id}",
                 "/api/articles", "/api/articles/{id}", "/api/events/{id}", "/health"):
        assert "get" in doc["paths"][path], path
    # the filters the issue asks for are declared, so the validator accepts them
    assert {"type", "actor", "target", "claimer", "status", "event_from", "event_to",
            "reported_from", "reported_to", "article", "limit", "offset"} <= set(
        query_parameters("listClaims"))
    json.dumps(doc)


# --- the real seed build, once the pipeline can make it ----------------------------------

@pytest.fixture(scope="module")
def seed_store():
    pipeline = pytest.importorskip("graph_service.pipeline",
                                   reason="the build pipeline is not importable yet")
    store = OxigraphStore(None)
    try:
        pipeline.build(store, Path(__file__).parents[1] / "seeds")
    except KGError as err:  # the build has its own tests (test_pipeline); this one is the API's
        pytest.skip(f"the seed build does not complete: {err}")
    yield store
    store.close()


def test_seed_build_through_the_api(seed_store):
    client = create_app({"TESTING": True}, store=seed_store).test_client()
    claims = client.get("/api/claims?limit=200").get_json()
    assert claims["total"] >= 10
    articles = client.get("/api/articles").get_json()
    assert articles["total"] == 5
    texts = {a["id"]: client.get(f"/api/articles/{a['id']}").get_json()["text"]
             for a in articles["items"]}
    for rec in claims["items"]:
        assert rec["type"] in ("deployment", "transfer", "treaty", "casualties", "statement",
                               "meeting")
        assert texts[rec["article_id"]][rec["start"]:rec["end"]] == rec["quote"]
    nk = client.get("/api/claims?actor=north-korea&limit=200").get_json()
    assert 0 < nk["total"] <= claims["total"]
    timeline = client.get("/api/timeline?limit=200").get_json()["items"]
    dates = [r["event_earliest"] or r["event_latest"] for r in timeline]
    assert dates == sorted(dates)


def _schema_properties(doc: dict, name: str) -> set[str]:
    schema = doc["components"]["schemas"][name]
    parts = schema.get("allOf", [schema])
    props = set()
    for part in parts:
        if "$ref" in part:
            props |= _schema_properties(doc, part["$ref"].rsplit("/", 1)[1])
        props |= set(part.get("properties", {}))
    return props


@pytest.mark.parametrize("url,schema", [
    ("/api/claims", "ClaimPage"), ("/api/entities", "EntityPage"),
    ("/api/articles", "ArticlePage"), ("/api/entities/north-korea", "EntityDetail"),
    ("/api/articles/aaaa000000000001", "ArticleDetail"),
    ("/api/events/e000000000000001", "EventDetail")])
def test_answers_use_only_documented_fields(api, url, schema):
    doc = api.get("/openapi.json").get_json()
    body = api.get(url).get_json()
    assert set(body) <= _schema_properties(doc, schema), set(body) - _schema_properties(doc, schema)
    items = body.get("items") or body.get("reports") or body.get("claims", {}).get("items", [])
    item_schema = {"ClaimPage": "Claim", "EntityPage": "Entity", "ArticlePage": "Article"}.get(
        schema, "Claim")
    for item in items:
        assert set(item) <= _schema_properties(doc, item_schema), (
            set(item) - _schema_properties(doc, item_schema))
