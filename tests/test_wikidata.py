"""Linking to Wikidata against a real Oxigraph server on loopback holding a Wikidata-shaped
fixture (tests/wikidata/fixture.ttl). Expectations are the identifiers of the evaluation kit's
wikidata-verified.json; the fixture's decoys (Q999000001 and up) must never be linked."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import rdflib

from graph_service import iris, resources
from graph_service.linking import wikidata
from graph_service.errors import RemoteError
from graph_service.store import OxigraphStore
from wikidata_server import ENTITIES, proxy, wikidata_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.server

ENTITY = iris.ID + "entity/"
VERIFIED = json.loads((Path(__file__).parent / "wikidata" / "verified.json").read_text())
# Verified records and the entity each one names in tests/wikidata/entities.ttl.
EXPECTED = {
    "North Korea": "north-korea", "Russia": "russia", "Ukraine": "ukraine",
    "South Korea": "south-korea", "United States": "united-states",
    "China (People's Republic of China)": "china", "Kim Jong Un": "kim-jong-un",
    "Vladimir Putin": "vladimir-putin", "Kursk Oblast": "kursk-oblast",
    "Donetsk Oblast": "donetsk-oblast", "Pyongyang": "pyongyang", "Seoul": "seoul",
    "Kyiv": "kyiv", "Moscow": "moscow", "Belgorod Oblast": "belgorod-oblast",
    "United Nations Security Council": "united-nations-security-council",
    "United States Department of State": "united-states-department-of-state",
    "United States Department of Defense": "united-states-department-of-defense",
    "Volodymyr Zelenskyy": "volodymyr-zelenskyy",
    "Donetsk People's Republic": "donetsk-people-s-republic",
}
CASES = [(rec["label"], EXPECTED[rec["label"]], rec["qid"]) for rec in VERIFIED
         if rec["label"] in EXPECTED]


def fresh_store(entities: Path = ENTITIES) -> OxigraphStore:
    store = OxigraphStore(None)
    store.replace_graphs({iris.ENTITIES_GRAPH: rdflib.Graph().parse(entities)})
    return store


def no_sleep(_seconds: float) -> None:
    pass


def client(url: str, **kw) -> wikidata.WikidataClient:
    kw.setdefault("sleep", no_sleep)
    return wikidata.WikidataClient(url, timeout=10, **kw)


@pytest.fixture(scope="module")
def linked(wikidata_server, tmp_path_factory):  # noqa: F811
    """One matcher run without curated links: every link must be found by the matcher."""
    store = fresh_store()
    report = wikidata.link(store, client=client(wikidata_server.query_endpoint),
                           cache_dir=tmp_path_factory.mktemp("cache"), curated_path=None)
    return store, report


def test_every_verified_record_is_covered():
    assert len(CASES) == len(VERIFIED) - 1  # all but the war, which is no entity here


@pytest.mark.parametrize("label, slug, qid", CASES, ids=[c[1] for c in CASES])
def test_link_matches_verified_identifier(linked, label, slug, qid):
    store, _ = linked
    assert wikidata.links(store).get(ENTITY + slug) == qid


def test_no_decoy_is_linked(linked):
    store, report = linked
    assert not [q for q in wikidata.links(store).values() if q.startswith("Q999")]
    assert set(report.linked.values()) == {qid for _, _, qid in CASES}


@pytest.mark.parametrize("slug, decoy, why", [
    ("kursk-oblast", "Q999000001", "class"),      # the city Kursk, for the region's alias
    ("moscow", "Q999000002", "class"),            # the region Moscow, for the city
    ("russia", "Q999000002", "class"),            # ... and for Russia's alias "Moscow"
    ("kim-jong-un", "Q999000003", "context conflict"),  # South Korean namesake
])
def test_decoy_is_recorded_as_a_losing_candidate(linked, slug, decoy, why):
    store, _ = linked
    rows = list(store.query(f"""
        PREFIX kg: <{iris.ONTOLOGY}>
        SELECT ?score ?reason WHERE {{ GRAPH <{iris.LINKS_GRAPH}> {{
          ?link a kg:EntityLink ; kg:linkSubject <{ENTITY}{slug}> ; kg:rejectedCandidate ?c .
          ?c kg:linkTarget <http://www.wikidata.org/entity/{decoy}> ; kg:score ?score ; kg:reason ?reason .
        }} }}"""))
    assert len(rows) == 1
    assert why in rows[0]["reason"].value
    assert float(rows[0]["score"].value) < wikidata.DEFAULT_THRESHOLD


def test_below_threshold_is_kept_for_review(linked):
    store, report = linked
    assert ENTITY + "kim-yo-jong" not in wikidata.links(store)
    (item,) = [r for r in wikidata.review(store) if r["entity"] == ENTITY + "kim-yo-jong"]
    assert [c["qid"] for c in item["candidates"]] == ["Q999000004"]
    assert item["candidates"][0]["score"] < wikidata.DEFAULT_THRESHOLD
    assert "below" in item["reason"]
    assert ENTITY + "kim-yo-jong" in report.review


def test_entities_without_candidates_are_neither_linked_nor_reviewed(linked):
    store, _ = linked
    reviewed = {r["entity"] for r in wikidata.review(store)}
    for slug in ("bloomberg", "pak-jong-chon", "russian-occupied-ukraine"):
        assert ENTITY + slug not in wikidata.links(store)
        assert ENTITY + slug not in reviewed


def test_link_provenance(linked, wikidata_server):  # noqa: F811
    store, _ = linked
    rows = list(store.query(f"""
        PREFIX kg: <{iris.ONTOLOGY}> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?method ?score ?predicate ?endpoint ?date WHERE {{ GRAPH <{iris.LINKS_GRAPH}> {{
          <{ENTITY}kursk-oblast> owl:sameAs <http://www.wikidata.org/entity/Q3178> .
          ?link kg:linkSubject <{ENTITY}kursk-oblast> ; kg:linkTarget <http://www.wikidata.org/entity/Q3178> ;
                kg:linkMethod ?method ; kg:score ?score ; kg:linkPredicate ?predicate ;
                prov:generatedAtTime ?date ; prov:wasGeneratedBy ?run .
          ?run kg:endpoint ?endpoint .
        }} }}"""))
    assert len(rows) == 1
    row = rows[0]
    assert row["method"].value == iris.ONTOLOGY + "LabelTypeContextMatch"
    assert row["predicate"].value == "http://www.w3.org/2002/07/owl#sameAs"
    assert row["endpoint"].value == wikidata_server.query_endpoint
    assert float(row["score"].value) >= wikidata.DEFAULT_THRESHOLD
    assert len(row["date"].value) == 10


def test_polite_client_batches_and_names_itself(proxy, tmp_path):  # noqa: F811
    store = fresh_store()
    wikidata.link(store, client=client(proxy.url), cache_dir=tmp_path, curated_path=None)
    assert proxy.requests
    assert all(r["user_agent"] == wikidata.USER_AGENT for r in proxy.requests)
    assert "nkru-graph-service/" in wikidata.USER_AGENT
    # ~100 names and ~30 items: a handful of VALUES batches, not one request per name.
    assert len(proxy.requests) <= 6
    assert all(b"VALUES" in r["body"] for r in proxy.requests)


def test_second_run_sends_no_request(proxy, tmp_path):  # noqa: F811
    store = fresh_store()
    first = wikidata.link(store, client=client(proxy.url), cache_dir=tmp_path, curated_path=None)
    assert len(proxy.requests) == first.requests > 0
    proxy.reset()
    second = wikidata.link(store, client=client(proxy.url), cache_dir=tmp_path, curated_path=None)
    assert proxy.requests == []
    assert second.requests == 0 and second.cached > 0
    assert second.linked == first.linked


def test_429_retry_after_is_honoured(proxy, tmp_path):  # noqa: F811
    waits: list[float] = []
    proxy.fail_429, proxy.retry_after = 1, "7"
    store = fresh_store()
    report = wikidata.link(store, client=client(proxy.url, sleep=waits.append),
                           cache_dir=tmp_path, curated_path=None)
    assert waits == [7.0]
    assert report.linked[ENTITY + "north-korea"] == "Q423"
    assert len(proxy.requests) == report.requests  # the refused request was sent again


def test_retry_after_longer_than_allowed_is_an_error(proxy, tmp_path):  # noqa: F811
    proxy.fail_429, proxy.retry_after = 5, "3600"
    with pytest.raises(RemoteError, match="Retry-After"):
        wikidata.link(fresh_store(), client=client(proxy.url, max_wait=60),
                      cache_dir=tmp_path, curated_path=None)


def test_unreachable_endpoint_keeps_existing_links(linked, tmp_path):
    store, _ = linked
    before = wikidata.links(store)
    before_review = wikidata.review(store)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/sparql"  # closed: nothing listens
    with pytest.raises(RemoteError) as info:
        wikidata.link(store, client=client(dead, retries=2), cache_dir=tmp_path,
                      curated_path=None)
    message = str(info.value)
    assert "\n" not in message
    assert dead in message and "cannot reach" in message
    assert info.value.exit_code == 3
    assert wikidata.links(store) == before
    assert wikidata.review(store) == before_review


def test_curated_link_is_never_overridden(wikidata_server, tmp_path):  # noqa: F811
    # A deliberately odd curated file: Pyongyang curated as Q8684 (which the matcher gives Seoul).
    curated = tmp_path / "curated.ttl"
    curated.write_text(f"""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix wd: <http://www.wikidata.org/entity/> .
        <{ENTITY}pyongyang> owl:sameAs wd:Q8684 .
        <{ENTITY}kim-yo-jong> owl:sameAs wd:Q999000004 .
    """)
    store = fresh_store()
    report = wikidata.link(store, client=client(wikidata_server.query_endpoint),
                           cache_dir=tmp_path / "cache", curated_path=curated)
    links = wikidata.links(store)
    assert links[ENTITY + "pyongyang"] == "Q8684"
    assert links[ENTITY + "kim-yo-jong"] == "Q999000004"
    assert ENTITY + "seoul" not in links           # its item is curated for another entity
    assert ENTITY + "seoul" in report.review
    assert ENTITY + "pyongyang" not in report.linked  # not re-linked automatically
    assert store.has_graph(iris.CURATED_LINKS_GRAPH)


def test_project_entities_link_as_verified(wikidata_server, tmp_path):  # noqa: F811
    """The real reference entities with the real curated file: every verified item, no decoy."""
    store = fresh_store(resources.ENTITIES_FILE)
    wikidata.link(store, client=client(wikidata_server.query_endpoint), cache_dir=tmp_path)
    links = wikidata.links(store)
    curated = wikidata.curated_links()
    for rec in VERIFIED:
        assert rec["qid"] in links.values(), rec
    for entity, (qid, _) in curated.items():
        assert links[entity] == qid
    assert not [q for q in links.values() if q.startswith("Q999")]


def test_curated_file_matches_verified_records():
    curated = {qid for qid, _ in wikidata.curated_links().values()}
    assert curated == {rec["qid"] for rec in VERIFIED}


@pytest.mark.parametrize("header, seconds", [("5", 5.0), ("0", 0.0), (None, None), ("soon", None),
                                             ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)])
def test_retry_after_header(header, seconds):
    assert wikidata.retry_after(header) == seconds


def test_kg_link_and_review_commands(wikidata_server, tmp_path, monkeypatch, capsys):  # noqa: F811
    from graph_service.cli import main

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    store_path = tmp_path / "store"
    with OxigraphStore(store_path) as store:
        store.replace_graphs({iris.ENTITIES_GRAPH: rdflib.Graph().parse(ENTITIES)})
    args = ["--endpoint", wikidata_server.query_endpoint, "--store", str(store_path)]
    assert main(["link", *args]) == 0
    out = capsys.readouterr().out
    assert "linked 0 entities, kept 21 curated links, 1 for review" in out  # one line
    assert len(out.strip().splitlines()) == 1
    assert main(["link", "--review", "--store", str(store_path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["entity"] for r in rows} == {ENTITY + "kim-yo-jong"}
    assert (tmp_path / "cache").is_dir()
