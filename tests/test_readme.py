"""The README's tour runs as written: its query is shipped as examples/tour.rq and prints the
README's table; every route the README names answers on a running server over the seed build
(no 404), and the JSON API example gives what the README shows."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from graph_service import cli, pipeline
from graph_service.store import OxigraphStore
from graph_service.web import create_app
from serving import serving

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOUR = ROOT / "examples" / "tour.rq"
SERVER = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def seed_folder(tmp_path_factory):
    """The seed build, on disk as `kg build` leaves it."""
    folder = tmp_path_factory.mktemp("readme") / "store"
    store = OxigraphStore(folder)
    try:
        pipeline.build(store, ROOT / "seeds")
    finally:
        store.close()
    return folder


@pytest.fixture(scope="module")
def server(seed_folder):
    store = OxigraphStore(seed_folder)
    with serving(create_app({"TESTING": True}, store=store)) as url:
        yield url
    store.close()


def _block_after(marker: str, lang: str = "") -> str:
    start = README.index(marker)
    fence = README.index(f"```{lang}\n", start) + len(f"```{lang}\n")
    return README[fence:README.index("```", fence)]


def test_the_tour_query_is_shipped():
    shipped = TOUR.read_text(encoding="utf-8")
    assert shipped.startswith("#")          # its title, for the query page's list
    assert shipped.split("\n", 1)[1] == _block_after("kg query --file examples/tour.rq", "sparql")


def test_the_tour_query_prints_the_readme_table(seed_folder, capsys):
    """`kg query --file examples/tour.rq` (run in-process on the seed build) prints the table
    the README shows."""
    assert cli.main(["query", "--store", str(seed_folder), "--file", str(TOUR)]) == 0
    printed = capsys.readouterr().out
    blocks = re.findall(r"```[a-z]*\n(.*?)```", README, re.S)
    query = _block_after("kg query --file examples/tour.rq", "sparql")
    table = blocks[blocks.index(query) + 1]    # the output shown right after the query
    assert printed.strip() == table.strip()


def test_readme_commands_use_the_virtual_environment():
    """Every `kg` in a tour command is `.venv/bin/kg`, or the README says to activate."""
    assert ". .venv/bin/activate" in README
    tour = README[README.index("## A short tour"):README.index("## The `kg` command")]
    assert re.findall(r"\$ (\S+)", tour) == [".venv/bin/kg", "curl"]


def _readme_routes() -> list[tuple[str, str]]:
    """(method, path) of every route the README names: its URLs, the service table, the
    paths in backticks, and the JSON API's list."""
    routes = set()
    for url in re.findall(re.escape(SERVER) + r"[^\s'`)\"]*", README):
        routes.add(("GET", urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")))
    for method, path in re.findall(r"`(?:(GET|POST) )?(/[A-Za-z0-9._/{}\[\]?=&%-]*)`", README):
        path = path.split("[")[0]
        if "{" in path or path.endswith("/...") or path == "/" and method:
            continue
        routes.add((method or "GET", path))
    api = re.search(r"JSON API: ([a-z, ]+)", README).group(1)
    for name in (w.strip() for w in api.split(",")):
        routes.add(("POST" if name == "validate" else "GET", f"/api/{name}"))
    return sorted(routes)


ROUTES = _readme_routes()


def test_the_readme_names_routes():
    paths = {p for _, p in ROUTES}
    assert {"/", "/query", "/timeline", "/sparql", "/store", "/health", "/reconcile",
            "/openapi.json", "/context.jsonld", "/api/events", "/api/validate",
            "/id/claim/8dbec3c75a5a1b88"} <= paths


@pytest.mark.server
def test_every_route_the_readme_names_answers(server):
    failures = []
    with requests.Session() as http:
        for method, path in ROUTES:
            resp = http.request(method, server + path, timeout=30)
            if resp.status_code == 404 or resp.status_code >= 500:
                failures.append((method, path, resp.status_code))
    assert not failures


@pytest.mark.server
def test_the_api_example_gives_what_the_readme_shows(server):
    url = re.search(r"\$ curl '([^']+)'", README).group(1)
    shown = next(b for b in re.findall(r"```[a-z]*\n(.*?)```", README, re.S) if "$ curl" in b)
    body = requests.get(server + urlsplit(url).path + "?" + urlsplit(url).query, timeout=30).json()
    [item] = body["items"]
    record, wikidata = shown.split('"wikidata"', 1)
    fields = re.findall(r'"(claim|quote|reported_on|claimed_by|target|status)": "([^"]+)"', record)
    assert len(fields) == 6
    for key, value in fields:
        assert item[key] == value, key
    for key, value in re.findall(r'"(actor|target)": "(Q[0-9]+)"', wikidata):
        assert item["wikidata"][key] == value, key
    for key in ("start", "end", "total"):
        number = int(re.search(rf'"{key}": (\d+)', shown).group(1))
        assert (body if key == "total" else item)[key] == number, key
    assert item["counts"] == {"killed": 400, "wounded": 3600}
    assert '"counts": {"killed": 400, "wounded": 3600}' in shown
