"""Read-only checkpoints of the embedded store, kept current through its writes.

Oxigraph cannot cancel a running evaluation, so the service evaluates user queries in worker
processes that it can kill (``graph_service.web.query_workers``). Those processes cannot open
the store itself (RocksDB locks its folder to one writer, and a read-only opening of a folder
that is being compacted may find its files gone), so they open a checkpoint of it:
``Store.backup`` flushes what is in memory and hard-links the store's files into a new
folder, a consistent snapshot that later writes and compactions do not touch.

A checkpoint is made lazily: ``current()`` makes one when the store has been written since
the last one (its listeners are told of every write, ``Store.add_listener``), so a query sent
after a write sees that write (read-your-writes), and a store that is not written is never
copied. Checkpoints live beside the store, in ``<store>.checkpoints/``, one folder each;
``prune`` removes those no reader has open, ``close`` all of them.

A store opened read-only is not written by this process: readers open its own folder.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from ..errors import StoreError
from .embedded import OxigraphStore


class Checkpoints:
    """The latest read-only checkpoint of one on-disk ``OxigraphStore``."""

    def __init__(self, store: OxigraphStore) -> None:
        if store.path is None:
            raise StoreError("an in-memory store has no folder to checkpoint")
        self.store = store
        self.folder = store.path.parent / f"{store.path.name}.checkpoints"
        self._lock = threading.Lock()
        self._writes = 0           # writes seen so far
        self._made_at = -1         # ``_writes`` when the current checkpoint was made
        self._current: Path | None = None
        self._serial = 0
        if store.read_only:
            self._current = store.path
            return
        # The store's folder is locked to this process: any checkpoint left there was made by
        # a process that has ended.
        shutil.rmtree(self.folder, ignore_errors=True)
        store.add_listener(self._written)

    def _written(self, graphs) -> None:
        self._writes += 1   # under the GIL; a write that races a checkpoint only makes another

    def current(self) -> Path:
        """A checkpoint holding every write made before the call."""
        if self.store.read_only:
            return self.store.path
        with self._lock:
            writes = self._writes
            if self._current is None or self._made_at != writes:
                self._serial += 1
                target = self.folder / str(self._serial)
                self.folder.mkdir(parents=True, exist_ok=True)
                try:
                    self.store.checkpoint(target)
                except OSError as err:
                    raise StoreError(f"cannot make a read-only checkpoint of the store: {err}",
                                     where=str(target)) from None
                self._current, self._made_at = target, writes
            return self._current

    def prune(self, in_use: set[Path]) -> None:
        """Remove every checkpoint but the current one and those in ``in_use``."""
        if self.store.read_only or not self.folder.is_dir():
            return
        with self._lock:
            keep = {self._current, *in_use}
            for path in self.folder.iterdir():
                if path not in keep:
                    shutil.rmtree(path, ignore_errors=True)

    def close(self) -> None:
        if not self.store.read_only:
            shutil.rmtree(self.folder, ignore_errors=True)
