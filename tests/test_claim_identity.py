"""Claim identity: a claim's IRI comes from every field its fact record states, the claimer,
the outlets and the status included. A submission that states a stored claim again exactly is
recognised (200, ``created: false``, pointing at the stored claim); the same quote with another
attribution is a new claim (201). A store built under the older IRI scheme is rebuilt by
``kg build``, which says so."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

from graph_service import cli, iris, migration, pipeline, rdfize
from graph_service.validation import submissions
from graph_service.claims import Claim, Entity, Quantity
from graph_service.store import OxigraphStore
from graph_service.vocab import KG
from graph_service.web import create_app

import submission_data as d

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FACTS, TTL = "application/json", "text/turtle"
SEEDS = Path(__file__).parents[1] / "seeds"

STORED = Claim(type="deployment", actor=Entity("North Korea", "State", iri=d.NORTH_KOREA),
               target=Entity("Russia", "State", iri=d.RUSSIA), item="troops", quote=d.QUOTE,
               start=0, end=len(d.QUOTE),
               quantity=Quantity(text="500", qualifier="exact", value=500),
               claimed_by=Entity("a government official", "AnonymousSource"))
STORED_IRI = STORED.iri(d.ARTICLE.id)


# ---------------------------------------------------------------- the IRI

@pytest.mark.parametrize("change", [
    {"claimed_by": Entity("Joint Chiefs of Staff", "GovernmentBody")},
    {"claimed_by": None},
    {"via": (Entity("Yonhap", "NewsOutlet"),)},
    {"status": "confirmed"},
    {"item": "shells"},
    {"quantity": Quantity(text="600", qualifier="exact", value=600)},
], ids=["claimer", "unattributed", "via", "status", "item", "quantity"])
def test_a_claim_differing_in_one_stated_field_is_another_claim(change):
    assert dataclasses.replace(STORED, **change).iri(d.ARTICLE.id) != STORED_IRI


def test_the_same_claim_keeps_its_iri():
    again = dataclasses.replace(STORED, confidence=0.5,  # not stated by a fact record
                                quantity=Quantity(text="five hundred", qualifier="exact", value=500))
    assert again.iri(d.ARTICLE.id) == STORED_IRI
    assert STORED.fact_record(article_id=d.ARTICLE.id)["iri"] == STORED_IRI


# ---------------------------------------------------------------- submissions

@pytest.fixture
def id_store(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    d.seed(store)
    store.replace_graphs({d.ARTICLE.graph: rdfize.article_graph(d.ARTICLE, [STORED])})
    yield store
    store.close()


@pytest.fixture
def id_client(id_store):
    return create_app({"TESTING": True, "WRITE_TOKEN": TOKEN}, store=id_store).test_client()


def _staged(store) -> list[str]:
    return [g for g in store.staging.named_graphs() if g.startswith(submissions.STAGING_PREFIX)]


def test_a_repeated_fact_record_points_at_the_stored_claim(id_client, id_store):
    body = d.records(d.record())
    check = id_client.post("/api/validate", data=body, content_type=FACTS)
    assert check.status_code == 200 and check.get_json() == {"conforms": True,
                                                              "in_graph": [STORED_IRI]}
    before = id_store.count()
    resp = id_client.post("/api/submissions", data=body, content_type=FACTS, headers=AUTH)
    assert resp.status_code == 200, resp.get_json()
    answer = resp.get_json()
    assert answer["created"] is False and answer["iri"] == STORED_IRI
    assert answer["claims"] == [STORED_IRI] and answer["id"] is None
    assert resp.headers["Location"] == "/" + iris.local_part(STORED_IRI)
    assert id_store.count() == before and not _staged(id_store)


def test_a_repeated_claim_in_rdf_points_at_the_stored_claim(id_client, id_store):
    g = rdfize.article_graph(d.ARTICLE, [STORED])
    g.remove((URIRef(d.ARTICLE.iri), None, None))
    resp = id_client.post("/api/submissions", data=d.turtle(g), content_type=TTL, headers=AUTH)
    assert resp.status_code == 200 and resp.get_json()["iri"] == STORED_IRI
    assert not _staged(id_store)


@pytest.mark.parametrize("change", [{"claimed_by": "Joint Chiefs of Staff"},
                                    {"via": "Yonhap"}, {"status": "confirmed"}],
                         ids=["claimer", "via", "status"])
def test_another_attribution_of_the_same_quote_is_a_new_claim(id_client, id_store, change):
    body = d.records(d.record(**change))
    check = id_client.post("/api/validate", data=body, content_type=FACTS)
    assert check.status_code == 200 and check.get_json() == {"conforms": True}, check.get_json()
    resp = id_client.post("/api/submissions", data=body, content_type=FACTS, headers=AUTH)
    assert resp.status_code == 201 and resp.get_json()["created"] is True
    staged = id_store.staging.graph(iris.submission_graph(resp.get_json()["id"]))
    claims = {str(c) for c in staged.subjects(rdflib.RDF.type, KG.Claim)}
    assert len(claims) == 1 and STORED_IRI not in claims


def test_a_repeated_claim_beside_a_new_one_is_left_out(id_client, id_store):
    body = d.records(d.record(), d.record(claimed_by="Joint Chiefs of Staff"))
    resp = id_client.post("/api/submissions", data=body, content_type=FACTS, headers=AUTH)
    assert resp.status_code == 201 and resp.get_json()["in_graph"] == [STORED_IRI]
    staged = id_store.staging.graph(iris.submission_graph(resp.get_json()["id"]))
    claims = {str(c) for c in staged.subjects(rdflib.RDF.type, KG.Claim)}
    assert len(claims) == 1 and STORED_IRI not in claims


def test_changing_a_stored_claim_is_still_refused(id_client, id_store):
    g = rdfize.article_graph(d.ARTICLE, [STORED])
    g.remove((URIRef(d.ARTICLE.iri), None, None))
    g.add((URIRef(STORED_IRI), KG.confidence, Literal(0.1)))
    resp = id_client.post("/api/submissions", data=d.turtle(g), content_type=TTL, headers=AUTH)
    assert resp.status_code == 422
    assert any(v["focus"] == STORED_IRI and "already in the graph" in v["message"]
               for v in resp.get_json()["violations"])


# ---------------------------------------------------------------- migration

@pytest.fixture(scope="module")
def seed_dirs(tmp_path_factory):
    """Two one-article seed folders: the first is built, the second is ingested on top."""
    root = tmp_path_factory.mktemp("seeds")
    first, second = root / "first", root / "second"
    for folder, stem in ((first, "000_696d3aaefba35527"), (second, "001_f518fdf54261334a")):
        folder.mkdir()
        for ext in (".txt", ".json"):
            shutil.copy(SEEDS / (stem + ext), folder / (stem + ext))
    return first, second


def _claims(store) -> set[str]:
    return {r["c"].value for r in store.query(
        f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?c a <{KG.Claim}> }} }}")}


def test_build_records_the_scheme_and_rebuilds_an_older_store(tmp_path, seed_dirs, capsys):
    first, second = seed_dirs
    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        report = pipeline.build(store, first)
        assert report.outdated is None
        assert migration.stored_scheme(store) == iris.CLAIM_IRI_SCHEME
        pipeline.ingest(store, pipeline.iter_articles(second)[0])
        current = _claims(store)
        # what a store of the first scheme looks like: no record, claim IRIs of its own
        store.drop_graphs([iris.BUILD_GRAPH])
        old_claim = iris.ID + "claim/0123456789abcdef"
        article = pipeline.iter_articles(second)[0]
        store.update(f"INSERT DATA {{ GRAPH <{article.graph}> {{ "
                     f"<{old_claim}> a <{KG.Claim}> }} }}")
        assert migration.outdated(store).scheme == migration.UNRECORDED_SCHEME
    assert cli.main(["build", "--seeds", str(first), "--store", str(path)]) == 0
    out = capsys.readouterr().out
    assert "claim IRIs are of scheme 1" in out and "rebuilding its 2 article(s)" in out
    with OxigraphStore(path) as store:
        assert migration.outdated(store) is None
        claims = _claims(store)
        assert old_claim not in claims
        assert claims == current  # the ingested article was rebuilt from its stored text
        assert article.graph in store.named_graphs()
    assert cli.main(["build", "--seeds", str(first), "--store", str(path)]) == 0
    assert "scheme" not in capsys.readouterr().out  # current now: nothing to say
