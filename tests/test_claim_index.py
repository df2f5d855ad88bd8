"""The claim index (``graph_service/claim_index.py``): it agrees with the store, and every
kind of write is seen by the next read, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
import rdflib

from graph_service import iris
from graph_service.store import claim_index
from graph_service.web.records import Reader, _claim_filter

from backends import api_fixture_store  # noqa: F401  (fixture)

KG = rdflib.Namespace(iris.ONTOLOGY)
SCHEMA = rdflib.Namespace("https://schema.org/")
ARTICLE_GRAPH = iris.GRAPH + "article/aaaa000000000001"
CLAIM = iris.ID + "claim/c100000000000001"
ALL_CLAIMS = f"""
PREFIX kg: <{iris.ONTOLOGY}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
SELECT ?claim ?reported ?earliest WHERE {{
  GRAPH ?g {{ ?claim a kg:Claim }}
  FILTER(!STRSTARTS(STR(?g), "{iris.GRAPH}submission/"))
  ?claim prov:wasDerivedFrom ?article ; kg:asserts ?event .
  OPTIONAL {{ ?claim kg:reportedOn ?on }}
  OPTIONAL {{ ?article schema:datePublished ?published }}
  BIND(COALESCE(?on, ?published) AS ?reported)
  OPTIONAL {{ ?event kg:eventTime/kg:earliest ?earliest }}
}}"""


@pytest.fixture
def store(api_fixture_store):  # noqa: F811
    return api_fixture_store


def served(store) -> dict[str, tuple]:
    return {r["claim"].value: (r["reported"] and r["reported"].value,
                               r["earliest"] and r["earliest"].value)
            for r in store.query(ALL_CLAIMS)}


def indexed(store) -> dict[str, tuple]:
    views = claim_index.of(store).views()
    return {r.claim: (r.reported, r.earliest) for r in views.by_report}


def test_index_agrees_with_the_store(store):
    expected = served(store)
    assert len(expected) >= 5
    assert indexed(store) == expected


def test_report_order_and_timeline_order(store):
    views = claim_index.of(store).views()
    reported = [r.reported or "" for r in views.by_report]
    assert reported == sorted(reported)
    firsts = [r.earliest or r.latest for r in views.by_time]
    assert None not in firsts and firsts == sorted(firsts)


def test_a_replaced_graph_is_read_again(store):
    reader = Reader(store)
    before = reader.claim(CLAIM)
    assert before is not None and before["headline"]
    g = store.graph(ARTICLE_GRAPH)
    article = rdflib.URIRef(iris.ID + "article/aaaa000000000001")
    g.set((article, SCHEMA.headline, rdflib.Literal("A corrected headline")))
    dropped = rdflib.URIRef(iris.ID + "claim/c100000000000002")
    for triple in list(g.triples((dropped, None, None))):
        g.remove(triple)
    store.replace_graphs({ARTICLE_GRAPH: g})

    assert dropped not in indexed(store) and indexed(store) == served(store)
    # the cached record is gone with the write: the next read shows the new headline
    assert Reader(store).claim(CLAIM)["headline"] == "A corrected headline"


def test_a_dropped_graph_leaves_the_index(store):
    store.drop_graphs([ARTICLE_GRAPH])
    assert CLAIM not in indexed(store)
    assert Reader(store).claim(CLAIM) is None
    assert all(a.article != iris.ID + "article/aaaa000000000001"
               for a in Reader(store).articles())


def test_an_update_naming_no_graph_rebuilds(store):
    claim_index.of(store).views()
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ <{CLAIM}> a <{KG.Claim}> }} }}")
    assert CLAIM not in indexed(store)
    assert indexed(store) == served(store)


def test_staged_claims_are_not_indexed_until_accepted(store):
    g = store.graph(ARTICLE_GRAPH)
    staging = iris.GRAPH + "submission/0123456789abcdef"
    store.replace_graphs({staging: g}, drop=[ARTICLE_GRAPH])
    assert CLAIM not in indexed(store)
    store.replace_graphs({iris.GRAPH + "accepted/0123456789abcdef": g}, drop=[staging])
    assert CLAIM in indexed(store)


def test_writers_it_cannot_see_are_read_after_max_age(store):
    trusting = claim_index.ClaimIndex(store)                 # waits to be told
    polling = claim_index.ClaimIndex(store, max_age=0)       # reads again when asked
    assert CLAIM in {r.claim for r in trusting.views().by_report}
    assert CLAIM in {r.claim for r in polling.views().by_report}
    # another client of the same store: nothing tells the index
    store._execute_update(f"DROP GRAPH <{ARTICLE_GRAPH}>")
    assert CLAIM in {r.claim for r in trusting.views().by_report}
    # past max_age, the old views are served while a background read replaces them
    assert CLAIM in {r.claim for r in polling.views().by_report}
    polling._refresh_in_background().join(timeout=30)
    assert CLAIM not in {r.claim for r in polling.views().by_report}


def test_entity_search_and_counts_come_from_the_index(store):
    reader = Reader(store)
    everyone = reader.entity_items(reader.entities(search=None, kind=None))
    counts = [e["claim_count"] for e in everyone]
    assert counts == sorted(counts, reverse=True)
    involving = {e["iri"]: len(reader.claims_involving(e["iri"])) for e in everyone}
    assert all(e["claim_count"] == involving[e["iri"]] for e in everyone)
    found = reader.entity_items(reader.entities(search="KURSK", kind=None))
    assert found and all("kursk" in e["label"].lower() or e["iri"].endswith("kursk-oblast")
                         for e in found)


FILTERS = [
    {}, {"type": "deployment"}, {"actor": "north-korea"}, {"target": "kursk-oblast"},
    {"actor": "north-korea", "type": "transfer"},
    {"article": "aaaa000000000001"}, {"article": "aaaa000000000001", "target": "kursk-oblast"},
    {"event_from": dt.date(2024, 10, 1)}, {"event_to": dt.date(2024, 10, 31)},
    {"event_from": dt.date(2024, 10, 15), "event_to": dt.date(2024, 11, 30)},
    {"event_from": dt.date(2024, 10, 15), "event_to": dt.date(2024, 11, 30), "actor": "north-korea"},
    {"reported_from": dt.date(2024, 11, 1)}, {"status": "confirmed"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) for f in FILTERS])
@pytest.mark.parametrize("dated_only", [False, True], ids=["claims", "timeline"])
def test_shortcuts_give_what_the_plain_filter_gives(store, filters, dated_only):
    """Posting lists and the bisected event range are only shortcuts: the answer is every
    claim that passes the filter, in report order (or timeline order)."""
    views = claim_index.of(store).views()
    test = _claim_filter(filters, Reader(store).entity_filters(filters)) or (lambda r: True)
    pool = views.by_time if dated_only else views.by_report
    expected = [r.claim for r in pool if test(r)]
    got = [r.claim for r in Reader(store).claim_rows(filters=filters, dated_only=dated_only)]
    assert got == expected


def test_event_range_bisection_matches_the_overlap_rule():
    """Random event spans, some open at one end: ``in_event_range`` is the overlap rule."""
    import random

    rng = random.Random(7)
    index = claim_index.ClaimIndex.__new__(claim_index.ClaimIndex)
    index._rows, index._articles, index._entities = {}, {}, {}
    day = lambda n: (dt.date(2024, 1, 1) + dt.timedelta(days=n)).isoformat()  # noqa: E731
    for n in range(400):
        first = rng.randrange(0, 300)
        earliest = day(first) if rng.random() > 0.1 else None
        latest = day(first + rng.randrange(0, 90)) if rng.random() > 0.3 else None
        index._rows[f"c{n}"] = claim_index.ClaimRow(
            claim=f"c{n}", graph="g", article=f"a{n % 7}",
            earliest=earliest, latest=latest, reported_on=day(rng.randrange(0, 400)))
    views = index._derive()
    for lo, hi in [(day(0), day(30)), (day(100), day(101)), (day(250), day(500)),
                   (day(-50), day(-1)), ("0001-01-01", "9999-12-31")]:
        expected = [r.claim for r in views.by_time
                    if (r.latest or r.earliest) >= lo and (r.earliest or r.latest) <= hi]
        assert [r.claim for r in views.in_event_range(lo, hi)] == expected
        assert expected or lo < day(0)


def test_health_says_when_the_index_is_built(client):
    assert client.get("/health").get_json()["ready"]["claim_index"] is False
    assert client.get("/api/claims").status_code == 200
    assert client.get("/health").get_json()["ready"]["claim_index"] is True


def test_a_record_read_before_a_write_is_not_kept_after_it(store):
    """A page read while a write lands must not leave the old record in the cache."""
    cache = claim_index.of(store).records
    before = cache.generation
    store.drop_graphs([iris.GRAPH + "article/does-not-exist"])   # any write empties the cache
    cache.put(CLAIM, {"headline": "old"}, generation=before)
    assert cache.lookup(CLAIM) == (False, None)
    cache.put(CLAIM, {"headline": "new"}, generation=cache.generation)
    assert cache.lookup(CLAIM) == (True, {"headline": "new"})


def test_max_age_defaults_by_backend_and_is_checked(store):
    from graph_service.errors import InputError
    from graph_service.store import OxigraphStore
    from graph_service.web import create_app

    index = create_app({"TESTING": True}, store=store).extensions["kg_claim_index"]
    assert index.max_age == (None if isinstance(store, OxigraphStore) else 60.0)
    with pytest.raises(InputError, match="KG_INDEX_MAX_AGE"):
        create_app({"TESTING": True, "INDEX_MAX_AGE": "soon"}, store=store)
