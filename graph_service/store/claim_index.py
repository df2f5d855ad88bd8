"""The claim index: every served claim's sort keys and filter facets, in memory.

The JSON API pages claims in report order, on a timeline, per entity and per article, with
filters on type, status, entities and dates. Asked of the store, each page is an ORDER BY
over every matching claim, and Oxigraph sorts slowly (1.1 s for a sorted 20-row page at 1M
triples, against 1.6 ms unsorted), so the index keeps one small row per claim and the
orders and postings derived from it, and a page is a slice. Records for the claims of a page
are still read from the store (``web/records.py``).

Freshness: the index listens to its store (``Store.add_listener``). A write that names its
graphs marks them dirty; an arbitrary update marks everything dirty. The next reader brings
the index up to date before reading (dirty graphs are re-read claim by claim; many dirty
graphs, or unknown ones, mean a full rebuild), so a write through the service is visible to
the next request. Writers the service cannot see (other clients of a remote SPARQL store)
are picked up by ``max_age``: past it, the current index is served while a background read
replaces it.

A full build reads the store with one scan per property (about 20 scans: 6 s at 1M triples,
75-89 s at 10M on a 2-core machine), fills the rows as it goes and holds about 1 KB per
claim (20 MB at 1M). A restart need not pay for it: given ``restore``, the first reader asks
it for the rows saved beside the store (``snapshot``), and builds only when there are none
that are current. ``state()`` gives the rows to save; observers (``add_observer``) hear of
every build or refresh, so that a saver knows when there is something new to save.
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import functools
import gc
import sys
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from rdflib.namespace import OWL, PROV, RDFS, SDO, SKOS

from .. import iris, rdfize
from .base import Store
from ..vocab import KG, OA

STAGING = iris.BASE + "graph/submission/"
ENTITY_SPACES = (iris.ID + "entity/", iris.ID + "source/")
TYPE_OF_CLASS = {str(term): name for name, term in rdfize.EVENT_CLASS.items()}

# Past this many dirty graphs, one full build is cheaper than reading them claim by claim.
INCREMENTAL_LIMIT = 200
_CHUNK = 400     # subjects per VALUES block


@dataclass(slots=True)
class ClaimRow:
    """What paging and filtering need of one claim (IRIs and ISO dates as strings)."""

    claim: str
    graph: str
    article: str | None = None       # None only while the row is being read
    type: str | None = None          # "deployment", … (rdfize.EVENT_CLASS)
    status: str | None = None        # the status concept's IRI
    actors: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    claimers: tuple[str, ...] = ()
    vias: tuple[str, ...] = ()
    reported_on: str | None = None   # the claim's own report date, if any
    earliest: str | None = None
    latest: str | None = None
    start: int | None = None
    reported: str | None = None      # reported_on, else the article's date (set on derive)
    extractors: tuple[str, ...] = ()  # kg:extractorName of its prov:wasGeneratedBy: "rules", "llm"

    def entities(self) -> Iterator[str]:
        yield from self.actors
        yield from self.targets
        yield from self.claimers
        yield from self.vias


@dataclass(slots=True)
class ArticleRow:
    article: str
    headline: str | None = None
    published: str | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    first_line: str | None = None    # of the text, for an article without a headline


@dataclass(slots=True)
class EntityRow:
    iri: str
    label: str | None = None
    labels: tuple[str, ...] = ()     # every label and alias, lower-cased, for search
    kinds: tuple[str, ...] = ()      # kg: class IRIs
    wikidata: tuple[str, ...] = ()   # owl:sameAs wd: IRIs and kg:wikidataId values


@dataclass(frozen=True)
class Views:
    """Orders and postings derived from the rows; replaced whole, never changed."""

    by_report: tuple[ClaimRow, ...]
    by_time: tuple[ClaimRow, ...]
    by_entity: dict[str, tuple[ClaimRow, ...]]
    by_article: dict[str, tuple[ClaimRow, ...]]
    articles: tuple[ArticleRow, ...]
    entities: dict[str, EntityRow]
    listed_entities: tuple[EntityRow, ...]   # with a kg: class and a label, most claims first
    time_firsts: tuple[str, ...]             # by_time's first dates, for bisecting
    time_lasts: tuple[str, ...]

    def in_event_range(self, lo: str, hi: str) -> list[ClaimRow]:
        """Dated claims whose event span [earliest, latest] overlaps [lo, hi], in timeline
        order: the claims that start within the range are one slice of ``by_time``; only
        those that start before it are looked at one by one (do they last into it?)."""
        a = bisect.bisect_left(self.time_firsts, lo)
        b = bisect.bisect_right(self.time_firsts, hi)
        earlier = [r for r, last in zip(self.by_time[:a], self.time_lasts[:a]) if last >= lo]
        return earlier + list(self.by_time[a:max(a, b)])

    def claim_count(self, entity: str) -> int:
        return len(self.by_entity.get(entity, ()))

    @functools.cached_property
    def article_rows(self) -> dict[str, ArticleRow]:
        return {a.article: a for a in self.articles}

    @functools.cached_property
    def by_claim(self) -> dict[str, ClaimRow]:
        return {r.claim: r for r in self.by_report}

    @functools.cached_property
    def names(self) -> dict[str, tuple[str, ...]]:
        """Every label and alias, lower-cased -> the entities that have it (made on first use,
        once per version of the views)."""
        out: dict[str, list[str]] = defaultdict(list)
        for e in self.entities.values():
            for name in e.labels:
                out[" ".join(name.split())].append(e.iri)
        return {k: tuple(sorted(v)) for k, v in out.items()}

    @functools.cached_property
    def wikidata_ids(self) -> dict[str, tuple[str, ...]]:
        """Wikidata QID (``Q423``) -> the entities linked to it."""
        out: dict[str, list[str]] = defaultdict(list)
        for e in self.entities.values():
            for link in e.wikidata:
                qid = link.rsplit("/", 1)[-1]
                if qid[:1] == "Q" and qid[1:].isdigit() and e.iri not in out[qid]:
                    out[qid].append(e.iri)
        return {k: tuple(sorted(v)) for k, v in out.items()}


@dataclass(frozen=True)
class State:
    """The rows an index holds, as saved beside the store and restored from there."""

    claims: list[ClaimRow]
    articles: list[ArticleRow]
    article_graphs: list[str]       # the graph of each article, in the same order
    entities: list[EntityRow]
    views: Views | None = None      # derived from these rows (None: derive them)


class RecordCache:
    """Claim records as the API serves them, by claim IRI: bounded, least recently used out
    first, emptied by every write (a record also shows entity labels from other graphs)."""

    def __init__(self, size: int = 5_000) -> None:
        self.size = size
        self._items: OrderedDict[str, dict | None] = OrderedDict()
        self._lock = threading.Lock()
        self.generation = 0     # bumped by clear(): a record read before it is not kept

    def lookup(self, iri: str) -> tuple[bool, dict | None]:
        """(True, a copy of the record) if kept (None: no such claim), else (False, None)."""
        with self._lock:
            if iri not in self._items:
                return False, None
            self._items.move_to_end(iri)
            record = self._items[iri]
        return True, copy.deepcopy(record)   # callers add to records (e.g. JSON-LD views)

    def put(self, iri: str, record: dict | None, *, generation: int) -> None:
        """Keep ``record``, read from the store when ``generation`` was current; a write
        since then has emptied the cache, and the record may predate it: not kept."""
        with self._lock:
            if generation != self.generation:
                return
            self._items[iri] = record
            self._items.move_to_end(iri)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.generation += 1


class ClaimIndex:
    """The index of one store. Use ``of(store)``: one index per store object."""

    def __init__(self, store: Store, *, max_age: float | None = None,
                 restore: Callable[[], State | None] | None = None) -> None:
        self.store = store
        self.max_age = max_age
        self._restore = restore          # asked once, by the first reader, before any build
        self._unknown_write = False      # a write of unknown graphs since this index was made
        self._observers: list[Callable[[], None]] = []
        self.builds = 0                  # full reads of the store
        self.restores = 0                # states restored (``restore``)
        self.records = RecordCache()
        self._lock = threading.RLock()
        self._rows: dict[str, ClaimRow] = {}
        self._articles: dict[str, ArticleRow] = {}
        self._article_graph: dict[str, str] = {}
        self._dirty: set[str] = set()
        self._stale = True               # nothing read yet, or an unknown write
        self._entities_stale = True
        self._views: Views | None = None
        self._entities: dict[str, EntityRow] = {}
        self._built_at = 0.0
        self._refresher: threading.Thread | None = None
        self._refresher_lock = threading.Lock()
        self.ready = False               # True once the first build has finished
        store.add_listener(self._changed)

    # -- freshness ------------------------------------------------------------------------

    def _changed(self, graphs: frozenset[str] | None) -> None:
        # Called by the store after each write, on the writer's thread: only mark.
        with self._lock:
            if graphs is None:
                self._stale = True
                self._unknown_write = True
            else:
                self._dirty.update(graphs)
            self._entities_stale = True
            self._views = None
        self.records.clear()

    def views(self) -> Views:
        """The current views, brought up to date first if a write happened. Past
        ``max_age`` the current views are served while a background read replaces them."""
        views = self._views
        if views is not None:
            if self._expired():
                self._refresh_in_background()
            return views
        with self._lock:
            return self._current()

    def _current(self) -> Views:
        # Called with the lock held.
        if self._views is not None:
            return self._views
        self._restore_once()
        read = self._stale or bool(self._dirty) or self._entities_stale
        if self._stale or len(self._dirty) > INCREMENTAL_LIMIT:
            self._build()
        elif self._dirty:
            self._refresh(self._dirty)
        self._dirty.clear()
        if self._entities_stale:
            self._entities = self._read_entities()
            self._entities_stale = False
        if self._views is None or read:
            self._views = self._derive()
        self.ready = True
        if read:
            for observer in self._observers:
                observer()
        return self._views

    def _restore_once(self) -> bool:
        """Rows saved beside the store, when they are current and no write of unknown graphs
        came since this index was made (writes of known graphs are read again on top)."""
        restore, self._restore = self._restore, None
        if restore is None or not self._stale or self._unknown_write:
            return False
        with _collector_paused():
            return self._install(restore())

    def _install(self, state: State | None) -> bool:
        if state is None:
            return False
        self._rows = {r.claim: r for r in state.claims}
        self._articles = {a.article: a for a in state.articles}
        self._article_graph = {a.article: g for a, g in zip(state.articles, state.article_graphs)}
        # the views' map of the entities when restored with them, as ``_derive`` shares it
        self._entities = (state.views.entities if state.views is not None
                          else {e.iri: e for e in state.entities})
        self._stale = False
        self._entities_stale = bool(self._dirty)   # a write since: read the entities again
        if state.views is not None and not self._dirty:
            self._views = state.views
        self._built_at = time.monotonic()
        self.restores += 1
        return True

    def state(self) -> State:
        """The rows behind the current views (brought up to date first), to save."""
        with self._lock:
            self._current()
            return State(claims=list(self._rows.values()), articles=list(self._articles.values()),
                         article_graphs=[self._article_graph[a] for a in self._articles],
                         entities=list(self._entities.values()), views=self._views)

    def add_observer(self, observer: Callable[[], None]) -> None:
        """Call ``observer()`` (under the index's lock: it must only mark) after each build or
        refresh of the views from the store."""
        self._observers.append(observer)

    def _expired(self) -> bool:
        return self.max_age is not None and time.monotonic() - self._built_at > self.max_age

    def _refresh_in_background(self) -> threading.Thread:
        with self._refresher_lock:   # not the index's lock: a build may hold that for long
            if self._refresher is None or not self._refresher.is_alive():
                self._refresher = threading.Thread(target=self._rebuild, daemon=True,
                                                   name="kg-claim-index-refresh")
                self._refresher.start()
            return self._refresher

    def _rebuild(self) -> None:
        with self._lock:
            self._build()
            self._dirty.clear()
            self._entities = self._read_entities()
            self._entities_stale = False
            self._views = self._derive()   # the old views stay whole for their readers
            self.records.clear()
            for observer in self._observers:
                observer()

    # -- reading the store ------------------------------------------------------------------

    def _build(self) -> None:
        self._rows.clear()
        self._articles.clear()
        self._article_graph.clear()
        self._read_claims(None)
        self._read_articles(None)
        self._stale = False
        self._built_at = time.monotonic()
        self.builds += 1

    def _refresh(self, graphs: Iterable[str]) -> None:
        graphs = set(graphs)
        # A scan of the rows (about 20 ms at 10M) rather than a set of claims per graph kept
        # for it (25,000 sets: about 15 MB at 10M, and time to make them on every restore).
        for claim in [c for c, r in self._rows.items() if r.graph in graphs]:
            del self._rows[claim]
        for article in [a for a, g in self._article_graph.items() if g in graphs]:
            self._articles.pop(article, None)
            self._article_graph.pop(article, None)
        self._read_claims(graphs)
        self._read_articles(graphs)

    def _select(self, sparql: str) -> Iterator[tuple]:
        # Interned: the same article, graph, entity and date strings recur in many rows.
        for row in self.store.query(sparql):
            yield tuple(None if t is None else sys.intern(t.value) for t in row)

    def _typed_in(self, cls: str, graphs: set[str] | None) -> list[tuple[str, str]]:
        """(graph, node) for every node typed ``cls`` in a graph (of ``graphs``)."""
        if graphs is not None and not graphs:
            return []
        out = []
        for chunk in _chunks(sorted(graphs)) if graphs is not None else [None]:
            values = "" if chunk is None else f"VALUES ?g {{ {_iris(chunk)} }} "
            out += self._select(f"SELECT ?g ?s WHERE {{ {values}GRAPH ?g {{ ?s a <{cls}> }} }}")
        return out

    def _pairs(self, predicate: str, subjects: Iterable[str] | None) -> Iterator[tuple]:
        """(subject, object) of ``predicate``, for ``subjects`` (every subject when None)."""
        if subjects is None:
            yield from self._select(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}")
            return
        for chunk in _chunks(sorted(subjects)):
            yield from self._select(f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {_iris(chunk)} }} "
                                    f"?s <{predicate}> ?o }}")

    def _objects(self, predicate: str, subjects: set[str] | None) -> dict[str, list]:
        """subject -> objects of ``predicate`` (every subject when ``subjects`` is None)."""
        got: dict[str, list] = defaultdict(list)
        for s, o in self._pairs(predicate, subjects):
            got[s].append(o)
        return got

    def _served(self, cls: str, graphs: set[str] | None) -> tuple[list, set[str] | None]:
        """(graph, node) for the nodes typed ``cls`` outside staging graphs, and the set of
        those nodes when only some graphs are read (None: a full build reads every node)."""
        found = [(g, n) for g, n in self._typed_in(cls, graphs) if not g.startswith(STAGING)]
        return found, (None if graphs is None else {n for _, n in found})

    def _read_claims(self, graphs: set[str] | None) -> None:
        """Rows for the claims of ``graphs`` (of every graph when None), filled a property at
        a time: the claims' own, then those of the nodes they name (events, then their
        times; evidence, then its selectors). A full build scans each property whole; a
        refresh asks for the nodes it has reached. Only the maps from a node to its claim's
        row are held meanwhile, not every property's values (a tenth of the memory at 10M)."""
        found, subset = self._served(KG.Claim, graphs)
        if not found:
            return
        rows = {claim: ClaimRow(claim=claim, graph=graph) for graph, claim in found}
        scope = lambda nodes: None if subset is None else set(nodes)  # noqa: E731
        owners = {claim: [row] for claim, row in rows.items()}    # node -> rows it belongs to
        events: dict[str, list[ClaimRow]] = {}
        evidence: dict[str, list[ClaimRow]] = {}
        activities: dict[str, list[ClaimRow]] = {}
        self._fill(owners, scope(rows), (
            (PROV.wasDerivedFrom, _set_first("article")),
            (KG.status, _set_first("status")), (KG.reportedOn, _set_first("reported_on")),
            (KG.claimedBy, _append("claimers")), (KG.via, _append("vias")),
            (KG.asserts, _link(events)), (KG.hasEvidence, _link(evidence)),
            (PROV.wasGeneratedBy, _collect(activities))))
        self._name_extractors(activities)
        times: dict[str, list[ClaimRow]] = {}
        self._fill(events, scope(events), (
            (KG.actor, _append("actors")), (KG.target, _append("targets")),
            (KG.eventTime, _link(times))))
        for event, classes in self._event_types(scope(events)).items():
            for row in events.get(event, ()):
                row.type = row.type or classes[0]
        selectors: dict[str, list[ClaimRow]] = {}
        self._fill(evidence, scope(evidence), ((OA.hasSelector, _link(selectors)),))
        self._fill(times, scope(times), ((KG.earliest, _set_first("earliest")),
                                         (KG.latest, _set_first("latest"))))
        self._fill(selectors, scope(selectors), ((OA.start, _set_first("start", int)),))
        asserting = {id(row) for owned in events.values() for row in owned}
        for claim, row in rows.items():
            if row.article is None or id(row) not in asserting:
                continue
            self._rows[claim] = row

    def _name_extractors(self, activities: dict[str, list[ClaimRow]]) -> None:
        """Each row's extractor names, from the few extraction activities its claims point to
        (one per extractor and version, shared by every claim it made: asked for once each)."""
        names: dict[str, list] = defaultdict(list)
        for chunk in _chunks(sorted(activities)):
            for s, o in self._select(f"SELECT DISTINCT ?s ?o WHERE {{ VALUES ?s {{ {_iris(chunk)} }} "
                                     f"?s <{KG.extractorName}> ?o }}"):
                names[s].append(o)
        for activity, rows in activities.items():
            for row in rows:
                row.extractors = tuple(sorted({*row.extractors, *names.get(activity, ())}))

    def _fill(self, owners: dict[str, list[ClaimRow]], subjects: set[str] | None,
              fillers: tuple) -> None:
        """For each (property, filler): read the property of ``subjects`` (all its triples
        when None) and hand each value to the filler with every row its subject belongs to."""
        for pred, put in fillers:
            for s, o in self._pairs(pred, subjects):
                for row in owners.get(s, ()):
                    put(row, o)

    def _event_types(self, events: set[str] | None) -> dict[str, list]:
        classes = " ".join(f"<{c}>" for c in TYPE_OF_CLASS)
        got: dict[str, list] = defaultdict(list)
        if events is None:
            chunks: list = [None]
        else:
            chunks = list(_chunks(sorted(events)))
        for chunk in chunks:
            values = "" if chunk is None else f"VALUES ?s {{ {_iris(chunk)} }} "
            for s, c in self._select(f"SELECT ?s ?c WHERE {{ {values}VALUES ?c {{ {classes} }} "
                                     "?s a ?c }"):
                got[s].append(TYPE_OF_CLASS[c])
        return got

    def _read_articles(self, graphs: set[str] | None) -> None:
        found, subset = self._served(KG.Article, graphs)
        if not found:
            return
        props = {name: self._objects(SDO[name], subset)
                 for name in ("headline", "datePublished", "publisher", "author", "url")}
        for graph, article in found:
            value = lambda name: next(iter(props[name].get(article, ())), None)  # noqa: E731
            self._articles[article] = ArticleRow(
                article=article, headline=value("headline"), published=value("datePublished"),
                publisher=value("publisher"), author=value("author"), url=value("url"))
            self._article_graph[article] = graph
        # Pages name an article without a headline by the first line of its text (only those
        # few articles' texts are read, and only their start).
        untitled = sorted(a for _, a in found if self._articles[a].headline is None)
        for chunk in _chunks(untitled):
            for article, start in self._select(
                    f"SELECT ?s (SUBSTR(STR(?t), 1, 400) AS ?o) WHERE {{ VALUES ?s "
                    f"{{ {_iris(chunk)} }} ?s <{SDO.text}> ?t }}"):
                self._articles[article].first_line = first_line(start)

    def _read_entities(self) -> dict[str, EntityRow]:
        """Every entity (reference entities, people found in articles, outlets) with a kg:
        class: labels, aliases and Wikidata ids, merged over the graphs that describe it."""
        spaces = " || ".join(f'STRSTARTS(STR(?s), "{p}")' for p in ENTITY_SPACES)
        labels: dict[str, list] = defaultdict(list)
        aliases: dict[str, list] = defaultdict(list)
        for pred, into in ((RDFS.label, labels), (SKOS.prefLabel, labels),
                           (SKOS.altLabel, aliases)):
            for s, v in self._select(f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{pred}> ?o "
                                     f"FILTER({spaces}) }}"):
                into[s].append(v)
        # Classes of the labelled entities only: scanning every rdf:type triple for the
        # few entity classes costs ten times more (every claim, event and selector is typed).
        kinds: dict[str, set] = defaultdict(set)
        for chunk in _chunks(sorted(labels)):
            for s, k in self._select(f"SELECT ?s ?k WHERE {{ VALUES ?s {{ {_iris(chunk)} }} "
                                     f"?s a ?k }}"):
                if k.startswith(iris.ONTOLOGY):
                    kinds[s].add(k)
        wikidata: dict[str, list] = defaultdict(list)
        for pred in (OWL.sameAs, KG.wikidataId):
            for s, v in self._select(f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{pred}> ?o "
                                     f"FILTER({spaces}) }}"):
                wikidata[s].append(v)
        out = {}
        for s in set(kinds) | set(labels) | set(wikidata):
            names = sorted(labels.get(s, ()))
            out[s] = EntityRow(
                iri=s, label=names[0] if names else None,
                labels=tuple(sorted({n.lower() for n in names + aliases.get(s, [])})),
                kinds=tuple(sorted(kinds.get(s, ()))), wikidata=tuple(sorted(wikidata.get(s, ()))))
        return out

    # -- derived views ----------------------------------------------------------------------

    def _derive(self) -> Views:
        rows = list(self._rows.values())
        for r in rows:
            article = self._articles.get(r.article)
            r.reported = r.reported_on or (article.published if article else None)
        by_report = sorted(rows, key=report_key)
        by_time = sorted((r for r in by_report if r.earliest or r.latest), key=time_key)
        by_entity: dict[str, list] = defaultdict(list)
        by_article: dict[str, list] = defaultdict(list)
        for r in by_report:
            for e in dict.fromkeys(r.entities()):
                by_entity[e].append(r)
            by_article[r.article].append(r)
        for claims in by_article.values():
            claims.sort(key=lambda r: (r.start is not None, r.start or 0, r.claim))
        articles = sorted(self._articles.values(), key=lambda a: a.article)
        articles.sort(key=lambda a: a.published or "", reverse=True)
        listed = sorted((e for e in self._entities.values() if e.kinds and e.label is not None),
                        key=lambda e: (-len(by_entity.get(e.iri, ())), e.label.lower(), e.iri))
        return Views(
            by_report=tuple(by_report), by_time=tuple(by_time),
            by_entity={k: tuple(v) for k, v in by_entity.items()},
            by_article={k: tuple(v) for k, v in by_article.items()},
            articles=tuple(articles),
            entities=self._entities, listed_entities=tuple(listed),
            time_firsts=tuple(r.earliest or r.latest for r in by_time),
            time_lasts=tuple(r.latest or r.earliest for r in by_time))


_MAKING = threading.Lock()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Without the cyclic garbage collector: making a million rows, tuples and dicts in one go
    sets it off again and again over a growing heap (at 10M, 4.5 s of CPU to restore the
    index with it, 1.7 s without). Nothing made here forms a cycle."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def of(store: Store, *, max_age: float | None = None,
       restore: Callable[[], State | None] | None = None) -> ClaimIndex:
    """The index of ``store``, made on first use and kept with the store object (``max_age``
    and ``restore`` are those of the first call)."""
    index = store.__dict__.get("_claim_index")
    if index is None:
        with _MAKING:
            index = store.__dict__.get("_claim_index")
            if index is None:
                index = store.__dict__["_claim_index"] = ClaimIndex(
                    store, max_age=max_age, restore=restore)
    return index


def report_key(r: ClaimRow) -> tuple:
    # SPARQL's ORDER BY puts unbound values first: so do None -> "" and -1.
    return (r.reported or "", r.article, -1 if r.start is None else r.start, r.claim)


def time_key(r: ClaimRow) -> tuple:
    return (r.earliest or r.latest or "", r.latest or "", *report_key(r))


def _set_first(field_name: str, convert=None):
    """A filler: sets the row's field to the first value read (the rest are ignored)."""
    def put(row: ClaimRow, value: str) -> None:
        if getattr(row, field_name) is None:
            setattr(row, field_name, convert(value) if convert else value)
    return put


def _append(field_name: str):
    """A filler: adds the value to the row's tuple field."""
    def put(row: ClaimRow, value: str) -> None:
        setattr(row, field_name, (*getattr(row, field_name), value))
    return put


def _collect(nodes: dict[str, list[ClaimRow]]):
    """A filler like ``_link`` for a node that many rows share (an extraction activity): no
    check for a repeat, which would cost the length of the list at every row."""
    def put(row: ClaimRow, value: str) -> None:
        nodes.setdefault(value, []).append(row)
    return put


def _link(nodes: dict[str, list[ClaimRow]]):
    """A filler: remembers that the node (the value) belongs to the row's claim."""
    def put(row: ClaimRow, value: str) -> None:
        owned = nodes.setdefault(value, [])
        if not any(r is row for r in owned):
            owned.append(row)
    return put


def first_line(text: str | None, *, longest: int = 200) -> str | None:
    """The first non-blank line of a text, when it is short enough to be a heading."""
    for line in (text or "").splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= longest else None
    return None


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _iris(values: Iterable[str]) -> str:
    return " ".join(str(ox.NamedNode(v)) for v in values)
