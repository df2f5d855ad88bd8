"""Writes need ``Authorization: Bearer <KG_WRITE_TOKEN>``; without a token the service is read-only.

The token is compared with ``hmac.compare_digest`` so the time taken does not leak how much
of a guess was right, and exactly as sent: nothing is stripped (a token followed by a tab or
a no-break space is another token).
"""

from __future__ import annotations

import hmac

from flask import current_app, request

from .cors import mark_write
from .problem import fail

ENV_TOKEN = "KG_WRITE_TOKEN"


def require_write() -> None:
    """Return if the request may write; else 403 (read-only service) or 401 (bad token)."""
    mark_write()
    token = current_app.config.get("WRITE_TOKEN")
    if not token:
        fail(403, f"this service is read-only: set {ENV_TOKEN} in the server's environment "
                  "to accept writes with that bearer token")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        fail(401, "writes need an 'Authorization: Bearer <token>' header",
             headers={"WWW-Authenticate": 'Bearer realm="kg"'})
    if not hmac.compare_digest(given.encode("utf-8"), str(token).encode("utf-8")):
        fail(401, "the bearer token is not the one this service accepts",
             headers={"WWW-Authenticate": 'Bearer realm="kg", error="invalid_token"'})
