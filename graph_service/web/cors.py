"""Cross-origin requests (CORS), with flask-cors.

Reads are open to any origin, as on Wikidata Query Service, so that a web page on another
origin (YASGUI, an Observable notebook, OpenRefine in the browser) can query the graph:
``/sparql`` queries (GET and POST), the JSON API's GETs (and the ``/api/validate`` dry run),
``/id/…``, ``/graph/…``, ``/ontology``, ``/openapi.json``, ``/context.jsonld``,
``/reconcile``, ``/health`` and Graph Store reads. Preflight requests are answered for them,
and the answers expose ``Link``, ``Location`` and ``Content-Location``.

Writes (SPARQL Update, Graph Store writes, submissions and their accept/reject) are not
opened: their responses carry no CORS headers, and a preflight that asks for a write
method or for the ``Authorization`` header (every write needs the bearer token) is not
granted, so a browser does not send the write. ``KG_CORS_WRITE_ORIGINS`` (space- or
comma-separated origins, e.g. ``https://editor.example.org``) names origins that may write
as well; they still need the token.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qsl

from flask import Flask, Response, g, request
from flask_cors import CORS
from werkzeug.exceptions import HTTPException
from flask_cors.core import FLASK_CORS_EVALUATED, get_cors_options, set_cors_headers

ENV_WRITE_ORIGINS = "KG_CORS_WRITE_ORIGINS"

# Every path a cross-origin reader may use (matched against the whole path).
READ_PATHS = (r"^/(sparql|store|health|ontology|openapi\.json|context\.jsonld"
              r"|api/.*|id/.*|graph/.*|reconcile(/.*)?)$")
EXPOSE = ["Link", "Location", "Content-Location", "Content-Disposition", "WWW-Authenticate",
          "Retry-After"]
READ_HEADERS = ["Accept", "Accept-Language", "Content-Language", "Content-Type",
                "Cache-Control", "X-Requested-With"]
READ_OPTIONS = {
    "origins": "*", "send_wildcard": True,
    "methods": ["GET", "HEAD", "POST", "OPTIONS"],
    "allow_headers": READ_HEADERS, "expose_headers": EXPOSE,
    "supports_credentials": False, "max_age": 86400,
}
WRITE_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]
# POSTs that only read: a query, reconciliation, a validation dry run.
_READING_POSTS = re.compile(r"^/(sparql|api/validate|reconcile(/.*)?)$")


def write_origins(app: Flask) -> list[str]:
    raw = app.config.get("CORS_WRITE_ORIGINS")
    if raw is None:
        raw = os.environ.get(ENV_WRITE_ORIGINS, "")
    if isinstance(raw, str):
        raw = re.split(r"[\s,]+", raw)
    return [o.rstrip("/") for o in raw if o and o.strip()]


def init_app(app: Flask) -> None:
    CORS(app, resources={READ_PATHS: READ_OPTIONS})
    origins = write_origins(app)
    write = get_cors_options(app, {
        "origins": origins, "methods": WRITE_METHODS,
        "allow_headers": READ_HEADERS + ["Authorization"], "expose_headers": EXPOSE,
        "supports_credentials": False, "max_age": 86400, "vary_header": True,
    }) if origins else None

    # Registered after flask-cors's hook, so it runs before it (Flask runs after-request
    # functions last registered first): a write is settled here and flask-cors leaves it.
    @app.after_request
    def _writes(response: Response) -> Response:
        if not is_write():
            return response
        for name in [h for h in response.headers.keys() if h.lower().startswith("access-control-")]:
            del response.headers[name]
        if write is not None and re.match(READ_PATHS, request.path):
            set_cors_headers(response, write)
        setattr(response, FLASK_CORS_EVALUATED, True)
        return response


def mark_write() -> None:
    """Called by every write (``auth.require_write``): its response is not opened."""
    g.kg_write = True


def is_write() -> bool:
    """Does this request write, or is it the preflight of one?"""
    if g.get("kg_write"):
        return True
    method = request.method
    if method == "OPTIONS":
        asked = {h.strip().lower() for h in
                 request.headers.get("Access-Control-Request-Headers", "").split(",")}
        if "authorization" in asked:
            return True
        method = request.headers.get("Access-Control-Request-Method", "").upper()
        if method == "POST" and _READING_POSTS.match(request.path):
            return False
    if method in ("GET", "HEAD", "OPTIONS", ""):
        return False
    if request.path == "/sparql" and request.method == "POST":
        return _is_update()
    return not (method == "POST" and _READING_POSTS.match(request.path))


def _is_update() -> bool:
    if request.mimetype == "application/sparql-update":
        return True
    if request.mimetype == "application/x-www-form-urlencoded":
        try:   # read (and cached) by the endpoint already, unless it refused the request
            body = request.get_data(cache=True).decode("utf-8")
        except (UnicodeDecodeError, HTTPException):   # not UTF-8, or past the body cap
            return False
        return any(name == "update" for name, _ in parse_qsl(body, keep_blank_values=True))
    return "update" in request.args
