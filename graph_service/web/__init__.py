"""The Flask application factory: the single entry for tests and servers.

Follows the shape of Flask's tutorial app (``create_app(test_config=None)``): defaults, then
environment, then the test config; one store per app; one blueprint per feature.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from flask import Flask

from ..store import Store, default_store_path, open_store

# One blueprint per feature: (module under graph_service.web, attribute name).
BLUEPRINTS = [
    ("api", "bp"),
    ("openapi", "bp"),
    ("submissions", "bp"),
]


def create_app(test_config: dict | None = None, *, store: Store | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        STORE_PATH=str(default_store_path()),
        WRITE_TOKEN=os.environ.get("KG_WRITE_TOKEN") or None,
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["kg_store"] = store or open_store(Path(app.config["STORE_PATH"]))
    for module, attr in BLUEPRINTS:
        mod = importlib.import_module(f"{__name__}.{module}")
        app.register_blueprint(getattr(mod, attr))
    return app


def get_store(app: Flask) -> Store:
    return app.extensions["kg_store"]
