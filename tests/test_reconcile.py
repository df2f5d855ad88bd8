"""/reconcile (W3C Entity Reconciliation API 0.2) over the project's reference entities, linked
to the Wikidata-shaped fixture on loopback, as OpenRefine would call it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import rdflib
import requests
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from graph_service import iris, resources
from graph_service.linking import wikidata
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


# --- the whole API: scoring rules, data extension, preview, suggest; every answer checked
# against the W3C Reconciliation API 0.2 schemas --------------------------------------------

SPEC = Path(__file__).parents[1].parent / "shared" / "reconciliation"


@pytest.fixture(scope="module")
def schemas():
    """The specification's JSON schemas (shared beside the repository), registered under
    their $id so that nothing is fetched."""
    folder = SPEC / "schemas"
    if not folder.is_dir():
        pytest.skip(f"the reconciliation schemas are not at {folder}")
    registry, by_name = Registry(), {}
    for path in sorted(folder.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        by_name[path.stem] = doc
        if "$id" in doc:
            registry = registry.with_resource(doc["$id"], Resource(doc, DRAFT7))
    def check(instance, name):
        jsonschema.Draft7Validator(by_name[name], registry=registry).validate(instance)
    # the schemas hold: they refuse the specification's own invalid examples
    bad = SPEC / "examples" / "data-extension-response" / "invalid" / "wrong-properties.json"
    with pytest.raises(jsonschema.ValidationError):
        check(json.loads(bad.read_text(encoding="utf-8")), "data-extension-response")
    return check


def test_exact_label_is_a_match_even_when_another_has_it_as_alias(client, schemas):
    queries = {"city": {"query": "Pyongyang"}, "kiev": {"query": "Kiev"},
               "kievcity": {"query": "Kiev", "type": "City"}, "state": {"query": "Pyongyang", "type": "State"}}
    schemas(queries, "reconciliation-query-batch")
    out = reconcile(client, queries)
    schemas(out, "reconciliation-result-batch")
    top = out["city"]["result"][0]
    assert top["id"] == "pyongyang" and top["match"] is True
    assert [c["match"] for c in out["city"]["result"][1:]] == [False] * (len(out["city"]["result"]) - 1)
    # an alias that two entities share matches neither; the type settles it
    assert not any(c["match"] for c in out["kiev"]["result"])
    assert out["kievcity"]["result"][0]["id"] == "kyiv" and out["kievcity"]["result"][0]["match"]
    # an alias of the right type, when no candidate of that type has it as its label
    assert out["state"]["result"][0]["id"] == "north-korea" and out["state"]["result"][0]["match"]


def test_type_strict(client, schemas):
    queries = {
        "any": {"query": "Moscow", "type": ["City", "State"], "type_strict": "any"},
        "all": {"query": "Moscow", "type": ["City", "Place"], "type_strict": "all"},
        "none": {"query": "Moscow", "type": ["City", "State"], "type_strict": "all"},
        "should": {"query": "Moscow", "type": "State", "type_strict": "should"},
        "default": {"query": "Moscow", "type": "State"},
    }
    schemas(queries, "reconciliation-query-batch")
    out = reconcile(client, queries)
    schemas(out, "reconciliation-result-batch")
    assert set(ids(out["any"])) == {"moscow", "russia"}
    assert ids(out["all"]) == ["moscow"] and out["all"]["result"][0]["match"]
    assert ids(out["none"]) == []
    # "should" prefers the type: the state first, the city still offered, scored lower
    should = out["should"]["result"]
    assert [c["id"] for c in should][:2] == ["russia", "moscow"]
    assert should[0]["match"] is True and should[1]["match"] is False
    assert should[1]["score"] == 80.0
    assert ids(out["default"]) == ["russia"]
    resp = client.post("/reconcile", data={"queries": json.dumps(
        {"q": {"query": "Moscow", "type_strict": "maybe"}})})
    assert resp.status_code == 400 and resp.get_json()["where"] == "queries.q.type_strict"


def test_unknown_properties_are_ignored_known_ones_count(client, schemas):
    queries = {
        "plain": {"query": "Kursk Oblast"},
        "unknown": {"query": "Kursk Oblast", "properties": [{"pid": "favouriteColour", "v": "blue"}]},
        "unknown_iri": {"query": "Kursk Oblast",
                        "properties": [{"pid": "http://example.org/nothing", "v": "x"}]},
        "wikidata": {"query": "Kursk region", "properties": [{"pid": "wikidata", "v": "Q3178"}]},
        "wikidata_iri": {"query": "Kursk region", "properties": [
            {"pid": "wikidata", "v": "http://www.wikidata.org/entity/Q3178"}]},
        "alias": {"query": "Kursk region"},
        "wrong": {"query": "Kursk Oblast", "properties": [{"pid": "wikidata", "v": "Q1"}]},
        "country": {"query": "Kursk Oblast", "properties": [{"pid": "country", "v": {"id": "russia"}}]},
        "person": {"query": "Kim Jong Un", "properties": [{"pid": "country", "v": "North Korea"}]},
    }
    schemas(queries, "reconciliation-query-batch")
    out = reconcile(client, queries)
    schemas(out, "reconciliation-result-batch")
    top = {k: v["result"][0] for k, v in out.items()}
    assert top["plain"]["score"] == top["unknown"]["score"] == top["unknown_iri"]["score"] == 100
    assert top["unknown"]["match"] and top["unknown_iri"]["match"]
    assert top["wikidata"]["id"] == top["wikidata_iri"]["id"] == "kursk-oblast"
    assert top["wikidata"]["score"] > top["alias"]["score"]          # raised
    assert top["wrong"]["score"] < top["plain"]["score"]             # lowered
    assert top["wrong"]["match"] is False
    assert top["country"]["score"] == 100 and top["country"]["match"]
    assert top["person"]["id"] == "kim-jong-un" and top["person"]["match"]


def test_manifest_and_suggest_services_validate(client, schemas):
    manifest = client.get("/reconcile").get_json()
    schemas(manifest, "manifest")
    assert client.post("/reconcile").get_json() == manifest
    assert {"entity", "property", "type"} <= set(manifest["suggest"])
    assert manifest["preview"]["url"].endswith("/reconcile/preview?id={{id}}")
    assert manifest["extend"]["propose_properties"]["service_path"] == "/properties"
    root = "/reconcile"
    entity = client.get(root + manifest["suggest"]["entity"]["service_path"] + "?prefix=Kim").get_json()
    schemas(entity, "suggest-entities-response")
    assert {"id": "Person", "name": "person"} in entity["result"][0]["notable"]
    props = client.get(root + manifest["suggest"]["property"]["service_path"] + "?prefix=wiki").get_json()
    schemas(props, "suggest-properties-response")
    assert [p["id"] for p in props["result"]] == ["wikidata"]
    types = client.get(root + manifest["suggest"]["type"]["service_path"] + "?prefix=cit").get_json()
    schemas(types, "suggest-types-response")
    city = next(t for t in types["result"] if t["id"] == "City")
    assert city["broader"] == [{"id": "Place", "name": "place"}]   # the kg: one, immediate
    proposals = client.get(root + "/properties?type=Person&limit=20").get_json()
    schemas(proposals, "data-extension-property-proposal")
    offered = {p["id"] for p in proposals["properties"]}
    assert {"wikidata", "type", "affiliation", "claim_count"} <= offered and "partOf" not in offered
    assert "partOf" in {p["id"] for p in client.get(root + "/properties?type=City").get_json()["properties"]}


@pytest.mark.parametrize("how", ["form", "get", "json"])
def test_data_extension(client, schemas, how):
    query = {"ids": ["north-korea", "kim-jong-un", "moscow", "no-such-entity"],
             "properties": [{"id": "wikidata"}, {"id": "type"}, {"id": "affiliation"},
                            {"id": "partOf"}, {"id": "claim_count"},
                            {"id": "aliases", "settings": {"limit": "1"}}, {"id": "unknown"}]}
    schemas(query, "data-extension-query")
    if how == "form":
        resp = client.post("/reconcile", data={"extend": json.dumps(query)})
    elif how == "get":
        resp = client.get("/reconcile", query_string={"extend": json.dumps(query)})
    else:
        resp = client.post("/reconcile", json={"extend": query})
    assert resp.status_code == 200
    out = resp.get_json()
    schemas(out, "data-extension-response")
    assert "versions" not in out                         # never the manifest
    assert [m["id"] for m in out["meta"]] == [p["id"] for p in query["properties"]]
    rows = out["rows"]
    assert rows["north-korea"]["wikidata"] == [{"str": "Q423"}]
    assert rows["north-korea"]["type"] == [{"str": "state"}]
    assert rows["kim-jong-un"]["affiliation"] == [{"id": "north-korea", "name": "North Korea"}]
    assert rows["moscow"]["partOf"] == [{"id": "russia", "name": "Russia"}]
    assert rows["north-korea"]["claim_count"] == [{"int": 0}]
    assert len(rows["north-korea"]["aliases"]) == 1
    assert rows["north-korea"]["unknown"] == []
    assert rows["no-such-entity"] == {p["id"]: [] for p in query["properties"]}


def test_bad_extension_queries_are_400(client):
    for extend in ("{not json", '{"ids": "north-korea", "properties": []}',
                   '{"ids": ["north-korea"]}'):
        assert client.post("/reconcile", data={"extend": extend}).status_code == 400


def test_preview_is_a_card(client):
    resp = client.get("/reconcile/preview?id=kim-jong-un")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    assert "Kim Jong Un" in page and "person" in page and "<script" not in page
    assert client.get("/reconcile/preview?id=nobody").status_code == 404
    assert client.get("/reconcile/preview").status_code == 400


class TestClaimCounts:
    """Counts come from the claim index: the API fixture has claims."""

    @pytest.fixture
    def store(self, tmp_path):
        from graph_service.formats import RDFFormat
        s = OxigraphStore(tmp_path / "api")
        s.bulk_load((Path(__file__).parent / "data" / "api-fixture.trig").read_bytes(), RDFFormat.TRIG)
        yield s
        s.close()

    def test_counts_by_role(self, client, schemas):
        out = client.post("/reconcile", data={"extend": json.dumps({
            "ids": ["north-korea", "sabrina-singh", "tv-chosun"],
            "properties": [{"id": k} for k in ("claim_count", "actor_claims", "target_claims",
                                               "claimer_claims", "via_claims")]})}).get_json()
        schemas(out, "data-extension-response")
        count = lambda e, k: out["rows"][e][k][0]["int"]  # noqa: E731
        assert count("north-korea", "actor_claims") == 5 == count("north-korea", "claim_count")
        assert count("sabrina-singh", "claimer_claims") == 2
        assert count("tv-chosun", "via_claims") == 1 and count("tv-chosun", "actor_claims") == 0
        assert "5 claims" in client.get("/reconcile/preview?id=north-korea").get_data(as_text=True)
