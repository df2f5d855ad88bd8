"""Cross-origin requests: reads open to any origin (preflight included), writes only for the
origins named by KG_CORS_WRITE_ORIGINS."""

from __future__ import annotations

import pytest
import requests

from conftest import AUTH, WRITE_TOKEN
from graph_service.store import OxigraphStore
from graph_service.web import create_app

ORIGIN = "https://notebook.example.org"
EDITOR = "https://editor.example.org"
ACAO = "Access-Control-Allow-Origin"
ENTITY = "https://w3id.org/nkru/id/entity/cors-test"
INSERT = ("INSERT DATA { GRAPH <https://w3id.org/nkru/graph/cors> { <%s> "
          "<http://www.w3.org/2000/01/rdf-schema#label> \"CORS test\" } }" % ENTITY)


def preflight(client, path, method="GET", headers="content-type", origin=ORIGIN):
    return client.options(path, headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers})


def allowed_headers(resp) -> set[str]:
    return {h.strip().lower() for h in resp.headers.get("Access-Control-Allow-Headers", "").split(",")
            if h.strip()}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One app for the read-only tests, with one entity (a store per test costs more than
    the tests)."""
    store = OxigraphStore(tmp_path_factory.mktemp("cors") / "store")
    app = create_app({"TESTING": True, "WRITE_TOKEN": WRITE_TOKEN}, store=store)
    client = app.test_client()
    assert client.post("/sparql", data=INSERT, headers={
        **AUTH, "Content-Type": "application/sparql-update"}).status_code == 204
    yield client
    store.close()


@pytest.mark.parametrize("path", [
    "/sparql?query=ASK%7B%7D", "/api/claims", "/api/entities", "/openapi.json",
    "/reconcile", "/health", "/id/entity/cors-test", "/store?graph=https://w3id.org/nkru/graph/cors",
])
def test_reads_are_open_to_any_origin(seeded, path):
    resp = seeded.get(path, headers={"Origin": ORIGIN})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.headers[ACAO] == "*"


def test_an_error_of_a_read_is_readable_cross_origin(seeded):
    resp = seeded.get("/sparql?query=SELEC", headers={"Origin": ORIGIN})
    assert resp.status_code == 400
    assert resp.headers[ACAO] == "*"


def test_link_and_location_headers_are_exposed(seeded):
    resp = seeded.get("/id/entity/cors-test", headers={"Origin": ORIGIN,
                                                        "Accept": "text/turtle"})
    exposed = {h.strip().lower() for h in resp.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"link", "location", "content-location"} <= exposed


@pytest.mark.parametrize("path,method,asked", [
    ("/sparql", "POST", "content-type"),                 # a query POSTed as sparql-query
    ("/sparql", "GET", "accept"),
    ("/api/claims", "GET", "accept"),
    ("/reconcile", "POST", "content-type"),
    ("/id/entity/cors-test", "GET", "accept"),
    ("/api/validate", "POST", "content-type"),
])
def test_preflight_of_a_read_is_granted(seeded, path, method, asked):
    resp = preflight(seeded, path, method, asked)
    assert resp.status_code == 200
    assert resp.headers[ACAO] == "*"
    assert method in resp.headers["Access-Control-Allow-Methods"]
    assert asked in allowed_headers(resp)
    assert "authorization" not in allowed_headers(resp)


def test_a_cross_origin_query_by_post_answers_with_cors(seeded):
    resp = seeded.post("/sparql", data="ASK {}", headers={
        "Origin": ORIGIN, "Content-Type": "application/sparql-query"})
    assert resp.status_code == 200 and resp.headers[ACAO] == "*"


@pytest.mark.parametrize("path,method,asked", [
    ("/sparql", "POST", "authorization, content-type"),   # an update carries the token
    ("/store", "PUT", "content-type"),
    ("/store", "DELETE", ""),
    ("/store", "POST", "authorization, content-type"),
    ("/api/submissions", "POST", "content-type"),
    ("/api/submissions/x/accept", "POST", "authorization"),
])
def test_preflight_of_a_write_is_not_granted(seeded, path, method, asked):
    resp = preflight(seeded, path, method, asked)
    assert ACAO not in resp.headers
    assert "Access-Control-Allow-Methods" not in resp.headers


@pytest.mark.parametrize("send", [
    lambda c, h: c.post("/sparql", data=INSERT, headers={**h, "Content-Type": "application/sparql-update"}),
    lambda c, h: c.post("/sparql", data={"update": INSERT}, headers=h),
    lambda c, h: c.put("/store?graph=https://w3id.org/nkru/graph/cors", data="<a:b> <a:c> <a:d> .",
                       headers={**h, "Content-Type": "application/n-triples"}),
    lambda c, h: c.post("/api/submissions/abc/accept", headers=h),
], ids=["update", "form-update", "gsp-put", "accept"])
def test_writes_carry_no_cors_headers(client, send):
    resp = send(client, {**AUTH, "Origin": ORIGIN})
    assert resp.status_code < 500
    assert not [h for h in resp.headers.keys() if h.lower().startswith("access-control-")]


def test_a_refused_write_is_not_opened_either(client):
    resp = client.post("/sparql", data=INSERT, headers={
        "Origin": ORIGIN, "Content-Type": "application/sparql-update"})
    assert resp.status_code == 401
    assert ACAO not in resp.headers


class TestWriteOrigins:
    @pytest.fixture
    def app_config(self):
        return {"CORS_WRITE_ORIGINS": f"{EDITOR}, https://other.example.org"}

    def test_a_named_origin_may_preflight_and_send_a_write(self, client):
        resp = preflight(client, "/sparql", "POST", "authorization, content-type", origin=EDITOR)
        assert resp.headers[ACAO] == EDITOR
        assert {"authorization", "content-type"} <= allowed_headers(resp)
        assert "Origin" in resp.headers.get("Vary", "")
        resp = preflight(client, "/store", "PUT", "authorization, content-type", origin=EDITOR)
        assert resp.headers[ACAO] == EDITOR and "PUT" in resp.headers["Access-Control-Allow-Methods"]
        resp = client.post("/sparql", data=INSERT, headers={
            **AUTH, "Origin": EDITOR, "Content-Type": "application/sparql-update"})
        assert resp.status_code == 204 and resp.headers[ACAO] == EDITOR

    def test_another_origin_still_may_not_write_but_may_read(self, client):
        resp = preflight(client, "/sparql", "POST", "authorization, content-type")
        assert ACAO not in resp.headers
        resp = client.post("/sparql", data=INSERT, headers={
            **AUTH, "Origin": ORIGIN, "Content-Type": "application/sparql-update"})
        assert resp.status_code == 204 and ACAO not in resp.headers
        assert client.get("/api/claims", headers={"Origin": ORIGIN}).headers[ACAO] == "*"

    def test_the_environment_names_write_origins(self, monkeypatch, store):
        from graph_service.web import create_app
        from graph_service.web.cors import write_origins
        monkeypatch.setenv("KG_CORS_WRITE_ORIGINS", "https://a.example https://b.example/")
        app = create_app({"TESTING": True}, store=store)
        assert write_origins(app) == ["https://a.example", "https://b.example"]


@pytest.mark.server
def test_preflight_and_cross_origin_query_through_a_real_server(live_server):
    resp = requests.options(f"{live_server}/sparql", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"}, timeout=10)
    assert resp.status_code == 200 and resp.headers[ACAO] == "*"
    resp = requests.post(f"{live_server}/sparql", data={"query": "SELECT (1 AS ?x) {}"},
                         headers={"Origin": ORIGIN, "Accept": "application/sparql-results+json"},
                         timeout=10)
    assert resp.status_code == 200 and resp.headers[ACAO] == "*"
    assert resp.json()["results"]["bindings"][0]["x"]["value"] == "1"
