"""The embedded store: Oxigraph on disk (or in memory), in this process.

Its staging store (``Store.staging``: pending submissions) is a second Oxigraph folder beside
it, ``<folder>-staging``, or in memory for a store in memory.

The store's seal (``read-models/seal`` in its folder) tells read models saved beside the store
(``snapshot``) whether they are current. Oxigraph exposes no write counter, and a marker kept
in the graph would show in every query of the union default graph, so the seal is a file: a
random token written once the store is flushed, and removed before any write through
``OxigraphStore`` (``update``, ``bulk_load``), by this process or any other (``kg build``,
``kg ingest``). A crash between a write and the next seal leaves no seal, never an old one.
Writers that bypass this class (a bare ``pyoxigraph.Store``, ``oxigraph load``) do not remove
it: the snapshot also keeps the list of named graphs, which catches what they add or drop.
"""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..formats import RDFFormat
from .base import Store, _position

READ_MODELS = "read-models"   # the folder, in the store's folder, of the seal and snapshots
SEAL = "seal"


class OxigraphStore(Store):
    """A persistent, transactional Oxigraph store in a folder (or in memory with ``path=None``)."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._write_lock = threading.Lock()
        self._in_flight = 0     # writes begun and not yet finished (listeners told)
        self.writes = 0         # writes finished through this object (failed ones included)
        self._sealed = True     # whether a seal may be on disk (checked before the first write)
        self.closed = False
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

    # -- the seal ----------------------------------------------------------------------------

    @property
    def read_models_path(self) -> Path | None:
        """The folder of the seal and of saved read models (None for a store in memory)."""
        return None if self.path is None else self.path / READ_MODELS

    def revision(self) -> str | None:
        """The token of the seal on the store, or None when it has none (a write came after
        the last seal, or it was never sealed)."""
        folder = self.read_models_path
        if folder is None:
            return None
        try:
            token = (folder / SEAL).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return token or None

    @staticmethod
    def new_token() -> str:
        return secrets.token_hex(16)

    def seal(self, token: str, *, writes: int) -> bool:
        """Seal the store's present state with ``token``, unless a write finished after the
        caller read ``writes`` (``self.writes``) or is under way: False then, and no seal.
        The store is flushed first, so that the sealed state is the one on disk."""
        folder = self.read_models_path
        if folder is None or self.read_only:
            return False
        with self._write_lock:
            if self._in_flight or writes != self.writes:
                return False
            self._store.flush()
            folder.mkdir(exist_ok=True)
            write_durably(folder / SEAL, token.encode("ascii"))
            self._sealed = True
            return True

    def _begin_write(self) -> None:
        # The seal goes before the write: no crash can leave it on a changed store.
        with self._write_lock:
            if self._sealed and self.read_models_path is not None and not self.read_only:
                try:
                    (self.read_models_path / SEAL).unlink()
                except FileNotFoundError:
                    pass
                sync_folder(self.read_models_path)
            self._sealed = False
            self._in_flight += 1

    def _end_write(self) -> None:
        with self._write_lock:
            self._in_flight -= 1
            self.writes += 1

    def update(self, sparql, *, base_iri=None, changed=None):
        self._begin_write()
        try:
            super().update(sparql, base_iri=base_iri, changed=changed)
        finally:
            self._end_write()   # after the listeners: a read model current at ``writes``
                                # has seen every write it counts

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
        self._begin_write()
        try:
            self._store.bulk_load(data, format=fmt.oxigraph)
            self._notify(None)
        finally:
            self._end_write()

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
        self.closed = True
        del self._store


def write_durably(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: a temporary file, synced, renamed over it."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename or removal in ``folder`` durable (POSIX; a no-op where folders cannot
    be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
