"""Build and ingest: article -> claims -> triples -> validated -> stored.

Every article is extracted, turned into RDF and validated (with the ontology and the reference
entities as context) before anything is written. A write replaces the article's named graph in
one SPARQL Update, so an article lands whole or not at all, and loading it again replaces it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import rdflib

from . import iris, resources
from .articles import Article, iter_articles
from .claims import Claim
from .errors import ShapeViolation
from .extraction import RULES, extract, extract_many
from .migration import Outdated, marker_graph, outdated, stored_articles
from .rdfio import load_graph
from .rdfize import article_graph
from .validation.shapes import check, load_shapes
from .store import Store

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    """One article made ready for the store: its claims and its validated graph."""

    article: Article
    claims: list[Claim]
    graph: rdflib.Graph


@dataclass
class BuildReport:
    articles: int = 0
    claims: int = 0
    triples: int = 0
    graphs: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    outdated: Outdated | None = None  # the store held claims of another IRI scheme: rebuilt

    def add(self, prepared: Prepared) -> None:
        self.articles += 1
        self.claims += len(prepared.claims)
        for claim in prepared.claims:
            self.by_type[claim.type] = self.by_type.get(claim.type, 0) + 1


def reference_graphs() -> dict[str, rdflib.Graph]:
    """The graphs that are not articles: ontology, reference entities, shapes, curated links."""
    graphs = {
        iris.ONTOLOGY_GRAPH: load_graph(resources.ONTOLOGY_FILE),
        iris.ENTITIES_GRAPH: load_graph(resources.ENTITIES_FILE),
        iris.SHAPES_GRAPH: load_shapes(),
    }
    if resources.CURATED_LINKS_FILE.exists():
        graphs[iris.CURATED_LINKS_GRAPH] = load_graph(resources.CURATED_LINKS_FILE)
    return graphs


@lru_cache(maxsize=1)
def validation_context() -> rdflib.Graph:
    """The reference entities: what an article graph is validated together with (the shapes
    module adds the ontology itself)."""
    return load_graph(resources.ENTITIES_FILE)


def marked(article: Article) -> Article:
    """The article with its boilerplate lines marked to skip and its wire credit: both are
    read from the text alone, so marking is the same wherever the article came from."""
    from .ingest.sources import marked as mark

    return mark(article)


def readable(article: Article) -> Article:
    """What extraction reads: the article with its skipped spans blanked out."""
    if not article.skipped:
        return article
    return replace(article, text=article.readable_text(), skipped=())


def anchored(article: Article, claims: list[Claim]) -> list[Claim]:
    """The claims whose quote is exactly the article's text at their offsets. Extraction
    reads the text with boilerplate blanked, so a quote that reached into a blanked span would
    not re-anchor in the stored text: it is dropped, never stored."""
    return [c for c in claims if article.text[c.start:c.end] == c.quote]


def prepare(article: Article, claims: list[Claim] | None = None) -> Prepared:
    """Extract (unless the claims are given), build the article's graph and validate it;
    raises ShapeViolation."""
    article = marked(article)
    if claims is None:
        claims = extract(readable(article))
    claims = anchored(article, claims) if article.skipped else claims
    graph = article_graph(article, claims)
    try:
        _check(article, graph)
    except ShapeViolation as err:
        claims = shaped(article, claims, err)
        graph = article_graph(article, claims)
        _check(article, graph)
    return Prepared(article=article, claims=claims, graph=graph)


def _check(article: Article, graph: rdflib.Graph) -> None:
    try:
        check(graph, extra=validation_context())
    except ShapeViolation as err:
        err.where = article.name or article.iri
        raise


def shaped(article: Article, claims: list[Claim], err: ShapeViolation) -> list[Claim]:
    """The claims without those only a language model proposed that fail the shapes on their
    own (the grounding gate's last check: type and roles). Raises ``err`` when no such claim
    is to blame: a rule claim that fails the shapes is a bug, not a refusal."""
    failing = []
    for claim in claims:
        if RULES in claim.generated_by:
            continue
        problem = shape_problem(article, claim)
        if problem is not None:
            failing.append(claim)
            log.info("refused (fails the shapes: %s): %s", problem, claim.fact_record())
    if not failing:
        raise err
    return [c for c in claims if not any(c is f for f in failing)]


def shape_problem(article: Article, claim: Claim) -> str | None:
    """Why one claim, alone in its article's graph, does not conform (None if it does)."""
    try:
        check(article_graph(article, [claim]), extra=validation_context())
    except ShapeViolation as own:
        return "; ".join(str(v.get("message")) for v in own.violations[:3]) or str(own)
    return None


def admitted(article: Article, claims: list[Claim]) -> list[Claim]:
    """The claims that would be stored: those of ``prepare`` (without a store)."""
    return prepare(article, claims).claims


def prepare_many(articles: list[Article], *, extractor: str = "rules", client=None) -> list[Prepared]:
    """``prepare`` for many articles; extraction runs on every core when there are enough.
    ``extractor`` and ``client``: as ``extraction.extract_many``."""
    articles = [marked(a) for a in articles]
    claims = extract_many([readable(a) for a in articles], extractor=extractor, client=client)
    return [prepare(a, c) for a, c in zip(articles, claims)]


def write(store: Store, prepared: Prepared) -> None:
    store.replace_graphs({prepared.article.graph: prepared.graph})


def ingest(store: Store, article: Article, *, relink: bool = True, extractor: str = "rules",
           client=None) -> Prepared:
    """Add (or replace) one article. Nothing is written if it does not validate."""
    return ingest_many(store, [article], relink=relink, extractor=extractor, client=client)[0]


def ingest_many(store: Store, articles: list[Article], *, relink: bool = True, extractor: str = "rules",
                client=None) -> list[Prepared]:
    """Add (or replace) several articles, then recompute the event clusters once.

    Every article is validated before any is written: if one fails, nothing is written.
    """
    prepared = prepare_many(articles, extractor=extractor, client=client)
    for item in prepared:
        write(store, item)
    if relink and prepared:
        refresh_links(store)
    return prepared


def build(store: Store, seeds: Path, *, extractor: str = "rules", client=None) -> BuildReport:
    """Load the reference graphs and every article in ``seeds``.

    All articles are prepared and validated first; if any fails, nothing is written. A store
    whose claim IRIs are of another scheme (``migration``) has every article rebuilt.
    """
    articles = iter_articles(seeds)
    old = outdated(store)
    if old is not None:  # claim IRIs of another scheme: rebuild the stored articles too
        seeded = {a.graph for a in articles}
        articles += stored_articles(store, [g for g in old.article_graphs if g not in seeded])
    prepared = prepare_many(articles, extractor=extractor, client=client)
    stale = [*old.article_graphs, iris.EVENTS_GRAPH] if old is not None else []
    store.replace_graphs({**reference_graphs(), iris.BUILD_GRAPH: marker_graph()}, drop=stale)
    report = BuildReport(outdated=old)
    for item in prepared:
        write(store, item)
        report.add(item)
    refresh_links(store)
    report.triples = store.count()
    report.graphs = len(store.named_graphs())
    return report


def refresh_links(store: Store) -> None:
    """Recompute what spans articles: near-duplicate copies (graph/syndication), then the
    event clusters, which count a copy as one source with its original."""
    from .syndication import refresh_syndication  # the step after storage

    refresh_syndication(store)
    refresh_events(store)


def refresh_events(store: Store) -> None:
    """Recompute the cross-article event clusters (graph/events) from the stored claims."""
    from .events import cluster_events  # the step after storage

    store.replace_graphs({iris.EVENTS_GRAPH: cluster_events(store)})
