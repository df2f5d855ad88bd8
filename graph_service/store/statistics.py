"""Quad counts per graph, kept in memory and current through every write.

Oxigraph keeps no counts: ``SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }`` reads every quad
(7 s at 10M triples). Virtuoso and Blazegraph answer such counts from statistics they keep on
every write; this module does the same for the embedded store, which only this process writes
(its folder is locked by one process). A store other processes may write (the remote backend)
gets no statistics.

The counts are read once in a background thread when the service starts (one GROUP BY over
the named graphs, one count of the default graph), so readiness is not delayed, unless counts
saved beside the store are current (``snapshot``: then they are taken as they are), and kept
current through the store's listeners (``Store.add_listener``): a write that names its graphs
marks those graphs stale at once, in the writer's thread, and a background thread recounts
each of them (``COUNT(*)`` of one graph: an index range, cheap); a write that does not name
them (an arbitrary SPARQL Update, a bulk load) marks everything stale and the background thread
reads all counts again. A count is only given out while nothing it sums is stale, so a reader
that has seen a write's response never gets a count from before that write; meanwhile callers
ask the store, as they would without statistics.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .base import Store
from .embedded import OxigraphStore

log = logging.getLogger(__name__)

DEFAULT = None  # the key of the default graph among the counts

_ALL_NAMED = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_ONE_GRAPH = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {} {{ ?s ?p ?o }} }}"
_DEFAULT_GRAPH = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@dataclass(frozen=True)
class Totals:
    """The counts a whole-store question needs, all current at one moment."""

    named: int      # quads in named graphs
    default: int    # quads in the default graph
    graphs: int     # named graphs with at least one quad

    @property
    def union(self) -> int:
        """Quads of the union default graph: every quad, duplicates across graphs included."""
        return self.named + self.default


class Statistics:
    """Quad counts of one store's graphs (``DEFAULT`` for the default graph)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._counts: dict[str | None, int] = {}
        self._known = False            # False until a full count has landed, and after a write
        self._epoch = 0                # bumped by every write that does not name its graphs
        self._stale: set[str | None] = set()
        self._versions: dict[str | None, int] = {}   # bumped by every write to a graph
        self._running = False          # a background thread is at work

    # -- reading ----------------------------------------------------------------------------

    @property
    def current(self) -> bool:
        """Whether every count is current (no recount pending)."""
        with self._lock:
            return self._known and not self._stale

    def totals(self) -> Totals | None:
        """Counts over the whole store, or None while any of them is being recounted."""
        with self._lock:
            if not self._known or self._stale:
                return None
            named = [n for g, n in self._counts.items() if g is not DEFAULT]
            return Totals(named=sum(named), default=self._counts.get(DEFAULT, 0),
                          graphs=sum(1 for n in named if n))

    def graph(self, iri: str) -> int | None:
        """Quads in the named graph ``iri`` (0 if it has none), None while it is recounted."""
        with self._lock:
            if not self._known or iri in self._stale:
                return None
            return self._counts.get(iri, 0)

    def counts(self) -> dict[str | None, int] | None:
        """Quads per non-empty graph (``DEFAULT``: the default graph), all current at one
        moment, or None while any of them is being recounted."""
        with self._lock:
            if not self._known or self._stale:
                return None
            return {g: n for g, n in self._counts.items() if n}

    # -- keeping current --------------------------------------------------------------------

    def start(self, *, counts: dict[str | None, int] | None = None) -> "Statistics":
        """Listen to the store's writes and read all counts in the background, or take
        ``counts`` (saved for the store's present state, see ``snapshot``) as they are."""
        self._store.add_listener(self.changed)
        if counts is None:
            self.changed(None)
        else:
            with self._lock:
                self._counts = dict(counts)
                self._known = True
        return self

    def changed(self, graphs: frozenset[str] | None) -> None:
        """The store's listener: ``graphs`` were written (None: any graph may have been)."""
        with self._lock:
            if graphs is None:
                self._known = False
                self._epoch += 1
                self._stale.clear()
            else:
                for g in graphs:
                    self._stale.add(g)
                    self._versions[g] = self._versions.get(g, 0) + 1
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._work, name="kg-statistics", daemon=True).start()

    def _work(self) -> None:
        """Recount until nothing is stale (one thread at a time)."""
        try:
            while True:
                with self._lock:
                    if not self._known:
                        task, epoch, versions = "all", self._epoch, dict(self._versions)
                    elif self._stale:
                        graph = next(iter(self._stale))
                        task, epoch, versions = graph, self._epoch, dict(self._versions)
                    else:
                        self._running = False
                        return
                if task == "all":
                    self._count_all(epoch, versions)
                else:
                    self._count_graph(task, epoch, versions)
        except Exception:  # a background thread has no caller: log, and stay not current
            log.exception("counting the store's quads failed; counts come from the store")
            with self._lock:
                self._running = False

    def _count_all(self, epoch: int, versions: dict) -> None:
        counts: dict[str | None, int] = {DEFAULT: _count(self._store.query(
            _DEFAULT_GRAPH, own_default_graph=True))}
        for row in self._store.query(_ALL_NAMED):
            counts[row["g"].value] = int(row["n"].value)
        with self._lock:
            if epoch != self._epoch:
                return  # a write of unknown graphs came in meanwhile: count again
            self._counts = counts
            self._known = True
            # Graphs written meanwhile may or may not be in this count: recount them.
            self._stale = {g for g, v in self._versions.items() if versions.get(g) != v}

    def _count_graph(self, graph: str, epoch: int, versions: dict) -> None:
        n = _count(self._store.query(_ONE_GRAPH.format(ox.NamedNode(graph))))
        with self._lock:
            if epoch != self._epoch or self._versions.get(graph) != versions.get(graph):
                return  # written again meanwhile: still stale, counted again
            self._stale.discard(graph)
            if n:
                self._counts[graph] = n
            else:
                self._counts.pop(graph, None)

    def wait(self, timeout: float) -> bool:
        """Block until every count is current (for tests and tools); False on timeout."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.current:
                return True
            time.sleep(0.01)
        return self.current


def _count(rows: Iterable) -> int:
    (row,) = list(rows)
    return int(row["n"].value)


def watch(store: Store, *, counts: dict[str | None, int] | None = None) -> Statistics | None:
    """Statistics kept for ``store`` when this process is its only writer, else None;
    ``counts``: saved for the store's present state (none: they are counted)."""
    if not isinstance(store, OxigraphStore):
        return None
    return Statistics(store).start(counts=counts)
