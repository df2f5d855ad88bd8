"""The Flask application factory: the single entry for tests and servers.

Follows the shape of Flask's tutorial app (``create_app(test_config=None)``): defaults, then
environment, then the test config; one store per app; one blueprint per feature. Every error,
whatever raised it, leaves as JSON: ``{"error", "message"}`` plus ``line``/``column`` for
syntax errors and ``available`` for 406.

The package owns HTTP: routes, content negotiation, limits, CORS, pages and templates; it holds
no domain logic. It may import ``store``, ``validation``, ``linking`` and the core modules at
the top of the package; never ``pipeline`` or ``cli`` (tests/test_layout.py checks this).

Configuration (key, environment variable, default):

=================  ======================  ==========================================
STORE_PATH         KG_STORE                ./data/store
WRITE_TOKEN        KG_WRITE_TOKEN          unset: the service is read-only
QUERY_TIMEOUT      KG_QUERY_TIMEOUT        10 (seconds)
MAX_ROWS           KG_MAX_ROWS             100000 (solutions or triples per result)
MAX_BODY           KG_MAX_BODY             16777216 (bytes per request body)
SERVICE_ALLOWLIST  KG_SERVICE_ALLOWLIST    empty (space- or comma-separated IRIs)
QUERY_SLOTS        KG_QUERY_SLOTS          8 (queries evaluated at once)
QUERY_WORKERS      KG_QUERY_WORKERS        threads: /sparql queries run in-process;
                                           processes: on a store on disk, in worker
                                           processes killed at the time limit
                                           (``query_workers``)
MAX_NESTING        KG_MAX_NESTING          100 (bracket or element nesting in a query,
                                           update or body, checked before parsing)
MAX_BLANK_NODES    KG_MAX_BLANK_NODES      50 (blank nodes per submission; 413 above)
INDEX_MAX_AGE      KG_INDEX_MAX_AGE        embedded store: unset (writes go through the
                                           service); remote store: 60 (seconds before the
                                           claim index reads again, for other writers)
SAVE_READ_MODELS   KG_SAVE_READ_MODELS     1: the embedded store on disk keeps its claim
                                           index and statistics saved in its folder, and a
                                           start reads them when current (``snapshot``);
                                           0: they are built from the store at each start
CORS_WRITE_ORIGINS KG_CORS_WRITE_ORIGINS   empty: reads are open to any origin, writes to
                                           none (see ``cors``)
=================  ======================  ==========================================
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from ..errors import InputError, KGError
from ..store.statistics import watch
from ..validation.submissions import tidy as tidy_submissions
from ..store import claim_index, snapshot
from ..store import OxigraphStore, Store, default_store_path, open_store
from . import auth, cors, limits
from .problem import HTTPProblem

# One blueprint per feature: (module under graph_service.web, attribute name).
BLUEPRINTS = [
    ("api", "bp"),
    ("openapi", "bp"),
    ("linked_data", "bp"),
    ("pages", "bp"),
    ("sparql", "bp"),
    ("gsp", "bp"),
    ("submissions", "bp"),
    ("reconcile", "bp"),
    ("context", "bp"),
]

DEFAULTS = {
    "QUERY_TIMEOUT": 10.0,
    "MAX_ROWS": 100_000,
    "MAX_BODY": 16 * 1024 * 1024,
    "SERVICE_ALLOWLIST": "",
    "QUERY_SLOTS": 8,
    "MAX_NESTING": 100,
    "MAX_BLANK_NODES": 50,
    "QUERY_WORKERS": "threads",
}
_NUMBERS = {"QUERY_TIMEOUT": float, "MAX_ROWS": int, "MAX_BODY": int, "QUERY_SLOTS": int,
            "MAX_NESTING": int, "MAX_BLANK_NODES": int}


def create_app(test_config: dict | None = None, *, store: Store | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        STORE_PATH=str(default_store_path()),
        WRITE_TOKEN=os.environ.get("KG_WRITE_TOKEN") or None,
        **_from_environment(),
    )
    if test_config:
        app.config.from_mapping(test_config)
    # werkzeug enforces these while reading the body and answers 413 past them.
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_FORM_MEMORY_SIZE"] = \
        int(app.config["MAX_BODY"])
    auth.check_tokens(app)
    app.extensions["kg_store"] = store or open_store(Path(app.config["STORE_PATH"]))
    if not getattr(app.extensions["kg_store"], "read_only", False):
        # staged content left by a crash, or staging graphs of an older store: put in order
        tidy_submissions(app.extensions["kg_store"])
    limits.init_app(app)
    cors.init_app(app)
    _read_models(app)
    _register_error_handlers(app)
    app.after_request(_security_headers)
    for module, attr in BLUEPRINTS:
        mod = importlib.import_module(f"{__name__}.{module}")
        app.register_blueprint(getattr(mod, attr))
    return app


def _read_models(app: Flask) -> None:
    """The statistics and the claim index, from what was saved beside the store when it is
    current (the index's rows are read by its first reader: the server starts at once),
    kept saved while the service runs."""
    store = get_store(app)
    saving = (isinstance(store, OxigraphStore) and store.path is not None
              and not store.read_only and _flag(app, "SAVE_READ_MODELS", default=True))
    app.extensions["kg_statistics"] = statistics = watch(
        store, counts=snapshot.saved_statistics(store) if saving else None)
    app.extensions["kg_claim_index"] = index = claim_index.of(
        store, max_age=_index_max_age(app), restore=snapshot.restorer(store) if saving else None)
    app.extensions["kg_read_models_saver"] = (
        snapshot.keep(store, index, statistics) if saving else None)


def _flag(app: Flask, key: str, *, default: bool) -> bool:
    raw = app.config.get(key, os.environ.get("KG_" + key))
    if raw is None or str(raw).strip() == "":
        return default
    value = str(raw).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise InputError(f"KG_{key}={raw!r} is neither 1 nor 0")


def _index_max_age(app: Flask) -> float | None:
    """Seconds the claim index trusts itself: forever on the embedded store (its folder is
    locked to this process, so every write goes through the service), 60 s on a remote
    store unless set (other clients may write to it)."""
    raw = app.config.get("INDEX_MAX_AGE", os.environ.get("KG_INDEX_MAX_AGE"))
    if raw is None or str(raw).strip() == "":
        return None if isinstance(get_store(app), OxigraphStore) else 60.0
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"KG_INDEX_MAX_AGE={raw!r} is not a number") from None
    if value < 0:
        raise InputError(f"KG_INDEX_MAX_AGE must be 0 or more, not {raw}")
    return value


def get_store(app: Flask) -> Store:
    return app.extensions["kg_store"]


def _from_environment() -> dict:
    config = {}
    for key, default in DEFAULTS.items():
        env = limits.ENV[key]
        raw = os.environ.get(env)
        if raw is None or raw.strip() == "":
            config[key] = default
        elif key in _NUMBERS:
            try:
                value = _NUMBERS[key](raw)
            except ValueError:
                raise InputError(f"{env}={raw!r} is not a number") from None
            if value <= 0:
                raise InputError(f"{env} must be greater than 0, not {raw}")
            config[key] = value
        else:
            config[key] = raw
    return config


# Pages load scripts, styles and images from this service only; no inline script or style,
# no plugins, no framing. query.js fetches /sparql (connect-src) and offers downloads as
# blob: URLs.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _security_headers(response: Response) -> Response:
    """Headers on every response (pages, and any other body a browser might be led to
    render): the content security policy, no framing, no MIME sniffing, no referrer beyond
    this origin."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(KGError)
    def kg_error(err: KGError) -> Response:
        response = jsonify(err.to_json())
        response.status_code = err.http_status
        if isinstance(err, HTTPProblem):
            response.headers.update(err.headers)
        return response

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Response:
        message = err.description or err.name
        if err.code == 413:
            message = (f"the request body is larger than the {app.config['MAX_CONTENT_LENGTH']}"
                       f"-byte limit set by {limits.ENV['MAX_BODY']}")
        elif err.code == 405:
            allowed = ", ".join(m for m in (err.valid_methods or []) if m not in ("HEAD", "OPTIONS"))
            message = f"{request.method} is not allowed on {request.path}; use {allowed}"
        elif err.code == 500:
            message = "internal error; the server log has the details"
        response = jsonify({"error": err.name, "message": message})
        response.status_code = err.code or 500
        for name, value in err.get_headers():
            if name.lower() not in ("content-type", "content-length"):
                response.headers[name] = value
        return response
