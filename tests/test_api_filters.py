"""The JSON API's entity filters take what the API shows (a label, an alias, a Wikidata id,
an id or an IRI), /api/events lists events, and every answer conforms to the OpenAPI
document (status documented, body valid against its schema)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import jsonschema
import pytest
from openapi_spec_validator import validate as validate_openapi

from conftest import AUTH
from graph_service.formats import RDFFormat
from graph_service.store import OxigraphStore
from graph_service.web import create_app
from graph_service.web.openapi import DOCUMENT

FIXTURE = Path(__file__).parent / "data" / "api-fixture.trig"
C = "https://w3id.org/nkru/id/claim/"
NK500, SHELLS, NIS10K, PENTAGON, KILLED = (C + s for s in (
    "c100000000000001", "c100000000000002", "c200000000000001", "c300000000000001",
    "c300000000000002"))
ALL = [NK500, SHELLS, NIS10K, PENTAGON, KILLED]
# Two more things the fixture lacks: an alias shared by two states, and a described source
# that bears a name in two articles.
EXTRA = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kg: <https://w3id.org/nkru/ontology#>
INSERT DATA { GRAPH <https://w3id.org/nkru/graph/entities> {
  <https://w3id.org/nkru/id/entity/north-korea> skos:altLabel "Korea"@en .
  <https://w3id.org/nkru/id/entity/south-korea> skos:altLabel "Korea"@en .
} }"""


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("filters") / "store")
    store.bulk_load(FIXTURE.read_bytes(), RDFFormat.TRIG)
    store.update(EXTRA)
    yield create_app({"TESTING": True}, store=store).test_client()
    store.close()


def claims(api, query: str) -> list[str]:
    resp = api.get("/api/claims?" + query)
    assert resp.status_code == 200, resp.get_json()
    return [item["claim"] for item in resp.get_json()["items"]]


@pytest.mark.parametrize("query,expected", [
    ("actor=north-korea", ALL),                                   # an id
    ("actor=entity/north-korea", ALL),
    ("actor=" + quote("https://w3id.org/nkru/id/entity/north-korea"), ALL),   # an IRI
    ("actor=North%20Korea", ALL),                                 # the label
    ("actor=north%20korea", ALL),                                 # in any case
    ("actor=DPRK", ALL),                                          # an alias
    ("actor=Pyongyang", ALL),
    ("actor=Q423", ALL),                                          # a Wikidata id
    ("actor=" + quote("http://www.wikidata.org/entity/Q423"), ALL),
    ("target=Kursk%20region", [PENTAGON]),                        # an alias of the target
    ("target=Q2108", [PENTAGON]),                                 # a kg:wikidataId
    ("target=Russia", [SHELLS, NIS10K]),
    ("target=the%20Kremlin", [SHELLS, NIS10K]),
    ("claimer=Sabrina%20Singh", [PENTAGON, KILLED]),
    ("claimer=a%20government%20official", [NK500]),               # a described source by name
    ("via=TV%20Chosun", [NK500]),
    ("actor=Russia", []),
    ("actor=Narnia", []),                                         # names nothing: no claims
    ("actor=Q1", []),
    ("actor=DPRK&target=Kursk%20Oblast", [PENTAGON]),
])
def test_entity_filters_take_names(api, query, expected):
    assert claims(api, query) == expected


def test_an_ambiguous_name_is_a_400_listing_the_candidates(api):
    resp = api.get("/api/claims?actor=Korea")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["parameter"] == "actor"
    assert {c["id"] for c in body["candidates"]} == {"entity/north-korea", "entity/south-korea"}
    assert {c["label"] for c in body["candidates"]} == {"North Korea", "South Korea"}
    assert "North Korea (entity/north-korea)" in body["message"]
    # the label of one entity is not ambiguous because another has it as an alias
    assert api.get("/api/claims?actor=North%20Korea").status_code == 200


def test_the_timeline_takes_names_too(api):
    resp = api.get("/api/timeline?actor=DPRK&target=Russia")
    assert [i["claim"] for i in resp.get_json()["items"]] == [NIS10K]


def test_events_are_listed_with_paging_and_filters(api):
    body = api.get("/api/events").get_json()
    assert body["total"] == 1 and body["next"] is None
    [event] = body["items"]
    assert event["id"] == "e000000000000001"
    assert event["label"] == "North Korean troops in Russia"
    assert event["type"] == "deployment"
    assert event["figures"] == {"min": 10000, "max": 12000}
    assert event["report_count"] == 2 and event["independent_sources"] == 2
    assert event["claims"] == [NIS10K, PENTAGON]
    assert event["earliest"] == "2024-10-01"
    for query, total in [("claimer=Sabrina%20Singh", 1), ("claimer=a%20government%20official", 0),
                         ("type=transfer", 0), ("actor=DPRK&type=deployment", 1),
                         ("event_from=2025-01-01", 0), ("limit=1&offset=1", 1)]:
        page = api.get("/api/events?" + query).get_json()
        assert page["total"] == total, query
    assert api.get("/api/events?limit=1&offset=1").get_json()["items"] == []
    assert api.get("/api/events?colour=red").status_code == 400


# --- the OpenAPI document against what the service sends --------------------------------

DOC = json.loads(DOCUMENT.read_text(encoding="utf-8"))


def test_the_document_is_valid_openapi():
    validate_openapi(DOC)
    assert "/rdf-graphs" not in json.dumps(DOC)


def test_the_document_describes_every_route(api):
    documented = {re.sub(r"\{[^}]+\}", "<>", p) for p in DOC["paths"]}
    app = api.application
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith("/static"):
            continue
        path = re.sub(r"<[^>]+>", "<>", rule.rule)
        assert path in documented, rule.rule
        methods = set(rule.methods) - {"HEAD", "OPTIONS"}
        item = DOC["paths"][next(p for p in DOC["paths"] if re.sub(r"\{[^}]+\}", "<>", p) == path)]
        assert {m.lower() for m in methods} <= set(item), rule.rule


def _json_schema(node, seen=()):
    """An OpenAPI 3.0 schema as JSON Schema: references inlined, ``nullable`` as a null type."""
    if isinstance(node, list):
        return [_json_schema(n, seen) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        assert name not in seen, f"recursive schema {name}"
        return _json_schema(DOC["components"]["schemas"][name], seen + (name,))
    out = {k: _json_schema(v, seen) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _operation(path: str, method: str = "get") -> dict:
    for template, item in DOC["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method in item:
            return item[method]
    raise AssertionError(f"{method.upper()} {path} is not in the document")


def _response(op: dict, status: int) -> dict:
    response = op["responses"].get(str(status))
    assert response is not None, f"{status} is not documented for {op['operationId']}"
    while "$ref" in response:
        response = DOC["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


@pytest.mark.parametrize("url,status", [
    ("/api/claims", 200), ("/api/claims?actor=DPRK&limit=2", 200), ("/api/timeline", 200),
    ("/api/entities", 200), ("/api/entities?q=korea", 200), ("/api/entities/north-korea", 200),
    ("/api/articles", 200), ("/api/articles/aaaa000000000001", 200),
    ("/api/articles/bbbb000000000002", 200),
    ("/api/events", 200), ("/api/events/e000000000000001", 200), ("/health", 200),
    ("/api/submissions", 200),
    ("/api/claims?actor=Korea", 400), ("/api/claims?limit=0", 400), ("/api/claims?bogus=1", 400),
    ("/api/entities/nobody", 404), ("/api/events/0000000000000000", 404),
    ("/api/articles/0000000000000000", 404),
])
def test_answers_conform_to_the_document(api, url, status):
    resp = api.get(url)
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    response = _response(_operation(url.split("?")[0]), status)
    schema = response["content"]["application/json"]["schema"]
    jsonschema.validate(resp.get_json(), _json_schema(schema),
                        format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("token,status", [(None, 403), ("Bearer x", 403)])
def test_writes_to_a_read_only_service_are_403_as_documented(api, token, status):
    headers = {"Authorization": token} if token else {}
    resp = api.post("/api/submissions/abc/accept", headers=headers)
    assert resp.status_code == status
    assert str(status) in _operation("/api/submissions/abc/accept", "post")["responses"]


def test_a_wrong_token_is_401_as_documented(client):
    resp = client.post("/api/submissions/abc/accept", headers={"Authorization": "Bearer wrong"})
    assert resp.status_code == 401
    op = _operation("/api/submissions/abc/accept", "post")
    assert "401" in op["responses"] and "token" in op["responses"]["401"]["description"]
    resp = client.post("/api/submissions/abc/accept", headers=AUTH)
    assert resp.status_code == 404 and "404" in op["responses"]
