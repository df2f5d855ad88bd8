"""Submissions over HTTP: dry-run validation, submitting, listing, accepting and rejecting.

The domain logic lives in ``graph_service.validation.submissions``; this blueprint maps requests onto it
and errors onto statuses (400 unparseable with line and column, 401 no or wrong token,
404 unknown id, 409 wrong state, 413 too large, 415 wrong content type, 422 non-conforming).

``GET /api/submissions/{id}`` gives anyone the record (status, submitter, time, triple count);
the content of a pending one only to the write token or the token it was submitted with.

A submission sent again gets ``200`` with the IRI of the stored one (``"created": false``);
the first time it gets ``201 Created``. One that only states claims already in the graph gets
``200`` with the first stored claim's IRI and all of them under ``claims``. All carry a
``Location`` header.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, jsonify, request

from .. import iris
from ..validation import submissions
from ..errors import LimitExceeded, NotAcceptable
from . import get_store, params, review
from .auth import require_write
from .limits import check_body
from .problem import fail

bp = Blueprint("submissions", __name__)

DEFAULT_MAX_BODY = 5_000_000
JSON = "application/json"
REPORT_TYPES = {JSON: None, "text/turtle": "turtle", "application/ld+json": "json-ld"}
CONTENT_TYPES = {JSON: None, "text/turtle": "turtle", "application/ld+json": "json-ld",
                 "application/n-triples": "nt"}


def _body() -> tuple[bytes, str]:
    """The request body and its media type, refused with 413 over the configured cap."""
    limit = int(current_app.config.get("MAX_BODY") or DEFAULT_MAX_BODY)
    if request.content_length is not None and request.content_length > limit:
        raise LimitExceeded(f"the body is {request.content_length:,} bytes; the limit is "
                            f"{limit:,}", limit="body size", http_status=413)
    data = request.stream.read(limit + 1)
    if len(data) > limit:
        raise LimitExceeded(f"the body is over the limit of {limit:,} bytes",
                            limit="body size", http_status=413)
    media_type = request.mimetype
    fmt = submissions.body_format(media_type)  # 415 before anything is parsed
    check_body(data, fmt)
    return data, media_type


def _max_blank_nodes() -> int:
    return int(current_app.config.get("MAX_BLANK_NODES") or submissions.MAX_BLANK_NODES)


def _negotiate(offers: dict[str, str | None]) -> str:
    """The best offered media type for the Accept header (q-values honoured); 406 if none."""
    if not request.accept_mimetypes:
        return JSON
    best = request.accept_mimetypes.best_match(list(offers))
    if best is None:
        raise NotAcceptable("none of the requested media types can be given",
                            available=list(offers))
    return best


def _tokens() -> dict[str, str]:
    """token -> submitter name. ``SUBMIT_TOKENS`` maps names to tokens; the write token is
    the maintainers'."""
    out = {}
    for name, token in (current_app.config.get("SUBMIT_TOKENS") or {}).items():
        out[token] = name
    write = current_app.config.get("WRITE_TOKEN")
    if write:
        out[write] = current_app.config.get("WRITE_TOKEN_NAME", "maintainers")
    return out


def _submitter() -> str:
    """The submitter the bearer token stands for; 401 without a valid token."""
    tokens = _tokens()
    if not tokens:
        fail(403, "this service takes no submissions: set KG_WRITE_TOKEN (or SUBMIT_TOKENS) "
                  "in the server's environment")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        fail(401, "submissions need an 'Authorization: Bearer <token>' header",
             headers={"WWW-Authenticate": 'Bearer realm="kg"'})
    name = None
    for token, who in tokens.items():  # compare with every token, whichever matches
        if hmac.compare_digest(token.encode("utf-8"), given.encode("utf-8")):  # exactly
            name = who
    if name is None:
        fail(401, "the bearer token is not one this service accepts",
             headers={"WWW-Authenticate": 'Bearer realm="kg", error="invalid_token"'})
    return name


def _report_response(report: submissions.Report) -> Response:
    status = 200 if report.conforms else 422
    best = _negotiate(REPORT_TYPES)
    if REPORT_TYPES[best] is None:
        return jsonify(report.to_json()), status
    return Response(report.graph.serialize(format=REPORT_TYPES[best]), status=status,
                    mimetype=best)


@bp.post("/api/validate")
def validate():
    body, media_type = _body()
    return _report_response(
        submissions.validate_submission(get_store(current_app), body, media_type,
                                        max_blank_nodes=_max_blank_nodes()))


@bp.post("/api/submissions")
def submit():
    submitter = _submitter()
    body, media_type = _body()
    result = submissions.submit(get_store(current_app), body, media_type, submitter=submitter,
                                max_blank_nodes=_max_blank_nodes())
    if result.id is None:  # every claim it states is in the graph already: point at them
        resp = jsonify({"iri": result.iri, "id": None, "created": False, "status": "in the graph",
                        "claims": list(result.claims)})
        resp.headers["Location"] = "/" + iris.local_part(result.iri)
        return resp
    answer = {"iri": result.iri, "id": result.id, "created": result.created,
              "status": submissions.get(get_store(current_app), result.id)["status"]}
    if result.claims:  # claims it repeats, left out: they are in the graph already
        answer["in_graph"] = list(result.claims)
    resp = jsonify(answer)
    resp.status_code = 201 if result.created else 200
    resp.headers["Location"] = f"/api/submissions/{result.id}"
    return resp


@bp.get("/api/submissions")
def list_submissions():
    args = params.parse("listSubmissions", request.args)
    return jsonify(submissions.list_submissions(get_store(current_app), status=args["status"]))


@bp.get("/api/submissions/<sid>")
def get_submission(sid: str):
    """The record (public) and the content: a pending submission's content only for the write
    token or the token it was submitted with; accepted content is public anyway."""
    store = get_store(current_app)
    record = submissions.get(store, sid)
    best = _negotiate(CONTENT_TYPES)
    if record["status"] == "pending" and not _may_review(record):
        if CONTENT_TYPES[best] is not None:
            review.require_reviewer("the content of a pending submission")
        resp = jsonify(record)
    else:
        graph = submissions.content(store, sid)
        if CONTENT_TYPES[best] is None:
            resp = jsonify({**record, "content": graph.serialize(format="turtle")})
        else:
            resp = Response(graph.serialize(format=CONTENT_TYPES[best]), mimetype=best)
    resp.vary.add("Authorization")
    return resp


def _may_review(record: dict) -> bool:
    """The request carries the write token, or the submit token of the record's submitter.
    No token: False; a token that is neither: 401."""
    if "Authorization" not in request.headers or not _tokens():
        return False
    write = current_app.config.get("WRITE_TOKEN")
    scheme, _, given = request.headers["Authorization"].partition(" ")
    if write and scheme.lower() == "bearer" and hmac.compare_digest(given.encode("utf-8"), str(write).encode("utf-8")):
        return True
    return _submitter() == record["submitter"]


@bp.post("/api/submissions/<sid>/accept")
def accept(sid: str):
    require_write()
    return jsonify(submissions.accept(get_store(current_app), sid))


@bp.post("/api/submissions/<sid>/reject")
def reject(sid: str):
    require_write()
    reason = None
    if request.is_json:
        reason = (request.get_json(silent=True) or {}).get("reason")
    reason = reason or request.form.get("reason") or request.args.get("reason")
    return jsonify(submissions.reject(get_store(current_app), sid, reason or ""))
