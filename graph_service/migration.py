"""The claim IRI scheme a store was built under, and the rebuild of a store built under another.

Claim IRIs are digests of a claim's identity (``Claim.identity``); when what counts as identity
changes, every claim IRI changes with it (``iris.CLAIM_IRI_SCHEME``). A build records the scheme
in ``graph/build``. A store that holds articles but no record, or another scheme's, is outdated:
``pipeline.build`` says so and rebuilds its articles, the seeds and any article added with
``kg ingest`` (read back from the store: text and metadata), under the current scheme.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDFS, SDO

from . import iris
from .articles import Article
from .store import Store
from .vocab import KG

ARTICLE_GRAPH_PREFIX = iris.GRAPH + "article/"
# Stores built before the scheme was recorded minted claim IRIs without claimer, outlets, status.
UNRECORDED_SCHEME = 1


@dataclass
class Outdated:
    """A store whose claim IRIs were minted under another scheme, and the articles it holds."""

    scheme: int
    article_graphs: list[str] = field(default_factory=list)

    def message(self) -> str:
        return (f"this store's claim IRIs are of scheme {self.scheme}, this version mints scheme "
                f"{iris.CLAIM_IRI_SCHEME} (the claimer, the outlets and the status are part of a "
                f"claim's identity): rebuilding its {len(self.article_graphs)} article(s)")


def marker_graph() -> rdflib.Graph:
    """What ``graph/build`` holds: the claim IRI scheme of the claims in the store."""
    g = rdflib.Graph()
    node = URIRef(iris.BUILD_GRAPH)
    g.add((node, OWL.versionInfo, Literal(iris.CLAIM_IRI_SCHEME)))
    g.add((node, RDFS.comment, Literal("the version of the claim IRI scheme this store's "
                                       "claims were minted under")))
    return g


def stored_scheme(store: Store) -> int | None:
    """The scheme ``graph/build`` records, or None when there is no record."""
    rows = list(store.query(f"SELECT ?v WHERE {{ GRAPH <{iris.BUILD_GRAPH}> {{ "
                            f"<{iris.BUILD_GRAPH}> <{OWL.versionInfo}> ?v }} }}"))
    for row in rows:
        try:
            return int(row["v"].value)
        except ValueError:
            return UNRECORDED_SCHEME
    return None


def outdated(store: Store) -> Outdated | None:
    """None when the store is new (no articles) or of the current scheme."""
    scheme = stored_scheme(store)
    if scheme == iris.CLAIM_IRI_SCHEME:
        return None
    articles = sorted(g for g in store.named_graphs() if g.startswith(ARTICLE_GRAPH_PREFIX))
    if scheme is None and not articles:
        return None
    return Outdated(scheme=scheme or UNRECORDED_SCHEME, article_graphs=articles)


def stored_articles(store: Store, graphs: list[str]) -> list[Article]:
    """The articles of these article graphs, text and metadata as ``rdfize`` wrote them."""
    out = []
    for graph in graphs:
        rows = list(store.query(
            f"""SELECT ?text ?headline ?published ?precision ?outlet ?author ?url ?language
                WHERE {{ GRAPH <{graph}> {{ ?a a <{KG.Article}> ; <{SDO.text}> ?text .
                  OPTIONAL {{ ?a <{SDO.headline}> ?headline }}
                  OPTIONAL {{ ?a <{SDO.datePublished}> ?published }}
                  OPTIONAL {{ ?a <{KG.datePrecision}> ?precision }}
                  OPTIONAL {{ ?a <{SDO.publisher}>/<{RDFS.label}> ?outlet }}
                  OPTIONAL {{ ?a <{SDO.author}> ?author }}
                  OPTIONAL {{ ?a <{SDO.url}> ?url }}
                  OPTIONAL {{ ?a <{SDO.inLanguage}> ?language }} }} }} LIMIT 1"""))
        if rows:
            out.append(_article(rows[0]))
    return out


def _article(row: ox.QuerySolution) -> Article:
    def value(name: str) -> str | None:
        term = row[name]
        return term.value if term is not None else None

    published = value("published")
    try:
        day = dt.date.fromisoformat(published[:10]) if published else None
    except ValueError:
        day = None
    return Article(text=value("text"), title=value("headline"), outlet=value("outlet"),
                   author=value("author"), published=day, published_precision=value("precision"),
                   url=value("url"), language=value("language"))
