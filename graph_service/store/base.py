"""The quad store: Oxigraph on disk by default, any SPARQL 1.1 store for bigger set-ups.

Writes are whole-graph replacements done in one SPARQL Update request, so an article (or a
submission) lands whole or not at all, on the embedded store and on a remote one alike.
Reads are SPARQL queries; the union of all named graphs is the default graph unless a query
names its dataset.

Content awaiting review (pending submissions) is kept in a second store beside the first
(``Store.staging``), never in this store's dataset: no query of the dataset, in any form
(the union default graph, ``GRAPH ?g``, ``FROM``, a graph listing, an export), can reach it,
and no query pays for keeping it out.
"""

from __future__ import annotations

import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
import rdflib

from ..formats import RDFFormat

DEFAULT_STORE = Path("data") / "store"
ENV_STORE = "KG_STORE"
# Where a remote store's pending submissions are kept (a local Oxigraph folder).
DEFAULT_STAGING = Path("data") / "staging"
ENV_STAGING = "KG_STAGING_STORE"
_STAGING_LOCK = threading.Lock()  # opens a store's staging store once, whichever thread asks


def default_store_path() -> Path:
    """``--store`` beats ``KG_STORE``, which beats ``./data/store``."""
    return Path(os.environ.get(ENV_STORE) or DEFAULT_STORE)


def ntriples(graph: rdflib.Graph | str) -> str:
    """Triples as N-Triples text (the body of an INSERT DATA block)."""
    if isinstance(graph, str):
        return graph
    return graph.serialize(format="nt")


def replace_graphs_update(graphs: Mapping[str, rdflib.Graph | str],
                          *, drop: Iterable[str] = ()) -> str:
    """One SPARQL Update that drops the named graphs and writes their new content."""
    parts = [f"DROP SILENT GRAPH <{g}>" for g in (*graphs, *drop)]
    inserts = [f"GRAPH <{g}> {{\n{ntriples(data)}\n}}" for g, data in graphs.items()]
    if inserts:
        parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
    return " ;\n".join(parts)


class Store(ABC):
    """What the rest of the package needs from a quad store."""

    @abstractmethod
    def query(self, sparql: str, *, default_graph: list[str] | None = None,
              named_graphs: list[str] | None = None,
              bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
              base_iri: str | None = None, own_default_graph: bool = False):
        """Run a query. SELECT -> ox.QuerySolutions, ASK -> ox.QueryBoolean, else ox.QueryTriples.

        ``bindings`` binds variables to values (never spliced into text).
        Without ``default_graph`` the default graph is the union of all graphs; with it, the
        merge of those named graphs (``[]``: an empty graph, as SPARQL 1.1 section 13.2 has
        it for a dataset that names only named graphs). ``own_default_graph`` queries the
        graph the store keeps as its default graph (a store whose default graph is the union
        of its named graphs has no name for it and raises ``UnsupportedByStore``).
        """

    def update(self, sparql: str, *, base_iri: str | None = None,
               changed: Iterable[str] | None = None) -> None:
        """Run a SPARQL Update atomically, then tell the listeners what changed.

        ``changed``: the named graphs the update writes, when the caller knows them; None
        means "any graph" (an arbitrary update from a user), and listeners start over.
        """
        self._execute_update(sparql, base_iri=base_iri)
        self._notify(None if changed is None else frozenset(changed))

    @abstractmethod
    def _execute_update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL Update atomically (the backend's part of ``update``)."""

    def add_listener(self, listener: Callable[[frozenset[str] | None], None]) -> None:
        """Call ``listener(graphs)`` after every write through this object: the named graphs
        written, or None when they are not known. Read models (the claim index, the
        statistics) stay current this way; a listener must not raise."""
        self.__dict__.setdefault("_listeners", []).append(listener)

    def _notify(self, graphs: frozenset[str] | None) -> None:
        for listener in self.__dict__.get("_listeners", ()):
            listener(graphs)

    def on_close(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` when the store is closed, before it is: for what was opened
        beside it (the query workers and their checkpoints)."""
        self.__dict__.setdefault("_on_close", []).append(callback)

    def _closing(self) -> None:
        for callback in self.__dict__.pop("_on_close", ()):
            callback()

    @abstractmethod
    def named_graphs(self) -> list[str]:
        ...

    def replace_graphs(self, graphs: Mapping[str, rdflib.Graph | str], *,
                       drop: Iterable[str] = ()) -> None:
        """Atomically replace each named graph's content (and drop ``drop``)."""
        self.update(replace_graphs_update(graphs, drop=drop), changed=[*graphs, *drop])

    def drop_graphs(self, names: Iterable[str]) -> None:
        names = list(names)
        if names:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in names), changed=names)

    def has_graph(self, name: str) -> bool:
        return bool(self.query(f"ASK {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"))

    def graph(self, name: str) -> rdflib.Graph:
        """One named graph as an rdflib Graph (for validation and ontology work)."""
        g = rdflib.Graph()
        triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
        g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"),
                format="nt")
        return g

    def count(self) -> int:
        (row,) = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(row["n"].value)

    @abstractmethod
    def export(self, fmt: RDFFormat) -> bytes:
        """The whole dataset in a quad format."""

    @property
    def staging(self) -> "Store":
        """The store of content awaiting review: one named graph per pending submission.

        Opened on first use (``_open_staging``) and closed with this store. It is a separate
        dataset, so this store's queries, graph listings and exports never include it; only
        code that asks for ``staging`` (the submissions workflow, and reviewers' requests)
        reads it.
        """
        with _STAGING_LOCK:
            staging = self.__dict__.get("_staging")
            if staging is None:
                staging = self.__dict__["_staging"] = self._open_staging()
        return staging

    @abstractmethod
    def _open_staging(self) -> "Store":
        """A new staging store (each backend says where it keeps one)."""

    def close(self) -> None:
        self._closing()
        staging = self.__dict__.pop("_staging", None)
        if staging is not None:
            staging.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _position(err: SyntaxError) -> dict:
    """Line and column from a pyoxigraph SyntaxError (1-based), when it has them."""
    line, col = getattr(err, "lineno", None), getattr(err, "offset", None)
    if line is None:
        import re
        m = re.search(r"line (\d+) column (\d+)", str(err)) or re.search(r"(\d+):(\d+)", str(err))
        if m:
            line, col = int(m.group(1)), int(m.group(2))
    return {"line": line, "column": col}
