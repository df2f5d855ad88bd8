"""Syndicated copies: near-duplicates found by MinHash and recorded as kg:copyOf with their
similarity; a copy's claims stay, but count as one source with the original's; a wire credit
makes two outlets' runs of one agency story one source."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from graph_service import iris, syndication
from graph_service.validation import shapes
from graph_service.ingest import sources
from graph_service.ingest.progress import Progress
from graph_service.ingest.run import run
from graph_service.ingest.sources import Pending
from graph_service.pipeline import reference_graphs, validation_context
from graph_service.store import OxigraphStore

PAGES = Path(__file__).parent / "data" / "pages"
KG = "PREFIX kg: <https://w3id.org/nkru/ontology#>\n"
HOWITZERS = "North Korea also supplied about 120 self-propelled howitzers to Russia last year."
FILLER = {
    "alpha": "Officials in Kyiv said the artillery had been seen near the front. The ministry "
             "gave no further details on Monday, and analysts urged caution about the figure.",
    "beta": "Satellite images reviewed by researchers show rail cars loaded at a border "
            "station. Diplomats at the United Nations raised the matter in a closed session.",
}


@pytest.fixture
def store(tmp_path):
    s = OxigraphStore(tmp_path / "store")
    s.replace_graphs(reference_graphs())
    yield s
    s.close()


def ingest(store, articles) -> None:
    pending = [Pending(a.name or a.id, lambda a=a: a) for a in articles]
    report = run(store, pending, progress=Progress(err=io.StringIO(), out=io.StringIO()))
    assert not report.failures, report.failures


def cluster_of(store, quote_start: str) -> tuple[int, int]:
    """(reports, independent sources) of the event cluster of the claims quoting this."""
    rows = list(store.query(KG + """
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT DISTINCT ?e ?n ?m WHERE {
          ?c kg:hasEvidence/oa:hasSelector/oa:exact ?q ; kg:reportsEvent ?e .
          ?e kg:reportCount ?n ; kg:independentSourceCount ?m .
          FILTER(STRSTARTS(?q, "%s")) }""" % quote_start))
    assert len(rows) == 1, rows
    return int(rows[0]["n"].value), int(rows[0]["m"].value)


def text_article(tmp_path: Path, name: str, text: str, outlet: str):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    path.with_suffix(".json").write_text(json.dumps({"outlet": outlet,
                                                     "published": "2025-02-11"}))
    return sources.text_article(path)


def test_two_outlets_copies_of_one_wire_story_are_one_source(store):
    harbour = sources.html_article(PAGES / "harbour-times-wire.html")
    valley = sources.html_article(PAGES / "valley-post-wire.html")
    ingest(store, [harbour, valley])
    (row,) = store.query(KG + "SELECT ?copy ?original ?s WHERE { ?x a kg:Syndication ; "
                              "kg:copy ?copy ; kg:original ?original ; kg:similarity ?s }")
    assert {row["copy"].value, row["original"].value} == {harbour.iri, valley.iri}
    assert 0.7 <= float(row["s"].value) <= 1
    assert store.query(KG + f"ASK {{ <{row['original'].value}> kg:syndicates "
                            f"<{row['copy'].value}> }}")
    # both copies keep their claims: two reports, one source
    assert cluster_of(store, HOWITZERS[:40]) == (2, 1)


def test_copies_without_a_credit_are_one_source_through_copy_of(store):
    # the same two pages with the wire credit taken out: only the near-duplicate link is left
    pages = [sources.html_article(PAGES / n) for n in ("harbour-times-wire.html",
                                                       "valley-post-wire.html")]
    pages = [replace(a, text=a.text.replace(" (Reuters)", ""), wire=None) for a in pages]
    ingest(store, pages)
    assert len(syndication.read_texts(store)) == 2
    assert cluster_of(store, HOWITZERS[:40]) == (2, 1)


def test_different_articles_from_two_outlets_are_two_sources(store, tmp_path):
    ingest(store, [text_article(tmp_path, "alpha", f"{HOWITZERS}\n{FILLER['alpha']}\n", "Alpha Daily"),
                   text_article(tmp_path, "beta", f"{HOWITZERS}\n{FILLER['beta']}\n", "Beta Times")])
    (n,) = store.query(KG + "SELECT (COUNT(*) AS ?n) WHERE { ?x a kg:Syndication }")
    assert int(n["n"].value) == 0
    assert cluster_of(store, HOWITZERS[:40]) == (2, 2)


def test_one_agency_credited_by_two_outlets_is_one_source(store, tmp_path):
    ingest(store, [
        text_article(tmp_path, "alpha", f"{HOWITZERS}\n{FILLER['alpha']}\n— AFP\n", "Alpha Daily"),
        text_article(tmp_path, "beta", f"{HOWITZERS}\n{FILLER['beta']}\n— AFP\n", "Beta Times")])
    assert cluster_of(store, HOWITZERS[:40]) == (2, 1)
    (row,) = store.query(KG + "SELECT DISTINCT ?s WHERE { ?e kg:independentSource ?s . "
                              "?c kg:reportsEvent ?e ; kg:asserts/a kg:Transfer }")
    assert row["s"].value == iris.entity_iri("Agence France-Presse")


def test_the_syndication_graph_conforms(store):
    ingest(store, [sources.html_article(PAGES / "harbour-times-wire.html"),
                   sources.html_article(PAGES / "valley-post-wire.html")])
    g = store.graph(iris.SYNDICATION_GRAPH)
    assert len(g) > 0
    assert shapes.validate(g, extra=validation_context()).conforms


def test_a_near_copy_is_linked_to_the_earlier_article():
    body = " ".join(f"word{i}" for i in range(60))
    a = syndication.Text("a", body, "2025-02-10")
    b = syndication.Text("b", body + "\nOne more closing line of the republished copy.", "2025-02-09")
    c = syndication.Text("c", " ".join(f"other{i}" for i in range(60)), "2025-02-08")
    (copy,) = syndication.find_copies([a, b, c])
    assert (copy.copy, copy.original) == ("a", "b")
    assert syndication.THRESHOLD <= copy.similarity < 1
