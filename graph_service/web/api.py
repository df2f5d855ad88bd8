"""The JSON API under ``/api`` (described by ``/openapi.json``) and ``/health``.

Routes only: parameters are parsed by ``params`` against the OpenAPI document, records are
read by ``records`` with bound SPARQL queries. Errors become JSON bodies with the status of
their ``KGError`` class; a bad parameter's body names it (``parameter``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Blueprint, current_app, jsonify, request, url_for

from .. import iris
from ..errors import KGError, StoreError
from . import context, get_store, params
from .records import Reader, entity_ref

bp = Blueprint("api", __name__)


class NotFound(KGError):
    """No resource with this id in the graph."""

    http_status = 404


@bp.after_request
def _link_context(response):
    """Every JSON answer links to the API's JSON-LD context (``context``)."""
    return context.link_api_context(response)


@bp.errorhandler(KGError)
def kg_error(err: KGError):
    return jsonify(err.to_json()), err.http_status


def reader() -> Reader:
    return Reader(get_store(current_app))


def paginate(items: Sequence, page: params.Page, *, build: Callable = list,
             endpoint_args: dict | None = None) -> dict:
    """One page of ``items`` with total and ``next``/``prev`` links; ``build`` makes the
    page's records from its slice of ``items`` (claims: one store query per page)."""
    chunk = items[page.offset:page.offset + page.limit]

    def link(offset: int) -> str:
        args = {**request.args.to_dict(), "offset": offset, "limit": page.limit}
        return url_for(request.endpoint, **(endpoint_args or request.view_args or {}), **args)

    has_next = page.offset + page.limit < len(items)
    return {
        "items": build(chunk),
        "total": len(items), "limit": page.limit, "offset": page.offset,
        "next": link(page.offset + page.limit) if has_next else None,
        "prev": link(max(0, page.offset - page.limit)) if page.offset > 0 else None,
    }


@bp.get("/health")
def health():
    """Up, with the size of the graph; also whether the read models are built yet (after a
    start the claim index and the statistics are read in the background)."""
    store = get_store(current_app)
    index = current_app.extensions.get("kg_claim_index")
    ready = {"claim_index": bool(index is not None and index.ready)}
    # Quads in named graphs, and named graphs holding any: from the statistics when they are
    # current (no scan), else from the store.
    stats = current_app.extensions.get("kg_statistics")
    totals = stats.totals() if stats is not None else None
    if stats is not None:
        ready["statistics"] = totals is not None
    if totals is not None:
        return jsonify({"status": "ok", "triples": totals.named, "graphs": totals.graphs,
                        "ready": ready})
    try:
        triples = store.count()
        graphs = len(store.named_graphs())
    except (OSError, RuntimeError) as err:  # pyoxigraph's own failures; KGErrors pass through
        raise StoreError(f"the store does not answer: {err}") from None
    return jsonify({"status": "ok", "triples": triples, "graphs": graphs, "ready": ready})


@bp.get("/api/claims")
def list_claims():
    values = params.parse("listClaims", request.args)
    r = reader()
    return jsonify(paginate(r.claim_rows(filters=values), params.page(values), build=r.claims))


@bp.get("/api/timeline")
def timeline():
    values = params.parse("timeline", request.args)
    r = reader()
    return jsonify(paginate(r.claim_rows(filters=values, dated_only=True), params.page(values),
                            build=r.claims))


@bp.get("/api/entities")
def list_entities():
    values = params.parse("listEntities", request.args)
    r = reader()
    items = r.entities(search=values["q"], kind=values["type"])
    return jsonify(paginate(items, params.page(values), build=r.entity_items))


@bp.get("/api/entities/<path:entity_id>")
def get_entity(entity_id: str):
    values = params.parse("getEntity", request.args)
    ref = params.check_path("id", entity_id, "getEntity")
    iri = entity_ref(ref).value
    r = reader()
    entity = r.entity(iri)
    if entity is None:
        raise NotFound(f"no entity {iri}", where=f"/api/entities/{entity_id}")
    entity["claims"] = paginate(r.claims_involving(iri), params.page(values), build=r.claims,
                                endpoint_args={"entity_id": entity_id})
    entity["claim_count"] = entity["claims"]["total"]
    return jsonify(entity)


@bp.get("/api/articles")
def list_articles():
    values = params.parse("listArticles", request.args)
    r = reader()
    return jsonify(paginate(r.articles(), params.page(values), build=r.article_items))


@bp.get("/api/articles/<article_id>")
def get_article(article_id: str):
    values = params.parse("getArticle", request.args)
    params.check_path("id", article_id, "getArticle")
    iri = iris.article_iri(article_id)
    r = reader()
    article = r.article(iri)
    if article is None:
        raise NotFound(f"no article {iri}", where=f"/api/articles/{article_id}")
    article["claims"] = paginate(r.article_claims(iri), params.page(values), build=r.claims,
                                 endpoint_args={"article_id": article_id})
    article["claim_count"] = article["claims"]["total"]
    return jsonify(article)


@bp.get("/api/events")
def list_events():
    """Event clusters, earliest first; the claim filters keep the events that a matching
    claim reports."""
    values = params.parse("listEvents", request.args)
    return jsonify(paginate(reader().events(filters=values), params.page(values)))


@bp.get("/api/events/<event_id>")
def get_event(event_id: str):
    params.parse("getEvent", request.args)
    params.check_path("id", event_id, "getEvent")
    iri = f"{iris.ID}event/{event_id}"
    event = reader().event(iri)
    if event is None:
        raise NotFound(f"no event {iri}", where=f"/api/events/{event_id}")
    return jsonify(event)
