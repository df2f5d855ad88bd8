"""JSON-LD answers name the service's context by URL (``/context.jsonld``); tests read them
through the test client, which no JSON-LD parser can reach: put the context in place."""

from __future__ import annotations

import json
from urllib.parse import urlsplit


def inline_context(client, text: str) -> str:
    """The JSON-LD document ``text`` with a ``@context`` URL replaced by the context it names,
    fetched through ``client``."""
    doc = json.loads(text)
    if isinstance(doc, dict) and isinstance(doc.get("@context"), str):
        resp = client.get(urlsplit(doc["@context"]).path)
        assert resp.status_code == 200, doc["@context"]
        doc["@context"] = resp.get_json()["@context"]
    return json.dumps(doc)
