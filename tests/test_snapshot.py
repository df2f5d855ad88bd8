"""Read models saved beside the store (``graph_service/store/snapshot.py``): a restart on a
current save reads it and builds nothing; a save the store has moved past (a write by this
process, by another ``kg`` process, or by a writer bypassing the seal), or a torn or corrupt
file, is not trusted and the models are built again; the JSON API and the pages answer the
same from a save as from a build. Whether a model was read or built is asserted by counters
(``ClaimIndex.builds``, ``restores``), never by timing."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph_service import iris
from graph_service.formats import RDFFormat
from graph_service.store import OxigraphStore, snapshot
from graph_service.store.claim_index import ArticleRow, ClaimRow, EntityRow
from graph_service.web import create_app

FIXTURE = Path(__file__).parent / "data" / "api-fixture.trig"
ARTICLE_GRAPH = iris.GRAPH + "article/aaaa000000000001"
CONFIG = {"TESTING": True, "WRITE_TOKEN": "t"}

# Every route that reads the claim index (the JSON API and the pages), with filters that take
# each of its paths: postings, the timeline's bisection, names, Wikidata ids.
ROUTES = [
    "/api/claims", "/api/claims?limit=2&offset=1", "/api/claims?actor=north-korea",
    "/api/claims?actor=DPRK&type=deployment", "/api/claims?target=Q2108",
    "/api/claims?claimer=sabrina-singh", "/api/claims?status=confirmed",
    "/api/claims?reported_from=2024-10-01", "/api/claims?article=bbbb000000000002",
    "/api/timeline", "/api/timeline?event_from=2024-10-02&event_to=2024-10-30",
    "/api/entities", "/api/entities?q=korea", "/api/entities?type=NewsOutlet",
    "/api/entities/north-korea", "/api/articles", "/api/articles/aaaa000000000001",
    "/api/events", "/api/events?actor=north-korea",
    "/", "/articles", "/entities", "/timeline",
]


def open_store(path: Path) -> OxigraphStore:
    return OxigraphStore(path)


@pytest.fixture
def folder(tmp_path) -> Path:
    """A store folder holding the API fixture, closed (as after ``kg build``)."""
    path = tmp_path / "store"
    store = open_store(path)
    store.bulk_load(FIXTURE.read_bytes(), RDFFormat.TRIG)
    store.close()
    return path


def answers(app) -> dict[str, object]:
    client = app.test_client()
    out = {}
    for url in ROUTES:
        response = client.get(url)
        assert response.status_code == 200, url
        out[url] = response.get_json() if response.is_json else response.get_data(as_text=True)
    return out


def serve_and_save(path: Path) -> dict[str, object]:
    """Start on the store, answer every route (the index is built), save, stop."""
    store = open_store(path)
    app = create_app(CONFIG, store=store)
    got = answers(app)
    assert app.extensions["kg_claim_index"].builds == 1
    assert app.extensions["kg_read_models_saver"].save()
    store.close()
    return got


def restart(path: Path):
    store = open_store(path)
    return store, create_app(CONFIG, store=store)


def test_a_restart_reads_the_saved_models_and_answers_the_same(folder):
    built = serve_and_save(folder)
    store, app = restart(folder)
    # the statistics are current at once: no count of the store was needed
    assert app.extensions["kg_statistics"].current
    assert answers(app) == built
    index = app.extensions["kg_claim_index"]
    assert (index.builds, index.restores) == (0, 1)
    store.close()


def test_the_saved_counts_are_the_counted_ones(folder):
    serve_and_save(folder)
    store, app = restart(folder)
    saved = app.extensions["kg_statistics"].counts()
    store.close()
    store = open_store(folder)
    app = create_app({**CONFIG, "SAVE_READ_MODELS": "0"}, store=store)
    assert app.extensions["kg_statistics"].wait(30)
    assert app.extensions["kg_statistics"].counts() == saved
    store.close()


def test_a_write_removes_the_seal_before_it_lands(folder):
    serve_and_save(folder)
    store = open_store(folder)
    assert store.revision() is not None
    store.drop_graphs([ARTICLE_GRAPH])
    # the process may die here, before any new save: the old save is no longer trusted
    assert store.revision() is None
    store.close()
    store, app = restart(folder)
    assert snapshot.saved_statistics(store) is None     # counted again
    claims = app.test_client().get("/api/claims").get_json()
    assert ARTICLE_GRAPH.rsplit("/", 1)[1] not in json.dumps(claims)
    index = app.extensions["kg_claim_index"]
    assert (index.builds, index.restores) == (1, 0)
    store.close()


def test_an_article_ingested_while_the_service_is_stopped_is_seen(folder, tmp_path, capsys):
    from graph_service.cli import main

    serve_and_save(folder)
    article = tmp_path / "a.txt"
    article.write_text("South Korea's spy agency said North Korea sent 1,500 special forces "
                       "troops to Russia in October.\n", encoding="utf-8")
    meta = tmp_path / "m.json"
    meta.write_text(json.dumps({"title": "Spy agency on troops", "outlet": "Yonhap",
                                "published": "2024-10-18"}))
    assert main(["ingest", str(article), "--meta", str(meta), "--store", str(folder)]) == 0
    capsys.readouterr()
    store, app = restart(folder)
    titles = [a["headline"] for a in app.test_client().get("/api/articles").get_json()["items"]]
    assert "Spy agency on troops" in titles
    index = app.extensions["kg_claim_index"]
    assert (index.builds, index.restores) == (1, 0)
    store.close()


def test_a_writer_that_bypasses_the_seal_is_caught_by_the_graph_digest(folder, caplog):
    serve_and_save(folder)
    raw = ox.Store(str(folder))     # not through OxigraphStore: the seal stays
    raw.add(ox.Quad(ox.NamedNode(iris.ID + "x"), ox.NamedNode(iris.ID + "p"), ox.Literal("1"),
                    ox.NamedNode(iris.GRAPH + "article/dddd000000000004")))
    raw.flush()
    del raw
    store, app = restart(folder)
    with caplog.at_level(logging.WARNING, logger="graph_service.store.snapshot"):
        assert app.test_client().get("/api/claims").status_code == 200
    assert "other named graphs" in caplog.text
    assert app.extensions["kg_claim_index"].builds == 1
    store.close()


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def _flip_a_body_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))


def _garble_the_header(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(snapshot.MAGIC + b"{not json" + data[len(snapshot.MAGIC) + 9:])


def _another_format(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data.replace(f'"format": {snapshot.FORMAT}'.encode(), b'"format": 99', 1))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("damage", [_truncate, _flip_a_body_byte, _garble_the_header,
                                    _another_format, _empty])
@pytest.mark.parametrize("name", [snapshot.INDEX_FILE, snapshot.STATISTICS_FILE])
def test_a_damaged_file_is_ignored_with_a_warning_and_rebuilt(folder, caplog, damage, name):
    built = serve_and_save(folder)
    damage(folder / "read-models" / name)
    store, app = restart(folder)
    with caplog.at_level(logging.WARNING, logger="graph_service.store.snapshot"):
        got = answers(app)
        assert app.extensions["kg_statistics"].wait(30)
    assert got == built
    assert "ignored" in caplog.text
    index = app.extensions["kg_claim_index"]
    assert index.builds == (1 if name == snapshot.INDEX_FILE else 0)
    store.close()


def test_writes_after_a_restore_are_read_on_top_of_it(folder):
    serve_and_save(folder)
    store, app = restart(folder)
    client = app.test_client()
    before = client.get("/api/claims").get_json()["total"]
    store.drop_graphs([ARTICLE_GRAPH])
    after = client.get("/api/claims").get_json()["total"]
    assert after == before - 2
    index = app.extensions["kg_claim_index"]
    assert (index.builds, index.restores) == (0, 1)    # the dropped graph, not a rebuild
    store.close()


def test_a_write_during_a_save_leaves_the_store_unsealed(folder):
    store = open_store(folder)
    app = create_app(CONFIG, store=store)
    index = app.extensions["kg_claim_index"]
    saver = app.extensions["kg_read_models_saver"]
    read = index.state

    def state_then_a_write():
        got = read()
        store.drop_graphs([ARTICLE_GRAPH])   # lands after the rows were taken
        return got

    index.state = state_then_a_write
    assert saver.save() is False
    assert store.revision() is None
    store.close()
    store, app = restart(folder)
    assert app.test_client().get("/api/claims").get_json()["total"] == 3
    assert app.extensions["kg_claim_index"].restores == 0
    store.close()


def test_the_saver_saves_once_the_index_is_built_and_writes_are_quiet(folder):
    store = open_store(folder)
    app = create_app(CONFIG, store=store)
    saver = app.extensions["kg_read_models_saver"]
    saver.quiet = 0.05
    app.test_client().get("/api/claims")        # builds the index: the saver wakes
    assert saver.wait_saved(timeout=60)
    assert store.revision() is not None
    store.close()
    store, app = restart(folder)
    app.test_client().get("/api/claims")
    assert app.extensions["kg_claim_index"].restores == 1
    store.close()


def test_saving_can_be_turned_off(folder):
    store = open_store(folder)
    app = create_app({**CONFIG, "SAVE_READ_MODELS": "0"}, store=store)
    assert app.extensions["kg_read_models_saver"] is None
    store.close()


def test_a_store_in_memory_saves_nothing():
    app = create_app(CONFIG, store=OxigraphStore(None))
    assert app.extensions["kg_read_models_saver"] is None


@pytest.mark.parametrize("row,spec", [(ClaimRow, snapshot.CLAIM_FIELDS),
                                      (ArticleRow, snapshot.ARTICLE_FIELDS),
                                      (EntityRow, snapshot.ENTITY_FIELDS)])
def test_every_field_of_a_row_is_saved(row, spec):
    saved = [name for name, _ in spec]
    assert list(saved) == [f.name for f in dataclasses.fields(row)]   # rows are made positionally


def test_the_saved_orders_are_the_ones_a_build_derives(folder):
    serve_and_save(folder)
    store, app = restart(folder)
    index = app.extensions["kg_claim_index"]
    restored = index.views()
    derived = index._derive()
    assert index.restores == 1 and restored is not derived
    claims = lambda rows: [r.claim for r in rows]  # noqa: E731
    assert claims(restored.by_report) == claims(derived.by_report)
    assert claims(restored.by_time) == claims(derived.by_time)
    assert restored.time_firsts == derived.time_firsts
    for postings in ("by_entity", "by_article"):
        assert ({k: claims(v) for k, v in getattr(restored, postings).items()}
                == {k: claims(v) for k, v in getattr(derived, postings).items()})
    assert [a.article for a in restored.articles] == [a.article for a in derived.articles]
    assert [e.iri for e in restored.listed_entities] == [e.iri for e in derived.listed_entities]
    store.close()


def test_a_string_that_cannot_be_kept_leaves_the_store_unsealed(folder, caplog):
    store = open_store(folder)
    app = create_app(CONFIG, store=store)
    store.update(f'INSERT DATA {{ GRAPH <{iris.GRAPH}entities> {{ <{iris.ID}entity/russia> '
                 f'<http://www.w3.org/2004/02/skos/core#altLabel> "nul\\u0000here" }} }}')
    assert app.test_client().get("/api/entities").status_code == 200
    with caplog.at_level(logging.WARNING, logger="graph_service.store.snapshot"):
        assert app.extensions["kg_read_models_saver"].save() is False
    assert "NUL" in caplog.text and store.revision() is None
    store.close()


def test_saved_counts_are_kept_current_by_writes(folder):
    serve_and_save(folder)
    store, app = restart(folder)
    statistics = app.extensions["kg_statistics"]
    assert statistics.graph(ARTICLE_GRAPH) > 0
    store.drop_graphs([ARTICLE_GRAPH])
    assert statistics.wait(30) and statistics.graph(ARTICLE_GRAPH) == 0
    store.close()


def test_restored_postings_answer_as_the_built_ones(folder):
    serve_and_save(folder)
    store, app = restart(folder)
    index = app.extensions["kg_claim_index"]
    restored, derived = index.views(), index._derive()
    assert index.restores == 1
    for name in ("by_entity", "by_article"):
        got, want = getattr(restored, name), getattr(derived, name)
        assert isinstance(got, snapshot.Postings)
        assert len(got) == len(want) and list(got) == list(want)
        for key, rows in want.items():
            assert key in got
            assert [r.claim for r in got[key]] == [r.claim for r in rows]
            assert got.get(key) is got[key]        # made once, then kept
        assert "urn:no-such-key" not in got and got.get("urn:no-such-key", ()) == ()
        with pytest.raises(KeyError):
            got["urn:no-such-key"]
    # the restored rows are the index's own: a posting names the very row objects
    rows = {id(r) for r in restored.by_report}
    assert all(id(r) in rows for posting in restored.by_entity.values() for r in posting)
    assert restored.time_lasts == derived.time_lasts
    store.close()


def test_a_save_under_another_token_is_not_read(folder):
    serve_and_save(folder)
    store = open_store(folder)
    token, graphs = store.revision(), store.named_graphs()
    assert snapshot.load_index(folder / "read-models", token, graphs=graphs) is not None
    assert snapshot.load_index(folder / "read-models", "another", graphs=graphs) is None
    store.close()


def test_postings_that_name_a_missing_row_are_ignored_and_rebuilt(folder, caplog, monkeypatch):
    serve_and_save(folder)
    store, app = restart(folder)
    index = app.extensions["kg_claim_index"]
    state = index.state()
    token, graphs = store.revision(), store.named_graphs()
    store.close()
    add_positions = snapshot._Columns.add_positions

    def beyond(self, name, positions):
        positions = list(positions)
        if name == "views.by_entity":
            positions[-1] = len(state.claims)
        add_positions(self, name, positions)

    monkeypatch.setattr(snapshot._Columns, "add_positions", beyond)
    snapshot.save_index(folder / "read-models", state, token, graphs=graphs)
    monkeypatch.undo()
    with caplog.at_level(logging.WARNING, logger="graph_service.store.snapshot"):
        store, app = restart(folder)
        app.extensions["kg_claim_index"].views()
    assert "names a row the table lacks" in caplog.text
    assert app.extensions["kg_claim_index"].builds == 1
    store.close()
