"""The embedded store: Oxigraph on disk (or in memory), in this process.

Its staging store (``Store.staging``: pending submissions) is a second Oxigraph folder beside
it, ``<folder>-staging``, or in memory for a store in memory.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..formats import RDFFormat
from .base import Store, _position


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
    def staging_path(self) -> Path | None:
        """The folder of the staging store: beside this one, ``<name>-staging``."""
        return None if self.path is None else self.path.with_name(self.path.name + "-staging")

    def _open_staging(self) -> Store:
        path = self.staging_path
        if path is None or (self.read_only and not path.is_dir()):
            return OxigraphStore(None, read_only=self.read_only)
        return OxigraphStore(path, read_only=self.read_only)

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

    def checkpoint(self, target: Path) -> None:
        """A consistent read-only copy of the store in the new folder ``target``, made of
        hard links to the store's files (``store.checkpoint``)."""
        self._store.backup(str(target))

    def close(self) -> None:
        if not hasattr(self, "_store"):
            return   # closed already
        super().close()   # the close listeners (query workers), then the staging store
        if self.path is not None and not self.read_only:
            self._store.flush()
        del self._store
