"""Data for the submission tests: one stored article and submission bodies built around it.

Everything here is made up for the tests and written in the shape ``rdfize`` gives real
articles, so that a submission about the stored article touches a realistic neighbourhood.
"""

from __future__ import annotations

import datetime as dt
import functools
import json

import rdflib

from graph_service import iris, rdfize, resources
from graph_service.articles import Article
from graph_service.claims import Claim, Entity, Quantity
from graph_service.rdfio import load_graph
from graph_service.validation.shapes import load_shapes
from graph_service.store import Store, replace_graphs_update

TEXT = ("North Korea has sent 500 troops to Russia, a government official said on Tuesday. "
        "Russia shipped oil to North Korea in March, according to satellite images.")
ARTICLE = Article(text=TEXT, title="North Korea sends troops", outlet="Korea Daily",
                  published=dt.date(2024, 9, 19), published_precision="day")
QUOTE = "North Korea has sent 500 troops to Russia"
NEW_TEXT = "Kim Jong Un met Vladimir Putin in Pyongyang on 19 June 2024, state media reported."
NEW_META = {"title": "Kim meets Putin", "outlet": "Yonhap", "published": "2024-06-20"}

NORTH_KOREA = iris.entity_iri("North Korea")
RUSSIA = iris.entity_iri("Russia")


@functools.lru_cache(maxsize=1)
def _seed_update() -> str:
    return replace_graphs_update({
        iris.ONTOLOGY_GRAPH: load_graph(resources.ONTOLOGY_FILE),
        iris.ENTITIES_GRAPH: load_graph(resources.ENTITIES_FILE),
        iris.SHAPES_GRAPH: load_shapes(),
        ARTICLE.graph: rdfize.article_graph(ARTICLE, []),
    })


def seed(store: Store) -> None:
    """Ontology, entities and shapes graphs, and one article with no claims yet."""
    store.update(_seed_update())


@functools.lru_cache(maxsize=1)
def seed_trig() -> bytes:
    """What ``seed`` writes, as TriG: a fixture loads it in one go (``backends.loaded_store``)."""
    from graph_service.formats import RDFFormat
    from graph_service.store import OxigraphStore

    with OxigraphStore(None) as store:
        seed(store)
        return store.export(RDFFormat.TRIG)


def record(**changes) -> dict:
    """A valid fact record about the stored article, with ``changes`` applied."""
    rec = {"article": ARTICLE.iri, "type": "deployment", "actor": "North Korea",
           "target": "Russia", "item": "troops", "status": "reported",
           "quantity": {"value": 500, "qualifier": "exact", "upper": None},
           "claimed_by": "a government official", "via": None,
           "quote": QUOTE, "start": 0, "end": len(QUOTE)}
    rec.update(changes)
    return {k: v for k, v in rec.items() if v is not ...}


def records(*recs: dict) -> bytes:
    return json.dumps(list(recs)).encode("utf-8")


def claim_graph(*, item: str = "troops", start: int = 0, quote: str = QUOTE,
                article: Article = ARTICLE, with_article: bool = False) -> rdflib.Graph:
    """A claim about ``article`` as rdfize writes it (without the article node unless asked)."""
    claim = Claim(type="deployment", actor=Entity("North Korea", "State", iri=NORTH_KOREA),
                  target=Entity("Russia", "State", iri=RUSSIA), item=item, quote=quote,
                  start=start, end=start + len(quote),
                  quantity=Quantity(text="500", qualifier="exact", value=500))
    g = rdfize.article_graph(article, [claim])
    if not with_article:
        g.remove((rdflib.URIRef(article.iri), None, None))
    return g


def turtle(g: rdflib.Graph) -> bytes:
    return g.serialize(format="turtle").encode("utf-8")


def claim_iri(g: rdflib.Graph) -> str:
    from graph_service.vocab import KG
    return str(next(g.subjects(rdflib.RDF.type, KG.Claim)))
