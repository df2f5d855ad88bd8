"""The quad store: Oxigraph on disk by default, any SPARQL 1.1 store for bigger set-ups.

Writes are whole-graph replacements done in one SPARQL Update request, so an article (or a
submission) lands whole or not at all, on the embedded store and on a remote one alike.
Reads are SPARQL queries; the union of all named graphs is the default graph unless a query
names its dataset.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
import rdflib

from .errors import InputError, QueryError, StoreError
from .formats import RDFFormat

DEFAULT_STORE = Path("data") / "store"
ENV_STORE = "KG_STORE"


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

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class OxigraphStore(Store):
    """A persistent, transactional Oxigraph store in a folder (or in memory with ``path=None``)."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as err:
            raise StoreError(f"cannot open the store: {err}. Is another `kg` process using it?",
                             where=str(path)) from None

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for code that serializes results natively."""
        return self._store

    def query(self, sparql, *, default_graph=None, named_graphs=None, bindings=None,
              base_iri=None, own_default_graph=False):
        kwargs: dict = {"base_iri": base_iri}
        if own_default_graph:
            kwargs["default_graph"] = ox.DefaultGraph()
        elif default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if bindings:
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in bindings.items()}
        try:
            return self._store.query(sparql, **kwargs)
        except SyntaxError as err:
            raise QueryError(str(err), **_position(err)) from None
        except RuntimeError as err:  # found before evaluation: e.g. an unknown function
            raise QueryError(f"the query cannot be evaluated: {err}") from None

    def _execute_update(self, sparql, *, base_iri=None):
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as err:
            raise QueryError(str(err), **_position(err)) from None
        except OSError as err:
            raise StoreError(f"the update was not written: {err}") from None

    def named_graphs(self):
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def export(self, fmt):
        if not fmt.quads:
            raise StoreError(f"{fmt.key} holds one graph; export the dataset as nquads or trig")
        return self._store.dump(format=fmt.oxigraph)

    def bulk_load(self, data: bytes, fmt: RDFFormat) -> None:
        """Load a large quad file fast (not transactional: for building a fresh store)."""
        self._store.bulk_load(data, format=fmt.oxigraph)
        self._notify(None)

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()
        del self._store


def _position(err: SyntaxError) -> dict:
    """Line and column from a pyoxigraph SyntaxError (1-based), when it has them."""
    line, col = getattr(err, "lineno", None), getattr(err, "offset", None)
    if line is None:
        import re
        m = re.search(r"line (\d+) column (\d+)", str(err)) or re.search(r"(\d+):(\d+)", str(err))
        if m:
            line, col = int(m.group(1)), int(m.group(2))
    return {"line": line, "column": col}


BACKENDS = ("oxigraph", "sparql")


def open_store(path: Path | None = None, *, read_only: bool = False, backend: str = "oxigraph",
               query_endpoint: str | None = None, update_endpoint: str | None = None) -> Store:
    """The embedded store at ``path`` (default: ``KG_STORE`` or ``./data/store``), or with
    ``backend="sparql"`` a SPARQL 1.1 store behind ``query_endpoint`` and ``update_endpoint``
    (credentials from ``KG_SPARQL_USER``/``KG_SPARQL_PASSWORD`` or ``KG_SPARQL_TOKEN``)."""
    if backend == "sparql":
        from .remote_store import open_sparql_store
        return open_sparql_store(query_endpoint, update_endpoint, read_only=read_only)
    if backend != "oxigraph":
        raise InputError(f"unknown store backend {backend!r}; use one of {', '.join(BACKENDS)}")
    return OxigraphStore(path or default_store_path(), read_only=read_only)
