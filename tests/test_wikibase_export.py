"""Claims as Wikibase statements: main snak, qualifiers, references and ranks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from graph_service import iris
from graph_service.linking import wikidata
from graph_service.claims import Quantity, TimeSpec
from graph_service.cli import main
from graph_service.rdfize import article_graph
from graph_service.store import OxigraphStore
from graph_service.linking.wikibase_export import export_wikibase
from sample_claims import NORTH_KOREA, RUSSIA, claim, seed_article, seed_claims

URL = "https://example.org/news/nk-troops"


def claims(article):
    base = seed_claims(article)
    extra = [
        claim(article, "North Korea has supplied Russia with 5.2 million rounds",
              type="transfer", actor=NORTH_KOREA, target=RUSSIA, status="denied",
              item="artillery shells",
              quantity=Quantity("between 10,000 and 12,000", "range", 11000, lower=10000,
                                upper=12000),
              event_time=TimeSpec("in October 2024", "2024-10", dt.date(2024, 10, 1),
                                  dt.date(2024, 10, 31), "month")),
        claim(article, "dozens of short-range ballistic missiles",
              type="deployment", actor=NORTH_KOREA, target=RUSSIA, status="planned",
              event_time=TimeSpec("from October to December", "2024-10/2024-12",
                                  dt.date(2024, 10, 1), dt.date(2024, 12, 15), "range")),
    ]
    return base + extra


@pytest.fixture(scope="module")
def statements(tmp_path_factory):
    article = dataclasses.replace(seed_article(), url=URL)
    store = OxigraphStore(tmp_path_factory.mktemp("store"))
    store.replace_graphs({article.graph: article_graph(article, claims(article)),
                          iris.CURATED_LINKS_GRAPH: wikidata.curated_graph()})
    out = export_wikibase(store)
    store.close()
    return out


def by(statements, event_type, **where):
    found = [s for s in statements if s["event_type"] == event_type
             and all(s.get(k) == v for k, v in where.items())]
    assert found, (event_type, where)
    return found


def value(snak):
    return snak["datavalue"]["value"]


def test_deployment_statement(statements):
    (s,) = by(statements, "deployment", status="confirmed")
    assert s["subject"] == {"id": "Q423"}
    assert s["type"] == "statement" and s["rank"] == "preferred"
    assert s["mainsnak"]["property"] == "kg:deployedTo"
    assert s["mainsnak"]["datatype"] == "url"           # minted place: not on Wikidata yet
    assert value(s["mainsnak"]) in s["unlinked"]
    # "over 500": amount 500; one-sided, so no bounds in the quantity, the hedge kept
    quantity = value(s["qualifiers"]["P1114"][0])
    assert quantity == {"amount": "+500", "unit": "1"}
    assert value(s["qualifiers"]["kg:hedge"][0]) == "Over"
    # only the latest date is known: P1326 latest date
    assert value(s["qualifiers"]["P1326"][0])["time"] == "+2024-09-19T00:00:00Z"
    assert "P585" not in s["qualifiers"]
    assert s["qualifiers-order"] == list(s["qualifiers"])


def test_references(statements):
    (s,) = by(statements, "deployment", status="confirmed")
    (ref,) = s["references"]
    snaks = ref["snaks"]
    assert value(snaks["P854"][0]) == URL
    assert value(snaks["P577"][0])["time"] == "+2024-09-19T00:00:00Z"
    assert value(snaks["P577"][0])["precision"] == 11
    assert value(snaks["P1683"][0]) == {
        "text": "North Korea has deployed over 500 technical and medical support troops to "
                "Russian-occupied territories in Ukraine", "language": "en"}
    assert value(snaks["P248"][0]) == iris.entity_iri("Korea Daily")  # the outlet, unlinked
    assert value(snaks["P1476"][0])["text"].startswith("North Korea deploys 500")
    assert ref["snaks-order"] == list(snaks)


def test_treaty_point_in_time_and_location(statements):
    (s,) = by(statements, "treaty")
    assert s["mainsnak"]["property"] == "P1891"
    assert value(s["mainsnak"])["id"] == "Q159"
    assert s["subject"] == {"iri": iris.entity_iri("Treaty on Comprehensive Strategic Partnership")}
    (p585,) = s["qualifiers"]["P585"]
    assert value(p585)["time"] == "+2024-06-19T00:00:00Z" and value(p585)["precision"] == 11
    assert value(s["qualifiers"]["P276"][0])["id"] == "Q18808"


def test_casualties_one_statement_per_count(statements):
    found = {s["mainsnak"]["property"]: s for s in by(statements, "casualties")}
    assert set(found) == {"P1120", "kg:missing"}
    assert value(found["P1120"]["mainsnak"])["amount"] == "+1500"
    assert value(found["kg:missing"]["mainsnak"])["amount"] == "+4000"
    assert found["P1120"]["id"] != found["kg:missing"]["id"]


def test_denied_claim_is_deprecated_with_bounds_and_month(statements):
    (s,) = by(statements, "transfer", status="denied")
    assert s["rank"] == "deprecated"
    assert value(s["qualifiers"]["P1114"][0]) == {"amount": "+11000", "unit": "1",
                                                  "lowerBound": "+10000", "upperBound": "+12000"}
    (p585,) = s["qualifiers"]["P585"]
    assert value(p585)["time"] == "+2024-10-00T00:00:00Z" and value(p585)["precision"] == 10


def test_planned_interval_is_normal_with_start_and_end(statements):
    (s,) = by(statements, "deployment", status="planned")
    assert s["rank"] == "normal"
    assert value(s["qualifiers"]["P580"][0])["time"] == "+2024-10-01T00:00:00Z"
    assert value(s["qualifiers"]["P582"][0])["time"] == "+2024-12-15T00:00:00Z"
    assert value(s["mainsnak"])["id"] == "Q159"
    assert s["mainsnak"]["datatype"] == "wikibase-item"


@pytest.mark.parametrize("status, rank", [("confirmed", "preferred"), ("reported", "normal"),
                                          ("denied", "deprecated")])
def test_rank_follows_status(statements, status, rank):
    assert {s["rank"] for s in statements if s["status"] == status} == {rank}


def test_statement_ids_are_stable_and_unique(statements):
    ids = [s["id"] for s in statements]
    assert len(ids) == len(set(ids))
    assert all("$" in i for i in ids)


def test_kg_export_format_wikidata(tmp_path, capsys):
    article = dataclasses.replace(seed_article(), url=URL)
    store_path = tmp_path / "store"
    with OxigraphStore(store_path) as store:
        store.replace_graphs({article.graph: article_graph(article, claims(article))})
    assert main(["export", "--format", "wikidata", "--store", str(store_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(claims(article)) + 1  # casualties: two counts
    assert all(json.loads(line)["type"] == "statement" for line in lines)
