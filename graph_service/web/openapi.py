"""The OpenAPI 3 description of the JSON API, served at ``/openapi.json``.

The document is a data file (``openapi.json`` beside this module), not generated from code:
other blueprints add their paths to it. ``params.py`` reads the query parameters of each
operation from it, so what the document says is what the API accepts.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from flask import Blueprint, jsonify

DOCUMENT = Path(__file__).with_name("openapi.json")

bp = Blueprint("openapi", __name__)


@functools.cache
def document() -> dict:
    """The parsed document (read once; it does not change while the service runs)."""
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def resolve(node: dict) -> dict:
    """Follow a local ``$ref`` (``#/components/...``) until a plain object is reached."""
    while "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported, not {ref!r}")
        node = document()
        for part in ref[2:].split("/"):
            node = node[part]
    return node


@functools.cache
def operation(operation_id: str) -> dict:
    """The operation object with this ``operationId``."""
    for item in document()["paths"].values():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise KeyError(f"no operation {operation_id!r} in {DOCUMENT.name}")


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(document())
