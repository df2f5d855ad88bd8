"""The store: where the graph is kept, and the read models kept beside it.

Owns the quad store behind one interface (``Store`` in ``base``): the embedded Oxigraph store
(``embedded``) and any SPARQL 1.1 store over HTTP (``remote``), chosen by ``open_store``; and
the read models that listen to the store's writes: whole-graph quad counts (``statistics``)
the claim index that pages the JSON API (``claim_index``), and the read-only checkpoint that
query worker processes open (``checkpoint``).

May import: the core modules at the top of the package (``errors``, ``formats``, ``iris``,
``vocab``, ``rdfize``, ``sparqltext``). Never ``web``, ``validation``, ``linking``,
``extraction``, ``pipeline`` or ``cli``: they build on the store, not the other way round.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .base import (DEFAULT_STORE, ENV_STORE, Store, default_store_path, ntriples,
                   replace_graphs_update)
from .embedded import OxigraphStore
from .remote import SparqlStore, open_sparql_store

__all__ = ["BACKENDS", "DEFAULT_STORE", "ENV_STORE", "OxigraphStore", "SparqlStore", "Store",
           "default_store_path", "ntriples", "open_store", "replace_graphs_update"]


BACKENDS = ("oxigraph", "sparql")


def open_store(path: Path | None = None, *, read_only: bool = False, backend: str = "oxigraph",
               query_endpoint: str | None = None, update_endpoint: str | None = None) -> Store:
    """The embedded store at ``path`` (default: ``KG_STORE`` or ``./data/store``), or with
    ``backend="sparql"`` a SPARQL 1.1 store behind ``query_endpoint`` and ``update_endpoint``
    (credentials from ``KG_SPARQL_USER``/``KG_SPARQL_PASSWORD`` or ``KG_SPARQL_TOKEN``)."""
    if backend == "sparql":
        return open_sparql_store(query_endpoint, update_endpoint, read_only=read_only)
    if backend != "oxigraph":
        raise InputError(f"unknown store backend {backend!r}; use one of {', '.join(BACKENDS)}")
    return OxigraphStore(path or default_store_path(), read_only=read_only)
