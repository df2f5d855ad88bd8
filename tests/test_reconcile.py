"""/reconcile (W3C Entity Reconciliation API 0.2) over the project's reference entities, linked
to the Wikidata-shaped fixture on loopback, as OpenRefine would call it."""

from __future__ import annotations

import json

import pytest
import rdflib
import requests

from graph_service import iris, resources, wikidata
from graph_service.store import OxigraphStore
from wikidata_server import wikidata_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def linked_store(wikidata_server, tmp_path_factory):  # noqa: F811
    s = OxigraphStore(tmp_path_factory.mktemp("store"))
    s.replace_graphs({iris.ENTITIES_GRAPH: rdflib.Graph().parse(resources.ENTITIES_FILE),
                      iris.ONTOLOGY_GRAPH: rdflib.Graph().parse(resources.ONTOLOGY_FILE)})
    wikidata.link(s, endpoint=wikidata_server.query_endpoint,
                  cache_dir=tmp_path_factory.mktemp("cache"))
    yield s
    s.close()


@pytest.fixture
def store(linked_store):
    """Overrides conftest's empty store: the app serves the linked reference entities."""
    return linked_store


def reconcile(client, queries: dict, method: str = "post") -> dict:
    data = {"queries": json.dumps(queries)}
    response = client.post("/reconcile", data=data) if method == "post" else \
        client.get("/reconcile", query_string=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def ids(result: dict) -> list[str]:
    return [c["id"] for c in result["result"]]


def test_manifest(client):
    m = client.get("/reconcile").get_json()
    assert m["versions"] == ["0.2"]
    assert m["identifierSpace"] == "https://w3id.org/nkru/id/entity/"
    assert m["schemaSpace"] == "https://w3id.org/nkru/ontology#"
    assert {"id": "State", "name": "state"} in m["defaultTypes"]
    assert "{{id}}" in m["view"]["url"]
    assert m["suggest"]["entity"]["service_path"] == "/suggest/entity"


def test_manifest_as_jsonp(client):
    response = client.get("/reconcile?callback=jsonp123")
    text = response.get_data(as_text=True)
    assert response.mimetype == "application/javascript"
    assert text.startswith("jsonp123(") and text.endswith(");")
    assert json.loads(text[len("jsonp123("):-2])["versions"] == ["0.2"]


def test_exact_label_is_a_match(client):
    out = reconcile(client, {"q0": {"query": "Kim Jong Un"}})["q0"]
    top = out["result"][0]
    assert top["id"] == "kim-jong-un" and top["name"] == "Kim Jong Un"
    assert top["match"] is True and top["score"] == 100
    assert {"id": "Person", "name": "person"} in top["type"]


def test_alias_and_spelling_variants(client):
    out = reconcile(client, {"a": {"query": "DPRK"}, "b": {"query": "Kim Jong-un"},
                             "c": {"query": "kim jong un"}}, method="get")
    assert ids(out["a"])[0] == "north-korea" and out["a"]["result"][0]["match"] is True
    assert ids(out["b"])[0] == "kim-jong-un"
    assert ids(out["c"])[0] == "kim-jong-un"


def test_type_filter(client):
    out = reconcile(client, {"state": {"query": "Moscow", "type": "State"},
                             "city": {"query": "Moscow", "type": "City"},
                             "place": {"query": "Moscow", "type": ["Place"]},   # superclass
                             "iri": {"query": "Moscow", "type": iris.ONTOLOGY + "City"}})
    assert ids(out["state"]) == ["russia"]
    assert ids(out["city"]) == ["moscow"]
    assert ids(out["place"]) == ["moscow"]
    assert ids(out["iri"]) == ["moscow"]


def test_properties_raise_or_lower_the_score(client):
    out = reconcile(client, {
        "right": {"query": "Moscow", "type": "City", "properties": [{"pid": "partOf", "v": "russia"}]},
        "label": {"query": "Moscow", "type": "City", "properties": [{"pid": "partOf", "v": "Russia"}]},
        "wrong": {"query": "Moscow", "type": "City", "properties": [{"pid": "partOf", "v": {"id": "ukraine"}}]},
        "sameas": {"query": "Kursk", "properties": [
            {"pid": "http://www.w3.org/2002/07/owl#sameAs", "v": "http://www.wikidata.org/entity/Q3178"}]},
    })
    assert out["right"]["result"][0]["score"] == 100
    assert out["label"]["result"][0]["score"] == 100
    assert out["wrong"]["result"][0]["score"] == 80 and out["wrong"]["result"][0]["match"] is False
    assert ids(out["sameas"])[0] == "kursk-oblast"


def test_limit(client):
    out = reconcile(client, {"q": {"query": "Kim", "limit": 1}, "all": {"query": "Kim", "limit": 50}})
    assert len(out["q"]["result"]) == 1
    assert {"kim-jong-un", "kim-yo-jong"} <= set(ids(out["all"]))


def test_no_candidate(client):
    assert reconcile(client, {"q": {"query": "Atlantis"}})["q"]["result"] == []


def test_query_text_is_a_value_not_sparql(client, store):
    before = store.count()
    out = reconcile(client, {"q": {"query": 'Kim" ) } ; DROP ALL ; SELECT * { ?s ?p ?o . FILTER("'}})
    assert isinstance(out["q"]["result"], list)
    assert store.count() == before


@pytest.mark.parametrize("queries, where", [
    ("{not json", "queries"),
    ('["a list"]', "queries"),
    ('{"q": {"query": ""}}', "queries.q"),
    ('{"q": {"query": "Kim", "limit": 0}}', "queries.q.limit"),
    ('{"q": {"query": "Kim", "properties": [{"v": "x"}]}}', "queries.q.properties"),
])
def test_bad_queries_are_400(client, queries, where):
    response = client.post("/reconcile", data={"queries": queries})
    assert response.status_code == 400
    assert response.get_json()["where"] == where


def test_suggest_entity(client):
    out = client.get("/reconcile/suggest/entity?prefix=Pyong").get_json()
    assert out["result"][0]["id"] == "pyongyang"
    names = [r["id"] for r in client.get("/reconcile/suggest/entity?prefix=kim").get_json()["result"]]
    assert {"kim-jong-un", "kim-yo-jong"} <= set(names)
    assert client.get("/reconcile/suggest/entity").status_code == 400


def test_over_http_like_openrefine(live_server):
    response = requests.post(live_server + "/reconcile", timeout=30, data={
        "queries": json.dumps({"q0": {"query": "Vladimir Putin", "type": "Person", "limit": 3}})})
    assert response.status_code == 200
    assert response.json()["q0"]["result"][0]["id"] == "vladimir-putin"
    manifest = requests.get(live_server + "/reconcile", timeout=30).json()
    assert manifest["view"]["url"].startswith(live_server)
