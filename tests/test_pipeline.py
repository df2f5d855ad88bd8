"""Build and ingest: the seed build conforms, rebuilds are identical, failures write nothing."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from graph_service import iris, pipeline
from graph_service.articles import iter_articles, load_article
from graph_service.errors import QueryError, ShapeViolation, StoreError
from graph_service.formats import RDFFormat
from graph_service.resources import SEEDS_DIR
from graph_service.validation.shapes import validate
from graph_service.store import OxigraphStore


BNODE = re.compile(r"_:[A-Za-z0-9]+")


def dump(store) -> list[str]:
    """The dataset as sorted N-Quads, blank-node labels masked.

    Only the hand-written reference graphs (SHACL lists in the shapes) hold blank nodes, and a
    store labels them afresh on every insert; what we mint has none (checked below).
    """
    lines = store.export(RDFFormat.NQUADS).decode("utf-8").splitlines()
    return sorted(BNODE.sub("_:b", line) for line in lines)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("built") / "store"
    store = OxigraphStore(path)
    pipeline.build(store, SEEDS_DIR)
    store.close()
    return path


@pytest.fixture
def store(built, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(built, path)
    s = OxigraphStore(path)
    yield s
    s.close()


def test_seed_build_has_every_article_in_its_own_graph(store):
    graphs = set(store.named_graphs())
    for article in iter_articles(SEEDS_DIR):
        assert article.graph in graphs, article.name
    for name in (iris.ONTOLOGY_GRAPH, iris.ENTITIES_GRAPH, iris.SHAPES_GRAPH, iris.EVENTS_GRAPH):
        assert name in graphs


def test_seed_build_yields_every_claim_type(store):
    rows = store.query("""
        PREFIX kg: <https://w3id.org/nkru/ontology#>
        SELECT DISTINCT ?t WHERE { ?c a kg:Claim ; kg:asserts ?e . ?e a ?t }""")
    types = {r["t"].value.rsplit("#", 1)[-1] for r in rows}
    assert {"Deployment", "Transfer", "TreatySigning", "Statement", "CasualtyReport",
            "Meeting"} <= types


def test_stored_article_graphs_conform(store):
    context = pipeline.validation_context()
    for article in iter_articles(SEEDS_DIR):
        report = validate(store.graph(article.graph), extra=context)
        assert report.conforms, report.text


def test_minted_graphs_have_no_blank_nodes(store):
    rows = store.query("""
        SELECT (COUNT(*) AS ?n) WHERE {
          GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }
          FILTER(STRSTARTS(STR(?g), "https://w3id.org/nkru/graph/article/")
                 || ?g = <https://w3id.org/nkru/graph/events>)
        }""")
    assert int(next(iter(rows))["n"].value) == 0


def test_every_quote_is_at_its_offsets(store):
    rows = list(store.query("""
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX schema: <https://schema.org/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX kg: <https://w3id.org/nkru/ontology#>
        SELECT ?exact ?start ?end ?text WHERE {
          ?c a kg:Claim ; prov:wasDerivedFrom ?a ; kg:hasEvidence ?ev .
          ?ev oa:hasSelector ?q, ?p .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
          ?a schema:text ?text }"""))
    assert rows
    for r in rows:
        start, end = int(r["start"].value), int(r["end"].value)
        assert r["text"].value[start:end] == r["exact"].value


def test_rebuild_is_identical(built, tmp_path):
    path = tmp_path / "again"
    shutil.copytree(built, path)
    store = OxigraphStore(path)
    before = dump(store)
    pipeline.build(store, SEEDS_DIR)
    assert dump(store) == before
    store.close()


def test_iris_are_stable_across_fresh_builds(built, tmp_path):
    fresh = OxigraphStore(tmp_path / "fresh")
    pipeline.build(fresh, SEEDS_DIR)
    old = OxigraphStore(built, read_only=True)
    assert dump(fresh) == dump(old)
    fresh.close()
    old.close()


def test_ingesting_the_same_article_again_replaces_it(store):
    article = iter_articles(SEEDS_DIR)[0]
    before = dump(store)
    pipeline.ingest(store, article)
    assert dump(store) == before


def test_article_that_fails_validation_leaves_the_store_unchanged(store, monkeypatch, tmp_path):
    source = tmp_path / "new.txt"
    source.write_text("North Korea has sent 2,000 more troops to Russia, officials said on Monday.\n",
                      encoding="utf-8")
    article = load_article(source)
    real_extract = pipeline.extract

    def shifted(articles, **kwargs):
        # Corrupt every claim's offsets: the quote no longer sits where the claim says.
        return [[dataclasses.replace(c, start=c.start + 1, end=c.end + 1) for c in real_extract(a)]
                for a in articles]

    monkeypatch.setattr(pipeline, "extract_many", shifted)
    assert real_extract(article), "the test article must yield at least one claim"
    before = dump(store)
    with pytest.raises(ShapeViolation) as err:
        pipeline.ingest(store, article)
    assert err.value.violations
    assert dump(store) == before
    assert article.graph not in store.named_graphs()


def test_a_failing_update_writes_nothing(store):
    before = dump(store)
    good = "<https://w3id.org/nkru/id/x> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" ."
    bad = "<https://w3id.org/nkru/id/y> <not an iri> \"y\" ."
    with pytest.raises((QueryError, StoreError)):
        store.replace_graphs({iris.GRAPH + "test/good": good, iris.GRAPH + "test/bad": bad})
    assert dump(store) == before
