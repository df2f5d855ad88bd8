"""Keeps the benchmark code from rotting: a tiny corpus, its shape, and the query mix on it.

No timings are asserted; the benchmarks themselves live in bench/.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph_service import iris
from graph_service.formats import RDFFormat
from graph_service.store import OxigraphStore

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import mix  # noqa: E402
import synthetic  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "corpus.nq"
    generate.write_corpus(out, triples=3000, seed=3, workers=1)
    return out


@pytest.fixture(scope="module")
def loaded(corpus):
    store = OxigraphStore(None)
    store.bulk_load(corpus.read_bytes(), RDFFormat.NQUADS)
    return store


def test_sizes_parse():
    assert [generate.parse_size(s) for s in ("100k", "1M", "10m", "5000")] == \
        [100_000, 1_000_000, 10_000_000, 5000]


def test_corpus_has_one_graph_per_article_and_the_reference_graphs(corpus, loaded):
    summary = (corpus.with_suffix(".json")).read_text()
    assert '"articles"' in summary
    graphs = loaded.named_graphs()
    for g in (iris.ONTOLOGY_GRAPH, iris.ENTITIES_GRAPH, iris.SHAPES_GRAPH, iris.EVENTS_GRAPH):
        assert g in graphs
    articles = [g for g in graphs if g.startswith(iris.GRAPH + "article/")]
    assert len(articles) >= 2
    (row,) = list(loaded.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/nkru/ontology#EventCluster> }"))
    assert int(row["n"].value) > 0


def test_quotes_sit_at_their_offsets():
    pool = synthetic.event_pool(random.Random(1), 20)
    for i in range(20):
        article, claims = synthetic.make_article(1, i, pool)
        for claim in claims:
            assert article.text[claim.start:claim.end] == claim.quote


def test_synthetic_articles_conform_to_the_shapes():
    from graph_service.rdfio import load_graph
    from graph_service.rdfize import article_graph
    from graph_service.validation.shapes import validate
    from graph_service import resources

    context = load_graph(resources.ONTOLOGY_FILE) + load_graph(resources.ENTITIES_FILE)
    pool = synthetic.event_pool(random.Random(2), 20)
    for i in range(3):
        report = validate(article_graph(*synthetic.make_article(2, i, pool)), extra=context)
        assert report.conforms, report.violations[:3]


def test_every_query_of_the_mix_runs(loaded):
    params = mix.pick_parameters(loaded)
    for q in mix.sparql_mix(params):
        result = loaded.query(q.sparql)
        rows = list(result)
        if q.name in ("claims_by_type", "count_triples", "conflicting_estimates"):
            assert rows, q.name
        assert isinstance(result, ox.QueryTriples) == q.construct, q.name


def test_texts_are_written_with_metadata(tmp_path):
    from graph_service.articles import iter_articles

    generate.write_texts(tmp_path, articles=3, seed=5)
    articles = iter_articles(tmp_path)
    assert len(articles) == 3 and all(a.published and a.outlet for a in articles)
