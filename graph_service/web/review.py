"""What reviewers see that nobody else does: the staging graphs of pending submissions.

Pending content lives in the staging store (``Store.staging``), not in the served dataset, so
an anonymous query, graph listing or export cannot reach it. A request reaches it only by
naming staging graphs (``…/graph/submission/<id>``) with the write token:

* ``/sparql``: the protocol's ``default-graph-uri`` / ``named-graph-uri`` parameters, or the
  query's ``FROM`` / ``FROM NAMED`` (SPARQL 1.1 Protocol §2.1.4, Query §13.2); the query is then
  evaluated on the staging store, over those graphs only;
* ``/store``: ``?graph=<staging IRI>`` (Graph Store Protocol §4.2), GET and HEAD.

Naming a staging graph without the token is 401 (with the token, 403 on a read-only service);
a dataset that mixes staging graphs with graphs of the served dataset is 400, since the two
are different stores.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..store import Store
from ..validation.submissions import is_staging_graph
from .auth import require_write
from .problem import HTTPProblem, fail


def names_staging(graphs: Iterable[str | None]) -> bool:
    return any(g is not None and is_staging_graph(g) for g in graphs)


def require_reviewer(what: str) -> None:
    """Return if the request carries the write token; else 401 (or 403) saying why."""
    try:
        require_write()
    except HTTPProblem as err:  # say what the token was asked for
        err.message = f"{what} is shown to reviewers only: {err.message}"
        raise


def dataset_store(store: Store, default: list[str] | None, named: list[str] | None) -> Store:
    """The store a query with this dataset runs on: the served store, or, when the dataset
    names staging graphs and the request carries the write token, the staging store."""
    graphs = [*(default or ()), *(named or ())]
    if not names_staging(graphs):
        return store
    require_reviewer("a pending submission's staging graph")
    if not all(is_staging_graph(g) for g in graphs):
        fail(400, "the dataset names staging graphs and graphs of the served dataset; pending "
                  "submissions are kept apart from the served graphs, so query them on their own")
    return store.staging
